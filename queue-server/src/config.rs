//! A center's file read from disk: the catalog, the `[network]` and `[access]` sections are checked by
//! `hall_wire::center_file` (shared with the national service's simulation and the tests),
//! the `[sms]` section by `sms::settings`.

use hall_core::Catalog;
use hall_wire::center_file::{Access, ConfigError, Network, parse, parse_access, parse_network};
use std::path::Path;

pub fn load_file(path: &Path) -> Result<Catalog, ConfigError> {
    parse(&read(path)?)
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// The network section of a center's file.
pub fn load_network(path: &Path) -> Result<Option<Network>, ConfigError> {
    parse_network(&read(path)?)
}

/// The `[access]` section of a center's file (public address, staff networks).
pub fn load_access(path: &Path) -> Result<Access, ConfigError> {
    parse_access(&read(path)?)
}

/// The `[sms]` section of a center's file (docs/messages.md), checked against its catalog.
pub fn load_sms(
    path: &Path,
    catalog: &Catalog,
) -> Result<Option<crate::sms::SmsSettings>, ConfigError> {
    crate::sms::settings::parse(&read(path)?, Some(catalog)).map_err(ConfigError::Invalid)
}

/// The counters' slip printers (`printer`, `paper` in their `[[counters]]` tables).
pub fn load_counter_printers(
    path: &Path,
) -> Result<
    std::collections::HashMap<hall_core::CounterId, crate::slips::CounterPrinter>,
    ConfigError,
> {
    crate::slips::parse(&read(path)?).map_err(ConfigError::Invalid)
}

#[cfg(test)]
mod sms_section {
    use crate::sms::settings::parse;

    #[test]
    fn no_section_means_no_messages_and_a_bad_one_is_named() {
        let sample = hall_wire::center_file::SAMPLE_CENTER;
        assert_eq!(parse(sample, None).unwrap(), None);
        let with = format!(
            "{sample}\n[sms]\ntransport = \"smpp\"\nhost = \"127.0.0.1\"\nsystem_id = \"tabour\"\npassword = \"pw\"\npeople_ahead_by_service = {{ NOPE = 2 }}\n"
        );
        let catalog = hall_wire::center_file::sample();
        assert!(parse(&with, Some(&catalog)).unwrap_err().contains("NOPE"));
        let code = &catalog.services[0].code;
        let ok = with.replace("NOPE", code);
        let s = parse(&ok, Some(&catalog)).unwrap().unwrap();
        assert_eq!(s.ahead_for(code), 2);
        assert_eq!(s.ahead_for("other"), 3);
        assert!(parse(&ok.replace("host", "hots"), None).is_err());
        assert!(
            parse(&ok.replace("\"smpp\"", "\"http\""), None)
                .unwrap_err()
                .contains("url")
        );
    }
}

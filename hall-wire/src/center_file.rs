//! A center's file (TOML) → a checked `Catalog`, and its optional `[network]` section
//! (docs/network.md). Reading the file is the caller's (`queue-server/src/config.rs`); the
//! sample center is compiled in.

use hall_core::Catalog;
use std::collections::HashSet;

/// The sample center compiled into the binary: `queue-server` with no `--config` serves it.
pub const SAMPLE_CENTER: &str = include_str!("../../assets/centers/heliopolis.toml");
/// The sample center's logo (its `logo`), compiled in with it.
pub const SAMPLE_LOGO: &[u8] = include_bytes!("../../assets/centers/heliopolis-logo.png");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Parse(#[from] toml::de::Error),
    #[error("invalid center configuration: {0}")]
    Invalid(String),
}

/// The center's place in the national network: the optional `[network]` section of its file.
/// Without it the center runs alone (no uplink), exactly as before. docs/network.md.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The center's code in the network: its subject and message ids (`cai-heliopolis`).
    pub center: String,
    /// The governorate's code (`cai`): the viewers of a governorate see its centers.
    pub governorate: String,
    /// The center's own NATS leaf node (JetStream), e.g. `nats://127.0.0.1:4222`.
    pub leaf_url: String,
    /// Credentials on the leaf, if it asks for them.
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
}

/// Who reaches the center from where: the optional `[access]` section of its file
/// (docs/deploy.md). Citizens' pages are open to anyone who reaches the server; staff and
/// devices sign in only from `staff_networks`.
#[derive(Clone, Debug, PartialEq)]
pub struct Access {
    /// The address citizens' phones reach the server at (`https://heliopolis.example.gov.eg`,
    /// `http://192.168.10.5:8740`): the receipt's QR and every link to a citizen use it.
    /// `None`: links fall back to the address the kiosk itself uses, which only the hall
    /// reaches; the server warns at start and the dashboard says so.
    pub public_url: Option<String>,
    /// Where staff and devices may sign in, pair and connect from (CIDR blocks).
    pub staff_networks: Vec<ipnet::IpNet>,
}

/// The hall's own networks: loopback, the private IPv4 ranges, IPv6 unique-local and
/// link-local. A center whose hall uses public addresses lists them in `staff_networks`.
pub const HALL_NETWORKS: [&str; 7] = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
];

impl Default for Access {
    fn default() -> Access {
        Access {
            public_url: None,
            staff_networks: HALL_NETWORKS
                .iter()
                .map(|n| n.parse().expect("static network"))
                .collect(),
        }
    }
}

impl Access {
    /// Whether staff and devices may sign in from this address. An IPv4 address carried in
    /// IPv6 (`::ffff:192.168.1.5`, a dual-stack listener) is read as IPv4.
    pub fn staff_may_come_from(&self, ip: std::net::IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.staff_networks.iter().any(|n| n.contains(&ip))
    }

    /// A citizen's link: `{public_url}{path}` (`path` begins with '/').
    pub fn link(&self, path: &str) -> Option<String> {
        self.public_url
            .as_ref()
            .map(|base| format!("{}{path}", base.trim_end_matches('/')))
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessFields {
    #[serde(default)]
    public_url: Option<String>,
    #[serde(default)]
    staff_networks: Option<Vec<String>>,
}

#[derive(serde::Deserialize)]
struct AccessSection {
    access: Option<AccessFields>,
}

/// A public address as the center's file gives it, checked (`http://` or `https://` and a host,
/// with a port if any, nothing after it), without a trailing slash.
pub fn public_url(url: &str) -> Result<String, ConfigError> {
    let url = url.trim().trim_end_matches('/').to_string();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    if host.is_empty() || host.contains(['/', ' ', '?', '#']) {
        return Err(ConfigError::Invalid(format!(
            "access public_url {url:?} must be http:// or https:// and a host (and port), nothing after it"
        )));
    }
    Ok(url)
}

/// The `[access]` section of a center's file, checked; the defaults when there is none.
pub fn parse_access(text: &str) -> Result<Access, ConfigError> {
    let Some(a) = toml::from_str::<AccessSection>(text)?.access else {
        return Ok(Access::default());
    };
    let mut access = Access::default();
    if let Some(url) = a.public_url {
        access.public_url = Some(public_url(&url)?);
    }
    if let Some(nets) = a.staff_networks {
        access.staff_networks = nets
            .iter()
            .map(|n| {
                n.parse::<ipnet::IpNet>()
                    .or_else(|_| n.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        ConfigError::Invalid(format!(
                            "access staff_networks: {n:?} is not an address or a network (10.20.0.0/16)"
                        ))
                    })
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(access)
}

#[derive(serde::Deserialize)]
struct NetworkSection {
    network: Option<Network>,
}

/// The `[network]` section of a center's file, checked; `None` when there is none.
pub fn parse_network(text: &str) -> Result<Option<Network>, ConfigError> {
    let Some(n) = toml::from_str::<NetworkSection>(text)?.network else {
        return Ok(None);
    };
    for (what, code) in [("center", &n.center), ("governorate", &n.governorate)] {
        if !crate::network::valid_code(code) {
            return Err(ConfigError::Invalid(format!(
                "network {what} {code:?} must be 1-32 lower-case letters, digits and '-'"
            )));
        }
    }
    if !n.leaf_url.starts_with("nats://") && !n.leaf_url.starts_with("tls://") {
        return Err(ConfigError::Invalid(format!(
            "network leaf_url {:?} must start with nats:// or tls://",
            n.leaf_url
        )));
    }
    Ok(Some(n))
}

pub fn sample() -> Catalog {
    parse(SAMPLE_CENTER).expect("the embedded sample center is valid (a test checks it)")
}

pub fn parse(text: &str) -> Result<Catalog, ConfigError> {
    let catalog: Catalog = toml::from_str(text)?;
    validate(&catalog).map_err(ConfigError::Invalid)?;
    Ok(catalog)
}

pub fn validate(c: &Catalog) -> Result<(), String> {
    c.center
        .timezone
        .parse::<chrono_tz::Tz>()
        .map_err(|_| format!("unknown time zone {:?}", c.center.timezone))?;
    let w = &c.priority_weights;
    for (name, v) in [
        ("normal", w.normal),
        ("elderly", w.elderly),
        ("disabled", w.disabled),
        ("pregnant", w.pregnant),
    ] {
        if !(v.is_finite() && v > 0.0) {
            return Err(format!("priority weight {name} must be above 0"));
        }
    }
    if let Some(p) = &c.center.request_prefix
        && !((2..=4).contains(&p.len()) && p.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        return Err(format!("request_prefix {p:?} must be 2-4 capital letters"));
    }
    let mut cats = HashSet::new();
    for cat in &c.categories {
        if !cats.insert(cat.code.as_str()) {
            return Err(format!("category {} appears twice", cat.code));
        }
    }
    let mut codes = HashSet::new();
    let mut prefixes = HashSet::new();
    for s in &c.services {
        if s.code.is_empty()
            || !s
                .code
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        {
            return Err(format!(
                "service code {:?} must be letters, digits and '-'",
                s.code
            ));
        }
        if s.processing_days > 365 {
            return Err(format!(
                "service {}: processing_days {} is more than a year",
                s.code, s.processing_days
            ));
        }
        if !codes.insert(s.code.as_str()) {
            return Err(format!("service {} appears twice", s.code));
        }
        if s.prefix.is_empty()
            || s.prefix.len() > 3
            || !s.prefix.chars().all(|ch| ch.is_ascii_uppercase())
        {
            return Err(format!(
                "service {}: prefix {:?} must be 1-3 capital letters",
                s.code, s.prefix
            ));
        }
        if !prefixes.insert(s.prefix.as_str()) {
            return Err(format!(
                "service {}: prefix {} is used twice, numbers would clash",
                s.code, s.prefix
            ));
        }
        if !cats.contains(s.category.as_str()) {
            return Err(format!("service {}: no category {}", s.code, s.category));
        }
        if s.hours.open >= s.hours.close {
            return Err(format!("service {}: opens after it closes", s.code));
        }
        if s.name.ar.trim().is_empty() || s.name.en.trim().is_empty() {
            return Err(format!(
                "service {} needs an Arabic and an English name",
                s.code
            ));
        }
    }
    let mut ids = HashSet::new();
    for k in &c.counters {
        if !ids.insert(k.id) {
            return Err(format!("counter {} appears twice", k.id));
        }
        if k.profile.is_empty() {
            return Err(format!("counter {} serves no service", k.id));
        }
        for p in &k.profile {
            if !codes.contains(p.service.as_str()) {
                return Err(format!("counter {}: no service {}", k.id, p.service));
            }
            if !(p.weight.is_finite() && p.weight > 0.0) {
                return Err(format!(
                    "counter {}: weight of {} must be above 0",
                    k.id, p.service
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_center_is_a_district_center_with_enough_services() {
        let c = sample();
        assert!(
            c.center.sample_data,
            "the sample must say it is sample data"
        );
        assert!(c.services.len() >= 45, "{} services", c.services.len());
        assert_eq!(c.counters.len(), 8);
        for s in &c.services {
            assert!(!s.documents.is_empty(), "{} lists no documents", s.code);
            assert!(
                s.name
                    .ar
                    .chars()
                    .any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch)),
                "{} Arabic name",
                s.code
            );
        }
        let open_uncovered: Vec<_> = c
            .services
            .iter()
            .filter(|s| {
                s.open
                    && !c
                        .counters
                        .iter()
                        .any(|k| k.profile.iter().any(|p| p.service == s.code))
            })
            .map(|s| s.code.clone())
            .collect();
        assert!(
            open_uncovered.is_empty(),
            "open services no counter serves: {open_uncovered:?}"
        );
    }

    #[test]
    fn duplicate_prefix_is_refused_with_the_service_named() {
        let mut c = sample();
        c.services[1].prefix = c.services[0].prefix.clone();
        let err = validate(&c).unwrap_err();
        assert!(err.contains(&c.services[1].code), "{err}");
    }

    #[test]
    fn profile_naming_a_missing_service_is_refused() {
        let mut c = sample();
        c.counters[0].profile[0].service = "NOPE".into();
        assert!(validate(&c).unwrap_err().contains("NOPE"));
    }

    #[test]
    fn network_section_is_optional_and_checked() {
        assert_eq!(parse_network(SAMPLE_CENTER).unwrap(), None);
        let with = format!(
            "{SAMPLE_CENTER}\n[network]\ncenter = \"cai-01\"\ngovernorate = \"cai\"\nleaf_url = \"nats://127.0.0.1:4222\"\n"
        );
        let n = parse_network(&with).unwrap().unwrap();
        assert_eq!(
            (n.center.as_str(), n.governorate.as_str()),
            ("cai-01", "cai")
        );
        assert!(parse(&with).is_ok(), "the catalog still parses beside it");
        let bad = with.replace("cai-01", "cai.01");
        assert!(
            parse_network(&bad)
                .unwrap_err()
                .to_string()
                .contains("cai.01")
        );
        let typo = with.replace("leaf_url", "leaf");
        assert!(parse_network(&typo).is_err());
    }

    #[test]
    fn bad_toml_is_an_error_not_a_panic() {
        assert!(parse("[center]\nid = 3").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn staff_sign_in_is_the_halls_networks_unless_the_center_lists_its_own() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let hall = parse_access("").unwrap();
        assert_eq!(hall.public_url, None);
        for inside in [
            "127.0.0.1",
            "192.168.1.20",
            "10.3.4.5",
            "::1",
            "::ffff:192.168.1.20",
        ] {
            assert!(hall.staff_may_come_from(ip(inside)), "{inside}");
        }
        for outside in ["41.32.10.7", "8.8.8.8", "2001:db8::1", "::ffff:41.32.10.7"] {
            assert!(!hall.staff_may_come_from(ip(outside)), "{outside}");
        }
        let own = parse_access(
            "[access]\npublic_url = \"https://hel.example.gov.eg/\"\nstaff_networks = [\"41.32.10.0/24\", \"41.32.99.1\"]\n",
        )
        .unwrap();
        assert_eq!(
            own.public_url.as_deref(),
            Some("https://hel.example.gov.eg")
        );
        assert_eq!(
            own.link("/t/abc").as_deref(),
            Some("https://hel.example.gov.eg/t/abc")
        );
        assert!(own.staff_may_come_from(ip("41.32.10.7")));
        assert!(own.staff_may_come_from(ip("41.32.99.1")));
        assert!(!own.staff_may_come_from(ip("192.168.1.20")));
        for bad in [
            "[access]\npublic_url = \"heliopolis\"",
            "[access]\npublic_url = \"https://h/t\"",
            "[access]\nstaff_networks = [\"hall\"]",
            "[access]\nwho = 1",
        ] {
            assert!(parse_access(bad).is_err(), "{bad}");
        }
    }
}

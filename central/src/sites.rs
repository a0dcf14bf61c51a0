//! The network's register: governorates and sites (fixed centers, governorate offices, vans),
//! read from a TOML file the national operator keeps (docs/network.md, "adding a center").
//! A site with `leaf = true` runs its own NATS leaf, whose stream the hub sources; the others
//! of the sample network are played by the generator on the hub itself.

use hall_core::Names;
use hall_wire::network::valid_code;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Governorate {
    pub code: String,
    pub name: Names,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    Center,
    Office,
    Van,
}

impl SiteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Center => "center",
            SiteKind::Office => "office",
            SiteKind::Van => "van",
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Site {
    pub code: String,
    pub governorate: String,
    pub kind: SiteKind,
    pub name: Names,
    /// Opening hours, local "HH:MM": silence inside them raises an alert.
    #[serde(default = "opens")]
    pub opens: String,
    #[serde(default = "closes")]
    pub closes: String,
    #[serde(default)]
    pub leaf: bool,
}

fn opens() -> String {
    "08:00".into()
}
fn closes() -> String {
    "16:00".into()
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Register {
    #[serde(default, rename = "governorate")]
    pub governorates: Vec<Governorate>,
    #[serde(default, rename = "site")]
    pub sites: Vec<Site>,
}

impl Register {
    pub fn parse(text: &str) -> Result<Register, String> {
        let r: Register = toml::from_str(text).map_err(|e| e.to_string())?;
        r.check()?;
        Ok(r)
    }

    pub fn load(path: &std::path::Path) -> Result<Register, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Register::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn check(&self) -> Result<(), String> {
        let govs: HashSet<&str> = self.governorates.iter().map(|g| g.code.as_str()).collect();
        let mut seen = HashSet::new();
        for s in &self.sites {
            if !valid_code(&s.code) {
                return Err(format!(
                    "site code {:?}: lower-case letters, digits, '-'",
                    s.code
                ));
            }
            if !seen.insert(s.code.as_str()) {
                return Err(format!("site {} appears twice", s.code));
            }
            if !govs.contains(s.governorate.as_str()) {
                return Err(format!("site {}: no governorate {}", s.code, s.governorate));
            }
            for t in [&s.opens, &s.closes] {
                chrono::NaiveTime::parse_from_str(t, "%H:%M")
                    .map_err(|_| format!("site {}: {t:?} is not HH:MM", s.code))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_in_an_unknown_governorate_is_refused() {
        let text = r#"
            [[governorate]]
            code = "cai"
            name = { ar = "القاهرة", en = "Cairo" }
            [[site]]
            code = "giz-01"
            governorate = "giz"
            kind = "center"
            name = { ar = "الجيزة ١", en = "Giza 1" }
        "#;
        assert!(Register::parse(text).unwrap_err().contains("giz"));
        let ok = text.replace("\"giz\"\n", "\"cai\"\n");
        assert_eq!(Register::parse(&ok).unwrap().sites.len(), 1);
    }
}

//! The `[sms]` section of a center's file. Without it the center sends no message and keeps
//! no phone number: it runs exactly as before.
//!
//! ```toml
//! [sms]
//! transport = "smpp"          # or "http"
//! host = "smsc.example.net"   # smpp
//! port = 2775
//! system_id = "tabour"
//! password = "secret"
//! source_addr = "TABOUR"      # a short code (digits) or a sender name (letters)
//! rate_per_second = 50        # what the operator allows the bind
//! people_ahead = 3            # the near-turn message: when this many are ahead
//! people_ahead_by_service = { PASS-NEW = 5 }
//! stale_minutes = 10          # a message older than this is dropped, not sent
//! per_phone_per_hour = 6
//! name = { ar = "مركز مصر الجديدة", en = "Heliopolis Center" }  # how messages sign
//! feedback_after_minutes = 10 # the rating link after service, this long after (0: at once)
//! # transport = "http": POST JSON to url with "Authorization: Bearer <token>"
//! url = "http://127.0.0.1:9000/send"
//! token = "…"
//! ```

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Smpp,
    Http,
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsSettings {
    pub transport: Transport,
    #[serde(default)]
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default)]
    pub system_id: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub system_type: String,
    #[serde(default = "default_source")]
    pub source_addr: String,
    #[serde(default = "default_rate")]
    pub rate_per_second: u32,
    #[serde(default = "default_ahead")]
    pub people_ahead: u32,
    #[serde(default)]
    pub people_ahead_by_service: BTreeMap<String, u32>,
    #[serde(default = "default_stale")]
    pub stale_minutes: u32,
    #[serde(default = "default_per_phone")]
    pub per_phone_per_hour: u32,
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
    /// Parts in flight at once (each waits for its `submit_sm_resp`).
    #[serde(default = "default_window")]
    pub window: usize,
    #[serde(default = "default_enquire")]
    pub enquire_link_seconds: u64,
    /// How the messages name the center (short: every character counts); else its name.
    #[serde(default)]
    pub name: Option<hall_core::Names>,
    /// After service, the rating link goes this long after the finish (time to rate on the
    /// ticket page first, which cancels it).
    #[serde(default = "default_feedback_after")]
    pub feedback_after_minutes: u32,
    /// The center's public address (`[access] public_url`, filled at start): the rating
    /// link's. Without it no rating link is sent (a link phones cannot open is no use).
    #[serde(skip)]
    pub public_url: Option<String>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub token: String,
}

fn default_feedback_after() -> u32 {
    10
}
fn default_port() -> u16 {
    2775
}
fn default_source() -> String {
    "TABOUR".into()
}
fn default_rate() -> u32 {
    50
}
fn default_ahead() -> u32 {
    3
}
fn default_stale() -> u32 {
    10
}
fn default_per_phone() -> u32 {
    6
}
fn default_attempts() -> u32 {
    8
}
fn default_window() -> usize {
    16
}
fn default_enquire() -> u64 {
    30
}

impl SmsSettings {
    /// The near-turn threshold of a service.
    pub fn ahead_for(&self, service: &str) -> u32 {
        self.people_ahead_by_service
            .get(service)
            .copied()
            .unwrap_or(self.people_ahead)
    }

    pub fn stale_ms(&self) -> i64 {
        i64::from(self.stale_minutes.max(1)) * 60_000
    }

    pub fn check(&self, catalog: Option<&hall_core::Catalog>) -> Result<(), String> {
        match self.transport {
            Transport::Smpp => {
                if self.host.is_empty() || self.system_id.is_empty() {
                    return Err("sms: transport smpp needs host and system_id".into());
                }
                if self.system_id.len() > 15 || self.password.len() > 8 {
                    return Err(
                        "sms: SMPP allows system_id up to 15 and password up to 8 characters"
                            .into(),
                    );
                }
            }
            Transport::Http => {
                if !self.url.starts_with("http://") {
                    return Err(
                        "sms: transport http needs url = \"http://…\" (a TLS gateway through a local proxy, docs/messages.md)"
                            .into(),
                    );
                }
            }
        }
        if self.source_addr.is_empty() || self.source_addr.len() > 20 {
            return Err("sms: source_addr must be 1-20 characters".into());
        }
        if self.rate_per_second == 0 || self.window == 0 {
            return Err("sms: rate_per_second and window must be above 0".into());
        }
        if let Some(c) = catalog {
            for code in self.people_ahead_by_service.keys() {
                if !c.services.iter().any(|s| &s.code == code) {
                    return Err(format!(
                        "sms: people_ahead_by_service names no service {code}"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[derive(serde::Deserialize)]
struct Section {
    sms: Option<SmsSettings>,
}

/// The `[sms]` section of a center's file, checked; `None` when there is none.
pub fn parse(
    text: &str,
    catalog: Option<&hall_core::Catalog>,
) -> Result<Option<SmsSettings>, String> {
    let s = toml::from_str::<Section>(text)
        .map_err(|e| e.to_string())?
        .sms;
    if let Some(s) = &s {
        s.check(catalog)?;
    }
    Ok(s)
}

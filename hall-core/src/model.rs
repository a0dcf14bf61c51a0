//! The catalog (what a center offers) and the live objects of a hall: counters and tickets.
//!
//! The catalog is exactly what a center's TOML configuration file holds; it travels inside the
//! `catalog_loaded` event, so a restart or a client sees the catalog the log was written under.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub type ServiceCode = String;
pub type CounterId = u32;
pub type Timestamp = DateTime<Utc>;

/// A ticket's identity: global, increasing, never reused (unlike its label, which resets daily).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketId(pub u64);

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A text in both languages of the center. Arabic first.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Names {
    pub ar: String,
    pub en: String,
}

impl Names {
    pub fn new(ar: impl Into<String>, en: impl Into<String>) -> Self {
        Names {
            ar: ar.into(),
            en: en.into(),
        }
    }
    /// The text for a language tag ("ar" or anything else for English).
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("ar") {
            &self.ar
        } else {
            &self.en
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Sat,
    Sun,
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
}

impl From<chrono::Weekday> for Weekday {
    fn from(d: chrono::Weekday) -> Self {
        match d {
            chrono::Weekday::Sat => Weekday::Sat,
            chrono::Weekday::Sun => Weekday::Sun,
            chrono::Weekday::Mon => Weekday::Mon,
            chrono::Weekday::Tue => Weekday::Tue,
            chrono::Weekday::Wed => Weekday::Wed,
            chrono::Weekday::Thu => Weekday::Thu,
            chrono::Weekday::Fri => Weekday::Fri,
        }
    }
}

/// Opening hours of a service, in the center's local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    pub days: Vec<Weekday>,
    #[serde(with = "hhmm")]
    pub open: NaiveTime,
    #[serde(with = "hhmm")]
    pub close: NaiveTime,
}

impl Hours {
    /// Whether a local date-time falls inside these hours (close is exclusive).
    pub fn contains(&self, local: chrono::NaiveDateTime) -> bool {
        use chrono::Datelike;
        self.days.contains(&local.weekday().into())
            && local.time() >= self.open
            && local.time() < self.close
    }
}

/// "HH:MM"; "24:00" means the end of the day (a service open until midnight).
mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    fn end_of_day() -> NaiveTime {
        NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).expect("valid time")
    }

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        if *t == end_of_day() {
            return s.serialize_str("24:00");
        }
        s.serialize_str(&t.format("%H:%M").to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let s = String::deserialize(d)?;
        if s == "24:00" {
            return Ok(end_of_day());
        }
        NaiveTime::parse_from_str(&s, "%H:%M")
            .map_err(|_| serde::de::Error::custom(format!("expected HH:MM, got {s:?}")))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: Names,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub code: ServiceCode,
    pub category: String,
    /// Letters before the ticket number: "A" gives A-001.
    pub prefix: String,
    pub name: Names,
    pub documents: Vec<Names>,
    /// Fee in piasters (100 piasters = 1 EGP).
    pub fee_piasters: u64,
    /// Expected minutes at the window; seeds the service-time estimate.
    pub expected_minutes: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_limit: Option<u32>,
    pub open: bool,
    pub hours: Hours,
    /// Working days the back office takes to process a request handed in for this service
    /// (the expected ready date; `clock::ready_date`). 0: ready the same day.
    #[serde(default)]
    pub processing_days: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriorityWeights {
    pub normal: f64,
    pub elderly: f64,
    pub disabled: f64,
    pub pregnant: f64,
}

impl Default for PriorityWeights {
    fn default() -> Self {
        PriorityWeights {
            normal: 1.0,
            elderly: 2.0,
            disabled: 3.0,
            pregnant: 2.0,
        }
    }
}

impl PriorityWeights {
    pub fn of(&self, p: Priority) -> f64 {
        match p {
            Priority::Normal => self.normal,
            Priority::Elderly => self.elderly,
            Priority::Disabled => self.disabled,
            Priority::Pregnant => self.pregnant,
        }
    }
}

/// The routing rule's parameters; ARCHITECTURE.md states the rule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Routing {
    /// A ticket waiting this long is overdue: overdue tickets are called first, oldest first.
    pub starvation_limit_minutes: u32,
    /// Seconds of waiting every ticket is credited with before weights apply, so that a
    /// priority ticket moves ahead at once, not only after it has waited.
    #[serde(default = "default_head_start")]
    pub head_start_seconds: u32,
}

fn default_head_start() -> u32 {
    300
}

impl Default for Routing {
    fn default() -> Self {
        Routing {
            starvation_limit_minutes: 20,
            head_start_seconds: default_head_start(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CenterInfo {
    pub id: String,
    pub name: Names,
    /// IANA zone, e.g. "Africa/Cairo": days and opening hours are local to it.
    pub timezone: String,
    #[serde(default)]
    pub sample_data: bool,
    /// The letters that begin this center's request references ("HEL" in `HEL-26-004821`):
    /// 2–4 capital letters. Absent: the first three letters of the last part of `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_prefix: Option<String>,
    /// Local dates the center is closed (holidays): not working days for processing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_days: Vec<NaiveDate>,
    /// How numbers are written in Arabic on every surface (`hall_core::format`).
    #[serde(default)]
    pub digits: Digits,
    /// The center's logo: a PNG file named relative to the center's file (the sample ships
    /// `heliopolis-logo.png`). On the poster (`queue-server poster`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// The digits of Arabic texts, the center's choice (English is always Latin). Ticket labels
/// and request references are shown as printed whatever this says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digits {
    /// ٠١٢٣٤٥٦٧٨٩, as Egyptian official papers write them.
    #[default]
    Arabic,
    /// 0123456789.
    Latin,
}

impl CenterInfo {
    /// The prefix of request references (see `request_prefix`); "REQ" if `id` has no letters.
    pub fn request_prefix(&self) -> String {
        if let Some(p) = &self.request_prefix {
            return p.clone();
        }
        let last = self.id.rsplit('-').next().unwrap_or("");
        let p: String = last
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .take(3)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if p.len() < 2 { "REQ".into() } else { p }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileEntry {
    pub service: ServiceCode,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterConfig {
    pub id: CounterId,
    pub name: Names,
    pub profile: Vec<ProfileEntry>,
}

/// A center's configuration: the TOML file, and the payload of `catalog_loaded`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub center: CenterInfo,
    #[serde(default)]
    pub priority_weights: PriorityWeights,
    #[serde(default)]
    pub routing: Routing,
    pub categories: Vec<Category>,
    pub services: Vec<Service>,
    pub counters: Vec<CounterConfig>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    Elderly,
    Disabled,
    Pregnant,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Normal,
        Priority::Elderly,
        Priority::Disabled,
        Priority::Pregnant,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Waiting,
    Called,
    Serving,
    Parked,
    Done,
    NoShow,
    Cancelled,
}

impl TicketState {
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TicketState::Done | TicketState::NoShow | TicketState::Cancelled
        )
    }
}

/// How a service at the window ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The request was taken (and a request reference given, usually).
    Completed,
    /// The citizen lacked documents and must come back.
    IncompleteDocuments,
    /// Sent to another authority.
    Referred,
    Rejected,
    /// A request was handed in to the back office: the server gives it a reference
    /// (`HEL-26-004821`) and the citizen a receipt to follow it (`request_created`).
    RequestSubmitted,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub service: ServiceCode,
    /// Number within its service and day: 1, 2, 3…
    pub number: u32,
    /// What is printed and called: "A-007".
    pub label: String,
    pub day: NaiveDate,
    pub priority: Priority,
    pub state: TicketState,
    pub issued_at: Timestamp,
    /// When it (re)entered its queue; the routing rule measures waiting from here.
    pub enqueued_at: Timestamp,
    /// Placed at the front of its queue by a transfer.
    #[serde(default)]
    pub front: bool,
    /// Only this counter may call it (a transfer to a counter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_counter: Option<CounterId>,
    /// The counter holding it while called, serving or parked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<CounterId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_called_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serving_at: Option<Timestamp>,
    #[serde(default)]
    pub recalls: u32,
    #[serde(default)]
    pub transfers: u32,
    /// Unguessable token of the citizen's ticket page. Never broadcast: redacted to "".
    #[serde(default)]
    pub token: String,
    /// The issuing device (kiosk name or staff user).
    pub issuer: String,
    /// The issuer's key for this request: a retry with the same key gets the same ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

impl Ticket {
    /// The ticket as a client may see it: no page token, no issuer's request key.
    pub fn public(&self) -> Ticket {
        Ticket {
            token: String::new(),
            idempotency_key: None,
            ..self.clone()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CounterState {
    Closed,
    Idle,
    Calling,
    Serving,
    Paused,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counter {
    pub id: CounterId,
    pub name: Names,
    pub profile: Vec<ProfileEntry>,
    pub state: CounterState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketId>,
}

impl Counter {
    pub fn weight_of(&self, service: &str) -> Option<f64> {
        self.profile
            .iter()
            .find(|p| p.service == service)
            .map(|p| p.weight)
    }
    pub fn is_staffed(&self) -> bool {
        !matches!(self.state, CounterState::Closed | CounterState::Paused)
    }
}

/// What a kiosk's receipt printer last reported (`report_printer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrinterStatus {
    Ready,
    /// Still printing, but the roll needs changing soon.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// Unreachable, not answering, or in an error state; `detail` says which.
    Offline,
}

impl PrinterStatus {
    pub const ALL: [PrinterStatus; 5] = [
        PrinterStatus::Ready,
        PrinterStatus::PaperNearEnd,
        PrinterStatus::PaperOut,
        PrinterStatus::CoverOpen,
        PrinterStatus::Offline,
    ];

    /// The wire name, also the suffix of its translation (`printer-status-paper_out`).
    pub fn as_str(self) -> &'static str {
        match self {
            PrinterStatus::Ready => "ready",
            PrinterStatus::PaperNearEnd => "paper_near_end",
            PrinterStatus::PaperOut => "paper_out",
            PrinterStatus::CoverOpen => "cover_open",
            PrinterStatus::Offline => "offline",
        }
    }

    /// Whether a ticket can be printed in this state.
    pub fn can_print(self) -> bool {
        matches!(self, PrinterStatus::Ready | PrinterStatus::PaperNearEnd)
    }
}

/// A device's printer as the hall knows it: the last status that differed from the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrinterReport {
    /// The device's name (its token's name, e.g. "kiosk-1").
    pub device: String,
    pub status: PrinterStatus,
    /// The kiosk's words for technicians ("connection refused"); "" when none.
    #[serde(default)]
    pub detail: String,
    /// When this status began.
    pub since: Timestamp,
}

/// A wait as the queue model (`forecast`) expects it, in seconds from the forecast's instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitRange {
    /// Tickets that will be called before it at the counters that can serve it.
    pub ahead: u32,
    pub expected_secs: u64,
    /// 10th and 90th percentiles.
    pub low_secs: u64,
    pub high_secs: u64,
}

impl WaitRange {
    /// The same wait seen `elapsed` seconds later (never below zero).
    pub fn after(self, elapsed: u64) -> WaitRange {
        WaitRange {
            ahead: self.ahead,
            expected_secs: self.expected_secs.saturating_sub(elapsed),
            low_secs: self.low_secs.saturating_sub(elapsed),
            high_secs: self.high_secs.saturating_sub(elapsed),
        }
    }
}

/// The longest message line a manager may set for the boards.
pub const MAX_MESSAGE_CHARS: usize = 280;

#[cfg(test)]
mod printer_tests {
    use super::PrinterStatus;
    use crate::i18n::Translator;

    #[test]
    fn every_printer_status_has_its_wire_name_and_a_translation_in_both_languages() {
        for s in PrinterStatus::ALL {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
            for lang in ["ar", "en"] {
                let id = format!("printer-status-{}", s.as_str());
                assert!(Translator::new(lang).has(&id), "{lang} {id}");
            }
        }
        assert_ne!(
            Translator::new("ar").tr("printer-status-paper_out", &[]),
            Translator::new("en").tr("printer-status-paper_out", &[])
        );
    }
}

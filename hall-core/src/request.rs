//! Requests a citizen handed in at a window and follows afterwards (issue 12): the reference on
//! the receipt, the states the back office moves it through, and how its status reads to a
//! citizen in Arabic or English (the `/r` page, the kiosk, an SMS).
//!
//! A request is created by `finish` with the outcome `request_submitted` (event
//! `request_created`) and changed only by `set_request_state` (event `request_state_changed`);
//! who and when are the event's envelope (`actor`, `at`), kept in the request's history by
//! `apply`. The citizen's contact suffixes (last four digits of a phone and/or national ID) are
//! the only thing about the citizen a request holds; they are redacted from every broadcast and
//! from the uplink (`Event::redacted`), and never shown.

use crate::i18n::{FluentValue, Translator};
use crate::model::{CounterId, Names, ServiceCode, TicketId, Timestamp};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A request's state. `needs_documents` says which documents; `rejected` says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RequestState {
    Received,
    UnderReview,
    NeedsDocuments { documents: Vec<String> },
    ReadyForPickup,
    Delivered,
    Rejected { reason: String },
}

impl RequestState {
    /// Every state's wire name (also the suffix of its translation, `request-state-<name>`).
    pub const NAMES: [&'static str; 6] = [
        "received",
        "under_review",
        "needs_documents",
        "ready_for_pickup",
        "delivered",
        "rejected",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            RequestState::Received => "received",
            RequestState::UnderReview => "under_review",
            RequestState::NeedsDocuments { .. } => "needs_documents",
            RequestState::ReadyForPickup => "ready_for_pickup",
            RequestState::Delivered => "delivered",
            RequestState::Rejected { .. } => "rejected",
        }
    }

    /// Delivered and rejected are the end: nothing moves a request from there.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            RequestState::Delivered | RequestState::Rejected { .. }
        )
    }

    /// The transitions the back office may make:
    /// received → under_review | rejected;
    /// under_review → needs_documents | ready_for_pickup | rejected;
    /// needs_documents → under_review (the documents came) | needs_documents (another list) |
    /// rejected; ready_for_pickup → delivered | under_review (taken back for a correction).
    pub fn may_become(&self, next: &RequestState) -> bool {
        use RequestState::*;
        matches!(
            (self, next),
            (Received, UnderReview)
                | (Received, Rejected { .. })
                | (UnderReview, NeedsDocuments { .. })
                | (UnderReview, ReadyForPickup)
                | (UnderReview, Rejected { .. })
                | (NeedsDocuments { .. }, UnderReview)
                | (NeedsDocuments { .. }, NeedsDocuments { .. })
                | (NeedsDocuments { .. }, Rejected { .. })
                | (ReadyForPickup, Delivered)
                | (ReadyForPickup, UnderReview)
        )
    }

    /// The names of the states this one may become (for the consoles' buttons).
    pub fn next_names(&self) -> Vec<&'static str> {
        let samples = [
            RequestState::Received,
            RequestState::UnderReview,
            RequestState::NeedsDocuments {
                documents: Vec::new(),
            },
            RequestState::ReadyForPickup,
            RequestState::Delivered,
            RequestState::Rejected {
                reason: String::new(),
            },
        ];
        samples
            .iter()
            .filter(|s| self.may_become(s))
            .map(|s| s.name())
            .collect()
    }

    /// The documents still needed (empty unless `needs_documents`).
    pub fn documents(&self) -> &[String] {
        match self {
            RequestState::NeedsDocuments { documents } => documents,
            _ => &[],
        }
    }
}

/// One change of a request, as its history keeps it (from the event's envelope).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestChange {
    pub at: Timestamp,
    /// The envelope's actor: "clerk:mona", "back_office:samir".
    pub by: String,
    pub state: RequestState,
    /// The staff's note ("" when none).
    #[serde(default)]
    pub note: String,
}

/// A request as the server's state keeps it (never in a client's snapshot).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceRequest {
    /// "HEL-26-004821": the center's request prefix, the two-digit year, a six-digit sequence.
    pub reference: String,
    pub service: ServiceCode,
    /// The ticket it was handed in with, and its label that day.
    pub ticket: TicketId,
    pub ticket_label: String,
    pub counter: CounterId,
    pub created_at: Timestamp,
    pub created_by: String,
    /// The local day it should be ready (the service's processing days, working days only).
    pub expected_ready: NaiveDate,
    pub state: RequestState,
    /// Oldest first; the first entry is `received`.
    pub history: Vec<RequestChange>,
    /// Last four digits of the citizen's phone and/or national ID (one or two entries).
    /// Secret: redacted from broadcasts and the uplink, never shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suffixes: Vec<String>,
}

impl ServiceRequest {
    pub fn updated_at(&self) -> Timestamp {
        self.history.last().map(|c| c.at).unwrap_or(self.created_at)
    }

    /// Not final and past its expected day.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        !self.state.is_final() && today > self.expected_ready
    }

    /// Whether a suffix the citizen typed matches one of the request's (digits normalized).
    pub fn suffix_matches(&self, typed: &str) -> bool {
        match normalize_suffix(typed) {
            Some(s) => self.suffixes.contains(&s),
            None => false,
        }
    }
}

impl ServiceRequest {
    /// The request as staff consoles receive it: without the citizen's suffixes.
    pub fn for_staff(&self) -> ServiceRequest {
        ServiceRequest {
            suffixes: Vec::new(),
            ..self.clone()
        }
    }

    /// What a citizen who gave the right suffix may see: states and days, no staff names or
    /// internal notes.
    pub fn status_view(&self, service_name: Names, center_name: Names) -> RequestStatusView {
        RequestStatusView {
            reference: self.reference.clone(),
            service_name,
            center_name,
            created_at: self.created_at,
            expected_ready: self.expected_ready,
            state: self.state.clone(),
            history: self
                .history
                .iter()
                .map(|c| StatusStep {
                    at: c.at,
                    state: c.state.clone(),
                })
                .collect(),
        }
    }

    /// What the receipt prints and the clerk's console shows after `request_submitted`.
    pub fn receipt(&self, service_name: Names, center_name: Names) -> RequestReceipt {
        RequestReceipt {
            reference: self.reference.clone(),
            service: self.service.clone(),
            service_name,
            center_name,
            ticket_label: self.ticket_label.clone(),
            created_at: self.created_at,
            expected_ready: self.expected_ready,
            status_path: status_path(&self.reference),
        }
    }
}

/// A request as the back office sees it: no suffixes, with what the console needs beside it
/// (the service's names, whether it is overdue, how old, the states it may become).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffRequest {
    #[serde(flatten)]
    pub request: ServiceRequest,
    pub service_name: Names,
    pub overdue: bool,
    /// Whole local days since it was handed in.
    pub age_days: i64,
    pub next: Vec<String>,
}

impl StaffRequest {
    pub fn of(
        r: &ServiceRequest,
        service_name: Names,
        today: NaiveDate,
        created_day: NaiveDate,
    ) -> Self {
        StaffRequest {
            request: r.for_staff(),
            service_name,
            overdue: r.overdue(today),
            age_days: (today - created_day).num_days().max(0),
            next: r.state.next_names().into_iter().map(String::from).collect(),
        }
    }
}

/// The status page's path for a reference: `/r/HEL-26-004821` (the receipt's QR code).
pub fn status_path(reference: &str) -> String {
    format!("/r/{reference}")
}

/// The request receipt: the reference to keep and where to follow it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestReceipt {
    pub reference: String,
    pub service: ServiceCode,
    pub service_name: Names,
    pub center_name: Names,
    pub ticket_label: String,
    pub created_at: Timestamp,
    pub expected_ready: NaiveDate,
    /// `/r/<reference>`; the QR code holds the server's address before it.
    pub status_path: String,
}

/// One step of a request's history as the citizen sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusStep {
    pub at: Timestamp,
    pub state: RequestState,
}

/// A request's status for the citizen (the `/r` page, the kiosk's follow screen).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestStatusView {
    pub reference: String,
    pub service_name: Names,
    pub center_name: Names,
    pub created_at: Timestamp,
    pub expected_ready: NaiveDate,
    pub state: RequestState,
    pub history: Vec<StatusStep>,
}

/// Latin digits for Arabic-Indic and Eastern Arabic-Indic ones; everything else unchanged.
pub fn latin_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
            c => c,
        })
        .collect()
}

/// A suffix as stored: exactly four digits (Arabic-Indic digits accepted, spaces ignored).
pub fn normalize_suffix(typed: &str) -> Option<String> {
    let s: String = latin_digits(typed)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// The reference for the `n`th request of a year: `HEL-26-004821`.
pub fn format_reference(prefix: &str, year: i32, n: u32) -> String {
    format!("{prefix}-{:02}-{n:06}", year.rem_euclid(100))
}

/// A reference as typed (lower case, Arabic-Indic digits, spaces, missing dashes) in its
/// stored form, or None if it cannot be one: 2–4 letters, 2 digits, 6 digits.
pub fn normalize_reference(typed: &str) -> Option<String> {
    let s: String = latin_digits(typed)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let letters = s.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = &s[letters..];
    if !(2..=4).contains(&letters)
        || digits.len() != 8
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(format!(
        "{}-{}-{}",
        &s[..letters],
        &digits[..2],
        &digits[2..]
    ))
}

/// The request's state in the citizen's words (`request-state-<name>`).
pub fn state_text(state: &RequestState, tr: &Translator) -> String {
    tr.tr(&format!("request-state-{}", state.name()), &[])
}

/// The status of a request as a citizen reads it, in one short paragraph: reference, service,
/// state, the documents still needed or why it was rejected, and the expected day while it is
/// not final. The same text for an SMS answer, the `/r` page's summary and the kiosk.
/// `service` is the service's names from the catalog (None if it left the catalog).
pub fn status_text(
    req: &ServiceRequest,
    service: Option<&Names>,
    tr: &Translator,
    digits: crate::model::Digits,
) -> String {
    let lang = tr.lang();
    let style = crate::format::Style::new(lang, digits, chrono_tz::UTC);
    let service = service.map(|n| n.get(lang).to_string()).unwrap_or_default();
    let mut text = tr.tr(
        "request-status",
        &[
            ("reference", FluentValue::from(req.reference.as_str())),
            ("service", FluentValue::from(service.as_str())),
            ("state", FluentValue::from(state_text(&req.state, tr))),
        ],
    );
    let sep = if lang == "ar" { "، " } else { ", " };
    match &req.state {
        RequestState::NeedsDocuments { documents } => {
            text.push(' ');
            text.push_str(&tr.tr(
                "request-status-documents",
                &[("documents", FluentValue::from(documents.join(sep)))],
            ));
        }
        RequestState::Rejected { reason } => {
            text.push(' ');
            text.push_str(&tr.tr(
                "request-status-reason",
                &[("reason", FluentValue::from(reason.as_str()))],
            ));
        }
        _ => {}
    }
    if !req.state.is_final() && req.state != RequestState::ReadyForPickup {
        text.push(' ');
        text.push_str(&tr.tr(
            "request-status-expected",
            &[(
                "date",
                FluentValue::from(style.date(tr, req.expected_ready)),
            )],
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Digits;
    use chrono::TimeZone;

    fn sample(state: RequestState) -> ServiceRequest {
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        ServiceRequest {
            reference: "HEL-26-000042".into(),
            service: "BLD-LIC".into(),
            ticket: TicketId(7),
            ticket_label: "A-007".into(),
            counter: 3,
            created_at: at,
            created_by: "clerk:mona".into(),
            expected_ready: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
            state,
            history: vec![],
            suffixes: vec!["4821".into()],
        }
    }

    #[test]
    fn only_the_listed_transitions_are_allowed_and_final_states_stay_final() {
        use RequestState::*;
        let docs = NeedsDocuments {
            documents: vec!["x".into()],
        };
        let rej = Rejected { reason: "y".into() };
        assert!(Received.may_become(&UnderReview));
        assert!(UnderReview.may_become(&docs));
        assert!(docs.may_become(&UnderReview));
        assert!(UnderReview.may_become(&ReadyForPickup));
        assert!(ReadyForPickup.may_become(&Delivered));
        assert!(!Received.may_become(&Delivered));
        assert!(!Received.may_become(&ReadyForPickup));
        assert!(!docs.may_become(&ReadyForPickup));
        for s in [
            Received,
            UnderReview,
            docs.clone(),
            ReadyForPickup,
            Delivered,
            rej.clone(),
        ] {
            assert!(!Delivered.may_become(&s));
            assert!(!rej.may_become(&s));
        }
    }

    #[test]
    fn references_and_suffixes_are_read_however_they_are_typed() {
        assert_eq!(format_reference("HEL", 2026, 4821), "HEL-26-004821");
        for typed in [
            "HEL-26-004821",
            "hel 26 004821",
            "hel26004821",
            "HEL-٢٦-٠٠٤٨٢١",
        ] {
            assert_eq!(normalize_reference(typed).as_deref(), Some("HEL-26-004821"));
        }
        for bad in [
            "",
            "H-26-004821",
            "HEL-26-0048",
            "HEL-26-0048210",
            "26-004821",
        ] {
            assert_eq!(normalize_reference(bad), None, "{bad}");
        }
        assert_eq!(normalize_suffix("٤٨٢١").as_deref(), Some("4821"));
        assert_eq!(normalize_suffix("482"), None);
        let r = sample(RequestState::Received);
        assert!(r.suffix_matches("4821") && r.suffix_matches(" ٤٨٢١"));
        assert!(!r.suffix_matches("4820"));
    }

    #[test]
    fn the_status_reads_in_both_languages_with_documents_and_reasons() {
        let name = Names::new("ترخيص بناء", "Building licence");
        let docs = sample(RequestState::NeedsDocuments {
            documents: vec!["Site plan".into(), "Owner's ID".into()],
        });
        let en = status_text(&docs, Some(&name), &Translator::new("en"), Digits::Arabic);
        assert!(en.contains("HEL-26-000042"), "{en}");
        assert!(en.contains("Building licence"), "{en}");
        assert!(en.contains("Site plan, Owner's ID"), "{en}");
        assert!(en.contains("Wednesday 9 December 2026"), "{en}");
        let ar = status_text(&docs, Some(&name), &Translator::new("ar"), Digits::Arabic);
        assert!(
            ar.contains("ترخيص بناء") && ar.contains("Site plan، Owner's ID"),
            "{ar}"
        );
        assert!(ar.contains("الأربعاء ٩ ديسمبر ٢٠٢٦"), "{ar}");
        assert_ne!(ar, en);
        let rejected = sample(RequestState::Rejected {
            reason: "Outside the district".into(),
        });
        let en = status_text(
            &rejected,
            Some(&name),
            &Translator::new("en"),
            Digits::Arabic,
        );
        assert!(
            en.contains("Outside the district") && !en.contains("December"),
            "{en}"
        );
        for s in RequestState::NAMES {
            for lang in ["ar", "en"] {
                assert!(
                    Translator::new(lang).has(&format!("request-state-{s}")),
                    "{lang} {s}"
                );
            }
        }
    }
}

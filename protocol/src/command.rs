//! The queue commands: what a client asks of the hall, and exactly what the engine
//! (`protocol/src/engine/`) decides on. One type for both, so a new command is written
//! once: a request frame whose `type` names a command (docs/protocol.md, "Queue commands")
//! parses straight into a `Command`, which the server hands to the writer unchanged.
//!
//! Two commands never come from the wire (`load_catalog`, `start_day`: the server itself
//! gives them), and one field is never on it: the ticket page's `token`, drawn by the server
//! (128 random bits) and put into the command before the engine sees it, since the engine
//! draws nothing.

use crate::model::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TransferTarget {
    Service { service: ServiceCode },
    Counter { counter: CounterId },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Front,
    Back,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// The center's configuration, given by the server at start (never from the wire).
    #[serde(skip)]
    LoadCatalog {
        catalog: Box<Catalog>,
    },
    /// A new local day, given by the server when the day changes (never from the wire).
    #[serde(skip)]
    StartDay {
        day: NaiveDate,
    },
    IssueTicket {
        service: ServiceCode,
        #[serde(default)]
        priority: Priority,
        /// Chosen by the kiosk per citizen request; a retry with the same key gets the same
        /// ticket. Required on the wire (the server refuses an empty one); empty means "no
        /// key" to the engine, for the commands the server and tests make themselves.
        idempotency_key: String,
        /// The ticket page's token: drawn by the server, never sent by a client.
        #[serde(skip)]
        token: String,
    },
    OpenCounter {
        counter: CounterId,
    },
    CloseCounter {
        counter: CounterId,
    },
    PauseCounter {
        counter: CounterId,
    },
    ResumeCounter {
        counter: CounterId,
    },
    CallNext {
        counter: CounterId,
    },
    /// Call a chosen waiting ticket out of order; the reason is recorded.
    CallTicket {
        counter: CounterId,
        ticket: TicketId,
        reason: String,
    },
    Recall {
        counter: CounterId,
    },
    NoShow {
        counter: CounterId,
    },
    StartServing {
        counter: CounterId,
    },
    /// With `request_submitted` the server gives the request its reference (any `reference`
    /// sent is refused) and `suffixes` must hold the last four digits of the citizen's phone
    /// and/or national ID (one or two), which the status page asks for.
    Finish {
        counter: CounterId,
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        suffixes: Vec<String>,
    },
    /// Move a ticket: a clerk names their counter (the ticket at it moves), a manager may move
    /// any waiting ticket.
    Transfer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        counter: Option<CounterId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket: Option<TicketId>,
        target: TransferTarget,
        position: Position,
    },
    Park {
        counter: CounterId,
        #[serde(default)]
        note: String,
    },
    ReturnParked {
        counter: CounterId,
        ticket: TicketId,
    },
    /// Staff cancel a waiting or parked ticket.
    CancelTicket {
        ticket: TicketId,
    },
    /// The citizen withdraws their own ticket from its page.
    WithdrawTicket {
        token: String,
    },
    SetServiceOpen {
        service: ServiceCode,
        open: bool,
    },
    SetCounterProfile {
        counter: CounterId,
        profile: Vec<ProfileEntry>,
    },
    SetMessage {
        text: String,
    },
    /// A kiosk reports its receipt printer's state; an event is logged only on a change.
    ReportPrinter {
        status: PrinterStatus,
        #[serde(default)]
        detail: String,
    },
    /// The back office moves a request on (`RequestState::may_become`); the pickup window
    /// marks it `delivered`. The note is kept in its history.
    SetRequestState {
        reference: String,
        state: crate::request::RequestState,
        #[serde(default)]
        note: String,
    },
    /// The citizen rates the service of their ticket from its page (1–5), once.
    GiveFeedback {
        token: String,
        rating: u8,
        #[serde(default)]
        comment: String,
    },
}

impl Command {
    /// Every command's `type` on the wire (the two the server gives itself have none).
    pub const WIRE_NAMES: [&'static str; 22] = [
        "issue_ticket",
        "open_counter",
        "close_counter",
        "pause_counter",
        "resume_counter",
        "call_next",
        "call_ticket",
        "recall",
        "no_show",
        "start_serving",
        "finish",
        "transfer",
        "park",
        "return_parked",
        "cancel_ticket",
        "withdraw_ticket",
        "set_service_open",
        "set_counter_profile",
        "set_message",
        "report_printer",
        "set_request_state",
        "give_feedback",
    ];

    /// The command's name as the wire writes its `type` (and as logs and errors name it).
    pub fn name(&self) -> &'static str {
        use Command::*;
        match self {
            LoadCatalog { .. } => "load_catalog",
            StartDay { .. } => "start_day",
            IssueTicket { .. } => "issue_ticket",
            OpenCounter { .. } => "open_counter",
            CloseCounter { .. } => "close_counter",
            PauseCounter { .. } => "pause_counter",
            ResumeCounter { .. } => "resume_counter",
            CallNext { .. } => "call_next",
            CallTicket { .. } => "call_ticket",
            Recall { .. } => "recall",
            NoShow { .. } => "no_show",
            StartServing { .. } => "start_serving",
            Finish { .. } => "finish",
            Transfer { .. } => "transfer",
            Park { .. } => "park",
            ReturnParked { .. } => "return_parked",
            CancelTicket { .. } => "cancel_ticket",
            WithdrawTicket { .. } => "withdraw_ticket",
            SetServiceOpen { .. } => "set_service_open",
            SetCounterProfile { .. } => "set_counter_profile",
            SetMessage { .. } => "set_message",
            ReportPrinter { .. } => "report_printer",
            SetRequestState { .. } => "set_request_state",
            GiveFeedback { .. } => "give_feedback",
        }
    }

    /// A finish with this outcome, no reference and no citizen's digits (what most callers
    /// send; a request handed in names its digits in `Finish` itself).
    pub fn finish(counter: CounterId, outcome: Outcome) -> Command {
        Command::Finish {
            counter,
            outcome,
            reference: None,
            suffixes: Vec::new(),
        }
    }

    /// A ticket request as a client writes it; the server adds the page token.
    pub fn issue_ticket(
        service: impl Into<ServiceCode>,
        priority: Priority,
        idempotency_key: impl Into<String>,
    ) -> Command {
        Command::IssueTicket {
            service: service.into(),
            priority,
            idempotency_key: idempotency_key.into(),
            token: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{ClientFrame, Request};
    use serde_json::{Value, json};

    /// Every command as docs/protocol.md writes it: each parses into a `Command` and writes
    /// back exactly the same object.
    const DOCUMENTED: [&str; 24] = [
        r#"{"id": 1000, "type": "issue_ticket", "service": "CIT-BIRTH", "priority": "elderly", "idempotency_key": "k1-20261122-0004"}"#,
        r#"{"id": 10, "type": "open_counter", "counter": 2}"#,
        r#"{"id": 60, "type": "close_counter", "counter": 2}"#,
        r#"{"id": 30, "type": "pause_counter", "counter": 2}"#,
        r#"{"id": 31, "type": "resume_counter", "counter": 2}"#,
        r#"{"id": 11, "type": "call_next", "counter": 2}"#,
        r#"{"id": 12, "type": "call_ticket", "counter": 2, "ticket": 58, "reason": "سيدة مسنة على كرسي متحرك"}"#,
        r#"{"id": 13, "type": "recall", "counter": 2}"#,
        r#"{"id": 14, "type": "no_show", "counter": 2}"#,
        r#"{"id": 15, "type": "start_serving", "counter": 2}"#,
        r#"{"id": 16, "type": "finish", "counter": 2, "outcome": "completed", "reference": "ش م/2026/11873"}"#,
        r#"{"id": 17, "type": "transfer", "counter": 2, "target": {"kind": "service", "service": "CIT-TAX"}, "position": "front"}"#,
        r#"{"id": 18, "type": "transfer", "ticket": 61, "target": {"kind": "counter", "counter": 3}, "position": "back"}"#,
        r#"{"id": 19, "type": "park", "counter": 2, "note": "يحضر صورة البطاقة"}"#,
        r#"{"id": 20, "type": "return_parked", "counter": 2, "ticket": 55}"#,
        r#"{"id": 70, "type": "cancel_ticket", "ticket": 61}"#,
        r#"{"id": 2, "type": "withdraw_ticket", "token": "5be0c2a79d3f41e8a6b1f07c92d4e385"}"#,
        r#"{"id": 80, "type": "set_service_open", "service": "CIT-SHOP", "open": false}"#,
        r#"{"id": 81, "type": "set_counter_profile", "counter": 1, "profile": [{"service": "CIT-BIRTH", "weight": 2.0}, {"service": "CIT-TAX", "weight": 1.0}]}"#,
        r#"{"id": 82, "type": "set_message", "text": "يرجى تجهيز صورة بطاقة الرقم القومي قبل التوجه إلى الشباك"}"#,
        r#"{"id": 1040, "type": "report_printer", "status": "paper_out", "detail": "DLE EOT 4: paper end"}"#,
        r#"{"id": 21, "type": "finish", "counter": 2, "outcome": "request_submitted", "suffixes": ["4821"]}"#,
        r#"{"id": 90, "type": "set_request_state", "reference": "HEL-26-004821", "state": {"state": "needs_documents", "documents": ["صورة عقد الإيجار"]}, "note": "ينقص عقد الإيجار"}"#,
        r#"{"id": 3, "type": "give_feedback", "token": "5be0c2a79d3f41e8a6b1f07c92d4e385", "rating": 5, "comment": "خدمة سريعة"}"#,
    ];

    #[test]
    fn every_documented_command_parses_into_a_command_and_writes_back_the_same_json() {
        let mut named = std::collections::HashSet::new();
        for text in DOCUMENTED {
            let frame: ClientFrame = serde_json::from_str(text).unwrap();
            let Request::Command(command) = &frame.request else {
                panic!("{text} is not a command: {:?}", frame.request);
            };
            let original: Value = serde_json::from_str(text).unwrap();
            assert_eq!(command.name(), original["type"], "{text}");
            assert_eq!(serde_json::to_value(&frame).unwrap(), original, "{text}");
            // A bare `Request` reads the same object (the server parses it so, id and all).
            let request: Request = serde_json::from_value(original.clone()).unwrap();
            assert_eq!(request, frame.request);
            named.insert(command.name());
        }
        let wire: std::collections::HashSet<&str> = Command::WIRE_NAMES.into_iter().collect();
        assert_eq!(named, wire, "every wire command is documented and tested");
    }

    #[test]
    fn the_page_token_is_neither_read_from_nor_written_to_the_wire() {
        let command = Command::IssueTicket {
            service: "CIT-BIRTH".into(),
            priority: Priority::Normal,
            idempotency_key: "k".into(),
            token: "secret".into(),
        };
        let written = serde_json::to_value(Request::Command(command)).unwrap();
        assert_eq!(
            written,
            json!({"type": "issue_ticket", "service": "CIT-BIRTH", "priority": "normal", "idempotency_key": "k"})
        );
        let sent = json!({"id": 1, "type": "issue_ticket", "service": "S", "idempotency_key": "k", "token": "chosen"});
        let Request::Command(Command::IssueTicket {
            token, priority, ..
        }) = serde_json::from_value(sent).unwrap()
        else {
            panic!("not an issue_ticket");
        };
        assert_eq!(token, "", "a client cannot choose its page token");
        assert_eq!(priority, Priority::Normal);
    }

    #[test]
    fn the_server_only_commands_have_no_wire_form() {
        for t in ["load_catalog", "start_day"] {
            let sent = json!({"id": 1, "type": t, "day": "2026-11-22"});
            assert!(serde_json::from_value::<Request>(sent).is_err(), "{t}");
        }
        let day = Command::StartDay {
            day: "2026-11-22".parse().unwrap(),
        };
        assert!(serde_json::to_string(&day).is_err());
    }

    #[test]
    fn a_bad_command_is_refused_with_its_own_complaint_and_other_requests_still_parse() {
        let missing = serde_json::from_value::<Request>(json!({"type": "call_next"}))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("counter"), "{missing}");
        let hello: Request =
            serde_json::from_value(json!({"type": "hello", "protocol": 2})).unwrap();
        assert!(matches!(hello, Request::Hello { protocol: 2, .. }));
        assert_eq!(hello.name(), "hello");
        let unknown = serde_json::from_value::<Request>(json!({"type": "fly"}));
        assert!(unknown.is_err());
    }
}

//! The queue commands: what a client asks of the hall, and exactly what the engine
//! (`hall-core/src/engine/`) decides on. One type for both, so a new command is written
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

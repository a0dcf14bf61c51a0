//! Frames on the websocket: JSON text, one message a frame. docs/protocol.md documents them.

use crate::event::Envelope;
use crate::manager::{AuditRow, DeviceInfo, DeviceKind, PendingPairing, Report, UserInfo};
use crate::model::*;
use crate::state::{State, TicketView};
use crate::views::LiveView;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of this protocol. A client saying another version in `hello` is refused.
/// 2 added `report_printer`, the `printer_status_changed` event and `State::printers`.
pub const PROTOCOL_VERSION: u32 = 2;
/// The largest frame the server reads; a larger one is answered with `frame_too_large`.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// The longest message line a manager may set for the boards.
pub const MAX_MESSAGE_CHARS: usize = 280;
/// The most rows one `audit` page holds.
pub const MAX_AUDIT_PAGE: u32 = 200;
/// The longest date range one report covers (days, both ends included).
pub const MAX_REPORT_DAYS: i64 = 366;

/// A request from a client. `id` is the client's own number; the reply names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientFrame {
    pub id: u64,
    #[serde(flatten)]
    pub request: Request,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Credentials {
    /// A kiosk's or board's device token.
    Device { token: String },
    /// A staff session token from `login`.
    Session { token: String },
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Not signed in: may only watch a ticket by its token.
    Citizen,
    Kiosk,
    Board,
    Clerk,
    Manager,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// The first frame on every connection.
    Hello {
        protocol: u32,
        #[serde(default)]
        client: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        auth: Option<Credentials>,
    },
    Login {
        username: String,
        password: String,
    },
    Logout,
    /// Stream the hall: a snapshot, then deltas.
    Subscribe,
    /// Stream one ticket's page view (no sign-in: the token is the key).
    WatchTicket {
        token: String,
    },
    /// Stream the signed-in user's desk (`LiveView::Desk`): their counter, its waiting list
    /// in call order, their figures today. Replaces the connection's live view.
    WatchDesk,
    IssueTicket {
        service: ServiceCode,
        #[serde(default)]
        priority: Priority,
        /// Chosen by the kiosk per citizen request; a retry with the same key gets the same ticket.
        idempotency_key: String,
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
    Finish {
        counter: CounterId,
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
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
    Ping,
    /// A device without a token asks to be paired; the reply's code is shown on its screen.
    RequestPairing {
        kind: DeviceKind,
        #[serde(default)]
        name: String,
    },
    /// Manager: the devices waiting for approval.
    ListPairings,
    /// Manager: approve the device showing `code`, registering it under `name`.
    ApprovePairing {
        code: String,
        name: String,
    },
    ListDevices,
    RevokeDevice {
        name: String,
    },
    /// Manager: the live dashboard (a live view), then `view_update` frames.
    WatchDashboard,
    ListUsers,
    CreateUser {
        username: String,
        display_name: String,
        role: Role,
    },
    ResetPassword {
        username: String,
    },
    SetUserActive {
        username: String,
        active: bool,
    },
    /// Figures of the tickets issued from `from` to `to` (center-local days, both included).
    Report {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// A page of the audit log, newest first.
    Audit {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actor: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<NaiveDate>,
        #[serde(default)]
        page: u32,
        #[serde(default = "default_page_size")]
        page_size: u32,
    },
}

fn default_page_size() -> u32 {
    50
}

impl Request {
    pub fn name(&self) -> &'static str {
        use Request::*;
        match self {
            Hello { .. } => "hello",
            Login { .. } => "login",
            Logout => "logout",
            Subscribe => "subscribe",
            WatchTicket { .. } => "watch_ticket",
            WatchDesk => "watch_desk",
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
            Ping => "ping",
            RequestPairing { .. } => "request_pairing",
            ListPairings => "list_pairings",
            ApprovePairing { .. } => "approve_pairing",
            ListDevices => "list_devices",
            RevokeDevice { .. } => "revoke_device",
            WatchDashboard => "watch_dashboard",
            ListUsers => "list_users",
            CreateUser { .. } => "create_user",
            ResetPassword { .. } => "reset_password",
            SetUserActive { .. } => "set_user_active",
            Report { .. } => "report",
            Audit { .. } => "audit",
        }
    }
}

/// What a kiosk prints and shows after issuing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketReceipt {
    pub id: TicketId,
    pub label: String,
    pub service: ServiceCode,
    pub service_name: Names,
    pub priority: Priority,
    pub issued_at: Timestamp,
    /// The citizen's page token (for the QR code).
    pub token: String,
    pub people_ahead: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_secs: Option<u64>,
    pub documents: Vec<Names>,
    pub center_name: Names,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReplyBody {
    Welcome {
        protocol: u32,
        server: String,
        role: Role,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user: Option<String>,
        center: Names,
    },
    Session {
        token: String,
        role: Role,
        username: String,
        display_name: String,
        expires_at: Timestamp,
    },
    Ticket {
        ticket: Box<TicketReceipt>,
    },
    Called {
        ticket: TicketId,
        label: String,
        counter: CounterId,
        seq: u64,
    },
    /// A command was carried out; `seq` is the log position after it (unchanged if the
    /// command changed nothing).
    Done {
        seq: u64,
    },
    Subscribed {
        seq: u64,
    },
    Watching {
        view: Box<TicketView>,
    },
    /// The first state of a live view (`watch_desk`); `view_update` frames follow.
    View {
        view: Box<LiveView>,
    },
    Pong,
    /// `request_pairing`: show this code; the token follows in a `paired` frame.
    Pairing {
        code: String,
        expires_at: Timestamp,
    },
    Pairings {
        pending: Vec<PendingPairing>,
    },
    /// `approve_pairing`: the device now registered (its token went to the device only).
    Device {
        device: DeviceInfo,
    },
    Devices {
        devices: Vec<DeviceInfo>,
    },
    Users {
        users: Vec<UserInfo>,
    },
    /// `create_user`, `reset_password`: the new password, shown this once.
    Password {
        username: String,
        password: String,
    },
    Report {
        report: Box<Report>,
    },
    Audit {
        rows: Vec<AuditRow>,
        total: u64,
        page: u32,
        page_size: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadFrame,
    FrameTooLarge,
    HelloRequired,
    UnsupportedVersion,
    Unauthenticated,
    Forbidden,
    BadCredentials,
    SessionExpired,
    UnknownService,
    UnknownCounter,
    UnknownTicket,
    ServiceClosed,
    OutsideHours,
    DailyLimitReached,
    CounterClosed,
    CounterBusy,
    CounterNotYours,
    ClerkHasCounter,
    CounterHasParked,
    QueueEmpty,
    WrongTicketState,
    ReasonRequired,
    InvalidProfile,
    MessageTooLong,
    TicketClosed,
    UnknownPairing,
    UnknownDevice,
    UnknownUser,
    UserExists,
    InvalidName,
    InvalidRange,
    StorageFailure,
    ShuttingDown,
    ConnectionLost,
    NotConnected,
    Internal,
}

impl ErrorCode {
    /// Every code (for translation checks). Add a new code here and in `as_str`.
    pub const ALL: [ErrorCode; 36] = [
        ErrorCode::BadFrame,
        ErrorCode::FrameTooLarge,
        ErrorCode::HelloRequired,
        ErrorCode::UnsupportedVersion,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::BadCredentials,
        ErrorCode::SessionExpired,
        ErrorCode::UnknownService,
        ErrorCode::UnknownCounter,
        ErrorCode::UnknownTicket,
        ErrorCode::ServiceClosed,
        ErrorCode::OutsideHours,
        ErrorCode::DailyLimitReached,
        ErrorCode::CounterClosed,
        ErrorCode::CounterBusy,
        ErrorCode::CounterNotYours,
        ErrorCode::ClerkHasCounter,
        ErrorCode::CounterHasParked,
        ErrorCode::QueueEmpty,
        ErrorCode::WrongTicketState,
        ErrorCode::ReasonRequired,
        ErrorCode::InvalidProfile,
        ErrorCode::MessageTooLong,
        ErrorCode::TicketClosed,
        ErrorCode::UnknownPairing,
        ErrorCode::UnknownDevice,
        ErrorCode::UnknownUser,
        ErrorCode::UserExists,
        ErrorCode::InvalidName,
        ErrorCode::InvalidRange,
        ErrorCode::StorageFailure,
        ErrorCode::ShuttingDown,
        ErrorCode::ConnectionLost,
        ErrorCode::NotConnected,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        // The serde name, without allocating through serde_json.
        match self {
            ErrorCode::BadFrame => "bad_frame",
            ErrorCode::FrameTooLarge => "frame_too_large",
            ErrorCode::HelloRequired => "hello_required",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::BadCredentials => "bad_credentials",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::UnknownService => "unknown_service",
            ErrorCode::UnknownCounter => "unknown_counter",
            ErrorCode::UnknownTicket => "unknown_ticket",
            ErrorCode::ServiceClosed => "service_closed",
            ErrorCode::OutsideHours => "outside_hours",
            ErrorCode::DailyLimitReached => "daily_limit_reached",
            ErrorCode::CounterClosed => "counter_closed",
            ErrorCode::CounterBusy => "counter_busy",
            ErrorCode::CounterNotYours => "counter_not_yours",
            ErrorCode::ClerkHasCounter => "clerk_has_counter",
            ErrorCode::CounterHasParked => "counter_has_parked",
            ErrorCode::QueueEmpty => "queue_empty",
            ErrorCode::WrongTicketState => "wrong_ticket_state",
            ErrorCode::ReasonRequired => "reason_required",
            ErrorCode::InvalidProfile => "invalid_profile",
            ErrorCode::MessageTooLong => "message_too_long",
            ErrorCode::TicketClosed => "ticket_closed",
            ErrorCode::UnknownPairing => "unknown_pairing",
            ErrorCode::UnknownDevice => "unknown_device",
            ErrorCode::UnknownUser => "unknown_user",
            ErrorCode::UserExists => "user_exists",
            ErrorCode::InvalidName => "invalid_name",
            ErrorCode::InvalidRange => "invalid_range",
            ErrorCode::StorageFailure => "storage_failure",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::ConnectionLost => "connection_lost",
            ErrorCode::NotConnected => "not_connected",
            ErrorCode::Internal => "internal",
        }
    }
}

impl ErrorCode {
    /// The request may not have reached the server, or the server could not keep it: asking
    /// again with the same idempotency key is safe and may succeed. Every other code is the
    /// server's considered answer.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::NotConnected
                | ErrorCode::ConnectionLost
                | ErrorCode::ShuttingDown
                | ErrorCode::StorageFailure
        )
    }
}

/// An error answer: a stable code for programs (clients translate it) and an English
/// sentence for logs and people reading the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The answer to a request; exactly one of `ok` and `error` is present. `id` is null
    /// only when the request was too malformed to carry one.
    Reply {
        id: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ok: Option<ReplyBody>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<ErrorBody>,
    },
    /// The whole hall at `state.seq`. Sent after `subscribe`, and again if the client lagged.
    Snapshot { state: Box<State> },
    /// Events after the last snapshot or delta, in order, with consecutive `seq`.
    Delta { events: Vec<Envelope> },
    /// A watched ticket's page changed.
    TicketUpdate { view: Box<TicketView> },
    /// A manager approved this connection's pairing request: from now on it is this device,
    /// and it keeps `token` to say hello with.
    Paired {
        token: String,
        name: String,
        role: Role,
    },
    /// The connection's live view changed.
    ViewUpdate { view: Box<LiveView> },
}

impl ServerFrame {
    pub fn reply(id: Option<u64>, result: Result<ReplyBody, ErrorBody>) -> ServerFrame {
        match result {
            Ok(body) => ServerFrame::Reply {
                id,
                ok: Some(body),
                error: None,
            },
            Err(e) => ServerFrame::Reply {
                id,
                ok: None,
                error: Some(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_names_match_their_wire_form_and_all_lists_every_code() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let wire = serde_json::to_string(&code).unwrap();
            assert_eq!(wire, format!("\"{}\"", code.as_str()));
            assert!(seen.insert(code.as_str()));
        }
        // A code missing from ALL would still parse from its name: check a round trip of
        // every name we know against ALL's length via the serde names of the enum.
        assert_eq!(seen.len(), ErrorCode::ALL.len());
    }
}

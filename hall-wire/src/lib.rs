//! The wire: frames on the websocket (JSON text, one message a frame; docs/protocol.md
//! documents them), the views staff and devices watch (`views`, `manager`), the national
//! network's message (`network`), the start-up file a center writes (`startup`) and the
//! center's own file (`center_file`). Built on the hall's core (`hall_core`) and the queue
//! model (`hall_forecast`); no I/O and no clock.

pub mod center_file;
pub mod manager;
pub mod network;
pub mod startup;
pub mod views;

use crate::manager::{AuditRow, DeviceInfo, DeviceKind, PendingPairing, UserInfo};
use crate::views::LiveView;
use chrono::NaiveDate;
use hall_core::command::Command;
use hall_core::error::ErrorBody;
use hall_core::event::Envelope;
use hall_core::kpi::Report;
use hall_core::model::*;
use hall_core::role::Role;
use hall_core::state::State;
use hall_forecast::estimates::TicketView;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Version of this protocol. A client saying another version in `hello` is refused.
/// 2 added `report_printer`, the `printer_status_changed` event and `State::printers`.
pub const PROTOCOL_VERSION: u32 = 2;
/// The largest frame the server reads; a larger one is answered with `frame_too_large`.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
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

/// A request. Queue commands (`Request::Command`) are their own type, shared with the engine
/// (`command.rs`); the rest are the connection's own business (hello, sign-in, streams) and
/// the manager's administration. On the wire all are one flat object tagged by `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "type", rename_all = "snake_case")]
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
    /// Kiosk (or manager): the queue model's figures per service (`LiveView::Estimates`),
    /// then `view_update` frames as they are recomputed.
    WatchEstimates,
    /// Manager: the staffing advisor's advice for keeping waits under `target_minutes`.
    StaffingAdvice {
        target_minutes: u32,
    },
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
    /// Leave a phone number for text messages about an open ticket (near its turn, called),
    /// in `lang`: with the ticket's page `token` (anyone holding it: the ticket page, the kiosk
    /// that issued it) or its `ticket` id (a clerk or manager). The number is kept outside the
    /// log and never sent back: the reply shows its last two digits.
    LeavePhone {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket: Option<TicketId>,
        phone: String,
        #[serde(default)]
        lang: String,
    },
    /// Back office (or manager): every request the center follows (not final, or final in the
    /// last `REQUEST_KEEP_DAYS`), without the citizens' suffixes.
    ListRequests,
    /// Back office, manager, clerk: one request by its reference (as typed).
    FindRequest {
        reference: String,
    },
    /// Kiosk (the follow screen): a request's status, given the last four digits of the
    /// citizen's phone or national ID. Wrong digits are refused (`wrong_suffix`) and limited
    /// (`too_many_attempts`), like the `/r` page.
    RequestStatus {
        reference: String,
        suffix: String,
    },
    /// Clerk or manager: print a request's slip on `counter`'s receipt printer (the
    /// counter's `printer` in the center's file), in `lang`. `base` is the address the
    /// console reached the server at: the QR code's, when the center has no public address.
    /// A counter without a printer answers `no_printer`.
    PrintSlip {
        reference: String,
        counter: CounterId,
        #[serde(default)]
        lang: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base: Option<String>,
    },
    /// A queue command, for the engine. Written without a tag of its own: its `type` is
    /// the command's.
    #[serde(skip)]
    Command(Command),
}

impl From<Command> for Request {
    fn from(command: Command) -> Request {
        Request::Command(command)
    }
}

// The derive (with `remote = "Self"`) writes the inherent `Request::serialize` and
// `Request::deserialize` for every variant but `Command`; these impls route a command's
// `type` to `Command` and the rest to them, so a bad command frame is refused with the
// command's own complaint (a missing field, say) rather than a generic one.
impl Serialize for Request {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Request::Command(command) => command.serialize(serializer),
            other => Request::serialize(other, serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Request, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        let is_command = value
            .get("type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| Command::WIRE_NAMES.contains(&t));
        if is_command {
            Command::deserialize(value)
                .map(Request::Command)
                .map_err(D::Error::custom)
        } else {
            Request::deserialize(value).map_err(D::Error::custom)
        }
    }
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
            Ping => "ping",
            RequestPairing { .. } => "request_pairing",
            ListPairings => "list_pairings",
            ApprovePairing { .. } => "approve_pairing",
            ListDevices => "list_devices",
            RevokeDevice { .. } => "revoke_device",
            WatchDashboard => "watch_dashboard",
            WatchEstimates => "watch_estimates",
            StaffingAdvice { .. } => "staffing_advice",
            ListUsers => "list_users",
            CreateUser { .. } => "create_user",
            ResetPassword { .. } => "reset_password",
            SetUserActive { .. } => "set_user_active",
            Report { .. } => "report",
            Audit { .. } => "audit",
            LeavePhone { .. } => "leave_phone",
            ListRequests => "list_requests",
            FindRequest { .. } => "find_request",
            RequestStatus { .. } => "request_status",
            PrintSlip { .. } => "print_slip",
            Command(command) => command.name(),
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
    /// The 10th and 90th percentiles of the wait (the receipt prints "15–25 min").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_low_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_high_secs: Option<u64>,
    pub documents: Vec<Names>,
    pub center_name: Names,
    /// The service's fee in piasters (0: free); absent from older servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_piasters: Option<u64>,
    /// The ticket page at the center's public address (`[access] public_url`): what the QR
    /// encodes. Absent when the center has none; the kiosk then falls back to its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
}

impl TicketReceipt {
    /// The wait with its range, as the model gave it at issue.
    pub fn wait(&self) -> Option<hall_forecast::WaitRange> {
        let expected = self.estimated_wait_secs?;
        Some(hall_forecast::WaitRange {
            ahead: self.people_ahead,
            expected_secs: expected,
            low_secs: self.wait_low_secs.unwrap_or(expected),
            high_secs: self.wait_high_secs.unwrap_or(expected),
        })
    }
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
        /// The center sends text messages (`leave_phone` is answered); absent: it does not.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        sms: bool,
        /// The center's time zone (IANA): pages show every time in it, not in the device's.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        timezone: String,
        /// How the center writes numbers in Arabic (`hall_core::format`).
        #[serde(default)]
        digits: hall_core::Digits,
        /// The address citizens' phones reach the center at (`[access] public_url`): the
        /// receipt's QR and every link to a citizen use it. Absent: not set up.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public_url: Option<String>,
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
    /// `leave_phone`: the number kept, as it may be shown (`•••• 78`).
    PhoneKept {
        masked: String,
    },
    Watching {
        view: Box<TicketView>,
    },
    /// The first state of a live view (`watch_desk`); `view_update` frames follow.
    View {
        view: Box<LiveView>,
    },
    /// The answer to `staffing_advice`.
    Advice {
        advice: Box<hall_forecast::advisor::StaffingAdvice>,
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
        /// Every `kind` a line of the log may have (events, then account and device
        /// actions), for the page's filter: the server's list, so none is missing there.
        #[serde(default)]
        kinds: Vec<String>,
    },
    /// `print_slip`: whether the slip came out, and the printer's state after (`detail`
    /// for technicians when it is off-line).
    SlipPrinted {
        printed: bool,
        status: hall_core::PrinterStatus,
        #[serde(default)]
        detail: String,
    },
    /// `finish` with `request_submitted`: the receipt to print or hand over.
    RequestReceipt {
        receipt: Box<hall_core::request::RequestReceipt>,
    },
    /// `list_requests`; `today` is the center's local day (what "overdue" is measured from).
    Requests {
        requests: Vec<hall_core::request::StaffRequest>,
        today: NaiveDate,
    },
    /// `find_request`.
    Request {
        request: Box<hall_core::request::StaffRequest>,
        today: NaiveDate,
    },
    /// `request_status`.
    RequestStatus {
        status: Box<hall_core::request::RequestStatusView>,
    },
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

/// `ServerFrame::Delta` as it serializes, over borrowed events (`ServerFrame::delta_json`).
#[derive(Serialize)]
#[serde(tag = "type", rename = "delta")]
struct DeltaRef<'a> {
    events: &'a [Envelope],
}

impl ServerFrame {
    /// The JSON of `ServerFrame::Delta { events }` without copying the events: the writer
    /// serializes each batch once and keeps the events for its in-process consumers.
    pub fn delta_json(events: &[Envelope]) -> String {
        serde_json::to_string(&DeltaRef { events }).expect("frames serialize")
    }

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
mod command_frames;

#[cfg(test)]
mod tests {
    use super::*;
    use hall_core::event::Event;

    #[test]
    fn a_delta_written_from_borrowed_events_is_the_delta_frame_byte_for_byte() {
        let at = chrono::DateTime::from_timestamp_millis(1_796_000_000_123).unwrap();
        let events = vec![
            Envelope {
                seq: 7,
                at,
                actor: "system".into(),
                event: Event::DayStarted {
                    day: at.date_naive(),
                },
            },
            Envelope {
                seq: 8,
                at,
                actor: "clerk:mona".into(),
                event: Event::CounterOpened {
                    counter: 3,
                    clerk: "mona".into(),
                },
            },
        ];
        let json = ServerFrame::delta_json(&events);
        let frame = ServerFrame::Delta { events };
        assert_eq!(json, serde_json::to_string(&frame).unwrap());
        assert_eq!(serde_json::from_str::<ServerFrame>(&json).unwrap(), frame);
    }
}

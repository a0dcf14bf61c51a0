//! The state of a hall: the catalog in force, the day, the services' queues, counters, open
//! tickets, today's closed ones, printers and the boards' message; and what the public (a
//! client's copy) leaves out.

use super::tickets::Tickets;
use crate::model::*;
use crate::request::ServiceRequest;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A service as the hall runs it: its catalog entry plus today's counters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceQueue {
    pub service: Service,
    /// The last number issued today (0 before the first).
    pub last_number: u32,
    pub issued_today: u32,
    /// Observed seconds a counter spends per ticket (moving average, seeded from the catalog).
    pub avg_service_secs: f64,
}

/// A ticket that left the queue today, kept so its page can still tell the citizen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClosedTicket {
    pub id: TicketId,
    pub label: String,
    pub service: ServiceCode,
    pub state: TicketState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<CounterId>,
    pub issued_at: Timestamp,
    pub closed_at: Timestamp,
    #[serde(default)]
    pub token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Finished as `request_submitted`: `reference` is the request's (its status page).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub request: bool,
    /// The citizen's rating (1–5) once they gave it from the page (`feedback_given`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Sequence number of the last event applied.
    pub seq: u64,
    pub day: Option<NaiveDate>,
    /// The catalog as last loaded from configuration (live changes are in `services`/`counters`).
    pub catalog: Option<Box<Catalog>>,
    #[serde(with = "keyed")]
    pub services: BTreeMap<ServiceCode, ServiceQueue>,
    #[serde(with = "keyed")]
    pub counters: BTreeMap<CounterId, Counter>,
    /// Tickets still in the hall: waiting, called, serving or parked (with the routing's
    /// index; see `tickets.rs`).
    pub tickets: Tickets,
    /// Whether this state records `closed_today`. The server's does (ticket pages of finished
    /// tickets); a client's does not: its snapshot would otherwise grow with every ticket of
    /// the day. False in snapshots sent to clients, so their `apply` skips it too.
    #[serde(default = "yes")]
    pub keeps_closed: bool,
    /// Tickets that ended today (server only, see `keeps_closed`).
    #[serde(default, with = "keyed")]
    pub closed_today: BTreeMap<TicketId, ClosedTicket>,
    pub next_ticket_id: u64,
    /// "issuer\u{1f}key" → the ticket and what it was asked for, for today (a retry must ask
    /// for the same). Empty in snapshots sent to clients.
    #[serde(default)]
    pub idempotency: HashMap<String, KeyedIssue>,
    /// Ticket-page token → ticket, for today. Empty in snapshots sent to clients.
    #[serde(default)]
    pub tokens: HashMap<String, TicketId>,
    /// The scrolling line a manager sets for the boards.
    #[serde(default)]
    pub message: String,
    /// Each kiosk's printer, by device name, once it has reported a fault (public: the manager
    /// console and boards show which kiosk is out of paper).
    #[serde(default, with = "keyed")]
    pub printers: BTreeMap<String, PrinterReport>,
    /// Requests handed in at the windows, by reference: every one not final, and final ones
    /// for `REQUEST_KEEP_DAYS` after their last change (server only, like `closed_today`:
    /// recorded when `keeps_closed`). They outlive the day.
    #[serde(default, with = "keyed")]
    pub requests: BTreeMap<String, ServiceRequest>,
    /// The last request number given in each year (references restart at 1 each year; server
    /// only).
    #[serde(default)]
    pub request_numbers: BTreeMap<i32, u32>,
}

/// How long a delivered or rejected request stays in the state (its page, the back office)
/// after its last change. The log keeps it for reports.
pub const REQUEST_KEEP_DAYS: i64 = 90;

fn yes() -> bool {
    true
}

impl Default for State {
    /// An empty server state (it keeps closed tickets).
    fn default() -> State {
        State {
            seq: 0,
            day: None,
            catalog: None,
            services: BTreeMap::new(),
            counters: BTreeMap::new(),
            tickets: Tickets::default(),
            keeps_closed: true,
            closed_today: BTreeMap::new(),
            next_ticket_id: 0,
            idempotency: HashMap::new(),
            tokens: HashMap::new(),
            message: String::new(),
            printers: BTreeMap::new(),
            requests: BTreeMap::new(),
            request_numbers: BTreeMap::new(),
        }
    }
}

/// Maps keyed by a field of their values travel as JSON arrays of the values.
pub trait Keyed {
    type Key: Ord;
    fn key(&self) -> Self::Key;
}

impl Keyed for ServiceQueue {
    type Key = ServiceCode;
    fn key(&self) -> ServiceCode {
        self.service.code.clone()
    }
}
impl Keyed for Counter {
    type Key = CounterId;
    fn key(&self) -> CounterId {
        self.id
    }
}
impl Keyed for Ticket {
    type Key = TicketId;
    fn key(&self) -> TicketId {
        self.id
    }
}
impl Keyed for PrinterReport {
    type Key = String;
    fn key(&self) -> String {
        self.device.clone()
    }
}
impl Keyed for ServiceRequest {
    type Key = String;
    fn key(&self) -> String {
        self.reference.clone()
    }
}
impl Keyed for ClosedTicket {
    type Key = TicketId;
    fn key(&self) -> TicketId {
        self.id
    }
}

mod keyed {
    use super::Keyed;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<K, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.values())
    }

    pub fn deserialize<'de, V, D>(d: D) -> Result<BTreeMap<V::Key, V>, D::Error>
    where
        V: Keyed + Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<V>::deserialize(d)?
            .into_iter()
            .map(|v| (v.key(), v))
            .collect())
    }
}

/// What an idempotency key was first used for: a retry with the same key must name the same
/// service and priority (`key_conflict` otherwise). The service is the one issued for, even
/// after a transfer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyedIssue {
    pub ticket: TicketId,
    pub service: ServiceCode,
    pub priority: Priority,
}

pub fn idempotency_slot(issuer: &str, key: &str) -> String {
    format!("{issuer}\u{1f}{key}")
}

impl State {
    /// The state as a client may see it: no ticket-page tokens, no per-device request keys,
    /// no closed tickets, no requests. `public()` of the state after an event equals `public()` of the
    /// state before with the event's `redacted()` form applied (property-tested).
    pub fn public(&self) -> State {
        State {
            seq: self.seq,
            day: self.day,
            catalog: self.catalog.clone(),
            services: self.services.clone(),
            counters: self.counters.clone(),
            tickets: self.tickets.values().map(Ticket::public).collect(),
            keeps_closed: false,
            closed_today: BTreeMap::new(),
            next_ticket_id: self.next_ticket_id,
            idempotency: HashMap::new(),
            tokens: HashMap::new(),
            message: self.message.clone(),
            printers: self.printers.clone(),
            requests: BTreeMap::new(),
            request_numbers: BTreeMap::new(),
        }
    }

    /// A request by its reference as typed (normalized first).
    pub fn request(&self, typed: &str) -> Option<&ServiceRequest> {
        self.requests
            .get(&crate::request::normalize_reference(typed)?)
    }

    pub fn priority_weights(&self) -> PriorityWeights {
        self.catalog
            .as_ref()
            .map(|c| c.priority_weights)
            .unwrap_or_default()
    }

    pub fn routing(&self) -> Routing {
        self.catalog.as_ref().map(|c| c.routing).unwrap_or_default()
    }

    pub fn center_name(&self) -> Names {
        self.catalog
            .as_ref()
            .map(|c| c.center.name.clone())
            .unwrap_or_default()
    }

    /// How the center writes numbers in Arabic (its catalog's `digits`; the default before
    /// a catalog is in).
    pub fn digits(&self) -> crate::model::Digits {
        self.catalog
            .as_ref()
            .map(|c| c.center.digits)
            .unwrap_or_default()
    }

    /// Finds a ticket, open or closed today, by its page token.
    pub fn ticket_by_token(&self, token: &str) -> Option<TicketId> {
        self.tokens.get(token).copied()
    }
}

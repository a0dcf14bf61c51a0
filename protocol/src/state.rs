//! The state of a hall, how events change it (`apply`), and what is derived from it: the
//! routing order, people ahead and estimated waits.
//!
//! The server and every client run this same code: a client that applies the deltas it
//! receives to its snapshot holds exactly the server's state, and computes the same estimates.

use crate::event::{Envelope, Event};
use crate::model::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// Weight of a new observation in the service-time average.
const SERVICE_TIME_ALPHA: f64 = 0.2;

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
    /// Tickets still in the hall: waiting, called, serving or parked.
    #[serde(with = "keyed")]
    pub tickets: BTreeMap<TicketId, Ticket>,
    /// Whether this state records `closed_today`. The server's does (ticket pages of finished
    /// tickets); a client's does not: its snapshot would otherwise grow with every ticket of
    /// the day. False in snapshots sent to clients, so their `apply` skips it too.
    #[serde(default = "yes")]
    pub keeps_closed: bool,
    /// Tickets that ended today (server only, see `keeps_closed`).
    #[serde(default, with = "keyed")]
    pub closed_today: BTreeMap<TicketId, ClosedTicket>,
    pub next_ticket_id: u64,
    /// "issuer\u{1f}key" → ticket, for today. Empty in snapshots sent to clients.
    #[serde(default)]
    pub idempotency: HashMap<String, TicketId>,
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
}

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
            tickets: BTreeMap::new(),
            keeps_closed: true,
            closed_today: BTreeMap::new(),
            next_ticket_id: 0,
            idempotency: HashMap::new(),
            tokens: HashMap::new(),
            message: String::new(),
            printers: BTreeMap::new(),
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

pub fn idempotency_slot(issuer: &str, key: &str) -> String {
    format!("{issuer}\u{1f}{key}")
}

impl State {
    /// The state as a client may see it: no ticket-page tokens, no per-device request keys,
    /// no closed tickets. `public()` of the state after an event equals `public()` of the
    /// state before with the event's `redacted()` form applied (property-tested).
    pub fn public(&self) -> State {
        let mut tickets = self.tickets.clone();
        for t in tickets.values_mut() {
            t.token.clear();
            t.idempotency_key = None;
        }
        State {
            seq: self.seq,
            day: self.day,
            catalog: self.catalog.clone(),
            services: self.services.clone(),
            counters: self.counters.clone(),
            tickets,
            keeps_closed: false,
            closed_today: BTreeMap::new(),
            next_ticket_id: self.next_ticket_id,
            idempotency: HashMap::new(),
            tokens: HashMap::new(),
            message: self.message.clone(),
            printers: self.printers.clone(),
        }
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

    /// Finds a ticket, open or closed today, by its page token.
    pub fn ticket_by_token(&self, token: &str) -> Option<TicketId> {
        self.tokens.get(token).copied()
    }
}

/// Applies one logged event. Never fails: `decide` has already checked it; an event that
/// names something missing (a damaged log) changes nothing.
pub fn apply(state: &mut State, env: &Envelope) {
    let at = env.at;
    match &env.event {
        Event::CatalogLoaded { catalog } => {
            let mut services = BTreeMap::new();
            for s in &catalog.services {
                let q = match state.services.remove(&s.code) {
                    Some(mut q) => {
                        q.service = s.clone();
                        q
                    }
                    None => ServiceQueue {
                        service: s.clone(),
                        last_number: 0,
                        issued_today: 0,
                        avg_service_secs: f64::from(s.expected_minutes.max(1)) * 60.0,
                    },
                };
                services.insert(s.code.clone(), q);
            }
            state.services = services;
            let mut counters = BTreeMap::new();
            for c in &catalog.counters {
                let counter = match state.counters.remove(&c.id) {
                    Some(mut k) => {
                        k.name = c.name.clone();
                        k.profile = c.profile.clone();
                        k
                    }
                    None => Counter {
                        id: c.id,
                        name: c.name.clone(),
                        profile: c.profile.clone(),
                        state: CounterState::Closed,
                        clerk: None,
                        ticket: None,
                    },
                };
                counters.insert(c.id, counter);
            }
            state.counters = counters;
            state.catalog = Some(catalog.clone());
        }
        Event::DayStarted { day } => {
            state.day = Some(*day);
            for q in state.services.values_mut() {
                q.last_number = 0;
                q.issued_today = 0;
            }
            state.closed_today.clear();
            state.idempotency.clear();
            state.tokens.clear();
        }
        Event::TicketIssued { ticket } => {
            if let Some(q) = state.services.get_mut(&ticket.service) {
                q.last_number = q.last_number.max(ticket.number);
                q.issued_today += 1;
            }
            state.next_ticket_id = state.next_ticket_id.max(ticket.id.0 + 1);
            if let Some(key) = &ticket_key(ticket) {
                state.idempotency.insert(key.clone(), ticket.id);
            }
            if !ticket.token.is_empty() {
                state.tokens.insert(ticket.token.clone(), ticket.id);
            }
            state.tickets.insert(ticket.id, (**ticket).clone());
        }
        Event::TicketCalled {
            ticket, counter, ..
        } => {
            if let Some(t) = state.tickets.get_mut(ticket) {
                t.state = TicketState::Called;
                t.counter = Some(*counter);
                t.called_at = Some(at);
                t.first_called_at.get_or_insert(at);
                t.front = false;
                t.assigned_counter = None;
            }
            set_counter(state, *counter, CounterState::Calling, Some(*ticket));
        }
        Event::TicketRecalled { ticket, .. } => {
            if let Some(t) = state.tickets.get_mut(ticket) {
                t.recalls += 1;
            }
        }
        Event::ServiceStarted { ticket, counter } => {
            if let Some(t) = state.tickets.get_mut(ticket) {
                t.state = TicketState::Serving;
                t.serving_at = Some(at);
            }
            set_counter(state, *counter, CounterState::Serving, Some(*ticket));
        }
        Event::TicketFinished {
            ticket,
            counter,
            reference,
            ..
        } => {
            if let Some(t) = state.tickets.get(ticket)
                && let (Some(called), Some(q)) = (t.called_at, state.services.get_mut(&t.service))
            {
                let secs = (at - called).num_milliseconds().max(0) as f64 / 1000.0;
                q.avg_service_secs += SERVICE_TIME_ALPHA * (secs - q.avg_service_secs);
            }
            close_ticket(state, *ticket, TicketState::Done, at, reference.clone());
            set_counter(state, *counter, CounterState::Idle, None);
        }
        Event::TicketNoShow { ticket, counter } => {
            close_ticket(state, *ticket, TicketState::NoShow, at, None);
            set_counter(state, *counter, CounterState::Idle, None);
        }
        Event::TicketCancelled { ticket, .. } => {
            let held_by = state.tickets.get(ticket).and_then(|t| t.counter);
            close_ticket(state, *ticket, TicketState::Cancelled, at, None);
            if let Some(c) = held_by
                && state.counters.get(&c).and_then(|k| k.ticket) == Some(*ticket)
            {
                set_counter(state, c, CounterState::Idle, None);
            }
        }
        Event::TicketTransferred {
            ticket,
            from_counter,
            to_service,
            to_counter,
            front,
        } => {
            if let Some(t) = state.tickets.get_mut(ticket) {
                t.state = TicketState::Waiting;
                t.service = to_service.clone();
                t.assigned_counter = *to_counter;
                t.front = *front;
                t.enqueued_at = at;
                t.counter = None;
                t.called_at = None;
                t.serving_at = None;
                t.transfers += 1;
            }
            if let Some(c) = from_counter {
                set_counter(state, *c, CounterState::Idle, None);
            }
        }
        Event::TicketParked {
            ticket, counter, ..
        } => {
            if let Some(t) = state.tickets.get_mut(ticket) {
                t.state = TicketState::Parked;
                t.counter = Some(*counter);
            }
            set_counter(state, *counter, CounterState::Idle, None);
        }
        Event::TicketReturned { ticket, counter } => {
            if let Some(t) = state.tickets.get_mut(ticket) {
                t.state = TicketState::Called;
                t.counter = Some(*counter);
                t.called_at = Some(at);
            }
            set_counter(state, *counter, CounterState::Calling, Some(*ticket));
        }
        Event::CounterOpened { counter, clerk } => {
            if let Some(c) = state.counters.get_mut(counter) {
                c.state = CounterState::Idle;
                c.clerk = Some(clerk.clone());
                c.ticket = None;
            }
        }
        Event::CounterClosed { counter } => {
            if let Some(c) = state.counters.get_mut(counter) {
                c.state = CounterState::Closed;
                c.clerk = None;
                c.ticket = None;
            }
        }
        Event::CounterPaused { counter } => {
            set_counter_state(state, *counter, CounterState::Paused);
        }
        Event::CounterResumed { counter } => {
            set_counter_state(state, *counter, CounterState::Idle);
        }
        Event::ServiceAvailabilitySet { service, open } => {
            if let Some(q) = state.services.get_mut(service) {
                q.service.open = *open;
            }
        }
        Event::CounterProfileSet { counter, profile } => {
            if let Some(c) = state.counters.get_mut(counter) {
                c.profile = profile.clone();
            }
        }
        Event::MessageSet { text } => state.message = text.clone(),
        Event::PrinterStatusChanged {
            device,
            status,
            detail,
        } => {
            state.printers.insert(
                device.clone(),
                PrinterReport {
                    device: device.clone(),
                    status: *status,
                    detail: detail.clone(),
                    since: at,
                },
            );
        }
    }
    state.seq = env.seq;
}

fn ticket_key(ticket: &Ticket) -> Option<String> {
    ticket
        .idempotency_key
        .as_ref()
        .map(|k| idempotency_slot(&ticket.issuer, k))
}

fn set_counter(state: &mut State, id: CounterId, cs: CounterState, ticket: Option<TicketId>) {
    if let Some(c) = state.counters.get_mut(&id) {
        c.state = cs;
        c.ticket = ticket;
    }
}

fn set_counter_state(state: &mut State, id: CounterId, cs: CounterState) {
    if let Some(c) = state.counters.get_mut(&id) {
        c.state = cs;
    }
}

fn close_ticket(
    state: &mut State,
    id: TicketId,
    final_state: TicketState,
    at: Timestamp,
    reference: Option<String>,
) {
    if let Some(t) = state.tickets.remove(&id)
        && state.keeps_closed
    {
        state.closed_today.insert(
            id,
            ClosedTicket {
                id,
                label: t.label,
                service: t.service,
                state: final_state,
                counter: t.counter,
                issued_at: t.issued_at,
                closed_at: at,
                token: t.token,
                reference,
            },
        );
    }
}

// ---------------------------------------------------------------------------------------
// Routing order
// ---------------------------------------------------------------------------------------

/// Where a waiting ticket stands in a counter's (or its service's) queue at an instant.
#[derive(Clone, Copy, Debug)]
struct Rank {
    front: bool,
    overdue: bool,
    score: f64,
    enqueued_at: Timestamp,
    id: TicketId,
}

fn rank(
    t: &Ticket,
    service_weight: f64,
    weights: &PriorityWeights,
    routing: &Routing,
    now: Timestamp,
) -> Rank {
    let waited = (now - t.enqueued_at).num_milliseconds().max(0) as f64 / 1000.0;
    let limit = f64::from(routing.starvation_limit_minutes) * 60.0;
    Rank {
        front: t.front,
        overdue: waited >= limit,
        score: (waited + f64::from(routing.head_start_seconds))
            * weights.of(t.priority)
            * service_weight,
        enqueued_at: t.enqueued_at,
        id: t.id,
    }
}

/// The routing rule (see ARCHITECTURE.md): front-placed transfers first, oldest first; then
/// overdue tickets, oldest first; then the highest weighted wait; ties to the oldest.
fn called_before(a: &Rank, b: &Rank) -> Ordering {
    b.front
        .cmp(&a.front)
        .then_with(|| {
            if a.front || (a.overdue && b.overdue) {
                Ordering::Equal
            } else {
                b.overdue.cmp(&a.overdue)
            }
        })
        .then_with(|| {
            if a.front || a.overdue {
                Ordering::Equal
            } else {
                b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal)
            }
        })
        .then_with(|| a.enqueued_at.cmp(&b.enqueued_at))
        .then_with(|| a.id.cmp(&b.id))
}

/// Whether a counter may call a waiting ticket, and with what service weight.
fn eligible_weight(counter: &Counter, t: &Ticket) -> Option<f64> {
    if t.state != TicketState::Waiting {
        return None;
    }
    match t.assigned_counter {
        Some(c) if c == counter.id => Some(counter.weight_of(&t.service).unwrap_or(1.0)),
        Some(_) => None,
        None => counter.weight_of(&t.service),
    }
}

/// The ticket a counter gets when it calls next, by the routing rule.
pub fn next_for_counter(state: &State, counter: CounterId, now: Timestamp) -> Option<TicketId> {
    let counter = state.counters.get(&counter)?;
    let (weights, routing) = (state.priority_weights(), state.routing());
    state
        .tickets
        .values()
        .filter_map(|t| eligible_weight(counter, t).map(|w| rank(t, w, &weights, &routing, now)))
        .min_by(called_before)
        .map(|r| r.id)
}

/// The waiting tickets of a counter, in the order it would call them.
pub fn counter_queue(state: &State, counter: CounterId, now: Timestamp) -> Vec<TicketId> {
    let Some(counter) = state.counters.get(&counter) else {
        return Vec::new();
    };
    let (weights, routing) = (state.priority_weights(), state.routing());
    let mut ranks: Vec<Rank> = state
        .tickets
        .values()
        .filter_map(|t| eligible_weight(counter, t).map(|w| rank(t, w, &weights, &routing, now)))
        .collect();
    ranks.sort_by(called_before);
    ranks.into_iter().map(|r| r.id).collect()
}

// ---------------------------------------------------------------------------------------
// Estimates
// ---------------------------------------------------------------------------------------

/// How much counter time a service gets: for each staffed counter serving it, the service's
/// share of that counter's profile weights.
pub fn service_capacity(state: &State, service: &str) -> f64 {
    state
        .counters
        .values()
        .filter(|c| c.is_staffed())
        .filter_map(|c| {
            let w = c.weight_of(service)?;
            let total: f64 = c.profile.iter().map(|p| p.weight).sum();
            (total > 0.0).then(|| w / total)
        })
        .sum()
}

fn estimate_secs(state: &State, service: &str, ahead: usize) -> Option<u64> {
    let capacity = service_capacity(state, service);
    if capacity <= 0.0 {
        return None;
    }
    let avg = state.services.get(service).map(|q| q.avg_service_secs)?;
    // An idle counter for the service takes the head of the queue at once; otherwise the
    // head waits, on average, half a service for the first counter to free up.
    let any_idle = state
        .counters
        .values()
        .any(|c| c.state == CounterState::Idle && c.weight_of(service).is_some());
    let head = if any_idle { 0.0 } else { 0.5 };
    Some(((ahead as f64 + head) * avg / capacity).round() as u64)
}

/// Where each waiting ticket of a service stands: (ticket, people ahead, estimated wait).
pub fn service_positions(
    state: &State,
    service: &str,
    now: Timestamp,
) -> Vec<(TicketId, usize, Option<u64>)> {
    let (weights, routing) = (state.priority_weights(), state.routing());
    let mut ranks: Vec<Rank> = state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting && t.service == service)
        .map(|t| rank(t, 1.0, &weights, &routing, now))
        .collect();
    ranks.sort_by(called_before);
    ranks
        .iter()
        .enumerate()
        .map(|(ahead, r)| (r.id, ahead, estimate_secs(state, service, ahead)))
        .collect()
}

/// How many tickets will be called before a waiting one: for a ticket reserved for a counter,
/// that counter's candidates ranked before it; otherwise the waiting tickets of its service
/// ranked before it. One pass, no sorting. None if the ticket is not waiting.
pub fn people_ahead(state: &State, t: &Ticket, now: Timestamp) -> Option<usize> {
    if t.state != TicketState::Waiting {
        return None;
    }
    let (weights, routing) = (state.priority_weights(), state.routing());
    let ahead = match t.assigned_counter.and_then(|c| state.counters.get(&c)) {
        Some(counter) => {
            let mine = rank(
                t,
                eligible_weight(counter, t).unwrap_or(1.0),
                &weights,
                &routing,
                now,
            );
            state
                .tickets
                .values()
                .filter(|x| x.id != t.id)
                .filter_map(|x| {
                    eligible_weight(counter, x).map(|w| rank(x, w, &weights, &routing, now))
                })
                .filter(|r| called_before(r, &mine) == Ordering::Less)
                .count()
        }
        None => {
            let mine = rank(t, 1.0, &weights, &routing, now);
            state
                .tickets
                .values()
                .filter(|x| {
                    x.id != t.id && x.state == TicketState::Waiting && x.service == t.service
                })
                .map(|x| rank(x, 1.0, &weights, &routing, now))
                .filter(|r| called_before(r, &mine) == Ordering::Less)
                .count()
        }
    };
    Some(ahead)
}

/// What the kiosk shows on a service card and the manager on the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceLoad {
    pub service: ServiceCode,
    pub waiting: u32,
    /// Seconds the longest-waiting ticket has waited.
    pub longest_wait_secs: u64,
    /// Estimated wait of a ticket taken now; none when no counter serves the service.
    pub estimated_wait_secs: Option<u64>,
    pub counters_serving: u32,
}

pub fn service_load(state: &State, service: &str, now: Timestamp) -> ServiceLoad {
    let waiting: Vec<&Ticket> = state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting && t.service == service)
        .collect();
    ServiceLoad {
        service: service.to_string(),
        waiting: waiting.len() as u32,
        longest_wait_secs: waiting
            .iter()
            .map(|t| (now - t.issued_at).num_seconds().max(0) as u64)
            .max()
            .unwrap_or(0),
        estimated_wait_secs: estimate_secs(state, service, waiting.len()),
        counters_serving: state
            .counters
            .values()
            .filter(|c| c.is_staffed() && c.weight_of(service).is_some())
            .count() as u32,
    }
}

/// What a citizen's ticket page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub label: String,
    pub service: ServiceCode,
    pub service_name: Names,
    pub state: TicketState,
    /// People ahead while waiting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_ahead: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<CounterId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_name: Option<Names>,
    pub issued_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub center_name: Names,
}

/// The page view of one ticket, open or closed today.
pub fn ticket_view(state: &State, id: TicketId, now: Timestamp) -> Option<TicketView> {
    let service_name = |code: &str| {
        state
            .services
            .get(code)
            .map(|q| q.service.name.clone())
            .unwrap_or_default()
    };
    let counter_name = |c: Option<CounterId>| {
        c.and_then(|c| state.counters.get(&c))
            .map(|c| c.name.clone())
    };
    if let Some(t) = state.tickets.get(&id) {
        let (ahead, estimate) = match people_ahead(state, t, now) {
            Some(ahead) => (Some(ahead as u32), estimate_secs(state, &t.service, ahead)),
            None => (None, None),
        };
        return Some(TicketView {
            label: t.label.clone(),
            service: t.service.clone(),
            service_name: service_name(&t.service),
            state: t.state,
            people_ahead: ahead,
            estimated_wait_secs: estimate,
            counter: t.counter.or(t.assigned_counter),
            counter_name: counter_name(t.counter.or(t.assigned_counter)),
            issued_at: t.issued_at,
            reference: None,
            center_name: state.center_name(),
        });
    }
    let t = state.closed_today.get(&id)?;
    Some(TicketView {
        label: t.label.clone(),
        service: t.service.clone(),
        service_name: service_name(&t.service),
        state: t.state,
        people_ahead: None,
        estimated_wait_secs: None,
        counter: t.counter,
        counter_name: counter_name(t.counter),
        issued_at: t.issued_at,
        reference: t.reference.clone(),
        center_name: state.center_name(),
    })
}

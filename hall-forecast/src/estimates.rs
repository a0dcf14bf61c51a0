//! What a service's load and a ticket's page show (ARCHITECTURE.md, "Estimates"): counts
//! from the state, waits from the queue model's figures (`Forecast`), which the caller
//! passes in: the state alone does not say how long a wait is.

use crate::{Forecast, HallOutlook, WaitRange};
use hall_core::model::*;
use hall_core::state::State;
use hall_core::state::routing::{called_before, rank};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How many waiting tickets of its service rank before a ticket (the routing order, service
/// weight 1): its place when no counter serves the service, so the model says nothing. Those
/// of a class that rank before it are the first of the class (`tickets.rs`): each class is
/// walked from both ends to the boundary, so a new ticket's place costs what is behind it.
fn queue_place(state: &State, t: &Ticket, now: Timestamp) -> u32 {
    let (weights, routing) = (state.priority_weights(), state.routing());
    let mine = rank(t, 1.0, &weights, &routing, now);
    let before = |x: &Ticket| {
        x.id != t.id
            && called_before(&rank(x, 1.0, &weights, &routing, now), &mine) == Ordering::Less
    };
    let tickets = &state.tickets;
    let classes: usize = tickets
        .classes_of(&t.service)
        .map(|(_, set)| {
            prefix_len(
                set.len(),
                set.iter().filter_map(|(_, id)| tickets.get(id)),
                |x| before(x),
            )
        })
        .sum();
    let special = tickets
        .special()
        .filter(|x| x.service == t.service && before(x))
        .count();
    (classes + special) as u32
}

/// The length of the prefix where `pred` holds (it holds on a prefix of `items`, `n` long),
/// found by walking from both ends: at most twice the shorter side.
fn prefix_len<'a>(
    n: usize,
    items: impl DoubleEndedIterator<Item = &'a Ticket>,
    pred: impl Fn(&Ticket) -> bool,
) -> usize {
    let mut items = items;
    let (mut front, mut back) = (0, 0);
    while front + back < n {
        match items.next() {
            Some(x) if pred(x) => front += 1,
            _ => return front,
        }
        if front + back == n {
            break;
        }
        match items.next_back() {
            Some(x) if !pred(x) => back += 1,
            _ => return n - back,
        }
    }
    front
}

/// A service's waiting tickets: its routing classes, then those outside them (placed at the
/// front, or reserved for a counter).
fn waiting_of<'a>(state: &'a State, service: &'a str) -> impl Iterator<Item = &'a Ticket> {
    let tickets = &state.tickets;
    tickets
        .classes_of(service)
        .flat_map(|(_, set)| set.iter().filter_map(|(_, id)| tickets.get(id)))
        .chain(tickets.special().filter(move |t| t.service == service))
}

/// What the kiosk shows on a service card and the manager on the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceLoad {
    pub service: ServiceCode,
    pub waiting: u32,
    /// Seconds the longest-waiting ticket has waited.
    pub longest_wait_secs: u64,
    /// Estimated wait of a (normal) ticket taken now; none when no counter serves the
    /// service, or before the model's first figures.
    pub estimated_wait_secs: Option<u64>,
    /// Its 10th–90th percentile range and the people who will be called before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<WaitRange>,
    pub counters_serving: u32,
}

/// A service's load at `now`, its wait from the model's latest figures.
pub fn service_load(
    state: &State,
    service: &str,
    now: Timestamp,
    outlook: Option<&HallOutlook>,
) -> ServiceLoad {
    let wait = outlook.and_then(|o| o.wait_at(service, Priority::Normal, now));
    let waiting: Vec<&Ticket> = waiting_of(state, service).collect();
    ServiceLoad {
        service: service.to_string(),
        waiting: waiting.len() as u32,
        longest_wait_secs: waiting
            .iter()
            .map(|t| (now - t.issued_at).num_seconds().max(0) as u64)
            .max()
            .unwrap_or(0),
        estimated_wait_secs: wait.map(|w| w.expected_secs),
        wait,
        counters_serving: state
            .counters
            .values()
            .filter(|c| c.is_staffed() && c.weight_of(service).is_some())
            .count() as u32,
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
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
    /// The 10th and 90th percentiles of the wait, with the estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_low_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_high_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<CounterId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_name: Option<Names>,
    pub issued_at: Timestamp,
    /// When the ticket was last called, and how many times that call was repeated: a new
    /// value is a new call the page alerts for (once, however often it reconnects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub recalls: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub center_name: Names,
    /// `reference` is a request's: its status page is `/r/<reference>`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub request: bool,
    /// Served, so the page asks for a rating (1–5), until `feedback` holds it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub asks_feedback: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<u8>,
}

/// How many people are ahead of a waiting ticket: the model's figure, or, when no counter
/// serves its service, its place in its service's queue. None unless it is waiting. What the
/// page shows and the near-turn message counts, without building the page (the messages
/// check every kept number after each batch).
pub fn people_ahead(
    state: &State,
    id: TicketId,
    now: Timestamp,
    forecast: &Forecast,
) -> Option<u32> {
    let t = state.tickets.get(&id)?;
    ahead(t, forecast.ticket_wait(state, t, now), || {
        queue_place(state, t, now)
    })
}

/// A waiting ticket's people ahead from its wait (the model's figure), else from `place`
/// (its place in its service's queue); none unless it is waiting. The one rule of the page,
/// the near-turn check and `people_ahead`.
fn ahead(t: &Ticket, wait: Option<WaitRange>, place: impl FnOnce() -> u32) -> Option<u32> {
    (t.state == TicketState::Waiting).then(|| wait.map(|w| w.ahead).unwrap_or_else(place))
}

/// `people_ahead` for many tickets at one instant (the near-turn check after each batch):
/// a ticket the model has no figure for gets its place from its service's queue, put in order
/// once per service (n log n) instead of walked per ticket (n each: n² for a long queue of a
/// service no counter serves).
#[derive(Default)]
pub struct AheadCache {
    places: std::collections::HashMap<ServiceCode, std::collections::HashMap<TicketId, u32>>,
}

impl AheadCache {
    /// As `people_ahead(state, id, now, forecast)`, for one `state` and `now` (a cache lives
    /// for one look at the hall).
    pub fn people_ahead(
        &mut self,
        state: &State,
        id: TicketId,
        now: Timestamp,
        forecast: &Forecast,
    ) -> Option<u32> {
        let t = state.tickets.get(&id)?;
        let places = &mut self.places;
        ahead(t, forecast.ticket_wait(state, t, now), || {
            places
                .entry(t.service.clone())
                .or_insert_with(|| service_places(state, &t.service, now))
                .get(&id)
                .copied()
                .unwrap_or_else(|| queue_place(state, t, now))
        })
    }
}

/// Each waiting ticket of a service with its place in the service's queue (`queue_place`
/// for all of them at once: the routing order is total, ties go to the older id).
fn service_places(
    state: &State,
    service: &str,
    now: Timestamp,
) -> std::collections::HashMap<TicketId, u32> {
    let (weights, routing) = (state.priority_weights(), state.routing());
    let mut ranked: Vec<_> = waiting_of(state, service)
        .map(|t| rank(t, 1.0, &weights, &routing, now))
        .collect();
    ranked.sort_by(called_before);
    ranked
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i as u32))
        .collect()
}

/// The page view of one ticket, open or closed today; its wait from the model's figures.
pub fn ticket_view(
    state: &State,
    id: TicketId,
    now: Timestamp,
    forecast: &Forecast,
) -> Option<TicketView> {
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
        let wait = forecast.ticket_wait(state, t, now);
        // Waiting with no figure (no counter serves it now): its place in its service's queue.
        let ahead = ahead(t, wait, || queue_place(state, t, now));
        return Some(TicketView {
            label: t.label.clone(),
            service: t.service.clone(),
            service_name: service_name(&t.service),
            state: t.state,
            people_ahead: ahead,
            estimated_wait_secs: wait.map(|w| w.expected_secs),
            wait_low_secs: wait.map(|w| w.low_secs),
            wait_high_secs: wait.map(|w| w.high_secs),
            counter: t.counter.or(t.assigned_counter),
            counter_name: counter_name(t.counter.or(t.assigned_counter)),
            issued_at: t.issued_at,
            called_at: t.called_at,
            recalls: t.recalls,
            reference: None,
            request: false,
            asks_feedback: false,
            feedback: None,
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
        wait_low_secs: None,
        wait_high_secs: None,
        counter: t.counter,
        counter_name: counter_name(t.counter),
        issued_at: t.issued_at,
        // Closed: no call to alert for any more.
        called_at: None,
        recalls: 0,
        reference: t.reference.clone(),
        center_name: state.center_name(),
        request: t.request,
        asks_feedback: t.state == TicketState::Done,
        feedback: t.feedback,
    })
}

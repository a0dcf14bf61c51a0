//! Live views: what a screen shows, computed by the server from the hall's state and pushed
//! to the connections that watch it (`view_update` frames). Screens render them; they do not
//! re-implement the routing order or the estimates.
//!
//! One enum, `LiveView`, tagged by `view`, so a new screen (the manager's dashboard) adds a
//! variant, a request that watches it, and a function that computes it from `State`.

use hall_core::model::*;
use hall_core::state::{State, counter_queue_head, counter_queue_len};
use serde::{Deserialize, Serialize};

/// Most waiting tickets a desk lists (the total is given too).
pub const DESK_WAITING_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum LiveView {
    /// A staff member's working screen (`watch_desk`).
    Desk(DeskView),
    /// The manager's dashboard (`watch_dashboard`): `crate::manager::Dashboard`.
    Dashboard(crate::manager::Dashboard),
    /// The queue model's figures per service (`watch_estimates`), what a kiosk shows.
    Estimates(hall_forecast::HallOutlook),
}

/// What a clerk's console shows: their open counter (if any) with its ticket, waiting list in
/// call order and parked tickets; the counters and services to choose or transfer to; their
/// figures for today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskView {
    /// The signed-in username this desk belongs to.
    pub user: String,
    /// The counter this user has open; absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<DeskCounter>,
    /// Every counter of the center, by id.
    pub counters: Vec<CounterBrief>,
    /// Every service of the center, by code.
    pub services: Vec<ServiceBrief>,
    /// This user's figures for today (from the event log: `kpi.rs`).
    pub today: ClerkToday,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ClerkToday {
    /// Tickets this user finished today (the clerk at the call is credited).
    pub served: u32,
    pub no_shows: u32,
    /// Mean seconds from serving start (or call) to finish over the tickets served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_mean_secs: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskCounter {
    pub id: CounterId,
    pub name: Names,
    pub state: CounterState,
    /// The ticket called or being served here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<DeskTicket>,
    /// Waiting tickets this counter may call, in the order `call_next` takes them
    /// (`state::counter_queue`), at most `DESK_WAITING_MAX`.
    pub waiting: Vec<DeskTicket>,
    /// How many tickets this counter may call in all.
    pub waiting_total: u32,
    /// Tickets parked at this counter, oldest first.
    pub parked: Vec<DeskTicket>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskTicket {
    pub id: TicketId,
    pub label: String,
    pub service: ServiceCode,
    pub service_name: Names,
    pub priority: Priority,
    pub state: TicketState,
    /// Seconds in its present state: waiting since it (re)entered the queue, called since the
    /// call, serving since service started. Absent for parked tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_secs: Option<u64>,
    /// Transferred to the front of the queue.
    pub front: bool,
    /// Transferred to this counter only.
    pub reserved: bool,
    pub recalls: u32,
    pub transfers: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterBrief {
    pub id: CounterId,
    pub name: Names,
    pub state: CounterState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceBrief {
    pub code: ServiceCode,
    pub name: Names,
    pub open: bool,
    /// Waiting tickets of this service.
    pub waiting: u32,
}

fn secs_since(from: Timestamp, now: Timestamp) -> u64 {
    (now - from).num_seconds().max(0) as u64
}

fn desk_ticket(state: &State, t: &Ticket, counter: CounterId, now: Timestamp) -> DeskTicket {
    let since = match t.state {
        TicketState::Waiting => Some(t.enqueued_at),
        TicketState::Called => t.called_at,
        TicketState::Serving => t.serving_at.or(t.called_at),
        _ => None,
    };
    DeskTicket {
        id: t.id,
        label: t.label.clone(),
        service: t.service.clone(),
        service_name: state
            .services
            .get(&t.service)
            .map(|q| q.service.name.clone())
            .unwrap_or_default(),
        priority: t.priority,
        state: t.state,
        for_secs: since.map(|s| secs_since(s, now)),
        front: t.front,
        reserved: t.assigned_counter == Some(counter),
        recalls: t.recalls,
        transfers: t.transfers,
    }
}

/// The desk of `user`: the counter they have open (the first, if the log ever held two).
pub fn desk_view(state: &State, user: &str, today: ClerkToday, now: Timestamp) -> DeskView {
    let counter = state
        .counters
        .values()
        .find(|c| c.state != CounterState::Closed && c.clerk.as_deref() == Some(user))
        .map(|c| {
            let queue = counter_queue_head(state, c.id, now, DESK_WAITING_MAX);
            DeskCounter {
                id: c.id,
                name: c.name.clone(),
                state: c.state,
                ticket: c
                    .ticket
                    .and_then(|t| state.tickets.get(&t))
                    .map(|t| desk_ticket(state, t, c.id, now)),
                waiting: queue
                    .iter()
                    .filter_map(|id| state.tickets.get(id))
                    .map(|t| desk_ticket(state, t, c.id, now))
                    .collect(),
                waiting_total: counter_queue_len(state, c.id) as u32,
                parked: {
                    let mut parked: Vec<&Ticket> = state
                        .tickets
                        .held()
                        .filter(|t| t.state == TicketState::Parked && t.counter == Some(c.id))
                        .collect();
                    parked.sort_by_key(|t| (t.enqueued_at, t.id));
                    parked
                        .into_iter()
                        .map(|t| desk_ticket(state, t, c.id, now))
                        .collect()
                },
            }
        });
    DeskView {
        user: user.to_string(),
        counter,
        counters: state
            .counters
            .values()
            .map(|c| CounterBrief {
                id: c.id,
                name: c.name.clone(),
                state: c.state,
                clerk: c.clerk.clone(),
            })
            .collect(),
        services: state
            .services
            .values()
            .map(|q| ServiceBrief {
                code: q.service.code.clone(),
                name: q.service.name.clone(),
                open: q.service.open,
                waiting: state.tickets.waiting_in(&q.service.code) as u32,
            })
            .collect(),
        today,
    }
}

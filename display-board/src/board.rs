//! What the board shows and says, from the queue server's stream: pure, no window, no sound.
//!
//! The app feeds it `ClientEvent`s, the hall they were folded into and the time; it keeps the
//! recent calls of its zone and the announcements still to play (`Calls`). `Board` is the
//! same with its own copy of the hall, for tests and tools fed by hand. Each call is announced once
//! (keyed by the event's sequence number, so a recall, being a new event, is announced again);
//! calls that happened while the board was disconnected are shown, and announced only if
//! recent enough that the citizen may still be waiting for them.

use hall_client::{ClientEvent, Mirror};
use hall_core::{
    CounterId, Event, Names, Priority, ServiceCode, State, TicketId, TicketState, Timestamp,
};
use hall_forecast::HallOutlook;
use std::collections::{HashSet, VecDeque};

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub ticket: TicketId,
    pub label: String,
    pub service: ServiceCode,
    pub counter: CounterId,
    pub counter_name: Names,
    pub at: Timestamp,
    pub recall: bool,
}

/// Which calls a board shows: all, or only some services or counters (boards sharing a hall).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Zone {
    pub services: Option<Vec<ServiceCode>>,
    pub counters: Option<Vec<CounterId>>,
}

impl Zone {
    pub fn covers(&self, service: &str, counter: Option<CounterId>) -> bool {
        self.services
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == service))
            && match (counter, &self.counters) {
                (_, None) => true,
                (Some(c), Some(cs)) => cs.contains(&c),
                (None, Some(_)) => true,
            }
    }
}

/// How many recent calls the board lists.
pub const RECENT_CALLS: usize = 8;
/// A call missed while disconnected is still announced if it is at most this old.
pub const STALE_ANNOUNCE_SECS: i64 = 120;

/// The calls a board shows and says, followed from the client's events and the hall they
/// were folded into (the client keeps that hall: `hall_client::Mirror`).
pub struct Calls {
    pub zone: Zone,
    /// Newest first.
    pub calls: VecDeque<Call>,
    /// Calls to announce, oldest first.
    pub to_announce: VecDeque<Call>,
    announced: HashSet<(TicketId, Timestamp)>,
    announced_seqs: HashSet<u64>,
}

/// A board that keeps its own copy of the hall: `Calls` over a `Mirror`, fed the client's
/// events by hand (tests, tools). The app reads the hall from its client instead.
pub struct Board {
    pub mirror: Mirror,
    pub hall: Calls,
}

impl std::ops::Deref for Board {
    type Target = Calls;
    fn deref(&self) -> &Calls {
        &self.hall
    }
}

impl std::ops::DerefMut for Board {
    fn deref_mut(&mut self) -> &mut Calls {
        &mut self.hall
    }
}

/// A category's line on the board.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryWaiting {
    pub name: Names,
    pub waiting: u32,
    /// The longest wait (seconds) of a ticket taken now among its services; none before
    /// the model's first figures or when no counter serves them.
    pub longest_wait_secs: Option<u64>,
}

/// What changed, so the app redraws only when needed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    pub view: bool,
    pub new_call: bool,
}

impl Board {
    pub fn new(zone: Zone) -> Board {
        Board {
            mirror: Mirror::default(),
            hall: Calls::new(zone),
        }
    }

    pub fn state(&self) -> Option<&State> {
        self.mirror.state.as_ref()
    }

    /// Shown as "reconnecting" while false; the last state stays on screen.
    pub fn live(&self) -> bool {
        self.mirror.live
    }

    pub fn handle(&mut self, event: &ClientEvent, now: Timestamp) -> Changed {
        let view = self.mirror.handle(event);
        let new_call = self.hall.follow(event, self.mirror.state.as_ref(), now);
        Changed { view, new_call }
    }

    /// Waiting tickets per category of the zone's services, with the longest wait the queue
    /// model gives a ticket taken at `now` (see `Calls::waiting_by_category`).
    pub fn waiting_by_category(&self, now: Timestamp) -> Vec<CategoryWaiting> {
        self.state()
            .map(|s| {
                self.hall
                    .waiting_by_category(s, self.mirror.outlook.as_ref(), now)
            })
            .unwrap_or_default()
    }
}

impl Calls {
    pub fn new(zone: Zone) -> Calls {
        Calls {
            zone,
            calls: VecDeque::new(),
            to_announce: VecDeque::new(),
            announced: HashSet::new(),
            announced_seqs: HashSet::new(),
        }
    }

    /// Follows one event; `hall` is the hall with the event already folded in. Returns
    /// whether a call is new (to flash and announce).
    pub fn follow(&mut self, event: &ClientEvent, hall: Option<&State>, now: Timestamp) -> bool {
        let mut new_call = false;
        match event {
            ClientEvent::Snapshot(state) => {
                // Rebuild the list from who is at a counter now; announce only fresh calls.
                let mut current: Vec<Call> = state
                    .tickets
                    .values()
                    .filter(|t| matches!(t.state, TicketState::Called | TicketState::Serving))
                    .filter_map(|t| call_of(&self.zone, state, t.id, false, t.called_at?))
                    .collect();
                current.sort_by_key(|c| std::cmp::Reverse(c.at));
                for c in current.iter().rev() {
                    let fresh = (now - c.at).num_seconds() <= STALE_ANNOUNCE_SECS;
                    let ticket_called =
                        state.tickets.get(&c.ticket).map(|t| t.state) == Some(TicketState::Called);
                    if fresh && ticket_called && self.announced.insert((c.ticket, c.at)) {
                        self.to_announce.push_back(c.clone());
                        new_call = true;
                    }
                }
                for c in current.into_iter().rev() {
                    if !self
                        .calls
                        .iter()
                        .any(|k| k.ticket == c.ticket && k.at == c.at)
                    {
                        self.calls.push_front(c);
                    }
                }
                self.calls
                    .make_contiguous()
                    .sort_by_key(|c| std::cmp::Reverse(c.at));
                self.calls.truncate(RECENT_CALLS);
            }
            ClientEvent::Delta(events) => {
                // Read in place: the hall is borrowed, never copied, for each delta.
                let Some(state) = hall else {
                    return false;
                };
                for env in events {
                    let (ticket, recall) = match &env.event {
                        Event::TicketCalled { ticket, .. }
                        | Event::TicketReturned { ticket, .. } => (*ticket, false),
                        Event::TicketRecalled { ticket, .. } => (*ticket, true),
                        _ => continue,
                    };
                    if !self.announced_seqs.insert(env.seq) {
                        continue;
                    }
                    let Some(call) = call_of(&self.zone, state, ticket, recall, env.at) else {
                        continue;
                    };
                    self.announced.insert((call.ticket, call.at));
                    self.calls.retain(|c| c.ticket != call.ticket);
                    self.calls.push_front(call.clone());
                    self.calls.truncate(RECENT_CALLS);
                    self.to_announce.push_back(call);
                    new_call = true;
                }
            }
            _ => {}
        }
        new_call
    }

    /// Waiting tickets per category of the zone's services, in catalog order, only
    /// categories with services in the zone; with the queue model's latest figures, the
    /// longest expected wait of a (normal) ticket taken at `now` among the category's
    /// services, so the hall sees the current figure as the day runs.
    pub fn waiting_by_category(
        &self,
        state: &State,
        outlook: Option<&HallOutlook>,
        now: Timestamp,
    ) -> Vec<CategoryWaiting> {
        let Some(catalog) = &state.catalog else {
            return Vec::new();
        };
        catalog
            .categories
            .iter()
            .filter_map(|cat| {
                let services: Vec<&str> = state
                    .services
                    .values()
                    .filter(|q| {
                        q.service.category == cat.code && self.zone.covers(&q.service.code, None)
                    })
                    .map(|q| q.service.code.as_str())
                    .collect();
                if services.is_empty() {
                    return None;
                }
                let waiting = services
                    .iter()
                    .map(|s| state.tickets.waiting_in(s) as u32)
                    .sum();
                let longest_wait_secs = outlook.and_then(|o| {
                    services
                        .iter()
                        .filter_map(|s| o.wait_at(s, Priority::Normal, now))
                        .map(|w| w.expected_secs)
                        .max()
                });
                Some(CategoryWaiting {
                    name: cat.name.clone(),
                    waiting,
                    longest_wait_secs,
                })
            })
            .collect()
    }
}

/// A call as the board shows it, if it belongs to the zone.
fn call_of(
    zone: &Zone,
    state: &State,
    ticket: TicketId,
    recall: bool,
    at: Timestamp,
) -> Option<Call> {
    let t = state.tickets.get(&ticket)?;
    let counter = t.counter?;
    if !zone.covers(&t.service, Some(counter)) {
        return None;
    }
    let counter_name = state
        .counters
        .get(&counter)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    Some(Call {
        ticket,
        label: t.label.clone(),
        service: t.service.clone(),
        counter,
        counter_name,
        at,
        recall,
    })
}

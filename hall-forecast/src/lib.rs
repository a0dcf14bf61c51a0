//! The queue model (ARCHITECTURE.md, "Estimates"): pure, no clock, no I/O. From the hall's
//! state and what was learned from the log (`learn`), it plays the routing rule forward
//! (`play`, with the ranking code `call_next` uses) and gives every waiting ticket its expected
//! call time with a p10–p90 range and the people who will be called before it at the counters
//! that can serve it; for every service, the same for a ticket taken now, per priority.
//! `advisor`: how many counters the next hour and tomorrow need.
//!
//! The server computes it off the writer's path (`queue-server/src/estimator.rs`) and sends
//! the figures: ticket pages and receipts carry their ticket's, kiosks watch the services'
//! (`LiveView::Estimates`).

pub mod advisor;
pub mod estimates;
pub mod learn;
mod play;

/// Defined with the hall's other values (`model`), which the words for it (`i18n`) read.
pub use hall_core::model::WaitRange;
pub use learn::{Learned, Occupation, Stats};
pub use play::{HORIZON_SECS, PlayOptions};

use hall_core::model::*;
use hall_core::state::State;
use play::Kind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// z of the 10th and 90th percentiles of a normal distribution.
const Z90: f64 = 1.2816;
/// Uncertainty the play does not see (arrivals off their expected instants, a clerk's
/// break), as a share of the wait; calibrated with `cargo xtask accuracy`.
const MODEL_SPREAD: f64 = 0.25;
/// Seconds of spread every estimate has: a clerk's glance at the screen, the walk to the
/// counter.
const FLOOR_SPREAD: f64 = 60.0;

/// A ticket taken now, per priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityWait {
    pub priority: Priority,
    pub wait: WaitRange,
}

/// A service as the kiosk shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceOutlook {
    pub service: ServiceCode,
    pub waiting: u32,
    /// Staffed counters whose profile has the service.
    pub counters_serving: u32,
    /// The wait of a ticket taken now, per priority; empty when no counter serves it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waits: Vec<PriorityWait>,
    /// What one more ticket ahead adds to a wait: the learned occupation ÷ the counters
    /// serving (for tickets issued after these figures, until the next ones).
    #[serde(default)]
    pub per_ticket_secs: u64,
}

impl ServiceOutlook {
    pub fn wait(&self, priority: Priority) -> Option<WaitRange> {
        self.waits
            .iter()
            .find(|w| w.priority == priority)
            .map(|w| w.wait)
    }
}

/// The figures of the whole hall at one instant (the wire form of `LiveView::Estimates`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HallOutlook {
    /// The state's seq the figures were computed from.
    pub seq: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    pub services: Vec<ServiceOutlook>,
}

impl HallOutlook {
    pub fn service(&self, code: &str) -> Option<&ServiceOutlook> {
        self.services.iter().find(|s| s.service == code)
    }

    /// A ticket of this service and priority taken at `now`: the figure as of `now`.
    pub fn wait_at(&self, code: &str, priority: Priority, now: Timestamp) -> Option<WaitRange> {
        let w = self.service(code)?.wait(priority)?;
        Some(w.after(self.elapsed(now)))
    }

    fn elapsed(&self, now: Timestamp) -> u64 {
        self.at
            .map(|at| (now - at).num_seconds().max(0) as u64)
            .unwrap_or(0)
    }
}

/// Everything the model says about the hall at `at`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forecast {
    pub seq: u64,
    pub at: Option<Timestamp>,
    /// Tickets from this id on were issued after the figures.
    pub next_ticket: u64,
    pub tickets: HashMap<TicketId, WaitRange>,
    pub outlook: HallOutlook,
}

impl Forecast {
    /// A waiting ticket's wait as of `now`. A ticket issued after the figures gets the wait
    /// of a ticket of its service and priority taken at their instant, plus one service share
    /// per ticket of its service issued between them and it (a look-up, not a replay: the
    /// writer answers a kiosk with it).
    pub fn ticket_wait(&self, state: &State, t: &Ticket, now: Timestamp) -> Option<WaitRange> {
        if t.state != TicketState::Waiting {
            return None;
        }
        let elapsed = self
            .at
            .map(|at| (now - at).num_seconds().max(0) as u64)
            .unwrap_or(0);
        if let Some(w) = self.tickets.get(&t.id) {
            return Some(w.after(elapsed));
        }
        if t.assigned_counter.is_some() {
            return None;
        }
        let service = self.outlook.service(&t.service)?;
        let w = service.wait(t.priority)?;
        let newer = if t.id.0 >= self.next_ticket {
            state
                .tickets
                .range(TicketId(self.next_ticket)..t.id)
                .filter(|(_, x)| x.state == TicketState::Waiting && x.service == t.service)
                .count() as u64
        } else {
            0
        };
        let more = newer * service.per_ticket_secs;
        Some(
            WaitRange {
                ahead: w.ahead + newer as u32,
                expected_secs: w.expected_secs + more,
                low_secs: w.low_secs + more,
                high_secs: w.high_secs + more,
            }
            .after(elapsed),
        )
    }
}

fn range(at: f64, var: f64, counters: usize) -> (u64, u64, u64) {
    // A counter's path adds the variance of every call before; with several counters able
    // to take the ticket, the first of them to free up spreads less.
    let sd =
        (var / counters.max(1) as f64 + (MODEL_SPREAD * at).powi(2) + FLOOR_SPREAD.powi(2)).sqrt();
    let at = at.max(0.0);
    (
        at.round() as u64,
        (at - Z90 * sd).max(0.0).round() as u64,
        (at + Z90 * sd).round() as u64,
    )
}

/// The model's figures for the hall at `now`.
pub fn forecast(state: &State, learned: &Learned, now: Timestamp) -> Forecast {
    forecast_with(state, learned, now, &PlayOptions::default())
}

pub fn forecast_with(
    state: &State,
    learned: &Learned,
    now: Timestamp,
    opts: &PlayOptions,
) -> Forecast {
    let p = play::play(state, learned, now, opts);
    // For each candidate: which simulated counters could serve it, and how many waiting
    // tickets those counters called before it.
    let wait_of = |i: usize| -> Option<WaitRange> {
        let c = p.called[i]?;
        let t = &p.candidates[i].ticket;
        let mut able = 0;
        let mut ahead = 0;
        for sim in &p.counters {
            if hall_core::state::routing::eligible_weight(&sim.counter, t).is_some() {
                able += 1;
                ahead += sim.waiting_calls.partition_point(|&o| o < c.order);
            }
        }
        let (expected, low, high) = range(c.at, c.var, able);
        Some(WaitRange {
            ahead: ahead as u32,
            expected_secs: expected,
            low_secs: low,
            high_secs: high,
        })
    };
    let mut tickets = HashMap::new();
    let mut probes: BTreeMap<(ServiceCode, usize), WaitRange> = BTreeMap::new();
    for i in 0..p.candidates.len() {
        let c = &p.candidates[i];
        match c.kind {
            Kind::Waiting => {
                if let Some(w) = wait_of(i) {
                    tickets.insert(c.ticket.id, w);
                }
            }
            Kind::Probe => {
                if let Some(w) = wait_of(i) {
                    let k = Priority::ALL
                        .iter()
                        .position(|x| *x == c.ticket.priority)
                        .unwrap_or(0);
                    probes.insert((c.ticket.service.clone(), k), w);
                }
            }
            Kind::Arrival => {}
        }
    }
    let services = state
        .services
        .keys()
        .map(|code| ServiceOutlook {
            service: code.clone(),
            waiting: state.tickets.waiting_in(code) as u32,
            counters_serving: state
                .counters
                .values()
                .filter(|c| c.is_staffed() && c.weight_of(code).is_some())
                .count() as u32,
            per_ticket_secs: {
                let serving = state
                    .counters
                    .values()
                    .filter(|c| c.is_staffed() && c.weight_of(code).is_some())
                    .count();
                match serving {
                    0 => 0,
                    n => (learned.occupation(None, code).mean / n as f64).round() as u64,
                }
            },
            waits: Priority::ALL
                .iter()
                .enumerate()
                .filter_map(|(k, pr)| {
                    probes.get(&(code.clone(), k)).map(|w| PriorityWait {
                        priority: *pr,
                        wait: *w,
                    })
                })
                .collect(),
        })
        .collect();
    Forecast {
        seq: state.seq,
        at: Some(now),
        next_ticket: state.next_ticket_id,
        tickets,
        outlook: HallOutlook {
            seq: state.seq,
            at: Some(now),
            services,
        },
    }
}

/// The waits a play gives, for the advisor: each expected arrival called within the horizon
/// as (service, seconds after `now` it arrives, seconds it waits), and each waiting ticket's
/// whole wait (from entering the queue to its call).
pub(crate) struct Waits {
    pub(crate) arrivals: Vec<(ServiceCode, f64, f64)>,
    pub(crate) waiting: HashMap<TicketId, f64>,
}

pub(crate) fn play_waits(
    state: &State,
    learned: &Learned,
    now: Timestamp,
    opts: &PlayOptions,
) -> Waits {
    let p = play::play(state, learned, now, opts);
    let mut w = Waits {
        arrivals: Vec::new(),
        waiting: HashMap::new(),
    };
    for (i, c) in p.candidates.iter().enumerate() {
        let Some(called) = p.called[i] else { continue };
        let came = (c.ticket.enqueued_at - now).num_milliseconds() as f64 / 1000.0;
        match c.kind {
            Kind::Arrival => w
                .arrivals
                .push((c.ticket.service.clone(), came, called.at - came)),
            Kind::Waiting => {
                w.waiting.insert(c.ticket.id, (-came).max(0.0) + called.at);
            }
            Kind::Probe => {}
        }
    }
    w
}

#[cfg(test)]
mod tests;

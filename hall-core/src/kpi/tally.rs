//! `ClerkTally`: each clerk's figures today, folded as events come (the desks show them).

use crate::{CounterId, Envelope, Event, TicketId, Timestamp};
use std::collections::HashMap;

/// One clerk's figures for the day so far, kept incrementally: the same rules as `Kpis`
/// (the clerk at the call is credited; service time from serving start, or the call, to the
/// finish), but holding only the tickets at counters, so the writer can keep it for every
/// clerk all day. `day_started` starts over.
#[derive(Default)]
pub struct ClerkTally {
    clerks: HashMap<CounterId, String>,
    /// Tickets at a counter: (clerk credited, call or return, serving start).
    at_counter: HashMap<TicketId, (Option<String>, Timestamp, Option<Timestamp>)>,
    totals: HashMap<String, ClerkTotals>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClerkTotals {
    pub served: u32,
    pub no_shows: u32,
    pub service_secs: f64,
}

impl ClerkTotals {
    pub fn service_mean_secs(&self) -> Option<f64> {
        (self.served > 0).then(|| self.service_secs / f64::from(self.served))
    }
}

impl ClerkTally {
    /// Starts from the counters open now (a counter opened before the day began keeps its
    /// clerk), then folds the day's events.
    pub fn new(open: impl IntoIterator<Item = (CounterId, String)>) -> ClerkTally {
        ClerkTally {
            clerks: open.into_iter().collect(),
            ..ClerkTally::default()
        }
    }

    pub fn fold(&mut self, env: &Envelope) {
        let at = env.at;
        match &env.event {
            Event::DayStarted { .. } => {
                self.at_counter.clear();
                self.totals.clear();
            }
            Event::CounterOpened { counter, clerk } => {
                self.clerks.insert(*counter, clerk.clone());
            }
            Event::CounterClosed { counter } => {
                self.clerks.remove(counter);
            }
            Event::TicketCalled {
                ticket, counter, ..
            }
            | Event::TicketReturned { ticket, counter } => {
                let clerk = self.clerks.get(counter).cloned();
                self.at_counter.insert(*ticket, (clerk, at, None));
            }
            Event::ServiceStarted { ticket, .. } => {
                if let Some(t) = self.at_counter.get_mut(ticket) {
                    t.2 = Some(at);
                }
            }
            Event::TicketFinished { ticket, .. } => {
                if let Some((Some(clerk), called, started)) = self.at_counter.remove(ticket) {
                    let t = self.totals.entry(clerk).or_default();
                    t.served += 1;
                    t.service_secs += secs(at - started.unwrap_or(called));
                }
            }
            Event::TicketNoShow { ticket, .. } => {
                if let Some((Some(clerk), ..)) = self.at_counter.remove(ticket) {
                    self.totals.entry(clerk).or_default().no_shows += 1;
                }
            }
            // Parked tickets stay: a parked ticket comes back only through a return (a new
            // call time), and is otherwise cancelled.
            Event::TicketCancelled { ticket, .. } | Event::TicketTransferred { ticket, .. } => {
                self.at_counter.remove(ticket);
            }
            _ => {}
        }
    }

    pub fn of(&self, clerk: &str) -> ClerkTotals {
        self.totals.get(clerk).copied().unwrap_or_default()
    }
}

/// The seconds of a span (none below zero), as every figure counts them.
pub(super) fn secs(d: chrono::Duration) -> f64 {
    d.num_milliseconds().max(0) as f64 / 1000.0
}

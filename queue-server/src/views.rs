//! Live views the writer keeps for watching connections (`watch_desk` → `view_update`).
//!
//! One `watch` channel per view key, shared by every connection watching it. After each
//! committed batch, a view the batch concerns directly (a clerk's own counter) is recomputed
//! at once; the others are marked stale and recomputed on the next tick (500 ms), so a busy
//! hall costs one computation per view per tick, not one per batch. Every
//! `REFRESH_TICKS` ticks all views are recomputed anyway: waits grow and the routing order
//! moves with time. A view is sent only when it differs from the last one sent.
//!
//! To add a view: a `ViewKey` variant, its `LiveView` variant in `hall_wire::views`, a branch
//! in `compute` (and in `touched` if some events should show at once), and a request that
//! asks `WriterHandle::watch_view` with the key (`shell/handlers/watch.rs`).

use hall_core::kpi::ClerkTally;
use hall_core::{CounterId, Envelope, Event, State, Timestamp};
use hall_wire::views::{ClerkToday, LiveView, desk_view};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::watch;

/// Ticks (of 500 ms) between full refreshes of every view.
pub const REFRESH_TICKS: u32 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ViewKey {
    /// The desk of a signed-in user (their username).
    Desk { user: String },
}

/// What views are computed from, besides the state.
pub struct Sources<'a> {
    pub state: &'a State,
    pub tally: &'a ClerkTally,
    pub now: Timestamp,
}

impl ViewKey {
    pub fn compute(&self, src: &Sources<'_>) -> LiveView {
        match self {
            ViewKey::Desk { user } => {
                let t = src.tally.of(user);
                let today = ClerkToday {
                    served: t.served,
                    no_shows: t.no_shows,
                    service_mean_secs: t.service_mean_secs().map(|s| s.round() as u64),
                };
                LiveView::Desk(desk_view(src.state, user, today, src.now))
            }
        }
    }

    /// Whether these events must show in this view at once (the watcher's own actions).
    fn touched(&self, last: &LiveView, events: &[Envelope]) -> bool {
        match (self, last) {
            (ViewKey::Desk { user }, LiveView::Desk(desk)) => {
                let mine = desk.counter.as_ref().map(|c| c.id);
                events.iter().any(|e| match &e.event {
                    Event::CounterOpened { clerk, .. } => clerk == user,
                    ev => mine.is_some() && counters_of(ev).contains(&mine),
                })
            }
            // The dashboard and the estimates are not writer views (`dashboard.rs`,
            // `estimator.rs`); a desk key never holds one.
            (ViewKey::Desk { .. }, LiveView::Dashboard(_) | LiveView::Estimates(_)) => true,
        }
    }
}

/// The counters an event names.
fn counters_of(e: &Event) -> [Option<CounterId>; 2] {
    use Event::*;
    match e {
        TicketCalled { counter, .. }
        | TicketRecalled { counter, .. }
        | ServiceStarted { counter, .. }
        | TicketFinished { counter, .. }
        | TicketNoShow { counter, .. }
        | TicketParked { counter, .. }
        | TicketReturned { counter, .. }
        | CounterOpened { counter, .. }
        | CounterClosed { counter }
        | CounterPaused { counter }
        | CounterResumed { counter }
        | CounterProfileSet { counter, .. } => [Some(*counter), None],
        TicketTransferred {
            from_counter,
            to_counter,
            ..
        } => [*from_counter, *to_counter],
        _ => [None, None],
    }
}

#[derive(Default)]
pub struct Views {
    entries: HashMap<ViewKey, watch::Sender<Arc<LiveView>>>,
    stale: bool,
    ticks: u32,
}

impl Views {
    /// A receiver of the view, computed now if nobody watched it yet.
    pub fn watch(&mut self, key: ViewKey, src: &Sources<'_>) -> watch::Receiver<Arc<LiveView>> {
        if let Some(tx) = self.entries.get(&key) {
            // Nobody may have watched it for a while: bring it up to date first.
            let view = key.compute(src);
            send_if_changed(tx, view);
            return tx.subscribe();
        }
        let (tx, rx) = watch::channel(Arc::new(key.compute(src)));
        self.entries.insert(key, tx);
        rx
    }

    /// After a committed batch: views it concerns now, the rest on the next tick.
    pub fn after_batch(&mut self, events: &[Envelope], src: &Sources<'_>) {
        if self.entries.is_empty() {
            return;
        }
        for (key, tx) in &self.entries {
            let touched = key.touched(&tx.borrow(), events);
            if touched {
                send_if_changed(tx, key.compute(src));
            }
        }
        self.stale = true;
    }

    pub fn on_tick(&mut self, src: &Sources<'_>) {
        self.entries.retain(|_, tx| tx.receiver_count() > 0);
        self.ticks += 1;
        if self.stale || self.ticks >= REFRESH_TICKS {
            for (key, tx) in &self.entries {
                send_if_changed(tx, key.compute(src));
            }
            self.stale = false;
            self.ticks = 0;
        }
    }

    /// Views are stale after a state reload.
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }
}

fn send_if_changed(tx: &watch::Sender<Arc<LiveView>>, view: LiveView) {
    tx.send_if_modified(|old| {
        if **old == view {
            false
        } else {
            *old = Arc::new(view);
            true
        }
    });
}

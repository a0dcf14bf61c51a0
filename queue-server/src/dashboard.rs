//! The managers' live dashboard, a live view (`watch_dashboard` → `view_update`, like the
//! clerk's desk). Unlike the desk, it is not computed by the writer: it also shows what the
//! writer does not know (devices online, pairing requests). One task keeps a mirror of the
//! hall (the writer's state once, then the published deltas, exactly as a client does),
//! computes the dashboard with `hall_wire::manager::dashboard` and hands it to every watching
//! connection through one watch channel. The writer never waits for it.
//!
//! Throttled: a change is pushed at most once a second; with no change, every 10 s (waits
//! grow). With nobody watching, the task drops its mirror and sleeps.

use crate::clock::Clock;
use crate::published::Published;
use crate::writer::WeakWriter;
use hall_core::{Event, State, TicketState};
use hall_wire::manager::{DeviceInfo, PendingPairing, dashboard};
use hall_wire::views::LiveView;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, broadcast, watch};
use tokio::time::Instant;

/// The quickest a change is pushed after the last push.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// The longest between two pushes while someone watches.
pub const MAX_INTERVAL: Duration = Duration::from_secs(10);

/// Where connections pick up the dashboard, and how they ask for a fresh one.
pub struct DashboardHub {
    /// Holds an empty dashboard until the first is computed; a watcher waits for a change
    /// before it reads, so that one is never shown.
    tx: watch::Sender<Arc<LiveView>>,
    wake: Notify,
}

impl Default for DashboardHub {
    fn default() -> Self {
        DashboardHub {
            tx: watch::channel(Arc::new(LiveView::Dashboard(Default::default()))).0,
            wake: Notify::new(),
        }
    }
}

impl DashboardHub {
    /// Follow the dashboard; a fresh one is computed at once (wait for `changed`).
    pub fn watch(&self) -> watch::Receiver<Arc<LiveView>> {
        let rx = self.tx.subscribe();
        self.wake.notify_one();
        rx
    }

    /// Something the dashboard shows outside the hall's state changed (a device came or
    /// went, a pairing request arrived).
    pub fn poke(&self) {
        if self.tx.receiver_count() > 0 {
            self.wake.notify_one();
        }
    }
}

/// Which devices are connected now (a device may hold several connections).
pub struct Presence {
    online: Mutex<HashMap<String, u32>>,
    dashboard: Arc<DashboardHub>,
}

/// A device's connection, counted while it lives.
pub struct Online {
    presence: Arc<Presence>,
    name: String,
}

impl Presence {
    pub fn new(dashboard: Arc<DashboardHub>) -> Arc<Presence> {
        Arc::new(Presence {
            online: Mutex::new(HashMap::new()),
            dashboard,
        })
    }

    pub fn enter(self: &Arc<Self>, name: &str) -> Online {
        *self
            .online
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(name.to_string())
            .or_default() += 1;
        self.dashboard.poke();
        Online {
            presence: self.clone(),
            name: name.to_string(),
        }
    }

    pub fn is_online(&self, name: &str) -> bool {
        self.online
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(name)
    }

    /// Marks which of these devices are connected.
    pub fn mark(&self, devices: &mut [DeviceInfo]) {
        let online = self.online.lock().unwrap_or_else(|p| p.into_inner());
        for d in devices {
            d.online = online.contains_key(&d.name);
        }
    }
}

impl Drop for Online {
    fn drop(&mut self) {
        {
            let mut online = self
                .presence
                .online
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if let Some(n) = online.get_mut(&self.name) {
                *n -= 1;
                if *n == 0 {
                    online.remove(&self.name);
                }
            }
        }
        self.presence.dashboard.poke();
    }
}

/// What the dashboard shows besides the hall: registered devices (marked online) and the
/// pairing requests waiting.
/// and the log's breaks found after the start (the admin log's `chain_break_found`).
pub type Extras = Box<
    dyn Fn() -> (
            Vec<DeviceInfo>,
            Vec<PendingPairing>,
            Vec<hall_wire::manager::ChainBreakNotice>,
        ) + Send
        + Sync,
>;

/// The hall as the dashboard task mirrors it.
struct Mirror {
    state: State,
    served_today: u32,
    ratings_today: hall_wire::manager::Ratings,
}

impl Mirror {
    fn from_full(mut state: State) -> Mirror {
        let served_today = state
            .closed_today
            .values()
            .filter(|t| t.state == TicketState::Done)
            .count() as u32;
        let mut ratings_today = hall_wire::manager::Ratings::default();
        for r in state.closed_today.values().filter_map(|t| t.feedback) {
            ratings_today.add(r);
        }
        // A client's copy: closed tickets are counted, not kept.
        state = state.public();
        Mirror {
            state,
            served_today,
            ratings_today,
        }
    }

    /// Applies a published batch; false if events were missed (resynchronise).
    fn apply(&mut self, published: &Published) -> bool {
        if published.last_seq <= self.state.seq {
            return true;
        }
        for env in &published.events {
            if env.seq <= self.state.seq {
                continue;
            }
            if env.seq != self.state.seq + 1 {
                return false;
            }
            match env.event {
                Event::TicketFinished { .. } => self.served_today += 1,
                Event::DayStarted { .. } => {
                    self.served_today = 0;
                    self.ratings_today = Default::default();
                }
                Event::FeedbackGiven { rating, .. } => self.ratings_today.add(rating),
                _ => {}
            }
            hall_core::apply(&mut self.state, env);
        }
        true
    }
}

async fn full_state(writer: &WeakWriter) -> Option<State> {
    writer.upgrade()?.full_state().await
}

/// Runs until shutdown or until the writer is gone. Holds only a weak sender to the writer,
/// so it never keeps it alive.
pub async fn run(
    hub: Arc<DashboardHub>,
    writer: WeakWriter,
    deltas: broadcast::Sender<Arc<Published>>,
    extras: Extras,
    estimates: Arc<crate::estimator::EstimateHub>,
    clock: Clock,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut mirror: Option<(Mirror, broadcast::Receiver<Arc<Published>>)> = None;
    let mut tick = tokio::time::interval(MIN_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_push = Instant::now();
    let mut dirty = false;
    loop {
        if hub.tx.receiver_count() == 0 {
            mirror = None;
            tokio::select! {
                _ = hub.wake.notified() => continue,
                _ = shutdown.wait_for(|s| *s) => return,
            }
        }
        let (m, rx) = match &mut mirror {
            Some((m, rx)) => (m, rx),
            None => {
                // Subscribe before asking for the state, so no batch falls between.
                let rx = deltas.subscribe();
                let Some(state) = full_state(&writer).await else {
                    return;
                };
                let (m, rx) = mirror.insert((Mirror::from_full(state), rx));
                dirty = true;
                last_push = Instant::now() - MAX_INTERVAL;
                (m, rx)
            }
        };
        let mut now_please = false;
        let mut resync = false;
        tokio::select! {
            p = rx.recv() => match p {
                Ok(p) => {
                    dirty = true;
                    resync = !m.apply(&p);
                }
                Err(broadcast::error::RecvError::Lagged(_)) => resync = true,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = hub.wake.notified() => now_please = true,
            _ = tick.tick() => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
        if resync {
            mirror = None;
            continue;
        }
        let since = last_push.elapsed();
        if now_please || (dirty && since >= MIN_INTERVAL) || since >= MAX_INTERVAL {
            let (devices, pairings, breaks) = extras();
            let figures = estimates.latest();
            let mut view = dashboard(
                &m.state,
                clock(),
                Some(&figures.outlook),
                m.served_today,
                devices,
                pairings,
            );
            view.chain_breaks = breaks;
            view.ratings_today = m.ratings_today;
            hub.tx.send_replace(Arc::new(LiveView::Dashboard(view)));
            last_push = Instant::now();
            dirty = false;
        }
    }
}

//! The queue model on the server (ARCHITECTURE.md, "Estimates"), off the writer's path.
//!
//! One thread, at a lowered CPU priority, keeps its own mirror of the hall (the writer's
//! public snapshot once, then the published deltas, as any client) and what the model learns
//! (`hall_forecast::Learned`: at start-up from the log's last `HISTORY_EVENTS` events,
//! then from every published batch). It recomputes the forecast on a coalesced signal: at most
//! every `MIN_INTERVAL` after a change, and every `MAX_INTERVAL` without one (waits move with
//! time). The result is shared (`EstimateHub::latest`): the writer reads it for receipts and
//! ticket pages (a look-up, where it used to count people ahead on every ticket issued), the
//! dashboard for its waits, and kiosks watch the services' figures (`watch_estimates`).
//! A command is acknowledged when it commits; nothing waits for a recompute, except a new
//! ticket's receipt: paper cannot be corrected, so the writer hands it here
//! (`EstimateHub::complete_receipt`) and the thread answers once its mirror holds the ticket's
//! commit, from a forecast that accounts for every command committed before it (one recompute
//! for every receipt waiting, however many). A receipt the thread cannot take, or that waits
//! more than `RECEIPT_WAIT`, goes out with the writer's figures from the latest forecast.

use crate::clock::Clock;
use crate::published::Published;
use crate::reports::Reader;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::{Catalog, State};
use hall_forecast::{Forecast, Learned, advisor};
use hall_wire::views::LiveView;
use hall_wire::{ReplyBody, TicketReceipt};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, oneshot, watch};

/// The quickest a recompute follows the one before.
pub const MIN_INTERVAL: Duration = Duration::from_millis(250);
/// The longest between two recomputes.
pub const MAX_INTERVAL: Duration = Duration::from_secs(5);
/// Events of the log learned from at start-up (about two months of a busy center).
pub const HISTORY_EVENTS: u64 = 500_000;
/// The model thread's nice value: under load the writer and the sockets come first.
const NICE: i32 = 10;
/// The longest a receipt waits for the model to catch up before it goes out with the
/// figures the writer had.
pub const RECEIPT_WAIT: Duration = Duration::from_secs(1);
/// Batches queued for the model thread; beyond, it catches up from a fresh snapshot (memory
/// stays bounded however far behind a starved thread falls).
const BACKLOG: usize = 1024;

/// Where a command's answer goes (the connection that asked).
pub type Reply = oneshot::Sender<Result<ReplyBody, ErrorBody>>;

enum Msg {
    Batch(Arc<Published>),
    Lagged,
    /// A receipt to complete once the mirror holds the log up to `upto`.
    Receipt {
        upto: u64,
        receipt: Box<TicketReceipt>,
        reply: Reply,
    },
    Advice {
        target_minutes: u32,
        reply: oneshot::Sender<advisor::StaffingAdvice>,
    },
}

/// Where the writer, the dashboard and connections pick up the model's figures.
pub struct EstimateHub {
    latest: Mutex<Arc<Forecast>>,
    generation: AtomicU64,
    outlook: watch::Sender<Arc<LiveView>>,
    inbox: Mutex<Option<std_mpsc::SyncSender<Msg>>>,
}

impl Default for EstimateHub {
    fn default() -> Self {
        EstimateHub {
            latest: Mutex::new(Arc::new(Forecast::default())),
            generation: AtomicU64::new(0),
            outlook: watch::channel(Arc::new(LiveView::Estimates(Default::default()))).0,
            inbox: Mutex::new(None),
        }
    }
}

impl EstimateHub {
    /// The latest forecast (empty before the first).
    pub fn latest(&self) -> Arc<Forecast> {
        self.latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Bumped on every new forecast.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Follow the services' figures.
    pub fn watch(&self) -> watch::Receiver<Arc<LiveView>> {
        self.outlook.subscribe()
    }

    /// Publishes a forecast (the model thread; tests that drive a writer by hand).
    pub fn publish(&self, forecast: Forecast) {
        let view = LiveView::Estimates(forecast.outlook.clone());
        *self.latest.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(forecast);
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.outlook.send_if_modified(|old| {
            if **old == view {
                false
            } else {
                *old = Arc::new(view);
                true
            }
        });
    }

    /// Hands a just-issued ticket's receipt (with the writer's figures) to the model thread,
    /// which answers `reply` with figures exact as of `upto` (the ticket's commit). Returns
    /// them back when the thread cannot take them (not running, or its queue full): the
    /// caller answers at once.
    pub fn complete_receipt(
        &self,
        upto: u64,
        receipt: Box<TicketReceipt>,
        reply: Reply,
    ) -> Option<(Box<TicketReceipt>, Reply)> {
        let inbox = self.inbox.lock().unwrap_or_else(|p| p.into_inner());
        let Some(tx) = inbox.as_ref() else {
            return Some((receipt, reply));
        };
        match tx.try_send(Msg::Receipt {
            upto,
            receipt,
            reply,
        }) {
            Ok(()) => None,
            Err(
                std_mpsc::TrySendError::Full(Msg::Receipt { receipt, reply, .. })
                | std_mpsc::TrySendError::Disconnected(Msg::Receipt { receipt, reply, .. }),
            ) => Some((receipt, reply)),
            Err(_) => unreachable!("a receipt was sent"),
        }
    }

    /// The staffing advisor's answer, computed on the model thread.
    pub async fn advice(&self, target_minutes: u32) -> Result<ReplyBody, ErrorBody> {
        if !(1..=480).contains(&target_minutes) {
            return Err(ErrorBody::new(
                ErrorCode::InvalidRange,
                "the target wait must be between 1 and 480 minutes",
            ));
        }
        let (reply, answer) = oneshot::channel();
        let sent = self
            .inbox
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|tx| {
                tx.try_send(Msg::Advice {
                    target_minutes,
                    reply,
                })
                .is_ok()
            });
        let unavailable =
            || ErrorBody::new(ErrorCode::ShuttingDown, "the queue model is not running");
        if !sent {
            return Err(unavailable());
        }
        match answer.await {
            Ok(advice) => Ok(ReplyBody::Advice {
                advice: Box::new(advice),
            }),
            Err(_) => Err(unavailable()),
        }
    }
}

/// Where the model gets the hall: the committed state as clients see it (`State::public`),
/// at its start and after missed batches. The estimator is below the writer: whoever starts
/// both (`shell`) says how to ask it.
pub struct Hall {
    /// The state; none once the writer has stopped.
    pub state: Box<dyn Fn() -> Option<State> + Send>,
    /// Whether the writer still runs.
    pub running: Box<dyn Fn() -> bool + Send>,
}

/// Starts the model: a task that forwards the published batches, and the model's thread.
pub fn start(
    hub: Arc<EstimateHub>,
    hall: Hall,
    deltas: &broadcast::Sender<Arc<Published>>,
    reader: Arc<Reader>,
    catalog: Catalog,
    clock: Clock,
) {
    let (tx, rx) = std_mpsc::sync_channel(BACKLOG);
    *hub.inbox.lock().unwrap_or_else(|p| p.into_inner()) = Some(tx.clone());
    // Subscribed before the snapshot is asked for, so no batch falls between.
    let mut sub = deltas.subscribe();
    tokio::spawn(async move {
        let mut dropped = false;
        loop {
            let msg = match sub.recv().await {
                Ok(p) => Msg::Batch(p),
                Err(broadcast::error::RecvError::Lagged(_)) => Msg::Lagged,
                Err(broadcast::error::RecvError::Closed) => break,
            };
            // A full queue drops the batch and, once there is room, says so: the thread then
            // takes a fresh snapshot.
            if dropped {
                match tx.try_send(Msg::Lagged) {
                    Ok(()) => dropped = false,
                    Err(std_mpsc::TrySendError::Full(_)) => continue,
                    Err(std_mpsc::TrySendError::Disconnected(_)) => break,
                }
            }
            match tx.try_send(msg) {
                Ok(()) => {}
                Err(std_mpsc::TrySendError::Full(_)) => dropped = true,
                Err(std_mpsc::TrySendError::Disconnected(_)) => break,
            }
        }
    });
    let spawned = std::thread::Builder::new()
        .name("estimator".into())
        .spawn(move || {
            lower_priority();
            run(hub, hall, rx, reader, catalog, clock);
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "the queue model could not start; no estimates");
    }
}

fn lower_priority() {
    // SAFETY: setpriority on this thread's own id (Linux: a thread is a task) changes no
    // memory; failure only leaves the priority as it was.
    let r = unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, NICE)
    };
    if r != 0 {
        tracing::debug!("could not lower the queue model's priority");
    }
}

/// What the model learns before the first batch: the log's last events up to `upto`.
fn learn_history(reader: &Reader, catalog: &Catalog, upto: u64) -> Learned {
    let mut learned = Learned::from_catalog(catalog);
    let mut after = upto.saturating_sub(HISTORY_EVENTS);
    while after < upto {
        let events = match reader.events_after(after, 10_000) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "the log could not be read; estimates start from the catalog");
                break;
            }
        };
        let Some(last) = events.last().map(|e| e.seq) else {
            break;
        };
        for env in events.iter().filter(|e| e.seq <= upto) {
            learned.fold(env);
        }
        after = last;
    }
    // The catalog in force wins over the one the history began with.
    learned.fold(&hall_core::Envelope {
        seq: upto,
        at: chrono::DateTime::UNIX_EPOCH,
        actor: "system".into(),
        event: hall_core::Event::CatalogLoaded {
            catalog: Box::new(catalog.clone()),
        },
    });
    learned
}

fn run(
    hub: Arc<EstimateHub>,
    hall: Hall,
    rx: std_mpsc::Receiver<Msg>,
    reader: Arc<Reader>,
    catalog: Catalog,
    clock: Clock,
) {
    let Some(mut state) = (hall.state)() else {
        return;
    };
    let mut learned = learn_history(&reader, &catalog, state.seq);
    let mut last = Instant::now() - MAX_INTERVAL;
    let mut dirty = true;
    let mut receipts = Receipts::default();
    loop {
        let due = if dirty { MIN_INTERVAL } else { MAX_INTERVAL };
        let mut wait = due.saturating_sub(last.elapsed());
        if let Some(deadline) = receipts.first_deadline() {
            wait = wait.min(deadline.saturating_duration_since(Instant::now()));
        }
        let mut resync = false;
        let mut handle = |msg: Msg, state: &mut State, learned: &mut Learned| match msg {
            Msg::Receipt {
                upto,
                receipt,
                reply,
            } => receipts.0.push(Waiting {
                upto,
                receipt,
                reply,
                deadline: Instant::now() + RECEIPT_WAIT,
            }),
            Msg::Batch(p) => {
                if !mirror(state, learned, &p) {
                    resync = true;
                }
                dirty = true;
            }
            Msg::Lagged => resync = true,
            Msg::Advice {
                target_minutes,
                reply,
            } => {
                let _ = reply.send(advisor::advise(state, learned, clock(), target_minutes));
            }
        };
        match rx.recv_timeout(wait) {
            Ok(msg) => handle(msg, &mut state, &mut learned),
            // The hub holds a sender too: a writer gone is the end.
            Err(std_mpsc::RecvTimeoutError::Timeout) if !(hall.running)() => return,
            Err(std_mpsc::RecvTimeoutError::Timeout) => {}
            Err(std_mpsc::RecvTimeoutError::Disconnected) => return,
        }
        while let Ok(msg) = rx.try_recv() {
            handle(msg, &mut state, &mut learned);
        }
        if resync {
            // Batches were missed: the state again; what they would have taught is lost.
            match (hall.state)() {
                Some(s) => state = s,
                None => return,
            }
            dirty = true;
        }
        // Receipts whose ticket the mirror holds: one recompute for all of them, now.
        let now_due = receipts.0.iter().any(|r| r.upto <= state.seq);
        if now_due || last.elapsed() >= if dirty { MIN_INTERVAL } else { MAX_INTERVAL } {
            let now = clock();
            let forecast = hall_forecast::forecast(&state, &learned, now);
            receipts.answer_ready(&state, &forecast, now);
            hub.publish(forecast);
            last = Instant::now();
            dirty = false;
        }
        receipts.answer_late();
    }
}

/// A receipt waiting for the mirror to reach its ticket's commit.
struct Waiting {
    upto: u64,
    receipt: Box<TicketReceipt>,
    reply: Reply,
    deadline: Instant,
}

/// The receipts waiting; any left when the thread ends go out with the writer's figures.
#[derive(Default)]
struct Receipts(Vec<Waiting>);

impl Receipts {
    fn first_deadline(&self) -> Option<Instant> {
        self.0.iter().map(|r| r.deadline).min()
    }

    /// Takes out the receipts `which` picks; the others keep waiting.
    fn take(&mut self, which: impl Fn(&Waiting) -> bool) -> Vec<Waiting> {
        let (taken, waiting) = self.0.drain(..).partition(which);
        self.0 = waiting;
        taken
    }

    /// Answers those the mirror has caught up with, from `forecast` (computed on that mirror).
    fn answer_ready(&mut self, state: &State, forecast: &Forecast, now: hall_core::Timestamp) {
        for mut r in self.take(|r| r.upto <= state.seq) {
            exact_figures(&mut r.receipt, state, forecast, now);
            send(r);
        }
    }

    /// Those past their deadline, as the writer made them.
    fn answer_late(&mut self) {
        let now = Instant::now();
        let late = self.take(|r| r.deadline <= now);
        if !late.is_empty() {
            tracing::debug!(
                receipts = late.len(),
                "the queue model was late; receipts sent with the writer's figures"
            );
        }
        late.into_iter().for_each(send);
    }
}

impl Drop for Receipts {
    fn drop(&mut self) {
        self.0.drain(..).for_each(send);
    }
}

fn send(r: Waiting) {
    let _ = r.reply.send(Ok(ReplyBody::Ticket { ticket: r.receipt }));
}

/// A receipt's people ahead and wait from a forecast of the hall that holds its ticket. A
/// ticket already called or gone by then keeps the writer's figures.
fn exact_figures(
    receipt: &mut TicketReceipt,
    state: &State,
    forecast: &Forecast,
    now: hall_core::Timestamp,
) {
    let Some(view) = hall_forecast::estimates::ticket_view(state, receipt.id, now, forecast) else {
        return;
    };
    let Some(ahead) = view.people_ahead else {
        return;
    };
    receipt.people_ahead = ahead;
    receipt.estimated_wait_secs = view.estimated_wait_secs;
    receipt.wait_low_secs = view.wait_low_secs;
    receipt.wait_high_secs = view.wait_high_secs;
}

/// Applies a published batch to the mirror and the learner; false if events were missed.
fn mirror(state: &mut State, learned: &mut Learned, published: &Published) -> bool {
    if published.last_seq <= state.seq {
        return true;
    }
    for env in &published.events {
        if env.seq <= state.seq {
            continue;
        }
        if env.seq != state.seq + 1 {
            return false;
        }
        learned.fold(env);
        hall_core::apply(state, env);
    }
    true
}

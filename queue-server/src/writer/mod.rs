//! The writer task: the one owner of the engine state and the event store.
//!
//! It takes the commands that arrived together (up to `MAX_BATCH`), decides and applies them
//! in order, appends all their events in one transaction, and only after that commit answers
//! them and publishes the events (group commit). A failed commit answers every command of the
//! batch with `storage_failure` and reloads the state from disk, so memory never runs ahead of
//! the log.

use crate::estimator::EstimateHub;
use crate::store::Store;
use crate::views::{Sources, ViewKey, Views};
use axum::extract::ws::Utf8Bytes;
use hall_core::engine;
use hall_core::engine::{Actor, Command};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::kpi::ClerkTally;
use hall_core::state::idempotency_slot;
use hall_core::{Envelope, Event, State, TicketId, Timestamp};
use hall_forecast::Forecast;
use hall_forecast::estimates::{TicketView, ticket_view};
use hall_wire::views::LiveView;
use hall_wire::{ReplyBody, ServerFrame, TicketReceipt};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot, watch};

pub mod handle;
pub use handle::{WeakWriter, WriterHandle};

/// Most commands committed in one transaction.
pub const MAX_BATCH: usize = 2048;

pub use crate::clock::Clock;
use crate::published::Published;

pub enum WriterMsg {
    Command {
        actor: Actor,
        command: Command,
        reply: oneshot::Sender<Result<ReplyBody, ErrorBody>>,
    },
    /// A snapshot of committed state, already serialized as a `snapshot` frame.
    Snapshot {
        reply: oneshot::Sender<(u64, Utf8Bytes)>,
    },
    /// Follow a ticket's page view.
    Watch {
        token: String,
        reply: oneshot::Sender<Result<watch::Receiver<Arc<TicketView>>, ErrorBody>>,
    },
    /// Follow a live view (a clerk's desk); see `views.rs`.
    WatchView {
        key: ViewKey,
        reply: oneshot::Sender<watch::Receiver<Arc<LiveView>>>,
    },
    /// Sent twice a second: start a new day at midnight, refresh ticket pages and views.
    Tick,
    /// A copy of the whole committed state (with today's closed tickets), for the dashboard.
    FullState { reply: oneshot::Sender<State> },
    /// A phone number left for an open ticket (its page token, or its id from the clerk);
    /// the answer shows it masked. Kept outside the log (`sms::outbox`).
    KeepPhone {
        target: PhoneFor,
        phone: crate::sms::Phone,
        lang: String,
        reply: oneshot::Sender<Result<String, ErrorBody>>,
    },
    /// The words of an answer to a citizen's text (a request's status, help, STOP).
    SmsAnswer {
        ask: crate::sms::ask::StatusAsk,
        lang: &'static str,
        reply: oneshot::Sender<String>,
    },
    /// A look at the committed state (requests for the back office and the `/r` page): the
    /// closure runs on the writer's thread after the batch commits and sends its own answer;
    /// it must be quick and must not block.
    Read { read: StateRead },
}

/// A look at the committed state, run on the writer's thread (`WriterMsg::Read`).
pub type StateRead = Box<dyn FnOnce(&State, Timestamp) + Send>;

/// Which ticket a phone number is for.
#[derive(Debug)]
pub enum PhoneFor {
    Token(String),
    Ticket(TicketId),
}

struct Watcher {
    tx: watch::Sender<Arc<TicketView>>,
}

pub struct Writer {
    state: State,
    store: Store,
    clock: Clock,
    deltas: broadcast::Sender<Arc<Published>>,
    committed: Arc<AtomicU64>,
    watchers: HashMap<TicketId, Vec<Watcher>>,
    /// Watched views may be stale (positions moved); refreshed on the next tick.
    views_dirty: bool,
    /// Pages of watched tickets touched by the batch being written, sent after its commit.
    page_updates: Vec<(TicketId, TicketView)>,
    /// Live views (desks) and what they need beyond the state: each clerk's figures today.
    views: Views,
    tally: ClerkTally,
    /// The queue model's figures (computed off this thread), and the last seen.
    estimates: Arc<EstimateHub>,
    seen_generation: u64,
    /// Set while a background thread writes a snapshot.
    snapshotting: Arc<AtomicBool>,
    last_snapshot: u64,
    snapshot_every: u64,
    /// Messages to citizens, when the center's file has `[sms]`.
    sms: Option<crate::sms::Notifier>,
}

struct Pending {
    reply: oneshot::Sender<Result<ReplyBody, ErrorBody>>,
    answer: Result<ReplyBody, ErrorBody>,
}

impl Writer {
    pub fn new(
        state: State,
        store: Store,
        clock: Clock,
        deltas: broadcast::Sender<Arc<Published>>,
        committed: Arc<AtomicU64>,
        estimates: Arc<EstimateHub>,
    ) -> Writer {
        committed.store(state.seq, Ordering::Release);
        let last_snapshot = state.seq;
        let snapshot_every = store.snapshot_every();
        // Today's figures per clerk, from the log (the counters open now keep their clerk).
        let mut tally = ClerkTally::new(
            state
                .counters
                .values()
                .filter_map(|c| c.clerk.clone().map(|k| (c.id, k))),
        );
        match store.events_of_today() {
            Ok(events) => events.iter().for_each(|e| tally.fold(e)),
            Err(e) => {
                tracing::warn!(error = %e, "today's events unreadable; clerk figures start at zero")
            }
        }
        Writer {
            state,
            store,
            clock,
            deltas,
            committed,
            watchers: HashMap::new(),
            views_dirty: false,
            page_updates: Vec::new(),
            views: Views::default(),
            tally,
            estimates,
            seen_generation: 0,
            snapshotting: Arc::new(AtomicBool::new(false)),
            last_snapshot,
            snapshot_every,
            sms: None,
        }
    }

    /// Turns messages to citizens on (`[sms]`); loads the numbers kept for open tickets.
    pub fn enable_sms(
        &mut self,
        settings: Arc<crate::sms::SmsSettings>,
        wake: Arc<tokio::sync::Notify>,
    ) -> Result<(), crate::store::StoreError> {
        let now = (self.clock)();
        let n = crate::sms::Notifier::load(settings, self.store.conn_mut(), now, wake)?;
        self.sms = Some(n);
        Ok(())
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Runs on its own thread (fsync blocks; it must not hold up the async workers) until
    /// every sender is gone, then writes a final snapshot.
    pub fn run(mut self, mut rx: mpsc::Receiver<WriterMsg>) {
        while let Some(first) = rx.blocking_recv() {
            let mut batch = Vec::with_capacity(64);
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(m) => batch.push(m),
                    Err(_) => break,
                }
            }
            self.process(batch);
        }
        while self.snapshotting.load(Ordering::Acquire) {
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Err(e) = self.store.snapshot(&self.state) {
            tracing::error!(error = %e, "final snapshot failed; the next start replays the log");
        }
        tracing::info!(seq = self.state.seq, "writer stopped");
    }

    fn on_tick(&mut self) {
        let now = (self.clock)();
        if let Some(cmd) = engine::day_change(&self.state, now) {
            let (reply, _) = oneshot::channel();
            self.process(vec![WriterMsg::Command {
                actor: Actor::system(),
                command: cmd,
                reply,
            }]);
        }
        // New figures from the model move every waiting ticket's estimate.
        let generation = self.estimates.generation();
        if generation != self.seen_generation {
            self.seen_generation = generation;
            self.views_dirty |= !self.watchers.is_empty();
            // People ahead moved without an event: a near-turn message may be due.
            if let Some(n) = &mut self.sms {
                let w = n.on_new_figures(&self.state, now, &self.estimates.latest());
                if !w.is_empty() {
                    match self.store.write_sms(&w) {
                        Ok(()) => n.committed(&w),
                        Err(e) => {
                            tracing::error!(error = %e, "near-turn messages not written; tried on the next figures")
                        }
                    }
                }
            }
        }
        if self.views_dirty {
            self.refresh_views(now);
        }
        let src = Sources {
            state: &self.state,
            tally: &self.tally,
            now,
        };
        self.views.on_tick(&src);
        self.watchers.retain(|_, ws| {
            ws.retain(|w| !w.tx.is_closed());
            !ws.is_empty()
        });
    }

    /// Decides and applies a batch, commits it once, then answers and publishes.
    /// One command decided and committed on the caller's thread, before the writer's thread
    /// runs (the catalog at start-up).
    pub fn command_now(&mut self, actor: Actor, command: Command) -> Result<ReplyBody, ErrorBody> {
        let (reply, mut answer) = oneshot::channel();
        self.process(vec![WriterMsg::Command {
            actor,
            command,
            reply,
        }]);
        answer
            .try_recv()
            .unwrap_or_else(|_| Err(handle::shutting_down()))
    }

    pub fn process(&mut self, batch: Vec<WriterMsg>) {
        let now = (self.clock)();
        let mut written: Vec<Envelope> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut after_commit: Vec<WriterMsg> = Vec::new();
        let mut tick = false;
        for msg in batch {
            match msg {
                WriterMsg::Tick => tick = true,
                WriterMsg::Command {
                    actor,
                    command,
                    reply,
                } => {
                    if !matches!(
                        command,
                        Command::LoadCatalog { .. } | Command::StartDay { .. }
                    ) && let Some(day) = engine::day_change(&self.state, now)
                    {
                        // Starting a day cannot be refused; a rejection here would be a bug.
                        if let Err(e) = self.execute(&Actor::system(), &day, now, &mut written) {
                            tracing::error!(?e, "day change refused");
                        }
                    }
                    let first = written.len();
                    let answer = match self.execute(&actor, &command, now, &mut written) {
                        Ok(seq) => reply_for(
                            &self.state,
                            &self.estimates.latest(),
                            &actor,
                            &command,
                            &written[first..],
                            seq,
                            now,
                        ),
                        Err(e) => Err(e),
                    };
                    pending.push(Pending { reply, answer });
                }
                other => after_commit.push(other),
            }
        }
        let sms = match &self.sms {
            Some(n) if !written.is_empty() => {
                n.for_batch(&self.state, &written, now, &self.estimates.latest())
            }
            _ => Default::default(),
        };
        if !written.is_empty() {
            if let Err(e) = self.store.append_with(&written, &sms) {
                tracing::error!(error = %e, events = written.len(), "commit failed; reloading state from disk");
                let failure = ErrorBody::new(
                    ErrorCode::StorageFailure,
                    "the server could not save this; try again",
                );
                for p in pending {
                    // Nothing of this batch is on disk: every success becomes a failure.
                    let answer = if p.answer.is_ok() {
                        Err(failure.clone())
                    } else {
                        p.answer
                    };
                    let _ = p.reply.send(answer);
                }
                self.page_updates.clear();
                self.views.mark_stale();
                match self.store.load_state() {
                    Ok(s) => self.state = s,
                    Err(e) => {
                        tracing::error!(error = %e, "reload failed; state may be ahead of disk")
                    }
                }
                self.answer_after_commit(after_commit, now);
                return;
            }
            self.committed.store(self.state.seq, Ordering::Release);
            if let Some(n) = &mut self.sms {
                n.committed(&sms);
            }
            for env in &written {
                self.tally.fold(env);
            }
        }
        // The people who asked hear first (a handful), then every subscriber. A new ticket's
        // receipt is completed by the queue model once it has this batch (its figures then
        // count every command committed before it), unless the model cannot take it.
        let upto = self.state.seq;
        for p in pending {
            match p.answer {
                Ok(ReplyBody::Ticket { ticket }) => {
                    if let Some((ticket, reply)) =
                        self.estimates.complete_receipt(upto, ticket, p.reply)
                    {
                        let _ = reply.send(Ok(ReplyBody::Ticket { ticket }));
                    }
                }
                answer => {
                    let _ = p.reply.send(answer);
                }
            }
        }
        if !written.is_empty() {
            self.publish(&written);
            let src = Sources {
                state: &self.state,
                tally: &self.tally,
                now,
            };
            self.views.after_batch(&written, &src);
            self.maybe_snapshot();
        }
        self.answer_after_commit(after_commit, now);
        if tick {
            self.on_tick();
        }
    }

    /// Every `snapshot_every` events, a snapshot written by a background thread from a copy
    /// of the committed state, so the writer does not stop for it.
    fn maybe_snapshot(&mut self) {
        if self.state.seq < self.last_snapshot + self.snapshot_every
            || self.snapshotting.swap(true, Ordering::AcqRel)
        {
            return;
        }
        self.last_snapshot = self.state.seq;
        let state = self.state.clone();
        let path = self.store.path().to_path_buf();
        let busy = self.snapshotting.clone();
        let spawned = std::thread::Builder::new().name("snapshot".into()).spawn(move || {
            if let Err(e) = crate::store::write_snapshot_at(&path, &state) {
                tracing::warn!(error = %e, "snapshot failed; restart will replay more of the log");
            }
            busy.store(false, Ordering::Release);
        });
        if spawned.is_err() {
            self.snapshotting.store(false, Ordering::Release);
        }
    }

    /// Decides one command and applies its events; returns the last seq written (or the
    /// current one if nothing changed).
    fn execute(
        &mut self,
        actor: &Actor,
        command: &Command,
        now: Timestamp,
        written: &mut Vec<Envelope>,
    ) -> Result<u64, ErrorBody> {
        let events = engine::decide(&self.state, actor, command, now)?;
        let label = actor.label();
        let forecast = self.estimates.latest();
        for event in events {
            let env = Envelope {
                seq: self.state.seq + 1,
                at: now,
                actor: label.clone(),
                event,
            };
            hall_core::apply(&mut self.state, &env);
            // A watched ticket's page is computed right after each event about it, before a
            // later event of the batch (a new day) can take the ticket out of the state.
            if let Some(t) = env.event.ticket()
                && self.watchers.contains_key(&t)
                && let Some(view) = ticket_view(&self.state, t, now, &forecast)
            {
                self.page_updates.push((t, view));
            }
            written.push(env);
        }
        Ok(self.state.seq)
    }

    fn publish(&mut self, written: &[Envelope]) {
        let events: Vec<Envelope> = written
            .iter()
            .map(|e| Envelope {
                seq: e.seq,
                at: e.at,
                actor: e.actor.clone(),
                event: e.event.redacted(),
            })
            .collect();
        let frame = ServerFrame::delta_json(&events);
        let published = Published {
            first_seq: written[0].seq,
            last_seq: written[written.len() - 1].seq,
            frame: frame.into(),
            events,
        };
        // No receivers is fine: nobody is subscribed.
        let _ = self.deltas.send(Arc::new(published));
        // A watched ticket's own events reach its page at once; the rest (positions moved by
        // others) on the next tick.
        for (id, view) in std::mem::take(&mut self.page_updates) {
            self.send_view(id, view);
        }
        if !self.watchers.is_empty() {
            self.views_dirty = true;
        }
    }

    fn send_view(&self, id: TicketId, view: TicketView) {
        for w in self.watchers.get(&id).into_iter().flatten() {
            w.tx.send_if_modified(|old| {
                if **old == view {
                    false
                } else {
                    *old = Arc::new(view.clone());
                    true
                }
            });
        }
    }

    fn refresh_views(&mut self, now: Timestamp) {
        let ids: Vec<TicketId> = self.watchers.keys().copied().collect();
        let forecast = self.estimates.latest();
        for id in ids {
            if let Some(view) = ticket_view(&self.state, id, now, &forecast) {
                self.send_view(id, view);
            }
        }
        self.views_dirty = false;
    }

    fn answer_after_commit(&mut self, msgs: Vec<WriterMsg>, now: Timestamp) {
        let mut snapshot: Option<Utf8Bytes> = None;
        for msg in msgs {
            match msg {
                WriterMsg::Snapshot { reply } => {
                    let frame = snapshot.get_or_insert_with(|| {
                        serde_json::to_string(&ServerFrame::Snapshot {
                            state: Box::new(self.state.public()),
                        })
                        .expect("frames serialize")
                        .into()
                    });
                    let _ = reply.send((self.state.seq, frame.clone()));
                }
                WriterMsg::Watch { token, reply } => {
                    let answer = match self.state.ticket_by_token(&token).and_then(|id| {
                        ticket_view(&self.state, id, now, &self.estimates.latest()).map(|v| (id, v))
                    }) {
                        Some((id, view)) => {
                            let (tx, rx) = watch::channel(Arc::new(view));
                            self.watchers.entry(id).or_default().push(Watcher { tx });
                            Ok(rx)
                        }
                        None => Err(ErrorBody::new(
                            ErrorCode::UnknownTicket,
                            "no ticket has this token today",
                        )),
                    };
                    let _ = reply.send(answer);
                }
                WriterMsg::FullState { reply } => {
                    let _ = reply.send(self.state.clone());
                }
                WriterMsg::Read { read } => read(&self.state, now),
                WriterMsg::WatchView { key, reply } => {
                    let src = Sources {
                        state: &self.state,
                        tally: &self.tally,
                        now,
                    };
                    let _ = reply.send(self.views.watch(key, &src));
                }
                WriterMsg::KeepPhone {
                    target,
                    phone,
                    lang,
                    reply,
                } => {
                    let _ = reply.send(self.keep_phone(target, phone, &lang, now));
                }
                WriterMsg::SmsAnswer { ask, lang, reply } => {
                    let text = match &self.sms {
                        Some(n) => n.answer(&self.state, &ask, lang),
                        None => continue,
                    };
                    let _ = reply.send(text);
                }
                WriterMsg::Command { .. } | WriterMsg::Tick => unreachable!("handled in the batch"),
            }
        }
    }
}

impl Writer {
    fn keep_phone(
        &mut self,
        target: PhoneFor,
        phone: crate::sms::Phone,
        lang: &str,
        now: Timestamp,
    ) -> Result<String, ErrorBody> {
        let Some(n) = &mut self.sms else {
            return Err(ErrorBody::new(
                ErrorCode::SmsUnavailable,
                "this center sends no text messages",
            ));
        };
        let id = match target {
            PhoneFor::Token(token) => self.state.ticket_by_token(&token),
            PhoneFor::Ticket(id) => Some(id),
        };
        let Some(id) = id.filter(|id| self.state.tickets.contains_key(id)) else {
            return Err(ErrorBody::new(
                ErrorCode::UnknownTicket,
                "no open ticket has this token or id",
            ));
        };
        let masked = phone.masked();
        let forecast = self.estimates.latest();
        n.keep(
            self.store.conn_mut(),
            &self.state,
            id,
            phone,
            lang,
            now,
            &forecast,
        )
        .map_err(|e| {
            tracing::error!(error = %e, "a phone number could not be kept");
            ErrorBody::new(ErrorCode::StorageFailure, "the number could not be saved")
        })?;
        Ok(masked)
    }
}

/// The answer to a command that was carried out, from the events it was decided into
/// (`decided`); the state is read only for what the events do not carry (a receipt's place in
/// the queue, a ticket's label).
fn reply_for(
    state: &State,
    forecast: &Forecast,
    actor: &Actor,
    command: &Command,
    decided: &[Envelope],
    seq: u64,
    now: Timestamp,
) -> Result<ReplyBody, ErrorBody> {
    match command {
        Command::IssueTicket {
            idempotency_key,
            token,
            ..
        } => {
            let issued = decided.iter().find_map(|e| match &e.event {
                Event::TicketIssued { ticket } => Some(ticket.id),
                _ => None,
            });
            // No event: a retry with a key already used, answered with the ticket it got.
            let id = issued
                .or_else(|| {
                    (!idempotency_key.is_empty())
                        .then(|| idempotency_slot(&actor.label(), idempotency_key))
                        .and_then(|slot| state.idempotency.get(&slot).map(|k| k.ticket))
                })
                .or_else(|| state.ticket_by_token(token));
            match id.and_then(|id| state.tickets.get(&id)) {
                Some(t) => Ok(ReplyBody::Ticket {
                    ticket: Box::new(receipt(state, t, now, forecast)),
                }),
                None => Err(ErrorBody::new(
                    ErrorCode::TicketClosed,
                    "the ticket for this request is already finished",
                )),
            }
        }
        Command::CallNext { counter }
        | Command::CallTicket { counter, .. }
        | Command::ReturnParked { counter, .. } => {
            let called = decided.iter().find_map(|e| match e.event {
                Event::TicketCalled { ticket, .. } | Event::TicketReturned { ticket, .. } => {
                    Some(ticket)
                }
                _ => None,
            });
            match called.and_then(|t| state.tickets.get(&t)) {
                Some(t) => Ok(ReplyBody::Called {
                    ticket: t.id,
                    label: t.label.clone(),
                    counter: *counter,
                    seq,
                }),
                None => Err(ErrorBody::new(
                    ErrorCode::Internal,
                    "called ticket not found",
                )),
            }
        }
        Command::Finish {
            outcome: hall_core::Outcome::RequestSubmitted,
            ..
        } => {
            let created = decided.iter().find_map(|e| match &e.event {
                Event::RequestCreated { reference, .. } => Some(reference),
                _ => None,
            });
            match created.and_then(|r| state.requests.get(r)) {
                Some(r) => Ok(ReplyBody::RequestReceipt {
                    receipt: Box::new(
                        r.receipt(service_name(state, &r.service), state.center_name()),
                    ),
                }),
                None => Err(ErrorBody::new(
                    ErrorCode::Internal,
                    "created request not found",
                )),
            }
        }
        _ => Ok(ReplyBody::Done { seq }),
    }
}

/// A service's names from the hall ("" if it left the catalog).
pub fn service_name(state: &State, service: &str) -> hall_core::Names {
    state
        .services
        .get(service)
        .map(|q| q.service.name.clone())
        .unwrap_or_default()
}

/// A ticket's receipt: its wait from the model's latest figures (`Forecast::ticket_wait`: a
/// look-up, whatever the length of the queue).
pub fn receipt(
    state: &State,
    t: &hall_core::Ticket,
    now: Timestamp,
    forecast: &Forecast,
) -> TicketReceipt {
    let view = ticket_view(state, t.id, now, forecast);
    let service = state.services.get(&t.service).map(|q| &q.service);
    TicketReceipt {
        id: t.id,
        label: t.label.clone(),
        service: t.service.clone(),
        service_name: service.map(|s| s.name.clone()).unwrap_or_default(),
        priority: t.priority,
        issued_at: t.issued_at,
        token: t.token.clone(),
        people_ahead: view.as_ref().and_then(|v| v.people_ahead).unwrap_or(0),
        estimated_wait_secs: view.as_ref().and_then(|v| v.estimated_wait_secs),
        wait_low_secs: view.as_ref().and_then(|v| v.wait_low_secs),
        wait_high_secs: view.as_ref().and_then(|v| v.wait_high_secs),
        documents: service.map(|s| s.documents.clone()).unwrap_or_default(),
        center_name: state.center_name(),
        fee_piasters: service.map(|s| s.fee_piasters),
        // The shell adds it: the center's public address is not the writer's business.
        page_url: None,
    }
}

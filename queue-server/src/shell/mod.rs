//! The server's shell around the engine: start-up wiring (store, state, catalog, writer,
//! ticker, dashboard, queue model), serving, and graceful shutdown. Everything else is by concern:
//!
//! - `hub`: what connections and routes share (the writer's handle among it).
//! - `http`: the routes (`/ws`, `/healthz`, `/`, the consoles, `export`).
//! - `connection`: the socket loop, one task per connection; `peer`: what a connection is.
//! - `dispatch`: one frame parsed, checked and handed to its family's handler (`handlers/`).
//! - `session`: the role table and the identity requests.
//! - `sys`: the libc tweaks (descriptor limit, freed memory).

mod connection;
mod dispatch;
mod export;
pub(crate) mod handlers;
mod http;
pub(crate) mod hub;
mod peer;
mod session;
mod sys;

pub use http::router;
pub use hub::{CLOSE_REVOKED, Hub};
pub use session::permitted;
pub use sys::raise_fd_limit;

use crate::auth::{Auth, AuthError};
use crate::chain;
use crate::clock::Clock;
use crate::dashboard::{DashboardHub, Presence};
use crate::estimator::EstimateHub;
use crate::pairing::Pairings;
use crate::reports::{NameBook, Reader};
use crate::store::{Store, StoreError};
use crate::writer::Writer;
use crate::writer::handle::{WeakWriter, WriterHandle};
use axum::Router;
use axum::serve::ListenerExt;
use hall_core::Catalog;
use hall_core::engine::{Actor, Command};
use hall_wire::startup::FirstStart;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};

/// Deltas kept for slow subscribers; one further behind gets a fresh snapshot instead.
const DELTA_BACKLOG: usize = 1024;
/// How long shutdown waits for connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

pub struct ServerOptions {
    pub data_dir: PathBuf,
    pub catalog: Catalog,
    pub clock: Clock,
    pub snapshot_every: u64,
    /// Serve even if the chain is broken (`--accept-broken-chain`): the break is written to
    /// the admin log and the chain goes on from the rows as they are.
    pub accept_broken_chain: bool,
    /// The center's place in the national network; `None`: the center runs alone.
    pub network: Option<hall_wire::center_file::Network>,
    /// Messages to citizens (`[sms]`); `None`: none are sent and no number is kept.
    pub sms: Option<crate::sms::SmsSettings>,
    /// The public address and where staff may sign in from (`[access]`).
    pub access: hall_wire::center_file::Access,
    /// The counters' slip printers (`printer` in their `[[counters]]` tables, `slips.rs`).
    pub counter_printers:
        std::collections::HashMap<hall_core::CounterId, crate::slips::CounterPrinter>,
}

impl ServerOptions {
    pub fn new(data_dir: impl Into<PathBuf>, catalog: Catalog) -> Self {
        ServerOptions {
            data_dir: data_dir.into(),
            catalog,
            clock: crate::clock::system(),
            snapshot_every: 10_000,
            accept_broken_chain: false,
            network: None,
            sms: None,
            access: Default::default(),
            counter_printers: Default::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Auth(#[from] AuthError),
    #[error("the configuration was refused: {0}")]
    Catalog(String),
    #[error(
        "the log was changed outside the server: {first}{}; `queue-server verify --data DIR` lists every break; start with --accept-broken-chain to serve anyway (recorded in the audit log)",
        if *more > 0 { format!(" (and {more} more)") } else { String::new() }
    )]
    BrokenChain { first: chain::Break, more: usize },
}

/// What the start's background check of the rows before the verified point did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OlderRows {
    /// The log had no verified point yet: the start itself checked every row.
    NothingToCheck,
    /// Checked; breaks the admin log did not already hold were written to it.
    Checked { new_breaks: usize },
    /// The check could not read the log (a warning is logged).
    Failed,
}

pub struct Server {
    hub: Arc<Hub>,
    writer: std::thread::JoinHandle<()>,
    shutdown: watch::Sender<bool>,
    /// Accounts made at this start, if it was the first.
    pub first_start: Option<FirstStart>,
    pub started_seq: u64,
    /// What the start's background check of the rows before the verified point did, once it
    /// is over.
    older_checked: watch::Receiver<Option<OlderRows>>,
}

/// What the start-up read from the data directory, before anything runs.
struct Opened {
    store: Store,
    state: hall_core::State,
    auth: Auth,
    first_start: Option<FirstStart>,
    reader: Reader,
    unchecked: Unchecked,
}

/// Where the writer's output goes: the delta frames for connections and tasks, the last
/// committed sequence, the queue model's figures.
struct Outputs {
    deltas: broadcast::Sender<Arc<crate::published::Published>>,
    committed: Arc<AtomicU64>,
    estimates: Arc<EstimateHub>,
}

impl Server {
    /// The start-up, step by step: the data directory; the log opened, its chain verified
    /// and the hall rebuilt; the writer given the catalog (and the outbox) and started on
    /// its thread; then the tasks around it: the ticker, the queue model, the SMS link, the
    /// uplink; finally what connections share (`Hub`), with the dashboard.
    pub async fn start(opts: ServerOptions) -> Result<Server, StartError> {
        sys::map_large_blocks();
        let db = data_dir(&opts)?;
        let opened = open_log(&opts, db.clone()).await?;
        let started_seq = opened.state.seq;
        let outputs = Outputs {
            deltas: broadcast::channel(DELTA_BACKLOG).0,
            committed: Arc::new(AtomicU64::new(0)),
            estimates: Arc::new(EstimateHub::default()),
        };
        // The rating link after service points at the center's public address.
        let sms = opts.sms.clone().map(|mut s| {
            s.public_url = opts.access.link("");
            Arc::new(s)
        });
        let sms_wake = Arc::new(tokio::sync::Notify::new());
        let writer = writer_for(&opts, opened.store, opened.state, &outputs, &sms, &sms_wake)?;
        let center = writer.state().center_name();
        let tz = writer
            .state()
            .catalog
            .as_ref()
            .map(|c| hall_core::clock::zone(c))
            .unwrap_or(chrono_tz::UTC);
        let digits = writer.state().digits();
        if opts.access.public_url.is_none() {
            tracing::warn!(
                "no [access] public_url in the center's file: receipts' QR codes and links point at the address the kiosk uses, which citizens' phones cannot reach (docs/deploy.md)"
            );
        }
        let names = NameBook::of(writer.state());
        let (writer_thread, tx) = spawn_writer(writer);
        spawn_ticker(tx.downgrade());
        let reader = Arc::new(opened.reader);
        start_queue_model(&opts, &tx, &outputs, reader.clone());
        let (shutdown, shutdown_rx) = watch::channel(false);
        let sms_on = sms.is_some();
        if let Some(settings) = sms {
            crate::sms_link::start(
                settings,
                &db,
                opts.clock.clone(),
                sms_wake,
                tx.downgrade(),
                shutdown_rx.clone(),
            )
            .map_err(StartError::Catalog)?;
        }
        if let Some(network) = opts.network.clone() {
            let days = crate::uplink::Days {
                tz,
                clock: opts.clock.clone(),
            };
            crate::uplink::spawn(
                network,
                db.clone(),
                days,
                outputs.deltas.subscribe(),
                shutdown_rx.clone(),
            );
        }
        let auth = Arc::new(opened.auth);
        let older_checked =
            check_older_rows(db, opened.unchecked, auth.clone(), opts.clock.clone());
        let shared = Shared {
            center,
            tz,
            digits,
            access: opts.access.clone(),
            slips: crate::slips::Slips::new(
                opts.counter_printers.clone(),
                opts.sms.as_ref().map(|s| s.source_addr.clone()),
            ),
            names,
            reader,
            auth,
            sms: sms_on,
            shutdown: shutdown_rx,
        };
        let hub = hub_with_dashboard(opts.clock, tx, outputs, shared);
        Ok(Server {
            hub,
            writer: writer_thread,
            shutdown,
            first_start: opened.first_start,
            started_seq,
            older_checked,
        })
    }

    /// Resolves when the start's background check of the rows before the verified point has
    /// finished, with what it did: every new break it found is in the admin log by then.
    /// `None`: the checking thread could not start or is gone, having written nothing more.
    pub async fn older_rows_checked(&self) -> Option<OlderRows> {
        let mut checked = self.older_checked.clone();
        *checked.wait_for(|done| done.is_some()).await.ok()?
    }

    pub fn router(&self) -> Router {
        http::router(self.hub.clone())
    }

    /// Serves until `signal` completes, then closes every connection (with a grace period)
    /// and lets the writer finish its last batch and snapshot.
    pub async fn serve(
        self,
        listener: TcpListener,
        signal: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = self.router();
        let shutdown = self.shutdown.clone();
        let mut stopping = self.hub.shutdown.clone();
        // Small frames in quick succession (a call, then its finish) must not wait for the
        // peer's delayed ACK (Nagle): a board shows a call as soon as it is committed.
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        // The peer's address reaches the request status page (its limit per client).
        let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            signal.await;
            tracing::info!("shutting down: closing connections");
            let _ = shutdown.send(true);
        });
        tokio::select! {
            r = server => r?,
            _ = async {
                let _ = stopping.wait_for(|s| *s).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => tracing::warn!("connections did not close in time; stopping anyway"),
        }
        // The router (and every connection) held the hub; dropping ours lets the writer's
        // channel close, so it finishes and snapshots.
        let Server { hub, writer, .. } = self;
        drop(hub);
        let joined = tokio::task::spawn_blocking(move || writer.join());
        if tokio::time::timeout(SHUTDOWN_GRACE, joined).await.is_err() {
            tracing::warn!("writer did not stop in time");
        }
        Ok(())
    }
}

/// Checks both chains from their last verified points. Intact: the points move to the newest
/// rows. Broken: refused, unless `accept`, when the breaks are returned for the admin log and
/// the chains go on from their rows as they are.
/// Per chain, the last row a start did not check (its verified point).
type Unchecked = Vec<(chain::Chain, i64)>;

/// The data directory, made if missing; the path of the center's database in it.
fn data_dir(opts: &ServerOptions) -> Result<PathBuf, StartError> {
    std::fs::create_dir_all(&opts.data_dir)
        .map_err(|e| StartError::DataDir(opts.data_dir.display().to_string(), e))?;
    Ok(opts.data_dir.join("queue.sqlite"))
}

/// The log opened: a forged history refused before it is replayed (or, accepted, written to
/// the admin log), the hall rebuilt from the last good snapshot and the events after it, the
/// accounts opened (made, at the first start), and the reports' reader.
async fn open_log(opts: &ServerOptions, db: PathBuf) -> Result<Opened, StartError> {
    let now = (opts.clock)();
    let (snapshot_every, accept_broken) = (opts.snapshot_every, opts.accept_broken_chain);
    tokio::task::spawn_blocking(move || {
        let mut store = Store::open(&db)?;
        store.set_snapshot_every(snapshot_every);
        let (breaks, unchecked) = verify_chain_at_start(&db, accept_broken)?;
        if !breaks.is_empty() {
            store.reload_head()?;
        }
        let (state, refused) = store.load_state_checked()?;
        let auth = Auth::open(&db)?;
        for b in breaks {
            auth.record_break_accepted(&b, now)?;
        }
        for r in &refused {
            auth.record_snapshot_refused(r, now)?;
        }
        let first_start = auth.bootstrap(now)?;
        if first_start.is_some() {
            sys::release_freed_memory();
        }
        let reader = Reader::open(&db)?;
        Ok(Opened {
            store,
            state,
            auth,
            first_start,
            reader,
            unchecked,
        })
    })
    .await
    .expect("start-up task")
}

/// The writer, before its thread runs: the center's catalog loaded as its first command, and
/// the outbox enabled when messages are configured.
fn writer_for(
    opts: &ServerOptions,
    store: Store,
    state: hall_core::State,
    outputs: &Outputs,
    sms: &Option<Arc<crate::sms::SmsSettings>>,
    sms_wake: &Arc<tokio::sync::Notify>,
) -> Result<Writer, StartError> {
    let mut writer = Writer::new(
        state,
        store,
        opts.clock.clone(),
        outputs.deltas.clone(),
        outputs.committed.clone(),
        outputs.estimates.clone(),
    );
    writer
        .command_now(
            Actor::system(),
            Command::LoadCatalog {
                catalog: Box::new(opts.catalog.clone()),
            },
        )
        .map_err(|e| StartError::Catalog(e.message))?;
    if let Some(settings) = sms {
        writer.enable_sms(settings.clone(), sms_wake.clone())?;
    }
    Ok(writer)
}

/// The writer on its own thread, and the handle everything else talks to it through.
fn spawn_writer(writer: Writer) -> (std::thread::JoinHandle<()>, WriterHandle) {
    let (tx, rx) = crate::writer::handle::channel();
    let thread = std::thread::Builder::new()
        .name("writer".into())
        .spawn(move || writer.run(rx))
        .expect("spawn the writer thread");
    (thread, tx)
}

/// Twice a second the writer looks at the time (days, overdue calls, stale messages). The
/// ticker holds only a weak handle, so it never keeps the writer alive.
fn spawn_ticker(ticker: WeakWriter) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_millis(500));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let Some(writer) = ticker.upgrade() else {
                break;
            };
            if !writer.tick().await {
                break;
            }
        }
    });
}

/// The queue model's thread: the hall's state once, then every published batch.
fn start_queue_model(
    opts: &ServerOptions,
    tx: &WriterHandle,
    outputs: &Outputs,
    reader: Arc<Reader>,
) {
    let (state_of, alive) = (tx.downgrade(), tx.downgrade());
    let hall = crate::estimator::Hall {
        state: Box::new(move || state_of.upgrade()?.blocking_read(|s, _| s.public()).ok()),
        running: Box::new(move || alive.upgrade().is_some()),
    };
    crate::estimator::start(
        outputs.estimates.clone(),
        hall,
        &outputs.deltas,
        reader,
        opts.catalog.clone(),
        opts.clock.clone(),
    );
}

/// What the hub is given besides the writer and its outputs.
struct Shared {
    center: hall_core::Names,
    tz: chrono_tz::Tz,
    digits: hall_core::Digits,
    access: hall_wire::center_file::Access,
    slips: crate::slips::Slips,
    names: NameBook,
    reader: Arc<Reader>,
    auth: Arc<Auth>,
    sms: bool,
    shutdown: watch::Receiver<bool>,
}

/// What connections share, with the managers' dashboard task running beside it (it reads the
/// hub's devices and pairings, so it holds the hub weakly).
fn hub_with_dashboard(
    clock: Clock,
    tx: WriterHandle,
    outputs: Outputs,
    shared: Shared,
) -> Arc<Hub> {
    let dashboard = Arc::new(DashboardHub::default());
    let presence = Presence::new(dashboard.clone());
    Arc::new_cyclic(|weak: &std::sync::Weak<Hub>| {
        let weak = weak.clone();
        let extras: crate::dashboard::Extras = Box::new(move || {
            let Some(hub) = weak.upgrade() else {
                return (Vec::new(), Vec::new(), Vec::new());
            };
            let breaks = hub.auth.breaks_found().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "could not read the log's breaks");
                Vec::new()
            });
            (hub.devices(), hub.pending_pairings(), breaks)
        });
        tokio::spawn(crate::dashboard::run(
            dashboard.clone(),
            tx.downgrade(),
            outputs.deltas.clone(),
            extras,
            outputs.estimates.clone(),
            clock.clone(),
            shared.shutdown.clone(),
        ));
        Hub {
            writer: tx,
            deltas: outputs.deltas,
            auth: shared.auth,
            clock,
            committed: outputs.committed,
            shutdown: shared.shutdown,
            center: shared.center,
            tz: shared.tz,
            digits: shared.digits,
            access: shared.access,
            names: shared.names,
            reader: shared.reader,
            pairings: Mutex::new(Pairings::default()),
            kicks: broadcast::channel(64).0,
            presence,
            dashboard,
            estimates: outputs.estimates,
            sms: shared.sms,
            slips: shared.slips,
            suffixes: Mutex::new(Default::default()),
            guide: Default::default(),
        }
    })
}

/// Also returns, per chain, the verified point the check started from: the rows up to it
/// were not looked at (`check_older_rows` does, after the start).
fn verify_chain_at_start(
    db: &std::path::Path,
    accept: bool,
) -> Result<(Vec<chain::Break>, Unchecked), StartError> {
    let conn = crate::store::connect(db)?;
    let mut found = Vec::new();
    let mut checks = Vec::new();
    let mut unchecked = Vec::new();
    for c in chain::Chain::ALL {
        unchecked.push((c, chain::heads(&conn, c)?.verified_id));
        let checked = chain::check(&conn, c, true)?;
        tracing::info!(
            chain = c.name(),
            rows = checked.rows,
            breaks = checked.breaks.len(),
            "chain checked since the last verified point"
        );
        found.extend(checked.breaks.iter().cloned());
        checks.push(checked);
    }
    if let Some(first) = found.first() {
        if !accept {
            return Err(StartError::BrokenChain {
                first: first.clone(),
                more: found.len() - 1,
            });
        }
        for b in &found {
            tracing::error!(%b, "broken chain accepted (--accept-broken-chain)");
        }
    }
    for checked in &checks {
        if checked.breaks.is_empty() {
            chain::mark_verified(&conn, checked)?;
        } else {
            chain::accept(&conn, checked)?;
        }
    }
    Ok((found, unchecked))
}

/// After a start, on a thread of its own: the whole chain, for the rows the start did not
/// look at (before its verified point). A break there (a row edited before the last start,
/// its link left alone) does not stop a hall already serving; it is written to the admin log
/// (`chain_break_found`, once per row) and logged, so the manager sees it in the audit log.
fn check_older_rows(
    db: PathBuf,
    unchecked: Unchecked,
    auth: Arc<Auth>,
    clock: Clock,
) -> watch::Receiver<Option<OlderRows>> {
    let (done, checked) = watch::channel(None);
    if unchecked.iter().all(|(_, upto)| *upto == 0) {
        done.send_replace(Some(OlderRows::NothingToCheck));
        return checked;
    }
    let spawned = std::thread::Builder::new()
        .name("chain-check".into())
        .spawn(move || {
            let breaks = match auth.older_breaks(&db, &unchecked) {
                Ok(found) => {
                    let n = found.len();
                    for b in found {
                        tracing::error!(%b, "the log was changed outside the server before the last start");
                        if let Err(e) = auth.record_break_found(&b, clock()) {
                            tracing::error!(error = %e, "could not write a chain break to the admin log");
                        }
                    }
                    OlderRows::Checked { new_breaks: n }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the background chain check could not run");
                    OlderRows::Failed
                }
            };
            done.send_replace(Some(breaks));
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start the background chain check");
    }
    checked
}

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
use crate::engine::{Actor, Command};
use crate::estimator::EstimateHub;
use crate::pairing::Pairings;
use crate::reports::{NameBook, Reader};
use crate::store::{Store, StoreError};
use crate::writer::Writer;
use axum::Router;
use axum::serve::ListenerExt;
use hall_core::Catalog;
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

pub struct Server {
    hub: Arc<Hub>,
    writer: std::thread::JoinHandle<()>,
    shutdown: watch::Sender<bool>,
    /// Accounts made at this start, if it was the first.
    pub first_start: Option<FirstStart>,
    pub started_seq: u64,
}

impl Server {
    /// Opens the store, rebuilds the state, loads the catalog and starts the writer.
    pub async fn start(opts: ServerOptions) -> Result<Server, StartError> {
        sys::map_large_blocks();
        std::fs::create_dir_all(&opts.data_dir)
            .map_err(|e| StartError::DataDir(opts.data_dir.display().to_string(), e))?;
        let db = opts.data_dir.join("queue.sqlite");
        let uplink_db = db.clone();
        let now = (opts.clock)();
        let db_path = opts.data_dir.join("queue.sqlite");
        let (store, state, auth, first_start, reader, unchecked) =
            tokio::task::spawn_blocking(move || {
                let mut store = Store::open(&db)?;
                store.set_snapshot_every(opts.snapshot_every);
                // Before the log is replayed: a forged history is refused, not served.
                let (breaks, unchecked) = verify_chain_at_start(&db, opts.accept_broken_chain)?;
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
                let first = auth.bootstrap(now)?;
                if first.is_some() {
                    sys::release_freed_memory();
                }
                let reader = Reader::open(&db)?;
                Ok::<_, StartError>((store, state, auth, first, reader, unchecked))
            })
            .await
            .expect("start-up task")?;
        let started_seq = state.seq;
        let (deltas, _) = broadcast::channel(DELTA_BACKLOG);
        let committed = Arc::new(AtomicU64::new(0));
        let estimates = Arc::new(EstimateHub::default());
        let mut writer = Writer::new(
            state,
            store,
            opts.clock.clone(),
            deltas.clone(),
            committed.clone(),
            estimates.clone(),
        );
        writer
            .command_now(
                Actor::system(),
                Command::LoadCatalog {
                    catalog: Box::new(opts.catalog.clone()),
                },
            )
            .map_err(|e| StartError::Catalog(e.message))?;
        let sms = opts.sms.clone().map(Arc::new);
        let sms_on = sms.is_some();
        let sms_wake = Arc::new(tokio::sync::Notify::new());
        if let Some(settings) = &sms {
            writer.enable_sms(settings.clone(), sms_wake.clone())?;
        }
        let center = writer.state().center_name();
        let tz = writer
            .state()
            .catalog
            .as_ref()
            .map(|c| hall_core::clock::zone(c))
            .unwrap_or(chrono_tz::UTC);
        let names = NameBook::of(writer.state());
        let (tx, rx) = crate::writer::handle::channel();
        let writer = std::thread::Builder::new()
            .name("writer".into())
            .spawn(move || writer.run(rx))
            .expect("spawn the writer thread");
        // The ticker holds only a weak sender, so it never keeps the writer alive.
        let ticker = tx.downgrade();
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
        let reader = Arc::new(reader);
        let (state_of, alive) = (tx.downgrade(), tx.downgrade());
        let hall = crate::estimator::Hall {
            state: Box::new(move || state_of.upgrade()?.blocking_read(|s, _| s.public()).ok()),
            running: Box::new(move || alive.upgrade().is_some()),
        };
        crate::estimator::start(
            estimates.clone(),
            hall,
            &deltas,
            reader.clone(),
            opts.catalog.clone(),
            opts.clock.clone(),
        );
        let (shutdown, shutdown_rx) = watch::channel(false);
        if let Some(settings) = sms {
            crate::sms_link::start(
                settings,
                &db_path,
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
                uplink_db,
                days,
                deltas.subscribe(),
                shutdown_rx.clone(),
            );
        }
        let dashboard = Arc::new(DashboardHub::default());
        let presence = Presence::new(dashboard.clone());
        let auth = Arc::new(auth);
        check_older_rows(db_path, unchecked, auth.clone(), opts.clock.clone());
        let hub = Arc::new_cyclic(|weak: &std::sync::Weak<Hub>| {
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
                deltas.clone(),
                extras,
                estimates.clone(),
                opts.clock.clone(),
                shutdown_rx.clone(),
            ));
            Hub {
                writer: tx,
                deltas,
                auth,
                clock: opts.clock,
                committed,
                shutdown: shutdown_rx,
                center,
                tz,
                names,
                reader,
                pairings: Mutex::new(Pairings::default()),
                kicks: broadcast::channel(64).0,
                presence,
                dashboard,
                estimates,
                sms: sms_on,
                suffixes: Mutex::new(Default::default()),
            }
        });
        Ok(Server {
            hub,
            writer,
            shutdown,
            first_start,
            started_seq,
        })
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
fn check_older_rows(db: PathBuf, unchecked: Unchecked, auth: Arc<Auth>, clock: Clock) {
    if unchecked.iter().all(|(_, upto)| *upto == 0) {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("chain-check".into())
        .spawn(move || {
            let found = match auth.older_breaks(&db, &unchecked) {
                Ok(found) => found,
                Err(e) => {
                    tracing::warn!(error = %e, "the background chain check could not run");
                    return;
                }
            };
            for b in found {
                tracing::error!(%b, "the log was changed outside the server before the last start");
                if let Err(e) = auth.record_break_found(&b, clock()) {
                    tracing::error!(error = %e, "could not write a chain break to the admin log");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start the background chain check");
    }
}

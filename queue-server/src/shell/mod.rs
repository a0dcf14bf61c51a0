//! The server's shell around the engine: start-up wiring (store, state, catalog, writer,
//! ticker, dashboard), serving, and graceful shutdown. Everything else is by concern:
//!
//! - `hub`: what connections and routes share, and the round trips to the writer.
//! - `http`: the routes (`/ws`, `/healthz`, `/`, the consoles, `export`).
//! - `connection`: the socket loop, one task per connection; `peer`: what a connection is.
//! - `dispatch`: one frame parsed, checked and handed to its family's handler (`handlers/`).
//! - `session`: the role table and the identity requests.
//! - `sys`: the libc tweaks (descriptor limit, freed memory).

mod connection;
mod dispatch;
mod export;
mod handlers;
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
use crate::dashboard::{DashboardHub, Presence};
use crate::engine::{Actor, Command};
use crate::pairing::Pairings;
use crate::reports::{NameBook, Reader};
use crate::store::{Store, StoreError};
use crate::writer::{Clock, Writer, WriterMsg};
use axum::Router;
use axum::serve::ListenerExt;
use protocol::Catalog;
use protocol::startup::FirstStart;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc, oneshot, watch};

/// Deltas kept for slow subscribers; one further behind gets a fresh snapshot instead.
const DELTA_BACKLOG: usize = 1024;
/// How long shutdown waits for connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

pub struct ServerOptions {
    pub data_dir: PathBuf,
    pub catalog: Catalog,
    pub clock: Clock,
    pub snapshot_every: u64,
    /// The center's place in the national network; `None`: the center runs alone.
    pub network: Option<crate::config::Network>,
}

impl ServerOptions {
    pub fn new(data_dir: impl Into<PathBuf>, catalog: Catalog) -> Self {
        ServerOptions {
            data_dir: data_dir.into(),
            catalog,
            clock: Arc::new(chrono::Utc::now),
            snapshot_every: 10_000,
            network: None,
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
        std::fs::create_dir_all(&opts.data_dir)
            .map_err(|e| StartError::DataDir(opts.data_dir.display().to_string(), e))?;
        let db = opts.data_dir.join("queue.sqlite");
        let uplink_db = db.clone();
        let now = (opts.clock)();
        let (store, state, auth, first_start, reader) = tokio::task::spawn_blocking(move || {
            let mut store = Store::open(&db)?;
            store.set_snapshot_every(opts.snapshot_every);
            let state = store.load_state()?;
            let auth = Auth::open(&db)?;
            let first = auth.bootstrap(now)?;
            if first.is_some() {
                sys::release_freed_memory();
            }
            let reader = Reader::open(&db)?;
            Ok::<_, StartError>((store, state, auth, first, reader))
        })
        .await
        .expect("start-up task")?;
        let started_seq = state.seq;
        let (deltas, _) = broadcast::channel(DELTA_BACKLOG);
        let committed = Arc::new(AtomicU64::new(0));
        let mut writer = Writer::new(
            state,
            store,
            opts.clock.clone(),
            deltas.clone(),
            committed.clone(),
        );
        let (reply, answer) = oneshot::channel();
        writer.process(vec![WriterMsg::Command {
            actor: Actor::system(),
            command: Command::LoadCatalog {
                catalog: Box::new(opts.catalog.clone()),
            },
            reply,
        }]);
        answer
            .await
            .expect("writer answers")
            .map_err(|e| StartError::Catalog(e.message))?;
        let center = writer.state().center_name();
        let tz = writer
            .state()
            .catalog
            .as_ref()
            .map(|c| protocol::clock::zone(c))
            .unwrap_or(chrono_tz::UTC);
        let names = NameBook::of(writer.state());
        let (tx, rx) = mpsc::channel(16 * 1024);
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
                let Some(tx) = ticker.upgrade() else { break };
                if tx.send(WriterMsg::Tick).await.is_err() {
                    break;
                }
            }
        });
        let (shutdown, shutdown_rx) = watch::channel(false);
        if let Some(network) = opts.network.clone() {
            crate::uplink::spawn(network, uplink_db, deltas.subscribe(), shutdown_rx.clone());
        }
        let dashboard = Arc::new(DashboardHub::default());
        let presence = Presence::new(dashboard.clone());
        let auth = Arc::new(auth);
        let hub = Arc::new_cyclic(|weak: &std::sync::Weak<Hub>| {
            let weak = weak.clone();
            let extras: crate::dashboard::Extras = Box::new(move || {
                let Some(hub) = weak.upgrade() else {
                    return (Vec::new(), Vec::new());
                };
                (hub.devices(), hub.pending_pairings())
            });
            tokio::spawn(crate::dashboard::run(
                dashboard.clone(),
                tx.downgrade(),
                deltas.clone(),
                extras,
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
                reader: Arc::new(reader),
                pairings: Mutex::new(Pairings::default()),
                kicks: broadcast::channel(64).0,
                presence,
                dashboard,
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

//! The network shell: HTTP routes, websocket connections, roles. Each connection is one task
//! that reads requests, asks the writer, and forwards the deltas and ticket views it follows.

use crate::auth::{Auth, AuthError};
use crate::dashboard::{DashboardHub, Online, Presence};
use crate::engine::{Actor, Command};
use crate::pairing::{CODE_DIGITS, Paired, Pairings};
use crate::reports::{NameBook, Reader};
use crate::store::{Store, StoreError};
use crate::views::ViewKey;
use crate::writer::{Clock, Published, Writer, WriterMsg};
use axum::Router;
use axum::extract::State as AxState;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use protocol::startup::FirstStart;
use protocol::state::TicketView;
use protocol::views::LiveView;
use protocol::wire::*;
use protocol::{Catalog, Names};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc, oneshot, watch};

/// Deltas kept for slow subscribers; one further behind gets a fresh snapshot instead.
const DELTA_BACKLOG: usize = 1024;
/// A client that does not take a frame within this time is disconnected.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// The websocket layer refuses frames above this outright; between MAX_FRAME_BYTES and this,
/// the request is answered with `frame_too_large` and the connection stays.
const HARD_FRAME_LIMIT: usize = 1024 * 1024;

pub struct ServerOptions {
    pub data_dir: PathBuf,
    pub catalog: Catalog,
    pub clock: Clock,
    pub snapshot_every: u64,
}

impl ServerOptions {
    pub fn new(data_dir: impl Into<PathBuf>, catalog: Catalog) -> Self {
        ServerOptions {
            data_dir: data_dir.into(),
            catalog,
            clock: Arc::new(chrono::Utc::now),
            snapshot_every: 10_000,
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

pub struct Hub {
    pub(crate) writer: mpsc::Sender<WriterMsg>,
    pub(crate) deltas: broadcast::Sender<Arc<Published>>,
    pub(crate) auth: Arc<Auth>,
    pub(crate) clock: Clock,
    pub(crate) committed: Arc<AtomicU64>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) center: Names,
    /// The center's time zone: report and audit days are local days.
    pub(crate) tz: chrono_tz::Tz,
    /// Service and counter names (the catalog changes only at start).
    pub(crate) names: NameBook,
    pub(crate) reader: Arc<Reader>,
    pub(crate) pairings: Mutex<Pairings>,
    /// Accounts disabled and devices revoked: their open connections close.
    pub(crate) kicks: broadcast::Sender<Kick>,
    pub(crate) presence: Arc<Presence>,
    pub(crate) dashboard: Arc<DashboardHub>,
}

/// An identity that must stop at once.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kick {
    Device(String),
    User(String),
}

/// The close code a connection gets when its account is disabled or its device revoked.
pub const CLOSE_REVOKED: u16 = 4001;

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
        let now = (opts.clock)();
        let (store, state, auth, first_start, reader) = tokio::task::spawn_blocking(move || {
            let mut store = Store::open(&db)?;
            store.set_snapshot_every(opts.snapshot_every);
            let state = store.load_state()?;
            let auth = Auth::open(&db)?;
            let first = auth.bootstrap(now)?;
            if first.is_some() {
                release_freed_memory();
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
        router(self.hub.clone())
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

/// Hashing the first-start passwords (argon2, 19 MiB each) leaves glibc holding ~140 MB it
/// will not hand back on its own (freeing large blocks raises its mmap threshold); give it
/// back, so a new center's server does not start at ten times its working size.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Every citizen following a ticket page holds a connection: lift the soft descriptor limit
/// (often 1024) to the hard one.
pub fn raise_fd_limit() {
    #[cfg(unix)]
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0
            && lim.rlim_cur < lim.rlim_max
            && libc::setrlimit(libc::RLIMIT_NOFILE, &lim_max(lim)) != 0
        {
            tracing::warn!("could not raise the open-file limit");
        }
    }
}

#[cfg(unix)]
fn lim_max(lim: libc::rlimit) -> libc::rlimit {
    libc::rlimit {
        rlim_cur: lim.rlim_max,
        rlim_max: lim.rlim_max,
    }
}

impl Hub {
    /// Registered devices, marked online or not.
    pub(crate) fn devices(&self) -> Vec<protocol::manager::DeviceInfo> {
        let mut devices = self.auth.list_devices().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not list devices");
            Vec::new()
        });
        self.presence.mark(&mut devices);
        devices
    }

    pub(crate) fn pending_pairings(&self) -> Vec<protocol::manager::PendingPairing> {
        self.pairings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .list((self.clock)())
    }
}

pub fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/ws", get(ws_upgrade))
        .route("/healthz", get(healthz))
        .route("/reports/export", get(crate::export::export))
        .route("/", get(index))
        .merge(crate::web::routes())
        .with_state(hub)
}

async fn healthz(AxState(hub): AxState<Arc<Hub>>) -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "seq": hub.committed.load(Ordering::Acquire),
        "protocol": PROTOCOL_VERSION,
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn index(AxState(hub): AxState<Arc<Hub>>) -> String {
    format!(
        "queue-server {} — {} / {}\nwebsocket: /ws (protocol {PROTOCOL_VERSION}); health: /healthz; clerk console: /clerk; manager console: /manager; ticket pages: /t/TOKEN\n",
        env!("CARGO_PKG_VERSION"),
        hub.center.ar,
        hub.center.en
    )
}

async fn ws_upgrade(ws: WebSocketUpgrade, AxState(hub): AxState<Arc<Hub>>) -> Response {
    // Requests are small; a small read buffer keeps idle connections cheap (tungstenite
    // prepares a buffer of this size on each read attempt).
    ws.read_buffer_size(1024)
        .write_buffer_size(0)
        .max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT)
        .on_upgrade(move |socket| connection(socket, hub))
}

/// What one connection is: who, and what it follows.
struct Conn {
    hello: bool,
    role: Role,
    actor: Option<Actor>,
    session: Option<String>,
    subscription: Option<Subscription>,
    watching: Option<watch::Receiver<Arc<TicketView>>>,
    /// A device's connection counts as the device online while it lives.
    online: Option<Online>,
    /// Waiting for a manager to approve this device's pairing code.
    pairing: Option<oneshot::Receiver<Paired>>,
    /// Disabled accounts and revoked devices, for a connection that has an identity.
    kicks: Option<broadcast::Receiver<Kick>>,
    /// The live view this connection follows (one at a time; watching another replaces it):
    /// a clerk's desk, or the manager's dashboard.
    view: Option<watch::Receiver<Arc<LiveView>>>,
}

impl Conn {
    /// A new identity (or none): nothing followed under the old one carries over.
    fn become_(&mut self, hub: &Hub, role: Role, actor: Option<Actor>, session: Option<String>) {
        self.role = role;
        self.session = session;
        self.subscription = None;
        self.watching = None;
        self.view = None;
        self.pairing = None;
        self.online = match (&actor, role) {
            (Some(a), Role::Kiosk | Role::Board) => Some(hub.presence.enter(&a.name)),
            _ => None,
        };
        self.kicks = actor.as_ref().map(|_| hub.kicks.subscribe());
        self.actor = actor;
    }

    /// Whether a kick names this connection's identity.
    fn is_kicked(&self, kick: &Kick) -> bool {
        match (kick, &self.actor) {
            (Kick::Device(name), Some(a)) => {
                matches!(a.role, Role::Kiosk | Role::Board) && a.name == *name
            }
            (Kick::User(name), Some(a)) => {
                matches!(a.role, Role::Clerk | Role::Manager) && a.name == *name
            }
            _ => false,
        }
    }
}

struct Subscription {
    rx: broadcast::Receiver<Arc<Published>>,
    /// Last seq the client has (from a snapshot or a delta).
    seq: u64,
}

enum Out {
    Frame(ServerFrame),
    Raw(Utf8Bytes),
}

/// One task owns the socket: no split halves and no lock per frame. `recv` is cancel-safe, so
/// losing a `select!` race to a delta drops no input.
async fn connection(mut socket: WebSocket, hub: Arc<Hub>) {
    let mut conn = Conn {
        hello: false,
        role: Role::Citizen,
        actor: None,
        session: None,
        subscription: None,
        watching: None,
        online: None,
        pairing: None,
        kicks: None,
        view: None,
    };
    let mut shutdown = hub.shutdown.clone();
    // Registered once, not on every wake: a thousand connections share this waiter list.
    let stopping = async move {
        let _stopped = shutdown.wait_for(|stop| *stop).await.is_ok();
    };
    tokio::pin!(stopping);
    // One deadline reused for every send; it joins the timer wheel only if a send blocks.
    let deadline = tokio::time::sleep(SEND_TIMEOUT);
    tokio::pin!(deadline);
    loop {
        let out: Vec<Out> = tokio::select! {
            _ = &mut stopping => {
                let close = CloseFrame { code: 1001, reason: "server shutting down".into() };
                let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(close)))).await;
                break;
            }
            incoming = socket.recv() => match incoming {
                None | Some(Ok(Message::Close(_))) => break,
                Some(Err(e)) => {
                    tracing::debug!(error = %e, "websocket read failed");
                    break;
                }
                Some(Ok(Message::Text(text))) => handle_text(&hub, &mut conn, text.as_str()).await,
                Some(Ok(Message::Binary(_))) => vec![Out::Frame(error(None, ErrorCode::BadFrame, "frames are JSON text, not binary"))],
                Some(Ok(_)) => continue,
            },
            delta = next_delta(&mut conn.subscription) => match delta {
                Ok(p) => {
                    let sub = conn.subscription.as_mut().expect("subscribed");
                    if p.last_seq <= sub.seq {
                        continue;
                    }
                    sub.seq = p.last_seq;
                    vec![Out::Raw(p.frame.clone())]
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::debug!(missed = n, "subscriber lagged; sending a fresh snapshot");
                    match snapshot(&hub).await {
                        Some((seq, frame)) => {
                            if let Some(sub) = conn.subscription.as_mut() {
                                sub.seq = seq;
                            }
                            vec![Out::Raw(frame)]
                        }
                        None => break,
                    }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            view = next_view(&mut conn.watching) => match view {
                Some(view) => vec![Out::Frame(ServerFrame::TicketUpdate { view: Box::new(view) })],
                None => {
                    conn.watching = None;
                    continue;
                }
            },
            live = next_view(&mut conn.view) => match live {
                Some(view) => vec![Out::Frame(ServerFrame::ViewUpdate { view: Box::new(view) })],
                None => {
                    conn.view = None;
                    continue;
                }
            },
            paired = next_pairing(&mut conn.pairing) => match paired {
                Some(p) => {
                    // From now on this connection is the device, as if it had said hello.
                    let actor = Actor::new(p.role, p.name.clone());
                    conn.become_(&hub, p.role, Some(actor), None);
                    conn.hello = true;
                    vec![Out::Frame(ServerFrame::Paired { token: p.token, name: p.name, role: p.role })]
                }
                None => {
                    conn.pairing = None;
                    continue;
                }
            },
            kick = next_kick(&mut conn.kicks) => match kick {
                Ok(k) if conn.is_kicked(&k) => {
                    let close = CloseFrame { code: CLOSE_REVOKED, reason: "access revoked".into() };
                    let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(close)))).await;
                    break;
                }
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => {
                    conn.kicks = None;
                    continue;
                }
            },
        };
        for o in out {
            let text: Utf8Bytes = match o {
                Out::Raw(t) => t,
                Out::Frame(f) => serde_json::to_string(&f).expect("frames serialize").into(),
            };
            deadline
                .as_mut()
                .reset(tokio::time::Instant::now() + SEND_TIMEOUT);
            let sent = tokio::select! {
                biased;
                r = socket.send(Message::Text(text)) => r.is_ok(),
                _ = &mut deadline => false,
            };
            if !sent {
                tracing::debug!("client not reading; disconnecting it");
                return;
            }
        }
    }
}

async fn next_delta(
    sub: &mut Option<Subscription>,
) -> Result<Arc<Published>, broadcast::error::RecvError> {
    match sub {
        Some(s) => s.rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn next_pairing(p: &mut Option<oneshot::Receiver<Paired>>) -> Option<Paired> {
    match p {
        Some(rx) => rx.await.ok(),
        None => std::future::pending().await,
    }
}

async fn next_kick(
    k: &mut Option<broadcast::Receiver<Kick>>,
) -> Result<Kick, broadcast::error::RecvError> {
    match k {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn next_view<T: Clone>(w: &mut Option<watch::Receiver<Arc<T>>>) -> Option<T> {
    match w {
        Some(rx) => match rx.changed().await {
            Ok(()) => Some((**rx.borrow_and_update()).clone()),
            Err(_) => None,
        },
        None => std::future::pending().await,
    }
}

async fn snapshot(hub: &Hub) -> Option<(u64, Utf8Bytes)> {
    let (reply, answer) = oneshot::channel();
    hub.writer.send(WriterMsg::Snapshot { reply }).await.ok()?;
    answer.await.ok()
}

fn error(id: Option<u64>, code: ErrorCode, message: impl Into<String>) -> ServerFrame {
    ServerFrame::reply(id, Err(ErrorBody::new(code, message)))
}

/// Which requests each role may make. Anyone may say hello, sign in, and follow or withdraw
/// a ticket whose token they hold.
pub fn permitted(role: Role, request: &Request) -> bool {
    use Request::*;
    use Role::*;
    match request {
        Hello { .. } | Login { .. } | Ping | WatchTicket { .. } | WithdrawTicket { .. } => true,
        Logout | WatchDesk => matches!(role, Clerk | Manager),
        Subscribe => role != Citizen,
        IssueTicket { .. } => matches!(role, Kiosk | Manager),
        OpenCounter { .. }
        | CloseCounter { .. }
        | PauseCounter { .. }
        | ResumeCounter { .. }
        | CallNext { .. }
        | CallTicket { .. }
        | Recall { .. }
        | NoShow { .. }
        | StartServing { .. }
        | Finish { .. }
        | Transfer { .. }
        | Park { .. }
        | ReturnParked { .. } => matches!(role, Clerk | Manager),
        CancelTicket { .. }
        | SetServiceOpen { .. }
        | SetCounterProfile { .. }
        | SetMessage { .. } => role == Manager,
        ReportPrinter { .. } => role == Kiosk,
        // Only a device without a token pairs; a signed-in one has no need.
        RequestPairing { .. } => role == Citizen,
        ListPairings
        | ApprovePairing { .. }
        | ListDevices
        | RevokeDevice { .. }
        | WatchDashboard
        | ListUsers
        | CreateUser { .. }
        | ResetPassword { .. }
        | SetUserActive { .. }
        | Report { .. }
        | Audit { .. } => role == Manager,
    }
}

async fn handle_text(hub: &Hub, conn: &mut Conn, text: &str) -> Vec<Out> {
    if text.len() > MAX_FRAME_BYTES {
        return vec![Out::Frame(error(
            None,
            ErrorCode::FrameTooLarge,
            format!(
                "a frame may hold at most {MAX_FRAME_BYTES} bytes; this one has {}",
                text.len()
            ),
        ))];
    }
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Out::Frame(error(
                None,
                ErrorCode::BadFrame,
                format!("not JSON: {e}"),
            ))];
        }
    };
    let Some(id) = value.get("id").and_then(|v| v.as_u64()) else {
        return vec![Out::Frame(error(
            None,
            ErrorCode::BadFrame,
            "every request needs a numeric \"id\"",
        ))];
    };
    let request: Request = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            return vec![Out::Frame(error(
                Some(id),
                ErrorCode::BadFrame,
                format!("not a valid request: {e}"),
            ))];
        }
    };
    if !conn.hello && !matches!(request, Request::Hello { .. }) {
        return vec![Out::Frame(error(
            Some(id),
            ErrorCode::HelloRequired,
            "say hello first",
        ))];
    }
    // A staff session can expire while the connection is open.
    if let Some(token) = &conn.session
        && !matches!(request, Request::Hello { .. } | Request::Login { .. })
        && let Err(e) = hub.auth.session(token, (hub.clock)())
    {
        conn.become_(hub, Role::Citizen, None, None);
        let code = if matches!(e, AuthError::Expired) {
            ErrorCode::SessionExpired
        } else {
            ErrorCode::Unauthenticated
        };
        return vec![Out::Frame(error(Some(id), code, e.to_string()))];
    }
    if !permitted(conn.role, &request) {
        let code = if conn.role == Role::Citizen {
            ErrorCode::Unauthenticated
        } else {
            ErrorCode::Forbidden
        };
        return vec![Out::Frame(error(
            Some(id),
            code,
            format!("a {:?} may not {}", conn.role, request.name()).to_lowercase(),
        ))];
    }
    let reply = |r: Result<ReplyBody, ErrorBody>| Out::Frame(ServerFrame::reply(Some(id), r));
    match request {
        Request::Hello { protocol, auth, .. } => {
            if protocol != PROTOCOL_VERSION {
                return vec![reply(Err(ErrorBody::new(
                    ErrorCode::UnsupportedVersion,
                    format!("this server speaks protocol {PROTOCOL_VERSION}, not {protocol}"),
                )))];
            }
            let now = (hub.clock)();
            let (role, actor, session) = match auth {
                None => (Role::Citizen, None, None),
                Some(Credentials::Device { token }) => match hub.auth.device(&token) {
                    Some((name, role)) => (role, Some(Actor::new(role, name)), None),
                    None => {
                        return vec![reply(Err(ErrorBody::new(
                            ErrorCode::BadCredentials,
                            "unknown device token",
                        )))];
                    }
                },
                Some(Credentials::Session { token }) => match hub.auth.session(&token, now) {
                    Ok(s) => (s.role, Some(Actor::new(s.role, s.username)), Some(token)),
                    Err(AuthError::Expired) => {
                        return vec![reply(Err(ErrorBody::new(
                            ErrorCode::SessionExpired,
                            "this session has expired; sign in again",
                        )))];
                    }
                    Err(e) => {
                        return vec![reply(Err(ErrorBody::new(
                            ErrorCode::BadCredentials,
                            e.to_string(),
                        )))];
                    }
                },
            };
            // A new hello is a new identity: nothing followed under the old one carries over.
            conn.hello = true;
            let user = actor.as_ref().map(|a| a.name.clone());
            conn.become_(hub, role, actor, session);
            vec![reply(Ok(ReplyBody::Welcome {
                protocol: PROTOCOL_VERSION,
                server: format!("queue-server {}", env!("CARGO_PKG_VERSION")),
                role,
                user,
                center: hub.center.clone(),
            }))]
        }
        Request::Login { username, password } => {
            let auth = hub.auth.clone();
            let now = (hub.clock)();
            let result =
                tokio::task::spawn_blocking(move || auth.login(&username, &password, now)).await;
            match result {
                Ok(Ok((token, s))) => {
                    let actor = Actor::new(s.role, s.username.clone());
                    conn.become_(hub, s.role, Some(actor), Some(token.clone()));
                    vec![reply(Ok(ReplyBody::Session {
                        token,
                        role: s.role,
                        username: s.username,
                        display_name: s.display_name,
                        expires_at: s.expires_at,
                    }))]
                }
                Ok(Err(AuthError::BadCredentials)) => {
                    vec![reply(Err(ErrorBody::new(
                        ErrorCode::BadCredentials,
                        "wrong username or password",
                    )))]
                }
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "login failed");
                    vec![reply(Err(ErrorBody::new(
                        ErrorCode::StorageFailure,
                        "sign-in is unavailable; try again",
                    )))]
                }
                Err(_) => vec![reply(Err(ErrorBody::new(
                    ErrorCode::Internal,
                    "sign-in failed",
                )))],
            }
        }
        Request::Logout => {
            if let Some(token) = conn.session.take() {
                hub.auth.logout(&token);
            }
            conn.become_(hub, Role::Citizen, None, None);
            vec![reply(Ok(ReplyBody::Done {
                seq: hub.committed.load(Ordering::Acquire),
            }))]
        }
        Request::Ping => vec![reply(Ok(ReplyBody::Pong))],
        Request::Subscribe => {
            // Subscribe to deltas before taking the snapshot, so nothing falls between them.
            let rx = hub.deltas.subscribe();
            match snapshot(hub).await {
                Some((seq, frame)) => {
                    conn.subscription = Some(Subscription { rx, seq });
                    vec![reply(Ok(ReplyBody::Subscribed { seq })), Out::Raw(frame)]
                }
                None => vec![reply(Err(shutting_down()))],
            }
        }
        Request::WatchTicket { token } => {
            let (tx, rx) = oneshot::channel();
            if hub
                .writer
                .send(WriterMsg::Watch { token, reply: tx })
                .await
                .is_err()
            {
                return vec![reply(Err(shutting_down()))];
            }
            match rx.await {
                Ok(Ok(mut watch)) => {
                    let view = (**watch.borrow_and_update()).clone();
                    conn.watching = Some(watch);
                    vec![reply(Ok(ReplyBody::Watching {
                        view: Box::new(view),
                    }))]
                }
                Ok(Err(e)) => vec![reply(Err(e))],
                Err(_) => vec![reply(Err(shutting_down()))],
            }
        }
        Request::WatchDesk => {
            let Some(user) = conn.actor.as_ref().map(|a| a.name.clone()) else {
                return vec![reply(Err(ErrorBody::new(
                    ErrorCode::Unauthenticated,
                    "sign in to watch a desk",
                )))];
            };
            let (tx, rx) = oneshot::channel();
            let key = ViewKey::Desk { user };
            if hub
                .writer
                .send(WriterMsg::WatchView { key, reply: tx })
                .await
                .is_err()
            {
                return vec![reply(Err(shutting_down()))];
            }
            match rx.await {
                Ok(mut watch) => {
                    let view = (**watch.borrow_and_update()).clone();
                    conn.view = Some(watch);
                    vec![reply(Ok(ReplyBody::View {
                        view: Box::new(view),
                    }))]
                }
                Err(_) => vec![reply(Err(shutting_down()))],
            }
        }
        Request::WatchDashboard => {
            let mut rx = hub.dashboard.watch();
            // The dashboard task computes a fresh one as soon as it is asked.
            match tokio::time::timeout(Duration::from_secs(5), rx.changed()).await {
                Ok(Ok(())) => {
                    let view = (**rx.borrow_and_update()).clone();
                    conn.view = Some(rx);
                    vec![reply(Ok(ReplyBody::View {
                        view: Box::new(view),
                    }))]
                }
                _ => vec![reply(Err(shutting_down()))],
            }
        }
        Request::RequestPairing { kind, name } => {
            let now = (hub.clock)();
            let (info, rx) = hub
                .pairings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .request(kind, name.trim(), now, pairing_code);
            conn.pairing = Some(rx);
            hub.dashboard.poke();
            vec![reply(Ok(ReplyBody::Pairing {
                code: info.code,
                expires_at: info.expires_at,
            }))]
        }
        request @ (Request::ListPairings
        | Request::ApprovePairing { .. }
        | Request::ListDevices
        | Request::RevokeDevice { .. }
        | Request::ListUsers
        | Request::CreateUser { .. }
        | Request::ResetPassword { .. }
        | Request::SetUserActive { .. }
        | Request::Report { .. }
        | Request::Audit { .. }) => {
            let actor = conn.actor.clone().unwrap_or_else(Actor::system);
            vec![reply(crate::admin::handle(hub, &actor, request).await)]
        }
        other => {
            let actor = conn
                .actor
                .clone()
                .unwrap_or_else(|| Actor::new(Role::Citizen, "citizen"));
            let command = match to_command(other) {
                Ok(c) => c,
                Err(e) => return vec![reply(Err(e))],
            };
            vec![reply(command_roundtrip(hub, actor, command).await)]
        }
    }
}

fn shutting_down() -> ErrorBody {
    ErrorBody::new(
        ErrorCode::ShuttingDown,
        "the server is shutting down; try again shortly",
    )
}

async fn command_roundtrip(
    hub: &Hub,
    actor: Actor,
    command: Command,
) -> Result<ReplyBody, ErrorBody> {
    let (reply, answer) = oneshot::channel();
    hub.writer
        .send(WriterMsg::Command {
            actor,
            command,
            reply,
        })
        .await
        .map_err(|_| shutting_down())?;
    answer.await.map_err(|_| shutting_down())?
}

/// A pairing code: six random digits, easy to read off a screen and type.
fn pairing_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..CODE_DIGITS)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A 128-bit token for a citizen's ticket page URL.
fn page_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn to_command(request: Request) -> Result<Command, ErrorBody> {
    use Request as R;
    Ok(match request {
        R::IssueTicket {
            service,
            priority,
            idempotency_key,
        } => {
            let key = idempotency_key.trim();
            if key.is_empty() || key.len() > 128 {
                return Err(ErrorBody::new(
                    ErrorCode::BadFrame,
                    "idempotency_key must be 1 to 128 characters",
                ));
            }
            Command::IssueTicket {
                service,
                priority,
                idempotency_key: Some(key.to_string()),
                token: page_token(),
            }
        }
        R::OpenCounter { counter } => Command::OpenCounter { counter },
        R::CloseCounter { counter } => Command::CloseCounter { counter },
        R::PauseCounter { counter } => Command::PauseCounter { counter },
        R::ResumeCounter { counter } => Command::ResumeCounter { counter },
        R::CallNext { counter } => Command::CallNext { counter },
        R::CallTicket {
            counter,
            ticket,
            reason,
        } => Command::CallTicket {
            counter,
            ticket,
            reason,
        },
        R::Recall { counter } => Command::Recall { counter },
        R::NoShow { counter } => Command::NoShow { counter },
        R::StartServing { counter } => Command::StartServing { counter },
        R::Finish {
            counter,
            outcome,
            reference,
        } => Command::Finish {
            counter,
            outcome,
            reference,
        },
        R::Transfer {
            counter,
            ticket,
            target,
            position,
        } => Command::Transfer {
            counter,
            ticket,
            target,
            position,
        },
        R::Park { counter, note } => Command::Park { counter, note },
        R::ReturnParked { counter, ticket } => Command::ReturnParked { counter, ticket },
        R::CancelTicket { ticket } => Command::CancelTicket { ticket },
        R::WithdrawTicket { token } => Command::WithdrawTicket { token },
        R::SetServiceOpen { service, open } => Command::SetServiceOpen { service, open },
        R::SetCounterProfile { counter, profile } => {
            Command::SetCounterProfile { counter, profile }
        }
        R::SetMessage { text } => Command::SetMessage { text },
        R::ReportPrinter { status, detail } => Command::ReportPrinter { status, detail },
        R::Hello { .. }
        | R::Login { .. }
        | R::Logout
        | R::Subscribe
        | R::WatchTicket { .. }
        | R::Ping
        | R::WatchDesk
        | R::RequestPairing { .. }
        | R::ListPairings
        | R::ApprovePairing { .. }
        | R::ListDevices
        | R::RevokeDevice { .. }
        | R::WatchDashboard
        | R::ListUsers
        | R::CreateUser { .. }
        | R::ResetPassword { .. }
        | R::SetUserActive { .. }
        | R::Report { .. }
        | R::Audit { .. } => {
            return Err(ErrorBody::new(ErrorCode::Internal, "not a command"));
        }
    })
}

//! A blocking, reconnecting client for apps that are not async (the bevy kiosk and board).
//!
//! It runs the socket on its own thread. The app sends requests with [`Client::request`] and
//! polls [`Client::try_event`] once a frame. The thread says hello, re-subscribes after every
//! reconnection (a fresh snapshot replaces the old state) and after a gap in sequence numbers,
//! and backs off between attempts.
//!
//! The client keeps the hall's [`Mirror`] itself: every snapshot and delta is folded in on the
//! client's thread before the event is queued, so an app reads the hall with
//! [`Client::mirror`] and needs no thread of its own to relay events. A wake callback
//! ([`Client::with_wake`]) is called after each event is queued; a window sleeping until
//! something happens decides there, from the event, whether it is worth a frame. A request made while disconnected fails at once with
//! `not_connected`; one in flight when the connection drops is answered `connection_lost`, so
//! the app never waits forever and can retry with the same idempotency key.
//!
//! A device without a token, or whose token the server refuses (revoked), pairs itself when
//! its config names what it is ([`ClientConfig::pair_as`]): it asks with `request_pairing`,
//! reports the code ([`ClientEvent::Pairing`]) for the screen, renews it before it expires,
//! and when a manager approves it reports the token ([`ClientEvent::Paired`]) for the app to
//! keep, says hello with it from then on and subscribes.

use hall_core::Timestamp;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::event::Envelope;
use hall_core::role::Role;
use hall_core::state::{State, apply};
use hall_forecast::HallOutlook;
use hall_forecast::estimates::TicketView;
use hall_wire::manager::DeviceKind;
use hall_wire::views::LiveView;
use hall_wire::*;
use std::collections::HashSet;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// e.g. "ws://127.0.0.1:8740/ws"
    pub url: String,
    pub credentials: Option<Credentials>,
    /// Name reported in hello, for logs.
    pub client_name: String,
    /// Stream the hall (snapshot + deltas) after each connection.
    pub subscribe: bool,
    /// Follow the queue model's figures per service (`watch_estimates`) after each
    /// connection; they are kept in the mirror (`Mirror::outlook`).
    pub watch_estimates: bool,
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// Pair as this device when there are no credentials or the server refuses them.
    pub pair_as: Option<PairAs>,
    /// How long a pairing code is shown before a fresh one is asked for.
    pub pairing_renew: Duration,
}

/// What a device asks to be paired as.
#[derive(Clone, Debug, PartialEq)]
pub struct PairAs {
    pub kind: DeviceKind,
    /// A name suggested to the manager (the manager chooses the real one).
    pub name: String,
}

/// A pairing code is asked for again this long after it was given (the default of
/// `ClientConfig::pairing_renew`): the server keeps one for
/// 10 minutes (`PAIRING_MINUTES`, docs/protocol.md), so the screen never shows a dead code.
pub const PAIRING_RENEW: Duration = Duration::from_secs(9 * 60);

impl ClientConfig {
    pub fn new(
        url: impl Into<String>,
        credentials: Option<Credentials>,
        client_name: impl Into<String>,
    ) -> Self {
        ClientConfig {
            url: url.into(),
            credentials,
            client_name: client_name.into(),
            subscribe: true,
            watch_estimates: false,
            min_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            pair_as: None,
            pairing_renew: PAIRING_RENEW,
        }
    }

    /// A device's config: its token if it has one (an empty one counts as none), and pairing
    /// as `kind` when it has none or the server refuses it.
    pub fn device(
        url: impl Into<String>,
        token: &str,
        kind: DeviceKind,
        name: impl Into<String>,
        client_name: impl Into<String>,
    ) -> Self {
        let token = token.trim();
        let credentials = (!token.is_empty()).then(|| Credentials::Device {
            token: token.to_string(),
        });
        ClientConfig {
            pair_as: Some(PairAs {
                kind,
                name: name.into(),
            }),
            ..ClientConfig::new(url, credentials, client_name)
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ClientEvent {
    Connected {
        welcome: ReplyBody,
    },
    /// A full state: replace what you had.
    Snapshot(Box<State>),
    /// Events following the last snapshot or delta, already checked for gaps.
    Delta(Vec<Envelope>),
    TicketUpdate(Box<TicketView>),
    /// A live view the client follows (the queue model's figures: `LiveView::Estimates`).
    View(Box<LiveView>),
    Reply {
        id: u64,
        result: Result<ReplyBody, ErrorBody>,
    },
    /// The connection is gone; the client is reconnecting. The last state is still valid to show.
    Disconnected {
        reason: String,
    },
    /// The server refused the device's token (revoked, or never valid): it pairs again.
    TokenRefused {
        error: ErrorBody,
    },
    /// Show this pairing code until a manager approves it (a new one replaces it).
    Pairing {
        code: String,
        expires_at: Timestamp,
    },
    /// A manager approved the device: keep `token` (the client uses it from now on).
    Paired {
        token: String,
        name: String,
        role: Role,
    },
}

/// What arrived, for a wake callback deciding whether it is worth a frame (the event itself
/// is already queued for the app when the callback runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    Connected,
    /// A snapshot or a delta: the mirror changed.
    Hall,
    TicketUpdate,
    Reply,
    Disconnected,
    /// A token refused, a pairing code, or the pairing approved.
    Pairing,
}

impl Arrival {
    pub fn of(event: &ClientEvent) -> Arrival {
        match event {
            ClientEvent::Connected { .. } => Arrival::Connected,
            ClientEvent::Snapshot(_) | ClientEvent::Delta(_) | ClientEvent::View(_) => {
                Arrival::Hall
            }
            ClientEvent::TicketUpdate(_) => Arrival::TicketUpdate,
            ClientEvent::Reply { .. } => Arrival::Reply,
            ClientEvent::Disconnected { .. } => Arrival::Disconnected,
            ClientEvent::TokenRefused { .. }
            | ClientEvent::Pairing { .. }
            | ClientEvent::Paired { .. } => Arrival::Pairing,
        }
    }
}

/// Called on the client's thread after each event is queued and folded into the mirror.
pub type Wake = Box<dyn Fn(Arrival) + Send>;

/// Where the client's events go: folded into the mirror, queued for the app, then the wake
/// callback. The worker thread and [`Client::by_hand`] both deliver through it.
pub struct Inbox {
    mirror: Arc<Mutex<Mirror>>,
    events: Sender<ClientEvent>,
    wake: Wake,
}

impl Inbox {
    /// Delivers one event as the worker does; false once the client is gone.
    pub fn push(&self, event: ClientEvent) -> bool {
        let arrival = Arrival::of(&event);
        self.mirror
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .handle(&event);
        // Queued before the wake, so the woken app finds it.
        let queued = self.events.send(event).is_ok();
        if queued {
            (self.wake)(arrival);
        }
        queued
    }
}

pub struct Client {
    outbox: Sender<ClientFrame>,
    /// Behind a mutex so the client can be shared (a `Receiver` alone is not `Sync`).
    events: Mutex<Receiver<ClientEvent>>,
    mirror: Arc<Mutex<Mirror>>,
    connected: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    next_id: AtomicU64,
    thread: Option<JoinHandle<()>>,
}

impl Client {
    /// A client whose events are only polled (tools and tests that block on them).
    pub fn start(config: ClientConfig) -> Client {
        Client::with_wake(config, |_| {})
    }

    /// A client that calls `wake` on its own thread after each event is queued.
    pub fn with_wake(config: ClientConfig, wake: impl Fn(Arrival) + Send + 'static) -> Client {
        let (outbox, out_rx) = mpsc::channel();
        let (ev_tx, events) = mpsc::channel();
        let mirror = Arc::new(Mutex::new(Mirror::default()));
        let connected = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            config,
            out_rx,
            inbox: Inbox {
                mirror: mirror.clone(),
                events: ev_tx,
                wake: Box::new(wake),
            },
            connected: connected.clone(),
            stop: stop.clone(),
            in_flight: Arc::new(Mutex::new(HashSet::new())),
            last_seq: None,
            code_asked: None,
        };
        let thread = std::thread::Builder::new()
            .name("queue-client".into())
            .spawn(move || worker.run())
            .expect("spawn client thread");
        Client {
            outbox,
            events: Mutex::new(events),
            mirror,
            connected,
            stop,
            next_id: AtomicU64::new(1_000),
            thread: Some(thread),
        }
    }

    /// A client with no socket, fed by hand through the returned inbox, as if the server had
    /// sent those events (tests of an app's systems). It is never connected: requests fail
    /// with `not_connected`.
    pub fn by_hand() -> (Client, Inbox) {
        let (outbox, _) = mpsc::channel();
        let (ev_tx, events) = mpsc::channel();
        let mirror = Arc::new(Mutex::new(Mirror::default()));
        let inbox = Inbox {
            mirror: mirror.clone(),
            events: ev_tx,
            wake: Box::new(|_| {}),
        };
        let client = Client {
            outbox,
            events: Mutex::new(events),
            mirror,
            connected: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            next_id: AtomicU64::new(1_000),
            thread: None,
        };
        (client, inbox)
    }

    /// The hall as last heard (snapshot and deltas folded in); hold the guard briefly, the
    /// client's thread waits for it.
    pub fn mirror(&self) -> MutexGuard<'_, Mirror> {
        self.mirror.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Acquire)
    }

    /// Sends a request; its reply comes back as `ClientEvent::Reply` with the returned id.
    pub fn request(&self, request: Request) -> Result<u64, ErrorBody> {
        if !self.is_connected() {
            return Err(ErrorBody::new(
                ErrorCode::NotConnected,
                "not connected to the queue server",
            ));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.outbox
            .send(ClientFrame { id, request })
            .map_err(|_| ErrorBody::new(ErrorCode::NotConnected, "client stopped"))?;
        Ok(id)
    }

    pub fn try_event(&self) -> Option<ClientEvent> {
        self.events().try_recv().ok()
    }

    pub fn recv_timeout(&self, timeout: Duration) -> Option<ClientEvent> {
        self.events().recv_timeout(timeout).ok()
    }

    fn events(&self) -> MutexGuard<'_, Receiver<ClientEvent>> {
        self.events.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Keeps a copy of the hall from a client's events.
#[derive(Default)]
pub struct Mirror {
    pub state: Option<State>,
    /// The queue model's latest figures per service, when the client follows them.
    pub outlook: Option<HallOutlook>,
    /// False while disconnected: show the last state with a "reconnecting" mark.
    pub live: bool,
    /// Bumped on every change, so a screen knows when the figures it shows are stale.
    pub version: u64,
}

impl Mirror {
    /// Folds one event in; returns true if the state changed.
    pub fn handle(&mut self, event: &ClientEvent) -> bool {
        let changed = self.fold(event);
        if changed {
            self.version += 1;
        }
        changed
    }

    fn fold(&mut self, event: &ClientEvent) -> bool {
        match event {
            ClientEvent::Snapshot(s) => {
                self.state = Some((**s).clone());
                self.live = true;
                true
            }
            ClientEvent::Delta(events) => match &mut self.state {
                Some(state) => {
                    for e in events {
                        apply(state, e);
                    }
                    true
                }
                None => false,
            },
            ClientEvent::View(view) => match &**view {
                LiveView::Estimates(o) => {
                    self.outlook = Some(o.clone());
                    true
                }
                _ => false,
            },
            ClientEvent::Disconnected { .. } => {
                let was = self.live;
                self.live = false;
                was
            }
            _ => false,
        }
    }
}

struct Worker {
    config: ClientConfig,
    out_rx: Receiver<ClientFrame>,
    inbox: Inbox,
    connected: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    in_flight: Arc<Mutex<HashSet<u64>>>,
    last_seq: Option<u64>,
    /// When this connection last asked for a pairing code (none: not pairing).
    code_asked: Option<Instant>,
}

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

const HELLO_ID: u64 = 1;
const SUBSCRIBE_ID: u64 = 2;
const PAIRING_ID: u64 = 3;
const ESTIMATES_ID: u64 = 4;

impl Worker {
    fn run(mut self) {
        let mut backoff = self.config.min_backoff;
        while !self.stop.load(Ordering::Acquire) {
            let reason = match self.session() {
                Ok(()) => return,
                Err(reason) => reason,
            };
            let was_connected = self.connected.swap(false, Ordering::AcqRel);
            // Anything queued or in flight has an unknown fate: say so, never leave it hanging.
            let lost: Vec<u64> = self
                .in_flight
                .lock()
                .map(|mut s| s.drain().collect())
                .unwrap_or_default();
            for id in lost {
                self.emit(ClientEvent::Reply {
                    id,
                    result: Err(ErrorBody::new(
                        ErrorCode::ConnectionLost,
                        "connection lost before the answer",
                    )),
                });
            }
            while let Ok(frame) = self.out_rx.try_recv() {
                self.emit(ClientEvent::Reply {
                    id: frame.id,
                    result: Err(ErrorBody::new(
                        ErrorCode::NotConnected,
                        "not connected to the queue server",
                    )),
                });
            }
            if was_connected {
                tracing::warn!(%reason, "queue server connection lost; reconnecting");
                backoff = self.config.min_backoff;
            }
            self.emit(ClientEvent::Disconnected { reason });
            let mut slept = Duration::ZERO;
            while slept < backoff && !self.stop.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(50));
                slept += Duration::from_millis(50);
            }
            backoff = (backoff * 2).min(self.config.max_backoff);
        }
    }

    fn emit(&self, e: ClientEvent) {
        self.inbox.push(e);
    }

    fn send(socket: &mut Socket, frame: &ClientFrame) -> Result<(), String> {
        let text = serde_json::to_string(frame).map_err(|e| e.to_string())?;
        socket.send(Message::text(text)).map_err(|e| e.to_string())
    }

    /// One connection, until it fails (Err) or the client is dropped (Ok).
    fn session(&mut self) -> Result<(), String> {
        let (mut socket, _) =
            tungstenite::connect(self.config.url.as_str()).map_err(|e| e.to_string())?;
        if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
            tcp.set_read_timeout(Some(Duration::from_millis(20)))
                .map_err(|e| e.to_string())?;
            let _ = tcp.set_nodelay(true);
        }
        let hello = ClientFrame {
            id: HELLO_ID,
            request: Request::Hello {
                protocol: PROTOCOL_VERSION,
                client: self.config.client_name.clone(),
                auth: self.config.credentials.clone(),
            },
        };
        Self::send(&mut socket, &hello)?;
        self.last_seq = None;
        self.code_asked = None;
        loop {
            if self.stop.load(Ordering::Acquire) {
                let _ = socket.close(None);
                return Ok(());
            }
            if self
                .code_asked
                .is_some_and(|at| at.elapsed() >= self.config.pairing_renew)
            {
                self.ask_for_code(&mut socket)?;
            }
            while let Ok(frame) = self.out_rx.try_recv() {
                if let Ok(mut s) = self.in_flight.lock() {
                    s.insert(frame.id);
                }
                Self::send(&mut socket, &frame)?;
            }
            match socket.read() {
                Ok(Message::Text(text)) => self.handle(&mut socket, text.as_str())?,
                Ok(Message::Close(_)) => return Err("server closed the connection".into()),
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    fn handle(&mut self, socket: &mut Socket, text: &str) -> Result<(), String> {
        let frame: ServerFrame =
            serde_json::from_str(text).map_err(|e| format!("bad frame from server: {e}"))?;
        match frame {
            ServerFrame::Reply { id, ok, error } => {
                let result = match (ok, error) {
                    (Some(ok), _) => Ok(ok),
                    (None, Some(e)) => Err(e),
                    (None, None) => Err(ErrorBody::new(ErrorCode::Internal, "empty reply")),
                };
                match id {
                    Some(HELLO_ID) => {
                        let welcome = match result {
                            Ok(welcome) => welcome,
                            Err(e) => return Err(self.hello_refused(e)),
                        };
                        self.connected.store(true, Ordering::Release);
                        self.emit(ClientEvent::Connected { welcome });
                        if self.config.credentials.is_none() && self.config.pair_as.is_some() {
                            self.ask_for_code(socket)?;
                        } else {
                            self.subscribe(socket)?;
                        }
                    }
                    Some(PAIRING_ID) => match result {
                        Ok(ReplyBody::Pairing { code, expires_at }) => {
                            self.emit(ClientEvent::Pairing { code, expires_at });
                        }
                        Ok(other) => {
                            return Err(format!("unexpected answer to request_pairing: {other:?}"));
                        }
                        Err(e) => return Err(format!("server refused pairing: {}", e.message)),
                    },
                    Some(ESTIMATES_ID) => match result {
                        Ok(ReplyBody::View { view }) => self.emit(ClientEvent::View(view)),
                        // An older server: no figures, the screens say so.
                        other => tracing::warn!(?other, "watch_estimates refused"),
                    },
                    Some(SUBSCRIBE_ID) => {
                        if let Err(e) = result {
                            return Err(format!("server refused subscribe: {}", e.message));
                        }
                    }
                    Some(id) => {
                        if let Ok(mut s) = self.in_flight.lock() {
                            s.remove(&id);
                        }
                        self.emit(ClientEvent::Reply { id, result });
                    }
                    None => tracing::warn!(?result, "server answered a request without an id"),
                }
            }
            ServerFrame::Snapshot { state } => {
                self.last_seq = Some(state.seq);
                self.emit(ClientEvent::Snapshot(state));
            }
            ServerFrame::Delta { events } => {
                let Some(last) = self.last_seq else {
                    return Ok(());
                };
                let fresh: Vec<Envelope> = events.into_iter().filter(|e| e.seq > last).collect();
                match fresh.first() {
                    None => {}
                    Some(first) if first.seq == last + 1 => {
                        self.last_seq = fresh.last().map(|e| e.seq);
                        self.emit(ClientEvent::Delta(fresh));
                    }
                    Some(first) => {
                        tracing::warn!(
                            expected = last + 1,
                            got = first.seq,
                            "gap in events; resubscribing"
                        );
                        self.last_seq = None;
                        Self::send(
                            socket,
                            &ClientFrame {
                                id: SUBSCRIBE_ID,
                                request: Request::Subscribe,
                            },
                        )?;
                    }
                }
            }
            ServerFrame::TicketUpdate { view } => self.emit(ClientEvent::TicketUpdate(view)),
            ServerFrame::Paired { token, name, role } => {
                // The connection is the device from now on; later ones say hello with the token.
                self.code_asked = None;
                self.config.credentials = Some(Credentials::Device {
                    token: token.clone(),
                });
                tracing::info!(name, ?role, "paired");
                self.emit(ClientEvent::Paired { token, name, role });
                self.subscribe(socket)?;
            }
            ServerFrame::ViewUpdate { view } => self.emit(ClientEvent::View(view)),
        }
        Ok(())
    }

    /// Once the connection speaks for a device (its token accepted, or just paired): the hall's
    /// state, and the estimates where the app shows them.
    fn subscribe(&mut self, socket: &mut Socket) -> Result<(), String> {
        if self.config.subscribe {
            Self::send(
                socket,
                &ClientFrame {
                    id: SUBSCRIBE_ID,
                    request: Request::Subscribe,
                },
            )?;
        }
        if self.config.watch_estimates {
            Self::send(
                socket,
                &ClientFrame {
                    id: ESTIMATES_ID,
                    request: Request::WatchEstimates,
                },
            )?;
        }
        Ok(())
    }

    fn ask_for_code(&mut self, socket: &mut Socket) -> Result<(), String> {
        let Some(pair) = &self.config.pair_as else {
            return Ok(());
        };
        let request = Request::RequestPairing {
            kind: pair.kind,
            name: pair.name.clone(),
        };
        self.code_asked = Some(Instant::now());
        Self::send(
            socket,
            &ClientFrame {
                id: PAIRING_ID,
                request,
            },
        )
    }

    /// A refused hello ends the connection. A device that may pair drops a token the server
    /// refuses and pairs on the next connection; anything else is retried as it was.
    fn hello_refused(&mut self, e: ErrorBody) -> String {
        let refused_token = matches!(self.config.credentials, Some(Credentials::Device { .. }))
            && matches!(
                e.code,
                ErrorCode::BadCredentials | ErrorCode::Unauthenticated
            );
        let reason = format!("server refused hello: {}", e.message);
        if refused_token && self.config.pair_as.is_some() {
            tracing::warn!(error = %e.message, "device token refused; pairing again");
            self.config.credentials = None;
            self.emit(ClientEvent::TokenRefused { error: e });
        }
        reason
    }
}

//! The kiosk's line to the queue server, on its own thread: it keeps the hall's mirror, sends
//! ticket requests and hands their answers back. It wakes the window only when something the
//! citizen can see has changed, so a busy hall does not keep an idle kiosk drawing.

use protocol::client::{Client, ClientConfig, ClientEvent, Mirror};
use protocol::wire::{Credentials, ErrorBody, ErrorCode, ReplyBody, Request, TicketReceipt};
use protocol::{Priority, ServiceCode};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the app asks of the link.
#[derive(Clone, Debug)]
pub enum ToLink {
    Issue {
        service: ServiceCode,
        priority: Priority,
        key: String,
    },
    /// Any other request whose answer only goes to the log (printer reports).
    Send(Request),
    /// New server address or token (from the technician panel): reconnect with them.
    Reconfigure { url: String, token: String },
}

/// What the link tells the app.
#[derive(Clone, Debug)]
pub enum FromLink {
    Issued {
        key: String,
        result: Result<Box<TicketReceipt>, ErrorBody>,
    },
    /// Connected (true) or lost (false).
    Live(bool),
    /// The server refused this device's token: a technician must fix it.
    Refused(ErrorBody),
}

/// The hall as last heard, shared with the app.
#[derive(Default)]
pub struct Shared {
    pub mirror: Mutex<Mirror>,
    /// Bumped on every change of the mirror.
    pub version: AtomicU64,
    /// Set by the app while its screen shows live figures (waits, people waiting).
    pub wants_updates: AtomicBool,
}

pub struct Link {
    pub to: Sender<ToLink>,
    pub from: Receiver<FromLink>,
    pub shared: Arc<Shared>,
}

/// Starts the link thread. `wake` is called whenever the app should look at it.
pub fn start(url: String, token: String, wake: impl Fn() + Send + 'static) -> Link {
    let (to, rx) = mpsc::channel::<ToLink>();
    let (tx, from) = mpsc::channel::<FromLink>();
    let shared = Arc::new(Shared::default());
    let s = shared.clone();
    std::thread::Builder::new()
        .name("kiosk-link".into())
        .spawn(move || run(url, token, rx, tx, s, wake))
        .expect("spawn the link thread");
    Link { to, from, shared }
}

fn connect(url: &str, token: &str) -> Client {
    Client::start(ClientConfig::new(
        url,
        Some(Credentials::Device {
            token: token.to_string(),
        }),
        "kiosk",
    ))
}

fn run(
    url: String,
    token: String,
    rx: Receiver<ToLink>,
    tx: Sender<FromLink>,
    shared: Arc<Shared>,
    wake: impl Fn(),
) {
    let mut client = connect(&url, &token);
    // Request id → idempotency key of the ticket it asks for.
    let mut issuing: HashMap<u64, String> = HashMap::new();
    loop {
        // One wait, then whatever else is already there; then the app's requests.
        let mut next = client.recv_timeout(Duration::from_millis(50));
        while let Some(event) = next.take() {
            let mut visible = false;
            match &event {
                ClientEvent::Reply { id, result } => {
                    if let Some(key) = issuing.remove(id) {
                        let result = match result {
                            Ok(ReplyBody::Ticket { ticket }) => Ok(ticket.clone()),
                            Ok(other) => Err(ErrorBody::new(
                                ErrorCode::Internal,
                                format!("unexpected answer to issue_ticket: {other:?}"),
                            )),
                            Err(e) => Err(e.clone()),
                        };
                        if tx.send(FromLink::Issued { key, result }).is_err() {
                            return;
                        }
                        visible = true;
                    } else if let Err(e) = result {
                        if matches!(
                            e.code,
                            ErrorCode::Unauthenticated | ErrorCode::BadCredentials
                        ) {
                            let _ = tx.send(FromLink::Refused(e.clone()));
                            visible = true;
                        } else {
                            tracing::warn!(id, error = %e, "request refused");
                        }
                    }
                }
                ClientEvent::Connected { .. } => {
                    let _ = tx.send(FromLink::Live(true));
                    visible = true;
                }
                ClientEvent::Disconnected { reason } => {
                    tracing::warn!(reason, "connection to the server lost");
                    // Requests in flight are lost with the connection: say so at once (the
                    // citizen can retry with the same key).
                    for (_, key) in issuing.drain() {
                        let _ = tx.send(FromLink::Issued {
                            key,
                            result: Err(ErrorBody::new(
                                ErrorCode::ConnectionLost,
                                "connection lost before the answer",
                            )),
                        });
                    }
                    let _ = tx.send(FromLink::Live(false));
                    visible = true;
                }
                _ => {}
            }
            let changed = shared
                .mirror
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .handle(&event);
            if changed {
                shared.version.fetch_add(1, Ordering::Release);
                visible |= shared.wants_updates.load(Ordering::Acquire);
            }
            if visible {
                wake();
            }
            next = client.try_event();
        }
        loop {
            match rx.try_recv() {
                Ok(ToLink::Issue {
                    service,
                    priority,
                    key,
                }) => {
                    let request = Request::Command(protocol::Command::issue_ticket(
                        service,
                        priority,
                        key.clone(),
                    ));
                    match client.request(request) {
                        Ok(id) => {
                            issuing.insert(id, key);
                        }
                        Err(e) => {
                            let _ = tx.send(FromLink::Issued {
                                key,
                                result: Err(e),
                            });
                            wake();
                        }
                    }
                }
                Ok(ToLink::Send(request)) => {
                    if let Err(e) = client.request(request) {
                        tracing::warn!(error = %e, "report not sent");
                    }
                }
                Ok(ToLink::Reconfigure { url, token }) => {
                    for (_, key) in issuing.drain() {
                        let _ = tx.send(FromLink::Issued {
                            key,
                            result: Err(ErrorBody::new(
                                ErrorCode::ConnectionLost,
                                "reconnecting with new settings",
                            )),
                        });
                    }
                    drop(client);
                    *shared.mirror.lock().unwrap_or_else(|p| p.into_inner()) = Mirror::default();
                    shared.version.fetch_add(1, Ordering::Release);
                    let _ = tx.send(FromLink::Live(false));
                    wake();
                    client = connect(&url, &token);
                }
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => return,
            }
        }
    }
}

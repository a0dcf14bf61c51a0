//! The kiosk's line to the queue server: one protocol client, which keeps the hall's mirror;
//! ticket requests and their answers, printer reports, pairing (a kiosk without a token the
//! server accepts shows a code until a manager approves it), and a new address or token from
//! the technician. No thread of its own: the client's thread wakes the window only for what the
//! citizen can see, so a busy hall does not keep an idle kiosk drawing.

use hall_client::{Arrival, Client, ClientConfig, ClientEvent, Mirror};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::{Priority, ServiceCode};
use hall_wire::manager::DeviceKind;
use hall_wire::{ReplyBody, Request, TicketReceipt};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard};

/// Wakes the window (from any thread).
pub(super) type Wake = Arc<dyn Fn() + Send + Sync>;

/// What the link tells the kiosk.
#[derive(Clone, Debug)]
pub(super) enum News {
    Issued {
        key: String,
        result: Result<Box<TicketReceipt>, ErrorBody>,
    },
    /// The answer to `ask_status`.
    Status(Result<Box<hall_core::request::RequestStatusView>, ErrorBody>),
    /// The answer to `leave_phone`: the number masked.
    PhoneKept {
        token: String,
        result: Result<String, ErrorBody>,
    },
    /// Connected (true) or lost (false).
    Live(bool),
    /// The server refused a request for want of rights (shown in the technician panel).
    Refused(ErrorBody),
    /// A pairing step: the token refused, a code to show, or the token approved.
    Pairing(ClientEvent),
}

pub(super) struct Link {
    client: Client,
    wake: Wake,
    /// Set while the screen shows live figures (waits, people waiting): only then does a
    /// change of the hall wake the window.
    shows_figures: Arc<AtomicBool>,
    /// Request id → idempotency key of the ticket it asks for.
    issuing: HashMap<u64, String>,
    /// Request id of the status asked on the follow screen.
    asking: Option<u64>,
    /// Request id → page token of a phone number left for a ticket.
    phones: HashMap<u64, String>,
    /// Whether the center sends text messages (its `welcome`).
    sms: bool,
    /// News made here rather than by the server (a request refused at once, a reconnection).
    early: Vec<News>,
    /// Printer reports from the printer thread, sent on to the server.
    reports: Mutex<Receiver<Request>>,
    /// Added to the client's mirror version, so a new client's hall never reads as unchanged.
    generation: u64,
}

impl Link {
    pub fn connect(url: &str, token: &str, reports: Receiver<Request>, wake: Wake) -> Link {
        let shows_figures = Arc::new(AtomicBool::new(false));
        Link {
            client: client(url, token, shows_figures.clone(), wake.clone()),
            wake,
            shows_figures,
            issuing: HashMap::new(),
            asking: None,
            phones: HashMap::new(),
            sms: false,
            early: Vec::new(),
            reports: Mutex::new(reports),
            generation: 0,
        }
    }

    /// The hall as last heard; hold briefly.
    pub fn mirror(&self) -> MutexGuard<'_, Mirror> {
        self.client.mirror()
    }

    /// Changes every time the hall changes, across reconnections with new settings.
    pub fn hall_version(&self) -> u64 {
        self.generation + self.client.mirror().version
    }

    pub fn set_shows_figures(&self, on: bool) {
        self.shows_figures.store(on, Ordering::Release);
    }

    pub fn shows_figures(&self) -> bool {
        self.shows_figures.load(Ordering::Acquire)
    }

    /// Asks for a ticket; the answer comes back as `News::Issued` with the same key.
    pub fn issue(&mut self, service: ServiceCode, priority: Priority, key: String) {
        let request = Request::Command(hall_core::command::Command::issue_ticket(
            service,
            priority,
            key.clone(),
        ));
        match self.client.request(request) {
            Ok(id) => {
                self.issuing.insert(id, key);
            }
            Err(e) => {
                self.early.push(News::Issued {
                    key,
                    result: Err(e),
                });
                (self.wake)();
            }
        }
    }

    /// Whether the center sends text messages, as its server said when we connected.
    pub fn sms(&self) -> bool {
        self.sms
    }

    /// Asks a request's status; the answer comes back as `News::Status`.
    pub fn ask_status(&mut self, reference: String, suffix: String) {
        match self
            .client
            .request(Request::RequestStatus { reference, suffix })
        {
            Ok(id) => self.asking = Some(id),
            Err(e) => {
                self.early.push(News::Status(Err(e)));
                (self.wake)();
            }
        }
    }

    /// Leaves a phone number for the ticket with this page token; answered by
    /// `News::PhoneKept`.
    pub fn leave_phone(&mut self, token: String, phone: String, lang: crate::flow::Lang) {
        let request = Request::LeavePhone {
            token: Some(token.clone()),
            ticket: None,
            phone,
            lang: lang.code().into(),
        };
        match self.client.request(request) {
            Ok(id) => {
                self.phones.insert(id, token);
            }
            Err(e) => {
                self.early.push(News::PhoneKept {
                    token,
                    result: Err(e),
                });
                (self.wake)();
            }
        }
    }

    /// Reconnects with a new server address or token (from the technician panel).
    pub fn reconfigure(&mut self, url: &str, token: &str) {
        self.fail_issuing("reconnecting with new settings");
        let new = client(url, token, self.shows_figures.clone(), self.wake.clone());
        let old = std::mem::replace(&mut self.client, new);
        self.generation += old.mirror().version + 1;
        // Dropping a client waits for its thread, which may be in the middle of a connect:
        // never on the window's thread.
        let _ = std::thread::Builder::new()
            .name("kiosk-old-link".into())
            .spawn(move || drop(old));
        self.early.push(News::Live(false));
        (self.wake)();
    }

    /// What happened since the last call; printer reports go out on the way.
    pub fn news(&mut self) -> Vec<News> {
        let reports: Vec<Request> = self
            .reports
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .try_iter()
            .collect();
        for request in reports {
            if let Err(e) = self.client.request(request) {
                tracing::warn!(error = %e, "report not sent");
            }
        }
        let mut news = std::mem::take(&mut self.early);
        while let Some(event) = self.client.try_event() {
            match event {
                ClientEvent::Reply { id, result } => {
                    if let Some(key) = self.issuing.remove(&id) {
                        let result = match result {
                            Ok(ReplyBody::Ticket { ticket }) => Ok(ticket),
                            Ok(other) => Err(ErrorBody::new(
                                ErrorCode::Internal,
                                format!("unexpected answer to issue_ticket: {other:?}"),
                            )),
                            Err(e) => Err(e),
                        };
                        news.push(News::Issued { key, result });
                    } else if self.asking == Some(id) {
                        self.asking = None;
                        news.push(News::Status(match result {
                            Ok(ReplyBody::RequestStatus { status }) => Ok(status),
                            Ok(other) => Err(unexpected("request_status", &other)),
                            Err(e) => Err(e),
                        }));
                    } else if let Some(token) = self.phones.remove(&id) {
                        let result = match result {
                            Ok(ReplyBody::PhoneKept { masked }) => Ok(masked),
                            Ok(other) => Err(unexpected("leave_phone", &other)),
                            Err(e) => Err(e),
                        };
                        news.push(News::PhoneKept { token, result });
                    } else if let Err(e) = result {
                        if matches!(
                            e.code,
                            ErrorCode::Unauthenticated | ErrorCode::BadCredentials
                        ) {
                            news.push(News::Refused(e));
                        } else {
                            tracing::warn!(id, error = %e, "request refused");
                        }
                    }
                }
                ClientEvent::Connected { welcome } => {
                    self.sms = matches!(welcome, ReplyBody::Welcome { sms: true, .. });
                    news.push(News::Live(true));
                }
                ClientEvent::Disconnected { reason } => {
                    tracing::warn!(reason, "connection to the server lost");
                    // Requests in flight are lost with the connection: say so at once (the
                    // citizen can retry with the same key).
                    self.fail_issuing_into("connection lost before the answer", &mut news);
                    news.push(News::Live(false));
                }
                e @ (ClientEvent::TokenRefused { .. }
                | ClientEvent::Pairing { .. }
                | ClientEvent::Paired { .. }) => news.push(News::Pairing(e)),
                ClientEvent::Snapshot(_)
                | ClientEvent::Delta(_)
                | ClientEvent::View(_)
                | ClientEvent::TicketUpdate(_) => {}
            }
        }
        news
    }

    fn fail_issuing(&mut self, why: &str) {
        let mut news = std::mem::take(&mut self.early);
        self.fail_issuing_into(why, &mut news);
        self.early = news;
    }

    fn fail_issuing_into(&mut self, why: &str, news: &mut Vec<News>) {
        let lost = || ErrorBody::new(ErrorCode::ConnectionLost, why);
        for (_, key) in self.issuing.drain() {
            news.push(News::Issued {
                key,
                result: Err(lost()),
            });
        }
        if self.asking.take().is_some() {
            news.push(News::Status(Err(lost())));
        }
        for (_, token) in self.phones.drain() {
            news.push(News::PhoneKept {
                token,
                result: Err(lost()),
            });
        }
    }
}

fn unexpected(what: &str, other: &ReplyBody) -> ErrorBody {
    ErrorBody::new(
        ErrorCode::Internal,
        format!("unexpected answer to {what}: {other:?}"),
    )
}

/// A client that wakes the window for answers, connection changes and pairing always, and
/// for a change of the hall only while the screen shows its figures. Without a token it pairs.
fn client(url: &str, token: &str, shows_figures: Arc<AtomicBool>, wake: Wake) -> Client {
    let name = hall_ui::pairing::suggested_name("kiosk");
    let config = ClientConfig::device(url, token, DeviceKind::Kiosk, name, "kiosk");
    let config = ClientConfig {
        watch_estimates: true,
        ..config
    };
    Client::with_wake(config, move |arrival| {
        let visible = match arrival {
            Arrival::Hall => shows_figures.load(Ordering::Acquire),
            Arrival::TicketUpdate => false,
            Arrival::Connected | Arrival::Disconnected | Arrival::Reply | Arrival::Pairing => true,
        };
        if visible {
            wake();
        }
    })
}

//! A small async websocket client speaking the protocol (docs/protocol.md), and the request
//! helpers the tests share: a request that must succeed, one that must be refused, a ticket
//! issued, an event awaited. The load generator drives servers with the same client.

use futures_util::{SinkExt, StreamExt};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::{Envelope, Event, Priority};
use hall_wire::*;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a frame it expects before it fails.
pub const WAIT: Duration = Duration::from_secs(15);

pub struct WsClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Frames that arrived while waiting for a reply.
    pending: VecDeque<ServerFrame>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("websocket: {0}")]
    Ws(#[from] tokio_tungstenite::tungstenite::Error),
    #[error("connection closed")]
    Closed,
    #[error("bad frame from server: {0}")]
    Frame(#[from] serde_json::Error),
}

impl WsClient {
    pub async fn connect(url: &str) -> Result<WsClient, ClientError> {
        let (ws, _) = tokio_tungstenite::connect_async(url).await?;
        if let MaybeTlsStream::Plain(tcp) = ws.get_ref() {
            let _ = tcp.set_nodelay(true);
        }
        Ok(WsClient {
            ws,
            next_id: 1,
            pending: VecDeque::new(),
        })
    }

    /// Connects from a chosen local address (any of 127.0.0.0/8 on Linux's loopback): a
    /// machine inside or outside the center's `[access] staff_networks`.
    pub async fn connect_from(
        url: &str,
        source: std::net::IpAddr,
    ) -> Result<WsClient, ClientError> {
        let host = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("");
        let to: std::net::SocketAddr = host.parse().map_err(|_| ClientError::Closed)?;
        let socket = match source {
            std::net::IpAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
            std::net::IpAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
        }
        .map_err(tokio_tungstenite::tungstenite::Error::Io)?;
        socket
            .bind(std::net::SocketAddr::new(source, 0))
            .map_err(tokio_tungstenite::tungstenite::Error::Io)?;
        let tcp = socket
            .connect(to)
            .await
            .map_err(tokio_tungstenite::tungstenite::Error::Io)?;
        let _ = tcp.set_nodelay(true);
        let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(tcp)).await?;
        Ok(WsClient {
            ws,
            next_id: 1,
            pending: VecDeque::new(),
        })
    }

    /// Connects and says hello with these credentials.
    pub async fn connect_as(
        url: &str,
        auth: Option<Credentials>,
    ) -> Result<(WsClient, Result<ReplyBody, ErrorBody>), ClientError> {
        let mut c = WsClient::connect(url).await?;
        let r = c.hello(auth).await?;
        Ok((c, r))
    }

    /// Says hello with these credentials (none: a citizen); the server's answer.
    pub async fn hello(
        &mut self,
        auth: Option<Credentials>,
    ) -> Result<Result<ReplyBody, ErrorBody>, ClientError> {
        self.request(Request::Hello {
            protocol: PROTOCOL_VERSION,
            client: "wsclient".into(),
            auth,
        })
        .await
    }

    /// Sends a request and waits for its reply; other frames are kept for `next_frame`.
    pub async fn request(
        &mut self,
        request: impl Into<Request>,
    ) -> Result<Result<ReplyBody, ErrorBody>, ClientError> {
        let id = self.send(request).await?;
        self.reply_to(id).await
    }

    /// Sends without waiting; returns the id.
    pub async fn send(&mut self, request: impl Into<Request>) -> Result<u64, ClientError> {
        let request = request.into();
        let id = self.next_id;
        self.next_id += 1;
        let text = serde_json::to_string(&ClientFrame { id, request })?;
        self.ws.send(Message::text(text)).await?;
        Ok(id)
    }

    pub async fn reply_to(&mut self, id: u64) -> Result<Result<ReplyBody, ErrorBody>, ClientError> {
        loop {
            match self.read().await? {
                ServerFrame::Reply {
                    id: Some(got),
                    ok,
                    error,
                } if got == id => {
                    return Ok(match (ok, error) {
                        (Some(ok), _) => Ok(ok),
                        (None, Some(e)) => Err(e),
                        (None, None) => Err(ErrorBody::new(ErrorCode::Internal, "empty reply")),
                    });
                }
                other => self.pending.push_back(other),
            }
        }
    }

    pub async fn send_raw(&mut self, msg: Message) -> Result<(), ClientError> {
        Ok(self.ws.send(msg).await?)
    }

    /// The next frame: one kept earlier, or the next from the socket.
    pub async fn next_frame(&mut self) -> Result<ServerFrame, ClientError> {
        if let Some(f) = self.pending.pop_front() {
            return Ok(f);
        }
        self.read().await
    }

    async fn read(&mut self) -> Result<ServerFrame, ClientError> {
        loop {
            match self.ws.next().await {
                None => return Err(ClientError::Closed),
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(t.as_str())?),
                Some(Ok(Message::Close(_))) => return Err(ClientError::Closed),
                Some(Ok(_)) => {}
            }
        }
    }

    /// The next text frame as it came, unparsed (for load generators that must stay cheap).
    pub async fn next_text(&mut self) -> Result<String, ClientError> {
        loop {
            match self.ws.next().await {
                None => return Err(ClientError::Closed),
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(Message::Text(t))) => return Ok(t.as_str().to_string()),
                Some(Ok(Message::Close(_))) => return Err(ClientError::Closed),
                Some(Ok(_)) => {}
            }
        }
    }

    /// The raw next message (for tests of close frames).
    pub async fn next_message(
        &mut self,
    ) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
        self.ws.next().await
    }
}

/// Sends a request that must succeed; a refusal fails the test, naming the request.
pub async fn ok(c: &mut WsClient, r: impl Into<Request>) -> ReplyBody {
    let r = r.into();
    c.request(r.clone())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{} refused: {e:?}", r.name()))
}

/// Sends a request that must be refused; returns the error code (every refusal explains
/// itself in a sentence).
pub async fn code(c: &mut WsClient, r: impl Into<Request>) -> ErrorCode {
    let r = r.into();
    match c.request(r.clone()).await.unwrap() {
        Ok(body) => panic!("{} should be refused, got {body:?}", r.name()),
        Err(e) => {
            assert!(!e.message.is_empty(), "a refusal explains itself");
            e.code
        }
    }
}

/// An `issue_ticket` request of normal priority.
pub fn issue_ticket(service: &str, key: &str) -> Request {
    Request::Command(hall_core::command::Command::issue_ticket(
        service,
        Priority::Normal,
        key,
    ))
}

/// A kiosk issues a ticket that must be issued; returns its receipt.
pub async fn issue(
    kiosk: &mut WsClient,
    service: &str,
    priority: Priority,
    key: &str,
) -> TicketReceipt {
    let request = Request::Command(hall_core::command::Command::issue_ticket(
        service, priority, key,
    ));
    match ok(kiosk, request).await {
        ReplyBody::Ticket { ticket } => *ticket,
        other => panic!("not a ticket: {other:?}"),
    }
}

/// Awaits `f` for at most `WAIT`.
pub async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(WAIT, f).await.expect("timed out")
}

/// Reads frames until a delta carrying an event that matches; `what` names it if it never
/// comes.
pub async fn await_event(c: &mut WsClient, what: &str, pred: impl Fn(&Event) -> bool) -> Envelope {
    let found = tokio::time::timeout(WAIT, async {
        loop {
            if let ServerFrame::Delta { events } = c.next_frame().await.unwrap()
                && let Some(e) = events.into_iter().find(|e| pred(&e.event))
            {
                return e;
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("never saw {what} within {WAIT:?}"))
}

//! The socket loop: one task per connection reads requests (handed to `dispatch`) and
//! forwards what the connection follows: deltas, its ticket's page, its live view, a
//! finished pairing; it closes on shutdown (1001), when its identity is revoked (4001), and
//! on a text frame that is not UTF-8 (1007).

use super::dispatch;
use super::hub::{CLOSE_REVOKED, Hub, Kick};
use super::peer::{Conn, Out, Subscription};
use crate::pairing::Paired;
use crate::published::Published;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use hall_core::engine::Actor;
use hall_core::error::ErrorCode;
use hall_wire::ServerFrame;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, oneshot, watch};

/// The close code for a text frame that is not UTF-8 (RFC 6455 §7.4.1: 1007, inconsistent
/// data).
pub const CLOSE_BAD_UTF8: u16 = 1007;

/// Whether a read failed on a text frame that is not UTF-8 (axum passes tungstenite's error
/// through).
fn is_bad_utf8(e: axum::Error) -> bool {
    e.into_inner()
        .downcast_ref::<tokio_tungstenite::tungstenite::Error>()
        .is_some_and(|e| matches!(e, tokio_tungstenite::tungstenite::Error::Utf8(_)))
}

/// A client that does not take a frame within this time is disconnected.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// One task owns the socket: no split halves and no lock per frame. `recv` is cancel-safe, so
/// losing a `select!` race to a delta drops no input.
pub(crate) async fn connection(mut socket: WebSocket, hub: Arc<Hub>, source: IpAddr) {
    let mut conn = Conn::new(source, hub.access.staff_may_come_from(source));
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
                    // A text frame that is not UTF-8 is the peer's error, and RFC 6455 (§8.1)
                    // names its close code: say so, rather than drop the socket unexplained.
                    if is_bad_utf8(e) {
                        let close = CloseFrame { code: CLOSE_BAD_UTF8, reason: "text frames must be valid UTF-8".into() };
                        let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(close)))).await;
                    }
                    break;
                }
                Some(Ok(Message::Text(text))) => dispatch::handle_text(&hub, &mut conn, text.as_str()).await,
                Some(Ok(Message::Binary(_))) => vec![Out::Frame(dispatch::error(None, ErrorCode::BadFrame, "frames are JSON text, not binary"))],
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
                    match hub.writer.snapshot().await {
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

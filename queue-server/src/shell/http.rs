//! The HTTP routes: the websocket (`/ws`), health (`/healthz`), the index (`/`), the report
//! export (`export.rs`), the request status page (`crate::status_page`), the service guide
//! (`crate::guide`), and the staff consoles and ticket page (`crate::web`).

use super::connection::connection;
use super::hub::Hub;
use axum::Router;
use axum::extract::State as AxState;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::ws::WebSocketUpgrade;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hall_wire::PROTOCOL_VERSION;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// The websocket layer refuses frames above this outright; between MAX_FRAME_BYTES and this,
/// the request is answered with `frame_too_large` and the connection stays.
const HARD_FRAME_LIMIT: usize = 1024 * 1024;

pub fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/ws", get(ws_upgrade))
        .route("/healthz", get(healthz))
        .route("/reports/export", get(super::export::export))
        .route("/", get(index))
        .route(
            "/r/{reference}",
            get(crate::status_page::ask).post(crate::status_page::answer),
        )
        .route("/r/{reference}/qr.svg", get(crate::status_page::qr))
        .route("/c", get(crate::guide::all))
        .route("/c/waits.json", get(crate::guide::waits))
        .route("/c/{service}", get(crate::guide::one))
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
        "queue-server {} — {} / {}\nwebsocket: /ws (protocol {PROTOCOL_VERSION}); health: /healthz; clerk console: /clerk; manager console: /manager; ticket pages: /t/TOKEN; back office: /office; request status: /r/REFERENCE; service guide: /c\n",
        env!("CARGO_PKG_VERSION"),
        hub.center.ar,
        hub.center.en
    )
}

/// The peer's address reaches the connection: staff sign in only from the hall's networks.
/// A router served without connection info (an in-process test) counts as loopback.
async fn ws_upgrade(
    ws: WebSocketUpgrade,
    AxState(hub): AxState<Arc<Hub>>,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
) -> Response {
    let source = connect
        .map(|c| c.0.0.ip())
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    // Requests are small; a small read buffer keeps idle connections cheap (tungstenite
    // prepares a buffer of this size on each read attempt).
    ws.read_buffer_size(1024)
        .write_buffer_size(0)
        .max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT)
        .on_upgrade(move |socket| connection(socket, hub, source))
}

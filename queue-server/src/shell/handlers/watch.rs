//! The streams a connection can follow: the hall (`subscribe`: snapshot, then deltas), one
//! ticket's page (`watch_ticket`), and a live view (`watch_desk`, `watch_dashboard`,
//! `watch_estimates`).

use crate::shell::hub::{Hub, shutting_down};
use crate::shell::peer::{Conn, Subscription};
use crate::views::ViewKey;
use axum::extract::ws::Utf8Bytes;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_wire::ReplyBody;
use std::time::Duration;

/// `subscribe`: the reply, and the snapshot frame to send right after it.
pub(crate) async fn subscribe(
    hub: &Hub,
    conn: &mut Conn,
) -> Result<(ReplyBody, Utf8Bytes), ErrorBody> {
    // Subscribe to deltas before taking the snapshot, so nothing falls between them.
    let rx = hub.deltas.subscribe();
    let (seq, frame) = hub.writer.snapshot().await.ok_or_else(shutting_down)?;
    conn.subscription = Some(Subscription { rx, seq });
    Ok((ReplyBody::Subscribed { seq }, frame))
}

pub(crate) async fn ticket(
    hub: &Hub,
    conn: &mut Conn,
    token: String,
) -> Result<ReplyBody, ErrorBody> {
    let mut watch = hub.writer.watch_ticket(token).await?;
    let view = (**watch.borrow_and_update()).clone();
    conn.watching = Some(watch);
    Ok(ReplyBody::Watching {
        view: Box::new(view),
    })
}

pub(crate) async fn desk(hub: &Hub, conn: &mut Conn) -> Result<ReplyBody, ErrorBody> {
    let Some(user) = conn.actor.as_ref().map(|a| a.name.clone()) else {
        return Err(ErrorBody::new(
            ErrorCode::Unauthenticated,
            "sign in to watch a desk",
        ));
    };
    let mut watch = hub.writer.watch_view(ViewKey::Desk { user }).await?;
    let view = (**watch.borrow_and_update()).clone();
    conn.view = Some(watch);
    Ok(ReplyBody::View {
        view: Box::new(view),
    })
}

pub(crate) async fn dashboard(hub: &Hub, conn: &mut Conn) -> Result<ReplyBody, ErrorBody> {
    let mut rx = hub.dashboard.watch();
    // The dashboard task computes a fresh one as soon as it is asked.
    match tokio::time::timeout(Duration::from_secs(5), rx.changed()).await {
        Ok(Ok(())) => {
            let view = (**rx.borrow_and_update()).clone();
            conn.view = Some(rx);
            Ok(ReplyBody::View {
                view: Box::new(view),
            })
        }
        _ => Err(shutting_down()),
    }
}

/// `watch_estimates`: the queue model's latest figures per service, then each recompute.
pub(crate) fn estimates(hub: &Hub, conn: &mut Conn) -> Result<ReplyBody, ErrorBody> {
    let mut rx = hub.estimates.watch();
    let view = (**rx.borrow_and_update()).clone();
    conn.view = Some(rx);
    Ok(ReplyBody::View {
        view: Box::new(view),
    })
}

//! One text frame in, the frames to send back out: parsed in one place (size, JSON, id, a
//! typed request), checked (hello first, a live session, the role table), then handed to
//! the handler of its family.

use super::handlers::{admin, pairing, queue, requests, watch};
use super::hub::Hub;
use super::peer::{Conn, Out};
use super::session::{self, permitted};
use hall_core::engine::Actor;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::role::Role;
use hall_wire::{MAX_FRAME_BYTES, ReplyBody, Request, ServerFrame};

pub(crate) async fn handle_text(hub: &Hub, conn: &mut Conn, text: &str) -> Vec<Out> {
    let (id, request) = match parse(text) {
        Ok(parsed) => parsed,
        Err((id, e)) => return vec![Out::Frame(ServerFrame::reply(id, Err(e)))],
    };
    if let Err(e) = admit(hub, conn, &request) {
        return vec![Out::Frame(ServerFrame::reply(Some(id), Err(e)))];
    }
    let reply = |r: Result<ReplyBody, ErrorBody>| Out::Frame(ServerFrame::reply(Some(id), r));
    match request {
        Request::Hello { protocol, auth, .. } => {
            vec![reply(session::hello(hub, conn, protocol, auth))]
        }
        Request::Login { username, password } => {
            vec![reply(session::login(hub, conn, username, password).await)]
        }
        Request::Logout => vec![reply(Ok(session::logout(hub, conn)))],
        Request::Ping => vec![reply(Ok(ReplyBody::Pong))],
        Request::Subscribe => match watch::subscribe(hub, conn).await {
            Ok((body, snapshot)) => vec![reply(Ok(body)), Out::Raw(snapshot)],
            Err(e) => vec![reply(Err(e))],
        },
        Request::WatchTicket { token } => vec![reply(watch::ticket(hub, conn, token).await)],
        Request::WatchDesk => vec![reply(watch::desk(hub, conn).await)],
        Request::WatchDashboard => vec![reply(watch::dashboard(hub, conn).await)],
        Request::WatchEstimates => vec![reply(watch::estimates(hub, conn))],
        Request::StaffingAdvice { target_minutes } => {
            vec![reply(hub.estimates.advice(target_minutes).await)]
        }
        Request::RequestPairing { kind, name } => {
            vec![reply(Ok(pairing::request(hub, conn, kind, &name)))]
        }
        Request::Command(command) => vec![reply(queue::command(hub, conn, command).await)],
        Request::LeavePhone {
            token,
            ticket,
            phone,
            lang,
        } => vec![reply(
            queue::leave_phone(hub, token, ticket, &phone, lang).await,
        )],
        Request::ListRequests => vec![reply(requests::list(hub).await)],
        Request::FindRequest { reference } => vec![reply(requests::find(hub, reference).await)],
        Request::PrintSlip {
            reference,
            counter,
            lang,
            base,
        } => {
            let actor = conn.actor.clone().unwrap_or_else(Actor::system);
            vec![reply(
                requests::print_slip(hub, &actor, reference, counter, lang, base).await,
            )]
        }
        Request::RequestStatus { reference, suffix } => {
            let client = conn
                .actor
                .as_ref()
                .map(|a| a.label())
                .unwrap_or_else(|| "citizen".into());
            vec![reply(
                requests::status_reply(hub, &client, reference, suffix).await,
            )]
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
            vec![reply(admin::handle(hub, &actor, request).await)]
        }
    }
}

/// The frame's id and typed request, or the error that answers it (with the id, if the
/// frame had one).
fn parse(text: &str) -> Result<(u64, Request), (Option<u64>, ErrorBody)> {
    if text.len() > MAX_FRAME_BYTES {
        return Err((
            None,
            ErrorBody::new(
                ErrorCode::FrameTooLarge,
                format!(
                    "a frame may hold at most {MAX_FRAME_BYTES} bytes; this one has {}",
                    text.len()
                ),
            ),
        ));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        (
            None,
            ErrorBody::new(ErrorCode::BadFrame, format!("not JSON: {e}")),
        )
    })?;
    let Some(id) = value.get("id").and_then(|v| v.as_u64()) else {
        return Err((
            None,
            ErrorBody::new(ErrorCode::BadFrame, "every request needs a numeric \"id\""),
        ));
    };
    let request: Request = serde_json::from_value(value).map_err(|e| {
        (
            Some(id),
            ErrorBody::new(ErrorCode::BadFrame, format!("not a valid request: {e}")),
        )
    })?;
    Ok((id, request))
}

/// Whether this connection may make this request now: hello first, a session still alive,
/// and the role table.
fn admit(hub: &Hub, conn: &mut Conn, request: &Request) -> Result<(), ErrorBody> {
    if !conn.hello && !matches!(request, Request::Hello { .. }) {
        return Err(ErrorBody::new(ErrorCode::HelloRequired, "say hello first"));
    }
    // Staff and devices sign in, pair and connect only from the hall's networks: from
    // outside, a password is never checked, so it cannot be guessed nor lock anyone out.
    let signs_in = matches!(
        request,
        Request::Login { .. }
            | Request::RequestPairing { .. }
            | Request::Hello { auth: Some(_), .. }
    );
    if signs_in && !conn.from_hall {
        return Err(ErrorBody::new(
            ErrorCode::OutsideHall,
            format!(
                "staff and devices sign in only from the center's network ([access] staff_networks); {} is outside it",
                conn.source
            ),
        ));
    }
    session::recheck(hub, conn, request)?;
    if !permitted(conn.role, request) {
        let code = if conn.role == Role::Citizen {
            ErrorCode::Unauthenticated
        } else {
            ErrorCode::Forbidden
        };
        return Err(ErrorBody::new(
            code,
            format!("a {:?} may not {}", conn.role, request.name()).to_lowercase(),
        ));
    }
    Ok(())
}

pub(crate) fn error(id: Option<u64>, code: ErrorCode, message: impl Into<String>) -> ServerFrame {
    ServerFrame::reply(id, Err(ErrorBody::new(code, message)))
}

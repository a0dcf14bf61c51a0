//! Who a connection is: the role table (`permitted`), and the requests that change the
//! identity: `hello` (with a device token or a staff session), `login`, `logout`.

use super::hub::Hub;
use super::peer::Conn;
use crate::auth::AuthError;
use crate::engine::{Actor, Command};
use protocol::wire::{
    Credentials, ErrorBody, ErrorCode, PROTOCOL_VERSION, ReplyBody, Request, Role,
};
use std::sync::atomic::Ordering;

/// Which requests each role may make. Anyone may say hello, sign in, and follow or withdraw
/// a ticket whose token they hold.
pub fn permitted(role: Role, request: &Request) -> bool {
    use Request::*;
    use Role::*;
    match request {
        Hello { .. } | Login { .. } | Ping | WatchTicket { .. } => true,
        Logout | WatchDesk => matches!(role, Clerk | Manager),
        Subscribe => role != Citizen,
        WatchEstimates => matches!(role, Kiosk | Manager),
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
        | Audit { .. }
        | StaffingAdvice { .. } => role == Manager,
        Command(command) => may_command(role, command),
    }
}

fn may_command(role: Role, command: &Command) -> bool {
    use Command::*;
    use Role::*;
    match command {
        WithdrawTicket { .. } => true,
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
        // The server gives these itself; they have no wire form.
        LoadCatalog { .. } | StartDay { .. } => false,
    }
}

/// `hello`: the protocol version, then who the credentials say this is (none: a citizen).
pub(crate) fn hello(
    hub: &Hub,
    conn: &mut Conn,
    protocol: u32,
    auth: Option<Credentials>,
) -> Result<ReplyBody, ErrorBody> {
    if protocol != PROTOCOL_VERSION {
        return Err(ErrorBody::new(
            ErrorCode::UnsupportedVersion,
            format!("this server speaks protocol {PROTOCOL_VERSION}, not {protocol}"),
        ));
    }
    let now = (hub.clock)();
    let (role, actor, session) = match auth {
        None => (Role::Citizen, None, None),
        Some(Credentials::Device { token }) => match hub.auth.device(&token) {
            Some((name, role)) => (role, Some(Actor::new(role, name)), None),
            None => {
                return Err(ErrorBody::new(
                    ErrorCode::BadCredentials,
                    "unknown device token",
                ));
            }
        },
        Some(Credentials::Session { token }) => match hub.auth.session(&token, now) {
            Ok(s) => (s.role, Some(Actor::new(s.role, s.username)), Some(token)),
            Err(AuthError::Expired) => {
                return Err(ErrorBody::new(
                    ErrorCode::SessionExpired,
                    "this session has expired; sign in again",
                ));
            }
            Err(e) => return Err(ErrorBody::new(ErrorCode::BadCredentials, e.to_string())),
        },
    };
    // A new hello is a new identity: nothing followed under the old one carries over.
    conn.hello = true;
    let user = actor.as_ref().map(|a| a.name.clone());
    conn.become_(hub, role, actor, session);
    Ok(ReplyBody::Welcome {
        protocol: PROTOCOL_VERSION,
        server: format!("queue-server {}", env!("CARGO_PKG_VERSION")),
        role,
        user,
        center: hub.center.clone(),
    })
}

/// `login`: a staff password checked off the async workers (argon2 is slow by design).
pub(crate) async fn login(
    hub: &Hub,
    conn: &mut Conn,
    username: String,
    password: String,
) -> Result<ReplyBody, ErrorBody> {
    let auth = hub.auth.clone();
    let now = (hub.clock)();
    let result = tokio::task::spawn_blocking(move || auth.login(&username, &password, now)).await;
    match result {
        Ok(Ok((token, s))) => {
            let actor = Actor::new(s.role, s.username.clone());
            conn.become_(hub, s.role, Some(actor), Some(token.clone()));
            Ok(ReplyBody::Session {
                token,
                role: s.role,
                username: s.username,
                display_name: s.display_name,
                expires_at: s.expires_at,
            })
        }
        Ok(Err(AuthError::BadCredentials)) => Err(ErrorBody::new(
            ErrorCode::BadCredentials,
            "wrong username or password",
        )),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "login failed");
            Err(ErrorBody::new(
                ErrorCode::StorageFailure,
                "sign-in is unavailable; try again",
            ))
        }
        Err(_) => Err(ErrorBody::new(ErrorCode::Internal, "sign-in failed")),
    }
}

pub(crate) fn logout(hub: &Hub, conn: &mut Conn) -> ReplyBody {
    if let Some(token) = conn.session.take() {
        hub.auth.logout(&token);
    }
    conn.become_(hub, Role::Citizen, None, None);
    ReplyBody::Done {
        seq: hub.committed.load(Ordering::Acquire),
    }
}

/// A staff session can expire (or be revoked) while the connection is open: checked before
/// every request but those that establish an identity. On failure the connection is a
/// citizen again and the error says why.
pub(crate) fn recheck(hub: &Hub, conn: &mut Conn, request: &Request) -> Result<(), ErrorBody> {
    let Some(token) = &conn.session else {
        return Ok(());
    };
    if matches!(request, Request::Hello { .. } | Request::Login { .. }) {
        return Ok(());
    }
    match hub.auth.session(token, (hub.clock)()) {
        Ok(_) => Ok(()),
        Err(e) => {
            conn.become_(hub, Role::Citizen, None, None);
            let code = if matches!(e, AuthError::Expired) {
                ErrorCode::SessionExpired
            } else {
                ErrorCode::Unauthenticated
            };
            Err(ErrorBody::new(code, e.to_string()))
        }
    }
}

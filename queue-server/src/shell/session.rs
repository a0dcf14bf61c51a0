//! Who a connection is: the role table (`permitted`), and the requests that change the
//! identity: `hello` (with a device token or a staff session), `login`, `logout`.

use super::hub::Hub;
use super::peer::Conn;
use crate::auth::AuthError;
use crate::auth::guard::Verdict;
use hall_core::engine::{Actor, Command};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::role::Role;
use hall_wire::{Credentials, PROTOCOL_VERSION, ReplyBody, Request};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Which requests each role may make. Anyone may say hello, sign in, and follow or withdraw
/// a ticket whose token they hold.
pub fn permitted(role: Role, request: &Request) -> bool {
    use Request::*;
    use Role::*;
    match request {
        Hello { .. } | Login { .. } | Ping | WatchTicket { .. } => true,
        Logout => matches!(role, Clerk | Manager | BackOffice),
        WatchDesk => matches!(role, Clerk | Manager),
        // The token is the key; a ticket by id only from the staff.
        LeavePhone { token, ticket, .. } => {
            token.is_some() || (ticket.is_some() && matches!(role, Clerk | Manager))
        }
        Subscribe => role != Citizen,
        WatchEstimates => matches!(role, Kiosk | Board | Manager),
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
        ListRequests => matches!(role, BackOffice | Manager),
        FindRequest { .. } => matches!(role, BackOffice | Manager | Clerk),
        PrintSlip { .. } => matches!(role, Manager | Clerk),
        RequestStatus { .. } => role == Kiosk,
        Command(command) => may_command(role, command),
    }
}

fn may_command(role: Role, command: &Command) -> bool {
    use Command::*;
    use Role::*;
    match command {
        WithdrawTicket { .. } | GiveFeedback { .. } => true,
        // A clerk at the pickup window hands over a ready request (the engine allows a
        // clerk `delivered` only).
        SetRequestState { .. } => matches!(role, BackOffice | Manager | Clerk),
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
        sms: hub.sms,
        timezone: hub.tz.name().to_string(),
        digits: hub.digits,
        public_url: hub.access.public_url.clone(),
    })
}

/// The answer to the n-th sign-in refused in a row on one connection waits
/// `CONN_BACKOFF × 2^(n-1)`, at most `CONN_BACKOFF_MAX`. The connection reads nothing while
/// it waits, so one socket cannot pile up attempts; a sleeping task holds no buffer.
const CONN_BACKOFF: Duration = Duration::from_millis(250);
const CONN_BACKOFF_MAX: Duration = Duration::from_secs(8);

fn conn_backoff(failed: u32) -> Duration {
    let shift = failed.saturating_sub(1).min(8);
    (CONN_BACKOFF * (1 << shift)).min(CONN_BACKOFF_MAX)
}

/// `login`: the account's back-off and lock first (no hashing for a refused try), then the
/// password checked on the bounded argon2 pool (`busy` when its queue is full); a refusal
/// waits per connection before it is answered.
pub(crate) async fn login(
    hub: &Hub,
    conn: &mut Conn,
    username: String,
    password: String,
) -> Result<ReplyBody, ErrorBody> {
    let now = (hub.clock)();
    let refused = match hub.auth.sign_in_verdict(&username, conn.source, now) {
        Verdict::Locked { until } => Some(ErrorBody::new(
            ErrorCode::AccountLocked,
            format!(
                "sign-in to this account is locked until {}",
                until.to_rfc3339()
            ),
        )),
        Verdict::Wait { until } => Some(ErrorBody::new(
            ErrorCode::TooManyAttempts,
            format!(
                "too many wrong passwords; try again in {} s",
                ((until - now).num_milliseconds().max(0) as u64).div_ceil(1000)
            ),
        )),
        Verdict::Pending => Some(ErrorBody::new(
            ErrorCode::TooManyAttempts,
            "other sign-ins to this account are under way; try again in a moment",
        )),
        Verdict::Go => None,
    };
    if let Some(e) = refused {
        return Err(refuse(conn, e).await);
    }
    let auth = hub.auth.clone();
    let name = username.clone();
    let Ok(answer) = hub
        .auth
        .hash_pool()
        .run(move || auth.login(&name, &password, now))
    else {
        hub.auth.sign_in_released(&username, conn.source);
        return Err(ErrorBody::new(
            ErrorCode::Busy,
            "sign-in is busy; try again in a moment",
        ));
    };
    match answer.await {
        Ok(Ok((token, s))) => {
            hub.auth.sign_in_succeeded(&username, conn.source);
            conn.failed_logins = 0;
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
        Ok(Err(AuthError::BadCredentials)) => {
            // The time of the answer, not of the request: the hash may have queued.
            let e = match hub
                .auth
                .sign_in_failed(&username, conn.source, (hub.clock)())
            {
                Some(until) => ErrorBody::new(
                    ErrorCode::AccountLocked,
                    format!(
                        "wrong password; sign-in to this account is now locked until {}",
                        until.to_rfc3339()
                    ),
                ),
                None => ErrorBody::new(ErrorCode::BadCredentials, "wrong username or password"),
            };
            Err(refuse(conn, e).await)
        }
        Ok(Err(e)) => {
            hub.auth.sign_in_released(&username, conn.source);
            tracing::error!(error = %e, "login failed");
            Err(ErrorBody::new(
                ErrorCode::StorageFailure,
                "sign-in is unavailable; try again",
            ))
        }
        Err(_) => {
            hub.auth.sign_in_released(&username, conn.source);
            Err(ErrorBody::new(ErrorCode::Internal, "sign-in failed"))
        }
    }
}

/// A refused sign-in, answered after this connection's back-off.
async fn refuse(conn: &mut Conn, e: ErrorBody) -> ErrorBody {
    conn.failed_logins += 1;
    tokio::time::sleep(conn_backoff(conn.failed_logins)).await;
    e
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

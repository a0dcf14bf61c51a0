//! The manager's requests that are not queue commands: device pairing, devices, staff
//! accounts, reports and the audit log. They touch the auth tables and read the log; none
//! goes through the engine (the audit log records them in `admin_log`).

use crate::auth::{AuthError, valid_name};
use crate::pairing::Paired;
use crate::reports::AuditQuery;
use crate::shell::hub::{Hub, Kick};
use hall_core::engine::Actor;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::role::Role;
use hall_wire::manager::DeviceInfo;
use hall_wire::*;
use std::sync::atomic::Ordering;

/// The longest display name of a staff account.
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;

fn err(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
    ErrorBody::new(code, message)
}

fn storage(e: impl std::fmt::Display) -> ErrorBody {
    tracing::error!(error = %e, "account or log database");
    err(
        ErrorCode::StorageFailure,
        "the server could not read or save this; try again",
    )
}

/// Runs a blocking job (SQLite, argon2) off the async workers.
async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ErrorBody> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|_| err(ErrorCode::Internal, "the job failed"))
}

fn check_name(name: &str, what: &str) -> Result<(), ErrorBody> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(err(
            ErrorCode::InvalidName,
            format!(
                "{what} {name:?} must be 2 to 32 lowercase Latin letters, digits, '.', '_' or '-', starting with a letter"
            ),
        ))
    }
}

fn not_self(actor: &Actor, username: &str, what: &str) -> Result<(), ErrorBody> {
    if actor.name == username {
        Err(err(
            ErrorCode::Forbidden,
            format!("a manager may not {what} their own account"),
        ))
    } else {
        Ok(())
    }
}

pub(crate) async fn handle(
    hub: &Hub,
    actor: &Actor,
    request: Request,
) -> Result<ReplyBody, ErrorBody> {
    let now = (hub.clock)();
    let label = actor.label();
    let auth = hub.auth.clone();
    match request {
        Request::ListPairings => Ok(ReplyBody::Pairings {
            pending: hub.pending_pairings(),
        }),
        Request::ApprovePairing { code, name } => {
            let name = name.trim().to_string();
            check_name(&name, "a device name")?;
            let pending = hub
                .pairings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&code, now)
                .ok_or_else(|| {
                    err(
                        ErrorCode::UnknownPairing,
                        "no device is waiting with this code (or it expired)",
                    )
                })?;
            let role = pending.kind.role();
            let (n, l) = (name.clone(), label.clone());
            let a = auth.clone();
            let token = match blocking(move || a.pair_device(&n, role, &l, now)).await? {
                Ok(t) => t,
                Err(AuthError::Exists) => {
                    return Err(err(
                        ErrorCode::UserExists,
                        format!("an account or device is already named {name}"),
                    ));
                }
                Err(e) => return Err(storage(e)),
            };
            let delivered = hub
                .pairings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .deliver(
                    &code,
                    Paired {
                        token,
                        name: name.clone(),
                        role,
                    },
                );
            if !delivered {
                // The device left meanwhile: nobody holds the token, take it back.
                let (n, l) = (name.clone(), label);
                blocking(move || auth.revoke_device(&n, &l, now))
                    .await?
                    .map_err(storage)?;
                return Err(err(
                    ErrorCode::UnknownPairing,
                    "the device stopped waiting before it was approved",
                ));
            }
            hub.dashboard.poke();
            Ok(ReplyBody::Device {
                device: DeviceInfo {
                    name,
                    role,
                    created_at: now,
                    online: true,
                },
            })
        }
        Request::ListDevices => Ok(ReplyBody::Devices {
            devices: blocking({
                let a = auth.clone();
                let presence = hub.presence.clone();
                move || {
                    a.list_devices().map(|mut d| {
                        presence.mark(&mut d);
                        d
                    })
                }
            })
            .await?
            .map_err(storage)?,
        }),
        Request::RevokeDevice { name } => {
            let n = name.clone();
            match blocking(move || auth.revoke_device(&n, &label, now)).await? {
                Ok(()) => {}
                Err(AuthError::NoSuchName) => {
                    return Err(err(
                        ErrorCode::UnknownDevice,
                        format!("no device is named {name:?}"),
                    ));
                }
                Err(e) => return Err(storage(e)),
            }
            let _ = hub.kicks.send(Kick::Device(name));
            hub.dashboard.poke();
            Ok(done(hub))
        }
        Request::ListUsers => Ok(ReplyBody::Users {
            users: blocking({
                let now = (hub.clock)();
                move || auth.list_users(now)
            })
            .await?
            .map_err(storage)?,
        }),
        Request::CreateUser {
            username,
            display_name,
            role,
        } => {
            let username = username.trim().to_string();
            check_name(&username, "a username")?;
            let display = display_name.trim().to_string();
            if display.is_empty() || display.chars().count() > MAX_DISPLAY_NAME_CHARS {
                return Err(err(
                    ErrorCode::InvalidName,
                    format!("a display name has 1 to {MAX_DISPLAY_NAME_CHARS} characters"),
                ));
            }
            if !matches!(role, Role::Clerk | Role::Manager | Role::BackOffice) {
                return Err(err(
                    ErrorCode::BadFrame,
                    "a staff account is a clerk, a manager or the back office",
                ));
            }
            let u = username.clone();
            match blocking(move || auth.add_user(&u, &display, role, &label, now)).await? {
                Ok(password) => Ok(ReplyBody::Password { username, password }),
                Err(AuthError::Exists) => Err(err(
                    ErrorCode::UserExists,
                    format!("an account or device is already named {username}"),
                )),
                Err(e) => Err(storage(e)),
            }
        }
        Request::ResetPassword { username } => {
            not_self(actor, &username, "reset the password of")?;
            let u = username.clone();
            match blocking(move || auth.reset_password(&u, &label, now)).await? {
                Ok(password) => {
                    let _ = hub.kicks.send(Kick::User(username.clone()));
                    Ok(ReplyBody::Password { username, password })
                }
                Err(AuthError::NoSuchName) => Err(unknown_user(&username)),
                Err(e) => Err(storage(e)),
            }
        }
        Request::SetUserActive { username, active } => {
            not_self(actor, &username, "disable or enable")?;
            let u = username.clone();
            match blocking(move || auth.set_active(&u, active, &label, now)).await? {
                Ok(()) => {
                    if !active {
                        let _ = hub.kicks.send(Kick::User(username));
                    }
                    Ok(done(hub))
                }
                Err(AuthError::NoSuchName) => Err(unknown_user(&username)),
                Err(e) => Err(storage(e)),
            }
        }
        Request::Report { from, to } => {
            let days = (to - from).num_days();
            if !(0..MAX_REPORT_DAYS).contains(&days) {
                return Err(err(
                    ErrorCode::InvalidRange,
                    format!(
                        "a report covers 1 to {MAX_REPORT_DAYS} days, from a date not after its end"
                    ),
                ));
            }
            let (reader, tz, now) = (hub.reader.clone(), hub.tz, (hub.clock)());
            let report = blocking(move || reader.report(tz, from, to, now))
                .await?
                .map_err(storage)?;
            Ok(ReplyBody::Report {
                report: Box::new(report),
            })
        }
        Request::Audit {
            actor: who,
            kind,
            from,
            to,
            page,
            page_size,
        } => {
            if let (Some(f), Some(t)) = (from, to)
                && f > t
            {
                return Err(err(
                    ErrorCode::InvalidRange,
                    "the first day comes after the last",
                ));
            }
            let page_size = page_size.clamp(1, MAX_AUDIT_PAGE);
            let q = AuditQuery {
                actor: who,
                kind,
                from,
                to,
                page,
                page_size,
            };
            let (reader, tz, names) = (hub.reader.clone(), hub.tz, hub.names.clone());
            let (rows, total) = blocking(move || reader.audit(&q, tz, &names))
                .await?
                .map_err(storage)?;
            Ok(ReplyBody::Audit {
                rows,
                total,
                page,
                page_size,
                kinds: crate::reports::audit_kinds(),
            })
        }
        other => Err(err(
            ErrorCode::Internal,
            format!("{} is not a manager request", other.name()),
        )),
    }
}

fn unknown_user(username: &str) -> ErrorBody {
    err(
        ErrorCode::UnknownUser,
        format!("no account is named {username:?}"),
    )
}

fn done(hub: &Hub) -> ReplyBody {
    ReplyBody::Done {
        seq: hub.committed.load(Ordering::Acquire),
    }
}

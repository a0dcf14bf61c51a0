//! Device tokens for kiosks and boards, passwords (argon2) and session tokens for staff: the
//! auth tables opened, the first start's accounts, sign-in, sessions. Tokens are stored only
//! as SHA-256 hashes.

use super::admin_log::AdminAction;
use super::guard::key;
use super::guard::{Guard, HashPool, Policy, Verdict};
use crate::store;
use crate::store::{StoreError, at_ms, from_ms};
use hall_core::Timestamp;
use hall_core::role::Role;
use hall_wire::startup::{FirstStart, Secret};
use rusqlite::{Connection, OptionalExtension, params};
use secrets::{check_nobody, hash_password, hash_token, new_password, new_token, verify_password};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Mutex;

/// How long a staff session lasts: a working day and a bit.
pub const SESSION_HOURS: i64 = 12;

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub expires_at: Timestamp,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong username or password")]
    BadCredentials,
    #[error("this session has expired; sign in again")]
    Expired,
    #[error("unknown token")]
    Unknown,
    #[error("no account or device has this name")]
    NoSuchName,
    #[error("an account or device with this name already exists")]
    Exists,
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for AuthError {
    fn from(e: rusqlite::Error) -> Self {
        AuthError::Store(StoreError::Sql(e))
    }
}

pub struct Auth {
    pub(super) conn: Mutex<Connection>,
    pub(super) devices: Mutex<HashMap<String, (String, Role)>>,
    pub(super) sessions: Mutex<HashMap<String, Session>>,
    /// Wrong passwords per name: back-off and locks (`guard.rs`).
    pub(super) guard: Mutex<Guard>,
    /// Where sign-in's argon2 runs.
    pub(super) pool: HashPool,
}

/// A role stored in the database: staff and devices, never a citizen.
pub(super) fn parse_role(s: &str) -> Option<Role> {
    Role::from_name(s).filter(|r| *r != Role::Citizen)
}

impl Auth {
    pub fn open(path: &Path) -> Result<Auth, StoreError> {
        let mut conn = store::connect(path)?;
        store::migrate(&mut conn)?;
        let mut devices = HashMap::new();
        {
            let mut stmt = conn.prepare("SELECT token_hash, name, role FROM devices")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (hash, name, role) = row?;
                if let Some(role) = parse_role(&role) {
                    devices.insert(hash, (name, role));
                }
            }
        }
        Ok(Auth {
            conn: Mutex::new(conn),
            devices: Mutex::new(devices),
            sessions: Mutex::new(HashMap::new()),
            guard: Mutex::new(Guard::new(Policy::default())),
            pool: HashPool::new(),
        })
    }

    pub(super) fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding it cannot leave the connection half-changed (SQLite
        // transactions roll back), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// On an empty database: a manager, eight clerks, a back-office account (`office1`: the
    /// requests console and the pickup window), two kiosks and a board, with fresh
    /// secrets. Returns them (the only time they exist in clear) or None if accounts exist.
    pub fn bootstrap(&self, now: Timestamp) -> Result<Option<FirstStart>, AuthError> {
        let users: i64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?;
        if users > 0 {
            return Ok(None);
        }
        let mut first = FirstStart::default();
        let password = new_password();
        self.create_user("manager", "Center manager", Role::Manager, &password, now)?;
        first.users.push(Secret {
            name: "manager".into(),
            role: Role::Manager,
            secret: password,
        });
        for i in 1..=8 {
            let password = new_password();
            let name = format!("clerk{i}");
            self.create_user(&name, &format!("Clerk {i}"), Role::Clerk, &password, now)?;
            first.users.push(Secret {
                name,
                role: Role::Clerk,
                secret: password,
            });
        }
        let password = new_password();
        self.create_user("office1", "Back office 1", Role::BackOffice, &password, now)?;
        first.users.push(Secret {
            name: "office1".into(),
            role: Role::BackOffice,
            secret: password,
        });
        for (name, role) in [
            ("kiosk-1", Role::Kiosk),
            ("kiosk-2", Role::Kiosk),
            ("board-1", Role::Board),
        ] {
            let token = self.create_device(name, role, now)?;
            first.devices.push(Secret {
                name: name.into(),
                role,
                secret: token,
            });
        }
        Ok(Some(first))
    }

    pub fn create_user(
        &self,
        username: &str,
        display: &str,
        role: Role,
        password: &str,
        now: Timestamp,
    ) -> Result<(), AuthError> {
        let hash = hash_password(password);
        self.conn().execute(
            "INSERT INTO users (username, display_name, role, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![username, display, role.name(), hash, at_ms(now)],
        )?;
        Ok(())
    }

    /// Registers a device and returns its token (stored hashed).
    pub fn create_device(
        &self,
        name: &str,
        role: Role,
        now: Timestamp,
    ) -> Result<String, AuthError> {
        let token = new_token();
        let hash = hash_token(&token);
        self.conn().execute(
            "INSERT OR REPLACE INTO devices (name, role, token_hash, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.name(), hash, at_ms(now)],
        )?;
        let mut devices = self.devices.lock().unwrap_or_else(|p| p.into_inner());
        devices.retain(|_, (n, _)| n != name);
        devices.insert(hash, (name.to_string(), role));
        Ok(token)
    }

    pub fn device(&self, token: &str) -> Option<(String, Role)> {
        self.devices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&hash_token(token))
            .cloned()
    }

    /// Checks a password (slow on purpose: call from a blocking thread) and opens a session.
    pub fn login(
        &self,
        username: &str,
        password: &str,
        now: Timestamp,
    ) -> Result<(String, Session), AuthError> {
        let row: Option<(String, String, String)> = self
            .conn()
            .query_row(
                "SELECT display_name, role, password_hash FROM users WHERE username = ?1 AND active = 1",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((display_name, role, hash)) = row else {
            // Spend the same effort for an unknown user, so timing does not reveal names.
            check_nobody(password);
            return Err(AuthError::BadCredentials);
        };
        if !verify_password(password, &hash) {
            return Err(AuthError::BadCredentials);
        }
        let role = parse_role(&role).ok_or(AuthError::BadCredentials)?;
        let token = new_token();
        let session = Session {
            username: username.to_string(),
            display_name,
            role,
            expires_at: now + chrono::Duration::hours(SESSION_HOURS),
        };
        self.conn().execute(
            "INSERT INTO sessions (token_hash, username, expires_ms) VALUES (?1, ?2, ?3)",
            params![hash_token(&token), username, at_ms(session.expires_at)],
        )?;
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(hash_token(&token), session.clone());
        Ok((token, session))
    }

    pub(super) fn guard(&self) -> std::sync::MutexGuard<'_, Guard> {
        self.guard.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a sign-in to `username` may be tried now (back-off, lock, tries under way).
    /// `Go` reserves the try: `sign_in_failed`, `sign_in_succeeded` or `sign_in_released`
    /// must follow.
    pub fn sign_in_verdict(&self, username: &str, source: IpAddr, now: Timestamp) -> Verdict {
        self.guard().check(&key(username, source), now)
    }

    /// A wrong password for `username`: counted; if it sets the lock on an existing
    /// account, the lock is written to the admin log (once per lock). Returns the lock's end
    /// when this failure set it.
    pub fn sign_in_failed(
        &self,
        username: &str,
        source: IpAddr,
        now: Timestamp,
    ) -> Option<Timestamp> {
        let until = self.guard().failed(&key(username, source), now)?;
        let exists = self
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM users WHERE username = ?1",
                [username],
                |r| r.get::<_, i64>(0),
            )
            .unwrap_or(0)
            > 0;
        if exists {
            let policy = self.guard().policy();
            let action = AdminAction::AccountLocked {
                username: username.to_string(),
                source: source.to_string(),
                failures: policy.lock_after,
                minutes: policy.lock_minutes,
            };
            if let Err(e) = self.record("system", &action, now) {
                tracing::error!(error = %e, "could not write an account lock to the admin log");
            }
        }
        tracing::warn!(username, %source, %until, "sign-in locked after repeated wrong passwords");
        Some(until)
    }

    pub fn sign_in_succeeded(&self, username: &str, source: IpAddr) {
        self.guard().succeeded(&key(username, source));
    }

    /// A reserved try that came to no answer (the pool was busy, storage failed).
    pub fn sign_in_released(&self, username: &str, source: IpAddr) {
        self.guard().release(&key(username, source));
    }

    /// The pool sign-in's argon2 runs on.
    pub fn hash_pool(&self) -> &HashPool {
        &self.pool
    }

    /// The session behind a token; sessions survive a server restart.
    pub fn session(&self, token: &str, now: Timestamp) -> Result<Session, AuthError> {
        let hash = hash_token(token);
        let cached = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&hash)
            .cloned();
        let session = match cached {
            Some(s) => s,
            None => {
                let row: Option<(String, i64, String, String)> = self
                    .conn()
                    .query_row(
                        "SELECT s.username, s.expires_ms, u.display_name, u.role FROM sessions s
                         JOIN users u ON u.username = s.username WHERE s.token_hash = ?1 AND u.active = 1",
                        [&hash],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?;
                let (username, expires, display_name, role) = row.ok_or(AuthError::Unknown)?;
                let s = Session {
                    username,
                    display_name,
                    role: parse_role(&role).ok_or(AuthError::Unknown)?,
                    expires_at: from_ms(expires),
                };
                self.sessions
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(hash.clone(), s.clone());
                s
            }
        };
        if session.expires_at <= now {
            self.logout(token);
            return Err(AuthError::Expired);
        }
        Ok(session)
    }

    pub fn logout(&self, token: &str) {
        let hash = hash_token(token);
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&hash);
        if let Err(e) = self
            .conn()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])
        {
            tracing::warn!(error = %e, "could not delete a session");
        }
    }
}

/// A username or device name: 2 to 32 characters, lowercase Latin letters, digits, `.`, `_`
/// and `-`, starting with a letter (they appear in the log as `clerk:NAME`).
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    (2..=32).contains(&name.len())
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-22T08:00:00Z".parse().unwrap()
    }

    #[test]
    fn first_start_creates_accounts_once_and_they_work() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::open(&dir.path().join("q.sqlite")).unwrap();
        let first = auth.bootstrap(now()).unwrap().expect("first start");
        assert!(
            auth.bootstrap(now()).unwrap().is_none(),
            "second start creates nothing"
        );
        let Secret {
            name: user,
            role,
            secret: password,
        } = &first.users[0];
        assert_eq!(*role, Role::Manager);
        let (token, session) = auth.login(user, password, now()).unwrap();
        assert_eq!(session.role, Role::Manager);
        assert_eq!(auth.session(&token, now()).unwrap().username, "manager");
        assert!(matches!(
            auth.login(user, "wrong", now()),
            Err(AuthError::BadCredentials)
        ));
        assert!(matches!(
            auth.login("nobody", "x", now()),
            Err(AuthError::BadCredentials)
        ));
        let Secret {
            name: dev,
            role: drole,
            secret: dtoken,
        } = &first.devices[0];
        assert_eq!(auth.device(dtoken), Some((dev.clone(), *drole)));
        assert_eq!(auth.device("not-a-token"), None);
    }

    #[test]
    fn sessions_expire_and_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.sqlite");
        let auth = Auth::open(&path).unwrap();
        auth.create_user("mona", "Mona", Role::Clerk, "pw-123456", now())
            .unwrap();
        let (token, _) = auth.login("mona", "pw-123456", now()).unwrap();
        drop(auth);
        let auth = Auth::open(&path).unwrap();
        assert_eq!(auth.session(&token, now()).unwrap().role, Role::Clerk);
        let later = now() + chrono::Duration::hours(SESSION_HOURS + 1);
        assert!(matches!(
            auth.session(&token, later),
            Err(AuthError::Expired)
        ));
        assert!(
            matches!(auth.session(&token, now()), Err(AuthError::Unknown)),
            "an expired session is gone"
        );
    }
}

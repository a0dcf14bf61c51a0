//! Accounts and devices as the manager console manages them: pairing and revoking devices,
//! creating, resetting and disabling staff accounts, listing both. Each change is written to
//! `admin_log` (`AdminAction`) in the transaction that makes it, for the audit log.

use super::admin_log::AdminAction;
use super::credentials::{Auth, AuthError, parse_role};
use crate::store::{at_ms, from_ms};
use hall_core::Timestamp;
use hall_core::role::Role;
use hall_wire::manager::{DeviceInfo, UserInfo};
use rusqlite::{Connection, OptionalExtension, params};
use secrets::{hash_password, hash_token, new_password, new_token};

/// Every transaction that writes the admin log starts IMMEDIATE: it reads the chain's head
/// before writing, and a deferred one would fail at once (SQLITE_BUSY, no retry) if the
/// writer committed in between.
fn log_admin(
    tx: &rusqlite::Transaction<'_>,
    actor: &str,
    action: &AdminAction,
    now: Timestamp,
) -> Result<(), AuthError> {
    let data = serde_json::to_string(action).expect("admin actions serialize");
    crate::chain::append_admin(tx, at_ms(now), actor, action.kind(), &data)?;
    Ok(())
}

impl Auth {
    /// Writes one action to the admin log in a transaction of its own.
    pub(crate) fn record(
        &self,
        actor: &str,
        action: &AdminAction,
        now: Timestamp,
    ) -> Result<(), AuthError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        log_admin(&tx, actor, action, now)?;
        tx.commit()?;
        Ok(())
    }

    /// The audit line of a start with `--accept-broken-chain`.
    pub fn record_break_accepted(
        &self,
        b: &crate::chain::Break,
        now: Timestamp,
    ) -> Result<(), AuthError> {
        let action = AdminAction::ChainBreakAccepted {
            chain: b.chain.name().to_string(),
            row: b.id,
            problem: b.to_string(),
        };
        self.record("system", &action, now)
    }

    /// The audit line of a snapshot a start did not use.
    pub fn record_snapshot_refused(
        &self,
        r: &crate::store::RefusedSnapshot,
        now: Timestamp,
    ) -> Result<(), AuthError> {
        let action = AdminAction::SnapshotRefused {
            seq: r.seq,
            reason: r.reason.to_string(),
        };
        self.record("system", &action, now)
    }

    /// The breaks of a full check at rows up to each chain's `upto`, less those the admin log
    /// already records (accepted at a start, or found before).
    pub fn older_breaks(
        &self,
        db: &std::path::Path,
        upto: &[(crate::chain::Chain, i64)],
    ) -> Result<Vec<crate::chain::Break>, AuthError> {
        let conn = crate::store::connect(db)?;
        let mut out = Vec::new();
        for (c, upto) in upto {
            let checked = crate::chain::check(&conn, *c, false)?;
            for b in checked.breaks.into_iter().filter(|b| b.id <= *upto) {
                let known: i64 = self.conn().query_row(
                    "SELECT COUNT(*) FROM admin_log WHERE kind IN ('chain_break_accepted', 'chain_break_found')
                     AND json_extract(data, '$.chain') = ?1 AND json_extract(data, '$.row') = ?2",
                    params![c.name(), b.id],
                    |r| r.get(0),
                )?;
                if known == 0 {
                    out.push(b);
                }
            }
        }
        Ok(out)
    }

    /// The breaks found after a start (`chain_break_found`), oldest first, for the dashboard.
    pub fn breaks_found(&self) -> Result<Vec<hall_wire::manager::ChainBreakNotice>, AuthError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT json_extract(data, '$.chain'), json_extract(data, '$.row'),
                    json_extract(data, '$.problem'), at_ms
             FROM admin_log WHERE kind = 'chain_break_found' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(hall_wire::manager::ChainBreakNotice {
                chain: r.get(0)?,
                row: r.get(1)?,
                problem: r.get(2)?,
                found_at: crate::store::from_ms(r.get(3)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The audit line of a break found after a start.
    pub fn record_break_found(
        &self,
        b: &crate::chain::Break,
        now: Timestamp,
    ) -> Result<(), AuthError> {
        let action = AdminAction::ChainBreakFound {
            chain: b.chain.name().to_string(),
            row: b.id,
            problem: b.to_string(),
        };
        self.record("system", &action, now)
    }

    fn name_taken(conn: &Connection, name: &str) -> Result<bool, AuthError> {
        let n: i64 = conn.query_row(
            "SELECT (SELECT COUNT(*) FROM users WHERE username = ?1) + (SELECT COUNT(*) FROM devices WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Whether a name is free for a new account or device.
    pub fn name_free(&self, name: &str) -> Result<bool, AuthError> {
        Ok(!Self::name_taken(&self.conn(), name)?)
    }

    /// Registers a paired device under a name no account or device has, and returns its
    /// token. Logged as `actor`'s action.
    pub fn pair_device(
        &self,
        name: &str,
        role: Role,
        actor: &str,
        now: Timestamp,
    ) -> Result<String, AuthError> {
        let token = new_token();
        let hash = hash_token(&token);
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if Self::name_taken(&tx, name)? {
                return Err(AuthError::Exists);
            }
            tx.execute(
                "INSERT INTO devices (name, role, token_hash, created_ms) VALUES (?1, ?2, ?3, ?4)",
                params![name, role.name(), hash, at_ms(now)],
            )?;
            let action = AdminAction::DevicePaired {
                name: name.to_string(),
                role,
            };
            log_admin(&tx, actor, &action, now)?;
            tx.commit()?;
        }
        self.devices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(hash, (name.to_string(), role));
        Ok(token)
    }

    /// Removes a device: its token stops working at once.
    pub fn revoke_device(&self, name: &str, actor: &str, now: Timestamp) -> Result<(), AuthError> {
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if tx.execute("DELETE FROM devices WHERE name = ?1", [name])? == 0 {
                return Err(AuthError::NoSuchName);
            }
            let action = AdminAction::DeviceRevoked {
                name: name.to_string(),
            };
            log_admin(&tx, actor, &action, now)?;
            tx.commit()?;
        }
        self.devices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, (n, _)| n != name);
        Ok(())
    }

    pub fn list_devices(&self) -> Result<Vec<DeviceInfo>, AuthError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT name, role, created_ms FROM devices ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role, created) = row?;
            if let Some(role) = parse_role(&role) {
                out.push(DeviceInfo {
                    name,
                    role,
                    created_at: from_ms(created),
                    online: false,
                });
            }
        }
        Ok(out)
    }

    /// Every account, with the end of its sign-in lock if one is in force at `now`.
    pub fn list_users(&self, now: Timestamp) -> Result<Vec<UserInfo>, AuthError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT username, display_name, role, active, created_ms FROM users ORDER BY role DESC, username",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (username, display_name, role, active, created) = row?;
            if let Some(role) = parse_role(&role) {
                let locked_until = self.guard().locked_until(&username, now);
                out.push(UserInfo {
                    username,
                    display_name,
                    role,
                    active,
                    created_at: from_ms(created),
                    locked_until,
                });
            }
        }
        Ok(out)
    }

    /// A new staff account with a generated password, returned this once. Slow (argon2):
    /// call from a blocking thread.
    pub fn add_user(
        &self,
        username: &str,
        display: &str,
        role: Role,
        actor: &str,
        now: Timestamp,
    ) -> Result<String, AuthError> {
        let password = new_password();
        let hash = hash_password(&password);
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if Self::name_taken(&tx, username)? {
            return Err(AuthError::Exists);
        }
        tx.execute(
            "INSERT INTO users (username, display_name, role, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![username, display, role.name(), hash, at_ms(now)],
        )?;
        let action = AdminAction::UserCreated {
            username: username.to_string(),
            role,
        };
        log_admin(&tx, actor, &action, now)?;
        tx.commit()?;
        Ok(password)
    }

    /// A fresh generated password (returned this once); the user's sessions end. Slow
    /// (argon2): call from a blocking thread.
    pub fn reset_password(
        &self,
        username: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<String, AuthError> {
        let password = new_password();
        let hash = hash_password(&password);
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE username = ?1",
                params![username, hash],
            )? == 0
            {
                return Err(AuthError::NoSuchName);
            }
            tx.execute("DELETE FROM sessions WHERE username = ?1", [username])?;
            let action = AdminAction::PasswordReset {
                username: username.to_string(),
            };
            log_admin(&tx, actor, &action, now)?;
            tx.commit()?;
        }
        self.forget_sessions_of(username);
        Ok(password)
    }

    /// Disables or enables an account. Disabling ends its sessions (the caller also closes
    /// its open connections). Enabling an enabled account lifts a sign-in lock (logged);
    /// otherwise setting the value it has changes and logs nothing.
    pub fn set_active(
        &self,
        username: &str,
        active: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), AuthError> {
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let current: Option<bool> = tx
                .query_row(
                    "SELECT active FROM users WHERE username = ?1",
                    [username],
                    |r| r.get(0),
                )
                .optional()?;
            match current {
                None => return Err(AuthError::NoSuchName),
                Some(true) if active => {
                    // Enabling an enabled account lifts a sign-in lock, if one is in force.
                    if self.guard().unlock(username, now) {
                        let action = AdminAction::AccountUnlocked {
                            username: username.to_string(),
                        };
                        log_admin(&tx, actor, &action, now)?;
                        tx.commit()?;
                    }
                    return Ok(());
                }
                Some(a) if a == active => return Ok(()),
                Some(_) => {}
            }
            tx.execute(
                "UPDATE users SET active = ?2 WHERE username = ?1",
                params![username, active],
            )?;
            let username = username.to_string();
            let action = if active {
                AdminAction::UserEnabled { username }
            } else {
                tx.execute("DELETE FROM sessions WHERE username = ?1", [&username])?;
                AdminAction::UserDisabled { username }
            };
            log_admin(&tx, actor, &action, now)?;
            tx.commit()?;
        }
        if !active {
            self.forget_sessions_of(username);
        }
        Ok(())
    }

    fn forget_sessions_of(&self, username: &str) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, s| s.username != username);
    }
}

#[cfg(test)]
mod admin_tests {
    use super::*;
    use crate::auth::valid_name;

    #[test]
    fn kinds_lists_every_action_once() {
        // serde names every variant when it refuses an unknown one: that list is the enum's.
        let refused = serde_json::from_str::<AdminAction>(r#"{"type": "no_such_action"}"#)
            .unwrap_err()
            .to_string();
        let mut variants: Vec<&str> = refused.split('`').skip(3).step_by(2).collect();
        let mut kinds = AdminAction::KINDS.to_vec();
        variants.sort_unstable();
        kinds.sort_unstable();
        assert_eq!(variants, kinds);
    }

    fn now() -> Timestamp {
        "2026-11-22T08:00:00Z".parse().unwrap()
    }

    #[test]
    fn names_are_checked() {
        for good in ["mona", "clerk9", "kiosk-3", "a.b_c"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in ["", "m", "Mona", "9lives", "مني", "a b", &"x".repeat(33)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn accounts_are_created_reset_and_disabled_and_every_change_is_logged() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::open(&dir.path().join("q.sqlite")).unwrap();
        let pw = auth
            .add_user("mona", "منى", Role::Clerk, "manager:boss", now())
            .unwrap();
        assert!(matches!(
            auth.add_user("mona", "x", Role::Clerk, "manager:boss", now()),
            Err(AuthError::Exists)
        ));
        let (token, _) = auth.login("mona", &pw, now()).unwrap();
        let users = auth.list_users(now()).unwrap();
        assert_eq!(users.len(), 1);
        assert!(users[0].active);
        // Disabling ends the session at once and refuses sign-in.
        auth.set_active("mona", false, "manager:boss", now())
            .unwrap();
        assert!(auth.session(&token, now()).is_err());
        assert!(matches!(
            auth.login("mona", &pw, now()),
            Err(AuthError::BadCredentials)
        ));
        auth.set_active("mona", true, "manager:boss", now())
            .unwrap();
        let (token, _) = auth.login("mona", &pw, now()).unwrap();
        // A reset gives a new password, ends sessions, and the old one stops working.
        let pw2 = auth.reset_password("mona", "manager:boss", now()).unwrap();
        assert_ne!(pw, pw2);
        assert!(auth.session(&token, now()).is_err());
        assert!(auth.login("mona", &pw, now()).is_err());
        auth.login("mona", &pw2, now()).unwrap();
        assert!(matches!(
            auth.reset_password("nobody", "manager:boss", now()),
            Err(AuthError::NoSuchName)
        ));
        let kinds: Vec<String> = auth
            .conn()
            .prepare("SELECT kind FROM admin_log ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "user_created",
                "user_disabled",
                "user_enabled",
                "password_reset"
            ]
        );
    }

    #[test]
    fn paired_devices_work_until_revoked_and_names_stay_unique() {
        let dir = tempfile::tempdir().unwrap();
        let auth = Auth::open(&dir.path().join("q.sqlite")).unwrap();
        let token = auth
            .pair_device("kiosk-3", Role::Kiosk, "manager:boss", now())
            .unwrap();
        assert_eq!(auth.device(&token), Some(("kiosk-3".into(), Role::Kiosk)));
        assert!(matches!(
            auth.pair_device("kiosk-3", Role::Board, "manager:boss", now()),
            Err(AuthError::Exists)
        ));
        assert_eq!(auth.list_devices().unwrap()[0].name, "kiosk-3");
        auth.revoke_device("kiosk-3", "manager:boss", now())
            .unwrap();
        assert_eq!(auth.device(&token), None);
        assert!(auth.list_devices().unwrap().is_empty());
        assert!(matches!(
            auth.revoke_device("kiosk-3", "manager:boss", now()),
            Err(AuthError::NoSuchName)
        ));
    }
}

//! The admin log's vocabulary: what a manager did to accounts and devices, and what a start
//! found in the logs, as `admin_log` rows store it (JSON, tagged by `type`) and the audit log
//! reads it. Written by `accounts` and `credentials`, read by `reports::audit`.

use hall_core::role::Role;

/// The vocabulary's version: raised when an action is renamed, removed or changes its fields
/// (adding an action is not a change: a reader shows a kind it does not know as it is).
pub const VERSION: u32 = 1;

/// What a manager did to accounts and devices, for the audit log.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AdminAction {
    UserCreated {
        username: String,
        role: Role,
    },
    PasswordReset {
        username: String,
    },
    UserDisabled {
        username: String,
    },
    UserEnabled {
        username: String,
    },
    DevicePaired {
        name: String,
        role: Role,
    },
    DeviceRevoked {
        name: String,
    },
    /// Sign-in to an account from `source` refused for `minutes` after `failures` wrong
    /// passwords in a row from it (other sources may still sign in).
    AccountLocked {
        username: String,
        /// The address the wrong passwords came from (absent in rows before it was kept).
        #[serde(default)]
        source: String,
        failures: u32,
        minutes: u32,
    },
    /// A manager lifted a lock before its time.
    AccountUnlocked {
        username: String,
    },
    /// The check after a start found a row changed before that start's verified point.
    ChainBreakFound {
        chain: String,
        row: i64,
        problem: String,
    },
    /// A start did not use a snapshot that no longer matched its hash or the log (the log
    /// was replayed instead).
    SnapshotRefused {
        seq: u64,
        reason: String,
    },
    /// The server was started with `--accept-broken-chain` on a log that failed its check.
    ChainBreakAccepted {
        chain: String,
        row: i64,
        problem: String,
    },
}

impl AdminAction {
    /// Every action's `kind` (the audit log's filter offers them). Add a new action here and
    /// in `kind`; a test checks the two agree.
    pub const KINDS: [&'static str; 11] = [
        "user_created",
        "password_reset",
        "user_disabled",
        "user_enabled",
        "device_paired",
        "device_revoked",
        "account_locked",
        "account_unlocked",
        "chain_break_accepted",
        "chain_break_found",
        "snapshot_refused",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            AdminAction::UserCreated { .. } => "user_created",
            AdminAction::PasswordReset { .. } => "password_reset",
            AdminAction::UserDisabled { .. } => "user_disabled",
            AdminAction::UserEnabled { .. } => "user_enabled",
            AdminAction::DevicePaired { .. } => "device_paired",
            AdminAction::DeviceRevoked { .. } => "device_revoked",
            AdminAction::AccountLocked { .. } => "account_locked",
            AdminAction::AccountUnlocked { .. } => "account_unlocked",
            AdminAction::ChainBreakAccepted { .. } => "chain_break_accepted",
            AdminAction::ChainBreakFound { .. } => "chain_break_found",
            AdminAction::SnapshotRefused { .. } => "snapshot_refused",
        }
    }
}

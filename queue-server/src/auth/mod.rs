//! Who is on the other end: device tokens for kiosks and boards, passwords (argon2) and
//! session tokens for staff. Tokens are stored only as SHA-256 hashes; how a secret is made
//! and checked is the `secrets` crate's, shared with the national service.
//!
//! - `credentials`: the auth tables, the first start's accounts, sign-in and sessions.
//! - `accounts`: what the manager console changes (staff accounts, paired devices), each
//!   change logged to `admin_log` in the same transaction.
//! - `admin_log`: that log's vocabulary (`AdminAction`), with its version.
//! - `guard`: back-off and locks after wrong passwords (pure, time passed in), and the
//!   bounded pool argon2 runs on.

mod accounts;
pub mod admin_log;
mod credentials;
pub mod guard;

pub use admin_log::AdminAction;
pub use credentials::{Auth, AuthError, SESSION_HOURS, Session, valid_name};
/// What `Auth::bootstrap` returns (the tests read the first start's secrets through here).
pub use hall_wire::startup::FirstStart;

//! What every module that opens the center's SQLite database shares: its error and the
//! settings of every connection (WAL, full fsync, foreign keys). Below both the event store
//! (`store`) and the hash chains over its tables (`chain`), so neither needs the other's.

use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("event {seq} cannot be read: {reason}")]
    Corrupt { seq: u64, reason: String },
    #[error(
        "the database was written by a newer version (schema {found}, this program knows {known})"
    )]
    NewerSchema { found: u32, known: u32 },
    #[error("{0}")]
    Chain(String),
    #[error("event {got} does not follow {expected}: the log has a gap")]
    Gap { expected: u64, got: u64 },
}

/// Opens a connection with the settings every connection to the store needs.
pub fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "SQLite refused WAL mode");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

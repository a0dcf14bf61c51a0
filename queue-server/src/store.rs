//! Durable storage in SQLite: the append-only event log, state snapshots, and the staff and
//! device tables. The engine knows nothing of this module.
//!
//! WAL with `synchronous=FULL`: a committed transaction survives power loss. Durability costs
//! one fsync per commit, so the writer commits a whole batch of commands at once (group
//! commit) and acknowledges them only after `append` returns.

use crate::chain;
use crate::chain::{Chain, Link};
use hall_core::event::{EVENT_VERSION, Envelope, Event};
use hall_core::{State, apply};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// Snapshot payload version; a snapshot of another version is ignored (the log is replayed).
/// 2: `State::idempotency` keeps each key's service and priority (`key_conflict`).
pub const SNAPSHOT_VERSION: u32 = 2;

/// Schema migrations, in order. `PRAGMA user_version` records how many have run. A
/// migration may end with a step in Rust, run in the same transaction.
const MIGRATIONS: &[(&str, Option<RustStep>)] = &[
    (
        // 1: the event log, snapshots, staff, devices and sessions.
        "CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
     );
     CREATE TABLE snapshots (
        seq INTEGER PRIMARY KEY,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
     );
     CREATE TABLE users (
        username TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_ms INTEGER NOT NULL
     );
     CREATE TABLE devices (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL
     );
     CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
     );",
        None,
    ),
    // 2: what managers did to accounts and devices (the audit log's second source; the
    // queue's own actions are in `events`).
    (
        "CREATE TABLE admin_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
     );",
        None,
    ),
    // 3: the tamper-evident chain (`chain.rs`): a link on every event and admin-log row, and
    // each chain's head and last verified point. The links of the rows already there are
    // computed on upgrade, in this migration's transaction; the verified point starts at 0,
    // so the first start after the upgrade checks them all. The index on `at_ms` finds a
    // day's last event (its closing hash) and a report's range without scanning the log.
    (
        "ALTER TABLE events ADD COLUMN hash BLOB;
     ALTER TABLE admin_log ADD COLUMN hash BLOB;
     CREATE INDEX events_at ON events (at_ms);
     CREATE TABLE chain_heads (
        chain TEXT PRIMARY KEY,
        head_id INTEGER NOT NULL,
        head_link BLOB NOT NULL,
        verified_id INTEGER NOT NULL,
        verified_link BLOB NOT NULL
     );",
        Some(chain::link_existing),
    ),
    // 4: snapshots inside the chain: the SHA-256 of a snapshot's data and the events chain's
    // link at its seq. A snapshot that does not match both is not used at start (the log is
    // replayed); those written before have neither and are not used either.
    (
        "ALTER TABLE snapshots ADD COLUMN data_hash BLOB;
     ALTER TABLE snapshots ADD COLUMN event_link BLOB;",
        None,
    ),
    // 5: messages to citizens: kept phone numbers, the outbox, opt-outs (`sms::outbox`,
    // docs/messages.md). Outside the chain: none of it is history.
    (crate::sms::outbox::MIGRATION, None),
    // 6: the number of a ticket handed in as a request, kept with the request until it is
    // delivered or rejected (`sms::outbox`).
    (crate::sms::outbox::REQUEST_PHONES_MIGRATION, None),
];

/// A snapshot a start did not use because it does not match its hash or the log.
#[derive(Clone, Debug, PartialEq)]
pub struct RefusedSnapshot {
    pub seq: u64,
    /// `data_hash`: its data does not match its hash; `log_link`: the events chain's link
    /// at its seq is not the one it was written at.
    pub reason: &'static str,
}

type RustStep = fn(&rusqlite::Transaction<'_>) -> Result<(), StoreError>;

pub use crate::db::{StoreError, connect};

/// Brings the schema up to date; refuses a database from a newer program.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as u32;
    if version > known {
        return Err(StoreError::NewerSchema {
            found: version,
            known,
        });
    }
    for (i, (sql, step)) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        // IMMEDIATE: the server's connections open and migrate at once; the first takes the
        // write lock before reading the version, the others wait and then find it done.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now > i as u32 {
            continue;
        }
        tx.execute_batch(sql)?;
        if let Some(step) = step {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
        tracing::info!(version = i + 1, "database migrated");
    }
    Ok(())
}

pub struct Store {
    conn: Connection,
    path: std::path::PathBuf,
    /// Write a snapshot after this many events since the last one.
    snapshot_every: u64,
    last_snapshot: u64,
    last_seq: u64,
    /// The events chain's head: the link the next event is chained to.
    head: Link,
}

pub fn at_ms(at: hall_core::Timestamp) -> i64 {
    at.timestamp_millis()
}

pub fn from_ms(ms: i64) -> hall_core::Timestamp {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut conn = connect(path)?;
        migrate(&mut conn)?;
        let last_seq: u64 =
            conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
        let last_snapshot: u64 =
            conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM snapshots", [], |r| {
                r.get(0)
            })?;
        let head = chain::heads(&conn, Chain::Events)?.head_link;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            snapshot_every: 10_000,
            last_snapshot,
            last_seq,
            head,
        })
    }

    /// Reads the events chain's head again: a start that accepted a break
    /// (`--accept-broken-chain`) moved it after this store was opened, and the next event
    /// must be chained to the row that is now last, not to the head from before.
    pub fn reload_head(&mut self) -> Result<(), StoreError> {
        self.head = chain::heads(&self.conn, Chain::Events)?.head_link;
        Ok(())
    }

    pub fn set_snapshot_every(&mut self, n: u64) {
        self.snapshot_every = n.max(1);
    }

    pub fn snapshot_every(&self) -> u64 {
        self.snapshot_every
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// Rebuilds the state: the newest snapshot that matches its hash and the log, then every
    /// event after it.
    pub fn load_state(&self) -> Result<State, StoreError> {
        Ok(self.load_state_checked()?.0)
    }

    /// As `load_state`, with the snapshots it refused (their data or their place in the log
    /// changed outside the server): the caller writes them to the admin log.
    pub fn load_state_checked(&self) -> Result<(State, Vec<RefusedSnapshot>), StoreError> {
        type Snap = (u64, u32, String, Option<Vec<u8>>, Option<Vec<u8>>);
        // A snapshot beyond the log's last row describes rows that are not there (newest
        // rows removed, and the break accepted): the log is the record.
        let snaps: Vec<Snap> = self
            .conn
            .prepare(
                "SELECT seq, version, data, data_hash, event_link FROM snapshots WHERE seq <= ?1 ORDER BY seq DESC",
            )?
            .query_map([self.last_seq], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut refused = Vec::new();
        let mut state = None;
        for (seq, version, data, data_hash, event_link) in snaps {
            if version != SNAPSHOT_VERSION {
                tracing::info!(seq, version, "snapshot of another version; not used");
                continue;
            }
            let (Some(data_hash), Some(event_link)) = (data_hash, event_link) else {
                tracing::info!(seq, "snapshot from before the chain covered them; not used");
                continue;
            };
            let at_seq: Option<Option<Vec<u8>>> = self
                .conn
                .query_row("SELECT hash FROM events WHERE seq = ?1", [seq], |r| {
                    r.get(0)
                })
                .optional()?;
            let reason = if data_hash != snapshot_hash(&data) {
                Some("data_hash")
            } else if at_seq.flatten() != Some(event_link) {
                Some("log_link")
            } else {
                None
            };
            if let Some(reason) = reason {
                tracing::warn!(
                    seq,
                    reason,
                    "snapshot changed outside the server; replaying the log instead"
                );
                refused.push(RefusedSnapshot { seq, reason });
                continue;
            }
            match serde_json::from_str::<State>(&data) {
                Ok(s) if s.seq == seq => {
                    state = Some(s);
                    break;
                }
                _ => tracing::warn!(seq, "snapshot unreadable; not used"),
            }
        }
        let mut state = state.unwrap_or_default();
        self.replay_after(&mut state)?;
        Ok((state, refused))
    }

    fn replay_after(&self, state: &mut State) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at_ms, actor, version, data FROM events WHERE seq > ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([state.seq])?;
        while let Some(row) = rows.next()? {
            let env = decode_row(row)?;
            if env.seq != state.seq + 1 {
                return Err(StoreError::Gap {
                    expected: state.seq + 1,
                    got: env.seq,
                });
            }
            apply(state, &env);
        }
        Ok(())
    }

    /// Appends a batch of events in one transaction (one fsync). On error nothing is written.
    pub fn append(&mut self, batch: &[Envelope]) -> Result<(), StoreError> {
        self.append_with(batch, &crate::sms::outbox::Writes::default())
    }

    /// The messages' rows alone (a near-turn message new figures caused), in a transaction.
    pub fn write_sms(&mut self, sms: &crate::sms::outbox::Writes) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        crate::sms::outbox::write(&tx, sms)?;
        tx.commit()?;
        Ok(())
    }

    /// The connection, for the kept phone numbers (`sms::Notifier::keep`).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// As `append`, with the messages the batch causes in the same transaction: a committed
    /// event always has its messages, an uncommitted one never does.
    pub fn append_with(
        &mut self,
        batch: &[Envelope],
        sms: &crate::sms::outbox::Writes,
    ) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        crate::sms::outbox::write(&tx, sms)?;
        let mut head = self.head;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO events (seq, at_ms, actor, kind, version, data, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for env in batch {
                let data = serde_json::to_string(&env.event).expect("events serialize");
                let row = chain::Row {
                    id: env.seq as i64,
                    at_ms: at_ms(env.at),
                    actor: &env.actor,
                    kind: env.event.kind(),
                    version: i64::from(EVENT_VERSION),
                    data: &data,
                };
                head = chain::link(Chain::Events, &head, &row);
                stmt.execute(params![
                    env.seq,
                    row.at_ms,
                    env.actor,
                    row.kind,
                    EVENT_VERSION,
                    data,
                    &head[..]
                ])?;
            }
        }
        let last = batch.last().map(|e| e.seq).unwrap_or(self.last_seq);
        chain::set_head(&tx, Chain::Events, last as i64, &head)?;
        tx.commit()?;
        // Only once committed: a failed commit leaves the chain where the disk has it.
        self.head = head;
        self.last_seq = last;
        Ok(())
    }

    /// Writes a snapshot if enough events have passed since the last one.
    pub fn maybe_snapshot(&mut self, state: &State) -> Result<(), StoreError> {
        if state.seq >= self.last_snapshot + self.snapshot_every {
            self.snapshot(state)?;
        }
        Ok(())
    }

    pub fn snapshot(&mut self, state: &State) -> Result<(), StoreError> {
        if state.seq == self.last_snapshot {
            return Ok(());
        }
        write_snapshot(&mut self.conn, state)?;
        self.last_snapshot = state.seq;
        Ok(())
    }

    /// The events of the current day: from the last `day_started` on (everything if none).
    pub fn events_of_today(&self) -> Result<Vec<Envelope>, StoreError> {
        let start: u64 = self
            .conn
            .query_row(
                "SELECT seq FROM events WHERE kind = 'day_started' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(1);
        self.events(start - 1, usize::MAX / 2)
    }

    /// Events in a range of sequence numbers, for reports and audits.
    pub fn events(&self, after: u64, limit: usize) -> Result<Vec<Envelope>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, at_ms, actor, version, data FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let mut rows = stmt.query(params![after, limit as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(decode_row(row)?);
        }
        Ok(out)
    }
}

/// Writes a snapshot through its own connection (from a background thread).
pub fn write_snapshot_at(path: &Path, state: &State) -> Result<(), StoreError> {
    let mut conn = connect(path)?;
    write_snapshot(&mut conn, state)
}

/// The SHA-256 of a snapshot's data, as stored beside it.
fn snapshot_hash(data: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(data.as_bytes()).to_vec()
}

fn write_snapshot(conn: &mut Connection, state: &State) -> Result<(), StoreError> {
    let data = serde_json::to_string(state).expect("state serializes");
    let hash = snapshot_hash(&data);
    let tx = conn.transaction()?;
    // The event at the snapshot's seq is committed before the state that includes it.
    tx.execute(
        "INSERT OR REPLACE INTO snapshots (seq, version, data, data_hash, event_link)
         VALUES (?1, ?2, ?3, ?4, (SELECT hash FROM events WHERE seq = ?1))",
        params![state.seq, SNAPSHOT_VERSION, data, hash],
    )?;
    // Two are enough: the newest, and one before it in case the newest is unreadable.
    tx.execute(
        "DELETE FROM snapshots WHERE seq < (SELECT MIN(seq) FROM (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 2))",
        [],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn decode_row(row: &rusqlite::Row<'_>) -> Result<Envelope, StoreError> {
    let seq: u64 = row.get(0)?;
    let at: i64 = row.get(1)?;
    let actor: String = row.get(2)?;
    let version: u32 = row.get(3)?;
    let data: String = row.get(4)?;
    let event = Event::decode(version, &data).map_err(|e| StoreError::Corrupt {
        seq,
        reason: e.to_string(),
    })?;
    Ok(Envelope {
        seq,
        at: from_ms(at),
        actor,
        event,
    })
}

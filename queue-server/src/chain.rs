//! The tamper-evident chain over the two logs that are evidence: every `events` row and every
//! `admin_log` row carries a link, SHA-256 over the previous row's link and the row's own
//! fields, so a row edited, deleted, inserted or moved offline no longer matches.
//!
//! SHA-256 (the `sha2` crate, already used for token hashes) rather than BLAKE3: no new
//! dependency, and an auditor can recompute a link with any tool (`sha256sum`, Python's
//! hashlib) from the byte layout below. With the CPU's SHA instructions it is not the cost of
//! a check: reading the rows is (docs/performance.md).
//!
//! `chain_heads` keeps, per chain, the newest row written (`head_*`, moved in the same
//! transaction as every append, so rows deleted from the end are noticed) and the last point a
//! start-up verified (`verified_*`). Start-up checks only the rows after that point, and that
//! the row at it still has the link recorded; `queue-server verify` checks every row. The
//! table lives in the same file as the rows: whoever can rewrite the file can rewrite every
//! link and both points too. What such a rewrite cannot match is a day's closing hash kept
//! outside (printed on the end-of-day report, sent to the central store).

use crate::db::StoreError;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::fmt;

pub use hall_core::digest::{Chain, GENESIS, Link, Row, closing_digest, hex, link, parse_hex};

/// Every row of a chain in order, with the fields the link covers (admin rows have no
/// version: 0).
fn select(chain: Chain, after: i64) -> String {
    match chain {
        Chain::Events => format!(
            "SELECT seq, at_ms, actor, kind, version, data, hash FROM events WHERE seq > {after} ORDER BY seq"
        ),
        Chain::Admin => format!(
            "SELECT id, at_ms, actor, kind, 0, data, hash FROM admin_log WHERE id > {after} ORDER BY id"
        ),
    }
}

/// A chain's two recorded points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heads {
    pub head_id: i64,
    pub head_link: Link,
    pub verified_id: i64,
    pub verified_link: Link,
}

fn to_link(bytes: Option<Vec<u8>>) -> Option<Link> {
    bytes.and_then(|b| b.try_into().ok())
}

pub fn heads(conn: &Connection, chain: Chain) -> Result<Heads, StoreError> {
    let row = conn
        .query_row(
            "SELECT head_id, head_link, verified_id, verified_link FROM chain_heads WHERE chain = ?1",
            [chain.name()],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((head_id, head, verified_id, verified)) = row else {
        return Err(StoreError::Chain(format!(
            "the chain head of {} is missing",
            chain.name()
        )));
    };
    Ok(Heads {
        head_id,
        head_link: to_link(Some(head)).unwrap_or(GENESIS),
        verified_id,
        verified_link: to_link(Some(verified)).unwrap_or(GENESIS),
    })
}

/// Moves a chain's head after rows were appended in `tx`.
pub fn set_head(
    tx: &Transaction<'_>,
    chain: Chain,
    id: i64,
    link: &Link,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE chain_heads SET head_id = ?2, head_link = ?3 WHERE chain = ?1",
        params![chain.name(), id, &link[..]],
    )?;
    Ok(())
}

/// Appends one admin-log row in `tx`, linked to the chain's head; returns its id.
pub fn append_admin(
    tx: &Transaction<'_>,
    at_ms: i64,
    actor: &str,
    kind: &str,
    data: &str,
) -> Result<i64, StoreError> {
    let h = heads(tx, Chain::Admin)?;
    let id: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM admin_log", [], |r| {
        r.get(0)
    })?;
    let id = id.max(h.head_id + 1);
    let row = Row {
        id,
        at_ms,
        actor,
        kind,
        version: 0,
        data,
    };
    let l = link(Chain::Admin, &h.head_link, &row);
    tx.execute(
        "INSERT INTO admin_log (id, at_ms, actor, kind, data, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, at_ms, actor, kind, data, &l[..]],
    )?;
    set_head(tx, Chain::Admin, id, &l)?;
    Ok(id)
}

/// What is wrong at one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The row's fields and the link before it do not give its stored link: the row was
    /// edited, or a row before it was removed, inserted or moved.
    Mismatch,
    /// The row carries no link (written by something other than this server).
    NoLink,
    /// Event numbers jump: events `from..=to` are missing.
    Missing { from: i64, to: i64 },
    /// The head records rows up to `head` that are no longer there.
    Truncated { head: i64 },
    /// Rows after the recorded head.
    BeyondHead { head: i64 },
    /// The row at the last verified point no longer has the link recorded for it.
    VerifiedChanged,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub chain: Chain,
    /// The row at which the break shows (its seq or admin-log id).
    pub id: i64,
    pub problem: Problem,
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, id) = (self.chain.row_word(), self.id);
        match &self.problem {
            Problem::Mismatch => write!(
                f,
                "{w} {id} does not match its link: it was changed, or a row before it was removed, inserted or moved"
            ),
            Problem::NoLink => write!(f, "{w} {id} has no link: it was not written by this server"),
            Problem::Missing { from, to } if from == to => {
                write!(f, "event {id} comes after a gap: event {from} is missing")
            }
            Problem::Missing { from, to } => {
                write!(
                    f,
                    "event {id} comes after a gap: events {from} to {to} are missing"
                )
            }
            Problem::Truncated { head } => write!(
                f,
                "{} ends at {w} {id} but {head} was written: the newest rows were removed",
                self.chain.name()
            ),
            Problem::BeyondHead { head } => write!(
                f,
                "{w} {id} comes after the last one written ({head}): rows were added"
            ),
            Problem::VerifiedChanged => write!(
                f,
                "{w} {id} was verified at an earlier start and has changed since"
            ),
        }
    }
}

/// The outcome of checking one chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub chain: Chain,
    /// Rows whose links were recomputed.
    pub rows: u64,
    /// The last row and its stored link.
    pub last_id: i64,
    pub last_link: Link,
    /// At most `MAX_BREAKS`, first first.
    pub breaks: Vec<Break>,
}

/// A check stops listing after this many breaks (it still reads to the end).
pub const MAX_BREAKS: usize = 100;

/// Checks a chain from its last verified point (`incremental`) or from its first row. Every
/// row's link is recomputed from the stored link before it, so each break is named where it
/// is, and the rows after a break are still checked.
///
/// One read transaction: the head and the rows are read from one snapshot of the database,
/// so a server appending meanwhile (`verify` on a running server, the check after a start)
/// cannot make rows written after the head was read look like an insertion.
pub fn check(conn: &Connection, chain: Chain, incremental: bool) -> Result<Checked, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let conn: &Connection = &tx;
    let h = heads(conn, chain)?;
    let mut breaks = Vec::new();
    let (mut prev_id, mut prev_link) = (0, GENESIS);
    if incremental && h.verified_id > 0 {
        let (table, col) = match chain {
            Chain::Events => ("events", "seq"),
            Chain::Admin => ("admin_log", "id"),
        };
        let stored: Option<Option<Vec<u8>>> = conn
            .query_row(
                &format!("SELECT hash FROM {table} WHERE {col} = ?1"),
                [h.verified_id],
                |r| r.get(0),
            )
            .optional()?;
        if to_link(stored.flatten()) != Some(h.verified_link) {
            breaks.push(Break {
                chain,
                id: h.verified_id,
                problem: Problem::VerifiedChanged,
            });
        }
        (prev_id, prev_link) = (h.verified_id, h.verified_link);
    }
    let mut stmt = conn.prepare(&select(chain, prev_id))?;
    let mut rows = stmt.query([])?;
    let mut n = 0u64;
    let push = |b: Break, breaks: &mut Vec<Break>| {
        if breaks.len() < MAX_BREAKS {
            breaks.push(b);
        }
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let text = |i: usize| -> Result<&str, StoreError> {
            Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
        };
        let row = Row {
            id,
            at_ms: r.get(1)?,
            actor: text(2)?,
            kind: text(3)?,
            version: r.get(4)?,
            data: text(5)?,
        };
        if chain == Chain::Events && id != prev_id + 1 {
            let problem = Problem::Missing {
                from: prev_id + 1,
                to: id - 1,
            };
            push(Break { chain, id, problem }, &mut breaks);
        }
        let computed = link(chain, &prev_link, &row);
        let stored = match r.get_ref(6)? {
            rusqlite::types::ValueRef::Blob(b) => <Link>::try_from(b).ok(),
            _ => None,
        };
        match stored {
            None => push(
                Break {
                    chain,
                    id,
                    problem: Problem::NoLink,
                },
                &mut breaks,
            ),
            Some(s) if s != computed => push(
                Break {
                    chain,
                    id,
                    problem: Problem::Mismatch,
                },
                &mut breaks,
            ),
            Some(_) => {}
        }
        // The next row was linked to what is stored here, whatever this row says now.
        prev_link = stored.unwrap_or(computed);
        prev_id = id;
        n += 1;
    }
    if prev_id < h.head_id {
        let problem = Problem::Truncated { head: h.head_id };
        push(
            Break {
                chain,
                id: prev_id,
                problem,
            },
            &mut breaks,
        );
    } else if prev_id > h.head_id && h.head_id >= h.verified_id {
        // Rows beyond the head: the first of them is named (the loop saw them as fine if
        // whoever added them computed their links).
        let first: i64 = match chain {
            Chain::Events => h.head_id + 1,
            Chain::Admin => conn.query_row(
                "SELECT MIN(id) FROM admin_log WHERE id > ?1",
                [h.head_id],
                |r| r.get(0),
            )?,
        };
        push(
            Break {
                chain,
                id: first,
                problem: Problem::BeyondHead { head: h.head_id },
            },
            &mut breaks,
        );
    } else if prev_id == h.head_id && prev_link != h.head_link && breaks.is_empty() {
        push(
            Break {
                chain,
                id: prev_id,
                problem: Problem::Mismatch,
            },
            &mut breaks,
        );
    }
    Ok(Checked {
        chain,
        rows: n,
        last_id: prev_id,
        last_link: prev_link,
        breaks,
    })
}

/// Opens a database read-only and checks both chains from their first rows.
pub fn verify_file(path: &std::path::Path) -> Result<Vec<Checked>, StoreError> {
    if !path.exists() {
        return Err(StoreError::Chain("no database here".into()));
    }
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version < 3 {
        return Err(StoreError::Chain(format!(
            "schema {version} has no chain yet; start the server once to compute it"
        )));
    }
    Chain::ALL.iter().map(|c| check(&conn, *c, false)).collect()
}

/// Records that a start-up found this chain intact up to its last row.
pub fn mark_verified(conn: &Connection, checked: &Checked) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE chain_heads SET verified_id = ?2, verified_link = ?3 WHERE chain = ?1",
        params![
            checked.chain.name(),
            checked.last_id,
            &checked.last_link[..]
        ],
    )?;
    Ok(())
}

/// After a break was accepted (`--accept-broken-chain`): the chain goes on from the rows as
/// they are, the head and the verified point at its last row. `verify` still reports the
/// break; the admin log records who accepted it.
pub fn accept(conn: &Connection, checked: &Checked) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE chain_heads SET head_id = ?2, head_link = ?3, verified_id = ?2, verified_link = ?3 WHERE chain = ?1",
        params![checked.chain.name(), checked.last_id, &checked.last_link[..]],
    )?;
    Ok(())
}

/// Migration 3: links for the rows already written, in the migration's transaction.
pub(crate) fn link_existing(tx: &Transaction<'_>) -> Result<(), StoreError> {
    for chain in Chain::ALL {
        let (table, col) = match chain {
            Chain::Events => ("events", "seq"),
            Chain::Admin => ("admin_log", "id"),
        };
        let mut links: Vec<(i64, Link)> = Vec::new();
        let mut prev = GENESIS;
        {
            let mut stmt = tx.prepare(&select(chain, 0))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let text = |i: usize| -> Result<String, rusqlite::Error> { r.get(i) };
                let (actor, kind, data) = (text(2)?, text(3)?, text(5)?);
                let row = Row {
                    id: r.get(0)?,
                    at_ms: r.get(1)?,
                    actor: &actor,
                    kind: &kind,
                    version: r.get(4)?,
                    data: &data,
                };
                prev = link(chain, &prev, &row);
                links.push((row.id, prev));
            }
        }
        let mut update = tx.prepare(&format!("UPDATE {table} SET hash = ?2 WHERE {col} = ?1"))?;
        for (id, l) in &links {
            update.execute(params![id, &l[..]])?;
        }
        let last = links.last().copied().unwrap_or((0, GENESIS));
        // The rows linked here were not checked (there was nothing to check them against):
        // the verified point stays at 0, so the first start checks them like any other.
        tx.execute(
            "INSERT INTO chain_heads (chain, head_id, head_link, verified_id, verified_link) VALUES (?1, ?2, ?3, 0, ?4)",
            params![chain.name(), last.0, &last.1[..], &GENESIS[..]],
        )?;
    }
    Ok(())
}

/// A day's closing hash: one value that fixes every event and admin-log row written before
/// the day ended, for printing and for the central store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayClose {
    pub day: NaiveDate,
    /// The last event written before the end of the day (0: none yet).
    pub last_seq: i64,
    pub events_link: Link,
    /// The last admin-log row written before the end of the day (0: none yet).
    pub last_admin: i64,
    pub admin_link: Link,
    /// SHA-256 of "tabour-day-v1\0", the day as `YYYY-MM-DD`, `last_seq`, `events_link`,
    /// `last_admin`, `admin_link` (integers 8-byte little-endian).
    pub hash: Link,
}

impl DayClose {
    pub fn hex(&self) -> String {
        hex(&self.hash)
    }
}

/// The closing hash of `day`, whose end is `end_ms` (the next local midnight, in ms). For a
/// day not over yet it covers what is written so far.
pub fn day_close(conn: &Connection, day: NaiveDate, end_ms: i64) -> Result<DayClose, StoreError> {
    let last = |sql: &str| -> Result<(i64, Link), StoreError> {
        let row: Option<(i64, Option<Vec<u8>>)> = conn
            .query_row(sql, [end_ms], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row
            .map(|(id, l)| (id, to_link(l).unwrap_or(GENESIS)))
            .unwrap_or((0, GENESIS)))
    };
    let (last_seq, events_link) = last(
        "SELECT seq, hash FROM events WHERE at_ms < ?1 ORDER BY at_ms DESC, seq DESC LIMIT 1",
    )?;
    let (last_admin, admin_link) =
        last("SELECT id, hash FROM admin_log WHERE at_ms < ?1 ORDER BY id DESC LIMIT 1")?;
    Ok(DayClose {
        day,
        last_seq,
        events_link,
        last_admin,
        admin_link,
        hash: closing_digest(day, last_seq, &events_link, last_admin, &admin_link),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_changes_with_every_field_and_with_the_previous_link() {
        let row = Row {
            id: 1,
            at_ms: 2,
            actor: "a",
            kind: "k",
            version: 1,
            data: "{}",
        };
        let base = link(Chain::Events, &GENESIS, &row);
        assert_ne!(base, link(Chain::Admin, &GENESIS, &row));
        assert_ne!(base, link(Chain::Events, &[1; 32], &row));
        let variants = [
            Row { id: 2, ..row },
            Row { at_ms: 3, ..row },
            Row { actor: "b", ..row },
            Row { kind: "j", ..row },
            Row { version: 2, ..row },
            Row { data: "{ }", ..row },
            // Field boundaries count: "ak" + "" is not "a" + "k".
            Row {
                actor: "ak",
                kind: "",
                ..row
            },
        ];
        for v in variants {
            assert_ne!(link(Chain::Events, &GENESIS, &v), base);
        }
    }

    #[test]
    fn a_link_reads_back_from_its_hex_and_nothing_else_does() {
        let l = link(
            Chain::Events,
            &GENESIS,
            &Row {
                id: 1,
                at_ms: 2,
                actor: "a",
                kind: "k",
                version: 2,
                data: "{}",
            },
        );
        assert_eq!(parse_hex(&hex(&l)), Some(l));
        assert_eq!(parse_hex(&hex(&l)[1..]), None);
        assert_eq!(parse_hex(&"zz".repeat(32)), None);
    }
}

//! The messages' tables in the center's store (migrations 5 and 6), and every statement on them.
//!
//! - `sms_phones`: a ticket's phone number and language, until no message about it can be
//!   due (the ticket closed, or the day it was issued is over: `expires_ms`).
//! - `sms_request_phones`: the number of a ticket that became a request (its reference), until
//!   the request is delivered or rejected (at most `REQUEST_KEEP_DAYS`).
//! - `sms_outbox`: one row a message, written in the transaction of the event that causes it.
//!   `state`: `due` → `sending` (a part's `submit_sm` is about to go out) → `due` again for
//!   the next part, or `submitted` (every part acknowledged by `submit_sm_resp`); `dropped`
//!   (stale, opted out, rate-limited past staleness), `failed` (refused by the SMSC or out
//!   of attempts), `uncertain` (a part was in flight when the server stopped: never resent,
//!   docs/messages.md). Once a row is final its phone is blanked.
//! - `sms_opt_out`: the keys (`Phone::opt_out_key`) of numbers that texted STOP.

use super::phone::Phone;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

pub const MIGRATION: &str = "CREATE TABLE sms_phones (
        ticket INTEGER PRIMARY KEY,
        phone TEXT NOT NULL,
        lang TEXT NOT NULL,
        near_sent INTEGER NOT NULL DEFAULT 0,
        expires_ms INTEGER NOT NULL
     );
     CREATE TABLE sms_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        ticket INTEGER,
        cause_seq INTEGER,
        phone TEXT NOT NULL,
        text TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        stale_ms INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'due',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_ms INTEGER NOT NULL,
        parts_done INTEGER NOT NULL DEFAULT 0,
        smsc_ids TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        done_ms INTEGER
     );
     CREATE INDEX sms_outbox_due ON sms_outbox (state, next_ms);
     CREATE INDEX sms_outbox_ticket ON sms_outbox (ticket, kind);
     CREATE TABLE sms_opt_out (
        key BLOB PRIMARY KEY,
        at_ms INTEGER NOT NULL
     );";

/// Migration 6: the numbers of tickets handed in as requests, kept with the request.
pub const REQUEST_PHONES_MIGRATION: &str = "CREATE TABLE sms_request_phones (
        reference TEXT PRIMARY KEY,
        phone TEXT NOT NULL,
        lang TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
     );";

/// What a message is about (the `kind` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    NearTurn,
    Called,
    Request,
    /// An answer to a text the center received (status, STOP, help).
    Reply,
    /// After service, the link to rate it (once per ticket; dropped if rated on the page).
    Feedback,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NearTurn => "near_turn",
            Kind::Called => "called",
            Kind::Request => "request",
            Kind::Reply => "reply",
            Kind::Feedback => "feedback",
        }
    }
}

/// A message to write with the batch that causes it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMessage {
    pub kind: Kind,
    pub ticket: Option<u64>,
    pub cause_seq: Option<u64>,
    pub phone: Phone,
    pub text: String,
    pub created_ms: i64,
    pub stale_ms: i64,
    /// Not sent before this (the rating link waits after service); else `created_ms`.
    pub due_ms: i64,
}

/// What the writer changes in the messages' tables with a batch, in its transaction.
#[derive(Debug, Default)]
pub struct Writes {
    pub messages: Vec<NewMessage>,
    /// Tickets whose near-turn message is in `messages` (never twice, across restarts).
    pub near_sent: Vec<u64>,
    /// Tickets closed: their numbers are forgotten.
    pub forget: Vec<u64>,
    /// Tickets called: a near-turn message not yet sent is no use any more.
    pub called: Vec<u64>,
    /// A ticket that became a request: its number follows the request (reference, number,
    /// when it is forgotten at the latest).
    pub request_keep: Vec<(String, Kept, i64)>,
    /// Requests delivered or rejected: their numbers are forgotten.
    pub request_forget: Vec<String>,
    /// Tickets rated on their page: a rating link not yet sent is no use any more.
    pub rated: Vec<u64>,
}

impl Writes {
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
            && self.near_sent.is_empty()
            && self.forget.is_empty()
            && self.called.is_empty()
            && self.request_keep.is_empty()
            && self.request_forget.is_empty()
            && self.rated.is_empty()
    }
}

pub fn write(tx: &Transaction<'_>, w: &Writes) -> rusqlite::Result<()> {
    // Called first: a near-turn row written by this very batch stays (the order in which a
    // batch is decided is the order here: a message is only in `messages` if still due).
    for t in &w.called {
        tx.prepare_cached(
            "UPDATE sms_outbox SET state = 'dropped', reason = 'called', phone = '' WHERE ticket = ?1 AND kind = 'near_turn' AND state = 'due'",
        )?
        .execute([*t as i64])?;
    }
    let mut ins = tx.prepare_cached(
        "INSERT INTO sms_outbox (kind, ticket, cause_seq, phone, text, created_ms, stale_ms, next_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for m in &w.messages {
        ins.execute(params![
            m.kind.as_str(),
            m.ticket.map(|t| t as i64),
            m.cause_seq.map(|s| s as i64),
            m.phone.digits(),
            m.text,
            m.created_ms,
            m.stale_ms,
            m.due_ms.max(m.created_ms)
        ])?;
    }
    for t in &w.rated {
        tx.prepare_cached(
            "UPDATE sms_outbox SET state = 'dropped', reason = 'rated', phone = '' WHERE ticket = ?1 AND kind = 'feedback' AND state = 'due'",
        )?
        .execute([*t as i64])?;
    }
    for t in &w.near_sent {
        tx.prepare_cached("UPDATE sms_phones SET near_sent = 1 WHERE ticket = ?1")?
            .execute([*t as i64])?;
    }
    for t in &w.forget {
        tx.prepare_cached("DELETE FROM sms_phones WHERE ticket = ?1")?
            .execute([*t as i64])?;
    }
    for (reference, k, expires_ms) in &w.request_keep {
        tx.prepare_cached(
            "INSERT INTO sms_request_phones (reference, phone, lang, expires_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (reference) DO UPDATE SET phone = ?2, lang = ?3, expires_ms = ?4",
        )?
        .execute(params![reference, k.phone.digits(), k.lang, expires_ms])?;
    }
    for reference in &w.request_forget {
        tx.prepare_cached("DELETE FROM sms_request_phones WHERE reference = ?1")?
            .execute([reference])?;
    }
    Ok(())
}

/// The numbers kept for requests not yet finished (expired ones deleted first).
pub fn load_request_phones(
    conn: &Connection,
    now_ms: i64,
) -> rusqlite::Result<Vec<(String, Kept)>> {
    conn.execute(
        "DELETE FROM sms_request_phones WHERE expires_ms <= ?1",
        [now_ms],
    )?;
    let mut stmt = conn.prepare("SELECT reference, phone, lang FROM sms_request_phones")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (reference, phone, lang) = row?;
        if let Some(phone) = Phone::from_stored(&phone) {
            out.push((
                reference,
                Kept {
                    phone,
                    lang,
                    near_sent: true,
                },
            ));
        }
    }
    Ok(out)
}

/// A kept number, as the writer holds it.
#[derive(Clone, Debug)]
pub struct Kept {
    pub phone: Phone,
    pub lang: String,
    pub near_sent: bool,
}

pub fn keep(conn: &Connection, ticket: u64, kept: &Kept, expires_ms: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sms_phones (ticket, phone, lang, near_sent, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (ticket) DO UPDATE SET phone = ?2, lang = ?3, expires_ms = ?5",
        params![ticket as i64, kept.phone.digits(), kept.lang, kept.near_sent, expires_ms],
    )?;
    Ok(())
}

/// The numbers kept now (expired ones deleted first).
pub fn load_kept(conn: &Connection, now_ms: i64) -> rusqlite::Result<Vec<(u64, Kept)>> {
    conn.execute("DELETE FROM sms_phones WHERE expires_ms <= ?1", [now_ms])?;
    let mut stmt = conn.prepare("SELECT ticket, phone, lang, near_sent FROM sms_phones")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)? as u64,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (t, phone, lang, near_sent) = row?;
        if let Some(phone) = Phone::from_stored(&phone) {
            out.push((
                t,
                Kept {
                    phone,
                    lang,
                    near_sent,
                },
            ));
        }
    }
    Ok(out)
}

/// One row the sender works on.
#[derive(Clone, Debug)]
pub struct Due {
    pub id: i64,
    pub kind: String,
    pub phone: String,
    pub text: String,
    pub created_ms: i64,
    pub stale_ms: i64,
    pub attempts: u32,
    pub parts_done: u32,
}

/// Rows left `sending` by a server that stopped with a part in flight: the SMSC may have it.
/// Over SMPP they become `uncertain` and are not sent again (at most once; docs/messages.md);
/// over a gateway that deduplicates on the `Idempotency-Key` (`resend`), they are due again.
pub fn reconcile(conn: &Connection, now_ms: i64, resend: bool) -> rusqlite::Result<usize> {
    if resend {
        return conn.execute(
            "UPDATE sms_outbox SET state = 'due' WHERE state = 'sending'",
            [],
        );
    }
    conn.execute(
        "UPDATE sms_outbox SET state = 'uncertain', reason = 'in flight at a stop', phone = '', done_ms = ?1 WHERE state = 'sending'",
        [now_ms],
    )
}

/// The next page of due rows, oldest first.
pub fn due(conn: &Connection, now_ms: i64, limit: usize) -> rusqlite::Result<Vec<Due>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, phone, text, created_ms, stale_ms, attempts, parts_done FROM sms_outbox
         WHERE state = 'due' AND next_ms <= ?1 ORDER BY next_ms, id LIMIT ?2",
    )?;
    stmt.query_map(params![now_ms, limit as i64], |r| {
        Ok(Due {
            id: r.get(0)?,
            kind: r.get(1)?,
            phone: r.get(2)?,
            text: r.get(3)?,
            created_ms: r.get(4)?,
            stale_ms: r.get(5)?,
            attempts: r.get(6)?,
            parts_done: r.get(7)?,
        })
    })?
    .collect()
}

/// When the next due row becomes due (the sender sleeps until then or a wake-up).
pub fn next_due_ms(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT MIN(next_ms) FROM sms_outbox WHERE state = 'due'",
        [],
        |r| r.get(0),
    )
}

/// What happened to a row after a round of sending.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// About to send part `parts_done + 1`.
    Sending,
    /// A part acknowledged with the SMSC's message id; `last` when it was the last part.
    PartDone {
        smsc_id: String,
        last: bool,
    },
    Retry {
        next_ms: i64,
        reason: String,
    },
    Dropped(String),
    Failed(String),
    /// Handed to the SMSC with no answer: it may have it; never sent again.
    Uncertain(String),
}

pub fn mark(conn: &mut Connection, rows: &[(i64, Outcome)], now_ms: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    for (id, o) in rows {
        match o {
            Outcome::Sending => {
                tx.prepare_cached("UPDATE sms_outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?1")?
                    .execute([id])?;
            }
            Outcome::PartDone { smsc_id, last } => {
                tx.prepare_cached(
                    "UPDATE sms_outbox SET parts_done = parts_done + 1,
                       smsc_ids = CASE WHEN smsc_ids = '' THEN ?2 ELSE smsc_ids || ',' || ?2 END,
                       state = CASE WHEN ?3 THEN 'submitted' ELSE 'due' END,
                       phone = CASE WHEN ?3 THEN '' ELSE phone END,
                       done_ms = CASE WHEN ?3 THEN ?4 ELSE NULL END
                     WHERE id = ?1",
                )?
                .execute(params![id, smsc_id, last, now_ms])?;
            }
            Outcome::Retry { next_ms, reason } => {
                tx.prepare_cached(
                    "UPDATE sms_outbox SET state = 'due', next_ms = ?2, reason = ?3 WHERE id = ?1",
                )?
                .execute(params![id, next_ms, reason])?;
            }
            Outcome::Dropped(reason) | Outcome::Failed(reason) | Outcome::Uncertain(reason) => {
                let state = match o {
                    Outcome::Dropped(_) => "dropped",
                    Outcome::Failed(_) => "failed",
                    _ => "uncertain",
                };
                tx.prepare_cached(
                    "UPDATE sms_outbox SET state = ?2, reason = ?3, phone = '', done_ms = ?4 WHERE id = ?1",
                )?
                .execute(params![id, state, reason, now_ms])?;
            }
        }
    }
    tx.commit()
}

pub fn opted_out(conn: &Connection, phone: &Phone) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sms_opt_out WHERE key = ?1")?
        .query_row([phone.opt_out_key()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// STOP: the number is opted out, forgotten from every ticket, and nothing due is sent to it.
pub fn opt_out(conn: &mut Connection, phone: &Phone, now_ms: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT OR IGNORE INTO sms_opt_out (key, at_ms) VALUES (?1, ?2)",
        params![phone.opt_out_key(), now_ms],
    )?;
    tx.execute("DELETE FROM sms_phones WHERE phone = ?1", [phone.digits()])?;
    tx.execute(
        "DELETE FROM sms_request_phones WHERE phone = ?1",
        [phone.digits()],
    )?;
    tx.execute(
        "UPDATE sms_outbox SET state = 'dropped', reason = 'opted out', phone = '', done_ms = ?2 WHERE phone = ?1 AND state = 'due'",
        params![phone.digits(), now_ms],
    )?;
    tx.commit()
}

/// A message not caused by an event (a reply to a text), in its own transaction.
pub fn insert(conn: &mut Connection, m: NewMessage) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    write(
        &tx,
        &Writes {
            messages: vec![m],
            ..Writes::default()
        },
    )?;
    tx.commit()
}

/// Counts by state (the benchmark and the tests read them).
pub fn counts(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    conn.prepare("SELECT state, COUNT(*) FROM sms_outbox GROUP BY state ORDER BY state")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

//! Reading the log back: a connection of its own (never writing), the events between two
//! instants, a report over center-local days (with each day's closing hash), the closing
//! hash of one day (`closing_hash`), and the services' and counters' names.

use crate::chain;
use crate::chain::DayClose;
use crate::store;
use crate::store::{StoreError, at_ms};
use chrono::NaiveDate;
use chrono_tz::Tz;
use hall_core::clock::day_start;
use hall_core::kpi::Kpis;
use hall_core::kpi::{DayClosing, Report, ReportGrouping};
use hall_core::{CounterId, Envelope, Names, State};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// The names of services and counters as the hall has them now.
#[derive(Clone, Debug, Default)]
pub struct NameBook {
    pub services: HashMap<String, Names>,
    pub counters: HashMap<CounterId, Names>,
}

impl NameBook {
    pub fn of(state: &State) -> NameBook {
        NameBook {
            services: state
                .services
                .values()
                .map(|q| (q.service.code.clone(), q.service.name.clone()))
                .collect(),
            counters: state
                .counters
                .values()
                .map(|c| (c.id, c.name.clone()))
                .collect(),
        }
    }

    pub(super) fn service(&self, code: &str, lang: &str) -> String {
        self.services
            .get(code)
            .map(|n| n.get(lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    pub(super) fn counter(&self, id: CounterId, lang: &str) -> String {
        self.counters
            .get(&id)
            .map(|n| n.get(lang).to_string())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// The name column of a report row.
    pub fn row_name(&self, by: ReportGrouping, key: &str, lang: &str) -> String {
        match by {
            ReportGrouping::Service => self.service(key, lang),
            ReportGrouping::Counter => key
                .parse()
                .map(|id| self.counter(id, lang))
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// What to show of the audit log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditQuery {
    /// "clerk:mona" or just "mona".
    pub actor: Option<String>,
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub page_size: u32,
}

pub struct Reader {
    conn: Mutex<Connection>,
}

impl Reader {
    pub fn open(path: &Path) -> Result<Reader, StoreError> {
        let conn = store::connect(path)?;
        Ok(Reader {
            conn: Mutex::new(conn),
        })
    }

    pub(super) fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Events written from `start` (inclusive) to `end` (exclusive), in log order.
    pub fn events_between(
        &self,
        start: hall_core::Timestamp,
        end: hall_core::Timestamp,
    ) -> Result<Vec<Envelope>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, at_ms, actor, version, data FROM events WHERE at_ms >= ?1 AND at_ms < ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![at_ms(start), at_ms(end)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(store::decode_row(row)?);
        }
        Ok(out)
    }

    /// Up to `limit` events after `after`, in log order (the queue model's learning at
    /// start-up reads the log so, by its primary key).
    pub fn events_after(&self, after: u64, limit: usize) -> Result<Vec<Envelope>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, at_ms, actor, version, data FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let mut rows = stmt.query(params![after as i64, limit as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(store::decode_row(row)?);
        }
        Ok(out)
    }

    /// The report of the tickets issued on the local days `from` to `to`. The fold starts a
    /// day early (to know who had each counter open) and ends a day late (tickets still open
    /// at midnight are cancelled only by the next day's start).
    /// `now` tells which day is not over yet: its closing hash is marked provisional.
    pub fn report(
        &self,
        tz: Tz,
        from: NaiveDate,
        to: NaiveDate,
        now: hall_core::Timestamp,
    ) -> Result<Report, StoreError> {
        let start = day_start(tz, from - chrono::Duration::days(1));
        let end = day_start(tz, to + chrono::Duration::days(2));
        let events = self.events_between(start, end)?;
        let mut report = Kpis::from_events(&events).report(tz, from, to);
        let conn = self.conn();
        // Clerk rows carry the clerk's name (the key is the username the log has).
        let mut stmt = conn.prepare_cached("SELECT display_name FROM users WHERE username = ?1")?;
        for row in &mut report.by_clerk {
            row.name = stmt.query_row([&row.key], |r| r.get(0)).optional()?;
        }
        drop(stmt);
        let mut day = from;
        while day <= to {
            let mut closing: DayClosing = closing_of(&conn, tz, day)?.into();
            closing.provisional = day_start(tz, day + chrono::Duration::days(1)) > now;
            report.closing.push(closing);
            day += chrono::Duration::days(1);
        }
        Ok(report)
    }

    /// The closing hash of a center-local day (for a day not over yet: of what is written so
    /// far).
    pub fn closing_hash(&self, tz: Tz, day: NaiveDate) -> Result<DayClose, StoreError> {
        closing_of(&self.conn(), tz, day)
    }
}

fn closing_of(conn: &Connection, tz: Tz, day: NaiveDate) -> Result<DayClose, StoreError> {
    let end = day_start(tz, day + chrono::Duration::days(1));
    chain::day_close(conn, day, at_ms(end))
}

/// The closing hash of the center-local `day` of the database at `path`, through a reading
/// connection of its own: one value that fixes every event and admin-log row written before
/// the day ended (`chain::DayClose`). For the uplink to the central store and for tools.
pub fn closing_hash(path: &Path, tz: Tz, day: NaiveDate) -> Result<DayClose, StoreError> {
    let conn = store::connect(path)?;
    closing_of(&conn, tz, day)
}

impl From<DayClose> for DayClosing {
    fn from(c: DayClose) -> DayClosing {
        DayClosing {
            day: c.day,
            last_seq: c.last_seq.max(0) as u64,
            last_admin: c.last_admin.max(0) as u64,
            hash: c.hex(),
            provisional: false,
        }
    }
}

//! Reports from the national store, in the center's own report shape
//! (`hall_core::kpi::Report`): the same rows, the same definitions (tickets issued on the
//! local days of the range; mean and nearest-rank p90 — `percentile_disc` — of the fold's
//! per-ticket waits and service times), over one center, a governorate or the whole country.

use chrono::NaiveDate;
use hall_core::kpi::{Report, ReportRow};
use tokio_postgres::Client;

/// Which centers a report or a figure covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Nation,
    Governorate(String),
    Center(String),
}

/// The condition on `sites s` every scoped query uses, with `$1` the governorate and `$4`
/// the center (each NULL when the scope is wider).
pub const SCOPED: &str =
    "($1::text IS NULL OR s.governorate = $1) AND ($4::text IS NULL OR s.code = $4)";

impl Scope {
    pub fn params(&self) -> (Option<String>, Option<String>) {
        match self {
            Scope::Nation => (None, None),
            Scope::Governorate(g) => (Some(g.clone()), None),
            Scope::Center(c) => (None, Some(c.clone())),
        }
    }
}

const FIGURES: &str = "count(*)::int8, count(*) FILTER (WHERE t.end_state = 'done')::int8,
    count(*) FILTER (WHERE t.end_state = 'no_show')::int8,
    count(*) FILTER (WHERE t.end_state = 'cancelled')::int8,
    avg(t.wait_secs), percentile_disc(0.9) WITHIN GROUP (ORDER BY t.wait_secs),
    avg(t.service_secs), percentile_disc(0.9) WITHIN GROUP (ORDER BY t.service_secs),
    coalesce(sum(t.revenue_piasters), 0)::int8,
    count(*) FILTER (WHERE t.transfers > 0)::int8";

/// A report row with the revenue the center's report does not carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub row: ReportRow,
    pub revenue_piasters: i64,
}

fn row(key: String, r: &tokio_postgres::Row, at: usize) -> Row {
    let n = |i: usize| r.get::<_, i64>(at + i) as u32;
    Row {
        row: ReportRow {
            key,
            // The center's report names clerks from its accounts, which stay home.
            name: None,
            tickets: n(0),
            transferred: n(9),
            served: n(1),
            no_shows: n(2),
            cancelled: n(3),
            wait_mean_secs: r.get(at + 4),
            wait_p90_secs: r.get(at + 5),
            service_mean_secs: r.get(at + 6),
            service_p90_secs: r.get(at + 7),
            // Requests and ratings (issue 12) are not in the national store yet.
            requests: 0,
            ratings: 0,
            rating_mean: None,
        },
        revenue_piasters: r.get(at + 8),
    }
}

/// Rows grouped by `key` (a SQL expression over `tickets t` and `sites s`).
pub async fn rows(
    db: &Client,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    key: Option<&str>,
) -> Result<Vec<Row>, tokio_postgres::Error> {
    let (gov, center) = scope.params();
    let sql = match key {
        Some(k) => format!(
            "SELECT ({k})::text AS k, {FIGURES} FROM tickets t JOIN sites s ON s.code = t.center
             WHERE {SCOPED} AND t.local_day BETWEEN $2 AND $3 AND ({k}) IS NOT NULL GROUP BY 1 ORDER BY 1"
        ),
        None => format!(
            "SELECT ''::text, {FIGURES} FROM tickets t JOIN sites s ON s.code = t.center
             WHERE {SCOPED} AND t.local_day BETWEEN $2 AND $3"
        ),
    };
    let out = db.query(&sql, &[&gov, &from, &to, &center]).await?;
    Ok(out.iter().map(|r| row(r.get(0), r, 1)).collect())
}

/// The groupings a report offers: the center's five, and by center and governorate.
pub fn key_of(by: &str) -> Option<&'static str> {
    Some(match by {
        "day" => "t.local_day",
        "hour" => "lpad(t.local_hour::text, 2, '0')",
        "service" => "t.service",
        "counter" => "t.counter",
        "clerk" => "t.clerk",
        "center" => "t.center",
        "governorate" => "s.governorate",
        _ => return None,
    })
}

/// The whole report of a scope in the center's shape (and its total revenue).
pub async fn report(
    db: &Client,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Report, i64), tokio_postgres::Error> {
    let plain = |v: Vec<Row>| v.into_iter().map(|r| r.row).collect::<Vec<_>>();
    let total = rows(db, scope, from, to, None).await?.remove(0);
    let revenue = total.revenue_piasters;
    let by = |k: &'static str| rows(db, scope, from, to, key_of(k));
    Ok((
        Report {
            from,
            to,
            total: total.row,
            by_day: plain(by("day").await?),
            by_hour: plain(by("hour").await?),
            by_service: plain(by("service").await?),
            by_counter: plain(by("counter").await?),
            by_clerk: plain(by("clerk").await?),
            // Closing hashes are the center's; the uplink does not carry them yet.
            closing: Vec::new(),
            requests: Vec::new(),
        },
        revenue,
    ))
}

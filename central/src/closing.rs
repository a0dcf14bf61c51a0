//! Each center's closing hash of an ended day (docs/integrity.md), sent in its heartbeats, kept
//! in `day_closings` and checked against the events this store holds: the last event the
//! center wrote before the day's end (by the store's own rows) and the chain link that came
//! with it, hashed with the center's own `hall_core::digest::closing_digest` (the admin log
//! stays home: its part is the center's). A center whose file was rewritten after its events
//! left — or a store that lost or changed some — gives another hash: a mismatch, an alert on
//! the console.
//!
//! A day is checked once this store holds the center's log up to the day's last event; a
//! hash that changes later (the center's file rewritten since) is checked again.

use chrono::{DateTime, NaiveDate, Utc};
use hall_core::digest as chain;
use hall_core::digest::Link;
use hall_wire::network::ClosedDay;
use serde::Serialize;
use tokio_postgres::Client;

/// What the store says of a closing hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The events held here give the center's hash.
    Match,
    /// They give another one.
    Mismatch,
    /// The events up to the day's last one have not all arrived yet.
    Pending,
}

/// One center's closing of one day, as the console shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Closing {
    pub day: NaiveDate,
    pub last_seq: i64,
    pub hash: String,
    pub central_hash: Option<String>,
    pub verdict: Verdict,
}

/// Keeps the closings a center sent (a hash that changed is checked again). Closings that do
/// not parse are dropped with a warning: a heartbeat is never refused for them.
pub async fn record(
    db: &Client,
    center: &str,
    days: &[ClosedDay],
    now: DateTime<Utc>,
) -> Result<(), tokio_postgres::Error> {
    for d in days {
        let (Some(events_link), Some(admin_link), Some(hash)) = (
            chain::parse_hex(&d.events_link),
            chain::parse_hex(&d.admin_link),
            chain::parse_hex(&d.hash),
        ) else {
            tracing::warn!(center, day = %d.day, "a closing hash that does not parse; ignored");
            continue;
        };
        db.execute(
            "INSERT INTO day_closings (center, day, last_seq, events_link, last_admin, admin_link, hash, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (center, day) DO UPDATE SET last_seq = $3, events_link = $4, last_admin = $5,
                admin_link = $6, hash = $7, received_at = $8,
                verdict = CASE WHEN day_closings.hash = $7 THEN day_closings.verdict END,
                central_hash = CASE WHEN day_closings.hash = $7 THEN day_closings.central_hash END",
            &[
                &center,
                &d.day,
                &(d.last_seq as i64),
                &events_link.as_slice(),
                &(d.last_admin as i64),
                &admin_link.as_slice(),
                &hash.as_slice(),
                &now,
            ],
        )
        .await?;
    }
    Ok(())
}

fn link_of(bytes: Option<Vec<u8>>) -> Link {
    bytes
        .and_then(|b| Link::try_from(b).ok())
        .unwrap_or(chain::GENESIS)
}

/// The closing hash of `center`'s `day` from the events held here, with the admin log's part
/// as the center sent it. `None` while the store has not yet received every event the center
/// wrote up to `center_last_seq`.
pub async fn recompute(
    db: &Client,
    center: &str,
    day: NaiveDate,
    center_last_seq: i64,
    last_admin: i64,
    admin_link: &Link,
) -> Result<Option<Link>, tokio_postgres::Error> {
    let site = db
        .query_opt(
            "SELECT timezone, last_seq FROM sites WHERE code = $1",
            &[&center],
        )
        .await?;
    let Some(site) = site else { return Ok(None) };
    let (zone, held): (String, i64) = (site.get(0), site.get(1));
    if held < center_last_seq {
        return Ok(None);
    }
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let end = hall_core::clock::day_start(tz, day + chrono::Duration::days(1));
    // The center's own rule (`chain::day_close`): the last event written before the day ended.
    let last = db
        .query_opt(
            "SELECT seq, link FROM events WHERE center = $1 AND at < $2 ORDER BY at DESC, seq DESC LIMIT 1",
            &[&center, &end],
        )
        .await?;
    let (seq, link) = match last {
        Some(r) => (r.get::<_, i64>(0), link_of(r.get(1))),
        None => (0, chain::GENESIS),
    };
    Ok(Some(chain::closing_digest(
        day, seq, &link, last_admin, admin_link,
    )))
}

/// Checks every closing not checked yet whose events have all arrived; returns how many
/// mismatched.
pub async fn check(db: &Client, now: DateTime<Utc>) -> Result<usize, tokio_postgres::Error> {
    let open = db
        .query(
            "SELECT c.center, c.day, c.last_seq, c.last_admin, c.admin_link, c.hash
             FROM day_closings c JOIN sites s ON s.code = c.center
             WHERE c.verdict IS NULL AND s.last_seq >= c.last_seq",
            &[],
        )
        .await?;
    let mut mismatched = 0;
    for r in &open {
        let (center, day): (String, NaiveDate) = (r.get(0), r.get(1));
        let admin_link = link_of(r.get(4));
        let sent = link_of(r.get(5));
        let Some(ours) = recompute(db, &center, day, r.get(2), r.get(3), &admin_link).await? else {
            continue;
        };
        let verdict = if ours == sent { "match" } else { "mismatch" };
        if ours != sent {
            mismatched += 1;
            tracing::warn!(center, %day, "a center's closing hash does not match the events held here");
        }
        db.execute(
            "UPDATE day_closings SET verdict = $3, central_hash = $4, checked_at = $5
             WHERE center = $1 AND day = $2",
            &[&center, &day, &verdict, &ours.as_slice(), &now],
        )
        .await?;
    }
    Ok(mismatched)
}

/// A center's closings of its last `days` days, newest first.
pub async fn of_site(
    db: &Client,
    center: &str,
    days: i64,
) -> Result<Vec<Closing>, tokio_postgres::Error> {
    let rows = db
        .query(
            "SELECT day, last_seq, hash, central_hash, verdict FROM day_closings
             WHERE center = $1 ORDER BY day DESC LIMIT $2",
            &[&center, &days],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Closing {
            day: r.get(0),
            last_seq: r.get(1),
            hash: chain::hex(&link_of(r.get(2))),
            central_hash: r
                .get::<_, Option<Vec<u8>>>(3)
                .map(|h| chain::hex(&link_of(Some(h)))),
            verdict: match r.get::<_, Option<&str>>(4) {
                Some("match") => Verdict::Match,
                Some("mismatch") => Verdict::Mismatch,
                _ => Verdict::Pending,
            },
        })
        .collect())
}

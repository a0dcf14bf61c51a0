//! The console's live picture, computed by the service from the store (pages show, the
//! service computes): per site waiting now, longest wait, counters open, served today, mean
//! wait and service time today, revenue today, when it was last heard and whether it is
//! online; per governorate the sums; rankings; alerts. `now` is passed in.

use chrono::{DateTime, NaiveTime, Utc};
use serde::Serialize;
use tokio_postgres::Client;

/// A site whose heartbeats stopped this long ago is offline.
pub const OFFLINE_AFTER_SECS: i64 = 3 * hall_wire::network::HEARTBEAT_EVERY_SECS as i64;
/// No event for this long inside opening hours: the site is silent.
pub const SILENT_AFTER_SECS: i64 = 30 * 60;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SiteLive {
    pub code: String,
    pub governorate: String,
    pub kind: String,
    pub name_ar: String,
    pub name_en: String,
    pub waiting: i32,
    pub longest_wait_secs: Option<i64>,
    pub counters_open: i32,
    pub tickets_today: i64,
    pub served_today: i64,
    pub wait_mean_secs: Option<f64>,
    pub service_mean_secs: Option<f64>,
    pub revenue_piasters: i64,
    pub last_event_at: Option<DateTime<Utc>>,
    pub last_heard_at: Option<DateTime<Utc>>,
    pub online: bool,
    pub open_now: bool,
    /// The latest ended day whose closing hash, as the site sent it, the events held here do
    /// not give (`closing`).
    pub closing_mismatch: Option<chrono::NaiveDate>,
    /// The last event of the site's log the store holds.
    pub last_seq: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GovernorateLive {
    pub code: String,
    pub sites: usize,
    pub online: usize,
    pub waiting: i64,
    pub served_today: i64,
    pub wait_mean_secs: Option<f64>,
    pub revenue_piasters: i64,
    pub alerts: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alert {
    /// Someone has waited longer than the threshold.
    LongWait { site: String, minutes: i64 },
    /// Open now, yet no event for a while.
    Silent { site: String, minutes: i64 },
    /// No heartbeat: the link or the site is down.
    Offline {
        site: String,
        since: Option<DateTime<Utc>>,
        waiting: i32,
    },
    /// The site's closing hash of a day does not match the events the store holds.
    ClosingMismatch {
        site: String,
        day: chrono::NaiveDate,
    },
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Overview {
    pub now: DateTime<Utc>,
    pub governorates: Vec<GovernorateLive>,
    pub sites: Vec<SiteLive>,
    pub alerts: Vec<Alert>,
    /// Site codes, worst mean wait today first (sites that served nobody are left out).
    pub slowest: Vec<String>,
    /// Site codes, most served today first.
    pub busiest: Vec<String>,
}

/// Sites of the scope (`governorate` None: the nation) as they stand at `now`.
pub async fn sites(
    db: &Client,
    governorate: Option<&str>,
    center: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<SiteLive>, tokio_postgres::Error> {
    let sql = "SELECT s.code, s.governorate, s.kind, s.name_ar, s.name_en, s.waiting, s.oldest_waiting_since,
            s.counters_open, s.last_event_at, greatest(s.last_heartbeat_at, s.last_received_at),
            s.opens, s.closes, ($2 AT TIME ZONE s.timezone)::time,
            coalesce(sum(r.tickets), 0)::int8, coalesce(sum(r.served), 0)::int8,
            sum(r.wait_sum) / nullif(sum(r.wait_n), 0), sum(r.service_sum) / nullif(sum(r.service_n), 0),
            coalesce(sum(r.revenue_piasters), 0)::int8,
            (SELECT max(c.day) FROM day_closings c WHERE c.center = s.code AND c.verdict = 'mismatch'),
            s.last_seq
         FROM sites s LEFT JOIN rollup_hour r
           ON r.center = s.code AND r.local_day = ($2 AT TIME ZONE s.timezone)::date
         WHERE ($1::text IS NULL OR s.governorate = $1) AND ($3::text IS NULL OR s.code = $3)
         GROUP BY s.code ORDER BY s.governorate, s.code";
    let rows = db.query(sql, &[&governorate, &now, &center]).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let heard: Option<DateTime<Utc>> = r.get(9);
            let oldest: Option<DateTime<Utc>> = r.get(6);
            let (opens, closes, local): (NaiveTime, NaiveTime, NaiveTime) =
                (r.get(10), r.get(11), r.get(12));
            SiteLive {
                code: r.get(0),
                governorate: r.get(1),
                kind: r.get(2),
                name_ar: r.get(3),
                name_en: r.get(4),
                waiting: r.get(5),
                longest_wait_secs: oldest.map(|t| (now - t).num_seconds().max(0)),
                counters_open: r.get(7),
                last_event_at: r.get(8),
                last_heard_at: heard,
                online: heard.is_some_and(|h| (now - h).num_seconds() <= OFFLINE_AFTER_SECS),
                open_now: opens <= local && local < closes,
                tickets_today: r.get(13),
                served_today: r.get(14),
                wait_mean_secs: r.get(15),
                service_mean_secs: r.get(16),
                revenue_piasters: r.get(17),
                closing_mismatch: r.get(18),
                last_seq: r.get(19),
            }
        })
        .collect())
}

/// The alerts of these sites at `now`.
pub fn alerts(sites: &[SiteLive], now: DateTime<Utc>, long_wait_minutes: i64) -> Vec<Alert> {
    let mut out = Vec::new();
    for s in sites {
        if let Some(day) = s.closing_mismatch {
            out.push(Alert::ClosingMismatch {
                site: s.code.clone(),
                day,
            });
        }
        if !s.online {
            out.push(Alert::Offline {
                site: s.code.clone(),
                since: s.last_heard_at,
                waiting: s.waiting,
            });
            continue;
        }
        if let Some(w) = s.longest_wait_secs
            && w >= long_wait_minutes * 60
        {
            out.push(Alert::LongWait {
                site: s.code.clone(),
                minutes: w / 60,
            });
        }
        let quiet = s.last_event_at.map(|t| (now - t).num_seconds());
        if s.open_now && quiet.is_none_or(|q| q >= SILENT_AFTER_SECS) {
            out.push(Alert::Silent {
                site: s.code.clone(),
                minutes: quiet.unwrap_or(0) / 60,
            });
        }
    }
    out
}

pub fn overview(sites: Vec<SiteLive>, now: DateTime<Utc>, long_wait_minutes: i64) -> Overview {
    let alerts = alerts(&sites, now, long_wait_minutes);
    let mut governorates: Vec<GovernorateLive> = Vec::new();
    for s in &sites {
        if governorates.last().is_none_or(|g| g.code != s.governorate) {
            governorates.push(GovernorateLive {
                code: s.governorate.clone(),
                sites: 0,
                online: 0,
                waiting: 0,
                served_today: 0,
                wait_mean_secs: None,
                revenue_piasters: 0,
                alerts: 0,
            });
        }
        let g = governorates.last_mut().expect("pushed above");
        g.sites += 1;
        g.online += usize::from(s.online);
        g.waiting += i64::from(s.waiting);
        g.revenue_piasters += s.revenue_piasters;
        // Mean of waits weighted by the tickets called (served is close enough a weight and
        // is what the rollup counts).
        if let Some(w) = s.wait_mean_secs {
            let before = g.wait_mean_secs.unwrap_or(0.0) * g.served_today as f64;
            let n = g.served_today + s.served_today;
            g.wait_mean_secs = (n > 0).then(|| (before + w * s.served_today as f64) / n as f64);
        }
        g.served_today += s.served_today;
    }
    for a in &alerts {
        let site = match a {
            Alert::LongWait { site, .. }
            | Alert::Silent { site, .. }
            | Alert::Offline { site, .. }
            | Alert::ClosingMismatch { site, .. } => site,
        };
        if let Some(s) = sites.iter().find(|s| &s.code == site)
            && let Some(g) = governorates.iter_mut().find(|g| g.code == s.governorate)
        {
            g.alerts += 1;
        }
    }
    let mut slowest: Vec<&SiteLive> = sites
        .iter()
        .filter(|s| s.wait_mean_secs.is_some())
        .collect();
    slowest.sort_by(|a, b| {
        b.wait_mean_secs
            .partial_cmp(&a.wait_mean_secs)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut busiest: Vec<&SiteLive> = sites.iter().filter(|s| s.served_today > 0).collect();
    busiest.sort_by_key(|s| std::cmp::Reverse(s.served_today));
    Overview {
        now,
        slowest: slowest.iter().take(10).map(|s| s.code.clone()).collect(),
        busiest: busiest.iter().take(10).map(|s| s.code.clone()).collect(),
        governorates,
        alerts,
        sites,
    }
}

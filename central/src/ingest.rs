//! Ingest: the hub's durable pull consumer → PostgreSQL, one transaction per batch, then one
//! acknowledgement (the consumer acknowledges everything up to the batch's last message).
//!
//! Exactly once at the far end: every event row is keyed by `(center, seq)` and inserted with
//! `ON CONFLICT DO NOTHING`; each center's fold skips what it has already applied; and the hub
//! stream's position of the last committed message is written in the same transaction. At
//! start (and after any failure) the consumer is declared again from that position, so a
//! batch delivered but never committed (the service killed mid-batch) is delivered again, in
//! order, before anything after it — never acknowledged by a later batch's ack.

use crate::db::DbError;
use crate::fold::{CenterFold, RollKey, TicketRow};
use crate::hub;
use crate::sites::Register;
use async_nats::jetstream::{self, consumer};
use futures_util::StreamExt;
use hall_core::Event;
use hall_wire::network::UplinkEvent;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio_postgres::Client;

/// Most messages committed in one transaction.
pub const BATCH: usize = 2000;
/// How long a batch waits for more messages once it has one.
const LINGER: Duration = Duration::from_millis(50);

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Db(#[from] DbError),
    #[error("PostgreSQL: {0}")]
    Pg(#[from] tokio_postgres::Error),
    #[error("NATS: {0}")]
    Nats(String),
}

fn nats(e: impl std::fmt::Display) -> IngestError {
    IngestError::Nats(e.to_string())
}

/// What the console is told after each commit: how many batches so far, and when the last one
/// committed (for the lag figure).
#[derive(Clone, Debug, Default)]
pub struct Progress {
    pub batches: u64,
    pub events: u64,
    pub committed_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub struct Ingest {
    pub db: Client,
    pub folds: HashMap<String, CenterFold>,
    pub progress: watch::Sender<Progress>,
}

impl Ingest {
    pub async fn new(db: Client, register: &Register) -> Result<Ingest, IngestError> {
        crate::db::migrate(&db).await?;
        db.execute(
            "CREATE TABLE IF NOT EXISTS ingest_position (id int PRIMARY KEY, stream_seq bigint NOT NULL)",
            &[],
        )
        .await?;
        for g in &register.governorates {
            db.execute(
                "INSERT INTO governorates (code, name_ar, name_en) VALUES ($1, $2, $3)
                 ON CONFLICT (code) DO UPDATE SET name_ar = $2, name_en = $3",
                &[&g.code, &g.name.ar, &g.name.en],
            )
            .await?;
        }
        for s in &register.sites {
            db.execute(
                "INSERT INTO sites (code, governorate, kind, name_ar, name_en, opens, closes)
                 VALUES ($1, $2, $3, $4, $5, $6::text::time, $7::text::time)
                 ON CONFLICT (code) DO UPDATE SET governorate = $2, kind = $3, name_ar = $4,
                   name_en = $5, opens = $6::text::time, closes = $7::text::time",
                &[
                    &s.code,
                    &s.governorate,
                    &s.kind.as_str(),
                    &s.name.ar,
                    &s.name.en,
                    &s.opens,
                    &s.closes,
                ],
            )
            .await?;
        }
        Ok(Ingest {
            db,
            folds: HashMap::new(),
            progress: watch::channel(Progress::default()).0,
        })
    }

    /// The hub stream's sequence of the last committed message.
    pub async fn position(&self) -> Result<u64, IngestError> {
        let row = self
            .db
            .query_opt("SELECT stream_seq FROM ingest_position WHERE id = 1", &[])
            .await?;
        Ok(row.map(|r| r.get::<_, i64>(0) as u64).unwrap_or(0))
    }

    /// Reads the hub until `stop` turns true; any error returns (the caller declares the
    /// consumer again and calls this anew).
    pub async fn run(
        &mut self,
        js: &jetstream::Context,
        register: &Register,
        replicas: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<(), IngestError> {
        hub::declare(js, register, replicas).await.map_err(nats)?;
        let from = self.position().await? + 1;
        let stream = js.get_stream(hub::STREAM).await.map_err(nats)?;
        // The durable consumer starts again at the committed position (module comment).
        let _ = stream.delete_consumer(hub::CONSUMER).await;
        let consumer: consumer::PullConsumer = stream
            .create_consumer(consumer::pull::Config {
                durable_name: Some(hub::CONSUMER.into()),
                deliver_policy: consumer::DeliverPolicy::ByStartSequence {
                    start_sequence: from,
                },
                ack_policy: consumer::AckPolicy::All,
                ack_wait: Duration::from_secs(60),
                max_ack_pending: 200_000,
                ..Default::default()
            })
            .await
            .map_err(nats)?;
        let mut messages = consumer
            .stream()
            .max_messages_per_batch(BATCH)
            .heartbeat(Duration::from_secs(5))
            .expires(Duration::from_secs(10))
            .messages()
            .await
            .map_err(nats)?;
        tracing::info!(from, "ingest: reading the hub");
        loop {
            let first = tokio::select! {
                m = messages.next() => m,
                _ = stop.wait_for(|s| *s) => return Ok(()),
            };
            let Some(first) = first else {
                return Err(IngestError::Nats("the consumer's stream ended".into()));
            };
            let mut batch = vec![first.map_err(nats)?];
            let deadline = tokio::time::Instant::now() + LINGER;
            while batch.len() < BATCH {
                match tokio::time::timeout_at(deadline, messages.next()).await {
                    Ok(Some(m)) => batch.push(m.map_err(nats)?),
                    Ok(None) | Err(_) => break,
                }
            }
            let last = batch.last().expect("a batch has a message");
            let stream_seq = last.info().map_err(nats)?.stream_sequence;
            let events: Vec<UplinkEvent> = batch
                .iter()
                .filter_map(|m| match serde_json::from_slice::<UplinkEvent>(&m.payload) {
                    Ok(e) if e.version <= hall_core::event::EVENT_VERSION => Some(e),
                    Ok(e) => {
                        tracing::error!(center = %e.center, seq = e.seq, version = e.version, "event of a newer version than this service knows; skipped");
                        None
                    }
                    Err(e) => {
                        tracing::error!(error = %e, subject = %m.subject, "unreadable message; skipped");
                        None
                    }
                })
                .collect();
            if let Err(e) = self.commit(&events, stream_seq).await {
                // The folds may be ahead of the database now: forget them, they reload.
                for e in &events {
                    self.folds.remove(&e.center);
                }
                return Err(e);
            }
            last.ack().await.map_err(nats)?;
        }
    }

    /// Loads a center's fold from its events in the store (once per center and start).
    async fn load(&mut self, center: &str) -> Result<(), IngestError> {
        if self.folds.contains_key(center) {
            return Ok(());
        }
        let started = Instant::now();
        let rows = self
            .db
            .query(
                "SELECT seq, at, actor, version, data::text FROM events WHERE center = $1 ORDER BY seq",
                &[&center],
            )
            .await?;
        let mut fold = CenterFold::default();
        for r in &rows {
            let version: i32 = r.get(3);
            let data: String = r.get(4);
            let Ok(event) = Event::decode(version as u32, &data) else {
                continue;
            };
            let env = hall_core::Envelope {
                seq: r.get::<_, i64>(0) as u64,
                at: r.get(1),
                actor: r.get(2),
                event,
            };
            fold.apply(&env);
        }
        tracing::debug!(
            center,
            events = rows.len(),
            ms = started.elapsed().as_millis() as u64,
            "fold loaded"
        );
        self.folds.insert(center.to_string(), fold);
        Ok(())
    }

    /// One transaction: the new events, the facts of the tickets they touched, the rollup
    /// cells those tickets are in, each center's live figures, and the hub position.
    pub async fn commit(
        &mut self,
        events: &[UplinkEvent],
        stream_seq: u64,
    ) -> Result<(), IngestError> {
        let mut centers: Vec<&str> = events.iter().map(|e| e.center.as_str()).collect();
        centers.sort_unstable();
        centers.dedup();
        for c in &centers {
            self.load(c).await?;
        }
        let mut ev = EventCols::default();
        let mut tickets: BTreeSet<(String, hall_core::TicketId)> = BTreeSet::new();
        let mut cells: BTreeSet<(String, RollKey)> = BTreeSet::new();
        let mut gaps: HashMap<&str, i64> = HashMap::new();
        let mut governorate: HashMap<&str, &str> = HashMap::new();
        let mut catalogs: Vec<(&str, &hall_core::Catalog)> = Vec::new();
        for e in events {
            let fold = self.folds.get_mut(&e.center).expect("loaded above");
            if e.seq <= fold.last_seq {
                continue; // delivered twice: already stored
            }
            if e.seq != fold.last_seq + 1 {
                tracing::error!(center = %e.center, after = fold.last_seq, got = e.seq, "gap in a center's log");
                *gaps.entry(&e.center).or_default() += 1;
            }
            governorate.insert(&e.center, &e.governorate);
            if let Event::CatalogLoaded { catalog } = &e.event {
                catalogs.push((&e.center, catalog));
            }
            let env = e.envelope();
            let touched = fold.apply(&env);
            if let Some(t) = touched.ticket {
                tickets.insert((e.center.clone(), t));
            }
            for c in touched.cells {
                cells.insert((e.center.clone(), c));
            }
            ev.push(e);
        }
        let now = chrono::Utc::now();
        let tx = self.db.transaction().await?;
        if !ev.center.is_empty() {
            tx.execute(
                "INSERT INTO events (center, seq, at, actor, kind, version, data, link)
                 SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::int[], $7::jsonb[], $8::bytea[])
                 ON CONFLICT DO NOTHING",
                &[&ev.center, &ev.seq, &ev.at, &ev.actor, &ev.kind, &ev.version, &ev.data, &ev.link],
            )
            .await?;
        }
        for (center, catalog) in &catalogs {
            tx.execute(
                "UPDATE sites SET timezone = $2 WHERE code = $1",
                &[center, &hall_core::clock::zone(catalog).name()],
            )
            .await?;
            for s in &catalog.services {
                tx.execute(
                    "INSERT INTO services (center, code, name_ar, name_en, fee_piasters) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (center, code) DO UPDATE SET name_ar = $3, name_en = $4, fee_piasters = $5",
                    &[center, &s.code, &s.name.ar, &s.name.en, &(s.fee_piasters as i64)],
                )
                .await?;
            }
        }
        let mut tk = TicketCols::default();
        for (center, id) in &tickets {
            if let Some(row) = self.folds[center].row(*id) {
                tk.push(center, &row);
            }
        }
        if !tk.center.is_empty() {
            tx.execute(
                "INSERT INTO tickets (center, ticket, label, service, priority, issued_at, local_day, local_hour,
                    ended_at, end_state, counter, clerk, wait_secs, service_secs, revenue_piasters, transfers)
                 SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                    $7::date[], $8::smallint[], $9::timestamptz[], $10::text[], $11::int[], $12::text[],
                    $13::float8[], $14::float8[], $15::bigint[], $16::int[])
                 ON CONFLICT (center, ticket) DO UPDATE SET label = EXCLUDED.label, service = EXCLUDED.service,
                    priority = EXCLUDED.priority, issued_at = EXCLUDED.issued_at, local_day = EXCLUDED.local_day,
                    local_hour = EXCLUDED.local_hour, ended_at = EXCLUDED.ended_at, end_state = EXCLUDED.end_state,
                    counter = EXCLUDED.counter, clerk = EXCLUDED.clerk, wait_secs = EXCLUDED.wait_secs,
                    service_secs = EXCLUDED.service_secs, revenue_piasters = EXCLUDED.revenue_piasters,
                    transfers = EXCLUDED.transfers",
                &[&tk.center, &tk.ticket, &tk.label, &tk.service, &tk.priority, &tk.issued_at, &tk.day, &tk.hour,
                  &tk.ended_at, &tk.end, &tk.counter, &tk.clerk, &tk.wait, &tk.service_secs, &tk.revenue, &tk.transfers],
            )
            .await?;
        }
        if !cells.is_empty() {
            let (mut c, mut s, mut d, mut h) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (center, (service, day, hour)) in &cells {
                c.push(center.as_str());
                s.push(service.as_str());
                d.push(*day);
                h.push(*hour);
            }
            tx.execute(
                "DELETE FROM rollup_hour r USING UNNEST($1::text[], $2::text[], $3::date[], $4::smallint[]) AS k(c, s, d, h)
                 WHERE r.center = k.c AND r.service = k.s AND r.local_day = k.d AND r.local_hour = k.h",
                &[&c, &s, &d, &h],
            )
            .await?;
            tx.execute(
                "INSERT INTO rollup_hour
                 SELECT t.center, t.service, t.local_day, t.local_hour, count(*),
                    count(*) FILTER (WHERE t.end_state = 'done'),
                    count(*) FILTER (WHERE t.end_state = 'no_show'),
                    count(*) FILTER (WHERE t.end_state = 'cancelled'),
                    count(t.wait_secs), coalesce(sum(t.wait_secs), 0),
                    count(t.service_secs), coalesce(sum(t.service_secs), 0),
                    coalesce(sum(t.revenue_piasters), 0)
                 FROM tickets t JOIN UNNEST($1::text[], $2::text[], $3::date[], $4::smallint[]) AS k(c, s, d, h)
                   ON t.center = k.c AND t.service = k.s AND t.local_day = k.d AND t.local_hour = k.h
                 GROUP BY t.center, t.service, t.local_day, t.local_hour",
                &[&c, &s, &d, &h],
            )
            .await?;
        }
        for center in governorate.keys() {
            let fold = &self.folds[*center];
            let live = fold.live();
            let last_event_at = events
                .iter()
                .rev()
                .find(|e| e.center == *center)
                .map(|e| e.at);
            tx.execute(
                "INSERT INTO sites (code, governorate, last_seq, last_event_at, last_received_at, waiting,
                    oldest_waiting_since, counters_open, gaps)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (code) DO UPDATE SET last_seq = $3, last_event_at = $4, last_received_at = $5,
                    waiting = $6, oldest_waiting_since = $7, counters_open = $8, gaps = sites.gaps + $9",
                &[
                    center,
                    &governorate[center],
                    &(fold.last_seq as i64),
                    &last_event_at,
                    &now,
                    &live.waiting,
                    &live.oldest_waiting_since,
                    &live.counters_open,
                    &gaps.get(center).copied().unwrap_or(0),
                ],
            )
            .await?;
        }
        tx.execute(
            "INSERT INTO ingest_position (id, stream_seq) VALUES (1, $1)
             ON CONFLICT (id) DO UPDATE SET stream_seq = GREATEST(ingest_position.stream_seq, $1)",
            &[&(stream_seq as i64)],
        )
        .await?;
        tx.commit().await?;
        let stored = ev.center.len() as u64;
        self.progress.send_modify(|p| {
            p.batches += 1;
            p.events += stored;
            p.committed_at = Some(now);
        });
        Ok(())
    }
}

#[derive(Default)]
struct EventCols {
    center: Vec<String>,
    seq: Vec<i64>,
    at: Vec<chrono::DateTime<chrono::Utc>>,
    actor: Vec<String>,
    kind: Vec<&'static str>,
    version: Vec<i32>,
    data: Vec<serde_json::Value>,
    link: Vec<Option<Vec<u8>>>,
}

impl EventCols {
    fn push(&mut self, e: &UplinkEvent) {
        self.center.push(e.center.clone());
        self.seq.push(e.seq as i64);
        self.at.push(e.at);
        self.actor.push(e.actor.clone());
        self.kind.push(e.event.kind());
        self.version.push(e.version as i32);
        self.data
            .push(serde_json::to_value(&e.event).expect("events serialize"));
        self.link.push(
            e.link
                .as_deref()
                .and_then(hall_core::digest::parse_hex)
                .map(|l| l.to_vec()),
        );
    }
}

#[derive(Default)]
struct TicketCols {
    center: Vec<String>,
    ticket: Vec<i64>,
    label: Vec<String>,
    service: Vec<String>,
    priority: Vec<String>,
    issued_at: Vec<chrono::DateTime<chrono::Utc>>,
    day: Vec<chrono::NaiveDate>,
    hour: Vec<i16>,
    ended_at: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    end: Vec<Option<&'static str>>,
    counter: Vec<Option<i32>>,
    clerk: Vec<Option<String>>,
    wait: Vec<Option<f64>>,
    service_secs: Vec<Option<f64>>,
    revenue: Vec<i64>,
    transfers: Vec<i32>,
}

impl TicketCols {
    fn push(&mut self, center: &str, r: &TicketRow) {
        let f = &r.facts;
        self.center.push(center.to_string());
        self.ticket.push(f.id.0 as i64);
        self.label.push(f.label.clone());
        self.service.push(f.service.clone());
        self.priority
            .push(format!("{:?}", f.priority).to_lowercase());
        self.issued_at.push(f.issued_at);
        self.day.push(r.local_day);
        self.hour.push(r.local_hour);
        self.ended_at.push(f.ended_at);
        self.end.push(f.end.map(end_name));
        self.counter.push(f.counter.map(|c| c as i32));
        self.clerk.push(f.clerk.clone());
        self.wait.push(r.wait_secs);
        self.service_secs.push(r.service_secs);
        self.revenue.push(r.revenue_piasters);
        self.transfers.push(f.transfers as i32);
    }
}

fn end_name(s: hall_core::TicketState) -> &'static str {
    match s {
        hall_core::TicketState::Done => "done",
        hall_core::TicketState::NoShow => "no_show",
        hall_core::TicketState::Cancelled => "cancelled",
        _ => "open",
    }
}

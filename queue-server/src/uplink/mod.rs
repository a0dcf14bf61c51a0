//! The uplink: every committed event of this center, redacted, to the center's NATS leaf
//! (JetStream, its own domain), from where the leaf forwards it to the national hub whenever
//! the link is up (docs/network.md).
//!
//! It runs on its own task with its own read connection to the log, so the writer never waits
//! for it: the writer's broadcast only wakes it, and a lagging or closed broadcast costs
//! nothing but a read of the log. Each event goes out as message id `<center>:<seq>` with the
//! previous id as the expected last one, so JetStream refuses anything out of order or twice;
//! after a restart or any error it asks the stream for its last message and goes on from there.

use crate::chain;
use crate::clock::Clock;
use crate::published::Published;
use crate::store;
use crate::store::StoreError;
use async_nats::jetstream::{self, message::PublishMessage, stream};
use hall_core::Envelope;
use hall_wire::center_file::Network;
use hall_wire::network as net;
use hall_wire::network::{ClosedDay, UplinkEvent};
use rusqlite::{Connection, params};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Events read from the log and published per round (acks awaited together).
const BATCH: usize = 500;
/// How long the uplink waits for a wake-up before it looks at the log anyway.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// Pause after an error before the stream is asked again where it stands.
const RETRY: Duration = Duration::from_millis(500);

#[derive(Debug, thiserror::Error)]
enum UplinkError {
    #[error("{0}")]
    Nats(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

fn nats(e: impl std::fmt::Display) -> UplinkError {
    UplinkError::Nats(e.to_string())
}

/// What the uplink has done, for `/healthz` and the tests: the last seq the leaf stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UplinkStatus {
    pub stored: u64,
    pub connected: bool,
}

/// The center's zone (its local days end at its midnight) and clock, for the heartbeats.
#[derive(Clone)]
pub struct Days {
    pub tz: chrono_tz::Tz,
    pub clock: Clock,
}

/// Starts the uplink on the current runtime. It stops when `shutdown` turns true.
pub fn spawn(
    cfg: Network,
    db: PathBuf,
    days: Days,
    wake: broadcast::Receiver<Arc<Published>>,
    shutdown: watch::Receiver<bool>,
) -> watch::Receiver<UplinkStatus> {
    let (status, rx) = watch::channel(UplinkStatus::default());
    tokio::spawn(run(cfg, db, days, wake, shutdown, status));
    rx
}

async fn run(
    cfg: Network,
    db: PathBuf,
    days: Days,
    mut wake: broadcast::Receiver<Arc<Published>>,
    mut shutdown: watch::Receiver<bool>,
    status: watch::Sender<UplinkStatus>,
) {
    let mut opts = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .name(format!("tabour-uplink {}", cfg.center));
    if let (Some(user), Some(password)) = (&cfg.user, &cfg.password) {
        opts = opts.user_and_password(user.clone(), password.clone());
    }
    let client = tokio::select! {
        c = opts.connect(cfg.leaf_url.as_str()) => match c {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, url = %cfg.leaf_url, "uplink: cannot connect to the leaf; the center runs alone");
                return;
            }
        },
        _ = shutdown.wait_for(|s| *s) => return,
    };
    let js = jetstream::new(client);
    let reader = tokio::task::spawn_blocking({
        let db = db.clone();
        move || store::connect(&db)
    })
    .await
    .expect("uplink open task");
    let reader = match reader {
        Ok(c) => Arc::new(std::sync::Mutex::new(c)),
        Err(e) => {
            tracing::error!(error = %e, "uplink: cannot read the log");
            return;
        }
    };
    tracing::info!(center = %cfg.center, url = %cfg.leaf_url, "uplink started");
    tokio::spawn(heartbeat(
        cfg.clone(),
        js.client(),
        reader.clone(),
        days,
        status.subscribe(),
        shutdown.clone(),
    ));
    loop {
        let round = publish_all(&cfg, &js, &reader, &mut wake, &mut shutdown, &status);
        match round.await {
            Ok(()) => return, // shutdown
            Err(e) => {
                status.send_modify(|s| s.connected = false);
                tracing::warn!(error = %e, "uplink: will resume from the leaf's last message");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(RETRY) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

/// Publishes from the stream's last stored event on, until shutdown (Ok) or an error.
async fn publish_all(
    cfg: &Network,
    js: &jetstream::Context,
    reader: &Arc<std::sync::Mutex<Connection>>,
    wake: &mut broadcast::Receiver<Arc<Published>>,
    shutdown: &mut watch::Receiver<bool>,
    status: &watch::Sender<UplinkStatus>,
) -> Result<(), UplinkError> {
    let subject = net::subject(&cfg.governorate, &cfg.center);
    let stream = js
        .get_or_create_stream(stream::Config {
            name: net::stream_name(&cfg.center),
            subjects: vec![subject.clone()],
            storage: stream::StorageType::File,
            // Long enough to hold a van's weeks without a link; the hub copies within seconds
            // of a link, so nothing here is the only copy for long.
            max_age: Duration::from_secs(90 * 24 * 3600),
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        })
        .await
        .map_err(nats)?;
    let mut stored = last_stored(&stream, &subject).await?;
    status.send_replace(UplinkStatus {
        stored,
        connected: true,
    });
    loop {
        if *shutdown.borrow() {
            return Ok(());
        }
        let events = read_after(reader.clone(), stored).await?;
        if events.is_empty() {
            let closed = tokio::select! {
                r = wake.recv() => matches!(r, Err(broadcast::error::RecvError::Closed)),
                _ = tokio::time::sleep(IDLE_POLL) => false,
                _ = shutdown.changed() => false,
            };
            // The writer is gone (shutdown): one last look at the log, then stop.
            if closed && read_after(reader.clone(), stored).await?.is_empty() {
                return Ok(());
            }
            continue;
        }
        let mut acks = Vec::with_capacity(events.len());
        for (env, link) in &events {
            let msg = UplinkEvent::linked(&cfg.center, &cfg.governorate, env, chain::hex(link));
            let payload = serde_json::to_vec(&msg).expect("events serialize");
            let mut publish = PublishMessage::build()
                .payload(payload.into())
                .message_id(net::message_id(&cfg.center, env.seq));
            if env.seq > 1 {
                publish =
                    publish.expected_last_message_id(net::message_id(&cfg.center, env.seq - 1));
            }
            acks.push(
                js.send_publish(subject.clone(), publish)
                    .await
                    .map_err(nats)?,
            );
        }
        for (ack, (env, _)) in acks.into_iter().zip(&events) {
            ack.await.map_err(nats)?;
            stored = env.seq;
        }
        status.send_modify(|s| s.stored = stored);
    }
}

/// Says "alive" to the hub every few seconds (core NATS, through the leaf; lost while the link
/// is down, which is what makes a site show as offline in the national console), with the
/// closing hashes of the last ended days. A heartbeat rather than a stream message: the leaf's
/// stream holds the log and nothing else, each message expecting the one before it.
async fn heartbeat(
    cfg: Network,
    client: async_nats::Client,
    reader: Arc<std::sync::Mutex<Connection>>,
    days: Days,
    status: watch::Receiver<UplinkStatus>,
    mut shutdown: watch::Receiver<bool>,
) {
    let subject = net::heartbeat_subject(&cfg.governorate, &cfg.center);
    let mut every = tokio::time::interval(Duration::from_secs(net::HEARTBEAT_EVERY_SECS));
    loop {
        let stop = tokio::select! {
            _ = every.tick() => false,
            _ = shutdown.changed() => true,
        };
        if stop || *shutdown.borrow() {
            return;
        }
        let now = (days.clock)();
        let closings = tokio::task::spawn_blocking({
            let reader = reader.clone();
            move || {
                let conn = reader.lock().unwrap_or_else(|p| p.into_inner());
                closed_days(&conn, days.tz, now)
            }
        })
        .await
        .expect("uplink closing task")
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "uplink: closing hashes not read");
            Vec::new()
        });
        let beat = net::Heartbeat {
            center: cfg.center.clone(),
            governorate: cfg.governorate.clone(),
            stored: status.borrow().stored,
            at: now,
            closings,
        };
        let payload = serde_json::to_vec(&beat).expect("heartbeats serialize");
        if let Err(e) = client.publish(subject.clone(), payload.into()).await {
            tracing::debug!(error = %e, "heartbeat not sent");
        }
    }
}

/// The seq of the last event the leaf's stream holds (0 if none).
async fn last_stored(stream: &stream::Stream, subject: &str) -> Result<u64, UplinkError> {
    let info = stream.get_info().await.map_err(nats)?;
    if info.state.messages == 0 {
        return Ok(0);
    }
    let last = stream
        .get_last_raw_message_by_subject(subject)
        .await
        .map_err(nats)?;
    let event: UplinkEvent = serde_json::from_slice(&last.payload).map_err(nats)?;
    Ok(event.seq)
}

/// The closing hashes of the last `CLOSINGS_SENT` local days that have ended by `now`,
/// oldest first (`reports::closing_hash`'s value for each); days before the first event are
/// left out (they fix nothing).
pub fn closed_days(
    conn: &Connection,
    tz: chrono_tz::Tz,
    now: hall_core::Timestamp,
) -> Result<Vec<ClosedDay>, StoreError> {
    let today = now.with_timezone(&tz).date_naive();
    let days: Result<Vec<ClosedDay>, StoreError> = (1..=net::CLOSINGS_SENT as i64)
        .rev()
        .map(|back| {
            let day = today - chrono::Duration::days(back);
            let end = hall_core::clock::day_start(tz, day + chrono::Duration::days(1));
            let c = chain::day_close(conn, day, end.timestamp_millis())?;
            Ok(ClosedDay {
                day,
                last_seq: c.last_seq.max(0) as u64,
                events_link: chain::hex(&c.events_link),
                last_admin: c.last_admin.max(0) as u64,
                admin_link: chain::hex(&c.admin_link),
                hash: c.hex(),
            })
        })
        .collect();
    Ok(days?.into_iter().filter(|d| d.last_seq > 0).collect())
}

async fn read_after(
    reader: Arc<std::sync::Mutex<Connection>>,
    after: u64,
) -> Result<Vec<(Envelope, chain::Link)>, UplinkError> {
    tokio::task::spawn_blocking(move || {
        let conn = reader.lock().unwrap_or_else(|p| p.into_inner());
        linked_events_after(&conn, after, BATCH)
    })
    .await
    .expect("uplink read task")
    .map_err(UplinkError::from)
}

/// Committed events after `after` with their chain links, in log order.
pub fn linked_events_after(
    conn: &Connection,
    after: u64,
    limit: usize,
) -> Result<Vec<(Envelope, chain::Link)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at_ms, actor, version, data, hash FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![after, limit as i64])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let link: Option<Vec<u8>> = row.get(5)?;
        let link = link
            .and_then(|l| chain::Link::try_from(l).ok())
            .unwrap_or(chain::GENESIS);
        out.push((store::decode_row(row)?, link));
    }
    Ok(out)
}

/// Committed events after `after`, in log order (a read transaction never sees half a batch).
pub fn events_after(
    conn: &Connection,
    after: u64,
    limit: usize,
) -> Result<Vec<Envelope>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at_ms, actor, version, data FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![after, limit as i64])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(store::decode_row(row)?);
    }
    Ok(out)
}

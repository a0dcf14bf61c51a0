//! The service's start-up: connects to the hub and PostgreSQL (retrying: either may start
//! later or restart), runs ingest until told to stop, and starts again after any error.

use crate::ingest::{Ingest, Progress};
use crate::sites::Register;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Clone, Debug)]
pub struct Options {
    pub nats_url: String,
    pub postgres: String,
    pub register: Register,
    /// JetStream replicas of the hub's streams (3 on a production cluster).
    pub replicas: usize,
}

const RETRY: Duration = Duration::from_secs(1);

/// Runs ingest until `stop`; `progress` hears of every commit.
pub async fn run_ingest(
    opts: Options,
    progress: watch::Sender<Progress>,
    mut stop: watch::Receiver<bool>,
) {
    let client = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .name("tabour-central")
        .connect(opts.nats_url.as_str());
    let client = tokio::select! {
        c = client => match c {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "cannot connect to the hub");
                return;
            }
        },
        _ = stop.wait_for(|s| *s) => return,
    };
    let js = async_nats::jetstream::new(client);
    while !*stop.borrow() {
        let db = match crate::db::connect(&opts.postgres).await {
            Ok(db) => db,
            Err(e) => {
                tracing::warn!(error = %e, "PostgreSQL not reachable; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        let mut ingest = match Ingest::new(db, &opts.register).await {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(error = %e, "cannot prepare the store; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        ingest.progress = progress.clone();
        while !*stop.borrow() {
            match ingest
                .run(&js, &opts.register, opts.replicas, &mut stop)
                .await
            {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "ingest stopped; starting again from the committed position");
                    tokio::time::sleep(RETRY).await;
                    if ingest.db.is_closed() {
                        break;
                    }
                }
            }
        }
    }
}

/// Listens to every site's heartbeat on the hub and writes when each was last heard (every two
/// seconds, one statement for all): the console's "online" and "offline since". The closing
/// hashes the beats carry are kept and checked (`closing`) on the same tick.
pub async fn run_heartbeats(nats_url: String, postgres: String, mut stop: watch::Receiver<bool>) {
    use futures_util::StreamExt;
    use hall_wire::network::{HEARTBEAT_PREFIX, Heartbeat};
    let client = match async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .name("tabour-central heartbeats")
        .connect(nats_url.as_str())
        .await
    {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "heartbeats: cannot connect to the hub");
            return;
        }
    };
    let mut beats = match client.subscribe(format!("{HEARTBEAT_PREFIX}.>")).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "heartbeats: cannot subscribe");
            return;
        }
    };
    let mut heard: std::collections::HashMap<String, chrono::DateTime<chrono::Utc>> =
        Default::default();
    // The latest closings of each site, recorded when they change.
    let mut closings: std::collections::HashMap<String, Vec<hall_wire::network::ClosedDay>> =
        Default::default();
    let mut recorded: std::collections::HashMap<String, Vec<hall_wire::network::ClosedDay>> =
        Default::default();
    let mut flush = tokio::time::interval(Duration::from_secs(2));
    let mut db = None;
    loop {
        tokio::select! {
            m = beats.next() => {
                let Some(m) = m else { return };
                if let Ok(b) = serde_json::from_slice::<Heartbeat>(&m.payload) {
                    if !b.closings.is_empty() && recorded.get(&b.center) != Some(&b.closings) {
                        closings.insert(b.center.clone(), b.closings);
                    }
                    // The time it was heard here: a site's clock may be off.
                    heard.insert(b.center, chrono::Utc::now());
                }
            }
            _ = flush.tick() => {
                if heard.is_empty() {
                    continue;
                }
                if db.as_ref().is_none_or(|c: &tokio_postgres::Client| c.is_closed()) {
                    db = crate::db::connect(&postgres).await.ok();
                }
                let Some(c) = &db else { continue };
                let (codes, at): (Vec<String>, Vec<chrono::DateTime<chrono::Utc>>) =
                    heard.drain().unzip();
                let r = c
                    .execute(
                        "UPDATE sites s SET last_heartbeat_at = h.at
                         FROM UNNEST($1::text[], $2::timestamptz[]) AS h(code, at) WHERE s.code = h.code",
                        &[&codes, &at],
                    )
                    .await;
                if let Err(e) = r {
                    tracing::warn!(error = %e, "heartbeats not written");
                }
                let now = chrono::Utc::now();
                for (center, days) in closings.drain() {
                    match crate::closing::record(c, &center, &days, now).await {
                        Ok(()) => {
                            recorded.insert(center, days);
                        }
                        Err(e) => tracing::warn!(error = %e, "closing hashes not written"),
                    }
                }
                if let Err(e) = crate::closing::check(c, now).await {
                    tracing::warn!(error = %e, "closing hashes not checked");
                }
            }
            _ = stop.changed() => return,
        }
    }
}

//! The national network's benchmark (docs/performance.md): prints figures, asserts nothing.
//!
//! ```sh
//! cargo run --release -p central --example netbench            # every phase
//! cargo run --release -p central --example netbench -- --phases ingest,lag --events 500000
//! ```
//!
//! Every part is real and started here: PostgreSQL 15 (a temporary cluster), a NATS hub, the
//! central service's ingest and console (in this process, the code `tabour-central` runs), the
//! simulated sites of the 342-site register (the real engine, `central::sim`).
//!
//! - `ingest`: a working day of the whole country is published to the hub first, then ingest
//!   starts: events per second from the first to the last commit; then PostgreSQL's size.
//! - `lag`: the same sites go on in real time; a viewer follows the console's live stream;
//!   for every event, the time from its commit at the site (its `at`) to the first overview
//!   that holds it (the site's `last_seq`).
//! - `catchup`: a van's leaf out of coverage stores about 3,000 events (its link cut by a
//!   proxy); the link returns; the time until PostgreSQL holds them all.
//! - `ack`: a center (queue-server in this process) with 16 kiosks issuing tickets for 10 s,
//!   without `[network]` and with it (its uplink publishing to a real leaf): acknowledgement
//!   latency.

use central::ingest::Progress;
use central::service::{self, Options};
use central::sim::{self, SimSite};
use central::sites::{Register, Site, SiteKind};
use chrono::{DateTime, Duration, TimeZone, Utc};
use clap::Parser;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Instant;
use testkit::nats::NatsServer;
use testkit::postgres::Postgres;
use testkit::proxy::Proxy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;

#[derive(Parser, Debug)]
struct Args {
    /// Phases to run, in this order: ingest, lag, catchup, ack.
    #[arg(long, value_delimiter = ',', default_value = "ingest,lag,catchup,ack")]
    phases: Vec<String>,
    /// Events of the country's day published before ingest starts (at least).
    #[arg(long, default_value_t = 300_000)]
    events: usize,
    /// Real seconds of the live phase.
    #[arg(long, default_value_t = 60)]
    live_seconds: u64,
    /// Events the van stores while out of coverage (about).
    #[arg(long, default_value_t = 3000)]
    van_events: usize,
    /// Seconds of each half of the ack phase.
    #[arg(long, default_value_t = 10)]
    ack_seconds: u64,
}

const VAN: &str = "van-cai-1";

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1]
}

fn summary(mut v: Vec<f64>) -> String {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    format!(
        "n {}, p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}",
        v.len(),
        pct(&v, 50.0),
        pct(&v, 90.0),
        pct(&v, 99.0),
        v.last().copied().unwrap_or(f64::NAN)
    )
}

struct Net {
    _root: tempfile::TempDir,
    pg: Postgres,
    hub: NatsServer,
    js: async_nats::jetstream::Context,
    register: Register,
    progress: watch::Receiver<Progress>,
    van_link: Proxy,
    van_leaf: NatsServer,
}

async fn start() -> Net {
    let root = tempfile::tempdir().unwrap();
    let pg = Postgres::start();
    let van_port = testkit::ports::free_port();
    let hub = NatsServer::hub(&root.path().join("hub"), &format!("127.0.0.1:{van_port}"));
    let van_link = Proxy::start_on(van_port, hub.leaf_addr()).await;
    van_link.cut();
    let van_leaf = NatsServer::leaf(
        &root.path().join("van"),
        &hall_wire::network::leaf_domain(VAN),
        &van_link.addr(),
    );
    let register = central::country::register(&[VAN]);
    let nats = async_nats::connect(hub.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    central::hub::declare(&js, &register, 1).await.unwrap();
    // Ingest starts when a phase says so (`go`).
    let progress = watch::channel(Progress::default()).1;
    Net {
        _root: root,
        pg,
        hub,
        js,
        register,
        progress,
        van_link,
        van_leaf,
    }
}

/// Starts the central service's ingest in this process; returns its progress.
fn go(net: &mut Net) -> watch::Sender<bool> {
    let (tx, progress) = watch::channel(Progress::default());
    let (stop_tx, stop) = watch::channel(false);
    let opts = Options {
        nats_url: net.hub.url(),
        postgres: net.pg.url(),
        register: net.register.clone(),
        replicas: 1,
    };
    tokio::spawn(service::run_ingest(opts, tx, stop));
    net.progress = progress;
    stop_tx
}

/// Plays every simulated site over `from..to` and publishes; returns the events sent.
async fn play(
    net: &Net,
    sims: &mut [SimSite],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    step: i64,
) -> usize {
    let mut n = 0;
    for s in sims.iter_mut() {
        s.advance(from, to, step);
        n += sim::publish(&net.js, s).await.unwrap();
    }
    n
}

async fn wait_events(net: &mut Net, want: u64) -> Instant {
    loop {
        if net.progress.borrow().events >= want {
            return Instant::now();
        }
        let _ =
            tokio::time::timeout(std::time::Duration::from_secs(1), net.progress.changed()).await;
    }
}

async fn ingest(
    net: &mut Net,
    args: &Args,
    sims: &mut [SimSite],
    day: DateTime<Utc>,
) -> (DateTime<Utc>, watch::Sender<bool>) {
    // Yesterday from 08:00 in Cairo, an hour at a time until there are enough events.
    let published = Instant::now();
    let mut t = day;
    let mut sent = 0;
    while sent < args.events {
        sent += play(net, sims, t, t + Duration::hours(1), 10).await;
        t += Duration::hours(1);
    }
    let hours = (t - day).num_hours();
    println!(
        "ingest: {sent} events of {} sites ({hours} h of their day) published to the hub in {:.1} s",
        sims.len(),
        published.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let stop = go(net);
    let done = wait_events(net, sent as u64).await;
    let secs = (done - started).as_secs_f64();
    let p = net.progress.borrow().clone();
    println!(
        "ingest: {} events in {} batches committed in {secs:.2} s: {:.0} events/s (first start: every site's fold created)",
        p.events,
        p.batches,
        p.events as f64 / secs
    );
    let db = central::db::connect(&net.pg.url()).await.unwrap();
    let size = |sql: &'static str| {
        let db = &db;
        async move { db.query_one(sql, &[]).await.unwrap().get::<_, i64>(0) }
    };
    let events = size("SELECT count(*) FROM events").await;
    let tables = size(
        "SELECT (pg_total_relation_size('events') + pg_total_relation_size('tickets') + pg_total_relation_size('rollup_hour'))::int8",
    )
    .await;
    let ev_only = size("SELECT pg_total_relation_size('events')::int8").await;
    let whole = size("SELECT pg_database_size(current_database())::int8").await;
    let per_m = |b: i64| b as f64 / events as f64 * 1e6 / 1e9;
    println!(
        "size: {events} events; events table {:.0} MB ({:.2} GB per million), events + tickets + rollup_hour {:.0} MB ({:.2} GB per million), database {:.0} MB",
        ev_only as f64 / 1e6,
        per_m(ev_only),
        tables as f64 / 1e6,
        per_m(tables),
        whole as f64 / 1e6
    );
    (t, stop)
}

/// A minimal HTTP/1.1 client of the console's live stream (chunked server-sent events):
/// sends each overview's arrival time and sites' `last_seq` on `tx`.
async fn follow(
    addr: std::net::SocketAddr,
    token: String,
    tx: tokio::sync::mpsc::UnboundedSender<(Instant, HashMap<String, i64>)>,
) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req =
        format!("GET /api/live HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw: Vec<u8> = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    let mut head_done = false;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = s.read(&mut buf).await.unwrap();
        if n == 0 {
            return;
        }
        raw.extend_from_slice(&buf[..n]);
        if !head_done {
            let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            raw.drain(..i + 4);
            head_done = true;
        }
        // Chunks: size in hex, CRLF, data, CRLF.
        while let Some(i) = raw.windows(2).position(|w| w == b"\r\n") {
            let size =
                usize::from_str_radix(std::str::from_utf8(&raw[..i]).unwrap().trim(), 16).unwrap();
            if raw.len() < i + 2 + size + 2 {
                break;
            }
            body.extend_from_slice(&raw[i + 2..i + 2 + size]);
            raw.drain(..i + 2 + size + 2);
        }
        while let Some(i) = body.windows(2).position(|w| w == b"\n\n") {
            let at = Instant::now();
            let chunk: Vec<u8> = body.drain(..i + 2).collect();
            let text = std::str::from_utf8(&chunk).unwrap();
            let Some(json) = text.strip_prefix("data: ") else {
                continue;
            };
            let o: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
            let seqs = o["sites"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| {
                    (
                        s["code"].as_str().unwrap().to_string(),
                        s["last_seq"].as_i64().unwrap(),
                    )
                })
                .collect();
            if tx.send((at, seqs)).is_err() {
                return;
            }
        }
    }
}

async fn lag(net: &mut Net, args: &Args, sims: &mut [SimSite], from: DateTime<Utc>) {
    // The night and morning up to now, then real time.
    let now = Utc::now();
    let caught = play(net, sims, from, now, 60).await;
    let want = net.progress.borrow().events + caught as u64;
    wait_events(net, want).await;
    let db = central::db::connect(&net.pg.url()).await.unwrap();
    let password = central::viewers::add(&db, "bench", "bench", None)
        .await
        .unwrap();
    let (token, _) = central::viewers::login(&db, "bench", &password, Utc::now())
        .await
        .unwrap()
        .unwrap();
    let app = Arc::new(central::web::App {
        db,
        progress: net.progress.clone(),
        long_wait_minutes: 45,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, central::web::router(app)).await });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(follow(addr, token, tx));
    // Pending events per site: (seq, commit instant here).
    let mut pending: HashMap<String, VecDeque<(i64, Instant)>> = HashMap::new();
    let mut lags = Vec::new();
    let mut sent = 0usize;
    let began = Instant::now();
    let mut last = now;
    let mut every = tokio::time::interval(std::time::Duration::from_millis(1000));
    let mut overviews = 0usize;
    while began.elapsed().as_secs() < args.live_seconds {
        tokio::select! {
            _ = every.tick() => {
                let (now, wall) = (Utc::now(), Instant::now());
                for s in sims.iter_mut() {
                    s.advance(last, now, 1);
                    // An event's commit at its site is its `at` (this process's clock).
                    let q = pending.entry(s.site.code.clone()).or_default();
                    for e in &s.outbox {
                        let ago = (now - e.at).to_std().unwrap_or_default();
                        q.push_back((e.seq as i64, wall.checked_sub(ago).unwrap_or(wall)));
                    }
                    sent += sim::publish(&net.js, s).await.unwrap();
                }
                last = now;
            }
            Some((at, seqs)) = rx.recv() => {
                overviews += 1;
                for (code, seq) in seqs {
                    if let Some(q) = pending.get_mut(&code) {
                        while q.front().is_some_and(|(s, _)| *s <= seq) {
                            let (_, t) = q.pop_front().unwrap();
                            lags.push((at - t).as_secs_f64() * 1000.0);
                        }
                    }
                }
            }
        }
    }
    let left: usize = pending.values().map(VecDeque::len).sum();
    println!(
        "lag: {} sites in real time for {} s: {sent} events ({:.1}/s), {overviews} overviews; commit → console (ms): {} ({left} still in flight at the end)",
        sims.len(),
        args.live_seconds,
        sent as f64 / args.live_seconds as f64,
        summary(lags)
    );
}

async fn catchup(net: &mut Net, args: &Args) {
    // The van as a busy office for a morning: about `van_events` events in its leaf's stream.
    let site = net
        .register
        .sites
        .iter()
        .find(|s| s.code == VAN)
        .unwrap()
        .clone();
    let busy = Site {
        kind: SiteKind::Office,
        ..site.clone()
    };
    let tz = chrono_tz::Africa::Cairo;
    let day = Utc::now().with_timezone(&tz).date_naive() - Duration::days(3);
    let from = tz
        .from_local_datetime(&day.and_hms_opt(8, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let mut van = SimSite::new(busy, 99, from);
    let mut t = from;
    while van.outbox.len() < args.van_events && t < from + Duration::hours(24) {
        van.advance(t, t + Duration::minutes(10), 10);
        t += Duration::minutes(10);
    }
    let leaf = async_nats::connect(net.van_leaf.url()).await.unwrap();
    let ljs = async_nats::jetstream::new(leaf);
    let subject = hall_wire::network::subject(&site.governorate, &site.code);
    ljs.get_or_create_stream(async_nats::jetstream::stream::Config {
        name: hall_wire::network::stream_name(&site.code),
        subjects: vec![subject.clone()],
        storage: async_nats::jetstream::stream::StorageType::File,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut acks = Vec::new();
    for e in &van.outbox {
        let msg = async_nats::jetstream::message::PublishMessage::build()
            .payload(serde_json::to_vec(e).unwrap().into())
            .message_id(hall_wire::network::message_id(&e.center, e.seq));
        acks.push(ljs.send_publish(subject.clone(), msg).await.unwrap());
    }
    for a in acks {
        a.await.unwrap();
    }
    let n = van.outbox.len() as i64;
    let db = central::db::connect(&net.pg.url()).await.unwrap();
    let held = || async {
        db.query_one("SELECT count(*) FROM events WHERE center = $1", &[&VAN])
            .await
            .unwrap()
            .get::<_, i64>(0)
    };
    assert_eq!(held().await, 0, "the cut link let events through");
    let back = Instant::now();
    net.van_link.restore();
    let mut first = None;
    while held().await < n {
        if first.is_none() && held().await > 0 {
            first = Some(back.elapsed());
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(
            back.elapsed().as_secs() < 300,
            "the van's events did not arrive in 5 minutes"
        );
    }
    println!(
        "catchup: {n} events ({:.1} h of a busy site) stored on the van's leaf; link restored → all in PostgreSQL in {:.2} s (first after {:.2} s)",
        (t - from).num_minutes() as f64 / 60.0,
        back.elapsed().as_secs_f64(),
        first.unwrap_or_default().as_secs_f64()
    );
}

async fn ack_run(leaf: Option<&NatsServer>, seconds: u64) -> (Vec<f64>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut opts =
        queue_server::server::ServerOptions::new(dir.path(), testkit::center::always_open());
    opts.network = leaf.map(|l| hall_wire::center_file::Network {
        center: "bench-center".into(),
        governorate: "cai".into(),
        leaf_url: l.url(),
        user: None,
        password: None,
    });
    let server = testkit::TestServer::start_with(dir, opts).await;
    let mut tasks = Vec::new();
    let began = Instant::now();
    for k in 0..16 {
        let mut kiosk = server.as_device("kiosk-1").await;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = 0;
            while began.elapsed().as_secs() < seconds {
                let service = ["CIT-BIRTH", "CIT-TAX"][i % 2];
                let r = hall_core::command::Command::issue_ticket(
                    service,
                    hall_core::Priority::Normal,
                    format!("{k}-{i}"),
                );
                let t = Instant::now();
                let answer = kiosk.request(hall_wire::Request::Command(r)).await.unwrap();
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                assert!(answer.is_ok(), "{answer:?}");
                i += 1;
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let n = all.len();
    // Let the uplink finish before the server stops, so the two halves end alike.
    server.stop().await;
    (all, n)
}

async fn ack(args: &Args) {
    let root = tempfile::tempdir().unwrap();
    let hub = NatsServer::hub(&root.path().join("hub"), "127.0.0.1:1");
    let leaf = NatsServer::leaf(
        &root.path().join("leaf"),
        "c-bench-center",
        &hub.leaf_addr(),
    );
    for (name, l) in [
        ("without [network]", None),
        ("with [network]", Some(&leaf)),
        ("without [network]", None),
        ("with [network]", Some(&leaf)),
    ] {
        let (lat, n) = ack_run(l, args.ack_seconds).await;
        println!(
            "ack: {name}: {n} tickets by 16 kiosks in {} s ({:.0}/s); ack latency (ms): {}",
            args.ack_seconds,
            n as f64 / args.ack_seconds as f64,
            summary(lat)
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let has = |p: &str| args.phases.iter().any(|x| x == p);
    println!(
        "netbench: {:?} on {} cores",
        args.phases,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    if has("ingest") || has("lag") || has("catchup") {
        let mut net = start().await;
        let tz = chrono_tz::Africa::Cairo;
        let day = Utc::now().with_timezone(&tz).date_naive() - Duration::days(1);
        let morning = tz
            .from_local_datetime(&day.and_hms_opt(8, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc);
        let mut sims = sim::sites(&net.register, morning);
        let mut stop = None;
        let mut played_to = morning;
        if has("ingest") {
            let (t, s) = ingest(&mut net, &args, &mut sims, morning).await;
            played_to = t;
            stop = Some(s);
        }
        if stop.is_none() {
            stop = Some(go(&mut net));
        }
        if has("lag") {
            lag(&mut net, &args, &mut sims, played_to).await;
        }
        if has("catchup") {
            catchup(&mut net, &args).await;
        }
        let _ = stop.map(|s| s.send(true));
    }
    if has("ack") {
        ack(&args).await;
    }
}

//! Load generator: starts a queue-server (the binary beside this one) on a fresh data
//! directory with the round-the-clock test center, drives it over loopback, and prints figures.
//!
//!   loadgen [--kiosks 64] [--counters 4] [--boards 1000] [--watchers 10000] [--seconds 10]
//!           [--restart-events 1000000] [--phases throughput,delivery,watchers,restart]
//!
//! Phases:
//! - throughput: N kiosks issue and withdraw tickets, M clerks call and finish, as fast as the
//!   server acknowledges (each acknowledged command is durable): ops/s, ack latency p50/p99.
//! - delivery: K boards subscribed; clerks call tickets; time from a clerk sending `call_next`
//!   to each board receiving the `ticket_called` delta, p50/p99.
//! - watchers: W citizens' ticket pages connected and idle; server RSS.
//! - restart: a log of R events written through the engine and store, then the time for a
//!   server to start on it and answer /healthz.
//! - seed (only when named): fills a running server (`--url`) with a believable hall, for
//!   screenshots and demos.

use clap::Parser;
use protocol::wire::*;
use protocol::{Outcome, Priority};
use queue_server::wsclient::WsClient;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Parser, Debug, Clone)]
#[command(about = "Drive a queue-server with kiosks, counters, boards and watchers; print figures")]
struct Args {
    /// queue-server binary (default: the one next to this program).
    #[arg(long)]
    server: Option<PathBuf>,
    #[arg(long, default_value_t = 64)]
    kiosks: usize,
    #[arg(long, default_value_t = 4)]
    counters: usize,
    #[arg(long, default_value_t = 1000)]
    boards: usize,
    #[arg(long, default_value_t = 10_000)]
    watchers: usize,
    /// Length of the throughput phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Calls made in the delivery phase.
    #[arg(long, default_value_t = 200)]
    calls: usize,
    #[arg(long, default_value_t = 1_000_000)]
    restart_events: u64,
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "throughput,delivery,watchers,restart"
    )]
    phases: Vec<String>,
    /// Load a server that is already running (started with a round-the-clock center, e.g.
    /// `--config assets/centers/always-open.toml`) instead of starting one per phase.
    #[arg(long)]
    url: Option<String>,
    /// With --url: its data directory, for the accounts in first-start.txt.
    #[arg(long)]
    data: Option<PathBuf>,
    /// With --url: its process id, for RSS and CPU figures.
    #[arg(long)]
    pid: Option<u32>,
    /// Center configuration for the spawned servers.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/centers/always-open.toml"))]
    config: PathBuf,
}

/// Distinguishes this run's idempotency keys from an earlier run's on the same server.
fn run_id() -> u32 {
    std::process::id()
}

fn main() {
    let args = Args::parse();
    // 10,000 watchers need more descriptors than the usual soft limit of 1024.
    queue_server::server::raise_fd_limit();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let bin = args.server.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .unwrap()
            .parent()
            .unwrap()
            .join("queue-server")
    });
    println!("loadgen: server binary {}", bin.display());
    println!(
        "machine: {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    let phases: Vec<&str> = args.phases.iter().map(String::as_str).collect();
    if phases.contains(&"seed") {
        rt.block_on(seed(&bin, &args));
    }
    if phases.contains(&"throughput") {
        rt.block_on(throughput(&bin, &args));
    }
    if phases.contains(&"delivery") {
        rt.block_on(delivery(&bin, &args));
    }
    if phases.contains(&"watchers") {
        rt.block_on(watchers(&bin, &args));
    }
    if phases.contains(&"restart") {
        restart(&bin, &args);
    }
}

/// Tickets each kiosk keeps waiting in the throughput phase.
const OUTSTANDING: usize = 8;

/// The server under load: one this program started, or one already running (`--url`).
struct Spawned {
    child: Option<Child>,
    pid: Option<u32>,
    url: String,
    addr: String,
    data: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Spawned {
    /// The server to load: the running one named by `--url`, or a fresh one.
    fn target(bin: &Path, args: &Args) -> Spawned {
        match &args.url {
            Some(url) => {
                let addr = url
                    .trim_start_matches("ws://")
                    .trim_end_matches("/ws")
                    .to_string();
                let data = args
                    .data
                    .clone()
                    .expect("--url needs --data DIR (for first-start.txt)");
                Spawned {
                    child: None,
                    pid: args.pid,
                    url: url.clone(),
                    addr,
                    data,
                    _dir: None,
                }
            }
            None => Spawned::start(bin, &args.config, None).0,
        }
    }

    fn start(bin: &Path, config: &Path, data: Option<&Path>) -> (Spawned, Duration) {
        let (dir, data) = match data {
            Some(d) => (None, d.to_path_buf()),
            None => {
                let d = tempfile::tempdir().unwrap();
                let p = d.path().to_path_buf();
                (Some(d), p)
            }
        };
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(&data)
            .arg("--config")
            .arg(config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start queue-server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(rest) = line.strip_prefix("queue-server listening on http://") {
                    let _ = tx.send(
                        rest.split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("server started");
        let ready = started.elapsed();
        (
            Spawned {
                pid: Some(child.id()),
                child: Some(child),
                url: format!("ws://{addr}/ws"),
                addr,
                data,
                _dir: dir,
            },
            ready,
        )
    }

    fn secret(&self, name: &str, kind: &str) -> String {
        let text = std::fs::read_to_string(self.data.join("first-start.txt")).unwrap();
        text.lines()
            .find_map(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                (w.len() == 4 && w[1] == name && w[2] == kind).then(|| w[3].to_string())
            })
            .unwrap()
    }

    fn device(&self, name: &str) -> Credentials {
        Credentials::Device {
            token: self.secret(name, "token"),
        }
    }

    /// (current RSS, peak RSS) in MiB, from /proc.
    fn rss_mib(&self) -> (f64, f64) {
        let Some(pid) = self.pid else {
            return (f64::NAN, f64::NAN);
        };
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
                .unwrap_or(f64::NAN)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// CPU seconds (user + system) the server has used.
    fn cpu_secs(&self) -> f64 {
        match self.pid {
            Some(pid) => proc_cpu_secs(&format!("/proc/{pid}/stat")),
            None => f64::NAN,
        }
    }

    async fn clerk(&self, n: usize) -> WsClient {
        let (mut c, r) = WsClient::connect_as(&self.url, None).await.unwrap();
        r.unwrap();
        let user = format!("clerk{n}");
        let login = Request::Login {
            username: user.clone(),
            password: self.secret(&user, "password"),
        };
        c.request(login).await.unwrap().expect("clerk signs in");
        c
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// utime + stime from a /proc/.../stat file, in seconds.
fn proc_cpu_secs(path: &str) -> f64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks(11) + ticks(12)) / hz
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// The ticket id of a `ticket_called` event in a delta frame's text, without parsing it all:
/// `…"event":{"type":"ticket_called","ticket":123,…`.
fn called_ticket(text: &str) -> Option<u64> {
    let at = text.find("\"type\":\"ticket_called\"")?;
    let rest = &text[at..];
    let field = rest.find("\"ticket\":")? + "\"ticket\":".len();
    let digits: String = rest[field..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Fills a running server (`--url`) with a believable hall for screenshots and demos:
/// tickets in every service, four counters open, calls (one of them recalled), a message.
async fn seed(bin: &Path, args: &Args) {
    let server = Spawned::target(bin, args);
    let (mut kiosk, r) = WsClient::connect_as(&server.url, Some(server.device("kiosk-1")))
        .await
        .unwrap();
    r.unwrap();
    kiosk.request(Request::Subscribe).await.unwrap().unwrap();
    let ServerFrame::Snapshot { state } = kiosk.next_frame().await.unwrap() else {
        panic!("no snapshot")
    };
    let services: Vec<String> = state
        .services
        .values()
        .filter(|q| q.service.open)
        .map(|q| q.service.code.clone())
        .collect();
    for i in 0..40 {
        let req = Request::Command(protocol::Command::issue_ticket(
            services[i % services.len()].clone(),
            if i % 7 == 3 {
                Priority::Elderly
            } else {
                Priority::Normal
            },
            format!("{}-seed{i}", run_id()),
        ));
        match kiosk.request(req).await.unwrap() {
            Ok(_) => {}
            // A real center refuses some (a daily limit reached, hours over): skip those.
            Err(e)
                if matches!(
                    e.code,
                    ErrorCode::DailyLimitReached
                        | ErrorCode::OutsideHours
                        | ErrorCode::ServiceClosed
                ) => {}
            Err(e) => panic!("seed refused: {e:?}"),
        }
    }
    let counters: Vec<u32> = state.counters.keys().copied().take(4).collect();
    for (i, c) in counters.iter().enumerate() {
        let mut clerk = server.clerk(i + 1).await;
        clerk
            .request(Request::Command(protocol::Command::OpenCounter {
                counter: *c,
            }))
            .await
            .unwrap()
            .expect("counter opens");
        if let Ok(ReplyBody::Called { label, .. }) = clerk
            .request(Request::Command(protocol::Command::CallNext {
                counter: *c,
            }))
            .await
            .unwrap()
        {
            println!("seed: counter {c} called {label}");
        }
        if i == 0 {
            clerk
                .request(Request::Command(protocol::Command::Recall { counter: *c }))
                .await
                .unwrap()
                .expect("recall");
        }
    }
    let (mut boss, r) = WsClient::connect_as(&server.url, None).await.unwrap();
    r.unwrap();
    let password = server.secret("manager", "password");
    boss.request(Request::Login {
        username: "manager".into(),
        password,
    })
    .await
    .unwrap()
    .expect("manager signs in");
    let text = "يرجى تجهيز صورة بطاقة الرقم القومي قبل التوجه إلى الشباك — Please have a copy of your national ID ready";
    boss.request(Request::Command(protocol::Command::SetMessage {
        text: text.into(),
    }))
    .await
    .unwrap()
    .expect("message set");
    println!(
        "seed: 40 tickets, {} counters calling, message set",
        counters.len()
    );
}

async fn throughput(bin: &Path, args: &Args) {
    let server = Spawned::target(bin, args);
    let stop = Arc::new(AtomicBool::new(false));
    let ops = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::<f64>::with_capacity(1 << 20)));
    let mut tasks = Vec::new();
    for k in 0..args.kiosks {
        let (url, cred) = (server.url.clone(), server.device("kiosk-1"));
        let (stop, ops, lat) = (stop.clone(), ops.clone(), latencies.clone());
        tasks.push(tokio::spawn(async move {
            let (mut c, r) = WsClient::connect_as(&url, Some(cred)).await.unwrap();
            r.unwrap();
            let mut mine = Vec::new();
            let mut n = 0u64;
            // Each kiosk keeps at most OUTSTANDING of its tickets in the hall and withdraws the
            // oldest (a citizen who leaves): the hall stays the size of a busy real one.
            let mut outstanding = std::collections::VecDeque::new();
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let service = ["CIT-BIRTH", "CIT-TAX"][(n % 2) as usize];
                let req = Request::Command(protocol::Command::issue_ticket(
                    service,
                    Priority::Normal,
                    format!("{}-{k}-{n}", run_id()),
                ));
                let t = Instant::now();
                let Ok(ReplyBody::Ticket { ticket }) = c.request(req).await.unwrap() else {
                    panic!("issue refused")
                };
                mine.push(ms(t.elapsed()));
                ops.fetch_add(1, Ordering::Relaxed);
                outstanding.push_back(ticket.token);
                if outstanding.len() > OUTSTANDING {
                    let token = outstanding.pop_front().unwrap();
                    let t = Instant::now();
                    match c
                        .request(Request::Command(protocol::Command::WithdrawTicket {
                            token,
                        }))
                        .await
                        .unwrap()
                    {
                        Ok(_) => {
                            mine.push(ms(t.elapsed()));
                            ops.fetch_add(1, Ordering::Relaxed);
                        }
                        // A counter called it first (or it was served): rightly refused.
                        Err(e)
                            if matches!(
                                e.code,
                                ErrorCode::WrongTicketState | ErrorCode::TicketClosed
                            ) => {}
                        Err(e) => panic!("withdraw refused: {e:?}"),
                    }
                }
            }
            lat.lock().unwrap().extend(mine);
        }));
    }
    for n in 1..=args.counters {
        let mut c = server.clerk(n).await;
        let (stop, ops, lat) = (stop.clone(), ops.clone(), latencies.clone());
        tasks.push(tokio::spawn(async move {
            c.request(Request::Command(protocol::Command::OpenCounter {
                counter: n as u32,
            }))
            .await
            .unwrap()
            .unwrap();
            let mut mine = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                match c
                    .request(Request::Command(protocol::Command::CallNext {
                        counter: n as u32,
                    }))
                    .await
                    .unwrap()
                {
                    Ok(_) => {
                        mine.push(ms(t.elapsed()));
                        let t = Instant::now();
                        let fin = Request::Command(protocol::Command::Finish {
                            counter: n as u32,
                            outcome: Outcome::Completed,
                            reference: None,
                        });
                        c.request(fin).await.unwrap().unwrap();
                        mine.push(ms(t.elapsed()));
                        ops.fetch_add(2, Ordering::Relaxed);
                    }
                    Err(e) if e.code == ErrorCode::QueueEmpty => {
                        tokio::time::sleep(Duration::from_millis(1)).await
                    }
                    Err(e) => panic!("call refused: {e:?}"),
                }
            }
            lat.lock().unwrap().extend(mine);
        }));
    }
    // Warm up, then measure a window.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let start_ops = ops.load(Ordering::Relaxed);
    let started = Instant::now();
    let (server_cpu0, own_cpu0) = (server.cpu_secs(), proc_cpu_secs("/proc/self/stat"));
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    let done = ops.load(Ordering::Relaxed) - start_ops;
    let elapsed = started.elapsed();
    let server_cpu = server.cpu_secs() - server_cpu0;
    let own_cpu = proc_cpu_secs("/proc/self/stat") - own_cpu0;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let mut lat = latencies.lock().unwrap();
    let (rss, peak) = server.rss_mib();
    println!(
        "throughput: {} kiosks (≤ {OUTSTANDING} tickets waiting each) + {} counters, {:.1} s: {} durable ops, {:.0} ops/s; ack latency p50 {:.2} ms, p99 {:.2} ms; server RSS {:.1} MiB (peak {:.1}); CPU: server {:.0} %, load generator {:.0} % (of one core)",
        args.kiosks,
        args.counters,
        elapsed.as_secs_f64(),
        done,
        done as f64 / elapsed.as_secs_f64(),
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99),
        rss,
        peak,
        100.0 * server_cpu / elapsed.as_secs_f64(),
        100.0 * own_cpu / elapsed.as_secs_f64(),
    );
}

/// (ticket id, when a board saw its call).
type Arrivals = Vec<(u64, Instant)>;

async fn delivery(bin: &Path, args: &Args) {
    let server = Spawned::target(bin, args);
    // Enough waiting tickets for every call.
    let (mut kiosk, r) = WsClient::connect_as(&server.url, Some(server.device("kiosk-1")))
        .await
        .unwrap();
    r.unwrap();
    for i in 0..args.calls + 10 {
        let req = Request::Command(protocol::Command::issue_ticket(
            "CIT-BIRTH",
            Priority::Normal,
            format!("{}-d{i}", run_id()),
        ));
        kiosk.request(req).await.unwrap().unwrap();
    }
    // Each board records into its own list (no shared lock, no timer per read); the tasks
    // are aborted at the end and the lists collected.
    let mut lists: Vec<Arc<Mutex<Arrivals>>> = Vec::new();
    let mut boards = Vec::new();
    let connected = Arc::new(AtomicU64::new(0));
    for _ in 0..args.boards {
        let (url, cred) = (server.url.clone(), server.device("board-1"));
        let connected = connected.clone();
        let mine = Arc::new(Mutex::new(Vec::new()));
        lists.push(mine.clone());
        boards.push(tokio::spawn(async move {
            let (mut c, r) = WsClient::connect_as(&url, Some(cred)).await.unwrap();
            r.unwrap();
            c.request(Request::Subscribe).await.unwrap().unwrap();
            connected.fetch_add(1, Ordering::Relaxed);
            while let Ok(text) = c.next_text().await {
                // A real board parses frames on its own machine; here a thousand boards share
                // the server's cores, so they only scan the text for the call.
                let now = Instant::now();
                if let Some(ticket) = called_ticket(&text) {
                    mine.lock().unwrap().push((ticket, now));
                }
            }
        }));
    }
    while connected.load(Ordering::Relaxed) < args.boards as u64 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (rss, _) = server.rss_mib();
    let mut clerk = server.clerk(2).await;
    let (server_cpu0, own_cpu0, calls_started) = (
        server.cpu_secs(),
        proc_cpu_secs("/proc/self/stat"),
        Instant::now(),
    );
    clerk
        .request(Request::Command(protocol::Command::OpenCounter {
            counter: 2,
        }))
        .await
        .unwrap()
        .unwrap();
    let mut sent: HashMap<u64, Instant> = HashMap::new();
    let mut acked: HashMap<u64, Instant> = HashMap::new();
    let mut commit = Vec::new();
    for _ in 0..args.calls {
        let t = Instant::now();
        let Ok(ReplyBody::Called { ticket, .. }) = clerk
            .request(Request::Command(protocol::Command::CallNext { counter: 2 }))
            .await
            .unwrap()
        else {
            panic!()
        };
        let now = Instant::now();
        commit.push(ms(now - t));
        acked.insert(ticket.0, now);
        sent.insert(ticket.0, t);
        let fin = Request::Command(protocol::Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: None,
        });
        clerk.request(fin).await.unwrap().unwrap();
        // A busy hall calls a few tickets a second; leave room between calls.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let calls_took = calls_started.elapsed().as_secs_f64();
    let (server_cpu, own_cpu) = (
        server.cpu_secs() - server_cpu0,
        proc_cpu_secs("/proc/self/stat") - own_cpu0,
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    for b in &boards {
        b.abort();
    }
    let received: Vec<(u64, Instant)> = lists
        .iter()
        .flat_map(|l| l.lock().unwrap().clone())
        .collect();
    let mut lat: Vec<f64> = received
        .iter()
        .filter_map(|(t, at)| sent.get(t).map(|s| ms(*at - *s)))
        .collect();
    let mut fanout: Vec<f64> = received
        .iter()
        .filter_map(|(t, at)| acked.get(t).map(|a| ms(at.saturating_duration_since(*a))))
        .collect();
    let expected = args.calls * args.boards;
    println!(
        "delivery: {} boards, {} calls: {} of {} deliveries; call→board p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (of which the durable commit, call→ack: p50 {:.2}, p99 {:.2}; fan-out, ack→board: p50 {:.2}, p99 {:.2}); server RSS with boards {:.1} MiB; CPU per call: server {:.2} ms, boards {:.2} ms",
        args.boards,
        args.calls,
        lat.len(),
        expected,
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99),
        pct(&mut lat, 1.0),
        pct(&mut commit, 0.5),
        pct(&mut commit, 0.99),
        pct(&mut fanout, 0.5),
        pct(&mut fanout, 0.99),
        rss,
        1000.0 * server_cpu / args.calls as f64,
        1000.0 * own_cpu / args.calls as f64,
    );
    let _ = calls_took;
}

async fn watchers(bin: &Path, args: &Args) {
    let server = Spawned::target(bin, args);
    let (mut kiosk, r) = WsClient::connect_as(&server.url, Some(server.device("kiosk-1")))
        .await
        .unwrap();
    r.unwrap();
    let mut tokens = Vec::new();
    for i in 0..100 {
        let req = Request::Command(protocol::Command::issue_ticket(
            "CIT-BIRTH",
            Priority::Normal,
            format!("{}-w{i}", run_id()),
        ));
        let Ok(ReplyBody::Ticket { ticket }) = kiosk.request(req).await.unwrap() else {
            panic!()
        };
        tokens.push(ticket.token);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (before, _) = server.rss_mib();
    let sem = Arc::new(tokio::sync::Semaphore::new(256));
    let mut conns = Vec::with_capacity(args.watchers);
    let started = Instant::now();
    let mut pending = Vec::new();
    for i in 0..args.watchers {
        let (url, token, sem) = (
            server.url.clone(),
            tokens[i % tokens.len()].clone(),
            sem.clone(),
        );
        pending.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.unwrap();
            let (mut c, r) = WsClient::connect_as(&url, None)
                .await
                .expect("watcher connects");
            r.unwrap();
            c.request(Request::WatchTicket { token })
                .await
                .unwrap()
                .expect("watching");
            c
        }));
    }
    for p in pending {
        conns.push(p.await.unwrap());
    }
    let connect_time = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (after, peak) = server.rss_mib();
    // Still alive and answering with all of them connected?
    let t = Instant::now();
    kiosk.request(Request::Ping).await.unwrap().unwrap();
    println!(
        "watchers: {} idle ticket pages connected in {:.1} s; server RSS {:.1} MiB before, {:.1} MiB with them (peak {:.1}); {:.1} KiB each; ping {:.2} ms",
        conns.len(),
        connect_time.as_secs_f64(),
        before,
        after,
        peak,
        (after - before) * 1024.0 / conns.len() as f64,
        ms(t.elapsed())
    );
}

fn restart(bin: &Path, args: &Args) {
    use queue_server::engine::{Actor, Command, day_change, decide};
    use queue_server::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.sqlite");
    let catalog = queue_server::config::load_file(&args.config).expect("center configuration");
    let started = Instant::now();
    {
        let auth = queue_server::auth::Auth::open(&db).unwrap();
        let first = auth.bootstrap(chrono::Utc::now()).unwrap().unwrap();
        let mut text = String::new();
        for u in &first.users {
            text += &format!("  {:?} {} password {}\n", u.role, u.name, u.secret);
        }
        for d in &first.devices {
            text += &format!("  {:?} {} token {}\n", d.role, d.name, d.secret);
        }
        std::fs::write(dir.path().join("first-start.txt"), text).unwrap();
    }
    let mut store = Store::open(&db).unwrap();
    let mut state = store.load_state().unwrap();
    let mut now = chrono::Utc::now() - chrono::Duration::days(30);
    let system = Actor::system();
    let kiosk = Actor::new(Role::Kiosk, "kiosk-1");
    let clerk = Actor::new(Role::Clerk, "clerk1");
    let mut batch = Vec::new();
    let mut n = 0u64;
    let run = |state: &mut protocol::State,
               actor: &Actor,
               cmd: Command,
               now,
               batch: &mut Vec<protocol::Envelope>| {
        if let Ok(events) = decide(state, actor, &cmd, now) {
            for event in events {
                let env = protocol::Envelope {
                    seq: state.seq + 1,
                    at: now,
                    actor: actor.label(),
                    event,
                };
                protocol::apply(state, &env);
                batch.push(env);
            }
        }
    };
    run(
        &mut state,
        &system,
        Command::LoadCatalog {
            catalog: Box::new(catalog),
        },
        now,
        &mut batch,
    );
    while state.seq < args.restart_events {
        now += chrono::Duration::seconds(2);
        if let Some(day) = day_change(&state, now) {
            run(&mut state, &system, day, now, &mut batch);
        }
        if state.counters[&1].state == protocol::CounterState::Closed {
            run(
                &mut state,
                &clerk,
                Command::OpenCounter { counter: 1 },
                now,
                &mut batch,
            );
        }
        n += 1;
        let issue = Command::IssueTicket {
            service: "CIT-BIRTH".into(),
            priority: Priority::Normal,
            idempotency_key: n.to_string(),
            token: format!("{n:032x}"),
        };
        run(&mut state, &kiosk, issue, now, &mut batch);
        // Every ticket is called; one in three citizens does not show up.
        run(
            &mut state,
            &clerk,
            Command::CallNext { counter: 1 },
            now,
            &mut batch,
        );
        if n.is_multiple_of(3) {
            run(
                &mut state,
                &clerk,
                Command::NoShow { counter: 1 },
                now,
                &mut batch,
            );
        } else {
            run(
                &mut state,
                &clerk,
                Command::StartServing { counter: 1 },
                now,
                &mut batch,
            );
            let finish = Command::Finish {
                counter: 1,
                outcome: Outcome::Completed,
                reference: None,
            };
            run(&mut state, &clerk, finish, now, &mut batch);
        }
        if batch.len() >= 5000 {
            store.append(&batch).unwrap();
            batch.clear();
            store.maybe_snapshot(&state).unwrap();
        }
    }
    store.append(&batch).unwrap();
    store.maybe_snapshot(&state).unwrap();
    let events = store.last_seq();
    drop(store);
    println!(
        "restart: wrote {} events ({} tickets, {} still waiting) in {:.1} s",
        events,
        n,
        state.tickets.len(),
        started.elapsed().as_secs_f64()
    );
    for label in ["with snapshots", "full replay (snapshots deleted)"] {
        if label.starts_with("full") {
            rusqlite_delete_snapshots(&db);
        }
        let (server, ready) = Spawned::start(bin, &args.config, Some(dir.path()));
        let t = Instant::now();
        let healthy = healthz(&server.addr);
        println!(
            "restart {label}: listening after {:.0} ms (process start + rebuild), /healthz {} in {:.1} ms more",
            ms(ready),
            healthy,
            ms(t.elapsed())
        );
        drop(server);
    }
}

fn rusqlite_delete_snapshots(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute("DELETE FROM snapshots", []).unwrap();
}

fn healthz(addr: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body.lines().last().unwrap_or_default().to_string()
}

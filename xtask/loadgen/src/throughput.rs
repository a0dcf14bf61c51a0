//! The throughput phase: kiosks issue and withdraw tickets while clerks call and finish them,
//! as fast as the server acknowledges; every acknowledged command is durable.

use crate::Args;
use crate::measure::{ms, pct, proc_cpu_secs};
use crate::run_id;
use crate::target::Target;
use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::{Outcome, Priority};
use hall_wire::*;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use testkit::WsClient;

/// Tickets each kiosk keeps waiting in the throughput phase.
const OUTSTANDING: usize = 8;

/// Connections that fill the backlog side by side.
const FILLERS: usize = 8;

/// Issues `n` tickets over `FILLERS` connections and leaves them waiting.
async fn fill(server: &Target, n: usize) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for f in 0..FILLERS {
        let (url, cred) = (server.url(), server.device("kiosk-1"));
        let count = n / FILLERS + usize::from(f < n % FILLERS);
        tasks.push(tokio::spawn(async move {
            let (mut c, r) = WsClient::connect_as(&url, Some(cred)).await.unwrap();
            r.unwrap();
            for i in 0..count {
                let service = ["CIT-BIRTH", "CIT-TAX"][i % 2];
                let key = format!("{}-backlog-{f}-{i}", run_id());
                let req = Command::issue_ticket(service, Priority::Normal, key);
                if !matches!(c.request(req).await.unwrap(), Ok(ReplyBody::Ticket { .. })) {
                    panic!("backlog ticket refused")
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "backlog: {n} tickets waiting, issued in {secs:.1} s ({:.0} tickets/s)",
        n as f64 / secs
    );
}

pub async fn run(bin: &Path, args: &Args) {
    let server = Target::of(bin, args);
    if args.backlog > 0 {
        fill(&server, args.backlog).await;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let ops = Arc::new(AtomicU64::new(0));
    let issued = Arc::new(AtomicU64::new(0));
    // Tickets that left the queue (withdrawn or called), for the hall's size.
    let left = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::<f64>::with_capacity(1 << 20)));
    let mut tasks = Vec::new();
    for k in 0..args.kiosks {
        let (url, cred) = (server.url(), server.device("kiosk-1"));
        let (stop, ops, lat) = (stop.clone(), ops.clone(), latencies.clone());
        let (issued, left) = (issued.clone(), left.clone());
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
                let req = Command::issue_ticket(
                    service,
                    Priority::Normal,
                    format!("{}-{k}-{n}", run_id()),
                );
                let t = Instant::now();
                let Ok(ReplyBody::Ticket { ticket }) = c.request(req).await.unwrap() else {
                    panic!("issue refused")
                };
                mine.push(ms(t.elapsed()));
                ops.fetch_add(1, Ordering::Relaxed);
                issued.fetch_add(1, Ordering::Relaxed);
                outstanding.push_back(ticket.token);
                if outstanding.len() > OUTSTANDING {
                    let token = outstanding.pop_front().unwrap();
                    let t = Instant::now();
                    match c.request(Command::WithdrawTicket { token }).await.unwrap() {
                        Ok(_) => {
                            mine.push(ms(t.elapsed()));
                            ops.fetch_add(1, Ordering::Relaxed);
                            left.fetch_add(1, Ordering::Relaxed);
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
        let (mut c, _) = server.as_staff(&format!("clerk{n}")).await;
        let (stop, ops, lat) = (stop.clone(), ops.clone(), latencies.clone());
        let (issued, left) = (issued.clone(), left.clone());
        // With a backlog, each ticket a clerk calls is replaced by a new one (the hall stays
        // its size): a kiosk's connection beside the clerk's.
        let mut refill = None;
        if args.backlog > 0 {
            let (k, r) = WsClient::connect_as(&server.url(), Some(server.device("kiosk-1")))
                .await
                .unwrap();
            r.unwrap();
            refill = Some(k);
        }
        tasks.push(tokio::spawn(async move {
            let mut refills = 0u64;
            c.request(Command::OpenCounter { counter: n as u32 })
                .await
                .unwrap()
                .unwrap();
            let mut mine = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                match c
                    .request(Command::CallNext { counter: n as u32 })
                    .await
                    .unwrap()
                {
                    Ok(_) => {
                        mine.push(ms(t.elapsed()));
                        left.fetch_add(1, Ordering::Relaxed);
                        let t = Instant::now();
                        let fin = Command::finish(n as u32, Outcome::Completed);
                        c.request(fin).await.unwrap().unwrap();
                        mine.push(ms(t.elapsed()));
                        ops.fetch_add(2, Ordering::Relaxed);
                        if let Some(k) = &mut refill {
                            refills += 1;
                            let service = ["CIT-BIRTH", "CIT-TAX"][(refills % 2) as usize];
                            let key = format!("{}-refill-{n}-{refills}", run_id());
                            let t = Instant::now();
                            let req = Command::issue_ticket(service, Priority::Normal, key);
                            let Ok(ReplyBody::Ticket { .. }) = k.request(req).await.unwrap() else {
                                panic!("refill refused")
                            };
                            mine.push(ms(t.elapsed()));
                            ops.fetch_add(1, Ordering::Relaxed);
                            issued.fetch_add(1, Ordering::Relaxed);
                        }
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
    let waiting = || {
        args.backlog as i64 + issued.load(Ordering::Relaxed) as i64
            - left.load(Ordering::Relaxed) as i64
    };
    let start_ops = ops.load(Ordering::Relaxed);
    let start_issued = issued.load(Ordering::Relaxed);
    let waiting0 = waiting();
    let started = Instant::now();
    let (server_cpu0, own_cpu0) = (server.cpu_secs(), proc_cpu_secs("/proc/self/stat"));
    let (writer0, model0) = (
        server.thread_cpu_secs("writer"),
        server.thread_cpu_secs("estimator"),
    );
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    let done = ops.load(Ordering::Relaxed) - start_ops;
    let tickets = issued.load(Ordering::Relaxed) - start_issued;
    let waiting1 = waiting();
    let elapsed = started.elapsed();
    let server_cpu = server.cpu_secs() - server_cpu0;
    let own_cpu = proc_cpu_secs("/proc/self/stat") - own_cpu0;
    let writer_cpu = server.thread_cpu_secs("writer") - writer0;
    let model_cpu = server.thread_cpu_secs("estimator") - model0;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let mut lat = latencies.lock().unwrap();
    let (rss, peak) = server.rss_mib();
    println!(
        "throughput: {} kiosks (≤ {OUTSTANDING} tickets waiting each) + {} counters, {:.1} s: {} durable ops, {:.0} ops/s ({:.0} tickets issued/s); ack latency p50 {:.2} ms, p99 {:.2} ms; server RSS {:.1} MiB (peak {:.1}); CPU: server {:.0} %, load generator {:.0} % (of one core)",
        args.kiosks,
        args.counters,
        elapsed.as_secs_f64(),
        done,
        done as f64 / elapsed.as_secs_f64(),
        tickets as f64 / elapsed.as_secs_f64(),
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99),
        rss,
        peak,
        100.0 * server_cpu / elapsed.as_secs_f64(),
        100.0 * own_cpu / elapsed.as_secs_f64(),
    );
    println!(
        "throughput: waiting {waiting0} → {waiting1}; writer thread {:.0} % of a core, {:.3} ms CPU per command; queue model thread {:.0} %",
        100.0 * writer_cpu / elapsed.as_secs_f64(),
        1000.0 * writer_cpu / done.max(1) as f64,
        100.0 * model_cpu / elapsed.as_secs_f64(),
    );
}

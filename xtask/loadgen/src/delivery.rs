//! The delivery phase: boards subscribed, a clerk calls; the time from `call_next` sent to each
//! board holding the `ticket_called` delta.

use crate::Args;
use crate::measure::{ms, pct, proc_cpu_secs};
use crate::run_id;
use crate::target::Target;
use hall_core::command::Command;
use hall_core::{Outcome, Priority};
use hall_wire::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use testkit::WsClient;

/// (ticket id, when a board saw its call).
type Arrivals = Vec<(u64, Instant)>;

pub async fn run(bin: &Path, args: &Args) {
    let server = Target::of(bin, args);
    // Enough waiting tickets for every call.
    let mut kiosk = server.as_device("kiosk-1").await;
    for i in 0..args.calls + 10 {
        let req =
            Command::issue_ticket("CIT-BIRTH", Priority::Normal, format!("{}-d{i}", run_id()));
        kiosk.request(req).await.unwrap().unwrap();
    }
    // Each board records into its own list (no shared lock, no timer per read); the tasks
    // are aborted at the end and the lists collected.
    let mut lists: Vec<Arc<Mutex<Arrivals>>> = Vec::new();
    let mut boards = Vec::new();
    let connected = Arc::new(AtomicU64::new(0));
    for _ in 0..args.boards {
        let (url, cred) = (server.url(), server.device("board-1"));
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
    let (mut clerk, _) = server.as_staff("clerk2").await;
    let (server_cpu0, own_cpu0, calls_started) = (
        server.cpu_secs(),
        proc_cpu_secs("/proc/self/stat"),
        Instant::now(),
    );
    clerk
        .request(Command::OpenCounter { counter: 2 })
        .await
        .unwrap()
        .unwrap();
    let mut sent: HashMap<u64, Instant> = HashMap::new();
    let mut acked: HashMap<u64, Instant> = HashMap::new();
    let mut commit = Vec::new();
    for _ in 0..args.calls {
        let t = Instant::now();
        let Ok(ReplyBody::Called { ticket, .. }) = clerk
            .request(Command::CallNext { counter: 2 })
            .await
            .unwrap()
        else {
            panic!()
        };
        let now = Instant::now();
        commit.push(ms(now - t));
        acked.insert(ticket.0, now);
        sent.insert(ticket.0, t);
        let fin = Command::finish(2, Outcome::Completed);
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

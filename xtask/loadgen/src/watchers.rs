//! The watchers phase: thousands of citizens' ticket pages connected and idle; what they cost
//! the server in memory, and whether it still answers at once.

use crate::Args;
use crate::measure::ms;
use crate::run_id;
use crate::target::Target;
use hall_core::Priority;
use hall_core::command::Command;
use hall_wire::*;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use testkit::WsClient;

pub async fn run(bin: &Path, args: &Args) {
    let server = Target::of(bin, args);
    let mut kiosk = server.as_device("kiosk-1").await;
    let mut tokens = Vec::new();
    for i in 0..100 {
        let req =
            Command::issue_ticket("CIT-BIRTH", Priority::Normal, format!("{}-w{i}", run_id()));
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
        let (url, token, sem) = (server.url(), tokens[i % tokens.len()].clone(), sem.clone());
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

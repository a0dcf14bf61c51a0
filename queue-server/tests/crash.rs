//! SIGKILL the server during a stream of ticket issues; after a restart every acknowledged
//! ticket is there, no number repeats, and retries of unanswered requests issue no duplicates.

use hall_core::command::Command;
use hall_core::{Priority, TicketId};
use hall_wire::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use testkit::{ServerProcess, WsClient};

/// The server binary cargo builds for this package's tests (never a build from a test).
const SERVER: &str = env!("CARGO_BIN_EXE_queue-server");

const KIOSKS: usize = 8;

#[derive(Default)]
struct Ledger {
    /// key → (id, label) for every acknowledged ticket.
    acked: HashMap<String, (TicketId, String)>,
    /// Keys sent but never answered (in flight at the kill).
    unanswered: HashSet<String>,
}

async fn issue_stream(
    url: String,
    token: String,
    kiosk: usize,
    round: usize,
    ledger: Arc<Mutex<Ledger>>,
) {
    let Ok((mut c, Ok(_))) = WsClient::connect_as(&url, Some(Credentials::Device { token })).await
    else {
        return;
    };
    for n in 0.. {
        let key = format!("r{round}-k{kiosk}-{n}");
        let service = ["CIT-BIRTH", "CIT-TAX"][n % 2];
        ledger.lock().unwrap().unanswered.insert(key.clone());
        let req = Command::issue_ticket(service, Priority::Normal, key.clone());
        match c.request(req).await {
            Ok(Ok(ReplyBody::Ticket { ticket })) => {
                let mut l = ledger.lock().unwrap();
                l.unanswered.remove(&key);
                l.acked.insert(key, (ticket.id, ticket.label.clone()));
            }
            Ok(other) => panic!("issue refused: {other:?}"),
            Err(_) => return, // the server died mid-request
        }
    }
}

async fn hall(url: &str, token: &str) -> hall_core::State {
    let (mut c, hello) = WsClient::connect_as(
        url,
        Some(Credentials::Device {
            token: token.into(),
        }),
    )
    .await
    .unwrap();
    hello.unwrap();
    c.request(Request::Subscribe).await.unwrap().unwrap();
    loop {
        if let ServerFrame::Snapshot { state } = c.next_frame().await.unwrap() {
            return *state;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_tickets_survive_sigkill_and_numbers_never_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut kiosk_token = String::new();
    let mut board_token = String::new();
    for round in 0..3 {
        let server = ServerProcess::start(SERVER.as_ref(), dir.path());
        if round == 0 {
            kiosk_token = server.device_token("kiosk-1");
            board_token = server.device_token("board-1");
        }
        // Retry what was unanswered last round, with the same keys: no duplicates may appear.
        let retry: Vec<String> = ledger.lock().unwrap().unanswered.drain().collect();
        if !retry.is_empty() {
            let (mut c, _) = WsClient::connect_as(
                &server.url(),
                Some(Credentials::Device {
                    token: kiosk_token.clone(),
                }),
            )
            .await
            .unwrap();
            for key in retry {
                let service = if key.rsplit('-').next().unwrap().parse::<usize>().unwrap() % 2 == 0
                {
                    "CIT-BIRTH"
                } else {
                    "CIT-TAX"
                };
                let req = Command::issue_ticket(service, Priority::Normal, key.clone());
                let Ok(ReplyBody::Ticket { ticket }) = c.request(req).await.unwrap() else {
                    panic!("retry refused")
                };
                ledger
                    .lock()
                    .unwrap()
                    .acked
                    .insert(key, (ticket.id, ticket.label.clone()));
            }
        }
        let before = ledger.lock().unwrap().acked.len();
        let tasks: Vec<_> = (0..KIOSKS)
            .map(|k| {
                tokio::spawn(issue_stream(
                    server.url(),
                    kiosk_token.clone(),
                    k,
                    round,
                    ledger.clone(),
                ))
            })
            .collect();
        // Let a few hundred tickets through, then pull the plug mid-stream.
        testkit::wait::until(
            Duration::from_secs(30),
            "300 more tickets acknowledged",
            || async { ledger.lock().unwrap().acked.len() >= before + 300 },
        )
        .await;
        server.kill();
        for t in tasks {
            t.await.unwrap();
        }
    }
    let server = ServerProcess::start(SERVER.as_ref(), dir.path());
    let state = hall(&server.url(), &board_token).await;
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(
        ledger.acked.len() >= 900,
        "only {} tickets were acknowledged",
        ledger.acked.len()
    );
    let mut missing = Vec::new();
    for (key, (id, label)) in &ledger.acked {
        match state.tickets.get(id) {
            Some(t) if &t.label == label => {}
            other => missing.push(format!("{key}: {label} → {:?}", other.map(|t| &t.label))),
        }
    }
    assert!(
        missing.is_empty(),
        "acknowledged but lost after SIGKILL: {missing:?}"
    );
    let mut labels = BTreeMap::new();
    for t in state.tickets.values() {
        assert!(
            labels.insert(t.label.clone(), t.id).is_none(),
            "label {} issued twice",
            t.label
        );
    }
    // Numbering continues after the highest number ever handed out.
    let (mut c, _) = WsClient::connect_as(
        &server.url(),
        Some(Credentials::Device { token: kiosk_token }),
    )
    .await
    .unwrap();
    let req = Command::issue_ticket("CIT-BIRTH", Priority::Normal, "final");
    let Ok(ReplyBody::Ticket { ticket }) = c.request(req).await.unwrap() else {
        panic!()
    };
    assert!(
        !labels.contains_key(&ticket.label),
        "{} reused",
        ticket.label
    );
    println!(
        "acknowledged {} tickets across 3 SIGKILLs; all present, none repeated",
        ledger.acked.len()
    );
    assert!(server.terminate().success(), "clean exit on SIGTERM");
}

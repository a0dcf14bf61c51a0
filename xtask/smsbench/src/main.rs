//! `smsbench`: the outbox against the independent SMPP peer (testkit's `smpp-peer`, the npm
//! package `smpp`), the server in-process with its real store (WAL, synchronous=FULL).
//!
//! 0. `KEPT` tickets of a service the open counter does not serve, each with a number left:
//!    waiting all along, every batch's near-turn check looks at their numbers too.
//! 1. Latency: `CALLS` tickets with a number each, called one after another by a clerk; for
//!    each, the time from the call's acknowledgement (committed) to the peer receiving the
//!    `submit_sm` (both clocks are this machine's). p50, p99, max.
//! 2. Throughput: `BULK` due messages written into the outbox at once (as the writer writes
//!    them), then the time until the peer has them all: messages per second, sustained.
//!
//! 3. The near-turn check: after each batch (and each new forecast) the writer looks at every
//!    kept number of a waiting ticket. Its cost per batch with 1,000 and 10,000 kept numbers
//!    (the engine's hall, the model's figures with two counters open, no message due: the
//!    whole scan), against building each ticket's page view, as the check did before.
//!
//! Prints the figures; docs/performance.md keeps them with the command.

use hall_core::Priority;
use hall_core::command::Command;
use hall_wire::*;
use queue_server::server::ServerOptions;
use std::time::{Duration, Instant};
use testkit::TestServer;
use testkit::smpp::{SmppPeer, center_with_sms};
use testkit::ws::{issue, ok};

const CALLS: usize = 200;
const BULK: usize = 5000;
const KEPT: usize = 1000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn pct(sorted: &[i64], p: f64) -> i64 {
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let peer = SmppPeer::start(&dir.path().join("peer"));
    let file = center_with_sms(
        dir.path(),
        peer.port,
        "rate_per_second = 2000\nwindow = 64\nper_phone_per_hour = 100000\npeople_ahead = 0\n",
    );
    // No daily limit: the kept numbers' service takes a thousand tickets.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("daily_limit = 3\n", "");
    let catalog = hall_wire::center_file::parse(&text).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut opts = ServerOptions::new(data.path(), catalog.clone());
    opts.sms = queue_server::sms::settings::parse(&text, Some(&catalog)).unwrap();
    let s = TestServer::start_with(data, opts).await;
    peer.wait_for(Duration::from_secs(20), "a bind", |r| {
        r.iter().any(|m| m["pdu"] == "bind_transceiver")
    });

    // 1. Latency, one call at a time.
    let mut kiosk = s.as_device("kiosk-1").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    // 0. The kept numbers (CIT-SHOP: not served at counter 1, so they wait throughout).
    for i in 0..KEPT {
        let t = issue(&mut kiosk, "CIT-SHOP", Priority::Normal, &format!("k{i}")).await;
        ok(
            &mut clerk,
            Request::LeavePhone {
                token: None,
                ticket: Some(t.id),
                phone: format!("0111{i:07}"),
                lang: "ar".into(),
            },
        )
        .await;
    }
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let mut lat = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let t = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, &format!("b{i}")).await;
        let phone = format!("0101{:07}", i);
        let dest = format!("20101{:07}", i);
        ok(
            &mut clerk,
            Request::LeavePhone {
                token: None,
                ticket: Some(t.id),
                phone,
                lang: "ar".into(),
            },
        )
        .await;
        ok(&mut clerk, Command::CallNext { counter: 1 }).await;
        let acked = now_ms();
        let end = Instant::now() + Duration::from_secs(10);
        let at = loop {
            let got = peer
                .of("submit_sm")
                .into_iter()
                .filter(|m| m["destination_addr"] == dest.as_str())
                .filter(|m| m["text"].as_str().is_some_and(|x| x.contains("حان دورك")))
                .map(|m| m["at_ms"].as_i64().unwrap())
                .next();
            if let Some(at) = got {
                break at;
            }
            assert!(Instant::now() < end, "call {i}: no submit_sm in 10 s");
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        lat.push(at - acked);
        ok(
            &mut clerk,
            Command::finish(1, hall_core::Outcome::Completed),
        )
        .await;
    }
    lat.sort_unstable();
    println!(
        "event → submit_sm at the peer ({CALLS} calls, one at a time, {KEPT} more numbers kept): p50 {} ms, p99 {} ms, max {} ms",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1]
    );

    // 2. Throughput: a backlog written at once, drained.
    let before = peer.of("submit_sm").len();
    let conn = rusqlite::Connection::open(s.data_dir().join("queue.sqlite")).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let created = now_ms();
    let mut w = queue_server::sms::outbox::Writes::default();
    for i in 0..BULK {
        w.messages.push(queue_server::sms::outbox::NewMessage {
            kind: queue_server::sms::outbox::Kind::Called,
            ticket: None,
            cause_seq: None,
            phone: queue_server::sms::Phone::parse(&format!("0112{:07}", i)).unwrap(),
            text: "مركز الاختبار: حان دورك. تذكرتك A-001، برجاء التوجه الآن إلى شباك ١.".into(),
            created_ms: created,
            stale_ms: created + 600_000,
            due_ms: created,
        });
    }
    let mut conn = conn;
    let tx = conn.transaction().unwrap();
    queue_server::sms::outbox::write(&tx, &w).unwrap();
    tx.commit().unwrap();
    let start = Instant::now();
    let end = start + Duration::from_secs(300);
    loop {
        let n = peer.of("submit_sm").len() - before;
        if n >= BULK {
            break;
        }
        assert!(Instant::now() < end, "only {n} of {BULK} in 300 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let secs = start.elapsed().as_secs_f64();
    let submitted: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sms_outbox WHERE state = 'submitted'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    println!(
        "outbox throughput: {BULK} messages in {secs:.2} s = {:.0} messages/s (window 64, {KEPT} numbers kept; {submitted} rows submitted in all)",
        BULK as f64 / secs
    );
    s.stop().await;

    // 3. The near-turn scan.
    for n in [1_000, 10_000] {
        let (now_ms, before_ms) = scan_cost(n);
        println!(
            "near-turn scan, {n} kept numbers: {now_ms:.3} ms a batch (each ticket's page view built: {before_ms:.3} ms)"
        );
    }
}

/// The near-turn check over `n` kept numbers: ms a batch now, and ms to build every kept
/// ticket's page view (what the check did before).
fn scan_cost(n: usize) -> (f64, f64) {
    use queue_server::sms::outbox::{self, Kept};
    use testkit::hall::{Hall, ali, mona};
    let mut catalog = testkit::center::always_open();
    for s in &mut catalog.services {
        s.daily_limit = None;
    }
    let mut h = Hall::given(catalog.clone());
    h.when(&mona(), Command::OpenCounter { counter: 1 })
        .events();
    h.when(&ali(), Command::OpenCounter { counter: 2 }).events();
    let services = ["CIT-BIRTH", "CIT-TAX", "CIT-SHOP"];
    let ids: Vec<hall_core::TicketId> = (0..n).map(|i| h.issue(services[i % 3])).collect();
    let forecast = hall_forecast::forecast(&h.state, &hall_forecast::Learned::default(), h.now);
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    queue_server::store::migrate(&mut conn).unwrap();
    let far = h.now.timestamp_millis() + 86_400_000;
    for (i, id) in ids.iter().enumerate() {
        let kept = Kept {
            phone: queue_server::sms::Phone::parse(&format!("0112{i:07}")).unwrap(),
            lang: "ar".into(),
            near_sent: false,
        };
        outbox::keep(&conn, id.0, &kept, far).unwrap();
    }
    // Nobody ahead is the threshold: every number is looked at, none is due a message.
    let text = "[sms]\ntransport = \"smpp\"\nhost = \"127.0.0.1\"\nsystem_id = \"t\"\npassword = \"p\"\npeople_ahead = 0\n";
    let settings = queue_server::sms::settings::parse(text, Some(&catalog))
        .unwrap()
        .unwrap();
    let notifier = queue_server::sms::Notifier::load(
        std::sync::Arc::new(settings),
        &conn,
        h.now,
        std::sync::Arc::new(tokio::sync::Notify::new()),
    )
    .unwrap();
    const ROUNDS: u32 = 20;
    let start = Instant::now();
    let mut due = 0;
    for _ in 0..ROUNDS {
        due += notifier
            .on_new_figures(&h.state, h.now, &forecast)
            .messages
            .len();
    }
    let now_ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(ROUNDS);
    // The front ticket of each service may be due (nobody ahead of it); never more.
    assert!(due <= 3 * ROUNDS as usize, "{due}");
    let start = Instant::now();
    for _ in 0..ROUNDS {
        for id in &ids {
            std::hint::black_box(hall_forecast::estimates::ticket_view(
                &h.state, *id, h.now, &forecast,
            ));
        }
    }
    let before_ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(ROUNDS);
    (now_ms, before_ms)
}

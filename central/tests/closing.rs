//! A center's closing hash reaches the central store and is checked there, with every part
//! real: PostgreSQL, a NATS hub, the center's leaf, the center (in this process, on a clock the
//! test moves) with its uplink, and `tabour-central`. A day worked yesterday closes; the next
//! start's heartbeat carries its hash; the store recomputes it from the events and links it
//! holds and finds it equal. Then the center's file is rewritten offline — one event's actor
//! changed and every link after it recomputed, the rewrite its own chain cannot catch — and
//! the next start sends another hash for the same day: the store says it does not match, and
//! the console raises the alert.

use central::closing::Verdict;
use chrono::{DateTime, Duration, TimeZone, Utc};
use hall_core::command::Command;
use hall_core::{Outcome, Priority};
use hall_wire::ReplyBody;
use queue_server::chain::{self, Chain};
use queue_server::server::ServerOptions;
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use testkit::TestServer;
use testkit::nats::NatsServer;
use testkit::postgres::Postgres;
use testkit::process::Reaped;
use testkit::proxy::Proxy;
use testkit::ws::ok;

const CENTRAL: &str = env!("CARGO_BIN_EXE_tabour-central");
const CODE: &str = "cai-nasr";

fn options(
    dir: &std::path::Path,
    leaf: &NatsServer,
    now: &Arc<Mutex<DateTime<Utc>>>,
) -> ServerOptions {
    let mut opts = ServerOptions::new(dir, testkit::center::always_open());
    let clock = now.clone();
    opts.clock = Arc::new(move || *clock.lock().unwrap());
    opts.network = Some(hall_wire::center_file::Network {
        center: CODE.into(),
        governorate: "cai".into(),
        leaf_url: leaf.url(),
        user: None,
        password: None,
    });
    opts
}

async fn events_held(db: &tokio_postgres::Client) -> i64 {
    db.query_one("SELECT count(*) FROM events WHERE center = $1", &[&CODE])
        .await
        .unwrap()
        .get(0)
}

/// Waits (30 s at most) until the store's verdict on `day` is `want`.
async fn verdict(db: &tokio_postgres::Client, day: chrono::NaiveDate, want: Verdict) {
    let what = format!("the closing of {day}");
    testkit::wait::equals(
        std::time::Duration::from_secs(30),
        &what,
        Some(want),
        || async {
            let closings = central::closing::of_site(db, CODE, 7).await.unwrap();
            closings.iter().find(|c| c.day == day).map(|c| c.verdict)
        },
    )
    .await;
}

/// Rewrites the file as someone with the database in hand would: the actor of event `seq`
/// changed, and every link from there on (and both recorded points) recomputed.
fn rewrite(db: &std::path::Path, seq: i64, actor: &str) {
    let conn = queue_server::store::connect(db).unwrap();
    conn.execute(
        "UPDATE events SET actor = ?2 WHERE seq = ?1",
        rusqlite::params![seq, actor],
    )
    .unwrap();
    let mut rows: Vec<(i64, i64, String, String, i64, String)> = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT seq, at_ms, actor, kind, version, data FROM events ORDER BY seq")
            .unwrap();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            rows.push((
                r.get(0).unwrap(),
                r.get(1).unwrap(),
                r.get(2).unwrap(),
                r.get(3).unwrap(),
                r.get(4).unwrap(),
                r.get(5).unwrap(),
            ));
        }
    }
    let mut prev = chain::GENESIS;
    for (id, at_ms, actor, kind, version, data) in &rows {
        let row = chain::Row {
            id: *id,
            at_ms: *at_ms,
            actor,
            kind,
            version: *version,
            data,
        };
        prev = chain::link(Chain::Events, &prev, &row);
        conn.execute(
            "UPDATE events SET hash = ?2 WHERE seq = ?1",
            rusqlite::params![id, &prev[..]],
        )
        .unwrap();
    }
    let last = rows.last().unwrap().0;
    conn.execute(
        "UPDATE chain_heads SET head_id = ?1, head_link = ?2, verified_id = ?1, verified_link = ?2 WHERE chain = 'events'",
        rusqlite::params![last, &prev[..]],
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_day_rewritten_after_it_closed_no_longer_matches_at_the_central_store() {
    let root = tempfile::tempdir().unwrap();
    let pg = Postgres::start();
    let link_port = testkit::ports::free_port();
    let hub = NatsServer::hub(&root.path().join("hub"), &format!("127.0.0.1:{link_port}"));
    let _link = Proxy::start_on(link_port, hub.leaf_addr()).await;
    let leaf = NatsServer::leaf(
        &root.path().join("leaf"),
        &hall_wire::network::leaf_domain(CODE),
        &format!("127.0.0.1:{link_port}"),
    );
    let register = root.path().join("sites.toml");
    std::fs::write(
        &register,
        format!(
            "[[governorate]]\ncode = \"cai\"\nname = {{ ar = \"القاهرة\", en = \"Cairo\" }}\n\
             [[site]]\ncode = \"{CODE}\"\ngovernorate = \"cai\"\nkind = \"center\"\nleaf = true\n\
             name = {{ ar = \"مدينة نصر\", en = \"Nasr City\" }}\n"
        ),
    )
    .unwrap();
    let _central = Reaped(
        Process::new(CENTRAL)
            .args(["--nats", &hub.url(), "--postgres", &pg.url(), "--sites"])
            .arg(&register)
            .args(["--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start tabour-central"),
    );
    let db = central::db::connect(&pg.url()).await.unwrap();

    // Yesterday, 10:00 in Cairo: a morning's work.
    let tz = chrono_tz::Africa::Cairo;
    let yesterday = Utc::now().with_timezone(&tz).date_naive() - Duration::days(1);
    let morning = tz
        .from_local_datetime(&yesterday.and_hms_opt(10, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let now = Arc::new(Mutex::new(morning));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let server = TestServer::start_with(dir, options(&data, &leaf, &now)).await;
    let tick = |minutes: i64| *now.lock().unwrap() += Duration::minutes(minutes);
    let mut kiosk = server.as_device("kiosk-1").await;
    let (mut clerk, _) = server.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    for i in 0..4 {
        tick(3);
        let r = Command::issue_ticket("CIT-BIRTH", Priority::Normal, format!("y-{i}"));
        assert!(matches!(ok(&mut kiosk, r).await, ReplyBody::Ticket { .. }));
    }
    for _ in 0..2 {
        tick(2);
        ok(&mut clerk, Command::CallNext { counter: 1 }).await;
        ok(&mut clerk, Command::StartServing { counter: 1 }).await;
        tick(7);
        let finish = Command::finish(1, Outcome::Completed);
        ok(&mut clerk, finish).await;
    }
    let db_path = data.join("queue.sqlite");
    let log = {
        let conn = queue_server::store::connect(&db_path).unwrap();
        queue_server::uplink::events_after(&conn, 0, usize::MAX / 2).unwrap()
    };
    let within = std::time::Duration::from_secs(30);
    testkit::wait::until(within, "the day's events in the store", || async {
        events_held(&db).await >= log.len() as i64
    })
    .await;
    drop((kiosk, clerk));
    let dir = server.stop().await;

    // Today: the center starts again and its first heartbeat carries yesterday's closing.
    *now.lock().unwrap() = Utc::now();
    let own = queue_server::reports::closing_hash(&db_path, tz, yesterday).unwrap();
    assert_eq!(
        own.last_seq as usize,
        log.len(),
        "yesterday closes on its last event"
    );
    let server = TestServer::start_with(dir, options(&data, &leaf, &now)).await;
    verdict(&db, yesterday, Verdict::Match).await;
    let held = central::closing::of_site(&db, CODE, 7).await.unwrap();
    let c = held.iter().find(|c| c.day == yesterday).unwrap();
    assert_eq!(
        c.hash,
        own.hex(),
        "the hash the center prints is the one received"
    );
    assert_eq!(c.central_hash.as_deref(), Some(own.hex().as_str()));
    let live = central::live::sites(&db, None, None, Utc::now())
        .await
        .unwrap();
    let alerts = central::live::alerts(&live, Utc::now(), 45);
    assert!(
        !alerts
            .iter()
            .any(|a| matches!(a, central::live::Alert::ClosingMismatch { .. })),
        "no alert while the day matches: {alerts:?}"
    );
    let dir = server.stop().await;

    // Offline, the first finished service is given to another clerk, and the chain redone.
    let finished = log
        .iter()
        .find(|e| matches!(e.event, hall_core::Event::TicketFinished { .. }))
        .unwrap();
    rewrite(&db_path, finished.seq as i64, "clerk:clerk2");
    let forged = queue_server::reports::closing_hash(&db_path, tz, yesterday).unwrap();
    assert_ne!(forged.hash, own.hash, "the rewrite changes the day's hash");
    let server = TestServer::start_with(dir, options(&data, &leaf, &now)).await;
    verdict(&db, yesterday, Verdict::Mismatch).await;
    let live = central::live::sites(&db, None, None, Utc::now())
        .await
        .unwrap();
    assert_eq!(live[0].closing_mismatch, Some(yesterday));
    let alerts = central::live::alerts(&live, Utc::now(), 45);
    assert!(
        alerts.contains(&central::live::Alert::ClosingMismatch {
            site: CODE.into(),
            day: yesterday,
        }),
        "the console's alerts: {alerts:?}"
    );
    // The store kept what it received: the forged day is not taken in.
    let held = central::closing::of_site(&db, CODE, 7).await.unwrap();
    let c = held.iter().find(|c| c.day == yesterday).unwrap();
    assert_eq!(c.hash, forged.hex());
    assert_eq!(c.central_hash.as_deref(), Some(own.hex().as_str()));
    server.stop().await;
}

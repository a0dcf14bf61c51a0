//! The network end to end, with every part real: PostgreSQL, a NATS hub, a leaf node per site,
//! two centers and a van (each `queue-server` in its own process, with its uplink) and the
//! central service. Tickets are issued, called and finished at each; the van's link is cut
//! while it keeps working; one center and the central service are SIGKILLed mid-stream;
//! everything comes back. Then PostgreSQL holds exactly the union of the centers' logs
//! (redacted), the hub holds exactly as many messages, and the central report of each center
//! equals the center's own report for the day.

use central::report::{self, Scope};
use hall_core::command::Command;
use hall_core::{Envelope, Event, Outcome, Priority};
use hall_wire::network::{leaf_domain, subject};
use hall_wire::{ReplyBody, Request};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};
use testkit::nats::NatsServer;
use testkit::postgres::Postgres;
use testkit::process::{Launch, Reaped, ServerProcess};
use testkit::proxy::Proxy;
use testkit::ws::ok;

const CENTRAL: &str = env!("CARGO_BIN_EXE_tabour-central");
const CENTER_TEST: &str = "center_process";

#[test]
#[ignore = "a center's own process: started by the network test, never on its own"]
fn center_process() {
    let args = testkit::process::harness_args().expect("started by the network test");
    let _ = queue_server::cli::main(args);
}

struct Site {
    code: &'static str,
    governorate: &'static str,
    dir: PathBuf,
    launch: Launch,
    server: Option<ServerProcess>,
    _leaf: NatsServer,
}

impl Site {
    fn new(root: &Path, code: &'static str, governorate: &'static str, remote: &str) -> Site {
        let dir = root.join(code);
        let leaf = NatsServer::leaf(&dir.join("leaf"), &leaf_domain(code), remote);
        let config = dir.join("center.toml");
        let center = std::fs::read_to_string(testkit::center::always_open_path()).unwrap();
        std::fs::write(
            &config,
            format!(
                "{center}\n[network]\ncenter = \"{code}\"\ngovernorate = \"{governorate}\"\nleaf_url = \"{}\"\n",
                leaf.url()
            ),
        )
        .unwrap();
        let launch = Launch {
            config,
            harness: Some(CENTER_TEST.into()),
            ..Launch::new(std::env::current_exe().unwrap())
        };
        let mut s = Site {
            code,
            governorate,
            dir,
            launch,
            server: None,
            _leaf: leaf,
        };
        s.start();
        s
    }

    fn start(&mut self) {
        self.server = Some(self.launch.start(&self.dir.join("data")));
    }

    fn server(&self) -> &ServerProcess {
        self.server.as_ref().expect("running")
    }

    /// The center's whole log, as its own store holds it.
    fn log(&self) -> Vec<Envelope> {
        let conn = queue_server::store::connect(&self.dir.join("data/queue.sqlite")).unwrap();
        queue_server::uplink::events_after(&conn, 0, usize::MAX / 2).unwrap()
    }
}

/// A kiosk issues `n` tickets and a clerk at counter 1 serves most of them: calls, starts,
/// finishes; every fourth is a no-show.
async fn traffic(site: &Site, n: usize, round: &str) {
    let s = site.server();
    let mut kiosk = s.as_device("kiosk-1").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    // Open (refused harmlessly when it is open already from an earlier round).
    let _ = clerk.request(Command::OpenCounter { counter: 1 }).await;
    for i in 0..n {
        let service = ["CIT-BIRTH", "CIT-TAX"][i % 2];
        let key = format!("{}-{round}-{i}", site.code);
        let r = Command::issue_ticket(service, Priority::Normal, key);
        assert!(matches!(ok(&mut kiosk, r).await, ReplyBody::Ticket { .. }));
    }
    for i in 0..n.saturating_sub(2) {
        ok(&mut clerk, Command::CallNext { counter: 1 }).await;
        if i % 4 == 3 {
            ok(&mut clerk, Command::NoShow { counter: 1 }).await;
            continue;
        }
        ok(&mut clerk, Command::StartServing { counter: 1 }).await;
        ok(&mut clerk, Command::finish(1, Outcome::Completed)).await;
    }
}

/// Tickets issued as fast as the kiosk can, until the process dies under it.
async fn issue_until_killed(url: String, token: String, code: &'static str) {
    let Ok((mut kiosk, Ok(_))) =
        testkit::WsClient::connect_as(&url, Some(hall_wire::Credentials::Device { token })).await
    else {
        return;
    };
    for i in 0.. {
        let r = Command::issue_ticket("CIT-BIRTH", Priority::Elderly, format!("{code}-kill-{i}"));
        if kiosk.request(Request::Command(r)).await.is_err() {
            return;
        }
    }
}

fn start_central(hub: &NatsServer, pg: &Postgres, sites: &Path) -> Reaped {
    let child = Process::new(CENTRAL)
        .args(["--nats", &hub.url(), "--postgres", &pg.url(), "--sites"])
        .arg(sites)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start tabour-central");
    Reaped(child)
}

async fn stored(db: &tokio_postgres::Client, code: &str) -> (i64, i64) {
    let r = db
        .query_one(
            "SELECT count(*), coalesce(max(seq), 0) FROM events WHERE center = $1",
            &[&code],
        )
        .await
        .unwrap();
    (r.get(0), r.get(1))
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-6,
        (None, None) => true,
        _ => false,
    }
}

fn same_rows(
    what: &str,
    center: &[hall_core::kpi::ReportRow],
    central: &[hall_core::kpi::ReportRow],
) {
    let by_key =
        |rows: &[hall_core::kpi::ReportRow]| -> BTreeMap<String, hall_core::kpi::ReportRow> {
            rows.iter().map(|r| (r.key.clone(), r.clone())).collect()
        };
    let (a, b) = (by_key(center), by_key(central));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: keys"
    );
    for (k, x) in &a {
        let y = &b[k];
        assert_eq!(
            (x.tickets, x.served, x.no_shows, x.cancelled),
            (y.tickets, y.served, y.no_shows, y.cancelled),
            "{what} {k}: counts"
        );
        for (name, p, q) in [
            ("wait mean", x.wait_mean_secs, y.wait_mean_secs),
            ("wait p90", x.wait_p90_secs, y.wait_p90_secs),
            ("service mean", x.service_mean_secs, y.service_mean_secs),
            ("service p90", x.service_p90_secs, y.service_p90_secs),
        ] {
            assert!(
                close(p, q),
                "{what} {k} {name}: center {p:?}, central {q:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_event_of_every_site_reaches_postgres_once_through_cuts_and_kills() {
    let started = Instant::now();
    let root = tempfile::tempdir().unwrap();
    let pg = Postgres::start();
    // The van's link goes through a proxy, and the hub advertises the proxy: a leaf that
    // reconnects must come back through it (docs/platform.md).
    let van_port = testkit::ports::free_port();
    let hub = NatsServer::hub(&root.path().join("hub"), &format!("127.0.0.1:{van_port}"));
    let van_link = Proxy::start_on(van_port, hub.leaf_addr()).await;
    let mut sites = vec![
        Site::new(root.path(), "cai-nasr", "cai", &hub.leaf_addr()),
        Site::new(root.path(), "alx-raml", "alx", &hub.leaf_addr()),
        Site::new(root.path(), "van-cai-1", "cai", &van_link.addr()),
    ];
    let register = root.path().join("sites.toml");
    let mut text = String::from(
        "[[governorate]]\ncode = \"cai\"\nname = { ar = \"القاهرة\", en = \"Cairo\" }\n\
         [[governorate]]\ncode = \"alx\"\nname = { ar = \"الإسكندرية\", en = \"Alexandria\" }\n",
    );
    for s in &sites {
        let kind = if s.code.starts_with("van") {
            "van"
        } else {
            "center"
        };
        text += &format!(
            "[[site]]\ncode = \"{}\"\ngovernorate = \"{}\"\nkind = \"{kind}\"\nleaf = true\nname = {{ ar = \"موقع\", en = \"{}\" }}\n",
            s.code, s.governorate, s.code
        );
    }
    std::fs::write(&register, text).unwrap();
    let mut central = start_central(&hub, &pg, &register);
    let db = central::db::connect(&pg.url()).await.unwrap();

    // Round 1: everyone works, everything flows.
    eprintln!(
        "network test: round 1 at {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for s in &sites {
        traffic(s, 12, "r1").await;
    }

    // The van drives out of coverage and keeps working.
    eprintln!(
        "network test: van cut at {:.1} s",
        started.elapsed().as_secs_f64()
    );
    van_link.cut();
    traffic(&sites[2], 10, "r2").await;
    let van_log = sites[2].log().len() as i64;

    // A center dies under a stream of tickets, and comes back.
    eprintln!(
        "network test: center kill at {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let a = sites[0].server();
    let stream = tokio::spawn(issue_until_killed(
        a.url(),
        a.device_token("kiosk-1"),
        "cai-nasr",
    ));
    tokio::time::sleep(Duration::from_millis(400)).await;
    sites[0].server.take().unwrap().kill();
    let _ = stream.await;
    sites[0].start();
    traffic(&sites[0], 6, "r3").await;

    // The central service dies while the centers keep sending, and comes back.
    eprintln!(
        "network test: central kill at {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let busy = tokio::spawn({
        let s = sites[1].server();
        issue_until_killed(s.url(), s.device_token("kiosk-1"), "alx-raml")
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(central); // SIGKILL
    tokio::time::sleep(Duration::from_millis(300)).await;
    let alx = sites[1].server.take().unwrap();
    alx.terminate();
    let _ = busy.await;
    sites[1].start();
    traffic(&sites[1], 6, "r3").await;
    central = start_central(&hub, &pg, &register);

    // While the link is cut, the van's events stay at home.
    eprintln!(
        "network test: van restore at {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (van_stored, _) = stored(&db, "van-cai-1").await;
    assert!(
        van_stored < van_log,
        "the cut link let the van's events through"
    );
    van_link.restore();

    // Everything arrives.
    eprintln!(
        "network test: convergence at {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let logs: Vec<Vec<Envelope>> = sites.iter().map(Site::log).collect();
    let want: Vec<(i64, i64)> = logs
        .iter()
        .map(|l| (l.len() as i64, l.len() as i64))
        .collect();
    let within = Duration::from_secs(60);
    testkit::wait::equals(
        within,
        "every site's events in PostgreSQL",
        want,
        || async {
            let mut got = Vec::new();
            for s in &sites {
                got.push(stored(&db, s.code).await);
            }
            got
        },
    )
    .await;

    // Exactly the union of the logs: each center's events 1..=n, once, redacted.
    let mut total = 0u64;
    for (s, log) in sites.iter().zip(&logs) {
        let rows = db
            .query(
                "SELECT seq, kind, data FROM events WHERE center = $1 ORDER BY seq",
                &[&s.code],
            )
            .await
            .unwrap();
        assert_eq!(rows.len(), log.len(), "{}: rows", s.code);
        for (row, env) in rows.iter().zip(log) {
            assert_eq!(row.get::<_, i64>(0) as u64, env.seq, "{}: seq", s.code);
            assert_eq!(row.get::<_, &str>(1), env.event.kind(), "{}: kind", s.code);
            let data: serde_json::Value = row.get(2);
            let redacted = serde_json::to_value(env.event.redacted()).unwrap();
            assert_eq!(data, redacted, "{} event {}", s.code, env.seq);
            if let Event::TicketIssued { ticket } = &env.event {
                assert!(!ticket.token.is_empty(), "the center keeps the page token");
                assert!(
                    !data.to_string().contains(&ticket.token),
                    "a page token left the center"
                );
            }
        }
        total += log.len() as u64;
        let gaps: i64 = db
            .query_one("SELECT gaps FROM sites WHERE code = $1", &[&s.code])
            .await
            .unwrap()
            .get(0);
        assert_eq!(gaps, 0, "{}: gaps seen by ingest", s.code);
    }

    // The hub holds exactly one message per event of every site.
    let nats = async_nats::connect(hub.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    let info = js
        .get_stream(central::hub::STREAM)
        .await
        .unwrap()
        .get_info()
        .await
        .unwrap();
    assert_eq!(info.state.messages, total, "messages in the hub stream");
    for s in &sites {
        let leaf_subject = subject(s.governorate, s.code);
        assert!(leaf_subject.starts_with("tabour.ev."));
    }

    // The central figures of each center are the center's own report for the day.
    for (s, log) in sites.iter().zip(&logs) {
        let catalog = testkit::center::always_open();
        let tz = hall_core::clock::zone(&catalog);
        let today = log.last().unwrap().at.with_timezone(&tz).date_naive();
        let reader = queue_server::reports::Reader::open(&s.dir.join("data/queue.sqlite")).unwrap();
        let own = reader
            .report(tz, today, today, log.last().unwrap().at)
            .unwrap();
        let (national, revenue) = report::report(&db, &Scope::Center(s.code.into()), today, today)
            .await
            .unwrap();
        same_rows(
            &format!("{} total", s.code),
            std::slice::from_ref(&own.total),
            std::slice::from_ref(&national.total),
        );
        same_rows(
            &format!("{} by service", s.code),
            &own.by_service,
            &national.by_service,
        );
        same_rows(
            &format!("{} by clerk", s.code),
            &own.by_clerk,
            &national.by_clerk,
        );
        same_rows(
            &format!("{} by counter", s.code),
            &own.by_counter,
            &national.by_counter,
        );
        same_rows(
            &format!("{} by hour", s.code),
            &own.by_hour,
            &national.by_hour,
        );
        let fee = |code: &str| {
            catalog
                .services
                .iter()
                .find(|x| x.code == code)
                .unwrap()
                .fee_piasters as i64
        };
        let expected: i64 = own
            .by_service
            .iter()
            .map(|r| r.served as i64 * fee(&r.key))
            .sum();
        assert!(own.total.served > 0, "{}: something was served", s.code);
        assert_eq!(
            revenue, expected,
            "{}: revenue = fees of services served",
            s.code
        );
    }
    drop(central);
    eprintln!(
        "network test: {} events in {:.1} s",
        total,
        started.elapsed().as_secs_f64()
    );
}

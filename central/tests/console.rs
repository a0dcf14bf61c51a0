//! The national console in real headless Chromium, on a country with every part real:
//! PostgreSQL, a NATS hub, `tabour-central`, one real center (`cai-01`, in this process, with
//! its leaf and uplink) and the other 341 sites of the sample register played by the
//! simulator's real engine through the hub, one van of them out of coverage. What a leader
//! would notice is asserted: the country's waiting count is the sum of the sites'; the
//! drill-down national → Cairo → cai-01 shows the waiting count the center itself holds, in
//! Arabic-Indic digits in Arabic; the van that stopped beating says it is offline and how many
//! were waiting when it was last seen; the rankings name the busiest site; a report is shown and
//! downloaded as CSV and XLSX; a governorate viewer sees only their governorate and is refused
//! another. `TABOUR_SCREENSHOTS=DIR` (`cargo xtask screenshots`) also writes every view, Arabic
//! and English, as PNG.

use central::sim::{self, SimSite};
use chrono::{Duration, Utc};
use hall_core::command::Command;
use hall_core::{Outcome, Priority, TicketState};
use hall_wire::{ReplyBody, Request, ServerFrame};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use testkit::TestServer;
use testkit::browser::Browser;
use testkit::nats::NatsServer;
use testkit::postgres::Postgres;
use testkit::process::Reaped;
use testkit::proxy::Proxy;
use testkit::ws::ok;

const CENTRAL: &str = env!("CARGO_BIN_EXE_tabour-central");
const CENTER: &str = "cai-01";
/// The simulated van that drives out of coverage.
const VAN: &str = "van-giz-1";

/// The country, running.
struct Country {
    _root: tempfile::TempDir,
    _pg: Postgres,
    _hub: NatsServer,
    _link: Proxy,
    _leaf: NatsServer,
    center: TestServer,
    _central: Reaped,
    _beats: tokio::task::JoinHandle<()>,
    console: String,
    db: tokio_postgres::Client,
    register: central::sites::Register,
    /// People waiting at the van when it was last heard.
    van_waiting: usize,
}

fn count_waiting(state: &hall_core::State) -> usize {
    state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting)
        .count()
}

async fn country() -> Country {
    let root = tempfile::tempdir().unwrap();
    let pg = Postgres::start();
    let link_port = testkit::ports::free_port();
    let hub = NatsServer::hub(&root.path().join("hub"), &format!("127.0.0.1:{link_port}"));
    let link = Proxy::start_on(link_port, hub.leaf_addr()).await;
    let leaf = NatsServer::leaf(
        &root.path().join("leaf"),
        &hall_wire::network::leaf_domain(CENTER),
        &link.addr(),
    );
    let register = central::country::register(&[CENTER]);
    let sites_file = root.path().join("sites.toml");
    std::fs::write(&sites_file, toml::to_string(&register).unwrap()).unwrap();
    let console_port = testkit::ports::free_port();
    let central = Reaped(
        Process::new(CENTRAL)
            .args(["--nats", &hub.url(), "--postgres", &pg.url(), "--sites"])
            .arg(&sites_file)
            .args(["--listen", &format!("127.0.0.1:{console_port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start tabour-central"),
    );
    let db = central::db::connect(&pg.url()).await.unwrap();
    central::db::migrate(&db).await.unwrap();

    // The real center: a morning's queue, some served, one being called.
    let mut opts = queue_server::server::ServerOptions::new(
        root.path().join("center"),
        testkit::center::always_open(),
    );
    opts.network = Some(hall_wire::center_file::Network {
        center: CENTER.into(),
        governorate: "cai".into(),
        leaf_url: leaf.url(),
        user: None,
        password: None,
    });
    let center = TestServer::start_with(tempfile::tempdir().unwrap(), opts).await;
    let mut kiosk = center.as_device("kiosk-1").await;
    let (mut clerk, _) = center.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    for i in 0..11 {
        let service = ["CIT-BIRTH", "CIT-TAX", "CIT-SHOP"][i % 3];
        let r = Command::issue_ticket(service, Priority::Normal, format!("c-{i}"));
        assert!(matches!(ok(&mut kiosk, r).await, ReplyBody::Ticket { .. }));
    }
    for _ in 0..3 {
        ok(&mut clerk, Command::CallNext { counter: 1 }).await;
        ok(&mut clerk, Command::StartServing { counter: 1 }).await;
        let finish = Command::finish(1, Outcome::Completed);
        ok(&mut clerk, finish).await;
    }
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;

    // The other 341 sites: the last 40 minutes, through the hub, and a heartbeat each.
    let nats = async_nats::connect(hub.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats.clone());
    let within = std::time::Duration::from_secs(30);
    testkit::wait::until(within, "tabour-central's streams declared", || async {
        js.get_stream(central::hub::SIM_STREAM).await.is_ok()
    })
    .await;
    let now = Utc::now();
    let mut sims: Vec<SimSite> = sim::sites(&register, now - Duration::minutes(40));
    let mut sent = 0;
    for s in &mut sims {
        s.advance(now - Duration::minutes(40), now, 10);
        sent += sim::publish(&js, s).await.unwrap();
        sim::beat(&nats, s, now).await.unwrap();
    }
    let van_waiting = count_waiting(&sims.iter().find(|s| s.site.code == VAN).unwrap().state);
    // Everyone but the van keeps beating; the van is out of coverage from now on.
    sims.retain(|s| s.site.code != VAN);
    let beats = tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(4)).await;
            for s in &sims {
                let _ = sim::beat(&nats, s, Utc::now()).await;
            }
        }
    });

    // Everything is in the store before the page opens.
    let center_log = {
        let conn = queue_server::store::connect(&root.path().join("center/queue.sqlite")).unwrap();
        queue_server::uplink::events_after(&conn, 0, usize::MAX / 2).unwrap()
    };
    let want = (sent + center_log.len()) as i64;
    let within = std::time::Duration::from_secs(120);
    testkit::wait::equals(within, "events in PostgreSQL", want, || async {
        let n: i64 = db
            .query_one("SELECT count(*) FROM events", &[])
            .await
            .unwrap()
            .get(0);
        n
    })
    .await;
    Country {
        _root: root,
        _pg: pg,
        _hub: hub,
        _link: link,
        _leaf: leaf,
        center,
        _central: central,
        _beats: beats,
        console: format!("http://127.0.0.1:{console_port}/"),
        db,
        register,
        van_waiting,
    }
}

/// A number as the Arabic page writes it (Arabic-Indic digits, the Arabic thousands sign).
fn arabic(n: i64) -> String {
    let digits: Vec<char> = n.to_string().chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('٬');
        }
        out.push(char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap());
    }
    out
}

fn english(n: i64) -> String {
    let digits: Vec<char> = n.to_string().chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

async fn sign_in(b: &Browser, console: &str, user: &str, password: &str) {
    b.goto(console).await;
    b.fill("#username", user).await;
    b.fill("#password", password).await;
    b.click("#signin-submit").await;
}

async fn shot(b: &Browser, dir: Option<&Path>, name: &str) {
    if let Some(dir) = dir {
        let path = dir.join(format!("national-{name}.png"));
        b.screenshot(&path).await;
        eprintln!("screenshot {}", path.display());
    }
}

/// What a JavaScript promise on the page resolves to.
async fn eval_async(b: &Browser, body: &str) -> serde_json::Value {
    b.client
        .execute_async(
            &format!("const done = arguments[0]; (async () => {{ {body} }})().then(done, (e) => done(String(e)));"),
            vec![],
        )
        .await
        .unwrap()
}

async fn rows(b: &Browser, css: &str) -> usize {
    b.eval(&format!("document.querySelectorAll({css:?}).length"))
        .await
        .as_u64()
        .unwrap() as usize
}

/// Waits until `css` matches `n` elements; fails after `testkit::browser::WAIT`.
async fn wait_rows(b: &Browser, css: &str, n: usize) {
    testkit::wait::equals(testkit::browser::WAIT, css, n, || rows(b, css)).await;
}

/// Waits until `path` exists and is complete (Chromium writes `.crdownload` first).
async fn downloaded(path: &Path) -> Vec<u8> {
    let what = format!("{} downloaded", path.display());
    testkit::wait::some(std::time::Duration::from_secs(15), &what, || async {
        std::fs::read(path).ok().filter(|b| !b.is_empty())
    })
    .await
}

async fn walk(shots: Option<PathBuf>) {
    let c = country().await;
    let shots = shots.as_deref();
    let nation_pw = central::viewers::add(&c.db, "nation", "المتابعة القومية", None)
        .await
        .unwrap();
    let giza_pw = central::viewers::add(&c.db, "giza", "متابع الجيزة", Some("giz"))
        .await
        .unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let height = if shots.is_some() { 2200 } else { 1000 };
    let b = Browser::start_with_downloads(1440, height, Some(downloads.path())).await;

    // The nation, in Arabic: 27 governorates, the country's waiting is the sites' sum.
    sign_in(&b, &c.console, "nation", &nation_pw).await;
    b.wait_for("#governorates tbody tr[data-gov='cai']").await;
    wait_rows(&b, "#governorates tbody tr", 27).await;
    let total: i64 =
        c.db.query_one("SELECT sum(waiting)::int8 FROM sites", &[])
            .await
            .unwrap()
            .get(0);
    let first_card = ".cards .card:first-child .value";
    b.wait_text(first_card, &arabic(total)).await;
    assert!(
        b.wait_for(first_card)
            .await
            .chars()
            .all(|ch| ('٠'..='٩').contains(&ch) || ch == '٬'),
        "Arabic-Indic digits on the Arabic page"
    );
    // The busiest site heads its ranking, with what it served today.
    let top: i64 =
        c.db.query_one(
            "SELECT max(n)::int8 FROM (SELECT sum(served) AS n FROM rollup_hour
             WHERE local_day = (now() AT TIME ZONE 'Africa/Cairo')::date GROUP BY center) x",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let first = b.wait_for("#nat-busiest li:first-child").await;
    assert!(
        first.ends_with(&format!("— {}", arabic(top))),
        "the top of the busiest ranking: {first:?}, most served today {top}"
    );
    shot(&b, shots, "nation-ar").await;

    // Cairo, then the real center: its waiting count is the one the center holds.
    b.click("#governorates tr[data-gov='cai']").await;
    b.wait_for("#sites tbody tr[data-site='cai-01']").await;
    let cairo = c
        .register
        .sites
        .iter()
        .filter(|s| s.governorate == "cai")
        .count();
    wait_rows(&b, "#sites tbody tr", cairo).await;
    // A reload keeps the place in the drill-down.
    b.client.refresh().await.unwrap();
    wait_rows(&b, "#sites tbody tr", cairo).await;
    shot(&b, shots, "governorate-ar").await;
    let mut board = c.center.as_device("board-1").await;
    ok(&mut board, Request::Subscribe).await;
    let ServerFrame::Snapshot { state } = board.next_frame().await.unwrap() else {
        panic!("no snapshot from the center")
    };
    let own = count_waiting(&state) as i64;
    assert!(own > 0);
    b.click("#sites tr[data-site='cai-01']").await;
    let live = b.wait_for("#site-live tbody tr").await;
    let cells: Vec<String> = b
        .eval("[...document.querySelectorAll('#site-live tbody td')].map((td) => td.textContent)")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(cells[0], "متصل", "the center is online: {live:?}");
    assert_eq!(
        cells[1],
        arabic(own),
        "waiting at cai-01: the console against the center's own hall"
    );
    assert_eq!(cells[3], arabic(1), "one counter open");
    b.wait_for("#closings").await;
    b.wait_text(
        ".crumbs",
        &c.register
            .sites
            .iter()
            .find(|s| s.code == CENTER)
            .unwrap()
            .name
            .ar,
    )
    .await;
    shot(&b, shots, "site-ar").await;

    // The same in English.
    b.click("#lang-switch").await;
    b.wait_text("#site-live tbody tr", "Online").await;
    let cells: Vec<String> = b
        .eval("[...document.querySelectorAll('#site-live tbody td')].map((td) => td.textContent)")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(cells[1], english(own));
    shot(&b, shots, "site-en").await;
    b.click("#crumb-nation").await;
    b.wait_text(first_card, &english(total)).await;
    b.wait_text("#governorates tbody tr[data-gov='cai']", "Cairo")
        .await;
    shot(&b, shots, "nation-en").await;

    // Reports: by governorate for today, shown, then as CSV and XLSX.
    b.select("#report-by", "governorate").await;
    b.click("#report-show").await;
    b.wait_for("#report-table tbody tr").await;
    let with_tickets: i64 =
        c.db.query_one(
            "SELECT count(DISTINCT s.governorate) FROM tickets t JOIN sites s ON s.code = t.center
             WHERE t.local_day = (now() AT TIME ZONE 'Africa/Cairo')::date",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    wait_rows(&b, "#report-table tbody tr", with_tickets as usize).await;
    b.wait_text("#report-table", "Cairo").await;
    b.eval("document.getElementById('reports').scrollIntoView()")
        .await;
    shot(&b, shots, "reports-en").await;
    let day = b.eval("document.getElementById('report-from').value").await;
    let day = day.as_str().unwrap();
    let stem = format!("tabour-national-governorate-{day}_{day}");
    b.click("#report-csv").await;
    let csv =
        String::from_utf8(downloaded(&downloads.path().join(format!("{stem}.csv"))).await).unwrap();
    assert!(csv.contains("Cairo"), "{csv}");
    assert_eq!(csv.lines().count() as i64, with_tickets + 1, "{csv}");
    b.click("#report-xlsx").await;
    let xlsx = downloaded(&downloads.path().join(format!("{stem}.xlsx"))).await;
    assert!(xlsx.starts_with(b"PK"), "an XLSX file is a zip");
    b.click("#lang-switch").await;
    b.wait_text("#reports h2", "التقارير").await;
    b.select("#report-by", "governorate").await;
    b.click("#report-show").await;
    b.wait_text("#report-table", "القاهرة").await;
    b.eval("document.getElementById('reports').scrollIntoView()")
        .await;
    shot(&b, shots, "reports-ar").await;

    // A governorate viewer: Giza only, the van offline there, and no way into Cairo.
    b.click("#signout").await;
    b.wait_for("#signin").await;
    sign_in(&b, &c.console, "giza", &giza_pw).await;
    b.wait_for("#sites tbody tr").await;
    let giza = c
        .register
        .sites
        .iter()
        .filter(|s| s.governorate == "giz")
        .count();
    wait_rows(&b, "#sites tbody tr", giza).await;
    assert_eq!(rows(&b, "#governorates").await, 0);
    assert_eq!(rows(&b, "#crumb-nation").await, 0);
    assert_eq!(rows(&b, "#sites tbody tr[data-site='cai-01']").await, 0);
    let session = "const token = sessionStorage.getItem('tabour.national.session');";
    for path in [
        "/api/overview?governorate=cai",
        "/api/site/cai-01",
        "/api/report?center=cai-01&from=2026-01-01&to=2026-01-02&by=service",
    ] {
        let status = eval_async(
            &b,
            &format!(
                "{session} const r = await fetch({path:?}, {{ headers: {{ Authorization: `Bearer ${{token}}` }} }}); return r.status;"
            ),
        )
        .await;
        assert_eq!(status, 403, "{path} for the Giza viewer");
    }
    // The van stopped beating when it drove off: within 30 s it says so.
    let van_row = format!("#sites tbody tr[data-site='{VAN}']");
    let within = std::time::Duration::from_secs(60);
    let text = testkit::wait::some(within, "the van shown offline", || async {
        let text = b.wait_for(&van_row).await;
        text.contains("غير متصل منذ").then_some(text)
    })
    .await;
    let waiting_words = match c.van_waiting {
        0 => "لا أحد في الانتظار".to_string(),
        1 => "شخص واحد".to_string(),
        2 => "شخصان".to_string(),
        n => arabic(n as i64),
    };
    assert!(
        text.contains(&waiting_words),
        "the offline van says how many were waiting ({}): {text}",
        c.van_waiting
    );
    b.wait_text("#alerts li.offline", "غير متصل منذ").await;
    shot(&b, shots, "governorate-viewer-ar").await;
    b.click(&van_row).await;
    b.wait_text("#site-live", "غير متصل منذ").await;
    shot(&b, shots, "van-offline-ar").await;
    b.click("#lang-switch").await;
    b.wait_text("#site-live", "Offline since").await;
    shot(&b, shots, "van-offline-en").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_leader_follows_the_country_down_to_a_center_in_the_national_console() {
    walk(None).await;
}

/// Every view of the console, Arabic and English, into the folder TABOUR_SCREENSHOTS names.
/// Not a test: `cargo xtask screenshots OUT` runs it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "writes screenshots: cargo xtask screenshots OUT_DIR"]
async fn screenshots_of_the_national_console() {
    let out = testkit::center::screenshots_dir().expect("TABOUR_SCREENSHOTS=OUT_DIR");
    walk(Some(out)).await;
}

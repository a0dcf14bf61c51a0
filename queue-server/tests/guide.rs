//! The service guide (`/c`) over HTTP, as a phone without JavaScript reads it: every service
//! with its documents, fee, processing days and wait; search by the spellings people type;
//! the figures the kiosk shows; compressed on the wire.

use hall_core::command::Command;
use hall_core::{Priority, Timestamp};
use hall_wire::views::LiveView;
use hall_wire::{ReplyBody, Request};
use queue_server::server::ServerOptions;
use std::sync::Arc;
use testkit::TestServer;
use testkit::in_process::Answer;
use testkit::ws::{issue, ok};

fn html(a: &Answer) -> String {
    String::from_utf8(a.body.clone()).expect("UTF-8")
}

/// Text as the page writes it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn services_shown(page: &str) -> usize {
    page.matches("<details class=\"service").count()
}

#[tokio::test]
async fn the_guide_lists_every_service_of_the_sample_center_in_arabic_and_english() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = hall_wire::center_file::sample();
    let opts = ServerOptions::new(dir.path(), catalog.clone());
    let server = TestServer::start_with(dir, opts).await;

    let ar = server.get("/c", None).await;
    assert_eq!(ar.status, 200);
    let page = html(&ar);
    assert!(
        page.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{page:.300}"
    );
    assert!(page.contains("دليل الخدمات"));
    assert_eq!(services_shown(&page), catalog.services.len());
    for s in &catalog.services {
        assert!(page.contains(&escaped(&s.name.ar)), "{} missing", s.code);
        for d in &s.documents {
            assert!(
                page.contains(&escaped(&d.ar)),
                "{}: {} missing",
                s.code,
                d.ar
            );
        }
    }
    for c in &catalog.categories {
        assert!(page.contains(&format!("id=\"cat-{}\"", c.code)));
    }
    // CIT-TNT: 200 EGP, 5 working days, 6 minutes at the window; digits Arabic-Indic.
    let tnt = &page[page.find("id=\"CIT-TNT\"").unwrap()..];
    let tnt = &tnt[..tnt.find("</details>").unwrap()];
    assert!(tnt.contains("٢٠٠ جنيه"), "{tnt}");
    assert!(tnt.contains("٥ أيام عمل"), "{tnt}");
    assert!(tnt.contains("حوالي ٦ دقائق"), "{tnt}");
    assert!(tnt.contains("٠٨:٣٠–١٥:٠٠"), "{tnt}");
    assert!(ar.head.contains("content-type: text/html; charset=utf-8"));

    let en = html(&server.get("/c?lang=en", None).await);
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(en.contains("Service guide"));
    assert_eq!(services_shown(&en), catalog.services.len());
    for s in &catalog.services {
        assert!(en.contains(&escaped(&s.name.en)), "{} missing", s.code);
    }
    let tnt = &en[en.find("id=\"CIT-TNT\"").unwrap()..];
    let tnt = &tnt[..tnt.find("</details>").unwrap()];
    assert!(tnt.contains("200 EGP"), "{tnt}");
    assert!(tnt.contains("5 working days"), "{tnt}");
    assert!(!tnt.contains('٥'), "{tnt}");
}

#[tokio::test]
async fn search_finds_a_service_however_its_name_is_spelled() {
    let server = TestServer::start().await;
    // "شهاده" for "شهادة": the ta marbuta typed as ha.
    let found = html(
        &server
            .get(
                "/c?q=%D8%B4%D9%87%D8%A7%D8%AF%D9%87%20%D9%85%D9%8A%D9%84%D8%A7%D8%AF",
                None,
            )
            .await,
    );
    assert_eq!(services_shown(&found), 1, "{found}");
    assert!(found.contains("استخراج شهادة ميلاد"));
    assert!(found.contains("value=\"شهاده ميلاد\""));
    // "الضريبه" for "الضريبة", and English in any case.
    let tax = html(
        &server
            .get("/c?q=%D8%A7%D9%84%D8%B6%D8%B1%D9%8A%D8%A8%D9%87", None)
            .await,
    );
    assert_eq!(services_shown(&tax), 1);
    assert!(tax.contains("سداد الضريبة العقارية"));
    let en = html(&server.get("/c?lang=en&q=BIRTH+cert", None).await);
    assert_eq!(services_shown(&en), 1);
    assert!(en.contains("Birth certificate"));
    // Nothing found: the page says so and links to every service.
    let none = html(&server.get("/c?q=zzzz", None).await);
    assert_eq!(services_shown(&none), 0);
    assert!(
        none.contains("<p class=\"no-match\" id=\"no-match\">"),
        "{none}"
    );
    assert!(none.contains("لا توجد خدمة بهذا الاسم"));
}

#[tokio::test]
async fn one_service_has_its_own_page_and_an_unknown_one_says_so() {
    let server = TestServer::start().await;
    let one = server.get("/c/CIT-SHOP?lang=en", None).await;
    assert_eq!(one.status, 200);
    let page = html(&one);
    assert_eq!(services_shown(&page), 1);
    // No window is open: the service is marked so, not drawn as a wait.
    assert!(page.contains("<details class=\"service unserved\" id=\"CIT-SHOP\""));
    assert!(page.contains(" open>"), "the service is shown opened");
    assert!(page.contains("<title>Shop licence"));
    assert!(page.contains("<h1>Service guide</h1>"));
    let unknown = server.get("/c/NO-SUCH", None).await;
    assert_eq!(unknown.status, 404);
    assert!(html(&unknown).contains("role=\"alert\""));
}

#[tokio::test]
async fn the_guide_shows_the_kiosks_figures_and_follows_the_hall() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed instant: the guide and the kiosk's figures are compared at the same time.
    let at: Timestamp = "2026-11-22T08:00:00Z".parse().unwrap();
    let mut opts = ServerOptions::new(dir.path(), testkit::center::always_open());
    opts.clock = Arc::new(move || at);
    let server = TestServer::start_with(dir, opts).await;
    let mut kiosk = server.as_device("kiosk-1").await;
    for i in 0..3 {
        issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, &format!("k{i}")).await;
    }
    let waits = |a: &Answer| -> serde_json::Value { serde_json::from_slice(&a.body).unwrap() };
    let before = waits(&server.get("/c/waits.json", None).await);
    let birth = &before["services"]["CIT-BIRTH"];
    assert_eq!(birth["load"]["waiting"], 3);
    assert_eq!(birth["load"]["counters_serving"], 0);
    // No counter open: the guide says so rather than a wait.
    assert_eq!(birth["wait"], "لا يوجد شباك يقدم هذه الخدمة الآن");

    let (mut clerk, _) = server.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    // What a kiosk is given (`watch_estimates`), once the model has figures for the service.
    let outlook = testkit::wait::some(
        std::time::Duration::from_secs(10),
        "the model's figures",
        || async {
            match ok(
                &mut server.as_device("kiosk-1").await,
                Request::WatchEstimates,
            )
            .await
            {
                ReplyBody::View { view } => match *view {
                    LiveView::Estimates(o) => {
                        o.wait_at("CIT-BIRTH", Priority::Normal, at).map(|_| o)
                    }
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            }
        },
    )
    .await;
    let after = waits(&server.get("/c/waits.json", None).await);
    let load = &after["services"]["CIT-BIRTH"]["load"];
    assert_eq!(load["waiting"], 3);
    assert_eq!(load["counters_serving"], 1);
    let kiosk_wait = outlook.wait_at("CIT-BIRTH", Priority::Normal, at).unwrap();
    assert_eq!(load["wait"], serde_json::to_value(kiosk_wait).unwrap());
    assert_eq!(
        load["estimated_wait_secs"],
        serde_json::json!(kiosk_wait.expected_secs)
    );
    let page = html(&server.get("/c", None).await);
    let birth = &page[page.find("id=\"CIT-BIRTH\"").unwrap()..];
    assert!(birth.contains("٣ أشخاص في الانتظار"), "{birth:.600}");
}

#[tokio::test]
async fn pages_and_files_go_compressed_to_a_browser_that_takes_gzip() {
    use std::io::Read;
    let server = TestServer::start().await;
    let gz = [("accept-encoding", "gzip, deflate, br")];
    for path in [
        "/c",
        "/static/js/ticket.js",
        "/static/css/base.css",
        "/t/anything",
    ] {
        let plain = server.get(path, None).await;
        let zipped = server.get_with(path, &gz).await;
        assert_eq!(zipped.status, 200, "{path}");
        assert!(
            zipped.head.contains("content-encoding: gzip"),
            "{path}: {}",
            zipped.head
        );
        assert!(zipped.head.contains("vary: Accept-Encoding"), "{path}");
        assert!(!plain.head.contains("content-encoding"), "{path}");
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&zipped.body[..])
            .read_to_end(&mut out)
            .unwrap();
        if path != "/c" {
            assert_eq!(out, plain.body, "{path}");
        }
        assert!(
            zipped.body.len() * 2 < plain.body.len(),
            "{path}: {} of {}",
            zipped.body.len(),
            plain.body.len()
        );
    }
    // The two forms have their own tags: a cache never answers one with the other.
    let tag = |a: &Answer| {
        a.head
            .lines()
            .find_map(|l| l.strip_prefix("etag: ").map(str::to_string))
            .unwrap()
    };
    let plain = server.get("/static/js/ticket.js", None).await;
    let zipped = server.get_with("/static/js/ticket.js", &gz).await;
    assert_ne!(tag(&plain), tag(&zipped));
    let again = server
        .get_with(
            "/static/js/ticket.js",
            &[
                ("accept-encoding", "gzip"),
                ("if-none-match", &tag(&zipped)),
            ],
        )
        .await;
    assert_eq!(again.status, 304);
    // "gzip;q=0" refuses it.
    let refused = server
        .get_with("/static/js/ticket.js", &[("accept-encoding", "gzip;q=0")])
        .await;
    assert!(!refused.head.contains("content-encoding"));
}

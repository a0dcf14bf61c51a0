//! The citizen's pages on a phone, in real headless Chromium against the server on a real
//! socket: the service guide (`/c`) in Arabic and English, with and without JavaScript; what
//! each citizen page weighs on a first visit; and the ticket page's "alert me" across a link
//! that drops. With `TABOUR_SCREENSHOTS=DIR` the tests also write what they looked at.

use hall_core::Priority;
use hall_core::command::Command;
use queue_server::server::ServerOptions;
use std::time::Duration;
use testkit::TestServer;
use testkit::browser::Browser;
use testkit::proxy::Proxy;
use testkit::ws::{issue, ok};

/// A phone's viewport.
const PHONE: (u32, u32) = (390, 844);
/// The most a citizen page may weigh with everything it loads on a first visit.
const BUDGET: u64 = 100 * 1024;

async fn shot(b: &Browser, name: &str) {
    if let Some(dir) = testkit::center::screenshots_dir() {
        b.screenshot(&dir.join(format!("{name}.png"))).await;
    }
}

/// The services the page shows (not hidden by the search).
async fn visible_services(b: &Browser) -> Vec<String> {
    serde_json::from_value(
        b.eval(
            "Array.from(document.querySelectorAll('details.service')).filter((d) => !d.hidden \
             && !d.closest('[hidden]')).map((d) => d.id)",
        )
        .await,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guide_on_a_phone_finds_a_service_typed_as_people_spell_it() {
    let server = TestServer::start().await;
    let b = Browser::start(PHONE.0, PHONE.1).await;
    b.goto(&format!("{}/c", server.http())).await;
    b.wait_text("h1", "دليل الخدمات").await;
    assert_eq!(b.eval("document.documentElement.dir").await, "rtl");
    assert_eq!(
        visible_services(&b).await,
        ["CIT-BIRTH", "CIT-TAX", "CIT-SHOP"]
    );
    shot(&b, "guide-ar-mobile").await;
    // Typed with ه for ة: the list narrows as the citizen types, no round trip.
    b.fill("#q", "شهاده ميلاد").await;
    testkit::wait::until(Duration::from_secs(5), "the list filtered", || async {
        visible_services(&b).await == ["CIT-BIRTH"]
    })
    .await;
    assert_eq!(
        b.eval("document.getElementById('no-match').hidden").await,
        true
    );
    b.click("#CIT-BIRTH summary").await;
    b.wait_text("#CIT-BIRTH dl", "مدة التنفيذ").await;
    shot(&b, "guide-search-ar-mobile").await;
    // Nothing found says so.
    b.fill("#q", "جواز سفر").await;
    testkit::wait::until(Duration::from_secs(5), "nothing found", || async {
        b.eval("document.getElementById('no-match').hidden").await == false
    })
    .await;
    assert!(visible_services(&b).await.is_empty());

    // English, through the page's own link.
    b.click("header a.lang").await;
    b.wait_text("h1", "Service guide").await;
    assert_eq!(b.eval("document.documentElement.dir").await, "ltr");
    assert_eq!(b.eval("document.documentElement.lang").await, "en");
    b.fill("#q", "birth").await;
    testkit::wait::until(Duration::from_secs(5), "the list filtered", || async {
        visible_services(&b).await == ["CIT-BIRTH"]
    })
    .await;
    b.fill("#q", "").await;
    testkit::wait::until(Duration::from_secs(5), "every service again", || async {
        visible_services(&b).await.len() == 3
    })
    .await;
    shot(&b, "guide-en-mobile").await;
    b.goto(&format!("{}/c/CIT-TAX?lang=en", server.http()))
        .await;
    b.wait_text("#CIT-TAX dl", "Processing time").await;
    shot(&b, "guide-service-en-mobile").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_guide_lists_every_service_and_searches_on_the_server() {
    use fantoccini::Locator;
    let dir = tempfile::tempdir().unwrap();
    let catalog = hall_wire::center_file::sample();
    let opts = ServerOptions::new(dir.path(), catalog.clone());
    let server = TestServer::start_with(dir, opts).await;
    let b = Browser::start_without_scripts(PHONE.0, PHONE.1).await;
    b.goto(&format!("{}/c", server.http())).await;
    b.wait_text("h1", "دليل الخدمات").await;
    let names = b
        .client
        .find_all(Locator::Css("details.service summary .name"))
        .await
        .unwrap();
    assert_eq!(names.len(), catalog.services.len());
    let mut shown = Vec::new();
    for n in names {
        shown.push(n.text().await.unwrap());
    }
    for s in &catalog.services {
        assert!(shown.contains(&s.name.ar), "{} not listed", s.name.ar);
    }
    // The search form goes to the server: "صوره رسميه" finds "صورة رسمية …".
    b.fill("#q", "صوره رسميه").await;
    b.click("form.search button").await;
    b.wait_until("h1", |_| true).await;
    testkit::wait::until(Duration::from_secs(10), "the server's answer", || async {
        b.client
            .find_all(Locator::Css("details.service"))
            .await
            .map(|d| d.len() == 1)
            .unwrap_or(false)
    })
    .await;
    b.wait_text(
        "details.service summary .name",
        "صورة رسمية من مستند محفوظ بالحي",
    )
    .await;
    b.close().await;
}

/// Opens `url` in a browser that has never been to the server and returns what it weighed.
async fn first_visit(url: &str, ready: &str) -> (u64, Vec<(String, u64)>) {
    let b = Browser::start(PHONE.0, PHONE.1).await;
    b.goto(url).await;
    b.wait_for(ready).await;
    let weight = b.transferred().await;
    b.close().await;
    weight
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_citizen_page_weighs_under_100_kb_on_a_first_visit() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServerOptions::new(dir.path(), hall_wire::center_file::sample());
    // A Sunday at 10:00 in Cairo: the sample center is open.
    let at: hall_core::Timestamp = "2026-11-22T08:00:00Z".parse().unwrap();
    opts.clock = std::sync::Arc::new(move || at);
    let server = TestServer::start_with(dir, opts).await;
    let base = server.http();
    let mut kiosk = server.as_device("kiosk-1").await;
    let ticket = issue(&mut kiosk, "CIT-TNT", Priority::Normal, "weight").await;
    let pages = [
        (format!("{base}/t/{}", ticket.token), "#label"),
        (format!("{base}/c"), "details.service"),
        (format!("{base}/c?lang=en"), "details.service"),
        (format!("{base}/r/HEL-26-000001"), "#suffix"),
    ];
    let mut report = String::new();
    for (url, ready) in &pages {
        let (total, files) = first_visit(url, ready).await;
        report.push_str(&format!("{url}: {total} bytes in {} files\n", files.len()));
        for (name, size) in &files {
            assert!(!name.contains("/fonts/"), "{url} downloads a font: {name}");
            report.push_str(&format!("  {size:>7}  {name}\n"));
        }
        assert!(total <= BUDGET, "{url} weighs {total} bytes:\n{report}");
        // Loaded at all: the page and its style at least.
        assert!(files.len() >= 2 && total > 1000, "{report}");
    }
    println!("{report}");
    // The sample center's guide, open on a Sunday morning, as a phone shows it.
    if testkit::center::screenshots_dir().is_some() {
        let b = Browser::start(PHONE.0, PHONE.1).await;
        let dir = testkit::center::screenshots_dir().unwrap();
        for (lang, query) in [("ar", ""), ("en", "?lang=en")] {
            b.goto(&format!("{base}/c{query}")).await;
            b.wait_for("details.service").await;
            b.screenshot_view(&dir.join(format!("guide-sample-first-screen-{lang}-mobile.png")))
                .await;
            b.click("#CIT-TNT summary").await;
            b.wait_for("#CIT-TNT dl").await;
            shot(&b, &format!("guide-sample-{lang}-mobile")).await;
        }
        b.goto(&format!("{base}/c/BLD-REC")).await;
        b.wait_for("details.service").await;
        shot(&b, "guide-service-sample-ar-mobile").await;
        b.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ticket_page_rings_and_vibrates_when_called_even_after_its_link_dropped() {
    let server = TestServer::start().await;
    // The phone reaches the server through a link the test can cut.
    let link = Proxy::start(server.addr.to_string()).await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let mine = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "alert").await;
    let b = Browser::start(PHONE.0, PHONE.1).await;
    b.goto(&format!("http://{}/t/{}", link.addr(), mine.token))
        .await;
    b.wait_text("#label", &mine.label).await;
    b.wait_text("#alert-me", "نبّهني").await;
    shot(&b, "ticket-alert-offer-ar-mobile").await;
    // The tap the browser needs before any sound.
    b.click("#alert-me").await;
    b.wait_for("#alert-state").await;
    shot(&b, "ticket-alert-on-ar-mobile").await;
    // From now on, record what the page does (a stub of the vibration; the sound's events).
    b.eval(
        "(() => { window.__vibrations = []; navigator.vibrate = (p) => { window.__vibrations.push(p); return true; }; \
         window.__plays = 0; document.getElementById('alert-sound').addEventListener('play', () => { window.__plays += 1; }); \
         return true; })()",
    )
    .await;

    // The screen locks, the link drops; meanwhile the clerk calls the ticket.
    link.cut();
    b.wait_for("#conn-status:not([data-state='online'])").await;
    let (mut clerk, _) = server.as_staff("clerk2").await;
    ok(&mut clerk, Command::OpenCounter { counter: 2 }).await;
    ok(&mut clerk, Command::CallNext { counter: 2 }).await;
    assert_eq!(
        b.eval("window.__plays").await,
        0,
        "nothing yet: the link is down"
    );
    link.restore();

    // Back: the page learns of the call from the fresh view and alerts once.
    testkit::wait::until(Duration::from_secs(20), "the alert", || async {
        b.eval("window.__plays").await.as_u64().unwrap_or(0) >= 1
    })
    .await;
    let vibrations = b.eval("window.__vibrations").await;
    assert_eq!(vibrations.as_array().map(Vec::len), Some(1), "{vibrations}");
    let title = b.eval("document.title").await;
    let title = title.as_str().unwrap();
    assert!(
        title.contains(&mine.label) && title.contains("شباك ٢"),
        "{title}"
    );
    b.wait_text("#counter", "شباك ٢").await;
    shot(&b, "ticket-alert-called-ar-mobile").await;

    // A reconnect with nothing new does not ring again; a recall does.
    link.cut();
    link.restore();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(b.eval("window.__vibrations.length").await, 1);
    ok(&mut clerk, Command::Recall { counter: 2 }).await;
    testkit::wait::until(Duration::from_secs(20), "the second alert", || async {
        b.eval("window.__vibrations.length").await.as_u64() == Some(2)
    })
    .await;
    b.set_lang("en").await;
    b.wait_text("#counter", "Window 2").await;
    let title = b.eval("document.title").await;
    assert!(title.as_str().unwrap().contains("Your turn"), "{title}");
    shot(&b, "ticket-alert-called-en-mobile").await;
    b.close().await;
}

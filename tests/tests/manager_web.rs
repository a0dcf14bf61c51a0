//! The manager's console in real headless Chromium against the server on a real socket: a profile
//! changed in the page decides the next call at that counter; approving a pairing in the page
//! hands a token to a device on its websocket; a report downloaded from the page holds the
//! right figures; a kiosk's printer fault shows on the live dashboard and clears when it is
//! fixed. `TABOUR_SCREENSHOTS=DIR` also writes every tab in Arabic and English
//! (`cargo xtask screenshots`).

use hall_core::command::Command;
use hall_core::role::Role;
use hall_core::{Outcome, Priority};
use hall_wire::manager::DeviceKind;
use hall_wire::*;
use std::time::Duration;
use testkit::TestServer;
use testkit::browser::Browser;
use testkit::ws::{WsClient, issue, ok};

async fn issue_label(kiosk: &mut WsClient, service: &str, priority: Priority, key: &str) -> String {
    issue(kiosk, service, priority, key).await.label
}

async fn manager_page(
    server: &TestServer,
    width: u32,
    downloads: Option<&std::path::Path>,
) -> Browser {
    let b = Browser::start_with_downloads(width, 1000, downloads).await;
    b.sign_in(server, "manager", "manager").await;
    b.wait_for("#tab-dashboard").await;
    b
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Africa::Cairo)
        .date_naive()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_changed_in_the_page_decides_the_next_call_at_that_counter() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    // Counter 1 serves birth certificates and taxes alike: A-001, the older, would go first.
    let a = issue_label(&mut kiosk, "CIT-BIRTH", Priority::Normal, "a").await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let b_label = issue_label(&mut kiosk, "CIT-TAX", Priority::Normal, "b").await;

    let b = manager_page(&server, 1400, None).await;
    // The dashboard is live: both tickets show in the chart (Arabic-Indic digits in Arabic,
    // the center's default).
    b.wait_text("#fig-waiting", "٢").await;
    // This center has no [access] public_url: the dashboard says receipts' QR codes cannot be
    // opened from phones.
    b.wait_text("#no-public-url", "public_url").await;
    b.wait_for("#chart-waiting [data-key='CIT-TAX']").await;
    b.click("#profile-1").await;
    b.wait_for("#profile-list").await;
    // Untick birth certificates: counter 1 now calls only taxes.
    b.click("#profile-list [data-service='CIT-BIRTH'] input[type='checkbox']")
        .await;
    b.click("#dialog-ok").await;
    b.wait_until("#counters tr[data-counter='1']", |t| {
        !t.contains("شهادة ميلاد")
    })
    .await;

    let (mut clerk, _) = server.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let ReplyBody::Called { label, .. } = ok(&mut clerk, Command::CallNext { counter: 1 }).await
    else {
        panic!("no call")
    };
    assert_eq!(
        label, b_label,
        "the counter follows its new profile, not {a}"
    );
    // And the dashboard shows the counter calling it.
    b.wait_text("#counters tr[data-counter='1']", &b_label)
        .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_a_pairing_in_the_page_gives_the_waiting_device_its_token() {
    let server = TestServer::start().await;
    let b = manager_page(&server, 1280, None).await;
    b.click("#tab-devices").await;
    b.wait_text("#pending", "لا يوجد").await;

    // A board without a token asks to pair and shows its code.
    let (mut board, r) = WsClient::connect_as(&server.url(), None).await.unwrap();
    r.unwrap();
    let ReplyBody::Pairing { code, .. } = ok(
        &mut board,
        Request::RequestPairing {
            kind: DeviceKind::Board,
            name: "hall-b".into(),
        },
    )
    .await
    else {
        panic!("no code")
    };
    // The request reaches the page without a reload.
    b.wait_text("#pending", &code).await;
    b.fill("#pair-code", &code).await;
    b.fill("#pair-name", "board-2").await;
    b.click("#pair-approve").await;

    let frame = tokio::time::timeout(Duration::from_secs(15), board.next_frame())
        .await
        .expect("paired in time")
        .unwrap();
    let ServerFrame::Paired { token, name, role } = frame else {
        panic!("expected paired, got {frame:?}")
    };
    assert_eq!((name.as_str(), role), ("board-2", Role::Board));
    // The token works on a new connection, and the page lists the device online.
    let (_again, r) = WsClient::connect_as(&server.url(), Some(Credentials::Device { token }))
        .await
        .unwrap();
    assert!(matches!(
        r,
        Ok(ReplyBody::Welcome {
            role: Role::Board,
            ..
        })
    ));
    b.wait_text("#devices tr[data-device='board-2']", "نعم")
        .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_downloaded_from_the_page_holds_the_days_figures() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    for key in ["a", "b", "c"] {
        issue_label(&mut kiosk, "CIT-BIRTH", Priority::Normal, key).await;
    }
    issue_label(&mut kiosk, "CIT-TAX", Priority::Elderly, "d").await;
    let (mut clerk, _) = server.as_staff("clerk2").await;
    ok(&mut clerk, Command::OpenCounter { counter: 2 }).await;
    // Counter 2 serves birth certificates only: two served, one no-show.
    for finish in [true, false, true] {
        ok(&mut clerk, Command::CallNext { counter: 2 }).await;
        if finish {
            ok(&mut clerk, Command::finish(2, Outcome::Completed)).await;
        } else {
            ok(&mut clerk, Command::NoShow { counter: 2 }).await;
        }
    }

    let downloads = tempfile::tempdir().unwrap();
    let b = manager_page(&server, 1280, Some(downloads.path())).await;
    b.set_lang("en").await;
    b.click("#tab-reports").await;
    b.wait_for("#report-table").await;
    b.select("#report-by", "service").await;
    b.wait_text("#report-table", "Birth certificate").await;
    b.click("#report-csv").await;

    let day = today();
    let file = downloads
        .path()
        .join(format!("tabour-report-service-{day}_{day}.csv"));
    let what = format!("the download {}", file.display());
    testkit::wait::until(Duration::from_secs(15), &what, || async { file.exists() }).await;
    let csv = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("Service,Name,Tickets,Served,No-shows,Cancelled"),
        "{csv}"
    );
    // Birth certificates: 3 tickets, 2 served, 1 no-show, none cancelled; taxes: 1 waiting.
    assert!(
        lines[1].starts_with("CIT-BIRTH,Birth certificate,3,2,1,0,"),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("CIT-TAX,Real-estate tax payment,1,0,0,0,"),
        "{csv}"
    );
    assert!(lines[3].starts_with("Total,,4,2,1,0,"), "{csv}");
    // The day's closing hash, on the page as the server computes it (issue 14).
    let db = server.data_dir().join("queue.sqlite");
    let closing = queue_server::reports::closing_hash(&db, chrono_tz::Africa::Cairo, day).unwrap();
    b.wait_text("#closing", &closing.hex()).await;
    // Today's: labelled "so far", not as the day's final value.
    b.wait_text("#closing", "so far").await;
    assert!(
        csv.contains(&format!(
            "Closing hash so far {day} (provisional: the day is not over),{}",
            closing.hex()
        )),
        "{csv}"
    );
    b.close().await;
}

/// Every tab in Arabic and English with a seeded hall, into the folder TABOUR_SCREENSHOTS
/// names. Not a test: `cargo xtask screenshots OUT` runs it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes screenshots: cargo xtask screenshots OUT_DIR"]
async fn screenshots_of_every_tab() {
    let out = testkit::center::screenshots_dir().expect("TABOUR_SCREENSHOTS=OUT_DIR");
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let _board = server.as_device("board-1").await;
    // The second kiosk is out of paper: the dashboard's printers card shows it.
    let mut kiosk2 = server.as_device("kiosk-2").await;
    ok(
        &mut kiosk2,
        Command::ReportPrinter {
            status: hall_core::PrinterStatus::PaperOut,
            detail: String::new(),
        },
    )
    .await;
    let plan = [("CIT-BIRTH", 9), ("CIT-TAX", 5), ("CIT-SHOP", 3)];
    let mut n = 0;
    let mut tokens = std::collections::HashMap::new();
    for (service, count) in plan {
        for i in 0..count {
            n += 1;
            let p = if i % 4 == 1 {
                Priority::Elderly
            } else {
                Priority::Normal
            };
            let t = issue(&mut kiosk, service, p, &format!("k{n}")).await;
            tokens.insert(t.id, t.token);
        }
    }
    // clerk8 mistypes five times: the staff tab shows the lock (the waits between are real).
    let mut wrong = 0;
    while wrong < 5 {
        match server.login("clerk8", "wrong").await.1 {
            Err(hall_core::error::ErrorCode::TooManyAttempts) => {
                tokio::time::sleep(Duration::from_millis(300)).await
            }
            _ => wrong += 1,
        }
    }
    let (mut c1, _) = server.as_staff("clerk1").await;
    ok(&mut c1, Command::OpenCounter { counter: 1 }).await;
    // Three served; two of them rated from their pages (the dashboard's rating).
    let mut page = server.anonymous().await;
    for rating in [5, 4, 0] {
        let ReplyBody::Called { ticket, .. } = ok(&mut c1, Command::CallNext { counter: 1 }).await
        else {
            panic!("not called")
        };
        ok(&mut c1, Command::StartServing { counter: 1 }).await;
        ok(&mut c1, Command::finish(1, Outcome::Completed)).await;
        if rating > 0 {
            ok(
                &mut page,
                Command::GiveFeedback {
                    token: tokens[&ticket].clone(),
                    rating,
                    comment: String::new(),
                },
            )
            .await;
        }
    }
    ok(&mut c1, Command::CallNext { counter: 1 }).await;
    let (mut c2, _) = server.as_staff("clerk2").await;
    ok(&mut c2, Command::OpenCounter { counter: 2 }).await;
    ok(&mut c2, Command::CallNext { counter: 2 }).await;
    ok(&mut c2, Command::NoShow { counter: 2 }).await;
    ok(&mut c2, Command::CallNext { counter: 2 }).await;
    ok(&mut c2, Command::StartServing { counter: 2 }).await;
    let (mut c3, _) = server.as_staff("clerk3").await;
    ok(&mut c3, Command::OpenCounter { counter: 3 }).await;
    ok(&mut c3, Command::PauseCounter { counter: 3 }).await;
    let (mut boss, _) = server.as_staff("manager").await;
    ok(
        &mut boss,
        Command::SetMessage {
            text: "يرجى تجهيز صورة بطاقة الرقم القومي قبل التوجه إلى الشباك".into(),
        },
    )
    .await;
    ok(
        &mut boss,
        Request::CreateUser {
            username: "mona".into(),
            display_name: "منى عبد الرحمن".into(),
            role: Role::Clerk,
        },
    )
    .await;
    let (mut pairing, _) = WsClient::connect_as(&server.url(), None).await.unwrap();
    ok(
        &mut pairing,
        Request::RequestPairing {
            kind: DeviceKind::Kiosk,
            name: "entrance-2".into(),
        },
    )
    .await;

    let b = manager_page(&server, 1440, None).await;
    for lang in ["ar", "en"] {
        b.set_lang(lang).await;
        for tab in [
            "dashboard",
            "services",
            "devices",
            "staff",
            "staffing",
            "reports",
            "audit",
        ] {
            b.click(&format!("#tab-{tab}")).await;
            let ready = match tab {
                "dashboard" => "#counters",
                "services" => "#services-table",
                "devices" => "#devices",
                "staff" => "#users",
                "staffing" => "#staffing-now",
                "reports" => "#report-table",
                _ => "#audit-table",
            };
            b.wait_for(ready).await;
            b.screenshot(&out.join(format!("manager-{tab}-{lang}.png")))
                .await;
        }
    }
    b.click("#tab-dashboard").await;
    b.click("#profile-1").await;
    b.wait_for("#profile-list").await;
    b.screenshot(&out.join("manager-profile-en.png")).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosks_printer_fault_shows_on_the_dashboard_with_what_and_since_when() {
    let server = TestServer::start().await;
    let b = manager_page(&server, 1280, None).await;
    b.wait_for("#printers-ok").await;
    let mut kiosk = server.as_device("kiosk-2").await;
    let report = |status, detail: &str| Command::ReportPrinter {
        status,
        detail: detail.into(),
    };
    ok(
        &mut kiosk,
        report(hall_core::PrinterStatus::Offline, "connection refused"),
    )
    .await;
    // Which kiosk, what, since when: live, without reloading the page.
    let row = b
        .wait_text("#printers tr[data-device='kiosk-2']", "connection refused")
        .await;
    assert!(row.contains("kiosk-2"), "{row}");
    assert!(
        row.contains("الطابعة لا تستجيب"),
        "the status in the page's language: {row}"
    );
    // Since when: the time it began and how long ago, in minutes.
    let digits = |r: &str| {
        r.chars()
            .filter(|c| c.is_ascii_digit() || ('٠'..='٩').contains(c))
            .count()
    };
    assert!(row.contains(':') && digits(&row) >= 5, "since when: {row}");
    b.set_lang("en").await;
    let row = b
        .wait_text(
            "#printers tr[data-device='kiosk-2']",
            "Printer not responding",
        )
        .await;
    assert!(
        row.contains(':') && (row.contains("second") || row.contains("minute")),
        "since when, and for how long in words: {row}"
    );
    ok(&mut kiosk, report(hall_core::PrinterStatus::Ready, "")).await;
    b.wait_for("#printers-ok").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_staffing_advisor_says_which_counters_to_open_for_the_managers_target() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    for i in 0..10 {
        issue_label(&mut kiosk, "CIT-BIRTH", Priority::Normal, &format!("s{i}")).await;
    }
    let (mut clerk, _) = server.as_staff("clerk2").await;
    ok(&mut clerk, Command::OpenCounter { counter: 2 }).await;
    let b = manager_page(&server, 1400, None).await;
    b.click("#tab-staffing").await;
    b.wait_for("#staffing-now").await;
    // Ten 5-minute tickets at one counter: a 5-minute target needs Window 1 (the only other
    // counter serving birth certificates), and even then it is not met.
    b.fill("#staffing-target", "5").await;
    b.click("#staffing-go").await;
    let open = b.wait_for("#staffing-open").await;
    assert!(open.contains("شباك ١"), "{open}");
    assert!(
        !open.contains("شباك ٢"),
        "counter 2 is open already: {open}"
    );
    b.wait_for("#staffing-short").await;
    // Nothing learned about tomorrow on a fresh server: it says so.
    b.wait_for("#staffing-no-history").await;
    // A generous target needs nothing more.
    b.fill("#staffing-target", "240").await;
    b.click("#staffing-go").await;
    b.wait_until("#staffing-now", |t| t.contains("240") || t.contains("٢٤٠"))
        .await;
    assert!(
        b.client
            .find(fantoccini::Locator::Css("#staffing-open"))
            .await
            .is_err(),
        "nothing to open"
    );
    b.close().await;
}

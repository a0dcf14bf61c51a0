//! The web pages in real headless Chromium against the server on a real socket: a clerk works a
//! counter from the browser while a board (a websocket client) watches the hall, and a
//! citizen's ticket page follows its ticket live.

use fantoccini::key::Key;
use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::{Event, Outcome, Priority, TicketId};
use hall_wire::*;
use std::time::Duration;
use testkit::TestServer;
use testkit::browser::Browser;
use testkit::ws::{await_event, issue, ok};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_works_a_counter_from_the_browser_and_the_board_sees_every_step() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let mut board = server.as_device("board-1").await;
    ok(&mut board, Request::Subscribe).await;
    let a1 = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "k1").await;
    let a2 = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "k2").await;

    let b = Browser::start(1280, 900).await;
    b.sign_in(&server, "clerk", "clerk1").await;
    // The chooser, in Arabic; open counter 1.
    b.wait_text("#choose h1", "اختر شباكك").await;
    b.click("button[data-counter='1']").await;
    b.wait_text("#counter-name", "شباك ١").await;
    // The waiting list is the server's call order.
    let list = b.wait_text("#waiting", &a2.label).await;
    assert!(
        list.find(&a1.label).unwrap() < list.find(&a2.label).unwrap(),
        "{list}"
    );
    b.wait_text("#call-next", "F2").await;

    // Call next: the board sees the call of the first ticket at counter 1.
    b.click("#call-next").await;
    let called = await_event(&mut board, "the call", |e| {
        matches!(e, Event::TicketCalled { counter: 1, .. })
    })
    .await
    .event;
    assert!(matches!(called, Event::TicketCalled { ticket, .. } if ticket == a1.id));
    b.wait_text("#current-label", &a1.label).await;
    assert!(
        !b.is_enabled("#call-next").await,
        "no second call while one is at the counter"
    );

    // Start, then finish with an outcome and a request reference.
    b.click("#start").await;
    await_event(
        &mut board,
        "service start",
        |e| matches!(e, Event::ServiceStarted { ticket, .. } if *ticket == a1.id),
    )
    .await;
    b.wait_text("#current", "جارٍ تقديم الخدمة").await;
    b.click("#finish").await;
    b.click("input[name='outcome'][value='referred']").await;
    b.fill("#reference", "ش م/2026/11873").await;
    b.click("#dialog-ok").await;
    let finished = await_event(
        &mut board,
        "the finish",
        |e| matches!(e, Event::TicketFinished { ticket, .. } if *ticket == a1.id),
    )
    .await
    .event;
    let Event::TicketFinished {
        outcome, reference, ..
    } = finished
    else {
        unreachable!()
    };
    assert_eq!(outcome, Outcome::Referred);
    assert_eq!(reference.as_deref(), Some("ش م/2026/11873"));
    // The clerk's figures come from the server: one served today.
    b.wait_until("#served", |t| t == "١" || t == "1").await;

    // The keyboard shortcut calls the next ticket.
    b.wait_until("#call-next", |_| true).await;
    testkit::wait::until(Duration::from_secs(10), "call next enabled", || {
        b.is_enabled("#call-next")
    })
    .await;
    b.press(Key::F2).await;
    await_event(
        &mut board,
        "the call by F2",
        |e| matches!(e, Event::TicketCalled { ticket, counter: 1, .. } if *ticket == a2.id),
    )
    .await;
    b.wait_text("#current-label", &a2.label).await;

    // Transfer to the front of another service.
    b.click("#transfer").await;
    b.select("#transfer-kind", "service").await;
    b.select("#transfer-target", "CIT-TAX").await;
    b.click("input[name='position'][value='front']").await;
    b.click("#dialog-ok").await;
    let moved = await_event(
        &mut board,
        "the transfer",
        |e| matches!(e, Event::TicketTransferred { ticket, .. } if *ticket == a2.id),
    )
    .await
    .event;
    let Event::TicketTransferred {
        to_service,
        front,
        from_counter,
        ..
    } = moved
    else {
        unreachable!()
    };
    assert_eq!(
        (to_service.as_str(), front, from_counter),
        ("CIT-TAX", true, Some(1))
    );
    b.wait_for("#no-ticket").await;

    // Counter 1 also serves CIT-TAX: call it back, mark it a no-show; with nothing left for
    // counter 1, Call next is disabled (the list says nobody waits) until a ticket arrives.
    b.click("#call-next").await;
    b.wait_text("#current-label", &a2.label).await;
    b.click("#no-show").await;
    await_event(
        &mut board,
        "the no-show",
        |e| matches!(e, Event::TicketNoShow { ticket, .. } if *ticket == a2.id),
    )
    .await;
    b.wait_for("#no-ticket").await;
    b.wait_text("#waiting", "لا أحد ينتظر هذا الشباك").await;
    assert!(
        !b.is_enabled("#call-next").await,
        "nothing waits for counter 1: no call to make"
    );
    let a3 = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "k3").await;
    b.wait_text("#waiting", &a3.label).await;
    testkit::wait::until(
        Duration::from_secs(10),
        "call next enabled once a ticket waits",
        || b.is_enabled("#call-next"),
    )
    .await;

    // English at the switch; the page follows.
    b.click("#lang-switch").await;
    b.wait_text("#counter-name", "Window 1").await;
    b.wait_text("#call-next", "Call next").await;
    assert_eq!(b.eval("document.documentElement.dir").await, "ltr");
    b.close().await;
}

/// The pages write numbers, dates, times and durations by the same rule as the server's texts:
/// `web/js/format.js` gives every case of `assets/format-cases.json` (the table
/// `hall_core::format` is tested against) in a browser whose own zone is New York, and the
/// ticket page shows the time its ticket was issued on Cairo's clock, as its receipt does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_format_as_the_server_does_and_show_cairo_time_in_a_new_york_browser() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let mine = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "zone").await;
    let b = Browser::start_in_zone(390, 844, "America/New_York").await;
    b.goto(&format!("http://{}/t/{}", server.addr, mine.token))
        .await;
    b.wait_text("#label", &mine.label).await;
    assert_eq!(
        b.eval("Intl.DateTimeFormat().resolvedOptions().timeZone")
            .await,
        "America/New_York",
        "the browser runs in another zone than the center's"
    );
    let cairo = |lang: &str| {
        let style = hall_core::format::Style::new(
            lang,
            hall_core::Digits::Arabic,
            "Africa/Cairo".parse().unwrap(),
        );
        style.time_of(mine.issued_at)
    };
    b.wait_text(".issued", &cairo("ar")).await;
    let browser_zone = mine
        .issued_at
        .with_timezone(&chrono_tz::America::New_York)
        .format("%H:%M")
        .to_string();
    let shown = b.wait_for(".issued").await;
    assert!(
        !shown.contains(&hall_core::i18n::arabic_digits(&browser_zone)),
        "{shown}"
    );
    b.click("#lang-switch").await;
    b.wait_text(".issued", &cairo("en")).await;

    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../../assets/format-cases.json")).unwrap();
    let got = b
        .client
        .execute_async(
            r#"const [cases, done] = arguments;
            (async () => {
              const i18n = await import("/static/js/i18n.js");
              const f = await import("/static/js/format.js");
              const out = [];
              for (const lang of ["ar", "en"]) {
                await i18n.setLang(lang);
                for (const c of cases.filter((c) => c.lang === lang)) {
                  const st = { lang, digits: c.digits, timezone: c.zone };
                  const fn = { number: f.number, decimal: f.decimal, money: f.money, time_of: f.timeOf, date: f.date,
                               date_of: f.dateOf, duration: f.duration }[c.f];
                  out.push({ ...c, got: fn ? fn(c.arg, st) : `no function ${c.f}` });
                }
              }
              return out;
            })().then(done, (e) => done([{ error: String(e) }]));"#,
            vec![cases.clone(), ],
        )
        .await
        .unwrap();
    let rows = got.as_array().unwrap();
    assert_eq!(rows.len(), cases.as_array().unwrap().len(), "{got}");
    let wrong: Vec<String> = rows
        .iter()
        .filter(|r| r["got"] != r["want"])
        .map(|r| {
            format!(
                "{} {} {} {}: got {}, want {}",
                r["f"], r["lang"], r["digits"], r["arg"], r["got"], r["want"]
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_page_follows_its_ticket_live_until_the_counter_calls_it() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let first = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "p1").await;
    let mine = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "p2").await;

    let b = Browser::start(390, 844).await;
    b.goto(&format!("http://{}/t/{}", server.addr, mine.token))
        .await;
    b.wait_text("#label", &mine.label).await;
    assert_eq!(b.eval("document.documentElement.dir").await, "rtl");
    b.wait_text("#status", "في الانتظار").await;
    b.wait_until("#ahead", |t| t == "١" || t == "1").await;

    // A clerk opens counter 2 and calls twice: one ahead, then this ticket.
    let (mut clerk, _) = server.as_staff("clerk2").await;
    ok(&mut clerk, Command::OpenCounter { counter: 2 }).await;
    // With a counter open the queue model gives the wait as a range, in Arabic.
    let wait = b.wait_until("#estimate", |t| t.contains('–')).await;
    assert!(wait.contains("دقيق") || wait.contains("دقائق"), "{wait}");
    ok(&mut clerk, Command::CallNext { counter: 2 }).await;
    b.wait_until("#ahead", |t| t == "٠" || t == "0").await;
    ok(&mut clerk, Command::finish(2, Outcome::Completed)).await;
    let ReplyBody::Called { ticket, .. } = ok(&mut clerk, Command::CallNext { counter: 2 }).await
    else {
        panic!()
    };
    assert_eq!(ticket, mine.id);
    assert_ne!(first.id, mine.id);
    b.wait_text("#counter", "شباك ٢").await;
    b.wait_until("#status", |t| t.contains("توجه الآن إلى"))
        .await;
    assert_eq!(
        b.eval("document.getElementById('status').dataset.state")
            .await,
        "called"
    );

    // English, then the finish with a reference reaches the page.
    b.click("#lang-switch").await;
    b.wait_text("#counter", "Window 2").await;
    ok(&mut clerk, Command::StartServing { counter: 2 }).await;
    ok(
        &mut clerk,
        Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: Some("R-2026-77".into()),
            suffixes: Vec::new(),
        },
    )
    .await;
    b.wait_text("#reference", "R-2026-77").await;
    b.wait_text("#status", "Done").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_withdraws_from_the_page_and_an_unknown_token_says_so() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let mut board = server.as_device("board-1").await;
    ok(&mut board, Request::Subscribe).await;
    let t = issue(&mut kiosk, "CIT-TAX", Priority::Normal, "w1").await;

    let b = Browser::start(390, 844).await;
    b.goto(&format!("http://{}/t/{}", server.addr, t.token))
        .await;
    b.wait_text("#label", &t.label).await;
    b.click("#withdraw").await;
    // The confirmation can be refused: nothing happens.
    b.click("#dialog-cancel").await;
    b.wait_for("#withdraw").await;
    b.click("#withdraw").await;
    b.click("#dialog-ok").await;
    let e = await_event(&mut board, "the withdrawal", |e| {
        matches!(e, Event::TicketCancelled { .. })
    })
    .await
    .event;
    assert!(matches!(e, Event::TicketCancelled { ticket, .. } if ticket == t.id));
    b.wait_text("#status", "ملغاة").await;
    assert!(
        b.client
            .find(fantoccini::Locator::Css("#withdraw"))
            .await
            .is_err(),
        "no withdraw button on a cancelled ticket"
    );

    b.goto(&format!(
        "http://{}/t/0123456789abcdef0123456789abcdef",
        server.addr
    ))
    .await;
    b.wait_text("#unknown", "لم يتم العثور على التذكرة").await;
    let _ = TicketId(0);
    b.close().await;
}

/// Not a test: `cargo xtask screenshots OUT` runs it to capture every page in Arabic and
/// English on a seeded hall (PNG files in `$TABOUR_SCREENSHOTS`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by cargo xtask screenshots"]
async fn screenshots_of_every_page() {
    let out =
        testkit::center::screenshots_dir().expect("TABOUR_SCREENSHOTS names the output folder");
    let server = TestServer::start().await;
    let base = server.http();

    // A believable hall: tickets of every service, three colleagues at work.
    let mut kiosk = server.as_device("kiosk-1").await;
    for i in 0..14 {
        let service = ["CIT-BIRTH", "CIT-TAX", "CIT-BIRTH", "CIT-SHOP"][i % 4];
        let priority = if i % 5 == 3 {
            Priority::Elderly
        } else {
            Priority::Normal
        };
        let r = kiosk
            .request(Command::issue_ticket(service, priority, format!("seed{i}")))
            .await
            .unwrap();
        if let Err(e) = r {
            assert_eq!(e.code, ErrorCode::DailyLimitReached, "{e:?}");
        }
    }
    let mut colleagues = Vec::new();
    for (user, counter) in [("clerk2", 2), ("clerk3", 3), ("clerk4", 4)] {
        let (mut c, _) = server.as_staff(user).await;
        ok(&mut c, Command::OpenCounter { counter }).await;
        ok(&mut c, Command::CallNext { counter }).await;
        colleagues.push(c);
    }

    let shot = |name: &str| out.join(format!("{name}.png"));
    let b = Browser::start(1280, 860).await;
    for lang in ["ar", "en"] {
        b.goto(&format!("{base}/clerk")).await;
        b.set_lang(lang).await;
        b.wait_for("#signin-form").await;
        b.screenshot(&shot(&format!("clerk-signin-{lang}"))).await;
    }
    b.set_lang("ar").await;
    b.sign_in(&server, "clerk", "clerk1").await;
    b.wait_for("#choose").await;
    b.screenshot(&shot("clerk-choose-ar")).await;
    b.click("button[data-counter='1']").await;
    b.wait_for("#call-next").await;
    // Serve one, so the day's figures show, then call the next.
    b.click("#call-next").await;
    b.wait_for("#current-label").await;
    b.click("#start").await;
    b.wait_text("#current", "جارٍ").await;
    b.click("#finish").await;
    // "Request submitted" is the first outcome and needs no reference: choose "referred".
    b.click("input[name='outcome'][value='referred']").await;
    b.fill("#reference", "ش م/2026/11873").await;
    b.click("#dialog-ok").await;
    b.wait_until("#served", |t| t != "0" && t != "٠").await;
    b.click("#call-next").await;
    b.wait_for("#current-label").await;
    b.screenshot(&shot("clerk-desk-ar")).await;
    b.click("#finish").await;
    b.wait_for("#reference").await;
    b.screenshot(&shot("clerk-finish-dialog-ar")).await;
    b.click("#dialog-cancel").await;
    b.click("#lang-switch").await;
    b.wait_text("#call-next", "Call next").await;
    b.screenshot(&shot("clerk-desk-en")).await;
    b.click("#transfer").await;
    b.wait_for("#transfer-target").await;
    b.screenshot(&shot("clerk-transfer-dialog-en")).await;
    b.click("#dialog-cancel").await;

    // A ticket of the citizen's own: waiting, then called.
    let mine = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "mine").await;
    let page = format!("{base}/t/{}", mine.token);
    for (w, h, size) in [(390, 844, "mobile"), (1280, 860, "desktop")] {
        b.resize(w, h).await;
        for lang in ["ar", "en"] {
            b.goto(&page).await;
            b.set_lang(lang).await;
            b.wait_for("#ahead").await;
            b.screenshot(&shot(&format!("ticket-waiting-{lang}-{size}")))
                .await;
        }
    }
    b.resize(390, 844).await;
    let clerk2 = &mut colleagues[0];
    ok(clerk2, Command::finish(2, Outcome::Completed)).await;
    ok(
        clerk2,
        Command::CallTicket {
            counter: 2,
            ticket: mine.id,
            reason: "screenshot".into(),
        },
    )
    .await;
    for lang in ["ar", "en"] {
        b.goto(&page).await;
        b.set_lang(lang).await;
        b.wait_for("#counter").await;
        b.screenshot(&shot(&format!("ticket-called-{lang}-mobile")))
            .await;
    }
    ok(clerk2, Command::StartServing { counter: 2 }).await;
    ok(
        clerk2,
        Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: Some("ش م/2026/11874".into()),
            suffixes: Vec::new(),
        },
    )
    .await;
    for lang in ["ar", "en"] {
        b.goto(&page).await;
        b.set_lang(lang).await;
        b.wait_for("#reference").await;
        b.screenshot(&shot(&format!("ticket-done-{lang}-mobile")))
            .await;
    }
    for lang in ["ar", "en"] {
        b.goto(&format!("{base}/t/no-such-ticket")).await;
        b.set_lang(lang).await;
        b.wait_for("#unknown").await;
        b.screenshot(&shot(&format!("ticket-unknown-{lang}-mobile")))
            .await;
    }
    b.close().await;
}

//! Requests end to end in headless Chromium (issue 12): a clerk hands a ticket in as a request
//! and gets the slip with its reference; the back office finds it in its console and moves it
//! on; the citizen's status page refuses wrong digits and shows the status with the right
//! ones; the clerk at the pickup window hands it over. Screenshots of each page with
//! `TABOUR_SCREENSHOTS` (`cargo xtask screenshots`).

use hall_core::Priority;
use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::request::RequestState;
use hall_wire::*;
use testkit::TestServer;
use testkit::browser::Browser;
use testkit::ws::{issue, ok};

async fn shot(b: &Browser, name: &str) {
    if let Some(out) = testkit::center::screenshots_dir() {
        b.screenshot(&out.join(format!("{name}.png"))).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_goes_from_the_window_through_the_back_office_to_the_citizen_and_back() {
    let server = TestServer::start().await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let t = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "r1").await;
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "r2").await;

    // The window: serve the ticket and hand it in with the last four digits of the phone.
    let clerk = Browser::start(1280, 900).await;
    clerk.sign_in(&server, "clerk", "clerk1").await;
    clerk.click("button[data-counter='1']").await;
    clerk.click("#call-next").await;
    clerk.wait_text("#current-label", &t.label).await;
    clerk.click("#finish").await;
    clerk.wait_for("#suffixes").await;
    // Without the digits the server refuses, and says why.
    clerk.click("#dialog-ok").await;
    clerk.wait_for(".toast.error").await;
    clerk.click("#finish").await;
    clerk.fill("#phone-suffix", "٤٨٢١").await;
    clerk.click("#dialog-ok").await;
    let reference = clerk.wait_for("#slip-reference").await;
    assert_eq!(reference, "TST-26-000001");
    let slip = clerk.wait_text("#slip", "احتفظ بهذا الرقم").await;
    assert!(slip.contains("استخراج شهادة ميلاد"), "{slip}");
    assert!(slip.contains(&format!("/r/{reference}")), "{slip}");
    let qr_loaded = clerk
        .eval("document.querySelector('#slip img.slip-qr').naturalWidth > 0")
        .await;
    assert_eq!(qr_loaded, true, "the slip's QR code loads");
    shot(&clerk, "clerk-request-slip-ar").await;
    clerk.click("#slip-close").await;

    // The citizen's ticket page shows the reference at once, a link to its status, and asks
    // for a rating, once.
    let phone = Browser::start(430, 900).await;
    phone
        .goto(&format!("{}/t/{}", server.http(), t.token))
        .await;
    phone.wait_text("#reference", &reference).await;
    let href = phone
        .eval("document.querySelector('#follow').getAttribute('href')")
        .await;
    assert_eq!(href, format!("/r/{reference}?lang=ar"));
    phone.wait_for("#feedback").await;
    phone
        .click("#feedback fieldset.stars label:nth-of-type(4)")
        .await;
    phone.fill("#comment", "خدمة سريعة").await;
    phone.click("#feedback-send").await;
    phone.wait_for("#feedback-thanks").await;
    shot(&phone, "ticket-request-rated-ar").await;
    phone.close().await;
    let mut page = server.anonymous().await;
    assert_eq!(
        testkit::ws::code(
            &mut page,
            Command::GiveFeedback {
                token: t.token.clone(),
                rating: 1,
                comment: String::new(),
            },
        )
        .await,
        ErrorCode::FeedbackExists,
        "one rating per ticket"
    );

    // The back office: the request is in the list of open ones; move it on to documents
    // needed, with a staff note the citizen never sees.
    let office = Browser::start(1280, 900).await;
    office.sign_in(&server, "office", "office1").await;
    let row = office
        .wait_text(&format!("tr[data-reference='{reference}']"), "تم الاستلام")
        .await;
    assert!(row.contains("استخراج شهادة ميلاد"), "{row}");
    shot(&office, "office-list-ar").await;
    office
        .click(&format!("tr[data-reference='{reference}'] button.ref"))
        .await;
    office.click("#to-under_review").await;
    office.click("#dialog-ok").await;
    office
        .wait_text(&format!("tr[data-reference='{reference}']"), "قيد المراجعة")
        .await;
    office
        .click(&format!("tr[data-reference='{reference}'] button.ref"))
        .await;
    office.click("#to-needs_documents").await;
    office
        .fill("#documents", "صورة البطاقة\nإيصال الكهرباء")
        .await;
    office.fill("#note", "ملاحظة داخلية").await;
    office.click("#dialog-ok").await;
    office
        .wait_text(
            &format!("tr[data-reference='{reference}']"),
            "مطلوب مستندات",
        )
        .await;
    office
        .click(&format!("tr[data-reference='{reference}'] button.ref"))
        .await;
    let history = office.wait_text("#history", "ملاحظة داخلية").await;
    assert!(history.contains("back_office:office1"), "{history}");
    shot(&office, "office-detail-ar").await;
    office.click("#detail-close").await;
    // The same console in English.
    office.set_lang("en").await;
    let row = office
        .wait_text(
            &format!("tr[data-reference='{reference}']"),
            "Documents needed",
        )
        .await;
    assert!(row.contains("Birth certificate"), "{row}");
    shot(&office, "office-list-en").await;
    office
        .click(&format!("tr[data-reference='{reference}'] button.ref"))
        .await;
    office.wait_text("#history", "ملاحظة داخلية").await;
    shot(&office, "office-detail-en").await;
    office.click("#detail-close").await;

    // The citizen's status page: the reference alone shows nothing; wrong digits are
    // refused; the right ones (Arabic-Indic or not) show the state and the documents.
    let citizen = Browser::start(430, 900).await;
    let page = format!("{}/r/{}", server.http(), reference.to_lowercase());
    citizen.goto(&page).await;
    let asked = citizen.wait_for("main").await;
    assert!(!asked.contains("مطلوب مستندات"), "{asked}");
    shot(&citizen, "status-ask-ar").await;
    citizen.fill("#suffix", "1111").await;
    citizen.click("form.ask button").await;
    citizen.wait_for(".msg.error").await;
    assert!(!citizen.wait_for("main").await.contains("صورة البطاقة"));
    citizen.fill("#suffix", "4821").await;
    citizen.click("form.ask button").await;
    let status = citizen.wait_text(".status", "مطلوب مستندات").await;
    assert!(status.contains("استخراج شهادة ميلاد"), "{status}");
    let docs = citizen.wait_for("ul.documents").await;
    assert!(docs.contains("صورة البطاقة") && docs.contains("إيصال الكهرباء"));
    let body = citizen.wait_for("main").await;
    assert!(
        !body.contains("ملاحظة داخلية") && !body.contains("office1"),
        "staff notes and names stay inside: {body}"
    );
    shot(&citizen, "status-documents-ar").await;
    citizen.goto(&format!("{page}?lang=en")).await;
    citizen.fill("#suffix", "4821").await;
    citizen.click("form.ask button").await;
    citizen.wait_text(".status", "Documents needed").await;
    shot(&citizen, "status-documents-en").await;

    // Ready: the pickup window finds it by the reference as the citizen reads it out, and
    // hands it over.
    let (mut back, _) = server.as_staff("office1").await;
    for state in [RequestState::UnderReview, RequestState::ReadyForPickup] {
        ok(
            &mut back,
            Command::SetRequestState {
                reference: reference.clone(),
                state,
                note: String::new(),
            },
        )
        .await;
    }
    clerk.click("#pickup").await;
    clerk.fill("#pickup-reference", "tst 26 000001").await;
    clerk.click("#dialog-ok").await;
    clerk.wait_text("#pickup-state", "جاهز للاستلام").await;
    shot(&clerk, "clerk-pickup-ar").await;
    clerk.click("#dialog-ok").await;
    clerk.wait_text(".toast", &reference).await;
    match ok(
        &mut back,
        Request::FindRequest {
            reference: reference.clone(),
        },
    )
    .await
    {
        ReplyBody::Request { request, .. } => {
            assert_eq!(request.request.state, RequestState::Delivered);
            let last = request.request.history.last().unwrap();
            assert_eq!(last.by, "clerk:clerk1");
        }
        other => panic!("{other:?}"),
    }
    // The rating is in the report, under the service, the counter and the clerk.
    let (mut manager, _) = server.as_staff("manager").await;
    let today = chrono::Utc::now().date_naive();
    match ok(
        &mut manager,
        Request::Report {
            from: today - chrono::Days::new(1),
            to: today + chrono::Days::new(1),
        },
    )
    .await
    {
        ReplyBody::Report { report } => {
            for (what, rows) in [
                ("service", &report.by_service),
                ("counter", &report.by_counter),
                ("clerk", &report.by_clerk),
            ] {
                let rated: Vec<_> = rows.iter().filter(|r| r.ratings > 0).collect();
                assert_eq!(rated.len(), 1, "{what}: {rows:?}");
                assert_eq!(rated[0].rating_mean, Some(4.0), "{what}");
            }
        }
        other => panic!("{other:?}"),
    }
    clerk.close().await;
    office.close().await;
    citizen.close().await;
}

/// The counter's printer from the clerk's console: the slip comes out as the dialog opens (an
/// independent ESC/POS emulator, its QR code read back), a printer out of paper is said in
/// the dialog with the browser's print beside it, and a reprint in English after a new roll.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_slip_comes_out_of_the_counters_printer_and_a_printer_out_of_paper_is_said() {
    let Some(bin) = testkit::emupos::emupos() else {
        return;
    };
    let emu_dir = tempfile::tempdir().unwrap();
    let emu = testkit::emupos::Emulator::start(bin, emu_dir.path());
    let dir = tempfile::tempdir().unwrap();
    let mut opts =
        queue_server::server::ServerOptions::new(dir.path(), testkit::center::always_open());
    opts.counter_printers.insert(
        1,
        queue_server::slips::CounterPrinter {
            target: format!("tcp://127.0.0.1:{}", emu.port_80).parse().unwrap(),
            width_dots: 576,
        },
    );
    let server = TestServer::start_with(dir, opts).await;
    let mut kiosk = server.as_device("kiosk-1").await;
    let t = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "p1").await;

    let clerk = Browser::start(1280, 900).await;
    clerk.sign_in(&server, "clerk", "clerk1").await;
    clerk.click("button[data-counter='1']").await;
    clerk.click("#call-next").await;
    clerk.wait_text("#current-label", &t.label).await;
    let before = emu.receipt_count("wide");
    clerk.click("#finish").await;
    clerk.fill("#phone-suffix", "4821").await;
    clerk.click("#dialog-ok").await;
    let reference = clerk.wait_for("#slip-reference").await;
    clerk
        .wait_text("#slip-printer", "طُبع الإيصال على طابعة الشباك")
        .await;
    let paper = emu.next_receipt("wide", before);
    let urls = testkit::qr::decode(paper.width, paper.height, |x, y| paper.is_black(x, y));
    // No public address in this center: the code goes where the console reached the server.
    assert_eq!(urls, vec![format!("{}/r/{reference}", server.http())]);
    shot(&clerk, "clerk-request-slip-printed-ar").await;

    // Out of paper: said in the dialog; the browser's print is there; nothing came out.
    emu.fault("set", "wide", "paper-out");
    let before = emu.receipt_count("wide");
    clerk.click("#slip-print-counter").await;
    let said = clerk.wait_text("#slip-printer", "نفد الورق").await;
    assert!(said.contains("لم يُطبع الإيصال"), "{said}");
    assert_eq!(
        clerk
            .eval("getComputedStyle(document.querySelector('#slip-print')).display !== 'none'")
            .await,
        true
    );
    shot(&clerk, "clerk-request-slip-paper-out-ar").await;
    assert_eq!(emu.receipt_count("wide"), before);

    // A new roll, and the slip again in English.
    emu.fault("clear", "wide", "paper-out");
    clerk.select("#slip-lang", "en").await;
    clerk.click("#slip-print-counter").await;
    clerk
        .wait_text("#slip-printer", "طُبع الإيصال على طابعة الشباك")
        .await;
    let paper = emu.next_receipt("wide", before);
    let text = testkit::emupos::squeeze(&testkit::emupos::ocr(&paper, emu_dir.path()));
    assert!(
        testkit::emupos::holds(&text, &testkit::emupos::squeeze(&reference), 1),
        "{text}"
    );
    assert!(testkit::emupos::holds(&text, "requestreceipt", 1), "{text}");
    clerk.click("#slip-close").await;
    clerk.close().await;
}

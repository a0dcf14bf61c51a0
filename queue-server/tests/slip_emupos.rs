//! The request slip on the counter's printer, end to end: a clerk hands a request in over the
//! websocket, asks `print_slip`, and the server prints it over TCP to emupos, an independent
//! ESC/POS emulator (`testkit::emupos`), whose own PNG of the paper is read back: its width,
//! its ink, the QR code to the request's status page, the reference read by OCR. A printer
//! out of paper or not there is said to the clerk, and the request is kept.

use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::{Outcome, PrinterStatus, Priority};
use hall_print::printer::Target;
use hall_print::receipt::{Raster, WIDTH_58MM, WIDTH_80MM};
use hall_wire::*;
use queue_server::server::ServerOptions;
use queue_server::slips::CounterPrinter;
use std::time::{Duration, Instant};
use testkit::TestServer;
use testkit::emupos::{Emulator, emupos, holds, ocr, squeeze};
use testkit::ports::free_port;
use testkit::ws::{WsClient, code, issue, ok};

const PUBLIC: &str = "https://center.example.gov.eg";

fn tcp(port: u16) -> Target {
    Target::Tcp {
        host: "127.0.0.1".into(),
        port,
    }
}

/// Counter 1 has the 80 mm printer, counter 2 the 58 mm one, counter 4 a printer that is not
/// there; counter 3 none.
fn options(dir: &std::path::Path, emu: &Emulator) -> ServerOptions {
    let mut opts = ServerOptions::new(dir, testkit::center::always_open());
    opts.access.public_url = Some(PUBLIC.into());
    opts.counter_printers = [
        (1, tcp(emu.port_80), WIDTH_80MM),
        (2, tcp(emu.port_58), WIDTH_58MM),
        (4, tcp(free_port()), WIDTH_80MM),
    ]
    .into_iter()
    .map(|(id, target, width_dots)| (id, CounterPrinter { target, width_dots }))
    .collect();
    opts
}

/// The clerk at `counter` calls the next ticket and hands it in as a request: its reference.
async fn hand_in(clerk: &mut WsClient, counter: u32) -> String {
    ok(clerk, Command::CallNext { counter }).await;
    match ok(
        clerk,
        Command::Finish {
            counter,
            outcome: Outcome::RequestSubmitted,
            reference: None,
            suffixes: vec!["4821".into()],
        },
    )
    .await
    {
        ReplyBody::RequestReceipt { receipt } => receipt.reference,
        other => panic!("{other:?}"),
    }
}

/// The emulator, the server with its printers, a kiosk, and clerk1 at window 1 who has just
/// handed a request in (its reference). `None` when emupos is missing and skipped.
struct Hall {
    emu_dir: tempfile::TempDir,
    emu: Emulator,
    s: TestServer,
    kiosk: WsClient,
    clerk: WsClient,
    reference: String,
}

async fn hall() -> Option<Hall> {
    let bin = emupos()?;
    let emu_dir = tempfile::tempdir().unwrap();
    let emu = Emulator::start(bin, emu_dir.path());
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path(), &emu);
    let s = TestServer::start_with(dir, opts).await;
    let mut kiosk = s.as_device("kiosk-1").await;
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "k1").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let reference = hand_in(&mut clerk, 1).await;
    Some(Hall {
        emu_dir,
        emu,
        s,
        kiosk,
        clerk,
        reference,
    })
}

fn print(reference: &str, counter: u32, lang: &str) -> Request {
    Request::PrintSlip {
        reference: reference.into(),
        counter,
        lang: lang.into(),
        base: None,
    }
}

async fn printed(c: &mut WsClient, r: Request) -> (bool, PrinterStatus, String) {
    match ok(c, r).await {
        ReplyBody::SlipPrinted {
            printed,
            status,
            detail,
        } => (printed, status, detail),
        other => panic!("{other:?}"),
    }
}

/// The emulator's image under a name that says what it is, with `TABOUR_SCREENSHOTS`.
fn keep(paper: &Raster, name: &str) {
    if let Some(dir) = testkit::center::screenshots_dir() {
        std::fs::write(dir.join(format!("{name}.png")), paper.to_png().unwrap()).unwrap();
    }
}

fn qr_texts(raster: &Raster) -> Vec<String> {
    testkit::qr::decode(raster.width, raster.height, |x, y| raster.is_black(x, y))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_slip_comes_out_of_the_counters_printer_and_its_code_opens_the_request() {
    let Some(Hall {
        emu_dir,
        emu,
        s,
        mut kiosk,
        mut clerk,
        reference,
    }) = hall().await
    else {
        return;
    };
    let status_url = format!("{PUBLIC}/r/{reference}");

    // Arabic on the 80 mm printer: the QR code is the request's status page, which exists.
    let before = emu.receipt_count("wide");
    let (done, status, _) = printed(&mut clerk, print(&reference, 1, "ar")).await;
    assert!(done, "{status:?}");
    assert_eq!(status, PrinterStatus::Ready);
    let paper = emu.next_receipt("wide", before);
    assert_eq!(paper.width, 576);
    assert!((600..2400).contains(&paper.height), "{}", paper.height);
    assert!(paper.ink(0, paper.height) > 10_000);
    assert_eq!(qr_texts(&paper), vec![status_url.clone()]);
    keep(&paper, "slip-emupos-80mm-ar");
    let page = s.get(&format!("/r/{reference}"), None).await;
    assert_eq!(page.status, 200, "the slip's code opens the request's page");

    // English: the reference and the words read back by OCR.
    let before = emu.receipt_count("wide");
    assert!(printed(&mut clerk, print(&reference, 1, "en")).await.0);
    let paper = emu.next_receipt("wide", before);
    assert_eq!(qr_texts(&paper), vec![status_url.clone()]);
    keep(&paper, "slip-emupos-80mm-en");
    let text = squeeze(&ocr(&paper, emu_dir.path()));
    for want in [
        reference.as_str(),
        "Request receipt",
        "Expected ready on",
        "Birth",
    ] {
        assert!(holds(&text, &squeeze(want), 1), "{want:?} not in {text:?}");
    }

    // Another clerk reprints it at the 58 mm counter.
    let (mut clerk2, _) = s.as_staff("clerk2").await;
    ok(&mut clerk2, Command::OpenCounter { counter: 2 }).await;
    let before = emu.receipt_count("narrow");
    assert!(printed(&mut clerk2, print(&reference, 2, "ar")).await.0);
    let paper = emu.next_receipt("narrow", before);
    assert_eq!(paper.width, 384);
    assert_eq!(qr_texts(&paper), vec![status_url]);
    keep(&paper, "slip-emupos-58mm-ar");

    // Refusals: another clerk's counter, an unknown reference, a counter without a printer,
    // a kiosk.
    assert_eq!(
        code(&mut clerk, print(&reference, 2, "ar")).await,
        ErrorCode::CounterNotYours
    );
    assert_eq!(
        code(&mut clerk, print("HEL-26-999999", 1, "ar")).await,
        ErrorCode::UnknownRequest
    );
    let (mut manager, _) = s.as_staff("manager").await;
    assert_eq!(
        code(&mut manager, print(&reference, 3, "ar")).await,
        ErrorCode::NoPrinter
    );
    assert_eq!(
        code(&mut kiosk, print(&reference, 1, "ar")).await,
        ErrorCode::Forbidden
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printer_out_of_paper_or_not_there_is_said_and_the_request_is_kept() {
    // The directories live as long as the test (emupos writes its receipts there).
    let Some(Hall {
        emu_dir: _emu_dir,
        emu,
        s,
        kiosk: _kiosk,
        mut clerk,
        reference,
    }) = hall().await
    else {
        return;
    };

    emu.fault("set", "wide", "paper-out");
    let before = emu.receipt_count("wide");
    let (done, status, _) = printed(&mut clerk, print(&reference, 1, "ar")).await;
    assert!(!done);
    assert_eq!(status, PrinterStatus::PaperOut);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(emu.receipt_count("wide"), before, "nothing came out");
    // The request is there all the same.
    match ok(
        &mut clerk,
        Request::FindRequest {
            reference: reference.clone(),
        },
    )
    .await
    {
        ReplyBody::Request { request, .. } => assert_eq!(request.request.reference, reference),
        other => panic!("{other:?}"),
    }

    // A new roll: it prints.
    emu.fault("clear", "wide", "paper-out");
    let (done, status, _) = printed(&mut clerk, print(&reference, 1, "ar")).await;
    assert!(done, "{status:?}");
    emu.next_receipt("wide", before);

    // A printer that is not there: off-line within seconds, and why.
    let (mut manager, _) = s.as_staff("manager").await;
    let started = Instant::now();
    let (done, status, detail) = printed(&mut manager, print(&reference, 4, "en")).await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(!done);
    assert_eq!(status, PrinterStatus::Offline);
    assert!(detail.contains("reach"), "{detail}");
}

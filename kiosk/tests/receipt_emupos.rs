//! System test of the receipt path end to end: the real queue server (in this process, on a
//! real socket) issues the ticket, `kiosk receipt` (its argument parsing and code, in this
//! process) renders and prints it over TCP to emupos, an independent ESC/POS emulator (PyPI),
//! whose own PNG of the paper is then read back: size, ink, and the QR code to a ticket page
//! the server knows.
//!
//! The emulator: `testkit::emupos` (missing, the tests fail unless `TABOUR_SKIP_EMUPOS=1`).

use clap::Parser;
use hall_client::{Client, ClientConfig, ClientEvent};
use hall_core::{PrinterStatus, State};
use hall_wire::{Credentials, ReplyBody, Request};
use kiosk::receipt::Raster;
use kiosk::receipt_cmd::{ReceiptArgs, execute};
use std::time::{Duration, Instant};
use testkit::TestServer;
use testkit::emupos::{Emulator, emupos, holds, ocr, squeeze};
use testkit::ports::free_port;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Sub,
}
#[derive(clap::Subcommand)]
enum Sub {
    Receipt(ReceiptArgs),
}

/// `kiosk receipt ARGS…`: exit status, stdout, stderr.
fn kiosk_receipt(args: &[&str]) -> (u8, String, String) {
    let mut argv = vec!["kiosk", "receipt"];
    argv.extend_from_slice(args);
    let Sub::Receipt(a) = Cli::try_parse_from(argv).expect("arguments parse").command;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(a, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn qr_texts(raster: &Raster) -> Vec<String> {
    testkit::qr::decode(raster.width, raster.height, |x, y| raster.is_black(x, y))
}

/// The server in this process, on port 0 with the round-the-clock center; its tasks run on
/// the runtime's worker threads while the test, synchronous like the kiosk, drives it.
fn server() -> (tokio::runtime::Runtime, TestServer) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(TestServer::start());
    (rt, server)
}

/// Connects with the kiosk's token and returns the hall's current state.
fn hall(ws: &str, token: &str) -> State {
    let client = Client::start(ClientConfig::new(
        ws,
        Some(Credentials::Device {
            token: token.into(),
        }),
        "test",
    ));
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(ClientEvent::Snapshot(s)) = client.recv_timeout(Duration::from_millis(200)) {
            return *s;
        }
    }
    panic!("no snapshot");
}

/// What a citizen's phone sees at the page token (no sign-in).
fn page_label(ws: &str, token: &str) -> String {
    let mut config = ClientConfig::new(ws, None, "phone");
    config.subscribe = false;
    let client = Client::start(config);
    testkit::wait::until_blocking(Duration::from_secs(10), "the phone connected", || {
        client.is_connected()
    });
    let id = client
        .request(Request::WatchTicket {
            token: token.into(),
        })
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(ClientEvent::Reply { id: got, result }) =
            client.recv_timeout(Duration::from_millis(200))
            && got == id
        {
            match result {
                Ok(ReplyBody::Watching { view }) => return view.label,
                other => panic!("watch_ticket: {other:?}"),
            }
        }
    }
    panic!("no reply to watch_ticket");
}

#[test]
fn a_real_ticket_prints_on_the_emulator_and_its_qr_code_opens_its_page() {
    let Some(bin) = emupos() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_rt, server) = server();
    let emu = Emulator::start(bin, dir.path());
    let ws = server.url();
    let token_file = server.data_dir().join(hall_wire::startup::FILE_NAME);

    for (device, port, paper, width, lang) in [
        ("wide", emu.port_80, "80", 576, "ar"),
        ("narrow", emu.port_58, "58", 384, "en"),
    ] {
        let before = emu.receipt_count(device);
        let printer = format!("tcp://127.0.0.1:{port}");
        let (code, out, err) = kiosk_receipt(&[
            "--service",
            "CIT-BIRTH",
            "--server",
            &ws,
            "--token-file",
            token_file.to_str().unwrap(),
            "--device",
            "kiosk-1",
            "--printer",
            &printer,
            "--lang",
            lang,
            "--paper",
            paper,
            "--ticket-base",
            "http://tabour.test",
        ]);
        assert_eq!(code, 0, "{device}: {out}{err}");
        assert!(out.contains("A-00"), "{out}");
        assert!(out.contains(&printer), "{out}");

        let paper_image = emu.next_receipt(device, before);
        assert_eq!(paper_image.width, width, "{device}");
        assert!(
            (640..2800).contains(&paper_image.height),
            "{device}: {}",
            paper_image.height
        );
        assert!(
            paper_image.ink(0, paper_image.height) > 10_000,
            "{device}: ink"
        );
        let urls = qr_texts(&paper_image);
        assert_eq!(urls.len(), 1, "{device}: one QR code, got {urls:?}");
        let token = urls[0]
            .strip_prefix("http://tabour.test/t/")
            .expect("ticket page URL");
        assert_eq!(token.len(), 32);
        // The QR code is the citizen's own ticket: the server opens its page.
        let label = page_label(&ws, token);
        assert!(out.contains(&label), "{out} does not name {label}");
    }
    // Nothing went wrong, so the server has no printer fault to show.
    assert!(
        hall(&ws, &server.device_token("kiosk-1"))
            .printers
            .is_empty()
    );
}

#[test]
fn out_of_paper_the_ticket_is_still_issued_the_kiosk_says_so_and_the_hall_sees_the_fault() {
    let Some(bin) = emupos() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_rt, server) = server();
    let emu = Emulator::start(bin, dir.path());
    let ws = server.url();
    let token = server.device_token("kiosk-1");
    let printer = format!("tcp://127.0.0.1:{}", emu.port_80);
    let args = |lang: &'static str| -> Vec<String> {
        [
            "--service",
            "CIT-BIRTH",
            "--server",
            &ws,
            "--token",
            &token,
            "--printer",
            &printer,
            "--lang",
            lang,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run = |lang| {
        let a = args(lang);
        kiosk_receipt(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    emu.fault("set", "wide", "paper-out");
    let (code, out, err) = run("en");
    assert_eq!(code, 3, "{out}{err}");
    assert!(out.contains("Ticket A-001 issued"), "{out}");
    assert!(
        err.contains("A-001") && err.contains("Out of paper"),
        "{err}"
    );
    let state = hall(&ws, &token);
    let fault = &state.printers["kiosk-1"];
    assert_eq!(fault.status, PrinterStatus::PaperOut);
    assert!(
        state.tickets.values().any(|t| t.label == "A-001"),
        "the ticket was issued"
    );

    // In Arabic the same, in Arabic.
    let (code, _, err) = run("ar");
    assert_eq!(code, 3);
    assert!(err.contains("A-002") && err.contains("نفد الورق"), "{err}");

    // A new roll: the next receipt prints, and the fault clears on the server.
    emu.fault("clear", "wide", "paper-out");
    let before = emu.receipt_count("wide");
    let (code, out, err) = run("en");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("A-003"), "{out}");
    let image = emu.next_receipt("wide", before);
    assert_eq!(image.width, 576);
    assert_eq!(
        hall(&ws, &token).printers["kiosk-1"].status,
        PrinterStatus::Ready
    );
}

#[test]
fn a_printer_that_is_not_there_is_offline_within_seconds_and_the_ticket_is_kept() {
    let (_rt, server) = server();
    let ws = server.url();
    let token = server.device_token("kiosk-1");
    let nobody = format!("tcp://127.0.0.1:{}", free_port());
    let started = Instant::now();
    let (code, out, err) = kiosk_receipt(&[
        "--service",
        "CIT-TAX",
        "--server",
        &ws,
        "--token",
        &token,
        "--printer",
        &nobody,
        "--lang",
        "en",
    ]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.contains("B-001") && err.contains("Printer not responding"),
        "{err}"
    );
    let state = hall(&ws, &token);
    assert_eq!(state.printers["kiosk-1"].status, PrinterStatus::Offline);
    assert!(
        state.printers["kiosk-1"].detail.contains("reach"),
        "{:?}",
        state.printers
    );
}

#[test]
fn no_server_no_ticket_and_an_honest_message() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("r.bin");
    let ws = format!("ws://127.0.0.1:{}/ws", free_port());
    let (code, out, err) = kiosk_receipt(&[
        "--service",
        "CIT-TAX",
        "--server",
        &ws,
        "--token",
        "x",
        "--out",
        out_file.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("Cannot reach the queue server"), "{err}");
    assert!(
        std::fs::read(&out_file)
            .map(|b| b.is_empty())
            .unwrap_or(true)
    );
}

/// The sample center's catalog with every service open round the clock (the test must not
/// depend on the time of day).
fn sample_round_the_clock() -> hall_core::Catalog {
    let always = r#"hours = { days = ["sat", "sun", "mon", "tue", "wed", "thu", "fri"], open = "00:00", close = "24:00" }"#;
    let text: String = hall_wire::center_file::SAMPLE_CENTER
        .lines()
        .map(|l| {
            if l.starts_with("hours = {") && l.ends_with('}') {
                always
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    hall_wire::center_file::parse(&text).unwrap()
}

/// The sample's service with the longest list of documents, printed in English on 80 mm
/// through the independent emulator and read back from its image by OCR: every document in
/// full, the fee, the date in words; and the QR holds the center's public address.
#[test]
fn every_required_document_reads_back_in_full_from_the_printed_receipt() {
    let Some(bin) = emupos() else { return };
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let catalog = sample_round_the_clock();
    // The sample's service with the longest list of documents.
    let service = catalog
        .services
        .iter()
        .max_by_key(|s| s.documents.iter().map(|d| d.en.len()).sum::<usize>())
        .unwrap()
        .clone();
    assert!(service.documents.len() >= 5, "{}", service.code);
    let data = tempfile::tempdir().unwrap();
    let mut opts = queue_server::server::ServerOptions::new(data.path(), catalog);
    // The address citizens' phones reach: the QR must hold it, not the kiosk's own.
    opts.access = hall_wire::center_file::parse_access(
        "[access]\npublic_url = \"https://hel.example.gov.eg\"\n",
    )
    .unwrap();
    let server = rt.block_on(TestServer::start_with(data, opts));
    let emu = Emulator::start(bin, dir.path());
    let token_file = server.data_dir().join(hall_wire::startup::FILE_NAME);
    let printer = format!("tcp://127.0.0.1:{}", emu.port_80);
    let before = emu.receipt_count("wide");
    let (code, out, err) = kiosk_receipt(&[
        "--service",
        service.code.as_str(),
        "--server",
        &server.url(),
        "--token-file",
        token_file.to_str().unwrap(),
        "--device",
        "kiosk-1",
        "--printer",
        &printer,
        "--lang",
        "en",
        "--paper",
        "80",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let paper = emu.next_receipt("wide", before);
    let urls = qr_texts(&paper);
    assert_eq!(urls.len(), 1, "{urls:?}");
    let token = urls[0]
        .strip_prefix("https://hel.example.gov.eg/t/")
        .unwrap_or_else(|| panic!("the QR holds {:?}, not the public address", urls[0]));
    assert!(out.contains(&page_label(&server.url(), token)), "{out}");
    let text = ocr(&paper, dir.path());
    let read = squeeze(&text);
    for doc in &service.documents {
        let want = squeeze(&doc.en);
        // Two misread letters at most in a line of 40: a document cut short misses far more.
        assert!(
            holds(&read, &want, 1 + want.len() / 30),
            "{:?} is not on the receipt; read back:\n{text}",
            doc.en
        );
    }
    // The fee, and the date in words rather than ISO.
    let fee = format!("fee{}egp", service.fee_piasters / 100);
    assert!(read.contains(&fee), "no {fee:?} in:\n{text}");
    assert!(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december"
        ]
        .iter()
        .any(|m| read.contains(m)),
        "no month in words:\n{text}"
    );
    assert!(
        !text.contains("-20") && !text.contains("202-"),
        "an ISO date:\n{text}"
    );
}

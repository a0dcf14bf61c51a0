//! System test of the receipt path end to end: the real queue server (in this process, on a
//! real socket) issues the ticket, `kiosk receipt` (its argument parsing and code, in this
//! process) renders and prints it over TCP to emupos, an independent ESC/POS emulator (PyPI),
//! whose own PNG of the paper is then read back: size, ink, and the QR code to a ticket page
//! the server knows.
//!
//! emupos is found at `$EMUPOS`, else `~/.cache/tabour/emupos-venv/bin/emupos`
//! (`scripts/lib.sh`: `ensure_emupos`). Missing, the tests fail; `TABOUR_SKIP_EMUPOS=1`
//! skips them out loud (scripts/test.sh never sets it).

use clap::Parser;
use hall_client::{Client, ClientConfig, ClientEvent};
use hall_core::{PrinterStatus, State};
use hall_wire::{Credentials, ReplyBody, Request};
use kiosk::receipt::Raster;
use kiosk::receipt_cmd::{ReceiptArgs, execute};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use testkit::TestServer;
use testkit::ports::free_port;
use testkit::process::Reaped;

fn emupos() -> Option<PathBuf> {
    let path = std::env::var_os("EMUPOS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/tabour/emupos-venv/bin/emupos")
        });
    if path.exists() {
        return Some(path);
    }
    if std::env::var("TABOUR_SKIP_EMUPOS").as_deref() == Ok("1") {
        eprintln!(
            "SKIPPED: emupos not found at {} (TABOUR_SKIP_EMUPOS=1)",
            path.display()
        );
        return None;
    }
    panic!(
        "emupos not found at {}: run `. scripts/lib.sh; ensure_emupos` or set EMUPOS",
        path.display()
    );
}

struct Emulator {
    _proc: Reaped,
    bin: PathBuf,
    api: String,
    port_80: u16,
    port_58: u16,
    receipts: PathBuf,
}

impl Emulator {
    /// Two printers: `wide` (Epson TM-T20III, 576 dots) and `narrow` (the same at 384 dots).
    fn start(bin: PathBuf, dir: &Path) -> Emulator {
        let (api_port, port_80, port_58) = (free_port(), free_port(), free_port());
        let profile = dir.join("narrow-58mm.yaml");
        std::fs::write(
            &profile,
            "type: printer\nname: 58 mm test printer\ndpi: 203\nwidth_dots: 384\n\
             font_a: { width: 12, height: 24 }\nfont_b: { width: 9, height: 17 }\n\
             code_pages: { 0: PC437 }\ndefault_code_page: 0\ndrawer_sensor_open_level: high\n",
        )
        .unwrap();
        let config = format!(
            "schema: 1\napi: {{host: 127.0.0.1, port: {api_port}}}\ndevices:\n\
             - {{id: wide, type: printer, profile: epson-tm-t20iii, receipts_dir: ./receipts,\n\
                connections: [{{tcp: {{host: 127.0.0.1, port: {port_80}}}}}]}}\n\
             - {{id: narrow, type: printer, profile: ./narrow-58mm.yaml, receipts_dir: ./receipts,\n\
                connections: [{{tcp: {{host: 127.0.0.1, port: {port_58}}}}}]}}\n"
        );
        std::fs::write(dir.join("emupos.yaml"), config).unwrap();
        let log = std::fs::File::create(dir.join("emupos.log")).unwrap();
        let child = Command::new(&bin)
            .arg("run")
            .arg("--config")
            .arg(dir.join("emupos.yaml"))
            .current_dir(dir)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start emupos");
        let proc = Reaped(child);
        testkit::wait::until_blocking(Duration::from_secs(30), "emupos's control API", || {
            TcpStream::connect(("127.0.0.1", api_port)).is_ok()
        });
        Emulator {
            _proc: proc,
            bin,
            api: format!("http://127.0.0.1:{api_port}"),
            port_80,
            port_58,
            receipts: dir.join("receipts"),
        }
    }

    /// `emupos fault set|clear DEVICE FAULT`, as a technician would.
    fn fault(&self, action: &str, device: &str, fault: &str) {
        let status = Command::new(&self.bin)
            .args(["--api", &self.api, "fault", action, device, fault])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "emupos fault {action} {device} {fault}");
    }

    fn receipt_count(&self, device: &str) -> usize {
        std::fs::read_dir(&self.receipts)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| {
                        let n = e.file_name().to_string_lossy().to_string();
                        n.starts_with(&format!("{device}-")) && n.ends_with(".json")
                    })
                    .count()
            })
            .unwrap_or(0)
    }

    /// The emulator's image of the newest receipt of `device`, once it has one more than `before`.
    fn next_receipt(&self, device: &str, before: usize) -> Raster {
        testkit::wait::until_blocking(Duration::from_secs(15), "the emulator's receipt", || {
            self.receipt_count(device) > before
        });
        let mut pngs: Vec<PathBuf> = std::fs::read_dir(&self.receipts)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                n.starts_with(&format!("{device}-")) && n.ends_with(".png")
            })
            .collect();
        pngs.sort(); // ids start with the UTC completion time
        let newest = pngs.last().unwrap();
        if let Some(keep) = testkit::center::screenshots_dir() {
            let name = format!(
                "receipt-emupos-{}",
                newest.file_name().unwrap().to_string_lossy()
            );
            let _ = std::fs::copy(newest, keep.join(name));
        }
        Raster::from_png(&std::fs::read(newest).unwrap()).unwrap()
    }
}

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

/// The text of an image, as Tesseract reads it (scripts/lib.sh: ensure_ocr). The raster is
/// doubled first: thermal print at 203 dpi is small for OCR.
fn ocr(raster: &Raster, dir: &Path) -> String {
    let mut big = Raster::new(raster.width * 2, raster.height * 2);
    for y in 0..big.height {
        for x in 0..big.width {
            if raster.is_black(x / 2, y / 2) {
                big.set_black(x, y);
            }
        }
    }
    let png = dir.join("ocr.png");
    std::fs::write(&png, big.to_png().unwrap()).unwrap();
    let out = Command::new("tesseract")
        .arg(&png)
        .args(["stdout", "-l", "eng"])
        .output()
        .expect("tesseract: scripts/lib.sh ensure_ocr installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Letters and digits only, lower case: line breaks, spacing and punctuation do not count.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether `text` holds `want` with at most `errors` letters misread, added or dropped
/// (approximate substring match, Sellers' edit distance): OCR reads "from" as "fram" at times.
fn holds(text: &str, want: &str, errors: usize) -> bool {
    let (t, p): (Vec<char>, Vec<char>) = (text.chars().collect(), want.chars().collect());
    let mut prev: Vec<usize> = vec![0; t.len() + 1];
    for (i, pc) in p.iter().enumerate() {
        let mut row = vec![i + 1; t.len() + 1];
        for (j, tc) in t.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(pc != tc))
                .min(prev[j + 1] + 1)
                .min(row[j] + 1);
        }
        prev = row;
    }
    prev.into_iter().min().unwrap_or(0) <= errors
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

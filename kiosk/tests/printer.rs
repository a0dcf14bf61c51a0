//! Printer targets, status bytes, and printers that answer, fall silent or are not there.

use kiosk::printer::{Printer, PrinterStatus, Target, status_from_replies};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

#[test]
fn targets_parse_from_the_three_forms_and_print_back_the_same() {
    let cases = [
        (
            "tcp://192.168.1.50:9100",
            Target::Tcp {
                host: "192.168.1.50".into(),
                port: 9100,
            },
        ),
        (
            "tcp://printer.local:9100",
            Target::Tcp {
                host: "printer.local".into(),
                port: 9100,
            },
        ),
        (
            "tcp://[fd00::50]:9100",
            Target::Tcp {
                host: "fd00::50".into(),
                port: 9100,
            },
        ),
        ("usb:/dev/usb/lp0", Target::Usb("/dev/usb/lp0".into())),
        (
            "file:out/receipt.bin",
            Target::File("out/receipt.bin".into()),
        ),
    ];
    for (text, target) in cases {
        assert_eq!(text.parse::<Target>().unwrap(), target, "{text}");
        assert_eq!(target.to_string(), text);
    }
}

#[test]
fn bad_targets_are_refused_with_the_forms_that_work() {
    for bad in [
        "",
        "192.168.1.50:9100",
        "tcp://host",
        "tcp://:9100",
        "tcp://h:0",
        "tcp://h:99999",
        "usb:",
        "file:",
        "lpt1",
    ] {
        let err = bad
            .parse::<Target>()
            .err()
            .unwrap_or_else(|| panic!("{bad:?} parsed"))
            .to_string();
        assert!(err.contains(&format!("{bad:?}")), "{err}");
    }
    let err = "lpt1".parse::<Target>().unwrap_err().to_string();
    assert!(
        err.contains("tcp://HOST:PORT") && err.contains("usb:") && err.contains("file:"),
        "{err}"
    );
}

// DLE EOT replies as an Epson TM printer sends them (fixed bits 0x12).
const OK: u8 = 0x12;

#[test]
fn status_bytes_read_as_what_a_technician_must_do() {
    assert_eq!(status_from_replies(OK, OK, OK), PrinterStatus::Ready);
    // Paper near end (n=4 bits 2-3): still prints.
    assert_eq!(
        status_from_replies(OK, OK, 0x1e),
        PrinterStatus::PaperNearEnd
    );
    assert!(PrinterStatus::PaperNearEnd.can_print());
    // Paper out: n=4 bits 5-6, n=1 off-line, n=2 stopped by paper end (emupos and Epson alike).
    assert_eq!(
        status_from_replies(0x1a, 0x32, 0x7e),
        PrinterStatus::PaperOut
    );
    assert_eq!(status_from_replies(OK, OK, 0x72), PrinterStatus::PaperOut);
    // Cover open: n=2 bit 2, and off-line.
    assert_eq!(
        status_from_replies(0x1a, 0x16, OK),
        PrinterStatus::CoverOpen
    );
    // Off-line for another reason, or an error.
    assert!(matches!(
        status_from_replies(0x1a, OK, OK),
        PrinterStatus::Offline(_)
    ));
    assert!(matches!(
        status_from_replies(OK, 0x52, OK),
        PrinterStatus::Offline(_)
    ));
    // Not a status byte (the fixed bits wrong): offline, naming the byte.
    match status_from_replies(0xff, OK, OK) {
        PrinterStatus::Offline(why) => assert!(why.contains("0xff"), "{why}"),
        other => panic!("{other:?}"),
    }
    for s in [
        PrinterStatus::PaperOut,
        PrinterStatus::CoverOpen,
        PrinterStatus::Offline("x".into()),
    ] {
        assert!(!s.can_print());
    }
}

#[test]
fn statuses_go_to_the_server_with_their_detail_and_have_translations() {
    assert_eq!(
        PrinterStatus::Offline("connection refused".into()).wire(),
        (
            hall_core::PrinterStatus::Offline,
            "connection refused".into()
        )
    );
    assert_eq!(
        PrinterStatus::PaperOut.wire().0,
        hall_core::PrinterStatus::PaperOut
    );
    for lang in ["ar", "en"] {
        let tr = hall_core::i18n::Translator::new(lang);
        for s in [
            PrinterStatus::Ready,
            PrinterStatus::PaperNearEnd,
            PrinterStatus::PaperOut,
            PrinterStatus::CoverOpen,
            PrinterStatus::Offline(String::new()),
        ] {
            assert!(tr.has(&s.message_id()), "{lang} {}", s.message_id());
        }
    }
}

/// A network printer on a port of this machine that answers each DLE EOT n from `replies`
/// (None: stays silent) and keeps what it is sent.
fn fake_printer(replies: [Option<u8>; 3]) -> (Target, std::thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            got.extend_from_slice(&buf[..n]);
            for w in buf[..n].windows(3) {
                if w[0] == 0x10 && w[1] == 0x04 {
                    let i = match w[2] {
                        1 => 0,
                        2 => 1,
                        4 => 2,
                        _ => continue,
                    };
                    if let Some(b) = replies[i] {
                        let _ = s.write_all(&[b]);
                    }
                }
            }
        }
        got
    });
    (
        Target::Tcp {
            host: "127.0.0.1".into(),
            port,
        },
        handle,
    )
}

#[test]
fn a_network_printer_is_asked_dle_eot_1_2_4_and_gets_the_bytes_unchanged() {
    let (target, printer) = fake_printer([Some(OK), Some(OK), Some(0x1e)]);
    let mut p = Printer::open(&target, Duration::from_secs(2)).unwrap();
    assert_eq!(p.status(), PrinterStatus::PaperNearEnd);
    p.print(b"\x1b@receipt\x1dVA\x00").unwrap();
    drop(p);
    let got = printer.join().unwrap();
    assert_eq!(
        &got[..9],
        b"\x10\x04\x01\x10\x04\x02\x10\x04\x04",
        "status requests, no stray bytes"
    );
    assert_eq!(&got[9..], b"\x1b@receipt\x1dVA\x00");
}

#[test]
fn a_silent_printer_is_offline_within_the_timeout_not_a_hung_kiosk() {
    let (target, _printer) = fake_printer([Some(OK), None, None]);
    let mut p = Printer::open(&target, Duration::from_millis(300)).unwrap();
    let t = Instant::now();
    match p.status() {
        PrinterStatus::Offline(why) => assert!(why.contains("DLE EOT 2"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn a_printer_that_is_not_there_is_a_connect_error_naming_it() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let target = Target::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let err = Printer::open(&target, Duration::from_millis(500))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains(&format!("tcp://127.0.0.1:{port}")), "{err}");
}

#[test]
fn a_file_target_receives_the_bytes_and_is_always_ready() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.bin");
    std::fs::write(&path, b"old job").unwrap();
    let mut p = Printer::open(&Target::File(path.clone()), Duration::from_secs(1)).unwrap();
    assert_eq!(p.status(), PrinterStatus::Ready);
    p.print(b"\x1b@new").unwrap();
    drop(p);
    assert_eq!(std::fs::read(&path).unwrap(), b"\x1b@new");
}

#[cfg(target_os = "linux")]
#[test]
fn a_usb_device_file_that_answers_nonsense_is_offline_and_nothing_blocks() {
    // A FIFO stands in for the device file: opened read-write, non-blocking.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("lp0");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut p = Printer::open(&Target::Usb(fifo.clone()), Duration::from_millis(300)).unwrap();
    let t = Instant::now();
    // Our own status request comes back through the FIFO as bytes that are not a status.
    assert!(matches!(p.status(), PrinterStatus::Offline(_)));
    assert!(t.elapsed() < Duration::from_secs(3));
}

//! `cargo xtask screenshots OUT`: every kiosk screen (Arabic and English), the display board,
//! both apps' pairing screen,
//! the web pages, the manager's tabs and the national console, and receipts, as PNG files in
//! OUT. The apps draw under
//! Xvfb with their `dev` feature's `--screenshot`; the pages and receipts come from the tests
//! that can take pictures (`TABOUR_SCREENSHOTS`, `testkit::center::screenshots_dir`).
//! `--only board,web` takes some of the parts (kiosk, board, pairing, web).

use crate::Result;
use crate::apps::{self, args};
use crate::build::{self, workspace};
use crate::server::{Server, temp_dir};
use std::path::Path;
use std::time::Duration;

/// The apps' demo and screenshot code (`--screenshot`, `--screen`, `--screenshot-offline`).
pub const DEV_FEATURES: &[&str] = &["kiosk/dev", "display-board/dev"];

/// The parts `--only` may name.
const PARTS: [&str; 4] = ["kiosk", "board", "pairing", "web"];

pub fn run(out: &Path, only: &[String]) -> Result {
    if let Some(bad) = only.iter().find(|p| !PARTS.contains(&p.as_str())) {
        return Err(format!("no part {bad:?}; one of {}", PARTS.join(", ")));
    }
    let wanted = |part: &str| only.is_empty() || only.iter().any(|p| p == part);
    crate::packages::ensure(&[
        "ensure_build_packages",
        "ensure_display_packages",
        "ensure_browser_packages",
        "ensure_emupos",
        "ensure_nats",
        "ensure_postgres",
    ])?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let out = out.canonicalize().map_err(|e| e.to_string())?;
    let tests = build::workspace_tests(DEV_FEATURES)?;
    // Every part runs; what failed is said at the end (one screen the demo cannot reach must
    // not cost the pictures of every other part).
    let mut failed = Vec::new();
    if wanted("kiosk")
        && let Err(e) = kiosk(&out)
    {
        failed.push(e);
    }
    if wanted("board")
        && let Err(e) = board(&out)
    {
        failed.push(e);
    }
    if wanted("pairing")
        && let Err(e) = pairing(&out)
    {
        failed.push(e);
    }
    if wanted("web")
        && let Err(e) = web(&out, &tests)
    {
        failed.push(e);
    }
    let mut shots: Vec<String> = std::fs::read_dir(&out)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png"))
        .collect();
    shots.sort();
    println!("{} screenshots in {}:", shots.len(), out.display());
    for s in shots {
        println!("  {s}");
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("not taken:\n{}", failed.join("\n")))
    }
}

/// The sample Heliopolis center with its hours widened to round the clock (the screens must
/// not depend on the time of day) and CIT-RDO closed by the center, to show a closed service.
fn round_the_clock_heliopolis() -> Result<String> {
    let path = workspace().join("assets/centers/heliopolis.toml");
    let toml = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let always = r#"hours = { days = ["sat", "sun", "mon", "tue", "wed", "thu", "fri"], open = "00:00", close = "24:00" }"#;
    // Messages on (an SMSC nobody answers; nothing is sent): the ticket screen offers the
    // phone number entry, which has a screen of its own.
    let sms = "\n[sms]\ntransport = \"smpp\"\nhost = \"127.0.0.1\"\nport = 9\nsystem_id = \"shots\"\npassword = \"shots\"\n";
    let mut lines = Vec::new();
    let mut in_rdo = false;
    for line in toml.lines() {
        if line.starts_with("hours = {") && line.ends_with('}') {
            lines.push(always.to_string());
            continue;
        }
        if line == r#"code = "CIT-RDO""# {
            in_rdo = true;
        }
        if in_rdo && line == "open = true" {
            lines.push("open = false".into());
            in_rdo = false;
            continue;
        }
        lines.push(line.to_string());
    }
    Ok(lines.join("\n") + "\n" + sms)
}

/// Every kiosk screen, walked with taps against a real server; receipts print to files.
fn kiosk(out: &Path) -> Result {
    let data = temp_dir("kiosk-shots")?;
    let center = data.join("center.toml");
    std::fs::write(&center, round_the_clock_heliopolis()?).map_err(|e| e.to_string())?;
    let mut server = Server::start(&center, &data)?;
    server.seed()?;
    let shot = |name: &str, printer: Option<&str>, extra: &[&str]| {
        let printer = printer.map(str::to_string).unwrap_or_else(|| {
            format!(
                "file:{}",
                data.join(format!("receipt-{name}.bin")).display()
            )
        });
        let png = out.join(format!("{name}.png"));
        let mut a = args(&["--settings"]);
        a.push(
            data.join(format!("kiosk-{name}.json"))
                .display()
                .to_string(),
        );
        a.extend(args(&[
            "--pin",
            "2468",
            "--printer",
            &printer,
            "--screenshot",
        ]));
        a.push(png.display().to_string());
        a.extend(args(extra));
        println!("{}", png.display());
        apps::start("kiosk", &server, (1920, 1920), &a, None)
    };
    let mut failed = Vec::new();
    // Every screen in both languages, portrait and landscape, in normal and large text
    // (large text is the high-contrast mode). Names: kiosk-SCREEN-LANG[-landscape][-large].
    let screens: [(&str, &[&str]); 17] = [
        ("welcome", &["--screen", "welcome"]),
        ("categories", &["--screen", "categories"]),
        (
            "services",
            &["--screen", "services", "--service", "CIT-TNT"],
        ),
        ("card", &["--screen", "card", "--service", "CIT-TNT"]),
        ("card-closed", &["--screen", "card", "--service", "CIT-RDO"]),
        (
            "priority",
            &["--screen", "priority", "--service", "CIT-TNT"],
        ),
        ("confirm", &["--screen", "confirm", "--service", "CIT-TNT"]),
        // A service no open window serves (the seeded hall opens windows 1-5).
        (
            "card-unserved",
            &["--screen", "card", "--service", "HSG-APP"],
        ),
        (
            "confirm-unserved",
            &["--screen", "confirm", "--service", "HSG-APP"],
        ),
        ("ticket", &["--screen", "ticket", "--service", "CIT-TNT"]),
        ("follow", &["--screen", "follow"]),
        ("status", &["--screen", "status"]),
        ("phone", &["--screen", "phone", "--service", "CIT-TNT"]),
        (
            "confirm-phone",
            &["--screen", "confirm-phone", "--service", "CIT-TNT"],
        ),
        ("pin", &["--screen", "pin"]),
        ("panel", &["--screen", "panel"]),
        (
            "ticket-printer-offline",
            &["--screen", "ticket", "--service", "CIT-TNT"],
        ),
    ];
    for (orientation, landscape) in [("", false), ("-landscape", true)] {
        for (size, large) in [("", false), ("-large", true)] {
            for lang in ["ar", "en"] {
                for &(screen, extra) in screens.iter().filter(|(s, _)| wanted_screen(s)) {
                    let name = format!("kiosk-{screen}-{lang}{orientation}{size}");
                    let mut a: Vec<&str> = [extra, &["--lang", lang]].concat();
                    if landscape {
                        a.push("--landscape");
                    }
                    if large {
                        a.push("--large-text");
                    }
                    // The printer is unreachable: the ticket stands, on screen with its QR,
                    // and the citizen is told.
                    let printer =
                        (screen == "ticket-printer-offline").then_some("tcp://127.0.0.1:9");
                    // A screen the demo cannot reach is reported at the end, not the end
                    // of every other picture.
                    if let Err(e) = shot(&name, printer, &a)?.wait_at_most(&name, SHOT_LIMIT) {
                        failed.push(e);
                    }
                }
            }
        }
    }
    // The server goes away while a citizen is on the confirm screen: taking the ticket fails
    // honestly and offers a retry (with the same idempotency key).
    let mut offline = Vec::new();
    for lang in ["ar", "en"] {
        let extra = ["--screen", "failed", "--lang", lang, "--service", "CIT-TNT"];
        offline.push((
            format!("kiosk-offline-{lang}"),
            shot(&format!("kiosk-offline-{lang}"), None, &extra)?,
        ));
    }
    std::thread::sleep(Duration::from_secs(14));
    server.kill();
    for (name, app) in offline {
        app.wait(&name)?;
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

/// `TABOUR_KIOSK_SCREENS=card,ticket` takes only those kiosk screens (each in every
/// orientation, size and language): a quick look while working on one of them.
fn wanted_screen(screen: &str) -> bool {
    match std::env::var("TABOUR_KIOSK_SCREENS") {
        Ok(list) if !list.trim().is_empty() => list.split(',').any(|s| s.trim() == screen),
        _ => true,
    }
}

/// The longest a kiosk may take to draw one screen (about 20 s under Xvfb on two cores).
const SHOT_LIMIT: Duration = Duration::from_secs(90);

/// The display board on a seeded hall: landscape with Arabic and English labels, Arabic only,
/// English only, portrait, and after losing the server.
fn board(out: &Path) -> Result {
    let mut server = Server::seeded()?;
    let data = temp_dir("board-shots")?;
    let shot = |name: &str, extra: &[&str]| {
        let png = out.join(format!("{name}.png"));
        let mut a = args(&["--settings"]);
        a.push(data.join(format!("{name}.json")).display().to_string());
        a.extend(args(&[
            "--silent",
            "--logo",
            "logos/sample-center.png",
            "--screenshot",
        ]));
        a.push(png.display().to_string());
        a.extend(args(extra));
        println!("{}", png.display());
        apps::start("display-board", &server, (1920, 1920), &a, None)
    };
    shot("board-landscape-ar-en", &["--labels", "ar,en"])?.wait("board-landscape-ar-en")?;
    shot("board-landscape-ar", &["--labels", "ar"])?.wait("board-landscape-ar")?;
    shot(
        "board-landscape-en",
        &["--labels", "en", "--digits", "latin"],
    )?
    .wait("board-landscape-en")?;
    shot("board-portrait-ar-en", &["--labels", "ar,en", "--portrait"])?
        .wait("board-portrait-ar-en")?;
    // The server goes away: the board keeps the last calls and says it is reconnecting.
    let offline = shot(
        "board-offline-ar-en",
        &["--labels", "ar,en", "--screenshot-offline"],
    )?;
    std::thread::sleep(Duration::from_secs(6));
    server.kill();
    offline.wait("board-offline-ar-en")
}

/// A kiosk (portrait) and a board (landscape and portrait) started without a token: the
/// pairing code in large digits, Arabic and English.
fn pairing(out: &Path) -> Result {
    let server = Server::seeded()?;
    let data = temp_dir("pairing-shots")?;
    let shot = |app: &str, name: &str, extra: &[&str]| {
        let png = out.join(format!("{name}.png"));
        let mut a = args(&["--settings"]);
        a.push(data.join(format!("{name}.json")).display().to_string());
        a.push("--screenshot".into());
        a.push(png.display().to_string());
        a.extend(args(extra));
        println!("{}", png.display());
        apps::start_unpaired(app, &server, (1920, 1920), &a, None)
    };
    shot(
        "kiosk",
        "kiosk-pairing",
        &["--pin", "2468", "--printer", "", "--screen", "pairing"],
    )?
    .wait("kiosk-pairing")?;
    shot("display-board", "board-pairing", &["--silent"])?.wait("board-pairing")?;
    shot(
        "display-board",
        "board-pairing-portrait",
        &["--silent", "--portrait"],
    )?
    .wait("board-pairing-portrait")
}

/// The web pages, the consoles and the receipts: the test binaries that write screenshots.
fn web(out: &Path, tests: &[build::TestExe]) -> Result {
    let env = [("TABOUR_SCREENSHOTS", out)];
    let web = build::test_exe(tests, "tests/tests/web.rs")?;
    build::run_tests(web, &["screenshots_of_every_page"], &env)?;
    let manager = build::test_exe(tests, "tests/tests/manager_web.rs")?;
    build::run_tests(manager, &["screenshots_of_every_tab"], &env)?;
    let requests = build::test_exe(tests, "tests/tests/requests_web.rs")?;
    build::run_tests(requests, &[], &env)?;
    // The service guide on a phone, the ticket page's alert.
    let citizen = build::test_exe(tests, "tests/tests/citizen_pages.rs")?;
    build::run_tests(citizen, &[], &env)?;
    build::run_tests(
        build::test_exe(tests, "queue-server/tests/poster.rs")?,
        &[],
        &env,
    )?;
    let national = build::test_exe(tests, "central/tests/console.rs")?;
    build::run_tests(national, &["screenshots_of_the_national_console"], &env)?;
    build::run_tests(build::test_exe(tests, "kiosk/tests/receipt.rs")?, &[], &env)?;
    let emupos = build::test_exe(tests, "kiosk/tests/receipt_emupos.rs")?;
    build::run_tests(emupos, &[], &env)?;
    // The counters' request slips through the same emulator.
    let slips = build::test_exe(tests, "queue-server/tests/slip_emupos.rs")?;
    build::run_tests(slips, &[], &env)?;
    Ok(())
}

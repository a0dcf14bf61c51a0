//! `kiosk`: the touchscreen where citizens take tickets, and its window-less receipt path.
//!
//!   kiosk [run] --server ws://127.0.0.1:8740/ws --token-file data/first-start.txt --printer file:receipt.bin
//!   kiosk [run] --settings /var/lib/tabour-kiosk/kiosk.json --server ws://10.0.0.2:8740/ws   # pairs on screen
//!   kiosk receipt --service CIT-TNT --out receipt.bin
//!   kiosk receipt --service CIT-TNT --printer tcp://192.168.1.50:9100

use clap::{Args as ClapArgs, Parser, Subcommand};
use hall_core::Priority;
#[cfg(feature = "dev")]
use kiosk::app::Demo;
use kiosk::app::{self, KioskOptions};
use kiosk::flow::Lang;
use kiosk::receipt_cmd::{self, ReceiptArgs};
use kiosk::settings::{Settings, new_pin};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about = "Ticket kiosk of a citizen service center")]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Open the kiosk window (the default).
    Run,
    /// Issue a real ticket and print its receipt, without a window.
    Receipt(Box<ReceiptArgs>),
}

#[derive(ClapArgs, Clone)]
struct RunArgs {
    /// The settings file: kept across restarts, changed from the technician panel. Values
    /// given below are written into it.
    #[arg(long, default_value = "kiosk-settings.json")]
    settings: PathBuf,
    /// The queue server's websocket.
    #[arg(long)]
    server: Option<String>,
    /// This kiosk's device token. Without one, the kiosk shows a pairing code until a manager
    /// approves it, and keeps the token it gets in the settings file.
    #[arg(long, conflicts_with = "token_file")]
    token: Option<String>,
    /// Read the token of device `--device` from the server's first-start.txt.
    #[arg(long)]
    token_file: Option<PathBuf>,
    #[arg(long, default_value = "kiosk-1")]
    device: String,
    /// Receipt printer: tcp://HOST:PORT, usb:/dev/usb/lp0, file:PATH ("" for none).
    #[arg(long)]
    printer: Option<String>,
    /// Paper width in mm: 80 or 58.
    #[arg(long, value_parser = ["80", "58"])]
    paper: Option<String>,
    /// The technician PIN (digits); made up and printed at first start if never set.
    #[arg(long)]
    pin: Option<String>,
    /// Base URL of the citizen's ticket page (default: the server's address).
    #[arg(long)]
    ticket_base: Option<String>,
    /// Priorities offered to citizens ("none" for no priority question).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "elderly,disabled,pregnant"
    )]
    priorities: Vec<String>,
    /// With --screenshot: the language the walk chooses (ar or en). The kiosk itself always
    /// greets in both and returns to Arabic for the next citizen.
    #[cfg(feature = "dev")]
    #[arg(long, default_value = "ar")]
    lang: String,
    /// A 1920×1080 landscape screen instead of 1080×1920 portrait.
    #[arg(long)]
    landscape: bool,
    /// A normal, closable window (development); by default the kiosk fills the screen and
    /// ignores close requests.
    #[arg(long)]
    windowed: bool,
    /// Folder with fonts/ (default: $TABOUR_ASSETS, beside the program in ../share/tabour,
    /// /usr/share/tabour).
    #[arg(long)]
    assets: Option<PathBuf>,
    /// Save a screenshot of `--screen` to this PNG, then exit (feature `dev`, as are the
    /// flags below and `--lang`).
    #[cfg(feature = "dev")]
    #[arg(long)]
    screenshot: Option<PathBuf>,
    /// With --screenshot: welcome, categories, services, card, priority, confirm, ticket,
    /// failed, pin, panel, pairing (start it without a token).
    #[cfg(feature = "dev")]
    #[arg(long, default_value = "welcome")]
    screen: String,
    /// With --screenshot: the service to walk to.
    #[cfg(feature = "dev")]
    #[arg(long)]
    service: Option<String>,
    /// With --screenshot: the large-text, high-contrast mode.
    #[cfg(feature = "dev")]
    #[arg(long)]
    large_text: bool,
}

#[cfg(feature = "dev")]
fn lang_of(s: &str) -> Result<Lang, String> {
    match s {
        "ar" => Ok(Lang::Ar),
        "en" => Ok(Lang::En),
        other => Err(format!("unknown language {other:?} (ar or en)")),
    }
}

fn priority_of(s: &str) -> Result<Option<Priority>, String> {
    Ok(match s.trim() {
        "none" | "" => None,
        "elderly" => Some(Priority::Elderly),
        "disabled" => Some(Priority::Disabled),
        "pregnant" => Some(Priority::Pregnant),
        other => {
            return Err(format!(
                "unknown priority {other:?} (elderly, disabled, pregnant, none)"
            ));
        }
    })
}

fn settings_of(a: &RunArgs) -> Result<Settings, String> {
    let mut s = Settings::load(&a.settings)?.unwrap_or_else(|| Settings {
        server: "ws://127.0.0.1:8740/ws".into(),
        token: String::new(),
        printer: String::new(),
        paper_mm: 80,
        pin: String::new(),
        ticket_base: String::new(),
    });
    let before = s.clone();
    if let Some(v) = &a.server {
        s.server = v.clone();
    }
    if let Some(t) = &a.token {
        s.token = t.clone();
    }
    if let Some(file) = &a.token_file {
        s.token = hall_wire::startup::token_from(file, &a.device).map_err(|e| e.to_string())?;
    }
    if let Some(p) = &a.printer {
        if !p.is_empty() {
            p.parse::<kiosk::printer::Target>()
                .map_err(|e| format!("--printer: {e}"))?;
        }
        s.printer = p.clone();
    }
    if let Some(p) = &a.paper {
        s.paper_mm = p.parse().unwrap_or(80);
    }
    if let Some(pin) = &a.pin {
        if pin.len() < 4 || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err("--pin: at least four digits".into());
        }
        s.pin = pin.clone();
    }
    if let Some(b) = &a.ticket_base {
        s.ticket_base = b.clone();
    }
    if s.pin.is_empty() {
        s.pin = new_pin();
        println!(
            "technician PIN (tap the center's name five times): {}  — saved in {}",
            s.pin,
            a.settings.display()
        );
    }
    if s != before {
        s.save(&a.settings)
            .map_err(|e| format!("{}: {e}", a.settings.display()))?;
    }
    Ok(s)
}

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        Some(Command::Receipt(r)) => receipt_cmd::run(*r),
        Some(Command::Run) | None => {
            let a = args.run;
            let opts = (|| -> Result<KioskOptions, String> {
                let priorities = a
                    .priorities
                    .iter()
                    .map(|p| priority_of(p))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .collect();
                #[cfg(feature = "dev")]
                let lang = lang_of(&a.lang)?;
                // Screenshots need the window's own size.
                #[cfg(feature = "dev")]
                let windowed = a.windowed || a.screenshot.is_some();
                #[cfg(not(feature = "dev"))]
                let windowed = a.windowed;
                Ok(KioskOptions {
                    settings: settings_of(&a)?,
                    settings_path: a.settings.clone(),
                    assets: hall_ui::assets::find(a.assets.as_deref())?,
                    priorities,
                    default_lang: Lang::Ar,
                    landscape: a.landscape,
                    windowed,
                    #[cfg(feature = "dev")]
                    screenshot: a.screenshot.clone(),
                    #[cfg(feature = "dev")]
                    demo: Demo {
                        screen: a.screen.clone(),
                        lang: Some(lang),
                        large_text: a.large_text,
                        service: a.service.clone(),
                    },
                })
            })();
            match opts {
                Ok(o) => match app::run(o) {
                    bevy::app::AppExit::Success => ExitCode::SUCCESS,
                    bevy::app::AppExit::Error(_) => ExitCode::FAILURE,
                },
                Err(e) => {
                    eprintln!("kiosk: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

//! `display-board`: the hall screen, and its announcements.
//!
//!   display-board [run] --settings board.json --server ws://127.0.0.1:8740/ws
//!   display-board [run] --token-file data/first-start.txt   # or pair on screen, no token
//!   display-board announce A-123 5 --lang ar,en --out call.wav
//!   display-board voice-list            # the clips a voice pack provides (TSV)
//!   display-board voice-busy-hour       # what the speaker does when calls come fast

use clap::{Args as ClapArgs, Parser, Subcommand};
use display_board::announce::{self, Lang, VoicePack};
use display_board::app::{self, BoardOptions};
use display_board::board::Zone;
use display_board::settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about = "Display board of a citizen service center")]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(ClapArgs, Clone)]
struct RunArgs {
    /// The config file (server, token): kept across restarts; values given below are
    /// written into it, and the token a manager approves on the pairing screen too.
    #[arg(long, default_value = "board-settings.json")]
    settings: PathBuf,
    /// The queue server's websocket (default ws://127.0.0.1:8740/ws).
    #[arg(long)]
    server: Option<String>,
    /// This board's device token. Without one, the board shows a pairing code.
    #[arg(long, conflicts_with = "token_file")]
    token: Option<String>,
    /// Read the token of device `--device` from the server's first-start.txt.
    #[arg(long)]
    token_file: Option<PathBuf>,
    #[arg(long, default_value = "board-1")]
    device: String,
    /// Languages of the voice, in order: "ar,en", "en,ar", "ar"; "none" for the chime alone.
    #[arg(long, default_value = "ar,en")]
    voice: String,
    /// No sound at all.
    #[arg(long)]
    silent: bool,
    /// Digits in Arabic texts: "arabic" (٠١٢…) or "latin" (012…).
    #[arg(long, default_value = "arabic")]
    digits: String,
    /// A 1080×1920 portrait screen instead of 1920×1080 landscape.
    #[arg(long)]
    portrait: bool,
    /// A normal window (development); by default the board fills the screen.
    #[arg(long)]
    windowed: bool,
    /// Show only these services (comma-separated codes).
    #[arg(long, value_delimiter = ',')]
    zone_services: Vec<String>,
    /// Show only these counters (comma-separated numbers).
    #[arg(long, value_delimiter = ',')]
    zone_counters: Vec<u32>,
    /// Save a screenshot once the hall is shown, then exit (feature `dev`).
    #[cfg(feature = "dev")]
    #[arg(long)]
    screenshot: Option<PathBuf>,
    /// With --screenshot: wait until the server is gone (shows the reconnecting state).
    #[cfg(feature = "dev")]
    #[arg(long)]
    screenshot_offline: bool,
    /// Languages of the labels, in order: "ar,en" (both, Arabic first), "en,ar", "ar", "en".
    #[arg(long, default_value = "ar,en")]
    labels: String,
    /// Folder with fonts/ and voice/ (default: $TABOUR_ASSETS, beside the program in
    /// ../share/tabour, /usr/share/tabour).
    #[arg(long)]
    assets: Option<PathBuf>,
    /// The center's logo: a PNG path under --assets, e.g. logos/sample-center.png.
    #[arg(long)]
    logo: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the board window (the default).
    Run,
    /// Render the announcement of a call to a WAV file (to check a voice pack).
    Announce {
        /// Ticket label, e.g. A-123.
        label: String,
        /// Counter number.
        counter: u32,
        /// Languages in the order spoken, e.g. "ar,en"; "none" for the chime alone.
        #[arg(long, default_value = "ar,en")]
        lang: String,
        #[arg(long)]
        out: PathBuf,
        /// The voice pack directory (default: voice/ in the asset folder).
        #[arg(long)]
        voice: Option<PathBuf>,
    },
    /// Print every clip a voice pack must provide, tab-separated: name, language of the
    /// placeholder voice, the placeholder's text, what the clip says.
    VoiceList,
    /// Simulate a busy hour (a call every 10–15 s) with the voice pack's real durations and
    /// print how far the speaker falls behind the screen: a plain queue against the board's
    /// rule (docs/voice.md).
    VoiceBusyHour {
        #[arg(long, default_value = "ar,en")]
        lang: String,
        #[arg(long)]
        voice: Option<PathBuf>,
        #[arg(long, default_value_t = 8)]
        counters: u32,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Shortest and longest seconds between two calls of the hall.
        #[arg(long, default_value = "10,15")]
        gap: String,
    },
}

fn langs(list: &str) -> Result<Vec<Lang>, String> {
    if list == "none" {
        return Ok(vec![]);
    }
    list.split(',')
        .map(|l| Lang::parse(l).ok_or(format!("unknown language {l:?} (ar, en)")))
        .collect()
}

/// The config file with what the command line gives written into it.
fn settings_of(r: &RunArgs) -> Result<Settings, String> {
    let mut s = Settings::load(&r.settings)?.unwrap_or_default();
    let before = s.clone();
    if let Some(v) = &r.server {
        s.server = v.clone();
    }
    if let Some(t) = &r.token {
        s.token = t.clone();
    }
    if let Some(f) = &r.token_file {
        s.token = hall_wire::startup::token_from(f, &r.device).map_err(|e| e.to_string())?;
    }
    if s != before || !r.settings.exists() {
        s.save(&r.settings)
            .map_err(|e| format!("{}: {e}", r.settings.display()))?;
    }
    Ok(s)
}

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command.unwrap_or(Command::Run) {
        Command::Run => {
            let r = args.run;
            let settings = settings_of(&r);
            let assets = hall_ui::assets::find(r.assets.as_deref());
            let labels = langs(&r.labels).and_then(|l| {
                if l.is_empty() {
                    Err("--labels needs a language".into())
                } else {
                    Ok(l)
                }
            });
            let (settings, assets, voice, labels) =
                match (settings, assets, langs(&r.voice), labels) {
                    (Ok(s), Ok(a), Ok(v), Ok(l)) => (s, a, v, l),
                    (Err(e), ..) | (_, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => {
                        eprintln!("display-board: {e}");
                        return ExitCode::from(2);
                    }
                };
            let zone = Zone {
                services: (!r.zone_services.is_empty()).then_some(r.zone_services),
                counters: (!r.zone_counters.is_empty()).then_some(r.zone_counters),
            };
            let exit = app::run(BoardOptions {
                url: settings.server.clone(),
                token: settings.token.clone(),
                settings_path: r.settings.clone(),
                voice,
                voice_dir: assets.join("voice"),
                silent: r.silent,
                arabic_digits: r.digits != "latin",
                portrait: r.portrait,
                // Screenshots need the window's own size.
                #[cfg(feature = "dev")]
                windowed: r.windowed || r.screenshot.is_some(),
                #[cfg(not(feature = "dev"))]
                windowed: r.windowed,
                zone,
                #[cfg(feature = "dev")]
                screenshot: r.screenshot,
                #[cfg(feature = "dev")]
                screenshot_offline: r.screenshot_offline,
                labels,
                assets,
                logo: r.logo,
            });
            if exit.is_success() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Announce {
            label,
            counter,
            lang,
            out,
            voice,
        } => {
            let langs = match langs(&lang) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("display-board: {e}");
                    return ExitCode::from(2);
                }
            };
            let voice = match voice
                .map_or_else(|| hall_ui::assets::find(None).map(|a| a.join("voice")), Ok)
            {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("display-board: {e}");
                    return ExitCode::from(2);
                }
            };
            let steps = announce::plan(&label, counter, &langs);
            match VoicePack::new(voice)
                .render(&steps)
                .and_then(|a| a.write_wav(&out).map(|()| a))
            {
                Ok(audio) => {
                    println!(
                        "{}: {:.2} s at {} Hz, RMS {:.3}",
                        out.display(),
                        audio.seconds(),
                        audio.sample_rate,
                        audio.rms()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("display-board: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::VoiceBusyHour {
            lang,
            voice,
            counters,
            seed,
            gap,
        } => match busy_hour(&lang, voice, counters, seed, &gap) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("display-board: {e}");
                ExitCode::FAILURE
            }
        },
        Command::VoiceList => {
            for c in announce::manifest() {
                println!("{}\t{}\t{}\t{}", c.name, c.lang, c.tts_text, c.says);
            }
            ExitCode::SUCCESS
        }
    }
}

fn busy_hour(
    lang: &str,
    voice: Option<PathBuf>,
    counters: u32,
    seed: u64,
    gap: &str,
) -> Result<(), String> {
    use display_board::backlog::Length;
    use display_board::busy_hour::{self, Figures, Hall};
    let langs = langs(lang)?;
    let voice = voice.map_or_else(|| hall_ui::assets::find(None).map(|a| a.join("voice")), Ok)?;
    let gap_ms = match gap
        .split_once(',')
        .map(|(a, b)| (a.parse::<u64>(), b.parse::<u64>()))
    {
        Some((Ok(a), Ok(b))) if a <= b => (a * 1000, b * 1000),
        _ => return Err(format!("--gap {gap:?}: two whole seconds, e.g. 10,15")),
    };
    let hall = Hall {
        seed,
        counters,
        gap_ms,
        ..Hall::default()
    };
    let pack = VoicePack::new(voice);
    let calls = busy_hour::calls(&hall);
    // Every announcement's real length, rendered from the pack.
    let mut lengths = std::collections::HashMap::new();
    for (_, c) in &calls {
        for (length, langs) in [
            (Length::Full, &langs[..]),
            (Length::Short, &langs[..langs.len().min(1)]),
        ] {
            let audio = VoicePack::render(&pack, &announce::plan(&c.label, c.counter, langs))
                .map_err(|e| e.to_string())?;
            lengths.insert((c.ticket, length), (audio.seconds() * 1000.0) as u64);
        }
    }
    let said = |c: &display_board::board::Call, l: Length| lengths[&(c.ticket, l)];
    let full: Vec<u64> = calls.iter().map(|(_, c)| said(c, Length::Full)).collect();
    let mean = full.iter().sum::<u64>() as f64 / full.len().max(1) as f64 / 1000.0;
    println!(
        "busy hour: {} calls in 60 min at {} counters, a call every {}–{} s; one announcement in {lang}: {mean:.1} s on average ({:.1}–{:.1} s)",
        calls.len(),
        counters,
        gap_ms.0 / 1000,
        gap_ms.1 / 1000,
        *full.iter().min().unwrap_or(&0) as f64 / 1000.0,
        *full.iter().max().unwrap_or(&0) as f64 / 1000.0,
    );
    let row = |name: &str, f: &Figures| {
        println!(
            "{name:<22} said in full {:>4}  short {:>4}  superseded {:>3}  stale {:>3}  delay p50 {:>5.1} s  p95 {:>5.1} s  max {:>6.1} s  behind at the end {:>6.1} s",
            f.said_full,
            f.said_short,
            f.superseded,
            f.stale,
            f.delay_p50_ms as f64 / 1000.0,
            f.delay_p95_ms as f64 / 1000.0,
            f.delay_max_ms as f64 / 1000.0,
            f.behind_at_end_ms as f64 / 1000.0,
        )
    };
    row("queue (before)", &busy_hour::fifo(&calls, said));
    row("board's rule (after)", &busy_hour::backlog(&calls, said));
    Ok(())
}

//! `display-board`: the hall screen, and its announcements.
//!
//!   display-board [run] --settings board.json --server ws://127.0.0.1:8740/ws
//!   display-board [run] --token-file data/first-start.txt   # or pair on screen, no token
//!   display-board announce A-123 5 --lang ar,en --out call.wav
//!   display-board voice-list            # the clips a voice pack provides (TSV)

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
        s.token = protocol::startup::token_from(f, &r.device).map_err(|e| e.to_string())?;
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
        Command::VoiceList => {
            for c in announce::manifest() {
                println!("{}\t{}\t{}\t{}", c.name, c.lang, c.tts_text, c.says);
            }
            ExitCode::SUCCESS
        }
    }
}

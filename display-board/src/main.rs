//! `display-board`: the hall screen, and its announcements.
//!
//!   display-board [run] --server ws://127.0.0.1:8740/ws --token-file data/first-start.txt
//!   display-board announce A-123 5 --lang ar,en --out call.wav
//!   display-board voice-list            # the clips a voice pack provides (TSV)

use clap::{Args as ClapArgs, Parser, Subcommand};
use display_board::announce::{self, Lang, VoicePack};
use display_board::app::{self, BoardOptions};
use display_board::board::Zone;
use std::path::PathBuf;
use std::process::ExitCode;

const WORKSPACE_ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets");

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
    /// The queue server's websocket.
    #[arg(long, default_value = "ws://127.0.0.1:8740/ws")]
    server: String,
    /// This board's device token.
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
    /// Folder with fonts/ and voice/.
    #[arg(long, default_value = WORKSPACE_ASSETS)]
    assets: PathBuf,
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
        /// The voice pack directory.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/voice"))]
        voice: PathBuf,
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

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command.unwrap_or(Command::Run) {
        Command::Run => {
            let r = args.run;
            let token = match (&r.token, &r.token_file) {
                (Some(t), _) => Ok(t.clone()),
                (None, Some(f)) => {
                    protocol::startup::token_from(f, &r.device).map_err(|e| e.to_string())
                }
                (None, None) => {
                    Err("give --token or --token-file (the server's first-start.txt)".into())
                }
            };
            let labels = langs(&r.labels).and_then(|l| {
                if l.is_empty() {
                    Err("--labels needs a language".into())
                } else {
                    Ok(l)
                }
            });
            let (token, voice, labels) = match (token, langs(&r.voice), labels) {
                (Ok(t), Ok(v), Ok(l)) => (t, v, l),
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                    eprintln!("display-board: {e}");
                    return ExitCode::from(2);
                }
            };
            let zone = Zone {
                services: (!r.zone_services.is_empty()).then_some(r.zone_services),
                counters: (!r.zone_counters.is_empty()).then_some(r.zone_counters),
            };
            let exit = app::run(BoardOptions {
                url: r.server,
                token,
                voice,
                voice_dir: r.assets.join("voice"),
                silent: r.silent,
                arabic_digits: r.digits != "latin",
                portrait: r.portrait,
                zone,
                #[cfg(feature = "dev")]
                screenshot: r.screenshot,
                #[cfg(feature = "dev")]
                screenshot_offline: r.screenshot_offline,
                labels,
                assets: r.assets,
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

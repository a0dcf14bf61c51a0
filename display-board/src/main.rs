//! `display-board`: announcements for the hall.
//!
//!   display-board announce A-123 5 --lang ar,en --out call.wav
//!   display-board voice-list            # the clips a voice pack provides (TSV)

use clap::{Parser, Subcommand};
use display_board::announce::{self, Lang, VoicePack};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about = "Display board of a citizen service center")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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

fn main() -> ExitCode {
    match Args::parse().command {
        Command::Announce {
            label,
            counter,
            lang,
            out,
            voice,
        } => {
            let langs: Result<Vec<Lang>, String> = if lang == "none" {
                Ok(vec![])
            } else {
                lang.split(',')
                    .map(|l| Lang::parse(l).ok_or(format!("unknown language {l:?} (ar, en)")))
                    .collect()
            };
            let langs = match langs {
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

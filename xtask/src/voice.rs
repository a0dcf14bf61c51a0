//! `cargo xtask voice`: the placeholder voice pack in assets/voice/, spoken by espeak-ng
//! (Modern Standard Arabic and English) and shaped by sox. A human-recorded pack replaces these
//! files one for one: same names, mono 16-bit PCM WAV, one sample rate for all (docs/voice.md).
//! The clip list and the texts come from `display-board voice-list`. The same inputs give the
//! same files (sox's `-R`), so a run leaves git with nothing to commit.

use crate::Result;
use crate::build::{self, bin};
use crate::server::temp_dir;
use std::path::Path;
use std::process::Command;

const RATE: &str = "22050";

pub fn run() -> Result {
    crate::packages::ensure(&["ensure_build_packages", "ensure_packages espeak-ng sox"])?;
    build::workspace_tests(&[])?;
    let list = Command::new(bin("display-board"))
        .arg("voice-list")
        .output()
        .map_err(|e| format!("display-board voice-list: {e}"))?;
    if !list.status.success() {
        return Err("display-board voice-list failed".into());
    }
    let out = build::workspace().join("assets/voice");
    let tmp = temp_dir("voice")?;
    let mut count = 0;
    for line in String::from_utf8_lossy(&list.stdout).lines() {
        let mut cols = line.split('\t');
        let (Some(name), Some(lang), Some(text)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let file = out.join(format!("{name}.wav"));
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        if name == "chime" {
            chime(&tmp, &file)?;
        } else {
            speak(&tmp, lang, text, &file)?;
        }
        count += 1;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!("wrote {count} clips to {}/", out.display());
    Ok(())
}

/// Two soft tones, high then low, as halls use before a call.
fn chime(tmp: &Path, file: &Path) -> Result {
    let (hi, lo) = (tmp.join("hi.wav"), tmp.join("lo.wav"));
    let tone = |path: &Path, secs: &str, hz: &str, fade_out: &str| {
        sox(&[
            "-R",
            "-n",
            "-r",
            RATE,
            "-c",
            "1",
            "-b",
            "16",
            &path.display().to_string(),
            "synth",
            secs,
            "sine",
            hz,
            "fade",
            "q",
            "0.01",
            secs,
            fade_out,
            "gain",
            "-9",
        ])
    };
    tone(&hi, "0.28", "880", "0.2")?;
    tone(&lo, "0.55", "660", "0.45")?;
    sox(&[
        "-R",
        &hi.display().to_string(),
        &lo.display().to_string(),
        &file.display().to_string(),
    ])
}

/// One clip: espeak-ng's voice for the language, then the pack's format, the silence espeak
/// leaves at both ends trimmed, and an even level.
fn speak(tmp: &Path, lang: &str, text: &str, file: &Path) -> Result {
    let raw = tmp.join("raw.wav");
    let (voice, speed) = if lang == "ar" {
        ("ar", "140")
    } else {
        ("en-us", "150")
    };
    let status = Command::new("espeak-ng")
        .args(["-v", voice, "-s", speed, "-w"])
        .arg(&raw)
        .arg(text)
        .status()
        .map_err(|e| format!("espeak-ng: {e}"))?;
    if !status.success() {
        return Err(format!("espeak-ng failed on {text:?}"));
    }
    sox(&[
        "-R",
        &raw.display().to_string(),
        "-r",
        RATE,
        "-c",
        "1",
        "-b",
        "16",
        &file.display().to_string(),
        "silence",
        "1",
        "0.02",
        "0.5%",
        "reverse",
        "silence",
        "1",
        "0.02",
        "0.5%",
        "reverse",
        "norm",
        "-3",
    ])
}

fn sox(args: &[&str]) -> Result {
    let status = Command::new("sox")
        .args(args)
        .status()
        .map_err(|e| format!("sox: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("sox {} failed", args.join(" ")))
    }
}

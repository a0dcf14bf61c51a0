//! What the board was started with (its command line, see `main.rs`).

use crate::announce::Lang;
use crate::board::Zone;
use bevy::prelude::*;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct BoardOptions {
    pub url: String,
    /// Empty: the board shows a pairing code until a manager approves it.
    pub token: String,
    /// The config file the approved token is written to.
    pub settings_path: PathBuf,
    /// Languages of the voice, in order (empty: chime only).
    pub voice: Vec<Lang>,
    pub voice_dir: PathBuf,
    /// Mute entirely (no chime either).
    pub silent: bool,
    /// Arabic-Indic digits in Arabic texts (clock, counts, counters).
    pub arabic_digits: bool,
    pub portrait: bool,
    /// A normal window (development); by default the board fills the screen.
    pub windowed: bool,
    pub zone: Zone,
    /// Render one frame to this PNG once the hall is shown, then exit.
    #[cfg(feature = "dev")]
    pub screenshot: Option<PathBuf>,
    /// With `screenshot`: wait until the connection is lost (to see the reconnecting state).
    #[cfg(feature = "dev")]
    pub screenshot_offline: bool,
    /// Languages of the labels, in order ("ar,en": Arabic first, both).
    pub labels: Vec<Lang>,
    /// The folder holding `fonts/` (and the logo).
    pub assets: PathBuf,
    /// The center's logo, a PNG under `assets`.
    pub logo: Option<String>,
}

impl BoardOptions {
    /// Arabic is the first language of the labels: rows mirror, the ticker reads leftwards.
    pub fn arabic_first(&self) -> bool {
        self.labels.first() == Some(&Lang::Ar)
    }
}

#[derive(Resource)]
pub(super) struct Options(pub BoardOptions);

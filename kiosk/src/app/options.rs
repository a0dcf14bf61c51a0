//! What the kiosk was started with (its command line and settings file, see `main.rs`).

use crate::flow::Lang;
use crate::settings::Settings;
use bevy::prelude::*;
use hall_core::Priority;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct KioskOptions {
    pub settings: Settings,
    /// Where the technician's changes are saved.
    pub settings_path: PathBuf,
    /// The folder holding `fonts/`.
    pub assets: PathBuf,
    pub priorities: Vec<Priority>,
    pub default_lang: Lang,
    pub landscape: bool,
    /// A normal window that can be closed (development); otherwise full screen, unclosable.
    pub windowed: bool,
    /// Render the screen named by `demo` to this PNG, then exit.
    #[cfg(feature = "dev")]
    pub screenshot: Option<PathBuf>,
    #[cfg(feature = "dev")]
    pub demo: Demo,
}

/// For screenshots and reviews: walk the flow to a named screen, as a citizen would.
#[cfg(feature = "dev")]
#[derive(Clone, Debug, Default)]
pub struct Demo {
    /// welcome, categories, services, card, priority, confirm, ticket, failed, pin, panel.
    pub screen: String,
    pub lang: Option<Lang>,
    pub large_text: bool,
    /// The service to walk to (default: the first of the first category).
    pub service: Option<String>,
}

#[derive(Resource)]
pub(super) struct Opts(pub KioskOptions);

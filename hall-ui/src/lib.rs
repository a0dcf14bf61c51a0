//! What the kiosk and the display board share on screen, written once:
//!
//! - `lang`: the two languages of the center (Arabic, English), with their direction.
//! - `tr`: the Fluent translators of both languages as a bevy resource.
//! - `digits`: Arabic-Indic digits for Arabic texts.
//! - `fonts`: the four Noto fonts, and the Latin/Arabic fallback bevy's text lacks.
//! - `pairing`: the screen of a device waiting to be paired (its code in large digits).
//! - `assets`: where an app finds its asset folder (flag, environment, beside the installed
//!   program, the source tree).
//! - `screenshot` (feature `dev`): save a frame and exit, for both apps' `--screenshot`.
//!
//! Each app adds [`plugin`] once; it inserts `Tr` and loads the fonts from the app's asset
//! folder (`fonts/`).

pub mod assets;
pub mod digits;
pub mod fonts;
pub mod lang;
pub mod pairing;
#[cfg(feature = "dev")]
pub mod screenshot;
pub mod settings_file;
pub mod tr;
pub mod window;

pub use digits::arabic_digits;
pub use fonts::{ARABIC_FAMILY, FontsReady, LATIN_FAMILY};
pub use lang::Lang;
pub use tr::Tr;

use bevy::prelude::*;

/// Translations and fonts for an app's window.
pub fn plugin(app: &mut App) {
    app.insert_resource(Tr::new());
    app.add_plugins(fonts::plugin);
}

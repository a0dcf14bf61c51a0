//! The kiosk's two palettes (normal, and large text in high contrast), its text sizes and the
//! smallest touch target.

use crate::screens::{Size, Tone};
use bevy::prelude::*;
use hall_ui::LATIN_FAMILY;

#[derive(Clone, Copy)]
pub(super) struct Theme {
    pub bg: Color,
    pub surface: Color,
    pub text: Color,
    pub muted: Color,
    pub primary: Color,
    pub on_primary: Color,
    pub quiet: Color,
    pub on_quiet: Color,
    pub alert: Color,
    pub border: Color,
    /// Text and target sizes multiply by this.
    pub scale: f32,
    /// A landscape screen: tiles three to a row instead of two (set when drawing).
    pub wide: bool,
}

pub(super) const NORMAL: Theme = Theme {
    bg: Color::srgb(0.95, 0.96, 0.97),
    surface: Color::srgb(1.0, 1.0, 1.0),
    text: Color::srgb(0.06, 0.12, 0.20),
    muted: Color::srgb(0.30, 0.36, 0.44),
    primary: Color::srgb(0.02, 0.40, 0.30),
    on_primary: Color::srgb(1.0, 1.0, 1.0),
    quiet: Color::srgb(0.85, 0.88, 0.92),
    on_quiet: Color::srgb(0.06, 0.12, 0.20),
    alert: Color::srgb(0.70, 0.10, 0.10),
    border: Color::srgb(0.75, 0.79, 0.84),
    scale: 1.0,
    wide: false,
};

/// Large text, high contrast: yellow and white on black, thick borders.
pub(super) const HIGH_CONTRAST: Theme = Theme {
    bg: Color::srgb(0.0, 0.0, 0.0),
    surface: Color::srgb(0.0, 0.0, 0.0),
    text: Color::srgb(1.0, 1.0, 1.0),
    muted: Color::srgb(1.0, 1.0, 1.0),
    primary: Color::srgb(1.0, 0.84, 0.0),
    on_primary: Color::srgb(0.0, 0.0, 0.0),
    quiet: Color::srgb(0.0, 0.0, 0.0),
    on_quiet: Color::srgb(1.0, 1.0, 1.0),
    alert: Color::srgb(1.0, 0.45, 0.45),
    border: Color::srgb(1.0, 1.0, 1.0),
    scale: 1.35,
    wide: false,
};

/// At about 0.25 mm a pixel (a 21.5" full-HD panel), 15 mm is 60 px; buttons are at least
/// twice that.
pub const MIN_TARGET_PX: f32 = 120.0;

/// The large-text, high-contrast theme, or the normal one.
pub(super) fn theme(large: bool) -> Theme {
    if large { HIGH_CONTRAST } else { NORMAL }
}

/// A text style: every text names the Latin family; Arabic falls back (hall_ui::fonts).
pub(super) fn font(size: Size, th: Theme, bold: bool) -> TextFont {
    let px = match size {
        Size::Small => 28.0,
        Size::Body => 36.0,
        Size::Heading => 46.0,
        Size::Title => 60.0,
        Size::Huge => 220.0,
    } * th.scale;
    TextFont {
        font: FontSource::Family(LATIN_FAMILY.into()),
        font_size: FontSize::Px(px),
        weight: if bold || size != Size::Body && size != Size::Small {
            FontWeight::BOLD
        } else {
            FontWeight::NORMAL
        },
        ..default()
    }
}

/// The colour of a text of this tone.
pub(super) fn tone_color(tone: Tone, th: Theme) -> Color {
    match tone {
        Tone::Primary => th.primary,
        Tone::Alert => th.alert,
        Tone::Quiet => th.muted,
        Tone::Normal => th.text,
    }
}

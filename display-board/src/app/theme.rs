//! The board's palette and text styles: light text on a dark hall screen, seen from afar.

use bevy::prelude::*;
use hall_core::Names;
use hall_ui::{LATIN_FAMILY, Lang};

pub(super) const BG: Color = Color::srgb(0.04, 0.07, 0.14);
pub(super) const PANEL: Color = Color::srgb(0.08, 0.12, 0.22);
pub(super) const ACCENT: Color = Color::srgb(1.0, 0.76, 0.18);
pub(super) const TEXT: Color = Color::srgb(0.95, 0.96, 0.98);
pub(super) const MUTED: Color = Color::srgb(0.65, 0.71, 0.80);
pub(super) const WARN: Color = Color::srgb(0.78, 0.22, 0.18);
/// The current call's panel, on the bright beat of its flash.
pub(super) const FLASH: Color = Color::srgb(0.45, 0.32, 0.05);

/// A text style: every text names the Latin family; Arabic falls back (hall_ui::fonts).
pub(super) fn text(weight: FontWeight, size: f32, color: Color) -> (TextFont, TextColor) {
    (
        TextFont {
            font: FontSource::Family(LATIN_FAMILY.into()),
            font_size: FontSize::Px(size),
            weight,
            ..default()
        },
        TextColor(color),
    )
}

/// A name in each of the label languages, in order.
pub(super) fn pick(names: &Names, langs: &[Lang]) -> String {
    langs
        .iter()
        .map(|l| names.get(l.code()).to_string())
        .collect::<Vec<_>>()
        .join("  —  ")
}

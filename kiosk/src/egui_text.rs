//! Arabic in the technician panel. egui 0.36 joins Arabic letters but lays words out left to
//! right, so a sentence reads backwards (docs/platform.md). Here a line is cut into bidi runs in
//! visual order (unicode-bidi), and the words of each right-to-left run are handed to egui
//! last-first: the line then reads right. One line at a time; the panel's labels are short.

use bevy_egui::egui::{self, Color32, FontId, TextFormat, text::LayoutJob};
use std::path::Path;
use std::sync::Arc;
use unicode_bidi::{BidiInfo, Level};

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The line as egui must be given it to show it right.
pub fn line(text: &str, font: FontId, color: Color32) -> LayoutJob {
    let format = TextFormat {
        font_id: font,
        color,
        ..Default::default()
    };
    let mut job = LayoutJob::default();
    for piece in visual_pieces(text) {
        job.append(&piece, 0.0, format.clone());
    }
    job
}

/// The pieces of `text` in the order egui must lay them out, left to right.
pub fn visual_pieces(text: &str) -> Vec<String> {
    if !text.chars().any(is_arabic) {
        return vec![text.to_string()];
    }
    let info = BidiInfo::new(text, Some(Level::rtl()));
    let mut out = Vec::new();
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let piece = &text[run.clone()];
            if levels[run.start].is_rtl() {
                let words: Vec<&str> = piece.split(' ').collect();
                for (i, w) in words.iter().rev().enumerate() {
                    if i > 0 {
                        out.push(" ".to_string());
                    }
                    if !w.is_empty() {
                        out.push(w.to_string());
                    }
                }
            } else {
                out.push(piece.to_string());
            }
        }
    }
    out
}

/// egui's own fonts have no Arabic: add Noto Sans Arabic behind them.
pub fn install_arabic_font(ctx: &egui::Context, assets: &Path) {
    let path = assets.join("fonts/NotoSansArabic-Regular.ttf");
    let Ok(bytes) = std::fs::read(&path) else {
        tracing::error!(path = %path.display(), "no Arabic font for the technician panel");
        return;
    };
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto-arabic".into(),
        Arc::new(egui::FontData::from_owned(bytes)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("noto-arabic".into());
    }
    ctx.set_fonts(fonts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_left_alone() {
        assert_eq!(visual_pieces("Test print"), vec!["Test print"]);
    }

    #[test]
    fn arabic_words_come_last_first_so_egui_shows_them_right_to_left() {
        assert_eq!(
            visual_pieces("طباعة تجريبية"),
            vec!["تجريبية", " ", "طباعة"]
        );
    }

    #[test]
    fn latin_inside_arabic_keeps_its_own_order() {
        let pieces = visual_pieces("الطابعة tcp://HOST:PORT");
        let joined = pieces.concat();
        assert!(joined.starts_with("tcp://HOST:PORT"), "{pieces:?}");
        assert!(joined.ends_with("الطابعة"), "{pieces:?}");
    }
}

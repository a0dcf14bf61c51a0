//! The pairing screen both apps show while they have no token the server accepts: the code a
//! manager types into the console, in large digits, and what to do, Arabic first, then
//! English. `Pairing` follows the client's events (pure, tested without a window); `view` says
//! what the screen shows, as data; `spawn` draws it with bevy UI.

use crate::digits::arabic_digits;
use crate::fonts::LATIN_FAMILY;
use crate::lang::Lang;
use crate::tr::Tr;
use bevy::prelude::*;
use hall_client::ClientEvent;
use hall_wire::manager::DeviceKind;

/// How long a code is valid on the server (docs/protocol.md, `PAIRING_MINUTES`); the client
/// renews it before then.
pub const CODE_MINUTES: u64 = 10;

/// Where a device stands with pairing, from the client's events.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pairing {
    /// The pairing screen replaces the app's own screens.
    pub active: bool,
    /// The code to show; none while it is being asked for.
    pub code: Option<String>,
    /// The server refused the token the device had (revoked).
    pub refused: bool,
}

impl Pairing {
    /// A device starts on the pairing screen when it has no token.
    pub fn new(token: &str) -> Pairing {
        Pairing {
            active: token.trim().is_empty(),
            ..Pairing::default()
        }
    }

    /// Follows one client event; returns the token to keep when a manager approved the
    /// device (the app writes it into its config file).
    pub fn follow(&mut self, event: &ClientEvent) -> Option<String> {
        match event {
            ClientEvent::TokenRefused { .. } => {
                *self = Pairing {
                    active: true,
                    code: None,
                    refused: true,
                };
                None
            }
            ClientEvent::Pairing { code, .. } => {
                self.active = true;
                self.code = Some(code.clone());
                None
            }
            ClientEvent::Paired { token, .. } => {
                *self = Pairing::default();
                Some(token.clone())
            }
            // A new connection asks for a new code: the old one died with the old connection.
            ClientEvent::Disconnected { .. } => {
                self.code = None;
                None
            }
            _ => None,
        }
    }
}

/// The screen, as data.
#[derive(Clone, Debug, PartialEq)]
pub struct PairingView {
    /// The code as the manager types it, in groups of three ("482 913"); none while asking.
    pub code: Option<String>,
    /// The same code in Arabic-Indic digits ("٤٨٢ ٩١٣"), drawn left to right like the line
    /// above it (each group its own text: as one text the bidi algorithm swaps the groups).
    pub code_ar: Option<String>,
    /// Each language's lines, Arabic first: the title with the kind of device, then what to
    /// do (or that a code is being asked for), then the server's address.
    pub lines: Vec<(Lang, Vec<String>)>,
    /// The second line of each language says the old token was refused.
    pub refused: bool,
}

impl PairingView {
    /// Every text, in order (for tests).
    pub fn texts(&self) -> Vec<String> {
        let mut out: Vec<String> = self.code.iter().chain(&self.code_ar).cloned().collect();
        for (_, lines) in &self.lines {
            out.extend(lines.iter().cloned());
        }
        out
    }
}

/// What the pairing screen of a `kind` device connecting to `server` shows.
pub fn view(p: &Pairing, kind: DeviceKind, server: &str, tr: &Tr) -> PairingView {
    let group = |c: &str| {
        let chars: Vec<char> = c.chars().collect();
        chars
            .chunks(3)
            .map(|g| g.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let code = p.code.as_deref().map(group);
    let kind_id = match kind {
        DeviceKind::Kiosk => "pair-kind-kiosk",
        DeviceKind::Board => "pair-kind-board",
    };
    let lines = [Lang::Ar, Lang::En]
        .into_iter()
        .map(|lang| {
            let t = tr.get(lang);
            let num = |s: String| {
                if lang == Lang::Ar {
                    arabic_digits(&s)
                } else {
                    s
                }
            };
            let mut lines = vec![format!(
                "{} — {}",
                t.tr(kind_id, &[]),
                t.tr("pair-title", &[])
            )];
            if p.refused {
                lines.push(t.tr("pair-refused", &[]));
            }
            if p.code.is_some() {
                lines.push(t.tr("pair-step-open", &[]));
                lines.push(t.tr("pair-step-enter", &[]));
                lines.push(num(t.counted("pair-renews", "minutes", CODE_MINUTES, &[])));
            } else {
                lines.push(t.tr("pair-waiting-code", &[]));
            }
            // The address stays in Latin digits: a technician compares it with the server's.
            lines.push(t.tr("pair-server", &[("server", server.into())]));
            (lang, lines)
        })
        .collect();
    PairingView {
        code_ar: code.as_deref().map(arabic_digits),
        code,
        lines,
        refused: p.refused,
    }
}

/// The name a device suggests to the manager: the machine's host name (what a technician
/// labels devices by), else `fallback`.
pub fn suggested_name(fallback: &str) -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// The root of the pairing screen, despawned when it is drawn again or pairing ends.
#[derive(Component)]
pub struct PairingRoot;

const BG: Color = Color::srgb(0.04, 0.07, 0.14);
const CODE_BG: Color = Color::srgb(0.08, 0.12, 0.22);
const CODE: Color = Color::srgb(1.0, 0.76, 0.18);
const TEXT: Color = Color::srgb(0.95, 0.96, 0.98);
const MUTED: Color = Color::srgb(0.65, 0.71, 0.80);
const ALERT: Color = Color::srgb(0.95, 0.45, 0.40);

fn font(size: f32, bold: bool) -> TextFont {
    TextFont {
        font: FontSource::Family(LATIN_FAMILY.into()),
        font_size: FontSize::Px(size),
        weight: if bold {
            FontWeight::BOLD
        } else {
            FontWeight::NORMAL
        },
        ..default()
    }
}

/// Draws the pairing screen over the whole window (above the app's own screen).
pub fn spawn(commands: &mut Commands, v: &PairingView) {
    commands
        .spawn((
            PairingRoot,
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                justify_content: JustifyContent::Center,
                row_gap: px(20),
                padding: UiRect::all(px(40)),
                ..default()
            },
            BackgroundColor(BG),
            GlobalZIndex(100),
        ))
        .with_children(|root| {
            let (ar, en) = (&v.lines[0].1, &v.lines[1].1);
            for title in [&ar[0], &en[0]] {
                root.spawn((
                    Text::new(title.clone()),
                    font(44.0, true),
                    TextColor(TEXT),
                    TextLayout::justify(Justify::Center),
                ));
            }
            root.spawn((
                Node {
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    padding: UiRect::axes(px(72), px(24)),
                    margin: UiRect::vertical(px(16)),
                    border_radius: BorderRadius::all(px(24)),
                    ..default()
                },
                BackgroundColor(CODE_BG),
            ))
            .with_children(|b| match (&v.code, &v.code_ar) {
                (Some(code), Some(code_ar)) => {
                    b.spawn((Text::new(code.clone()), font(220.0, true), TextColor(CODE)));
                    b.spawn(Node {
                        flex_direction: FlexDirection::Row,
                        column_gap: px(40),
                        ..default()
                    })
                    .with_children(|r| {
                        for group in code_ar.split(' ') {
                            r.spawn((
                                Text::new(group.to_string()),
                                font(100.0, true),
                                TextColor(CODE),
                            ));
                        }
                    });
                }
                _ => {
                    b.spawn((Text::new("…"), font(200.0, true), TextColor(MUTED)));
                }
            });
            // The two languages side by side, Arabic on the right: the screen stays one
            // screen on a landscape board too.
            root.spawn(Node {
                width: percent(100),
                max_width: px(1600),
                flex_direction: FlexDirection::RowReverse,
                column_gap: px(64),
                ..default()
            })
            .with_children(|row| {
                for (lang, lines) in &v.lines {
                    let justify = if lang.rtl() {
                        Justify::Right
                    } else {
                        Justify::Left
                    };
                    row.spawn(Node {
                        flex_basis: percent(50),
                        flex_grow: 1.0,
                        flex_direction: FlexDirection::Column,
                        align_items: if lang.rtl() {
                            AlignItems::FlexEnd
                        } else {
                            AlignItems::FlexStart
                        },
                        row_gap: px(12),
                        ..default()
                    })
                    .with_children(|c| {
                        let last = lines.len() - 1;
                        for (i, line) in lines.iter().enumerate().skip(1) {
                            let (size, color) = if i == last {
                                (26.0, MUTED)
                            } else if i == 1 && v.refused {
                                (32.0, ALERT)
                            } else {
                                (34.0, TEXT)
                            };
                            c.spawn((
                                Text::new(line.clone()),
                                font(size, false),
                                TextColor(color),
                                TextLayout::justify(justify),
                            ));
                        }
                    });
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_grouped_and_shown_in_both_digit_sets() {
        let tr = Tr::new();
        let p = Pairing {
            active: true,
            code: Some("482913".into()),
            refused: false,
        };
        let v = view(&p, DeviceKind::Board, "ws://10.0.0.2:8740/ws", &tr);
        assert_eq!(v.code.as_deref(), Some("482 913"));
        assert_eq!(v.code_ar.as_deref(), Some("٤٨٢ ٩١٣"));
        assert_eq!(v.lines[0].0, Lang::Ar, "Arabic first");
        assert!(v.lines[0].1[0].contains("لوحة العرض"));
        assert!(v.lines[1].1[0].contains("Display board"));
        assert!(v.lines[0].1.iter().any(|l| l.contains("١٠ دقائق")));
        assert!(v.lines[1].1.iter().any(|l| l.contains("10 minutes")));
        assert!(
            v.texts()
                .iter()
                .any(|t| t.contains("ws://10.0.0.2:8740/ws"))
        );
    }
}

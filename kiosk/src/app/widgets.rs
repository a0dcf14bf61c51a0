//! A `View`'s blocks as bevy UI nodes (texts, facts, buttons, rows, the QR code, the PIN
//! pad), in the kiosk's theme, mirrored for Arabic; a tap on a button is the flow's action.

use super::kiosk::Kiosk;
use super::theme::{MIN_TARGET_PX, Theme, font, tone_color};
use crate::flow::Action;
use crate::screens::{Block, Size, Tone, View};
use bevy::prelude::*;

/// The root of the citizen screen, despawned when it is rebuilt.
#[derive(Component)]
pub(super) struct Root;

/// A view as bevy UI: the header (five taps open the PIN pad), the banner, the title, the
/// body's blocks and the footer's, mirrored for Arabic.
pub(super) fn spawn_view(commands: &mut Commands, v: &View, th: Theme, qr: Option<Handle<Image>>) {
    let rtl = v.lang.rtl();
    let justify = if v.centered {
        Justify::Center
    } else if rtl {
        Justify::Right
    } else {
        Justify::Left
    };
    let row = if rtl {
        FlexDirection::RowReverse
    } else {
        FlexDirection::Row
    };
    commands
        .spawn((
            Root,
            Node {
                width: percent(100),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                ..default()
            },
            BackgroundColor(th.bg),
        ))
        .with_children(|root| {
            // The header: the center's name. Five quick taps open the technician's PIN pad.
            root.spawn((
                Node {
                    width: percent(100),
                    min_height: px(110.0 * th.scale),
                    // The header keeps its size; the body gives way.
                    flex_shrink: 0.0,
                    padding: UiRect::axes(px(40), px(20)),
                    align_items: AlignItems::Center,
                    justify_content: JustifyContent::Center,
                    ..default()
                },
                BackgroundColor(if th.scale > 1.0 { th.bg } else { th.primary }),
                Outline::new(px(if th.scale > 1.0 { 3 } else { 0 }), px(0), th.border),
            ))
            .observe(tap_handler(Action::HeaderTap))
            .with_children(|h| {
                h.spawn((
                    Text::new(v.header.clone()),
                    font(Size::Heading, th, true),
                    TextColor(if th.scale > 1.0 {
                        th.text
                    } else {
                        th.on_primary
                    }),
                    TextLayout::justify(Justify::Center),
                    Pickable::IGNORE,
                ));
            });
            if let Some(banner) = &v.banner {
                root.spawn((
                    Node {
                        width: percent(100),
                        padding: UiRect::all(px(18)),
                        justify_content: JustifyContent::Center,
                        ..default()
                    },
                    BackgroundColor(th.alert),
                ))
                .with_children(|b| {
                    b.spawn((
                        Text::new(banner.clone()),
                        font(Size::Body, th, true),
                        TextColor(Color::WHITE),
                        TextLayout::justify(Justify::Center),
                    ));
                });
            }
            if v.panel {
                // egui draws the technician panel over an empty page.
                return;
            }
            root.spawn(Node {
                width: percent(100),
                // Less air on a landscape screen, where height is short.
                padding: UiRect::axes(px(48), px(if th.wide { 14 } else { 28 })),
                flex_shrink: 0.0,
                justify_content: JustifyContent::Center,
                ..default()
            })
            .with_children(|t| {
                t.spawn((
                    Text::new(v.title.clone()),
                    font(Size::Title, th, true),
                    TextColor(th.text),
                    TextLayout::justify(Justify::Center),
                ));
            });
            root.spawn(Node {
                width: percent(100),
                flex_grow: 1.0,
                flex_direction: FlexDirection::Column,
                padding: UiRect::axes(px(48), px(8)),
                row_gap: px(22.0 * th.scale.min(1.2)),
                // The body gives way (clipped) before the footer does: Back and Start over
                // stay on the screen whatever the body holds.
                min_height: px(0),
                flex_shrink: 1.0,
                overflow: Overflow::clip(),
                ..default()
            })
            .with_children(|body| {
                for b in &v.body {
                    spawn_block(body, b, th, justify, row, &qr, false);
                }
            });
            root.spawn(Node {
                width: percent(100),
                flex_direction: row,
                flex_shrink: 0.0,
                padding: UiRect::all(px(if th.wide { 24 } else { 32 })),
                column_gap: px(24),
                ..default()
            })
            .with_children(|f| {
                for b in &v.footer {
                    spawn_block(f, b, th, justify, row, &qr, true);
                }
            });
        });
}

/// One block of a view; `in_row` when it shares a row with others.
fn spawn_block(
    parent: &mut ChildSpawnerCommands,
    b: &Block,
    th: Theme,
    justify: Justify,
    row: FlexDirection,
    qr: &Option<Handle<Image>>,
    in_row: bool,
) {
    match b {
        Block::Text { text, size, tone } => {
            let centered = matches!(size, Size::Huge | Size::Title);
            parent.spawn((
                Text::new(text.clone()),
                font(*size, th, false),
                TextColor(tone_color(*tone, th)),
                TextLayout::justify(if centered { Justify::Center } else { justify }),
                Node {
                    width: percent(100),
                    ..default()
                },
            ));
        }
        Block::Bullet(item) => {
            parent
                .spawn(Node {
                    width: percent(100),
                    flex_direction: row,
                    column_gap: px(14),
                    ..default()
                })
                .with_children(|b| {
                    b.spawn((
                        Text::new("•"),
                        font(Size::Body, th, true),
                        TextColor(th.text),
                    ));
                    b.spawn((
                        Text::new(item.clone()),
                        font(Size::Body, th, false),
                        TextColor(th.text),
                        TextLayout::justify(justify),
                        Node {
                            flex_grow: 1.0,
                            flex_shrink: 1.0,
                            ..default()
                        },
                    ));
                });
        }
        Block::Fact { label, value, tone } => {
            parent
                .spawn((
                    Node {
                        width: percent(100),
                        flex_direction: row,
                        justify_content: JustifyContent::SpaceBetween,
                        align_items: AlignItems::Center,
                        column_gap: px(24),
                        padding: UiRect::axes(px(24), px(14)),
                        border: UiRect::all(px(if th.scale > 1.0 { 2 } else { 0 })),
                        border_radius: BorderRadius::all(px(14)),
                        ..default()
                    },
                    BackgroundColor(th.surface),
                    BorderColor::all(th.border),
                ))
                .with_children(|f| {
                    f.spawn((
                        Text::new(label.clone()),
                        font(Size::Body, th, false),
                        TextColor(th.muted),
                    ));
                    // The value at the row's end, also when it wraps.
                    let end = if justify == Justify::Right {
                        Justify::Left
                    } else {
                        Justify::Right
                    };
                    f.spawn((
                        Text::new(value.clone()),
                        font(Size::Body, th, true),
                        TextColor(tone_color(*tone, th)),
                        TextLayout::justify(end),
                    ));
                });
        }
        Block::Button {
            label,
            detail,
            action,
            tone,
            enabled,
        } => {
            let (bg, fg) = match tone {
                Tone::Primary => (th.primary, th.on_primary),
                Tone::Quiet => (th.quiet, th.on_quiet),
                Tone::Alert => (th.alert, Color::WHITE),
                Tone::Normal => (th.surface, th.text),
            };
            let (bg, fg) = if *enabled {
                (bg, fg)
            } else {
                (th.quiet.with_alpha(0.5), th.muted.with_alpha(0.6))
            };
            let mut e = parent.spawn((
                Button,
                Node {
                    width: percent(100),
                    // Side by side, buttons share the row; in a column they keep their height.
                    flex_grow: if in_row { 1.0 } else { 0.0 },
                    flex_shrink: if in_row { 1.0 } else { 0.0 },
                    // Buttons side by side are as tall as the tallest ("More services" wraps).
                    align_self: if in_row {
                        AlignSelf::Stretch
                    } else {
                        AlignSelf::Auto
                    },
                    min_height: px(MIN_TARGET_PX * th.scale),
                    padding: UiRect::axes(px(32), px(16)),
                    flex_direction: FlexDirection::Column,
                    justify_content: JustifyContent::Center,
                    align_items: AlignItems::Center,
                    row_gap: px(6),
                    border: UiRect::all(px(if th.scale > 1.0 { 4 } else { 2 })),
                    border_radius: BorderRadius::all(px(22)),
                    ..default()
                },
                BackgroundColor(bg),
                BorderColor::all(if *tone == Tone::Normal || th.scale > 1.0 {
                    th.border
                } else {
                    bg
                }),
            ));
            if *enabled {
                e.observe(tap_handler(action.clone()));
            }
            e.with_children(|btn| {
                btn.spawn((
                    Text::new(label.clone()),
                    font(Size::Heading, th, true),
                    TextColor(fg),
                    TextLayout::justify(Justify::Center),
                    Pickable::IGNORE,
                ));
                if let Some(d) = detail {
                    btn.spawn((
                        Text::new(d.clone()),
                        font(Size::Small, th, false),
                        TextColor(fg),
                        TextLayout::justify(Justify::Center),
                        Pickable::IGNORE,
                    ));
                }
            });
        }
        Block::Grid(blocks) => {
            // Two tiles to a row (three on a landscape screen), from the reader's side; each
            // row as tall as its tallest tile.
            let width = if th.wide { 31.5 } else { 48.5 };
            parent
                .spawn(Node {
                    width: percent(100),
                    flex_direction: row,
                    flex_wrap: FlexWrap::Wrap,
                    column_gap: px(20),
                    row_gap: px(12),
                    ..default()
                })
                .with_children(|g| {
                    for b in blocks {
                        g.spawn(Node {
                            width: Val::Percent(width),
                            flex_grow: 1.0,
                            flex_direction: FlexDirection::Column,
                            ..default()
                        })
                        .with_children(|cell| {
                            spawn_block(cell, b, th, justify, row, qr, true);
                        });
                    }
                });
        }
        Block::Row(blocks) => {
            parent
                .spawn(Node {
                    width: percent(100),
                    flex_direction: row,
                    align_items: AlignItems::Center,
                    column_gap: px(24),
                    ..default()
                })
                .with_children(|r| {
                    for b in blocks {
                        spawn_block(r, b, th, justify, row, qr, true);
                    }
                });
        }
        Block::Qr(_) => {
            if let Some(handle) = qr {
                parent
                    .spawn(Node {
                        width: percent(100),
                        justify_content: JustifyContent::Center,
                        ..default()
                    })
                    .with_children(|q| {
                        q.spawn((
                            ImageNode::new(handle.clone()),
                            Node {
                                width: px(330),
                                height: px(330),
                                ..default()
                            },
                        ));
                    });
            }
        }
        Block::Keypad {
            arabic,
            erase,
            enter,
        } => {
            let digit = |d: u8| {
                let s = d.to_string();
                if *arabic {
                    crate::screens::arabic_digits(&s)
                } else {
                    s
                }
            };
            parent
                .spawn(Node {
                    width: percent(100),
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    row_gap: px(18),
                    ..default()
                })
                .with_children(|pad| {
                    let keys: Vec<(Action, String)> = [1, 2, 3, 4, 5, 6, 7, 8, 9]
                        .map(|d| (Action::Digit(d), digit(d)))
                        .into_iter()
                        .chain([
                            (Action::Erase, erase.clone()),
                            (Action::Digit(0), digit(0)),
                            (Action::Enter, enter.clone()),
                        ])
                        .collect();
                    // Three keys to a row as on a phone; six on a landscape screen, where four
                    // rows would run off its bottom.
                    let per_row = if th.wide { 6 } else { 3 };
                    for keys in keys.chunks(per_row).map(<[_]>::to_vec) {
                        pad.spawn(Node {
                            column_gap: px(18),
                            ..default()
                        })
                        .with_children(|r| {
                            for (action, label) in keys {
                                // Digits large; the two word keys as large as fits the key.
                                let size = if matches!(action, Action::Digit(_)) {
                                    Size::Title
                                } else {
                                    Size::Heading
                                };
                                r.spawn((
                                    Button,
                                    Node {
                                        width: px(180),
                                        height: px(MIN_TARGET_PX * th.scale),
                                        justify_content: JustifyContent::Center,
                                        align_items: AlignItems::Center,
                                        border: UiRect::all(px(2)),
                                        border_radius: BorderRadius::all(px(18)),
                                        ..default()
                                    },
                                    BackgroundColor(th.surface),
                                    BorderColor::all(th.border),
                                ))
                                .observe(tap_handler(action))
                                .with_children(|k| {
                                    k.spawn((
                                        Text::new(label),
                                        font(size, th, true),
                                        TextColor(th.text),
                                        Pickable::IGNORE,
                                    ));
                                });
                            }
                        });
                    }
                });
        }
    }
}

/// A touch or click (press and release on the same target) carries out the action.
fn tap_handler(action: Action) -> impl Fn(On<Pointer<Click>>, ResMut<Kiosk>) {
    move |mut click: On<Pointer<Click>>, mut kiosk: ResMut<Kiosk>| {
        click.propagate(false);
        kiosk.tap(action.clone());
    }
}

//! The hall screen's layout, spawned once: the clock and the center's name, the reconnecting
//! banner, the current call, the recent calls, waiting per category and the message line.
//! Texts start empty; `refresh` fills them when the hall changes.

use super::options::Options;
use super::theme::{ACCENT, BG, MUTED, PANEL, TEXT, WARN, text};
use crate::board::RECENT_CALLS;
use bevy::prelude::*;
use hall_ui::Tr;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_hall);
}

#[derive(Component)]
pub(super) struct CurrentLabel;
#[derive(Component)]
pub(super) struct CurrentCounter;
#[derive(Component)]
pub(super) struct CurrentPanel;
#[derive(Component)]
pub(super) struct RecentLabel(pub usize);
#[derive(Component)]
pub(super) struct RecentCounter(pub usize);
#[derive(Component)]
pub(super) struct WaitingText;
#[derive(Component)]
pub(super) struct MessageText;
#[derive(Component)]
pub(super) struct MessageBox;
#[derive(Component)]
pub(super) struct ClockText;
#[derive(Component)]
pub(super) struct CenterName;
#[derive(Component)]
pub(super) struct Banner;

/// The logo's image, held so it stays loaded.
#[derive(Resource)]
struct Logo(#[allow(dead_code)] Option<Handle<Image>>);

fn spawn_hall(mut commands: Commands, assets: Res<AssetServer>, opts: Res<Options>, tr: Res<Tr>) {
    commands.spawn(Camera2d);
    let portrait = opts.0.portrait;
    let (bold, regular) = (FontWeight::BOLD, FontWeight::NORMAL);
    // Held in a resource too, so the image stays loaded.
    let logo: Option<Handle<Image>> = opts.0.logo.as_ref().map(|path| assets.load(path.clone()));
    let bilingual = |id: &str| tr.both(&opts.0.labels, |t| t.tr(id, &[]));
    commands
        .spawn((
            Node {
                width: percent(100),
                height: percent(100),
                flex_direction: FlexDirection::Column,
                padding: UiRect::all(px(28)),
                row_gap: px(20),
                ..default()
            },
            BackgroundColor(BG),
        ))
        .with_children(|root| {
            // Top bar: clock on the left, the center's name on the right (Arabic first).
            root.spawn(Node {
                width: percent(100),
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::Center,
                ..default()
            })
            .with_children(|bar| {
                bar.spawn((ClockText, Text::new(""), text(bold, 34.0, MUTED)));
                bar.spawn(Node {
                    align_items: AlignItems::Center,
                    column_gap: px(18),
                    ..default()
                })
                .with_children(|right| {
                    right.spawn((
                        CenterName,
                        Text::new(""),
                        text(bold, 34.0, TEXT),
                        TextLayout::justify(Justify::Right),
                    ));
                    if let Some(logo) = &logo {
                        right.spawn((
                            ImageNode::new(logo.clone()),
                            Node {
                                width: px(64),
                                height: px(64),
                                ..default()
                            },
                        ));
                    }
                });
            });
            // Reconnecting banner (hidden while live).
            root.spawn((
                Banner,
                Node {
                    width: percent(100),
                    padding: UiRect::all(px(12)),
                    justify_content: JustifyContent::Center,
                    display: Display::None,
                    ..default()
                },
                BackgroundColor(WARN),
            ))
            .with_children(|b| {
                b.spawn((
                    Text::new(bilingual("board-reconnecting")),
                    text(bold, 30.0, TEXT),
                ));
            });
            // Main area: the current call and the recent calls.
            root.spawn(Node {
                width: percent(100),
                flex_grow: 1.0,
                flex_direction: if portrait {
                    FlexDirection::Column
                } else {
                    FlexDirection::RowReverse
                },
                column_gap: px(24),
                row_gap: px(24),
                ..default()
            })
            .with_children(|main| {
                main.spawn((
                    CurrentPanel,
                    Node {
                        flex_grow: 1.0,
                        flex_basis: percent(if portrait { 45 } else { 58 }),
                        flex_direction: FlexDirection::Column,
                        justify_content: JustifyContent::Center,
                        align_items: AlignItems::Center,
                        row_gap: px(10),
                        border_radius: BorderRadius::all(px(24)),
                        ..default()
                    },
                    BackgroundColor(PANEL),
                ))
                .with_children(|cur| {
                    cur.spawn((
                        Text::new(bilingual("board-now-serving")),
                        text(bold, 44.0, MUTED),
                    ));
                    cur.spawn((CurrentLabel, Text::new("—"), text(bold, 260.0, ACCENT)));
                    cur.spawn((
                        CurrentCounter,
                        Text::new(""),
                        text(bold, 72.0, TEXT),
                        TextLayout::justify(Justify::Center),
                        Node {
                            max_width: percent(92),
                            ..default()
                        },
                    ));
                });
                main.spawn((
                    Node {
                        flex_grow: 1.0,
                        flex_basis: percent(if portrait { 40 } else { 42 }),
                        flex_direction: FlexDirection::Column,
                        padding: UiRect::all(px(20)),
                        row_gap: px(8),
                        border_radius: BorderRadius::all(px(24)),
                        ..default()
                    },
                    BackgroundColor(PANEL),
                ))
                .with_children(|recent| {
                    let side = if opts.0.arabic_first() {
                        AlignSelf::FlexEnd
                    } else {
                        AlignSelf::FlexStart
                    };
                    recent.spawn((
                        Text::new(bilingual("board-recent")),
                        text(bold, 36.0, MUTED),
                        Node {
                            align_self: side,
                            ..default()
                        },
                    ));
                    // Two columns, the ticket first in reading order (on the right in Arabic).
                    let row_dir = if opts.0.arabic_first() {
                        FlexDirection::RowReverse
                    } else {
                        FlexDirection::Row
                    };
                    for i in 0..RECENT_CALLS - 1 {
                        recent
                            .spawn(Node {
                                width: percent(100),
                                flex_direction: row_dir,
                                justify_content: JustifyContent::SpaceBetween,
                                align_items: AlignItems::Center,
                                ..default()
                            })
                            .with_children(|row| {
                                row.spawn((RecentLabel(i), Text::new(""), text(bold, 52.0, TEXT)));
                                row.spawn((
                                    RecentCounter(i),
                                    Text::new(""),
                                    text(bold, 44.0, MUTED),
                                ));
                            });
                    }
                });
            });
            // Waiting per category, then the manager's message.
            root.spawn((
                WaitingText,
                Text::new(""),
                text(regular, 30.0, MUTED),
                TextLayout::justify(Justify::Right),
                Node {
                    width: percent(100),
                    ..default()
                },
            ));
            // The message line: one line, clipped; it scrolls only if longer than the box.
            root.spawn((
                MessageBox,
                Node {
                    width: percent(100),
                    height: px(62),
                    overflow: Overflow::clip(),
                    border_radius: BorderRadius::all(px(14)),
                    ..default()
                },
                BackgroundColor(PANEL),
            ))
            .with_children(|m| {
                m.spawn((
                    MessageText,
                    Text::new(""),
                    text(regular, 34.0, ACCENT),
                    TextLayout::new(Justify::Left, LineBreak::NoWrap),
                    Node {
                        position_type: PositionType::Absolute,
                        top: px(8),
                        ..default()
                    },
                ));
            });
        });
    commands.insert_resource(Logo(logo));
}

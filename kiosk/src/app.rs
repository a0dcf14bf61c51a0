//! The kiosk window (bevy). Citizen screens are bevy UI (Arabic shaped and right-to-left,
//! PLATFORM.md), rebuilt from `screens::view` whenever the flow or the figures it shows
//! change; the technician panel is egui.
//!
//! Costs nothing while nobody touches it: `desktop_app`-style reactive updates, the link
//! thread wakes the window only for what the current screen shows, and the welcome screen
//! sleeps up to a minute between frames.

use crate::flow::{Action, Flow, FlowConfig, Lang, Screen};
use crate::link::{self, FromLink, Link, ToLink};
use crate::printer::PrinterStatus;
use crate::printing::{self, PrintDone, PrintJob, PrinterLink};
use crate::screens::{self, Block, Context, Size, Tone, View};
use crate::settings::Settings;
use bevy::asset::RenderAssetUsages;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::text::{FontCx, load_font_assets_into_font_collection};
use bevy::ui::UiSystems;
use bevy::window::{MonitorSelection, RequestRedraw, WindowMode, WindowResolution};
use bevy::winit::{EventLoopProxyWrapper, UpdateMode, WinitSettings, WinitUserEvent};
use bevy_egui::{
    EguiContexts, EguiInput, EguiPlugin, EguiPreUpdateSet, EguiPrimaryContextPass, egui,
};
use parley::fontique::Script;
use protocol::Priority;
use protocol::i18n::Translator;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

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
    pub screenshot: Option<PathBuf>,
    pub demo: Demo,
}

/// For screenshots and reviews: walk the flow to a named screen, as a citizen would.
#[derive(Clone, Debug, Default)]
pub struct Demo {
    /// welcome, categories, services, card, priority, confirm, ticket, failed, pin, panel.
    pub screen: String,
    pub lang: Option<Lang>,
    pub large_text: bool,
    /// The service to walk to (default: the first of the first category).
    pub service: Option<String>,
}

pub fn run(opts: KioskOptions) -> AppExit {
    let (w, h) = if opts.landscape {
        (1920, 1080)
    } else {
        (1080, 1920)
    };
    App::new()
        .add_plugins(
            DefaultPlugins
                .set(WindowPlugin {
                    primary_window: Some(Window {
                        title: "احجز دورك — Take a ticket".into(),
                        resolution: WindowResolution::new(w, h).with_scale_factor_override(1.0),
                        // Nothing a citizen can close or move: full screen, no title bar.
                        mode: if opts.windowed {
                            WindowMode::Windowed
                        } else {
                            WindowMode::BorderlessFullscreen(MonitorSelection::Primary)
                        },
                        decorations: opts.windowed,
                        ..default()
                    }),
                    // The window manager's close request is ignored unless windowed (a
                    // developer's desk); the kiosk stops only when its process is stopped.
                    close_when_requested: opts.windowed,
                    ..default()
                })
                .set(AssetPlugin {
                    file_path: opts.assets.to_string_lossy().into_owned(),
                    ..default()
                }),
        )
        .add_plugins(EguiPlugin::default())
        .insert_resource(sleepy())
        .insert_resource(ClearColor(NORMAL.bg))
        .insert_resource(Tr {
            ar: Translator::new("ar"),
            en: Translator::new("en"),
        })
        .insert_resource(Opts(opts))
        .insert_resource(Drawn::default())
        .add_systems(Startup, setup)
        .add_systems(Update, (pump, rebuild).chain())
        .add_systems(Update, (screenshot_when_ready, drive_demo))
        .add_systems(
            PreUpdate,
            quiet_egui_modifiers
                .after(EguiPreUpdateSet::ProcessInput)
                .before(EguiPreUpdateSet::BeginPass),
        )
        .add_systems(EguiPrimaryContextPass, technician_panel)
        .add_systems(
            PostUpdate,
            register_font_fallbacks
                .after(load_font_assets_into_font_collection)
                .before(UiSystems::Content),
        )
        .run()
}

/// Asleep until a touch or a wake-up from the link or printer thread; a minute at most.
fn sleepy() -> WinitSettings {
    WinitSettings {
        focused_mode: UpdateMode::reactive_low_power(Duration::from_secs(60)),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::from_secs(60)),
    }
}

/// A citizen is at the kiosk: wake every second for timeouts.
fn attentive() -> WinitSettings {
    WinitSettings {
        focused_mode: UpdateMode::reactive_low_power(Duration::from_secs(1)),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::from_secs(1)),
    }
}

#[derive(Clone, Copy)]
struct Theme {
    bg: Color,
    surface: Color,
    text: Color,
    muted: Color,
    primary: Color,
    on_primary: Color,
    quiet: Color,
    on_quiet: Color,
    alert: Color,
    border: Color,
    /// Text and target sizes multiply by this.
    scale: f32,
}

const NORMAL: Theme = Theme {
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
};

/// Large text, high contrast: yellow and white on black, thick borders.
const HIGH_CONTRAST: Theme = Theme {
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
};

/// At about 0.25 mm a pixel (a 21.5" full-HD panel), 15 mm is 60 px; buttons are at least
/// twice that.
pub const MIN_TARGET_PX: f32 = 120.0;

#[derive(Resource)]
struct Opts(KioskOptions);

#[derive(Resource)]
struct Tr {
    ar: Translator,
    en: Translator,
}

impl Tr {
    fn get(&self, lang: Lang) -> &Translator {
        match lang {
            Lang::Ar => &self.ar,
            Lang::En => &self.en,
        }
    }
}

/// The fonts, held for the app's life (bevy drops fallbacks when a font asset is dropped).
#[derive(Resource)]
struct Fonts(Vec<Handle<Font>>);

const LATIN_FAMILY: &str = "Noto Sans";
const ARABIC_FAMILY: &str = "Noto Sans Arabic";

/// Everything the kiosk runs on.
#[derive(Resource)]
struct Kiosk {
    flow: Flow,
    link_to: std::sync::mpsc::Sender<ToLink>,
    shared: std::sync::Arc<link::Shared>,
    from_link: Mutex<std::sync::mpsc::Receiver<FromLink>>,
    printer: std::sync::mpsc::Sender<PrintJob>,
    from_printer: Mutex<std::sync::mpsc::Receiver<PrintDone>>,
    live: bool,
    settings: Settings,
    /// The technician panel's fields and what it last heard.
    panel: PanelState,
}

#[derive(Default, Clone)]
struct PanelState {
    server: String,
    token: String,
    printer: String,
    paper_mm: u32,
    printer_status: Option<PrinterStatus>,
    note: String,
    refused: Option<String>,
}

/// What is on screen now, to know when to draw again.
#[derive(Resource, Default)]
struct Drawn {
    key: Option<(u64, u64, bool)>,
    fonts_ready: bool,
    qr: Option<(String, Handle<Image>)>,
}

#[derive(Component)]
struct Root;

impl Kiosk {
    fn tap(&mut self, action: Action) {
        let effect = self.flow.act(action, Instant::now(), new_key);
        self.run_effect(effect);
    }

    fn run_effect(&mut self, effect: Option<crate::flow::Effect>) {
        match effect {
            Some(crate::flow::Effect::Issue {
                service,
                priority,
                key,
            }) => {
                let _ = self.link_to.send(ToLink::Issue {
                    service,
                    priority,
                    key,
                });
            }
            Some(crate::flow::Effect::Print(receipt)) => {
                let _ = self.printer.send(PrintJob::Receipt {
                    receipt,
                    lang: self.flow.lang,
                    printed_at: self.local_now(),
                });
            }
            None => {}
        }
    }

    fn local_now(&self) -> chrono::DateTime<chrono_tz::Tz> {
        let mirror = self.shared.mirror.lock().unwrap_or_else(|p| p.into_inner());
        let zone = mirror
            .state
            .as_ref()
            .and_then(|s| s.catalog.as_deref())
            .map(protocol::clock::zone)
            .unwrap_or(chrono_tz::Africa::Cairo);
        chrono::Utc::now().with_timezone(&zone)
    }
}

/// A fresh idempotency key for one citizen's request.
fn new_key() -> String {
    use rand::Rng;
    let n: u128 = rand::rng().random();
    format!("kiosk-{n:032x}")
}

fn setup(
    mut commands: Commands,
    assets: Res<AssetServer>,
    opts: Res<Opts>,
    proxy: Res<EventLoopProxyWrapper>,
) {
    commands.insert_resource(Fonts(
        [
            "NotoSans-Regular.ttf",
            "NotoSans-Bold.ttf",
            "NotoSansArabic-Regular.ttf",
            "NotoSansArabic-Bold.ttf",
        ]
        .iter()
        .map(|f| assets.load(format!("fonts/{f}")))
        .collect(),
    ));
    commands.spawn(Camera2d);
    let o = &opts.0;
    let wake = {
        let proxy = (**proxy).clone();
        move || {
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        }
    };
    let Link {
        to: link_to,
        from: from_link,
        shared,
    } = link::start(
        o.settings.server.clone(),
        o.settings.token.clone(),
        wake.clone(),
    );
    let PrinterLink { to, from } =
        printing::start(o.settings.clone(), o.assets.clone(), link_to.clone(), wake);
    // Ask the printer once at start: the server learns of a kiosk that starts without paper.
    let _ = to.send(PrintJob::Status);
    let flow = Flow::new(
        FlowConfig {
            priorities: o.priorities.clone(),
            pin: o.settings.pin.clone(),
            default_lang: o.default_lang,
        },
        Instant::now(),
    );
    let s = &o.settings;
    commands.insert_resource(Kiosk {
        flow,
        link_to,
        shared,
        from_link: Mutex::new(from_link),
        printer: to,
        from_printer: Mutex::new(from),
        live: false,
        settings: s.clone(),
        panel: PanelState {
            server: s.server.clone(),
            token: s.token.clone(),
            printer: s.printer.clone(),
            paper_mm: s.paper_mm,
            ..default()
        },
    });
}

/// Answers from the link and the printer, and time passing.
fn pump(mut kiosk: ResMut<Kiosk>, mut winit: ResMut<WinitSettings>, trs: Res<Tr>) {
    let k = &mut *kiosk;
    let now = Instant::now();
    let from_link: Vec<FromLink> = k
        .from_link
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .try_iter()
        .collect();
    for msg in from_link {
        match msg {
            FromLink::Issued { key, result } => {
                let effect = k.flow.issued(&key, result, now);
                k.run_effect(effect);
            }
            FromLink::Live(live) => {
                k.live = live;
                if live {
                    k.panel.refused = None;
                }
            }
            FromLink::Refused(e) => k.panel.refused = Some(e.message),
        }
    }
    let from_printer: Vec<PrintDone> = k
        .from_printer
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .try_iter()
        .collect();
    for done in from_printer {
        match done {
            PrintDone::Receipt { label, result } => k.flow.printed(&label, result),
            PrintDone::Status(s) => k.panel.printer_status = Some(s),
            PrintDone::TestPrinted(r) => {
                let tr = trs.get(k.flow.lang);
                k.panel.note = match r {
                    Ok(()) => tr.tr("panel-test-printed", &[]),
                    Err(e) => format!("{}: {e}", tr.tr("panel-test-failed", &[])),
                }
            }
        }
    }
    k.flow.tick(now);
    // Live figures (waits, people waiting) matter on these screens only.
    let live_screen = matches!(
        k.flow.screen,
        Screen::Categories
            | Screen::Services { .. }
            | Screen::Card { .. }
            | Screen::Priority { .. }
            | Screen::Confirm { .. }
    );
    k.shared.wants_updates.store(live_screen, Ordering::Release);
    let want = if k.flow.screen == Screen::Welcome {
        sleepy()
    } else {
        attentive()
    };
    if winit.focused_mode != want.focused_mode {
        *winit = want;
    }
}

fn theme(large: bool) -> Theme {
    if large { HIGH_CONTRAST } else { NORMAL }
}

/// Draws the screen again when the flow, the figures on it, or the connection changed.
#[allow(clippy::too_many_arguments)]
fn rebuild(
    mut commands: Commands,
    kiosk: Res<Kiosk>,
    tr: Res<Tr>,
    mut drawn: ResMut<Drawn>,
    roots: Query<Entity, With<Root>>,
    mut images: ResMut<Assets<Image>>,
    mut clear: ResMut<ClearColor>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let hall_version = kiosk.shared.version.load(Ordering::Acquire);
    let shows_figures = kiosk.shared.wants_updates.load(Ordering::Acquire);
    let key = (
        kiosk.flow.version,
        if shows_figures || drawn.key.is_none() {
            hall_version
        } else {
            drawn.key.map(|k| k.1).unwrap_or(0)
        },
        kiosk.live,
    );
    if drawn.key == Some(key) {
        return;
    }
    drawn.key = Some(key);
    let mirror = kiosk
        .shared
        .mirror
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let base = kiosk.settings.ticket_base();
    let cx = Context {
        hall: mirror.state.as_ref(),
        live: kiosk.live,
        ar: &tr.ar,
        en: &tr.en,
        now: chrono::Utc::now(),
        ticket_base: &base,
    };
    let view = screens::view(&kiosk.flow, &cx);
    drop(mirror);
    for e in &roots {
        commands.entity(e).despawn();
    }
    let th = theme(view.large_text);
    clear.0 = th.bg;
    let qr = find_qr(&view.body).map(|url| {
        if drawn.qr.as_ref().map(|(u, _)| u) != Some(&url) {
            let image = qr_image(&url);
            drawn.qr = Some((url.clone(), images.add(image)));
        }
        drawn
            .qr
            .as_ref()
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    });
    spawn_view(&mut commands, &view, th, qr);
    redraw.write(RequestRedraw);
}

fn find_qr(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| match b {
        Block::Qr(url) => Some(url.clone()),
        _ => None,
    })
}

/// The QR code as an image, each module a square of pixels (drawn unfiltered).
fn qr_image(url: &str) -> Image {
    const MODULE: usize = 10;
    const QUIET: usize = 4;
    let (modules, width) =
        match qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M) {
            Ok(code) => (code.to_colors(), code.width()),
            Err(e) => {
                tracing::error!(error = %e, url, "QR code not made");
                (vec![], 0)
            }
        };
    let side = (width + 2 * QUIET) * MODULE;
    let mut data = vec![255u8; side * side * 4];
    for (i, m) in modules.iter().enumerate() {
        if *m != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % width + QUIET, i / width + QUIET);
        for y in my * MODULE..(my + 1) * MODULE {
            for x in mx * MODULE..(mx + 1) * MODULE {
                let p = (y * side + x) * 4;
                data[p..p + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
    }
    let mut image = Image::new(
        Extent3d {
            width: side as u32,
            height: side as u32,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::default(),
    );
    image.sampler = ImageSampler::nearest();
    image
}

fn font(size: Size, th: Theme, bold: bool) -> TextFont {
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

fn tone_color(tone: Tone, th: Theme) -> Color {
    match tone {
        Tone::Primary => th.primary,
        Tone::Alert => th.alert,
        Tone::Quiet => th.muted,
        Tone::Normal => th.text,
    }
}

fn spawn_view(commands: &mut Commands, v: &View, th: Theme, qr: Option<Handle<Image>>) {
    let rtl = v.lang.rtl();
    let justify = if rtl { Justify::Right } else { Justify::Left };
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
                padding: UiRect::axes(px(48), px(28)),
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
                padding: UiRect::all(px(32)),
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
                    f.spawn((
                        Text::new(value.clone()),
                        font(Size::Body, th, true),
                        TextColor(tone_color(*tone, th)),
                        TextLayout::justify(justify),
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
        Block::Keypad => {
            parent
                .spawn(Node {
                    width: percent(100),
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    row_gap: px(18),
                    ..default()
                })
                .with_children(|pad| {
                    let rows: [[(Action, String); 3]; 4] = [
                        [1, 2, 3].map(|d| (Action::PinDigit(d), d.to_string())),
                        [4, 5, 6].map(|d| (Action::PinDigit(d), d.to_string())),
                        [7, 8, 9].map(|d| (Action::PinDigit(d), d.to_string())),
                        [
                            (Action::PinErase, "⌫".to_string()),
                            (Action::PinDigit(0), "0".to_string()),
                            (Action::PinEnter, "✓".to_string()),
                        ],
                    ];
                    for keys in rows {
                        pad.spawn(Node {
                            column_gap: px(18),
                            ..default()
                        })
                        .with_children(|r| {
                            for (action, label) in keys {
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
                                        font(Size::Title, th, true),
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

/// The technician panel: server, token, printer, paper, test print, printer status.
fn technician_panel(
    mut contexts: EguiContexts,
    mut kiosk: ResMut<Kiosk>,
    opts: Res<Opts>,
    trs: Res<Tr>,
    mut fonts_installed: Local<bool>,
) -> Result {
    if kiosk.flow.screen != Screen::Panel {
        return Ok(());
    }
    let tr = trs.get(kiosk.flow.lang);
    let ctx = contexts.ctx_mut()?;
    if !*fonts_installed {
        crate::egui_text::install_arabic_font(ctx, &opts.0.assets);
        *fonts_installed = true;
    }
    ctx.set_pixels_per_point(2.0);
    let color = ctx.global_style().visuals.text_color();
    // Every label through the bidi fix-up (Arabic reads right to left in egui only so).
    let l = |s: String| crate::egui_text::line(&s, egui::FontId::proportional(15.0), color);
    let t = |id: &str| l(tr.tr(id, &[]));
    let k = &mut *kiosk;
    let mut viewport = egui::Ui::new(
        ctx.clone(),
        "technician-panel".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::CentralPanel::default().show(&mut viewport, |ui| {
        ui.label(crate::egui_text::line(
            &tr.tr("panel-title", &[]),
            egui::FontId::proportional(24.0),
            color,
        ));
        ui.separator();
        egui::Grid::new("settings")
            .num_columns(2)
            .spacing([24.0, 14.0])
            .show(ui, |ui| {
                ui.label(t("panel-server"));
                ui.add(egui::TextEdit::singleline(&mut k.panel.server).desired_width(300.0));
                ui.end_row();
                ui.label(t("panel-token"));
                ui.add(
                    egui::TextEdit::singleline(&mut k.panel.token)
                        .password(true)
                        .desired_width(300.0),
                );
                ui.end_row();
                ui.label(t("panel-printer"));
                ui.add(egui::TextEdit::singleline(&mut k.panel.printer).desired_width(300.0));
                ui.end_row();
                ui.label(t("panel-paper"));
                ui.horizontal(|ui| {
                    ui.radio_value(&mut k.panel.paper_mm, 80, "80 mm");
                    ui.radio_value(&mut k.panel.paper_mm, 58, "58 mm");
                });
                ui.end_row();
                ui.label(t("panel-connection"));
                ui.label(if k.live {
                    t("panel-connected")
                } else {
                    t("panel-disconnected")
                });
                ui.end_row();
                ui.label(t("panel-printer-status"));
                ui.label(l(match &k.panel.printer_status {
                    Some(s) => match s {
                        PrinterStatus::Offline(why) => {
                            format!("{} ({why})", tr.tr(&s.message_id(), &[]))
                        }
                        _ => tr.tr(&s.message_id(), &[]),
                    },
                    None => "—".into(),
                }));
                ui.end_row();
            });
        if let Some(why) = &k.panel.refused {
            ui.colored_label(
                egui::Color32::RED,
                format!("{}: {why}", tr.tr("panel-token-refused", &[])),
            );
        }
        ui.add_space(12.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button(t("panel-save")).clicked() {
                let mut s = k.settings.clone();
                s.server = k.panel.server.trim().to_string();
                s.token = k.panel.token.trim().to_string();
                s.printer = k.panel.printer.trim().to_string();
                s.paper_mm = k.panel.paper_mm;
                let bad_printer =
                    !s.printer.is_empty() && s.printer.parse::<crate::printer::Target>().is_err();
                if bad_printer {
                    k.panel.note = tr.tr("panel-bad-printer", &[]);
                } else {
                    match s.save(&opts.0.settings_path) {
                        Ok(()) => k.panel.note = tr.tr("panel-saved", &[]),
                        Err(e) => k.panel.note = format!("{}: {e}", tr.tr("panel-not-saved", &[])),
                    }
                    if s.server != k.settings.server || s.token != k.settings.token {
                        let _ = k.link_to.send(ToLink::Reconfigure {
                            url: s.server.clone(),
                            token: s.token.clone(),
                        });
                    }
                    let _ = k.printer.send(PrintJob::Configure(s.clone()));
                    let _ = k.printer.send(PrintJob::Status);
                    k.settings = s;
                }
            }
            if ui.button(t("panel-test-print")).clicked() {
                let printed_at = k.local_now();
                let _ = k.printer.send(PrintJob::Test {
                    lang: k.flow.lang,
                    printed_at,
                });
                k.panel.note = tr.tr("panel-printing", &[]);
            }
            if ui.button(t("panel-check-printer")).clicked() {
                let _ = k.printer.send(PrintJob::Status);
            }
            if ui.button(t("panel-close")).clicked() {
                k.tap(Action::ClosePanel);
            }
        });
        if !k.panel.note.is_empty() {
            ui.add_space(8.0);
            ui.label(l(k.panel.note.clone()));
        }
    });
    Ok(())
}

/// bevy_egui 0.42 reports the modifier keys every frame, which makes egui ask for a repaint
/// every frame and defeats reactive updates (PLATFORM.md): drop the report when unchanged.
fn quiet_egui_modifiers(
    mut inputs: Query<&mut EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        let mut seen = *last;
        input.events.retain(|e| match e {
            egui::Event::ModifiersChanged(m) => {
                let changed = seen != Some(*m);
                seen = Some(*m);
                changed
            }
            _ => true,
        });
        *last = seen;
    }
}

/// bevy's text has no automatic font fallback (PLATFORM.md): once the fonts are loaded, make
/// the Arabic family the fallback for Arabic script and the Latin one for Latin.
fn register_font_fallbacks(
    fonts: Option<Res<Fonts>>,
    font_assets: Res<Assets<Font>>,
    mut font_cx: ResMut<FontCx>,
    mut text_fonts: Query<&mut TextFont>,
    mut drawn: ResMut<Drawn>,
) {
    if drawn.fonts_ready {
        return;
    }
    let Some(fonts) = fonts else { return };
    if !fonts
        .0
        .iter()
        .all(|h| font_assets.get(h).is_some_and(|f| !f.alias.is_empty()))
    {
        return;
    }
    let (Some(latin_id), Some(arabic_id)) = (
        font_cx.collection.family_id(LATIN_FAMILY),
        font_cx.collection.family_id(ARABIC_FAMILY),
    ) else {
        tracing::error!("fonts loaded but their families are missing; text may show boxes");
        drawn.fonts_ready = true;
        return;
    };
    font_cx
        .collection
        .set_fallbacks(Script::from_bytes(*b"Latn"), std::iter::once(latin_id));
    font_cx
        .collection
        .set_fallbacks(Script::from_bytes(*b"Arab"), std::iter::once(arabic_id));
    for mut tf in &mut text_fonts {
        tf.set_changed();
    }
    drawn.fonts_ready = true;
}

/// `--screen`: walk the flow to the named screen with the hall's real data, as taps would.
fn drive_demo(mut kiosk: ResMut<Kiosk>, opts: Res<Opts>, mut step: Local<usize>) {
    let demo = &opts.0.demo;
    if demo.screen.is_empty() || opts.0.screenshot.is_none() {
        return;
    }
    let (category, service) = {
        let mirror = kiosk
            .shared
            .mirror
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let Some(hall) = mirror.state.as_ref() else {
            return;
        };
        let service = demo
            .service
            .clone()
            .or_else(|| {
                let cat = hall.catalog.as_ref()?.categories.first()?.code.clone();
                hall.services
                    .values()
                    .find(|q| q.service.category == cat)
                    .map(|q| q.service.code.clone())
            })
            .unwrap_or_default();
        let category = hall
            .services
            .get(&service)
            .map(|q| q.service.category.clone())
            .unwrap_or_default();
        (category, service)
    };
    if !kiosk.live && *step == 0 {
        return;
    }
    let lang = demo.lang.unwrap_or(Lang::Ar);
    let mut path = vec![Action::Language(lang)];
    if demo.large_text {
        path.insert(0, Action::ToggleLargeText);
    }
    let to = |s: &str| -> Vec<Action> {
        match s {
            "welcome" => vec![],
            "categories" => vec![],
            "services" => vec![Action::Category(category.clone())],
            "card" => vec![
                Action::Category(category.clone()),
                Action::Service(service.clone()),
            ],
            "priority" => vec![
                Action::Category(category.clone()),
                Action::Service(service.clone()),
                Action::TakeTicket,
            ],
            "confirm" | "ticket" | "failed" => vec![
                Action::Category(category.clone()),
                Action::Service(service.clone()),
                Action::TakeTicket,
                Action::Priority(Priority::Normal),
                Action::Confirm,
            ],
            "pin" | "panel" => vec![Action::HeaderTap; 5],
            _ => vec![],
        }
    };
    if demo.screen == "welcome" {
        path = if demo.large_text {
            vec![Action::ToggleLargeText]
        } else {
            vec![]
        };
    } else {
        path.extend(to(&demo.screen));
        if demo.screen == "confirm" {
            path.pop();
        }
        if demo.screen == "panel" {
            let pin = kiosk.settings.pin.clone();
            path.extend(pin.bytes().map(|b| Action::PinDigit(b - b'0')));
            path.push(Action::PinEnter);
        }
    }
    // "failed": walk to the last tap, then wait for the server to go away before it.
    if demo.screen == "failed" && kiosk.live && *step + 1 == path.len() {
        return;
    }
    if *step < path.len() {
        // One tap a frame, so each screen is built as it would be.
        let a = path[*step].clone();
        kiosk.tap(a);
        *step += 1;
    }
}

/// `--screenshot`: once fonts and the walk are done and the screen has settled, save a frame.
fn screenshot_when_ready(
    mut commands: Commands,
    opts: Res<Opts>,
    kiosk: Res<Kiosk>,
    drawn: Res<Drawn>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut taken: Local<bool>,
    mut settled: Local<(u64, u32)>,
) {
    let Some(path) = &opts.0.screenshot else {
        return;
    };
    redraw.write(RequestRedraw);
    if *taken || !drawn.fonts_ready {
        return;
    }
    let target_reached = match opts.0.demo.screen.as_str() {
        "" | "welcome" => true,
        "categories" => kiosk.flow.screen == Screen::Categories,
        "services" => matches!(kiosk.flow.screen, Screen::Services { .. }),
        "card" => matches!(kiosk.flow.screen, Screen::Card { .. }),
        "priority" => matches!(
            kiosk.flow.screen,
            Screen::Priority { .. } | Screen::Confirm { .. }
        ),
        "confirm" => matches!(kiosk.flow.screen, Screen::Confirm { .. }),
        // The ticket screen once the printer has answered.
        "ticket" => {
            matches!(&kiosk.flow.screen, Screen::Ticket { print, .. } if *print != crate::flow::PrintState::Printing)
        }
        "failed" => matches!(kiosk.flow.screen, Screen::Failed { .. }),
        "pin" => matches!(kiosk.flow.screen, Screen::Pin { .. }),
        "panel" => kiosk.flow.screen == Screen::Panel,
        other => {
            tracing::error!(screen = other, "unknown screen name");
            true
        }
    };
    if !target_reached {
        settled.1 = 0;
        return;
    }
    // The same screen for some frames: fonts, layout and images are in.
    if settled.0 != kiosk.flow.version {
        *settled = (kiosk.flow.version, 0);
    }
    settled.1 += 1;
    if settled.1 < 30 {
        return;
    }
    *taken = true;
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path.clone()))
        .observe(
            |_ev: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                exit.write(AppExit::Success);
            },
        );
}

//! The board window (bevy): connects as a board device, shows the hall, announces calls.
//!
//! Costs nothing when nothing changes: `WinitSettings::desktop_app()`, and the client thread
//! wakes the event loop only when a frame arrives; a new call flashes for a few seconds,
//! requesting redraws only while it does.

use crate::announce::{self, Audio, Lang, VoicePack};
use crate::board::{Board, Changed, Zone};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::text::{FontCx, load_font_assets_into_font_collection};
use bevy::ui::UiSystems;
use bevy::window::{RequestRedraw, WindowResolution};
use bevy::winit::{EventLoopProxyWrapper, UpdateMode, WinitSettings, WinitUserEvent};
use parley::fontique::Script;
use protocol::client::{Client, ClientConfig, ClientEvent};
use protocol::i18n::Translator;
use protocol::wire::Credentials;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a new call flashes.
const FLASH: Duration = Duration::from_secs(6);

#[derive(Clone, Debug)]
pub struct BoardOptions {
    pub url: String,
    pub token: String,
    /// Languages of the voice, in order (empty: chime only).
    pub voice: Vec<Lang>,
    pub voice_dir: PathBuf,
    /// Mute entirely (no chime either).
    pub silent: bool,
    /// Arabic-Indic digits in Arabic texts (clock, counts, counters).
    pub arabic_digits: bool,
    pub portrait: bool,
    pub zone: Zone,
    /// Render one frame to this PNG once the hall is shown, then exit.
    pub screenshot: Option<PathBuf>,
    /// With `screenshot`: wait until the connection is lost (to see the reconnecting state).
    pub screenshot_offline: bool,
    /// Languages of the labels, in order ("ar,en": Arabic first, both).
    pub labels: Vec<Lang>,
    /// The folder holding `fonts/` (and the logo).
    pub assets: PathBuf,
    /// The center's logo, a PNG under `assets`.
    pub logo: Option<String>,
}

pub fn run(opts: BoardOptions) -> AppExit {
    let (w, h) = if opts.portrait {
        (1080, 1920)
    } else {
        (1920, 1080)
    };
    App::new()
        .add_plugins(
            DefaultPlugins
                .set(WindowPlugin {
                    primary_window: Some(Window {
                        title: "لوحة النداء — Display board".into(),
                        resolution: WindowResolution::new(w, h).with_scale_factor_override(1.0),
                        ..default()
                    }),
                    ..default()
                })
                .set(AssetPlugin {
                    file_path: opts.assets.to_string_lossy().into_owned(),
                    ..default()
                }),
        )
        .insert_resource(WinitSettings::desktop_app())
        .insert_resource(ClearColor(BG))
        .insert_resource(Options(opts))
        .insert_resource(Tr {
            ar: Translator::new("ar"),
            en: Translator::new("en"),
        })
        .insert_resource(ScreenState::default())
        .add_systems(Startup, (setup, start_client, start_speaker))
        .add_systems(Update, (take_events, refresh_view, animate).chain())
        .add_systems(Update, (screenshot_when_ready, scroll_message))
        .add_systems(
            PostUpdate,
            register_font_fallbacks
                .after(load_font_assets_into_font_collection)
                .before(UiSystems::Content),
        )
        .run()
}

const BG: Color = Color::srgb(0.04, 0.07, 0.14);
const PANEL: Color = Color::srgb(0.08, 0.12, 0.22);
const ACCENT: Color = Color::srgb(1.0, 0.76, 0.18);
const TEXT: Color = Color::srgb(0.95, 0.96, 0.98);
const MUTED: Color = Color::srgb(0.65, 0.71, 0.80);
const WARN: Color = Color::srgb(0.78, 0.22, 0.18);

#[derive(Resource)]
struct Options(BoardOptions);

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

    /// A text in each configured language, in order.
    fn both(&self, langs: &[Lang], f: impl Fn(&Translator) -> String) -> String {
        langs
            .iter()
            .map(|l| f(self.get(*l)))
            .collect::<Vec<_>>()
            .join("  ·  ")
    }
}

fn pick(names: &protocol::Names, langs: &[Lang]) -> String {
    langs
        .iter()
        .map(|l| names.get(l.code()).to_string())
        .collect::<Vec<_>>()
        .join("  ·  ")
}

/// The fonts, held for the app's life: bevy clears parley's whole collection (fallbacks
/// included) when a font asset is dropped.
#[derive(Resource)]
struct Fonts(Vec<Handle<Font>>);

/// Every text names the Latin family (it has the punctuation, arrows and digits); Arabic
/// script falls back to the Arabic family, registered once the fonts are loaded.
const LATIN_FAMILY: &str = "Noto Sans";
const ARABIC_FAMILY: &str = "Noto Sans Arabic";

/// Frames from the client thread (its receiver is not `Sync`, hence the mutex).
#[derive(Resource)]
struct Feed(Mutex<mpsc::Receiver<ClientEvent>>);

#[derive(Resource)]
struct Hall(Board);

/// Announcements to the speaker thread.
#[derive(Resource)]
struct Speaker(Mutex<mpsc::Sender<Audio>>);

/// What the screen is doing: a flash until when, whether texts need setting, font readiness.
#[derive(Resource, Default)]
struct ScreenState {
    /// The current call flashes until then.
    until: Option<Instant>,
    /// Something changed since the texts were last set.
    dirty: bool,
    fallbacks_ready: bool,
    frames_shown: u32,
}

#[derive(Component)]
struct CurrentLabel;
#[derive(Component)]
struct CurrentCounter;
#[derive(Component)]
struct CurrentPanel;
#[derive(Component)]
struct RecentLabel(usize);
#[derive(Component)]
struct RecentCounter(usize);
#[derive(Component)]
struct WaitingText;
#[derive(Component)]
struct MessageText;
#[derive(Component)]
struct MessageBox;
#[derive(Component)]
struct ClockText;
#[derive(Component)]
struct Banner;

fn setup(mut commands: Commands, assets: Res<AssetServer>, opts: Res<Options>, tr: Res<Tr>) {
    let fonts = Fonts(
        [
            "NotoSans-Regular.ttf",
            "NotoSans-Bold.ttf",
            "NotoSansArabic-Regular.ttf",
            "NotoSansArabic-Bold.ttf",
        ]
        .iter()
        .map(|f| assets.load(format!("fonts/{f}")))
        .collect(),
    );
    commands.spawn(Camera2d);
    let portrait = opts.0.portrait;
    let text = |weight: FontWeight, size: f32, color: Color| {
        (
            TextFont {
                font: FontSource::Family(LATIN_FAMILY.into()),
                font_size: FontSize::Px(size),
                weight,
                ..default()
            },
            TextColor(color),
        )
    };
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
                    let side = if opts.0.labels.first() == Some(&Lang::Ar) {
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
                    let row_dir = if opts.0.labels.first() == Some(&Lang::Ar) {
                        FlexDirection::RowReverse
                    } else {
                        FlexDirection::Row
                    };
                    for i in 0..crate::board::RECENT_CALLS - 1 {
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
    commands.insert_resource(fonts);
    commands.insert_resource(Logo(logo));
    commands.insert_resource(Hall(Board::new(opts.0.zone.clone())));
}

#[derive(Component)]
struct CenterName;

#[derive(Resource)]
struct Logo(#[allow(dead_code)] Option<Handle<Image>>);

/// The client runs on its own thread; every frame it receives wakes the event loop.
fn start_client(mut commands: Commands, opts: Res<Options>, proxy: Res<EventLoopProxyWrapper>) {
    let proxy = (**proxy).clone();
    let config = ClientConfig::new(
        &opts.0.url,
        Some(Credentials::Device {
            token: opts.0.token.clone(),
        }),
        "display-board",
    );
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("board-client".into())
        .spawn(move || {
            let client = Client::start(config);
            let mut last_minute = None;
            loop {
                if let Some(event) = client.recv_timeout(Duration::from_millis(500)) {
                    if tx.send(event).is_err() {
                        return;
                    }
                    let _ = proxy.send_event(WinitUserEvent::WakeUp);
                }
                // The clock shows minutes: wake once when the minute turns.
                let minute = chrono::Local::now().format("%H:%M").to_string();
                if last_minute.as_ref() != Some(&minute) {
                    last_minute = Some(minute);
                    let _ = proxy.send_event(WinitUserEvent::WakeUp);
                }
            }
        })
        .expect("spawn the client thread");
    commands.insert_resource(Feed(Mutex::new(rx)));
}

/// Announcements play on their own thread, one after another.
fn start_speaker(mut commands: Commands) {
    let (tx, rx) = mpsc::channel::<Audio>();
    std::thread::Builder::new()
        .name("board-speaker".into())
        .spawn(move || {
            let speaker = crate::speaker::Speaker::open();
            for audio in rx {
                speaker.play(&audio);
            }
        })
        .expect("spawn the speaker thread");
    commands.insert_resource(Speaker(Mutex::new(tx)));
}

fn take_events(
    feed: Res<Feed>,
    mut hall: ResMut<Hall>,
    mut flash: ResMut<ScreenState>,
    speaker: Res<Speaker>,
    opts: Res<Options>,
) {
    let rx = feed.0.lock().unwrap_or_else(|p| p.into_inner());
    let now = chrono::Utc::now();
    let mut changed = Changed::default();
    while let Ok(event) = rx.try_recv() {
        let c = hall.0.handle(&event, now);
        changed.view |= c.view;
        changed.new_call |= c.new_call;
    }
    if changed.new_call {
        flash.until = Some(Instant::now() + FLASH);
    }
    if changed.view || changed.new_call {
        flash.dirty = true;
    }
    let voice = VoicePack::new(&opts.0.voice_dir);
    while let Some(call) = hall.0.to_announce.pop_front() {
        if opts.0.silent {
            continue;
        }
        match voice.render(&announce::plan(&call.label, call.counter, &opts.0.voice)) {
            Ok(audio) => {
                let _ = speaker
                    .0
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .send(audio);
            }
            Err(e) => tracing::warn!(error = %e, label = %call.label, "announcement not played"),
        }
    }
}

fn digits(s: &str, arabic: bool) -> String {
    if !arabic {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn refresh_view(
    hall: Res<Hall>,
    mut flash: ResMut<ScreenState>,
    opts: Res<Options>,
    tr: Res<Tr>,
    mut texts: ParamSet<(
        Query<&mut Text, With<CurrentLabel>>,
        Query<&mut Text, With<CurrentCounter>>,
        Query<
            (&mut Text, Option<&RecentLabel>, Option<&RecentCounter>),
            Or<(With<RecentLabel>, With<RecentCounter>)>,
        >,
        Query<&mut Text, With<WaitingText>>,
        Query<&mut Text, With<MessageText>>,
        Query<&mut Text, With<ClockText>>,
        Query<&mut Text, With<CenterName>>,
    )>,
    mut banner: Query<&mut Node, With<Banner>>,
) {
    let ar_digits = opts.0.arabic_digits && opts.0.labels.first() == Some(&Lang::Ar);
    // The center's local time (its catalog's zone), whatever zone this machine is set to.
    let now = match hall.0.state().and_then(|s| s.catalog.as_deref()) {
        Some(catalog) => protocol::clock::local_time(catalog, chrono::Utc::now()),
        None => chrono::Local::now().naive_local(),
    };
    let clock = format!(
        "{}   {}",
        digits(&now.format("%H:%M").to_string(), ar_digits),
        digits(&now.format("%Y-%m-%d").to_string(), ar_digits)
    );
    for mut t in &mut texts.p5() {
        t.set_if_neq(Text::new(clock.clone()));
    }
    if !flash.dirty {
        return;
    }
    flash.dirty = false;
    let board = &hall.0;
    for mut node in &mut banner {
        let display = if board.live() {
            Display::None
        } else {
            Display::Flex
        };
        if node.display != display {
            node.display = display;
        }
    }
    let labels = &opts.0.labels;
    let ar_first = labels.first() == Some(&Lang::Ar);
    let counter_line = |c: &crate::board::Call| pick(&c.counter_name, labels);
    match board.calls.front() {
        Some(c) => {
            texts
                .p0()
                .iter_mut()
                .for_each(|mut t| t.0 = c.label.clone());
            texts
                .p1()
                .iter_mut()
                .for_each(|mut t| t.0 = counter_line(c));
        }
        None => {
            texts.p0().iter_mut().for_each(|mut t| t.0 = "—".into());
            let wait = tr.both(labels, |t| t.tr("board-no-calls", &[]));
            texts.p1().iter_mut().for_each(|mut t| t.0 = wait.clone());
        }
    }
    for (mut t, label, counter) in &mut texts.p2() {
        let call = label
            .map(|l| l.0)
            .or(counter.map(|c| c.0))
            .and_then(|i| board.calls.get(i + 1));
        let new = match (call, label.is_some(), counter.is_some()) {
            (Some(c), true, _) => c.label.clone(),
            (Some(c), _, true) => c
                .counter_name
                .get(if ar_first { "ar" } else { "en" })
                .to_string(),
            _ => String::new(),
        };
        if t.0 != new {
            t.0 = new;
        }
    }
    let waiting: Vec<String> = board
        .waiting_by_category()
        .into_iter()
        .map(|(name, n)| {
            format!(
                "{}: {}",
                name.get(if ar_first { "ar" } else { "en" }),
                digits(&n.to_string(), ar_digits && ar_first)
            )
        })
        .collect();
    let waiting = if waiting.is_empty() {
        String::new()
    } else {
        format!(
            "{} — {}",
            tr.get(if ar_first { Lang::Ar } else { Lang::En })
                .tr("board-waiting", &[]),
            waiting.join("   ·   ")
        )
    };
    texts
        .p3()
        .iter_mut()
        .for_each(|mut t| t.0 = waiting.clone());
    let message = board.state().map(|s| s.message.clone()).unwrap_or_default();
    texts
        .p4()
        .iter_mut()
        .for_each(|mut t| t.0 = message.clone());
    let center = board.state().map(|s| s.center_name()).unwrap_or_default();
    let center = pick(&center, labels);
    texts.p6().iter_mut().for_each(|mut t| t.0 = center.clone());
}

/// A message longer than its line advances by this share of the line every `TICKER_STEP`:
/// stepped, not smooth, so the board draws one frame per step instead of thirty a second
/// (smooth scrolling measured 178 % CPU with a software renderer, which centers' small PCs
/// may well have).
const TICKER_SHARE: f32 = 0.6;
const TICKER_STEP: Duration = Duration::from_secs(4);
const MESSAGE_PAD: f32 = 20.0;

#[derive(Default)]
struct Ticker {
    /// Steps taken since the message was last shown from its beginning.
    step: u32,
    last: Option<Instant>,
    width: f32,
}

/// Places the message line: still at its reading side when it fits; otherwise it starts at
/// its beginning and moves a step in reading direction every few seconds, then starts over.
fn scroll_message(
    opts: Res<Options>,
    boxes: Query<&ComputedNode, With<MessageBox>>,
    mut texts: Query<(&ComputedNode, &mut Node), With<MessageText>>,
    mut winit: ResMut<WinitSettings>,
    mut ticker: Local<Ticker>,
) {
    let (Ok(b), Ok((t, mut node))) = (boxes.single(), texts.single_mut()) else {
        return;
    };
    let (bw, tw) = (b.size.x, t.size.x);
    if bw <= 0.0 {
        return;
    }
    let rtl = opts.0.labels.first() == Some(&Lang::Ar);
    let start = if rtl {
        bw - tw - MESSAGE_PAD
    } else {
        MESSAGE_PAD
    };
    let fits = tw + 2.0 * MESSAGE_PAD <= bw;
    if fits || (ticker.width - tw).abs() > 0.5 {
        // A new message (or one that fits): from its beginning.
        *ticker = Ticker {
            step: 0,
            last: Some(Instant::now()),
            width: tw,
        };
    } else if ticker.last.is_none_or(|l| l.elapsed() >= TICKER_STEP) {
        ticker.last = Some(Instant::now());
        let shown_all = (ticker.step as f32) * TICKER_SHARE * bw >= tw + 2.0 * MESSAGE_PAD - bw;
        ticker.step = if shown_all { 0 } else { ticker.step + 1 };
    }
    let shift = ticker.step as f32 * TICKER_SHARE * bw;
    let x = if rtl { start + shift } else { start - shift };
    if node.left != px(x) {
        node.left = px(x);
    }
    // Wake for the next step only while there is one to take.
    let wanted = if fits {
        WinitSettings::desktop_app()
    } else {
        let wait = UpdateMode::reactive_low_power(TICKER_STEP);
        WinitSettings {
            focused_mode: wait,
            unfocused_mode: wait,
        }
    };
    if winit.focused_mode != wanted.focused_mode || winit.unfocused_mode != wanted.unfocused_mode {
        *winit = wanted;
    }
}

/// The current call's panel flashes while new; only then are frames requested.
fn animate(
    mut flash: ResMut<ScreenState>,
    mut panel: Query<&mut BackgroundColor, With<CurrentPanel>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let Some(until) = flash.until else { return };
    let now = Instant::now();
    let color = if now >= until {
        flash.until = None;
        PANEL
    } else {
        redraw.write(RequestRedraw);
        let phase = (until - now).as_millis() / 400 % 2;
        if phase == 0 {
            Color::srgb(0.45, 0.32, 0.05)
        } else {
            PANEL
        }
    };
    for mut bg in &mut panel {
        if bg.0 != color {
            bg.0 = color;
        }
    }
}

/// bevy's text has no automatic font fallback (PLATFORM.md): once the fonts are loaded, make
/// the Arabic family the fallback for Arabic script (and the Latin family for Latin).
fn register_font_fallbacks(
    fonts: Option<Res<Fonts>>,
    font_assets: Res<Assets<Font>>,
    mut font_cx: ResMut<FontCx>,
    mut text_fonts: Query<&mut TextFont>,
    mut flash: ResMut<ScreenState>,
) {
    if flash.fallbacks_ready {
        return;
    }
    let Some(fonts) = fonts else { return };
    // Registered by bevy under their own family names once every file has loaded.
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
        flash.fallbacks_ready = true;
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
    flash.fallbacks_ready = true;
    flash.dirty = true;
}

/// `--screenshot`: once fonts and the hall are in, render a few frames and save one.
fn screenshot_when_ready(
    mut commands: Commands,
    opts: Res<Options>,
    hall: Res<Hall>,
    mut flash: ResMut<ScreenState>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut taken: Local<bool>,
) {
    let Some(path) = &opts.0.screenshot else {
        return;
    };
    redraw.write(RequestRedraw);
    if *taken
        || !flash.fallbacks_ready
        || hall.0.state().is_none()
        || opts.0.screenshot_offline && hall.0.live()
    {
        return;
    }
    flash.frames_shown += 1;
    if flash.frames_shown < 30 {
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

#[cfg(test)]
mod tests {
    //! The board's own systems, headless: a frame from the server is on screen (its text set)
    //! after the very next update.
    use super::*;
    use protocol::wire::Role;
    use protocol::{Envelope, Priority, State, apply};
    use queue_server::engine::{Actor, Command, day_change, decide};

    fn run(
        state: &mut State,
        actor: &Actor,
        cmd: Command,
        now: protocol::Timestamp,
    ) -> Vec<Envelope> {
        let events = decide(state, actor, &cmd, now).unwrap();
        events
            .into_iter()
            .map(|event| {
                let env = Envelope {
                    seq: state.seq + 1,
                    at: now,
                    actor: actor.label(),
                    event,
                };
                apply(state, &env);
                Envelope {
                    event: env.event.redacted(),
                    ..env
                }
            })
            .collect()
    }

    #[test]
    fn a_call_is_on_screen_after_the_next_update() {
        let catalog =
            queue_server::config::parse(include_str!("../../assets/centers/always-open.toml"))
                .unwrap();
        let now = chrono::Utc::now();
        let mut hall = State::default();
        run(
            &mut hall,
            &Actor::system(),
            Command::LoadCatalog {
                catalog: Box::new(catalog),
            },
            now,
        );
        let day = day_change(&hall, now).unwrap();
        run(&mut hall, &Actor::system(), day, now);
        let clerk = Actor::new(Role::Clerk, "clerk2");
        run(&mut hall, &clerk, Command::OpenCounter { counter: 2 }, now);
        let kiosk = Actor::new(Role::Kiosk, "kiosk-1");
        let issue = Command::IssueTicket {
            service: "CIT-BIRTH".into(),
            priority: Priority::Normal,
            idempotency_key: "k".into(),
            token: "t".into(),
        };
        run(&mut hall, &kiosk, issue, now);

        let (tx, rx) = mpsc::channel();
        let (speak_tx, speak_rx) = mpsc::channel();
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .add_message::<RequestRedraw>()
            .insert_resource(Options(BoardOptions {
                url: String::new(),
                token: String::new(),
                voice: vec![Lang::Ar, Lang::En],
                voice_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/voice")),
                silent: false,
                arabic_digits: true,
                portrait: false,
                zone: Zone::default(),
                screenshot: None,
                screenshot_offline: false,
                labels: vec![Lang::Ar, Lang::En],
                assets: PathBuf::new(),
                logo: None,
            }))
            .insert_resource(Tr {
                ar: Translator::new("ar"),
                en: Translator::new("en"),
            })
            .insert_resource(ScreenState::default())
            .insert_resource(Feed(Mutex::new(rx)))
            .insert_resource(Hall(Board::new(Zone::default())))
            .insert_resource(Speaker(Mutex::new(speak_tx)))
            .add_systems(Update, (take_events, refresh_view, animate).chain());
        let label = app.world_mut().spawn((CurrentLabel, Text::new("—"))).id();
        let counter = app.world_mut().spawn((CurrentCounter, Text::new(""))).id();

        tx.send(ClientEvent::Snapshot(Box::new(hall.public())))
            .unwrap();
        app.update();
        assert_eq!(
            app.world().get::<Text>(label).unwrap().0,
            "—",
            "nobody called yet"
        );

        let call = run(&mut hall, &clerk, Command::CallNext { counter: 2 }, now);
        tx.send(ClientEvent::Delta(call)).unwrap();
        app.update();
        assert_eq!(
            app.world().get::<Text>(label).unwrap().0,
            "A-001",
            "shown in the same update"
        );
        assert_eq!(
            app.world().get::<Text>(counter).unwrap().0,
            "شباك ٢  ·  Window 2"
        );
        assert!(
            app.world().resource::<ScreenState>().until.is_some(),
            "and flashing"
        );
        let audio = speak_rx
            .try_recv()
            .expect("the call was sent to the speaker");
        assert!(audio.seconds() > 3.0, "{:.2} s", audio.seconds());
        assert!(speak_rx.try_recv().is_err(), "announced once");
    }
}

//! Fills the hall screen's texts from the client's hall and the board's calls, only when
//! something changed (and the clock each frame); flashes a new call, requesting frames only
//! while it flashes.

use super::layout::{
    Banner, CenterName, ClockText, CurrentCounter, CurrentLabel, CurrentPanel, MessageText,
    RecentCounter, RecentLabel, WaitingText,
};
use super::link::{Hall, ScreenState, take_events};
use super::options::Options;
use super::theme::{FLASH, PANEL, pick};
use crate::board::Call;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use hall_ui::{FontsReady, Lang, Tr, arabic_digits};
use std::time::Instant;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (take_events, texts_after_fonts, refresh_view, animate).chain(),
    );
}

/// Texts laid out before the fallbacks were registered are set again once they are.
fn texts_after_fonts(ready: Res<FontsReady>, mut screen: ResMut<ScreenState>) {
    if ready.is_changed() && ready.0 {
        screen.dirty = true;
    }
}

/// Arabic-Indic digits when asked for.
fn digits(s: &str, arabic: bool) -> String {
    if arabic {
        arabic_digits(s)
    } else {
        s.to_string()
    }
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
    let mirror = hall.client.mirror();
    let state = mirror.state.as_ref();
    // Arabic-Indic digits when the center writes them (its `digits`, docs/style.md) and this
    // board's `--digits` does not ask for Latin.
    let center_arabic = state.is_none_or(|s| s.digits() == hall_core::Digits::Arabic);
    let ar_digits = center_arabic && opts.0.arabic_digits && opts.0.arabic_first();
    // The center's local time (its catalog's zone), whatever zone this machine is set to.
    let now = match state.and_then(|s| s.catalog.as_deref()) {
        Some(catalog) => hall_core::clock::local_time(catalog, chrono::Utc::now()),
        None => chrono::Local::now().naive_local(),
    };
    // The time, and the day in words in the board's first language ("الاثنين ٧ ديسمبر ٢٠٢٦").
    let (lang, words) = if opts.0.arabic_first() {
        ("ar", &tr.ar)
    } else {
        ("en", &tr.en)
    };
    let digits_rule = if ar_digits {
        hall_core::Digits::Arabic
    } else {
        hall_core::Digits::Latin
    };
    let style = hall_core::format::Style::new(lang, digits_rule, chrono_tz::UTC);
    let clock = format!(
        "{}   {}",
        style.time(now.time()),
        style.date(words, now.date())
    );
    for mut t in &mut texts.p5() {
        t.set_if_neq(Text::new(clock.clone()));
    }
    if !flash.dirty {
        return;
    }
    flash.dirty = false;
    let board = &hall.calls;
    for mut node in &mut banner {
        let display = if mirror.live {
            Display::None
        } else {
            Display::Flex
        };
        if node.display != display {
            node.display = display;
        }
    }
    let labels = &opts.0.labels;
    let ar_first = opts.0.arabic_first();
    let counter_line = |c: &Call| pick(&c.counter_name, labels);
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
    let lang = tr.get(if ar_first { Lang::Ar } else { Lang::En });
    let waiting: Vec<String> = state
        .map(|s| board.waiting_by_category(s, mirror.outlook.as_ref(), chrono::Utc::now()))
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let mut line = format!(
                "{}: {}",
                c.name.get(if ar_first { "ar" } else { "en" }),
                c.waiting
            );
            // The current figure of a ticket taken now, as the model recomputes it.
            if let Some(secs) = c.longest_wait_secs.filter(|_| c.waiting > 0) {
                let minutes = secs.div_ceil(60);
                line += &format!(
                    " ({})",
                    lang.counted("board-wait-up-to", "minutes", minutes, &[])
                );
            }
            digits(&line, ar_digits && ar_first)
        })
        .collect();
    let waiting = if waiting.is_empty() {
        String::new()
    } else {
        format!(
            "{} — {}",
            tr.get(if ar_first { Lang::Ar } else { Lang::En })
                .tr("board-waiting", &[]),
            waiting.join("   —   ")
        )
    };
    texts
        .p3()
        .iter_mut()
        .for_each(|mut t| t.0 = waiting.clone());
    let message = state.map(|s| s.message.clone()).unwrap_or_default();
    texts
        .p4()
        .iter_mut()
        .for_each(|mut t| t.0 = message.clone());
    let center = state.map(|s| s.center_name()).unwrap_or_default();
    let center = pick(&center, labels);
    texts.p6().iter_mut().for_each(|mut t| t.0 = center.clone());
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
        if phase == 0 { FLASH } else { PANEL }
    };
    for mut bg in &mut panel {
        if bg.0 != color {
            bg.0 = color;
        }
    }
}

#[cfg(test)]
mod tests {
    //! The board's own systems, headless: a frame from the server is on screen (its text set)
    //! after the very next update.
    use super::super::options::BoardOptions;
    use super::super::voice::{Announcer, render};
    use super::*;
    use crate::announce::VoicePack;
    use crate::board::{Calls, Zone};
    use hall_client::{Client, ClientEvent};
    use hall_core::engine::{Actor, Command, day_change, decide};
    use hall_core::role::Role;
    use hall_core::{Envelope, Priority, State, apply};
    use std::path::PathBuf;
    use std::sync::mpsc;

    fn run(
        state: &mut State,
        actor: &Actor,
        cmd: Command,
        now: hall_core::Timestamp,
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
            hall_wire::center_file::parse(include_str!("../../../assets/centers/always-open.toml"))
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

        let (client, tx) = Client::by_hand();
        let (speak_tx, speak_rx) = mpsc::channel();
        let voice_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/voice"));
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .add_message::<RequestRedraw>()
            .insert_resource(Options(BoardOptions {
                url: String::new(),
                token: String::new(),
                settings_path: PathBuf::new(),
                voice: vec![Lang::Ar, Lang::En],
                voice_dir: voice_dir.clone(),
                silent: false,
                arabic_digits: true,
                portrait: false,
                windowed: true,
                zone: Zone::default(),
                #[cfg(feature = "dev")]
                screenshot: None,
                #[cfg(feature = "dev")]
                screenshot_offline: false,
                labels: vec![Lang::Ar, Lang::En],
                assets: PathBuf::new(),
                logo: None,
            }))
            .insert_resource(Tr::new())
            .insert_resource(ScreenState::default())
            .insert_resource(FontsReady(true))
            .insert_resource(Hall {
                client,
                calls: Calls::new(Zone::default()),
                pairing: hall_ui::pairing::Pairing::default(),
            })
            .insert_resource(Announcer(speak_tx))
            .add_plugins(plugin);
        let label = app.world_mut().spawn((CurrentLabel, Text::new("—"))).id();
        let counter = app.world_mut().spawn((CurrentCounter, Text::new(""))).id();
        let waiting = app.world_mut().spawn((WaitingText, Text::new(""))).id();

        assert!(tx.push(ClientEvent::Snapshot(Box::new(hall.public()))));
        app.update();
        assert_eq!(
            app.world().get::<Text>(label).unwrap().0,
            "—",
            "nobody called yet"
        );

        let call = run(&mut hall, &clerk, Command::CallNext { counter: 2 }, now);
        assert!(tx.push(ClientEvent::Delta(call)));
        app.update();
        assert_eq!(
            app.world().get::<Text>(label).unwrap().0,
            "A-001",
            "shown in the same update"
        );
        assert_eq!(
            app.world().get::<Text>(counter).unwrap().0,
            "شباك ٢  —  Window 2"
        );
        assert!(
            app.world().resource::<ScreenState>().until.is_some(),
            "and flashing"
        );
        // The voice thread renders what it is sent; render it here as it would.
        let sent = speak_rx
            .try_recv()
            .expect("the call was sent to the speaker");
        let audio = render(
            &VoicePack::new(&voice_dir),
            &sent,
            &[Lang::Ar, Lang::En],
            crate::backlog::Length::Full,
        )
        .unwrap();
        assert!(audio.seconds() > 3.0, "{:.2} s", audio.seconds());
        assert!(speak_rx.try_recv().is_err(), "announced once");

        // The waiting line: the count, then the model's current figure once it comes.
        let more = Command::IssueTicket {
            service: "CIT-BIRTH".into(),
            priority: Priority::Normal,
            idempotency_key: "k2".into(),
            token: "t2".into(),
        };
        let issued = run(&mut hall, &kiosk, more, now);
        assert!(tx.push(ClientEvent::Delta(issued)));
        app.update();
        let line = app.world().get::<Text>(waiting).unwrap().0.clone();
        assert_eq!(line, "في الانتظار — خدمات المواطنين: ١");
        let learned = hall_forecast::Learned::from_catalog(hall.catalog.as_deref().unwrap());
        let outlook = hall_forecast::forecast(&hall, &learned, chrono::Utc::now()).outlook;
        let figures = hall_wire::views::LiveView::Estimates(outlook);
        assert!(tx.push(ClientEvent::View(Box::new(figures))));
        app.update();
        let line = app.world().get::<Text>(waiting).unwrap().0.clone();
        assert!(
            line.starts_with("في الانتظار — خدمات المواطنين: ١ (حتى ") && line.ends_with(")"),
            "{line}"
        );
        assert!(
            !line.chars().any(|c| c.is_ascii_digit()),
            "Arabic digits: {line}"
        );
    }
}

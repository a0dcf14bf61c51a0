//! The board's line to the queue server: one protocol client, which keeps the hall and wakes
//! the window for every frame it receives; the board follows its events into the calls it
//! shows (`board::Calls`) and hands new calls to the voice. A board without a token the server
//! accepts pairs itself: it follows the pairing steps (`hall_ui::pairing`), and the token a
//! manager approves is written into its config file.
//!
//! Nothing else wakes the window but the minute turning (the clock shows minutes) and the
//! flash of a new call (`refresh`).

use super::options::Options;
use super::voice::Announcer;
use crate::board::Calls;
use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use chrono::Timelike;
use hall_client::{Arrival, Client, ClientConfig};
use hall_ui::pairing::Pairing;
use hall_wire::manager::DeviceKind;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a new call flashes.
pub(super) const FLASH: Duration = Duration::from_secs(6);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ScreenState>()
        .add_systems(Startup, (connect, wake_every_minute));
}

/// The client (and the hall it keeps) and the calls followed from it.
#[derive(Resource)]
pub(super) struct Hall {
    pub client: Client,
    pub calls: Calls,
    /// While active, the pairing screen covers the board.
    pub pairing: Pairing,
}

/// What the screen is doing: a flash until when, whether texts need setting.
#[derive(Resource, Default)]
pub(super) struct ScreenState {
    /// The current call flashes until then.
    pub until: Option<Instant>,
    /// Something changed since the texts were last set.
    pub dirty: bool,
}

fn connect(mut commands: Commands, opts: Res<Options>, proxy: Res<EventLoopProxyWrapper>) {
    let proxy = (**proxy).clone();
    let name = hall_ui::pairing::suggested_name("board");
    let config = ClientConfig {
        // The waiting line shows the queue model's current figures.
        watch_estimates: true,
        ..ClientConfig::device(
            &opts.0.url,
            &opts.0.token,
            DeviceKind::Board,
            name,
            "display-board",
        )
    };
    // Every frame from the server may change what the board shows.
    let client = Client::with_wake(config, move |_| {
        let _ = proxy.send_event(WinitUserEvent::WakeUp);
    });
    commands.insert_resource(Hall {
        client,
        calls: Calls::new(opts.0.zone.clone()),
        pairing: Pairing::new(&opts.0.token),
    });
}

/// The clock shows minutes: wake the window once when the minute turns.
fn wake_every_minute(proxy: Res<EventLoopProxyWrapper>) {
    let proxy = (**proxy).clone();
    std::thread::Builder::new()
        .name("board-clock".into())
        .spawn(move || {
            loop {
                let now = chrono::Local::now();
                let into_minute = Duration::from_secs(u64::from(now.second()))
                    + Duration::from_nanos(u64::from(now.nanosecond() % 1_000_000_000));
                // A little past the turn, so the woken frame reads the new minute.
                std::thread::sleep(
                    Duration::from_secs(60).saturating_sub(into_minute) + Duration::from_millis(20),
                );
                if proxy.send_event(WinitUserEvent::WakeUp).is_err() {
                    return;
                }
            }
        })
        .expect("spawn the clock thread");
}

/// Follows what the client received since the last frame; new calls flash and are announced.
pub(super) fn take_events(
    mut hall: ResMut<Hall>,
    mut screen: ResMut<ScreenState>,
    announcer: Res<Announcer>,
    opts: Res<Options>,
) {
    let now = chrono::Utc::now();
    let Hall {
        client,
        calls,
        pairing,
    } = &mut *hall;
    let mut view = false;
    let mut new_call = false;
    while let Some(event) = client.try_event() {
        if let Some(token) = pairing.follow(&event) {
            keep_token(&opts.0.settings_path, &opts.0.url, token);
        }
        // The client folded the event into its mirror already; the calls read it in place.
        let mirror = client.mirror();
        new_call |= calls.follow(&event, mirror.state.as_ref(), now);
        view |= matches!(Arrival::of(&event), Arrival::Hall | Arrival::Disconnected);
    }
    if new_call {
        screen.until = Some(Instant::now() + FLASH);
    }
    if view {
        screen.dirty = true;
    }
    while let Some(call) = calls.to_announce.pop_front() {
        if !opts.0.silent {
            announcer.announce(call);
        }
    }
}

/// Writes the token a manager approved into the config file (the client uses it already).
pub(super) fn keep_token(path: &Path, server: &str, token: String) {
    match crate::settings::Settings::keep_token(path, server, &token) {
        Ok(_) => tracing::info!(path = %path.display(), "paired; token saved"),
        Err(e) => tracing::error!(error = %e, "the approved token was not saved"),
    }
}

//! The board window (bevy): connects as a board device, shows the hall, announces calls.
//!
//! Costs nothing when nothing changes: `WinitSettings::desktop_app()`, the client wakes the
//! event loop only when a frame arrives (and a clock thread when the minute turns); a new call
//! flashes for a few seconds, requesting redraws only while it does.
//!
//! One plugin per concern:
//! - `options`: what the board was started with.
//! - `theme`: palette and text styles.
//! - `layout`: the hall screen, spawned once.
//! - `link`: the protocol client (which keeps the hall) and the calls followed from it.
//! - `refresh`: the texts set from the hall when it changed; the flash of a new call.
//! - `ticker`: the message line's stepped scrolling.
//! - `voice`: the voice thread, which plans, renders and plays announcements.
//! - `pairing`: the pairing code over the whole screen while the board waits for approval.
//! - `screenshot` (feature `dev`): `--screenshot`.

mod layout;
mod link;
mod options;
mod pairing;
mod refresh;
#[cfg(feature = "dev")]
mod screenshot;
mod theme;
mod ticker;
mod voice;

pub use options::BoardOptions;

use bevy::prelude::*;
use bevy::winit::WinitSettings;

pub fn run(opts: BoardOptions) -> AppExit {
    let (w, h) = if opts.portrait {
        (1080, 1920)
    } else {
        (1920, 1080)
    };
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                // The hall's screen: full screen, no title bar, unless a developer asks for
                // a window.
                primary_window: Some(hall_ui::window::hall_window(
                    "لوحة النداء — Display board",
                    (w, h),
                    opts.windowed,
                )),
                ..default()
            })
            .set(AssetPlugin {
                file_path: opts.assets.to_string_lossy().into_owned(),
                ..default()
            }),
    )
    .insert_resource(WinitSettings::desktop_app())
    .insert_resource(ClearColor(theme::BG))
    .insert_resource(options::Options(opts))
    .add_plugins((
        hall_ui::plugin,
        layout::plugin,
        link::plugin,
        voice::plugin,
        refresh::plugin,
        ticker::plugin,
        pairing::plugin,
    ));
    #[cfg(feature = "dev")]
    app.add_plugins(screenshot::plugin);
    app.run()
}

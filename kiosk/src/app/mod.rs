//! The kiosk window (bevy). Citizen screens are bevy UI (Arabic shaped and right-to-left,
//! docs/platform.md), rebuilt from `screens::view` whenever the flow or the figures it shows
//! change; the technician panel is egui.
//!
//! Costs nothing while nobody touches it: `desktop_app`-style reactive updates, the client
//! wakes the window only for what the current screen shows, and the welcome screen sleeps up
//! to a minute between frames.
//!
//! One plugin per concern:
//! - `options`: what the kiosk was started with.
//! - `theme`: the two palettes (normal, large-text high-contrast), text sizes, touch targets.
//! - `link`: the protocol client (which keeps the hall), ticket requests and their answers.
//! - `kiosk`: the `Kiosk` resource (flow, link, printer) and the pump of answers and time.
//! - `screen`: rebuilds the citizen screen when what it shows changed; the QR image.
//! - `widgets`: a `View`'s blocks as bevy UI nodes, taps as flow actions.
//! - `panel`: the egui technician panel.
//! - `demo`, `screenshot` (feature `dev`): `--screen` walks and `--screenshot`.

#[cfg(feature = "dev")]
mod demo;
mod kiosk;
mod link;
mod options;
mod panel;
mod screen;
#[cfg(feature = "dev")]
mod screenshot;
mod theme;
mod widgets;

#[cfg(feature = "dev")]
pub use options::Demo;
pub use options::KioskOptions;
pub use theme::MIN_TARGET_PX;

use bevy::prelude::*;

pub fn run(opts: KioskOptions) -> AppExit {
    let (w, h) = if opts.landscape {
        (1920, 1080)
    } else {
        (1080, 1920)
    };
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                // Nothing a citizen can close or move: full screen, no title bar.
                primary_window: Some(hall_ui::window::hall_window(
                    "احجز دورك — Take a ticket",
                    (w, h),
                    opts.windowed,
                )),
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
    .insert_resource(ClearColor(theme::NORMAL.bg))
    .insert_resource(options::Opts(opts))
    .add_plugins((
        hall_ui::plugin,
        kiosk::plugin,
        screen::plugin,
        panel::plugin,
    ));
    #[cfg(feature = "dev")]
    app.add_plugins((demo::plugin, screenshot::plugin));
    app.run()
}

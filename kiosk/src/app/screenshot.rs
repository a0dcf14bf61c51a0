//! `--screenshot` (the `dev` feature): once the fonts are in, the walk has reached its screen
//! and the screen has settled, save a frame to a PNG and exit. `cargo xtask
//! screenshots` drives it.

use super::kiosk::Kiosk;
use super::options::Opts;
use crate::flow::{PrintState, Screen};
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use hall_ui::FontsReady;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, screenshot_when_ready);
}

/// `--screenshot`: once fonts and the walk are done and the screen has settled, save a frame.
fn screenshot_when_ready(
    mut commands: Commands,
    opts: Res<Opts>,
    kiosk: Res<Kiosk>,
    fonts: Res<FontsReady>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut taken: Local<bool>,
    mut settled: Local<(u64, u32)>,
) {
    let Some(path) = &opts.0.screenshot else {
        return;
    };
    redraw.write(RequestRedraw);
    if *taken || !fonts.0 {
        return;
    }
    let target_reached = match opts.0.demo.screen.as_str() {
        // Once the hall is mirrored: the header shows the center's name, as it does in use.
        "" | "welcome" => kiosk
            .link
            .mirror()
            .state
            .as_ref()
            .is_some_and(|s| s.catalog.is_some()),
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
            matches!(&kiosk.flow.screen, Screen::Ticket { print, .. } if *print != PrintState::Printing)
        }
        "failed" => matches!(kiosk.flow.screen, Screen::Failed { .. }),
        "pin" => matches!(kiosk.flow.screen, Screen::Pin { .. }),
        // The reference typed, the four digits asked.
        "follow" => matches!(
            &kiosk.flow.screen,
            Screen::Follow {
                on_suffix: true,
                ..
            }
        ),
        // The seeded request's status, once the server answered.
        "status" => matches!(kiosk.flow.screen, Screen::RequestStatus { .. }),
        "phone" => matches!(
            &kiosk.flow.screen,
            Screen::ConfirmPhone { digits, .. } if digits.len() == 7
        ),
        "confirm-phone" => {
            matches!(kiosk.flow.screen, Screen::Confirm { .. }) && kiosk.flow.phone().is_some()
        }
        "panel" => kiosk.flow.screen == Screen::Panel,
        // A kiosk started without a token: once the server has given it a code.
        "pairing" => kiosk.pairing.code.is_some(),
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
    hall_ui::screenshot::save_and_exit(&mut commands, path.clone());
}

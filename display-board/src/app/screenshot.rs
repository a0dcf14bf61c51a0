//! `--screenshot` (the `dev` feature): once the fonts and the hall are in, render a few
//! frames, save one to a PNG and exit. `cargo xtask screenshots` drives it.

use super::link::Hall;
use super::options::Options;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use hall_ui::FontsReady;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, screenshot_when_ready);
}

/// `--screenshot`: once fonts and the hall are in, render a few frames and save one.
fn screenshot_when_ready(
    mut commands: Commands,
    opts: Res<Options>,
    hall: Res<Hall>,
    fonts: Res<FontsReady>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut taken: Local<bool>,
    mut frames_shown: Local<u32>,
) {
    let Some(path) = &opts.0.screenshot else {
        return;
    };
    redraw.write(RequestRedraw);
    let (has_hall, live) = {
        let mirror = hall.client.mirror();
        // A board started without a token: its pairing code is what it shows.
        (
            mirror.state.is_some() || hall.pairing.code.is_some(),
            mirror.live,
        )
    };
    if *taken || !fonts.0 || !has_hall || opts.0.screenshot_offline && live {
        return;
    }
    *frames_shown += 1;
    if *frames_shown < 30 {
        return;
    }
    *taken = true;
    hall_ui::screenshot::save_and_exit(&mut commands, path.clone());
}

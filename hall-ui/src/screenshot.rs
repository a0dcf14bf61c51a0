//! The end of both apps' `--screenshot` (the `dev` feature): save the next frame of the
//! window to a PNG and exit once it is written. Each app decides when its screen is ready.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use std::path::PathBuf;

/// Saves the primary window's next frame to `path`, then ends the app successfully.
pub fn save_and_exit(commands: &mut Commands, path: PathBuf) {
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path))
        .observe(
            |_ev: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                exit.write(AppExit::Success);
            },
        );
}

//! The hall device's window: full screen with no title bar on the device, a plain window when a
//! developer asks for one (`--windowed`). Scale factor 1, so a layout in pixels is the screen's.

use bevy::prelude::*;
use bevy::window::{MonitorSelection, WindowMode, WindowResolution};

pub fn hall_window(title: &str, (width, height): (u32, u32), windowed: bool) -> Window {
    Window {
        title: title.into(),
        resolution: WindowResolution::new(width, height).with_scale_factor_override(1.0),
        mode: if windowed {
            WindowMode::Windowed
        } else {
            WindowMode::BorderlessFullscreen(MonitorSelection::Primary)
        },
        decorations: windowed,
        ..default()
    }
}

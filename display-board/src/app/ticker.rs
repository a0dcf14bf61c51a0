//! The message line: still when it fits; otherwise it advances in steps, waking the window
//! only for the next step (ARCHITECTURE.md: "The board never redraws for nothing").

use super::layout::{MessageBox, MessageText};
use super::options::Options;
use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};
use std::time::{Duration, Instant};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, scroll_message);
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
    let rtl = opts.0.arabic_first();
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

//! `--screen` (the `dev` feature): walks the flow to a named screen with the hall's real
//! data, one tap a frame, as a citizen would; `screenshot` then saves it.

use super::kiosk::Kiosk;
use super::options::Opts;
use crate::flow::{Action, Lang};
use bevy::prelude::*;
use hall_core::Priority;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, drive_demo);
}

/// `--screen`: walk the flow to the named screen with the hall's real data, as taps would.
fn drive_demo(mut kiosk: ResMut<Kiosk>, opts: Res<Opts>, mut step: Local<usize>) {
    let demo = &opts.0.demo;
    if demo.screen.is_empty() || opts.0.screenshot.is_none() {
        return;
    }
    let (category, service) = {
        let mirror = kiosk.link.mirror();
        let Some(hall) = mirror.state.as_ref() else {
            return;
        };
        let service = demo
            .service
            .clone()
            .or_else(|| {
                let cat = hall.catalog.as_ref()?.categories.first()?.code.clone();
                hall.services
                    .values()
                    .find(|q| q.service.category == cat)
                    .map(|q| q.service.code.clone())
            })
            .unwrap_or_default();
        let category = hall
            .services
            .get(&service)
            .map(|q| q.service.category.clone())
            .unwrap_or_default();
        (category, service)
    };
    if !kiosk.live && *step == 0 {
        return;
    }
    let lang = demo.lang.unwrap_or(Lang::Ar);
    let mut path = vec![Action::Language(lang)];
    if demo.large_text {
        path.insert(0, Action::ToggleLargeText);
    }
    let to = |s: &str| -> Vec<Action> {
        match s {
            "welcome" => vec![],
            "categories" => vec![],
            "services" => vec![Action::Category(category.clone())],
            "card" => vec![
                Action::Category(category.clone()),
                Action::Service(service.clone()),
            ],
            "priority" => vec![
                Action::Category(category.clone()),
                Action::Service(service.clone()),
                Action::TakeTicket,
            ],
            "confirm" | "ticket" | "failed" => vec![
                Action::Category(category.clone()),
                Action::Service(service.clone()),
                Action::TakeTicket,
                Action::Priority(Priority::Normal),
                Action::Confirm,
            ],
            "pin" | "panel" => vec![Action::HeaderTap; 5],
            // The seeded request (`testkit::seed`): this year's first, the digits 4821.
            "follow" | "status" => {
                let year = chrono::Datelike::year(&chrono::Utc::now()) % 100;
                let mut keys = vec![Action::FollowRequest];
                let digits = format!("{year:02}000001");
                keys.extend(digits.bytes().map(|b| Action::Digit(b - b'0')));
                keys.push(Action::Enter);
                if s == "status" {
                    keys.extend(b"4821".iter().map(|b| Action::Digit(b - b'0')));
                    keys.push(Action::Enter);
                }
                keys
            }
            // A number half typed on the confirm screen's pad; or given, back on the confirm
            // screen.
            "phone" | "confirm-phone" => {
                let mut keys = vec![
                    Action::Category(category.clone()),
                    Action::Service(service.clone()),
                    Action::TakeTicket,
                    Action::Priority(Priority::Normal),
                    Action::LeavePhone,
                ];
                if s == "phone" {
                    keys.extend(b"0101234".iter().map(|b| Action::Digit(b - b'0')));
                } else {
                    keys.extend(b"01012345678".iter().map(|b| Action::Digit(b - b'0')));
                    keys.push(Action::Enter);
                }
                keys
            }
            _ => vec![],
        }
    };
    if demo.screen == "welcome" {
        path = if demo.large_text {
            vec![Action::ToggleLargeText]
        } else {
            vec![]
        };
    } else {
        path.extend(to(&demo.screen));
        if demo.screen == "confirm" {
            path.pop();
        }
        if demo.screen == "panel" {
            let pin = kiosk.settings.pin.clone();
            path.extend(pin.bytes().map(|b| Action::Digit(b - b'0')));
            path.push(Action::Enter);
        }
    }
    // "failed": walk to the last tap, then wait for the server to go away before it.
    if demo.screen == "failed" && kiosk.live && *step + 1 == path.len() {
        return;
    }
    // After "confirm" the ticket comes from the server: the taps on the ticket screen (the
    // phone number) wait for it, as a citizen's would.
    if *step > 0
        && *step < path.len()
        && matches!(path[*step - 1], Action::Confirm)
        && !matches!(kiosk.flow.screen, crate::flow::Screen::Ticket { .. })
    {
        return;
    }
    if *step < path.len() {
        // One tap a frame, so each screen is built as it would be.
        let a = path[*step].clone();
        kiosk.tap(a);
        *step += 1;
    }
}

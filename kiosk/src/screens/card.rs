//! The service card: hours, fee, time at the window, people waiting and ahead, the wait, the
//! documents, and whether a ticket can be taken now.

use super::{Block, Context, Size, Tone, View, Words, find, local_time_of, opens_next, text};
use crate::flow::Action;
use hall_core::clock::accepting;
use hall_forecast::estimates::service_load;

fn fee(w: &Words, piasters: u64) -> String {
    if piasters == 0 {
        return w.t("kiosk-fee-free");
    }
    w.with("kiosk-fee-amount", &[("amount", &w.style.money(piasters))])
}

pub(super) fn card(v: &mut View, w: &Words, cx: &Context, code: &str) {
    let Some(s) = find(cx.hall, code) else {
        v.title = w.t("kiosk-choose-service");
        v.body.push(Block::Text {
            text: w.num(w.tr.error(hall_core::error::ErrorCode::UnknownService)),
            size: Size::Heading,
            tone: Tone::Alert,
        });
        return;
    };
    let Some(h) = cx.hall else { return };
    let lang = w.lang.code();
    v.title = s.name.get(lang).to_string();
    let load = service_load(h, code, cx.now, cx.outlook);
    let queue = h.services.get(code);
    let open_now = accepting(s, local_time_of(h, cx.now));
    let limit_reached = match (s.daily_limit, queue) {
        (Some(limit), Some(q)) => q.issued_today >= limit,
        _ => false,
    };
    if !open_now {
        v.body.push(Block::Text {
            text: if s.open {
                w.t("kiosk-closed-now")
            } else {
                w.t("kiosk-closed-today")
            },
            size: Size::Heading,
            tone: Tone::Alert,
        });
        if let Some(opens) = opens_next(w.tr, &w.style, s, local_time_of(h, cx.now)) {
            v.body.push(Block::Text {
                text: opens,
                size: Size::Heading,
                tone: Tone::Alert,
            });
        }
    } else if limit_reached {
        v.body.push(Block::Text {
            text: w.t("kiosk-limit-reached"),
            size: Size::Heading,
            tone: Tone::Alert,
        });
    }
    // No ticket into a void: a service open now that no open counter serves says so first.
    let unserved = open_now && !limit_reached && load.counters_serving == 0;
    if unserved {
        v.body.push(Block::Text {
            text: w.t("kiosk-unserved"),
            size: Size::Heading,
            tone: Tone::Alert,
        });
    }
    // The hours in the alert colour only when they are the reason it is closed (not when the
    // service takes no tickets today at all).
    v.body.push(Block::Fact {
        label: w.t("kiosk-opening-hours"),
        value: crate::opening::hours(w.tr, &w.style, s),
        tone: if open_now || !s.open {
            Tone::Normal
        } else {
            Tone::Alert
        },
    });
    v.body.push(Block::Fact {
        label: w.t("kiosk-fee"),
        value: fee(w, s.fee_piasters),
        tone: Tone::Normal,
    });
    v.body.push(Block::Fact {
        label: w.t("kiosk-service-time"),
        value: w.n("wait-minutes", s.expected_minutes as u64),
        tone: Tone::Normal,
    });
    v.body.push(Block::Fact {
        label: w.t("kiosk-people-waiting"),
        value: w.n("waiting-count", load.waiting as u64),
        tone: Tone::Normal,
    });
    // Who will be called before a ticket taken now, at every counter that can serve it (not
    // only this service's queue).
    if let Some(wait) = load.wait.filter(|_| load.counters_serving > 0) {
        v.body.push(Block::Fact {
            label: w.t("kiosk-ahead"),
            value: w.n("people-ahead", u64::from(wait.ahead)),
            tone: Tone::Normal,
        });
    }
    // (Not when the line above already says no window serves it.)
    if !unserved {
        v.body.push(Block::Fact {
            label: w.t("kiosk-estimated-wait"),
            value: w.wait(&load),
            tone: Tone::Normal,
        });
    }
    v.body.push(text(w.t("kiosk-documents"), Size::Heading));
    if s.documents.is_empty() {
        v.body.push(text(w.t("kiosk-no-documents"), Size::Body));
    }
    for d in &s.documents {
        v.body.push(Block::Bullet(d.get(lang).to_string()));
    }
    v.body.push(Block::Button {
        label: w.t("kiosk-take-ticket"),
        detail: None,
        action: Action::TakeTicket,
        tone: Tone::Primary,
        enabled: open_now && !limit_reached && cx.live,
    });
    if !cx.live {
        v.body
            .push(text(w.t("kiosk-offline-no-ticket"), Size::Body));
    }
}

//! The screens of what the citizen types on the keypad: the phone pad (over the confirm screen
//! or the ticket), the follow-a-request screen, and the request's status it leads to.

/// A number as the server shows one kept: "•••• 78".
pub(super) fn masked(digits: &str) -> String {
    let last: String = digits
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("•••• {last}")
}

use super::{Block, Size, Tone, View, Words, button, text};
use crate::flow::{Action, FollowProblem, Lang, REFERENCE_DIGITS, SUFFIX_DIGITS};
use hall_core::Catalog;
use hall_core::request::RequestStatusView;

/// The phone pad, under `heading` (the ticket's number, or the service about to be taken).
pub(super) fn phone_pad(v: &mut View, w: &Words, heading: String, digits: &str, invalid: bool) {
    let lang = w.lang;
    v.title = w.t("kiosk-phone-title");
    v.body.push(text(heading, Size::Body));
    v.body.push(text(w.t("kiosk-phone-help"), Size::Body));
    v.body.push(Block::Text {
        text: if digits.is_empty() {
            "01_________".into()
        } else {
            w.num(format!("{digits:_<11}"))
        },
        size: Size::Title,
        tone: Tone::Primary,
    });
    if invalid {
        v.body.push(Block::Text {
            text: w.t("kiosk-phone-invalid"),
            size: Size::Body,
            tone: Tone::Alert,
        });
    }
    v.body.push(super::keypad(w, lang == Lang::Ar));
    v.footer = vec![button(w.t("kiosk-cancel"), Action::Back, Tone::Quiet)];
}

pub(super) fn follow(
    v: &mut View,
    w: &Words,
    catalog: Option<&Catalog>,
    digits: &str,
    suffix: &str,
    on_suffix: bool,
    problem: Option<FollowProblem>,
) {
    let tr = w.tr;
    v.title = w.t("kiosk-follow-title");
    let prefix = catalog
        .map(|c| c.center.request_prefix())
        .unwrap_or_default();
    v.body.push(text(
        w.t(if on_suffix {
            "kiosk-follow-suffix"
        } else {
            "kiosk-follow-reference"
        }),
        Size::Heading,
    ));
    // The reference as on the receipt, filling in as it is typed: HEL-26-00____.
    let typed = format!("{digits:_<width$}", width = REFERENCE_DIGITS);
    v.body.push(Block::Text {
        text: format!("{prefix}-{}-{}", &typed[..2], &typed[2..]),
        size: Size::Title,
        tone: if on_suffix {
            Tone::Normal
        } else {
            Tone::Primary
        },
    });
    if on_suffix {
        v.body.push(Block::Text {
            text: format!("{suffix:_<width$}", width = SUFFIX_DIGITS),
            size: Size::Title,
            tone: Tone::Primary,
        });
    }
    if let Some(p) = problem {
        v.body.push(Block::Text {
            text: match p {
                FollowProblem::Incomplete => w.t("kiosk-follow-incomplete"),
                FollowProblem::Offline => w.t("kiosk-follow-offline"),
                FollowProblem::Refused(code) => w.num(tr.error(code)),
            },
            size: Size::Body,
            tone: Tone::Alert,
        });
    }
    // Latin digits on the keys: the reference is printed with them.
    v.body.push(super::keypad(w, false));
}

/// A request's status as the citizen reads it: the reference, the service, the state in
/// large type, what to bring or why it was refused, the expected day, the steps so far.
pub(super) fn request_status(v: &mut View, w: &Words, status: &RequestStatusView) {
    use hall_core::request::{RequestState, state_text};
    let lang = w.lang.code();
    v.title = w.t("kiosk-follow-title");
    v.body.push(text(status.reference.clone(), Size::Heading));
    v.body
        .push(text(status.service_name.get(lang).to_string(), Size::Body));
    let done = matches!(status.state, RequestState::Delivered);
    v.body.push(Block::Text {
        text: state_text(&status.state, w.tr),
        size: Size::Title,
        tone: match status.state {
            RequestState::Rejected { .. } | RequestState::NeedsDocuments { .. } => Tone::Alert,
            RequestState::ReadyForPickup => Tone::Primary,
            _ => Tone::Normal,
        },
    });
    let sep = if w.lang == Lang::Ar { "، " } else { ", " };
    match &status.state {
        RequestState::NeedsDocuments { documents } => v.body.push(text(
            w.with("kiosk-follow-bring", &[("documents", &documents.join(sep))]),
            Size::Body,
        )),
        RequestState::Rejected { reason } => v.body.push(text(
            w.with("kiosk-follow-reason", &[("reason", reason)]),
            Size::Body,
        )),
        RequestState::ReadyForPickup => v.body.push(text(w.t("kiosk-follow-ready"), Size::Body)),
        _ => {}
    }
    if !status.state.is_final() && status.state != RequestState::ReadyForPickup {
        v.body.push(Block::Fact {
            label: w.t("kiosk-follow-expected"),
            value: w.style.date(w.tr, status.expected_ready),
            tone: Tone::Normal,
        });
    }
    for step in &status.history {
        v.body.push(Block::Fact {
            label: state_text(&step.state, w.tr),
            value: w.style.date_time_of(w.tr, step.at),
            tone: Tone::Quiet,
        });
    }
    if done {
        v.body.push(text(w.t("kiosk-follow-finished"), Size::Body));
    }
}

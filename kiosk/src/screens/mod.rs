//! What each screen says and offers, as plain data: the app draws it with bevy UI, tests read
//! it without a window. Every text comes from the Fluent files; numbers in Arabic texts use
//! Arabic-Indic digits (ticket labels stay as printed: A-001).

use crate::flow::{Action, Failure, Flow, Lang, PhoneState, PrintState, Screen};
use crate::opening::opens_next;
use crate::settings::page_url;
mod card;
mod entry;
use hall_core::clock::{accepting, local_time};
use hall_core::i18n::Translator;
use hall_core::{Priority, Service, State, Timestamp};
use hall_forecast::HallOutlook;
use hall_forecast::estimates::{ServiceLoad, service_load};
pub use hall_ui::arabic_digits;

/// Services shown on one page of a category that needs more than one (the page row below).
pub const PAGE_SIZE: usize = 7;
/// A category of at most this many services shows them all on one page, without the page row.
pub const PAGE_SIZE_ALONE: usize = 8;
/// Fewer, bigger buttons in large-text mode.
pub const PAGE_SIZE_LARGE: usize = 4;
/// Category tiles on one page in large-text mode (the follow-a-request tile among them):
/// three rows of two on a portrait screen, one row of three on a landscape one.
pub const CATEGORY_PAGE_LARGE: usize = 6;
pub const CATEGORY_PAGE_LARGE_WIDE: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// The main thing to do on this screen.
    Primary,
    Normal,
    /// Going back, starting over.
    Quiet,
    /// Something went wrong.
    Alert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Small,
    Body,
    Heading,
    Title,
    /// The ticket number.
    Huge,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Text {
        text: String,
        size: Size,
        tone: Tone,
    },
    /// A label and its value on one line (a service card's facts).
    Fact {
        label: String,
        value: String,
        tone: Tone,
    },
    Button {
        label: String,
        /// A second, smaller line (a service's wait, a category's count).
        detail: Option<String>,
        action: Action,
        tone: Tone,
        enabled: bool,
    },
    /// A list item: a bullet, and the text beside it (wrapped lines start under the text,
    /// not under the bullet).
    Bullet(String),
    /// Buttons side by side.
    Row(Vec<Block>),
    /// Buttons as tiles, two to a row (the categories).
    Grid(Vec<Block>),
    /// The QR code of this URL.
    Qr(String),
    /// A keypad of digits (the technician PIN, a phone number, a request's reference), its
    /// keys in Arabic-Indic digits for an Arabic screen; the erase and enter keys in words
    /// (the fonts have no ⌫ or ✓).
    Keypad {
        arabic: bool,
        erase: String,
        enter: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub lang: Lang,
    pub large_text: bool,
    /// The center's name (the header; five taps on it open the technician PIN pad).
    pub header: String,
    pub title: String,
    pub body: Vec<Block>,
    /// The bottom bar: back, start over, large text.
    pub footer: Vec<Block>,
    /// Shown above everything while the server is unreachable.
    pub banner: Option<String>,
    /// The technician panel replaces the citizen screens (egui draws it).
    pub panel: bool,
    /// Texts centred rather than from the reader's side: the welcome screen, which speaks
    /// both languages before one is chosen.
    pub centered: bool,
}

impl View {
    /// Every text on the screen, in order (for tests and logs).
    pub fn texts(&self) -> Vec<String> {
        let mut out = vec![self.header.clone(), self.title.clone()];
        fn walk(b: &Block, out: &mut Vec<String>) {
            match b {
                Block::Text { text, .. } => out.push(text.clone()),
                Block::Fact { label, value, .. } => {
                    out.push(label.clone());
                    out.push(value.clone());
                }
                Block::Button { label, detail, .. } => {
                    out.push(label.clone());
                    out.extend(detail.clone());
                }
                Block::Bullet(t) => out.push(format!("•  {t}")),
                Block::Row(bs) | Block::Grid(bs) => bs.iter().for_each(|b| walk(b, out)),
                Block::Qr(url) => out.push(url.clone()),
                Block::Keypad { .. } => {}
            }
        }
        for b in self.body.iter().chain(&self.footer) {
            walk(b, &mut out);
        }
        out.extend(self.banner.clone());
        out
    }

    /// The buttons a touch can reach, with their actions and whether they are enabled.
    pub fn buttons(&self) -> Vec<(String, Action, bool)> {
        let mut out = Vec::new();
        fn walk(b: &Block, out: &mut Vec<(String, Action, bool)>) {
            match b {
                Block::Button {
                    label,
                    action,
                    enabled,
                    ..
                } => out.push((label.clone(), action.clone(), *enabled)),
                Block::Row(bs) | Block::Grid(bs) => bs.iter().for_each(|b| walk(b, out)),
                _ => {}
            }
        }
        for b in self.body.iter().chain(&self.footer) {
            walk(b, &mut out);
        }
        out
    }
}

/// Everything a screen needs besides the flow.
pub struct Context<'a> {
    pub hall: Option<&'a State>,
    /// The queue model's latest figures per service (the server's `watch_estimates`).
    pub outlook: Option<&'a HallOutlook>,
    /// Whether the connection to the server is up.
    pub live: bool,
    pub ar: &'a Translator,
    pub en: &'a Translator,
    pub now: Timestamp,
    /// Where the ticket page lives: the QR encodes `{ticket_base}/t/{token}`.
    pub ticket_base: &'a str,
    /// Whether the center sends text messages (the server's `welcome`): only then does the
    /// ticket screen offer to leave a phone number.
    pub sms: bool,
    /// A landscape screen (wider than tall): fewer rows fit.
    pub wide: bool,
}

pub(crate) struct Words<'a> {
    pub(crate) tr: &'a Translator,
    pub(crate) lang: Lang,
    /// The center's rule for digits, dates and times (`hall_core::format`).
    pub(crate) style: hall_core::format::Style,
}

impl Words<'_> {
    pub(crate) fn t(&self, id: &str) -> String {
        self.num(self.tr.tr(id, &[]))
    }
    pub(crate) fn n(&self, id: &str, n: u64) -> String {
        self.num(self.tr.count(id, n))
    }
    pub(crate) fn with(&self, id: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<_> = args
            .iter()
            .map(|(k, v)| (*k, fluent_bundle::FluentValue::from(v.to_string())))
            .collect();
        self.num(self.tr.tr(id, &args))
    }
    pub(crate) fn num(&self, s: String) -> String {
        self.style.digits(&s)
    }
    /// The wait of a ticket taken now: a range where the model gives one; "no counter" when
    /// none serves the service; "working it out" before the first figures arrive.
    pub(crate) fn wait(&self, load: &ServiceLoad) -> String {
        match (load.counters_serving, load.wait) {
            (0, _) => self.t("no-estimate"),
            (_, Some(w)) => self.num(self.tr.wait(&w)),
            (_, None) => self.t("estimate-pending"),
        }
    }
}

/// The view of the flow's current screen.
pub fn view(flow: &Flow, cx: &Context) -> View {
    let lang = flow.lang;
    let tr = if lang == Lang::Ar { cx.ar } else { cx.en };
    let hall = cx.hall;
    let catalog = hall.and_then(|h| h.catalog.as_deref());
    let style = match catalog {
        Some(c) => hall_core::format::Style::of(lang.code(), &c.center),
        None => hall_core::format::Style::new(
            lang.code(),
            hall_core::Digits::Arabic,
            chrono_tz::Africa::Cairo,
        ),
    };
    let w = Words { tr, lang, style };
    let header = catalog
        .map(|c| c.center.name.get(lang.code()).to_string())
        .unwrap_or_else(|| w.t("kiosk-title"));
    let mut v = View {
        lang,
        large_text: flow.large_text,
        header,
        title: String::new(),
        body: Vec::new(),
        footer: Vec::new(),
        banner: (!cx.live).then(|| w.t("kiosk-reconnecting")),
        panel: false,
        centered: false,
    };
    let back = |w: &Words| button(w.t("kiosk-back"), Action::Back, Tone::Quiet);
    let home = |w: &Words| button(w.t("kiosk-home"), Action::Home, Tone::Quiet);
    // The text-size button offers the other size.
    let size_id = if flow.large_text {
        "kiosk-normal-text"
    } else {
        "kiosk-large-text"
    };
    let large = |w: &Words| button(w.t(size_id), Action::ToggleLargeText, Tone::Quiet);
    match &flow.screen {
        Screen::Welcome => {
            // Both languages: the citizen has not chosen yet. Arabic first, each centred.
            v.centered = true;
            v.title = format!(
                "{}  —  {}",
                cx.ar.tr("kiosk-welcome", &[]),
                cx.en.tr("kiosk-welcome", &[])
            );
            v.body
                .push(text(cx.ar.tr("kiosk-choose-language", &[]), Size::Heading));
            v.body
                .push(text(cx.en.tr("kiosk-choose-language", &[]), Size::Heading));
            v.body.push(Block::Button {
                label: cx.ar.tr("kiosk-language-name", &[]),
                detail: None,
                action: Action::Language(Lang::Ar),
                tone: Tone::Primary,
                enabled: true,
            });
            v.body.push(Block::Button {
                label: cx.en.tr("kiosk-language-name", &[]),
                detail: None,
                action: Action::Language(Lang::En),
                tone: Tone::Primary,
                enabled: true,
            });
            v.footer.push(button(
                format!("{}  —  {}", cx.ar.tr(size_id, &[]), cx.en.tr(size_id, &[])),
                Action::ToggleLargeText,
                Tone::Quiet,
            ));
        }
        Screen::Categories => {
            v.title = w.t("kiosk-choose-category");
            let mut tiles = Vec::new();
            match catalog {
                Some(c) => {
                    for cat in &c.categories {
                        let open = hall
                            .map(|h| {
                                h.services
                                    .values()
                                    .filter(|q| q.service.category == cat.code)
                                    .count()
                            })
                            .unwrap_or(0);
                        if open == 0 {
                            continue;
                        }
                        tiles.push(Block::Button {
                            label: cat.name.get(lang.code()).to_string(),
                            detail: Some(w.n("kiosk-service-count", open as u64)),
                            action: Action::Category(cat.code.clone()),
                            tone: Tone::Normal,
                            enabled: true,
                        });
                    }
                }
                None => v.body.push(text(w.t("kiosk-loading"), Size::Heading)),
            }
            // (Its one line says it all; a second line would push a landscape screen over.)
            tiles.push(Block::Button {
                label: w.t("kiosk-follow-request"),
                detail: None,
                action: Action::FollowRequest,
                tone: Tone::Quiet,
                enabled: catalog.is_some(),
            });
            // Two to a row; in large text a few to a page, so that every tile and the footer
            // stay on the screen (landscape included).
            let per_page = if flow.large_text && cx.wide {
                CATEGORY_PAGE_LARGE_WIDE
            } else if flow.large_text {
                CATEGORY_PAGE_LARGE
            } else {
                tiles.len().max(1)
            };
            let pages = tiles.len().div_ceil(per_page).max(1);
            let page = flow.category_page().min(pages - 1);
            let shown = tiles
                .into_iter()
                .skip(page * per_page)
                .take(per_page)
                .collect();
            v.body.push(Block::Grid(shown));
            if pages > 1 {
                v.body.push(page_row(&w, page, pages));
            }
            v.footer = vec![back(&w), large(&w)];
        }
        Screen::Services { category, page } => {
            let services: Vec<&Service> = hall
                .map(|h| {
                    h.services
                        .values()
                        .map(|q| &q.service)
                        .filter(|s| &s.category == category)
                        .collect()
                })
                .unwrap_or_default();
            v.title = catalog
                .and_then(|c| c.categories.iter().find(|c| &c.code == category))
                .map(|c| c.name.get(lang.code()).to_string())
                .unwrap_or_else(|| w.t("kiosk-choose-service"));
            v.body
                .push(text(w.t("kiosk-choose-service"), Size::Heading));
            let per_page = if flow.large_text {
                PAGE_SIZE_LARGE
            } else if services.len() <= PAGE_SIZE_ALONE {
                PAGE_SIZE_ALONE
            } else {
                PAGE_SIZE
            };
            let pages = services.len().div_ceil(per_page).max(1);
            let page = (*page).min(pages - 1);
            for s in services.iter().skip(page * per_page).take(per_page) {
                let detail = match hall {
                    Some(h) if accepting(s, local_time_of(h, cx.now)) => {
                        // The wait, or that no counter serves it now (`Words::wait`).
                        let load = service_load(h, &s.code, cx.now, cx.outlook);
                        Some(format!(
                            "{}  —  {}",
                            w.n("waiting-count", load.waiting as u64),
                            w.wait(&load)
                        ))
                    }
                    Some(h) => Some(closed_now(&w, s, local_time_of(h, cx.now))),
                    None => Some(w.t("kiosk-closed-now")),
                };
                v.body.push(Block::Button {
                    label: s.name.get(lang.code()).to_string(),
                    detail,
                    action: Action::Service(s.code.clone()),
                    tone: Tone::Normal,
                    enabled: true,
                });
            }
            if pages > 1 {
                v.body.push(page_row(&w, page, pages));
            }
            v.footer = vec![back(&w), home(&w), large(&w)];
        }
        Screen::Card { service } => {
            card::card(&mut v, &w, cx, service);
            v.footer = vec![back(&w), home(&w), large(&w)];
        }
        Screen::Priority { service } => {
            v.title = w.t("kiosk-priority-question");
            if let Some(s) = find(hall, service) {
                v.body
                    .push(text(s.name.get(lang.code()).to_string(), Size::Heading));
            }
            v.body.push(Block::Button {
                label: w.t("kiosk-priority-none"),
                detail: None,
                action: Action::Priority(Priority::Normal),
                tone: Tone::Primary,
                enabled: true,
            });
            for p in &flow.config().priorities {
                if *p == Priority::Normal {
                    continue;
                }
                v.body.push(Block::Button {
                    label: w.t(&format!("priority-{}", priority_name(*p))),
                    detail: None,
                    action: Action::Priority(*p),
                    tone: Tone::Normal,
                    enabled: true,
                });
            }
            v.body.push(text(w.t("kiosk-priority-note"), Size::Body));
            v.footer = vec![back(&w), home(&w), large(&w)];
        }
        Screen::Confirm { service, priority } => {
            v.title = w.t("kiosk-confirm-title");
            // No ticket into a void: with no open counter serving the service the citizen is
            // told, in words, and confirms knowingly.
            let unserved = hall.is_some_and(|h| {
                service_load(h, service, cx.now, cx.outlook).counters_serving == 0
            });
            if let Some(s) = find(hall, service) {
                v.body
                    .push(text(s.name.get(lang.code()).to_string(), Size::Title));
                if let Some(h) = hall {
                    let load = service_load(h, service, cx.now, cx.outlook);
                    v.body.push(Block::Fact {
                        label: w.t("kiosk-people-waiting"),
                        value: w.n("waiting-count", load.waiting as u64),
                        tone: Tone::Normal,
                    });
                }
                if *priority != Priority::Normal {
                    v.body.push(Block::Fact {
                        label: w.t("kiosk-priority"),
                        value: w.t(&format!("priority-{}", priority_name(*priority))),
                        tone: Tone::Normal,
                    });
                }
                v.body.push(text(documents_line(&w, s), Size::Body));
            }
            if unserved {
                v.body.push(Block::Text {
                    text: w.t("kiosk-unserved"),
                    size: Size::Heading,
                    tone: Tone::Alert,
                });
            }
            v.body.push(Block::Button {
                label: w.t(if unserved {
                    "kiosk-print-anyway"
                } else {
                    "kiosk-print-ticket"
                }),
                detail: None,
                action: Action::Confirm,
                tone: Tone::Primary,
                enabled: true,
            });
            // Optional: a number for the near-turn and called messages, with its one line of
            // consent.
            if cx.sms && cx.live {
                match flow.phone() {
                    None => v.body.push(Block::Button {
                        label: w.t("kiosk-phone-offer"),
                        detail: Some(w.t("kiosk-phone-consent")),
                        action: Action::LeavePhone,
                        tone: Tone::Normal,
                        enabled: true,
                    }),
                    Some(digits) => v.body.push(Block::Button {
                        label: w.with(
                            "kiosk-phone-will",
                            &[("masked", &w.num(entry::masked(digits)))],
                        ),
                        detail: Some(w.t("kiosk-phone-change")),
                        action: Action::LeavePhone,
                        tone: Tone::Normal,
                        enabled: true,
                    }),
                }
            }
            v.footer = vec![back(&w), home(&w), large(&w)];
        }
        Screen::ConfirmPhone {
            service,
            digits,
            invalid,
            ..
        } => {
            let heading = find(hall, service)
                .map(|s| s.name.get(lang.code()).to_string())
                .unwrap_or_default();
            entry::phone_pad(&mut v, &w, heading, digits, *invalid);
        }
        Screen::Issuing { service, .. } => {
            v.title = w.t("kiosk-issuing");
            if let Some(s) = find(hall, service) {
                v.body
                    .push(text(s.name.get(lang.code()).to_string(), Size::Heading));
            }
            v.body.push(text(w.t("kiosk-please-wait"), Size::Body));
        }
        Screen::Ticket {
            receipt,
            phone: PhoneState::Typing { digits, invalid },
            ..
        } => {
            let heading = format!("{}  —  {}", w.t("kiosk-your-number"), receipt.label);
            entry::phone_pad(&mut v, &w, heading, digits, *invalid);
        }
        Screen::Ticket {
            receipt,
            print,
            phone,
        } => {
            v.title = w.t("kiosk-your-number");
            v.body.push(Block::Text {
                text: receipt.label.clone(),
                size: Size::Huge,
                tone: Tone::Primary,
            });
            v.body.push(text(
                receipt.service_name.get(lang.code()).to_string(),
                Size::Heading,
            ));
            v.body.push(Block::Fact {
                label: w.t("kiosk-ahead"),
                value: w.n("people-ahead", receipt.people_ahead as u64),
                tone: Tone::Normal,
            });
            v.body.push(Block::Fact {
                label: w.t("kiosk-estimated-wait"),
                value: match receipt.wait() {
                    Some(wait) => w.num(w.tr.wait(&wait)),
                    None => w.t("no-estimate"),
                },
                tone: Tone::Normal,
            });
            v.body.push(Block::Qr(page_url(receipt, cx.ticket_base)));
            v.body.push(text(w.t("kiosk-scan-to-follow"), Size::Body));
            v.body.push(match print {
                PrintState::Printing => text(w.t("kiosk-printing"), Size::Heading),
                PrintState::Printed => text(w.t("kiosk-take-receipt"), Size::Heading),
                PrintState::Fault(f) => Block::Text {
                    text: w.t(f.message_id()),
                    size: Size::Heading,
                    tone: Tone::Alert,
                },
            });
            v.body.push(text(w.t("kiosk-listen-for-call"), Size::Body));
            match phone {
                PhoneState::Kept(masked) => v.body.push(text(
                    w.with("kiosk-phone-kept", &[("masked", masked)]),
                    Size::Body,
                )),
                PhoneState::Saving => v.body.push(text(w.t("kiosk-please-wait"), Size::Body)),
                PhoneState::Failed(code) => v.body.push(Block::Text {
                    text: w.num(tr.error(*code)),
                    size: Size::Body,
                    tone: Tone::Alert,
                }),
                _ => {}
            }
            let offer = matches!(phone, PhoneState::NotGiven | PhoneState::Failed(_));
            v.footer = if cx.sms && offer && cx.live {
                vec![
                    button(w.t("kiosk-phone-offer"), Action::LeavePhone, Tone::Normal),
                    button(w.t("kiosk-done"), Action::Home, Tone::Primary),
                ]
            } else {
                vec![button(w.t("kiosk-done"), Action::Home, Tone::Primary)]
            };
        }
        Screen::Follow {
            digits,
            suffix,
            on_suffix,
            problem,
        } => {
            entry::follow(&mut v, &w, catalog, digits, suffix, *on_suffix, *problem);
            v.footer = vec![back(&w), home(&w), large(&w)];
        }
        Screen::Asking { .. } => {
            v.title = w.t("kiosk-follow-title");
            v.body.push(text(w.t("kiosk-please-wait"), Size::Heading));
        }
        Screen::RequestStatus { status } => {
            entry::request_status(&mut v, &w, status);
            v.footer = vec![back(&w), home(&w)];
        }
        Screen::Failed {
            service, failure, ..
        } => {
            v.title = w.t("kiosk-no-ticket");
            if let Some(s) = find(hall, service) {
                v.body
                    .push(text(s.name.get(lang.code()).to_string(), Size::Heading));
            }
            match failure {
                Failure::Offline => {
                    v.body.push(Block::Text {
                        text: w.t("kiosk-offline"),
                        size: Size::Heading,
                        tone: Tone::Alert,
                    });
                    v.body.push(Block::Button {
                        label: w.t("kiosk-try-again"),
                        detail: None,
                        action: Action::Retry,
                        tone: Tone::Primary,
                        enabled: true,
                    });
                }
                Failure::Refused(code) => {
                    v.body.push(Block::Text {
                        text: w.num(tr.error(*code)),
                        size: Size::Heading,
                        tone: Tone::Alert,
                    });
                }
            }
            v.body.push(text(w.t("kiosk-ask-staff"), Size::Body));
            v.footer = vec![back(&w), home(&w)];
        }
        Screen::Pin { entered, wrong } => {
            v.title = w.t("kiosk-technician");
            v.body.push(text(
                if entered.is_empty() {
                    w.t("kiosk-enter-pin")
                } else {
                    "•".repeat(entered.len())
                },
                Size::Title,
            ));
            if *wrong {
                v.body.push(Block::Text {
                    text: w.t("kiosk-wrong-pin"),
                    size: Size::Body,
                    tone: Tone::Alert,
                });
            }
            v.body.push(keypad(&w, lang == Lang::Ar));
            v.footer = vec![button(w.t("kiosk-cancel"), Action::Back, Tone::Quiet)];
        }
        Screen::Panel => {
            v.title = w.t("kiosk-technician");
            v.panel = true;
        }
    }
    v
}

/// Previous, "page 1 of 2", more: the row under a paged list.
fn page_row(w: &Words, page: usize, pages: usize) -> Block {
    Block::Row(vec![
        Block::Button {
            label: w.t("kiosk-previous-page"),
            detail: None,
            action: Action::Page(page.saturating_sub(1)),
            tone: Tone::Quiet,
            enabled: page > 0,
        },
        Block::Text {
            text: w.with(
                "kiosk-page",
                &[
                    ("page", &(page + 1).to_string()),
                    ("pages", &pages.to_string()),
                ],
            ),
            size: Size::Body,
            tone: Tone::Quiet,
        },
        Block::Button {
            label: w.t("kiosk-next-page"),
            detail: None,
            action: Action::Page(page + 1),
            tone: Tone::Quiet,
            enabled: page + 1 < pages,
        },
    ])
}

/// The keypad, its digits Arabic-Indic when `arabic`, its two word keys in the screen's
/// language.
pub(crate) fn keypad(w: &Words, arabic: bool) -> Block {
    Block::Keypad {
        arabic,
        erase: w.t("kiosk-key-erase"),
        enter: w.t("kiosk-key-enter"),
    }
}

/// "Closed now  —  Opens Sunday at 09:00" (the second half when the hours say it).
pub(crate) fn closed_now(w: &Words, s: &Service, local: chrono::NaiveDateTime) -> String {
    match opens_next(w.tr, &w.style, s, local) {
        Some(opens) => format!("{}  —  {opens}", w.t("kiosk-closed-now")),
        None => w.t("kiosk-closed-now"),
    }
}

pub(crate) fn local_time_of(h: &State, now: Timestamp) -> chrono::NaiveDateTime {
    match h.catalog.as_deref() {
        Some(c) => local_time(c, now),
        None => now.naive_utc(),
    }
}

pub(crate) fn find<'a>(hall: Option<&'a State>, code: &str) -> Option<&'a Service> {
    hall?.services.get(code).map(|q| &q.service)
}

pub fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Normal => "normal",
        Priority::Elderly => "elderly",
        Priority::Disabled => "disabled",
        Priority::Pregnant => "pregnant",
    }
}

pub(crate) fn text(text: String, size: Size) -> Block {
    Block::Text {
        text,
        size,
        tone: Tone::Normal,
    }
}

pub(crate) fn button(label: String, action: Action, tone: Tone) -> Block {
    Block::Button {
        label,
        detail: None,
        action,
        tone,
        enabled: true,
    }
}

pub(crate) fn documents_line(w: &Words, s: &Service) -> String {
    if s.documents.is_empty() {
        return w.t("kiosk-no-documents");
    }
    let sep = if w.lang == Lang::Ar { "، " } else { ", " };
    let docs: Vec<&str> = s.documents.iter().map(|d| d.get(w.lang.code())).collect();
    format!("{}: {}", w.t("kiosk-bring"), docs.join(sep))
}

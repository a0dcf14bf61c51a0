//! What each screen says and offers, as plain data: the app draws it with bevy UI, tests read
//! it without a window. Every text comes from the Fluent files; numbers in Arabic texts use
//! Arabic-Indic digits (ticket labels stay as printed: A-001).

use crate::flow::{Action, Failure, Flow, Lang, PrintState, Screen};
use crate::opening::opens_next;
use crate::settings::ticket_url;
pub use hall_ui::arabic_digits;
use protocol::clock::{accepting, local_time};
use protocol::forecast::HallOutlook;
use protocol::i18n::Translator;
use protocol::state::{ServiceLoad, service_load};
use protocol::{Priority, Service, State, Timestamp};

/// Services shown on one page of a category.
pub const PAGE_SIZE: usize = 7;
/// Fewer, bigger buttons in large-text mode.
pub const PAGE_SIZE_LARGE: usize = 4;

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
    /// Buttons side by side.
    Row(Vec<Block>),
    /// The QR code of this URL.
    Qr(String),
    /// A keypad for the technician PIN.
    Keypad,
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
                Block::Row(bs) => bs.iter().for_each(|b| walk(b, out)),
                Block::Qr(url) => out.push(url.clone()),
                Block::Keypad => {}
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
                Block::Row(bs) => bs.iter().for_each(|b| walk(b, out)),
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
}

struct Words<'a> {
    tr: &'a Translator,
    lang: Lang,
}

impl Words<'_> {
    fn t(&self, id: &str) -> String {
        self.num(self.tr.tr(id, &[]))
    }
    fn n(&self, id: &str, n: u64) -> String {
        self.num(self.tr.count(id, n))
    }
    fn with(&self, id: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<_> = args
            .iter()
            .map(|(k, v)| (*k, fluent_bundle::FluentValue::from(v.to_string())))
            .collect();
        self.num(self.tr.tr(id, &args))
    }
    fn num(&self, s: String) -> String {
        if self.lang == Lang::Ar {
            arabic_digits(&s)
        } else {
            s
        }
    }
    /// The wait of a ticket taken now: a range where the model gives one; "no counter" when
    /// none serves the service; "working it out" before the first figures arrive.
    fn wait(&self, load: &ServiceLoad) -> String {
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
    let w = Words { tr, lang };
    let hall = cx.hall;
    let catalog = hall.and_then(|h| h.catalog.as_deref());
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
            // Both languages: the citizen has not chosen yet. Arabic first.
            v.title = format!(
                "{}  ·  {}",
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
                format!("{}  ·  {}", cx.ar.tr(size_id, &[]), cx.en.tr(size_id, &[])),
                Action::ToggleLargeText,
                Tone::Quiet,
            ));
        }
        Screen::Categories => {
            v.title = w.t("kiosk-choose-category");
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
                        v.body.push(Block::Button {
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
            } else {
                PAGE_SIZE
            };
            let pages = services.len().div_ceil(per_page).max(1);
            let page = (*page).min(pages - 1);
            for s in services.iter().skip(page * per_page).take(per_page) {
                let detail = match hall {
                    Some(h) if accepting(s, local_time_of(h, cx.now)) => {
                        let load = service_load(h, &s.code, cx.now, cx.outlook);
                        Some(match load.counters_serving {
                            0 => w.n("waiting-count", load.waiting as u64),
                            _ => format!(
                                "{}  ·  {}",
                                w.n("waiting-count", load.waiting as u64),
                                w.wait(&load)
                            ),
                        })
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
                v.body.push(Block::Row(vec![
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
                ]));
            }
            v.footer = vec![back(&w), home(&w), large(&w)];
        }
        Screen::Card { service } => {
            card(&mut v, &w, cx, service);
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
            v.body.push(Block::Button {
                label: w.t("kiosk-print-ticket"),
                detail: None,
                action: Action::Confirm,
                tone: Tone::Primary,
                enabled: true,
            });
            v.footer = vec![back(&w), home(&w), large(&w)];
        }
        Screen::Issuing { service, .. } => {
            v.title = w.t("kiosk-issuing");
            if let Some(s) = find(hall, service) {
                v.body
                    .push(text(s.name.get(lang.code()).to_string(), Size::Heading));
            }
            v.body.push(text(w.t("kiosk-please-wait"), Size::Body));
        }
        Screen::Ticket { receipt, print } => {
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
            v.body
                .push(Block::Qr(ticket_url(cx.ticket_base, &receipt.token)));
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
            v.footer = vec![button(w.t("kiosk-done"), Action::Home, Tone::Primary)];
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
            v.body.push(Block::Keypad);
            v.footer = vec![button(w.t("kiosk-cancel"), Action::Back, Tone::Quiet)];
        }
        Screen::Panel => {
            v.title = w.t("kiosk-technician");
            v.panel = true;
        }
    }
    v
}

/// "Closed now  ·  Opens Sunday at 09:00" (the second half when the hours say it).
fn closed_now(w: &Words, s: &Service, local: chrono::NaiveDateTime) -> String {
    match opens_next(w.tr, w.lang, s, local) {
        Some(opens) => format!("{}  ·  {opens}", w.t("kiosk-closed-now")),
        None => w.t("kiosk-closed-now"),
    }
}

fn local_time_of(h: &State, now: Timestamp) -> chrono::NaiveDateTime {
    match h.catalog.as_deref() {
        Some(c) => local_time(c, now),
        None => now.naive_utc(),
    }
}

fn find<'a>(hall: Option<&'a State>, code: &str) -> Option<&'a Service> {
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

fn text(text: String, size: Size) -> Block {
    Block::Text {
        text,
        size,
        tone: Tone::Normal,
    }
}

fn button(label: String, action: Action, tone: Tone) -> Block {
    Block::Button {
        label,
        detail: None,
        action,
        tone,
        enabled: true,
    }
}

fn documents_line(w: &Words, s: &Service) -> String {
    if s.documents.is_empty() {
        return w.t("kiosk-no-documents");
    }
    let sep = if w.lang == Lang::Ar { "، " } else { ", " };
    let docs: Vec<&str> = s.documents.iter().map(|d| d.get(w.lang.code())).collect();
    format!("{}: {}", w.t("kiosk-bring"), docs.join(sep))
}

fn fee(w: &Words, piasters: u64) -> String {
    if piasters == 0 {
        return w.t("kiosk-fee-free");
    }
    let pounds = if piasters.is_multiple_of(100) {
        (piasters / 100).to_string()
    } else {
        format!("{}.{:02}", piasters / 100, piasters % 100)
    };
    let pounds = if w.lang == Lang::Ar {
        pounds.replace('.', "٫")
    } else {
        pounds
    };
    w.with("kiosk-fee-amount", &[("amount", &pounds)])
}

fn card(v: &mut View, w: &Words, cx: &Context, code: &str) {
    let Some(s) = find(cx.hall, code) else {
        v.title = w.t("kiosk-choose-service");
        v.body.push(Block::Text {
            text: w.num(w.tr.error(protocol::wire::ErrorCode::UnknownService)),
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
        if let Some(opens) = opens_next(w.tr, w.lang, s, local_time_of(h, cx.now)) {
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
    v.body.push(Block::Fact {
        label: w.t("kiosk-opening-hours"),
        value: crate::opening::hours(w.tr, w.lang, s),
        tone: if open_now { Tone::Normal } else { Tone::Alert },
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
    v.body.push(Block::Fact {
        label: w.t("kiosk-estimated-wait"),
        value: w.wait(&load),
        tone: Tone::Normal,
    });
    v.body.push(text(w.t("kiosk-documents"), Size::Heading));
    if s.documents.is_empty() {
        v.body.push(text(w.t("kiosk-no-documents"), Size::Body));
    }
    for d in &s.documents {
        v.body.push(text(format!("•  {}", d.get(lang)), Size::Body));
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

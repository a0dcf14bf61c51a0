//! Everything the kiosk runs on (`Kiosk`: the citizen's flow, the link, the printer thread,
//! the technician's settings), started once; and the pump that feeds the flow the server's
//! answers, the printer's results and the time, and picks how soon to wake again.

use super::link::{Link, News, Wake};
use super::options::Opts;
use crate::flow::{Action, Effect, Flow, FlowConfig, Screen};
use crate::printer::PrinterStatus;
use crate::printing;
use crate::printing::{PrintDone, PrintJob, PrinterLink};
use crate::settings::Settings;
use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, UpdateMode, WinitSettings, WinitUserEvent};
use hall_ui::Tr;
use hall_ui::pairing::Pairing;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(sleepy()).add_systems(Startup, setup);
}

/// Asleep until a touch or a wake-up from the link or printer thread; a minute at most.
fn sleepy() -> WinitSettings {
    WinitSettings {
        focused_mode: UpdateMode::reactive_low_power(Duration::from_secs(60)),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::from_secs(60)),
    }
}

/// A citizen is at the kiosk: wake every second for timeouts.
fn attentive() -> WinitSettings {
    WinitSettings {
        focused_mode: UpdateMode::reactive_low_power(Duration::from_secs(1)),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::from_secs(1)),
    }
}

/// Everything the kiosk runs on.
#[derive(Resource)]
pub(super) struct Kiosk {
    pub flow: Flow,
    pub link: Link,
    pub printer: Sender<PrintJob>,
    from_printer: Mutex<Receiver<PrintDone>>,
    pub live: bool,
    pub settings: Settings,
    /// Where the settings are kept (the token a manager approves is written there).
    pub settings_path: std::path::PathBuf,
    /// Pairing: while active, the pairing screen replaces the citizen's.
    pub pairing: Pairing,
    /// The technician panel's fields and what it last heard.
    pub panel: PanelState,
}

#[derive(Default, Clone)]
pub(super) struct PanelState {
    pub server: String,
    pub token: String,
    pub printer: String,
    pub paper_mm: u32,
    pub printer_status: Option<PrinterStatus>,
    pub note: String,
    pub refused: Option<String>,
}

impl Kiosk {
    pub fn tap(&mut self, action: Action) {
        let effect = self.flow.act(action, Instant::now(), new_key);
        self.run_effect(effect);
    }

    fn run_effect(&mut self, effect: Option<Effect>) {
        match effect {
            Some(Effect::Issue {
                service,
                priority,
                key,
            }) => {
                self.link.issue(service, priority, key);
            }
            Some(Effect::AskStatus { digits, suffix }) => {
                // The reference as the receipt prints it: this center's prefix and the digits.
                let prefix = self
                    .link
                    .mirror()
                    .state
                    .as_ref()
                    .and_then(|s| s.catalog.as_deref())
                    .map(|c| c.center.request_prefix())
                    .unwrap_or_default();
                let reference = format!("{prefix}-{}-{}", &digits[..2], &digits[2..]);
                self.link.ask_status(reference, suffix);
            }
            Some(Effect::LeavePhone { token, phone, lang }) => {
                self.link.leave_phone(token, phone, lang);
            }
            Some(Effect::Print(receipt)) => {
                let _ = self.printer.send(PrintJob::Receipt {
                    receipt,
                    lang: self.flow.lang,
                    printed_at: self.local_now(),
                    digits: self.digits(),
                });
            }
            None => {}
        }
    }

    /// Writes the token a manager approved into the settings file; the link uses it already.
    fn keep_token(&mut self, token: String) {
        let saved = self.settings.keep_token(&self.settings_path, &token);
        self.panel.token = token;
        if let Err(e) = saved {
            tracing::error!(path = %self.settings_path.display(), error = %e, "the approved token was not saved");
        } else {
            tracing::info!(path = %self.settings_path.display(), "paired; token saved");
        }
    }

    /// The center's local time now (its catalog's zone; Cairo before the hall is known).
    pub fn local_now(&self) -> chrono::DateTime<chrono_tz::Tz> {
        let mirror = self.link.mirror();
        let zone = mirror
            .state
            .as_ref()
            .and_then(|s| s.catalog.as_deref())
            .map(hall_core::clock::zone)
            .unwrap_or(chrono_tz::Africa::Cairo);
        chrono::Utc::now().with_timezone(&zone)
    }

    /// The center's digits for Arabic (its catalog's `digits`; Arabic-Indic until it is in).
    pub fn digits(&self) -> hall_core::Digits {
        let mirror = self.link.mirror();
        mirror
            .state
            .as_ref()
            .map(|s| s.digits())
            .unwrap_or_default()
    }
}

/// A fresh idempotency key for one citizen's request.
fn new_key() -> String {
    use rand::Rng;
    let n: u128 = rand::rng().random();
    format!("kiosk-{n:032x}")
}

fn setup(mut commands: Commands, opts: Res<Opts>, proxy: Res<EventLoopProxyWrapper>) {
    commands.spawn(Camera2d);
    let o = &opts.0;
    let wake: Wake = {
        let proxy = (**proxy).clone();
        Arc::new(move || {
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        })
    };
    let (report, reports) = mpsc::channel();
    let link = Link::connect(&o.settings.server, &o.settings.token, reports, wake.clone());
    let PrinterLink { to, from } =
        printing::start(o.settings.clone(), o.assets.clone(), report, move || wake());
    // Ask the printer once at start: the server learns of a kiosk that starts without paper.
    let _ = to.send(PrintJob::Status);
    let flow = Flow::new(
        FlowConfig {
            priorities: o.priorities.clone(),
            pin: o.settings.pin.clone(),
            default_lang: o.default_lang,
        },
        Instant::now(),
    );
    let s = &o.settings;
    commands.insert_resource(Kiosk {
        flow,
        link,
        printer: to,
        from_printer: Mutex::new(from),
        live: false,
        settings: s.clone(),
        settings_path: o.settings_path.clone(),
        pairing: Pairing::new(&s.token),
        panel: PanelState {
            server: s.server.clone(),
            token: s.token.clone(),
            printer: s.printer.clone(),
            paper_mm: s.paper_mm,
            ..default()
        },
    });
}

/// Answers from the link and the printer, and time passing.
pub(super) fn pump(mut kiosk: ResMut<Kiosk>, mut winit: ResMut<WinitSettings>, trs: Res<Tr>) {
    let k = &mut *kiosk;
    let now = Instant::now();
    for news in k.link.news() {
        match news {
            News::Issued { key, result } => {
                for effect in k.flow.issued(&key, result, now) {
                    k.run_effect(Some(effect));
                }
            }
            News::Status(result) => k.flow.status(result, now),
            News::PhoneKept { token, result } => k.flow.phone_kept(&token, result),
            News::Live(live) => {
                k.live = live;
                if live {
                    k.panel.refused = None;
                }
            }
            News::Refused(e) => k.panel.refused = Some(e.message),
            News::Pairing(event) => {
                if let Some(token) = k.pairing.follow(&event) {
                    k.keep_token(token);
                }
            }
        }
    }
    let from_printer: Vec<PrintDone> = k
        .from_printer
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .try_iter()
        .collect();
    for done in from_printer {
        match done {
            PrintDone::Receipt { label, result } => k.flow.printed(&label, result),
            PrintDone::Status(s) => k.panel.printer_status = Some(s),
            PrintDone::TestPrinted(r) => {
                let tr = trs.get(k.flow.lang);
                k.panel.note = match r {
                    Ok(()) => tr.tr("panel-test-printed", &[]),
                    Err(e) => format!("{}: {e}", tr.tr("panel-test-failed", &[])),
                }
            }
        }
    }
    k.flow.tick(now);
    // Live figures (waits, people waiting) matter on these screens only.
    let live_screen = matches!(
        k.flow.screen,
        Screen::Categories
            | Screen::Services { .. }
            | Screen::Card { .. }
            | Screen::Priority { .. }
            | Screen::Confirm { .. }
    );
    k.link.set_shows_figures(live_screen);
    let want = if k.flow.screen == Screen::Welcome {
        sleepy()
    } else {
        attentive()
    };
    if winit.focused_mode != want.focused_mode {
        *winit = want;
    }
}

//! The citizen's path through the kiosk, as a plain state machine: no window, no socket, no
//! clock. The app feeds it touches, server answers, print results and the time; it answers
//! with what to do next (issue a ticket, print a receipt). Tested without bevy.

use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::{Priority, ServiceCode};
use hall_wire::TicketReceipt;
use std::time::{Duration, Instant};

/// Back to the welcome screen after this long without a touch.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(45);
/// The ticket screen clears sooner: the citizen has what they came for.
pub const TICKET_TIMEOUT: Duration = Duration::from_secs(25);
/// The technician's screens stay longer, but not forever (a panel left open is a risk).
pub const TECH_TIMEOUT: Duration = Duration::from_secs(180);
/// A ticket request unanswered this long is treated as lost; a retry uses the same key.
pub const ISSUE_TIMEOUT: Duration = Duration::from_secs(8);
/// Taps on the header within this window, `TECH_TAPS` of them, open the PIN pad.
pub const TECH_TAP_WINDOW: Duration = Duration::from_secs(4);
pub const TECH_TAPS: usize = 5;
/// Wrong PINs before the pad locks for `PIN_LOCKOUT`.
pub const PIN_ATTEMPTS: u32 = 3;
pub const PIN_LOCKOUT: Duration = Duration::from_secs(60);

mod entry;
pub use entry::{FollowProblem, PhoneState, REFERENCE_DIGITS, SUFFIX_DIGITS, plausible_mobile};
use hall_core::request::RequestStatusView;

/// The citizen's language (shared with the board: `hall_ui::Lang`).
pub use hall_ui::Lang;

/// How the receipt went, as the citizen is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintState {
    Printing,
    Printed,
    /// No paper, cover open, printer unreachable…: the ticket stands, the screen shows its QR.
    Fault(PrintFault),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintFault {
    PaperOut,
    CoverOpen,
    Offline,
}

impl PrintFault {
    pub fn message_id(self) -> &'static str {
        match self {
            PrintFault::PaperOut => "kiosk-print-paper-out",
            PrintFault::CoverOpen => "kiosk-print-cover-open",
            PrintFault::Offline => "kiosk-print-offline",
        }
    }
}

/// Why no ticket came out.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The server could not be reached, or did not answer in time. Retrying is safe.
    Offline,
    /// The server said no (service closed, daily limit…).
    Refused(ErrorCode),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Welcome,
    Categories,
    Services {
        category: String,
        page: usize,
    },
    Card {
        service: ServiceCode,
    },
    Priority {
        service: ServiceCode,
    },
    Confirm {
        service: ServiceCode,
        priority: Priority,
    },
    /// The phone pad over the confirm screen: a number for this ticket's messages (near the
    /// turn, called), given before the ticket is taken. Optional.
    ConfirmPhone {
        service: ServiceCode,
        priority: Priority,
        digits: String,
        invalid: bool,
    },
    Issuing {
        service: ServiceCode,
        priority: Priority,
    },
    Ticket {
        receipt: Box<TicketReceipt>,
        print: PrintState,
        phone: PhoneState,
    },
    /// Follow a request: the reference's digits after the center's prefix, then the last four
    /// digits of the phone or national ID it was handed in with.
    Follow {
        digits: String,
        suffix: String,
        on_suffix: bool,
        problem: Option<FollowProblem>,
    },
    /// The status asked for, on its way.
    Asking {
        digits: String,
        suffix: String,
    },
    /// A request's status, as the `/r` page shows it.
    RequestStatus {
        status: Box<RequestStatusView>,
    },
    Failed {
        service: ServiceCode,
        priority: Priority,
        failure: Failure,
    },
    /// The technician's PIN pad.
    Pin {
        entered: String,
        wrong: bool,
    },
    /// The technician panel (drawn with egui).
    Panel,
}

/// What a touch means.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Language(Lang),
    ToggleLargeText,
    Category(String),
    Service(ServiceCode),
    Page(usize),
    TakeTicket,
    Priority(Priority),
    Confirm,
    Retry,
    Back,
    Home,
    /// Open the follow-a-request screen.
    FollowRequest,
    /// Open the phone pad (on the confirm screen, or on the ticket screen after it).
    LeavePhone,
    /// A tap on the header (five quick ones open the PIN pad).
    HeaderTap,
    Digit(u8),
    Erase,
    Enter,
    ClosePanel,
}

/// What the app must do for the flow.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Ask the server for a ticket. A retry carries the same key, so the server hands back
    /// the ticket it may already have issued instead of a second one.
    Issue {
        service: ServiceCode,
        priority: Priority,
        key: String,
    },
    Print(Box<TicketReceipt>),
    /// Ask the server for a request's status: the digits after the center's prefix and the
    /// citizen's four digits.
    AskStatus {
        digits: String,
        suffix: String,
    },
    /// Keep this number for messages about the ticket with this page token.
    LeavePhone {
        token: String,
        phone: String,
        lang: Lang,
    },
}

/// Settings that shape the path, fixed for a run.
#[derive(Clone, Debug)]
pub struct FlowConfig {
    /// The priorities offered (empty: no priority question).
    pub priorities: Vec<Priority>,
    /// The technician PIN.
    pub pin: String,
    pub default_lang: Lang,
}

pub struct Flow {
    pub screen: Screen,
    pub lang: Lang,
    pub large_text: bool,
    config: FlowConfig,
    pub(super) last_touch: Instant,
    /// The request in flight or last failed: (service, priority, key, sent at).
    pending: Option<Pending>,
    taps: Vec<Instant>,
    wrong_pins: u32,
    locked_until: Option<Instant>,
    /// When the status now asked for was asked.
    pub(super) asked_at: Option<Instant>,
    /// The mobile number given on the confirm screen for the ticket about to be taken.
    pub(super) phone: Option<String>,
    /// The page of the categories screen (large text pages them).
    pub(super) category_page: usize,
    /// A counter bumped on every change, for the app to know when to redraw.
    pub version: u64,
}

#[derive(Clone, Debug)]
struct Pending {
    service: ServiceCode,
    priority: Priority,
    key: String,
    sent_at: Instant,
    /// The number given on the confirm screen, left with the ticket once it is issued.
    phone: Option<String>,
}

impl Flow {
    pub fn new(config: FlowConfig, now: Instant) -> Flow {
        Flow {
            screen: Screen::Welcome,
            lang: config.default_lang,
            large_text: false,
            config,
            last_touch: now,
            pending: None,
            taps: Vec::new(),
            wrong_pins: 0,
            locked_until: None,
            asked_at: None,
            phone: None,
            category_page: 0,
            version: 0,
        }
    }

    pub fn config(&self) -> &FlowConfig {
        &self.config
    }

    /// The page of the categories screen.
    pub fn category_page(&self) -> usize {
        self.category_page
    }

    /// The mobile number given on the confirm screen, if any (digits as typed).
    pub fn phone(&self) -> Option<&str> {
        self.phone.as_deref()
    }

    pub fn set_pin(&mut self, pin: String) {
        self.config.pin = pin;
    }

    /// Whether the PIN pad is refusing entries after too many wrong PINs.
    pub fn pin_locked(&self, now: Instant) -> bool {
        self.locked_until.is_some_and(|t| now < t)
    }

    pub(super) fn go(&mut self, screen: Screen) {
        self.screen = screen;
        self.version += 1;
    }

    /// A touch. `new_key` makes the idempotency key of a new ticket request.
    pub fn act(
        &mut self,
        action: Action,
        now: Instant,
        new_key: impl FnOnce() -> String,
    ) -> Option<Effect> {
        self.last_touch = now;
        if action != Action::HeaderTap {
            self.taps.clear();
        }
        match (self.screen.clone(), action) {
            (_, Action::HeaderTap) => {
                self.taps
                    .retain(|t| now.duration_since(*t) < TECH_TAP_WINDOW);
                self.taps.push(now);
                let busy = matches!(
                    self.screen,
                    Screen::Issuing { .. } | Screen::Pin { .. } | Screen::Panel
                );
                if self.taps.len() >= TECH_TAPS && !busy {
                    self.taps.clear();
                    self.go(Screen::Pin {
                        entered: String::new(),
                        wrong: false,
                    });
                }
                None
            }
            (_, Action::ToggleLargeText) => {
                self.large_text = !self.large_text;
                self.category_page = 0;
                self.version += 1;
                None
            }
            (Screen::Issuing { .. }, _) => None, // one request at a time; wait for its answer
            (_, Action::Home) => {
                self.reset();
                None
            }
            (Screen::Welcome, Action::Language(lang)) => {
                self.lang = lang;
                self.go(Screen::Categories);
                None
            }
            (Screen::Categories, Action::Page(page)) => {
                self.category_page = page;
                self.version += 1;
                None
            }
            (Screen::Categories, Action::Category(category)) => {
                self.go(Screen::Services { category, page: 0 });
                None
            }
            (Screen::Categories, Action::Back) => {
                self.reset();
                None
            }
            (Screen::Services { category, .. }, Action::Page(page)) => {
                self.go(Screen::Services { category, page });
                None
            }
            (Screen::Services { .. }, Action::Service(service)) => {
                self.go(Screen::Card { service });
                None
            }
            (Screen::Services { .. }, Action::Back) => {
                self.go(Screen::Categories);
                None
            }
            (Screen::Card { service }, Action::TakeTicket) => {
                if self.config.priorities.is_empty() {
                    self.go(Screen::Confirm {
                        service,
                        priority: Priority::Normal,
                    });
                } else {
                    self.go(Screen::Priority { service });
                }
                None
            }
            (Screen::Card { .. }, Action::Back) => {
                self.go(Screen::Categories);
                None
            }
            (Screen::Priority { service }, Action::Priority(priority)) => {
                self.go(Screen::Confirm { service, priority });
                None
            }
            (Screen::Priority { service }, Action::Back) => {
                self.go(Screen::Card { service });
                None
            }
            (Screen::Confirm { service, priority }, Action::LeavePhone) => {
                let digits = self.phone.clone().unwrap_or_default();
                self.go(Screen::ConfirmPhone {
                    service,
                    priority,
                    digits,
                    invalid: false,
                });
                None
            }
            (
                Screen::ConfirmPhone {
                    service,
                    priority,
                    digits,
                    ..
                },
                a @ (Action::Digit(_) | Action::Erase | Action::Enter | Action::Back),
            ) => {
                self.confirm_phone_key(service, priority, digits, a);
                None
            }
            (Screen::Confirm { service, priority }, Action::Confirm) => {
                let key = new_key();
                Some(self.send(service, priority, key, now))
            }
            (Screen::Confirm { service, .. }, Action::Back) => {
                if self.config.priorities.is_empty() {
                    self.go(Screen::Card { service });
                } else {
                    self.go(Screen::Priority { service });
                }
                None
            }
            (Screen::Failed { .. }, Action::Retry) => {
                // The same key: if the first request reached the server, this returns its ticket.
                let p = self.pending.clone()?;
                Some(self.send(p.service, p.priority, p.key, now))
            }
            (Screen::Failed { service, .. }, Action::Back) => {
                self.pending = None;
                self.go(Screen::Card { service });
                None
            }
            (
                Screen::Ticket {
                    receipt,
                    print,
                    phone: PhoneState::NotGiven | PhoneState::Failed(_),
                },
                Action::LeavePhone,
            ) => {
                self.go(Screen::Ticket {
                    receipt,
                    print,
                    phone: PhoneState::Typing {
                        digits: String::new(),
                        invalid: false,
                    },
                });
                None
            }
            (
                Screen::Ticket {
                    receipt,
                    print,
                    phone: PhoneState::Typing { digits, .. },
                },
                a @ (Action::Digit(_) | Action::Erase | Action::Enter | Action::Back),
            ) => self.phone_key(receipt, print, digits, a),
            (Screen::Ticket { .. }, Action::Back) => {
                self.reset();
                None
            }
            (Screen::Categories, Action::FollowRequest) => {
                self.go(Screen::Follow {
                    digits: String::new(),
                    suffix: String::new(),
                    on_suffix: false,
                    problem: None,
                });
                None
            }
            (
                Screen::Follow {
                    digits,
                    suffix,
                    on_suffix,
                    ..
                },
                a @ (Action::Digit(_) | Action::Erase | Action::Enter | Action::Back),
            ) => self.follow_key(digits, suffix, on_suffix, a, now),
            (Screen::RequestStatus { .. }, Action::Back) => {
                self.go(Screen::Categories);
                None
            }
            (Screen::Pin { mut entered, .. }, Action::Digit(d)) => {
                if entered.len() < 12 && !self.pin_locked(now) {
                    entered.push(char::from(b'0' + d.min(9)));
                }
                self.go(Screen::Pin {
                    entered,
                    wrong: false,
                });
                None
            }
            (Screen::Pin { mut entered, .. }, Action::Erase) => {
                entered.pop();
                self.go(Screen::Pin {
                    entered,
                    wrong: false,
                });
                None
            }
            (Screen::Pin { entered, .. }, Action::Enter) => {
                if self.pin_locked(now) {
                    self.go(Screen::Pin {
                        entered: String::new(),
                        wrong: true,
                    });
                } else if !self.config.pin.is_empty() && entered == self.config.pin {
                    self.wrong_pins = 0;
                    self.go(Screen::Panel);
                } else {
                    self.wrong_pins += 1;
                    if self.wrong_pins >= PIN_ATTEMPTS {
                        self.wrong_pins = 0;
                        self.locked_until = Some(now + PIN_LOCKOUT);
                    }
                    self.go(Screen::Pin {
                        entered: String::new(),
                        wrong: true,
                    });
                }
                None
            }
            (Screen::Pin { .. }, Action::Back) | (Screen::Panel, Action::ClosePanel) => {
                self.reset();
                None
            }
            _ => None,
        }
    }

    fn send(
        &mut self,
        service: ServiceCode,
        priority: Priority,
        key: String,
        now: Instant,
    ) -> Effect {
        self.pending = Some(Pending {
            service: service.clone(),
            priority,
            key: key.clone(),
            sent_at: now,
            phone: self.phone.clone(),
        });
        self.go(Screen::Issuing {
            service: service.clone(),
            priority,
        });
        Effect::Issue {
            service,
            priority,
            key,
        }
    }

    /// The key of the request now in flight or awaiting a retry.
    pub fn pending_key(&self) -> Option<&str> {
        self.pending.as_ref().map(|p| p.key.as_str())
    }

    /// The server's answer to the request with this key: the receipt to print and, when a
    /// number was given on the confirm screen, the number to leave with the ticket.
    pub fn issued(
        &mut self,
        key: &str,
        result: Result<Box<TicketReceipt>, ErrorBody>,
        now: Instant,
    ) -> Vec<Effect> {
        let Some(pending) = self.pending.as_ref().filter(|p| p.key == key).cloned() else {
            return Vec::new();
        };
        // An answer that arrives after the timeout still counts: it is the citizen's ticket.
        let waiting_here = matches!(self.screen, Screen::Issuing { .. } | Screen::Failed { .. });
        match result {
            Ok(receipt) => {
                self.pending = None;
                if !waiting_here {
                    // The citizen left; the ticket exists but nobody is here to take it.
                    return Vec::new();
                }
                self.last_touch = now;
                self.phone = None;
                let mut effects = vec![Effect::Print(receipt.clone())];
                let phone = match pending.phone {
                    Some(phone) => {
                        effects.push(Effect::LeavePhone {
                            token: receipt.token.clone(),
                            phone,
                            lang: self.lang,
                        });
                        PhoneState::Saving
                    }
                    None => PhoneState::NotGiven,
                };
                self.go(Screen::Ticket {
                    receipt,
                    print: PrintState::Printing,
                    phone,
                });
                effects
            }
            Err(e) => {
                if !waiting_here {
                    self.pending = None;
                    return Vec::new();
                }
                let failure = if e.code.is_retryable() {
                    Failure::Offline
                } else {
                    self.pending = None;
                    Failure::Refused(e.code)
                };
                if failure == Failure::Offline {
                    // Keep the key for the retry.
                    self.pending = Some(pending.clone());
                }
                self.go(Screen::Failed {
                    service: pending.service,
                    priority: pending.priority,
                    failure,
                });
                Vec::new()
            }
        }
    }

    /// The printer's verdict on the receipt of ticket `label`.
    pub fn printed(&mut self, label: &str, result: Result<(), PrintFault>) {
        if let Screen::Ticket { receipt, print, .. } = &mut self.screen
            && receipt.label == label
        {
            *print = match result {
                Ok(()) => PrintState::Printed,
                Err(f) => PrintState::Fault(f),
            };
            self.version += 1;
        }
    }

    /// Time passing: a lost request becomes a failure, an idle screen returns to welcome.
    pub fn tick(&mut self, now: Instant) {
        if let (Screen::Asking { digits, suffix }, Some(at)) = (&self.screen, self.asked_at)
            && now.duration_since(at) >= ISSUE_TIMEOUT
        {
            let (digits, suffix) = (digits.clone(), suffix.clone());
            self.asked_at = None;
            self.go(Screen::Follow {
                digits,
                suffix,
                on_suffix: true,
                problem: Some(FollowProblem::Offline),
            });
            return;
        }
        if let (Screen::Issuing { service, priority }, Some(p)) = (&self.screen, &self.pending)
            && now.duration_since(p.sent_at) >= ISSUE_TIMEOUT
        {
            let (service, priority) = (service.clone(), *priority);
            self.go(Screen::Failed {
                service,
                priority,
                failure: Failure::Offline,
            });
            return;
        }
        let limit = match self.screen {
            Screen::Welcome | Screen::Issuing { .. } | Screen::Asking { .. } => return,
            Screen::Ticket { .. } => TICKET_TIMEOUT,
            Screen::Pin { .. } | Screen::Panel => TECH_TIMEOUT,
            _ => IDLE_TIMEOUT,
        };
        if now.duration_since(self.last_touch) >= limit {
            self.reset();
        }
    }

    /// When `tick` next has something to do (for a kiosk that sleeps between touches).
    pub fn next_deadline(&self) -> Option<Instant> {
        let limit = match self.screen {
            Screen::Welcome => return None,
            Screen::Issuing { .. } => {
                return self.pending.as_ref().map(|p| p.sent_at + ISSUE_TIMEOUT);
            }
            Screen::Asking { .. } => return self.asked_at.map(|t| t + ISSUE_TIMEOUT),
            Screen::Ticket { .. } => TICKET_TIMEOUT,
            Screen::Pin { .. } | Screen::Panel => TECH_TIMEOUT,
            _ => IDLE_TIMEOUT,
        };
        Some(self.last_touch + limit)
    }

    /// Back to the welcome screen for the next citizen: their language and text size go.
    fn reset(&mut self) {
        self.pending = None;
        self.asked_at = None;
        self.phone = None;
        self.category_page = 0;
        self.lang = self.config.default_lang;
        self.large_text = false;
        self.go(Screen::Welcome);
    }
}

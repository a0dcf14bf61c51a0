//! What the citizen types on the kiosk's keypad besides the technician's PIN: a phone number
//! for text messages (on the confirm screen, or on the ticket screen after it), a request's
//! reference and four digits on the follow screen; and the server's answers to both.

use super::{Action, Effect, Flow, PrintState, Screen};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::request::RequestStatusView;
use hall_wire::TicketReceipt;
use std::time::Instant;

/// The citizen's mobile number for text messages about the ticket, on the ticket screen.
#[derive(Clone, Debug, PartialEq)]
pub enum PhoneState {
    /// Not given (the ticket screen offers it when the center sends messages).
    NotGiven,
    /// The pad is open; `invalid` after a number that cannot be an Egyptian mobile.
    Typing {
        digits: String,
        invalid: bool,
    },
    Saving,
    /// Kept by the server; messages go to this masked number ("•••• 78").
    Kept(String),
    Failed(ErrorCode),
}

/// An Egyptian mobile as typed on the pad: 11 digits, 010/011/012/015 (the server checks
/// again, `sms::Phone`).
pub fn plausible_mobile(digits: &str) -> bool {
    digits.len() == 11
        && ["010", "011", "012", "015"]
            .iter()
            .any(|p| digits.starts_with(p))
}

/// Digits of a reference after the center's prefix: the year's two and the six of the number.
pub const REFERENCE_DIGITS: usize = 8;
/// The last four digits of the citizen's phone or national ID.
pub const SUFFIX_DIGITS: usize = 4;

/// Why the follow screen is showing its question again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowProblem {
    /// Enter before all the digits were typed.
    Incomplete,
    /// The server could not be reached or did not answer in time.
    Offline,
    /// The server said no: no such request, wrong digits, too many tries.
    Refused(ErrorCode),
}

impl Flow {
    /// A key on the phone pad (over the ticket screen).
    pub(super) fn phone_key(
        &mut self,
        receipt: Box<TicketReceipt>,
        print: PrintState,
        mut digits: String,
        a: Action,
    ) -> Option<Effect> {
        let phone = match a {
            Action::Digit(d) => {
                if digits.len() < 11 {
                    digits.push(char::from(b'0' + d.min(9)));
                }
                PhoneState::Typing {
                    digits,
                    invalid: false,
                }
            }
            Action::Erase => {
                digits.pop();
                PhoneState::Typing {
                    digits,
                    invalid: false,
                }
            }
            Action::Enter if plausible_mobile(&digits) => {
                let effect = Effect::LeavePhone {
                    token: receipt.token.clone(),
                    phone: digits,
                    lang: self.lang,
                };
                self.go(Screen::Ticket {
                    receipt,
                    print,
                    phone: PhoneState::Saving,
                });
                return Some(effect);
            }
            Action::Enter => PhoneState::Typing {
                digits,
                invalid: true,
            },
            _ => PhoneState::NotGiven,
        };
        self.go(Screen::Ticket {
            receipt,
            print,
            phone,
        });
        None
    }

    /// A key on the phone pad over the confirm screen. Enter with a plausible number keeps it
    /// for the ticket about to be taken; Enter with nothing typed takes the number away; Back
    /// returns to the confirm screen as it was.
    pub(super) fn confirm_phone_key(
        &mut self,
        service: hall_core::ServiceCode,
        priority: hall_core::Priority,
        mut digits: String,
        a: Action,
    ) {
        let mut invalid = false;
        match a {
            Action::Digit(d) => {
                if digits.len() < 11 {
                    digits.push(char::from(b'0' + d.min(9)));
                }
            }
            Action::Erase => {
                digits.pop();
            }
            Action::Enter if digits.is_empty() => {
                self.phone = None;
                self.go(Screen::Confirm { service, priority });
                return;
            }
            Action::Enter if plausible_mobile(&digits) => {
                self.phone = Some(digits);
                self.go(Screen::Confirm { service, priority });
                return;
            }
            Action::Enter => invalid = true,
            _ => {
                self.go(Screen::Confirm { service, priority });
                return;
            }
        }
        self.go(Screen::ConfirmPhone {
            service,
            priority,
            digits,
            invalid,
        });
    }

    /// A key on the follow screen: the reference's digits, then the four.
    pub(super) fn follow_key(
        &mut self,
        mut digits: String,
        mut suffix: String,
        on_suffix: bool,
        a: Action,
        now: Instant,
    ) -> Option<Effect> {
        let (field, max) = if on_suffix {
            (&mut suffix, SUFFIX_DIGITS)
        } else {
            (&mut digits, REFERENCE_DIGITS)
        };
        let mut next_on_suffix = on_suffix;
        let mut problem = None;
        match a {
            Action::Digit(d) => {
                if field.len() < max {
                    field.push(char::from(b'0' + d.min(9)));
                }
            }
            Action::Erase => {
                field.pop();
            }
            Action::Enter if field.len() < max => problem = Some(FollowProblem::Incomplete),
            Action::Enter if on_suffix => {
                self.asked_at = Some(now);
                self.go(Screen::Asking {
                    digits: digits.clone(),
                    suffix: suffix.clone(),
                });
                return Some(Effect::AskStatus { digits, suffix });
            }
            Action::Enter => next_on_suffix = true,
            _ if on_suffix => next_on_suffix = false,
            _ => {
                self.go(Screen::Categories);
                return None;
            }
        }
        self.go(Screen::Follow {
            digits,
            suffix,
            on_suffix: next_on_suffix,
            problem,
        });
        None
    }

    /// The server's answer to the number left for the ticket with this page token.
    pub fn phone_kept(&mut self, token: &str, result: Result<String, ErrorBody>) {
        if let Screen::Ticket { receipt, phone, .. } = &mut self.screen
            && receipt.token == token
            && *phone == PhoneState::Saving
        {
            *phone = match result {
                Ok(masked) => PhoneState::Kept(masked),
                Err(e) => PhoneState::Failed(e.code),
            };
            self.version += 1;
        }
    }

    /// The server's answer to the status asked on the follow screen.
    pub fn status(&mut self, result: Result<Box<RequestStatusView>, ErrorBody>, now: Instant) {
        let Screen::Asking { digits, suffix } = &self.screen else {
            return;
        };
        let (digits, suffix) = (digits.clone(), suffix.clone());
        self.asked_at = None;
        self.last_touch = now;
        match result {
            Ok(status) => self.go(Screen::RequestStatus { status }),
            Err(e) => {
                let problem = if e.code.is_retryable() {
                    FollowProblem::Offline
                } else {
                    FollowProblem::Refused(e.code)
                };
                // Wrong digits: type them again; anything else: the reference again.
                let on_suffix = e.code == ErrorCode::WrongSuffix;
                self.go(Screen::Follow {
                    digits,
                    suffix: if on_suffix { String::new() } else { suffix },
                    on_suffix,
                    problem: Some(problem),
                });
            }
        }
    }
}

//! Error answers: the stable codes clients translate (`assets/i18n/*/queue.ftl`) and the body
//! that carries one on the wire. Below every other module: the engine's rejections, the
//! client's failures and the translations all name these codes.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadFrame,
    FrameTooLarge,
    HelloRequired,
    UnsupportedVersion,
    Unauthenticated,
    Forbidden,
    BadCredentials,
    SessionExpired,
    UnknownService,
    UnknownCounter,
    UnknownTicket,
    ServiceClosed,
    OutsideHours,
    DailyLimitReached,
    CounterClosed,
    CounterBusy,
    CounterNotYours,
    ClerkHasCounter,
    CounterHasParked,
    QueueEmpty,
    WrongTicketState,
    ReasonRequired,
    InvalidProfile,
    MessageTooLong,
    TicketClosed,
    UnknownPairing,
    UnknownDevice,
    UnknownUser,
    UserExists,
    InvalidName,
    InvalidRange,
    StorageFailure,
    ShuttingDown,
    ConnectionLost,
    NotConnected,
    Internal,
    // Issue 14 (sign-in and idempotency).
    KeyConflict,
    AccountLocked,
    TooManyAttempts,
    Busy,
    // Issue 12 (messages to citizens).
    InvalidPhone,
    SmsUnavailable,
    // Issue 12 (requests, feedback).
    UnknownRequest,
    RequestTransition,
    SuffixRequired,
    WrongSuffix,
    FeedbackExists,
    InvalidFeedback,
    // Issue 25 (staff sign in only from the hall).
    OutsideHall,
    // Issue 27 (the request slip on the counter's printer).
    NoPrinter,
}

impl ErrorCode {
    /// Every code (for translation checks). Add a new code here and in `as_str`.
    pub const ALL: [ErrorCode; 50] = [
        ErrorCode::BadFrame,
        ErrorCode::FrameTooLarge,
        ErrorCode::HelloRequired,
        ErrorCode::UnsupportedVersion,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::BadCredentials,
        ErrorCode::SessionExpired,
        ErrorCode::UnknownService,
        ErrorCode::UnknownCounter,
        ErrorCode::UnknownTicket,
        ErrorCode::ServiceClosed,
        ErrorCode::OutsideHours,
        ErrorCode::DailyLimitReached,
        ErrorCode::CounterClosed,
        ErrorCode::CounterBusy,
        ErrorCode::CounterNotYours,
        ErrorCode::ClerkHasCounter,
        ErrorCode::CounterHasParked,
        ErrorCode::QueueEmpty,
        ErrorCode::WrongTicketState,
        ErrorCode::ReasonRequired,
        ErrorCode::InvalidProfile,
        ErrorCode::MessageTooLong,
        ErrorCode::TicketClosed,
        ErrorCode::UnknownPairing,
        ErrorCode::UnknownDevice,
        ErrorCode::UnknownUser,
        ErrorCode::UserExists,
        ErrorCode::InvalidName,
        ErrorCode::InvalidRange,
        ErrorCode::StorageFailure,
        ErrorCode::ShuttingDown,
        ErrorCode::ConnectionLost,
        ErrorCode::NotConnected,
        ErrorCode::Internal,
        ErrorCode::KeyConflict,
        ErrorCode::AccountLocked,
        ErrorCode::TooManyAttempts,
        ErrorCode::Busy,
        ErrorCode::InvalidPhone,
        ErrorCode::SmsUnavailable,
        ErrorCode::UnknownRequest,
        ErrorCode::RequestTransition,
        ErrorCode::SuffixRequired,
        ErrorCode::WrongSuffix,
        ErrorCode::FeedbackExists,
        ErrorCode::InvalidFeedback,
        ErrorCode::OutsideHall,
        ErrorCode::NoPrinter,
    ];

    pub fn as_str(self) -> &'static str {
        // The serde name, without allocating through serde_json.
        match self {
            ErrorCode::BadFrame => "bad_frame",
            ErrorCode::FrameTooLarge => "frame_too_large",
            ErrorCode::HelloRequired => "hello_required",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::BadCredentials => "bad_credentials",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::UnknownService => "unknown_service",
            ErrorCode::UnknownCounter => "unknown_counter",
            ErrorCode::UnknownTicket => "unknown_ticket",
            ErrorCode::ServiceClosed => "service_closed",
            ErrorCode::OutsideHours => "outside_hours",
            ErrorCode::DailyLimitReached => "daily_limit_reached",
            ErrorCode::CounterClosed => "counter_closed",
            ErrorCode::CounterBusy => "counter_busy",
            ErrorCode::CounterNotYours => "counter_not_yours",
            ErrorCode::ClerkHasCounter => "clerk_has_counter",
            ErrorCode::CounterHasParked => "counter_has_parked",
            ErrorCode::QueueEmpty => "queue_empty",
            ErrorCode::WrongTicketState => "wrong_ticket_state",
            ErrorCode::ReasonRequired => "reason_required",
            ErrorCode::InvalidProfile => "invalid_profile",
            ErrorCode::MessageTooLong => "message_too_long",
            ErrorCode::TicketClosed => "ticket_closed",
            ErrorCode::UnknownPairing => "unknown_pairing",
            ErrorCode::UnknownDevice => "unknown_device",
            ErrorCode::UnknownUser => "unknown_user",
            ErrorCode::UserExists => "user_exists",
            ErrorCode::InvalidName => "invalid_name",
            ErrorCode::InvalidRange => "invalid_range",
            ErrorCode::StorageFailure => "storage_failure",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::ConnectionLost => "connection_lost",
            ErrorCode::NotConnected => "not_connected",
            ErrorCode::Internal => "internal",
            ErrorCode::KeyConflict => "key_conflict",
            ErrorCode::AccountLocked => "account_locked",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::Busy => "busy",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::SmsUnavailable => "sms_unavailable",
            ErrorCode::UnknownRequest => "unknown_request",
            ErrorCode::RequestTransition => "request_transition",
            ErrorCode::SuffixRequired => "suffix_required",
            ErrorCode::WrongSuffix => "wrong_suffix",
            ErrorCode::FeedbackExists => "feedback_exists",
            ErrorCode::InvalidFeedback => "invalid_feedback",
            ErrorCode::OutsideHall => "outside_hall",
            ErrorCode::NoPrinter => "no_printer",
        }
    }
}

/// An error answer: a stable code for programs (clients translate it) and an English
/// sentence for logs and people reading the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
        }
    }
}

impl ErrorCode {
    /// The request may not have reached the server, or the server could not keep it: asking
    /// again with the same idempotency key is safe and may succeed. Every other code is the
    /// server's considered answer.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::NotConnected
                | ErrorCode::ConnectionLost
                | ErrorCode::ShuttingDown
                | ErrorCode::StorageFailure
                | ErrorCode::Busy
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_names_match_their_wire_form_and_all_lists_every_code() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let wire = serde_json::to_string(&code).unwrap();
            assert_eq!(wire, format!("\"{}\"", code.as_str()));
            assert!(seen.insert(code.as_str()));
        }
        // A code missing from ALL would still parse from its name: check a round trip of
        // every name we know against ALL's length via the serde names of the enum.
        assert_eq!(seen.len(), ErrorCode::ALL.len());
    }
}

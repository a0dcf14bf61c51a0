//! Requests and feedback: `finish` with `request_submitted` (the ticket ends and a request is
//! created with its reference and expected ready day), the back office's state changes, and a
//! citizen's rating from the ticket page.

use super::actor::Actor;
use super::lookup::{MAX_NOTE_CHARS, Rejection, held, reject, truncate};
use crate::error::ErrorCode;
use crate::request::{RequestState, format_reference, normalize_suffix};
use crate::{CounterId, CounterState, Event, Outcome, State, Timestamp, clock};

/// At most this many documents in a `needs_documents` list, each at most `MAX_NOTE_CHARS`.
pub(super) const MAX_DOCUMENTS: usize = 20;
/// A feedback comment's limit, in characters.
pub(super) const MAX_COMMENT_CHARS: usize = 500;

/// The ticket at the counter ends as `request_submitted`, and a request begins: the next
/// reference of the year, the service's expected ready day, the citizen's suffixes.
pub(super) fn submit(
    state: &State,
    actor: &Actor,
    counter: CounterId,
    reference: Option<&str>,
    suffixes: &[String],
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let ticket = held(
        state,
        actor,
        counter,
        &[CounterState::Calling, CounterState::Serving],
        "finish",
    )?;
    if reference.is_some_and(|r| !r.trim().is_empty()) {
        return reject(
            ErrorCode::BadFrame,
            "a submitted request's reference is given by the server; send none",
        );
    }
    let mut kept: Vec<String> = Vec::new();
    for s in suffixes {
        let Some(s) = normalize_suffix(s) else {
            return reject(
                ErrorCode::SuffixRequired,
                format!("{s:?} is not the last four digits of a phone or national ID"),
            );
        };
        if !kept.contains(&s) {
            kept.push(s);
        }
    }
    if kept.is_empty() || kept.len() > 2 {
        return reject(
            ErrorCode::SuffixRequired,
            "give the last four digits of the citizen's phone and/or national ID (one or two)",
        );
    }
    let (Some(catalog), Some(t)) = (state.catalog.as_deref(), state.tickets.get(&ticket)) else {
        return reject(ErrorCode::Internal, "no catalog or ticket");
    };
    let day = clock::local_day(catalog, now);
    let year = chrono::Datelike::year(&day);
    let n = state.request_numbers.get(&year).copied().unwrap_or(0) + 1;
    let reference = format_reference(&catalog.center.request_prefix(), year, n);
    let service = t.service.clone();
    let expected_ready = match state.services.get(&service) {
        Some(q) => clock::ready_date(catalog, &q.service, day),
        None => day,
    };
    Ok(vec![
        Event::TicketFinished {
            ticket,
            counter,
            outcome: Outcome::RequestSubmitted,
            reference: Some(reference.clone()),
        },
        Event::RequestCreated {
            reference,
            ticket,
            service,
            counter,
            expected_ready,
            suffixes: kept,
        },
    ])
}

/// The back office moves a request on: only `RequestState::may_become`'s transitions; a
/// document list and a reason must say something. A clerk (the pickup window) may only hand
/// a ready request over.
pub(super) fn set_state(
    state: &State,
    actor: &Actor,
    reference: &str,
    next: &RequestState,
    note: &str,
) -> Result<Vec<Event>, Rejection> {
    let Some(r) = state.request(reference) else {
        return reject(
            ErrorCode::UnknownRequest,
            format!("there is no request {reference:?}"),
        );
    };
    if actor.role == crate::role::Role::Clerk && *next != RequestState::Delivered {
        return reject(
            ErrorCode::Forbidden,
            "at a window a request can only be handed over (delivered); the back office moves it on",
        );
    }
    let next = match next {
        RequestState::NeedsDocuments { documents } => {
            let documents: Vec<String> = documents
                .iter()
                .map(|d| truncate(d.trim(), MAX_NOTE_CHARS))
                .filter(|d| !d.is_empty())
                .take(MAX_DOCUMENTS)
                .collect();
            if documents.is_empty() {
                return reject(
                    ErrorCode::ReasonRequired,
                    "name the documents the citizen must bring",
                );
            }
            RequestState::NeedsDocuments { documents }
        }
        RequestState::Rejected { reason } => {
            let reason = truncate(reason.trim(), MAX_NOTE_CHARS);
            if reason.is_empty() {
                return reject(ErrorCode::ReasonRequired, "say why the request is rejected");
            }
            RequestState::Rejected { reason }
        }
        other => other.clone(),
    };
    if !r.state.may_become(&next) {
        return reject(
            ErrorCode::RequestTransition,
            format!(
                "request {} is {} and cannot become {}",
                r.reference,
                r.state.name(),
                next.name()
            ),
        );
    }
    Ok(vec![Event::RequestStateChanged {
        reference: r.reference.clone(),
        state: next,
        note: truncate(note.trim(), MAX_NOTE_CHARS),
    }])
}

/// A citizen rates their finished ticket from its page: 1–5, once.
pub(super) fn feedback(
    state: &State,
    token: &str,
    rating: u8,
    comment: &str,
) -> Result<Vec<Event>, Rejection> {
    let Some(id) = state.ticket_by_token(token) else {
        return reject(ErrorCode::UnknownTicket, "no ticket has this token today");
    };
    let Some(t) = state.closed_today.get(&id) else {
        return reject(
            ErrorCode::WrongTicketState,
            "feedback is asked for once the service is over",
        );
    };
    if !(1..=5).contains(&rating) || comment.chars().count() > MAX_COMMENT_CHARS {
        return reject(
            ErrorCode::InvalidFeedback,
            "a rating is 1 to 5 and a comment at most 500 characters",
        );
    }
    if t.feedback.is_some() {
        return reject(
            ErrorCode::FeedbackExists,
            format!("ticket {} was already rated", t.label),
        );
    }
    if !matches!(t.state, crate::TicketState::Done) {
        return reject(
            ErrorCode::WrongTicketState,
            format!("ticket {} was not served", t.label),
        );
    }
    Ok(vec![Event::FeedbackGiven {
        ticket: id,
        rating,
        comment: comment.trim().to_string(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::normalize_reference;

    #[test]
    fn references_unknown_to_the_state_are_refused_by_name() {
        let state = State::default();
        let office = Actor::new(crate::role::Role::BackOffice, "samir");
        let e = set_state(
            &state,
            &office,
            "HEL-26-000001",
            &RequestState::UnderReview,
            "",
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownRequest);
        assert!(normalize_reference("HEL-26-000001").is_some());
    }
}

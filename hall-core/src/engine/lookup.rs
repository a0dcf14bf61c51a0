//! What the command families share: the limits on what staff type, the rejection helper, and
//! the look-ups that refuse with the right code (a counter, a ticket, a counter the actor
//! holds, the ticket at it).

use super::actor::Actor;
use crate::error::{ErrorBody, ErrorCode};
use crate::{Counter, CounterId, CounterState, State, Ticket, TicketId, TicketState};

/// Why a command was refused: a code and a sentence.
pub type Rejection = ErrorBody;

pub(super) const MAX_REFERENCE_CHARS: usize = 64;
pub(super) const MAX_NOTE_CHARS: usize = 200;
pub(super) const MAX_PROFILE_WEIGHT: f64 = 100.0;

pub(super) fn reject<T>(code: ErrorCode, message: impl Into<String>) -> Result<T, Rejection> {
    Err(ErrorBody::new(code, message))
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

pub(super) fn counter_of(state: &State, id: CounterId) -> Result<&Counter, Rejection> {
    state.counters.get(&id).ok_or_else(|| {
        ErrorBody::new(
            ErrorCode::UnknownCounter,
            format!("there is no counter {id}"),
        )
    })
}

pub(super) fn ticket_of(state: &State, id: TicketId) -> Result<&Ticket, Rejection> {
    state.tickets.get(&id).ok_or_else(|| {
        if state.closed_today.contains_key(&id) {
            ErrorBody::new(
                ErrorCode::TicketClosed,
                format!("ticket {id} is already finished"),
            )
        } else {
            ErrorBody::new(
                ErrorCode::UnknownTicket,
                format!("there is no open ticket {id}"),
            )
        }
    })
}

/// The counter, if the actor opened it.
pub(super) fn owned<'a>(
    state: &'a State,
    actor: &Actor,
    id: CounterId,
) -> Result<&'a Counter, Rejection> {
    let c = counter_of(state, id)?;
    if c.state == CounterState::Closed {
        return reject(
            ErrorCode::CounterClosed,
            format!("counter {id} is closed; open it first"),
        );
    }
    if c.clerk.as_deref() != Some(actor.name.as_str()) {
        return reject(
            ErrorCode::CounterNotYours,
            format!("counter {id} was opened by someone else"),
        );
    }
    Ok(c)
}

pub(super) fn ready_to_call(state: &State, actor: &Actor, id: CounterId) -> Result<(), Rejection> {
    let c = owned(state, actor, id)?;
    match c.state {
        CounterState::Idle => Ok(()),
        CounterState::Paused => reject(
            ErrorCode::CounterBusy,
            format!("counter {id} is paused; resume it first"),
        ),
        _ => reject(
            ErrorCode::CounterBusy,
            format!("counter {id} already has a ticket; finish it or mark a no-show"),
        ),
    }
}

/// The ticket at an owned counter in one of the allowed states.
pub(super) fn held(
    state: &State,
    actor: &Actor,
    id: CounterId,
    allowed: &[CounterState],
    what: &str,
) -> Result<TicketId, Rejection> {
    let c = owned(state, actor, id)?;
    match c.ticket {
        Some(t) if allowed.contains(&c.state) => Ok(t),
        _ => reject(
            ErrorCode::WrongTicketState,
            format!("counter {id} has no ticket to {what}"),
        ),
    }
}

pub(super) fn parked_at(state: &State, counter: CounterId) -> Option<&Ticket> {
    state
        .tickets
        .values()
        .find(|t| t.state == TicketState::Parked && t.counter == Some(counter))
}

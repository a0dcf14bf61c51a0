//! Counter commands: opening, closing and pausing a counter, and what a clerk does with the
//! ticket at it (call, recall, no-show, serve, finish, park, return).

use super::actor::Actor;
use super::lookup::{
    MAX_NOTE_CHARS, MAX_REFERENCE_CHARS, Rejection, counter_of, held, owned, parked_at,
    ready_to_call, reject, ticket_of, truncate,
};
use crate::error::ErrorCode;
use crate::role::Role;
use crate::state::next_for_counter;
use crate::{CounterId, CounterState, Event, Outcome, State, TicketId, TicketState, Timestamp};

pub(super) fn open(
    state: &State,
    actor: &Actor,
    counter: CounterId,
) -> Result<Vec<Event>, Rejection> {
    let c = counter_of(state, counter)?;
    match (&c.state, &c.clerk) {
        (CounterState::Closed, _) => {}
        (_, Some(clerk)) if *clerk == actor.name => return Ok(vec![]),
        (_, clerk) => {
            return reject(
                ErrorCode::CounterBusy,
                format!(
                    "counter {counter} is already open by {}",
                    clerk.as_deref().unwrap_or("someone")
                ),
            );
        }
    }
    if let Some(other) = state
        .counters
        .values()
        .find(|k| k.clerk.as_deref() == Some(&actor.name))
    {
        return reject(
            ErrorCode::ClerkHasCounter,
            format!(
                "{} already has counter {} open; close it first",
                actor.name, other.id
            ),
        );
    }
    Ok(vec![Event::CounterOpened {
        counter,
        clerk: actor.name.clone(),
    }])
}

pub(super) fn close(
    state: &State,
    actor: &Actor,
    counter: CounterId,
) -> Result<Vec<Event>, Rejection> {
    let c = counter_of(state, counter)?;
    if c.state == CounterState::Closed {
        return Ok(vec![]);
    }
    if actor.role != Role::Manager {
        owned(state, actor, counter)?;
    }
    if c.ticket.is_some() {
        return reject(
            ErrorCode::CounterBusy,
            format!("counter {counter} still has a ticket; finish it first"),
        );
    }
    if let Some(t) = parked_at(state, counter) {
        return reject(
            ErrorCode::CounterHasParked,
            format!(
                "ticket {} is parked at counter {counter}; return or cancel it first",
                t.label
            ),
        );
    }
    Ok(vec![Event::CounterClosed { counter }])
}

pub(super) fn pause(
    state: &State,
    actor: &Actor,
    counter: CounterId,
) -> Result<Vec<Event>, Rejection> {
    let c = owned(state, actor, counter)?;
    match c.state {
        CounterState::Paused => Ok(vec![]),
        CounterState::Idle => Ok(vec![Event::CounterPaused { counter }]),
        _ => reject(
            ErrorCode::CounterBusy,
            format!("counter {counter} has a ticket; finish it before pausing"),
        ),
    }
}

pub(super) fn resume(
    state: &State,
    actor: &Actor,
    counter: CounterId,
) -> Result<Vec<Event>, Rejection> {
    let c = owned(state, actor, counter)?;
    match c.state {
        CounterState::Paused => Ok(vec![Event::CounterResumed { counter }]),
        _ => Ok(vec![]),
    }
}

pub(super) fn call_next(
    state: &State,
    actor: &Actor,
    counter: CounterId,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    ready_to_call(state, actor, counter)?;
    match next_for_counter(state, counter, now) {
        Some(ticket) => Ok(vec![Event::TicketCalled {
            ticket,
            counter,
            out_of_order_reason: None,
        }]),
        None => reject(
            ErrorCode::QueueEmpty,
            format!("no ticket is waiting for counter {counter}"),
        ),
    }
}

pub(super) fn call_ticket(
    state: &State,
    actor: &Actor,
    counter: CounterId,
    ticket: TicketId,
    reason: &str,
) -> Result<Vec<Event>, Rejection> {
    ready_to_call(state, actor, counter)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return reject(
            ErrorCode::ReasonRequired,
            "calling out of order needs a reason",
        );
    }
    let t = ticket_of(state, ticket)?;
    if t.state != TicketState::Waiting {
        return reject(
            ErrorCode::WrongTicketState,
            format!("ticket {} is not waiting", t.label),
        );
    }
    if let Some(other) = t.assigned_counter.filter(|c| *c != counter) {
        return reject(
            ErrorCode::WrongTicketState,
            format!("ticket {} was transferred to counter {other}", t.label),
        );
    }
    Ok(vec![Event::TicketCalled {
        ticket,
        counter,
        out_of_order_reason: Some(truncate(reason, MAX_NOTE_CHARS)),
    }])
}

pub(super) fn recall(
    state: &State,
    actor: &Actor,
    counter: CounterId,
) -> Result<Vec<Event>, Rejection> {
    let ticket = held(state, actor, counter, &[CounterState::Calling], "recall")?;
    Ok(vec![Event::TicketRecalled { ticket, counter }])
}

pub(super) fn no_show(
    state: &State,
    actor: &Actor,
    counter: CounterId,
) -> Result<Vec<Event>, Rejection> {
    let ticket = held(
        state,
        actor,
        counter,
        &[CounterState::Calling],
        "mark as no-show",
    )?;
    Ok(vec![Event::TicketNoShow { ticket, counter }])
}

pub(super) fn start_serving(
    state: &State,
    actor: &Actor,
    counter: CounterId,
) -> Result<Vec<Event>, Rejection> {
    let ticket = held(
        state,
        actor,
        counter,
        &[CounterState::Calling],
        "start serving",
    )?;
    Ok(vec![Event::ServiceStarted { ticket, counter }])
}

/// Any outcome but `request_submitted` (`request::submit`).
pub(super) fn finish(
    state: &State,
    actor: &Actor,
    counter: CounterId,
    outcome: Outcome,
    reference: Option<&str>,
) -> Result<Vec<Event>, Rejection> {
    let ticket = held(
        state,
        actor,
        counter,
        &[CounterState::Calling, CounterState::Serving],
        "finish",
    )?;
    let reference = reference
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| truncate(r, MAX_REFERENCE_CHARS));
    Ok(vec![Event::TicketFinished {
        ticket,
        counter,
        outcome,
        reference,
    }])
}

pub(super) fn park(
    state: &State,
    actor: &Actor,
    counter: CounterId,
    note: &str,
) -> Result<Vec<Event>, Rejection> {
    let ticket = held(
        state,
        actor,
        counter,
        &[CounterState::Calling, CounterState::Serving],
        "park",
    )?;
    Ok(vec![Event::TicketParked {
        ticket,
        counter,
        note: truncate(note.trim(), MAX_NOTE_CHARS),
    }])
}

pub(super) fn return_parked(
    state: &State,
    actor: &Actor,
    counter: CounterId,
    ticket: TicketId,
) -> Result<Vec<Event>, Rejection> {
    ready_to_call(state, actor, counter)?;
    let t = ticket_of(state, ticket)?;
    if t.state != TicketState::Parked || t.counter != Some(counter) {
        return reject(
            ErrorCode::WrongTicketState,
            format!("ticket {} is not parked at counter {counter}", t.label),
        );
    }
    Ok(vec![Event::TicketReturned { ticket, counter }])
}

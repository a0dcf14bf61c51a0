//! Ticket commands: issuing (with the kiosk's idempotency key: a retry gets the ticket it
//! got, the same key for another service or priority `key_conflict`), cancelling by staff or by the
//! citizen from the page, and transfers to another service or counter.

use super::actor::Actor;
use super::lookup::{Rejection, counter_of, held, reject, ticket_of};
use crate::command::{Position, TransferTarget};
use crate::error::{ErrorBody, ErrorCode};
use crate::role::Role;
use crate::state::idempotency_slot;
use crate::{
    CancelReason, CounterId, CounterState, Event, Priority, State, Ticket, TicketId, TicketState,
    Timestamp, clock,
};

/// Staff cancel a waiting or parked ticket.
pub(super) fn cancel_ticket(state: &State, ticket: TicketId) -> Result<Vec<Event>, Rejection> {
    cancel(ticket_of(state, ticket)?)
}

/// The citizen withdraws their ticket from its page, naming it by its token.
pub(super) fn withdraw(state: &State, token: &str) -> Result<Vec<Event>, Rejection> {
    match state
        .ticket_by_token(token)
        .and_then(|id| state.tickets.get(&id))
    {
        Some(t) => cancel(t),
        None if state.ticket_by_token(token).is_some() => {
            reject(ErrorCode::TicketClosed, "this ticket is already finished")
        }
        None => reject(ErrorCode::UnknownTicket, "no ticket has this token today"),
    }
}

fn cancel(t: &Ticket) -> Result<Vec<Event>, Rejection> {
    match t.state {
        TicketState::Waiting | TicketState::Parked => Ok(vec![Event::TicketCancelled {
            ticket: t.id,
            reason: CancelReason::Withdrawn,
        }]),
        _ => reject(
            ErrorCode::WrongTicketState,
            format!(
                "ticket {} is at a counter; the clerk finishes it or marks a no-show",
                t.label
            ),
        ),
    }
}

pub(super) fn issue(
    state: &State,
    actor: &Actor,
    service: &str,
    priority: Priority,
    key: Option<&str>,
    token: &str,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let (Some(catalog), Some(day)) = (&state.catalog, state.day) else {
        return reject(
            ErrorCode::ServiceClosed,
            "the center has not started its day",
        );
    };
    let q = state.services.get(service).ok_or_else(|| {
        ErrorBody::new(
            ErrorCode::UnknownService,
            format!("there is no service {service:?}"),
        )
    })?;
    if let Some(key) = key
        && let Some(first) = state
            .idempotency
            .get(&idempotency_slot(&actor.label(), key))
    {
        // The same key for another request is a client's bug, never a retry: answering with
        // the earlier ticket would hand a citizen a ticket for the wrong service.
        if first.service != service || first.priority != priority {
            return reject(
                ErrorCode::KeyConflict,
                format!(
                    "idempotency key {key:?} was used for a {} ticket of {}; this request asks for {} of {service}",
                    format!("{:?}", first.priority).to_lowercase(),
                    first.service,
                    format!("{priority:?}").to_lowercase()
                ),
            );
        }
        // A retry: the ticket exists already; the caller answers with it.
        return Ok(vec![]);
    }
    let s = &q.service;
    if !s.open {
        return reject(
            ErrorCode::ServiceClosed,
            format!("{} is closed today", s.name.en),
        );
    }
    if !s.hours.contains(clock::local_time(catalog, now)) {
        return reject(
            ErrorCode::OutsideHours,
            format!(
                "{} takes tickets from {} to {}",
                s.name.en,
                s.hours.open.format("%H:%M"),
                s.hours.close.format("%H:%M")
            ),
        );
    }
    if let Some(limit) = s.daily_limit
        && q.issued_today >= limit
    {
        return reject(
            ErrorCode::DailyLimitReached,
            format!("{} has issued its {limit} tickets for today", s.name.en),
        );
    }
    let number = q.last_number + 1;
    let ticket = Ticket {
        id: TicketId(state.next_ticket_id.max(1)),
        service: s.code.clone(),
        number,
        label: format!("{}-{number:03}", s.prefix),
        day,
        priority,
        state: TicketState::Waiting,
        issued_at: now,
        enqueued_at: now,
        front: false,
        assigned_counter: None,
        counter: None,
        first_called_at: None,
        called_at: None,
        serving_at: None,
        recalls: 0,
        transfers: 0,
        token: token.to_string(),
        issuer: actor.label(),
        idempotency_key: key.map(str::to_string),
    };
    Ok(vec![Event::TicketIssued {
        ticket: Box::new(ticket),
    }])
}

pub(super) fn transfer(
    state: &State,
    actor: &Actor,
    counter: Option<CounterId>,
    ticket: Option<TicketId>,
    target: &TransferTarget,
    position: Position,
) -> Result<Vec<Event>, Rejection> {
    let (t, from_counter) = match counter {
        Some(c) => {
            let held = held(
                state,
                actor,
                c,
                &[CounterState::Calling, CounterState::Serving],
                "transfer",
            )?;
            if ticket.is_some_and(|t| t != held) {
                return reject(
                    ErrorCode::WrongTicketState,
                    format!("that ticket is not the one at counter {c}"),
                );
            }
            (ticket_of(state, held)?, Some(c))
        }
        None => {
            if actor.role != Role::Manager {
                return reject(
                    ErrorCode::Forbidden,
                    "name your counter to transfer its ticket",
                );
            }
            let Some(id) = ticket else {
                return reject(ErrorCode::UnknownTicket, "name the ticket to transfer");
            };
            let t = ticket_of(state, id)?;
            if !matches!(t.state, TicketState::Waiting | TicketState::Parked) {
                return reject(
                    ErrorCode::WrongTicketState,
                    format!("ticket {} is at a counter", t.label),
                );
            }
            (t, None)
        }
    };
    let (to_service, to_counter) = match target {
        TransferTarget::Service { service } => {
            if !state.services.contains_key(service) {
                return reject(
                    ErrorCode::UnknownService,
                    format!("there is no service {service:?}"),
                );
            }
            (service.clone(), None)
        }
        TransferTarget::Counter { counter: to } => {
            let k = counter_of(state, *to)?;
            if k.state == CounterState::Closed {
                return reject(ErrorCode::CounterClosed, format!("counter {to} is closed"));
            }
            (t.service.clone(), Some(*to))
        }
    };
    Ok(vec![Event::TicketTransferred {
        ticket: t.id,
        from_counter,
        to_service,
        to_counter,
        front: position == Position::Front,
    }])
}

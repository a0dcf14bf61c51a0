//! The manager's and the system's commands: the catalog, the day, a service's availability,
//! a counter's profile, the boards' message line, and the kiosks' printer reports.

use super::actor::Actor;
use super::lookup::{MAX_NOTE_CHARS, MAX_PROFILE_WEIGHT, Rejection, counter_of, reject, truncate};
use crate::error::{ErrorBody, ErrorCode};
use crate::role::Role;
use crate::{
    CancelReason, Catalog, CounterId, CounterState, Event, PrinterStatus, ProfileEntry,
    ServiceCode, State, TicketState,
};
use chrono::NaiveDate;

pub(super) fn set_service_open(
    state: &State,
    service: &ServiceCode,
    open: bool,
) -> Result<Vec<Event>, Rejection> {
    let q = state.services.get(service).ok_or_else(|| {
        ErrorBody::new(ErrorCode::UnknownService, format!("no service {service:?}"))
    })?;
    if q.service.open == open {
        return Ok(vec![]);
    }
    Ok(vec![Event::ServiceAvailabilitySet {
        service: service.clone(),
        open,
    }])
}

pub(super) fn set_counter_profile(
    state: &State,
    counter: CounterId,
    profile: &[ProfileEntry],
) -> Result<Vec<Event>, Rejection> {
    counter_of(state, counter)?;
    validate_profile(state, profile)?;
    Ok(vec![Event::CounterProfileSet {
        counter,
        profile: profile.to_vec(),
    }])
}

pub(super) fn set_message(text: &str) -> Result<Vec<Event>, Rejection> {
    let text = text.trim();
    if text.chars().count() > crate::MAX_MESSAGE_CHARS {
        return reject(
            ErrorCode::MessageTooLong,
            format!(
                "the message line holds at most {} characters",
                crate::MAX_MESSAGE_CHARS
            ),
        );
    }
    Ok(vec![Event::MessageSet {
        text: text.to_string(),
    }])
}

/// Only a device reports its own printer (by its name). Unchanged statuses write nothing, so a
/// kiosk may report after every receipt; a printer never seen before that is ready is not news.
pub(super) fn report_printer(
    state: &State,
    actor: &Actor,
    status: PrinterStatus,
    detail: &str,
) -> Result<Vec<Event>, Rejection> {
    if actor.role != Role::Kiosk {
        return reject(ErrorCode::Forbidden, "only a kiosk reports its printer");
    }
    let last = state.printers.get(&actor.name).map(|p| p.status);
    if last == Some(status) || (last.is_none() && status == PrinterStatus::Ready) {
        return Ok(vec![]);
    }
    Ok(vec![Event::PrinterStatusChanged {
        device: actor.name.clone(),
        status,
        detail: truncate(detail.trim(), MAX_NOTE_CHARS),
    }])
}

fn validate_profile(state: &State, profile: &[ProfileEntry]) -> Result<(), Rejection> {
    if profile.is_empty() {
        return reject(
            ErrorCode::InvalidProfile,
            "a counter needs at least one service",
        );
    }
    for (i, p) in profile.iter().enumerate() {
        if !state.services.contains_key(&p.service) {
            return reject(
                ErrorCode::InvalidProfile,
                format!("there is no service {:?}", p.service),
            );
        }
        if !(p.weight.is_finite() && p.weight > 0.0 && p.weight <= MAX_PROFILE_WEIGHT) {
            return reject(
                ErrorCode::InvalidProfile,
                format!(
                    "weight of {} must be above 0 and at most {MAX_PROFILE_WEIGHT}",
                    p.service
                ),
            );
        }
        if profile[..i].iter().any(|q| q.service == p.service) {
            return reject(
                ErrorCode::InvalidProfile,
                format!("{} appears twice", p.service),
            );
        }
    }
    Ok(())
}

pub(super) fn start_day(state: &State, day: NaiveDate) -> Vec<Event> {
    if state.day == Some(day) {
        return vec![];
    }
    let mut events: Vec<Event> = state
        .tickets
        .keys()
        .map(|&ticket| Event::TicketCancelled {
            ticket,
            reason: CancelReason::DayEnded,
        })
        .collect();
    events.push(Event::DayStarted { day });
    events
}

pub(super) fn load_catalog(state: &State, catalog: &Catalog) -> Vec<Event> {
    if state.catalog.as_deref() == Some(catalog) {
        return vec![];
    }
    let mut events = Vec::new();
    let keeps_service = |s: &str| catalog.services.iter().any(|x| x.code == s);
    let keeps_counter = |c: CounterId| catalog.counters.iter().any(|x| x.id == c);
    for t in state.tickets.values() {
        if !keeps_service(&t.service) {
            events.push(Event::TicketCancelled {
                ticket: t.id,
                reason: CancelReason::ServiceRemoved,
            });
        } else if let Some(c) = t
            .counter
            .or(t.assigned_counter)
            .filter(|c| !keeps_counter(*c))
        {
            // Its counter is leaving: back to the front of its own queue.
            let from = (t.counter == Some(c) && t.state != TicketState::Parked).then_some(c);
            events.push(Event::TicketTransferred {
                ticket: t.id,
                from_counter: from,
                to_service: t.service.clone(),
                to_counter: None,
                front: true,
            });
        }
    }
    for c in state.counters.values() {
        if !keeps_counter(c.id) && c.state != CounterState::Closed {
            events.push(Event::CounterClosed { counter: c.id });
        }
    }
    events.push(Event::CatalogLoaded {
        catalog: Box::new(catalog.clone()),
    });
    events
}

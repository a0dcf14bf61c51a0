//! `apply`: the one way an event changes the state, the same on the server and every client.

use super::hall::{
    ClosedTicket, KeyedIssue, REQUEST_KEEP_DAYS, ServiceQueue, State, idempotency_slot,
};
use crate::event::{Envelope, Event};
use crate::model::*;
use crate::request::{RequestChange, RequestState, ServiceRequest};
use std::collections::BTreeMap;

/// Weight of a new observation in the service-time average.
const SERVICE_TIME_ALPHA: f64 = 0.2;

/// Applies one logged event. Never fails: `decide` has already checked it; an event that
/// names something missing (a damaged log) changes nothing.
pub fn apply(state: &mut State, env: &Envelope) {
    let at = env.at;
    match &env.event {
        Event::CatalogLoaded { catalog } => {
            let mut services = BTreeMap::new();
            for s in &catalog.services {
                let q = match state.services.remove(&s.code) {
                    Some(mut q) => {
                        q.service = s.clone();
                        q
                    }
                    None => ServiceQueue {
                        service: s.clone(),
                        last_number: 0,
                        issued_today: 0,
                        avg_service_secs: f64::from(s.expected_minutes.max(1)) * 60.0,
                    },
                };
                services.insert(s.code.clone(), q);
            }
            state.services = services;
            let mut counters = BTreeMap::new();
            for c in &catalog.counters {
                let counter = match state.counters.remove(&c.id) {
                    Some(mut k) => {
                        k.name = c.name.clone();
                        k.profile = c.profile.clone();
                        k
                    }
                    None => Counter {
                        id: c.id,
                        name: c.name.clone(),
                        profile: c.profile.clone(),
                        state: CounterState::Closed,
                        clerk: None,
                        ticket: None,
                    },
                };
                counters.insert(c.id, counter);
            }
            state.counters = counters;
            state.catalog = Some(catalog.clone());
        }
        Event::DayStarted { day } => {
            state.day = Some(*day);
            for q in state.services.values_mut() {
                q.last_number = 0;
                q.issued_today = 0;
            }
            state.closed_today.clear();
            state.idempotency.clear();
            state.tokens.clear();
            // Requests outlive the day; delivered and rejected ones leave the state after
            // `REQUEST_KEEP_DAYS` (the log keeps them).
            let zone = state.catalog.as_deref().map(crate::clock::zone);
            if let Some(zone) = zone {
                state.requests.retain(|_, r| {
                    !r.state.is_final()
                        || (*day - r.updated_at().with_timezone(&zone).date_naive()).num_days()
                            <= REQUEST_KEEP_DAYS
                });
            }
        }
        Event::TicketIssued { ticket } => {
            if let Some(q) = state.services.get_mut(&ticket.service) {
                q.last_number = q.last_number.max(ticket.number);
                q.issued_today += 1;
            }
            state.next_ticket_id = state.next_ticket_id.max(ticket.id.0 + 1);
            if let Some(key) = &ticket_key(ticket) {
                let issued = KeyedIssue {
                    ticket: ticket.id,
                    service: ticket.service.clone(),
                    priority: ticket.priority,
                };
                state.idempotency.insert(key.clone(), issued);
            }
            if !ticket.token.is_empty() {
                state.tokens.insert(ticket.token.clone(), ticket.id);
            }
            state.tickets.insert((**ticket).clone());
        }
        Event::TicketCalled {
            ticket, counter, ..
        } => {
            state.tickets.update(ticket, |t| {
                t.state = TicketState::Called;
                t.counter = Some(*counter);
                t.called_at = Some(at);
                t.first_called_at.get_or_insert(at);
                t.front = false;
                t.assigned_counter = None;
            });
            set_counter(state, *counter, CounterState::Calling, Some(*ticket));
        }
        Event::TicketRecalled { ticket, .. } => {
            state.tickets.update(ticket, |t| {
                t.recalls += 1;
            });
        }
        Event::ServiceStarted { ticket, counter } => {
            state.tickets.update(ticket, |t| {
                t.state = TicketState::Serving;
                t.serving_at = Some(at);
            });
            set_counter(state, *counter, CounterState::Serving, Some(*ticket));
        }
        Event::TicketFinished {
            ticket,
            counter,
            reference,
            outcome,
        } => {
            if let Some(t) = state.tickets.get(ticket)
                && let (Some(called), Some(q)) = (t.called_at, state.services.get_mut(&t.service))
            {
                let secs = (at - called).num_milliseconds().max(0) as f64 / 1000.0;
                q.avg_service_secs += SERVICE_TIME_ALPHA * (secs - q.avg_service_secs);
            }
            close_ticket(state, *ticket, TicketState::Done, at, reference.clone());
            if *outcome == Outcome::RequestSubmitted
                && let Some(t) = state.closed_today.get_mut(ticket)
            {
                t.request = true;
            }
            set_counter(state, *counter, CounterState::Idle, None);
        }
        Event::TicketNoShow { ticket, counter } => {
            close_ticket(state, *ticket, TicketState::NoShow, at, None);
            set_counter(state, *counter, CounterState::Idle, None);
        }
        Event::TicketCancelled { ticket, .. } => {
            let held_by = state.tickets.get(ticket).and_then(|t| t.counter);
            close_ticket(state, *ticket, TicketState::Cancelled, at, None);
            if let Some(c) = held_by
                && state.counters.get(&c).and_then(|k| k.ticket) == Some(*ticket)
            {
                set_counter(state, c, CounterState::Idle, None);
            }
        }
        Event::TicketTransferred {
            ticket,
            from_counter,
            to_service,
            to_counter,
            front,
        } => {
            state.tickets.update(ticket, |t| {
                t.state = TicketState::Waiting;
                t.service = to_service.clone();
                t.assigned_counter = *to_counter;
                t.front = *front;
                t.enqueued_at = at;
                t.counter = None;
                t.called_at = None;
                t.serving_at = None;
                t.transfers += 1;
            });
            if let Some(c) = from_counter {
                set_counter(state, *c, CounterState::Idle, None);
            }
        }
        Event::TicketParked {
            ticket, counter, ..
        } => {
            state.tickets.update(ticket, |t| {
                t.state = TicketState::Parked;
                t.counter = Some(*counter);
            });
            set_counter(state, *counter, CounterState::Idle, None);
        }
        Event::TicketReturned { ticket, counter } => {
            state.tickets.update(ticket, |t| {
                t.state = TicketState::Called;
                t.counter = Some(*counter);
                t.called_at = Some(at);
            });
            set_counter(state, *counter, CounterState::Calling, Some(*ticket));
        }
        Event::CounterOpened { counter, clerk } => {
            if let Some(c) = state.counters.get_mut(counter) {
                c.state = CounterState::Idle;
                c.clerk = Some(clerk.clone());
                c.ticket = None;
            }
        }
        Event::CounterClosed { counter } => {
            if let Some(c) = state.counters.get_mut(counter) {
                c.state = CounterState::Closed;
                c.clerk = None;
                c.ticket = None;
            }
            // Tickets transferred to this counter go back to their service's queue at their
            // place (their time in the queue and a front placement kept): no other counter
            // could call them while they were reserved here (ARCHITECTURE.md, "Closing a
            // counter").
            state.tickets.update_special(|t| {
                if t.state == TicketState::Waiting && t.assigned_counter == Some(*counter) {
                    t.assigned_counter = None;
                }
            });
        }
        Event::CounterPaused { counter } => {
            set_counter_state(state, *counter, CounterState::Paused);
        }
        Event::CounterResumed { counter } => {
            set_counter_state(state, *counter, CounterState::Idle);
        }
        Event::ServiceAvailabilitySet { service, open } => {
            if let Some(q) = state.services.get_mut(service) {
                q.service.open = *open;
            }
        }
        Event::CounterProfileSet { counter, profile } => {
            if let Some(c) = state.counters.get_mut(counter) {
                c.profile = profile.clone();
            }
        }
        Event::MessageSet { text } => state.message = text.clone(),
        Event::PrinterStatusChanged {
            device,
            status,
            detail,
        } => {
            state.printers.insert(
                device.clone(),
                PrinterReport {
                    device: device.clone(),
                    status: *status,
                    detail: detail.clone(),
                    since: at,
                },
            );
        }
        Event::RequestCreated {
            reference,
            ticket,
            service,
            counter,
            expected_ready,
            suffixes,
        } => {
            if state.keeps_closed {
                let label = state
                    .closed_today
                    .get(ticket)
                    .map(|t| t.label.clone())
                    .unwrap_or_default();
                if let Some(year) = reference_year(reference) {
                    let n = reference_number(reference).unwrap_or(0);
                    let last = state.request_numbers.entry(year).or_insert(0);
                    *last = (*last).max(n);
                }
                state.requests.insert(
                    reference.clone(),
                    ServiceRequest {
                        reference: reference.clone(),
                        service: service.clone(),
                        ticket: *ticket,
                        ticket_label: label,
                        counter: *counter,
                        created_at: at,
                        created_by: env.actor.clone(),
                        expected_ready: *expected_ready,
                        state: RequestState::Received,
                        history: vec![RequestChange {
                            at,
                            by: env.actor.clone(),
                            state: RequestState::Received,
                            note: String::new(),
                        }],
                        suffixes: suffixes.clone(),
                    },
                );
            }
        }
        Event::RequestStateChanged {
            reference,
            state: next,
            note,
        } => {
            if let Some(r) = state.requests.get_mut(reference) {
                r.state = next.clone();
                r.history.push(RequestChange {
                    at,
                    by: env.actor.clone(),
                    state: next.clone(),
                    note: note.clone(),
                });
            }
        }
        Event::FeedbackGiven { ticket, rating, .. } => {
            if let Some(t) = state.closed_today.get_mut(ticket) {
                t.feedback = Some(*rating);
            }
        }
    }
    state.seq = env.seq;
}

fn ticket_key(ticket: &Ticket) -> Option<String> {
    ticket
        .idempotency_key
        .as_ref()
        .map(|k| idempotency_slot(&ticket.issuer, k))
}

fn set_counter(state: &mut State, id: CounterId, cs: CounterState, ticket: Option<TicketId>) {
    if let Some(c) = state.counters.get_mut(&id) {
        c.state = cs;
        c.ticket = ticket;
    }
}

fn set_counter_state(state: &mut State, id: CounterId, cs: CounterState) {
    if let Some(c) = state.counters.get_mut(&id) {
        c.state = cs;
    }
}

fn close_ticket(
    state: &mut State,
    id: TicketId,
    final_state: TicketState,
    at: Timestamp,
    reference: Option<String>,
) {
    if let Some(t) = state.tickets.remove(&id)
        && state.keeps_closed
    {
        state.closed_today.insert(
            id,
            ClosedTicket {
                id,
                label: t.label,
                service: t.service,
                state: final_state,
                counter: t.counter,
                issued_at: t.issued_at,
                closed_at: at,
                token: t.token,
                reference,
                request: false,
                feedback: None,
            },
        );
    }
}

/// The year of a reference `HEL-26-004821` (2026), for the per-year numbering.
fn reference_year(reference: &str) -> Option<i32> {
    let yy: i32 = reference.split('-').nth(1)?.parse().ok()?;
    Some(2000 + yy)
}

fn reference_number(reference: &str) -> Option<u32> {
    reference.rsplit('-').next()?.parse().ok()
}

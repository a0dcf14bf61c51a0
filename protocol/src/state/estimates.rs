//! Estimates (ARCHITECTURE.md, "Estimates"): a service's capacity, people ahead of a ticket,
//! its estimated wait, a service's load as a kiosk shows it, and the citizen's ticket page.

use super::hall::State;
use super::routing::{Rank, called_before, eligible_weight, rank};
use crate::model::*;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How much counter time a service gets: for each staffed counter serving it, the service's
/// share of that counter's profile weights.
pub fn service_capacity(state: &State, service: &str) -> f64 {
    state
        .counters
        .values()
        .filter(|c| c.is_staffed())
        .filter_map(|c| {
            let w = c.weight_of(service)?;
            let total: f64 = c.profile.iter().map(|p| p.weight).sum();
            (total > 0.0).then(|| w / total)
        })
        .sum()
}

fn estimate_secs(state: &State, service: &str, ahead: usize) -> Option<u64> {
    let capacity = service_capacity(state, service);
    if capacity <= 0.0 {
        return None;
    }
    let avg = state.services.get(service).map(|q| q.avg_service_secs)?;
    // An idle counter for the service takes the head of the queue at once; otherwise the
    // head waits, on average, half a service for the first counter to free up.
    let any_idle = state
        .counters
        .values()
        .any(|c| c.state == CounterState::Idle && c.weight_of(service).is_some());
    let head = if any_idle { 0.0 } else { 0.5 };
    Some(((ahead as f64 + head) * avg / capacity).round() as u64)
}

/// Where each waiting ticket of a service stands: (ticket, people ahead, estimated wait).
pub fn service_positions(
    state: &State,
    service: &str,
    now: Timestamp,
) -> Vec<(TicketId, usize, Option<u64>)> {
    let (weights, routing) = (state.priority_weights(), state.routing());
    let mut ranks: Vec<Rank> = state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting && t.service == service)
        .map(|t| rank(t, 1.0, &weights, &routing, now))
        .collect();
    ranks.sort_by(called_before);
    ranks
        .iter()
        .enumerate()
        .map(|(ahead, r)| (r.id, ahead, estimate_secs(state, service, ahead)))
        .collect()
}

/// How many tickets will be called before a waiting one: for a ticket reserved for a counter,
/// that counter's candidates ranked before it; otherwise the waiting tickets of its service
/// ranked before it. One pass, no sorting. None if the ticket is not waiting.
pub fn people_ahead(state: &State, t: &Ticket, now: Timestamp) -> Option<usize> {
    if t.state != TicketState::Waiting {
        return None;
    }
    let (weights, routing) = (state.priority_weights(), state.routing());
    let ahead = match t.assigned_counter.and_then(|c| state.counters.get(&c)) {
        Some(counter) => {
            let mine = rank(
                t,
                eligible_weight(counter, t).unwrap_or(1.0),
                &weights,
                &routing,
                now,
            );
            state
                .tickets
                .values()
                .filter(|x| x.id != t.id)
                .filter_map(|x| {
                    eligible_weight(counter, x).map(|w| rank(x, w, &weights, &routing, now))
                })
                .filter(|r| called_before(r, &mine) == Ordering::Less)
                .count()
        }
        None => {
            let mine = rank(t, 1.0, &weights, &routing, now);
            state
                .tickets
                .values()
                .filter(|x| {
                    x.id != t.id && x.state == TicketState::Waiting && x.service == t.service
                })
                .map(|x| rank(x, 1.0, &weights, &routing, now))
                .filter(|r| called_before(r, &mine) == Ordering::Less)
                .count()
        }
    };
    Some(ahead)
}

/// What the kiosk shows on a service card and the manager on the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceLoad {
    pub service: ServiceCode,
    pub waiting: u32,
    /// Seconds the longest-waiting ticket has waited.
    pub longest_wait_secs: u64,
    /// Estimated wait of a ticket taken now; none when no counter serves the service.
    pub estimated_wait_secs: Option<u64>,
    pub counters_serving: u32,
}

pub fn service_load(state: &State, service: &str, now: Timestamp) -> ServiceLoad {
    let waiting: Vec<&Ticket> = state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting && t.service == service)
        .collect();
    ServiceLoad {
        service: service.to_string(),
        waiting: waiting.len() as u32,
        longest_wait_secs: waiting
            .iter()
            .map(|t| (now - t.issued_at).num_seconds().max(0) as u64)
            .max()
            .unwrap_or(0),
        estimated_wait_secs: estimate_secs(state, service, waiting.len()),
        counters_serving: state
            .counters
            .values()
            .filter(|c| c.is_staffed() && c.weight_of(service).is_some())
            .count() as u32,
    }
}

/// What a citizen's ticket page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub label: String,
    pub service: ServiceCode,
    pub service_name: Names,
    pub state: TicketState,
    /// People ahead while waiting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_ahead: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<CounterId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_name: Option<Names>,
    pub issued_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub center_name: Names,
}

/// The page view of one ticket, open or closed today.
pub fn ticket_view(state: &State, id: TicketId, now: Timestamp) -> Option<TicketView> {
    let service_name = |code: &str| {
        state
            .services
            .get(code)
            .map(|q| q.service.name.clone())
            .unwrap_or_default()
    };
    let counter_name = |c: Option<CounterId>| {
        c.and_then(|c| state.counters.get(&c))
            .map(|c| c.name.clone())
    };
    if let Some(t) = state.tickets.get(&id) {
        let (ahead, estimate) = match people_ahead(state, t, now) {
            Some(ahead) => (Some(ahead as u32), estimate_secs(state, &t.service, ahead)),
            None => (None, None),
        };
        return Some(TicketView {
            label: t.label.clone(),
            service: t.service.clone(),
            service_name: service_name(&t.service),
            state: t.state,
            people_ahead: ahead,
            estimated_wait_secs: estimate,
            counter: t.counter.or(t.assigned_counter),
            counter_name: counter_name(t.counter.or(t.assigned_counter)),
            issued_at: t.issued_at,
            reference: None,
            center_name: state.center_name(),
        });
    }
    let t = state.closed_today.get(&id)?;
    Some(TicketView {
        label: t.label.clone(),
        service: t.service.clone(),
        service_name: service_name(&t.service),
        state: t.state,
        people_ahead: None,
        estimated_wait_secs: None,
        counter: t.counter,
        counter_name: counter_name(t.counter),
        issued_at: t.issued_at,
        reference: t.reference.clone(),
        center_name: state.center_name(),
    })
}

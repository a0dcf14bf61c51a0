//! The routing order (ARCHITECTURE.md, "The routing rule"): which waiting ticket a counter
//! calls next, and a counter's whole waiting list in that order.

use super::hall::State;
use crate::model::*;
use std::cmp::Ordering;

/// Where a waiting ticket stands in a counter's (or its service's) queue at an instant.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rank {
    pub(crate) front: bool,
    pub(crate) overdue: bool,
    pub(crate) score: f64,
    pub(crate) enqueued_at: Timestamp,
    pub(crate) id: TicketId,
}

pub(crate) fn rank(
    t: &Ticket,
    service_weight: f64,
    weights: &PriorityWeights,
    routing: &Routing,
    now: Timestamp,
) -> Rank {
    let waited = (now - t.enqueued_at).num_milliseconds().max(0) as f64 / 1000.0;
    let limit = f64::from(routing.starvation_limit_minutes) * 60.0;
    Rank {
        front: t.front,
        overdue: waited >= limit,
        score: (waited + f64::from(routing.head_start_seconds))
            * weights.of(t.priority)
            * service_weight,
        enqueued_at: t.enqueued_at,
        id: t.id,
    }
}

/// The routing rule (see ARCHITECTURE.md): front-placed transfers first, oldest first; then
/// overdue tickets, oldest first; then the highest weighted wait; ties to the oldest.
pub(crate) fn called_before(a: &Rank, b: &Rank) -> Ordering {
    b.front
        .cmp(&a.front)
        .then_with(|| {
            if a.front || (a.overdue && b.overdue) {
                Ordering::Equal
            } else {
                b.overdue.cmp(&a.overdue)
            }
        })
        .then_with(|| {
            if a.front || a.overdue {
                Ordering::Equal
            } else {
                b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal)
            }
        })
        .then_with(|| a.enqueued_at.cmp(&b.enqueued_at))
        .then_with(|| a.id.cmp(&b.id))
}

/// Whether a counter may call a waiting ticket, and with what service weight.
pub(crate) fn eligible_weight(counter: &Counter, t: &Ticket) -> Option<f64> {
    if t.state != TicketState::Waiting {
        return None;
    }
    match t.assigned_counter {
        Some(c) if c == counter.id => Some(counter.weight_of(&t.service).unwrap_or(1.0)),
        Some(_) => None,
        None => counter.weight_of(&t.service),
    }
}

/// The ticket a counter gets when it calls next, by the routing rule.
pub fn next_for_counter(state: &State, counter: CounterId, now: Timestamp) -> Option<TicketId> {
    let counter = state.counters.get(&counter)?;
    let (weights, routing) = (state.priority_weights(), state.routing());
    state
        .tickets
        .values()
        .filter_map(|t| eligible_weight(counter, t).map(|w| rank(t, w, &weights, &routing, now)))
        .min_by(called_before)
        .map(|r| r.id)
}

/// The waiting tickets of a counter, in the order it would call them.
pub fn counter_queue(state: &State, counter: CounterId, now: Timestamp) -> Vec<TicketId> {
    let Some(counter) = state.counters.get(&counter) else {
        return Vec::new();
    };
    let (weights, routing) = (state.priority_weights(), state.routing());
    let mut ranks: Vec<Rank> = state
        .tickets
        .values()
        .filter_map(|t| eligible_weight(counter, t).map(|w| rank(t, w, &weights, &routing, now)))
        .collect();
    ranks.sort_by(called_before);
    ranks.into_iter().map(|r| r.id).collect()
}

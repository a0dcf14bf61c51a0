//! The routing order (ARCHITECTURE.md, "The routing rule"): which waiting ticket a counter
//! calls next, and a counter's whole waiting list in that order.

use super::hall::State;
/// The rule of a routing class, kept with the index (`tickets.rs`).
pub use super::tickets::in_class;
use crate::model::*;
use std::cmp::Ordering;

/// Where a waiting ticket stands in a counter's (or its service's) queue at an instant.
#[derive(Clone, Copy, Debug)]
pub struct Rank {
    pub front: bool,
    pub overdue: bool,
    pub score: f64,
    pub enqueued_at: Timestamp,
    pub id: TicketId,
}

pub fn rank(
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
pub fn called_before(a: &Rank, b: &Rank) -> Ordering {
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
pub fn eligible_weight(counter: &Counter, t: &Ticket) -> Option<f64> {
    if t.state != TicketState::Waiting {
        return None;
    }
    match t.assigned_counter {
        Some(c) if c == counter.id => Some(counter.weight_of(&t.service).unwrap_or(1.0)),
        Some(_) => None,
        None => counter.weight_of(&t.service),
    }
}

/// Each group of tickets a counter may call, in its own order (`tickets.rs`): a class of a
/// service it serves (first ticket first), or one front-placed or reserved ticket.
fn groups<'a>(
    state: &'a State,
    counter: &'a Counter,
) -> impl Iterator<Item = (f64, Box<dyn Iterator<Item = &'a Ticket> + 'a>)> + 'a {
    let tickets = &state.tickets;
    let classes = tickets.classes().filter_map(move |((service, _), set)| {
        let w = counter.weight_of(service)?;
        let it: Box<dyn Iterator<Item = &'a Ticket> + 'a> =
            Box::new(set.iter().filter_map(move |(_, id)| tickets.get(id)));
        Some((w, it))
    });
    let special = tickets.special().filter_map(move |t| {
        let w = eligible_weight(counter, t)?;
        let it: Box<dyn Iterator<Item = &'a Ticket> + 'a> = Box::new(std::iter::once(t));
        Some((w, it))
    });
    classes.chain(special)
}

/// The ticket a counter gets when it calls next, by the routing rule: the first of the
/// first tickets of its groups.
pub fn next_for_counter(state: &State, counter: CounterId, now: Timestamp) -> Option<TicketId> {
    counter_queue_head(state, counter, now, 1).first().copied()
}

/// The first `n` waiting tickets of a counter, in the order it would call them: the groups
/// merged (each already in order), so the cost grows with `n` and the number of groups, not
/// with the tickets waiting.
pub fn counter_queue_head(
    state: &State,
    counter: CounterId,
    now: Timestamp,
    n: usize,
) -> Vec<TicketId> {
    let Some(counter) = state.counters.get(&counter) else {
        return Vec::new();
    };
    let (weights, routing) = (state.priority_weights(), state.routing());
    let mut heads: Vec<(Rank, f64, Box<dyn Iterator<Item = &Ticket> + '_>)> = Vec::new();
    for (w, mut it) in groups(state, counter) {
        if let Some(t) = it.next() {
            heads.push((rank(t, w, &weights, &routing, now), w, it));
        }
    }
    let mut out = Vec::new();
    while out.len() < n {
        let Some(best) = (0..heads.len()).min_by(|&a, &b| called_before(&heads[a].0, &heads[b].0))
        else {
            break;
        };
        out.push(heads[best].0.id);
        let w = heads[best].1;
        match heads[best].2.next() {
            Some(t) => heads[best].0 = rank(t, w, &weights, &routing, now),
            None => {
                drop(heads.swap_remove(best));
            }
        }
    }
    out
}

/// How many tickets a counter may call now.
pub fn counter_queue_len(state: &State, counter: CounterId) -> usize {
    let Some(counter) = state.counters.get(&counter) else {
        return 0;
    };
    let tickets = &state.tickets;
    tickets
        .classes()
        .filter(|((service, _), _)| counter.weight_of(service).is_some())
        .map(|(_, set)| set.len())
        .sum::<usize>()
        + tickets
            .special()
            .filter(|t| eligible_weight(counter, t).is_some())
            .count()
}

/// The waiting tickets of a counter, in the order it would call them.
pub fn counter_queue(state: &State, counter: CounterId, now: Timestamp) -> Vec<TicketId> {
    counter_queue_head(state, counter, now, usize::MAX)
}

//! The estimate the system showed before the queue model (issue 10), kept here only to be
//! measured beside it: people ahead = waiting tickets of the same service ranked before the
//! ticket; capacity = Σ over staffed counters serving the service of its weight ÷ the
//! counter's total weight; wait = (ahead + ½ unless a serving counter is idle) × the service's
//! moving-average time ÷ capacity.

use hall_core::{CounterState, State, Ticket, TicketState, Timestamp};
use std::cmp::Ordering;

/// The routing order at service weight 1, as the old people-ahead count ranked.
fn before(state: &State, a: &Ticket, b: &Ticket, now: Timestamp) -> bool {
    let (w, r) = (state.priority_weights(), state.routing());
    let key = |t: &Ticket| {
        let waited = (now - t.enqueued_at).num_milliseconds().max(0) as f64 / 1000.0;
        let overdue = waited >= f64::from(r.starvation_limit_minutes) * 60.0;
        let score = (waited + f64::from(r.head_start_seconds)) * w.of(t.priority);
        (t.front, overdue, score)
    };
    let ((fa, oa, sa), (fb, ob, sb)) = (key(a), key(b));
    let order = fb
        .cmp(&fa)
        .then_with(|| {
            if fa || (oa && ob) {
                Ordering::Equal
            } else {
                ob.cmp(&oa)
            }
        })
        .then_with(|| {
            if fa || oa {
                Ordering::Equal
            } else {
                sb.partial_cmp(&sa).unwrap_or(Ordering::Equal)
            }
        })
        .then_with(|| a.enqueued_at.cmp(&b.enqueued_at))
        .then_with(|| a.id.cmp(&b.id));
    order == Ordering::Less
}

/// The old estimate of a waiting ticket, in seconds; none when no staffed counter serves it.
pub fn estimate(state: &State, t: &Ticket, now: Timestamp) -> Option<u64> {
    let capacity: f64 = state
        .counters
        .values()
        .filter(|c| c.is_staffed())
        .filter_map(|c| {
            let w = c.weight_of(&t.service)?;
            let total: f64 = c.profile.iter().map(|p| p.weight).sum();
            (total > 0.0).then(|| w / total)
        })
        .sum();
    if capacity <= 0.0 {
        return None;
    }
    let ahead = state
        .tickets
        .values()
        .filter(|x| x.id != t.id && x.state == TicketState::Waiting && x.service == t.service)
        .filter(|x| before(state, x, t, now))
        .count();
    let avg = state.services.get(&t.service)?.avg_service_secs;
    let idle = state
        .counters
        .values()
        .any(|c| c.state == CounterState::Idle && c.weight_of(&t.service).is_some());
    let head = if idle { 0.0 } else { 0.5 };
    Some(((ahead as f64 + head) * avg / capacity).round() as u64)
}

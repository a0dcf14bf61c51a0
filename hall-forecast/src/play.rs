//! The routing rule played forward (ARCHITECTURE.md, "Estimates"): each staffed counter frees
//! up after its current call's expected remaining time, then takes the candidate that
//! `routing::rank` and `routing::called_before` (the code `call_next` runs) put first at that
//! simulated instant, and is occupied for the learned mean of that service at that counter.
//! Candidates are the waiting tickets, the arrivals the learned rates expect (placed
//! deterministically, so the play is repeatable), and "probes": one ticket per service and
//! priority issued now, which occupy no counter, so they tell the wait of a ticket taken now
//! without delaying anyone. Spreads add up along each counter's path.

use super::learn::{Learned, Occupation};
use chrono::{Datelike, Duration, Timelike};
use hall_core::model::*;
use hall_core::state::State;
use hall_core::state::routing::{Rank, called_before, eligible_weight, in_class, rank};
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

/// How far ahead the play looks; a ticket not called by then gets no estimate.
pub const HORIZON_SECS: f64 = 6.0 * 3600.0;
/// Most expected arrivals placed in one play.
const MAX_ARRIVALS: usize = 4000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A ticket waiting now.
    Waiting,
    /// An expected arrival.
    Arrival,
    /// A ticket of this service and priority issued now, occupying nobody.
    Probe,
}

pub(super) struct Candidate<'a> {
    /// A waiting ticket is borrowed from the state; arrivals and probes are made here.
    pub(super) ticket: Cow<'a, Ticket>,
    pub(super) kind: Kind,
    alive: bool,
}

/// When the play called a candidate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Called {
    /// Seconds after `now`.
    pub(super) at: f64,
    /// Variance of that instant, seconds².
    pub(super) var: f64,
    /// Index of the simulated counter.
    pub(super) counter: usize,
    /// Place in the order of calls.
    pub(super) order: usize,
}

pub(super) struct SimCounter {
    pub(super) counter: Counter,
    free_at: f64,
    var: f64,
    active: bool,
    /// The usual break still ahead (seconds after now, from and until).
    pause: Option<(f64, f64)>,
    /// Orders of the calls of waiting tickets made here, increasing.
    pub(super) waiting_calls: Vec<usize>,
}

/// The play's input beyond the state.
pub struct PlayOptions {
    /// Closed or paused counters treated as opened (idle) now: the advisor's "what if".
    pub extra_counters: Vec<CounterId>,
    /// Place expected arrivals.
    pub arrivals: bool,
    /// Add a probe per service and priority.
    pub probes: bool,
    /// Stop after this many seconds.
    pub horizon_secs: f64,
}

impl Default for PlayOptions {
    fn default() -> Self {
        PlayOptions {
            extra_counters: Vec::new(),
            arrivals: true,
            probes: true,
            horizon_secs: HORIZON_SECS,
        }
    }
}

pub(super) struct Play<'a> {
    pub(super) candidates: Vec<Candidate<'a>>,
    pub(super) called: Vec<Option<Called>>,
    pub(super) counters: Vec<SimCounter>,
}

/// Standard normal CDF (erfc after Numerical Recipes' `erfcc`, error below 1.2e-7).
fn phi(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let erfc = t
        * (-z * z - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398
                                    + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// Expected remaining occupation (mean, variance) of a call that has lasted `elapsed`
/// seconds, its length log-normal with the given mean and variance.
pub(super) fn residual(occ: Occupation, elapsed: f64) -> (f64, f64) {
    let (m, v) = (occ.mean.max(1.0), occ.var.max(0.0));
    if v <= 1e-9 || elapsed <= 0.0 {
        return ((m - elapsed.max(0.0)).max(0.0), v);
    }
    let s2 = (1.0 + v / (m * m)).ln();
    let (s, mu) = (s2.sqrt(), m.ln() - s2 / 2.0);
    let le = elapsed.ln();
    let survive = phi((mu - le) / s);
    let rest = if survive < 1e-9 {
        // Far beyond anything seen: expect a fraction of a usual call more.
        0.25 * m
    } else {
        (m * phi((mu + s2 - le) / s) / survive - elapsed).max(0.0)
    };
    (rest, v * (rest / m).min(1.0).powi(2))
}

fn waiting_ticket(
    service: &str,
    priority: Priority,
    at: Timestamp,
    id: u64,
    day: chrono::NaiveDate,
) -> Ticket {
    Ticket {
        id: TicketId(id),
        service: service.to_string(),
        number: 0,
        label: String::new(),
        day,
        priority,
        state: TicketState::Waiting,
        issued_at: at,
        enqueued_at: at,
        front: false,
        assigned_counter: None,
        counter: None,
        first_called_at: None,
        called_at: None,
        serving_at: None,
        recalls: 0,
        transfers: 0,
        token: String::new(),
        issuer: String::new(),
        idempotency_key: None,
    }
}

fn secs_between(a: Timestamp, b: Timestamp) -> f64 {
    (b - a).num_milliseconds() as f64 / 1000.0
}

/// The expected arrivals of the next `horizon` seconds, in time order. One stream for all
/// services (so that many services of a ticket or two an hour still add up to the arrivals
/// they make together): the i-th where the total expected count reaches i − ½, given to the
/// service furthest behind its own expected count, with the priority furthest behind its
/// share.
fn arrivals(
    state: &State,
    learned: &Learned,
    services: &[&str],
    now: Timestamp,
    horizon: f64,
    first_id: u64,
) -> Vec<Ticket> {
    let zone = learned.zone();
    let day = state.day.unwrap_or_else(|| now.date_naive());
    let today = now.with_timezone(&zone).date_naive();
    let ratio = learned.today_ratio(now);
    let shares: Vec<[(Priority, f64); 4]> = services
        .iter()
        .map(|s| learned.priority_shares(s))
        .collect();
    let mut expected = vec![0.0f64; services.len()];
    let mut given = vec![0.0f64; services.len()];
    let mut given_priority = vec![[0.0f64; 4]; services.len()];
    let mut out = Vec::new();
    let (mut cum, mut next) = (0.0f64, 0.5f64);
    let mut t = now;
    let end = now + Duration::milliseconds((horizon * 1000.0) as i64);
    while t < end && out.len() < MAX_ARRIVALS {
        let local = t.with_timezone(&zone);
        let (wd, hour) = (
            local.weekday().num_days_from_monday() as usize,
            local.hour() as usize,
        );
        // Today's hours still to come as busy as today has been so far.
        let scale = if local.date_naive() == today {
            ratio
        } else {
            1.0
        };
        let rates: Vec<f64> = services
            .iter()
            .map(|s| scale * learned.arrivals_per_hour(s, wd, hour) / 3600.0)
            .collect();
        let total: f64 = rates.iter().sum();
        let into_hour = f64::from(local.minute() * 60 + local.second());
        let seg_end = (t + Duration::seconds((3600.0 - into_hour).max(1.0) as i64)).min(end);
        let seg = secs_between(t, seg_end).max(1.0);
        while total > 0.0 && cum + total * seg >= next && out.len() < MAX_ARRIVALS {
            let dt = (next - cum) / total;
            let s = (0..services.len())
                .max_by(|&a, &b| {
                    (expected[a] + rates[a] * dt - given[a])
                        .total_cmp(&(expected[b] + rates[b] * dt - given[b]))
                })
                .unwrap_or(0);
            given[s] += 1.0;
            let k = (0..4)
                .max_by(|&a, &b| {
                    (shares[s][a].1 * given[s] - given_priority[s][a])
                        .total_cmp(&(shares[s][b].1 * given[s] - given_priority[s][b]))
                })
                .unwrap_or(0);
            given_priority[s][k] += 1.0;
            let at = t + Duration::milliseconds((dt * 1000.0) as i64);
            let id = first_id + out.len() as u64;
            out.push(waiting_ticket(services[s], shares[s][k].0, at, id, day));
            next += 1.0;
        }
        for (e, r) in expected.iter_mut().zip(&rates) {
            *e += r * seg;
        }
        cum += total * seg;
        t = seg_end;
    }
    out
}

/// Plays the hall forward from `now`.
pub(super) fn play<'a>(
    state: &'a State,
    learned: &Learned,
    now: Timestamp,
    opts: &PlayOptions,
) -> Play<'a> {
    let (weights, routing) = (state.priority_weights(), state.routing());
    let pause = learned.pause_secs();
    let mut counters: Vec<SimCounter> = Vec::new();
    for c in state.counters.values() {
        let extra = opts.extra_counters.contains(&c.id)
            && matches!(c.state, CounterState::Closed | CounterState::Paused);
        let mut pause = learned.break_ahead(c.id, now);
        // A counter on its usual break comes back when that break usually ends.
        let back = match pause {
            Some((from, until)) if c.state == CounterState::Paused && from <= 0.0 => Some(until),
            _ => None,
        };
        if !c.is_staffed() && !extra && back.is_none() {
            continue;
        }
        let mut counter = c.clone();
        let (mut free_at, mut var) = (0.0, 0.0);
        if let (Some(until), false) = (back, extra) {
            counter.state = CounterState::Idle;
            counter.ticket = None;
            free_at = until;
            pause = None;
        } else if extra {
            pause = None;
            counter.state = CounterState::Idle;
            counter.ticket = None;
        } else if let Some(t) = c.ticket.and_then(|t| state.tickets.get(&t)) {
            let elapsed = t.called_at.map(|at| secs_between(at, now)).unwrap_or(0.0);
            (free_at, var) = residual(learned.occupation(Some(c.id), &t.service), elapsed);
        }
        counters.push(SimCounter {
            counter,
            free_at,
            var,
            active: true,
            pause,
            waiting_calls: Vec::new(),
        });
    }
    let mut candidates: Vec<Candidate> = state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting)
        .map(|t| Candidate {
            ticket: Cow::Borrowed(t),
            kind: Kind::Waiting,
            alive: true,
        })
        .collect();
    let served: Vec<&str> = state
        .services
        .keys()
        .map(String::as_str)
        .filter(|s| counters.iter().any(|c| c.counter.weight_of(s).is_some()))
        .collect();
    let day = state.day.unwrap_or_else(|| now.date_naive());
    let mut next_id = u64::MAX / 2;
    if opts.probes {
        for s in &served {
            for p in Priority::ALL {
                candidates.push(Candidate {
                    ticket: Cow::Owned(waiting_ticket(s, p, now, next_id, day)),
                    kind: Kind::Probe,
                    alive: true,
                });
                next_id += 1;
            }
        }
    }
    let mut pending = if opts.arrivals {
        arrivals(state, learned, &served, now, opts.horizon_secs, next_id)
    } else {
        Vec::new()
    };
    pending.reverse(); // popped from the back, earliest first
    // Each counter's candidates by group, each in its own order (`state::tickets`): the play
    // looks at the first of each group, not at every candidate.
    let mut queues: Vec<Queues> = counters.iter().map(|_| Queues::default()).collect();
    let mut order_of: Vec<usize> = (0..candidates.len()).collect();
    order_of.sort_by_key(|&i| (candidates[i].ticket.enqueued_at, candidates[i].ticket.id));
    for &i in &order_of {
        for (k, c) in counters.iter().enumerate() {
            queues[k].push(&c.counter, &candidates[i].ticket, i);
        }
    }
    let mut called: Vec<Option<Called>> = vec![None; candidates.len()];
    let mut open_targets = candidates.len();
    let mut order = 0usize;
    while open_targets > 0 {
        let Some(ci) = (0..counters.len())
            .filter(|&i| counters[i].active)
            .min_by(|&a, &b| counters[a].free_at.total_cmp(&counters[b].free_at))
        else {
            break;
        };
        let t = counters[ci].free_at;
        if t > opts.horizon_secs {
            break;
        }
        // Free during its usual break: the clerk goes, and calls again when back.
        if let Some((from, until)) = counters[ci].pause {
            if t >= until {
                counters[ci].pause = None;
            } else if t >= from {
                counters[ci].free_at = until;
                counters[ci].pause = None;
                continue;
            }
        }
        let at = now + Duration::milliseconds((t * 1000.0).round() as i64);
        // A millisecond of slack: a counter waiting for an arrival wakes at its instant, which
        // went through f64 seconds.
        while pending
            .last()
            .is_some_and(|a| a.enqueued_at <= at + Duration::milliseconds(1))
        {
            let ticket = pending.pop().expect("checked");
            let idx = candidates.len();
            for (k, c) in counters.iter().enumerate() {
                queues[k].push(&c.counter, &ticket, idx);
            }
            candidates.push(Candidate {
                ticket: Cow::Owned(ticket),
                kind: Kind::Arrival,
                alive: true,
            });
            called.push(None);
        }
        let best = queues[ci].best(&candidates, &weights, &routing, at);
        let Some(i) = best else {
            // Nothing for this counter now: it waits for the next arrival it may serve.
            match pending
                .iter()
                .rev()
                .find(|a| eligible_weight(&counters[ci].counter, a).is_some())
            {
                Some(a) => counters[ci].free_at = secs_between(now, a.enqueued_at).max(t + 0.001),
                None => counters[ci].active = false,
            }
            continue;
        };
        // The clerk's pause runs from the release or, at a counter that waited for this
        // citizen, from their arrival: a ticket taken at an idle counter is called after it.
        let arrived = secs_between(now, candidates[i].ticket.enqueued_at);
        let t = t.max(arrived + pause);
        let sim = &mut counters[ci];
        if candidates[i].kind != Kind::Probe {
            sim.free_at = t;
        }
        candidates[i].alive = false;
        called[i] = Some(Called {
            at: t,
            var: sim.var,
            counter: ci,
            order,
        });
        order += 1;
        match candidates[i].kind {
            Kind::Probe => open_targets -= 1,
            Kind::Waiting => {
                open_targets -= 1;
                sim.waiting_calls.push(order - 1);
                let occ = learned.occupation(Some(sim.counter.id), &candidates[i].ticket.service);
                sim.free_at += occ.mean;
                sim.var += occ.var;
            }
            Kind::Arrival => {
                let occ = learned.occupation(Some(sim.counter.id), &candidates[i].ticket.service);
                sim.free_at += occ.mean;
                sim.var += occ.var;
            }
        }
    }
    Play {
        candidates,
        called,
        counters,
    }
}

/// A simulated counter's candidates in groups, each in the order the routing rule calls it
/// (`state::tickets`): a class (a service it serves and a priority) in queue order, or one
/// front-placed or reserved ticket. Called candidates leave lazily.
#[derive(Default)]
struct Queues {
    classes: Vec<(f64, VecDeque<usize>)>,
    by_class: HashMap<(ServiceCode, Priority), usize>,
    special: Vec<(f64, usize)>,
}

impl Queues {
    /// Adds a candidate this counter may call; candidates of a class come in queue order.
    fn push(&mut self, counter: &Counter, t: &Ticket, i: usize) {
        let Some(w) = eligible_weight(counter, t) else {
            return;
        };
        if !in_class(t) {
            self.special.push((w, i));
            return;
        }
        let k = *self
            .by_class
            .entry((t.service.clone(), t.priority))
            .or_insert_with(|| {
                self.classes.push((w, Default::default()));
                self.classes.len() - 1
            });
        self.classes[k].1.push_back(i);
    }

    /// The candidate the counter calls at `at`: the first by the routing rule of the first
    /// live candidates of its groups.
    fn best(
        &mut self,
        candidates: &[Candidate],
        weights: &PriorityWeights,
        routing: &Routing,
        at: Timestamp,
    ) -> Option<usize> {
        self.special.retain(|&(_, i)| candidates[i].alive);
        let mut best: Option<(usize, Rank)> = None;
        let mut consider = |i: usize, w: f64| {
            let r = rank(&candidates[i].ticket, w, weights, routing, at);
            if best
                .as_ref()
                .is_none_or(|(_, b)| called_before(&r, b) == std::cmp::Ordering::Less)
            {
                best = Some((i, r));
            }
        };
        for (w, q) in &mut self.classes {
            while q.front().is_some_and(|&i| !candidates[i].alive) {
                q.pop_front();
            }
            if let Some(&i) = q.front() {
                consider(i, *w);
            }
        }
        for &(w, i) in &self.special {
            consider(i, w);
        }
        best.map(|(i, _)| i)
    }
}

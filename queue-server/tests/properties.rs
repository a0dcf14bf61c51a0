//! Property tests: random command sequences on simulated time, checking after every step that
//! a ticket is never in two places, numbers are unique per service per day, overdue tickets
//! are never passed over (no starvation), replaying the log gives the same state, and the queue
//! model's estimates hold on every hall reached.

use chrono::Duration;
use hall_core::command::{Position, TransferTarget};
use hall_core::engine::{Actor, Command};
use hall_core::role::Role;
use hall_core::state::{counter_queue, counter_queue_head, counter_queue_len, next_for_counter};
use hall_core::{
    CounterState, Event, Outcome, Priority, ProfileEntry, State, TicketId, TicketState,
};
use hall_forecast::{Learned, forecast};
use proptest::prelude::*;
use std::collections::HashSet;
use testkit::hall::*;

const SERVICES: [&str; 3] = ["CIT-BIRTH", "CIT-TAX", "CIT-SHOP"];

#[derive(Clone, Debug)]
enum Op {
    Issue(usize, Priority),
    Advance(i64),
    NextDay,
    Open(u32),
    Close(u32),
    Pause(u32),
    Resume(u32),
    CallNext(u32),
    CallTicket(u32, usize),
    Recall(u32),
    NoShow(u32),
    Start(u32),
    Finish(u32),
    TransferService(u32, usize, bool),
    TransferCounter(u32, u32, bool),
    Park(u32),
    Return(u32, usize),
    Cancel(usize),
    Profile(u32, usize, u8),
}

fn counter() -> impl Strategy<Value = u32> {
    1u32..=4
}

fn op() -> impl Strategy<Value = Op> {
    let priority = prop_oneof![
        6 => Just(Priority::Normal),
        1 => Just(Priority::Elderly),
        1 => Just(Priority::Disabled),
        1 => Just(Priority::Pregnant),
    ];
    prop_oneof![
        8 => (0..3usize, priority).prop_map(|(s, p)| Op::Issue(s, p)),
        4 => (0..12i64).prop_map(Op::Advance),
        1 => Just(Op::NextDay),
        3 => counter().prop_map(Op::Open),
        1 => counter().prop_map(Op::Close),
        1 => counter().prop_map(Op::Pause),
        1 => counter().prop_map(Op::Resume),
        8 => counter().prop_map(Op::CallNext),
        1 => (counter(), 0..40usize).prop_map(|(c, t)| Op::CallTicket(c, t)),
        1 => counter().prop_map(Op::Recall),
        2 => counter().prop_map(Op::NoShow),
        3 => counter().prop_map(Op::Start),
        5 => counter().prop_map(Op::Finish),
        1 => (counter(), 0..3usize, any::<bool>()).prop_map(|(c, s, f)| Op::TransferService(c, s, f)),
        1 => (counter(), counter(), any::<bool>()).prop_map(|(c, d, f)| Op::TransferCounter(c, d, f)),
        1 => counter().prop_map(Op::Park),
        1 => (counter(), 0..40usize).prop_map(|(c, t)| Op::Return(c, t)),
        1 => (0..40usize).prop_map(Op::Cancel),
        1 => (counter(), 0..3usize, 1..4u8).prop_map(|(c, s, w)| Op::Profile(c, s, w)),
    ]
}

fn clerk(c: u32) -> Actor {
    Actor::new(Role::Clerk, format!("clerk{c}"))
}

/// Picks the n-th open ticket (modulo), if any.
fn nth_ticket(state: &State, n: usize) -> Option<TicketId> {
    let ids: Vec<TicketId> = state.tickets.keys().copied().collect();
    (!ids.is_empty()).then(|| ids[n % ids.len()])
}

fn to_command(h: &mut Hall, op: &Op, serial: &mut u64) -> Option<(Actor, Command)> {
    let svc = |i: usize| SERVICES[i].to_string();
    Some(match *op {
        Op::Issue(s, p) => {
            *serial += 1;
            let cmd = Command::IssueTicket {
                service: svc(s),
                priority: p,
                idempotency_key: format!("k{serial}"),
                token: format!("t{serial}"),
            };
            (kiosk(), cmd)
        }
        Op::Advance(m) => {
            h.minutes(m);
            return None;
        }
        Op::NextDay => {
            h.advance(Duration::days(1));
            return None;
        }
        Op::Open(c) => (clerk(c), Command::OpenCounter { counter: c }),
        Op::Close(c) => (clerk(c), Command::CloseCounter { counter: c }),
        Op::Pause(c) => (clerk(c), Command::PauseCounter { counter: c }),
        Op::Resume(c) => (clerk(c), Command::ResumeCounter { counter: c }),
        Op::CallNext(c) => (clerk(c), Command::CallNext { counter: c }),
        Op::CallTicket(c, n) => (
            clerk(c),
            Command::CallTicket {
                counter: c,
                ticket: nth_ticket(&h.state, n)?,
                reason: "test".into(),
            },
        ),
        Op::Recall(c) => (clerk(c), Command::Recall { counter: c }),
        Op::NoShow(c) => (clerk(c), Command::NoShow { counter: c }),
        Op::Start(c) => (clerk(c), Command::StartServing { counter: c }),
        Op::Finish(c) => (clerk(c), Command::finish(c, Outcome::Completed)),
        Op::TransferService(c, s, front) => (
            clerk(c),
            Command::Transfer {
                counter: Some(c),
                ticket: None,
                target: TransferTarget::Service { service: svc(s) },
                position: if front {
                    Position::Front
                } else {
                    Position::Back
                },
            },
        ),
        Op::TransferCounter(c, d, front) => (
            clerk(c),
            Command::Transfer {
                counter: Some(c),
                ticket: None,
                target: TransferTarget::Counter { counter: d },
                position: if front {
                    Position::Front
                } else {
                    Position::Back
                },
            },
        ),
        Op::Park(c) => (
            clerk(c),
            Command::Park {
                counter: c,
                note: String::new(),
            },
        ),
        Op::Return(c, n) => (
            clerk(c),
            Command::ReturnParked {
                counter: c,
                ticket: nth_ticket(&h.state, n)?,
            },
        ),
        Op::Cancel(n) => (
            boss(),
            Command::CancelTicket {
                ticket: nth_ticket(&h.state, n)?,
            },
        ),
        Op::Profile(c, s, w) => (
            boss(),
            Command::SetCounterProfile {
                counter: c,
                profile: vec![ProfileEntry {
                    service: svc(s),
                    weight: f64::from(w),
                }],
            },
        ),
    })
}

fn check_placement(state: &State) -> Result<(), TestCaseError> {
    let mut held = HashSet::new();
    for c in state.counters.values() {
        match (c.state, c.ticket) {
            (CounterState::Calling | CounterState::Serving, Some(t)) => {
                prop_assert!(held.insert(t), "ticket {t} held by two counters");
                let ticket = state.tickets.get(&t);
                prop_assert!(
                    ticket.is_some(),
                    "counter {} holds unknown ticket {t}",
                    c.id
                );
                let ticket = ticket.unwrap();
                prop_assert_eq!(ticket.counter, Some(c.id));
                let expect = if c.state == CounterState::Calling {
                    TicketState::Called
                } else {
                    TicketState::Serving
                };
                prop_assert_eq!(ticket.state, expect);
            }
            (CounterState::Calling | CounterState::Serving, None) => {
                prop_assert!(false, "counter {} busy without ticket", c.id)
            }
            (_, Some(t)) => prop_assert!(false, "counter {} in {:?} holds {t}", c.id, c.state),
            (_, None) => {}
        }
    }
    for t in state.tickets.values() {
        prop_assert!(
            !state.closed_today.contains_key(&t.id),
            "ticket {} both open and closed",
            t.id
        );
        match t.state {
            TicketState::Waiting => prop_assert!(t.counter.is_none() && !held.contains(&t.id)),
            TicketState::Called | TicketState::Serving => {
                prop_assert!(held.contains(&t.id), "{} at no counter", t.label)
            }
            TicketState::Parked => prop_assert!(t.counter.is_some() && !held.contains(&t.id)),
            s => prop_assert!(false, "closed state {s:?} among open tickets"),
        }
    }
    Ok(())
}

/// The queue model on any hall the engine can reach: every waiting ticket a staffed counter
/// can call gets an estimate, its range holds it, nobody has more people ahead than are
/// waiting, and of two tickets of one service and priority the older is called no later.
fn check_forecast(state: &State, now: hall_core::Timestamp) -> Result<(), TestCaseError> {
    let learned = Learned::from_catalog(state.catalog.as_deref().unwrap());
    let f = forecast(state, &learned, now);
    let waiting: Vec<&hall_core::Ticket> = state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting)
        .collect();
    for t in &waiting {
        let callable = state.counters.values().any(|c| {
            c.is_staffed()
                && match t.assigned_counter {
                    Some(a) => a == c.id,
                    None => c.weight_of(&t.service).is_some(),
                }
        });
        let w = f.tickets.get(&t.id);
        prop_assert_eq!(w.is_some(), callable, "{} estimate", t.label);
        if let Some(w) = w {
            prop_assert!(w.low_secs <= w.expected_secs && w.expected_secs <= w.high_secs);
            prop_assert!(
                (w.ahead as usize) < waiting.len(),
                "{}: {} ahead",
                t.label,
                w.ahead
            );
        }
    }
    for a in &waiting {
        for b in &waiting {
            let alike = a.service == b.service
                && a.priority == b.priority
                && a.assigned_counter.is_none()
                && b.assigned_counter.is_none()
                && !a.front
                && !b.front;
            if let (true, Some(wa), Some(wb)) = (alike, f.tickets.get(&a.id), f.tickets.get(&b.id))
                && a.enqueued_at < b.enqueued_at
            {
                prop_assert!(
                    wa.expected_secs <= wb.expected_secs,
                    "{} after {}",
                    a.label,
                    b.label
                );
                prop_assert!(
                    wa.ahead <= wb.ahead,
                    "{} has more ahead than {}",
                    a.label,
                    b.label
                );
            }
        }
    }
    Ok(())
}

/// Independent of the routing code and its index: each counter's whole order from first
/// principles (front-placed first, then overdue, then the highest weighted wait, ties to the
/// oldest), against `counter_queue`, its head, its length and `next_for_counter`.
fn check_routing_order(state: &State, now: hall_core::Timestamp) -> Result<(), TestCaseError> {
    let (weights, routing) = (state.priority_weights(), state.routing());
    let limit = f64::from(routing.starvation_limit_minutes) * 60.0;
    for c in state.counters.values() {
        let mut expected: Vec<(&hall_core::Ticket, f64, bool)> = state
            .tickets
            .values()
            .filter(|t| t.state == TicketState::Waiting)
            .filter_map(|t| {
                let w = match t.assigned_counter {
                    Some(a) if a == c.id => c.weight_of(&t.service).unwrap_or(1.0),
                    Some(_) => return None,
                    None => c.weight_of(&t.service)?,
                };
                let waited = (now - t.enqueued_at).num_milliseconds().max(0) as f64 / 1000.0;
                let score =
                    (waited + f64::from(routing.head_start_seconds)) * weights.of(t.priority) * w;
                Some((t, score, waited >= limit))
            })
            .collect();
        expected.sort_by(|(a, sa, oa), (b, sb, ob)| {
            let group = |t: &hall_core::Ticket, overdue: bool| {
                if t.front {
                    0
                } else if overdue {
                    1
                } else {
                    2
                }
            };
            let (ga, gb) = (group(a, *oa), group(b, *ob));
            ga.cmp(&gb)
                .then_with(|| {
                    if ga == 2 {
                        sb.total_cmp(sa)
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .then_with(|| (a.enqueued_at, a.id).cmp(&(b.enqueued_at, b.id)))
        });
        let expected: Vec<TicketId> = expected.iter().map(|(t, _, _)| t.id).collect();
        let order = counter_queue(state, c.id, now);
        prop_assert_eq!(&order, &expected, "counter {} order", c.id);
        prop_assert_eq!(counter_queue_len(state, c.id), expected.len());
        prop_assert_eq!(
            &counter_queue_head(state, c.id, now, 3)[..],
            &expected[..expected.len().min(3)]
        );
        prop_assert_eq!(
            next_for_counter(state, c.id, now),
            expected.first().copied()
        );
    }
    let waiting = state
        .tickets
        .values()
        .filter(|t| t.state == TicketState::Waiting)
        .count();
    prop_assert_eq!(
        state.tickets.waiting(),
        waiting,
        "the index counts every waiting ticket"
    );
    Ok(())
}

/// Independent of the routing code: the eligible tickets of a counter, from first principles.
fn overdue_passed_over(
    state: &State,
    counter: u32,
    called: TicketId,
    now: hall_core::Timestamp,
) -> Option<String> {
    let c = &state.counters[&counter];
    let limit = Duration::minutes(i64::from(state.routing().starvation_limit_minutes));
    let eligible = |t: &&hall_core::Ticket| {
        t.state == TicketState::Waiting
            && match t.assigned_counter {
                Some(a) => a == counter,
                None => c.profile.iter().any(|p| p.service == t.service),
            }
    };
    let called_t = &state.tickets[&called];
    if called_t.front {
        return None;
    }
    let oldest_overdue = state
        .tickets
        .values()
        .filter(eligible)
        .filter(|t| !t.front && now - t.enqueued_at >= limit)
        .min_by_key(|t| (t.enqueued_at, t.id))?;
    let ok = now - called_t.enqueued_at >= limit
        && (called_t.enqueued_at, called_t.id) <= (oldest_overdue.enqueued_at, oldest_overdue.id);
    (!ok).then(|| {
        format!(
            "called {} while {} was overdue",
            called_t.label, oldest_overdue.label
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_days_keep_every_invariant(ops in proptest::collection::vec(op(), 1..250)) {
        let mut h = Hall::open();
        let mut serial = 0;
        let mut numbers = HashSet::new();
        // What a subscribed client holds: a public snapshot plus redacted deltas.
        let mut mirror = h.state.public();
        let mut mirrored = h.log.len();
        for op in &ops {
            let Some((actor, cmd)) = to_command(&mut h, op, &mut serial) else {
                if hall_core::engine::day_change(&h.state, h.now).is_some() {
                    h.new_day();
                }
                continue;
            };
            let before = h.state.clone();
            let called_at = match &cmd {
                Command::CallNext { counter } => Some(*counter),
                _ => None,
            };
            let Decided(Ok(events)) = h.when(&actor, cmd) else { continue };
            if let Some(counter) = called_at
                && let [Event::TicketCalled { ticket, .. }] = events.as_slice()
                    && let Some(why) = overdue_passed_over(&before, counter, *ticket, h.now) {
                        prop_assert!(false, "starvation: {}", why);
                    }
            for e in &events {
                if let Event::TicketIssued { ticket } = e {
                    prop_assert!(numbers.insert((ticket.day, ticket.service.clone(), ticket.number)),
                        "number {} reused", ticket.label);
                }
            }
            check_placement(&h.state)?;
            check_forecast(&h.state, h.now)?;
            check_routing_order(&h.state, h.now)?;
            for e in &h.log[mirrored..] {
                let redacted = hall_core::Envelope { event: e.event.redacted(), ..e.clone() };
                hall_core::apply(&mut mirror, &redacted);
            }
            mirrored = h.log.len();
            prop_assert_eq!(&mirror, &h.state.public(), "a client's mirror drifted from the server");
        }
        let mut replayed = State::default();
        for e in &h.log {
            hall_core::apply(&mut replayed, e);
        }
        prop_assert_eq!(&replayed, &h.state);
        // A state read back (a snapshot, a client's copy) rebuilds the routing's index.
        let read: State = serde_json::from_str(&serde_json::to_string(&h.state).unwrap()).unwrap();
        check_routing_order(&read, h.now)?;
        check_routing_order(&h.state.public(), h.now)?;
    }

    /// A normal ticket followed by any stream of priority tickets, even more than the counter
    /// can serve, is called at the latest one service after it becomes overdue: priorities can
    /// delay a citizen, never starve them.
    #[test]
    fn priority_streams_cannot_starve_a_normal_ticket(
        arrivals in proptest::collection::vec((0..3i64, prop_oneof![Just(Priority::Disabled), Just(Priority::Elderly), Just(Priority::Pregnant)]), 10..80),
        service_minutes in proptest::collection::vec(1..6i64, 80),
    ) {
        let mut h = Hall::open();
        h.open_counter(&clerk(2), 2);
        let normal = h.issue("CIT-BIRTH");
        let issued = h.now;
        let mut services = service_minutes.into_iter().cycle();
        let mut arrivals = arrivals.into_iter();
        let mut next_arrival = h.now;
        let mut busy_until = h.now;
        let limit = Duration::minutes(20);
        let longest = Duration::minutes(5);
        loop {
            if h.now >= next_arrival
                && let Some((gap, p)) = arrivals.next() {
                    h.issue_as("CIT-BIRTH", p);
                    next_arrival = h.now + Duration::minutes(gap);
                }
            if h.now >= busy_until {
                if h.state.counters[&2].state != CounterState::Idle {
                    h.finish(&clerk(2), 2);
                }
                if let Decided(Ok(events)) = h.when(&clerk(2), Command::CallNext { counter: 2 }) {
                    if let [Event::TicketCalled { ticket, .. }] = events.as_slice()
                        && *ticket == normal {
                            let waited = h.now - issued;
                            prop_assert!(waited <= limit + longest, "waited {} min", waited.num_minutes());
                            break;
                        }
                    busy_until = h.now + Duration::minutes(services.next().unwrap());
                }
            }
            prop_assert!(h.now - issued <= limit + longest, "still waiting after {} min", (h.now - issued).num_minutes());
            h.minutes(1);
        }
    }
}

//! The model's tests: a scenario worked by hand (exact figures), the defects of the old
//! formula, and properties over random queues (never negative, ranges hold their estimate,
//! monotone in queue position for one service at one counter).

use super::*;
use chrono::Duration;
use hall_core::event::{Envelope, Event};
use hall_core::state::{apply, counter_queue};
use proptest::prelude::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Saturday 2026-11-21, 10:00 in Cairo.
fn now() -> Timestamp {
    at("2026-11-21T08:00:00Z")
}

/// Services A (5 min), B (5 min), C (10 min). Counter 1 serves A (weight 3), B (3) and
/// C (4); counter 2 serves C only. Open all day, every day.
fn catalog() -> Catalog {
    let days = r#"["sat","sun","mon","tue","wed","thu","fri"]"#;
    let service = |code: &str, minutes: u32| {
        serde_json::json!({"code": code, "category": "X", "prefix": code,
            "name": {"ar": code, "en": code}, "documents": [], "fee_piasters": 0, "open": true,
            "expected_minutes": minutes,
            "hours": {"days": serde_json::from_str::<serde_json::Value>(days).unwrap(),
                      "open": "00:00", "close": "24:00"}})
    };
    serde_json::from_value(serde_json::json!({
        "center": {"id": "t", "name": {"ar": "م", "en": "C"}, "timezone": "Africa/Cairo"},
        "categories": [{"code": "X", "name": {"ar": "خ", "en": "X"}}],
        "services": [service("A", 5), service("B", 5), service("C", 10)],
        "counters": [
            {"id": 1, "name": {"ar": "١", "en": "1"}, "profile": [
                {"service": "A", "weight": 3.0}, {"service": "B", "weight": 3.0},
                {"service": "C", "weight": 4.0}]},
            {"id": 2, "name": {"ar": "٢", "en": "2"}, "profile": [{"service": "C", "weight": 1.0}]}
        ]
    }))
    .unwrap()
}

fn ticket(id: u64, service: &str, priority: Priority, enqueued: Timestamp) -> Box<Ticket> {
    Box::new(Ticket {
        id: TicketId(id),
        service: service.into(),
        number: id as u32,
        label: format!("{service}-{id:03}"),
        day: enqueued.date_naive(),
        priority,
        state: TicketState::Waiting,
        issued_at: enqueued,
        enqueued_at: enqueued,
        front: false,
        assigned_counter: None,
        counter: None,
        first_called_at: None,
        called_at: None,
        serving_at: None,
        recalls: 0,
        transfers: 0,
        token: String::new(),
        issuer: "kiosk:k".into(),
        idempotency_key: None,
    })
}

struct Hall {
    state: State,
    learned: Learned,
    seq: u64,
}

impl Hall {
    fn new() -> Hall {
        let mut h = Hall {
            state: State::default(),
            learned: Learned::default(),
            seq: 0,
        };
        h.event(
            now() - Duration::days(6),
            Event::CatalogLoaded {
                catalog: Box::new(catalog()),
            },
        );
        h.event(
            now(),
            Event::DayStarted {
                day: "2026-11-21".parse().unwrap(),
            },
        );
        h
    }

    fn event(&mut self, at: Timestamp, event: Event) {
        self.seq += 1;
        let env = Envelope {
            seq: self.seq,
            at,
            actor: "system".into(),
            event,
        };
        self.learned.fold(&env);
        apply(&mut self.state, &env);
    }

    /// Teaches the learner `n` calls of `service` at `counter` lasting exactly `secs`, each
    /// called `gap` seconds after the one before was released while the next citizen waited,
    /// on Monday 2026-11-16 (another weekday than the scenarios', so no arrivals are expected
    /// in them).
    fn learn(&mut self, counter: CounterId, service: &str, n: u64, secs: i64, gap: i64) {
        self.learn_calls(counter, service, n, secs, gap, true);
    }

    /// As `learn`, but each citizen arrives `gap` seconds after the one before left and is
    /// called at once: a counter idle between them (`waiting` false).
    fn learn_calls(
        &mut self,
        counter: CounterId,
        service: &str,
        n: u64,
        secs: i64,
        gap: i64,
        waiting: bool,
    ) {
        let mut learned = std::mem::take(&mut self.learned);
        let start = at("2026-11-16T08:00:00Z");
        let mut t = start;
        for i in 0..n {
            let id = TicketId(1_000_000 + i);
            let arrived = if waiting { start } else { t };
            let mut env = |at: Timestamp, event: Event| {
                learned.fold(&Envelope {
                    seq: 0,
                    at,
                    actor: "system".into(),
                    event,
                })
            };
            env(
                arrived,
                Event::TicketIssued {
                    ticket: ticket(id.0, service, Priority::Normal, arrived),
                },
            );
            env(
                t,
                Event::TicketCalled {
                    ticket: id,
                    counter,
                    out_of_order_reason: None,
                },
            );
            t += Duration::seconds(secs);
            env(
                t,
                Event::TicketFinished {
                    ticket: id,
                    counter,
                    outcome: Outcome::Completed,
                    reference: None,
                },
            );
            t += Duration::seconds(gap);
        }
        self.learned = learned;
    }

    fn issue(&mut self, id: u64, service: &str, priority: Priority, waited_secs: i64) {
        let t = now() - Duration::seconds(waited_secs);
        self.event(
            t,
            Event::TicketIssued {
                ticket: ticket(id, service, priority, t),
            },
        );
    }

    fn open(&mut self, counter: CounterId) {
        self.event(
            now(),
            Event::CounterOpened {
                counter,
                clerk: format!("clerk{counter}"),
            },
        );
    }
}

fn waits(f: &Forecast, ids: &[u64]) -> Vec<(u32, u64)> {
    ids.iter()
        .map(|i| {
            let w = f.tickets[&TicketId(*i)];
            (w.ahead, w.expected_secs)
        })
        .collect()
}

#[test]
fn six_tickets_at_the_only_counter_are_one_service_apart_whatever_its_weight_share() {
    // The issue's hall: A has 3 of counter 1's 10 weight points, nothing else waits. The old
    // formula divided by that share (0, 800, 1,600 s … for 240-s services).
    let mut h = Hall::new();
    h.learn(1, "A", 200, 240, 10);
    h.open(1);
    for i in 1..=6 {
        h.issue(i, "A", Priority::Normal, 60 - i as i64);
    }
    let f = forecast(&h.state, &h.learned, now());
    // Worked by hand: the catalog's 300 s, as this hall corrects it (200 calls of 240 s
    // against 300 s, three pseudo-calls agreeing), weighs 5 calls against the 200 of 240 s;
    // plus the 10-s pause before each call.
    let prior = 300.0 * (200.0 * 240.0 + 900.0) / (200.0 * 300.0 + 900.0);
    let m = (200.0 * 240.0 + 5.0 * prior) / 205.0 + 10.0;
    let expected: Vec<(u32, u64)> = (0..6)
        .map(|k| (k as u32, (k as f64 * m).round() as u64))
        .collect();
    assert_eq!(waits(&f, &[1, 2, 3, 4, 5, 6]), expected);
    assert_eq!(expected[1].1, 250);
}

#[test]
fn a_deterministic_hall_worked_by_hand() {
    // Counter 1 is serving an A ticket called 100 s ago; every A and B call lasted exactly
    // 300 s (their catalog time, so the prior agrees) with a 20-s pause. Waiting: A-2 (waited
    // 120 s), B-3 (60 s), C-4 (30 s); counter 2 is closed.
    let mut h = Hall::new();
    h.learn(1, "A", 200, 300, 20);
    h.learn(1, "B", 200, 300, 20);
    h.open(1);
    h.issue(1, "A", Priority::Normal, 400);
    h.event(
        now() - Duration::seconds(100),
        Event::TicketCalled {
            ticket: TicketId(1),
            counter: 1,
            out_of_order_reason: None,
        },
    );
    h.issue(2, "A", Priority::Normal, 120);
    h.issue(3, "B", Priority::Normal, 60);
    h.issue(4, "C", Priority::Normal, 30);
    let mut learned = h.learned.clone();
    // C was never observed: its occupation is the catalog's 600 s (with the pause).
    assert_eq!(learned.occupation(Some(1), "C").mean, 620.0);
    // The call in progress has 320 − 100 = 220 s left only if its length is certain; take the
    // variance out of A's figure to make it so.
    learned = exact(learned);
    let f = forecast(&h.state, &learned, now());
    // At 220 s counter 1 frees up. Scores then: A-2 (340 + 300) × 3 = 1,920; B-3
    // (280 + 300) × 3 = 1,740; C-4 (250 + 300) × 4 = 2,200: C-4 first, at 220 s; it takes
    // 620 s. At 840 s: A-2 (960 + 300) × 3 = 3,780 against B-3 (900 + 300) × 3 = 3,600 (neither
    // overdue yet: 20 min): A-2 at 840 s, then B-3 at 840 + 320 = 1,160 s.
    assert_eq!(waits(&f, &[4, 2, 3]), vec![(0, 220), (1, 840), (2, 1160)]);
    // A ticket of B taken now ranks behind B-3 at the only counter: 1,160 + 320 s.
    let b = f
        .outlook
        .service("B")
        .unwrap()
        .wait(Priority::Normal)
        .unwrap();
    assert_eq!((b.ahead, b.expected_secs), (3, 1480));
    // Only counter 1 is open: C is served, with its one ticket waiting.
    let c = f.outlook.service("C").unwrap();
    assert_eq!((c.waiting, c.counters_serving), (1, 1));
}

/// The same learned figures with every variance zero (a hall where each call lasts exactly
/// its mean).
fn exact(mut l: Learned) -> Learned {
    l.zero_variance();
    l
}

#[test]
fn people_ahead_counts_other_services_at_the_counters_that_can_serve_the_ticket() {
    // The issue: a C ticket sixth in counter 1's order was told "nobody ahead".
    let mut h = Hall::new();
    h.learn(1, "A", 50, 300, 10);
    h.open(1);
    for i in 1..=5 {
        h.issue(i, "A", Priority::Normal, 900);
    }
    h.issue(6, "C", Priority::Normal, 10);
    let f = forecast(&h.state, &h.learned, now());
    let c = f.tickets[&TicketId(6)];
    assert_eq!(c.ahead, 5);
    assert!(c.expected_secs >= 5 * 300, "{c:?}");
}

#[test]
fn no_counter_open_means_no_estimate() {
    let mut h = Hall::new();
    h.open(2);
    h.issue(1, "A", Priority::Normal, 30);
    let f = forecast(&h.state, &h.learned, now());
    assert!(!f.tickets.contains_key(&TicketId(1)));
    let a = f.outlook.service("A").unwrap();
    assert_eq!((a.waiting, a.counters_serving, a.waits.len()), (1, 0, 0));
    assert!(
        f.outlook
            .service("C")
            .unwrap()
            .wait(Priority::Normal)
            .is_some()
    );
}

#[test]
fn a_priority_ticket_taken_now_waits_less_than_a_normal_one() {
    let mut h = Hall::new();
    h.learn(1, "A", 50, 300, 10);
    h.open(1);
    for i in 1..=4 {
        h.issue(i, "A", Priority::Normal, 60);
    }
    let f = forecast(&h.state, &h.learned, now());
    let a = f.outlook.service("A").unwrap();
    let normal = a.wait(Priority::Normal).unwrap();
    let disabled = a.wait(Priority::Disabled).unwrap();
    assert_eq!(normal.ahead, 4);
    assert!(disabled.expected_secs < normal.expected_secs, "{a:?}");
}

#[test]
fn learned_arrivals_of_priority_tickets_push_a_normal_ticket_back() {
    // Every weekday hour at 10:00 saw 30 disabled-priority B tickets; a normal A ticket
    // waiting now is passed by the B tickets expected while it waits.
    let quiet = {
        let mut h = Hall::new();
        h.learn(1, "A", 50, 300, 10);
        h.open(1);
        for i in 1..=3 {
            h.issue(i, "A", Priority::Normal, 30);
        }
        forecast(&h.state, &h.learned, now()).tickets[&TicketId(3)].expected_secs
    };
    let mut h = Hall::new();
    h.learn(1, "A", 50, 300, 10);
    let sat = at("2026-11-14T08:00:00Z");
    for k in 0..30 {
        let t = sat + Duration::minutes(2 * k);
        h.learned.fold(&Envelope {
            seq: 0,
            at: t,
            actor: "system".into(),
            event: Event::TicketIssued {
                ticket: ticket(2_000_000 + k as u64, "B", Priority::Disabled, t),
            },
        });
    }
    assert_eq!(h.learned.arrivals_per_hour("B", 5, 10), 30.0);
    h.open(1);
    for i in 1..=3 {
        h.issue(i, "A", Priority::Normal, 30);
    }
    let busy = forecast(&h.state, &h.learned, now()).tickets[&TicketId(3)].expected_secs;
    assert!(busy > quiet, "busy {busy} quiet {quiet}");
}

#[test]
fn a_day_busier_than_usual_gives_longer_waits_than_the_same_queue_on_a_usual_day() {
    // A past Saturday had 10 disabled-priority B tickets an hour from 08:00 to 13:00 (local).
    // Two Saturdays with the same three A tickets waiting at 10:00: one had the usual 20 B
    // tickets since 08:00, the other three times as many. The busy day expects more B tickets
    // still to come (they pass the A tickets), so its A tickets wait longer.
    let wait_of_last = |today_b: u64| {
        let mut h = Hall::new();
        h.learn(1, "A", 50, 300, 10);
        let mut fold = |id: u64, t: Timestamp| {
            h.learned.fold(&Envelope {
                seq: 0,
                at: t,
                actor: "system".into(),
                event: Event::TicketIssued {
                    ticket: ticket(id, "B", Priority::Disabled, t),
                },
            })
        };
        // 08:00–13:00 in Cairo is 06:00–11:00 UTC.
        let past = at("2026-11-14T06:00:00Z");
        for k in 0..50 {
            fold(2_000_000 + k, past + Duration::minutes(6 * k as i64));
        }
        let today = at("2026-11-21T06:00:00Z");
        for k in 0..today_b {
            fold(
                3_000_000 + k,
                today + Duration::seconds((7200 * k / today_b) as i64),
            );
        }
        let ratio = h.learned.today_ratio(now());
        h.open(1);
        for i in 1..=3 {
            h.issue(i, "A", Priority::Normal, 30);
        }
        let f = forecast(&h.state, &h.learned, now());
        (ratio, f.tickets[&TicketId(3)].expected_secs)
    };
    let (usual_ratio, usual) = wait_of_last(20);
    let (busy_ratio, busy) = wait_of_last(60);
    assert!((usual_ratio - 1.0).abs() < 0.01, "usual day: {usual_ratio}");
    // (60 + 40) ÷ (20 + 40): today's count drawn toward the usual.
    assert!(
        (busy_ratio - 100.0 / 60.0).abs() < 0.01,
        "busy day: {busy_ratio}"
    );
    assert!(busy > usual, "busy day {busy} s, usual day {usual} s");
}

#[test]
fn the_first_tickets_of_a_day_hardly_move_its_expected_arrivals() {
    let mut h = Hall::new();
    let past = at("2026-11-14T06:00:00Z");
    for k in 0..50 {
        let t = past + Duration::minutes(6 * k);
        h.issue(
            4_000_000 + k as u64,
            "B",
            Priority::Normal,
            (now() - t).num_seconds(),
        );
    }
    // Before today's first ticket: as usual.
    assert_eq!(h.learned.today_ratio(at("2026-11-21T06:30:00Z")), 1.0);
    // Four tickets in the first five minutes where one was usual: barely above 1.
    for k in 0..4 {
        let t = at("2026-11-21T06:00:00Z") + Duration::minutes(k);
        h.issue(
            5_000_000 + k as u64,
            "B",
            Priority::Normal,
            (now() - t).num_seconds(),
        );
    }
    let early = h.learned.today_ratio(at("2026-11-21T06:05:00Z"));
    assert!(early > 1.0 && early < 1.1, "{early}");
}

/// A random queue of one service at one counter (normal priority).
fn one_service_hall(waited: Vec<i64>, serving: Option<i64>, secs: i64) -> (State, Learned) {
    let mut h = Hall::new();
    h.learn(1, "A", 30, secs, 5);
    h.open(1);
    let mut id = 1;
    if let Some(elapsed) = serving {
        h.issue(id, "A", Priority::Normal, elapsed + 10);
        h.event(
            now() - Duration::seconds(elapsed),
            Event::TicketCalled {
                ticket: TicketId(id),
                counter: 1,
                out_of_order_reason: None,
            },
        );
        id += 1;
    }
    for w in waited {
        h.issue(id, "A", Priority::Normal, w);
        id += 1;
    }
    (h.state, h.learned)
}

proptest! {
    #[test]
    fn estimates_are_monotone_in_queue_position_and_ranges_hold_them(
        waited in proptest::collection::vec(0i64..4000, 1..30),
        serving in proptest::option::of(0i64..2000),
        secs in 20i64..600,
    ) {
        let (state, learned) = one_service_hall(waited, serving, secs);
        let f = forecast(&state, &learned, now());
        let order = counter_queue(&state, 1, now());
        let mut last = 0;
        for (k, id) in order.iter().enumerate() {
            let w = f.tickets.get(id).copied();
            prop_assert!(w.is_some(), "ticket {id} has no estimate");
            let w = w.unwrap();
            prop_assert_eq!(w.ahead as usize, k);
            prop_assert!(w.expected_secs >= last, "position {k}: {} < {last}", w.expected_secs);
            prop_assert!(w.low_secs <= w.expected_secs && w.expected_secs <= w.high_secs);
            last = w.expected_secs;
        }
        let next = f.outlook.service("A").unwrap().wait(Priority::Normal).unwrap();
        prop_assert!(next.expected_secs >= last);
        prop_assert_eq!(next.ahead as usize, order.len());
    }

    #[test]
    fn a_forecast_seen_later_never_goes_below_zero(
        expected in 0u64..5000, low in 0u64..5000, elapsed in 0u64..20_000,
    ) {
        let w = WaitRange { ahead: 1, expected_secs: expected.max(low), low_secs: low, high_secs: expected.max(low) + 10 };
        let later = w.after(elapsed);
        prop_assert!(later.low_secs <= later.expected_secs && later.expected_secs <= later.high_secs);
        prop_assert_eq!(later.expected_secs, expected.max(low).saturating_sub(elapsed));
    }
}

#[test]
fn erlang_c_matches_its_textbook_values() {
    // Two servers, one Erlang: P(wait) = 1/3.
    assert!((advisor::erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-9);
    // One server is M/M/1: P(wait) = utilisation.
    assert!((advisor::erlang_c(1, 0.6) - 0.6).abs() < 1e-9);
    assert_eq!(advisor::erlang_c(3, 3.0), 1.0, "overloaded: everyone waits");
}

#[test]
fn tomorrows_plan_follows_the_learned_arrivals_and_agrees_with_erlang_c() {
    // Saturdays at 10:00 saw 30 tickets of A (5-minute calls): 2.5 Erlangs.
    let mut h = Hall::new();
    h.learn(1, "A", 100, 300, 0);
    for k in 0..30 {
        let t = at("2026-11-14T08:00:00Z") + Duration::minutes(2 * k);
        h.learned.fold(&Envelope {
            seq: 0,
            at: t,
            actor: "system".into(),
            event: Event::TicketIssued {
                ticket: ticket(3_000_000 + k as u64, "A", Priority::Normal, t),
            },
        });
    }
    let plan = advisor::plan_day(&h.state, &h.learned, "2026-11-21".parse().unwrap(), 10);
    assert_eq!(plan.hours.len(), 1, "{plan:?}");
    let ten = &plan.hours[0];
    assert_eq!(ten.hour, 10);
    assert!((ten.arrivals - 30.0).abs() < 1e-9);
    // More than the load, and the two methods within a counter of each other.
    assert!(ten.counters >= 3 && ten.erlang_c >= 3, "{ten:?}");
    assert!(ten.counters.abs_diff(ten.erlang_c) <= 1, "{ten:?}");
    // A looser target needs no more counters.
    let loose = advisor::plan_day(&h.state, &h.learned, "2026-11-21".parse().unwrap(), 60);
    assert!(loose.hours[0].counters <= ten.counters);
}

#[test]
fn the_advisor_opens_a_closed_counter_that_serves_the_late_service() {
    // Counter 1 is closed; counter 2 (C only) is open; eight A tickets wait 5 minutes each.
    let mut h = Hall::new();
    h.learn(1, "A", 50, 300, 10);
    h.open(2);
    for i in 1..=8 {
        h.issue(i, "A", Priority::Normal, 30);
    }
    let now_advice = advisor::advise_now(&h.state, &h.learned, now(), 20);
    assert_eq!(now_advice.over_target, vec!["A".to_string()]);
    assert_eq!(now_advice.open.len(), 1);
    assert_eq!(now_advice.open[0].counter, 1);
    // One counter for eight 5-minute tickets: the last waits ~35 minutes, over 20.
    assert!(!now_advice.reachable, "{now_advice:?}");
    let easy = advisor::advise_now(&h.state, &h.learned, now(), 60);
    assert!(easy.reachable);
}

/// A hall where counter 2 (service C, 10 min a call) took a 40-min break at 10:05 on each of
/// the three days before, and is open now with three C tickets waiting.
fn hall_with_lunch_habit() -> Hall {
    let mut h = Hall::new();
    h.learn(2, "C", 50, 600, 0);
    for day in ["2026-11-18", "2026-11-19", "2026-11-20"] {
        for (time, event) in [
            (
                "06:00",
                Event::CounterOpened {
                    counter: 2,
                    clerk: "clerk2".into(),
                },
            ),
            ("08:05", Event::CounterPaused { counter: 2 }),
            ("08:45", Event::CounterResumed { counter: 2 }),
        ] {
            h.learned.fold(&Envelope {
                seq: 0,
                at: at(&format!("{day}T{time}:00Z")),
                actor: "system".into(),
                event,
            });
        }
    }
    h.open(2);
    for i in 1..=3 {
        h.issue(i, "C", Priority::Normal, 30);
    }
    h
}

#[test]
fn a_counters_usual_break_delays_the_tickets_after_it() {
    let h = hall_with_lunch_habit();
    let f = forecast(&h.state, &h.learned, now());
    // Ticket 1 now; the counter frees at 10:10, after the usual 10:05, so it goes on its
    // break until 10:45 (2,700 s), then ticket 2, then ticket 3 ten minutes later.
    assert_eq!(waits(&f, &[1, 2, 3]), vec![(0, 0), (1, 2700), (2, 3300)]);
}

#[test]
fn a_counter_on_its_usual_break_comes_back_at_the_usual_end() {
    let mut h = hall_with_lunch_habit();
    h.event(now(), Event::CounterPaused { counter: 2 });
    let f = forecast(&h.state, &h.learned, now());
    // Paused at 10:00 for the usual 40 minutes: back at 10:40 (2,400 s).
    assert_eq!(waits(&f, &[1, 2]), vec![(0, 2400), (1, 3000)]);
}

/// Issue 23: in a hall that is not saturated, a counter that waits for its next citizen is
/// idle, not slow. Window 1 serves A in exactly 100 s; each citizen arrives 40 s after the
/// last one left and is called at once (idle 29 % of the time). It must learn the same
/// occupation as a counter that calls the next waiting citizen at once, and less than one
/// whose clerk pauses 40 s with someone waiting.
#[test]
fn a_half_idle_counter_learns_its_service_time_not_its_idle_time() {
    let occupation = |gap: i64, waiting: bool| {
        let mut h = Hall::new();
        h.learn_calls(1, "A", 30, 100, gap, waiting);
        h.learned.occupation(Some(1), "A").mean
    };
    let idle = occupation(40, false);
    let busy = occupation(0, true);
    let slow = occupation(40, true);
    assert!((idle - busy).abs() < 1e-9, "idle {idle} s, busy {busy} s");
    assert!(
        slow > busy + 39.0,
        "a pause with someone waiting counts: {slow} s vs {busy} s"
    );
}

/// Issue 23: a center's first day, its catalog three times the real time. Calls of A (5 min
/// in the catalog) last 100 s; B (also 5 min) has not been seen yet. B starts from the
/// catalog corrected by what every call so far has shown, not from the catalog's 300 s.
#[test]
fn services_not_seen_yet_start_from_the_catalog_as_this_hall_has_corrected_it() {
    let mut h = Hall::new();
    assert!((h.learned.calibration() - 1.0).abs() < 1e-9);
    let before = h.learned.occupation(Some(1), "B").mean;
    h.learn(1, "A", 30, 100, 0);
    // 30 calls of 100 s against 300 s expected, three pseudo-calls agreeing: 3900 / 9900.
    let ratio = 3900.0 / 9900.0;
    assert!(
        (h.learned.calibration() - ratio).abs() < 1e-9,
        "{}",
        h.learned.calibration()
    );
    let b = h.learned.occupation(Some(1), "B").mean;
    assert!((before - 300.0).abs() < 1e-6, "{before}");
    assert!((b - 300.0 * ratio).abs() < 1e-6, "B, never seen: {b} s");
    // C (10 min) is corrected alike; A itself still mostly its own observations.
    let c = h.learned.occupation(Some(2), "C").mean;
    assert!((c - 600.0 * ratio).abs() < 1e-6, "{c}");
    let a = h.learned.occupation(Some(1), "A").mean;
    assert!(a < 110.0, "{a}");
}

/// Issue 23: a citizen who comes to an idle counter is called after the clerk's usual pause
/// (10 s here, learned from release to call with someone waiting), counted from their
/// arrival: not at once, as the play had it. One who has waited longer than the pause is
/// called at once.
#[test]
fn a_ticket_at_an_idle_counter_waits_the_clerks_usual_pause_from_its_arrival() {
    let mut h = Hall::new();
    h.learn(1, "A", 200, 240, 10);
    h.open(1);
    let f = forecast(&h.state, &h.learned, now());
    let taken_now = f.outlook.wait_at("A", Priority::Normal, now()).unwrap();
    assert_eq!((taken_now.ahead, taken_now.expected_secs), (0, 10));
    h.issue(1, "A", Priority::Normal, 4);
    h.issue(2, "B", Priority::Normal, 40);
    let f = forecast(&h.state, &h.learned, now());
    // B-2 (40 s in, the longer wait) is called at once; A-1 after B-2's call.
    assert_eq!(waits(&f, &[2]), vec![(0, 0)]);
    let a = waits(&f, &[1])[0];
    assert!(a.0 == 1 && a.1 > 200, "A-1 waits for B-2's call: {a:?}");
    // Alone at the idle counter, A-1 (4 s in) is called 6 s from now.
    let mut h = Hall::new();
    h.learn(1, "A", 200, 240, 10);
    h.open(1);
    h.issue(1, "A", Priority::Normal, 4);
    let f = forecast(&h.state, &h.learned, now());
    assert_eq!(waits(&f, &[1]), vec![(0, 6)]);
}

//! Given/when/then tests of every engine command and rejection, on simulated time.

mod support;

use chrono::Duration;
use protocol::state::{next_for_counter, service_load, ticket_view};
use protocol::wire::{ErrorCode, Position, TransferTarget};
use protocol::{CancelReason, CounterState, Event, Outcome, Priority, ProfileEntry, TicketState};
use queue_server::engine::Command;
use support::*;

// ----- issuing -----

#[test]
fn tickets_are_numbered_per_service_and_never_share_an_id() {
    let mut h = Hall::open();
    let a1 = h.issue("CIT-BIRTH");
    let a2 = h.issue("CIT-BIRTH");
    let b1 = h.issue("CIT-TAX");
    assert_eq!(
        (h.label(a1), h.label(a2), h.label(b1)),
        ("A-001".into(), "A-002".into(), "B-001".into())
    );
    assert!(a1 < a2 && a2 < b1, "ids grow across services");
}

#[test]
fn unknown_service_is_refused() {
    let mut h = Hall::open();
    let cmd = Command::IssueTicket {
        service: "NOPE".into(),
        priority: Priority::Normal,
        idempotency_key: None,
        token: "t".into(),
    };
    assert_eq!(h.rejected(&kiosk(), cmd), ErrorCode::UnknownService);
    assert!(h.state.tickets.is_empty());
}

#[test]
fn a_closed_service_takes_no_tickets_until_reopened() {
    let mut h = Hall::open();
    h.when(
        &boss(),
        Command::SetServiceOpen {
            service: "CIT-TAX".into(),
            open: false,
        },
    )
    .unwrap();
    let cmd = || Command::IssueTicket {
        service: "CIT-TAX".into(),
        priority: Priority::Normal,
        idempotency_key: None,
        token: "t".into(),
    };
    assert_eq!(h.rejected(&kiosk(), cmd()), ErrorCode::ServiceClosed);
    h.when(
        &boss(),
        Command::SetServiceOpen {
            service: "CIT-TAX".into(),
            open: true,
        },
    )
    .unwrap();
    assert!(h.when(&kiosk(), cmd()).is_ok());
}

#[test]
fn setting_a_service_to_its_current_availability_changes_nothing() {
    let mut h = Hall::open();
    let events = h
        .when(
            &boss(),
            Command::SetServiceOpen {
                service: "CIT-TAX".into(),
                open: true,
            },
        )
        .unwrap();
    assert!(events.is_empty());
    let unknown = Command::SetServiceOpen {
        service: "X".into(),
        open: true,
    };
    assert_eq!(h.rejected(&boss(), unknown), ErrorCode::UnknownService);
}

#[test]
fn outside_opening_hours_the_sample_center_refuses_with_its_hours() {
    let mut h = Hall::given(queue_server::config::sample());
    h.now = cairo(20, 0);
    let service = h
        .state
        .services
        .values()
        .find(|q| q.service.open)
        .unwrap()
        .service
        .code
        .clone();
    let cmd = Command::IssueTicket {
        service,
        priority: Priority::Normal,
        idempotency_key: None,
        token: "t".into(),
    };
    let err = queue_server::engine::decide(&h.state, &kiosk(), &cmd, h.now).unwrap_err();
    assert_eq!(err.code, ErrorCode::OutsideHours);
    assert!(
        err.message.contains(':'),
        "the message gives the hours: {}",
        err.message
    );
    h.now = cairo(10, 0);
    assert!(queue_server::engine::decide(&h.state, &kiosk(), &cmd, h.now).is_ok());
}

#[test]
fn the_daily_limit_stops_issuing_and_resets_the_next_day() {
    let mut h = Hall::open();
    for _ in 0..3 {
        h.issue("CIT-SHOP");
    }
    let cmd = || Command::IssueTicket {
        service: "CIT-SHOP".into(),
        priority: Priority::Normal,
        idempotency_key: None,
        token: "t".into(),
    };
    assert_eq!(h.rejected(&kiosk(), cmd()), ErrorCode::DailyLimitReached);
    h.advance(Duration::days(1));
    let day = queue_server::engine::day_change(&h.state, h.now).unwrap();
    h.when(&queue_server::engine::Actor::system(), day).unwrap();
    assert!(h.when(&kiosk(), cmd()).is_ok());
}

#[test]
fn a_retry_with_the_same_key_issues_nothing_new() {
    let mut h = Hall::open();
    let cmd = Command::IssueTicket {
        service: "CIT-BIRTH".into(),
        priority: Priority::Normal,
        idempotency_key: Some("abc".into()),
        token: "t1".into(),
    };
    assert_eq!(h.when(&kiosk(), cmd.clone()).unwrap().len(), 1);
    assert!(
        h.when(&kiosk(), cmd.clone()).unwrap().is_empty(),
        "retry adds no ticket"
    );
    assert_eq!(h.state.tickets.len(), 1);
    // The same key from another kiosk is another request.
    let other = queue_server::engine::Actor::new(protocol::wire::Role::Kiosk, "kiosk-2");
    assert_eq!(h.when(&other, cmd).unwrap().len(), 1);
}

#[test]
fn a_new_day_restarts_numbers_and_closes_what_was_left() {
    let mut h = Hall::open();
    let old = h.issue("CIT-BIRTH");
    h.issue("CIT-BIRTH");
    let first_day = h.day();
    h.advance(Duration::days(1));
    let day = queue_server::engine::day_change(&h.state, h.now).unwrap();
    let events = h.when(&queue_server::engine::Actor::system(), day).unwrap();
    assert!(events.contains(&Event::TicketCancelled {
        ticket: old,
        reason: CancelReason::DayEnded
    }));
    assert!(h.day() > first_day);
    let fresh = h.issue("CIT-BIRTH");
    assert_eq!(h.label(fresh), "A-001");
    assert!(fresh > old, "the id is never reused");
    assert!(
        queue_server::engine::day_change(&h.state, h.now).is_none(),
        "one start per day"
    );
}

// ----- counters -----

#[test]
fn a_counter_is_opened_by_one_clerk_and_a_clerk_holds_one_counter() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 1);
    assert_eq!(h.state.counters[&1].clerk.as_deref(), Some("mona"));
    assert!(
        h.when(&mona(), Command::OpenCounter { counter: 1 })
            .unwrap()
            .is_empty(),
        "reopening is harmless"
    );
    assert_eq!(
        h.rejected(&ali(), Command::OpenCounter { counter: 1 }),
        ErrorCode::CounterBusy
    );
    assert_eq!(
        h.rejected(&mona(), Command::OpenCounter { counter: 2 }),
        ErrorCode::ClerkHasCounter
    );
    assert_eq!(
        h.rejected(&mona(), Command::OpenCounter { counter: 99 }),
        ErrorCode::UnknownCounter
    );
}

#[test]
fn only_the_clerk_who_opened_a_counter_works_it() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    assert_eq!(
        h.rejected(&ali(), Command::CallNext { counter: 1 }),
        ErrorCode::CounterNotYours
    );
    assert_eq!(
        h.rejected(&ali(), Command::CloseCounter { counter: 1 }),
        ErrorCode::CounterNotYours
    );
    assert_eq!(
        h.rejected(&ali(), Command::CallNext { counter: 2 }),
        ErrorCode::CounterClosed
    );
}

#[test]
fn closing_waits_for_the_ticket_and_for_parked_tickets() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    h.call_next(&mona(), 1);
    assert_eq!(
        h.rejected(&mona(), Command::CloseCounter { counter: 1 }),
        ErrorCode::CounterBusy
    );
    h.when(
        &mona(),
        Command::Park {
            counter: 1,
            note: "copy of ID".into(),
        },
    )
    .unwrap();
    assert_eq!(
        h.rejected(&mona(), Command::CloseCounter { counter: 1 }),
        ErrorCode::CounterHasParked
    );
    let parked = *h.state.tickets.keys().next().unwrap();
    h.when(
        &mona(),
        Command::ReturnParked {
            counter: 1,
            ticket: parked,
        },
    )
    .unwrap();
    h.when(
        &mona(),
        Command::Finish {
            counter: 1,
            outcome: Outcome::Completed,
            reference: None,
        },
    )
    .unwrap();
    h.when(&mona(), Command::CloseCounter { counter: 1 })
        .unwrap();
    assert_eq!(h.state.counters[&1].state, CounterState::Closed);
    assert_eq!(h.state.counters[&1].clerk, None);
}

#[test]
fn a_manager_can_close_a_forgotten_idle_counter() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 1);
    h.when(&boss(), Command::CloseCounter { counter: 1 })
        .unwrap();
    assert_eq!(h.state.counters[&1].state, CounterState::Closed);
    h.open_counter(&mona(), 2);
}

#[test]
fn a_paused_counter_calls_nobody_and_cannot_pause_mid_service() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    h.when(&mona(), Command::PauseCounter { counter: 1 })
        .unwrap();
    assert_eq!(h.state.counters[&1].state, CounterState::Paused);
    assert_eq!(
        h.rejected(&mona(), Command::CallNext { counter: 1 }),
        ErrorCode::CounterBusy
    );
    h.when(&mona(), Command::ResumeCounter { counter: 1 })
        .unwrap();
    h.call_next(&mona(), 1);
    assert_eq!(
        h.rejected(&mona(), Command::PauseCounter { counter: 1 }),
        ErrorCode::CounterBusy
    );
}

// ----- calling -----

#[test]
fn call_next_on_an_empty_queue_says_so() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 1);
    assert_eq!(
        h.rejected(&mona(), Command::CallNext { counter: 1 }),
        ErrorCode::QueueEmpty
    );
}

#[test]
fn a_counter_calls_only_the_services_of_its_profile_and_cannot_call_twice() {
    let mut h = Hall::open();
    h.issue("CIT-SHOP"); // counter 2 serves only CIT-BIRTH
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    assert_eq!(h.call_next(&mona(), 2), h.label(a));
    assert_eq!(
        h.rejected(&mona(), Command::CallNext { counter: 2 }),
        ErrorCode::CounterBusy
    );
}

#[test]
fn tickets_of_one_priority_are_called_first_come_first_served() {
    let mut h = Hall::open();
    let labels: Vec<String> = (0..4)
        .map(|_| {
            h.minutes(1);
            let id = h.issue("CIT-BIRTH");
            h.label(id)
        })
        .collect();
    h.open_counter(&mona(), 2);
    for l in labels {
        assert_eq!(h.call_next(&mona(), 2), l);
        h.when(
            &mona(),
            Command::Finish {
                counter: 2,
                outcome: Outcome::Completed,
                reference: None,
            },
        )
        .unwrap();
    }
}

#[test]
fn a_disabled_citizen_goes_ahead_of_recent_arrivals_but_not_of_long_waiters() {
    let mut h = Hall::open();
    let long = h.issue("CIT-BIRTH");
    h.minutes(15);
    let recent = h.issue("CIT-BIRTH");
    h.minutes(1);
    let disabled = h.issue_as("CIT-BIRTH", Priority::Disabled);
    h.open_counter(&mona(), 2);
    // Scores: long (900+300)*1 = 1200; recent (60+300) = 360; disabled (0+300)*3 = 900.
    assert_eq!(h.call_next(&mona(), 2), h.label(long));
    h.when(
        &mona(),
        Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: None,
        },
    )
    .unwrap();
    assert_eq!(h.call_next(&mona(), 2), h.label(disabled));
    h.when(
        &mona(),
        Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: None,
        },
    )
    .unwrap();
    assert_eq!(h.call_next(&mona(), 2), h.label(recent));
}

#[test]
fn an_overdue_ticket_is_called_before_any_priority() {
    let mut h = Hall::open();
    let old = h.issue("CIT-BIRTH");
    h.minutes(21); // past the 20-minute starvation limit
    for _ in 0..5 {
        h.issue_as("CIT-BIRTH", Priority::Disabled);
    }
    h.open_counter(&mona(), 2);
    assert_eq!(h.call_next(&mona(), 2), h.label(old));
}

#[test]
fn profile_weights_favour_a_service() {
    let mut h = Hall::open();
    let tax = h.issue("CIT-TAX");
    h.minutes(2);
    let birth = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    let profile = vec![
        ProfileEntry {
            service: "CIT-BIRTH".into(),
            weight: 3.0,
        },
        ProfileEntry {
            service: "CIT-TAX".into(),
            weight: 1.0,
        },
    ];
    h.when(
        &boss(),
        Command::SetCounterProfile {
            counter: 1,
            profile,
        },
    )
    .unwrap();
    // tax: (120+300)*1 = 420; birth: (0+300)*3 = 900.
    assert_eq!(next_for_counter(&h.state, 1, h.now), Some(birth));
    assert_ne!(next_for_counter(&h.state, 1, h.now), Some(tax));
}

#[test]
fn invalid_profiles_are_refused() {
    let mut h = Hall::open();
    let p = |s: &str, w: f64| ProfileEntry {
        service: s.into(),
        weight: w,
    };
    for profile in [
        vec![],
        vec![p("NOPE", 1.0)],
        vec![p("CIT-TAX", 0.0)],
        vec![p("CIT-TAX", f64::NAN)],
        vec![p("CIT-TAX", 1.0), p("CIT-TAX", 2.0)],
    ] {
        assert_eq!(
            h.rejected(
                &boss(),
                Command::SetCounterProfile {
                    counter: 1,
                    profile
                }
            ),
            ErrorCode::InvalidProfile
        );
    }
    let unknown = Command::SetCounterProfile {
        counter: 42,
        profile: vec![p("CIT-TAX", 1.0)],
    };
    assert_eq!(h.rejected(&boss(), unknown), ErrorCode::UnknownCounter);
}

#[test]
fn calling_out_of_order_needs_a_reason_and_records_it() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    let second = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    let blank = Command::CallTicket {
        counter: 2,
        ticket: second,
        reason: "  ".into(),
    };
    assert_eq!(h.rejected(&mona(), blank), ErrorCode::ReasonRequired);
    let events = h
        .when(
            &mona(),
            Command::CallTicket {
                counter: 2,
                ticket: second,
                reason: "wheelchair".into(),
            },
        )
        .unwrap();
    assert_eq!(
        events,
        vec![Event::TicketCalled {
            ticket: second,
            counter: 2,
            out_of_order_reason: Some("wheelchair".into())
        }]
    );
    h.when(&mona(), Command::NoShow { counter: 2 }).unwrap();
    let again = Command::CallTicket {
        counter: 2,
        ticket: second,
        reason: "again".into(),
    };
    assert_eq!(h.rejected(&mona(), again), ErrorCode::TicketClosed);
    let missing = Command::CallTicket {
        counter: 2,
        ticket: protocol::TicketId(999),
        reason: "x".into(),
    };
    assert_eq!(h.rejected(&mona(), missing), ErrorCode::UnknownTicket);
}

#[test]
fn recall_counts_and_needs_a_called_ticket() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    assert_eq!(
        h.rejected(&mona(), Command::Recall { counter: 2 }),
        ErrorCode::WrongTicketState
    );
    h.call_next(&mona(), 2);
    h.when(&mona(), Command::Recall { counter: 2 }).unwrap();
    h.when(&mona(), Command::Recall { counter: 2 }).unwrap();
    assert_eq!(h.state.tickets[&a].recalls, 2);
    h.when(&mona(), Command::StartServing { counter: 2 })
        .unwrap();
    assert_eq!(
        h.rejected(&mona(), Command::Recall { counter: 2 }),
        ErrorCode::WrongTicketState
    );
}

#[test]
fn no_show_frees_the_counter_and_ends_the_ticket() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    assert_eq!(
        h.rejected(&mona(), Command::NoShow { counter: 2 }),
        ErrorCode::WrongTicketState
    );
    h.call_next(&mona(), 2);
    h.when(&mona(), Command::NoShow { counter: 2 }).unwrap();
    assert_eq!(h.state.counters[&2].state, CounterState::Idle);
    assert_eq!(h.state.closed_today[&a].state, TicketState::NoShow);
}

#[test]
fn serving_then_finishing_records_outcome_and_reference() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    let finish = |r: Option<&str>| Command::Finish {
        counter: 2,
        outcome: Outcome::Completed,
        reference: r.map(Into::into),
    };
    assert_eq!(
        h.rejected(&mona(), finish(None)),
        ErrorCode::WrongTicketState
    );
    h.call_next(&mona(), 2);
    assert_eq!(
        h.rejected(&mona(), Command::StartServing { counter: 3 }),
        ErrorCode::CounterClosed
    );
    h.when(&mona(), Command::StartServing { counter: 2 })
        .unwrap();
    assert_eq!(h.state.counters[&2].state, CounterState::Serving);
    h.minutes(4);
    h.when(&mona(), finish(Some(" REQ-2026-0042 "))).unwrap();
    let closed = &h.state.closed_today[&a];
    assert_eq!(
        (closed.state, closed.reference.as_deref()),
        (TicketState::Done, Some("REQ-2026-0042"))
    );
    assert_eq!(h.state.counters[&2].state, CounterState::Idle);
}

#[test]
fn observed_service_times_move_the_estimate() {
    let mut h = Hall::open();
    let before = h.state.services["CIT-BIRTH"].avg_service_secs;
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    h.call_next(&mona(), 2);
    h.minutes(30);
    h.when(
        &mona(),
        Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: None,
        },
    )
    .unwrap();
    assert!(
        h.state.services["CIT-BIRTH"].avg_service_secs > before,
        "a slow service raises the average"
    );
}

// ----- transfer, park -----

#[test]
fn transfer_to_another_service_at_the_back_keeps_the_number() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.minutes(1);
    let b = h.issue("CIT-TAX");
    h.open_counter(&mona(), 2);
    h.call_next(&mona(), 2);
    h.minutes(3);
    let t = Command::Transfer {
        counter: Some(2),
        ticket: None,
        target: TransferTarget::Service {
            service: "CIT-TAX".into(),
        },
        position: Position::Back,
    };
    h.when(&mona(), t).unwrap();
    let moved = &h.state.tickets[&a];
    assert_eq!(
        (moved.state, moved.service.as_str(), moved.label.as_str()),
        (TicketState::Waiting, "CIT-TAX", "A-001")
    );
    assert_eq!(h.state.counters[&2].state, CounterState::Idle);
    h.open_counter(&ali(), 3);
    assert_eq!(
        h.call_next(&ali(), 3),
        h.label(b),
        "at the back: after who was there"
    );
}

#[test]
fn transfer_to_the_front_is_called_first() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.issue_as("CIT-TAX", Priority::Disabled);
    h.open_counter(&mona(), 2);
    h.call_next(&mona(), 2);
    let t = Command::Transfer {
        counter: Some(2),
        ticket: Some(a),
        target: TransferTarget::Service {
            service: "CIT-TAX".into(),
        },
        position: Position::Front,
    };
    h.when(&mona(), t).unwrap();
    h.open_counter(&ali(), 3);
    assert_eq!(h.call_next(&ali(), 3), "A-001");
}

#[test]
fn transfer_to_a_counter_reserves_the_ticket_for_it() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    h.open_counter(&ali(), 1);
    h.call_next(&mona(), 2);
    let closed = Command::Transfer {
        counter: Some(2),
        ticket: None,
        target: TransferTarget::Counter { counter: 4 },
        position: Position::Back,
    };
    assert_eq!(h.rejected(&mona(), closed), ErrorCode::CounterClosed);
    let t = Command::Transfer {
        counter: Some(2),
        ticket: None,
        target: TransferTarget::Counter { counter: 1 },
        position: Position::Back,
    };
    h.when(&mona(), t).unwrap();
    assert_eq!(h.state.tickets[&a].assigned_counter, Some(1));
    assert_eq!(
        h.rejected(&mona(), Command::CallNext { counter: 2 }),
        ErrorCode::QueueEmpty,
        "counter 2 may not take it back"
    );
    assert_eq!(h.call_next(&ali(), 1), "A-001");
}

#[test]
fn transfer_rejections() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    let to = |s: &str| TransferTarget::Service { service: s.into() };
    let idle = Command::Transfer {
        counter: Some(2),
        ticket: None,
        target: to("CIT-TAX"),
        position: Position::Back,
    };
    assert_eq!(h.rejected(&mona(), idle), ErrorCode::WrongTicketState);
    let no_counter = Command::Transfer {
        counter: None,
        ticket: Some(a),
        target: to("CIT-TAX"),
        position: Position::Back,
    };
    assert_eq!(
        h.rejected(&mona(), no_counter.clone()),
        ErrorCode::Forbidden
    );
    h.call_next(&mona(), 2);
    let unknown = Command::Transfer {
        counter: Some(2),
        ticket: None,
        target: to("NOPE"),
        position: Position::Back,
    };
    assert_eq!(h.rejected(&mona(), unknown), ErrorCode::UnknownService);
    assert_eq!(
        h.rejected(&boss(), no_counter),
        ErrorCode::WrongTicketState,
        "a manager moves only waiting tickets"
    );
}

#[test]
fn park_and_return_to_the_same_counter() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    h.open_counter(&ali(), 1);
    h.call_next(&mona(), 2);
    h.when(
        &mona(),
        Command::Park {
            counter: 2,
            note: "photocopy".into(),
        },
    )
    .unwrap();
    assert_eq!(h.state.tickets[&a].state, TicketState::Parked);
    assert_eq!(
        h.call_next(&mona(), 2),
        "A-002",
        "the counter serves others meanwhile"
    );
    assert_eq!(
        h.rejected(
            &mona(),
            Command::ReturnParked {
                counter: 2,
                ticket: a
            }
        ),
        ErrorCode::CounterBusy
    );
    h.when(
        &mona(),
        Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: None,
        },
    )
    .unwrap();
    assert_eq!(
        h.rejected(
            &ali(),
            Command::ReturnParked {
                counter: 1,
                ticket: a
            }
        ),
        ErrorCode::WrongTicketState
    );
    h.when(
        &mona(),
        Command::ReturnParked {
            counter: 2,
            ticket: a,
        },
    )
    .unwrap();
    assert_eq!(h.state.counters[&2].ticket, Some(a));
    assert_eq!(h.state.tickets[&a].state, TicketState::Called);
}

// ----- cancel, withdraw, message -----

#[test]
fn staff_cancel_waiting_tickets_but_not_one_at_a_counter() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    let b = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    h.call_next(&mona(), 2);
    assert_eq!(
        h.rejected(&boss(), Command::CancelTicket { ticket: a }),
        ErrorCode::WrongTicketState
    );
    h.when(&boss(), Command::CancelTicket { ticket: b })
        .unwrap();
    assert_eq!(h.state.closed_today[&b].state, TicketState::Cancelled);
    assert_eq!(
        h.rejected(&boss(), Command::CancelTicket { ticket: b }),
        ErrorCode::TicketClosed
    );
}

#[test]
fn a_citizen_withdraws_by_token() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    let token = h.state.tickets[&a].token.clone();
    let citizen = queue_server::engine::Actor::new(protocol::wire::Role::Citizen, "citizen");
    assert_eq!(
        h.rejected(
            &citizen,
            Command::WithdrawTicket {
                token: "guess".into()
            }
        ),
        ErrorCode::UnknownTicket
    );
    assert_eq!(
        h.rejected(
            &citizen,
            Command::WithdrawTicket {
                token: String::new()
            }
        ),
        ErrorCode::UnknownTicket
    );
    h.when(
        &citizen,
        Command::WithdrawTicket {
            token: token.clone(),
        },
    )
    .unwrap();
    assert_eq!(
        h.rejected(&citizen, Command::WithdrawTicket { token }),
        ErrorCode::TicketClosed
    );
}

#[test]
fn the_board_message_has_a_length_limit() {
    let mut h = Hall::open();
    h.when(
        &boss(),
        Command::SetMessage {
            text: "  يرجى تجهيز الأوراق  ".into(),
        },
    )
    .unwrap();
    assert_eq!(h.state.message, "يرجى تجهيز الأوراق");
    let long = "ا".repeat(protocol::MAX_MESSAGE_CHARS + 1);
    assert_eq!(
        h.rejected(&boss(), Command::SetMessage { text: long }),
        ErrorCode::MessageTooLong
    );
}

// ----- estimates -----

#[test]
fn people_ahead_and_estimated_wait_follow_the_hall() {
    let mut h = Hall::open();
    let ids: Vec<_> = (0..3).map(|_| h.issue("CIT-BIRTH")).collect();
    let view = ticket_view(&h.state, ids[2], h.now).unwrap();
    assert_eq!(view.people_ahead, Some(2));
    assert_eq!(
        view.estimated_wait_secs, None,
        "no counter open: no estimate rather than a wrong one"
    );
    h.open_counter(&mona(), 2);
    let one_counter = ticket_view(&h.state, ids[2], h.now)
        .unwrap()
        .estimated_wait_secs
        .unwrap();
    assert!(one_counter > 0);
    h.open_counter(&ali(), 1);
    let two_counters = ticket_view(&h.state, ids[2], h.now)
        .unwrap()
        .estimated_wait_secs
        .unwrap();
    assert!(two_counters < one_counter, "{two_counters} < {one_counter}");
    h.call_next(&mona(), 2);
    assert_eq!(
        ticket_view(&h.state, ids[2], h.now).unwrap().people_ahead,
        Some(1)
    );
    let called = ticket_view(&h.state, ids[0], h.now).unwrap();
    assert_eq!(
        (called.state, called.counter),
        (TicketState::Called, Some(2))
    );
    assert_eq!(called.counter_name.unwrap().en, "Window 2");
    let load = service_load(&h.state, "CIT-BIRTH", h.now);
    assert_eq!(load.waiting, 2);
    assert_eq!(load.counters_serving, 2);
}

#[test]
fn a_new_catalog_cancels_tickets_of_removed_services() {
    let mut h = Hall::open();
    let shop = h.issue("CIT-SHOP");
    let birth = h.issue("CIT-BIRTH");
    let mut catalog = always_open();
    catalog.services.retain(|s| s.code != "CIT-SHOP");
    for c in &mut catalog.counters {
        c.profile.retain(|p| p.service != "CIT-SHOP");
    }
    catalog.counters.retain(|c| !c.profile.is_empty());
    let events = h
        .when(
            &queue_server::engine::Actor::system(),
            Command::LoadCatalog {
                catalog: Box::new(catalog),
            },
        )
        .unwrap();
    assert!(events.contains(&Event::TicketCancelled {
        ticket: shop,
        reason: CancelReason::ServiceRemoved
    }));
    assert!(h.state.tickets.contains_key(&birth));
    assert!(!h.state.counters.contains_key(&4));
}

#[test]
fn replaying_the_log_rebuilds_the_same_state() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    h.issue_as("CIT-TAX", Priority::Elderly);
    h.open_counter(&mona(), 1);
    h.call_next(&mona(), 1);
    h.when(&mona(), Command::StartServing { counter: 1 })
        .unwrap();
    let mut replayed = protocol::State::default();
    for e in &h.log {
        protocol::apply(&mut replayed, e);
    }
    assert_eq!(replayed, h.state);
}

// ----- KPIs from events -----

#[test]
fn kpis_give_wait_and_service_time_per_service_counter_and_clerk() {
    use queue_server::kpi::{GroupBy, Kpis};
    let mut h = Hall::open();
    h.issue("CIT-BIRTH"); // A-001 at 09:00
    h.issue("CIT-BIRTH"); // A-002 at 09:00
    h.open_counter(&mona(), 2);
    h.minutes(10);
    h.call_next(&mona(), 2); // A-001 waited 10 min
    h.when(&mona(), Command::StartServing { counter: 2 })
        .unwrap();
    h.minutes(4);
    h.when(
        &mona(),
        Command::Finish {
            counter: 2,
            outcome: Outcome::Completed,
            reference: None,
        },
    )
    .unwrap();
    h.minutes(6);
    h.call_next(&mona(), 2); // A-002 waited 20 min
    h.when(&mona(), Command::NoShow { counter: 2 }).unwrap();
    let k = Kpis::from_events(&h.log);
    let by_service = k.summary(GroupBy::Service);
    let birth = by_service.iter().find(|s| s.key == "CIT-BIRTH").unwrap();
    assert_eq!((birth.tickets, birth.served, birth.no_shows), (2, 1, 1));
    assert_eq!(birth.wait_mean_secs, Some(15.0 * 60.0));
    assert_eq!(birth.wait_p90_secs, Some(20.0 * 60.0));
    assert_eq!(birth.service_mean_secs, Some(4.0 * 60.0));
    let clerks = k.summary(GroupBy::Clerk);
    assert_eq!(clerks.len(), 1);
    assert_eq!((clerks[0].key.as_str(), clerks[0].served), ("mona", 1));
    assert_eq!(k.summary(GroupBy::Counter)[0].key, "2");
}

// ----- printer reports -----

fn report(status: protocol::PrinterStatus, detail: &str) -> Command {
    Command::ReportPrinter {
        status,
        detail: detail.into(),
    }
}

#[test]
fn a_kiosk_out_of_paper_is_recorded_once_and_shown_in_the_state_until_it_prints_again() {
    use protocol::PrinterStatus::*;
    let mut h = Hall::open();
    // A printer first seen ready is not news.
    assert_eq!(h.when(&kiosk(), report(Ready, "")).unwrap(), vec![]);
    assert!(h.state.printers.is_empty());

    h.minutes(5);
    let events = h
        .when(&kiosk(), report(PaperOut, "DLE EOT 4: paper end"))
        .unwrap();
    assert_eq!(
        events,
        vec![Event::PrinterStatusChanged {
            device: "kiosk-1".into(),
            status: PaperOut,
            detail: "DLE EOT 4: paper end".into(),
        }]
    );
    let since = h.now;
    // Reporting the same status again (after every receipt) writes nothing, detail or not.
    h.minutes(1);
    assert_eq!(
        h.when(&kiosk(), report(PaperOut, "still out")).unwrap(),
        vec![]
    );
    let p = &h.state.printers["kiosk-1"];
    assert_eq!((p.status, p.since), (PaperOut, since));
    // The public state the boards and the manager console get carries it.
    assert_eq!(h.state.public().printers["kiosk-1"].status, PaperOut);

    h.minutes(3);
    let events = h.when(&kiosk(), report(Ready, "")).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(h.state.printers["kiosk-1"].status, Ready);
    assert_eq!(h.state.printers["kiosk-1"].since, h.now);
}

#[test]
fn each_kiosk_has_its_own_printer_and_only_kiosks_report() {
    use protocol::PrinterStatus::*;
    let mut h = Hall::open();
    let kiosk2 = queue_server::engine::Actor::new(protocol::wire::Role::Kiosk, "kiosk-2");
    h.when(&kiosk(), report(CoverOpen, "")).unwrap();
    h.when(&kiosk2, report(Offline, "connection refused"))
        .unwrap();
    assert_eq!(h.state.printers["kiosk-1"].status, CoverOpen);
    assert_eq!(h.state.printers["kiosk-2"].detail, "connection refused");
    for who in [mona(), boss()] {
        assert_eq!(h.rejected(&who, report(PaperOut, "")), ErrorCode::Forbidden);
    }
    assert_eq!(h.state.printers.len(), 2);
}

#[test]
fn a_printer_report_detail_is_trimmed_and_cut_to_200_characters() {
    let mut h = Hall::open();
    let long = format!("  {}  ", "x".repeat(500));
    match h
        .when(&kiosk(), report(protocol::PrinterStatus::Offline, &long))
        .unwrap()
        .as_slice()
    {
        [Event::PrinterStatusChanged { detail, .. }] => assert_eq!(detail, &"x".repeat(200)),
        other => panic!("unexpected {other:?}"),
    }
}

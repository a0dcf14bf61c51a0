//! Given/when/then tests of the counter commands on simulated time (`testkit::hall`):
//! opening, closing, pausing, the routing order when calling, recall, no-show, serving and
//! finishing, and the figures folded from what happened at the counters.

use hall_core::engine::Command;
use hall_core::error::ErrorCode;
use hall_core::{CounterState, Event, Outcome, Priority, TicketState};
use testkit::hall::*;

#[test]
fn a_counter_is_opened_by_one_clerk_and_a_clerk_holds_one_counter() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 1);
    assert_eq!(h.state.counters[&1].clerk.as_deref(), Some("mona"));
    // Reopening is harmless: decided, and nothing happens.
    h.when(&mona(), Command::OpenCounter { counter: 1 })
        .then_nothing();
    h.when(&ali(), Command::OpenCounter { counter: 1 })
        .then_rejected(ErrorCode::CounterBusy);
    h.when(&mona(), Command::OpenCounter { counter: 2 })
        .then_rejected(ErrorCode::ClerkHasCounter);
    h.when(&mona(), Command::OpenCounter { counter: 99 })
        .then_rejected(ErrorCode::UnknownCounter);
}

#[test]
fn only_the_clerk_who_opened_a_counter_works_it() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    h.when(&ali(), Command::CallNext { counter: 1 })
        .then_rejected(ErrorCode::CounterNotYours);
    h.when(&ali(), Command::CloseCounter { counter: 1 })
        .then_rejected(ErrorCode::CounterNotYours);
    h.when(&ali(), Command::CallNext { counter: 2 })
        .then_rejected(ErrorCode::CounterClosed);
}

#[test]
fn closing_waits_for_the_ticket_and_for_parked_tickets() {
    let mut h = Hall::open();
    let parked = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    h.call_next(&mona(), 1);
    h.when(&mona(), Command::CloseCounter { counter: 1 })
        .then_rejected(ErrorCode::CounterBusy);
    h.when(
        &mona(),
        Command::Park {
            counter: 1,
            note: "copy of ID".into(),
        },
    )
    .then(&[Event::TicketParked {
        ticket: parked,
        counter: 1,
        note: "copy of ID".into(),
    }]);
    h.when(&mona(), Command::CloseCounter { counter: 1 })
        .then_rejected(ErrorCode::CounterHasParked);
    h.when(
        &mona(),
        Command::ReturnParked {
            counter: 1,
            ticket: parked,
        },
    )
    .then(&[Event::TicketReturned {
        ticket: parked,
        counter: 1,
    }]);
    h.finish(&mona(), 1);
    h.when(&mona(), Command::CloseCounter { counter: 1 })
        .then(&[Event::CounterClosed { counter: 1 }]);
    assert_eq!(h.state.counters[&1].state, CounterState::Closed);
    assert_eq!(h.state.counters[&1].clerk, None);
}

#[test]
fn a_manager_can_close_a_forgotten_idle_counter() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 1);
    h.when(&boss(), Command::CloseCounter { counter: 1 })
        .then(&[Event::CounterClosed { counter: 1 }]);
    assert_eq!(h.state.counters[&1].state, CounterState::Closed);
    h.open_counter(&mona(), 2);
}

#[test]
fn a_paused_counter_calls_nobody_and_cannot_pause_mid_service() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    h.when(&mona(), Command::PauseCounter { counter: 1 })
        .then(&[Event::CounterPaused { counter: 1 }]);
    assert_eq!(h.state.counters[&1].state, CounterState::Paused);
    h.when(&mona(), Command::CallNext { counter: 1 })
        .then_rejected(ErrorCode::CounterBusy);
    h.when(&mona(), Command::ResumeCounter { counter: 1 })
        .then(&[Event::CounterResumed { counter: 1 }]);
    h.call_next(&mona(), 1);
    h.when(&mona(), Command::PauseCounter { counter: 1 })
        .then_rejected(ErrorCode::CounterBusy);
}

#[test]
fn call_next_on_an_empty_queue_says_so() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 1);
    h.when(&mona(), Command::CallNext { counter: 1 })
        .then_rejected(ErrorCode::QueueEmpty);
}

#[test]
fn a_counter_calls_only_the_services_of_its_profile_and_cannot_call_twice() {
    let mut h = Hall::open();
    h.issue("CIT-SHOP"); // counter 2 serves only CIT-BIRTH
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    assert_eq!(h.call_next(&mona(), 2), h.label(a));
    h.when(&mona(), Command::CallNext { counter: 2 })
        .then_rejected(ErrorCode::CounterBusy);
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
        h.finish(&mona(), 2);
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
    h.finish(&mona(), 2);
    assert_eq!(h.call_next(&mona(), 2), h.label(disabled));
    h.finish(&mona(), 2);
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
    h.when(&mona(), blank)
        .then_rejected(ErrorCode::ReasonRequired);
    h.when(
        &mona(),
        Command::CallTicket {
            counter: 2,
            ticket: second,
            reason: "wheelchair".into(),
        },
    )
    .then(&[Event::TicketCalled {
        ticket: second,
        counter: 2,
        out_of_order_reason: Some("wheelchair".into()),
    }]);
    h.when(&mona(), Command::NoShow { counter: 2 })
        .then(&[Event::TicketNoShow {
            ticket: second,
            counter: 2,
        }]);
    let again = Command::CallTicket {
        counter: 2,
        ticket: second,
        reason: "again".into(),
    };
    h.when(&mona(), again)
        .then_rejected(ErrorCode::TicketClosed);
    let missing = Command::CallTicket {
        counter: 2,
        ticket: hall_core::TicketId(999),
        reason: "x".into(),
    };
    h.when(&mona(), missing)
        .then_rejected(ErrorCode::UnknownTicket);
}

#[test]
fn recall_counts_and_needs_a_called_ticket() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    h.when(&mona(), Command::Recall { counter: 2 })
        .then_rejected(ErrorCode::WrongTicketState);
    h.call_next(&mona(), 2);
    for _ in 0..2 {
        h.when(&mona(), Command::Recall { counter: 2 })
            .then(&[Event::TicketRecalled {
                ticket: a,
                counter: 2,
            }]);
    }
    assert_eq!(h.state.tickets[&a].recalls, 2);
    h.when(&mona(), Command::StartServing { counter: 2 })
        .then(&[Event::ServiceStarted {
            ticket: a,
            counter: 2,
        }]);
    h.when(&mona(), Command::Recall { counter: 2 })
        .then_rejected(ErrorCode::WrongTicketState);
}

#[test]
fn no_show_frees_the_counter_and_ends_the_ticket() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    h.when(&mona(), Command::NoShow { counter: 2 })
        .then_rejected(ErrorCode::WrongTicketState);
    h.call_next(&mona(), 2);
    h.when(&mona(), Command::NoShow { counter: 2 })
        .then(&[Event::TicketNoShow {
            ticket: a,
            counter: 2,
        }]);
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
        suffixes: Vec::new(),
    };
    h.when(&mona(), finish(None))
        .then_rejected(ErrorCode::WrongTicketState);
    h.call_next(&mona(), 2);
    h.when(&mona(), Command::StartServing { counter: 3 })
        .then_rejected(ErrorCode::CounterClosed);
    h.when(&mona(), Command::StartServing { counter: 2 })
        .then(&[Event::ServiceStarted {
            ticket: a,
            counter: 2,
        }]);
    assert_eq!(h.state.counters[&2].state, CounterState::Serving);
    h.minutes(4);
    // The reference as typed, trimmed.
    h.when(&mona(), finish(Some(" REQ-2026-0042 ")))
        .then(&[Event::TicketFinished {
            ticket: a,
            counter: 2,
            outcome: Outcome::Completed,
            reference: Some("REQ-2026-0042".into()),
        }]);
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
    h.finish(&mona(), 2);
    assert!(
        h.state.services["CIT-BIRTH"].avg_service_secs > before,
        "a slow service raises the average"
    );
}

#[test]
fn kpis_give_wait_and_service_time_per_service_counter_and_clerk() {
    use hall_core::kpi::{GroupBy, Kpis};
    let mut h = Hall::open();
    h.issue("CIT-BIRTH"); // A-001 at 09:00
    h.issue("CIT-BIRTH"); // A-002 at 09:00
    h.open_counter(&mona(), 2);
    h.minutes(10);
    h.call_next(&mona(), 2); // A-001 waited 10 min
    h.when(&mona(), Command::StartServing { counter: 2 })
        .events();
    h.minutes(4);
    h.finish(&mona(), 2);
    h.minutes(6);
    h.call_next(&mona(), 2); // A-002 waited 20 min
    h.when(&mona(), Command::NoShow { counter: 2 }).events();
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

#[test]
fn closing_a_counter_returns_the_tickets_transferred_to_it_to_their_queue_at_their_place() {
    // The issue's stranded ticket: A-001 is sent to Window 2, whose clerk then goes home.
    // Before, Window 1 answered queue_empty while the dashboard counted A-001 waiting.
    let mut h = Hall::open();
    let a1 = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    h.open_counter(&ali(), 2);
    assert_eq!(h.call_next(&mona(), 1), "A-001");
    h.minutes(2);
    h.when(
        &mona(),
        Command::Transfer {
            counter: Some(1),
            ticket: None,
            target: hall_core::command::TransferTarget::Counter { counter: 2 },
            position: hall_core::command::Position::Back,
        },
    )
    .then(&[Event::TicketTransferred {
        ticket: a1,
        from_counter: Some(1),
        to_service: "CIT-BIRTH".into(),
        to_counter: Some(2),
        front: false,
    }]);
    let reserved_at = h.state.tickets[&a1].enqueued_at;
    assert_eq!(h.state.tickets[&a1].assigned_counter, Some(2));
    h.minutes(1);
    let a2 = h.issue("CIT-BIRTH");
    // Window 1 may not call it while it is Window 2's.
    assert_eq!(h.call_next(&mona(), 1), "A-002");
    h.finish(&mona(), 1);
    h.when(&mona(), Command::CallNext { counter: 1 })
        .then_rejected(ErrorCode::QueueEmpty);
    // Window 2 closes: the closing is the one event, and A-001 is back in its service's
    // queue, its time in it kept.
    h.when(&ali(), Command::CloseCounter { counter: 2 })
        .then(&[Event::CounterClosed { counter: 2 }]);
    let t = &h.state.tickets[&a1];
    assert_eq!(
        (t.state, t.assigned_counter, t.enqueued_at),
        (TicketState::Waiting, None, reserved_at)
    );
    // A ticket issued after it is still called after it.
    let a3 = h.issue("CIT-BIRTH");
    h.when(&mona(), Command::CallNext { counter: 1 })
        .then(&[Event::TicketCalled {
            ticket: a1,
            counter: 1,
            out_of_order_reason: None,
        }]);
    h.finish(&mona(), 1);
    h.when(&mona(), Command::CallNext { counter: 1 })
        .then(&[Event::TicketCalled {
            ticket: a3,
            counter: 1,
            out_of_order_reason: None,
        }]);
    assert_ne!(a2, a3);
}

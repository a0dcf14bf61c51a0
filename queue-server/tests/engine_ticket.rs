//! Given/when/then tests of the ticket commands on simulated time (`testkit::hall`):
//! issuing (numbers, limits, idempotent retries), transfers, parking, cancelling and
//! withdrawing, and the estimates a ticket's page shows.

use chrono::Duration;
use hall_core::command::{Position, TransferTarget};
use hall_core::engine::Command;
use hall_core::error::ErrorCode;
use hall_core::{CancelReason, CounterState, Event, Priority, TicketState};
use hall_forecast::estimates::{service_load, ticket_view};
use hall_forecast::{Forecast, Learned, forecast};
use testkit::hall::*;

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
    let cmd = ticket_for("NOPE");
    h.when(&kiosk(), cmd)
        .then_rejected(ErrorCode::UnknownService);
    assert!(h.state.tickets.is_empty());
}

#[test]
fn the_daily_limit_stops_issuing_and_resets_the_next_day() {
    let mut h = Hall::open();
    for _ in 0..3 {
        h.issue("CIT-SHOP");
    }
    let cmd = || ticket_for("CIT-SHOP");
    h.when(&kiosk(), cmd())
        .then_rejected(ErrorCode::DailyLimitReached);
    h.advance(Duration::days(1));
    h.new_day();
    assert!(h.when(&kiosk(), cmd()).is_ok());
}

#[test]
fn a_retry_with_the_same_key_issues_nothing_new() {
    let mut h = Hall::open();
    let cmd = Command::IssueTicket {
        service: "CIT-BIRTH".into(),
        priority: Priority::Normal,
        idempotency_key: "abc".into(),
        token: "t1".into(),
    };
    let issued = h.when(&kiosk(), cmd.clone()).events();
    assert!(
        matches!(&issued[..], [Event::TicketIssued { ticket }] if ticket.label == "A-001"),
        "{issued:?}"
    );
    // A retry adds no ticket: decided, nothing happens.
    h.when(&kiosk(), cmd.clone()).then_nothing();
    assert_eq!(h.state.tickets.len(), 1);
    // The same key from another kiosk is another request.
    let other = hall_core::engine::Actor::new(hall_core::role::Role::Kiosk, "kiosk-2");
    let issued = h.when(&other, cmd).events();
    assert!(
        matches!(&issued[..], [Event::TicketIssued { ticket }] if ticket.label == "A-002"),
        "{issued:?}"
    );
}

#[test]
fn the_same_key_for_another_service_or_priority_is_a_key_conflict_never_the_earlier_ticket() {
    let mut h = Hall::open();
    let ask = |service: &str, priority| Command::IssueTicket {
        service: service.into(),
        priority,
        idempotency_key: "k-7".into(),
        token: "t7".into(),
    };
    let first = h
        .when(&kiosk(), ask("CIT-BIRTH", Priority::Elderly))
        .events();
    let [Event::TicketIssued { ticket: issued }] = &first[..] else {
        panic!("one ticket issued: {first:?}");
    };
    let first = issued.id;
    let e = h
        .when(&kiosk(), ask("CIT-TAX", Priority::Elderly))
        .then_rejected(ErrorCode::KeyConflict);
    assert!(e.message.contains("CIT-BIRTH"), "{}", e.message);
    h.when(&kiosk(), ask("CIT-BIRTH", Priority::Normal))
        .then_rejected(ErrorCode::KeyConflict);
    assert_eq!(h.state.tickets.len(), 1, "nothing issued by a conflict");
    // The ticket moved to another service: a retry of the original request is still a retry.
    h.open_counter(&mona(), 1);
    h.call_next(&mona(), 1);
    let t = Command::Transfer {
        counter: Some(1),
        ticket: None,
        target: TransferTarget::Service {
            service: "CIT-TAX".into(),
        },
        position: Position::Back,
    };
    h.when(&mona(), t).then(&[Event::TicketTransferred {
        ticket: first,
        from_counter: Some(1),
        to_service: "CIT-TAX".into(),
        to_counter: None,
        front: false,
    }]);
    // A retry after a transfer issues nothing and is no conflict.
    h.when(&kiosk(), ask("CIT-BIRTH", Priority::Elderly))
        .then_nothing();
    h.when(&kiosk(), ask("CIT-TAX", Priority::Elderly))
        .then_rejected(ErrorCode::KeyConflict);
}

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
    h.when(&mona(), t).then(&[Event::TicketTransferred {
        ticket: a,
        from_counter: Some(2),
        to_service: "CIT-TAX".into(),
        to_counter: None,
        front: false,
    }]);
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
    h.when(&mona(), t).then(&[Event::TicketTransferred {
        ticket: a,
        from_counter: Some(2),
        to_service: "CIT-TAX".into(),
        to_counter: None,
        front: true,
    }]);
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
    h.when(&mona(), closed)
        .then_rejected(ErrorCode::CounterClosed);
    let t = Command::Transfer {
        counter: Some(2),
        ticket: None,
        target: TransferTarget::Counter { counter: 1 },
        position: Position::Back,
    };
    h.when(&mona(), t).then(&[Event::TicketTransferred {
        ticket: a,
        from_counter: Some(2),
        to_service: "CIT-BIRTH".into(),
        to_counter: Some(1),
        front: false,
    }]);
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
    h.when(&mona(), idle)
        .then_rejected(ErrorCode::WrongTicketState);
    let no_counter = Command::Transfer {
        counter: None,
        ticket: Some(a),
        target: to("CIT-TAX"),
        position: Position::Back,
    };
    h.when(&mona(), no_counter.clone())
        .then_rejected(ErrorCode::Forbidden);
    h.call_next(&mona(), 2);
    let unknown = Command::Transfer {
        counter: Some(2),
        ticket: None,
        target: to("NOPE"),
        position: Position::Back,
    };
    h.when(&mona(), unknown)
        .then_rejected(ErrorCode::UnknownService);
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
    .then(&[Event::TicketParked {
        ticket: a,
        counter: 2,
        note: "photocopy".into(),
    }]);
    assert_eq!(h.state.tickets[&a].state, TicketState::Parked);
    assert_eq!(
        h.call_next(&mona(), 2),
        "A-002",
        "the counter serves others meanwhile"
    );
    h.when(
        &mona(),
        Command::ReturnParked {
            counter: 2,
            ticket: a,
        },
    )
    .then_rejected(ErrorCode::CounterBusy);
    h.finish(&mona(), 2);
    h.when(
        &ali(),
        Command::ReturnParked {
            counter: 1,
            ticket: a,
        },
    )
    .then_rejected(ErrorCode::WrongTicketState);
    h.when(
        &mona(),
        Command::ReturnParked {
            counter: 2,
            ticket: a,
        },
    )
    .then(&[Event::TicketReturned {
        ticket: a,
        counter: 2,
    }]);
    assert_eq!(h.state.counters[&2].ticket, Some(a));
    assert_eq!(h.state.tickets[&a].state, TicketState::Called);
}

#[test]
fn staff_cancel_waiting_tickets_but_not_one_at_a_counter() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    let b = h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 2);
    h.call_next(&mona(), 2);
    h.when(&boss(), Command::CancelTicket { ticket: a })
        .then_rejected(ErrorCode::WrongTicketState);
    h.when(&boss(), Command::CancelTicket { ticket: b })
        .then(&[Event::TicketCancelled {
            ticket: b,
            reason: CancelReason::Withdrawn,
        }]);
    assert_eq!(h.state.closed_today[&b].state, TicketState::Cancelled);
    h.when(&boss(), Command::CancelTicket { ticket: b })
        .then_rejected(ErrorCode::TicketClosed);
}

#[test]
fn a_citizen_withdraws_by_token() {
    let mut h = Hall::open();
    let a = h.issue("CIT-BIRTH");
    let token = h.state.tickets[&a].token.clone();
    let citizen = hall_core::engine::Actor::new(hall_core::role::Role::Citizen, "citizen");
    h.when(
        &citizen,
        Command::WithdrawTicket {
            token: "guess".into(),
        },
    )
    .then_rejected(ErrorCode::UnknownTicket);
    h.when(
        &citizen,
        Command::WithdrawTicket {
            token: String::new(),
        },
    )
    .then_rejected(ErrorCode::UnknownTicket);
    h.when(
        &citizen,
        Command::WithdrawTicket {
            token: token.clone(),
        },
    )
    .then(&[Event::TicketCancelled {
        ticket: a,
        reason: CancelReason::Withdrawn,
    }]);
    h.when(&citizen, Command::WithdrawTicket { token })
        .then_rejected(ErrorCode::TicketClosed);
}

/// The queue model's figures for the hall now, learned from the catalog alone.
fn figures(h: &Hall) -> Forecast {
    let learned = Learned::from_catalog(h.state.catalog.as_deref().unwrap());
    forecast(&h.state, &learned, h.now)
}

#[test]
fn people_ahead_and_estimated_wait_follow_the_hall() {
    let mut h = Hall::open();
    let ids: Vec<_> = (0..3).map(|_| h.issue("CIT-BIRTH")).collect();
    let view = ticket_view(&h.state, ids[2], h.now, &figures(&h)).unwrap();
    assert_eq!(
        view.people_ahead,
        Some(2),
        "its place in the service's queue"
    );
    assert_eq!(
        view.estimated_wait_secs, None,
        "no counter open: no estimate rather than a wrong one"
    );
    h.open_counter(&mona(), 2);
    let one = ticket_view(&h.state, ids[2], h.now, &figures(&h)).unwrap();
    let one_counter = one.estimated_wait_secs.unwrap();
    // Two calls of the catalog's expected minutes before it, at the one counter.
    let minutes = h.state.services["CIT-BIRTH"].service.expected_minutes;
    assert_eq!(one_counter, u64::from(minutes) * 60 * 2);
    assert!(one.wait_low_secs.unwrap() < one_counter && one_counter < one.wait_high_secs.unwrap());
    h.open_counter(&ali(), 1);
    let two_counters = ticket_view(&h.state, ids[2], h.now, &figures(&h))
        .unwrap()
        .estimated_wait_secs
        .unwrap();
    assert!(two_counters < one_counter, "{two_counters} < {one_counter}");
    h.call_next(&mona(), 2);
    assert_eq!(
        ticket_view(&h.state, ids[2], h.now, &figures(&h))
            .unwrap()
            .people_ahead,
        Some(1)
    );
    let called = ticket_view(&h.state, ids[0], h.now, &figures(&h)).unwrap();
    assert_eq!(
        (called.state, called.counter),
        (TicketState::Called, Some(2))
    );
    assert_eq!(called.counter_name.unwrap().en, "Window 2");
    let f = figures(&h);
    let load = service_load(&h.state, "CIT-BIRTH", h.now, Some(&f.outlook));
    assert_eq!(load.waiting, 2);
    assert_eq!(load.counters_serving, 2);
    assert_eq!(load.wait.unwrap().ahead, 2);
}

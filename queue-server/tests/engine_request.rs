//! Requests handed in at a window (issue 12), through the real engine on simulated time: the
//! reference, the expected ready day, the state machine and its refusals, feedback once.

use chrono::{Duration, NaiveDate};
use hall_core::engine::{Actor, Command};
use hall_core::error::ErrorCode;
use hall_core::request::RequestState;
use hall_core::role::Role;
use hall_core::{Event, Outcome};
use testkit::hall::*;

fn office() -> Actor {
    Actor::new(Role::BackOffice, "samir")
}

fn submit(counter: u32, suffixes: &[&str]) -> Command {
    Command::Finish {
        counter,
        outcome: Outcome::RequestSubmitted,
        reference: None,
        suffixes: suffixes.iter().map(|s| s.to_string()).collect(),
    }
}

fn set(reference: &str, state: RequestState) -> Command {
    Command::SetRequestState {
        reference: reference.into(),
        state,
        note: String::new(),
    }
}

/// A ticket served at counter 2 and handed in as a request; its reference.
fn handed_in(h: &mut Hall, suffixes: &[&str]) -> String {
    h.issue("CIT-BIRTH");
    h.call_next(&mona(), 2);
    match h.when(&mona(), submit(2, suffixes)).events().as_slice() {
        [
            Event::TicketFinished {
                outcome: Outcome::RequestSubmitted,
                reference: Some(r1),
                ..
            },
            Event::RequestCreated { reference, .. },
        ] => {
            assert_eq!(r1, reference);
            reference.clone()
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_submitted_request_gets_the_next_reference_of_the_year_and_its_ready_day() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 2);
    let first = handed_in(&mut h, &["4821"]);
    let second = handed_in(&mut h, &["٠١٢٣", "9307"]);
    assert_eq!(first, "TST-26-000001");
    assert_eq!(second, "TST-26-000002");
    let r = &h.state.requests[&second];
    assert_eq!(r.state, RequestState::Received);
    assert_eq!(r.suffixes, vec!["0123".to_string(), "9307".into()]);
    // Handed in on 2026-11-22; CIT-BIRTH takes 3 working days, every day is one here.
    assert_eq!(
        r.expected_ready,
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    );
    assert_eq!(r.created_by, "clerk:mona");
    assert_eq!(r.ticket_label, "A-002");
    // The ticket page of the ticket shows the reference at once.
    let closed = &h.state.closed_today[&r.ticket];
    assert_eq!(closed.reference.as_deref(), Some(second.as_str()));
    assert!(closed.request);
    // Requests outlive the day; the numbering goes on (it restarts only with the year).
    h.advance(Duration::days(1));
    h.new_day();
    assert!(h.state.requests.contains_key(&first));
    h.open_counter(&mona(), 2);
    assert_eq!(handed_in(&mut h, &["1111"]), "TST-26-000003");
}

#[test]
fn a_request_without_the_citizens_digits_or_with_a_chosen_reference_is_refused() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 2);
    h.issue("CIT-BIRTH");
    h.call_next(&mona(), 2);
    let bads: [&[&str]; 4] = [&[], &["12"], &["abcd"], &["1111", "2222", "3333"]];
    for bad in bads {
        h.when(&mona(), submit(2, bad))
            .then_rejected(ErrorCode::SuffixRequired);
    }
    let chosen = Command::Finish {
        counter: 2,
        outcome: Outcome::RequestSubmitted,
        reference: Some("TST-26-999999".into()),
        suffixes: vec!["4821".into()],
    };
    h.when(&mona(), chosen).then_rejected(ErrorCode::BadFrame);
    // Nothing happened: the ticket is still at the counter.
    assert!(h.state.requests.is_empty());
    assert!(h.state.counters[&2].ticket.is_some());
}

#[test]
fn the_back_office_moves_a_request_only_along_the_allowed_transitions() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 2);
    let r = handed_in(&mut h, &["4821"]);
    let e = h
        .when(&office(), set(&r, RequestState::Delivered))
        .then_rejected(ErrorCode::RequestTransition);
    assert!(
        e.message.contains("received") && e.message.contains("delivered"),
        "{}",
        e.message
    );
    h.when(&office(), set(&r, RequestState::ReadyForPickup))
        .then_rejected(ErrorCode::RequestTransition);
    h.when(&office(), set(&r, RequestState::UnderReview))
        .then(&[Event::RequestStateChanged {
            reference: r.clone(),
            state: RequestState::UnderReview,
            note: String::new(),
        }]);
    // Documents must be named; a rejection must say why.
    h.when(
        &office(),
        set(
            &r,
            RequestState::NeedsDocuments {
                documents: vec![" ".into()],
            },
        ),
    )
    .then_rejected(ErrorCode::ReasonRequired);
    h.when(
        &office(),
        set(&r, RequestState::Rejected { reason: "".into() }),
    )
    .then_rejected(ErrorCode::ReasonRequired);
    let docs = RequestState::NeedsDocuments {
        documents: vec!["صورة عقد الإيجار".into()],
    };
    h.when(&office(), set(&r, docs.clone()))
        .then(&[Event::RequestStateChanged {
            reference: r.clone(),
            state: docs.clone(),
            note: String::new(),
        }]);
    h.when(&office(), set(&r, RequestState::UnderReview))
        .then(&[Event::RequestStateChanged {
            reference: r.clone(),
            state: RequestState::UnderReview,
            note: String::new(),
        }]);
    // A clerk cannot move a request on; only hand it over once it is ready.
    h.when(&mona(), set(&r, RequestState::ReadyForPickup))
        .then_rejected(ErrorCode::Forbidden);
    h.when(&office(), set(&r, RequestState::ReadyForPickup))
        .then(&[Event::RequestStateChanged {
            reference: r.clone(),
            state: RequestState::ReadyForPickup,
            note: String::new(),
        }]);
    // The pickup window finds it as the citizen reads it out: the event names it as stored.
    h.when(&mona(), set("tst 26 000001", RequestState::Delivered))
        .then(&[Event::RequestStateChanged {
            reference: r.clone(),
            state: RequestState::Delivered,
            note: String::new(),
        }]);
    h.when(&office(), set(&r, RequestState::UnderReview))
        .then_rejected(ErrorCode::RequestTransition);
    h.when(&office(), set("TST-26-000404", RequestState::UnderReview))
        .then_rejected(ErrorCode::UnknownRequest);
    let req = &h.state.requests[&r];
    let states: Vec<&str> = req.history.iter().map(|c| c.state.name()).collect();
    assert_eq!(
        states,
        [
            "received",
            "under_review",
            "needs_documents",
            "under_review",
            "ready_for_pickup",
            "delivered"
        ]
    );
    assert!(
        req.history[1..5]
            .iter()
            .all(|c| c.by == "back_office:samir")
    );
    assert_eq!(req.history[5].by, "clerk:mona");
    assert_eq!(req.history[2].state, docs);
}

#[test]
fn feedback_is_taken_once_per_served_ticket_and_only_after_service() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 2);
    h.issue("CIT-BIRTH");
    let give = |rating: u8| Command::GiveFeedback {
        token: "token-1".into(),
        rating,
        comment: "سريع".into(),
    };
    h.when(&mona(), give(5))
        .then_rejected(ErrorCode::WrongTicketState);
    let served = h.state.tickets.keys().copied().next().unwrap();
    h.call_next(&mona(), 2);
    h.finish(&mona(), 2);
    for bad in [0, 6] {
        h.when(&mona(), give(bad))
            .then_rejected(ErrorCode::InvalidFeedback);
    }
    let long = Command::GiveFeedback {
        token: "token-1".into(),
        rating: 3,
        comment: "x".repeat(501),
    };
    h.when(&mona(), long)
        .then_rejected(ErrorCode::InvalidFeedback);
    h.when(&mona(), give(4)).then(&[Event::FeedbackGiven {
        ticket: served,
        rating: 4,
        comment: "سريع".into(),
    }]);
    h.when(&mona(), give(5))
        .then_rejected(ErrorCode::FeedbackExists);
    let unknown = Command::GiveFeedback {
        token: "nope".into(),
        rating: 3,
        comment: String::new(),
    };
    h.when(&mona(), unknown)
        .then_rejected(ErrorCode::UnknownTicket);
    let t = h.state.closed_today.values().next().unwrap();
    assert_eq!(t.feedback, Some(4));
}

#[test]
fn final_requests_leave_the_state_after_ninety_days_and_open_ones_stay() {
    let mut h = Hall::open();
    h.open_counter(&mona(), 2);
    let done = handed_in(&mut h, &["4821"]);
    let open = handed_in(&mut h, &["4822"]);
    h.when(
        &office(),
        set(&done, RequestState::Rejected { reason: "x".into() }),
    )
    .then(&[Event::RequestStateChanged {
        reference: done.clone(),
        state: RequestState::Rejected { reason: "x".into() },
        note: String::new(),
    }]);
    h.advance(Duration::days(90));
    h.new_day();
    assert!(h.state.requests.contains_key(&done));
    h.advance(Duration::days(1));
    h.new_day();
    assert!(!h.state.requests.contains_key(&done));
    assert!(h.state.requests.contains_key(&open));
    // The public state (clients, boards) never holds requests.
    assert!(h.state.public().requests.is_empty());
}

//! Given/when/then tests of the manager's and the system's commands on simulated time
//! (`testkit::hall`): services opened and closed, opening hours, the day, counter profiles,
//! the boards' message, a new catalog, replay, and the kiosks' printer reports.

use chrono::Duration;
use hall_core::engine::Command;
use hall_core::error::ErrorCode;
use hall_core::state::next_for_counter;
use hall_core::{CancelReason, Event, Priority, ProfileEntry};
use testkit::hall::*;

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
    .then(&[Event::ServiceAvailabilitySet {
        service: "CIT-TAX".into(),
        open: false,
    }]);
    let cmd = || ticket_for("CIT-TAX");
    h.when(&kiosk(), cmd())
        .then_rejected(ErrorCode::ServiceClosed);
    h.when(
        &boss(),
        Command::SetServiceOpen {
            service: "CIT-TAX".into(),
            open: true,
        },
    )
    .then(&[Event::ServiceAvailabilitySet {
        service: "CIT-TAX".into(),
        open: true,
    }]);
    assert!(h.when(&kiosk(), cmd()).is_ok());
}

#[test]
fn setting_a_service_to_its_current_availability_changes_nothing() {
    let mut h = Hall::open();
    h.when(
        &boss(),
        Command::SetServiceOpen {
            service: "CIT-TAX".into(),
            open: true,
        },
    )
    .then_nothing();
    let unknown = Command::SetServiceOpen {
        service: "X".into(),
        open: true,
    };
    h.when(&boss(), unknown)
        .then_rejected(ErrorCode::UnknownService);
}

#[test]
fn outside_opening_hours_the_sample_center_refuses_with_its_hours() {
    let mut h = Hall::given(hall_wire::center_file::sample());
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
    let cmd = ticket_for(&service);
    let err = hall_core::engine::decide(&h.state, &kiosk(), &cmd, h.now).unwrap_err();
    assert_eq!(err.code, ErrorCode::OutsideHours);
    assert!(
        err.message.contains(':'),
        "the message gives the hours: {}",
        err.message
    );
    h.now = cairo(10, 0);
    assert!(hall_core::engine::decide(&h.state, &kiosk(), &cmd, h.now).is_ok());
}

#[test]
fn a_new_day_restarts_numbers_and_closes_what_was_left() {
    let mut h = Hall::open();
    let old = h.issue("CIT-BIRTH");
    h.issue("CIT-BIRTH");
    let first_day = h.day();
    h.advance(Duration::days(1));
    let events = h.new_day();
    assert!(events.contains(&Event::TicketCancelled {
        ticket: old,
        reason: CancelReason::DayEnded
    }));
    assert!(h.day() > first_day);
    let fresh = h.issue("CIT-BIRTH");
    assert_eq!(h.label(fresh), "A-001");
    assert!(fresh > old, "the id is never reused");
    assert!(
        hall_core::engine::day_change(&h.state, h.now).is_none(),
        "one start per day"
    );
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
            profile: profile.clone(),
        },
    )
    .then(&[Event::CounterProfileSet {
        counter: 1,
        profile,
    }]);
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
        h.when(
            &boss(),
            Command::SetCounterProfile {
                counter: 1,
                profile,
            },
        )
        .then_rejected(ErrorCode::InvalidProfile);
    }
    let unknown = Command::SetCounterProfile {
        counter: 42,
        profile: vec![p("CIT-TAX", 1.0)],
    };
    h.when(&boss(), unknown)
        .then_rejected(ErrorCode::UnknownCounter);
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
    .then(&[Event::MessageSet {
        text: "يرجى تجهيز الأوراق".into(),
    }]);
    assert_eq!(h.state.message, "يرجى تجهيز الأوراق");
    let long = "ا".repeat(hall_core::MAX_MESSAGE_CHARS + 1);
    h.when(&boss(), Command::SetMessage { text: long })
        .then_rejected(ErrorCode::MessageTooLong);
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
            &hall_core::engine::Actor::system(),
            Command::LoadCatalog {
                catalog: Box::new(catalog),
            },
        )
        .events();
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
    let serving = h
        .when(&mona(), Command::StartServing { counter: 1 })
        .events();
    assert!(
        matches!(&serving[..], [Event::ServiceStarted { counter: 1, .. }]),
        "{serving:?}"
    );
    let mut replayed = hall_core::State::default();
    for e in &h.log {
        hall_core::apply(&mut replayed, e);
    }
    assert_eq!(replayed, h.state);
}

fn report(status: hall_core::PrinterStatus, detail: &str) -> Command {
    Command::ReportPrinter {
        status,
        detail: detail.into(),
    }
}

#[test]
fn a_kiosk_out_of_paper_is_recorded_once_and_shown_in_the_state_until_it_prints_again() {
    use hall_core::PrinterStatus::*;
    let mut h = Hall::open();
    // A printer first seen ready is not news.
    h.when(&kiosk(), report(Ready, "")).then_nothing();
    assert!(h.state.printers.is_empty());

    h.minutes(5);
    h.when(&kiosk(), report(PaperOut, "DLE EOT 4: paper end"))
        .then(&[Event::PrinterStatusChanged {
            device: "kiosk-1".into(),
            status: PaperOut,
            detail: "DLE EOT 4: paper end".into(),
        }]);
    let since = h.now;
    // Reporting the same status again (after every receipt) writes nothing, detail or not.
    h.minutes(1);
    h.when(&kiosk(), report(PaperOut, "still out"))
        .then_nothing();
    let p = &h.state.printers["kiosk-1"];
    assert_eq!((p.status, p.since), (PaperOut, since));
    // The public state the boards and the manager console get carries it.
    assert_eq!(h.state.public().printers["kiosk-1"].status, PaperOut);

    h.minutes(3);
    h.when(&kiosk(), report(Ready, ""))
        .then(&[Event::PrinterStatusChanged {
            device: "kiosk-1".into(),
            status: Ready,
            detail: String::new(),
        }]);
    assert_eq!(h.state.printers["kiosk-1"].status, Ready);
    assert_eq!(h.state.printers["kiosk-1"].since, h.now);
}

#[test]
fn each_kiosk_has_its_own_printer_and_only_kiosks_report() {
    use hall_core::PrinterStatus::*;
    let mut h = Hall::open();
    let kiosk2 = hall_core::engine::Actor::new(hall_core::role::Role::Kiosk, "kiosk-2");
    h.when(&kiosk(), report(CoverOpen, ""))
        .then(&[Event::PrinterStatusChanged {
            device: "kiosk-1".into(),
            status: CoverOpen,
            detail: String::new(),
        }]);
    h.when(&kiosk2, report(Offline, "connection refused"))
        .then(&[Event::PrinterStatusChanged {
            device: "kiosk-2".into(),
            status: Offline,
            detail: "connection refused".into(),
        }]);
    assert_eq!(h.state.printers["kiosk-1"].status, CoverOpen);
    assert_eq!(h.state.printers["kiosk-2"].detail, "connection refused");
    for who in [mona(), boss()] {
        h.when(&who, report(PaperOut, ""))
            .then_rejected(ErrorCode::Forbidden);
    }
    assert_eq!(h.state.printers.len(), 2);
}

#[test]
fn a_printer_report_detail_is_trimmed_and_cut_to_200_characters() {
    let mut h = Hall::open();
    let long = format!("  {}  ", "x".repeat(500));
    match h
        .when(&kiosk(), report(hall_core::PrinterStatus::Offline, &long))
        .events()
        .as_slice()
    {
        [Event::PrinterStatusChanged { detail, .. }] => assert_eq!(detail, &"x".repeat(200)),
        other => panic!("unexpected {other:?}"),
    }
}

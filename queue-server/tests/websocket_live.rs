//! The server over real sockets on port 0, as time passes: subscriptions (a redacted snapshot,
//! then ordered deltas), a client that stops reading, shutdown and restart, midnight, and a
//! clerk's live desk.

use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::{Event, Outcome, Priority, TicketState};
use hall_wire::*;
use queue_server::server::ServerOptions;
use std::time::Duration;
use testkit::TestServer;
use testkit::ws::{WsClient, await_event, code, issue_ticket as issue, ok, within};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn subscribers_get_a_redacted_snapshot_then_ordered_deltas() {
    let s = TestServer::start().await;
    let mut k = s.as_device("kiosk-1").await;
    ok(&mut k, issue("CIT-BIRTH", "a")).await;
    let mut board = s.as_device("board-1").await;
    let ReplyBody::Subscribed { seq } = ok(&mut board, Request::Subscribe).await else {
        panic!()
    };
    let ServerFrame::Snapshot { state } = within(board.next_frame()).await.unwrap() else {
        panic!()
    };
    assert_eq!(state.seq, seq);
    assert!(
        state.tickets.values().all(|t| t.token.is_empty()),
        "no page tokens reach a board"
    );
    assert!(state.idempotency.is_empty());
    ok(&mut k, issue("CIT-BIRTH", "b")).await;
    let issued = await_event(&mut board, "the issue", |e| {
        matches!(e, Event::TicketIssued { .. })
    })
    .await;
    assert_eq!(issued.seq, seq + 1);
    let Event::TicketIssued { ticket } = &issued.event else {
        panic!()
    };
    assert!(ticket.token.is_empty(), "deltas are redacted too");
    let (mut clerk, _) = s.as_staff("clerk2").await;
    ok(&mut clerk, Command::OpenCounter { counter: 2 }).await;
    ok(&mut clerk, Command::CallNext { counter: 2 }).await;
    let called = await_event(&mut board, "the call", |e| {
        matches!(e, Event::TicketCalled { .. })
    })
    .await;
    assert_eq!(
        called.seq,
        seq + 3,
        "opened, then called: consecutive numbers"
    );
    assert_eq!(called.actor, "clerk:clerk2");
    s.stop().await;
}

#[tokio::test]
async fn a_client_that_stops_reading_does_not_stall_the_others() {
    let s = TestServer::start().await;
    let mut stalled = s.as_device("board-1").await;
    ok(&mut stalled, Request::Subscribe).await; // and then never reads
    let mut live = s.as_device("board-1").await;
    ok(&mut live, Request::Subscribe).await;
    let ServerFrame::Snapshot { .. } = within(live.next_frame()).await.unwrap() else {
        panic!()
    };
    let (mut boss, _) = s.as_staff("manager").await;
    let long = "م".repeat(hall_core::MAX_MESSAGE_CHARS - 5);
    let started = std::time::Instant::now();
    let mut last = 0;
    // Enough traffic to fill the stalled socket's buffers and overflow its backlog.
    for i in 0..3000 {
        let ReplyBody::Done { seq } = ok(
            &mut boss,
            Command::SetMessage {
                text: format!("{i}{long}"),
            },
        )
        .await
        else {
            panic!()
        };
        last = seq;
    }
    let reached = await_event(&mut live, "a message", |_| true).await.seq;
    let seen = within(async {
        let mut seen = reached;
        while seen < last {
            if let ServerFrame::Delta { events } = live.next_frame().await.unwrap() {
                seen = events.last().unwrap().seq;
            }
        }
        seen
    })
    .await;
    assert_eq!(seen, last);
    assert!(started.elapsed() < Duration::from_secs(60));
    // The stalled client, once it reads again, either catches up (through a fresh snapshot
    // after lagging) or finds itself disconnected as too slow; it is never left stuck.
    within(async {
        loop {
            match stalled.next_frame().await {
                Ok(ServerFrame::Snapshot { state }) if state.seq >= last => return,
                Ok(ServerFrame::Delta { events }) if events.last().unwrap().seq >= last => return,
                Ok(_) => {}
                Err(_) => return,
            }
        }
    })
    .await;
    s.stop().await;
}

#[tokio::test]
async fn shutdown_closes_clients_and_a_restart_keeps_everything() {
    let s = TestServer::start().await;
    let first = s.first.clone();
    let mut k = s.as_device("kiosk-1").await;
    for i in 0..20 {
        ok(&mut k, issue("CIT-BIRTH", &format!("k{i}"))).await;
    }
    let mut board = s.as_device("board-1").await;
    ok(&mut board, Request::Subscribe).await;
    let url = s.url();
    let dir = s.stop().await;
    let closed = within(async {
        loop {
            match board.next_message().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                _ => return None,
            }
        }
    })
    .await;
    assert_eq!(
        closed,
        Some(1001),
        "clients are told the server is going away"
    );
    assert!(WsClient::connect(&url).await.is_err(), "stopped");

    let mut s = TestServer::start_in(dir).await;
    s.set_first_start(first);
    let mut k = s.as_device("kiosk-1").await;
    let ReplyBody::Ticket { ticket } = ok(&mut k, issue("CIT-BIRTH", "after")).await else {
        panic!()
    };
    assert_eq!(ticket.label, "A-021", "numbering continues after a restart");
    assert_eq!(ticket.people_ahead, 20);
    s.stop().await;
}

#[tokio::test]
async fn at_midnight_a_waiting_ticket_page_learns_its_ticket_was_closed() {
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    // 2026-11-22 at 14:00 in Cairo.
    let afternoon =
        chrono::TimeZone::with_ymd_and_hms(&chrono_tz::Africa::Cairo, 2026, 11, 22, 14, 0, 0)
            .unwrap()
            .with_timezone(&chrono::Utc);
    let now = Arc::new(Mutex::new(afternoon));
    let clock_now = now.clone();
    let mut opts = ServerOptions::new(dir.path(), testkit::center::always_open());
    opts.clock = Arc::new(move || *clock_now.lock().unwrap());
    let s = TestServer::start_with(dir, opts).await;
    let mut k = s.as_device("kiosk-1").await;
    let ReplyBody::Ticket { ticket } = ok(&mut k, issue("CIT-BIRTH", "late")).await else {
        panic!()
    };
    let mut page = s.anonymous().await;
    ok(
        &mut page,
        Request::WatchTicket {
            token: ticket.token.clone(),
        },
    )
    .await;
    *now.lock().unwrap() += chrono::Duration::days(1);
    let view = within(async {
        loop {
            if let ServerFrame::TicketUpdate { view } = page.next_frame().await.unwrap() {
                return view;
            }
        }
    })
    .await;
    assert_eq!(
        (view.label.as_str(), view.state),
        ("A-001", TicketState::Cancelled)
    );
    let ReplyBody::Ticket { ticket: fresh } = ok(&mut k, issue("CIT-BIRTH", "next-day")).await
    else {
        panic!()
    };
    assert_eq!(fresh.label, "A-001", "numbering restarted with the new day");
    s.stop().await;
}

/// Reads frames until a desk view that matches.
async fn await_desk(
    c: &mut WsClient,
    pred: impl Fn(&hall_wire::views::DeskView) -> bool,
) -> hall_wire::views::DeskView {
    within(async {
        loop {
            if let ServerFrame::ViewUpdate { view } = c.next_frame().await.unwrap() {
                let hall_wire::views::LiveView::Desk(desk) = *view else {
                    panic!("not a desk")
                };
                if pred(&desk) {
                    return desk;
                }
            }
        }
    })
    .await
}

#[tokio::test]
async fn a_clerks_desk_follows_their_counter_in_call_order_with_their_figures() {
    use hall_wire::views::LiveView;
    let s = TestServer::start().await;
    let mut anon = s.anonymous().await;
    assert_eq!(
        code(&mut anon, Request::WatchDesk).await,
        ErrorCode::Unauthenticated
    );
    let mut k = s.as_device("kiosk-1").await;
    assert_eq!(code(&mut k, Request::WatchDesk).await, ErrorCode::Forbidden);
    let (mut mona, _) = s.as_staff("clerk1").await;
    let ReplyBody::View { view } = ok(&mut mona, Request::WatchDesk).await else {
        panic!("no view")
    };
    let LiveView::Desk(desk) = *view else {
        panic!("not a desk")
    };
    assert_eq!(desk.user, "clerk1");
    assert!(desk.counter.is_none());
    assert_eq!(desk.counters.len(), 4);
    assert_eq!(desk.today.served, 0);

    // Counter 1 serves CIT-BIRTH and CIT-TAX; an elderly ticket goes before an older normal
    // one (head start × weight), as call_next would take them.
    ok(&mut k, issue("CIT-BIRTH", "a")).await;
    ok(&mut k, issue("CIT-SHOP", "b")).await;
    ok(
        &mut k,
        Command::issue_ticket("CIT-TAX", Priority::Elderly, "c"),
    )
    .await;
    ok(&mut mona, Command::OpenCounter { counter: 1 }).await;
    let desk = await_desk(&mut mona, |d| {
        d.counter.as_ref().is_some_and(|c| c.waiting_total == 2)
    })
    .await;
    let c = desk.counter.unwrap();
    let labels: Vec<&str> = c.waiting.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["B-001", "A-001"], "routing order, no CIT-SHOP");
    assert!(c.ticket.is_none());

    let ReplyBody::Called { label, .. } = ok(&mut mona, Command::CallNext { counter: 1 }).await
    else {
        panic!()
    };
    assert_eq!(label, "B-001");
    let desk = await_desk(&mut mona, |d| {
        d.counter.as_ref().is_some_and(|c| c.ticket.is_some())
    })
    .await;
    let c = desk.counter.unwrap();
    assert_eq!(c.ticket.unwrap().label, "B-001");
    assert_eq!(c.waiting_total, 1);

    ok(&mut mona, Command::StartServing { counter: 1 }).await;
    ok(
        &mut mona,
        Command::Finish {
            counter: 1,
            outcome: Outcome::Completed,
            reference: Some("R-1".into()),
            suffixes: Vec::new(),
        },
    )
    .await;
    let desk = await_desk(&mut mona, |d| d.today.served == 1).await;
    assert!(desk.today.service_mean_secs.is_some());
    assert!(desk.counter.unwrap().ticket.is_none());

    // Another clerk's desk does not show mona's counter; logging out ends the view.
    let (mut ali, _) = s.as_staff("clerk2").await;
    let ReplyBody::View { view } = ok(&mut ali, Request::WatchDesk).await else {
        panic!()
    };
    let LiveView::Desk(desk) = *view else {
        panic!("not a desk")
    };
    assert!(desk.counter.is_none() && desk.today.served == 0);
    ok(&mut mona, Request::Logout).await;
    assert_eq!(
        code(&mut mona, Request::WatchDesk).await,
        ErrorCode::Unauthenticated
    );
    s.stop().await;
}

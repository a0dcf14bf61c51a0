//! The server over real sockets on port 0: every role, forbidden actions, bad input, ticket
//! pages, and thousands of random frames. Subscriptions, slow clients, shutdown and live views
//! are in `websocket_live.rs`.

use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::role::Role;
use hall_core::{Outcome, ProfileEntry, TicketState};
use hall_wire::*;
use testkit::TestServer;
use testkit::ws::{WsClient, code, issue_ticket as issue, ok, within};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn the_first_frame_must_be_hello_in_our_protocol_version() {
    let s = TestServer::start().await;
    let mut c = WsClient::connect(&s.url()).await.unwrap();
    assert_eq!(code(&mut c, Request::Ping).await, ErrorCode::HelloRequired);
    let old = Request::Hello {
        protocol: 0,
        client: "old".into(),
        auth: None,
    };
    assert_eq!(code(&mut c, old).await, ErrorCode::UnsupportedVersion);
    let bad = Request::Hello {
        protocol: PROTOCOL_VERSION,
        client: "x".into(),
        auth: Some(Credentials::Device {
            token: "nope".into(),
        }),
    };
    assert_eq!(code(&mut c, bad).await, ErrorCode::BadCredentials);
    let stale = Request::Hello {
        protocol: PROTOCOL_VERSION,
        client: "x".into(),
        auth: Some(Credentials::Session {
            token: "stale".into(),
        }),
    };
    assert_eq!(code(&mut c, stale).await, ErrorCode::BadCredentials);
    match ok(
        &mut c,
        Request::Hello {
            protocol: PROTOCOL_VERSION,
            client: "x".into(),
            auth: None,
        },
    )
    .await
    {
        ReplyBody::Welcome { role, center, .. } => {
            assert_eq!(role, Role::Citizen);
            assert_eq!(center.en, "Test center");
        }
        other => panic!("{other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn malformed_frames_get_clear_errors_and_the_connection_lives_on() {
    let s = TestServer::start().await;
    let mut c = s.anonymous().await;
    let cases: Vec<(Message, Option<u64>, ErrorCode)> = vec![
        (Message::text("{not json"), None, ErrorCode::BadFrame),
        (
            Message::text(r#"{"type":"ping"}"#),
            None,
            ErrorCode::BadFrame,
        ),
        (
            Message::text(r#"{"id":5,"type":"launch_rockets"}"#),
            Some(5),
            ErrorCode::BadFrame,
        ),
        (
            Message::text(r#"{"id":6,"type":"issue_ticket","service":7}"#),
            Some(6),
            ErrorCode::BadFrame,
        ),
        (Message::binary(vec![1u8, 2, 3]), None, ErrorCode::BadFrame),
        (
            Message::text(format!(
                r#"{{"id":7,"type":"ping","pad":"{}"}}"#,
                "x".repeat(MAX_FRAME_BYTES)
            )),
            None,
            ErrorCode::FrameTooLarge,
        ),
    ];
    for (msg, want_id, want) in cases {
        c.send_raw(msg).await.unwrap();
        match within(c.next_frame()).await.unwrap() {
            ServerFrame::Reply {
                id, error: Some(e), ..
            } => {
                assert_eq!((id, e.code), (want_id, want), "{}", e.message);
            }
            other => panic!("expected an error reply, got {other:?}"),
        }
    }
    assert_eq!(
        ok(&mut c, Request::Ping).await,
        ReplyBody::Pong,
        "still connected"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_kiosk_issues_tickets_and_nothing_else() {
    let s = TestServer::start().await;
    let mut k = s.as_device("kiosk-1").await;
    let ReplyBody::Ticket { ticket } = ok(&mut k, issue("CIT-BIRTH", "req-1")).await else {
        panic!()
    };
    assert_eq!(ticket.label, "A-001");
    assert_eq!(ticket.token.len(), 32, "a 128-bit page token");
    assert_eq!(ticket.service_name.ar, "استخراج شهادة ميلاد");
    assert!(!ticket.documents.is_empty());
    let ReplyBody::Ticket { ticket: again } = ok(&mut k, issue("CIT-BIRTH", "req-1")).await else {
        panic!()
    };
    assert_eq!(
        (again.id, again.label.as_str()),
        (ticket.id, "A-001"),
        "a retry gets the same ticket"
    );
    assert_eq!(
        code(&mut k, issue("NOPE", "req-2")).await,
        ErrorCode::UnknownService
    );
    assert_eq!(
        code(&mut k, issue("CIT-BIRTH", "")).await,
        ErrorCode::BadFrame
    );
    for forbidden in [
        Command::CallNext { counter: 1 },
        Command::OpenCounter { counter: 1 },
        Command::SetMessage { text: "hi".into() },
        Command::CancelTicket { ticket: ticket.id },
    ] {
        assert_eq!(code(&mut k, forbidden).await, ErrorCode::Forbidden);
    }
    s.stop().await;
}

#[tokio::test]
async fn a_board_only_reads() {
    let s = TestServer::start().await;
    let mut b = s.as_device("board-1").await;
    assert!(matches!(
        ok(&mut b, Request::Subscribe).await,
        ReplyBody::Subscribed { .. }
    ));
    match within(b.next_frame()).await.unwrap() {
        ServerFrame::Snapshot { state } => assert_eq!(state.counters.len(), 4),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        code(&mut b, issue("CIT-BIRTH", "k")).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(&mut b, Command::OpenCounter { counter: 1 }).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(
            &mut b,
            Command::SetServiceOpen {
                service: "CIT-TAX".into(),
                open: false
            }
        )
        .await,
        ErrorCode::Forbidden
    );
    s.stop().await;
}

#[tokio::test]
async fn a_citizen_without_credentials_may_only_follow_a_ticket() {
    let s = TestServer::start().await;
    let mut k = s.as_device("kiosk-1").await;
    let ReplyBody::Ticket { ticket } = ok(&mut k, issue("CIT-BIRTH", "r")).await else {
        panic!()
    };
    let mut citizen = s.anonymous().await;
    assert_eq!(
        code(&mut citizen, Request::Subscribe).await,
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        code(&mut citizen, issue("CIT-BIRTH", "x")).await,
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        code(
            &mut citizen,
            Request::WatchTicket {
                token: "guess".into()
            }
        )
        .await,
        ErrorCode::UnknownTicket
    );
    let ReplyBody::Watching { view } = ok(
        &mut citizen,
        Request::WatchTicket {
            token: ticket.token.clone(),
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        (view.label.as_str(), view.state, view.people_ahead),
        ("A-001", TicketState::Waiting, Some(0))
    );

    // A clerk calls it: the page shows the counter.
    let (mut clerk, _) = s.as_staff("clerk2").await;
    ok(&mut clerk, Command::OpenCounter { counter: 2 }).await;
    ok(&mut clerk, Command::CallNext { counter: 2 }).await;
    let view = within(async {
        loop {
            if let ServerFrame::TicketUpdate { view } = citizen.next_frame().await.unwrap()
                && view.state == TicketState::Called
            {
                return view;
            }
        }
    })
    .await;
    assert_eq!(view.counter, Some(2));
    assert_eq!(view.counter_name.unwrap().ar, "شباك ٢");
    s.stop().await;
}

#[tokio::test]
async fn clerks_sign_in_and_act_only_on_their_counter() {
    let s = TestServer::start().await;
    let mut anon = s.anonymous().await;
    let wrong = Request::Login {
        username: "clerk1".into(),
        password: "wrong".into(),
    };
    assert_eq!(code(&mut anon, wrong).await, ErrorCode::BadCredentials);
    let mut k = s.as_device("kiosk-1").await;
    ok(&mut k, issue("CIT-BIRTH", "a")).await;
    ok(&mut k, issue("CIT-BIRTH", "b")).await;
    let (mut mona, _) = s.as_staff("clerk1").await;
    let (mut ali, _) = s.as_staff("clerk2").await;
    ok(&mut mona, Command::OpenCounter { counter: 1 }).await;
    assert_eq!(
        code(&mut ali, Command::CallNext { counter: 1 }).await,
        ErrorCode::CounterNotYours
    );
    assert_eq!(
        code(&mut ali, Command::OpenCounter { counter: 1 }).await,
        ErrorCode::CounterBusy
    );
    let ReplyBody::Called { label, counter, .. } =
        ok(&mut mona, Command::CallNext { counter: 1 }).await
    else {
        panic!()
    };
    assert_eq!((label.as_str(), counter), ("A-001", 1));
    ok(&mut mona, Command::Recall { counter: 1 }).await;
    ok(&mut mona, Command::StartServing { counter: 1 }).await;
    ok(
        &mut mona,
        Command::Finish {
            counter: 1,
            outcome: Outcome::Completed,
            reference: Some("R-77".into()),
            suffixes: Vec::new(),
        },
    )
    .await;
    assert_eq!(
        code(&mut mona, Command::SetMessage { text: "x".into() }).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(
            &mut mona,
            Command::CancelTicket {
                ticket: hall_core::TicketId(2)
            }
        )
        .await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(&mut mona, issue("CIT-BIRTH", "c")).await,
        ErrorCode::Forbidden
    );
    s.stop().await;
}

#[tokio::test]
async fn a_session_resumes_on_a_new_connection_until_logout() {
    let s = TestServer::start().await;
    let (mut first, token) = s.as_staff("clerk3").await;
    let (mut second, hello) = WsClient::connect_as(
        &s.url(),
        Some(Credentials::Session {
            token: token.clone(),
        }),
    )
    .await
    .unwrap();
    assert!(matches!(
        hello,
        Ok(ReplyBody::Welcome {
            role: Role::Clerk,
            ..
        })
    ));
    ok(&mut second, Command::OpenCounter { counter: 3 }).await;
    ok(&mut first, Request::Logout).await;
    assert_eq!(
        code(&mut second, Command::PauseCounter { counter: 3 }).await,
        ErrorCode::Unauthenticated
    );
    let (_, again) = WsClient::connect_as(&s.url(), Some(Credentials::Session { token }))
        .await
        .unwrap();
    assert_eq!(again.unwrap_err().code, ErrorCode::BadCredentials);
    s.stop().await;
}

#[tokio::test]
async fn a_manager_configures_and_the_next_call_follows_the_new_profile() {
    let s = TestServer::start().await;
    let mut k = s.as_device("kiosk-1").await;
    ok(&mut k, issue("CIT-BIRTH", "a")).await;
    ok(&mut k, issue("CIT-TAX", "b")).await;
    let (mut boss, _) = s.as_staff("manager").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let only_tax = vec![ProfileEntry {
        service: "CIT-TAX".into(),
        weight: 1.0,
    }];
    ok(
        &mut boss,
        Command::SetCounterProfile {
            counter: 1,
            profile: only_tax,
        },
    )
    .await;
    let ReplyBody::Called { label, .. } = ok(&mut clerk, Command::CallNext { counter: 1 }).await
    else {
        panic!()
    };
    assert_eq!(label, "B-001", "the counter now serves only tax");
    let bad = Command::SetCounterProfile {
        counter: 1,
        profile: vec![ProfileEntry {
            service: "X".into(),
            weight: 1.0,
        }],
    };
    assert_eq!(code(&mut boss, bad).await, ErrorCode::InvalidProfile);
    ok(
        &mut boss,
        Command::SetMessage {
            text: "الرجاء الانتظار".into(),
        },
    )
    .await;
    ok(
        &mut boss,
        Command::SetServiceOpen {
            service: "CIT-SHOP".into(),
            open: false,
        },
    )
    .await;
    assert_eq!(
        code(&mut k, issue("CIT-SHOP", "c")).await,
        ErrorCode::ServiceClosed
    );
    s.stop().await;
}

#[tokio::test]
async fn healthz_answers_with_the_committed_sequence() {
    let s = TestServer::start().await;
    let answer = s.get("/healthz", None).await;
    let body = String::from_utf8(answer.body).unwrap();
    assert_eq!(answer.status, 200, "{body}");
    assert!(body.contains(r#""status":"ok""#), "{body}");
    s.stop().await;
}

/// Thousands of random and half-valid frames, from every role: each gets an answer or is
/// ignored, none takes the server down, and the hall is unchanged by the refused ones.
#[tokio::test]
async fn random_frames_never_break_the_server() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let s = TestServer::start().await;
    let types = [
        "hello",
        "login",
        "subscribe",
        "watch_ticket",
        "issue_ticket",
        "call_next",
        "call_ticket",
        "finish",
        "transfer",
        "park",
        "set_counter_profile",
        "set_message",
        "withdraw_ticket",
        "x",
    ];
    let values = proptest::prop_oneof![
        proptest::strategy::Just("null".to_string()),
        proptest::num::i64::ANY.prop_map(|n| n.to_string()),
        "[a-zA-Z0-9 _-]{0,12}".prop_map(|v| format!("{v:?}")),
        proptest::strategy::Just(r#"{"kind":"service","service":"CIT-TAX"}"#.to_string()),
        proptest::strategy::Just("[1,2,{}]".to_string()),
    ];
    let frame = (
        0..types.len(),
        proptest::collection::vec(("[a-z_]{1,10}", values), 0..5),
        proptest::bool::ANY,
    )
        .prop_map(move |(t, fields, with_id)| {
            let mut parts = vec![format!(r#""type":"{}""#, types[t])];
            if with_id {
                parts.push(r#""id":9"#.into());
            }
            parts.extend(fields.into_iter().map(|(k, v)| format!("{k:?}:{v}")));
            format!("{{{}}}", parts.join(","))
        });
    let garbage = proptest::collection::vec(proptest::num::u8::ANY, 0..200)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned());
    let any_frame = proptest::prop_oneof![3 => frame, 1 => garbage];
    let mut runner = TestRunner::deterministic();
    let mut clients = vec![
        s.anonymous().await,
        s.as_device("kiosk-1").await,
        s.as_device("board-1").await,
        s.as_staff("clerk1").await.0,
    ];
    let (mut watcher, _) = s.as_staff("manager").await;
    ok(&mut watcher, Request::Subscribe).await;
    let ServerFrame::Snapshot { state: before } = within(watcher.next_frame()).await.unwrap()
    else {
        panic!()
    };
    for i in 0..2000 {
        let text = any_frame.new_tree(&mut runner).unwrap().current();
        let c = &mut clients[i % 4];
        c.send_raw(Message::text(text.clone())).await.unwrap();
        // Every frame is answered (a reply) — read until that reply, whatever else comes.
        let answered = within(async {
            loop {
                match c.next_frame().await {
                    Ok(ServerFrame::Reply { .. }) => return true,
                    Ok(_) => {}
                    Err(_) => return false,
                }
            }
        })
        .await;
        assert!(answered, "no answer to {text:?}");
    }
    for c in &mut clients {
        assert_eq!(ok(c, Request::Ping).await, ReplyBody::Pong);
    }
    // Nothing a random frame did may have changed the hall except through a valid command;
    // the state still replays and the server still serves a fresh subscriber.
    let mut fresh = s.as_device("board-1").await;
    ok(&mut fresh, Request::Subscribe).await;
    let ServerFrame::Snapshot { state: after } = within(fresh.next_frame()).await.unwrap() else {
        panic!()
    };
    assert!(after.seq >= before.seq);
    s.stop().await;
}

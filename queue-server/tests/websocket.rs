//! The server over real sockets on port 0: every role, forbidden actions, bad input,
//! subscriptions, ticket pages, slow clients, shutdown.

mod support;

use protocol::wire::*;
use protocol::{Event, Outcome, Priority, ProfileEntry, TicketState};
use queue_server::auth::FirstStart;
use queue_server::server::{Server, ServerOptions};
use queue_server::wsclient::WsClient;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;

struct TestServer {
    url: String,
    addr: std::net::SocketAddr,
    first: FirstStart,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    dir: tempfile::TempDir,
}

impl TestServer {
    async fn start() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir).await
    }

    async fn start_in(dir: tempfile::TempDir) -> TestServer {
        let opts = ServerOptions::new(dir.path(), support::always_open());
        Self::start_with(dir, opts).await
    }

    /// With options of the test's choosing (a simulated clock, say).
    async fn start_with(dir: tempfile::TempDir, opts: ServerOptions) -> TestServer {
        let server = Server::start(opts).await.unwrap();
        let first = server.first_start.clone().unwrap_or_default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server
                .serve(listener, async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        TestServer {
            url: format!("ws://{addr}/ws"),
            addr,
            first,
            stop: Some(stop),
            task: Some(task),
            dir,
        }
    }

    async fn stop(mut self) -> tempfile::TempDir {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap();
        self.dir
    }

    fn device(&self, name: &str) -> Credentials {
        let device = self.first.devices.iter().find(|d| d.name == name).unwrap();
        Credentials::Device {
            token: device.secret.clone(),
        }
    }

    fn password(&self, user: &str) -> String {
        self.first
            .users
            .iter()
            .find(|u| u.name == user)
            .unwrap()
            .secret
            .clone()
    }

    async fn as_device(&self, name: &str) -> WsClient {
        let (c, r) = WsClient::connect_as(&self.url, Some(self.device(name)))
            .await
            .unwrap();
        r.expect("device hello");
        c
    }

    async fn anonymous(&self) -> WsClient {
        let (c, r) = WsClient::connect_as(&self.url, None).await.unwrap();
        r.expect("anonymous hello");
        c
    }

    async fn as_staff(&self, user: &str) -> (WsClient, String) {
        let mut c = self.anonymous().await;
        let r = c
            .request(Request::Login {
                username: user.into(),
                password: self.password(user),
            })
            .await
            .unwrap();
        match r {
            Ok(ReplyBody::Session { token, .. }) => (c, token),
            other => panic!("login failed: {other:?}"),
        }
    }
}

async fn ok(c: &mut WsClient, r: Request) -> ReplyBody {
    c.request(r.clone())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{} refused: {e:?}", r.name()))
}

async fn code(c: &mut WsClient, r: Request) -> ErrorCode {
    match c.request(r).await.unwrap() {
        Ok(body) => panic!("expected an error, got {body:?}"),
        Err(e) => {
            assert!(!e.message.is_empty());
            e.code
        }
    }
}

fn issue(service: &str, key: &str) -> Request {
    Request::Command(protocol::Command::issue_ticket(
        service,
        Priority::Normal,
        key,
    ))
}

async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("timed out")
}

/// Reads frames until a delta carrying an event that matches.
async fn await_event(c: &mut WsClient, pred: impl Fn(&Event) -> bool) -> protocol::Envelope {
    within(async {
        loop {
            if let ServerFrame::Delta { events } = c.next_frame().await.unwrap()
                && let Some(e) = events.into_iter().find(|e| pred(&e.event))
            {
                return e;
            }
        }
    })
    .await
}

#[tokio::test]
async fn the_first_frame_must_be_hello_in_our_protocol_version() {
    let s = TestServer::start().await;
    let mut c = WsClient::connect(&s.url).await.unwrap();
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
        Request::Command(protocol::Command::CallNext { counter: 1 }),
        Request::Command(protocol::Command::OpenCounter { counter: 1 }),
        Request::Command(protocol::Command::SetMessage { text: "hi".into() }),
        Request::Command(protocol::Command::CancelTicket { ticket: ticket.id }),
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
        code(
            &mut b,
            Request::Command(protocol::Command::OpenCounter { counter: 1 })
        )
        .await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(
            &mut b,
            Request::Command(protocol::Command::SetServiceOpen {
                service: "CIT-TAX".into(),
                open: false
            })
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
    ok(
        &mut clerk,
        Request::Command(protocol::Command::OpenCounter { counter: 2 }),
    )
    .await;
    ok(
        &mut clerk,
        Request::Command(protocol::Command::CallNext { counter: 2 }),
    )
    .await;
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
    ok(
        &mut mona,
        Request::Command(protocol::Command::OpenCounter { counter: 1 }),
    )
    .await;
    assert_eq!(
        code(
            &mut ali,
            Request::Command(protocol::Command::CallNext { counter: 1 })
        )
        .await,
        ErrorCode::CounterNotYours
    );
    assert_eq!(
        code(
            &mut ali,
            Request::Command(protocol::Command::OpenCounter { counter: 1 })
        )
        .await,
        ErrorCode::CounterBusy
    );
    let ReplyBody::Called { label, counter, .. } = ok(
        &mut mona,
        Request::Command(protocol::Command::CallNext { counter: 1 }),
    )
    .await
    else {
        panic!()
    };
    assert_eq!((label.as_str(), counter), ("A-001", 1));
    ok(
        &mut mona,
        Request::Command(protocol::Command::Recall { counter: 1 }),
    )
    .await;
    ok(
        &mut mona,
        Request::Command(protocol::Command::StartServing { counter: 1 }),
    )
    .await;
    ok(
        &mut mona,
        Request::Command(protocol::Command::Finish {
            counter: 1,
            outcome: Outcome::Completed,
            reference: Some("R-77".into()),
        }),
    )
    .await;
    assert_eq!(
        code(
            &mut mona,
            Request::Command(protocol::Command::SetMessage { text: "x".into() })
        )
        .await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(
            &mut mona,
            Request::Command(protocol::Command::CancelTicket {
                ticket: protocol::TicketId(2)
            })
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
        &s.url,
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
    ok(
        &mut second,
        Request::Command(protocol::Command::OpenCounter { counter: 3 }),
    )
    .await;
    ok(&mut first, Request::Logout).await;
    assert_eq!(
        code(
            &mut second,
            Request::Command(protocol::Command::PauseCounter { counter: 3 })
        )
        .await,
        ErrorCode::Unauthenticated
    );
    let (_, again) = WsClient::connect_as(&s.url, Some(Credentials::Session { token }))
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
    ok(
        &mut clerk,
        Request::Command(protocol::Command::OpenCounter { counter: 1 }),
    )
    .await;
    let only_tax = vec![ProfileEntry {
        service: "CIT-TAX".into(),
        weight: 1.0,
    }];
    ok(
        &mut boss,
        Request::Command(protocol::Command::SetCounterProfile {
            counter: 1,
            profile: only_tax,
        }),
    )
    .await;
    let ReplyBody::Called { label, .. } = ok(
        &mut clerk,
        Request::Command(protocol::Command::CallNext { counter: 1 }),
    )
    .await
    else {
        panic!()
    };
    assert_eq!(label, "B-001", "the counter now serves only tax");
    let bad = Request::Command(protocol::Command::SetCounterProfile {
        counter: 1,
        profile: vec![ProfileEntry {
            service: "X".into(),
            weight: 1.0,
        }],
    });
    assert_eq!(code(&mut boss, bad).await, ErrorCode::InvalidProfile);
    ok(
        &mut boss,
        Request::Command(protocol::Command::SetMessage {
            text: "الرجاء الانتظار".into(),
        }),
    )
    .await;
    ok(
        &mut boss,
        Request::Command(protocol::Command::SetServiceOpen {
            service: "CIT-SHOP".into(),
            open: false,
        }),
    )
    .await;
    assert_eq!(
        code(&mut k, issue("CIT-SHOP", "c")).await,
        ErrorCode::ServiceClosed
    );
    s.stop().await;
}

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
    let issued = await_event(&mut board, |e| matches!(e, Event::TicketIssued { .. })).await;
    assert_eq!(issued.seq, seq + 1);
    let Event::TicketIssued { ticket } = &issued.event else {
        panic!()
    };
    assert!(ticket.token.is_empty(), "deltas are redacted too");
    let (mut clerk, _) = s.as_staff("clerk2").await;
    ok(
        &mut clerk,
        Request::Command(protocol::Command::OpenCounter { counter: 2 }),
    )
    .await;
    ok(
        &mut clerk,
        Request::Command(protocol::Command::CallNext { counter: 2 }),
    )
    .await;
    let called = await_event(&mut board, |e| matches!(e, Event::TicketCalled { .. })).await;
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
    let long = "م".repeat(protocol::MAX_MESSAGE_CHARS - 5);
    let started = std::time::Instant::now();
    let mut last = 0;
    // Enough traffic to fill the stalled socket's buffers and overflow its backlog.
    for i in 0..3000 {
        let ReplyBody::Done { seq } = ok(
            &mut boss,
            Request::Command(protocol::Command::SetMessage {
                text: format!("{i}{long}"),
            }),
        )
        .await
        else {
            panic!()
        };
        last = seq;
    }
    let reached = await_event(&mut live, |_| true).await.seq;
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
async fn healthz_answers_with_the_committed_sequence() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start().await;
    let mut tcp = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut body = String::new();
    tcp.read_to_string(&mut body).await.unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains(r#""status":"ok""#), "{body}");
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
    let url = s.url.clone();
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
    s.first = first;
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
    let now = Arc::new(Mutex::new(support::cairo(14, 0)));
    let clock_now = now.clone();
    let mut opts = ServerOptions::new(dir.path(), support::always_open());
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

/// Reads frames until a desk view that matches.
async fn await_desk(
    c: &mut WsClient,
    pred: impl Fn(&protocol::views::DeskView) -> bool,
) -> protocol::views::DeskView {
    within(async {
        loop {
            if let ServerFrame::ViewUpdate { view } = c.next_frame().await.unwrap() {
                let protocol::views::LiveView::Desk(desk) = *view else {
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
    use protocol::views::LiveView;
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
        Request::Command(protocol::Command::issue_ticket(
            "CIT-TAX",
            Priority::Elderly,
            "c",
        )),
    )
    .await;
    ok(
        &mut mona,
        Request::Command(protocol::Command::OpenCounter { counter: 1 }),
    )
    .await;
    let desk = await_desk(&mut mona, |d| {
        d.counter.as_ref().is_some_and(|c| c.waiting_total == 2)
    })
    .await;
    let c = desk.counter.unwrap();
    let labels: Vec<&str> = c.waiting.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["B-001", "A-001"], "routing order, no CIT-SHOP");
    assert!(c.ticket.is_none());

    let ReplyBody::Called { label, .. } = ok(
        &mut mona,
        Request::Command(protocol::Command::CallNext { counter: 1 }),
    )
    .await
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

    ok(
        &mut mona,
        Request::Command(protocol::Command::StartServing { counter: 1 }),
    )
    .await;
    ok(
        &mut mona,
        Request::Command(protocol::Command::Finish {
            counter: 1,
            outcome: Outcome::Completed,
            reference: Some("R-1".into()),
        }),
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

//! The outbox across a SIGKILL of the real process, against the independent SMPP peer:
//! a call committed while the SMSC was unreachable is sent exactly once after the restart;
//! a message in flight at the kill (sent, no `submit_sm_resp`) is never sent a second time;
//! a request's messages committed before a kill arrive once each after the restart.

use hall_core::Priority;
use hall_core::command::Command;
use hall_wire::*;
use std::time::Duration;
use testkit::process::Launch;
use testkit::smpp::{SmppPeer, center_with_sms};
use testkit::ws::{issue, ok};

const SERVER: &str = env!("CARGO_BIN_EXE_queue-server");
const WAIT: Duration = Duration::from_secs(30);

fn outbox(data: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(data.join("queue.sqlite")).unwrap();
    conn.prepare("SELECT kind, state FROM sms_outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A kiosk takes a ticket (idempotency key `key`) and a clerk leaves its citizen's number;
/// returns the ticket and the clerk's connection.
async fn number_left(
    server: &testkit::Endpoint,
    key: &str,
    phone: &str,
    lang: &str,
) -> (TicketReceipt, testkit::WsClient) {
    let mut kiosk = server.as_device("kiosk-1").await;
    let t = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, key).await;
    let (mut clerk, _) = server.as_staff("clerk1").await;
    ok(
        &mut clerk,
        Request::LeavePhone {
            token: None,
            ticket: Some(t.id),
            phone: phone.into(),
            lang: lang.into(),
        },
    )
    .await;
    (t, clerk)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_committed_call_is_sent_once_after_a_sigkill_and_one_in_flight_is_never_resent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = testkit::ports::free_port();
    let launch = Launch {
        config: center_with_sms(dir.path(), port, ""),
        ..Launch::new(SERVER)
    };
    // 1. Nothing listens on the SMSC's port: the call commits, its message waits.
    let server = launch.start(&data);
    let (t, mut clerk) = number_left(&server, "k1", "01012345678", "ar").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    server.kill();
    let rows = outbox(&data);
    assert!(
        rows.contains(&("called".into(), "due".into())),
        "committed with the call: {rows:?}"
    );
    // 2. The SMSC comes up; the restarted server sends it, once.
    let peer = SmppPeer::start_on(&dir.path().join("peer"), port);
    let server = launch.start(&data);
    let dest = "201012345678";
    peer.wait_for(WAIT, "the called message", |_| {
        !peer.messages_to(dest).is_empty()
    });
    // Nothing due or in flight any more: a second copy would be with the peer by now.
    testkit::smpp::outbox_settled(&server.data, WAIT).await;
    let msgs = peer.messages_to(dest);
    assert_eq!(msgs.len(), 1, "exactly once: {msgs:#?}");
    assert_eq!(
        msgs[0]["text"],
        format!(
            "مركز الاختبار: حان دورك. تذكرتك {}، برجاء التوجه الآن إلى شباك ١.",
            t.label
        )
    );
    let parts = peer.of("submit_sm").len();
    assert_eq!(
        parts as u64,
        msgs[0]["parts"].as_u64().unwrap(),
        "no part twice"
    );
    // 3. The SMSC takes the next one and does not answer; the server is killed meanwhile.
    peer.set_respond(false);
    let (_, mut clerk) = number_left(&server, "k2", "01112345678", "en").await;
    ok(
        &mut clerk,
        Command::finish(1, hall_core::Outcome::Completed),
    )
    .await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    let dest2 = "201112345678";
    // Nobody is ahead of it: its near-turn message goes first and stays unanswered.
    let unanswered = |p: &SmppPeer| {
        p.of("submit_sm")
            .into_iter()
            .filter(|m| m["destination_addr"] == dest2 && m["answered"] == false)
            .collect::<Vec<_>>()
    };
    peer.wait_for(WAIT, "the unanswered submit_sm", |_| {
        !unanswered(&peer).is_empty()
    });
    let held = unanswered(&peer)[0].clone();
    server.kill();
    peer.set_respond(true);
    let server = launch.start(&data);
    // The restarted server binds and sends what is due (the call); the held one never again.
    peer.wait_for(WAIT, "the restarted server's bind", |r| {
        r.iter().filter(|m| m["pdu"] == "bind_transceiver").count() >= 2
    });
    // The held message reconciled as uncertain and the call handed over: nothing left to send.
    testkit::smpp::outbox_settled(&server.data, WAIT).await;
    let same = peer
        .of("submit_sm")
        .into_iter()
        .filter(|m| m["destination_addr"] == dest2 && m["text"] == held["text"])
        .count();
    assert_eq!(same, 1, "in flight at the kill: never sent twice");
    let rows = outbox(server.data.as_path());
    assert!(
        rows.contains(&("near_turn".to_string(), "uncertain".to_string())),
        "{rows:?}"
    );
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_requests_messages_committed_before_a_sigkill_arrive_once_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = testkit::ports::free_port();
    let launch = Launch {
        config: center_with_sms(dir.path(), port, "people_ahead = 0\n"),
        ..Launch::new(SERVER)
    };
    // 1. No SMSC: the request is handed in and made ready; its messages commit and wait.
    let server = launch.start(&data);
    let (_, mut clerk) = number_left(&server, "r1", "01012345678", "ar").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    let reference = match ok(
        &mut clerk,
        Command::Finish {
            counter: 1,
            outcome: hall_core::Outcome::RequestSubmitted,
            reference: None,
            suffixes: vec!["5678".into()],
        },
    )
    .await
    {
        ReplyBody::RequestReceipt { receipt } => receipt.reference,
        other => panic!("{other:?}"),
    };
    let (mut office, _) = server.as_staff("office1").await;
    for state in [
        hall_core::request::RequestState::UnderReview,
        hall_core::request::RequestState::ReadyForPickup,
    ] {
        ok(
            &mut office,
            Command::SetRequestState {
                reference: reference.clone(),
                state,
                note: String::new(),
            },
        )
        .await;
    }
    server.kill();
    let requests = outbox(&data)
        .into_iter()
        .filter(|(kind, _)| kind == "request")
        .collect::<Vec<_>>();
    assert_eq!(
        requests,
        [
            ("request".into(), "due".into()),
            ("request".into(), "due".into())
        ],
        "received and ready, committed with their events"
    );
    // 2. The SMSC comes up; the restarted server sends each once.
    let peer = SmppPeer::start_on(&dir.path().join("peer"), port);
    let server = launch.start(&data);
    let dest = "201012345678";
    let about = |p: &SmppPeer| {
        p.messages_to(dest)
            .into_iter()
            .filter(|m| m["text"].as_str().is_some_and(|t| t.contains(&reference)))
            .collect::<Vec<_>>()
    };
    peer.wait_for(WAIT, "the request's messages", |_| about(&peer).len() >= 2);
    testkit::smpp::outbox_settled(&server.data, WAIT).await;
    let msgs = about(&peer);
    assert_eq!(msgs.len(), 2, "each once: {msgs:#?}");
    let ready = &msgs[1];
    assert!(
        ready["text"].as_str().unwrap().ends_with("جاهز للاستلام."),
        "{ready}"
    );
    // Arabic, longer than one UCS-2 part: concatenated at the peer from its parts.
    assert!(ready["parts"].as_u64().unwrap() >= 2, "{ready}");
    let parts: Vec<_> = peer
        .of("submit_sm")
        .into_iter()
        .filter(|m| m["destination_addr"] == dest && m["data_coding"] == 8)
        .collect();
    let expected: u64 = msgs.iter().map(|m| m["parts"].as_u64().unwrap()).sum();
    // Besides them only the called message's (one or two): no part went twice.
    let called_parts = parts.len() as u64 - expected;
    assert!(called_parts <= 2, "no part twice: {} parts", parts.len());
}

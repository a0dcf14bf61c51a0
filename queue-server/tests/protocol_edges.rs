//! The protocol's edges as docs/protocol.md states them, each tried over a real socket: a
//! text frame that is not UTF-8 (close 1007 with a reason), an idempotency key reused for
//! another request (`key_conflict`), protocol versions other than 2, and the trimming and
//! page-size limits exactly as they behave.

use futures_util::SinkExt;
use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::{Event, Outcome, Priority};
use hall_wire::*;
use testkit::TestServer;
use testkit::ws::{WsClient, await_event, code, issue, ok};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

#[tokio::test]
async fn a_text_frame_that_is_not_utf8_is_closed_with_1007_and_a_reason() {
    let s = TestServer::start().await;
    let url = s.url();
    let (mut raw, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .unwrap();
    let bad = Frame::message(vec![b'{', 0xff, 0xfe, b'}'], OpCode::Data(Data::Text), true);
    raw.send(Message::Frame(bad)).await.unwrap();
    use futures_util::StreamExt;
    let msg = tokio::time::timeout(std::time::Duration::from_secs(5), raw.next())
        .await
        .expect("answered in time");
    match msg {
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(u16::from(frame.code), 1007);
            assert!(frame.reason.contains("UTF-8"), "{}", frame.reason);
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
    // The server itself is fine.
    let mut c = s.anonymous().await;
    ok(&mut c, Request::Ping).await;
    s.stop().await;
}

#[tokio::test]
async fn the_same_key_for_another_service_or_priority_is_key_conflict_on_the_wire() {
    let s = TestServer::start().await;
    let mut k = s.as_device("kiosk-1").await;
    let first = issue(&mut k, "CIT-BIRTH", Priority::Elderly, "k-1").await;
    let again = issue(&mut k, "CIT-BIRTH", Priority::Elderly, " k-1 ").await;
    assert_eq!(
        (again.id, again.token),
        (first.id, first.token),
        "a retry (the key trimmed) gets the same ticket"
    );
    let other_service = Command::issue_ticket("CIT-TAX", Priority::Elderly, "k-1");
    assert_eq!(code(&mut k, other_service).await, ErrorCode::KeyConflict);
    let other_priority = Command::issue_ticket("CIT-BIRTH", Priority::Normal, "k-1");
    assert_eq!(code(&mut k, other_priority).await, ErrorCode::KeyConflict);
    s.stop().await;
}

#[tokio::test]
async fn hello_in_any_protocol_but_2_is_unsupported_version() {
    let s = TestServer::start().await;
    let mut c = WsClient::connect(&s.url()).await.unwrap();
    for version in [0, 1, 3, u32::MAX] {
        let hello = Request::Hello {
            protocol: version,
            client: "x".into(),
            auth: None,
        };
        assert_eq!(
            code(&mut c, hello).await,
            ErrorCode::UnsupportedVersion,
            "{version}"
        );
    }
    assert_eq!(PROTOCOL_VERSION, 2);
    s.stop().await;
}

#[tokio::test]
async fn trimming_and_limits_behave_as_documented() {
    let s = TestServer::start().await;
    let mut k = s.as_device("kiosk-1").await;
    // idempotency_key: 1 to 128 bytes after trimming whitespace.
    let key = |k: String| Request::from(Command::issue_ticket("CIT-BIRTH", Priority::Normal, k));
    assert_eq!(code(&mut k, key(" \t ".into())).await, ErrorCode::BadFrame);
    assert_eq!(
        code(&mut k, key("é".repeat(65))).await,
        ErrorCode::BadFrame,
        "130 bytes"
    );
    ok(&mut k, key(format!("  {}  ", "x".repeat(128)))).await;

    let (mut boss, _) = s.as_staff("manager").await;
    // The board message: trimmed, then at most 280 characters.
    let set = |t: String| Request::from(Command::SetMessage { text: t });
    ok(&mut boss, set(format!("   {}   ", "م".repeat(280)))).await;
    assert_eq!(
        code(&mut boss, set("م".repeat(281))).await,
        ErrorCode::MessageTooLong
    );

    // finish.reference: trimmed, cut to 64 characters, blank means none.
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Request::Subscribe).await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    let finish = |r: &str| Command::Finish {
        counter: 1,
        outcome: Outcome::Completed,
        reference: Some(r.into()),
        suffixes: Vec::new(),
    };
    ok(&mut clerk, finish(&format!("  {}  ", "R".repeat(70)))).await;
    let e = await_event(&mut clerk, "ticket_finished", |e| {
        matches!(e, Event::TicketFinished { .. })
    })
    .await;
    let Event::TicketFinished { reference, .. } = e.event else {
        unreachable!()
    };
    assert_eq!(reference.as_deref(), Some("R".repeat(64).as_str()));

    // The audit's page_size: clamped to 1..=200, never refused; the reply says what was used.
    for (asked, used) in [(0, 1), (50, 50), (1000, 200)] {
        let r = ok(
            &mut boss,
            Request::Audit {
                actor: None,
                kind: None,
                from: None,
                to: None,
                page: 0,
                page_size: asked,
            },
        )
        .await;
        let ReplyBody::Audit {
            rows,
            page_size,
            total,
            ..
        } = r
        else {
            panic!("{r:?}")
        };
        assert_eq!(page_size, used, "asked {asked}");
        assert_eq!(
            rows.len() as u64,
            total.min(u64::from(used)),
            "asked {asked}"
        );
    }
    // A page past the end is empty, not an error.
    let r = ok(
        &mut boss,
        Request::Audit {
            actor: None,
            kind: None,
            from: None,
            to: None,
            page: 10_000,
            page_size: 200,
        },
    )
    .await;
    let ReplyBody::Audit { rows, .. } = r else {
        panic!("{r:?}")
    };
    assert!(rows.is_empty());
    s.stop().await;
}

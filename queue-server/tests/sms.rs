//! Messages to citizens against an independent SMPP server (testkit's `smpp-peer`: the npm
//! package `smpp`, which decodes UCS-2, GSM and UDH with its own code): the near-turn and
//! called messages in Arabic, a long message concatenated, STOP, a status asked by SMS, the
//! number kept out of the log, views and uplink, and the HTTP gateway against a real server.

use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::{Priority, TicketId};
use hall_wire::*;
use queue_server::server::ServerOptions;
use serde_json::Value;
use std::time::Duration;
use testkit::TestServer;
use testkit::smpp::{SmppPeer, center_with_sms, outbox_settled};
use testkit::ws::{WsClient, code, issue, ok};

const PHONE: &str = "010 1234 5678";
const DEST: &str = "201012345678";
const WAIT: Duration = Duration::from_secs(20);

async fn start(dir: &tempfile::TempDir, port: u16, extra: &str) -> TestServer {
    let file = center_with_sms(dir.path(), port, extra);
    let text = std::fs::read_to_string(&file).unwrap();
    let catalog = hall_wire::center_file::parse(&text).unwrap();
    let sms = queue_server::sms::settings::parse(&text, Some(&catalog)).unwrap();
    assert!(sms.is_some());
    let data = tempfile::tempdir().unwrap();
    let mut opts = ServerOptions::new(data.path(), catalog);
    opts.sms = sms;
    opts.access = hall_wire::center_file::parse_access(&text).unwrap();
    TestServer::start_with(data, opts).await
}

/// The back office moves a request through these states, one command each.
async fn move_request(
    office: &mut WsClient,
    reference: &str,
    states: impl IntoIterator<Item = hall_core::request::RequestState>,
) {
    for state in states {
        ok(
            office,
            Command::SetRequestState {
                reference: reference.to_string(),
                state,
                note: String::new(),
            },
        )
        .await;
    }
}

async fn leave(c: &mut WsClient, token: &str, phone: &str, lang: &str) -> String {
    match ok(
        c,
        Request::LeavePhone {
            token: Some(token.into()),
            ticket: None,
            phone: phone.into(),
            lang: lang.into(),
        },
    )
    .await
    {
        ReplyBody::PhoneKept { masked } => masked,
        other => panic!("{other:?}"),
    }
}

fn texts(msgs: &[Value]) -> Vec<String> {
    msgs.iter()
        .map(|m| m["text"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn near_turn_and_called_messages_arrive_once_in_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let peer = SmppPeer::start(&dir.path().join("peer"));
    let s = start(&dir, peer.port, "people_ahead = 3\n").await;
    let mut kiosk = s.as_device("kiosk-1").await;
    for k in ["a", "b", "c"] {
        issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, k).await;
    }
    let mine = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "mine").await;
    let mut page = s.anonymous().await;
    assert_eq!(leave(&mut page, &mine.token, PHONE, "ar").await, "•••• 78");
    // Three ahead, the threshold: the near-turn message at once, Arabic "few" form.
    let r = peer.wait_for(WAIT, "the near-turn message", |r| {
        r.iter()
            .any(|m| m["pdu"] == "message" && m["destination_addr"] == DEST)
    });
    let near = texts(&peer.messages_to(DEST));
    assert_eq!(
        near,
        vec![format!(
            "مركز الاختبار: تذكرتك {}، أمامك ٣ أشخاص. برجاء الاقتراب من الشبابيك. لإيقاف الرسائل أرسل «إيقاف».",
            mine.label
        )],
    );
    // Longer than 70 UCS-2 characters: two parts, concatenated by the peer from their UDH.
    let whole = r.iter().find(|m| m["pdu"] == "message").unwrap();
    assert_eq!(whole["parts"], 2, "{whole}");
    let parts: Vec<&Value> = r.iter().filter(|m| m["pdu"] == "submit_sm").collect();
    assert_eq!(parts.len(), 2);
    for (i, p) in parts.iter().enumerate() {
        assert_eq!(p["esm_class"], 0x40, "UDH indicator");
        assert_eq!(p["concat"]["total"], 2);
        assert_eq!(p["concat"]["n"], i + 1);
        assert_eq!(p["concat"]["ref"], parts[0]["concat"]["ref"]);
    }
    assert!(parts[0]["text"].as_str().unwrap().chars().count() <= 67);
    let submit = parts[0];
    assert_eq!(submit["data_coding"], 8, "Arabic goes as UCS-2");
    assert_eq!(submit["dest_addr_ton"], 1, "international number");
    assert_eq!(submit["source_addr"], "TABOUR");
    assert!(
        r.iter()
            .any(|m| m["pdu"] == "bind_transceiver" && m["interface_version"] == 0x34)
    );
    // The clerk calls the three before, then this one: one called message, with the counter.
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    for _ in 0..4 {
        ok(&mut clerk, Command::CallNext { counter: 1 }).await;
        ok(
            &mut clerk,
            Command::finish(1, hall_core::Outcome::Completed),
        )
        .await;
    }
    peer.wait_for(WAIT, "the called message", |_| {
        peer.messages_to(DEST).len() >= 2
    });
    // Nothing left to hand over: a second near-turn or called message would be here by now.
    outbox_settled(s.data_dir(), WAIT).await;
    let all = texts(&peer.messages_to(DEST));
    assert_eq!(all.len(), 2, "once each: {all:#?}");
    assert_eq!(
        all[1],
        format!(
            "مركز الاختبار: حان دورك. تذكرتك {}، برجاء التوجه الآن إلى شباك ١.",
            mine.label
        )
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_opts_a_number_out_and_texts_are_answered_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let peer = SmppPeer::start(&dir.path().join("peer"));
    let s = start(&dir, peer.port, "people_ahead = 0\n").await;
    peer.wait_for(WAIT, "a bind", |r| {
        r.iter().any(|m| m["pdu"] == "bind_transceiver")
    });
    // Arabic STOP: confirmed in Arabic, and the number hears nothing more.
    peer.deliver(DEST, "إيقاف");
    peer.wait_for(WAIT, "the STOP confirmation", |_| {
        !peer.messages_to(DEST).is_empty()
    });
    assert_eq!(
        texts(&peer.messages_to(DEST)),
        vec!["مركز الاختبار: لن تصلك رسائل أخرى على هذا الرقم.".to_string()]
    );
    // A text that is no reference: help, in English for an English text.
    let other = "201512345678";
    peer.deliver(other, "hello?");
    peer.wait_for(WAIT, "the help answer", |_| {
        !peer.messages_to(other).is_empty()
    });
    assert!(
        texts(&peer.messages_to(other))[0].starts_with("Test Center: text your request number")
    );
    // An unknown reference: said so, in the text's language.
    peer.deliver(other, "XYZ-26-999999");
    peer.wait_for(WAIT, "the unknown-reference answer", |_| {
        peer.messages_to(other).len() >= 2
    });
    assert_eq!(
        texts(&peer.messages_to(other))[1],
        "Test Center: there is no request XYZ-26-999999. Type the number as it is on your receipt, e.g. HEL-26-004821."
    );
    // The opted-out number is left for a ticket and called: nothing goes to it, while the
    // other number's call (after it) arrives.
    let mut kiosk = s.as_device("kiosk-1").await;
    let stopped = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "s").await;
    let later = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "l").await;
    let mut page = s.anonymous().await;
    leave(&mut page, &stopped.token, PHONE, "ar").await;
    leave(&mut page, &later.token, "01512345678", "en").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    ok(
        &mut clerk,
        Command::finish(1, hall_core::Outcome::Completed),
    )
    .await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    peer.wait_for(WAIT, "the other number's call", |_| {
        texts(&peer.messages_to(other))
            .iter()
            .any(|t| t.contains("it is your turn"))
    });
    // Nothing left to hand over: whatever went to this number is with the peer now.
    outbox_settled(s.data_dir(), WAIT).await;
    assert_eq!(
        peer.messages_to(DEST).len(),
        1,
        "only the STOP confirmation: {:#?}",
        texts(&peer.messages_to(DEST))
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_number_is_refused_clearly_and_a_phone_never_reaches_the_log_views_or_uplink() {
    let dir = tempfile::tempdir().unwrap();
    let peer = SmppPeer::start(&dir.path().join("peer"));
    let s = start(&dir, peer.port, "").await;
    let mut kiosk = s.as_device("kiosk-1").await;
    let t = issue(&mut kiosk, "CIT-TAX", Priority::Normal, "t").await;
    let mut page = s.anonymous().await;
    let bad = Request::LeavePhone {
        token: Some(t.token.clone()),
        ticket: None,
        phone: "0223456789".into(),
        lang: "ar".into(),
    };
    assert_eq!(code(&mut page, bad).await, ErrorCode::InvalidPhone);
    let wrong = Request::LeavePhone {
        token: Some("nope".into()),
        ticket: None,
        phone: PHONE.into(),
        lang: "ar".into(),
    };
    assert_eq!(code(&mut page, wrong).await, ErrorCode::UnknownTicket);
    // A citizen may not name a ticket by id; a clerk may.
    let by_id = Request::LeavePhone {
        token: None,
        ticket: Some(t.id),
        phone: PHONE.into(),
        lang: "en".into(),
    };
    assert_eq!(
        code(&mut page, by_id.clone()).await,
        ErrorCode::Unauthenticated
    );
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, by_id).await;
    let mut board = s.as_device("board-1").await;
    ok(&mut board, Request::Subscribe).await;
    let snapshot = board.next_text().await.unwrap();
    let ReplyBody::Watching { view } = ok(
        &mut page,
        Request::WatchTicket {
            token: t.token.clone(),
        },
    )
    .await
    else {
        panic!()
    };
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    peer.wait_for(WAIT, "the called message", |_| {
        !peer.messages_to(DEST).is_empty()
    });
    let delta = board.next_text().await.unwrap();
    let digits = ["1012345678", "01012345678"];
    let db = s.data_dir().join("queue.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let events = queue_server::uplink::events_after(&conn, 0, 10_000).unwrap();
    assert!(events.len() > 3);
    let mut seen = vec![snapshot, delta, serde_json::to_string(&view).unwrap()];
    for env in &events {
        seen.push(serde_json::to_string(&env.event).unwrap());
        let up = hall_wire::network::UplinkEvent::of("test-center", "cai", env);
        seen.push(serde_json::to_string(&up).unwrap());
    }
    let rows: Vec<String> = conn
        .prepare("SELECT data FROM events UNION ALL SELECT data FROM snapshots UNION ALL SELECT data FROM admin_log")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    seen.extend(rows);
    for text in &seen {
        for d in digits {
            assert!(!text.contains(d), "a phone's digits in {text}");
        }
    }
    // The number is in the messages' own table only while needed: the ticket finishes, it goes.
    let kept = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT COUNT(*) FROM sms_phones", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(kept(&conn), 1);
    ok(
        &mut clerk,
        Command::finish(1, hall_core::Outcome::Completed),
    )
    .await;
    assert_eq!(kept(&conn), 0, "forgotten when its ticket closed");
    // The sender blanks a row's number once the row is final: the called message may still
    // be on its way when the ticket closes.
    let left = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM sms_outbox WHERE phone != ''",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let within = std::time::Duration::from_secs(15);
    testkit::wait::until(within, "sent messages keep no number", || async {
        left(&conn) == 0
    })
    .await;
    let _ = TicketId(0);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_http_gateway_gets_each_message_once_by_its_key_and_a_failure_is_retried() {
    use axum::routing::post;
    use std::sync::{Arc, Mutex};
    type Seen = Arc<Mutex<Vec<(String, String, Value)>>>;
    let seen: Seen = Arc::default();
    let seen2 = seen.clone();
    // A real HTTP server: the first request is answered 503, the next ones 200.
    let app = axum::Router::new().route(
        "/send",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let seen = seen2.clone();
            async move {
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                let mut s = seen.lock().unwrap();
                s.push((
                    h("authorization"),
                    h("idempotency-key"),
                    serde_json::from_str(&body).unwrap(),
                ));
                if s.len() == 1 {
                    (axum::http::StatusCode::SERVICE_UNAVAILABLE, String::new())
                } else {
                    (
                        axum::http::StatusCode::OK,
                        r#"{"message_id":"gw-7"}"#.to_string(),
                    )
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let base = std::fs::read_to_string(testkit::center::always_open_path()).unwrap();
    let text = format!(
        "{base}\n[sms]\ntransport = \"http\"\nurl = \"http://127.0.0.1:{port}/send\"\ntoken = \"t0ken\"\nname = {{ ar = \"مركز الاختبار\", en = \"Test Center\" }}\n"
    );
    let catalog = hall_wire::center_file::parse(&text).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut opts = ServerOptions::new(data.path(), catalog.clone());
    opts.sms = queue_server::sms::settings::parse(&text, Some(&catalog)).unwrap();
    let s = TestServer::start_with(data, opts).await;
    let mut kiosk = s.as_device("kiosk-1").await;
    let t = issue(&mut kiosk, "CIT-SHOP", Priority::Normal, "x").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(
        &mut clerk,
        Request::LeavePhone {
            token: None,
            ticket: Some(t.id),
            phone: PHONE.into(),
            lang: "en".into(),
        },
    )
    .await;
    // Nobody ahead: the near-turn message at once; the gateway refuses it once (503).
    testkit::wait::until(WAIT, "the gateway tried again", || async {
        seen.lock().unwrap().len() >= 2
    })
    .await;
    // Nothing left to hand over (the retry done): a third post would have been made by now.
    outbox_settled(s.data_dir(), WAIT).await;
    let first = seen.lock().unwrap().clone();
    assert_eq!(
        first.len(),
        2,
        "one failure, one success, nothing more: {first:#?}"
    );
    for (auth, key, body) in &first {
        assert_eq!(auth, "Bearer t0ken");
        assert_eq!(key, &first[0].1, "the same message id both times");
        assert_eq!(body["to"], "+201012345678");
        assert_eq!(
            body["text"],
            format!(
                "Test Center: ticket {}, nobody is ahead of you now. Please come near the windows. Reply STOP to end messages.",
                t.label
            )
        );
    }
    assert!(first[0].1.starts_with("tabour-"));
    // Called: a message of its own, its own key.
    ok(&mut clerk, Command::OpenCounter { counter: 4 }).await;
    ok(&mut clerk, Command::CallNext { counter: 4 }).await;
    testkit::wait::until(WAIT, "the called message", || async {
        seen.lock().unwrap().len() >= 3
    })
    .await;
    let all = seen.lock().unwrap().clone();
    assert_ne!(all[2].1, first[0].1);
    assert_eq!(
        all[2].2["text"],
        format!(
            "Test Center: it is your turn. Ticket {}, please go to Window 4 now.",
            t.label
        )
    );
    outbox_settled(s.data_dir(), WAIT).await;
    let conn = rusqlite::Connection::open(s.data_dir().join("queue.sqlite")).unwrap();
    let rows: Vec<(String, String)> = conn
        .prepare("SELECT state, smsc_ids FROM sms_outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        vec![
            ("submitted".into(), "gw-7".into()),
            ("submitted".into(), "gw-7".into())
        ]
    );
    s.stop().await;
}

/// The clerk hands the ticket in as a request, with the last four digits of the phone.
async fn hand_in(clerk: &mut WsClient, suffix: &str) -> String {
    ok(clerk, Command::CallNext { counter: 1 }).await;
    match ok(
        clerk,
        Command::Finish {
            counter: 1,
            outcome: hall_core::Outcome::RequestSubmitted,
            reference: None,
            suffixes: vec![suffix.into()],
        },
    )
    .await
    {
        ReplyBody::RequestReceipt { receipt } => receipt.reference,
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_tells_its_number_each_change_and_answers_its_status_only_to_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let peer = SmppPeer::start(&dir.path().join("peer"));
    // Seven messages to one number within the hour: over the default limit of six.
    let s = start(
        &dir,
        peer.port,
        "people_ahead = 0\nper_phone_per_hour = 20\n",
    )
    .await;
    let mut kiosk = s.as_device("kiosk-1").await;
    let t = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "r").await;
    let mut page = s.anonymous().await;
    leave(&mut page, &t.token, PHONE, "ar").await;
    peer.wait_for(WAIT, "the near-turn message", |_| {
        !peer.messages_to(DEST).is_empty()
    });
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let reference = hand_in(&mut clerk, "5678").await;
    // The number follows the ticket into its request: "received", with the expected day.
    peer.wait_for(WAIT, "the request's first message", |_| {
        texts(&peer.messages_to(DEST))
            .iter()
            .any(|t| t.contains(&reference))
    });
    let received = texts(&peer.messages_to(DEST))
        .into_iter()
        .find(|t| t.contains(&reference))
        .unwrap();
    assert!(
        received.starts_with(&format!(
            "مركز الاختبار: الطلب {reference} (استخراج شهادة ميلاد): تم الاستلام. موعد الجاهزية المتوقع "
        )),
        "{received}"
    );
    // The back office moves it on: each change is one message, in Arabic.
    let (mut office, _) = s.as_staff("office1").await;
    let to = |state| Command::SetRequestState {
        reference: reference.clone(),
        state,
        note: "internal".into(),
    };
    ok(
        &mut office,
        to(hall_core::request::RequestState::UnderReview),
    )
    .await;
    ok(
        &mut office,
        to(hall_core::request::RequestState::NeedsDocuments {
            documents: vec!["صورة البطاقة".into(), "إيصال الكهرباء".into()],
        }),
    )
    .await;
    ok(
        &mut office,
        to(hall_core::request::RequestState::UnderReview),
    )
    .await;
    ok(
        &mut office,
        to(hall_core::request::RequestState::ReadyForPickup),
    )
    .await;
    peer.wait_for(WAIT, "ready for pickup", |_| {
        texts(&peer.messages_to(DEST))
            .iter()
            .any(|t| t.contains("جاهز للاستلام"))
    });
    let about: Vec<String> = texts(&peer.messages_to(DEST))
        .into_iter()
        .filter(|t| t.contains(&reference))
        .collect();
    // Received, documents needed, ready: what the citizen acts on; "under review" (twice)
    // costs a text and asks nothing.
    assert_eq!(about.len(), 3, "{about:#?}");
    assert!(
        about.iter().all(|t| !t.contains("قيد المراجعة")),
        "{about:#?}"
    );
    assert!(
        about[1].contains("مطلوب مستندات. يرجى إحضار: صورة البطاقة، إيصال الكهرباء."),
        "{}",
        about[1]
    );
    assert_eq!(
        about[2],
        format!("مركز الاختبار: الطلب {reference} (استخراج شهادة ميلاد): جاهز للاستلام.")
    );
    assert!(
        about.iter().all(|t| !t.contains("internal")),
        "staff notes stay inside"
    );
    // A stranger who texts the reference alone is asked for the four digits; with them,
    // the status. The citizen's own number gets it at once.
    let stranger = "201598765432";
    peer.deliver(stranger, &reference.to_lowercase());
    peer.wait_for(WAIT, "the answer to the stranger", |_| {
        !peer.messages_to(stranger).is_empty()
    });
    assert!(
        texts(&peer.messages_to(stranger))[0].starts_with(&format!(
            "Test Center: to get the status of {reference}, text it with the last four digits"
        )),
        "{:?}",
        texts(&peer.messages_to(stranger))
    );
    peer.deliver(stranger, &format!("{reference} 1111"));
    peer.deliver(stranger, &format!("{reference} 5678"));
    peer.wait_for(WAIT, "the status with the right digits", |_| {
        peer.messages_to(stranger).len() >= 3
    });
    let answers = texts(&peer.messages_to(stranger));
    assert!(answers[1].contains("last four digits"), "{answers:?}");
    assert_eq!(
        answers[2],
        format!("Test Center: Request {reference} (Birth certificate): Ready for pickup.")
    );
    let before = peer.messages_to(DEST).len();
    peer.deliver(DEST, &format!("حالة {reference}"));
    peer.wait_for(WAIT, "the owner's answer", |_| {
        peer.messages_to(DEST).len() > before
    });
    assert_eq!(
        texts(&peer.messages_to(DEST))[before],
        about[2],
        "the citizen's own number needs no digits"
    );
    // Delivered (handed over at the window): no text, and the number is forgotten.
    let before = peer.messages_to(DEST).len();
    ok(&mut office, to(hall_core::request::RequestState::Delivered)).await;
    outbox_settled(s.data_dir(), WAIT).await;
    assert_eq!(peer.messages_to(DEST).len(), before, "nothing to tell");
    let data = s.stop().await;
    let db = rusqlite::Connection::open(data.path().join("queue.sqlite")).unwrap();
    let kept: i64 = db
        .query_row("SELECT COUNT(*) FROM sms_request_phones", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 0, "a finished request's number is not kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn after_service_one_rating_link_goes_to_a_number_that_asked_for_messages() {
    let dir = tempfile::tempdir().unwrap();
    let peer = SmppPeer::start(&dir.path().join("peer"));
    let s = start(
        &dir,
        peer.port,
        "feedback_after_minutes = 0\n[access]\npublic_url = \"https://tabour.example.eg\"\n",
    )
    .await;
    let mut kiosk = s.as_device("kiosk-1").await;
    let mine = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "mine").await;
    // A second ticket whose citizen left no number: no message of any kind for it.
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "quiet").await;
    let mut page = s.anonymous().await;
    leave(&mut page, &mine.token, PHONE, "en").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    for _ in 0..2 {
        ok(&mut clerk, Command::CallNext { counter: 1 }).await;
        ok(
            &mut clerk,
            Command::finish(1, hall_core::Outcome::Completed),
        )
        .await;
    }
    let link = format!("https://tabour.example.eg/t/{}", mine.token);
    peer.wait_for(WAIT, "the rating link", |_| {
        texts(&peer.messages_to(DEST))
            .iter()
            .any(|t| t.contains(&link))
    });
    // Rated on the page afterwards: nothing more (the link went once).
    ok(
        &mut page,
        Command::GiveFeedback {
            token: mine.token.clone(),
            rating: 5,
            comment: String::new(),
        },
    )
    .await;
    outbox_settled(s.data_dir(), WAIT).await;
    let all = texts(&peer.messages_to(DEST));
    assert_eq!(
        all.iter().filter(|t| t.contains("Rate your visit")).count(),
        1,
        "{all:#?}"
    );
    assert_eq!(
        all.last().unwrap(),
        &format!("Test Center: thank you. Rate your visit: {link}")
    );
    // English within GSM 03.38: one part, data_coding 0.
    let parts: Vec<Value> = peer
        .records()
        .into_iter()
        .filter(|m| {
            m["pdu"] == "submit_sm" && m["text"].as_str().is_some_and(|t| t.contains("Rate your"))
        })
        .collect();
    assert_eq!(parts.len(), 1, "{parts:#?}");
    assert_eq!(parts[0]["data_coding"], 0);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_requests_english_messages_go_in_gsm_7_and_stop_stops_them_too() {
    let dir = tempfile::tempdir().unwrap();
    let peer = SmppPeer::start(&dir.path().join("peer"));
    let s = start(&dir, peer.port, "people_ahead = 0\n").await;
    let mut kiosk = s.as_device("kiosk-1").await;
    let t = issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "en").await;
    let mut page = s.anonymous().await;
    leave(&mut page, &t.token, PHONE, "en").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let reference = hand_in(&mut clerk, "5678").await;
    let (mut office, _) = s.as_staff("office1").await;
    use hall_core::request::RequestState;
    move_request(
        &mut office,
        &reference,
        [
            RequestState::UnderReview,
            RequestState::NeedsDocuments {
                documents: vec!["Copy of the ID card".into()],
            },
        ],
    )
    .await;
    peer.wait_for(WAIT, "documents needed", |_| {
        texts(&peer.messages_to(DEST))
            .iter()
            .any(|t| t.contains("Please bring: Copy of the ID card."))
    });
    let needs: Vec<Value> = peer
        .of("submit_sm")
        .into_iter()
        .filter(|m| {
            m["text"]
                .as_str()
                .is_some_and(|t| t.contains("Please bring"))
        })
        .collect();
    assert_eq!(needs.len(), 1, "one part: {needs:#?}");
    assert_eq!(needs[0]["data_coding"], 0, "GSM 7-bit");
    // STOP: the ready message is not sent any more.
    peer.deliver(DEST, "stop");
    peer.wait_for(WAIT, "STOP confirmed", |_| {
        texts(&peer.messages_to(DEST))
            .iter()
            .any(|t| t.contains("no more messages"))
    });
    let before = peer.messages_to(DEST).len();
    move_request(
        &mut office,
        &reference,
        [
            RequestState::UnderReview,
            RequestState::ReadyForPickup,
            RequestState::Delivered,
        ],
    )
    .await;
    outbox_settled(s.data_dir(), WAIT).await;
    assert_eq!(peer.messages_to(DEST).len(), before, "opted out");
    s.stop().await;
}

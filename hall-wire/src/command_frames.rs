//! Every command as docs/protocol.md writes it, read and written as the wire carries it.

use crate::{ClientFrame, Request};
use hall_core::Priority;
use hall_core::command::Command;
use serde_json::{Value, json};

/// Every command as docs/protocol.md writes it: each parses into a `Command` and writes
/// back exactly the same object.
const DOCUMENTED: [&str; 24] = [
    r#"{"id": 1000, "type": "issue_ticket", "service": "CIT-BIRTH", "priority": "elderly", "idempotency_key": "k1-20261122-0004"}"#,
    r#"{"id": 10, "type": "open_counter", "counter": 2}"#,
    r#"{"id": 60, "type": "close_counter", "counter": 2}"#,
    r#"{"id": 30, "type": "pause_counter", "counter": 2}"#,
    r#"{"id": 31, "type": "resume_counter", "counter": 2}"#,
    r#"{"id": 11, "type": "call_next", "counter": 2}"#,
    r#"{"id": 12, "type": "call_ticket", "counter": 2, "ticket": 58, "reason": "سيدة مسنة على كرسي متحرك"}"#,
    r#"{"id": 13, "type": "recall", "counter": 2}"#,
    r#"{"id": 14, "type": "no_show", "counter": 2}"#,
    r#"{"id": 15, "type": "start_serving", "counter": 2}"#,
    r#"{"id": 16, "type": "finish", "counter": 2, "outcome": "completed", "reference": "ش م/2026/11873"}"#,
    r#"{"id": 17, "type": "transfer", "counter": 2, "target": {"kind": "service", "service": "CIT-TAX"}, "position": "front"}"#,
    r#"{"id": 18, "type": "transfer", "ticket": 61, "target": {"kind": "counter", "counter": 3}, "position": "back"}"#,
    r#"{"id": 19, "type": "park", "counter": 2, "note": "يحضر صورة البطاقة"}"#,
    r#"{"id": 20, "type": "return_parked", "counter": 2, "ticket": 55}"#,
    r#"{"id": 70, "type": "cancel_ticket", "ticket": 61}"#,
    r#"{"id": 2, "type": "withdraw_ticket", "token": "5be0c2a79d3f41e8a6b1f07c92d4e385"}"#,
    r#"{"id": 80, "type": "set_service_open", "service": "CIT-SHOP", "open": false}"#,
    r#"{"id": 81, "type": "set_counter_profile", "counter": 1, "profile": [{"service": "CIT-BIRTH", "weight": 2.0}, {"service": "CIT-TAX", "weight": 1.0}]}"#,
    r#"{"id": 82, "type": "set_message", "text": "يرجى تجهيز صورة بطاقة الرقم القومي قبل التوجه إلى الشباك"}"#,
    r#"{"id": 1040, "type": "report_printer", "status": "paper_out", "detail": "DLE EOT 4: paper end"}"#,
    r#"{"id": 21, "type": "finish", "counter": 2, "outcome": "request_submitted", "suffixes": ["4821"]}"#,
    r#"{"id": 90, "type": "set_request_state", "reference": "HEL-26-004821", "state": {"state": "needs_documents", "documents": ["صورة عقد الإيجار"]}, "note": "ينقص عقد الإيجار"}"#,
    r#"{"id": 3, "type": "give_feedback", "token": "5be0c2a79d3f41e8a6b1f07c92d4e385", "rating": 5, "comment": "خدمة سريعة"}"#,
];

#[test]
fn every_documented_command_parses_into_a_command_and_writes_back_the_same_json() {
    let mut named = std::collections::HashSet::new();
    for text in DOCUMENTED {
        let frame: ClientFrame = serde_json::from_str(text).unwrap();
        let Request::Command(command) = &frame.request else {
            panic!("{text} is not a command: {:?}", frame.request);
        };
        let original: Value = serde_json::from_str(text).unwrap();
        assert_eq!(command.name(), original["type"], "{text}");
        assert_eq!(serde_json::to_value(&frame).unwrap(), original, "{text}");
        // A bare `Request` reads the same object (the server parses it so, id and all).
        let request: Request = serde_json::from_value(original.clone()).unwrap();
        assert_eq!(request, frame.request);
        named.insert(command.name());
    }
    let wire: std::collections::HashSet<&str> = Command::WIRE_NAMES.into_iter().collect();
    assert_eq!(named, wire, "every wire command is documented and tested");
}

#[test]
fn the_page_token_is_neither_read_from_nor_written_to_the_wire() {
    let command = Command::IssueTicket {
        service: "CIT-BIRTH".into(),
        priority: Priority::Normal,
        idempotency_key: "k".into(),
        token: "secret".into(),
    };
    let written = serde_json::to_value(Request::Command(command)).unwrap();
    assert_eq!(
        written,
        json!({"type": "issue_ticket", "service": "CIT-BIRTH", "priority": "normal", "idempotency_key": "k"})
    );
    let sent = json!({"id": 1, "type": "issue_ticket", "service": "S", "idempotency_key": "k", "token": "chosen"});
    let Request::Command(Command::IssueTicket {
        token, priority, ..
    }) = serde_json::from_value(sent).unwrap()
    else {
        panic!("not an issue_ticket");
    };
    assert_eq!(token, "", "a client cannot choose its page token");
    assert_eq!(priority, Priority::Normal);
}

#[test]
fn the_server_only_commands_have_no_wire_form() {
    for t in ["load_catalog", "start_day"] {
        let sent = json!({"id": 1, "type": t, "day": "2026-11-22"});
        assert!(serde_json::from_value::<Request>(sent).is_err(), "{t}");
    }
    let day = Command::StartDay {
        day: "2026-11-22".parse().unwrap(),
    };
    assert!(serde_json::to_string(&day).is_err());
}

#[test]
fn a_bad_command_is_refused_with_its_own_complaint_and_other_requests_still_parse() {
    let missing = serde_json::from_value::<Request>(json!({"type": "call_next"}))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("counter"), "{missing}");
    let hello: Request = serde_json::from_value(json!({"type": "hello", "protocol": 2})).unwrap();
    assert!(matches!(hello, Request::Hello { protocol: 2, .. }));
    assert_eq!(hello.name(), "hello");
    let unknown = serde_json::from_value::<Request>(json!({"type": "fly"}));
    assert!(unknown.is_err());
}

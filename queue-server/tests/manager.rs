//! The manager's console over real sockets: device pairing played from the device's side,
//! staff accounts (a disabled clerk's connections end), the live dashboard, reports with their
//! CSV/XLSX export over HTTP (through the router, `oneshot`), and the audit log.

use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::role::Role;
use hall_core::{Outcome, Priority};
use hall_wire::manager::DeviceKind;
use hall_wire::views::LiveView;
use hall_wire::*;
use queue_server::server::CLOSE_REVOKED;
use std::time::Duration;
use testkit::TestServer;
use testkit::in_process::Answer;
use testkit::ws::{WsClient, code, ok};
use tokio_tungstenite::tungstenite::Message;

/// The next frame that is not a reply, within a deadline.
async fn next_push(c: &mut WsClient) -> ServerFrame {
    tokio::time::timeout(Duration::from_secs(5), c.next_frame())
        .await
        .expect("a frame in time")
        .expect("connection open")
}

/// Waits for the close frame the server sends when access is revoked.
async fn closed_with(c: &mut WsClient) -> u16 {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let msg = tokio::time::timeout_at(deadline, c.next_message())
            .await
            .expect("closed in time");
        match msg {
            Some(Ok(Message::Close(Some(frame)))) => return u16::from(frame.code),
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_device_pairs_by_the_code_it_shows_and_stops_when_revoked() {
    let hall = TestServer::start().await;
    // The device: no token, asks to pair, shows the code.
    let mut device = hall.anonymous().await;
    let ReplyBody::Pairing { code: shown, .. } = ok(
        &mut device,
        Request::RequestPairing {
            kind: DeviceKind::Kiosk,
            name: "entrance".into(),
        },
    )
    .await
    else {
        panic!("no pairing code")
    };
    assert_eq!(shown.len(), 6);
    assert!(shown.chars().all(|c| c.is_ascii_digit()));
    // Before approval it is still a citizen.
    assert_eq!(
        code(
            &mut device,
            Command::issue_ticket("CIT-BIRTH", Priority::Normal, "k")
        )
        .await,
        ErrorCode::Unauthenticated
    );

    let (mut boss, _) = hall.as_staff("manager").await;
    let ReplyBody::Pairings { pending } = ok(&mut boss, Request::ListPairings).await else {
        panic!()
    };
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].code.as_str(), pending[0].name.as_str()),
        (shown.as_str(), "entrance")
    );
    let wrong = if shown == "000000" {
        "000001"
    } else {
        "000000"
    };
    let approve = |code: &str, name: &str| Request::ApprovePairing {
        code: code.into(),
        name: name.into(),
    };
    assert_eq!(
        code(&mut boss, approve(wrong, "kiosk-3")).await,
        ErrorCode::UnknownPairing
    );
    assert_eq!(
        code(&mut boss, approve(&shown, "Kiosk 3!")).await,
        ErrorCode::InvalidName
    );
    assert_eq!(
        code(&mut boss, approve(&shown, "kiosk-1")).await,
        ErrorCode::UserExists,
        "an existing device's name is not taken over"
    );
    let ReplyBody::Device { device: info } = ok(&mut boss, approve(&shown, "kiosk-3")).await else {
        panic!()
    };
    assert_eq!((info.name.as_str(), info.role), ("kiosk-3", Role::Kiosk));
    assert_eq!(
        code(&mut boss, approve(&shown, "kiosk-4")).await,
        ErrorCode::UnknownPairing,
        "a code is used once"
    );

    // The device receives its token on the same connection and is a kiosk from now on.
    let ServerFrame::Paired { token, name, role } = next_push(&mut device).await else {
        panic!("no paired frame")
    };
    assert_eq!((name.as_str(), role), ("kiosk-3", Role::Kiosk));
    let issued = ok(
        &mut device,
        Command::issue_ticket("CIT-BIRTH", Priority::Normal, "first"),
    )
    .await;
    assert!(matches!(issued, ReplyBody::Ticket { .. }));
    // It keeps the token for later connections.
    let mut again = hall.with_token(&token).await.expect("the token works");
    let ReplyBody::Devices { devices } = ok(&mut boss, Request::ListDevices).await else {
        panic!()
    };
    let k3 = devices.iter().find(|d| d.name == "kiosk-3").unwrap();
    assert!(k3.online);
    assert!(!devices.iter().find(|d| d.name == "kiosk-2").unwrap().online);

    // Revoked: its connections close and the token stops working.
    ok(
        &mut boss,
        Request::RevokeDevice {
            name: "kiosk-3".into(),
        },
    )
    .await;
    assert_eq!(closed_with(&mut device).await, CLOSE_REVOKED);
    assert_eq!(closed_with(&mut again).await, CLOSE_REVOKED);
    assert_eq!(
        hall.with_token(&token).await.err(),
        Some(ErrorCode::BadCredentials)
    );
    assert_eq!(
        code(
            &mut boss,
            Request::RevokeDevice {
                name: "kiosk-3".into()
            }
        )
        .await,
        ErrorCode::UnknownDevice
    );
    // Only a device without an identity asks to pair; only a manager approves.
    let mut kiosk = hall.as_device("kiosk-1").await;
    assert_eq!(
        code(
            &mut kiosk,
            Request::RequestPairing {
                kind: DeviceKind::Board,
                name: String::new()
            }
        )
        .await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(&mut kiosk, Request::ListPairings).await,
        ErrorCode::Forbidden
    );
}

#[tokio::test]
async fn staff_accounts_are_managed_and_a_disabled_clerk_is_signed_out() {
    let hall = TestServer::start().await;
    let (mut boss, _) = hall.as_staff("manager").await;
    let create = |u: &str, role| Request::CreateUser {
        username: u.into(),
        display_name: "منى عبد الرحمن".into(),
        role,
    };
    let ReplyBody::Password { password, .. } = ok(&mut boss, create("mona", Role::Clerk)).await
    else {
        panic!()
    };
    assert_eq!(
        code(&mut boss, create("mona", Role::Clerk)).await,
        ErrorCode::UserExists
    );
    assert_eq!(
        code(&mut boss, create("Mona Ali", Role::Clerk)).await,
        ErrorCode::InvalidName
    );
    assert_eq!(
        code(&mut boss, create("kiosky", Role::Kiosk)).await,
        ErrorCode::BadFrame
    );
    let (mut mona, token) = hall.login("mona", &password).await;
    token.expect("the new clerk signs in");
    ok(&mut mona, Request::Subscribe).await;
    assert_eq!(
        code(&mut mona, Request::ListUsers).await,
        ErrorCode::Forbidden
    );

    // The list never carries a password or its hash.
    let raw = {
        let id = boss.send(Request::ListUsers).await.unwrap();
        let r = boss.reply_to(id).await.unwrap().unwrap();
        serde_json::to_string(&r).unwrap()
    };
    assert!(raw.contains("\"mona\"") && raw.contains("\"clerk1\""));
    assert!(!raw.contains("argon2") && !raw.contains("password"));

    // Disabled: her connection closes at once, and she cannot sign in again.
    ok(
        &mut boss,
        Request::SetUserActive {
            username: "mona".into(),
            active: false,
        },
    )
    .await;
    assert_eq!(closed_with(&mut mona).await, CLOSE_REVOKED);
    assert_eq!(
        hall.login("mona", &password).await.1.err(),
        Some(ErrorCode::BadCredentials)
    );
    ok(
        &mut boss,
        Request::SetUserActive {
            username: "mona".into(),
            active: true,
        },
    )
    .await;
    hall.login("mona", &password)
        .await
        .1
        .expect("enabled again");
    let ReplyBody::Password {
        password: fresh, ..
    } = ok(
        &mut boss,
        Request::ResetPassword {
            username: "mona".into(),
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        hall.login("mona", &password).await.1.err(),
        Some(ErrorCode::BadCredentials)
    );
    hall.login("mona", &fresh)
        .await
        .1
        .expect("the new password");
    // A manager does not lock themselves out; unknown accounts are named as such.
    assert_eq!(
        code(
            &mut boss,
            Request::SetUserActive {
                username: "manager".into(),
                active: false
            }
        )
        .await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(
            &mut boss,
            Request::ResetPassword {
                username: "nobody".into()
            }
        )
        .await,
        ErrorCode::UnknownUser
    );
}

#[tokio::test]
async fn the_dashboard_follows_the_hall() {
    let hall = TestServer::start().await;
    let (mut boss, _) = hall.as_staff("manager").await;
    let ReplyBody::View { view } = ok(&mut boss, Request::WatchDashboard).await else {
        panic!()
    };
    let LiveView::Dashboard(view) = *view else {
        panic!("not a dashboard")
    };
    assert_eq!(view.waiting, 0);
    assert_eq!(view.counters.len(), 4);
    assert_eq!(view.devices.len(), 3);
    let mut kiosk = hall.as_device("kiosk-1").await;
    ok(
        &mut kiosk,
        Command::issue_ticket("CIT-TAX", Priority::Elderly, "a"),
    )
    .await;
    // Pushed, not polled: the ticket (and the kiosk coming online) arrive in an update.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let frame = tokio::time::timeout_at(deadline, boss.next_frame())
            .await
            .expect("an update in time")
            .unwrap();
        if let ServerFrame::ViewUpdate { view } = frame
            && let LiveView::Dashboard(view) = *view
            && view.waiting == 1
        {
            let tax = view.services.iter().find(|s| s.code == "CIT-TAX").unwrap();
            assert_eq!(tax.waiting, 1);
            assert!(view.devices.iter().any(|d| d.name == "kiosk-1" && d.online));
            break;
        }
    }
    let mut clerk = hall.as_device("board-1").await;
    assert_eq!(
        code(&mut clerk, Request::WatchDashboard).await,
        ErrorCode::Forbidden
    );
}

#[tokio::test]
async fn reports_export_as_csv_and_xlsx_for_managers_only_and_the_audit_reads_in_both_languages() {
    let hall = TestServer::start().await;
    let (mut boss, token) = hall.as_staff("manager").await;
    let mut kiosk = hall.as_device("kiosk-1").await;
    for key in ["a", "b"] {
        ok(
            &mut kiosk,
            Command::issue_ticket("CIT-BIRTH", Priority::Normal, key),
        )
        .await;
    }
    let (mut clerk, clerk_token) = hall.login("clerk1", &hall.password("clerk1")).await;
    let clerk_token = clerk_token.unwrap();
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    ok(&mut clerk, Command::finish(1, Outcome::Completed)).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    ok(&mut clerk, Command::NoShow { counter: 1 }).await;

    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Africa::Cairo)
        .date_naive();
    let ReplyBody::Report { report } = ok(
        &mut boss,
        Request::Report {
            from: today,
            to: today,
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        (
            report.total.tickets,
            report.total.served,
            report.total.no_shows
        ),
        (2, 1, 1)
    );
    assert_eq!(report.by_clerk[0].key, "clerk1");
    assert_eq!(
        code(
            &mut boss,
            Request::Report {
                from: today,
                to: today - chrono::Duration::days(1)
            }
        )
        .await,
        ErrorCode::InvalidRange
    );

    let path = format!("/reports/export?from={today}&to={today}&format=csv&by=service&lang=en");
    let Answer { status, head, body } = hall.get(&path, Some(&token)).await;
    assert_eq!(status, 200, "{head}");
    assert!(head.contains(&format!(
        "filename=\"tabour-report-service-{today}_{today}.csv\""
    )));
    let csv = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[1].starts_with("CIT-BIRTH,Birth certificate,2,1,1,0,"),
        "{csv}"
    );
    let Answer { status, head, body } = hall
        .get(
            &format!("/reports/export?from={today}&to={today}&format=xlsx"),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200);
    assert!(head.contains(".xlsx\""));
    assert_eq!(&body[..2], b"PK");
    assert_eq!(hall.get(&path, None).await.status, 401);
    assert_eq!(hall.get(&path, Some(&clerk_token)).await.status, 403);
    assert_eq!(hall.get(&path, Some("not-a-token")).await.status, 401);
    assert_eq!(
        hall.get(
            &format!("/reports/export?from={today}&to=yesterday&format=csv&by=service"),
            Some(&token)
        )
        .await
        .status,
        400
    );

    // The audit: newest first, filtered by actor, in Arabic and English.
    let audit = |actor: Option<&str>, kind: Option<&str>| Request::Audit {
        actor: actor.map(str::to_string),
        kind: kind.map(str::to_string),
        from: Some(today),
        to: Some(today),
        page: 0,
        page_size: 50,
    };
    let ReplyBody::Audit { rows, total, .. } = ok(&mut boss, audit(Some("clerk1"), None)).await
    else {
        panic!()
    };
    assert_eq!(total, 5);
    assert_eq!(rows[0].kind, "ticket_no_show");
    assert_eq!(rows[0].actor, "clerk:clerk1");
    assert_eq!(rows[0].text.en, "A-002 did not come to Window 1");
    assert_eq!(rows[0].text.ar, "صاحب التذكرة A-002 لم يحضر إلى شباك ١");
    assert_eq!(rows[4].text.en, "Opened Window 1 for clerk1");
    let ReplyBody::Audit { rows, .. } = ok(&mut boss, audit(None, Some("ticket_issued"))).await
    else {
        panic!()
    };
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1].text.en,
        "Issued A-001 for Birth certificate (Regular)"
    );
}

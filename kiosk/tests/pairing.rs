//! A kiosk that pairs itself, end to end against a real server in this process: started with
//! no token it shows a code (the pairing screen's data), a manager approves the code over the
//! websocket, the kiosk keeps the token in its settings file and goes on as a kiosk; after a
//! restart it says hello with the kept token; revoked, it shows a new code.

use hall_client::{Client, ClientConfig, ClientEvent};
use hall_core::Priority;
use hall_core::command::Command;
use hall_core::role::Role;
use hall_ui::Tr;
use hall_ui::pairing::{self, Pairing};
use hall_wire::manager::DeviceKind;
use hall_wire::*;
use kiosk::settings::Settings;
use std::time::{Duration, Instant};
use testkit::TestServer;

/// Follows the client's events into `pairing` until `done` says so (blocking this worker:
/// the server runs on the other).
fn until(
    client: &Client,
    pairing: &mut Pairing,
    what: &str,
    mut done: impl FnMut(&Pairing, &ClientEvent) -> bool,
) -> ClientEvent {
    tokio::task::block_in_place(|| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(e) = client.recv_timeout(Duration::from_millis(100)) {
                pairing.follow(&e);
                if done(pairing, &e) {
                    return e;
                }
            }
        }
        panic!("timed out waiting for {what}");
    })
}

fn settings(server: &str) -> Settings {
    Settings {
        server: server.into(),
        token: String::new(),
        printer: String::new(),
        paper_mm: 80,
        pin: "2468".into(),
        ticket_base: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_without_a_token_shows_a_code_is_approved_keeps_its_token_and_goes_on() {
    let server = TestServer::start().await;
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.json");
    let mut s = settings(&url);
    s.save(&path).unwrap();
    let tr = Tr::new();

    // No token: the pairing screen, first asking, then with the server's code.
    let mut p = Pairing::new(&s.token);
    assert!(
        p.active,
        "a kiosk without a token starts on the pairing screen"
    );
    let asking = pairing::view(&p, DeviceKind::Kiosk, &url, &tr);
    assert_eq!(asking.code, None);
    assert!(asking.texts().iter().any(|t| t.contains("جارٍ طلب رمز")));
    let config = ClientConfig::device(&url, &s.token, DeviceKind::Kiosk, "entrance", "kiosk");
    let client = Client::start(config);
    until(&client, &mut p, "a pairing code", |p, _| p.code.is_some());
    let code = p.code.clone().unwrap();
    assert_eq!(code.len(), 6);
    let v = pairing::view(&p, DeviceKind::Kiosk, &url, &tr);
    let grouped = format!("{} {}", &code[..3], &code[3..]);
    assert_eq!(
        v.code.as_deref(),
        Some(grouped.as_str()),
        "the code, in large digits"
    );
    assert_eq!(
        v.code_ar.as_deref(),
        Some(hall_ui::arabic_digits(&grouped).as_str())
    );
    let ar = &v.lines[0].1;
    let en = &v.lines[1].1;
    assert!(
        ar[0].contains("كشك التذاكر") && ar[0].contains("غير مسجَّل"),
        "{ar:?}"
    );
    assert!(
        en[0].contains("Ticket kiosk") && en[0].contains("not registered"),
        "{en:?}"
    );
    assert!(en.iter().any(|l| l.contains("\"Devices\"")));

    // A manager sees it waiting and approves it.
    let (mut boss, _) = server.as_staff("manager").await;
    let Ok(ReplyBody::Pairings { pending }) = boss.request(Request::ListPairings).await.unwrap()
    else {
        panic!("no pairings")
    };
    let waiting = pending.iter().find(|w| w.code == code).expect("listed");
    assert_eq!(
        (waiting.kind, waiting.name.as_str()),
        (DeviceKind::Kiosk, "entrance")
    );
    let approved = boss
        .request(Request::ApprovePairing {
            code: code.clone(),
            name: "kiosk-7".into(),
        })
        .await
        .unwrap();
    assert!(
        matches!(approved, Ok(ReplyBody::Device { .. })),
        "{approved:?}"
    );

    // The kiosk gets its token, leaves the pairing screen, keeps the token and goes on: the
    // hall streams in and it can issue a ticket.
    let ClientEvent::Paired { token, name, role } = until(&client, &mut p, "the token", |_, e| {
        matches!(e, ClientEvent::Paired { .. })
    }) else {
        unreachable!()
    };
    assert_eq!((name.as_str(), role), ("kiosk-7", Role::Kiosk));
    assert!(!p.active, "the pairing screen is gone");
    s.keep_token(&path, &token).unwrap();
    assert_eq!(Settings::load(&path).unwrap().unwrap().token, token);
    until(&client, &mut p, "the hall", |_, e| {
        matches!(e, ClientEvent::Snapshot(_))
    });
    let id = client
        .request(Command::issue_ticket("CIT-BIRTH", Priority::Normal, "after-pairing").into())
        .unwrap();
    let ClientEvent::Reply { result, .. } = until(
        &client,
        &mut p,
        "the ticket",
        |_, e| matches!(e, ClientEvent::Reply { id: got, .. } if *got == id),
    ) else {
        unreachable!()
    };
    assert!(matches!(result, Ok(ReplyBody::Ticket { .. })), "{result:?}");
    tokio::task::block_in_place(|| drop(client));

    // Restarted from its settings file: hello with the kept token, no pairing screen.
    let kept = Settings::load(&path).unwrap().unwrap();
    let mut p = Pairing::new(&kept.token);
    assert!(!p.active);
    let client = Client::start(ClientConfig::device(
        &url,
        &kept.token,
        DeviceKind::Kiosk,
        "entrance",
        "kiosk",
    ));
    let ClientEvent::Connected { welcome } = until(&client, &mut p, "the welcome", |_, e| {
        matches!(e, ClientEvent::Connected { .. })
    }) else {
        unreachable!()
    };
    assert!(
        matches!(
            welcome,
            ReplyBody::Welcome {
                role: Role::Kiosk,
                ..
            }
        ),
        "{welcome:?}"
    );
    until(&client, &mut p, "the hall", |_, e| {
        matches!(e, ClientEvent::Snapshot(_))
    });
    assert!(!p.active);

    // Revoked: the server closes the connection and refuses the token; the kiosk says so and
    // shows a new code.
    let revoked = boss
        .request(Request::RevokeDevice {
            name: "kiosk-7".into(),
        })
        .await
        .unwrap();
    assert!(revoked.is_ok(), "{revoked:?}");
    until(&client, &mut p, "the token refused", |_, e| {
        matches!(e, ClientEvent::TokenRefused { .. })
    });
    assert!(p.active && p.refused);
    until(&client, &mut p, "a new code", |p, _| p.code.is_some());
    let v = pairing::view(&p, DeviceKind::Kiosk, &url, &tr);
    assert!(v.lines[1].1.iter().any(|l| l.contains("refused")), "{v:?}");
    assert!(
        v.lines[0].1.iter().any(|l| l.contains("رفض الخادم")),
        "{v:?}"
    );
    tokio::task::block_in_place(|| drop(client));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_renewed_before_it_expires_and_the_old_one_is_gone() {
    let server = TestServer::start().await;
    let mut config = ClientConfig::device(server.url(), "", DeviceKind::Board, "hall", "board");
    // Nine minutes in the field (the server keeps a code ten); shortened here.
    config.pairing_renew = Duration::from_millis(600);
    let client = Client::start(config);
    let mut p = Pairing::new("");
    until(&client, &mut p, "a first code", |p, _| p.code.is_some());
    let first = p.code.clone().unwrap();
    until(&client, &mut p, "a fresh code", |p, _| {
        p.code.as_deref().is_some_and(|c| c != first)
    });
    let fresh = p.code.clone().unwrap();
    let (mut boss, _) = server.as_staff("manager").await;
    let Ok(ReplyBody::Pairings { pending }) = boss.request(Request::ListPairings).await.unwrap()
    else {
        panic!("no pairings")
    };
    let codes: Vec<&str> = pending.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(
        codes,
        vec![fresh.as_str()],
        "one request per device, the code on its screen"
    );
    tokio::task::block_in_place(|| drop(client));
}

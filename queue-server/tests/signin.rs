//! Sign-in that cannot be used against the server, over the websocket on simulated time: a
//! second wrong password too soon is refused without hashing (`too_many_attempts`), the fifth
//! in a row locks the account for 15 minutes (`account_locked`, even with the right
//! password; written to the admin log), the lock runs out by itself or a manager lifts it;
//! and a flood of wrong sign-ins from 16 connections is answered, each with a code, while the
//! right password still gets in afterwards.

use chrono::Duration;
use hall_core::Timestamp;
use hall_core::error::ErrorCode;
use hall_wire::{ReplyBody, Request};
use queue_server::server::ServerOptions;
use std::sync::{Arc, Mutex};
use testkit::in_process::TestServer;
use testkit::ws::{ok, within};

fn login(user: &str, password: &str) -> Request {
    Request::Login {
        username: user.into(),
        password: password.into(),
    }
}

async fn server_at(start: Timestamp) -> (TestServer, Arc<Mutex<Timestamp>>) {
    let now = Arc::new(Mutex::new(start));
    let clock = now.clone();
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServerOptions::new(dir.path(), testkit::center::always_open());
    opts.clock = Arc::new(move || *clock.lock().unwrap());
    (TestServer::start_with(dir, opts).await, now)
}

fn advance(now: &Mutex<Timestamp>, d: Duration) {
    *now.lock().unwrap() += d;
}

/// A sign-in on a fresh connection (no per-connection back-off in the way).
async fn try_login(s: &TestServer, user: &str, password: &str) -> Result<(), ErrorCode> {
    s.login(user, password).await.1.map(|_| ())
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_until_the_time_runs_out_or_a_manager_lifts_it() {
    let (s, now) = server_at("2026-11-22T08:00:00Z".parse().unwrap()).await;
    let right = s.password("clerk1");
    // One mistake costs nothing; a second one in a row makes the next try wait a second.
    assert_eq!(
        try_login(&s, "clerk1", "wrong").await,
        Err(ErrorCode::BadCredentials)
    );
    assert_eq!(
        try_login(&s, "clerk1", "wrong").await,
        Err(ErrorCode::BadCredentials)
    );
    advance(&now, Duration::milliseconds(500));
    assert_eq!(
        try_login(&s, "clerk1", "wrong").await,
        Err(ErrorCode::TooManyAttempts)
    );
    assert_eq!(
        try_login(&s, "clerk1", &right).await,
        Err(ErrorCode::TooManyAttempts),
        "the wait holds for the right password too: nothing is hashed"
    );
    // Waiting out each back-off (1, 2, 4 s), the fifth wrong password in a row locks.
    for wait in [1, 2] {
        advance(&now, Duration::seconds(wait));
        assert_eq!(
            try_login(&s, "clerk1", "wrong").await,
            Err(ErrorCode::BadCredentials)
        );
    }
    advance(&now, Duration::seconds(4));
    assert_eq!(
        try_login(&s, "clerk1", "wrong").await,
        Err(ErrorCode::AccountLocked)
    );
    advance(&now, Duration::minutes(14));
    assert_eq!(
        try_login(&s, "clerk1", &right).await,
        Err(ErrorCode::AccountLocked)
    );
    assert!(
        try_login(&s, "clerk2", &s.password("clerk2")).await.is_ok(),
        "others sign in"
    );
    advance(&now, Duration::minutes(1));
    assert!(
        try_login(&s, "clerk1", &right).await.is_ok(),
        "the lock ran out"
    );

    // Locked again; a manager lifts it by enabling the account.
    for _ in 0..5 {
        advance(&now, Duration::seconds(30));
        let _ = try_login(&s, "clerk1", "wrong").await;
    }
    assert_eq!(
        try_login(&s, "clerk1", &right).await,
        Err(ErrorCode::AccountLocked)
    );
    let (mut boss, _) = s.as_staff("manager").await;
    let locked = |r: ReplyBody| match r {
        ReplyBody::Users { users } => users
            .into_iter()
            .find(|u| u.username == "clerk1")
            .and_then(|u| u.locked_until),
        other => panic!("{other:?}"),
    };
    let until = locked(ok(&mut boss, Request::ListUsers).await).expect("the console sees the lock");
    assert_eq!(until, *now.lock().unwrap() + Duration::minutes(15));
    ok(
        &mut boss,
        Request::SetUserActive {
            username: "clerk1".into(),
            active: true,
        },
    )
    .await;
    assert!(
        try_login(&s, "clerk1", &right).await.is_ok(),
        "unlocked by the manager"
    );
    let audit = ok(
        &mut boss,
        Request::Audit {
            actor: None,
            kind: None,
            from: None,
            to: None,
            page: 0,
            page_size: 50,
        },
    )
    .await;
    let ReplyBody::Audit { rows, .. } = audit else {
        panic!("{audit:?}")
    };
    let kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "account_locked").count(),
        2,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"account_unlocked"), "{kinds:?}");
    let locked = rows.iter().find(|r| r.kind == "account_locked").unwrap();
    assert!(locked.text.en.contains("clerk1"), "{}", locked.text.en);
    assert!(locked.text.ar.contains("clerk1"), "{}", locked.text.ar);
}

#[tokio::test]
async fn one_connection_repeating_wrong_passwords_waits_longer_each_time() {
    let (s, now) = server_at("2026-11-22T08:00:00Z".parse().unwrap()).await;
    let mut c = s.anonymous().await;
    let mut took = Vec::new();
    for (i, user) in ["a1", "a2", "a3"].iter().enumerate() {
        // Different names and a clock moved on: only the connection's own back-off is left.
        advance(&now, Duration::minutes(i as i64 + 1));
        let t = std::time::Instant::now();
        let r = c.request(login(user, "x")).await.unwrap();
        assert_eq!(r.unwrap_err().code, ErrorCode::BadCredentials);
        took.push(t.elapsed());
    }
    assert!(took[1] >= std::time::Duration::from_millis(500), "{took:?}");
    assert!(
        took[2] >= std::time::Duration::from_millis(1000),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_flood_of_wrong_sign_ins_is_answered_and_the_right_password_still_works() {
    let (s, _now) = server_at("2026-11-22T08:00:00Z".parse().unwrap()).await;
    let url = s.url();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = testkit::ws::WsClient::connect(&url).await.unwrap();
            c.request(Request::Hello {
                protocol: hall_wire::PROTOCOL_VERSION,
                client: "flood".into(),
                auth: None,
            })
            .await
            .unwrap()
            .unwrap();
            let mut codes = Vec::new();
            for j in 0..4 {
                let user = format!("u{i}-{j}");
                let r = c.request(login(&user, "wrong")).await.unwrap();
                codes.push(r.unwrap_err().code);
            }
            codes
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.extend(within(t).await.unwrap());
    }
    assert_eq!(codes.len(), 64);
    assert!(
        codes
            .iter()
            .all(|c| matches!(c, ErrorCode::BadCredentials | ErrorCode::Busy)),
        "{codes:?}"
    );
    assert!(
        try_login(&s, "manager", &s.password("manager"))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn concurrent_wrong_sign_ins_get_no_more_hashes_than_the_lock_allows_and_lock_once() {
    // Each try is reserved before it hashes: 30 at once on one account cannot all pass the
    // check while none has failed yet.
    let (s, _now) = server_at("2026-11-22T08:00:00Z".parse().unwrap()).await;
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let s = (*s).clone();
        tasks.push(tokio::spawn(async move {
            s.login("clerk2", "wrong").await.1.unwrap_err()
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(within(t).await.unwrap());
    }
    let wrong = codes
        .iter()
        .filter(|c| **c == ErrorCode::BadCredentials)
        .count();
    // Five hashes at most: four answered `bad_credentials`, the fifth set the lock.
    assert!(
        wrong <= 4,
        "{wrong} hashes answered bad_credentials: {codes:?}"
    );
    assert!(codes.contains(&ErrorCode::AccountLocked), "{codes:?}");
    let db = rusqlite::Connection::open(s.data_dir().join("queue.sqlite")).unwrap();
    let locks: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM admin_log WHERE kind = 'account_locked'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(locks, 1, "one lock, one audit row: {codes:?}");
    assert_eq!(
        try_login(&s, "clerk2", &s.password("clerk2")).await,
        Err(ErrorCode::AccountLocked)
    );
}

/// Staff sign in only from the hall's networks (`[access] staff_networks`): from outside, no
/// password is checked, so neither the right one gets in nor a flood of wrong ones locks the
/// clerk out at her desk; inside, a machine that guesses locks the account for itself only.
#[tokio::test]
async fn wrong_passwords_from_outside_the_hall_neither_sign_in_nor_lock_out_the_clerk_inside() {
    let now = Arc::new(Mutex::new("2026-12-07T08:00:00Z".parse().unwrap()));
    let clock = now.clone();
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ServerOptions::new(dir.path(), testkit::center::always_open());
    opts.clock = Arc::new(move || *clock.lock().unwrap());
    // The hall is 127.0.0.2 and 127.0.0.3; 127.0.0.1 plays the internet.
    opts.access = hall_wire::center_file::parse_access(
        "[access]\npublic_url = \"https://hel.example.gov.eg\"\nstaff_networks = [\"127.0.0.2/31\"]\n",
    )
    .unwrap();
    let s = TestServer::start_with(dir, opts).await;
    let (outside, desk, other_desk) = (
        "127.0.0.1".parse().unwrap(),
        "127.0.0.2".parse().unwrap(),
        "127.0.0.3".parse().unwrap(),
    );
    let right = s.password("clerk1");
    for _ in 0..8 {
        assert_eq!(
            s.login_from(outside, "clerk1", "guess").await,
            Err(ErrorCode::OutsideHall)
        );
        advance(&now, Duration::seconds(5));
    }
    assert_eq!(
        s.login_from(outside, "clerk1", &right).await,
        Err(ErrorCode::OutsideHall),
        "not even the right password from outside"
    );
    assert!(
        s.login_from(desk, "clerk1", &right).await.is_ok(),
        "the clerk at her desk is not locked out"
    );
    // A device token from outside is refused too; a citizen's page is not.
    let token = s.device_token("kiosk-1");
    let device = Some(hall_wire::Credentials::Device { token });
    let (_kiosk, hello) = s.hello_from(outside, device).await;
    assert_eq!(hello.unwrap_err().code, ErrorCode::OutsideHall);
    let (_citizen, hello) = s.hello_from(outside, None).await;
    match hello {
        Ok(ReplyBody::Welcome {
            public_url,
            timezone,
            ..
        }) => {
            assert_eq!(public_url.as_deref(), Some("https://hel.example.gov.eg"));
            assert_eq!(timezone, "Africa/Cairo");
        }
        other => panic!("{other:?}"),
    }
    // Inside the hall, another machine that guesses locks clerk1 for itself, not for her.
    for wait in [0, 1, 2, 4, 8] {
        advance(&now, Duration::seconds(wait));
        let _ = s.login_from(other_desk, "clerk1", "guess").await;
    }
    advance(&now, Duration::seconds(16));
    assert_eq!(
        s.login_from(other_desk, "clerk1", &right).await,
        Err(ErrorCode::AccountLocked)
    );
    assert!(s.login_from(desk, "clerk1", &right).await.is_ok());
}

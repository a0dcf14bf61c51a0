//! Requests over the wire and on disk: who may do what with a request (websocket, per role),
//! requests outliving the day, a snapshot and a restart (numbers never given twice), the
//! `/r/REFERENCE` page without JavaScript (a wrong suffix refused, repeated tries locked), and
//! a database written before requests existed, upgraded in place.

use chrono::{Duration, TimeZone, Utc};
use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_core::request::RequestState;
use hall_core::{Outcome, Priority, Timestamp};
use hall_wire::*;
use queue_server::server::ServerOptions;
use rusqlite::Connection;
use std::sync::{Arc, Mutex};
use testkit::TestServer;
use testkit::ws::{WsClient, code, issue, ok};

/// A Sunday morning in Cairo.
fn start_time() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 12, 6, 7, 0, 0).unwrap()
}

/// A center on a simulated clock in its own directory, stopped and started again on it.
struct Center {
    now: Arc<Mutex<Timestamp>>,
    path: std::path::PathBuf,
    first: hall_wire::startup::FirstStart,
}

impl Center {
    /// A fresh center at `start_time()`.
    async fn start() -> (Center, TestServer) {
        let now = Arc::new(Mutex::new(start_time()));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let s = TestServer::start_with(dir, options(&path, &now)).await;
        let first = s.first.clone();
        (Center { now, path, first }, s)
    }

    /// Started again on the directory a stop gave back, with the first start's secrets.
    async fn restart(&self, dir: tempfile::TempDir) -> TestServer {
        let mut s = TestServer::start_with(dir, options(&self.path, &self.now)).await;
        s.set_first_start(self.first.clone());
        s
    }

    fn db(&self) -> std::path::PathBuf {
        self.path.join("queue.sqlite")
    }
}

fn options(dir: &std::path::Path, now: &Arc<Mutex<Timestamp>>) -> ServerOptions {
    let mut opts = ServerOptions::new(dir, testkit::center::always_open());
    let clock = now.clone();
    opts.clock = Arc::new(move || *clock.lock().unwrap());
    opts
}

/// The clerk at counter 1 calls the next ticket and finishes it.
async fn serve(clerk: &mut WsClient) {
    ok(clerk, Command::CallNext { counter: 1 }).await;
    ok(clerk, Command::finish(1, Outcome::Completed)).await;
}

/// The clerk at counter 1 calls the next ticket and hands it in as a request.
async fn hand_in(clerk: &mut WsClient, suffix: &str) -> RequestReceiptView {
    ok(clerk, Command::CallNext { counter: 1 }).await;
    match ok(
        clerk,
        Command::Finish {
            counter: 1,
            outcome: Outcome::RequestSubmitted,
            reference: None,
            suffixes: vec![suffix.into()],
        },
    )
    .await
    {
        ReplyBody::RequestReceipt { receipt } => RequestReceiptView {
            reference: receipt.reference,
            expected_ready: receipt.expected_ready,
        },
        other => panic!("{other:?}"),
    }
}

struct RequestReceiptView {
    reference: String,
    expected_ready: chrono::NaiveDate,
}

async fn find(c: &mut WsClient, reference: &str) -> hall_core::request::StaffRequest {
    match ok(
        c,
        Request::FindRequest {
            reference: reference.into(),
        },
    )
    .await
    {
        ReplyBody::Request { request, .. } => *request,
        other => panic!("{other:?}"),
    }
}

fn set(reference: &str, state: RequestState) -> Command {
    Command::SetRequestState {
        reference: reference.into(),
        state,
        note: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_does_only_its_part_of_a_request() {
    let s = TestServer::start().await;
    let mut kiosk = s.as_device("kiosk-1").await;
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "k1").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let r = hand_in(&mut clerk, "4821").await.reference;
    let (mut office, _) = s.as_staff("office1").await;
    let (mut manager, _) = s.as_staff("manager").await;

    // The back office works on requests and does nothing else.
    assert_eq!(
        code(
            &mut office,
            Command::issue_ticket("CIT-BIRTH", Priority::Normal, "o1")
        )
        .await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(&mut office, Command::CallNext { counter: 2 }).await,
        ErrorCode::Forbidden
    );
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    assert_eq!(
        code(
            &mut office,
            Request::Report {
                from: today,
                to: today
            }
        )
        .await,
        ErrorCode::Forbidden
    );
    match ok(&mut office, Request::ListRequests).await {
        ReplyBody::Requests { requests, .. } => {
            assert_eq!(requests.len(), 1);
            assert_eq!(requests[0].request.reference, r);
            assert!(
                requests[0].request.suffixes.is_empty(),
                "the citizen's digits never leave the server: {:?}",
                requests[0].request.suffixes
            );
        }
        other => panic!("{other:?}"),
    }

    // A clerk finds a request (the pickup window) but does not list them or move them on,
    // and hands over only a ready one.
    assert_eq!(
        code(&mut clerk, Request::ListRequests).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        find(&mut clerk, &r).await.request.state,
        RequestState::Received
    );
    assert_eq!(
        code(&mut clerk, set(&r, RequestState::UnderReview)).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(&mut clerk, set(&r, RequestState::Delivered)).await,
        ErrorCode::RequestTransition
    );

    // A kiosk asks a status with the digits and nothing more; a citizen's page asks nothing.
    assert_eq!(
        code(&mut kiosk, set(&r, RequestState::UnderReview)).await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(
            &mut kiosk,
            Request::FindRequest {
                reference: r.clone()
            }
        )
        .await,
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(
            &mut kiosk,
            Request::RequestStatus {
                reference: r.clone(),
                suffix: "1234".into()
            }
        )
        .await,
        ErrorCode::WrongSuffix
    );
    match ok(
        &mut kiosk,
        Request::RequestStatus {
            reference: r.to_lowercase(),
            suffix: "٤٨٢١".into(),
        },
    )
    .await
    {
        ReplyBody::RequestStatus { status } => {
            assert_eq!(status.reference, r);
            assert_eq!(status.state, RequestState::Received);
        }
        other => panic!("{other:?}"),
    }
    let mut citizen = s.anonymous().await;
    assert_eq!(
        code(
            &mut citizen,
            Request::FindRequest {
                reference: r.clone()
            }
        )
        .await,
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        code(&mut citizen, set(&r, RequestState::UnderReview)).await,
        ErrorCode::Unauthenticated
    );

    // The back office's moves: empty lists and reasons are refused, illegal jumps too.
    assert_eq!(
        code(
            &mut office,
            set(
                &r,
                RequestState::NeedsDocuments {
                    documents: vec!["  ".into()]
                }
            )
        )
        .await,
        ErrorCode::ReasonRequired
    );
    assert_eq!(
        code(
            &mut office,
            set(
                &r,
                RequestState::Rejected {
                    reason: String::new()
                }
            )
        )
        .await,
        ErrorCode::ReasonRequired
    );
    assert_eq!(
        code(&mut office, set(&r, RequestState::Delivered)).await,
        ErrorCode::RequestTransition
    );
    assert_eq!(
        code(&mut office, set("TST-26-999999", RequestState::UnderReview)).await,
        ErrorCode::UnknownRequest
    );
    ok(&mut office, set(&r, RequestState::UnderReview)).await;
    ok(&mut office, set(&r, RequestState::ReadyForPickup)).await;
    // The manager sees what the back office did, with who.
    match ok(&mut manager, Request::ListRequests).await {
        ReplyBody::Requests { requests, .. } => {
            let history = &requests[0].request.history;
            assert_eq!(history.len(), 3, "{history:?}");
            assert!(history[1..].iter().all(|c| c.by == "back_office:office1"));
        }
        other => panic!("{other:?}"),
    }
    // The pickup window hands it over; then it is final.
    ok(&mut clerk, set(&r, RequestState::Delivered)).await;
    assert_eq!(
        code(&mut office, set(&r, RequestState::UnderReview)).await,
        ErrorCode::RequestTransition
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_outlive_the_day_a_snapshot_and_a_restart_and_no_number_is_given_twice() {
    let (center, s) = Center::start().await;
    let mut kiosk = s.as_device("kiosk-1").await;
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "d1").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let receipt = hand_in(&mut clerk, "4821").await;
    assert_eq!(receipt.reference, "TST-26-000001");
    // Three processing days after Sunday 6 December, every day a working day here.
    assert_eq!(
        receipt.expected_ready,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 9).unwrap()
    );
    let (mut office, _) = s.as_staff("office1").await;
    ok(
        &mut office,
        set(&receipt.reference, RequestState::UnderReview),
    )
    .await;

    // Two days later (the staff's sessions have expired): a new day has started, the
    // request is still there.
    *center.now.lock().unwrap() += Duration::days(2);
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "d2").await;
    let (mut office, _) = s.as_staff("office1").await;
    let found = find(&mut office, &receipt.reference).await;
    assert_eq!(found.request.state, RequestState::UnderReview);
    assert_eq!(found.age_days, 2);
    drop((kiosk, clerk, office));
    let dir = s.stop().await;

    // Restarted from the snapshot the stop wrote.
    let s = center.restart(dir).await;
    let (mut office, _) = s.as_staff("office1").await;
    let found = find(&mut office, "tst-26-000001").await;
    assert_eq!(found.request.state, RequestState::UnderReview);
    assert_eq!(found.request.history.len(), 2);
    assert_eq!(found.request.history[1].by, "back_office:office1");
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let second = hand_in(&mut clerk, "1234").await;
    assert_eq!(
        second.reference, "TST-26-000002",
        "numbers go on after a restart"
    );
    drop((office, clerk));
    let dir = s.stop().await;

    // Restarted from the log alone: the same requests, the same next number.
    Connection::open(center.db())
        .unwrap()
        .execute("DELETE FROM snapshots", [])
        .unwrap();
    let s = center.restart(dir).await;
    let (mut office, _) = s.as_staff("office1").await;
    match ok(&mut office, Request::ListRequests).await {
        ReplyBody::Requests { requests, .. } => {
            let mut refs: Vec<&str> = requests
                .iter()
                .map(|r| r.request.reference.as_str())
                .collect();
            refs.sort();
            assert_eq!(refs, ["TST-26-000001", "TST-26-000002"]);
        }
        other => panic!("{other:?}"),
    }
    let mut kiosk = s.as_device("kiosk-1").await;
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "d3").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    assert_eq!(hand_in(&mut clerk, "5555").await.reference, "TST-26-000003");
    drop((office, clerk, kiosk));
    s.stop().await;
}

fn body(a: &testkit::in_process::Answer) -> String {
    String::from_utf8_lossy(&a.body).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_needs_the_digits_refuses_wrong_ones_and_locks_after_repeated_tries() {
    let s = TestServer::start().await;
    let mut kiosk = s.as_device("kiosk-1").await;
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "p1").await;
    issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, "p2").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let r = hand_in(&mut clerk, "4821").await.reference;
    let other = hand_in(&mut clerk, "7777").await.reference;
    let page = format!("/r/{r}");

    // The reference alone: a form asking for the digits, nothing about the request.
    let asked = s.get(&page, None).await;
    assert_eq!(asked.status, 200);
    let html = body(&asked);
    assert!(
        html.contains("dir=\"rtl\"") && html.contains("name=\"suffix\""),
        "{html}"
    );
    assert!(
        !html.contains("استخراج شهادة ميلاد") && !html.contains("تم الاستلام"),
        "the reference alone tells nothing: {html}"
    );

    // Wrong digits, and an unknown reference, read the same.
    let wrong = s.post_form(&page, "suffix=1111").await;
    assert_eq!(wrong.status, 403);
    assert!(!body(&wrong).contains("استخراج شهادة ميلاد"));
    let unknown = s.post_form("/r/TST-26-555555", "suffix=4821").await;
    assert_eq!(unknown.status, 403);

    // The right digits (Arabic-Indic too), in English on asking.
    let right = s.post_form(&page, "suffix=%D9%A4%D9%A8%D9%A2%D9%A1").await;
    assert_eq!(right.status, 200);
    let html = body(&right);
    assert!(
        html.contains("استخراج شهادة ميلاد") && html.contains("تم الاستلام"),
        "{html}"
    );
    let en = s.post_form(&page, "suffix=4821&lang=en").await;
    let html = body(&en);
    assert!(
        html.contains("dir=\"ltr\"") && html.contains("Birth certificate"),
        "{html}"
    );

    // Four more wrong tries make five in the hour: then even the right digits are refused.
    for _ in 0..4 {
        assert_eq!(s.post_form(&page, "suffix=2222").await.status, 403);
    }
    let locked = s.post_form(&page, "suffix=4821").await;
    assert_eq!(locked.status, 429);
    assert!(!body(&locked).contains("تم الاستلام"));
    // The lock is the reference's: another request from the same address still answers.
    let fine = s.post_form(&format!("/r/{other}"), "suffix=7777").await;
    assert_eq!(fine.status, 200);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_before_requests_upgrades_in_place_and_keeps_every_ticket() {
    let (center, s) = Center::start().await;
    let mut kiosk = s.as_device("kiosk-1").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    for i in 0..5 {
        issue(&mut kiosk, "CIT-BIRTH", Priority::Normal, &format!("u{i}")).await;
        serve(&mut clerk).await;
    }
    issue(&mut kiosk, "CIT-TAX", Priority::Normal, "waiting").await;
    drop((kiosk, clerk));
    let dir = s.stop().await;

    // As the main of 2026-12-06 left it: schema 5, no table for requests' numbers.
    let db = center.db();
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("DROP TABLE sms_request_phones; PRAGMA user_version = 5;")
        .unwrap();
    let events_before: i64 = conn
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    drop(conn);

    let s = center.restart(dir).await;
    let conn = Connection::open(&db).unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 6);
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sms_request_phones'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
    drop(conn);

    // Every ticket is there: five served, one still waiting; requests from then on.
    let (mut manager, _) = s.as_staff("manager").await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    match ok(&mut manager, Request::Report { from: day, to: day }).await {
        ReplyBody::Report { report } => {
            assert_eq!(report.total.tickets, 6, "{:?}", report.total);
            assert_eq!(report.total.served, 5, "{:?}", report.total);
        }
        other => panic!("{other:?}"),
    }
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let receipt = hand_in(&mut clerk, "4821").await;
    assert_eq!(receipt.reference, "TST-26-000001");
    let conn = Connection::open(&db).unwrap();
    let events_after: i64 = conn
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert!(events_after > events_before);
    drop((manager, clerk));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ratings_given_on_the_ticket_pages_reach_the_managers_dashboard() {
    use hall_wire::views::LiveView;
    let s = TestServer::start().await;
    let mut kiosk = s.as_device("kiosk-1").await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let mut tokens = Vec::new();
    for i in 0..2 {
        let t = issue(&mut kiosk, "CIT-TAX", Priority::Normal, &format!("f{i}")).await;
        serve(&mut clerk).await;
        tokens.push(t.token);
    }
    let rate = |token: &str, rating| Command::GiveFeedback {
        token: token.into(),
        rating,
        comment: String::new(),
    };
    let mut page = s.anonymous().await;
    ok(&mut page, rate(&tokens[0], 5)).await;
    // Before the manager looks: in the first view.
    let (mut boss, _) = s.as_staff("manager").await;
    let ReplyBody::View { view } = ok(&mut boss, Request::WatchDashboard).await else {
        panic!()
    };
    let LiveView::Dashboard(view) = *view else {
        panic!("not a dashboard")
    };
    assert_eq!((view.ratings_today.count, view.ratings_today.sum), (1, 5));
    // While the manager looks: pushed.
    ok(&mut page, rate(&tokens[1], 2)).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let frame = tokio::time::timeout_at(deadline, boss.next_frame())
            .await
            .expect("an update in time")
            .unwrap();
        if let ServerFrame::ViewUpdate { view } = frame
            && let LiveView::Dashboard(view) = *view
            && view.ratings_today.count == 2
        {
            assert_eq!(view.ratings_today.sum, 7);
            assert_eq!(view.ratings_today.mean(), Some(3.5));
            break;
        }
    }
    // Out of range, twice, or by a stranger to the ticket: refused.
    assert_eq!(
        code(&mut page, rate(&tokens[1], 6)).await,
        ErrorCode::InvalidFeedback
    );
    assert_eq!(
        code(&mut page, rate(&tokens[1], 3)).await,
        ErrorCode::FeedbackExists
    );
    assert_eq!(
        code(&mut page, rate("not-a-token", 3)).await,
        ErrorCode::UnknownTicket
    );
    s.stop().await;
}

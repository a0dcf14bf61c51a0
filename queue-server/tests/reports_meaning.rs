//! Reports that mean what they say: a transferred ticket counts under the service it was
//! issued for (and the report says how many moved), clerk rows carry the clerk's name, the
//! audit's finish line names the request reference, and the report carries the day's closing
//! hash, the same value `reports::closing_hash` gives the central store.

use hall_core::command::{Position, TransferTarget};
use hall_core::engine::Command;
use hall_core::kpi::Kpis;
use hall_core::{Outcome, Priority};
use hall_wire::*;
use testkit::TestServer;
use testkit::hall::*;
use testkit::ws::ok;

#[test]
fn a_transferred_ticket_counts_under_the_service_it_was_issued_for() {
    let mut h = Hall::open();
    h.issue("CIT-BIRTH");
    h.issue("CIT-BIRTH");
    h.open_counter(&mona(), 1);
    h.call_next(&mona(), 1);
    h.when(
        &mona(),
        Command::Transfer {
            counter: Some(1),
            ticket: None,
            target: TransferTarget::Service {
                service: "CIT-TAX".into(),
            },
            position: Position::Back,
        },
    )
    .events();
    // Served at the tax desk after the transfer.
    h.open_counter(&ali(), 2);
    h.call_next(&ali(), 2);
    h.minutes(3);
    h.finish(&ali(), 2);
    let day = h.day();
    let report = Kpis::from_events(&h.log).report(chrono_tz::Africa::Cairo, day, day);
    let birth = report
        .by_service
        .iter()
        .find(|r| r.key == "CIT-BIRTH")
        .expect("a birth row");
    assert_eq!((birth.tickets, birth.transferred, birth.served), (2, 1, 1));
    assert!(
        report.by_service.iter().all(|r| r.key != "CIT-TAX"),
        "no ticket was issued for the tax service: {:?}",
        report.by_service
    );
    assert_eq!(report.total.transferred, 1);
}

#[tokio::test]
async fn clerk_rows_are_named_the_finish_line_has_its_reference_and_the_day_its_closing_hash() {
    let hall = TestServer::start().await;
    let (mut boss, _) = hall.as_staff("manager").await;
    let mut kiosk = hall.as_device("kiosk-1").await;
    ok(
        &mut kiosk,
        Command::issue_ticket("CIT-BIRTH", Priority::Normal, "a"),
    )
    .await;
    let (mut clerk, _) = hall.as_staff("clerk1").await;
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    ok(&mut clerk, Command::CallNext { counter: 1 }).await;
    ok(
        &mut clerk,
        Command::Finish {
            counter: 1,
            outcome: Outcome::Completed,
            reference: Some("  BC-2026-0042 ".into()),
            suffixes: Vec::new(),
        },
    )
    .await;
    let tz = chrono_tz::Africa::Cairo;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
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
    let row = report
        .by_clerk
        .iter()
        .find(|r| r.key == "clerk1")
        .expect("clerk1's row");
    assert_eq!(row.name.as_deref(), Some("Clerk 1"));
    let [closing] = report.closing.as_slice() else {
        panic!("one closing hash for one day: {:?}", report.closing)
    };
    assert_eq!(closing.day, today);
    assert_eq!(closing.hash.len(), 64);
    assert!(closing.last_seq > 0);
    assert!(closing.provisional, "today's is so far, not final");
    let db = hall.data_dir().join("queue.sqlite");
    let direct = queue_server::reports::closing_hash(&db, tz, today).unwrap();
    assert_eq!(
        direct.hex(),
        closing.hash,
        "the function the uplink calls agrees"
    );

    let ReplyBody::Audit { rows, .. } = ok(
        &mut boss,
        Request::Audit {
            actor: None,
            kind: Some("ticket_finished".into()),
            from: None,
            to: None,
            page: 0,
            page_size: 10,
        },
    )
    .await
    else {
        panic!()
    };
    let line = &rows[0].text;
    assert!(line.en.contains("reference BC-2026-0042"), "{}", line.en);
    assert!(line.ar.contains("رقم الطلب BC-2026-0042"), "{}", line.ar);

    // The CSV export prints the closing hash under the table.
    let (_, token) = hall.as_staff("manager").await;
    let path = format!("/reports/export?from={today}&to={today}&format=csv&by=clerk&lang=en");
    let answer = hall.get(&path, Some(&token)).await;
    let body = String::from_utf8(answer.body).unwrap();
    assert!(body.contains("clerk1,Clerk 1,"), "{body}");
    assert!(
        body.contains(&format!(
            "Closing hash so far {today} (provisional: the day is not over),{}",
            closing.hash
        )),
        "{body}"
    );
    hall.stop().await;
}

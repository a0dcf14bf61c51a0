//! The figures printed on a receipt count every command committed before the ticket: the
//! tickets of other services taken a moment before at the same counter, and a counter that
//! opened a moment before. Paper cannot be corrected later, so the model's figures of a
//! quarter-second ago are not enough (`estimator.rs`, `EstimateHub::complete_receipt`).

use hall_core::Priority;
use hall_core::command::Command;
use hall_wire::TicketReceipt;
use testkit::TestServer;
use testkit::ws::{issue, ok};

fn shown(r: &TicketReceipt) -> String {
    format!(
        "{} ahead, wait {:?} ({:?}–{:?})",
        r.people_ahead, r.estimated_wait_secs, r.wait_low_secs, r.wait_high_secs
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_counts_the_tickets_taken_just_before_it_at_a_shared_counter() {
    let s = TestServer::start().await;
    let (mut clerk, _) = s.as_staff("clerk1").await;
    // Window 1 serves birth certificates and property tax alike; it is the only one open.
    ok(&mut clerk, Command::OpenCounter { counter: 1 }).await;
    let mut kiosk = s.as_device("kiosk-1").await;
    for round in 0..3 {
        for i in 0..4 {
            issue(
                &mut kiosk,
                "CIT-BIRTH",
                Priority::Normal,
                &format!("b{round}-{i}"),
            )
            .await;
        }
        // Right after: a tax ticket, called after the birth certificates before it.
        let tax = issue(
            &mut kiosk,
            "CIT-TAX",
            Priority::Normal,
            &format!("t{round}"),
        )
        .await;
        let waiting_before = 5 * round + 4;
        assert_eq!(
            tax.people_ahead,
            waiting_before,
            "round {round}: {}",
            shown(&tax)
        );
        assert!(tax.estimated_wait_secs.is_some(), "{}", shown(&tax));
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_taken_right_after_its_counter_opens_has_a_wait() {
    let s = TestServer::start().await;
    let mut kiosk = s.as_device("kiosk-1").await;
    // Shop licences: only window 3 and window 4 serve them, both closed.
    let first = issue(&mut kiosk, "CIT-SHOP", Priority::Normal, "s1").await;
    assert_eq!(first.estimated_wait_secs, None, "{}", shown(&first));
    let (mut clerk, _) = s.as_staff("clerk4").await;
    ok(&mut clerk, Command::OpenCounter { counter: 4 }).await;
    // At once: window 4 is open, one licence is ahead.
    let second = issue(&mut kiosk, "CIT-SHOP", Priority::Normal, "s2").await;
    assert_eq!(second.people_ahead, 1, "{}", shown(&second));
    let wait = second
        .estimated_wait_secs
        .unwrap_or_else(|| panic!("a counter serves it now: {}", shown(&second)));
    assert!(wait > 0, "{}", shown(&second));
    // And closed again at once: no counter serves it, whatever the figures a moment ago.
    ok(&mut clerk, Command::CloseCounter { counter: 4 }).await;
    let third = issue(&mut kiosk, "CIT-SHOP", Priority::Normal, "s3").await;
    assert_eq!(third.estimated_wait_secs, None, "{}", shown(&third));
    assert_eq!(third.people_ahead, 2, "{}", shown(&third));
    s.stop().await;
}

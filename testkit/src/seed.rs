//! A believable hall for screenshots and demos, filled over the websocket like real clients
//! would: tickets in every open service, four counters open and calling (one call recalled),
//! a message for the boards. `cargo xtask screenshots` and `idle-cpu` seed their servers with
//! it (through `loadgen --phases seed`).

use crate::endpoint::Endpoint;
use hall_core::Priority;
use hall_core::command::Command;
use hall_core::error::ErrorCode;
use hall_wire::*;

/// What `seed` put in the hall.
#[derive(Debug, Default)]
pub struct Seeded {
    pub tickets: usize,
    /// (counter, label called there).
    pub calls: Vec<(u32, String)>,
}

/// Fills the hall of `server`. `run` tells this run's idempotency keys apart from an earlier
/// run's on the same server.
pub async fn seed(server: &Endpoint, run: u32) -> Seeded {
    let mut kiosk = server.as_device("kiosk-1").await;
    kiosk
        .request(Request::Subscribe)
        .await
        .unwrap()
        .expect("subscribed");
    let ServerFrame::Snapshot { state } = kiosk.next_frame().await.unwrap() else {
        panic!("no snapshot")
    };
    let services: Vec<String> = state
        .services
        .values()
        .filter(|q| q.service.open)
        .map(|q| q.service.code.clone())
        .collect();
    let mut seeded = Seeded::default();
    let mut tokens = std::collections::HashMap::new();
    for i in 0..40 {
        let req = Command::issue_ticket(
            services[i % services.len()].clone(),
            if i % 7 == 3 {
                Priority::Elderly
            } else {
                Priority::Normal
            },
            format!("{run}-seed{i}"),
        );
        match kiosk.request(req).await.unwrap() {
            Ok(reply) => {
                seeded.tickets += 1;
                if let ReplyBody::Ticket { ticket } = reply {
                    tokens.insert(ticket.id, ticket.token);
                }
            }
            // A real center refuses some (a daily limit reached, hours over): skip those.
            Err(e)
                if matches!(
                    e.code,
                    ErrorCode::DailyLimitReached
                        | ErrorCode::OutsideHours
                        | ErrorCode::ServiceClosed
                ) => {}
            Err(e) => panic!("seed refused: {e:?}"),
        }
    }
    let counters: Vec<u32> = state.counters.keys().copied().take(4).collect();
    for (i, c) in counters.iter().enumerate() {
        let (mut clerk, _) = server.as_staff(&format!("clerk{}", i + 1)).await;
        clerk
            .request(Command::OpenCounter { counter: *c })
            .await
            .unwrap()
            .expect("counter opens");
        if let Ok(ReplyBody::Called { label, .. }) = clerk
            .request(Command::CallNext { counter: *c })
            .await
            .unwrap()
        {
            seeded.calls.push((*c, label));
        }
        if i == 0 {
            clerk
                .request(Command::Recall { counter: *c })
                .await
                .unwrap()
                .expect("recall");
        }
    }
    // One request handed in at a fifth counter (the citizen's digits 4821) and moved on by
    // the back office: the kiosk's follow screen and the back office have something to show.
    if let Some(c) = state.counters.keys().copied().nth(4) {
        let (mut clerk, _) = server.as_staff("clerk5").await;
        clerk
            .request(Command::OpenCounter { counter: c })
            .await
            .unwrap()
            .expect("counter opens");
        if let Ok(ReplyBody::Called { .. }) = clerk
            .request(Command::CallNext { counter: c })
            .await
            .unwrap()
            && let Ok(ReplyBody::RequestReceipt { receipt }) = clerk
                .request(Command::Finish {
                    counter: c,
                    outcome: hall_core::Outcome::RequestSubmitted,
                    reference: None,
                    suffixes: vec!["4821".into()],
                })
                .await
                .unwrap()
        {
            let (mut office, _) = server.as_staff("office1").await;
            for state in [
                hall_core::request::RequestState::UnderReview,
                hall_core::request::RequestState::NeedsDocuments {
                    documents: vec!["صورة بطاقة الرقم القومي — A copy of the national ID".into()],
                },
            ] {
                office
                    .request(Command::SetRequestState {
                        reference: receipt.reference.clone(),
                        state,
                        note: String::new(),
                    })
                    .await
                    .unwrap()
                    .expect("the back office moves the request on");
            }
        }
        // Two more served there and rated from their pages (5 and 4): the dashboard's and
        // the reports' ratings.
        let mut page = server.anonymous().await;
        for rating in [5, 4] {
            let Ok(ReplyBody::Called { ticket, .. }) = clerk
                .request(Command::CallNext { counter: c })
                .await
                .unwrap()
            else {
                break;
            };
            clerk
                .request(Command::finish(c, hall_core::Outcome::Completed))
                .await
                .unwrap()
                .expect("finished");
            if let Some(token) = tokens.get(&ticket) {
                page.request(Command::GiveFeedback {
                    token: token.clone(),
                    rating,
                    comment: String::new(),
                })
                .await
                .unwrap()
                .expect("rated");
            }
        }
    }
    let (mut boss, _) = server.as_staff("manager").await;
    let text = "يرجى تجهيز صورة بطاقة الرقم القومي قبل التوجه إلى الشباك — Please have a copy of your national ID ready";
    boss.request(Command::SetMessage { text: text.into() })
        .await
        .unwrap()
        .expect("message set");
    seeded
}

//! The sender: one task that reads the outbox in pages (never more than `window` rows in
//! memory), drops what is stale or opted out, holds back what a phone's hourly limit does not
//! allow yet, marks the rest `sending` (committed) and hands each part to the transport;
//! after the SMSC's `submit_sm_resp` it marks the part done. Failures are tried again with
//! exponential back-off (2 s doubling to 5 min) until stale or `max_attempts`.
//!
//! The decisions are `Dispatch`'s, driven by the time it is given (`poll(now)` → what to
//! submit, `settle(answers, now)` → what the transport said): no clock and no socket, so
//! "sent once" and "not sent again" are shown on simulated time (the tests below). `Sender`
//! is the task around it: it reads the clock, sleeps, submits at the global rate.

use super::{SendError, Transport, db};
use crate::clock::Clock;
use crate::sms::encode::split;
use crate::sms::outbox::{self, Due, Outcome};
use crate::sms::phone::Phone;
use crate::sms::settings::SmsSettings;
use rusqlite::Connection;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, watch};

/// Phones whose recent sends are remembered for the hourly limit; beyond, the oldest go.
const RATE_PHONES: usize = 10_000;
const HOUR_MS: i64 = 3_600_000;

pub struct Sender {
    pub settings: Arc<SmsSettings>,
    pub db: Arc<Mutex<Connection>>,
    pub transport: Transport,
    pub clock: Clock,
    pub wake: Arc<Notify>,
    pub shutdown: watch::Receiver<bool>,
}

/// Sends per phone in the last hour (bounded).
#[derive(Default)]
struct PhoneRate {
    sent: HashMap<String, VecDeque<i64>>,
}

impl PhoneRate {
    /// When this phone may get its next message (`now` if at once).
    fn next_allowed(&mut self, phone: &str, limit: u32, now: i64) -> i64 {
        let Some(q) = self.sent.get_mut(phone) else {
            return now;
        };
        while q.front().is_some_and(|t| *t <= now - HOUR_MS) {
            q.pop_front();
        }
        if (q.len() as u32) < limit.max(1) {
            now
        } else {
            q.front().map(|t| t + HOUR_MS).unwrap_or(now)
        }
    }

    fn record(&mut self, phone: &str, now: i64) {
        if self.sent.len() >= RATE_PHONES && !self.sent.contains_key(phone) {
            self.sent
                .retain(|_, q| q.back().is_some_and(|t| *t > now - HOUR_MS));
            if self.sent.len() >= RATE_PHONES {
                // Still full of live entries: forget an arbitrary one (bounded memory first).
                if let Some(k) = self.sent.keys().next().cloned() {
                    self.sent.remove(&k);
                }
            }
        }
        self.sent
            .entry(phone.to_string())
            .or_default()
            .push_back(now);
    }
}

fn backoff_ms(attempts: u32) -> i64 {
    (2_000i64 << attempts.min(8)).min(300_000)
}

/// A row to hand to the transport now: its remaining parts of `parts`.
#[derive(Clone, Debug)]
pub struct Submit {
    pub due: Due,
    pub parts: usize,
}

/// What the transport answered for one row: the SMSC ids of the parts it acknowledged, and the
/// error that stopped the rest (none: all sent).
#[derive(Clone, Debug)]
pub struct Answer {
    pub id: i64,
    /// The row's attempts, this one included.
    pub attempts: u32,
    pub done: Vec<String>,
    pub error: Option<SendError>,
}

/// The sender's decisions over the outbox, at the instants it is given.
pub struct Dispatch {
    settings: Arc<SmsSettings>,
    rate: PhoneRate,
    /// An HTTP gateway takes a message whole (one request); SMPP takes it in parts.
    whole: bool,
}

impl Dispatch {
    pub fn new(settings: Arc<SmsSettings>, whole: bool) -> Dispatch {
        Dispatch {
            settings,
            rate: PhoneRate::default(),
            whole,
        }
    }

    /// At start: rows left `sending` by a stop. A gateway that deduplicates (`whole`) gets
    /// them again; over SMPP they are `uncertain` and never sent again.
    pub fn reconcile(&self, conn: &Connection, now: i64) -> rusqlite::Result<usize> {
        outbox::reconcile(conn, now, self.whole)
    }

    /// The rows due at `now`, each decided and marked in one transaction: dropped (stale,
    /// opted out, no valid number), held back to when the phone's hourly limit allows, or
    /// `sending`, returned to be submitted. A row marked `sending` is never returned again
    /// until an answer puts it back.
    pub fn poll(&mut self, conn: &mut Connection, now: i64) -> rusqlite::Result<Vec<Submit>> {
        let page = outbox::due(conn, now, self.settings.window)?;
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let mut marks: Vec<(i64, Outcome)> = Vec::new();
        let mut go = Vec::new();
        for d in page {
            let phone = Phone::from_stored(&d.phone);
            let opted = match &phone {
                Some(p) => outbox::opted_out(conn, p)?,
                None => true,
            };
            if now > d.stale_ms {
                marks.push((d.id, Outcome::Dropped("stale".into())));
            } else if opted && d.kind != "reply" {
                marks.push((d.id, Outcome::Dropped("opted out".into())));
            } else if phone.is_none() {
                marks.push((d.id, Outcome::Failed("no valid number".into())));
            } else {
                let at = if d.kind == "reply" && d.parts_done == 0 {
                    now
                } else {
                    self.rate
                        .next_allowed(&d.phone, self.settings.per_phone_per_hour, now)
                };
                if at > d.stale_ms {
                    marks.push((d.id, Outcome::Dropped("phone's hourly limit".into())));
                } else if at > now {
                    marks.push((
                        d.id,
                        Outcome::Retry {
                            next_ms: at,
                            reason: "phone's hourly limit".into(),
                        },
                    ));
                } else {
                    self.rate.record(&d.phone, now);
                    marks.push((d.id, Outcome::Sending));
                    let parts = if self.whole {
                        1
                    } else {
                        split(&d.text, (d.id & 0xFF) as u8).len()
                    };
                    go.push(Submit { due: d, parts });
                }
            }
        }
        outbox::mark(conn, &marks, now)?;
        Ok(go)
    }

    /// Records what the transport answered at `now`: parts done; a refusal for now tried
    /// again after the back-off (until `max_attempts`); a refusal for good failed; no answer
    /// `uncertain`, never sent again.
    pub fn settle(
        &self,
        conn: &mut Connection,
        answers: Vec<Answer>,
        now: i64,
    ) -> rusqlite::Result<()> {
        let mut marks: Vec<(i64, Outcome)> = Vec::new();
        for a in answers {
            let total = a.done.len();
            for (i, smsc_id) in a.done.into_iter().enumerate() {
                let last = a.error.is_none() && i + 1 == total;
                marks.push((a.id, Outcome::PartDone { smsc_id, last }));
            }
            let (id, attempts) = (a.id, a.attempts);
            match a.error {
                None => {}
                Some(SendError::Retry(why)) if attempts < self.settings.max_attempts => {
                    tracing::info!(id, attempts, reason = %why, "message will be tried again");
                    marks.push((
                        id,
                        Outcome::Retry {
                            next_ms: now + backoff_ms(attempts),
                            reason: why,
                        },
                    ));
                }
                Some(SendError::Retry(why)) | Some(SendError::Permanent(why)) => {
                    tracing::warn!(id, reason = %why, "message failed");
                    marks.push((id, Outcome::Failed(why)));
                }
                Some(SendError::Uncertain(why)) => {
                    tracing::warn!(id, reason = %why, "message uncertain; not sent again");
                    marks.push((id, Outcome::Uncertain(why)));
                }
            }
        }
        outbox::mark(conn, &marks, now)
    }
}

impl Sender {
    pub async fn run(mut self) {
        let now = (self.clock)().timestamp_millis();
        let whole = matches!(self.transport, Transport::Http(..));
        let mut dispatch = Dispatch::new(self.settings.clone(), whole);
        let (back, reconciled) = db(&self.db, move |c| {
            let r = dispatch.reconcile(c, now);
            (dispatch, r)
        })
        .await;
        dispatch = back;
        match reconciled {
            Ok(n) if n > 0 => {
                tracing::warn!(
                    rows = n,
                    resend = whole,
                    "messages in flight at the last stop"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "sms outbox reconcile failed"),
        }
        // The global rate: one part every `1 / rate_per_second`.
        let gap = Duration::from_secs_f64(1.0 / f64::from(self.settings.rate_per_second));
        let mut next_slot = Instant::now();
        loop {
            if *self.shutdown.borrow() {
                break;
            }
            if let Transport::Smpp(link) = &self.transport
                && !link.ready(Duration::from_millis(500)).await
            {
                continue;
            }
            let now = (self.clock)().timestamp_millis();
            let (back, polled) = db(&self.db, move |c| {
                let r = dispatch.poll(c, now);
                (dispatch, r)
            })
            .await;
            dispatch = back;
            let go = match polled {
                Ok(go) => go,
                Err(e) => {
                    tracing::error!(error = %e, "sms outbox unreadable; nothing sent");
                    self.sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if go.is_empty() {
                let next = db(&self.db, |c| outbox::next_due_ms(c))
                    .await
                    .ok()
                    .flatten();
                let wait = next
                    .map(|t| Duration::from_millis((t - now).clamp(10, 1_000) as u64))
                    .unwrap_or(Duration::from_secs(1));
                self.sleep(wait).await;
                continue;
            }
            let mut sends = Vec::with_capacity(go.len());
            for s in go {
                let remaining = s.parts.saturating_sub(s.due.parts_done as usize);
                let slot = next_slot.max(Instant::now());
                next_slot = slot + gap * remaining.max(1) as u32;
                let transport = self.transport.clone();
                let settings = self.settings.clone();
                sends.push(async move {
                    tokio::time::sleep_until(slot.into()).await;
                    send_row(&transport, &settings, &s.due, s.parts).await
                });
            }
            let answers = futures_util::future::join_all(sends).await;
            let now = (self.clock)().timestamp_millis();
            let (back, settled) = db(&self.db, move |c| {
                let r = dispatch.settle(c, answers, now);
                (dispatch, r)
            })
            .await;
            dispatch = back;
            if let Err(e) = settled {
                tracing::error!(error = %e, "sms outbox: could not record what was sent");
            }
        }
    }

    async fn sleep(&mut self, d: Duration) {
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = self.wake.notified() => {}
            _ = self.shutdown.changed() => {}
        }
    }
}

/// Sends a row's remaining parts in order.
async fn send_row(transport: &Transport, settings: &SmsSettings, d: &Due, parts: usize) -> Answer {
    let mut answer = Answer {
        id: d.id,
        attempts: d.attempts + 1,
        done: Vec::new(),
        error: None,
    };
    match transport {
        Transport::Http(target) => {
            match super::http::send(settings, target, d.id, &d.phone, &d.text).await {
                Ok(id) => answer.done.push(id),
                Err(e) => answer.error = Some(e),
            }
        }
        Transport::Smpp(link) => {
            let all = split(&d.text, (d.id & 0xFF) as u8);
            for part in all.iter().take(parts).skip(d.parts_done as usize) {
                match link.submit(&d.phone, part).await {
                    Ok(id) => answer.done.push(id),
                    Err(e) => {
                        answer.error = Some(e);
                        break;
                    }
                }
            }
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    //! The sender's decisions on simulated time: each `poll` and `settle` is given its
    //! instant, so what is *not* sent is shown at every later instant without waiting.
    use super::*;
    use crate::sms::outbox::{Kind, NewMessage};

    /// 2026-12-07 08:00 UTC.
    const T0: i64 = 1_796_630_400_000;
    const MIN: i64 = 60_000;
    const PHONE: &str = "01012345678";

    fn dispatch(extra: &str, whole: bool) -> Dispatch {
        let text = format!(
            "[sms]\ntransport = \"smpp\"\nhost = \"127.0.0.1\"\nsystem_id = \"t\"\npassword = \"p\"\n{extra}"
        );
        let settings = crate::sms::settings::parse(&text, None).unwrap().unwrap();
        Dispatch::new(Arc::new(settings), whole)
    }

    fn outbox() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrate(&mut conn).unwrap();
        conn
    }

    fn queue(conn: &mut Connection, phone: &str, kind: Kind, at: i64, text: &str) {
        outbox::insert(
            conn,
            NewMessage {
                kind,
                ticket: None,
                cause_seq: None,
                phone: Phone::parse(phone).unwrap(),
                text: text.into(),
                created_ms: at,
                stale_ms: at + 10 * MIN,
                due_ms: at,
            },
        )
        .unwrap();
    }

    fn states(conn: &Connection) -> Vec<String> {
        conn.prepare("SELECT state FROM sms_outbox ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn answer(s: &Submit, done: &[&str], error: Option<SendError>) -> Answer {
        Answer {
            id: s.due.id,
            attempts: s.due.attempts + 1,
            done: done.iter().map(|d| d.to_string()).collect(),
            error,
        }
    }

    /// Every instant from `from` to `to`, a second apart: nothing is handed over at any.
    fn nothing_between(d: &mut Dispatch, conn: &mut Connection, from: i64, to: i64) {
        for at in (from..=to).step_by(1_000) {
            let go = d.poll(conn, at).unwrap();
            assert!(
                go.is_empty(),
                "sent again at +{} s: {go:?}",
                (at - T0) / 1000
            );
        }
    }

    /// A rating link written for ten minutes after service, for ticket `ticket`.
    fn feedback_row(conn: &mut Connection, ticket: u64) {
        outbox::insert(
            conn,
            NewMessage {
                kind: Kind::Feedback,
                ticket: Some(ticket),
                cause_seq: Some(1),
                phone: Phone::parse(PHONE).unwrap(),
                text: format!("rate ticket {ticket}"),
                created_ms: T0,
                stale_ms: T0 + 10 * MIN + 240 * MIN,
                due_ms: T0 + 10 * MIN,
            },
        )
        .unwrap();
    }

    #[test]
    fn the_rating_link_waits_its_minutes_and_is_dropped_once_the_ticket_is_rated() {
        let (mut d, mut conn) = (dispatch("", false), outbox());
        feedback_row(&mut conn, 7);
        feedback_row(&mut conn, 8);
        // Not before it is due.
        nothing_between(&mut d, &mut conn, T0, T0 + 10 * MIN - 1_000);
        // Ticket 7 is rated on its page in the meantime: the batch of that event drops it.
        let tx = conn.transaction().unwrap();
        outbox::write(
            &tx,
            &outbox::Writes {
                rated: vec![7],
                ..Default::default()
            },
        )
        .unwrap();
        tx.commit().unwrap();
        let go = d.poll(&mut conn, T0 + 10 * MIN).unwrap();
        assert_eq!(go.len(), 1, "only ticket 8's link goes");
        assert_eq!(go[0].due.text, "rate ticket 8");
        assert_eq!(states(&conn), ["dropped", "sending"]);
        let reason: String = conn
            .query_row("SELECT reason FROM sms_outbox WHERE ticket = 7", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(reason, "rated");
    }

    #[test]
    fn a_message_is_handed_over_once_and_never_again_once_acknowledged() {
        let (mut d, mut conn) = (dispatch("", false), outbox());
        queue(&mut conn, PHONE, Kind::Called, T0, "your turn");
        let go = d.poll(&mut conn, T0).unwrap();
        assert_eq!(go.len(), 1);
        assert_eq!((go[0].due.text.as_str(), go[0].parts), ("your turn", 1));
        // In flight: not handed over again while the SMSC has not answered.
        nothing_between(&mut d, &mut conn, T0, T0 + 30_000);
        d.settle(
            &mut conn,
            vec![answer(&go[0], &["smsc-1"], None)],
            T0 + 30_000,
        )
        .unwrap();
        assert_eq!(states(&conn), ["submitted"]);
        nothing_between(&mut d, &mut conn, T0 + 30_000, T0 + 20 * MIN);
    }

    #[test]
    fn a_refusal_for_now_is_tried_again_after_the_back_off_and_not_before() {
        let (mut d, mut conn) = (dispatch("", false), outbox());
        queue(&mut conn, PHONE, Kind::NearTurn, T0, "soon");
        let first = d.poll(&mut conn, T0).unwrap();
        let refused = Some(SendError::Retry("throttled".into()));
        d.settle(&mut conn, vec![answer(&first[0], &[], refused)], T0 + 100)
            .unwrap();
        // One attempt made: 4 s of back-off.
        nothing_between(&mut d, &mut conn, T0 + 100, T0 + 4_099);
        let again = d.poll(&mut conn, T0 + 4_100).unwrap();
        assert_eq!(again.len(), 1, "tried again when the back-off is over");
        assert_eq!(again[0].due.attempts, 1);
        d.settle(
            &mut conn,
            vec![answer(&again[0], &["smsc-2"], None)],
            T0 + 4_200,
        )
        .unwrap();
        assert_eq!(states(&conn), ["submitted"]);
        nothing_between(&mut d, &mut conn, T0 + 4_200, T0 + 15 * MIN);
    }

    #[test]
    fn an_unanswered_part_and_one_in_flight_at_a_stop_are_never_sent_again_over_smpp() {
        let (mut d, mut conn) = (dispatch("", false), outbox());
        queue(&mut conn, PHONE, Kind::Called, T0, "one");
        queue(&mut conn, "01112345678", Kind::Called, T0, "two");
        let go = d.poll(&mut conn, T0).unwrap();
        assert_eq!(go.len(), 2);
        let lost = Some(SendError::Uncertain("no submit_sm_resp".into()));
        // The first is handed over with no answer; the server stops with the second in flight.
        d.settle(&mut conn, vec![answer(&go[0], &[], lost)], T0 + 1_000)
            .unwrap();
        let mut restarted = dispatch("", false);
        assert_eq!(restarted.reconcile(&conn, T0 + 2_000).unwrap(), 1);
        assert_eq!(states(&conn), ["uncertain", "uncertain"]);
        nothing_between(&mut restarted, &mut conn, T0 + 2_000, T0 + 15 * MIN);
    }

    #[test]
    fn a_gateway_that_deduplicates_gets_the_message_in_flight_at_a_stop_again() {
        let (mut d, mut conn) = (dispatch("", true), outbox());
        queue(&mut conn, PHONE, Kind::Called, T0, "one");
        let go = d.poll(&mut conn, T0).unwrap();
        let mut restarted = dispatch("", true);
        assert_eq!(restarted.reconcile(&conn, T0 + 2_000).unwrap(), 1);
        let again = restarted.poll(&mut conn, T0 + 2_000).unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].due.id, go[0].due.id, "the same row, the same key");
    }

    #[test]
    fn a_phones_hourly_limit_holds_its_next_message_back_until_the_hour_is_over() {
        let (mut d, mut conn) = (
            dispatch("per_phone_per_hour = 2\nstale_minutes = 120\n", false),
            outbox(),
        );
        for (i, text) in ["a", "b", "c"].into_iter().enumerate() {
            outbox::insert(
                &mut conn,
                NewMessage {
                    kind: Kind::Request,
                    ticket: None,
                    cause_seq: None,
                    phone: Phone::parse(PHONE).unwrap(),
                    text: text.into(),
                    created_ms: T0 + i as i64,
                    stale_ms: T0 + 120 * MIN,
                    due_ms: T0 + i as i64,
                },
            )
            .unwrap();
        }
        let go = d.poll(&mut conn, T0 + 10).unwrap();
        let sent: Vec<&str> = go.iter().map(|s| s.due.text.as_str()).collect();
        assert_eq!(sent, ["a", "b"]);
        let answers = go.iter().map(|s| answer(s, &["x"], None)).collect();
        d.settle(&mut conn, answers, T0 + 500).unwrap();
        nothing_between(&mut d, &mut conn, T0 + 500, T0 + 60 * MIN - 1_000);
        let third = d.poll(&mut conn, T0 + 10 + 60 * MIN).unwrap();
        assert_eq!(third.len(), 1);
        assert_eq!(third[0].due.text, "c");
    }

    #[test]
    fn a_stale_message_and_one_to_a_phone_that_said_stop_are_dropped_and_the_reply_still_goes() {
        let (mut d, mut conn) = (dispatch("", false), outbox());
        let stopped = "01112345678";
        outbox::opt_out(&mut conn, &Phone::parse(stopped).unwrap(), T0).unwrap();
        queue(&mut conn, PHONE, Kind::NearTurn, T0, "late");
        queue(&mut conn, stopped, Kind::Called, T0 + 9 * MIN, "your turn");
        queue(
            &mut conn,
            stopped,
            Kind::Reply,
            T0 + 9 * MIN,
            "no more messages",
        );
        let go = d.poll(&mut conn, T0 + 10 * MIN + 1_000).unwrap();
        let sent: Vec<&str> = go.iter().map(|s| s.due.text.as_str()).collect();
        assert_eq!(sent, ["no more messages"]);
        assert_eq!(states(&conn), ["dropped", "dropped", "sending"]);
    }
}

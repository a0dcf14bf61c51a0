//! The sender: one task that reads the outbox in pages (never more than `window` rows in
//! memory), drops what is stale or opted out, holds back what a phone's hourly limit does not
//! allow yet, marks the rest `sending` (committed) and hands each part to the transport;
//! after the SMSC's `submit_sm_resp` it marks the part done. Failures are tried again with
//! exponential back-off (2 s doubling to 5 min) until stale or `max_attempts`.

use super::{SendError, Transport};
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

async fn db<T: Send + 'static>(
    db: &Arc<Mutex<Connection>>,
    f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
) -> rusqlite::Result<T> {
    let db = db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    })
    .await
    .expect("sms database task")
}

impl Sender {
    pub async fn run(mut self) {
        let now = (self.clock)().timestamp_millis();
        let resend = matches!(self.transport, Transport::Http(..));
        match db(&self.db, move |c| outbox::reconcile(c, now, resend)).await {
            Ok(n) if n > 0 => {
                tracing::warn!(rows = n, resend, "messages in flight at the last stop")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "sms outbox reconcile failed"),
        }
        let mut rate = PhoneRate::default();
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
            let window = self.settings.window;
            let page = match db(&self.db, move |c| outbox::due(c, now, window)).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "sms outbox unreadable");
                    self.sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if page.is_empty() {
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
            let mut marks: Vec<(i64, Outcome)> = Vec::new();
            let mut go: Vec<Due> = Vec::new();
            let opted: Vec<bool> = {
                let phones: Vec<String> = page.iter().map(|d| d.phone.clone()).collect();
                db(&self.db, move |c| {
                    phones
                        .iter()
                        .map(|p| match Phone::from_stored(p) {
                            Some(p) => outbox::opted_out(c, &p),
                            None => Ok(true),
                        })
                        .collect()
                })
                .await
                .unwrap_or_else(|_| vec![false; page.len()])
            };
            for (d, opted) in page.into_iter().zip(opted) {
                if now > d.stale_ms {
                    marks.push((d.id, Outcome::Dropped("stale".into())));
                } else if opted && d.kind != "reply" {
                    marks.push((d.id, Outcome::Dropped("opted out".into())));
                } else if Phone::from_stored(&d.phone).is_none() {
                    marks.push((d.id, Outcome::Failed("no valid number".into())));
                } else {
                    let at = if d.kind == "reply" && d.parts_done == 0 {
                        now
                    } else {
                        rate.next_allowed(&d.phone, self.settings.per_phone_per_hour, now)
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
                        rate.record(&d.phone, now);
                        marks.push((d.id, Outcome::Sending));
                        go.push(d);
                    }
                }
            }
            let first = std::mem::take(&mut marks);
            if let Err(e) = db(&self.db, move |c| outbox::mark(c, &first, now)).await {
                tracing::error!(error = %e, "sms outbox: marking failed; nothing sent");
                self.sleep(Duration::from_secs(1)).await;
                continue;
            }
            let mut sends = Vec::with_capacity(go.len());
            for d in go {
                let parts = if matches!(self.transport, Transport::Http(..)) {
                    1
                } else {
                    split(&d.text, (d.id & 0xFF) as u8).len()
                };
                let remaining = parts.saturating_sub(d.parts_done as usize);
                let slot = next_slot.max(Instant::now());
                next_slot = slot + gap * remaining.max(1) as u32;
                let transport = self.transport.clone();
                let settings = self.settings.clone();
                sends.push(async move {
                    tokio::time::sleep_until(slot.into()).await;
                    send_row(&transport, &settings, &d, parts).await
                });
            }
            let results = futures_util::future::join_all(sends).await;
            let now = (self.clock)().timestamp_millis();
            for (id, attempts, done, result) in results {
                let total = done.len();
                for (i, smsc_id) in done.into_iter().enumerate() {
                    let last = result.is_none() && i + 1 == total;
                    marks.push((id, Outcome::PartDone { smsc_id, last }));
                }
                match result {
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
            let rows = std::mem::take(&mut marks);
            if let Err(e) = db(&self.db, move |c| outbox::mark(c, &rows, now)).await {
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

/// Sends a row's remaining parts in order; the SMSC ids of those acknowledged, and the error
/// that stopped the rest (none: all sent).
async fn send_row(
    transport: &Transport,
    settings: &SmsSettings,
    d: &Due,
    parts: usize,
) -> (i64, u32, Vec<String>, Option<SendError>) {
    let attempts = d.attempts + 1;
    let mut done = Vec::new();
    match transport {
        Transport::Http(target) => {
            match super::http::send(settings, target, d.id, &d.phone, &d.text).await {
                Ok(id) => done.push(id),
                Err(e) => return (d.id, attempts, done, Some(e)),
            }
        }
        Transport::Smpp(link) => {
            let all = split(&d.text, (d.id & 0xFF) as u8);
            for part in all.iter().take(parts).skip(d.parts_done as usize) {
                match link.submit(&d.phone, part).await {
                    Ok(id) => done.push(id),
                    Err(e) => return (d.id, attempts, done, Some(e)),
                }
            }
        }
    }
    (d.id, attempts, done, None)
}

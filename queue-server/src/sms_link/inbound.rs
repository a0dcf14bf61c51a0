//! Texts from citizens to the center's number, as they come in over the link (`sms::ask`
//! reads them): `STOP` / `ايقاف` / `إيقاف` opts the number
//! out (and is confirmed); anything else is read as a request's reference and answered with
//! its status (the writer renders it from the state), in the language of the text. Each number
//! gets at most `INBOUND_PER_HOUR` answers an hour; the rest are read and not answered.

use super::Inbound;
use crate::clock::Clock;
use crate::sms::ask::{StatusAsk, is_stop, language_of};
use crate::sms::outbox::{self, Kind, NewMessage};
use crate::sms::phone::Phone;
use crate::sms::settings::SmsSettings;
use crate::writer::WeakWriter;
use rusqlite::Connection;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, mpsc, watch};

pub const INBOUND_PER_HOUR: usize = 10;
const HOUR_MS: i64 = 3_600_000;
const PHONES: usize = 10_000;

pub async fn run(
    settings: Arc<SmsSettings>,
    db: Arc<Mutex<Connection>>,
    clock: Clock,
    wake: Arc<Notify>,
    writer: WeakWriter,
    mut rx: mpsc::Receiver<Inbound>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut recent: HashMap<Phone, VecDeque<i64>> = HashMap::new();
    loop {
        let msg = tokio::select! {
            m = rx.recv() => match m { Some(m) => m, None => break },
            _ = shutdown.changed() => break,
        };
        let Some(phone) = Phone::from_stored(&msg.from) else {
            tracing::info!("a text from an address that is not an Egyptian mobile; ignored");
            continue;
        };
        let now = clock().timestamp_millis();
        if recent.len() >= PHONES && !recent.contains_key(&phone) {
            recent.retain(|_, q| q.back().is_some_and(|t| *t > now - HOUR_MS));
            if recent.len() >= PHONES {
                continue;
            }
        }
        let q = recent.entry(phone.clone()).or_default();
        while q.front().is_some_and(|t| *t <= now - HOUR_MS) {
            q.pop_front();
        }
        if q.len() >= INBOUND_PER_HOUR {
            tracing::info!(%phone, "too many texts from one number this hour; not answered");
            continue;
        }
        q.push_back(now);
        let lang = language_of(&msg.text);
        let answer = if is_stop(&msg.text) {
            let p = phone.clone();
            if let Err(e) = super::db(&db, move |c| outbox::opt_out(c, &p, now)).await {
                tracing::error!(error = %e, "could not record STOP");
                continue;
            }
            tracing::info!(%phone, "number opted out");
            ask(&writer, StatusAsk::Stopped, lang).await
        } else {
            let ask_for = StatusAsk::Text {
                text: msg.text.clone(),
                from: phone.clone(),
            };
            ask(&writer, ask_for, lang).await
        };
        let Some(text) = answer else { continue };
        let m = NewMessage {
            kind: Kind::Reply,
            ticket: None,
            cause_seq: None,
            phone,
            text,
            created_ms: now,
            stale_ms: now + settings.stale_ms(),
            due_ms: now,
        };
        match super::db(&db, move |c| outbox::insert(c, m)).await {
            Ok(()) => wake.notify_one(),
            Err(e) => tracing::error!(error = %e, "could not write an answer to the outbox"),
        }
    }
}

async fn ask(writer: &WeakWriter, ask: StatusAsk, lang: &'static str) -> Option<String> {
    writer.upgrade()?.sms_answer(ask, lang).await
}

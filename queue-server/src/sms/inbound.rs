//! Texts from citizens to the center's number: `STOP` / `ايقاف` / `إيقاف` opts the number
//! out (and is confirmed); anything else is read as a request's reference and answered with
//! its status (the writer renders it from the state), in the language of the text. Each number
//! gets at most `INBOUND_PER_HOUR` answers an hour; the rest are read and not answered.

use super::Inbound;
use super::outbox::{self, Kind, NewMessage};
use super::phone::Phone;
use super::settings::SmsSettings;
use crate::writer::{Clock, WeakWriter};
use rusqlite::Connection;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, mpsc, watch};

pub const INBOUND_PER_HOUR: usize = 10;
const HOUR_MS: i64 = 3_600_000;
const PHONES: usize = 10_000;

/// The words that opt a number out, compared after trimming and upper-casing.
pub fn is_stop(text: &str) -> bool {
    let t: String = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .to_uppercase();
    matches!(t.as_str(), "STOP" | "ايقاف" | "إيقاف" | "أيقاف")
}

/// Arabic text (any Arabic letter or digit) is answered in Arabic, the rest in English.
pub fn language_of(text: &str) -> &'static str {
    if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        "ar"
    } else {
        "en"
    }
}

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
            let db2 = db.clone();
            let done = tokio::task::spawn_blocking(move || {
                let mut c = db2.lock().unwrap_or_else(|e| e.into_inner());
                outbox::opt_out(&mut c, &p, now)
            })
            .await
            .expect("sms database task");
            if let Err(e) = done {
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
        };
        let db2 = db.clone();
        let done = tokio::task::spawn_blocking(move || {
            let mut c = db2.lock().unwrap_or_else(|e| e.into_inner());
            outbox::insert(&mut c, m)
        })
        .await
        .expect("sms database task");
        match done {
            Ok(()) => wake.notify_one(),
            Err(e) => tracing::error!(error = %e, "could not write an answer to the outbox"),
        }
    }
}

/// What the writer is asked to put in words.
#[derive(Debug)]
pub enum StatusAsk {
    /// A text: a request's reference (and perhaps the last four digits of the citizen's phone
    /// or national ID), or something else (help); from this number.
    Text { text: String, from: Phone },
    /// The confirmation of STOP.
    Stopped,
}

/// What a citizen's text asks: a request by its reference, with the four digits that prove
/// it is theirs if the text has them.
#[derive(Debug, PartialEq)]
pub struct Asked {
    pub reference: String,
    pub suffix: Option<String>,
}

/// Reads "HEL-26-004821", "hel 26 004821 1234", "حالة ‏HEL-26-٠٠٤٨٢١ ٤٨٢١": the reference
/// may be split over up to three words; a separate word of four digits is the suffix.
pub fn read_status_text(text: &str) -> Option<Asked> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '،')
        .filter(|w| !w.is_empty())
        .collect();
    for start in 0..words.len() {
        for len in 1..=3.min(words.len() - start) {
            let joined = words[start..start + len].concat();
            if let Some(reference) = protocol::request::normalize_reference(&joined) {
                let suffix = words
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i < start || *i >= start + len)
                    .find_map(|(_, w)| protocol::request::normalize_suffix(w));
                return Some(Asked { reference, suffix });
            }
        }
    }
    None
}

async fn ask(writer: &WeakWriter, ask: StatusAsk, lang: &'static str) -> Option<String> {
    writer.upgrade()?.sms_answer(ask, lang).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_in_both_languages_and_nothing_else() {
        for s in ["STOP", " stop ", "Stop.", "ايقاف", "إيقاف"] {
            assert!(is_stop(s), "{s}");
        }
        for s in ["STOPPED", "HEL-26-000001", "لا تتوقف", ""] {
            assert!(!is_stop(s), "{s}");
        }
        assert_eq!(language_of("حالة HEL-26-000001"), "ar");
        assert_eq!(language_of("hel-26-000001"), "en");
    }

    #[test]
    fn a_reference_is_read_however_it_is_typed_with_its_four_digits() {
        let asked = |r: &str, s: Option<&str>| {
            Some(Asked {
                reference: r.into(),
                suffix: s.map(Into::into),
            })
        };
        assert_eq!(
            read_status_text("HEL-26-004821"),
            asked("HEL-26-004821", None)
        );
        assert_eq!(
            read_status_text("hel 26 004821 1234"),
            asked("HEL-26-004821", Some("1234"))
        );
        assert_eq!(
            read_status_text("حالة HEL-٢٦-٠٠٤٨٢١، ٤٨٢١"),
            asked("HEL-26-004821", Some("4821"))
        );
        assert_eq!(read_status_text("hello there"), None);
        assert_eq!(read_status_text("1234"), None);
    }
}

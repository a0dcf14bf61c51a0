//! The writer's side of the messages: which messages a committed batch causes, written in the
//! batch's own transaction (`outbox::write` from `Store::append_with`). So a committed call
//! always has its message and an uncommitted one never does.
//!
//! The writer holds the numbers kept for today's open tickets (`sms_phones`), a few hundred
//! at most; a number never leaves this module and the outbox tables.

use super::outbox::{self, Kept, Kind, NewMessage, Writes};
use super::phone::Phone;
use super::settings::SmsSettings;
use super::texts::Texts;
use hall_core::request::RequestState;
use hall_core::{Envelope, Event, State, TicketId, TicketState, Timestamp};
use hall_forecast::Forecast;
use hall_forecast::estimates::AheadCache;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Notify;

/// A number kept for longer than a day is forgotten even if its ticket never closed.
const KEEP_MS: i64 = 24 * 3600 * 1000;
/// A message about a request's state is dropped if it could not go out within a day.
const REQUEST_STALE_MS: i64 = 24 * 3600 * 1000;
/// Whether a request's new state asks something of the citizen (a message is worth its cost).
fn citizen_must_act(state: &RequestState) -> bool {
    matches!(
        state,
        RequestState::NeedsDocuments { .. }
            | RequestState::ReadyForPickup
            | RequestState::Rejected { .. }
    )
}

/// A rating link not sent within this after it was due is dropped (the visit is long past).
const FEEDBACK_STALE_MS: i64 = 4 * 3600 * 1000;

pub struct Notifier {
    settings: Arc<SmsSettings>,
    texts: Texts,
    kept: HashMap<TicketId, Kept>,
    /// Numbers of requests not yet delivered or rejected, by reference.
    requests: HashMap<String, Kept>,
    wake: Arc<Notify>,
}

impl Notifier {
    pub fn load(
        settings: Arc<SmsSettings>,
        conn: &Connection,
        now: Timestamp,
        wake: Arc<Notify>,
    ) -> rusqlite::Result<Notifier> {
        let kept = outbox::load_kept(conn, now.timestamp_millis())?
            .into_iter()
            .map(|(t, k)| (TicketId(t), k))
            .collect();
        let requests = outbox::load_request_phones(conn, now.timestamp_millis())?
            .into_iter()
            .collect();
        Ok(Notifier {
            settings,
            texts: Texts::default(),
            kept,
            requests,
            wake,
        })
    }

    fn center(&self, state: &State) -> hall_core::Names {
        self.settings
            .name
            .clone()
            .unwrap_or_else(|| state.center_name())
    }

    fn message(
        &self,
        kind: Kind,
        t: TicketId,
        seq: Option<u64>,
        k: &Kept,
        text: String,
        now: Timestamp,
    ) -> NewMessage {
        NewMessage {
            kind,
            ticket: Some(t.0),
            cause_seq: seq,
            phone: k.phone.clone(),
            text,
            created_ms: now.timestamp_millis(),
            stale_ms: now.timestamp_millis() + self.settings.stale_ms(),
            due_ms: now.timestamp_millis(),
        }
    }

    /// After service: the link to rate it, once, some minutes later (none without the
    /// center's public address, or when the ticket's page is gone).
    fn feedback(
        &self,
        state: &State,
        t: TicketId,
        seq: u64,
        k: &Kept,
        center: &hall_core::Names,
        now: Timestamp,
    ) -> Option<NewMessage> {
        let base = self.settings.public_url.as_deref()?;
        let closed = state.closed_today.get(&t)?;
        if closed.state != TicketState::Done || closed.feedback.is_some() {
            return None;
        }
        let link = format!("{base}/t/{}", closed.token);
        let due = now.timestamp_millis() + i64::from(self.settings.feedback_after_minutes) * 60_000;
        Some(NewMessage {
            kind: Kind::Feedback,
            ticket: Some(t.0),
            cause_seq: Some(seq),
            phone: k.phone.clone(),
            text: self.texts.feedback(&k.lang, center, &link),
            created_ms: now.timestamp_millis(),
            stale_ms: due + FEEDBACK_STALE_MS,
            due_ms: due,
        })
    }

    /// What a batch (already applied to `state`) writes beside its events.
    pub fn for_batch(
        &self,
        state: &State,
        written: &[Envelope],
        now: Timestamp,
        forecast: &Forecast,
    ) -> Writes {
        let mut w = Writes::default();
        if self.kept.is_empty() && self.requests.is_empty() {
            return w;
        }
        let center = self.center(state);
        let mut touched = false;
        for env in written {
            self.for_request(state, env, &center, now, &mut w);
            let Some(t) = env.event.ticket() else {
                continue;
            };
            touched = true;
            if let Event::FeedbackGiven { .. } = &env.event {
                w.rated.push(t.0);
                continue;
            }
            let Some(k) = self.kept.get(&t) else { continue };
            match &env.event {
                Event::TicketCalled { counter, .. } => {
                    let label = ticket_label(state, t);
                    let counter = state
                        .counters
                        .get(counter)
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                    let text = self.texts.called(&k.lang, &center, &label, &counter);
                    w.messages
                        .push(self.message(Kind::Called, t, Some(env.seq), k, text, now));
                    w.called.push(t.0);
                }
                Event::TicketFinished { .. } => {
                    if let Some(m) = self.feedback(state, t, env.seq, k, &center, now) {
                        w.messages.push(m);
                    }
                    w.forget.push(t.0);
                }
                Event::TicketNoShow { .. } | Event::TicketCancelled { .. } => {
                    w.forget.push(t.0);
                }
                _ => {}
            }
        }
        if touched {
            self.near_turn(state, now, forecast, written.last().map(|e| e.seq), &mut w);
        }
        w
    }

    /// A ticket that becomes a request hands its number on to the request, with a message (its
    /// reference and ready day); each change the citizen must act on is a message (documents
    /// needed, ready for pickup, rejected): a text costs the center, "under review" tells
    /// nothing to do. A finished request's number is forgotten.
    fn for_request(
        &self,
        state: &State,
        env: &Envelope,
        center: &hall_core::Names,
        now: Timestamp,
        w: &mut Writes,
    ) {
        let reference = match &env.event {
            Event::RequestCreated {
                reference, ticket, ..
            } => {
                let Some(k) = self.kept.get(ticket) else {
                    return;
                };
                let until =
                    now.timestamp_millis() + hall_core::state::REQUEST_KEEP_DAYS * 24 * 3600 * 1000;
                w.request_keep.push((reference.clone(), k.clone(), until));
                reference
            }
            Event::RequestStateChanged {
                reference,
                state: to,
                ..
            } => {
                if to.is_final() && !matches!(to, RequestState::Rejected { .. }) {
                    // Delivered: handed over at the window, nothing to tell; forget the number.
                    w.request_forget.push(reference.clone());
                    return;
                }
                if !citizen_must_act(to) {
                    return;
                }
                reference
            }
            _ => return,
        };
        let k = self.requests.get(reference).or_else(|| {
            w.request_keep
                .iter()
                .find(|(r, _, _)| r == reference)
                .map(|(_, k, _)| k)
        });
        let (Some(k), Some(req)) = (k, state.requests.get(reference)) else {
            return;
        };
        let text = self.texts.request(&k.lang, center, req, state);
        w.messages.push(NewMessage {
            kind: Kind::Request,
            ticket: Some(req.ticket.0),
            cause_seq: Some(env.seq),
            phone: k.phone.clone(),
            text,
            created_ms: now.timestamp_millis(),
            // A request's news stays worth sending for a day, not minutes.
            stale_ms: now.timestamp_millis() + REQUEST_STALE_MS,
            due_ms: now.timestamp_millis(),
        });
        if req.state.is_final() {
            w.request_forget.push(reference.clone());
        }
    }

    /// New figures from the model (no event): the near-turn checks alone.
    pub fn on_new_figures(&self, state: &State, now: Timestamp, forecast: &Forecast) -> Writes {
        let mut w = Writes::default();
        self.near_turn(state, now, forecast, None, &mut w);
        w
    }

    fn near_turn(
        &self,
        state: &State,
        now: Timestamp,
        forecast: &Forecast,
        seq: Option<u64>,
        w: &mut Writes,
    ) {
        let center = self.center(state);
        let digits = state.digits();
        let mut places = AheadCache::default();
        for (t, k) in &self.kept {
            if k.near_sent || w.forget.contains(&t.0) || w.called.contains(&t.0) {
                continue;
            }
            // The count alone (no page built, each queue put in order once): this runs for
            // every kept number after each batch.
            let Some(ahead) = places.people_ahead(state, *t, now, forecast) else {
                continue;
            };
            let Some(ticket) = state.tickets.get(t) else {
                continue;
            };
            if ahead > self.settings.ahead_for(&ticket.service) {
                continue;
            }
            let service = state
                .services
                .get(&ticket.service)
                .map(|q| q.service.name.clone())
                .unwrap_or_default();
            let text =
                self.texts
                    .near_turn(&k.lang, digits, &center, &ticket.label, &service, ahead);
            w.messages
                .push(self.message(Kind::NearTurn, *t, seq, k, text, now));
            w.near_sent.push(t.0);
        }
    }

    /// After the transaction holding `w` committed.
    pub fn committed(&mut self, w: &Writes) {
        for t in &w.near_sent {
            if let Some(k) = self.kept.get_mut(&TicketId(*t)) {
                k.near_sent = true;
            }
        }
        for t in &w.forget {
            self.kept.remove(&TicketId(*t));
        }
        for (reference, k, _) in &w.request_keep {
            self.requests.insert(reference.clone(), k.clone());
        }
        for reference in &w.request_forget {
            self.requests.remove(reference);
        }
        if !w.messages.is_empty() {
            self.wake.notify_one();
        }
    }

    /// A citizen (or the clerk) leaves a number for an open ticket. Written at once; if the
    /// ticket is already near its turn the message goes out now.
    #[allow(clippy::too_many_arguments)]
    pub fn keep(
        &mut self,
        conn: &mut Connection,
        state: &State,
        ticket: TicketId,
        phone: Phone,
        lang: &str,
        now: Timestamp,
        forecast: &Forecast,
    ) -> rusqlite::Result<()> {
        let near_sent = self.kept.get(&ticket).is_some_and(|k| k.near_sent);
        let kept = Kept {
            phone,
            lang: if lang.starts_with("ar") { "ar" } else { "en" }.into(),
            near_sent,
        };
        let previous = self.kept.insert(ticket, kept.clone());
        let mut w = Writes::default();
        self.near_turn(state, now, forecast, None, &mut w);
        w.messages.retain(|m| m.ticket == Some(ticket.0));
        w.near_sent.retain(|t| *t == ticket.0);
        let tx = conn.transaction()?;
        let done = outbox::keep(&tx, ticket.0, &kept, now.timestamp_millis() + KEEP_MS)
            .and_then(|_| outbox::write(&tx, &w))
            .and_then(|_| tx.commit());
        match done {
            Ok(()) => {
                self.committed(&w);
                Ok(())
            }
            Err(e) => {
                match previous {
                    Some(p) => self.kept.insert(ticket, p),
                    None => self.kept.remove(&ticket),
                };
                Err(e)
            }
        }
    }

    pub fn has(&self, ticket: TicketId) -> bool {
        self.kept.contains_key(&ticket)
    }
}

fn ticket_label(state: &State, t: TicketId) -> String {
    state
        .tickets
        .get(&t)
        .map(|x| x.label.clone())
        .or_else(|| state.closed_today.get(&t).map(|x| x.label.clone()))
        .unwrap_or_default()
}

impl Notifier {
    /// The words answering a citizen's text. A request's status is told to the number kept
    /// for it, or to a text that carries the last four digits of the citizen's phone or
    /// national ID (or that comes from a phone ending in them): a reference alone does not
    /// leak a status to anyone who saw the receipt.
    pub fn answer(&self, state: &State, ask: &super::ask::StatusAsk, lang: &str) -> String {
        use super::ask::StatusAsk;
        let center = self.center(state);
        let (text, from) = match ask {
            StatusAsk::Stopped => return self.texts.simple("sms-stopped", lang, &center),
            StatusAsk::Text { text, from } => (text, from),
        };
        let Some(asked) = super::ask::read_status_text(text) else {
            return self.texts.simple("sms-help", lang, &center);
        };
        let Some(req) = state.requests.get(&asked.reference) else {
            return self.texts.with_reference(
                "sms-unknown-reference",
                lang,
                &center,
                &asked.reference,
                "",
            );
        };
        let digits = from.digits();
        let own = digits.len() >= 4 && req.suffix_matches(&digits[digits.len() - 4..]);
        let kept = self
            .requests
            .get(&asked.reference)
            .is_some_and(|k| k.phone == *from);
        let typed = asked
            .suffix
            .as_deref()
            .is_some_and(|s| req.suffix_matches(s));
        if own || kept || typed {
            self.texts.request(lang, &center, req, state)
        } else {
            self.texts
                .with_reference("sms-request-suffix", lang, &center, &asked.reference, "")
        }
    }
}

//! Key figures derived from the event log alone: per ticket wait and service time, and their
//! summaries per service, counter, clerk, day and hour. Folding the same events always gives
//! the same figures; nothing here reads a clock. The hall's core: the center's reports and
//! the national store (`central`'s fold) run this same code.
//!
//! `tally`: the same per-clerk figures for today, kept incrementally by the writer.

mod report;
mod tally;

use tally::secs;
pub use tally::{ClerkTally, ClerkTotals};

use crate::{
    CounterId, Envelope, Event, Outcome, Priority, ServiceCode, TicketId, TicketState, Timestamp,
};
use chrono::{NaiveDate, Timelike};
use chrono_tz::Tz;
pub use report::{DayClosing, Report, ReportGrouping, ReportRow, RequestRow};
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug, PartialEq)]
pub struct TicketFacts {
    pub id: TicketId,
    pub label: String,
    pub service: ServiceCode,
    pub priority: Priority,
    pub issued_at: Timestamp,
    pub first_called_at: Option<Timestamp>,
    /// Start of the last stay at a counter (call or return).
    pub called_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub end: Option<TicketState>,
    pub outcome: Option<Outcome>,
    pub counter: Option<CounterId>,
    pub clerk: Option<String>,
    /// Transfers of the ticket (to another service or counter); `service` stays the one it
    /// was issued for.
    pub transfers: u32,
    /// The citizen's rating from the ticket page (1–5).
    pub rating: Option<u8>,
}

impl TicketFacts {
    /// Seconds from issue to first call.
    pub fn wait_secs(&self) -> Option<f64> {
        Some(secs(self.first_called_at? - self.issued_at))
    }
    /// Seconds at the counter for a served ticket (from serving start, or from the call).
    pub fn service_secs(&self) -> Option<f64> {
        if self.end != Some(TicketState::Done) {
            return None;
        }
        Some(secs(self.ended_at? - self.started_at.or(self.called_at)?))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Service,
    Counter,
    Clerk,
    /// Keys are UTC dates with `summary`, local dates with `summary_in`.
    Day,
    /// Hour of issue, "08" for 08:00–08:59 (UTC with `summary`, local with `summary_in`).
    Hour,
}

impl From<ReportGrouping> for GroupBy {
    fn from(g: ReportGrouping) -> GroupBy {
        match g {
            ReportGrouping::Day => GroupBy::Day,
            ReportGrouping::Hour => GroupBy::Hour,
            ReportGrouping::Service => GroupBy::Service,
            ReportGrouping::Counter => GroupBy::Counter,
            ReportGrouping::Clerk => GroupBy::Clerk,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub key: String,
    pub tickets: u32,
    /// Tickets transferred at least once.
    pub transferred: u32,
    pub served: u32,
    pub no_shows: u32,
    pub cancelled: u32,
    pub wait_mean_secs: Option<f64>,
    pub wait_p90_secs: Option<f64>,
    pub service_mean_secs: Option<f64>,
    pub service_p90_secs: Option<f64>,
    pub requests: u32,
    pub ratings: u32,
    pub rating_mean: Option<f64>,
}

impl From<Summary> for ReportRow {
    fn from(s: Summary) -> ReportRow {
        ReportRow {
            key: s.key,
            name: None,
            tickets: s.tickets,
            transferred: s.transferred,
            served: s.served,
            no_shows: s.no_shows,
            cancelled: s.cancelled,
            wait_mean_secs: s.wait_mean_secs,
            wait_p90_secs: s.wait_p90_secs,
            service_mean_secs: s.service_mean_secs,
            service_p90_secs: s.service_p90_secs,
            requests: s.requests,
            ratings: s.ratings,
            rating_mean: s.rating_mean,
        }
    }
}

#[derive(Default)]
pub struct Kpis {
    pub tickets: BTreeMap<TicketId, TicketFacts>,
    clerks: HashMap<CounterId, String>,
    /// Requests by reference, as the events folded so far leave them.
    pub requests: BTreeMap<String, RequestRow>,
}

impl Kpis {
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Envelope>) -> Kpis {
        let mut k = Kpis::default();
        for e in events {
            k.fold(e);
        }
        k
    }

    pub fn fold(&mut self, env: &Envelope) {
        let at = env.at;
        match &env.event {
            Event::TicketIssued { ticket } => {
                self.tickets.insert(
                    ticket.id,
                    TicketFacts {
                        id: ticket.id,
                        label: ticket.label.clone(),
                        service: ticket.service.clone(),
                        priority: ticket.priority,
                        issued_at: ticket.issued_at,
                        first_called_at: None,
                        called_at: None,
                        started_at: None,
                        ended_at: None,
                        end: None,
                        outcome: None,
                        counter: None,
                        clerk: None,
                        transfers: 0,
                        rating: None,
                    },
                );
            }
            Event::FeedbackGiven { ticket, rating, .. } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.rating = Some(*rating);
                }
            }
            Event::RequestCreated {
                reference,
                ticket,
                service,
                counter,
                expected_ready,
                ..
            } => {
                let clerk = self.tickets.get(ticket).and_then(|t| t.clerk.clone());
                self.requests.insert(
                    reference.clone(),
                    RequestRow {
                        reference: reference.clone(),
                        service: service.clone(),
                        counter: *counter,
                        clerk,
                        created_at: at,
                        expected_ready: *expected_ready,
                        state: "received".into(),
                        changed_at: at,
                        changed_by: env.actor.clone(),
                        changes: 0,
                    },
                );
            }
            Event::RequestStateChanged {
                reference, state, ..
            } => {
                if let Some(r) = self.requests.get_mut(reference) {
                    r.state = state.name().into();
                    r.changed_at = at;
                    r.changed_by = env.actor.clone();
                    r.changes += 1;
                }
            }
            Event::CounterOpened { counter, clerk } => {
                self.clerks.insert(*counter, clerk.clone());
            }
            Event::CounterClosed { counter } => {
                self.clerks.remove(counter);
            }
            Event::TicketCalled {
                ticket, counter, ..
            }
            | Event::TicketReturned { ticket, counter } => {
                let clerk = self.clerks.get(counter).cloned();
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.first_called_at.get_or_insert(at);
                    t.called_at = Some(at);
                    t.started_at = None;
                    t.counter = Some(*counter);
                    t.clerk = clerk;
                }
            }
            Event::ServiceStarted { ticket, .. } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.started_at = Some(at);
                }
            }
            Event::TicketTransferred { ticket, .. } => {
                // It still counts under the service it was issued for (what the citizen asked
                // for at the kiosk); the report shows how many moved.
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.transfers += 1;
                }
            }
            Event::TicketFinished {
                ticket, outcome, ..
            } => self.end(*ticket, TicketState::Done, Some(*outcome), at),
            Event::TicketNoShow { ticket, .. } => self.end(*ticket, TicketState::NoShow, None, at),
            Event::TicketCancelled { ticket, .. } => {
                self.end(*ticket, TicketState::Cancelled, None, at)
            }
            _ => {}
        }
    }

    fn end(&mut self, id: TicketId, state: TicketState, outcome: Option<Outcome>, at: Timestamp) {
        if let Some(t) = self.tickets.get_mut(&id) {
            t.end = Some(state);
            t.outcome = outcome;
            t.ended_at = Some(at);
        }
    }

    pub fn summary(&self, by: GroupBy) -> Vec<Summary> {
        self.summary_in(by, chrono_tz::UTC, None)
    }

    /// Summaries with days and hours in the center's zone, of the tickets issued on the local
    /// days `range` (both ends included) if given.
    pub fn summary_in(
        &self,
        by: GroupBy,
        tz: Tz,
        range: Option<(NaiveDate, NaiveDate)>,
    ) -> Vec<Summary> {
        let mut groups: BTreeMap<String, Vec<&TicketFacts>> = BTreeMap::new();
        for t in self.in_range(tz, range) {
            let local = t.issued_at.with_timezone(&tz);
            let key = match by {
                GroupBy::Service => Some(t.service.clone()),
                // Counters sort by number, not as text ("10" after "9").
                GroupBy::Counter => t.counter.map(|c| format!("{c:>6}")),
                GroupBy::Clerk => t.clerk.clone(),
                GroupBy::Day => Some(local.date_naive().to_string()),
                GroupBy::Hour => Some(format!("{:02}", local.hour())),
            };
            if let Some(key) = key {
                groups.entry(key).or_default().push(t);
            }
        }
        groups
            .into_iter()
            .map(|(key, ts)| summarize(key.trim_start().to_string(), &ts))
            .collect()
    }

    fn in_range(
        &self,
        tz: Tz,
        range: Option<(NaiveDate, NaiveDate)>,
    ) -> impl Iterator<Item = &TicketFacts> {
        self.tickets.values().filter(move |t| match range {
            None => true,
            Some((from, to)) => {
                let day = t.issued_at.with_timezone(&tz).date_naive();
                from <= day && day <= to
            }
        })
    }

    /// The whole report of the tickets issued on the local days `from` to `to`.
    pub fn report(&self, tz: Tz, from: NaiveDate, to: NaiveDate) -> Report {
        let range = Some((from, to));
        let rows = |by: GroupBy| -> Vec<ReportRow> {
            self.summary_in(by, tz, range)
                .into_iter()
                .map(ReportRow::from)
                .collect()
        };
        let all: Vec<&TicketFacts> = self.in_range(tz, range).collect();
        Report {
            from,
            to,
            total: summarize(String::new(), &all).into(),
            by_day: rows(GroupBy::Day),
            by_hour: rows(GroupBy::Hour),
            by_service: rows(GroupBy::Service),
            by_counter: rows(GroupBy::Counter),
            by_clerk: rows(GroupBy::Clerk),
            closing: Vec::new(),
            requests: self
                .requests
                .values()
                .filter(|r| {
                    let day = r.created_at.with_timezone(&tz).date_naive();
                    from <= day && day <= to
                })
                .cloned()
                .collect(),
        }
    }
}

fn summarize(key: String, ts: &[&TicketFacts]) -> Summary {
    let count = |s: TicketState| ts.iter().filter(|t| t.end == Some(s)).count() as u32;
    let waits: Vec<f64> = ts.iter().filter_map(|t| t.wait_secs()).collect();
    let services: Vec<f64> = ts.iter().filter_map(|t| t.service_secs()).collect();
    let ratings: Vec<f64> = ts.iter().filter_map(|t| t.rating.map(f64::from)).collect();
    Summary {
        key,
        tickets: ts.len() as u32,
        transferred: ts.iter().filter(|t| t.transfers > 0).count() as u32,
        served: count(TicketState::Done),
        no_shows: count(TicketState::NoShow),
        cancelled: count(TicketState::Cancelled),
        wait_mean_secs: mean(&waits),
        wait_p90_secs: percentile(&waits, 0.9),
        service_mean_secs: mean(&services),
        service_p90_secs: percentile(&services, 0.9),
        requests: ts
            .iter()
            .filter(|t| t.outcome == Some(Outcome::RequestSubmitted))
            .count() as u32,
        ratings: ratings.len() as u32,
        rating_mean: mean(&ratings),
    }
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Nearest-rank percentile.
pub fn percentile(xs: &[f64], p: f64) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
    Some(v[rank - 1])
}

#[cfg(test)]
mod tests;

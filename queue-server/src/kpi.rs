//! Key figures derived from the event log alone: per ticket wait and service time, and their
//! summaries per service, counter, clerk, day and hour. Folding the same events always gives
//! the same figures; nothing here reads a clock.

use chrono::{NaiveDate, Timelike};
use chrono_tz::Tz;
use protocol::manager::{Report, ReportGrouping, ReportRow};
use protocol::{
    CounterId, Envelope, Event, Outcome, Priority, ServiceCode, TicketId, TicketState, Timestamp,
};
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

fn secs(d: chrono::Duration) -> f64 {
    d.num_milliseconds().max(0) as f64 / 1000.0
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
    pub served: u32,
    pub no_shows: u32,
    pub cancelled: u32,
    pub wait_mean_secs: Option<f64>,
    pub wait_p90_secs: Option<f64>,
    pub service_mean_secs: Option<f64>,
    pub service_p90_secs: Option<f64>,
}

impl From<Summary> for ReportRow {
    fn from(s: Summary) -> ReportRow {
        ReportRow {
            key: s.key,
            tickets: s.tickets,
            served: s.served,
            no_shows: s.no_shows,
            cancelled: s.cancelled,
            wait_mean_secs: s.wait_mean_secs,
            wait_p90_secs: s.wait_p90_secs,
            service_mean_secs: s.service_mean_secs,
            service_p90_secs: s.service_p90_secs,
        }
    }
}

#[derive(Default)]
pub struct Kpis {
    pub tickets: BTreeMap<TicketId, TicketFacts>,
    clerks: HashMap<CounterId, String>,
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
                    },
                );
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
            Event::TicketTransferred {
                ticket, to_service, ..
            } => {
                if let Some(t) = self.tickets.get_mut(ticket) {
                    t.service = to_service.clone();
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
        }
    }
}

/// One clerk's figures for the day so far, kept incrementally: the same rules as `Kpis`
/// (the clerk at the call is credited; service time from serving start, or the call, to the
/// finish), but holding only the tickets at counters, so the writer can keep it for every
/// clerk all day. `day_started` starts over.
#[derive(Default)]
pub struct ClerkTally {
    clerks: HashMap<CounterId, String>,
    /// Tickets at a counter: (clerk credited, call or return, serving start).
    at_counter: HashMap<TicketId, (Option<String>, Timestamp, Option<Timestamp>)>,
    totals: HashMap<String, ClerkTotals>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClerkTotals {
    pub served: u32,
    pub no_shows: u32,
    pub service_secs: f64,
}

impl ClerkTotals {
    pub fn service_mean_secs(&self) -> Option<f64> {
        (self.served > 0).then(|| self.service_secs / f64::from(self.served))
    }
}

impl ClerkTally {
    /// Starts from the counters open now (a counter opened before the day began keeps its
    /// clerk), then folds the day's events.
    pub fn new(open: impl IntoIterator<Item = (CounterId, String)>) -> ClerkTally {
        ClerkTally {
            clerks: open.into_iter().collect(),
            ..ClerkTally::default()
        }
    }

    pub fn fold(&mut self, env: &Envelope) {
        let at = env.at;
        match &env.event {
            Event::DayStarted { .. } => {
                self.at_counter.clear();
                self.totals.clear();
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
                self.at_counter.insert(*ticket, (clerk, at, None));
            }
            Event::ServiceStarted { ticket, .. } => {
                if let Some(t) = self.at_counter.get_mut(ticket) {
                    t.2 = Some(at);
                }
            }
            Event::TicketFinished { ticket, .. } => {
                if let Some((Some(clerk), called, started)) = self.at_counter.remove(ticket) {
                    let t = self.totals.entry(clerk).or_default();
                    t.served += 1;
                    t.service_secs += secs(at - started.unwrap_or(called));
                }
            }
            Event::TicketNoShow { ticket, .. } => {
                if let Some((Some(clerk), ..)) = self.at_counter.remove(ticket) {
                    self.totals.entry(clerk).or_default().no_shows += 1;
                }
            }
            // Parked tickets stay: a parked ticket comes back only through a return (a new
            // call time), and is otherwise cancelled.
            Event::TicketCancelled { ticket, .. } | Event::TicketTransferred { ticket, .. } => {
                self.at_counter.remove(ticket);
            }
            _ => {}
        }
    }

    pub fn of(&self, clerk: &str) -> ClerkTotals {
        self.totals.get(clerk).copied().unwrap_or_default()
    }
}

fn summarize(key: String, ts: &[&TicketFacts]) -> Summary {
    let count = |s: TicketState| ts.iter().filter(|t| t.end == Some(s)).count() as u32;
    let waits: Vec<f64> = ts.iter().filter_map(|t| t.wait_secs()).collect();
    let services: Vec<f64> = ts.iter().filter_map(|t| t.service_secs()).collect();
    Summary {
        key,
        tickets: ts.len() as u32,
        served: count(TicketState::Done),
        no_shows: count(TicketState::NoShow),
        cancelled: count(TicketState::Cancelled),
        wait_mean_secs: mean(&waits),
        wait_p90_secs: percentile(&waits, 0.9),
        service_mean_secs: mean(&services),
        service_p90_secs: percentile(&services, 0.9),
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
mod tests {
    use super::*;
    use protocol::{Ticket, TicketId};

    fn env(seq: u64, secs: i64, event: Event) -> Envelope {
        Envelope {
            seq,
            at: chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap(),
            actor: "test".into(),
            event,
        }
    }

    fn issued(id: u64, secs: i64) -> Event {
        let at = chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap();
        Event::TicketIssued {
            ticket: Box::new(Ticket {
                id: TicketId(id),
                service: "S".into(),
                number: id as u32,
                label: format!("A-{id:03}"),
                day: at.date_naive(),
                priority: Priority::Normal,
                state: TicketState::Waiting,
                issued_at: at,
                enqueued_at: at,
                front: false,
                assigned_counter: None,
                counter: None,
                first_called_at: None,
                called_at: None,
                serving_at: None,
                recalls: 0,
                transfers: 0,
                token: String::new(),
                issuer: "kiosk:k".into(),
                idempotency_key: None,
            }),
        }
    }

    #[test]
    fn the_clerk_tally_agrees_with_the_full_fold() {
        let t = TicketId;
        let events = vec![
            env(
                1,
                0,
                Event::CounterOpened {
                    counter: 1,
                    clerk: "mona".into(),
                },
            ),
            env(
                2,
                0,
                Event::CounterOpened {
                    counter: 2,
                    clerk: "ali".into(),
                },
            ),
            env(3, 1, issued(1, 1)),
            env(4, 2, issued(2, 2)),
            env(5, 3, issued(3, 3)),
            env(
                6,
                10,
                Event::TicketCalled {
                    ticket: t(1),
                    counter: 1,
                    out_of_order_reason: None,
                },
            ),
            env(
                7,
                40,
                Event::ServiceStarted {
                    ticket: t(1),
                    counter: 1,
                },
            ),
            env(
                8,
                100,
                Event::TicketFinished {
                    ticket: t(1),
                    counter: 1,
                    outcome: Outcome::Completed,
                    reference: None,
                },
            ),
            env(
                9,
                110,
                Event::TicketCalled {
                    ticket: t(2),
                    counter: 2,
                    out_of_order_reason: None,
                },
            ),
            env(
                10,
                130,
                Event::TicketNoShow {
                    ticket: t(2),
                    counter: 2,
                },
            ),
            env(
                11,
                140,
                Event::TicketCalled {
                    ticket: t(3),
                    counter: 1,
                    out_of_order_reason: None,
                },
            ),
            env(
                12,
                150,
                Event::TicketParked {
                    ticket: t(3),
                    counter: 1,
                    note: String::new(),
                },
            ),
            env(
                13,
                200,
                Event::TicketReturned {
                    ticket: t(3),
                    counter: 1,
                },
            ),
            env(
                14,
                230,
                Event::TicketFinished {
                    ticket: t(3),
                    counter: 1,
                    outcome: Outcome::Referred,
                    reference: None,
                },
            ),
        ];
        let full = Kpis::from_events(&events);
        let mut tally = ClerkTally::new([]);
        for e in &events {
            tally.fold(e);
        }
        for s in full.summary(GroupBy::Clerk) {
            let mine = tally.of(&s.key);
            assert_eq!(mine.served, s.served, "{}", s.key);
            assert_eq!(mine.no_shows, s.no_shows, "{}", s.key);
            assert_eq!(mine.service_mean_secs(), s.service_mean_secs, "{}", s.key);
        }
        assert_eq!(tally.of("mona").served, 2);
        assert_eq!(
            tally.of("mona").service_mean_secs(),
            Some((60.0 + 30.0) / 2.0)
        );
        assert_eq!(tally.of("ali").no_shows, 1);
        tally.fold(&env(
            15,
            300,
            Event::DayStarted {
                day: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            },
        ));
        assert_eq!(tally.of("mona"), ClerkTotals::default());
    }

    #[test]
    fn nearest_rank_percentile() {
        let xs: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&xs, 0.9), Some(9.0));
        assert_eq!(percentile(&xs, 0.5), Some(5.0));
        assert_eq!(percentile(&[], 0.9), None);
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use chrono::TimeZone;
    use protocol::CancelReason;

    /// 2026-11-22 (or the 23rd) at a Cairo wall-clock time (UTC+2).
    fn cairo(day: u32, h: u32, m: u32) -> Timestamp {
        chrono_tz::Africa::Cairo
            .with_ymd_and_hms(2026, 11, day, h, m, 0)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    fn issued(id: u64, at: Timestamp) -> Event {
        Event::TicketIssued {
            ticket: serde_json::from_value(serde_json::json!({
                "id": id, "service": "CIT-BIRTH", "number": id, "label": format!("A-{id:03}"),
                "day": "2026-11-22", "priority": "normal", "state": "waiting",
                "issued_at": at, "enqueued_at": at, "issuer": "kiosk:kiosk-1"
            }))
            .unwrap(),
        }
    }

    /// A hand-checked morning at one counter:
    ///
    /// | ticket | issued | called | started | ended          | wait  | service |
    /// |--------|--------|--------|---------|----------------|-------|---------|
    /// | A-001  | 09:00  | 09:02  | 09:03   | 09:08 finished | 120 s | 300 s   |
    /// | A-002  | 09:01  | 09:08  | —       | 09:10 finished | 420 s | 120 s (from the call) |
    /// | A-003  | 09:02  | 09:10  | —       | 09:12 no-show  | 480 s | —       |
    /// | A-004  | 09:03  | —      | —       | 09:20 cancelled| —     | —       |
    /// | A-005  | 10:05  | 10:06  | 10:06   | 10:16 finished |  60 s | 600 s   |
    /// | A-006  | 00:30 on the 23rd (22:30 UTC on the 22nd): outside a report of the 22nd |
    fn morning() -> Vec<Envelope> {
        let t = TicketId;
        let c = 1;
        let events = vec![
            (
                cairo(22, 8, 55),
                Event::CounterOpened {
                    counter: c,
                    clerk: "mona".into(),
                },
            ),
            (cairo(22, 9, 0), issued(1, cairo(22, 9, 0))),
            (cairo(22, 9, 1), issued(2, cairo(22, 9, 1))),
            (cairo(22, 9, 2), issued(3, cairo(22, 9, 2))),
            (
                cairo(22, 9, 2),
                Event::TicketCalled {
                    ticket: t(1),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (cairo(22, 9, 3), issued(4, cairo(22, 9, 3))),
            (
                cairo(22, 9, 3),
                Event::ServiceStarted {
                    ticket: t(1),
                    counter: c,
                },
            ),
            (
                cairo(22, 9, 8),
                Event::TicketFinished {
                    ticket: t(1),
                    counter: c,
                    outcome: Outcome::Completed,
                    reference: None,
                },
            ),
            (
                cairo(22, 9, 8),
                Event::TicketCalled {
                    ticket: t(2),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (
                cairo(22, 9, 10),
                Event::TicketFinished {
                    ticket: t(2),
                    counter: c,
                    outcome: Outcome::Referred,
                    reference: None,
                },
            ),
            (
                cairo(22, 9, 10),
                Event::TicketCalled {
                    ticket: t(3),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (
                cairo(22, 9, 12),
                Event::TicketNoShow {
                    ticket: t(3),
                    counter: c,
                },
            ),
            (
                cairo(22, 9, 20),
                Event::TicketCancelled {
                    ticket: t(4),
                    reason: CancelReason::Withdrawn,
                },
            ),
            (cairo(22, 10, 5), issued(5, cairo(22, 10, 5))),
            (
                cairo(22, 10, 6),
                Event::TicketCalled {
                    ticket: t(5),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (
                cairo(22, 10, 6),
                Event::ServiceStarted {
                    ticket: t(5),
                    counter: c,
                },
            ),
            (
                cairo(22, 10, 16),
                Event::TicketFinished {
                    ticket: t(5),
                    counter: c,
                    outcome: Outcome::Completed,
                    reference: None,
                },
            ),
            (cairo(23, 0, 30), issued(6, cairo(23, 0, 30))),
        ];
        events
            .into_iter()
            .enumerate()
            .map(|(i, (at, event))| Envelope {
                seq: i as u64 + 1,
                at,
                actor: "clerk:mona".into(),
                event,
            })
            .collect()
    }

    #[test]
    fn a_hand_checked_morning_gives_its_means_and_p90() {
        let k = Kpis::from_events(&morning());
        let cairo_tz = chrono_tz::Africa::Cairo;
        let day: NaiveDate = "2026-11-22".parse().unwrap();
        let r = k.report(cairo_tz, day, day);
        let total = &r.total;
        assert_eq!(
            (total.tickets, total.served, total.no_shows, total.cancelled),
            (5, 3, 1, 1)
        );
        // Waits 120, 420, 480, 60: mean 1080 / 4 = 270; p90 is rank ⌈0.9 × 4⌉ = 4 of
        // [60, 120, 420, 480] = 480.
        assert_eq!(total.wait_mean_secs, Some(270.0));
        assert_eq!(total.wait_p90_secs, Some(480.0));
        // Service 300, 120, 600: mean 340; p90 is rank ⌈2.7⌉ = 3 = 600.
        assert_eq!(total.service_mean_secs, Some(340.0));
        assert_eq!(total.service_p90_secs, Some(600.0));
        // Hours are local: 09 holds A-001..A-004 (waits 120, 420, 480: mean 340, p90 480).
        let hours: Vec<(&str, u32)> = r
            .by_hour
            .iter()
            .map(|h| (h.key.as_str(), h.tickets))
            .collect();
        assert_eq!(hours, [("09", 4), ("10", 1)]);
        assert_eq!(r.by_hour[0].wait_mean_secs, Some(340.0));
        assert_eq!(r.by_hour[0].wait_p90_secs, Some(480.0));
        assert_eq!(r.by_day.len(), 1);
        assert_eq!(r.by_day[0].key, "2026-11-22");
        assert_eq!(r.by_clerk[0].key, "mona");
        assert_eq!(r.by_clerk[0].tickets, 4, "A-004 never reached a clerk");
        assert_eq!(r.by_counter[0].key, "1");
        assert_eq!(r.by_service[0].key, "CIT-BIRTH");
        // The next local day holds A-006 only (in UTC it would fall on the 22nd).
        let next: NaiveDate = "2026-11-23".parse().unwrap();
        assert_eq!(k.report(cairo_tz, next, next).total.tickets, 1);
        assert_eq!(
            k.summary(GroupBy::Day)[0].tickets,
            6,
            "UTC days without a zone"
        );
    }
}

//! What the queue model learns from the log (ARCHITECTURE.md, "Estimates"): how long a counter
//! is occupied per call, per service and per counter and service; the clerk's pause between
//! releasing one ticket and calling the next; arrivals per service by local weekday and hour,
//! and their priority mix. Folded one event at a time (`Learned::fold`), so the server learns
//! at start-up by folding the log and then keeps learning from each committed batch. Pure: the
//! events carry their instants, the catalog carries the zone.

use chrono::{Datelike, NaiveDate, Timelike};
use hall_core::event::{Envelope, Event};
use hall_core::model::*;
use std::collections::HashMap;

/// Observations that weigh like the first: after this many, older ones fade exponentially,
/// so a service that got quicker (a new form, a trained clerk) is followed within a few days.
const WINDOW: f64 = 200.0;
/// Observations of one counter and service before they replace the service's own figure.
pub const PER_COUNTER_MIN: f64 = 20.0;
/// Weight of the catalog's expected minutes, counted as this many observations.
const PRIOR_WEIGHT: f64 = 5.0;
/// Coefficient of variation assumed before anything is observed.
const PRIOR_CV: f64 = 0.6;
/// The hall's calibration of the catalog (observed time ÷ the catalog's expected minutes,
/// over every call of every service) starts at 1 as if this many calls had agreed with it.
const CALIBRATION_WEIGHT: f64 = 3.0;
/// The calibration never scales the catalog by more than this, either way.
const CALIBRATION_MAX: f64 = 5.0;
/// A pause between a release and the next call longer than this is not the clerk's handling
/// time (a chat, an errand). The pause is measured from when the called ticket was there to
/// call: a counter that waited for an arrival was idle, not slow.
const GAP_MAX_SECS: f64 = 60.0;
/// Weekdays seen before weigh 7/8 when a new one is counted: about eight weeks of memory.
const WEEK_DECAY: f64 = 7.0 / 8.0;

/// A running mean and variance with exponential forgetting after `WINDOW` observations.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Observations so far, capped at `WINDOW`.
    pub n: f64,
    pub mean: f64,
    pub var: f64,
}

impl Stats {
    pub fn add(&mut self, x: f64) {
        self.n = (self.n + 1.0).min(WINDOW);
        let a = 1.0 / self.n;
        let d = x - self.mean;
        self.mean += a * d;
        self.var = (1.0 - a) * (self.var + a * d * d);
    }
}

/// A counter's occupation per call: mean and variance in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Occupation {
    pub mean: f64,
    pub var: f64,
}

#[derive(Clone, Debug)]
struct OpenCall {
    service: ServiceCode,
    counter: CounterId,
    at: Timestamp,
}

/// Arrivals of one service: expected tickets per local (weekday, hour), and the priority mix.
#[derive(Clone, Debug, Default)]
struct ArrivalCounts {
    /// Tickets issued on past days, decayed per weekday as `days` is, indexed [weekday][hour].
    per_hour: Box<[[f64; 24]; 7]>,
    /// Tickets issued today (the day of the last ticket) per local hour; added to `per_hour`
    /// when the next day begins. Kept apart so that today's hours still to come are not
    /// divided by a day that has not had them yet (it cost 30 % of the expected arrivals).
    today: [f64; 24],
    priorities: [f64; 4],
}

/// A counter's breaks: on what share of its days it pauses, when (local minute of the day)
/// and for how long, so that a lunch break taken every day is played forward.
#[derive(Clone, Debug, Default)]
struct PauseHabit {
    /// Days the counter opened, decayed as arrivals' weekdays are.
    days: f64,
    /// Of them, days with a break, decayed alike.
    breaks: f64,
    /// Local minute the day's first break began.
    start: Stats,
    /// Its length in minutes.
    length: Stats,
    opened_on: Option<NaiveDate>,
    /// Local minute the break in progress began.
    paused_at: Option<f64>,
    /// Today's first break is over (a second one is not the habit's).
    taken_today: bool,
}

/// How today's busyness is drawn toward the usual: today's arrivals so far over the usual
/// count by this instant is taken as (seen + K) / (expected + K), so the first tickets of a
/// day move the rest of the day's expected arrivals little and a whole busy morning does.
pub const TODAY_SHRINK: f64 = 40.0;
/// Today's busyness is taken within these bounds: the play's expected arrivals (and its cost,
/// which grows with them) stay within twice the usual, whatever today brought.
const TODAY_RATIO: (f64, f64) = (0.5, 2.0);

/// A counter that pauses on at least this share of its days has a habit worth playing.
const BREAK_SHARE: f64 = 0.5;
/// Breaks whose start wanders more than this (standard deviation, minutes) are not a habit.
const BREAK_SPREAD_MINUTES: f64 = 30.0;

#[derive(Clone, Debug)]
pub struct Learned {
    zone: chrono_tz::Tz,
    /// Coefficient of variation of the prior (`PRIOR_CV`).
    prior_cv: f64,
    /// Expected minutes per service, from the catalog (the prior).
    expected: HashMap<ServiceCode, f64>,
    per_service: HashMap<ServiceCode, Stats>,
    per_counter: HashMap<(CounterId, ServiceCode), Stats>,
    /// Calls observed, their seconds and their services' expected seconds (decayed like
    /// `Stats` after `WINDOW` calls): how far the whole catalog is off in this hall.
    calibration: (f64, f64, f64),
    gap: Stats,
    arrivals: HashMap<ServiceCode, ArrivalCounts>,
    /// Past days seen per local weekday (0 = Monday), decayed; today is not among them.
    days: [f64; 7],
    last_day: Option<NaiveDate>,
    /// Local hour of the last ticket issued today.
    last_hour: usize,
    /// Open tickets' services (a call does not name its service).
    services_of: HashMap<TicketId, ServiceCode>,
    calls: HashMap<TicketId, OpenCall>,
    released: HashMap<CounterId, Timestamp>,
    /// When each open ticket (re)entered its queue: issued, or transferred to a service.
    enqueued: HashMap<TicketId, Timestamp>,
    breaks: HashMap<CounterId, PauseHabit>,
}

impl Default for Learned {
    fn default() -> Self {
        Learned {
            zone: chrono_tz::UTC,
            prior_cv: PRIOR_CV,
            expected: HashMap::new(),
            per_service: HashMap::new(),
            per_counter: HashMap::new(),
            calibration: (0.0, 0.0, 0.0),
            gap: Stats::default(),
            arrivals: HashMap::new(),
            days: [0.0; 7],
            last_day: None,
            last_hour: 0,
            services_of: HashMap::new(),
            calls: HashMap::new(),
            released: HashMap::new(),
            enqueued: HashMap::new(),
            breaks: HashMap::new(),
        }
    }
}

fn priority_index(p: Priority) -> usize {
    match p {
        Priority::Normal => 0,
        Priority::Elderly => 1,
        Priority::Disabled => 2,
        Priority::Pregnant => 3,
    }
}

impl Learned {
    /// What is known before any event: the catalog's expected minutes and zone.
    pub fn from_catalog(catalog: &Catalog) -> Learned {
        let mut l = Learned::default();
        l.take_catalog(catalog);
        l
    }

    fn take_catalog(&mut self, catalog: &Catalog) {
        self.zone = hall_core::clock::zone(catalog);
        self.expected = catalog
            .services
            .iter()
            .map(|s| (s.code.clone(), f64::from(s.expected_minutes.max(1))))
            .collect();
    }

    pub fn zone(&self) -> chrono_tz::Tz {
        self.zone
    }

    /// Learns from one logged event.
    pub fn fold(&mut self, env: &Envelope) {
        let at = env.at;
        match &env.event {
            Event::CatalogLoaded { catalog } => self.take_catalog(catalog),
            Event::DayStarted { .. } => {
                self.services_of.clear();
                self.calls.clear();
                self.released.clear();
                self.enqueued.clear();
            }
            Event::TicketIssued { ticket } => {
                self.services_of.insert(ticket.id, ticket.service.clone());
                self.enqueued.insert(ticket.id, at);
                let local = at.with_timezone(&self.zone).naive_local();
                self.new_day(local.date());
                self.last_hour = local.hour() as usize;
                let a = self.arrivals.entry(ticket.service.clone()).or_default();
                a.today[local.hour() as usize] += 1.0;
                a.priorities[priority_index(ticket.priority)] += 1.0;
            }
            Event::TicketCalled {
                ticket, counter, ..
            }
            | Event::TicketReturned { ticket, counter } => {
                let enqueued = self.enqueued.remove(ticket);
                if matches!(env.event, Event::TicketCalled { .. })
                    && let Some(released) = self.released.remove(counter)
                {
                    // From the release, or from the ticket's arrival if the counter was
                    // waiting for it.
                    let since = enqueued.map_or(released, |q| q.max(released));
                    let gap = (at - since).num_milliseconds() as f64 / 1000.0;
                    if (0.0..=GAP_MAX_SECS).contains(&gap) {
                        self.gap.add(gap);
                    }
                }
                if let Some(service) = self.services_of.get(ticket) {
                    self.calls.insert(
                        *ticket,
                        OpenCall {
                            service: service.clone(),
                            counter: *counter,
                            at,
                        },
                    );
                }
            }
            Event::TicketFinished { ticket, .. }
            | Event::TicketNoShow { ticket, .. }
            | Event::TicketCancelled { ticket, .. } => {
                self.release(*ticket, at);
                self.services_of.remove(ticket);
                self.enqueued.remove(ticket);
            }
            Event::TicketParked { ticket, .. } => self.release(*ticket, at),
            Event::TicketTransferred {
                ticket,
                to_service,
                to_counter,
                ..
            } => {
                self.release(*ticket, at);
                self.services_of.insert(*ticket, to_service.clone());
                self.enqueued.insert(*ticket, at);
                // A transfer to a service queues like a new ticket of it: counted as an arrival.
                if to_counter.is_none() {
                    let local = at.with_timezone(&self.zone).naive_local();
                    self.new_day(local.date());
                    let a = self.arrivals.entry(to_service.clone()).or_default();
                    a.today[local.hour() as usize] += 1.0;
                }
            }
            Event::CounterOpened { counter, .. } => {
                let date = at.with_timezone(&self.zone).date_naive();
                let b = self.breaks.entry(*counter).or_default();
                if b.opened_on != Some(date) {
                    b.opened_on = Some(date);
                    b.days = b.days * WEEK_DECAY + 1.0;
                    b.breaks *= WEEK_DECAY;
                    b.taken_today = false;
                    b.paused_at = None;
                }
            }
            Event::CounterPaused { counter } => {
                self.released.remove(counter);
                let minute = self.local_minute(at);
                let b = self.breaks.entry(*counter).or_default();
                if !b.taken_today {
                    b.paused_at = Some(minute);
                }
            }
            Event::CounterResumed { counter } => {
                let minute = self.local_minute(at);
                let b = self.breaks.entry(*counter).or_default();
                if let Some(start) = b.paused_at.take() {
                    b.taken_today = true;
                    b.breaks += 1.0;
                    b.start.add(start);
                    b.length.add((minute - start).max(0.0));
                }
            }
            Event::CounterClosed { counter } => {
                self.released.remove(counter);
            }
            _ => {}
        }
    }

    /// A ticket of local day `date` came: if a new day began, the last one's counts join
    /// the past days of its weekday.
    fn new_day(&mut self, date: NaiveDate) {
        if self.last_day == Some(date) {
            return;
        }
        if let Some(last) = self.last_day {
            let wd = last.weekday().num_days_from_monday() as usize;
            self.days[wd] = self.days[wd] * WEEK_DECAY + 1.0;
            for a in self.arrivals.values_mut() {
                for (h, t) in a.per_hour[wd].iter_mut().zip(a.today.iter_mut()) {
                    *h = *h * WEEK_DECAY + *t;
                    *t = 0.0;
                }
            }
        }
        self.last_day = Some(date);
        self.last_hour = 0;
    }

    fn local_minute(&self, at: Timestamp) -> f64 {
        let local = at.with_timezone(&self.zone);
        f64::from(local.hour() * 60 + local.minute()) + f64::from(local.second()) / 60.0
    }

    /// The counter's usual break still ahead today, or in progress, as seconds after `now`
    /// (from, until); none if it has no habit or took today's break already.
    pub fn break_ahead(&self, counter: CounterId, now: Timestamp) -> Option<(f64, f64)> {
        let b = self.breaks.get(&counter)?;
        let habit = b.days > 0.0
            && b.breaks / b.days >= BREAK_SHARE
            && b.start.var.sqrt() <= BREAK_SPREAD_MINUTES;
        let today = now.with_timezone(&self.zone).date_naive();
        if !habit || b.opened_on != Some(today) {
            return None;
        }
        let minute = self.local_minute(now);
        if let Some(start) = b.paused_at {
            // Back after the usual length; one already longer than that, in a minute or two.
            let until = (start + b.length.mean).max(minute + 2.0);
            return Some((0.0, (until - minute) * 60.0));
        }
        let end = b.start.mean + b.length.mean;
        (!b.taken_today && minute < end).then(|| {
            (
                ((b.start.mean - minute) * 60.0).max(0.0),
                (end - minute) * 60.0,
            )
        })
    }

    /// A call ended (served, no-show, parked, transferred, withdrawn): the counter was
    /// occupied from the call until now.
    fn release(&mut self, ticket: TicketId, at: Timestamp) {
        let Some(call) = self.calls.remove(&ticket) else {
            return;
        };
        let secs = (at - call.at).num_milliseconds().max(0) as f64 / 1000.0;
        if let Some(minutes) = self.expected.get(&call.service) {
            let (n, observed, expected) = &mut self.calibration;
            if *n >= WINDOW {
                let keep = 1.0 - 1.0 / WINDOW;
                *observed *= keep;
                *expected *= keep;
            }
            *n = (*n + 1.0).min(WINDOW);
            *observed += secs;
            *expected += minutes * 60.0;
        }
        self.per_service
            .entry(call.service.clone())
            .or_default()
            .add(secs);
        self.per_counter
            .entry((call.counter, call.service))
            .or_default()
            .add(secs);
        self.released.insert(call.counter, at);
    }

    /// How far the catalog's expected minutes are off in this hall, learned from every call
    /// of every service: a center whose catalog says three times the real time learns it
    /// from its first calls, and its services not yet seen start from the corrected figure.
    pub fn calibration(&self) -> f64 {
        let (n, observed, expected) = self.calibration;
        if n <= 0.0 || expected <= 0.0 {
            return 1.0;
        }
        let pseudo = CALIBRATION_WEIGHT * expected / n;
        ((observed + pseudo) / (expected + pseudo)).clamp(1.0 / CALIBRATION_MAX, CALIBRATION_MAX)
    }

    /// How long a call of this service occupies this counter, the clerk's pause before the
    /// next call included: the counter's own figure once it has `PER_COUNTER_MIN`
    /// observations, else the service's, drawn toward the catalog's expected minutes while
    /// observations are few.
    pub fn occupation(&self, counter: Option<CounterId>, service: &str) -> Occupation {
        let prior_mean =
            self.expected.get(service).copied().unwrap_or(5.0) * 60.0 * self.calibration();
        let prior_var = (self.prior_cv * prior_mean).powi(2);
        let own = counter
            .and_then(|c| self.per_counter.get(&(c, service.to_string())))
            .filter(|s| s.n >= PER_COUNTER_MIN);
        let s = own
            .or_else(|| self.per_service.get(service))
            .copied()
            .unwrap_or_default();
        let (k, n) = (PRIOR_WEIGHT, s.n);
        let mean = (n * s.mean + k * prior_mean) / (n + k);
        // Pooled variance of the two sources, around the blended mean.
        let var = (n * (s.var + (s.mean - mean).powi(2))
            + k * (prior_var + (prior_mean - mean).powi(2)))
            / (n + k);
        Occupation {
            mean: mean + self.gap.mean,
            var: var + self.gap.var,
        }
    }

    /// The clerk's usual pause (seconds) between the moment a ticket can be called (its
    /// counter released the last one, or it arrived at an idle counter) and its call.
    pub fn pause_secs(&self) -> f64 {
        self.gap.mean
    }

    /// Every learned spread set to zero: each call lasts exactly its mean (hand-worked
    /// scenarios in tests).
    #[cfg(test)]
    pub(crate) fn zero_variance(&mut self) {
        self.prior_cv = 0.0;
        self.gap.var = 0.0;
        for s in self
            .per_service
            .values_mut()
            .chain(self.per_counter.values_mut())
        {
            s.var = 0.0;
        }
    }

    /// Observations of a service's occupation so far (capped at the window).
    pub fn observations(&self, service: &str) -> f64 {
        self.per_service.get(service).map(|s| s.n).unwrap_or(0.0)
    }

    /// Expected tickets per hour for a service at a local weekday (0 = Monday) and hour:
    /// the past days of that weekday, and today's counts where they are known: an hour of
    /// today already over counts as one more day; the hour in progress only raises the
    /// figure (it is still being counted); hours still to come are the past days' alone.
    pub fn arrivals_per_hour(&self, service: &str, weekday: usize, hour: usize) -> f64 {
        let (wd, h) = (weekday % 7, hour % 24);
        let days = self.days[wd];
        let Some(a) = self.arrivals.get(service) else {
            return 0.0;
        };
        let past = (days > 0.0).then(|| a.per_hour[wd][h] / days);
        let is_today = self
            .last_day
            .is_some_and(|d| d.weekday().num_days_from_monday() as usize == wd);
        let with_today = (a.per_hour[wd][h] + a.today[h]) / (days + 1.0);
        match (is_today, past) {
            (true, _) if h < self.last_hour => with_today,
            (true, Some(p)) if h == self.last_hour => p.max(with_today),
            (true, None) if h == self.last_hour => with_today,
            (_, p) => p.unwrap_or(0.0),
        }
    }

    /// How much busier today is than its weekday usually is by `now` (local): the tickets
    /// issued today so far (all services) over the past days' mean count by the same instant
    /// of the day, drawn toward 1 by `TODAY_SHRINK` (1 before today's first ticket or
    /// without a past day of this weekday). The play scales today's expected arrivals still
    /// to come by it; at most twice and at least half the usual.
    pub fn today_ratio(&self, now: Timestamp) -> f64 {
        let local = now.with_timezone(&self.zone).naive_local();
        let wd = local.weekday().num_days_from_monday() as usize;
        let days = self.days[wd];
        if self.last_day != Some(local.date()) || days <= 0.0 {
            return 1.0;
        }
        let hour = local.hour() as usize;
        let into_hour = f64::from(local.minute() * 60 + local.second()) / 3600.0;
        let (mut seen, mut expected) = (0.0, 0.0);
        for a in self.arrivals.values() {
            seen += a.today[..=hour].iter().sum::<f64>();
            expected += a.per_hour[wd][..hour].iter().sum::<f64>() / days
                + into_hour * a.per_hour[wd][hour] / days;
        }
        ((seen + TODAY_SHRINK) / (expected + TODAY_SHRINK)).clamp(TODAY_RATIO.0, TODAY_RATIO.1)
    }

    /// The share of each priority among a service's tickets (normal only, before any).
    pub fn priority_shares(&self, service: &str) -> [(Priority, f64); 4] {
        let counts = self
            .arrivals
            .get(service)
            .map(|a| a.priorities)
            .unwrap_or([1.0, 0.0, 0.0, 0.0]);
        let total: f64 = counts.iter().sum::<f64>().max(1e-9);
        let mut out = [(Priority::Normal, 0.0); 4];
        for (i, p) in Priority::ALL.iter().enumerate() {
            out[i] = (*p, counts[priority_index(*p)] / total);
        }
        out
    }

    /// Services with any arrival learned.
    pub fn services_with_arrivals(&self) -> impl Iterator<Item = &ServiceCode> {
        self.arrivals.keys()
    }
}

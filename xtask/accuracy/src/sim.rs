//! Simulated days of the sample center (Heliopolis, 52 services, 8 counters) driven through
//! the real engine (`decide`) and `apply`, on simulated time, seeded: arrivals with a morning
//! peak and a quiet afternoon, log-normal service times (each service's real mean off its
//! catalog figure, each clerk a little faster or slower), no-shows after a recall, priority
//! tickets, transfers to another service, and one counter pausing for lunch.
//!
//! Every ticket issued records what it was told: the receipt the server would send
//! (`queue_server::writer::receipt` with the queue model's figures, recomputed as the server's
//! estimator does: from the state before the ticket, learned from every event so far) and
//! today's old formula; and then how long it actually waited until its first call.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Timelike};
use hall_core::engine::{Actor, Command, day_change, decide};
use hall_core::error::ErrorCode;
use hall_core::role::Role;
use hall_core::{
    Catalog, CounterId, Envelope, Event, Outcome, Priority, State, TicketId, Timestamp, apply,
};
use hall_forecast::{Forecast, Learned, forecast};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Relative arrival intensity per local hour (08:30–15:00): a morning peak, a quiet afternoon.
const INTENSITY: [(u32, f64); 7] = [
    (8, 0.9),
    (9, 1.7),
    (10, 1.6),
    (11, 1.1),
    (12, 0.8),
    (13, 0.5),
    (14, 0.3),
];
/// Shares of priority tickets.
const PRIORITIES: [(Priority, f64); 3] = [
    (Priority::Elderly, 0.08),
    (Priority::Disabled, 0.02),
    (Priority::Pregnant, 0.02),
];
const NO_SHOW: f64 = 0.07;
/// Seconds a called citizen takes to reach the counter (uniform, the end excluded).
const WALK_SECS: (i64, i64) = (10, 40);
/// Seconds a clerk waits for a called citizen before recalling, and again before the no-show.
const RECALL_AFTER_SECS: i64 = 45;
/// Seconds an idle clerk (not `Conditions::instant`) waits before looking at the queue again.
const LOOK_AGAIN_SECS: i64 = 20;
const TRANSFER: f64 = 0.03;
/// Spread of a service's times around its mean (σ of the logarithm).
const SIGMA_LN: f64 = 0.45;
/// The counter that pauses for lunch, and when.
const LUNCH_COUNTER: CounterId = 5;
const LUNCH: (u32, u32) = (12 * 60, 12 * 60 + 40);

/// The hall's conditions beyond the sample center's usual weeks (the scenarios of
/// `estimate-accuracy --scenario`). The default is the usual weeks.
#[derive(Clone, Copy, Debug)]
pub struct Conditions {
    /// Each service's real mean over the catalog's expected minutes (on top of the usual
    /// ±30 %): 3.0 when the catalog says a third of the real time, 1/3 when three times.
    pub expected_factor: f64,
    /// Arrivals times this factor from this local minute for 15 minutes, on measured days
    /// only (a burst nobody saw coming).
    pub burst: Option<(u32, f64)>,
    /// Clerks call the next ticket the instant they are free, and the instant a citizen
    /// arrives when nobody was waiting (the usual clerk pauses 3–15 s and looks again every
    /// 20 s when the queue is empty).
    pub instant: bool,
}

impl Default for Conditions {
    fn default() -> Self {
        Conditions {
            expected_factor: 1.0,
            burst: None,
            instant: false,
        }
    }
}

/// The small hall of `estimate-accuracy --scenario overlapping`: three services of the sample
/// center (6, 8 and 8 minutes) at three counters that share them with different weights, as
/// a first-floor hall of a small center runs them. Window 1 favours tenancy, Window 2 the
/// radio licence, Window 3 utilities; each also takes one or two of the others.
pub fn overlapping_hall(mut catalog: Catalog) -> Catalog {
    let (a, b, c) = ("CIT-TNT", "CIT-RDO", "CIT-UTL");
    catalog
        .services
        .retain(|s| [a, b, c].contains(&s.code.as_str()));
    let profiles: [(CounterId, &[(&str, f64)]); 3] = [
        (1, &[(a, 3.0), (b, 1.0)]),
        (2, &[(b, 3.0), (c, 1.0)]),
        (3, &[(c, 2.0), (a, 1.0), (b, 1.0)]),
    ];
    catalog.counters.retain(|k| k.id <= 3);
    for k in &mut catalog.counters {
        if let Some((_, p)) = profiles.iter().find(|(id, _)| *id == k.id) {
            k.profile = p
                .iter()
                .map(|(service, weight)| hall_core::ProfileEntry {
                    service: service.to_string(),
                    weight: *weight,
                })
                .collect();
        }
    }
    catalog
}

/// Length of a burst.
const BURST_MINUTES: u32 = 15;

/// What one ticket was told, and what followed.
#[derive(Clone, Debug)]
pub struct Outcome1 {
    pub issued: Timestamp,
    /// Local hour of issue.
    pub hour: u32,
    pub service: String,
    pub priority: Priority,
    /// People ahead on the receipt.
    pub ahead: Option<u32>,
    /// The model's estimate, 10th and 90th percentiles (seconds); none without a counter.
    pub model: Option<(u64, u64, u64)>,
    pub old: Option<u64>,
    /// Seconds until its first call; none if never called (cancelled at the day's end).
    pub waited: Option<u64>,
    /// Measured (after the learning weeks).
    pub measured: bool,
    /// The wait's median and mean over replays of the rest of the day from its issue with
    /// fresh chances (`oracle.rs`); none unless asked for.
    pub oracle: Option<(f64, f64)>,
    /// While it waited: (seconds since issue, the model's remaining wait then), at each
    /// recompute (the figure its page showed).
    pub later: Vec<(u64, u64)>,
}

impl Outcome1 {
    /// The wait as the model saw it about halfway through the real one: seconds already
    /// waited plus the remaining estimate, from the recompute nearest half the wait.
    pub fn halfway(&self) -> Option<u64> {
        let half = self.waited? / 2;
        self.later
            .iter()
            .min_by_key(|(at, _)| at.abs_diff(half))
            .filter(|(at, _)| at.abs_diff(half) <= half.max(60) / 2)
            .map(|(at, remaining)| at + remaining)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Act {
    Arrive,
    Ready(CounterId),
    /// An idle clerk looks at the queue again (`LOOK_AGAIN_SECS` after finding it empty).
    Look(CounterId),
    Show(CounterId),
    Recall(CounterId),
    Gone(CounterId),
    Done(CounterId),
    Resume(CounterId),
    Close,
}

pub struct Sim {
    pub state: State,
    pub learned: Learned,
    catalog: Catalog,
    zone: chrono_tz::Tz,
    rng: StdRng,
    now: Timestamp,
    queue: BinaryHeap<Reverse<(i64, u64, Act)>>,
    order: u64,
    seq: u64,
    /// Real mean seconds per service, and each counter's speed factor.
    mean: HashMap<String, f64>,
    speed: HashMap<CounterId, f64>,
    /// Relative popularity of each service.
    popularity: Vec<(String, f64)>,
    per_day: f64,
    forecast: Forecast,
    pub tickets: HashMap<TicketId, Outcome1>,
    measuring: bool,
    lunch_taken: bool,
    /// Replays per sampled ticket for the oracle, and every how many tickets one is sampled.
    pub oracle_replays: usize,
    pub oracle_every: u64,
    /// This simulation is an oracle's replay: no estimates, no learning.
    replay: bool,
    cond: Conditions,
    /// Counters whose clerk waits for the next arrival (`Conditions::instant`).
    idle: Vec<CounterId>,
}

mod oracle;

fn clerk(c: CounterId) -> Actor {
    Actor::new(Role::Clerk, format!("clerk{c}"))
}

impl Sim {
    pub fn new(catalog: Catalog, seed: u64, per_day: f64) -> Sim {
        Self::with(catalog, seed, per_day, Conditions::default())
    }

    pub fn with(catalog: Catalog, seed: u64, per_day: f64, cond: Conditions) -> Sim {
        let mut rng = StdRng::seed_from_u64(seed);
        let zone = hall_core::clock::zone(&catalog);
        let mut mean = HashMap::new();
        let mut popularity = Vec::new();
        for s in &catalog.services {
            let real = f64::from(s.expected_minutes.max(1))
                * 60.0
                * rng.random_range(0.7..1.3)
                * cond.expected_factor;
            mean.insert(s.code.clone(), real);
            // Demand in proportion to the counter time the profiles give the service.
            let share: f64 = catalog
                .counters
                .iter()
                .filter_map(|c| {
                    let w = c.profile.iter().find(|p| p.service == s.code)?.weight;
                    let total: f64 = c.profile.iter().map(|p| p.weight).sum();
                    Some(w / total)
                })
                .sum();
            popularity.push((s.code.clone(), share / real * rng.random_range(0.5..1.5)));
        }
        let speed = catalog
            .counters
            .iter()
            .map(|c| (c.id, rng.random_range(0.85..1.15)))
            .collect();
        let mut sim = Sim {
            state: State::default(),
            learned: Learned::from_catalog(&catalog),
            catalog: catalog.clone(),
            zone,
            rng,
            now: Timestamp::default(),
            queue: BinaryHeap::new(),
            order: 0,
            seq: 0,
            mean,
            speed,
            popularity,
            per_day,
            forecast: Forecast::default(),
            tickets: HashMap::new(),
            measuring: false,
            lunch_taken: false,
            oracle_replays: 0,
            oracle_every: 1,
            replay: false,
            cond,
            idle: Vec::new(),
        };
        sim.now = zone
            .with_ymd_and_hms(2026, 11, 1, 7, 0, 0)
            .single()
            .expect("a valid start")
            .with_timezone(&chrono::Utc);
        // The sample catalog is valid: loading it cannot be refused.
        let _ = sim.run(
            &Actor::system(),
            Command::LoadCatalog {
                catalog: Box::new(catalog),
            },
        );
        sim
    }

    fn at_local(&self, day: NaiveDate, minutes: u32) -> Timestamp {
        self.zone
            .from_local_datetime(
                &day.and_hms_opt(minutes / 60, minutes % 60, 0)
                    .expect("time"),
            )
            .single()
            .expect("no DST gap at these hours")
            .with_timezone(&chrono::Utc)
    }

    fn schedule(&mut self, at: Timestamp, act: Act) {
        self.order += 1;
        self.queue
            .push(Reverse((at.timestamp_millis(), self.order, act)));
    }

    /// Decides and applies a command as the writer does; the events, or the refusal.
    fn run(&mut self, actor: &Actor, command: Command) -> Result<Vec<Event>, ErrorCode> {
        if !matches!(
            command,
            Command::LoadCatalog { .. } | Command::StartDay { .. }
        ) && let Some(day) = day_change(&self.state, self.now)
        {
            let _ = self.run(&Actor::system(), day);
        }
        let events = decide(&self.state, actor, &command, self.now).map_err(|e| e.code)?;
        for event in &events {
            self.seq += 1;
            let env = Envelope {
                seq: self.seq,
                at: self.now,
                actor: actor.label(),
                event: event.clone(),
            };
            if let Event::TicketCalled { ticket, .. } = event
                && let Some(t) = self.tickets.get_mut(ticket)
                && t.waited.is_none()
            {
                t.waited = Some((self.now - t.issued).num_seconds().max(0) as u64);
            }
            if !self.replay {
                self.learned.fold(&env);
            }
            apply(&mut self.state, &env);
        }
        Ok(events)
    }

    fn draw_service(&mut self, local_minutes: u32, day: NaiveDate) -> Option<String> {
        let local = day.and_hms_opt(local_minutes / 60, local_minutes % 60, 0)?;
        let open: Vec<(String, f64)> = self
            .popularity
            .iter()
            .filter(|(code, _)| {
                self.catalog
                    .services
                    .iter()
                    .any(|s| &s.code == code && hall_core::clock::accepting(s, local))
            })
            .cloned()
            .collect();
        let total: f64 = open.iter().map(|o| o.1).sum();
        let mut pick = self.rng.random::<f64>() * total;
        open.into_iter()
            .find(|(_, w)| {
                pick -= w;
                pick <= 0.0
            })
            .map(|(c, _)| c)
    }

    fn service_secs(&mut self, service: &str, counter: CounterId) -> f64 {
        let mean = self.mean.get(service).copied().unwrap_or(600.0) * self.speed[&counter];
        let mu = mean.ln() - SIGMA_LN * SIGMA_LN / 2.0;
        let (u1, u2): (f64, f64) = (self.rng.random::<f64>().max(1e-12), self.rng.random());
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        (mu + SIGMA_LN * z).exp()
    }

    fn think(&mut self) -> Duration {
        if self.cond.instant {
            return Duration::zero();
        }
        Duration::milliseconds((self.rng.random_range(3.0..15.0) * 1000.0) as i64)
    }

    /// Arrivals from `from` until `end`: a Poisson process thinned to the hour's intensity.
    fn schedule_arrivals(&mut self, from: Timestamp, end: Timestamp) {
        let usual_peak = INTENSITY.iter().map(|i| i.1).fold(0.0, f64::max);
        let mean_intensity: f64 = INTENSITY.iter().map(|i| i.1).sum::<f64>() / 6.5;
        // Replays happen on measured days only: they see the burst too.
        let burst = self.cond.burst.filter(|_| self.measuring || self.replay);
        let peak = usual_peak * burst.map_or(1.0, |b| b.1.max(1.0));
        let rate_peak = self.per_day / 6.5 / mean_intensity * peak / 3600.0;
        let mut t = from;
        loop {
            let gap = -(self.rng.random::<f64>().max(1e-12)).ln() / rate_peak;
            t += Duration::milliseconds((gap * 1000.0) as i64);
            if t >= end {
                break;
            }
            let local = t.with_timezone(&self.zone);
            let hour = local.hour();
            let minute = hour * 60 + local.minute();
            let mut i = INTENSITY
                .iter()
                .find(|x| x.0 == hour)
                .map(|x| x.1)
                .unwrap_or(0.0);
            if let Some((from, factor)) = burst
                && (from..from + BURST_MINUTES).contains(&minute)
            {
                i *= factor;
            }
            if self.rng.random::<f64>() < i / peak {
                self.schedule(t, Act::Arrive);
            }
        }
    }

    /// One working day: counters open at 08:30, arrivals until 15:00, every counter closes
    /// when its last ticket is done.
    pub fn day(&mut self, day: NaiveDate, measured: bool) {
        self.measuring = measured;
        self.lunch_taken = false;
        self.now = self.at_local(day, 8 * 60 + 25);
        let counters: Vec<CounterId> = self.catalog.counters.iter().map(|c| c.id).collect();
        for c in &counters {
            let _ = self.run(&clerk(*c), Command::OpenCounter { counter: *c });
            self.schedule(self.at_local(day, 8 * 60 + 30), Act::Ready(*c));
        }
        let (start, end) = (self.at_local(day, 8 * 60 + 30), self.at_local(day, 15 * 60));
        self.schedule_arrivals(start, end);
        self.schedule(end, Act::Close);
        while let Some(Reverse((ms, _, act))) = self.queue.pop() {
            self.now = chrono::DateTime::from_timestamp_millis(ms).expect("a valid instant");
            self.step(act, day);
        }
    }

    fn step(&mut self, act: Act, day: NaiveDate) {
        let local = self.now.with_timezone(&self.zone);
        let minutes = local.hour() * 60 + local.minute();
        match act {
            Act::Arrive => self.arrive(minutes, day),
            Act::Ready(c) | Act::Look(c) => {
                let closing = minutes >= 15 * 60;
                if c == LUNCH_COUNTER
                    && !self.lunch_taken
                    && minutes >= LUNCH.0
                    && minutes < LUNCH.1
                {
                    self.lunch_taken = true;
                    let _ = self.run(&clerk(c), Command::PauseCounter { counter: c });
                    let back = self.at_local(day, LUNCH.1);
                    self.schedule(back, Act::Resume(c));
                    return;
                }
                match self.run(&clerk(c), Command::CallNext { counter: c }) {
                    Ok(_) => {
                        let walk =
                            Duration::seconds(self.rng.random_range(WALK_SECS.0..WALK_SECS.1));
                        if self.rng.random::<f64>() < NO_SHOW {
                            self.schedule(
                                self.now + Duration::seconds(RECALL_AFTER_SECS),
                                Act::Recall(c),
                            );
                        } else {
                            self.schedule(self.now + walk, Act::Show(c));
                        }
                    }
                    Err(ErrorCode::QueueEmpty) if closing => {
                        let _ = self.run(&clerk(c), Command::CloseCounter { counter: c });
                    }
                    // Nothing for this counter: the clerk waits for the next arrival.
                    Err(_) if self.cond.instant => {
                        if !self.idle.contains(&c) {
                            self.idle.push(c);
                        }
                    }
                    // Nothing for this counter: the clerk looks again shortly.
                    Err(_) => {
                        self.schedule(self.now + Duration::seconds(LOOK_AGAIN_SECS), Act::Look(c))
                    }
                }
            }
            Act::Recall(c) => {
                let _ = self.run(&clerk(c), Command::Recall { counter: c });
                self.schedule(
                    self.now + Duration::seconds(RECALL_AFTER_SECS),
                    Act::Gone(c),
                );
            }
            Act::Gone(c) => {
                let _ = self.run(&clerk(c), Command::NoShow { counter: c });
                let next = self.now + self.think();
                self.schedule(next, Act::Ready(c));
            }
            Act::Show(c) => {
                let _ = self.run(&clerk(c), Command::StartServing { counter: c });
                let service = self
                    .state
                    .counters
                    .get(&c)
                    .and_then(|k| k.ticket)
                    .and_then(|t| self.state.tickets.get(&t))
                    .map(|t| t.service.clone())
                    .unwrap_or_default();
                let secs = self.service_secs(&service, c);
                self.schedule(
                    self.now + Duration::milliseconds((secs * 1000.0) as i64),
                    Act::Done(c),
                );
            }
            Act::Done(c) => {
                let transfer = self.rng.random::<f64>() < TRANSFER;
                let target = transfer
                    .then(|| self.draw_service(minutes.min(14 * 60), day))
                    .flatten();
                let command = match target {
                    Some(service) => Command::Transfer {
                        counter: Some(c),
                        ticket: None,
                        target: hall_core::command::TransferTarget::Service { service },
                        position: hall_core::command::Position::Back,
                    },
                    None => Command::finish(c, Outcome::Completed),
                };
                if self.run(&clerk(c), command).is_err() {
                    let _ = self.run(&clerk(c), Command::finish(c, Outcome::Completed));
                }
                let next = self.now + self.think();
                self.schedule(next, Act::Ready(c));
            }
            Act::Resume(c) => {
                let _ = self.run(&clerk(c), Command::ResumeCounter { counter: c });
                self.schedule(self.now, Act::Ready(c));
            }
            // The idle clerks close up.
            Act::Close => self.wake_idle(),
        }
    }

    /// Clerks waiting for an arrival look at once.
    fn wake_idle(&mut self) {
        for c in std::mem::take(&mut self.idle) {
            self.schedule(self.now, Act::Ready(c));
        }
    }

    fn arrive(&mut self, minutes: u32, day: NaiveDate) {
        let Some(service) = self.draw_service(minutes, day) else {
            return;
        };
        // After this arrival is issued (the same instant, scheduled after it).
        self.wake_idle();
        let mut priority = Priority::Normal;
        let mut pick = self.rng.random::<f64>();
        for (p, share) in PRIORITIES {
            pick -= share;
            if pick < 0.0 {
                priority = p;
                break;
            }
        }
        if self.replay {
            let _ = self.run(
                &Actor::new(Role::Kiosk, "kiosk-1"),
                Command::IssueTicket {
                    service,
                    priority,
                    idempotency_key: String::new(),
                    token: format!("t{}", self.seq),
                },
            );
            return;
        }
        // The estimator's figures as the server would hold them: from the state before this
        // ticket (recomputed on every change, off the writer's path).
        if self.forecast.seq != self.state.seq {
            self.forecast = forecast(&self.state, &self.learned, self.now);
            // What each measured ticket still waiting was told now (its page).
            if self.measuring {
                for (id, w) in &self.forecast.tickets {
                    if let Some(t) = self.tickets.get_mut(id)
                        && t.waited.is_none()
                    {
                        let since = (self.now - t.issued).num_seconds().max(0) as u64;
                        t.later.push((since, w.expected_secs));
                    }
                }
            }
        }
        let token = format!("t{}", self.seq);
        let Ok(events) = self.run(
            &Actor::new(Role::Kiosk, "kiosk-1"),
            Command::IssueTicket {
                service,
                priority,
                idempotency_key: String::new(),
                token,
            },
        ) else {
            return; // a daily limit reached
        };
        let Some(id) = events.iter().find_map(|e| match e {
            Event::TicketIssued { ticket } => Some(ticket.id),
            _ => None,
        }) else {
            return;
        };
        let t = self.state.tickets[&id].clone();
        let receipt = queue_server::writer::receipt(&self.state, &t, self.now, &self.forecast);
        let wait = receipt.wait();
        let model = wait.map(|w| (w.expected_secs, w.low_secs, w.high_secs));
        let old = crate::old::estimate(&self.state, &t, self.now);
        let hour = self.now.with_timezone(&self.zone).hour();
        self.tickets.insert(
            id,
            Outcome1 {
                issued: self.now,
                hour,
                service: t.service.clone(),
                priority: t.priority,
                ahead: wait.map(|w| w.ahead),
                model,
                old,
                waited: None,
                measured: self.measuring,
                oracle: None,
                later: Vec::new(),
            },
        );
        if self.measuring && self.oracle_replays > 0 && id.0 % self.oracle_every == 0 {
            let oracle = self.oracle(id, day);
            if let Some(t) = self.tickets.get_mut(&id) {
                t.oracle = oracle;
            }
        }
    }

    /// A hall at 10:00 on `day` with every counter open and busy and `waiting` tickets
    /// waiting (issued over the hour before, priorities and services as in the days): the
    /// recompute benchmark's hall. The instant it stands at.
    pub fn busy_hall(&mut self, day: NaiveDate, waiting: usize) -> Timestamp {
        let start = self.at_local(day, 9 * 60);
        let counters: Vec<CounterId> = self.catalog.counters.iter().map(|c| c.id).collect();
        self.now = start;
        for c in &counters {
            let _ = self.run(&clerk(*c), Command::OpenCounter { counter: *c });
        }
        for i in 0..waiting {
            self.now = start + Duration::milliseconds((3_600_000 * i / waiting.max(1)) as i64);
            let minutes = 9 * 60 + (60 * i / waiting.max(1)) as u32;
            if let Some(service) = self.draw_service(minutes, day) {
                let _ = self.run(
                    &Actor::new(Role::Kiosk, "kiosk-1"),
                    Command::IssueTicket {
                        service,
                        priority: if i % 10 == 0 {
                            Priority::Elderly
                        } else {
                            Priority::Normal
                        },
                        idempotency_key: String::new(),
                        token: format!("b{i}"),
                    },
                );
            }
        }
        self.now = self.at_local(day, 10 * 60);
        for c in &counters {
            let _ = self.run(&clerk(*c), Command::CallNext { counter: *c });
        }
        self.now
    }

    /// The working days (Sunday to Thursday) from the start, `weeks` of them.
    pub fn working_days(weeks: u32) -> Vec<NaiveDate> {
        let start = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
        (0..weeks * 7)
            .map(|d| start + Duration::days(i64::from(d)))
            .filter(|d| !matches!(d.weekday(), chrono::Weekday::Fri | chrono::Weekday::Sat))
            .collect()
    }
}

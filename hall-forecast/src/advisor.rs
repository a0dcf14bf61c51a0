//! The staffing advisor (ARCHITECTURE.md, "The staffing advisor"); advisory only.
//!
//! *Now*: the play of the model (`play`) over the next hour with the counters staffed now,
//! expected arrivals included; if some ticket would wait longer than the manager's target,
//! closed counters are opened one at a time in the play (each time the one that shortens the
//! longest wait most) until the target holds or none is left.
//!
//! *Tomorrow*: per local hour and service, the learned arrival rate and service time; a
//! seeded simulation of that hour (Poisson arrivals, log-normal service, first come first
//! served on c counters) finds the fewest counters whose 90th-percentile wait stays within the
//! target; Erlang C (the M/M/c formula) gives the same figure analytically beside it, as a
//! cross-check. The hour's total is the same simulation with every service pooled on
//! counters that serve them all (shared counters need fewer than the sum).

use super::learn::Learned;
use super::{PlayOptions, play_waits};
use chrono::{Datelike, Duration, NaiveDate};
use hall_core::model::*;
use hall_core::state::State;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// The share of tickets that may wait longer than the target in the plan for tomorrow.
pub const PLAN_PERCENTILE: f64 = 0.9;
/// Simulated repetitions of each hour.
const REPS: usize = 24;
/// Most counters the plan considers for one service in one hour.
const MAX_COUNTERS: u32 = 40;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterToOpen {
    pub counter: CounterId,
    pub name: Names,
    /// The services over the target that this counter's profile serves.
    pub services: Vec<ServiceCode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NowAdvice {
    /// The longest wait the model expects in the next hour with the counters staffed now.
    pub longest_wait_secs: u64,
    /// Services whose tickets would wait longer than the target.
    pub over_target: Vec<ServiceCode>,
    /// Counters to open, in order; empty when the target holds already.
    pub open: Vec<CounterToOpen>,
    /// The longest wait with those counters open too.
    pub longest_after_secs: u64,
    /// Whether the target holds with them (false: even every counter is not enough).
    pub reachable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceNeed {
    pub service: ServiceCode,
    pub arrivals: f64,
    /// Fewest counters for the target, by simulation.
    pub counters: u32,
    /// The same by Erlang C.
    pub erlang_c: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HourNeed {
    pub hour: u32,
    pub arrivals: f64,
    /// All services pooled, by simulation.
    pub counters: u32,
    pub erlang_c: u32,
    pub services: Vec<ServiceNeed>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    pub day: NaiveDate,
    pub hours: Vec<HourNeed>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffingAdvice {
    pub target_minutes: u32,
    pub now: NowAdvice,
    pub tomorrow: DayPlan,
}

const HOUR: f64 = 3600.0;

/// The longest wait of the next hour in a play with these extra counters open, and the
/// services whose tickets exceed the target.
fn longest(
    state: &State,
    learned: &Learned,
    now: Timestamp,
    extra: &[CounterId],
    target: f64,
) -> (f64, Vec<ServiceCode>) {
    let opts = PlayOptions {
        extra_counters: extra.to_vec(),
        arrivals: true,
        probes: false,
        // Long enough that tickets arriving within the hour are called in it.
        horizon_secs: 3.0 * HOUR,
    };
    let super::Waits { arrivals, waiting } = play_waits(state, learned, now, &opts);
    let mut worst = 0.0f64;
    let mut over: Vec<ServiceCode> = Vec::new();
    let mut note = |service: &str, wait: f64| {
        worst = worst.max(wait);
        if wait > target && !over.iter().any(|s| s == service) {
            over.push(service.to_string());
        }
    };
    for t in state.tickets.values() {
        if t.state != TicketState::Waiting {
            continue;
        }
        let served = state.counters.values().any(|c| {
            (c.is_staffed() || extra.contains(&c.id)) && c.weight_of(&t.service).is_some()
        });
        // No counter open for it, or not called within the play's horizon: at least that
        // long (a service nobody serves is the first to need a counter).
        let wait = match served {
            true => waiting.get(&t.id).copied().unwrap_or(opts.horizon_secs),
            false => opts.horizon_secs,
        };
        note(&t.service, wait);
    }
    for (service, came, wait) in &arrivals {
        if *came <= HOUR {
            note(service, *wait);
        }
    }
    over.sort();
    (worst, over)
}

/// What to open now to keep every wait of the next hour within `target_minutes`.
pub fn advise_now(
    state: &State,
    learned: &Learned,
    now: Timestamp,
    target_minutes: u32,
) -> NowAdvice {
    let target = f64::from(target_minutes) * 60.0;
    let (first, over) = longest(state, learned, now, &[], target);
    let mut open: Vec<CounterToOpen> = Vec::new();
    let mut extra: Vec<CounterId> = Vec::new();
    let (mut worst, mut still_over) = (first, over.clone());
    while worst > target {
        let best = state
            .counters
            .values()
            .filter(|c| !c.is_staffed() && !extra.contains(&c.id))
            .filter(|c| still_over.iter().any(|s| c.weight_of(s).is_some()))
            .map(|c| {
                let mut with = extra.clone();
                with.push(c.id);
                (c, longest(state, learned, now, &with, target))
            })
            .min_by(|a, b| a.1.0.total_cmp(&b.1.0));
        let Some((c, (w, o))) = best else { break };
        open.push(CounterToOpen {
            counter: c.id,
            name: c.name.clone(),
            services: still_over
                .iter()
                .filter(|s| c.weight_of(s).is_some())
                .cloned()
                .collect(),
        });
        extra.push(c.id);
        (worst, still_over) = (w, o);
    }
    NowAdvice {
        longest_wait_secs: first.round() as u64,
        over_target: over,
        open,
        longest_after_secs: worst.round() as u64,
        reachable: worst <= target,
    }
}

/// Erlang C: the probability that an arrival waits, `c` servers, offered load `a` Erlangs.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if a <= 0.0 {
        return 0.0;
    }
    if f64::from(c) <= a {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

/// Fewest counters for which P(wait > target) ≤ 1 − `PLAN_PERCENTILE` by Erlang C.
pub fn erlang_c_counters(per_hour: f64, mean_secs: f64, target_secs: f64) -> u32 {
    let a = per_hour * mean_secs / HOUR;
    if a <= 0.0 {
        return 0;
    }
    (1..=MAX_COUNTERS * 4)
        .find(|&c| {
            f64::from(c) > a
                && erlang_c(c, a) * (-(f64::from(c) - a) * target_secs / mean_secs).exp()
                    <= 1.0 - PLAN_PERCENTILE
        })
        .unwrap_or(MAX_COUNTERS * 4)
}

/// Log-normal draws with a given mean and variance.
struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    fn new(mean: f64, var: f64) -> LogNormal {
        let mean = mean.max(1.0);
        let s2 = (1.0 + var.max(0.0) / (mean * mean)).ln();
        LogNormal {
            mu: mean.ln() - s2 / 2.0,
            sigma: s2.sqrt(),
        }
    }
    fn draw(&self, rng: &mut StdRng) -> f64 {
        // Box–Muller.
        let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        (self.mu + self.sigma * z).exp()
    }
}

/// The `PLAN_PERCENTILE` wait of an hour of Poisson arrivals (a mix of service-time
/// distributions, each with its rate) on `c` counters, first come first served.
fn simulated_percentile(mix: &[(f64, LogNormal)], c: u32, seed: u64) -> f64 {
    let total: f64 = mix.iter().map(|m| m.0).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut waits: Vec<f64> = Vec::new();
    for _ in 0..REPS {
        let mut free = vec![0.0f64; c as usize];
        let mut t = 0.0;
        loop {
            t += -(rng.random::<f64>().max(1e-12)).ln() * HOUR / total;
            if t > HOUR {
                break;
            }
            let mut pick = rng.random::<f64>() * total;
            let dist = mix
                .iter()
                .find(|m| {
                    pick -= m.0;
                    pick <= 0.0
                })
                .unwrap_or(&mix[mix.len() - 1]);
            let (k, at) = free
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map(|(k, f)| (k, *f))
                .expect("at least one counter");
            let start = at.max(t);
            waits.push(start - t);
            free[k] = start + dist.1.draw(&mut rng);
        }
    }
    if waits.is_empty() {
        return 0.0;
    }
    waits.sort_by(f64::total_cmp);
    let i = ((waits.len() as f64 * PLAN_PERCENTILE).ceil() as usize).clamp(1, waits.len()) - 1;
    waits[i]
}

fn counters_for(mix: &[(f64, LogNormal)], load: f64, target: f64, seed: u64) -> u32 {
    if load <= 0.0 {
        return 0;
    }
    let from = (load.ceil() as u32).max(1);
    (from..=from + MAX_COUNTERS)
        .find(|&c| simulated_percentile(mix, c, seed) <= target)
        .unwrap_or(from + MAX_COUNTERS)
}

/// Counters needed per hour of `day` (a local date) and per service, from the learned
/// arrival pattern of its weekday.
pub fn plan_day(state: &State, learned: &Learned, day: NaiveDate, target_minutes: u32) -> DayPlan {
    let target = f64::from(target_minutes) * 60.0;
    let wd = day.weekday().num_days_from_monday() as usize;
    let mut hours = Vec::new();
    for hour in 0..24u32 {
        let mut services = Vec::new();
        let mut mix = Vec::new();
        let (mut pooled_load, mut pooled_rate, mut pooled_work) = (0.0, 0.0, 0.0);
        for code in state.services.keys() {
            let rate = learned.arrivals_per_hour(code, wd, hour as usize);
            if rate < 0.05 {
                continue;
            }
            let occ = learned.occupation(None, code);
            let load = rate * occ.mean / HOUR;
            let seed = u64::from(hour) * 1_000_003 + code.len() as u64;
            let one = [(rate, LogNormal::new(occ.mean, occ.var))];
            services.push(ServiceNeed {
                service: code.clone(),
                arrivals: rate,
                counters: counters_for(&one, load, target, seed),
                erlang_c: erlang_c_counters(rate, occ.mean, target),
            });
            mix.push((rate, LogNormal::new(occ.mean, occ.var)));
            pooled_load += load;
            pooled_rate += rate;
            pooled_work += rate * occ.mean;
        }
        if services.is_empty() {
            continue;
        }
        let mean = pooled_work / pooled_rate;
        hours.push(HourNeed {
            hour,
            arrivals: pooled_rate,
            counters: counters_for(&mix, pooled_load, target, u64::from(hour)),
            erlang_c: erlang_c_counters(pooled_rate, mean, target),
            services,
        });
    }
    DayPlan { day, hours }
}

/// Both parts of the advice; `now` is also what "tomorrow" is counted from.
pub fn advise(
    state: &State,
    learned: &Learned,
    now: Timestamp,
    target_minutes: u32,
) -> StaffingAdvice {
    let zone = learned.zone();
    let tomorrow = (now.with_timezone(&zone) + Duration::days(1)).date_naive();
    StaffingAdvice {
        target_minutes,
        now: advise_now(state, learned, now, target_minutes),
        tomorrow: plan_day(state, learned, tomorrow, target_minutes),
    }
}

//! `estimate-accuracy` (`cargo xtask accuracy`): how close the wait a citizen is told comes to
//! the wait that follows. Simulated weeks of the sample center (`sim.rs`) through the real
//! engine; the first weeks teach the model (and the old formula its moving average), the last
//! is measured. For every ticket of the measured week, its receipt's estimate (the queue
//! model, as the server computes it) and the old formula's (`accuracy::old`) against its wait until
//! the first call, per local hour of issue and overall: mean absolute error as a share of the
//! mean wait, bias (mean error as a share of the mean wait), the share within ±20 % or ±5 min,
//! and how often the wait fell inside the model's p10–p90 range. Same seed, same days, for
//! both. The last line is `estimate MAE/mean wait: X (old formula: Y)`.
//!
//! `--scenario` plays halls the usual weeks do not cover, each printed apart with the same
//! table (`all`: every one in turn): `first-day-slow` and `first-day-fast` (a center's first
//! day, no history, the catalog's expected minutes a third of the real time, or three times
//! it), `half-idle` (160 tickets a day: counters free much of the time), `burst` (arrivals
//! double 10:00–10:15 on the measured days), `instant` (clerks who call the instant they are
//! free or someone arrives), `instant-half-idle` (both) and `overlapping` (a small hall:
//! three counters sharing three services with different weights, `sim::overlapping_hall`).
//! docs/performance.md keeps the figures.

use accuracy::sim::{Conditions, Outcome1, Sim};
use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    about = "Estimate accuracy of the queue model against the old formula, on simulated days"
)]
struct Args {
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Weeks simulated; the last is measured, the ones before teach the model.
    #[arg(long, default_value_t = 4)]
    weeks: u32,
    /// Tickets a day (on average).
    #[arg(long, default_value_t = 330.0)]
    per_day: f64,
    /// Also write every measured ticket (issue instant, service, priority, estimate and
    /// range, old estimate, wait) to this CSV file, for a closer look.
    #[arg(long)]
    tickets: Option<std::path::PathBuf>,
    /// The floor: replay the rest of the day this many times with fresh chances at sampled
    /// tickets' issue (`sim/oracle.rs`) and print how close the replays' median comes.
    #[arg(long, default_value_t = 0)]
    oracle: usize,
    /// With --oracle: sample every this many tickets.
    #[arg(long, default_value_t = 4)]
    oracle_every: u64,
    /// The hall: weeks (the usual simulated weeks), first-day-slow, first-day-fast,
    /// half-idle, burst, instant, instant-half-idle, overlapping, or all of them in turn.
    #[arg(long, default_value = "weeks")]
    scenario: String,
}

const SCENARIOS: [&str; 8] = [
    "weeks",
    "first-day-slow",
    "first-day-fast",
    "half-idle",
    "burst",
    "instant",
    "instant-half-idle",
    "overlapping",
];

/// A scenario's days, tickets a day, conditions and whether it is the small hall of
/// overlapping weights (`None`: not a scenario).
fn scenario(name: &str, args: &Args) -> Option<(Vec<chrono::NaiveDate>, f64, Conditions, bool)> {
    let weeks = Sim::working_days(args.weeks);
    let first = vec![weeks[0]];
    let usual = Conditions::default();
    let (days, per_day, cond) = match name {
        "weeks" => (weeks, args.per_day, usual),
        "first-day-slow" => (
            first,
            args.per_day,
            Conditions {
                expected_factor: 3.0,
                ..usual
            },
        ),
        "first-day-fast" => (
            first,
            args.per_day,
            Conditions {
                expected_factor: 1.0 / 3.0,
                ..usual
            },
        ),
        "half-idle" => (weeks, 160.0, usual),
        "burst" => (
            weeks,
            args.per_day,
            Conditions {
                burst: Some((10 * 60, 2.0)),
                ..usual
            },
        ),
        "instant" => (
            weeks,
            args.per_day,
            Conditions {
                instant: true,
                ..usual
            },
        ),
        "instant-half-idle" => (
            weeks,
            160.0,
            Conditions {
                instant: true,
                ..usual
            },
        ),
        // Three counters, three services: about 85 % busy at 140 a day.
        "overlapping" => (weeks, 140.0, usual),
        _ => return None,
    };
    Some((days, per_day, cond, name == "overlapping"))
}

#[derive(Default)]
struct Tally {
    n: usize,
    wait: f64,
    model: Errors,
    old: Errors,
    inside: usize,
}

/// The oracle's table: tickets with replays only.
#[derive(Default)]
struct Floor {
    n: usize,
    wait: f64,
    model: f64,
    median: f64,
    mean: f64,
    /// The model's estimate against the replays' mean: what a better model could still gain.
    off: f64,
    off_signed: f64,
}

impl Floor {
    fn add(&mut self, t: &Outcome1) {
        let (Some(waited), Some((est, _, _)), Some((median, mean))) = (t.waited, t.model, t.oracle)
        else {
            return;
        };
        let (w, e) = (waited as f64, est as f64);
        self.n += 1;
        self.wait += w;
        self.model += (e - w).abs();
        self.median += (median - w).abs();
        self.mean += (mean - w).abs();
        self.off += (e - mean).abs();
        self.off_signed += e - mean;
    }

    fn row(&self, label: &str) -> String {
        let share = |x: f64| x / self.wait.max(1.0);
        format!(
            "{label:<7} {:>5} {:>8.1} | {:>6.3} {:>7.3} {:>7.3} | {:>7.3} {:>+7.1}%",
            self.n,
            self.wait / self.n.max(1) as f64 / 60.0,
            share(self.model),
            share(self.median),
            share(self.mean),
            share(self.off),
            100.0 * share(self.off_signed),
        )
    }
}

#[derive(Default)]
struct Errors {
    abs: f64,
    signed: f64,
    close: usize,
    n: usize,
}

impl Errors {
    fn add(&mut self, estimate: f64, waited: f64) {
        let e = estimate - waited;
        self.abs += e.abs();
        self.signed += e;
        self.n += 1;
        if e.abs() <= (0.2 * waited).max(300.0) {
            self.close += 1;
        }
    }
}

impl Tally {
    fn add(&mut self, t: &Outcome1) {
        let (Some(waited), Some((est, low, high)), Some(old)) = (t.waited, t.model, t.old) else {
            return;
        };
        let waited = waited as f64;
        self.n += 1;
        self.wait += waited;
        self.model.add(est as f64, waited);
        self.old.add(old as f64, waited);
        if (low as f64) <= waited && waited <= high as f64 {
            self.inside += 1;
        }
    }

    fn mean_wait(&self) -> f64 {
        self.wait / self.n.max(1) as f64
    }

    fn share(&self, x: f64) -> f64 {
        x / self.n.max(1) as f64 / self.mean_wait().max(1.0)
    }

    fn row(&self, label: &str) -> String {
        let pct = |k: usize| 100.0 * k as f64 / self.n.max(1) as f64;
        format!(
            "{label:<7} {:>5} {:>8.1} | {:>6.3} {:>+7.1}% {:>6.1}% {:>6.1}% | {:>6.3} {:>+8.1}% {:>6.1}%",
            self.n,
            self.mean_wait() / 60.0,
            self.share(self.model.abs),
            100.0 * self.share(self.model.signed),
            pct(self.model.close),
            pct(self.inside),
            self.share(self.old.abs),
            100.0 * self.share(self.old.signed),
            pct(self.old.close),
        )
    }
}

fn main() {
    let args = Args::parse();
    let names: Vec<&str> = if args.scenario == "all" {
        SCENARIOS.to_vec()
    } else {
        vec![args.scenario.as_str()]
    };
    for name in names {
        let Some((days, per_day, cond, small)) = scenario(name, &args) else {
            eprintln!(
                "estimate-accuracy: no scenario {name:?}; one of {} or all",
                SCENARIOS.join(", ")
            );
            std::process::exit(2);
        };
        if args.scenario == "all" {
            println!("\n== scenario: {name}");
        }
        let mut catalog = hall_wire::center_file::sample();
        if small {
            catalog = accuracy::sim::overlapping_hall(catalog);
        }
        run(&args, name, catalog, days, per_day, cond);
    }
}

fn run(
    args: &Args,
    name: &str,
    catalog: hall_core::Catalog,
    days: Vec<chrono::NaiveDate>,
    per_day: f64,
    cond: Conditions,
) {
    let mut sim = Sim::with(catalog, args.seed, per_day, cond);
    sim.oracle_replays = args.oracle;
    sim.oracle_every = args.oracle_every.max(1);
    let measured_from = days.len().saturating_sub(5);
    let started = std::time::Instant::now();
    for (i, day) in days.iter().enumerate() {
        sim.day(*day, i >= measured_from);
    }
    if let Some(path) = &args.tickets {
        let mut rows: Vec<&Outcome1> = sim.tickets.values().filter(|t| t.measured).collect();
        rows.sort_by_key(|t| t.issued);
        let mut csv = String::from(
            "issued,hour,service,priority,ahead,estimate,low,high,old,waited,oracle\n",
        );
        let opt = |x: Option<u64>| x.map(|v| v.to_string()).unwrap_or_default();
        for t in rows {
            csv += &format!(
                "{},{},{},{:?},{},{},{},{},{},{},{}\n",
                t.issued.to_rfc3339(),
                t.hour,
                t.service,
                t.priority,
                opt(t.ahead.map(u64::from)),
                opt(t.model.map(|m| m.0)),
                opt(t.model.map(|m| m.1)),
                opt(t.model.map(|m| m.2)),
                opt(t.old),
                opt(t.waited),
                opt(t.oracle.map(|o| o.0.round() as u64)),
            );
        }
        if let Err(e) = std::fs::write(path, csv) {
            eprintln!("estimate-accuracy: {}: {e}", path.display());
            std::process::exit(1);
        }
    }
    let mut by_hour: std::collections::BTreeMap<u32, Tally> = Default::default();
    let mut all = Tally::default();
    let (mut issued, mut never, mut no_estimate) = (0, 0, 0);
    for t in sim.tickets.values().filter(|t| t.measured) {
        issued += 1;
        match (t.waited, t.model) {
            (None, _) => never += 1,
            (_, None) => no_estimate += 1,
            _ => {}
        }
        by_hour.entry(t.hour).or_default().add(t);
        all.add(t);
    }
    println!(
        "estimate-accuracy: sample center, scenario {name}, seed {}, {} working days ({} learned, {} measured), {:.0} tickets a day, {:.1} s",
        args.seed,
        days.len(),
        measured_from,
        days.len() - measured_from,
        per_day,
        started.elapsed().as_secs_f64()
    );
    println!(
        "measured: {issued} tickets issued, {} compared; {never} never called (cancelled at the day's end), {no_estimate} without an estimate (no counter open)",
        all.n
    );
    println!(
        "MAE and bias as shares of the mean wait; close = within ±20 % or ±5 min; in range = the wait inside the model's p10–p90"
    );
    println!(
        "{:<7} {:>5} {:>8} | {:>6} {:>8} {:>7} {:>7} | {:>6} {:>9} {:>7}",
        "hour", "n", "wait min", "MAE", "bias", "close", "range", "old MAE", "old bias", "close"
    );
    for (hour, t) in &by_hour {
        println!("{}", t.row(&format!("{hour:02}:00")));
    }
    println!("{}", all.row("all"));
    // Estimates that correct themselves: the same tickets at issue and about halfway.
    let (mut n, mut wait, mut at_issue, mut halfway, mut half_signed) = (0, 0.0, 0.0, 0.0, 0.0);
    for t in sim.tickets.values().filter(|t| t.measured) {
        let (Some(waited), Some((est, _, _)), Some(half)) = (t.waited, t.model, t.halfway()) else {
            continue;
        };
        let w = waited as f64;
        n += 1;
        wait += w;
        at_issue += (est as f64 - w).abs();
        halfway += (half as f64 - w).abs();
        half_signed += half as f64 - w;
    }
    println!(
        "halfway: {n} tickets with a figure about halfway through their wait; MAE/mean wait at issue {:.3}, halfway {:.3} (bias {:+.1} %)",
        at_issue / wait.max(1.0),
        halfway / wait.max(1.0),
        100.0 * half_signed / wait.max(1.0)
    );
    if args.oracle > 0 {
        let mut floors: std::collections::BTreeMap<u32, Floor> = Default::default();
        let mut floor = Floor::default();
        for t in sim.tickets.values().filter(|t| t.measured) {
            floors.entry(t.hour).or_default().add(t);
            floor.add(t);
        }
        println!(
            "oracle: every {}th ticket, {} replays of the rest of its day with fresh chances; shares of the mean wait",
            sim.oracle_every, args.oracle
        );
        println!(
            "{:<7} {:>5} {:>8} | {:>6} {:>7} {:>7} | {:>7} {:>8}",
            "hour", "n", "wait min", "MAE", "median", "mean", "vs mean", "bias"
        );
        for (hour, f) in &floors {
            println!("{}", f.row(&format!("{hour:02}:00")));
        }
        println!("{}", floor.row("all"));
    }
    println!(
        "estimate MAE/mean wait: {:.3} (old formula: {:.3})",
        all.share(all.model.abs),
        all.share(all.old.abs)
    );
}

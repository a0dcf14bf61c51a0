//! `forecast-recompute` (`cargo xtask accuracy`): what one recompute of the queue model costs
//! on a busy hall: the sample center with its 8 counters open and serving, `--waiting`
//! tickets waiting (500 by default), the model learned from two simulated weeks; p50, p99 and
//! the maximum over `--runs` recomputes, one core, no other work. The server's estimator
//! recomputes at most every 250 ms (queue-server/src/estimator.rs); docs/performance.md keeps
//! the figures.

use accuracy::sim;
use clap::Parser;

#[derive(Parser, Debug)]
#[command(about = "Time recomputes of the queue model on a busy hall")]
struct Args {
    #[arg(long, default_value_t = 500)]
    waiting: usize,
    #[arg(long, default_value_t = 200)]
    runs: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn main() {
    let args = Args::parse();
    let mut sim = sim::Sim::new(hall_wire::center_file::sample(), args.seed, 330.0);
    let days = sim::Sim::working_days(2);
    for day in &days {
        sim.day(*day, false);
    }
    let next = *days.last().expect("days") + chrono::Duration::days(3);
    let now = sim.busy_hall(next, args.waiting);
    let waiting = sim
        .state
        .tickets
        .values()
        .filter(|t| t.state == hall_core::TicketState::Waiting)
        .count();
    let serving = sim
        .state
        .counters
        .values()
        .filter(|c| c.ticket.is_some())
        .count();
    let mut times = Vec::with_capacity(args.runs);
    let mut estimated = 0;
    for i in 0..args.runs {
        let at = now + chrono::Duration::milliseconds(250 * i as i64);
        let t = std::time::Instant::now();
        let f = hall_forecast::forecast(&sim.state, &sim.learned, at);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        estimated = f.tickets.len();
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "forecast recompute: {waiting} waiting ({estimated} with an estimate), {} counters ({serving} serving), {} runs: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        sim.state.counters.len(),
        args.runs,
        pick(0.5),
        pick(0.99),
        times[times.len() - 1]
    );
}

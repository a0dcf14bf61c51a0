//! The load generator: starts a queue-server (the workspace's binary) on a fresh data
//! directory with the round-the-clock test center, drives it over loopback, and prints figures
//! (docs/performance.md). Run it as `cargo xtask load [ARGS]`.
//!
//!   loadgen [--kiosks 64] [--counters 4] [--boards 1000] [--watchers 10000] [--seconds 10]
//!           [--backlog 0]
//!           [--restart-events 1000000] [--phases throughput,delivery,watchers,restart]
//!
//! Phases, one module each:
//! - throughput: N kiosks issue and withdraw tickets, M clerks call and finish, as fast as the
//!   server acknowledges (each acknowledged command is durable): ops/s, ack latency p50/p99,
//!   and the writer's and the queue model's threads' CPU; `--backlog B` first fills the hall
//!   with B waiting tickets.
//! - delivery: K boards subscribed; clerks call tickets; time from a clerk sending `call_next`
//!   to each board receiving the `ticket_called` delta, p50/p99.
//! - watchers: W citizens' ticket pages connected and idle; server RSS.
//! - restart: a log of R events written through the engine and store, then the time for a
//!   server to start on it and answer /healthz.
//! - logins (only when named): a flood of wrong-password sign-ins; server RSS before and
//!   after, and whether the right password still gets in.
//! - seed (only when named): fills a running server (`--url`) with a believable hall, for
//!   screenshots and demos (`testkit::seed`).

mod delivery;
mod logins;
mod measure;
mod restart;
mod target;
mod throughput;
mod watchers;

use clap::Parser;
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(about = "Drive a queue-server with kiosks, counters, boards and watchers; print figures")]
pub struct Args {
    /// queue-server binary (default: the one next to this program).
    #[arg(long)]
    pub server: Option<PathBuf>,
    #[arg(long, default_value_t = 64)]
    pub kiosks: usize,
    #[arg(long, default_value_t = 4)]
    pub counters: usize,
    #[arg(long, default_value_t = 1000)]
    pub boards: usize,
    #[arg(long, default_value_t = 10_000)]
    pub watchers: usize,
    /// Length of the throughput phase.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Tickets left waiting before the throughput phase measures (a hall that is behind):
    /// a command's cost must not grow with them.
    #[arg(long, default_value_t = 0)]
    pub backlog: usize,
    /// Calls made in the delivery phase.
    #[arg(long, default_value_t = 200)]
    pub calls: usize,
    #[arg(long, default_value_t = 1_000_000)]
    pub restart_events: u64,
    /// The logins phase's larger flood: connections, and wrong passwords each.
    #[arg(long, default_value_t = 64)]
    pub login_conns: usize,
    #[arg(long, default_value_t = 20)]
    pub login_each: usize,
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "throughput,delivery,watchers,restart"
    )]
    pub phases: Vec<String>,
    /// Load a server that is already running (started with a round-the-clock center, e.g.
    /// `--config assets/centers/always-open.toml`) instead of starting one per phase.
    #[arg(long)]
    pub url: Option<String>,
    /// With --url: its data directory, for the accounts in first-start.txt.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// With --url: its process id, for RSS and CPU figures.
    #[arg(long)]
    pub pid: Option<u32>,
    /// Center configuration for the spawned servers.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/centers/always-open.toml"))]
    pub config: PathBuf,
}

/// Distinguishes this run's idempotency keys from an earlier run's on the same server.
pub fn run_id() -> u32 {
    std::process::id()
}

fn main() {
    let args = Args::parse();
    // 10,000 watchers need more descriptors than the usual soft limit of 1024.
    queue_server::server::raise_fd_limit();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // `cargo test --workspace` (and so `cargo xtask load`) builds both programs side by side.
    let bin = args.server.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .expect("the running executable")
            .with_file_name("queue-server")
    });
    println!("loadgen: server binary {}", bin.display());
    println!(
        "machine: {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    let phases: Vec<&str> = args.phases.iter().map(String::as_str).collect();
    if phases.contains(&"seed") {
        rt.block_on(async {
            let server = target::Target::of(&bin, &args);
            let seeded = testkit::seed::seed(&server, run_id()).await;
            for (counter, label) in &seeded.calls {
                println!("seed: counter {counter} called {label}");
            }
            println!(
                "seed: {} tickets, {} counters calling, message set",
                seeded.tickets,
                seeded.calls.len()
            );
        });
    }
    if phases.contains(&"throughput") {
        rt.block_on(throughput::run(&bin, &args));
    }
    if phases.contains(&"delivery") {
        rt.block_on(delivery::run(&bin, &args));
    }
    if phases.contains(&"watchers") {
        rt.block_on(watchers::run(&bin, &args));
    }
    if phases.contains(&"restart") {
        restart::run(&bin, &args);
    }
    if phases.contains(&"logins") {
        rt.block_on(logins::run(&bin, &args));
    }
}

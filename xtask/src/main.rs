//! `cargo xtask`: the developer's tasks around the workspace, written in Rust instead of shell
//! (only installing Debian packages stays in `scripts/lib.sh`).
//!
//! - `hall`: the queue server on the sample center, with a kiosk and a board on a display.
//! - `screenshots OUT`: every kiosk screen, the board, the web pages and receipts, as PNG.
//! - `idle-cpu kiosk|board`: an app's CPU and memory while nothing happens to it.
//! - `voice`: the placeholder voice pack in `assets/voice/` (espeak-ng and sox).
//! - `load [--release] ARGS`: the load generator (`xtask/loadgen`, docs/performance.md).
//! - `deb [--release]`: the Debian packages of a center (packaging/, docs/deploy.md).
//! - `accuracy [ARGS]`: the queue model's benchmarks (`xtask/accuracy`): recompute cost and
//!   estimate accuracy (docs/performance.md).
//! - `bench [NAME [ARGS]]`: every benchmark listed in one place (what it measures, how it
//!   runs, where its figures are kept), or one of them run.
//! - `circles`: module import circles inside each crate (none allowed; ARCHITECTURE.md).
//! - `smsbench`: the outbox against the independent SMPP peer (`xtask/smsbench`): event →
//!   `submit_sm` latency, sustained throughput and the near-turn check's cost
//!   (docs/performance.md, "Messages").
//!
//! Every task builds with `cargo test --workspace --no-run`: the same packages and features as
//! the README's test command, so running a task after the tests rebuilds nothing (and the
//! tests after a task neither). The apps' demo and screenshot code is in their `dev` feature.

mod accuracy;
mod apps;
mod bench;
mod build;
mod circles;
mod deb;
mod display;
mod hall;
mod idle_cpu;
mod load;
mod packages;
mod procfs;
mod screenshots;
mod server;
mod smsbench;
mod voice;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Tabour's developer tasks", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Runs the hall on the embedded sample center: the queue server (data in $DATA, default
    /// ./data) and, on a machine with a display, a kiosk and the display board. Arguments go
    /// to the server. Ctrl-C stops everything.
    Hall {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        server_args: Vec<String>,
    },
    /// Renders every kiosk screen, the display board, the web pages and receipts to PNG files
    /// in OUT, under Xvfb and headless Chromium, against seeded servers.
    Screenshots {
        #[arg(default_value = "out/screens")]
        out: PathBuf,
        /// Only these parts (kiosk, board, pairing, web), comma-separated; all by default.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
    /// Measures an app's CPU while nobody touches it (under Xvfb, connected to a seeded
    /// server; the kiosk while another kiosk takes a ticket every 2 s), with its memory.
    IdleCpu {
        #[arg(value_enum)]
        app: idle_cpu::App,
        /// Seconds measured.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Further arguments for the app (e.g. `--portrait` for the board).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        app_args: Vec<String>,
    },
    /// Generates the placeholder voice pack in assets/voice/ (deterministic: the same files
    /// every time).
    Voice,
    /// Runs the load generator; arguments go to it (`cargo xtask load -- --help` for its own).
    Load {
        /// Optimized server and load generator (a release build), for published figures.
        #[arg(long)]
        release: bool,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Builds the Debian packages (tabour-common, -server, -kiosk, -board) into OUT from the
    /// test build's programs (nothing compiled again), or a release build's with --release.
    Deb {
        /// Optimized programs (a release build: about 22 minutes cold on 2 cores).
        #[arg(long)]
        release: bool,
        /// Pack the programs in this folder and build nothing.
        #[arg(long, conflicts_with = "release")]
        bins: Option<PathBuf>,
        #[arg(long, default_value = "out/deb")]
        out: PathBuf,
        /// dpkg-deb's compressor: xz, gzip or none.
        #[arg(long, default_value = "xz", value_parser = ["xz", "gzip", "none"])]
        compression: String,
    },
    /// The queue model's benchmarks, optimized: one recompute's cost on a busy hall, then
    /// estimate accuracy on simulated weeks (arguments go to `estimate-accuracy`).
    Accuracy {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The outbox's benchmark, optimized: event → submit_sm at the SMPP peer, and throughput.
    Smsbench,
    /// Module import circles inside each workspace crate; fails if there is one.
    Circles,
    /// Every benchmark in one place: without NAME the list (what each measures, how it runs,
    /// where its figures are kept); with NAME that benchmark, ARGS going to it.
    Bench {
        name: Option<String>,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let done = match cli.task {
        Task::Hall { server_args } => hall::run(&server_args),
        Task::Screenshots { out, only } => screenshots::run(&out, &only),
        Task::IdleCpu {
            app,
            seconds,
            app_args,
        } => idle_cpu::run(app, seconds, &app_args),
        Task::Voice => voice::run(),
        Task::Load { release, args } => load::run(release, &args),
        Task::Deb {
            release,
            bins,
            out,
            compression,
        } => deb::run(&deb::Options {
            release,
            bins,
            out,
            compression,
        }),
        Task::Accuracy { args } => accuracy::run(&args),
        Task::Smsbench => smsbench::run(),
        Task::Circles => circles::run(),
        Task::Bench { name, args } => bench::run(name.as_deref(), &args),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What a task reports when it cannot go on.
pub type Result<T = ()> = std::result::Result<T, String>;

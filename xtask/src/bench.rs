//! `cargo xtask bench [NAME [ARGS…]]`: every benchmark of the workspace in one place. Without a
//! name, the list: what each measures, the command it runs, where its figures are kept. With
//! a name, it runs that benchmark (ARGS go to it). Figures come from these programs, never
//! from timed tests.

use crate::Result;
use crate::build;
use std::process::Command;

struct Bench {
    name: &'static str,
    measures: &'static str,
    runs: &'static str,
    figures: &'static str,
    run: fn(&[String]) -> Result,
}

const BENCHES: &[Bench] = &[
    Bench {
        name: "load",
        measures: "throughput, acknowledgement latency and the writer's CPU per command over the \
                   websocket, with kiosks, counters, boards and watchers (--backlog: a hall of N \
                   waiting)",
        runs: "cargo xtask load --release [ARGS] (xtask/loadgen)",
        figures: "docs/performance.md, from the top",
        run: |args| crate::load::run(true, args),
    },
    Bench {
        name: "accuracy",
        measures: "one recompute of the queue model on a busy hall, and its estimates against \
                   simulated halls with the oracle's floor (estimate-accuracy --scenario …)",
        runs: "cargo xtask accuracy [ARGS] (xtask/accuracy)",
        figures: "docs/performance.md, \"The queue model\" and \"Issue 23\"",
        run: crate::accuracy::run,
    },
    Bench {
        name: "smsbench",
        measures: "event → submit_sm at the independent SMPP peer and the outbox's sustained \
                   throughput, with 1,000 numbers kept; the near-turn check with 1,000 and \
                   10,000 kept numbers",
        runs: "cargo xtask smsbench (xtask/smsbench)",
        figures: "docs/performance.md, \"Messages\"",
        run: |_| crate::smsbench::run(),
    },
    Bench {
        name: "netbench",
        measures: "the national network: the 341 sample sites' events from a hub and a van's \
                   leaf node into PostgreSQL, sustained ingest and storage per million events",
        runs: "cargo run --release -p central --example netbench -- [ARGS]",
        figures: "docs/performance.md, \"The national network\"",
        run: netbench,
    },
    Bench {
        name: "receipt",
        measures: "a touch on the kiosk to the receipt's ESC/POS bytes (issue, shape, raster)",
        runs: "cargo bench -p kiosk --bench receipt -- [N]",
        figures: "docs/printing.md",
        run: receipt,
    },
    Bench {
        name: "busy-hour",
        measures: "the board's voice in a busy hour on simulated time: calls said in full or \
                   short, superseded, stale, and their delay",
        runs: "display-board voice-busy-hour [--seed N] [--gap MIN,MAX] (the test build's)",
        figures: "docs/performance.md, \"The board's voice in a busy hour\"",
        run: busy_hour,
    },
    Bench {
        name: "idle-cpu",
        measures: "an app's CPU and memory while nobody touches it (kiosk or board, under Xvfb)",
        runs: "cargo xtask idle-cpu kiosk|board [--seconds S]",
        figures: "docs/performance.md",
        run: idle_cpu,
    },
];

pub fn run(name: Option<&str>, args: &[String]) -> Result {
    let Some(name) = name else {
        for b in BENCHES {
            println!(
                "{}\n  measures: {}\n  runs:     {}\n  figures:  {}\n",
                b.name,
                squeeze(b.measures),
                b.runs,
                b.figures
            );
        }
        println!("cargo xtask bench NAME [ARGS] runs one.");
        return Ok(());
    };
    let bench = BENCHES.iter().find(|b| b.name == name).ok_or_else(|| {
        let names: Vec<&str> = BENCHES.iter().map(|b| b.name).collect();
        format!("no benchmark {name:?}; there are {}", names.join(", "))
    })?;
    (bench.run)(args)
}

/// A description written over several source lines, with single spaces.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn status(cmd: &mut Command, what: &str) -> Result {
    let s = cmd.status().map_err(|e| format!("{what}: {e}"))?;
    if s.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({s})"))
    }
}

fn netbench(args: &[String]) -> Result {
    crate::packages::ensure(&["ensure_build_packages", "ensure_nats", "ensure_postgres"])?;
    let root = build::workspace();
    status(
        build::cargo()
            .args([
                "run",
                "--release",
                "-p",
                "central",
                "--example",
                "netbench",
                "--",
            ])
            .args(args)
            .current_dir(root.join("central")),
        "netbench",
    )
}

fn receipt(args: &[String]) -> Result {
    crate::packages::ensure(&["ensure_build_packages"])?;
    status(
        build::cargo()
            .args(["bench", "-p", "kiosk", "--bench", "receipt", "--"])
            .args(args)
            .current_dir(build::workspace()),
        "the receipt benchmark",
    )
}

fn busy_hour(args: &[String]) -> Result {
    build::workspace_tests(&[])?;
    status(
        Command::new(build::bin("display-board"))
            .arg("voice-busy-hour")
            .args(args)
            .current_dir(build::workspace()),
        "voice-busy-hour",
    )
}

fn idle_cpu(args: &[String]) -> Result {
    let app = match args.first().map(String::as_str) {
        Some("kiosk") => crate::idle_cpu::App::Kiosk,
        Some("board") => crate::idle_cpu::App::Board,
        _ => return Err("cargo xtask bench idle-cpu kiosk|board [SECONDS]".into()),
    };
    let seconds = match args.get(1) {
        Some(s) => s
            .parse()
            .map_err(|_| format!("{s:?} is not a number of seconds"))?,
        None => 30,
    };
    crate::idle_cpu::run(app, seconds, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_benchmark_is_listed_once_with_where_its_figures_are() {
        let mut names: Vec<&str> = BENCHES.iter().map(|b| b.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), BENCHES.len());
        for b in BENCHES {
            let doc = b.figures.split(',').next().unwrap();
            assert!(
                build::workspace().join(doc).is_file(),
                "{}: {doc} is not a file of the workspace",
                b.name
            );
        }
        assert!(run(Some("nope"), &[]).unwrap_err().contains("receipt"));
    }
}

//! The load generator end to end on a short load, as `cargo xtask load` runs it, and its seed
//! phase on a running server, as `cargo xtask screenshots` and `idle-cpu` run it.

use std::process::Command;
use testkit::ServerProcess;

fn loadgen(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(args)
        .output()
        .expect("run loadgen");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn every_phase_runs_on_a_short_load_and_prints_its_figures() {
    let out = loadgen(&[
        "--kiosks",
        "2",
        "--counters",
        "1",
        "--boards",
        "3",
        "--calls",
        "5",
        "--watchers",
        "20",
        "--seconds",
        "1",
        "--restart-events",
        "2000",
    ]);
    for phase in [
        "throughput: 2 kiosks",
        "delivery: 3 boards, 5 calls: 15 of 15 deliveries",
        "watchers: 20 idle ticket pages",
        "restart with snapshots",
        "restart full replay",
    ] {
        assert!(out.contains(phase), "no {phase:?} in:\n{out}");
    }
}

#[test]
fn the_seed_fills_a_running_server_with_a_believable_hall() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path());
    let out = loadgen(&[
        "--url",
        &server.url(),
        "--data",
        dir.path().to_str().unwrap(),
        "--phases",
        "seed",
    ]);
    // The always-open center's daily limits refuse some of the 40 tickets asked for.
    assert!(out.contains("4 counters calling, message set"), "{out}");
    assert_eq!(out.matches("seed: counter ").count(), 4, "{out}");
}

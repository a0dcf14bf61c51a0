//! The load generator end to end on short loads, as `cargo xtask load` runs it, and its seed
//! phase, as `cargo xtask screenshots` and `idle-cpu` run it. Each phase drives a server in
//! this process (`--url`), so the test needs no server binary and never runs cargo.

use std::process::Command;
use testkit::TestServer;

/// Runs `loadgen --url … --data … ARGS` against a fresh server; returns what it printed.
async fn loadgen(args: &[&str]) -> String {
    let server = TestServer::start().await;
    let mut argv: Vec<String> = vec![
        "--url".into(),
        server.url(),
        "--data".into(),
        server.data_dir().display().to_string(),
    ];
    argv.extend(args.iter().map(|a| a.to_string()));
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_loadgen"))
            .args(&argv)
            .output()
            .expect("run loadgen")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    server.stop().await;
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_load_phase_runs_on_a_short_load_and_prints_its_figures() {
    let throughput = ["--phases", "throughput", "--kiosks", "2", "--counters", "1"];
    let out = loadgen(&[&throughput[..], &["--seconds", "1"]].concat()).await;
    assert!(out.contains("throughput: 2 kiosks"), "{out}");
    let out = loadgen(&["--phases", "delivery", "--boards", "3", "--calls", "5"]).await;
    assert!(
        out.contains("delivery: 3 boards, 5 calls: 15 of 15 deliveries"),
        "{out}"
    );
    let out = loadgen(&["--phases", "watchers", "--watchers", "20"]).await;
    assert!(out.contains("watchers: 20 idle ticket pages"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_fills_a_running_server_with_a_believable_hall() {
    let out = loadgen(&["--phases", "seed"]).await;
    // The always-open center's daily limits refuse some of the 40 tickets asked for.
    assert!(out.contains("4 counters calling, message set"), "{out}");
    assert_eq!(out.matches("seed: counter ").count(), 4, "{out}");
}

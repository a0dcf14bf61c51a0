//! `cargo xtask idle-cpu kiosk|board`: an app's CPU while nothing happens to it, read from
//! /proc over a window of seconds, with its memory. The board idles on a seeded hall after the
//! flash of the last call has ended; the kiosk idles on its welcome screen while another kiosk
//! (`kiosk receipt`) takes a ticket every 2 s, so the hall keeps changing. The apps run as
//! they ship (no `dev` feature).

use crate::Result;
use crate::apps;
use crate::build::{self, bin};
use crate::procfs;
use crate::server::Server;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum App {
    Kiosk,
    Board,
}

pub fn run(app: App, seconds: u64, extra: &[String]) -> Result {
    crate::packages::ensure(&["ensure_build_packages", "ensure_display_packages"])?;
    build::workspace_tests(&[])?;
    let server = Server::seeded()?;
    match app {
        App::Board => {
            let mut a = apps::args(&["--silent", "--windowed", "--settings"]);
            a.push(server.data.join("board.json").display().to_string());
            a.extend(extra.iter().cloned());
            let log = server.data.join("board.log");
            let board = apps::start("display-board", &server, (1920, 1080), &a, Some(&log))?;
            // Started, then the last call's flash ends.
            std::thread::sleep(Duration::from_secs(15));
            let (cpu, rss) = measure(board.pid(), seconds)?;
            println!("idle: {cpu:.2} % CPU over {seconds} s");
            println!("memory: {rss} MiB RSS");
        }
        App::Kiosk => {
            let mut a = apps::args(&["--settings"]);
            a.push(server.data.join("kiosk.json").display().to_string());
            a.push("--printer".into());
            a.push(format!(
                "file:{}",
                server.data.join("receipt.bin").display()
            ));
            a.extend(extra.iter().cloned());
            let log = server.data.join("kiosk.log");
            let kiosk = apps::start("kiosk", &server, (1080, 1920), &a, Some(&log))?;
            let issued = Arc::new(AtomicUsize::new(0));
            let stop = Arc::new(AtomicBool::new(false));
            let traffic = {
                let (issued, stop) = (issued.clone(), stop.clone());
                let (url, tokens, out) = (
                    server.url(),
                    server.token_file(),
                    server.data.join("other.bin"),
                );
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let took = Command::new(bin("kiosk"))
                            .args(["receipt", "--server", &url, "--token-file"])
                            .arg(&tokens)
                            .args(["--device", "kiosk-2", "--service", "CIT-BIRTH", "--out"])
                            .arg(&out)
                            .stdout(Stdio::null())
                            .stderr(Stdio::null())
                            .status()
                            .is_ok_and(|s| s.success());
                        if took {
                            issued.fetch_add(1, Ordering::Relaxed);
                        }
                        std::thread::sleep(Duration::from_secs(2));
                    }
                })
            };
            std::thread::sleep(Duration::from_secs(10));
            issued.store(0, Ordering::Relaxed);
            let (cpu, rss) = measure(kiosk.pid(), seconds)?;
            let n = issued.load(Ordering::Relaxed);
            stop.store(true, Ordering::Relaxed);
            let _ = traffic.join();
            println!(
                "idle: {cpu:.2} % CPU over {seconds} s (welcome screen; another kiosk took {n} tickets meanwhile)"
            );
            println!("memory: {rss} MiB RSS");
        }
    }
    Ok(())
}

/// (% of one core over `seconds`, RSS in MiB at the end) of `pid`.
fn measure(pid: u32, seconds: u64) -> Result<(f64, u64)> {
    let hz = procfs::ticks_per_second()?;
    let before = procfs::cpu_ticks(pid)?;
    std::thread::sleep(Duration::from_secs(seconds));
    let after = procfs::cpu_ticks(pid)?;
    let cpu = 100.0 * (after - before) as f64 / hz as f64 / seconds as f64;
    Ok((cpu, procfs::rss_mib(pid)?))
}

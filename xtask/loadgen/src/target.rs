//! The server under load: one this program started (the workspace's binary, through
//! `testkit::process`), or one already running that `--url` names; with the figures the phases
//! read from /proc about it.

use crate::Args;
use crate::measure::proc_cpu_secs;
use hall_wire::startup::FirstStart;
use std::ops::Deref;
use std::path::Path;
use testkit::Endpoint;
use testkit::process::{Launch, ServerProcess};

pub struct Target {
    endpoint: Endpoint,
    pid: Option<u32>,
    /// The process and its data directory, when this program started it.
    _spawned: Option<(ServerProcess, tempfile::TempDir)>,
}

impl Target {
    /// The running server named by `--url`, or a fresh one on a temporary directory.
    pub fn of(bin: &Path, args: &Args) -> Target {
        match &args.url {
            Some(url) => {
                let addr = url
                    .trim_start_matches("ws://")
                    .trim_end_matches("/ws")
                    .parse()
                    .expect("--url ws://HOST:PORT/ws");
                let data = args
                    .data
                    .as_ref()
                    .expect("--url needs --data DIR (for first-start.txt)");
                let first = FirstStart::read(data).expect("first-start.txt");
                Target {
                    endpoint: Endpoint::new(addr, first),
                    pid: args.pid,
                    _spawned: None,
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let launch = Launch {
                    config: args.config.clone(),
                    ..Launch::new(bin)
                };
                let server = launch.start(dir.path());
                Target {
                    endpoint: (*server).clone(),
                    pid: Some(server.pid()),
                    _spawned: Some((server, dir)),
                }
            }
        }
    }

    /// (current RSS, peak RSS) in MiB, from /proc.
    pub fn rss_mib(&self) -> (f64, f64) {
        match self.pid {
            Some(pid) => crate::measure::rss_mib(pid),
            None => (f64::NAN, f64::NAN),
        }
    }

    /// CPU seconds (user + system) the server has used.
    pub fn cpu_secs(&self) -> f64 {
        match self.pid {
            Some(pid) => proc_cpu_secs(&format!("/proc/{pid}/stat")),
            None => f64::NAN,
        }
    }

    /// CPU seconds the server's thread named `name` has used (`writer`, `estimator`); NaN
    /// when the thread is not found.
    pub fn thread_cpu_secs(&self, name: &str) -> f64 {
        let Some(pid) = self.pid else {
            return f64::NAN;
        };
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return f64::NAN;
        };
        tasks
            .flatten()
            .find(|t| {
                std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name)
            })
            .map(|t| proc_cpu_secs(&t.path().join("stat").to_string_lossy()))
            .unwrap_or(f64::NAN)
    }
}

impl Deref for Target {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

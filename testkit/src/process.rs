//! The real `queue-server` binary as a child process, for what only a process shows (a SIGKILL
//! mid-stream, a client outliving a restart) and for the load generator. The caller names the
//! binary: queue-server's own tests pass `env!("CARGO_BIN_EXE_queue-server")`, which cargo
//! builds for them, so no test ever runs cargo (a `cargo build` from a test builds with other
//! features than `cargo test --workspace` and rebuilds half the tree). Its address comes from
//! the "listening" line and its secrets from `first-start.txt`, both read by
//! `hall_wire::startup`.

use crate::endpoint::Endpoint;
use hall_wire::startup;
use hall_wire::startup::FirstStart;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How to start a server process: which binary, where it listens, which center.
#[derive(Clone, Debug)]
pub struct Launch {
    pub binary: PathBuf,
    pub listen: String,
    pub config: PathBuf,
    /// Set: `binary` is a test executable, and the server runs in its ignored test of this
    /// name (which calls `queue_server::cli::main(harness_args())`): a center as its own
    /// process for a crate whose tests cargo builds no `queue-server` binary for.
    pub harness: Option<String>,
}

/// The environment variable carrying a harness child's server arguments.
const HARNESS_ARGS: &str = "TABOUR_SERVER_ARGS";

/// In a harness child (`Launch::harness`): the server's command line, program name first.
pub fn harness_args() -> Option<Vec<String>> {
    let args = std::env::var(HARNESS_ARGS).ok()?;
    Some(
        std::iter::once("queue-server".to_string())
            .chain(args.split('\u{1f}').map(String::from))
            .collect(),
    )
}

impl Launch {
    /// `binary` on port 0 with the round-the-clock test center.
    pub fn new(binary: impl Into<PathBuf>) -> Launch {
        Launch {
            binary: binary.into(),
            listen: "127.0.0.1:0".into(),
            config: crate::center::always_open_path(),
            harness: None,
        }
    }

    /// Starts the server on `data` and waits (up to two minutes: a large log replays first)
    /// for its listening line.
    pub fn start(&self, data: &Path) -> ServerProcess {
        let started = Instant::now();
        let args = [
            "--listen".to_string(),
            self.listen.clone(),
            "--data".into(),
            data.display().to_string(),
            "--config".into(),
            self.config.display().to_string(),
        ];
        let mut cmd = Command::new(&self.binary);
        match &self.harness {
            Some(test) => cmd
                .args([
                    "--ignored",
                    "--exact",
                    test,
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(HARNESS_ARGS, args.join("\u{1f}")),
            None => cmd.args(&args),
        };
        let mut child = cmd
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", self.binary.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // The thread reads stdout to its end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut bytes = Vec::new();
            // Bytes, not `lines()`: a line that is not UTF-8 must not end the reading (the
            // child would then die of a broken pipe).
            while reader.read_until(b'\n', &mut bytes).is_ok_and(|n| n > 0) {
                let line = String::from_utf8_lossy(&bytes).into_owned();
                bytes.clear();
                // A harness child prints "test NAME ... " with no line end before its
                // server's first line.
                let line = line
                    .find("queue-server listening")
                    .map_or(&line[..], |i| &line[i..]);
                if let Some(addr) = startup::parse_listening_line(line) {
                    let _ = tx.send(addr);
                }
            }
        });
        let addr: SocketAddr = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the server printed its address");
        let first = FirstStart::read(data).unwrap_or_default();
        ServerProcess {
            child,
            endpoint: Endpoint::new(addr, first),
            data: data.to_path_buf(),
            ready_after: started.elapsed(),
        }
    }
}

pub struct ServerProcess {
    pub child: Child,
    endpoint: Endpoint,
    pub data: PathBuf,
    /// From the spawn to the listening line: process start plus rebuilding the state.
    pub ready_after: Duration,
}

impl ServerProcess {
    /// `binary` on an ephemeral port with the round-the-clock test center.
    pub fn start(binary: &Path, data: &Path) -> ServerProcess {
        Launch::new(binary).start(data)
    }

    /// The same on a given address (a restart the clients find again).
    pub fn start_on(binary: &Path, data: &Path, listen: &str) -> ServerProcess {
        Launch {
            listen: listen.into(),
            ..Launch::new(binary)
        }
        .start(data)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown, no final snapshot.
    pub fn kill(mut self) {
        self.child.kill().expect("kill the server");
        self.child.wait().expect("reap the server");
    }

    /// SIGTERM and wait for a clean exit.
    pub fn terminate(mut self) -> ExitStatus {
        // SAFETY: a plain signal to our own child, whose pid it still is (not yet reaped).
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Deref for ServerProcess {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A child process killed when the test ends, however it ends (an emulator, a driver).
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

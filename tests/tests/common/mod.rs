//! Starting the real queue-server binary for end-to-end tests.
#![allow(dead_code)]

pub mod browser;

use protocol::startup::FirstStart;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The queue-server binary next to this test's deps directory, built if missing.
pub fn server_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let dir = exe.parent().unwrap().parent().unwrap();
        let bin = dir.join("queue-server");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-q", "-p", "queue-server", "--bin", "queue-server"])
            .current_dir(workspace())
            .status()
            .expect("run cargo build");
        assert!(status.success(), "building queue-server failed");
        assert!(bin.exists(), "no binary at {}", bin.display());
        bin
    })
    .clone()
}

pub struct ServerProcess {
    pub child: Child,
    pub addr: String,
    pub data: PathBuf,
}

impl ServerProcess {
    /// Starts the server on an ephemeral port with the round-the-clock test center.
    pub fn start(data: &Path) -> ServerProcess {
        Self::start_on(data, "127.0.0.1:0")
    }

    pub fn start_on(data: &Path, listen: &str) -> ServerProcess {
        let config = workspace().join("assets/centers/always-open.toml");
        let mut child = Command::new(server_binary())
            .args(["--listen", listen, "--data"])
            .arg(data)
            .arg("--config")
            .arg(config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start queue-server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("queue-server listening on http://") {
                    let addr = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    let _ = tx.send(addr);
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server printed its address");
        ServerProcess {
            child,
            addr,
            data: data.to_path_buf(),
        }
    }

    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// SIGKILL: no shutdown, no final snapshot.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM and wait for a clean exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A token from first-start.txt: "  kiosk    kiosk-1    token abc…".
    pub fn device_token(&self, name: &str) -> String {
        let first = FirstStart::read(&self.data).expect("first-start.txt");
        first
            .token(name)
            .unwrap_or_else(|| panic!("no token for {name}"))
            .to_string()
    }

    pub fn password(&self, user: &str) -> String {
        let first = FirstStart::read(&self.data).expect("first-start.txt");
        first
            .password(user)
            .unwrap_or_else(|| panic!("no password for {user}"))
            .to_string()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! A queue server for a task: the workspace's binary on a port of its own, in a data directory
//! of its own, stopped when the task ends. The task picks the port and waits for the
//! first-start file and the port to answer, rather than reading the listening line: that
//! keeps xtask free of the hall's crates (`testkit::process` reads it for the tests).

use crate::Result;
use crate::build::bin;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Option<Child>,
    pub port: u16,
    pub data: PathBuf,
    /// A temporary data directory, removed with the server.
    temporary: bool,
}

impl Server {
    /// The round-the-clock test center, in a fresh temporary directory, with a seeded hall.
    pub fn seeded() -> Result<Server> {
        let config = crate::build::workspace().join("assets/centers/always-open.toml");
        let server = Server::start(&config, &temp_dir("server")?)?;
        server.seed()?;
        Ok(server)
    }

    /// A server on `config` in the folder `data` (a temporary one: removed with the server).
    pub fn start(config: &Path, data: &Path) -> Result<Server> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log = std::fs::File::create(data.join("server.log")).map_err(|e| e.to_string())?;
        let child = Command::new(bin("queue-server"))
            .current_dir(crate::build::workspace())
            .arg("--data")
            .arg(data)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--config"])
            .arg(config)
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("queue-server: {e}"))?;
        let mut server = Server {
            child: Some(child),
            port,
            data: data.to_path_buf(),
            temporary: true,
        };
        server.wait_ready()?;
        Ok(server)
    }

    /// The server a person runs: `queue-server --data DATA ARGS…`, printing to this terminal
    /// (the first-start secrets and its address), on its own address.
    pub fn foreground(data: &Path, args: &[String]) -> Result<Server> {
        let mut cmd = Command::new(bin("queue-server"));
        if !args
            .iter()
            .any(|a| a == "--data" || a.starts_with("--data="))
        {
            cmd.arg("--data").arg(data);
        }
        let mut child = cmd
            .args(args)
            .spawn()
            .map_err(|e| format!("queue-server: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while !data.join("first-start.txt").exists() && Instant::now() < deadline {
            // A server that refused its arguments or its port is not a hall to open apps on.
            if let Some(status) = child.try_wait().map_err(|e| format!("queue-server: {e}"))? {
                return Err(format!("queue-server exited at start ({status})"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Server {
            child: Some(child),
            port: 0,
            data: data.to_path_buf(),
            temporary: false,
        })
    }

    /// The first-start file: accounts, and device tokens for the apps' `--token-file`.
    pub fn token_file(&self) -> PathBuf {
        self.data.join("first-start.txt")
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/ws", self.port)
    }

    /// Fills the hall with `loadgen --phases seed` (`testkit::seed`).
    pub fn seed(&self) -> Result {
        let status = Command::new(bin("loadgen"))
            .args(["--url", &self.url(), "--data"])
            .arg(&self.data)
            .args(["--phases", "seed"])
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("loadgen: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err("seeding the server failed".into())
        }
    }

    /// Waits until the server stops by itself (a person's Ctrl-C, an error).
    pub fn wait(&mut self) -> Result {
        if let Some(child) = self.child.as_mut() {
            child.wait().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Stops the server now (SIGKILL: a server going away, as the offline screens show).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn wait_ready(&mut self) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.token_file().exists() && TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if exited.is_some() || Instant::now() > deadline {
                let log = std::fs::read_to_string(self.data.join("server.log")).unwrap_or_default();
                return Err(format!("the queue server did not start:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.data);
        }
    }
}

/// A fresh folder under the system's temporary directory, for one task's files.
pub fn temp_dir(what: &str) -> Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("tabour-{what}-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

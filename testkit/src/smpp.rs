//! An independent SMPP 3.4 server for the message tests: `testkit/smpp-peer/peer.js`, the npm
//! package `smpp` in server mode (installed by `scripts/lib.sh` `ensure_smpp_peer` into
//! `$SMPP_PEER_DIR`, else the newest `~/.cache/tabour/smpp-peer-*`). It decodes what it
//! receives with its own code (UCS-2, GSM, UDH) and writes JSON lines that the test reads.

use crate::process::Reaped;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `node_modules` the peer runs with.
fn node_modules() -> PathBuf {
    if let Some(d) = std::env::var_os("SMPP_PEER_DIR") {
        return PathBuf::from(d).join("node_modules");
    }
    let src = crate::center::workspace().join("testkit/smpp-peer/node_modules");
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let newest = std::fs::read_dir(home.join(".cache/tabour"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("smpp-peer-"))
        .filter(|e| e.path().join("node_modules/smpp").exists())
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    match newest {
        Some(e) => e.path().join("node_modules"),
        None => src,
    }
}

pub struct SmppPeer {
    _child: Reaped,
    pub port: u16,
    pub control: u16,
    out: PathBuf,
}

impl SmppPeer {
    /// Starts the peer on a free port, writing to `dir/peer.jsonl`.
    pub fn start(dir: &Path) -> SmppPeer {
        Self::start_on(dir, 0)
    }

    /// On a given port (a restarted peer on the port the server was configured with).
    pub fn start_on(dir: &Path, port: u16) -> SmppPeer {
        std::fs::create_dir_all(dir).expect("peer directory");
        let out = dir.join("peer.jsonl");
        let modules = node_modules();
        assert!(
            modules.join("smpp").exists(),
            "the SMPP test peer is not installed ({}): run `. scripts/lib.sh; ensure_smpp_peer`",
            modules.display()
        );
        let script = crate::center::workspace().join("testkit/smpp-peer/peer.js");
        let mut child = Command::new("node")
            .arg(&script)
            .args([
                "--out",
                &out.display().to_string(),
                "--port",
                &port.to_string(),
            ])
            .env("NODE_PATH", &modules)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node (is node installed?)");
        let stdout = child.stdout.take().expect("peer stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("peer's first line");
        let words: Vec<&str> = line.split_whitespace().collect();
        let (Some(port), Some(control)) = (
            words.get(3).and_then(|p| p.parse().ok()),
            words.get(5).and_then(|p| p.parse().ok()),
        ) else {
            panic!("the SMPP peer did not start: {line:?}");
        };
        SmppPeer {
            _child: Reaped(child),
            port,
            control,
            out,
        }
    }

    /// Every line the peer wrote so far.
    pub fn records(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The records of one kind (`message`: whole messages, parts reassembled).
    pub fn of(&self, pdu: &str) -> Vec<Value> {
        self.records()
            .into_iter()
            .filter(|r| r["pdu"] == pdu)
            .collect()
    }

    /// Waits until `pred` holds for the records (panics after `timeout`, with what came).
    pub fn wait_for(
        &self,
        timeout: Duration,
        what: &str,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let end = Instant::now() + timeout;
        loop {
            let r = self.records();
            if pred(&r) {
                return r;
            }
            if Instant::now() > end {
                panic!(
                    "the SMPP peer never saw {what}; it saw:\n{}",
                    r.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whole messages to `dest`.
    pub fn messages_to(&self, dest: &str) -> Vec<Value> {
        self.of("message")
            .into_iter()
            .filter(|m| m["destination_addr"] == dest)
            .collect()
    }

    fn post(&self, path: &str, body: &str) -> String {
        let mut s =
            std::net::TcpStream::connect(("127.0.0.1", self.control)).expect("peer control");
        write!(
            s,
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("peer control write");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
    }

    /// A citizen texts the center: a `deliver_sm` from `from` to every bound session.
    pub fn deliver(&self, from: &str, text: &str) {
        let body = serde_json::json!({ "from": from, "text": text }).to_string();
        let answer = self.post("/deliver", &body);
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "deliver_sm not sent: {answer}"
        );
    }

    /// Whether `submit_sm` is answered (off: the peer records it and stays silent).
    pub fn set_respond(&self, respond: bool) {
        self.post(
            "/respond",
            &serde_json::json!({ "respond": respond }).to_string(),
        );
    }
}

/// A center file: the round-the-clock test center with an `[sms]` section for this peer.
pub fn center_with_sms(dir: &Path, port: u16, extra: &str) -> PathBuf {
    let base = std::fs::read_to_string(crate::center::always_open_path()).expect("test center");
    let text = format!(
        "{base}\n[sms]\ntransport = \"smpp\"\nhost = \"127.0.0.1\"\nport = {port}\nsystem_id = \"tabour\"\npassword = \"secret\"\nsource_addr = \"TABOUR\"\nname = {{ ar = \"مركز الاختبار\", en = \"Test Center\" }}\n{extra}"
    );
    let path = dir.join("center-sms.toml");
    std::fs::write(&path, text).expect("write the center file");
    path
}

/// Messages of a center's outbox still to be handed over (due, or in flight). Zero means the
/// sender has done all it will ever do with what is written so far: a peer's or gateway's
/// count is then final, so "not sent again" is shown without waiting for what never comes.
pub fn outbox_unsettled(data: &Path) -> i64 {
    let conn = queue_server::store::connect(&data.join("queue.sqlite")).expect("the outbox opens");
    queue_server::sms::outbox::counts(&conn)
        .expect("the outbox reads")
        .into_iter()
        .filter(|(state, _)| state == "due" || state == "sending")
        .map(|(_, n)| n)
        .sum()
}

/// Waits until the outbox is settled (`outbox_unsettled` is zero).
pub async fn outbox_settled(data: &Path, within: Duration) {
    crate::wait::until(within, "the outbox settled", || async {
        outbox_unsettled(data) == 0
    })
    .await;
}

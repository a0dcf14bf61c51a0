//! What the server tells whoever started it: the first-start secrets (`first-start.txt`) and
//! the "listening" line on standard output. Both are boundaries read by other programs (the
//! apps' `--token-file`, the test kit, the developer tools), so they are written and read by
//! this one module and nowhere else.
//!
//! `first-start.txt`, one secret a line:
//! ```text
//! == First start: accounts and device tokens (shown once; also saved to first-start.txt) ==
//!   manager  manager    password 3f9c…
//!   clerk    clerk1     password 81aa…
//!   kiosk    kiosk-1    token 0c4d…
//!   server   ws://127.0.0.1:8740/ws
//! ```

use hall_core::role::Role;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;

/// The name of the file the server writes in its data directory.
pub const FILE_NAME: &str = "first-start.txt";

/// Accounts and devices created at first start, with their secrets in clear: shown once to
/// whoever started the server and saved (mode 0600) in the data directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstStart {
    pub users: Vec<Secret>,
    pub devices: Vec<Secret>,
}

/// One account (password) or device (token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub name: String,
    pub role: Role,
    pub secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FirstStartError {
    #[error("cannot read {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("no {kind} for {name} in {path}")]
    Missing {
        kind: &'static str,
        name: String,
        path: String,
    },
}

impl FirstStart {
    /// The text printed at first start and saved to `first-start.txt`.
    pub fn to_text(&self, addr: SocketAddr) -> String {
        let mut s = String::from(
            "\n== First start: accounts and device tokens (shown once; also saved to first-start.txt) ==\n",
        );
        for (list, kind) in [(&self.users, "password"), (&self.devices, "token")] {
            for Secret { name, role, secret } in list {
                s += &format!("  {:<8} {name:<10} {kind} {secret}\n", role.name());
            }
        }
        s += &format!("  server   ws://{addr}/ws\n\n");
        s
    }

    /// Reads back what `to_text` wrote; lines that are not secrets are skipped.
    pub fn parse(text: &str) -> FirstStart {
        let mut first = FirstStart::default();
        for line in text.lines() {
            let w: Vec<&str> = line.split_whitespace().collect();
            let [role, name, kind, secret] = w[..] else {
                continue;
            };
            let Some(role) = Role::from_name(role) else {
                continue;
            };
            let entry = Secret {
                name: name.into(),
                role,
                secret: secret.into(),
            };
            match kind {
                "password" => first.users.push(entry),
                "token" => first.devices.push(entry),
                _ => {}
            }
        }
        first
    }

    /// Reads `first-start.txt` (the file, or the data directory holding it).
    pub fn read(path: &Path) -> Result<FirstStart, FirstStartError> {
        let path = if path.is_dir() {
            path.join(FILE_NAME)
        } else {
            path.to_path_buf()
        };
        std::fs::read_to_string(&path)
            .map(|t| FirstStart::parse(&t))
            .map_err(|error| FirstStartError::Read {
                path: path.display().to_string(),
                error,
            })
    }

    /// Writes the text readable by its owner only: it holds every secret in clear.
    pub fn write(&self, path: &Path, addr: SocketAddr) -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(path)?.write_all(self.to_text(addr).as_bytes())
    }

    pub fn token(&self, device: &str) -> Option<&str> {
        find(&self.devices, device)
    }

    pub fn password(&self, user: &str) -> Option<&str> {
        find(&self.users, user)
    }
}

/// The token of `device` in a `first-start.txt` (file or data directory): what the apps'
/// `--token-file` reads.
pub fn token_from(path: &Path, device: &str) -> Result<String, FirstStartError> {
    let first = FirstStart::read(path)?;
    first
        .token(device)
        .map(str::to_string)
        .ok_or_else(|| FirstStartError::Missing {
            kind: "token",
            name: device.into(),
            path: path.display().to_string(),
        })
}

fn find<'a>(list: &'a [Secret], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|s| s.name == name)
        .map(|s| s.secret.as_str())
}

/// The line the server prints on standard output once it accepts connections.
pub fn listening_line(addr: SocketAddr) -> String {
    format!(
        "queue-server listening on http://{addr}  (websocket ws://{addr}/ws, health http://{addr}/healthz)"
    )
}

/// The address in a line printed by `listening_line`, if it is one.
pub fn parse_listening_line(line: &str) -> Option<SocketAddr> {
    line.strip_prefix("queue-server listening on http://")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FirstStart {
        let s = |name: &str, role, secret: &str| Secret {
            name: name.into(),
            role,
            secret: secret.into(),
        };
        FirstStart {
            users: vec![
                s("manager", Role::Manager, "pw-m"),
                s("clerk1", Role::Clerk, "pw-1"),
            ],
            devices: vec![
                s("kiosk-1", Role::Kiosk, "tok-k"),
                s("board-1", Role::Board, "tok-b"),
            ],
        }
    }

    #[test]
    fn first_start_text_reads_back_to_the_same_secrets() {
        let addr: SocketAddr = "127.0.0.1:8740".parse().unwrap();
        let first = sample();
        let back = FirstStart::parse(&first.to_text(addr));
        assert_eq!(back, first);
        assert_eq!(back.token("board-1"), Some("tok-b"));
        assert_eq!(back.password("clerk1"), Some("pw-1"));
        assert_eq!(back.token("kiosk-9"), None);
    }

    #[test]
    fn a_missing_device_is_named_in_the_error() {
        let dir = std::env::temp_dir().join(format!("tabour-fs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let addr: SocketAddr = "127.0.0.1:1".parse().unwrap();
        sample().write(&dir.join(FILE_NAME), addr).unwrap();
        assert_eq!(token_from(&dir, "kiosk-1").unwrap(), "tok-k");
        let err = token_from(&dir, "kiosk-7").unwrap_err().to_string();
        assert!(err.contains("kiosk-7"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_listening_line_gives_back_its_address() {
        let addr: SocketAddr = "127.0.0.1:40123".parse().unwrap();
        assert_eq!(parse_listening_line(&listening_line(addr)), Some(addr));
        assert_eq!(parse_listening_line("state rebuilt seq=4"), None);
    }
}

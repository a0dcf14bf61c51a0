//! The board's config file: the server's address and the board's device token, kept across
//! restarts. A board that pairs itself writes its new token here (`app/link.rs`).

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The queue server's websocket, e.g. ws://10.0.0.2:8740/ws.
    pub server: String,
    /// This board's device token; empty until the board is paired.
    #[serde(default)]
    pub token: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            server: "ws://127.0.0.1:8740/ws".into(),
            token: String::new(),
        }
    }
}

impl Settings {
    /// The file's settings; none if there is no file yet; an error if it cannot be read.
    pub fn load(path: &Path) -> Result<Option<Settings>, String> {
        hall_ui::settings_file::load(path)
    }

    /// Keeps the token a manager approved: written into the file at `path` (made with
    /// `server` if there is none), so the next start says hello with it.
    pub fn keep_token(path: &Path, server: &str, token: &str) -> Result<Settings, String> {
        let mut s = Settings::load(path)?.unwrap_or_else(|| Settings {
            server: server.to_string(),
            token: String::new(),
        });
        s.token = token.to_string();
        s.save(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(s)
    }

    /// Written to a temporary file and renamed, so a power cut never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        hall_ui::settings_file::save(self, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_written_is_read_back_and_a_broken_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/board.json");
        assert_eq!(Settings::load(&path).unwrap(), None);
        let s = Settings {
            server: "ws://10.0.0.2:8740/ws".into(),
            token: "ab12".into(),
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), Some(s));
        std::fs::write(&path, "{").unwrap();
        assert!(Settings::load(&path).is_err());
    }
}

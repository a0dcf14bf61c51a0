//! The kiosk's settings: what a technician sets once (server, token, printer, paper, PIN),
//! kept in a small JSON file beside the kiosk so a restart keeps them.

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The queue server's websocket, e.g. ws://10.0.0.2:8740/ws.
    pub server: String,
    /// This kiosk's device token.
    #[serde(default)]
    pub token: String,
    /// Where receipts go: tcp://HOST:PORT, usb:/dev/usb/lp0, file:PATH, or empty for none.
    #[serde(default)]
    pub printer: String,
    /// Paper width in millimetres: 80 or 58.
    #[serde(default = "default_paper")]
    pub paper_mm: u32,
    /// The technician PIN (digits). Made up at first start if not given.
    #[serde(default)]
    pub pin: String,
    /// Where the citizen's ticket page is served (the QR's target); derived from `server`
    /// when empty.
    #[serde(default)]
    pub ticket_base: String,
}

fn default_paper() -> u32 {
    80
}

impl Settings {
    pub fn load(path: &Path) -> Result<Option<Settings>, String> {
        hall_ui::settings_file::load(path)
    }

    /// Written to a temporary file and renamed, so a power cut never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        hall_ui::settings_file::save(self, path)
    }

    /// Keeps the token a manager approved on the pairing screen: into these settings and the
    /// file, so the next start says hello with it.
    pub fn keep_token(&mut self, path: &Path, token: &str) -> std::io::Result<()> {
        self.token = token.to_string();
        self.save(path)
    }

    /// The ticket page's base URL: set, or the server's http(s) address.
    pub fn ticket_base(&self) -> String {
        ticket_base(Some(&self.ticket_base), &self.server)
    }

    /// Dots across the paper: 576 on 80 mm, 384 on 58 mm.
    pub fn width_dots(&self) -> u32 {
        if self.paper_mm == 58 { 384 } else { 576 }
    }
}

/// Where citizens open their ticket pages: `set` when given (not empty), else the server's
/// own address over http(s): `ws://host:port/ws` → `http://host:port`, `wss://` → `https://`.
/// The one base of the QR code on the screen, on the receipt and from `kiosk receipt`.
pub fn ticket_base(set: Option<&str>, server: &str) -> String {
    if let Some(set) = set.filter(|s| !s.is_empty()) {
        return set.trim_end_matches('/').to_string();
    }
    let (scheme, rest) = match server.split_once("://") {
        Some(("wss", rest)) => ("https", rest),
        Some((_, rest)) => ("http", rest),
        None => ("http", server),
    };
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

/// The QR's target for a ticket: the page at the center's public address when the server
/// gave one (`[access] public_url`, the one setting for every kiosk), else `{base}/t/{token}`.
pub fn page_url(receipt: &hall_wire::TicketReceipt, base: &str) -> String {
    receipt
        .page_url
        .clone()
        .unwrap_or_else(|| ticket_url(base, &receipt.token))
}

/// A citizen's ticket page: `{base}/t/{token}`.
pub fn ticket_url(base: &str, token: &str) -> String {
    format!("{}/t/{}", base.trim_end_matches('/'), token)
}

/// A fresh six-digit PIN.
pub fn new_pin() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ticket_page_follows_the_server_address() {
        assert_eq!(
            ticket_base(None, "ws://10.0.0.2:8740/ws"),
            "http://10.0.0.2:8740"
        );
        assert_eq!(
            ticket_base(None, "wss://q.example.eg/ws"),
            "https://q.example.eg"
        );
        let mut s = Settings {
            server: "ws://127.0.0.1:8740/ws".into(),
            token: String::new(),
            printer: String::new(),
            paper_mm: 58,
            pin: "1234".into(),
            ticket_base: String::new(),
        };
        assert_eq!(s.ticket_base(), "http://127.0.0.1:8740");
        assert_eq!(s.width_dots(), 384);
        s.ticket_base = "https://tickets.example.eg/".into();
        assert_eq!(s.ticket_base(), "https://tickets.example.eg");
    }

    #[test]
    fn settings_survive_a_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.json");
        assert_eq!(Settings::load(&path).unwrap(), None);
        let s = Settings {
            server: "ws://h:1/ws".into(),
            token: "t".into(),
            printer: "tcp://p:9100".into(),
            paper_mm: 80,
            pin: new_pin(),
            ticket_base: String::new(),
        };
        assert_eq!(s.pin.len(), 6);
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), Some(s));
        std::fs::write(&path, "{not json").unwrap();
        assert!(
            Settings::load(&path).is_err(),
            "a broken file is an error, not defaults"
        );
    }
}

//! The chain's digest (docs/integrity.md), the hall's core: how a row of the center's two
//! evidence logs is linked to the one before (SHA-256 over a domain string, the previous link
//! and the row's fields) and a day's closing hash over both chains' last links. The center
//! computes them as it writes (`queue-server/src/chain.rs`, which also keeps and checks them in
//! SQLite); the national store recomputes the closing hash from what it holds, with this
//! same code.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

pub type Link = [u8; 32];
/// The link "before" the first row of a chain.
pub const GENESIS: Link = [0; 32];

/// The two chained logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    Events,
    Admin,
}

impl Chain {
    pub const ALL: [Chain; 2] = [Chain::Events, Chain::Admin];

    pub fn name(self) -> &'static str {
        match self {
            Chain::Events => "events",
            Chain::Admin => "admin_log",
        }
    }

    /// How a row is named in messages.
    pub fn row_word(self) -> &'static str {
        match self {
            Chain::Events => "event",
            Chain::Admin => "admin log row",
        }
    }

    /// The string each link of this chain starts from.
    pub fn domain(self) -> &'static [u8] {
        match self {
            Chain::Events => b"tabour-events-v1\0",
            Chain::Admin => b"tabour-admin-v1\0",
        }
    }
}

/// The fields of one row that its link covers.
pub struct Row<'a> {
    pub id: i64,
    pub at_ms: i64,
    pub actor: &'a str,
    pub kind: &'a str,
    pub version: i64,
    pub data: &'a str,
}

/// SHA-256 of: the chain's domain string, the previous link (32 bytes), then `id`, `at_ms`,
/// `version` as 8-byte little-endian integers, then `actor`, `kind`, `data` each as an 8-byte
/// little-endian length and its UTF-8 bytes.
pub fn link(chain: Chain, prev: &Link, row: &Row<'_>) -> Link {
    let mut h = Sha256::new();
    h.update(chain.domain());
    h.update(prev);
    h.update(row.id.to_le_bytes());
    h.update(row.at_ms.to_le_bytes());
    h.update(row.version.to_le_bytes());
    for s in [row.actor, row.kind, row.data] {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    }
    h.finalize().into()
}

pub fn hex(link: &Link) -> String {
    link.iter().map(|b| format!("{b:02x}")).collect()
}

/// The closing hash over its parts (`DayClose::hash`): the center computes it from its file,
/// the central store from the events and links it holds (the same code, docs/integrity.md).
pub fn closing_digest(
    day: NaiveDate,
    last_seq: i64,
    events_link: &Link,
    last_admin: i64,
    admin_link: &Link,
) -> Link {
    let mut h = Sha256::new();
    h.update(b"tabour-day-v1\0");
    h.update(day.format("%Y-%m-%d").to_string().as_bytes());
    h.update(last_seq.to_le_bytes());
    h.update(events_link);
    h.update(last_admin.to_le_bytes());
    h.update(admin_link);
    h.finalize().into()
}

/// A link written by `hex` (64 hexadecimal digits).
pub fn parse_hex(text: &str) -> Option<Link> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = GENESIS;
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

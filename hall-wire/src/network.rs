//! What a center sends to the national network (docs/network.md): one message per committed
//! event on subject `tabour.ev.<governorate>.<center>`, message id `<center>:<seq>`, the
//! event redacted (no ticket-page token, no issuer's key). Passwords, session and device
//! tokens are never events, so they cannot leave the center this way.

use hall_core::event::{EVENT_VERSION, Envelope, Event};
use hall_core::model::Timestamp;
use serde::{Deserialize, Serialize};

/// The prefix of every center's subject; the hub's stream never listens on it itself (it
/// sources the centers' streams), so a leaf's publish is stored once, at home.
pub const SUBJECT_PREFIX: &str = "tabour.ev";

/// Where the simulated sites of the sample network publish, on the hub (`tabour.sim.<g>.<c>`).
pub const SIM_SUBJECT_PREFIX: &str = "tabour.sim";

/// Where each site says it is alive (core NATS, not stored): `tabour.hb.<g>.<c>`. A site whose
/// heartbeats stop is offline; one that beats but sends no event is only quiet.
pub const HEARTBEAT_PREFIX: &str = "tabour.hb";

/// How often a site beats.
pub const HEARTBEAT_EVERY_SECS: u64 = 10;

/// A site's heartbeat: who, the last event its leaf has stored, and the closing hashes of its
/// last ended days (docs/integrity.md), which the central store checks against the events it
/// holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    pub center: String,
    pub governorate: String,
    pub stored: u64,
    pub at: Timestamp,
    /// The last `CLOSINGS_SENT` center-local days that have ended, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closings: Vec<ClosedDay>,
}

/// How many ended days each heartbeat carries the closing hash of (a site offline for longer
/// sends the older ones never; its report still prints them).
pub const CLOSINGS_SENT: usize = 7;

/// One ended day's closing hash as the center computed it (`queue_server::chain::DayClose`):
/// the last event and admin-log row written before the day's end and their chain links (hex),
/// and the hash over them. The admin log stays home, so its part travels as the center says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedDay {
    pub day: chrono::NaiveDate,
    pub last_seq: u64,
    pub events_link: String,
    pub last_admin: u64,
    pub admin_link: String,
    pub hash: String,
}

pub fn heartbeat_subject(governorate: &str, center: &str) -> String {
    format!("{HEARTBEAT_PREFIX}.{governorate}.{center}")
}

/// One committed event of one center, as it travels to the hub.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UplinkEvent {
    pub center: String,
    pub governorate: String,
    pub seq: u64,
    pub at: Timestamp,
    pub actor: String,
    /// The payload version the event was written in (`Event::decode` rules apply).
    pub version: u32,
    pub event: Event,
    /// The event's link in the center's tamper-evident chain (hex, docs/integrity.md): the
    /// central store keeps it, and a day's closing hash is recomputed from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl UplinkEvent {
    /// The event as it may leave the center: redacted.
    pub fn of(center: &str, governorate: &str, env: &Envelope) -> UplinkEvent {
        UplinkEvent {
            center: center.into(),
            governorate: governorate.into(),
            seq: env.seq,
            at: env.at,
            actor: env.actor.clone(),
            version: EVENT_VERSION,
            event: env.event.redacted(),
            link: None,
        }
    }

    /// As `of`, with the event's chain link (hex).
    pub fn linked(center: &str, governorate: &str, env: &Envelope, link: String) -> UplinkEvent {
        UplinkEvent {
            link: Some(link),
            ..UplinkEvent::of(center, governorate, env)
        }
    }

    pub fn envelope(&self) -> Envelope {
        Envelope {
            seq: self.seq,
            at: self.at,
            actor: self.actor.clone(),
            event: self.event.clone(),
        }
    }
}

/// A center or governorate code as it may appear in a subject: lower-case letters, digits and
/// '-', 1 to 32 characters (no '.', '*' or '>', which NATS reads as structure).
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub fn subject(governorate: &str, center: &str) -> String {
    format!("{SUBJECT_PREFIX}.{governorate}.{center}")
}

pub fn message_id(center: &str, seq: u64) -> String {
    format!("{center}:{seq}")
}

/// The sequence number in a message id written by `message_id`.
pub fn seq_of_message_id(id: &str) -> Option<u64> {
    id.rsplit_once(':')?.1.parse().ok()
}

/// The name of a center's stream on its leaf (stream names allow no '.', '*', '>').
pub fn stream_name(center: &str) -> String {
    format!("TABOUR_{}", center.to_ascii_uppercase().replace('-', "_"))
}

/// The JetStream domain of a center's leaf; the hub reaches its stream through
/// `$JS.<domain>.API`.
pub fn leaf_domain(center: &str) -> String {
    format!("c-{center}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_round_trip_and_codes_exclude_subject_syntax() {
        assert_eq!(seq_of_message_id(&message_id("cai-01", 42)), Some(42));
        assert_eq!(seq_of_message_id("nonsense"), None);
        assert!(valid_code("cai-heliopolis"));
        for bad in ["", "a.b", "a*", ">", "Cairo", "a b"] {
            assert!(!valid_code(bad), "{bad:?}");
        }
        assert_eq!(stream_name("cai-01"), "TABOUR_CAI_01");
        assert_eq!(subject("cai", "cai-01"), "tabour.ev.cai.cai-01");
    }

    #[test]
    fn a_citizens_suffixes_and_feedback_comment_never_leave_the_center() {
        use hall_core::model::TicketId;
        let at = "2026-12-02T09:00:00Z".parse().unwrap();
        let created = Envelope {
            seq: 7,
            at,
            actor: "clerk:mona".into(),
            event: Event::RequestCreated {
                reference: "HEL-26-000001".into(),
                ticket: TicketId(3),
                service: "BLD-LIC".into(),
                counter: 2,
                expected_ready: "2026-12-09".parse().unwrap(),
                suffixes: vec!["4821".into(), "9307".into()],
            },
        };
        let feedback = Envelope {
            seq: 8,
            at,
            actor: "citizen:page".into(),
            event: Event::FeedbackGiven {
                ticket: TicketId(3),
                rating: 2,
                comment: "call me on 01001234821".into(),
            },
        };
        for env in [created, feedback] {
            let sent = serde_json::to_string(&UplinkEvent::of("cai-01", "cai", &env)).unwrap();
            for secret in ["4821", "9307", "0100"] {
                assert!(!sent.contains(secret), "{secret} left the center in {sent}");
            }
            assert!(
                sent.contains("HEL-26-000001") || sent.contains("\"rating\":2"),
                "{sent}"
            );
        }
    }
}

//! Events: the only way state changes. They are stored in the log and pushed to subscribers.
//!
//! Stored events carry a version (`EVENT_VERSION`) so an old log still replays after the
//! payloads move on: `Envelope::decode` upcasts older versions.

use crate::model::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the event payloads written now. 2 added `printer_status_changed`; 3 added
/// `request_created`, `request_state_changed` and `feedback_given`; every older payload reads
/// unchanged as version 3. A program that knows only version 1 refuses
/// a newer log by number rather than failing on an unknown event type.
pub const EVENT_VERSION: u32 = 3;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The center's configuration, at first start or when the file changed.
    CatalogLoaded {
        catalog: Box<Catalog>,
    },
    /// A new local day: numbering restarts and anything left from the day before is closed.
    DayStarted {
        day: NaiveDate,
    },
    TicketIssued {
        ticket: Box<Ticket>,
    },
    TicketCalled {
        ticket: TicketId,
        counter: CounterId,
        /// Present when the clerk chose this ticket instead of the next one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        out_of_order_reason: Option<String>,
    },
    TicketRecalled {
        ticket: TicketId,
        counter: CounterId,
    },
    ServiceStarted {
        ticket: TicketId,
        counter: CounterId,
    },
    TicketFinished {
        ticket: TicketId,
        counter: CounterId,
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    TicketNoShow {
        ticket: TicketId,
        counter: CounterId,
    },
    TicketCancelled {
        ticket: TicketId,
        reason: CancelReason,
    },
    TicketTransferred {
        ticket: TicketId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_counter: Option<CounterId>,
        to_service: ServiceCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_counter: Option<CounterId>,
        front: bool,
    },
    TicketParked {
        ticket: TicketId,
        counter: CounterId,
        #[serde(default)]
        note: String,
    },
    TicketReturned {
        ticket: TicketId,
        counter: CounterId,
    },
    CounterOpened {
        counter: CounterId,
        clerk: String,
    },
    CounterClosed {
        counter: CounterId,
    },
    CounterPaused {
        counter: CounterId,
    },
    CounterResumed {
        counter: CounterId,
    },
    ServiceAvailabilitySet {
        service: ServiceCode,
        open: bool,
    },
    CounterProfileSet {
        counter: CounterId,
        profile: Vec<ProfileEntry>,
    },
    MessageSet {
        text: String,
    },
    /// A kiosk's printer changed state (recorded only on a change; version 2).
    PrinterStatusChanged {
        /// The reporting device's name.
        device: String,
        status: PrinterStatus,
        #[serde(default)]
        detail: String,
    },
    /// A request handed in at a window (`finish` with `request_submitted`; version 3). Who and
    /// when are the envelope's. `suffixes` (last four digits of the citizen's phone and/or
    /// national ID) is secret: `redacted` empties it.
    RequestCreated {
        reference: String,
        ticket: TicketId,
        service: ServiceCode,
        counter: CounterId,
        expected_ready: NaiveDate,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        suffixes: Vec<String>,
    },
    /// The back office (or the pickup window) moved a request on (version 3).
    RequestStateChanged {
        reference: String,
        state: crate::request::RequestState,
        #[serde(default)]
        note: String,
    },
    /// A citizen rated the service of their ticket from its page, once (version 3). The
    /// comment is free text a citizen may put a phone number in: `redacted` empties it.
    FeedbackGiven {
        ticket: TicketId,
        rating: u8,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        comment: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// Withdrawn by the citizen or staff.
    Withdrawn,
    /// Still open when the day ended.
    DayEnded,
    /// Its service left the catalog.
    ServiceRemoved,
}

impl Event {
    /// The ticket an event is about, if any.
    pub fn ticket(&self) -> Option<TicketId> {
        use Event::*;
        match self {
            TicketIssued { ticket } => Some(ticket.id),
            TicketCalled { ticket, .. }
            | TicketRecalled { ticket, .. }
            | ServiceStarted { ticket, .. }
            | TicketFinished { ticket, .. }
            | TicketNoShow { ticket, .. }
            | TicketCancelled { ticket, .. }
            | TicketTransferred { ticket, .. }
            | TicketParked { ticket, .. }
            | TicketReturned { ticket, .. }
            | FeedbackGiven { ticket, .. } => Some(*ticket),
            _ => None,
        }
    }

    /// The event as subscribers and the uplink may see it: no ticket-page token, no issuer's
    /// request key, no citizen's contact suffix, no feedback comment. Applying redacted events
    /// to a public snapshot gives the next public snapshot.
    pub fn redacted(&self) -> Event {
        match self {
            Event::TicketIssued { ticket } => Event::TicketIssued {
                ticket: Box::new(ticket.public()),
            },
            Event::RequestCreated {
                reference,
                ticket,
                service,
                counter,
                expected_ready,
                suffixes: _,
            } => Event::RequestCreated {
                reference: reference.clone(),
                ticket: *ticket,
                service: service.clone(),
                counter: *counter,
                expected_ready: *expected_ready,
                suffixes: Vec::new(),
            },
            Event::FeedbackGiven { ticket, rating, .. } => Event::FeedbackGiven {
                ticket: *ticket,
                rating: *rating,
                comment: String::new(),
            },
            e => e.clone(),
        }
    }

    /// Every event's `kind`, in the order of the enum (the audit log's filter offers them).
    /// Add a new event here and in `kind`; a test checks the two agree.
    pub const KINDS: [&'static str; 23] = [
        "catalog_loaded",
        "day_started",
        "ticket_issued",
        "ticket_called",
        "ticket_recalled",
        "service_started",
        "ticket_finished",
        "ticket_no_show",
        "ticket_cancelled",
        "ticket_transferred",
        "ticket_parked",
        "ticket_returned",
        "counter_opened",
        "counter_closed",
        "counter_paused",
        "counter_resumed",
        "service_availability_set",
        "counter_profile_set",
        "message_set",
        "printer_status_changed",
        "request_created",
        "request_state_changed",
        "feedback_given",
    ];

    pub fn kind(&self) -> &'static str {
        use Event::*;
        match self {
            CatalogLoaded { .. } => "catalog_loaded",
            DayStarted { .. } => "day_started",
            TicketIssued { .. } => "ticket_issued",
            TicketCalled { .. } => "ticket_called",
            TicketRecalled { .. } => "ticket_recalled",
            ServiceStarted { .. } => "service_started",
            TicketFinished { .. } => "ticket_finished",
            TicketNoShow { .. } => "ticket_no_show",
            TicketCancelled { .. } => "ticket_cancelled",
            TicketTransferred { .. } => "ticket_transferred",
            TicketParked { .. } => "ticket_parked",
            TicketReturned { .. } => "ticket_returned",
            CounterOpened { .. } => "counter_opened",
            CounterClosed { .. } => "counter_closed",
            CounterPaused { .. } => "counter_paused",
            CounterResumed { .. } => "counter_resumed",
            ServiceAvailabilitySet { .. } => "service_availability_set",
            CounterProfileSet { .. } => "counter_profile_set",
            MessageSet { .. } => "message_set",
            PrinterStatusChanged { .. } => "printer_status_changed",
            RequestCreated { .. } => "request_created",
            RequestStateChanged { .. } => "request_state_changed",
            FeedbackGiven { .. } => "feedback_given",
        }
    }
}

/// An event as logged: its place in the log, when, and who caused it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub seq: u64,
    pub at: Timestamp,
    /// "kiosk:kiosk-1", "clerk:mona", "manager:admin", "system".
    pub actor: String,
    pub event: Event,
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("event version {0} is newer than this program understands ({EVENT_VERSION})")]
    FutureVersion(u32),
    #[error("malformed event: {0}")]
    Malformed(#[from] serde_json::Error),
}

impl Event {
    /// Decodes a stored payload of the given version (upcasting older versions).
    pub fn decode(version: u32, json: &str) -> Result<Event, DecodeError> {
        match version {
            // Versions 2 and 3 only added event types (and `request_submitted`): older payloads
            // read as they are. Later versions add arms that upcast from here.
            1..=3 => Ok(serde_json::from_str(json)?),
            v => Err(DecodeError::FutureVersion(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_lists_every_event_type_once() {
        // serde names every variant when it refuses an unknown one: that list is the enum's.
        let refused = serde_json::from_str::<Event>(r#"{"type": "no_such_event"}"#)
            .unwrap_err()
            .to_string();
        let mut variants: Vec<&str> = refused.split('`').skip(3).step_by(2).collect();
        let mut kinds = Event::KINDS.to_vec();
        variants.sort_unstable();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), Event::KINDS.len(), "a kind is listed twice");
        assert_eq!(variants, kinds);
    }
}

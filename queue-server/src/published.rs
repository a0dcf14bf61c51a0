//! What the writer publishes after each commit, for every subscriber: the connections (the
//! frame, serialized once for all of them) and the in-process consumers (the estimator, the
//! dashboard, the uplink), which read the events as they are instead of decoding the frame.

use axum::extract::ws::Utf8Bytes;
use hall_core::Envelope;

/// One committed batch.
#[derive(Debug)]
pub struct Published {
    pub first_seq: u64,
    pub last_seq: u64,
    /// `{"type":"delta","events":[…]}`, the events redacted as clients see them.
    pub frame: Utf8Bytes,
    /// The same events.
    pub events: Vec<Envelope>,
}

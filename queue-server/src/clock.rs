//! The server's clock: every instant the server acts on comes from one `Clock` it was given
//! (the system's in production, a controlled one in tests), never from a read of its own.

use hall_core::Timestamp;
use std::sync::Arc;

pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The system's clock.
pub fn system() -> Clock {
    Arc::new(chrono::Utc::now)
}

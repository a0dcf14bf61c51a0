//! One module per family of requests: what each asks of the hub and how it changes the
//! connection. `dispatch.rs` has already parsed the frame and checked the role.
//!
//! - `queue`: the queue commands, for the engine (through the writer).
//! - `watch`: the streams: the hall, a ticket's page, live views.
//! - `pairing`: a device asking to be paired.
//! - `admin`: the manager's requests that are not queue commands.
//! - `requests`: requests followed after the window (back office list, look-up, status).
//!
//! Identity (`hello`, `login`, `logout`) is `session.rs`'s.

pub(crate) mod admin;
pub(crate) mod pairing;
pub(crate) mod queue;
pub(crate) mod requests;
pub(crate) mod watch;

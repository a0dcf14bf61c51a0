//! The test kit: what the tests of every crate share, so that no test file carries its own
//! copy of a server launcher, a websocket helper or a scenario setup.
//!
//! - `hall`: the simulated hall, given (events) / when (command) / then (events or rejection),
//!   on simulated time.

pub mod hall;

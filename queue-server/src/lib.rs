//! queue-server: a center's server around the pure queue engine (`hall_core::engine`, kept
//! beside `apply` in the hall's core and re-exported here as `engine`): its SQLite event
//! store, the writer, and the websocket server.
//!
//! - `store`: event log, snapshots, migrations (rusqlite, WAL, synchronous=FULL).
//! - `chain`: the tamper-evident links over events and the admin log, their checks, and a
//!   day's closing hash.
//! - `writer`: the single task owning engine state and store; group commit.
//! - `shell`: the HTTP/websocket shell by concern (hub, connections, sessions and roles, one
//!   handler per request family, routes); `server` keeps the paths other crates use.
//! - `auth`: device tokens, staff passwords and sessions.
//! - `cli`: the binary's command line and start-up (so a test can run it as a child process).
//! - `config`: the center's TOML configuration.
//! - `kpi`: wait and service times folded from events.
//! - `dashboard`: the managers' live dashboard, computed from a mirror of the hall.
//! - `estimator`: the queue model (`hall_forecast`) on its own thread: estimates and the
//!   staffing advisor.
//! - `pairing`: devices waiting for a manager to approve their code.
//! - `reports`: reports (CSV, XLSX) and the audit log, read back from the database.
//! - `views`: live views (a clerk's desk) the writer pushes to watching connections.
//! - `uplink`: every committed event, redacted, to the center's NATS leaf (docs/network.md).
//! - `sms`: messages to citizens: the outbox (written with the events), SMPP and HTTP
//!   transports, texts in (STOP, a request's status); docs/messages.md.
//! - `web`: the staff consoles and the citizen's ticket page, embedded static files.

pub mod auth;
pub mod chain;
pub mod cli;
pub mod clock;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod estimator;
pub mod guide;
pub mod pairing;
pub mod poster;
pub mod published;
pub mod reports;
pub mod server;
pub mod shell;
pub mod slips;
pub mod sms;
pub mod sms_link;
pub mod status_page;
pub mod store;
pub mod suffix_guard;
pub mod uplink;
pub mod views;
pub mod web;
pub mod writer;

//! The test kit: what the tests of every crate share, so that no test file carries its own
//! copy of a server launcher, a websocket helper or a scenario setup. Only integration tests
//! and benches depend on it (and the load generator, which drives servers the same way).
//!
//! - `hall`: the simulated hall, given (events) / when (command) / then (events or rejection),
//!   on simulated time.
//! - `center`: the workspace's paths and the round-the-clock test center.
//! - `ports`: a free TCP port on loopback.
//! - `ws`: the async websocket client speaking the protocol, and the request helpers tests use.
//! - `endpoint`: a running server's address and first-start secrets, and connections to it as
//!   a device, a citizen or staff.
//! - `in_process`: a server in this process, on port 0, with its router for `oneshot` HTTP.
//! - `process`: the real `queue-server` binary as a child process.
//! - `nats`: real NATS servers, a hub and leaf nodes with JetStream; `proxy`: a TCP link that
//!   can be cut and restored; `postgres`: a temporary PostgreSQL cluster.
//! - `browser`: headless Chromium over WebDriver, for the web pages.
//! - `qr`: QR codes decoded back to text, from any 1-bit picture (receipts).
//! - `seed`: a believable hall, filled over the websocket, for screenshots and demos.
//! - `wait`: waiting with a deadline for what a test cannot be told about.

pub mod browser;
pub mod center;
pub mod emupos;
pub mod endpoint;
pub mod hall;
pub mod in_process;
pub mod nats;
pub mod ports;
pub mod postgres;
pub mod process;
pub mod proxy;
pub mod qr;
pub mod seed;
pub mod smpp;
pub mod wait;
pub mod ws;

pub use endpoint::Endpoint;
pub use in_process::TestServer;
pub use process::ServerProcess;
pub use ws::WsClient;

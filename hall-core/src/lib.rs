//! The hall's core: what a center is (`model`), the events that change a hall and the pure
//! fold over them (`event`, `state::apply`), the commands staff and devices send and the pure
//! decision that turns one into events (`command`, `engine::decide`), the routing rule, the
//! KPI fold over a log (`kpi`), the chain's digest (`digest`), the center's local time
//! (`clock`) and the words in both languages (`i18n`). No I/O and no clock: every instant is
//! passed in, so a whole day replays the same on simulated time (ARCHITECTURE.md).
//!
//! Layers inside, each using only those before it: `model`, `error`, `role` ← `i18n` ←
//! `format`, `request` ← `event`, `clock`, `command` ← `state` ← `engine`, `kpi`; `digest` stands alone.

pub mod clock;
pub mod command;
pub mod digest;
pub mod engine;
pub mod error;
pub mod event;
pub mod format;
pub mod i18n;
pub mod kpi;
pub mod model;
pub mod opening;
pub mod request;
pub mod role;
pub mod state;

pub use event::{CancelReason, Envelope, Event};
pub use model::*;
pub use state::{State, apply};

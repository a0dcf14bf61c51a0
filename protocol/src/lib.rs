//! The shared language of the queue system: the catalog and hall model, the events that change
//! it, the websocket frames, and a blocking client. Everything serializable lives here
//! (ARCHITECTURE.md: "if a type is serializable, it is part of a boundary").

pub mod client;
pub mod clock;
pub mod command;
pub mod digest;
pub mod engine;
pub mod error;
pub mod estimates;
pub mod event;
pub mod forecast;
pub mod i18n;
pub mod kpi;
pub mod manager;
pub mod model;
pub mod network;
pub mod request;
pub mod role;
pub mod startup;
pub mod state;
pub mod views;
pub mod wire;

pub use estimates::TicketView;
pub use event::{CancelReason, Envelope, Event};
pub use model::*;
pub use state::{State, apply};
pub use wire::*;

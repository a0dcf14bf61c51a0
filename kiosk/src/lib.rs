//! The kiosk: a citizen takes a ticket for a service and gets a printed receipt.
//!
//! - `flow`: the citizen's path through the screens, a pure state machine (no window, no clock).
//! - `screens`: what each screen says and offers, as data (drawn by `app`, read by tests).
//! - `opening`: opening hours in words, and when a closed service opens next (the core's, shared with the
//!   center's service guide).
//! - `settings`: what a technician sets (server, token, printer, paper, PIN), kept in a file.
//! - `printing`: the printer thread: render, print, check status, report faults.
//! - `app`: the bevy window as plugins: citizen screens in bevy UI, the technician panel in
//!   egui, the server link (the protocol client, no thread of its own).
//! - `receipt`, `printer`: the receipt drawn to a 1-bit raster and encoded as ESC/POS, and the
//!   printer drivers with DLE EOT status (crate `hall-print`, shared with the counters' slips).
//! - `receipt_cmd`: `kiosk receipt`, the window-less path for checks and technicians.
pub mod app;
pub mod egui_text;
pub mod flow;
pub use hall_core::opening;
pub use hall_print::printer;
pub mod printing;
pub use hall_print::receipt;
pub mod receipt_cmd;
pub mod screens;
pub mod settings;

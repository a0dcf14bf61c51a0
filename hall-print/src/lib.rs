//! Paper at a citizen service center.
//!
//! - `receipt`: the kiosk's ticket receipt drawn to a 1-bit raster (printers cannot shape
//!   Arabic), encoded as ESC/POS raster strips; the text drawing and the QR code it shares.
//! - `slip`: the request slip a counter prints when a clerk submits a request (its reference,
//!   service, expected ready day and the QR code to `/r/...`), drawn the same way.
//! - `printer`: printer drivers (network, USB device file, file) and `DLE EOT` status, every
//!   wait bounded.
//!
//! Used by the kiosk (its receipts) and the queue server (the counters' slips). Nothing here
//! reads a clock: the time printed is passed in.
pub mod printer;
pub mod receipt;
pub mod slip;

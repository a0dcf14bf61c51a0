//! The kiosk: a citizen takes a ticket for a service and gets a printed receipt.
//!
//! - `receipt`: the receipt drawn to a 1-bit raster and encoded as ESC/POS.
//! - `printer`: printer drivers (network, USB device file, file) and DLE EOT status.
pub mod printer;
pub mod receipt;
pub mod receipt_cmd;

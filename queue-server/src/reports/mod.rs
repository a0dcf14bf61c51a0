//! What managers read back: reports over a date range (folded by `kpi`) exported as CSV and
//! XLSX, and the audit log (the event log plus `admin_log`), written out in both languages.
//! Reads through its own SQLite connection; never writes.
//!
//! - `read`: the reading connection, events between two instants, a report over local days,
//!   the names of services and counters.
//! - `audit`: the audit log, each line written out in both languages.
//! - `table`: the report's table shape, which `csv` and `xlsx` render.
//! - `requests`: the requests handed in on the report's days (CSV and the workbook's sheet).

mod audit;
mod csv;
mod read;
mod requests;
mod table;
mod xlsx;

pub use audit::kinds as audit_kinds;
pub use csv::csv;
pub use read::{AuditQuery, NameBook, Reader, closing_hash};
pub use requests::requests_csv;
pub use table::file_name;
pub use xlsx::xlsx;

#[cfg(test)]
mod tests;

//! Messages to citizens (docs/messages.md), the part the writer uses: a durable outbox in the
//! center's store, written in the transaction of the event that causes a message, the texts,
//! their encoding, and the reading of a citizen's text. The tasks that send and receive over
//! the link to the SMSC are above the writer, in `sms_link`.
//!
//! - `settings`: the `[sms]` section (none: nothing here runs, no number is kept).
//! - `phone`: a citizen's number, one normal form, never shown whole.
//! - `notify`: on the writer's thread: which messages a batch causes, the kept numbers.
//! - `outbox`: the tables (migrations 5 and 6) and every statement on them.
//! - `texts`: the texts from `sms.ftl`, Arabic plural forms and digits.
//! - `encode`: GSM-7 / UCS-2, parts and their concatenation headers.
//! - `ask`: what a citizen's text asks (STOP, a request's status) and in which language.

pub mod ask;
pub mod encode;
pub mod notify;
pub mod outbox;
pub mod phone;
pub mod settings;
pub mod texts;

pub use notify::Notifier;
pub use phone::Phone;
pub use settings::SmsSettings;

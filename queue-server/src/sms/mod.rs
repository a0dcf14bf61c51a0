//! Messages to citizens (docs/messages.md): a durable outbox in the center's store, written in
//! the transaction of the event that causes a message, and a sender that hands each message
//! once to an SMPP 3.4 link or an HTTP gateway.
//!
//! - `settings`: the `[sms]` section (none: nothing here runs, no number is kept).
//! - `phone`: a citizen's number, one normal form, never shown whole.
//! - `notify`: on the writer's thread: which messages a batch causes, the kept numbers.
//! - `outbox`: the tables (migrations 5 and 6) and every statement on them.
//! - `texts`: the texts from `sms.ftl`, Arabic plural forms and digits.
//! - `encode`: GSM-7 / UCS-2, parts and their concatenation headers.
//! - `sender`: pages of due rows → the transport, back-off, staleness, per-phone limits.
//! - `smpp`, `http`: the two transports.
//! - `inbound`: texts from citizens: STOP, a request's status.

pub mod encode;
pub mod http;
pub mod inbound;
pub mod notify;
pub mod outbox;
pub mod phone;
pub mod sender;
pub mod settings;
pub mod smpp;
pub mod texts;

pub use notify::Notifier;
pub use phone::Phone;
pub use settings::SmsSettings;

use crate::writer::{Clock, WeakWriter};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, mpsc, watch};

/// A text a citizen sent to the center's number.
#[derive(Clone, Debug)]
pub struct Inbound {
    /// The sender's address as the SMSC gave it.
    pub from: String,
    pub text: String,
}

/// Why a part was not sent.
#[derive(Clone, Debug, PartialEq)]
pub enum SendError {
    /// Not handed over (no link, refused for now): try again later.
    Retry(String),
    /// Refused for good (a bad number, a refused account).
    Permanent(String),
    /// Handed over but not acknowledged: the SMSC may have it; never sent again.
    Uncertain(String),
}

#[derive(Clone)]
pub enum Transport {
    Smpp(smpp::SmppLink),
    Http(Arc<http::Target>),
}

/// Starts the transport, the sender and the inbound handler. `wake` is the writer's
/// notifier's: a committed message wakes the sender at once.
pub fn start(
    settings: Arc<SmsSettings>,
    db_path: &Path,
    clock: Clock,
    wake: Arc<Notify>,
    writer: WeakWriter,
    shutdown: watch::Receiver<bool>,
) -> Result<(), String> {
    let conn = crate::store::connect(db_path).map_err(|e| e.to_string())?;
    let db = Arc::new(Mutex::new(conn));
    let (in_tx, in_rx) = mpsc::channel(256);
    let transport = match settings.transport {
        settings::Transport::Smpp => {
            Transport::Smpp(smpp::start(settings.clone(), in_tx, shutdown.clone()))
        }
        settings::Transport::Http => {
            drop(in_tx);
            Transport::Http(Arc::new(http::target(&settings.url)?))
        }
    };
    let sender = sender::Sender {
        settings: settings.clone(),
        db: db.clone(),
        transport,
        clock: clock.clone(),
        wake: wake.clone(),
        shutdown: shutdown.clone(),
    };
    tokio::spawn(sender.run());
    tokio::spawn(inbound::run(
        settings, db, clock, wake, writer, in_rx, shutdown,
    ));
    Ok(())
}

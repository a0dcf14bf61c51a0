//! The link to the SMSC, above the writer (docs/messages.md): the sender that hands each
//! message of the outbox (`sms::outbox`) once to an SMPP 3.4 link or an HTTP gateway, and the
//! task that answers citizens' texts (asking the writer for the words).
//!
//! - `sender`: pages of due rows → the transport, back-off, staleness, per-phone limits.
//! - `smpp`, `http`: the two transports.
//! - `inbound`: texts from citizens: STOP, a request's status, rate-limited per number.

pub mod http;
pub mod inbound;
pub mod sender;
pub mod smpp;

use crate::clock::Clock;
use crate::sms::settings::{self, SmsSettings};
use crate::writer::WeakWriter;
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

/// Runs `f` on the link's own connection, off the async workers (SQLite blocks).
async fn db<T: Send + 'static>(
    db: &Arc<Mutex<rusqlite::Connection>>,
    f: impl FnOnce(&mut rusqlite::Connection) -> T + Send + 'static,
) -> T {
    let db = db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    })
    .await
    .expect("sms database task")
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

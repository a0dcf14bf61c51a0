//! The writer's handles: every round trip to the writer task as a method, so no caller builds
//! a `WriterMsg` or a reply channel by hand. `WriterHandle` keeps the writer running;
//! `WeakWriter` (the ticker, the estimator, the dashboard, the SMS tasks) never does, and
//! each of its round trips answers `None` once the writer has stopped.

use super::{PhoneFor, StateRead, WriterMsg};
use crate::views::ViewKey;
use axum::extract::ws::Utf8Bytes;
use hall_core::engine::{Actor, Command};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::{State, Timestamp};
use hall_forecast::estimates::TicketView;
use hall_wire::ReplyBody;
use hall_wire::views::LiveView;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, watch};

/// Commands and requests waiting for the writer, at most.
pub const QUEUE: usize = 16 * 1024;

/// The answer to anything asked of a writer that has stopped.
pub(crate) fn shutting_down() -> ErrorBody {
    ErrorBody::new(
        ErrorCode::ShuttingDown,
        "the server is shutting down; try again shortly",
    )
}

/// A sender to the writer task; the writer runs while one exists.
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<WriterMsg>,
}

/// A sender that does not keep the writer running.
#[derive(Clone)]
pub struct WeakWriter {
    tx: mpsc::WeakSender<WriterMsg>,
}

/// A handle and the receiving end the writer's thread runs on (`Writer::run`).
pub fn channel() -> (WriterHandle, mpsc::Receiver<WriterMsg>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    (WriterHandle { tx }, rx)
}

impl WriterHandle {
    pub fn downgrade(&self) -> WeakWriter {
        WeakWriter {
            tx: self.tx.downgrade(),
        }
    }

    async fn ask<T>(&self, msg: impl FnOnce(oneshot::Sender<T>) -> WriterMsg) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        self.tx.send(msg(reply)).await.ok()?;
        answer.await.ok()
    }

    /// Hands a command to the writer and waits for its answer (after the commit).
    pub async fn command(&self, actor: Actor, command: Command) -> Result<ReplyBody, ErrorBody> {
        self.ask(|reply| WriterMsg::Command {
            actor,
            command,
            reply,
        })
        .await
        .ok_or_else(shutting_down)?
    }

    /// Something read from the committed state on the writer's thread; `f` must be quick and
    /// must not block.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&State, Timestamp) -> T + Send + 'static,
    ) -> Result<T, ErrorBody> {
        let (msg, answer) = read_msg(f);
        self.tx.send(msg).await.map_err(|_| shutting_down())?;
        answer.await.map_err(|_| shutting_down())
    }

    /// The same, from a thread outside the runtime (the estimator's).
    pub fn blocking_read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&State, Timestamp) -> T + Send + 'static,
    ) -> Result<T, ErrorBody> {
        let (msg, answer) = read_msg(f);
        self.tx.blocking_send(msg).map_err(|_| shutting_down())?;
        answer.blocking_recv().map_err(|_| shutting_down())
    }

    /// The committed hall as a serialized `snapshot` frame, with its seq.
    pub async fn snapshot(&self) -> Option<(u64, Utf8Bytes)> {
        self.ask(|reply| WriterMsg::Snapshot { reply }).await
    }

    /// Follows a ticket's page view, by the ticket's page token.
    pub async fn watch_ticket(
        &self,
        token: String,
    ) -> Result<watch::Receiver<Arc<TicketView>>, ErrorBody> {
        self.ask(|reply| WriterMsg::Watch { token, reply })
            .await
            .ok_or_else(shutting_down)?
    }

    /// Follows a live view (a clerk's desk); see `views.rs`.
    pub async fn watch_view(
        &self,
        key: ViewKey,
    ) -> Result<watch::Receiver<Arc<LiveView>>, ErrorBody> {
        self.ask(|reply| WriterMsg::WatchView { key, reply })
            .await
            .ok_or_else(shutting_down)
    }

    /// Keeps a phone number for an open ticket (outside the log); the number masked.
    pub async fn keep_phone(
        &self,
        target: PhoneFor,
        phone: crate::sms::Phone,
        lang: String,
    ) -> Result<String, ErrorBody> {
        self.ask(|reply| WriterMsg::KeepPhone {
            target,
            phone,
            lang,
            reply,
        })
        .await
        .ok_or_else(shutting_down)?
    }

    /// The words of an answer to a citizen's text.
    pub async fn sms_answer(
        &self,
        ask: crate::sms::ask::StatusAsk,
        lang: &'static str,
    ) -> Option<String> {
        self.ask(|reply| WriterMsg::SmsAnswer { ask, lang, reply })
            .await
    }

    /// A copy of the whole committed state, today's closed tickets included.
    pub async fn full_state(&self) -> Option<State> {
        self.ask(|reply| WriterMsg::FullState { reply }).await
    }

    /// The half-second tick (a new day at midnight, pages and views refreshed); false once
    /// the writer has stopped.
    pub async fn tick(&self) -> bool {
        self.tx.send(WriterMsg::Tick).await.is_ok()
    }
}

/// A look at the state for the writer's thread, and where its answer comes.
fn read_msg<T: Send + 'static>(
    f: impl FnOnce(&State, Timestamp) -> T + Send + 'static,
) -> (WriterMsg, oneshot::Receiver<T>) {
    let (reply, answer) = oneshot::channel();
    let read: StateRead = Box::new(move |state: &State, now| {
        let _ = reply.send(f(state, now));
    });
    (WriterMsg::Read { read }, answer)
}

impl WeakWriter {
    pub fn upgrade(&self) -> Option<WriterHandle> {
        self.tx.upgrade().map(|tx| WriterHandle { tx })
    }
}

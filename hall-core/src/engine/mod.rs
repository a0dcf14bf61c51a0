//! The queue engine: pure. `decide` turns a command into events or a rejection; state changes
//! only through `crate::apply`. No I/O, no clock: the instant is an argument.
//!
//! `counter`: what a clerk does at a counter; `ticket`: issuing, cancelling, transferring;
//! `admin`: the catalog, the day, services, profiles, the message line, printers. This module
//! holds the dispatch; `actor` who asks, `lookup` the look-ups and limits the families share.

mod actor;
mod admin;
mod counter;
mod lookup;
mod request;
mod ticket;

pub use actor::Actor;
pub use lookup::Rejection;

/// The command type is the one the wire carries (`command.rs`): one type from frame to engine.
pub use crate::command::Command;
use crate::{Event, Outcome, State, Timestamp, clock};

/// The day-change command due at `now`, if the local day moved on (or none has started).
pub fn day_change(state: &State, now: Timestamp) -> Option<Command> {
    let catalog = state.catalog.as_ref()?;
    let today = clock::local_day(catalog, now);
    (state.day != Some(today)).then_some(Command::StartDay { day: today })
}

/// What `command` by `actor` at `now` does to the hall: the events to apply, or why not.
/// Each family of commands is decided in its own module.
pub fn decide(
    state: &State,
    actor: &Actor,
    command: &Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    use Command::*;
    match command {
        LoadCatalog { catalog } => Ok(admin::load_catalog(state, catalog)),
        StartDay { day } => Ok(admin::start_day(state, *day)),
        IssueTicket {
            service,
            priority,
            idempotency_key,
            token,
        } => {
            // An empty key is no key: the server refuses one from the wire, so only the
            // server's own commands and tests issue without.
            let key = Some(idempotency_key.as_str()).filter(|k| !k.is_empty());
            ticket::issue(state, actor, service, *priority, key, token, now)
        }
        OpenCounter { counter } => counter::open(state, actor, *counter),
        CloseCounter { counter } => counter::close(state, actor, *counter),
        PauseCounter { counter } => counter::pause(state, actor, *counter),
        ResumeCounter { counter } => counter::resume(state, actor, *counter),
        CallNext { counter } => counter::call_next(state, actor, *counter, now),
        CallTicket {
            counter,
            ticket,
            reason,
        } => counter::call_ticket(state, actor, *counter, *ticket, reason),
        Recall { counter } => counter::recall(state, actor, *counter),
        NoShow { counter } => counter::no_show(state, actor, *counter),
        StartServing { counter } => counter::start_serving(state, actor, *counter),
        Finish {
            counter,
            outcome: Outcome::RequestSubmitted,
            reference,
            suffixes,
        } => request::submit(state, actor, *counter, reference.as_deref(), suffixes, now),
        Finish {
            counter,
            outcome,
            reference,
            ..
        } => counter::finish(state, actor, *counter, *outcome, reference.as_deref()),
        Transfer {
            counter,
            ticket,
            target,
            position,
        } => ticket::transfer(state, actor, *counter, *ticket, target, *position),
        Park { counter, note } => counter::park(state, actor, *counter, note),
        ReturnParked { counter, ticket } => counter::return_parked(state, actor, *counter, *ticket),
        CancelTicket { ticket } => ticket::cancel_ticket(state, *ticket),
        WithdrawTicket { token } => ticket::withdraw(state, token),
        SetServiceOpen { service, open } => admin::set_service_open(state, service, *open),
        SetCounterProfile { counter, profile } => {
            admin::set_counter_profile(state, *counter, profile)
        }
        SetMessage { text } => admin::set_message(text),
        ReportPrinter { status, detail } => admin::report_printer(state, actor, *status, detail),
        SetRequestState {
            reference,
            state: next,
            note,
        } => request::set_state(state, actor, reference, next, note),
        GiveFeedback {
            token,
            rating,
            comment,
        } => request::feedback(state, token, *rating, comment),
    }
}

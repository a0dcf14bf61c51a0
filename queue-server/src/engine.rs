//! The queue engine: pure. `decide` turns a command into events or a rejection; state changes
//! only through `protocol::apply`. No I/O, no clock: the instant is an argument.

use chrono::NaiveDate;
use protocol::state::{idempotency_slot, next_for_counter};
use protocol::wire::{ErrorBody, ErrorCode, Position, Role, TransferTarget};
use protocol::{
    CancelReason, Catalog, CounterId, CounterState, Event, Outcome, PrinterStatus, Priority,
    ProfileEntry, ServiceCode, State, Ticket, TicketId, TicketState, Timestamp, clock,
};

pub type Rejection = ErrorBody;

/// Who asks. Clerks may act only on the counter they opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub name: String,
}

impl Actor {
    pub fn new(role: Role, name: impl Into<String>) -> Self {
        Actor {
            role,
            name: name.into(),
        }
    }
    pub fn system() -> Self {
        Actor {
            role: Role::Manager,
            name: "system".into(),
        }
    }
    /// How the actor is written in the log: "clerk:mona".
    pub fn label(&self) -> String {
        if self.name == "system" {
            return "system".into();
        }
        let role = match self.role {
            Role::Citizen => "citizen",
            Role::Kiosk => "kiosk",
            Role::Board => "board",
            Role::Clerk => "clerk",
            Role::Manager => "manager",
        };
        format!("{role}:{}", self.name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    LoadCatalog {
        catalog: Box<Catalog>,
    },
    StartDay {
        day: NaiveDate,
    },
    IssueTicket {
        service: ServiceCode,
        priority: Priority,
        idempotency_key: Option<String>,
        token: String,
    },
    OpenCounter {
        counter: CounterId,
    },
    CloseCounter {
        counter: CounterId,
    },
    PauseCounter {
        counter: CounterId,
    },
    ResumeCounter {
        counter: CounterId,
    },
    CallNext {
        counter: CounterId,
    },
    CallTicket {
        counter: CounterId,
        ticket: TicketId,
        reason: String,
    },
    Recall {
        counter: CounterId,
    },
    NoShow {
        counter: CounterId,
    },
    StartServing {
        counter: CounterId,
    },
    Finish {
        counter: CounterId,
        outcome: Outcome,
        reference: Option<String>,
    },
    Transfer {
        counter: Option<CounterId>,
        ticket: Option<TicketId>,
        target: TransferTarget,
        position: Position,
    },
    Park {
        counter: CounterId,
        note: String,
    },
    ReturnParked {
        counter: CounterId,
        ticket: TicketId,
    },
    CancelTicket {
        ticket: TicketId,
    },
    WithdrawTicket {
        token: String,
    },
    SetServiceOpen {
        service: ServiceCode,
        open: bool,
    },
    SetCounterProfile {
        counter: CounterId,
        profile: Vec<ProfileEntry>,
    },
    SetMessage {
        text: String,
    },
    /// A kiosk's printer state; an event only when it differs from the last one recorded.
    ReportPrinter {
        status: PrinterStatus,
        detail: String,
    },
}

const MAX_REFERENCE_CHARS: usize = 64;
const MAX_NOTE_CHARS: usize = 200;
const MAX_PROFILE_WEIGHT: f64 = 100.0;

fn reject<T>(code: ErrorCode, message: impl Into<String>) -> Result<T, Rejection> {
    Err(ErrorBody::new(code, message))
}

/// The day-change command due at `now`, if the local day moved on (or none has started).
pub fn day_change(state: &State, now: Timestamp) -> Option<Command> {
    let catalog = state.catalog.as_ref()?;
    let today = clock::local_day(catalog, now);
    (state.day != Some(today)).then_some(Command::StartDay { day: today })
}

pub fn decide(
    state: &State,
    actor: &Actor,
    command: &Command,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    use Command::*;
    match command {
        LoadCatalog { catalog } => Ok(load_catalog(state, catalog)),
        StartDay { day } => Ok(start_day(state, *day)),
        IssueTicket {
            service,
            priority,
            idempotency_key,
            token,
        } => issue(
            state,
            actor,
            service,
            *priority,
            idempotency_key.as_deref(),
            token,
            now,
        ),
        OpenCounter { counter } => {
            let c = counter_of(state, *counter)?;
            match (&c.state, &c.clerk) {
                (CounterState::Closed, _) => {}
                (_, Some(clerk)) if *clerk == actor.name => return Ok(vec![]),
                (_, clerk) => {
                    return reject(
                        ErrorCode::CounterBusy,
                        format!(
                            "counter {counter} is already open by {}",
                            clerk.as_deref().unwrap_or("someone")
                        ),
                    );
                }
            }
            if let Some(other) = state
                .counters
                .values()
                .find(|k| k.clerk.as_deref() == Some(&actor.name))
            {
                return reject(
                    ErrorCode::ClerkHasCounter,
                    format!(
                        "{} already has counter {} open; close it first",
                        actor.name, other.id
                    ),
                );
            }
            Ok(vec![Event::CounterOpened {
                counter: *counter,
                clerk: actor.name.clone(),
            }])
        }
        CloseCounter { counter } => {
            let c = counter_of(state, *counter)?;
            if c.state == CounterState::Closed {
                return Ok(vec![]);
            }
            if actor.role != Role::Manager {
                owned(state, actor, *counter)?;
            }
            if c.ticket.is_some() {
                return reject(
                    ErrorCode::CounterBusy,
                    format!("counter {counter} still has a ticket; finish it first"),
                );
            }
            if let Some(t) = parked_at(state, *counter) {
                return reject(
                    ErrorCode::CounterHasParked,
                    format!(
                        "ticket {} is parked at counter {counter}; return or cancel it first",
                        t.label
                    ),
                );
            }
            Ok(vec![Event::CounterClosed { counter: *counter }])
        }
        PauseCounter { counter } => {
            let c = owned(state, actor, *counter)?;
            match c.state {
                CounterState::Paused => Ok(vec![]),
                CounterState::Idle => Ok(vec![Event::CounterPaused { counter: *counter }]),
                _ => reject(
                    ErrorCode::CounterBusy,
                    format!("counter {counter} has a ticket; finish it before pausing"),
                ),
            }
        }
        ResumeCounter { counter } => {
            let c = owned(state, actor, *counter)?;
            match c.state {
                CounterState::Paused => Ok(vec![Event::CounterResumed { counter: *counter }]),
                _ => Ok(vec![]),
            }
        }
        CallNext { counter } => {
            ready_to_call(state, actor, *counter)?;
            match next_for_counter(state, *counter, now) {
                Some(ticket) => Ok(vec![Event::TicketCalled {
                    ticket,
                    counter: *counter,
                    out_of_order_reason: None,
                }]),
                None => reject(
                    ErrorCode::QueueEmpty,
                    format!("no ticket is waiting for counter {counter}"),
                ),
            }
        }
        CallTicket {
            counter,
            ticket,
            reason,
        } => {
            ready_to_call(state, actor, *counter)?;
            let reason = reason.trim();
            if reason.is_empty() {
                return reject(
                    ErrorCode::ReasonRequired,
                    "calling out of order needs a reason",
                );
            }
            let t = ticket_of(state, *ticket)?;
            if t.state != TicketState::Waiting {
                return reject(
                    ErrorCode::WrongTicketState,
                    format!("ticket {} is not waiting", t.label),
                );
            }
            if let Some(other) = t.assigned_counter.filter(|c| c != counter) {
                return reject(
                    ErrorCode::WrongTicketState,
                    format!("ticket {} was transferred to counter {other}", t.label),
                );
            }
            Ok(vec![Event::TicketCalled {
                ticket: *ticket,
                counter: *counter,
                out_of_order_reason: Some(truncate(reason, MAX_NOTE_CHARS)),
            }])
        }
        Recall { counter } => {
            let t = held(state, actor, *counter, &[CounterState::Calling], "recall")?;
            Ok(vec![Event::TicketRecalled {
                ticket: t,
                counter: *counter,
            }])
        }
        NoShow { counter } => {
            let t = held(
                state,
                actor,
                *counter,
                &[CounterState::Calling],
                "mark as no-show",
            )?;
            Ok(vec![Event::TicketNoShow {
                ticket: t,
                counter: *counter,
            }])
        }
        StartServing { counter } => {
            let t = held(
                state,
                actor,
                *counter,
                &[CounterState::Calling],
                "start serving",
            )?;
            Ok(vec![Event::ServiceStarted {
                ticket: t,
                counter: *counter,
            }])
        }
        Finish {
            counter,
            outcome,
            reference,
        } => {
            let t = held(
                state,
                actor,
                *counter,
                &[CounterState::Calling, CounterState::Serving],
                "finish",
            )?;
            let reference = reference
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| truncate(r, MAX_REFERENCE_CHARS));
            Ok(vec![Event::TicketFinished {
                ticket: t,
                counter: *counter,
                outcome: *outcome,
                reference,
            }])
        }
        Transfer {
            counter,
            ticket,
            target,
            position,
        } => transfer(state, actor, *counter, *ticket, target, *position),
        Park { counter, note } => {
            let t = held(
                state,
                actor,
                *counter,
                &[CounterState::Calling, CounterState::Serving],
                "park",
            )?;
            Ok(vec![Event::TicketParked {
                ticket: t,
                counter: *counter,
                note: truncate(note.trim(), MAX_NOTE_CHARS),
            }])
        }
        ReturnParked { counter, ticket } => {
            ready_to_call(state, actor, *counter)?;
            let t = ticket_of(state, *ticket)?;
            if t.state != TicketState::Parked || t.counter != Some(*counter) {
                return reject(
                    ErrorCode::WrongTicketState,
                    format!("ticket {} is not parked at counter {counter}", t.label),
                );
            }
            Ok(vec![Event::TicketReturned {
                ticket: *ticket,
                counter: *counter,
            }])
        }
        CancelTicket { ticket } => {
            let t = ticket_of(state, *ticket)?;
            cancel(t)
        }
        WithdrawTicket { token } => match state
            .ticket_by_token(token)
            .and_then(|id| state.tickets.get(&id))
        {
            Some(t) => cancel(t),
            None if state.ticket_by_token(token).is_some() => {
                reject(ErrorCode::TicketClosed, "this ticket is already finished")
            }
            None => reject(ErrorCode::UnknownTicket, "no ticket has this token today"),
        },
        SetServiceOpen { service, open } => {
            let q = state.services.get(service).ok_or_else(|| {
                ErrorBody::new(ErrorCode::UnknownService, format!("no service {service:?}"))
            })?;
            if q.service.open == *open {
                return Ok(vec![]);
            }
            Ok(vec![Event::ServiceAvailabilitySet {
                service: service.clone(),
                open: *open,
            }])
        }
        SetCounterProfile { counter, profile } => {
            counter_of(state, *counter)?;
            validate_profile(state, profile)?;
            Ok(vec![Event::CounterProfileSet {
                counter: *counter,
                profile: profile.clone(),
            }])
        }
        SetMessage { text } => {
            let text = text.trim();
            if text.chars().count() > protocol::MAX_MESSAGE_CHARS {
                return reject(
                    ErrorCode::MessageTooLong,
                    format!(
                        "the message line holds at most {} characters",
                        protocol::MAX_MESSAGE_CHARS
                    ),
                );
            }
            Ok(vec![Event::MessageSet {
                text: text.to_string(),
            }])
        }
        ReportPrinter { status, detail } => report_printer(state, actor, *status, detail),
    }
}

/// Only a device reports its own printer (by its name). Unchanged statuses write nothing, so a
/// kiosk may report after every receipt; a printer never seen before that is ready is not news.
fn report_printer(
    state: &State,
    actor: &Actor,
    status: PrinterStatus,
    detail: &str,
) -> Result<Vec<Event>, Rejection> {
    if actor.role != Role::Kiosk {
        return reject(ErrorCode::Forbidden, "only a kiosk reports its printer");
    }
    let last = state.printers.get(&actor.name).map(|p| p.status);
    if last == Some(status) || (last.is_none() && status == PrinterStatus::Ready) {
        return Ok(vec![]);
    }
    Ok(vec![Event::PrinterStatusChanged {
        device: actor.name.clone(),
        status,
        detail: truncate(detail.trim(), MAX_NOTE_CHARS),
    }])
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

fn counter_of(state: &State, id: CounterId) -> Result<&protocol::Counter, Rejection> {
    state.counters.get(&id).ok_or_else(|| {
        ErrorBody::new(
            ErrorCode::UnknownCounter,
            format!("there is no counter {id}"),
        )
    })
}

fn ticket_of(state: &State, id: TicketId) -> Result<&Ticket, Rejection> {
    state.tickets.get(&id).ok_or_else(|| {
        if state.closed_today.contains_key(&id) {
            ErrorBody::new(
                ErrorCode::TicketClosed,
                format!("ticket {id} is already finished"),
            )
        } else {
            ErrorBody::new(
                ErrorCode::UnknownTicket,
                format!("there is no open ticket {id}"),
            )
        }
    })
}

/// The counter, if the actor opened it.
fn owned<'a>(
    state: &'a State,
    actor: &Actor,
    id: CounterId,
) -> Result<&'a protocol::Counter, Rejection> {
    let c = counter_of(state, id)?;
    if c.state == CounterState::Closed {
        return reject(
            ErrorCode::CounterClosed,
            format!("counter {id} is closed; open it first"),
        );
    }
    if c.clerk.as_deref() != Some(actor.name.as_str()) {
        return reject(
            ErrorCode::CounterNotYours,
            format!("counter {id} was opened by someone else"),
        );
    }
    Ok(c)
}

fn ready_to_call(state: &State, actor: &Actor, id: CounterId) -> Result<(), Rejection> {
    let c = owned(state, actor, id)?;
    match c.state {
        CounterState::Idle => Ok(()),
        CounterState::Paused => reject(
            ErrorCode::CounterBusy,
            format!("counter {id} is paused; resume it first"),
        ),
        _ => reject(
            ErrorCode::CounterBusy,
            format!("counter {id} already has a ticket; finish it or mark a no-show"),
        ),
    }
}

/// The ticket at an owned counter in one of the allowed states.
fn held(
    state: &State,
    actor: &Actor,
    id: CounterId,
    allowed: &[CounterState],
    what: &str,
) -> Result<TicketId, Rejection> {
    let c = owned(state, actor, id)?;
    match c.ticket {
        Some(t) if allowed.contains(&c.state) => Ok(t),
        _ => reject(
            ErrorCode::WrongTicketState,
            format!("counter {id} has no ticket to {what}"),
        ),
    }
}

fn parked_at(state: &State, counter: CounterId) -> Option<&Ticket> {
    state
        .tickets
        .values()
        .find(|t| t.state == TicketState::Parked && t.counter == Some(counter))
}

fn cancel(t: &Ticket) -> Result<Vec<Event>, Rejection> {
    match t.state {
        TicketState::Waiting | TicketState::Parked => Ok(vec![Event::TicketCancelled {
            ticket: t.id,
            reason: CancelReason::Withdrawn,
        }]),
        _ => reject(
            ErrorCode::WrongTicketState,
            format!(
                "ticket {} is at a counter; the clerk finishes it or marks a no-show",
                t.label
            ),
        ),
    }
}

fn issue(
    state: &State,
    actor: &Actor,
    service: &str,
    priority: Priority,
    key: Option<&str>,
    token: &str,
    now: Timestamp,
) -> Result<Vec<Event>, Rejection> {
    let (Some(catalog), Some(day)) = (&state.catalog, state.day) else {
        return reject(
            ErrorCode::ServiceClosed,
            "the center has not started its day",
        );
    };
    let q = state.services.get(service).ok_or_else(|| {
        ErrorBody::new(
            ErrorCode::UnknownService,
            format!("there is no service {service:?}"),
        )
    })?;
    if let Some(key) = key
        && state
            .idempotency
            .contains_key(&idempotency_slot(&actor.label(), key))
    {
        // A retry: the ticket exists already; the caller answers with it.
        return Ok(vec![]);
    }
    let s = &q.service;
    if !s.open {
        return reject(
            ErrorCode::ServiceClosed,
            format!("{} is closed today", s.name.en),
        );
    }
    if !s.hours.contains(clock::local_time(catalog, now)) {
        return reject(
            ErrorCode::OutsideHours,
            format!(
                "{} takes tickets from {} to {}",
                s.name.en,
                s.hours.open.format("%H:%M"),
                s.hours.close.format("%H:%M")
            ),
        );
    }
    if let Some(limit) = s.daily_limit
        && q.issued_today >= limit
    {
        return reject(
            ErrorCode::DailyLimitReached,
            format!("{} has issued its {limit} tickets for today", s.name.en),
        );
    }
    let number = q.last_number + 1;
    let ticket = Ticket {
        id: TicketId(state.next_ticket_id.max(1)),
        service: s.code.clone(),
        number,
        label: format!("{}-{number:03}", s.prefix),
        day,
        priority,
        state: TicketState::Waiting,
        issued_at: now,
        enqueued_at: now,
        front: false,
        assigned_counter: None,
        counter: None,
        first_called_at: None,
        called_at: None,
        serving_at: None,
        recalls: 0,
        transfers: 0,
        token: token.to_string(),
        issuer: actor.label(),
        idempotency_key: key.map(str::to_string),
    };
    Ok(vec![Event::TicketIssued {
        ticket: Box::new(ticket),
    }])
}

fn transfer(
    state: &State,
    actor: &Actor,
    counter: Option<CounterId>,
    ticket: Option<TicketId>,
    target: &TransferTarget,
    position: Position,
) -> Result<Vec<Event>, Rejection> {
    let (t, from_counter) = match counter {
        Some(c) => {
            let held = held(
                state,
                actor,
                c,
                &[CounterState::Calling, CounterState::Serving],
                "transfer",
            )?;
            if ticket.is_some_and(|t| t != held) {
                return reject(
                    ErrorCode::WrongTicketState,
                    format!("that ticket is not the one at counter {c}"),
                );
            }
            (ticket_of(state, held)?, Some(c))
        }
        None => {
            if actor.role != Role::Manager {
                return reject(
                    ErrorCode::Forbidden,
                    "name your counter to transfer its ticket",
                );
            }
            let Some(id) = ticket else {
                return reject(ErrorCode::UnknownTicket, "name the ticket to transfer");
            };
            let t = ticket_of(state, id)?;
            if !matches!(t.state, TicketState::Waiting | TicketState::Parked) {
                return reject(
                    ErrorCode::WrongTicketState,
                    format!("ticket {} is at a counter", t.label),
                );
            }
            (t, None)
        }
    };
    let (to_service, to_counter) = match target {
        TransferTarget::Service { service } => {
            if !state.services.contains_key(service) {
                return reject(
                    ErrorCode::UnknownService,
                    format!("there is no service {service:?}"),
                );
            }
            (service.clone(), None)
        }
        TransferTarget::Counter { counter: to } => {
            let k = counter_of(state, *to)?;
            if k.state == CounterState::Closed {
                return reject(ErrorCode::CounterClosed, format!("counter {to} is closed"));
            }
            (t.service.clone(), Some(*to))
        }
    };
    Ok(vec![Event::TicketTransferred {
        ticket: t.id,
        from_counter,
        to_service,
        to_counter,
        front: position == Position::Front,
    }])
}

fn validate_profile(state: &State, profile: &[ProfileEntry]) -> Result<(), Rejection> {
    if profile.is_empty() {
        return reject(
            ErrorCode::InvalidProfile,
            "a counter needs at least one service",
        );
    }
    for (i, p) in profile.iter().enumerate() {
        if !state.services.contains_key(&p.service) {
            return reject(
                ErrorCode::InvalidProfile,
                format!("there is no service {:?}", p.service),
            );
        }
        if !(p.weight.is_finite() && p.weight > 0.0 && p.weight <= MAX_PROFILE_WEIGHT) {
            return reject(
                ErrorCode::InvalidProfile,
                format!(
                    "weight of {} must be above 0 and at most {MAX_PROFILE_WEIGHT}",
                    p.service
                ),
            );
        }
        if profile[..i].iter().any(|q| q.service == p.service) {
            return reject(
                ErrorCode::InvalidProfile,
                format!("{} appears twice", p.service),
            );
        }
    }
    Ok(())
}

fn start_day(state: &State, day: NaiveDate) -> Vec<Event> {
    if state.day == Some(day) {
        return vec![];
    }
    let mut events: Vec<Event> = state
        .tickets
        .keys()
        .map(|&ticket| Event::TicketCancelled {
            ticket,
            reason: CancelReason::DayEnded,
        })
        .collect();
    events.push(Event::DayStarted { day });
    events
}

fn load_catalog(state: &State, catalog: &Catalog) -> Vec<Event> {
    if state.catalog.as_deref() == Some(catalog) {
        return vec![];
    }
    let mut events = Vec::new();
    let keeps_service = |s: &str| catalog.services.iter().any(|x| x.code == s);
    let keeps_counter = |c: CounterId| catalog.counters.iter().any(|x| x.id == c);
    for t in state.tickets.values() {
        if !keeps_service(&t.service) {
            events.push(Event::TicketCancelled {
                ticket: t.id,
                reason: CancelReason::ServiceRemoved,
            });
        } else if let Some(c) = t
            .counter
            .or(t.assigned_counter)
            .filter(|c| !keeps_counter(*c))
        {
            // Its counter is leaving: back to the front of its own queue.
            let from = (t.counter == Some(c) && t.state != TicketState::Parked).then_some(c);
            events.push(Event::TicketTransferred {
                ticket: t.id,
                from_counter: from,
                to_service: t.service.clone(),
                to_counter: None,
                front: true,
            });
        }
    }
    for c in state.counters.values() {
        if !keeps_counter(c.id) && c.state != CounterState::Closed {
            events.push(Event::CounterClosed { counter: c.id });
        }
    }
    events.push(Event::CatalogLoaded {
        catalog: Box::new(catalog.clone()),
    });
    events
}

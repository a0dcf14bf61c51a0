//! The simulated hall: engine scenarios written given (a catalog, or events) / when (an actor's
//! command, at an instant of simulated time) / then (the events decided, or the rejection).
//! It runs the real `decide` and `apply`, keeps the log as the writer would, and draws no
//! clock: time moves only when a test moves it.
//!
//! ```ignore
//! let mut h = Hall::open();
//! let a = h.issue("CIT-BIRTH");
//! h.open_counter(&mona(), 2);
//! h.when(&mona(), Command::CallNext { counter: 2 })
//!     .then(&[Event::TicketCalled { ticket: a, counter: 2, out_of_order_reason: None }]);
//! h.when(&mona(), Command::CallNext { counter: 2 }).then_rejected(ErrorCode::CounterBusy);
//! ```

use chrono::{Duration, NaiveDate, TimeZone};
use hall_core::engine::{Actor, Command, day_change, decide};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::role::Role;
use hall_core::{
    Catalog, CounterId, Envelope, Event, Outcome, Priority, State, TicketId, Timestamp, apply,
};

/// The small round-the-clock center of the tests, from `center` (one copy for the kit).
pub use crate::center::{ALWAYS_OPEN, always_open};

/// 2026-11-22 at a Cairo wall-clock time (UTC+2 in November).
pub fn cairo(h: u32, m: u32) -> Timestamp {
    chrono_tz::Africa::Cairo
        .with_ymd_and_hms(2026, 11, 22, h, m, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&chrono::Utc)
}

/// The actors of the scenarios: a kiosk, two clerks, a manager.
pub fn kiosk() -> Actor {
    Actor::new(Role::Kiosk, "kiosk-1")
}
pub fn mona() -> Actor {
    Actor::new(Role::Clerk, "mona")
}
pub fn ali() -> Actor {
    Actor::new(Role::Clerk, "ali")
}
pub fn boss() -> Actor {
    Actor::new(Role::Manager, "boss")
}

/// A ticket request without an idempotency key (the engine's own callers issue so).
pub fn ticket_for(service: &str) -> Command {
    Command::IssueTicket {
        service: service.into(),
        priority: Priority::Normal,
        idempotency_key: String::new(),
        token: "t".into(),
    }
}

/// A ticket finished as completed, with no reference.
pub fn finish(counter: CounterId) -> Command {
    Command::finish(counter, Outcome::Completed)
}

pub struct Hall {
    pub state: State,
    /// The simulated instant the next command is decided at.
    pub now: Timestamp,
    /// Every event applied so far, as the writer would have logged it.
    pub log: Vec<Envelope>,
    tokens: u64,
}

/// What `when` decided: read it with `then`, `then_rejected`, or take it as it is.
#[must_use = "a decision is checked with then, then_rejected or events"]
#[derive(Debug)]
pub struct Decided(pub Result<Vec<Event>, ErrorBody>);

impl Decided {
    /// Then exactly these events were decided (and applied).
    #[track_caller]
    pub fn then(self, expected: &[Event]) -> Vec<Event> {
        let events = self.events();
        assert_eq!(events, expected);
        events
    }

    /// Then nothing changed: decided, but no event (a repeat, a no-op).
    #[track_caller]
    pub fn then_nothing(self) {
        self.then(&[]);
    }

    /// Then it was refused with this code, and the refusal explains itself.
    #[track_caller]
    pub fn then_rejected(self, code: ErrorCode) -> ErrorBody {
        match self.0 {
            Ok(events) => panic!("expected a rejection ({code:?}), got {events:?}"),
            Err(e) => {
                assert_eq!(e.code, code, "{}", e.message);
                assert!(!e.message.is_empty(), "a rejection explains itself");
                e
            }
        }
    }

    /// The events decided; the command must have been accepted.
    #[track_caller]
    pub fn events(self) -> Vec<Event> {
        match self.0 {
            Ok(events) => events,
            Err(e) => panic!("expected events, got a rejection: {e}"),
        }
    }

    pub fn is_ok(&self) -> bool {
        self.0.is_ok()
    }
}

impl Hall {
    /// Given a center: its catalog loaded and its day started, at 09:00 Cairo.
    pub fn given(catalog: Catalog) -> Hall {
        let mut h = Hall {
            state: State::default(),
            now: cairo(9, 0),
            log: Vec::new(),
            tokens: 0,
        };
        h.when(
            &Actor::system(),
            Command::LoadCatalog {
                catalog: Box::new(catalog),
            },
        )
        .events();
        h.new_day();
        h
    }

    /// Given the round-the-clock test center.
    pub fn open() -> Hall {
        Hall::given(always_open())
    }

    /// Given these events as well, applied now as the system's (what happened before).
    pub fn and(mut self, events: impl IntoIterator<Item = Event>) -> Hall {
        for event in events {
            self.record(&Actor::system(), event);
        }
        self
    }

    pub fn advance(&mut self, d: Duration) {
        self.now += d;
    }

    pub fn minutes(&mut self, m: i64) {
        self.advance(Duration::minutes(m));
    }

    /// When `actor` gives `command` now: decided on the state, and what was decided applied.
    pub fn when(&mut self, actor: &Actor, command: Command) -> Decided {
        let decided = decide(&self.state, actor, &command, self.now);
        if let Ok(events) = &decided {
            for e in events {
                self.record(actor, e.clone());
            }
        }
        Decided(decided)
    }

    /// When `actor` gives `command` at `at` (simulated time moves there first).
    pub fn when_at(&mut self, at: Timestamp, actor: &Actor, command: Command) -> Decided {
        self.now = at;
        self.when(actor, command)
    }

    /// The code a refused command gets (the refusal must explain itself).
    #[track_caller]
    pub fn rejected(&mut self, actor: &Actor, command: Command) -> ErrorCode {
        match self.when(actor, command).0 {
            Ok(events) => panic!("expected a rejection, got {events:?}"),
            Err(e) => {
                assert!(!e.message.is_empty(), "a rejection explains itself");
                e.code
            }
        }
    }

    fn record(&mut self, actor: &Actor, event: Event) {
        let env = Envelope {
            seq: self.state.seq + 1,
            at: self.now,
            actor: actor.label(),
            event,
        };
        apply(&mut self.state, &env);
        self.log.push(env);
    }

    /// Starts the local day due now, as the writer does when the day changes.
    #[track_caller]
    pub fn new_day(&mut self) -> Vec<Event> {
        let day = day_change(&self.state, self.now).expect("a day to start");
        self.when(&Actor::system(), day).events()
    }

    /// A kiosk issues a ticket (a fresh key and page token each); returns its id.
    pub fn issue(&mut self, service: &str) -> TicketId {
        self.issue_as(service, Priority::Normal)
    }

    pub fn issue_as(&mut self, service: &str, priority: Priority) -> TicketId {
        self.tokens += 1;
        let cmd = Command::IssueTicket {
            service: service.into(),
            priority,
            idempotency_key: format!("key-{}", self.tokens),
            token: format!("token-{}", self.tokens),
        };
        match self.when(&kiosk(), cmd).events().as_slice() {
            [Event::TicketIssued { ticket }] => ticket.id,
            other => panic!("unexpected {other:?}"),
        }
    }

    /// A ticket's label, open or closed today.
    pub fn label(&self, id: TicketId) -> String {
        self.state
            .tickets
            .get(&id)
            .map(|t| t.label.clone())
            .or_else(|| self.state.closed_today.get(&id).map(|t| t.label.clone()))
            .expect("known ticket")
    }

    pub fn open_counter(&mut self, actor: &Actor, counter: CounterId) {
        self.when(actor, Command::OpenCounter { counter }).events();
    }

    /// Calls next at a counter; returns the label called.
    pub fn call_next(&mut self, actor: &Actor, counter: CounterId) -> String {
        match self
            .when(actor, Command::CallNext { counter })
            .events()
            .as_slice()
        {
            [Event::TicketCalled { ticket, .. }] => self.label(*ticket),
            other => panic!("unexpected {other:?}"),
        }
    }

    /// The clerk finishes the ticket at their counter (completed).
    pub fn finish(&mut self, actor: &Actor, counter: CounterId) {
        self.when(actor, finish(counter)).events();
    }

    pub fn day(&self) -> NaiveDate {
        self.state.day.expect("day started")
    }
}

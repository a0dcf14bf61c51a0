//! A hall on simulated time: given events, when a command, then events or a rejection.
#![allow(dead_code)]

use chrono::{Duration, NaiveDate, TimeZone};
use protocol::wire::{ErrorCode, Role};
use protocol::{Catalog, Envelope, Event, State, TicketId, Timestamp, apply};
use queue_server::engine::{Actor, Command, day_change, decide};

pub const ALWAYS_OPEN: &str = include_str!("../../../assets/centers/always-open.toml");

pub fn always_open() -> Catalog {
    queue_server::config::parse(ALWAYS_OPEN).expect("test center parses")
}

/// 2026-11-22 at a Cairo wall-clock time (UTC+2 in November).
pub fn cairo(h: u32, m: u32) -> Timestamp {
    chrono_tz::Africa::Cairo
        .with_ymd_and_hms(2026, 11, 22, h, m, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&chrono::Utc)
}

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

pub struct Hall {
    pub state: State,
    pub now: Timestamp,
    pub log: Vec<Envelope>,
    tokens: u64,
}

impl Hall {
    /// A hall with this catalog, its day started, at 09:00 Cairo.
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
        .expect("catalog loads");
        let day = day_change(&h.state, h.now).expect("a day to start");
        h.when(&Actor::system(), day).expect("day starts");
        h
    }

    pub fn open() -> Hall {
        Hall::given(always_open())
    }

    pub fn advance(&mut self, d: Duration) {
        self.now += d;
    }

    pub fn minutes(&mut self, m: i64) {
        self.advance(Duration::minutes(m));
    }

    /// Decides at `now`, applies what was decided, returns the events.
    pub fn when(&mut self, actor: &Actor, cmd: Command) -> Result<Vec<Event>, protocol::ErrorBody> {
        let events = decide(&self.state, actor, &cmd, self.now)?;
        for e in &events {
            let env = Envelope {
                seq: self.state.seq + 1,
                at: self.now,
                actor: actor.label(),
                event: e.clone(),
            };
            apply(&mut self.state, &env);
            self.log.push(env);
        }
        Ok(events)
    }

    pub fn rejected(&mut self, actor: &Actor, cmd: Command) -> ErrorCode {
        match self.when(actor, cmd) {
            Ok(events) => panic!("expected a rejection, got {events:?}"),
            Err(e) => {
                assert!(!e.message.is_empty(), "a rejection explains itself");
                e.code
            }
        }
    }

    /// A kiosk issues a ticket; returns its id.
    pub fn issue(&mut self, service: &str) -> TicketId {
        self.issue_as(service, protocol::Priority::Normal)
    }

    pub fn issue_as(&mut self, service: &str, priority: protocol::Priority) -> TicketId {
        self.tokens += 1;
        let cmd = Command::IssueTicket {
            service: service.into(),
            priority,
            idempotency_key: format!("key-{}", self.tokens),
            token: format!("token-{}", self.tokens),
        };
        match self.when(&kiosk(), cmd).expect("ticket issued").as_slice() {
            [Event::TicketIssued { ticket }] => ticket.id,
            other => panic!("unexpected {other:?}"),
        }
    }

    pub fn label(&self, id: TicketId) -> String {
        self.state
            .tickets
            .get(&id)
            .map(|t| t.label.clone())
            .or_else(|| self.state.closed_today.get(&id).map(|t| t.label.clone()))
            .expect("known ticket")
    }

    pub fn open_counter(&mut self, actor: &Actor, counter: u32) {
        self.when(actor, Command::OpenCounter { counter })
            .expect("counter opens");
    }

    /// Calls next at a counter; returns the label called.
    pub fn call_next(&mut self, actor: &Actor, counter: u32) -> String {
        match self
            .when(actor, Command::CallNext { counter })
            .expect("a ticket is called")
            .as_slice()
        {
            [Event::TicketCalled { ticket, .. }] => self.label(*ticket),
            other => panic!("unexpected {other:?}"),
        }
    }

    pub fn day(&self) -> NaiveDate {
        self.state.day.expect("day started")
    }
}

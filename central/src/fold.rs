//! Each center as the central service knows it: the hall (`hall_core::State`, built by the same
//! `apply` every client uses, from the redacted events) and the center's own KPI fold
//! (`hall_core::kpi::Kpis`), so a ticket's wait and service time here are the figures the
//! center's reports give, by construction.

use chrono::{NaiveDate, Timelike};
use chrono_tz::Tz;
use hall_core::kpi::{Kpis, TicketFacts};
use hall_core::{CounterState, Envelope, Event, State, TicketId, TicketState, Timestamp, apply};

/// A rollup cell: (service, local day, local hour of issue).
pub type RollKey = (String, NaiveDate, i16);

pub struct CenterFold {
    pub state: State,
    pub kpis: Kpis,
    /// The last event applied (the center's log position).
    pub last_seq: u64,
}

/// One ticket's facts as stored in `tickets`.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketRow {
    pub facts: TicketFacts,
    pub local_day: NaiveDate,
    pub local_hour: i16,
    pub wait_secs: Option<f64>,
    pub service_secs: Option<f64>,
    pub revenue_piasters: i64,
}

/// What a center looks like now, for the console.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Live {
    pub waiting: i32,
    pub oldest_waiting_since: Option<Timestamp>,
    pub counters_open: i32,
}

/// What applying one event touched.
#[derive(Default)]
pub struct Touched {
    pub ticket: Option<TicketId>,
    pub cells: Vec<RollKey>,
}

impl Default for CenterFold {
    fn default() -> Self {
        let state = State {
            // A client's state: closed tickets are in `tickets`, not kept in the hall.
            keeps_closed: false,
            ..State::default()
        };
        CenterFold {
            state,
            kpis: Kpis::default(),
            last_seq: 0,
        }
    }
}

impl CenterFold {
    pub fn tz(&self) -> Tz {
        self.state
            .catalog
            .as_ref()
            .map(|c| hall_core::clock::zone(c))
            .unwrap_or(chrono_tz::Africa::Cairo)
    }

    /// Applies the next event of the center's log.
    pub fn apply(&mut self, env: &Envelope) -> Touched {
        let ticket = env.event.ticket();
        let mut cells = Vec::new();
        if let Some(id) = ticket
            && let Some(k) = self.cell(id)
        {
            cells.push(k);
        }
        if let Event::DayStarted { .. } = env.event {
            // Finished tickets are already in `tickets`; the fold keeps only open ones.
            self.kpis.tickets.retain(|_, t| t.end.is_none());
        }
        apply(&mut self.state, env);
        self.kpis.fold(env);
        self.last_seq = env.seq;
        if let Some(id) = ticket
            && let Some(k) = self.cell(id)
            && !cells.contains(&k)
        {
            cells.push(k);
        }
        Touched { ticket, cells }
    }

    fn cell(&self, id: TicketId) -> Option<RollKey> {
        let t = self.kpis.tickets.get(&id)?;
        let local = t.issued_at.with_timezone(&self.tz());
        Some((t.service.clone(), local.date_naive(), local.hour() as i16))
    }

    pub fn row(&self, id: TicketId) -> Option<TicketRow> {
        let t = self.kpis.tickets.get(&id)?;
        let local = t.issued_at.with_timezone(&self.tz());
        let fee = self
            .state
            .catalog
            .as_ref()
            .and_then(|c| c.services.iter().find(|s| s.code == t.service))
            .map(|s| s.fee_piasters as i64)
            .unwrap_or(0);
        Some(TicketRow {
            wait_secs: t.wait_secs(),
            service_secs: t.service_secs(),
            revenue_piasters: if t.end == Some(TicketState::Done) {
                fee
            } else {
                0
            },
            local_day: local.date_naive(),
            local_hour: local.hour() as i16,
            facts: t.clone(),
        })
    }

    pub fn live(&self) -> Live {
        let waiting = self
            .state
            .tickets
            .values()
            .filter(|t| t.state == TicketState::Waiting);
        Live {
            waiting: waiting.clone().count() as i32,
            oldest_waiting_since: waiting.map(|t| t.issued_at).min(),
            counters_open: self
                .state
                .counters
                .values()
                .filter(|c| c.state != CounterState::Closed)
                .count() as i32,
        }
    }
}

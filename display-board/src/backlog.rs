//! What the speaker says when calls come faster than it can speak them.
//!
//! A call in two languages takes 9–13 s to say; a busy hall calls every 10–15 s, so a plain
//! first-in first-out queue falls further behind the screen all day. The rule, decided here
//! and measured by `display-board voice-busy-hour` (docs/voice.md):
//!
//! 1. **The latest per counter.** A call not yet spoken is dropped when its counter calls
//!    again: the counter has moved on (the citizen did not come, or was served), and sending
//!    a second citizen to the same window over the first would be wrong. The screen still
//!    lists it among the recent calls.
//! 2. **Shorter when behind.** While other calls wait, an announcement is said in the first
//!    voice language only (the screen shows both); with nothing else waiting, in every
//!    language.
//! 3. **Never stale.** A call waiting longer than `STALE_MS` is not said (the screen has shown
//!    it all along); with rules 1 and 2 this happens only in bursts beyond any real hall.
//! 4. **Bounded.** At most `MAX_PENDING` calls wait (one per counter in practice); beyond it,
//!    the oldest is dropped.
//!
//! Pure: the time is passed in.

use crate::board::Call;
use std::collections::VecDeque;

/// A call waiting longer than this is not said.
pub const STALE_MS: u64 = 45_000;
/// Calls that may wait at once.
pub const MAX_PENDING: usize = 64;

/// How much of an announcement to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Length {
    /// The chime, then every voice language.
    Full,
    /// The chime, then the first voice language only: other calls are waiting.
    Short,
}

/// Why a call was not said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dropped {
    /// Its counter called again before it was said.
    Superseded,
    /// It waited longer than `STALE_MS`.
    Stale,
    /// More than `MAX_PENDING` calls waited.
    Overflow,
}

#[derive(Clone, Debug)]
struct Pending {
    call: Call,
    at_ms: u64,
}

/// The calls waiting for the speaker.
#[derive(Debug, Default)]
pub struct Backlog {
    pending: VecDeque<Pending>,
    dropped: Vec<(Call, Dropped)>,
}

/// The next announcement: the call, how much of it to say, and how long it waited.
#[derive(Clone, Debug)]
pub struct Next {
    pub call: Call,
    pub length: Length,
    pub waited_ms: u64,
}

impl Backlog {
    pub fn new() -> Backlog {
        Backlog::default()
    }

    /// A call arrives at `now_ms` (ms on any clock that only goes forward).
    pub fn push(&mut self, call: Call, now_ms: u64) {
        if let Some(i) = self
            .pending
            .iter()
            .position(|p| p.call.counter == call.counter)
            && let Some(old) = self.pending.remove(i)
        {
            self.dropped.push((old.call, Dropped::Superseded));
        }
        self.pending.push_back(Pending {
            call,
            at_ms: now_ms,
        });
        while self.pending.len() > MAX_PENDING {
            if let Some(old) = self.pending.pop_front() {
                self.dropped.push((old.call, Dropped::Overflow));
            }
        }
    }

    /// The call to say now that the speaker is free, oldest first; `None` when none waits.
    pub fn next(&mut self, now_ms: u64) -> Option<Next> {
        while let Some(p) = self.pending.pop_front() {
            let waited_ms = now_ms.saturating_sub(p.at_ms);
            if waited_ms > STALE_MS {
                self.dropped.push((p.call, Dropped::Stale));
                continue;
            }
            let length = if self.pending.is_empty() {
                Length::Full
            } else {
                Length::Short
            };
            return Some(Next {
                call: p.call,
                length,
                waited_ms,
            });
        }
        None
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// The calls dropped since the last take, and why (for the log and the busy-hour figures).
    pub fn take_dropped(&mut self) -> Vec<(Call, Dropped)> {
        std::mem::take(&mut self.dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hall_core::{Names, TicketId};

    fn call(ticket: u64, counter: u32) -> Call {
        Call {
            ticket: TicketId(ticket),
            label: format!("A-{ticket:03}"),
            service: "S".into(),
            counter,
            counter_name: Names::new(counter.to_string(), counter.to_string()),
            at: chrono::DateTime::UNIX_EPOCH,
            recall: false,
        }
    }

    #[test]
    fn a_call_alone_is_said_in_full_and_calls_in_a_row_are_said_short_until_the_last() {
        let mut b = Backlog::new();
        b.push(call(1, 1), 0);
        let n = b.next(0).unwrap();
        assert_eq!((n.call.ticket, n.length), (TicketId(1), Length::Full));
        b.push(call(2, 2), 1_000);
        b.push(call(3, 3), 2_000);
        let n = b.next(5_000).unwrap();
        assert_eq!(
            (n.call.ticket, n.length, n.waited_ms),
            (TicketId(2), Length::Short, 4_000)
        );
        let n = b.next(8_000).unwrap();
        assert_eq!((n.call.ticket, n.length), (TicketId(3), Length::Full));
        assert!(b.next(9_000).is_none());
    }

    #[test]
    fn a_counter_that_calls_again_replaces_its_unsaid_call_and_keeps_its_place_in_line_last() {
        let mut b = Backlog::new();
        b.push(call(1, 5), 0);
        b.push(call(2, 6), 100);
        b.push(call(3, 5), 200);
        let order: Vec<_> = std::iter::from_fn(|| b.next(300))
            .map(|n| n.call.ticket)
            .collect();
        assert_eq!(order, [TicketId(2), TicketId(3)]);
        assert_eq!(
            b.take_dropped()
                .into_iter()
                .map(|(c, why)| (c.ticket, why))
                .collect::<Vec<_>>(),
            [(TicketId(1), Dropped::Superseded)]
        );
    }

    #[test]
    fn a_call_that_waited_too_long_is_not_said_and_memory_stays_bounded() {
        let mut b = Backlog::new();
        b.push(call(1, 1), 0);
        b.push(call(2, 2), STALE_MS);
        let n = b.next(STALE_MS + 1).unwrap();
        assert_eq!(n.call.ticket, TicketId(2));
        assert_eq!(b.take_dropped()[0].1, Dropped::Stale);
        for i in 0..1_000 {
            b.push(call(i, i as u32), i);
        }
        assert_eq!(b.len(), MAX_PENDING);
        assert_eq!(b.take_dropped().len(), 1_000 - MAX_PENDING);
    }
}

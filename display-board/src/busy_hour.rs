//! A simulated busy hour of a hall, to measure what the speaker does when calls come faster
//! than it can speak (`display-board voice-busy-hour`, figures in docs/performance.md).
//!
//! Calls come every 10–15 s (uniform) from counters chosen at random; a share of them are a
//! counter calling again soon after its last call (the citizen did not come: the clerk calls
//! the next). Each announcement lasts what the voice pack's clips of that very call last
//! (`duration`). Two speakers are played side by side on the same calls: a plain first-in
//! first-out queue (what the board did before) and the `Backlog` rule. Simulated time only.

use crate::backlog::{Backlog, Dropped, Length};
use crate::board::Call;
use hall_core::{Names, TicketId};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Hall {
    pub seed: u64,
    pub minutes: u64,
    pub counters: u32,
    /// Shortest and longest time between two calls of the hall, ms.
    pub gap_ms: (u64, u64),
    /// Share of calls that are a counter calling again 5–20 s after its previous call.
    pub quick_recall: f64,
}

impl Default for Hall {
    fn default() -> Self {
        Hall {
            seed: 7,
            minutes: 60,
            counters: 8,
            gap_ms: (10_000, 15_000),
            quick_recall: 0.1,
        }
    }
}

/// What one speaker did over the hour.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub calls: usize,
    pub said_full: usize,
    pub said_short: usize,
    pub superseded: usize,
    pub stale: usize,
    /// From the call on the screen to the start of its announcement, ms, of the calls said.
    pub delay_p50_ms: u64,
    pub delay_p95_ms: u64,
    pub delay_max_ms: u64,
    /// How far behind the screen the speaker is when the hour ends: the announcements still
    /// to say, ms.
    pub behind_at_end_ms: u64,
}

/// The hour's calls: (time ms, call), in order.
pub fn calls(hall: &Hall) -> Vec<(u64, Call)> {
    let mut rng = StdRng::seed_from_u64(hall.seed);
    let end = hall.minutes * 60_000;
    let mut out = Vec::new();
    let mut numbers = vec![0u32; hall.counters as usize + 1];
    let mut t = 0;
    let mut ticket = 0;
    while t < end {
        t += rng.random_range(hall.gap_ms.0..=hall.gap_ms.1);
        let counter = rng.random_range(1..=hall.counters);
        let mut push = |at: u64, counter: u32| {
            ticket += 1;
            numbers[counter as usize] += 1;
            let label = format!(
                "{}-{:03}",
                (b'A' + (counter as u8 - 1) % 26) as char,
                numbers[counter as usize] * 7 % 1000
            );
            out.push((at, call(ticket, label, counter)));
        };
        push(t, counter);
        if rng.random_bool(hall.quick_recall) {
            push(t + rng.random_range(5_000..=20_000), counter);
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

fn call(ticket: u64, label: String, counter: u32) -> Call {
    Call {
        ticket: TicketId(ticket),
        label,
        service: String::new(),
        counter,
        counter_name: Names::new(counter.to_string(), counter.to_string()),
        at: chrono::DateTime::UNIX_EPOCH,
        recall: false,
    }
}

/// Plays the calls through a first-in first-out speaker (every call in full, in order).
pub fn fifo(calls: &[(u64, Call)], duration: impl Fn(&Call, Length) -> u64) -> Figures {
    let mut free_at = 0;
    let mut delays = Vec::new();
    for (at, c) in calls {
        let start = free_at.max(*at);
        delays.push(start - at);
        free_at = start + duration(c, Length::Full);
    }
    let end = calls.last().map_or(0, |(at, _)| *at);
    figures(
        calls.len(),
        calls.len(),
        0,
        (0, 0),
        delays,
        free_at.saturating_sub(end),
    )
}

/// Plays the calls through the `Backlog` rule.
pub fn backlog(calls: &[(u64, Call)], duration: impl Fn(&Call, Length) -> u64) -> Figures {
    let mut b = Backlog::new();
    let mut arriving: VecDeque<&(u64, Call)> = calls.iter().collect();
    let (mut now, mut full, mut short) = (0u64, 0, 0);
    let mut delays = Vec::new();
    let (mut superseded, mut stale) = (0, 0);
    loop {
        // Every call up to now joins the backlog; the speaker is free at `now`.
        while let Some((at, c)) = arriving.front().copied().filter(|(at, _)| *at <= now) {
            b.push(c.clone(), *at);
            arriving.pop_front();
        }
        match b.next(now) {
            Some(n) => {
                delays.push(n.waited_ms);
                match n.length {
                    Length::Full => full += 1,
                    Length::Short => short += 1,
                }
                now += duration(&n.call, n.length);
            }
            None => match arriving.front() {
                Some((at, _)) => now = *at,
                None => break,
            },
        }
        for (_, why) in b.take_dropped() {
            match why {
                Dropped::Superseded => superseded += 1,
                Dropped::Stale | Dropped::Overflow => stale += 1,
            }
        }
    }
    let end = calls.last().map_or(0, |(at, _)| *at);
    figures(
        calls.len(),
        full,
        short,
        (superseded, stale),
        delays,
        now.saturating_sub(end),
    )
}

fn figures(
    calls: usize,
    full: usize,
    short: usize,
    (superseded, stale): (usize, usize),
    mut delays: Vec<u64>,
    behind_at_end_ms: u64,
) -> Figures {
    delays.sort_unstable();
    let q = |p: f64| -> u64 {
        if delays.is_empty() {
            return 0;
        }
        let i = ((delays.len() as f64 - 1.0) * p).round() as usize;
        delays[i]
    };
    Figures {
        calls,
        said_full: full,
        said_short: short,
        superseded,
        stale,
        delay_p50_ms: q(0.5),
        delay_p95_ms: q(0.95),
        delay_max_ms: delays.last().copied().unwrap_or(0),
        behind_at_end_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length of each call as the project's own voice pack says it, ms.
    fn said(c: &Call, l: Length) -> u64 {
        let pack = crate::announce::VoicePack::new(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/voice"),
        );
        let langs = match l {
            Length::Full => &[crate::announce::Lang::Ar, crate::announce::Lang::En][..],
            Length::Short => &[crate::announce::Lang::Ar][..],
        };
        let audio = pack
            .render(&crate::announce::plan(&c.label, c.counter, langs))
            .expect("the pack says every call");
        (audio.seconds() * 1000.0) as u64
    }

    #[test]
    fn in_a_hall_calling_every_ten_to_fifteen_seconds_a_queue_falls_behind_and_the_rule_keeps_up() {
        let hall = Hall::default();
        let calls = calls(&hall);
        assert!(calls.len() > 250, "{} calls in the hour", calls.len());
        let before = fifo(&calls, said);
        let after = backlog(&calls, said);
        // Before: minutes behind the screen by the end of the hour.
        assert!(before.behind_at_end_ms > 300_000, "{before:?}");
        // After: every call said within half a minute of the screen, none stale.
        assert!(after.delay_p95_ms <= 30_000, "{after:?}");
        assert!(
            after.delay_max_ms < before.delay_p95_ms / 4,
            "{after:?} {before:?}"
        );
        assert_eq!(after.stale, 0, "{after:?}");
        assert_eq!(
            after.said_full + after.said_short + after.superseded + after.stale,
            after.calls
        );
    }
}

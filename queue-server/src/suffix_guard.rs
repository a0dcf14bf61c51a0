//! The limit on wrong suffixes at the request status page (`/r/REFERENCE`) and the kiosk's
//! follow screen: a reference alone must not leak its request, so the four digits it asks for
//! must not be guessable by trying. Pure: `now` is passed in.
//!
//! Wrong answers are counted per reference and per client address in fixed tables of
//! counters (`SLOTS` each, a keyed hash picks the slot), over windows of `WINDOW_SECS`: memory
//! is the same however many references or addresses an attacker tries. Two keys sharing a slot
//! only make the limit stricter for both. With `PER_REFERENCE` wrong answers an hour and at
//! most two suffixes per request, guessing one takes about 1,000 hours on average.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// Counters per table.
pub const SLOTS: usize = 4096;
/// Length of a counting window.
pub const WINDOW_SECS: i64 = 3600;
/// Wrong suffixes allowed per reference in a window.
pub const PER_REFERENCE: u16 = 5;
/// Wrong suffixes allowed per client address in a window (a hall's kiosk shares one).
pub const PER_CLIENT: u16 = 30;

#[derive(Clone, Copy, Default)]
struct Slot {
    window: i64,
    fails: u16,
}

pub struct SuffixGuard {
    hasher: RandomState,
    references: Vec<Slot>,
    clients: Vec<Slot>,
}

impl Default for SuffixGuard {
    fn default() -> Self {
        SuffixGuard {
            hasher: RandomState::new(),
            references: vec![Slot::default(); SLOTS],
            clients: vec![Slot::default(); SLOTS],
        }
    }
}

fn window(now_secs: i64) -> i64 {
    now_secs.div_euclid(WINDOW_SECS)
}

impl SuffixGuard {
    fn slot(&self, kind: u8, key: &str) -> usize {
        (self.hasher.hash_one((kind, key)) as usize) % SLOTS
    }

    fn fails(table: &[Slot], i: usize, w: i64) -> u16 {
        let s = table[i];
        if s.window == w { s.fails } else { 0 }
    }

    /// Whether a try for `reference` from `client` may be checked now (false: too many wrong
    /// answers in this window, for the reference or for the client).
    pub fn allowed(&self, reference: &str, client: &str, now_secs: i64) -> bool {
        let w = window(now_secs);
        Self::fails(&self.references, self.slot(0, reference), w) < PER_REFERENCE
            && Self::fails(&self.clients, self.slot(1, client), w) < PER_CLIENT
    }

    /// The reference's and the client's counters in this window (reset if from an older one).
    fn each_slot(&mut self, reference: &str, client: &str, now_secs: i64, f: impl Fn(&mut u16)) {
        let w = window(now_secs);
        let (r, c) = (self.slot(0, reference), self.slot(1, client));
        for (table, i) in [(&mut self.references, r), (&mut self.clients, c)] {
            let s = &mut table[i];
            if s.window != w {
                *s = Slot {
                    window: w,
                    fails: 0,
                };
            }
            f(&mut s.fails);
        }
    }

    /// Counts a wrong suffix (or an unknown reference, which must not read differently).
    pub fn failed(&mut self, reference: &str, client: &str, now_secs: i64) {
        self.each_slot(reference, client, now_secs, |n| *n = n.saturating_add(1));
    }

    /// Begins a try: `None` when the reference or the client is over its limit; else the try
    /// is counted as wrong at once, so tries in flight together cannot pass the limit, and
    /// the reference's wrong tries in this window, this one included, are returned (the
    /// caller slows its answer by them). A right answer takes the try back (`succeeded`).
    pub fn begin(&mut self, reference: &str, client: &str, now_secs: i64) -> Option<u16> {
        if !self.allowed(reference, client, now_secs) {
            return None;
        }
        self.failed(reference, client, now_secs);
        Some(Self::fails(
            &self.references,
            self.slot(0, reference),
            window(now_secs),
        ))
    }

    /// Takes back a try `begin` counted, when its answer was right.
    pub fn succeeded(&mut self, reference: &str, client: &str, now_secs: i64) {
        self.each_slot(reference, client, now_secs, |n| *n = n.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_locked_after_five_wrong_answers_until_the_window_ends() {
        let mut g = SuffixGuard::default();
        let t = 1_000_000 * WINDOW_SECS;
        for i in 0..PER_REFERENCE {
            assert!(g.allowed("HEL-26-000001", &format!("10.0.0.{i}"), t));
            g.failed("HEL-26-000001", &format!("10.0.0.{i}"), t);
        }
        // From any address.
        assert!(!g.allowed("HEL-26-000001", "10.9.9.9", t + 10));
        assert!(g.allowed("HEL-26-000002", "10.9.9.9", t + 10));
        assert!(g.allowed("HEL-26-000001", "10.9.9.9", t + WINDOW_SECS));
    }

    #[test]
    fn one_address_trying_many_references_is_stopped_too_and_memory_stays_fixed() {
        let mut g = SuffixGuard::default();
        let t = 5 * WINDOW_SECS;
        for n in 0..PER_CLIENT {
            g.failed(&format!("HEL-26-{n:06}"), "10.0.0.1", t);
        }
        assert!(!g.allowed("HEL-26-999999", "10.0.0.1", t));
        for n in 0..100_000 {
            g.failed(&format!("HEL-26-{n:06}"), &format!("a{n}"), t);
        }
        assert_eq!(g.references.len() + g.clients.len(), 2 * SLOTS);
    }

    #[test]
    fn tries_in_flight_together_are_counted_before_they_are_answered() {
        let mut g = SuffixGuard::default();
        let t = 7 * WINDOW_SECS;
        // Five tries begun at once, none answered yet: the sixth is refused.
        let counts: Vec<Option<u16>> = (0..6)
            .map(|_| g.begin("HEL-26-000001", "10.0.0.1", t))
            .collect();
        assert_eq!(counts, [Some(1), Some(2), Some(3), Some(4), Some(5), None]);
        // A right answer gives its try back.
        g.succeeded("HEL-26-000001", "10.0.0.1", t);
        assert_eq!(g.begin("HEL-26-000001", "10.0.0.1", t), Some(5));
    }
}

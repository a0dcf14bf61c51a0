//! The oracle (`estimate-accuracy --oracle N`): what the best estimate could be. At a sampled
//! ticket's issue, the rest of the day is replayed N times through the same engine with fresh
//! chances: new arrivals from that instant on (the process is memoryless), the calls being
//! served given new lengths (drawn longer than they have lasted so far), whether and when a
//! called citizen not at the counter yet comes (given how long the clerk has waited), when an
//! idle clerk looks at the queue again, new service times, no-shows and transfers after. The
//! replays' median is the estimate that knows everything the simulation knows (the true
//! means, every clerk's speed, the true arrival rates, the lunch rule) and nothing the hall
//! could not know yet (only a clerk's 3–15 s before the next call, drawn at the release, is
//! kept); its error against the wait that followed is the floor no model can go under.

use super::{Act, Sim};
use chrono::Duration;
use hall_core::TicketId;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

impl Sim {
    /// The median and mean of the ticket's wait over the replays.
    pub(super) fn oracle(&mut self, id: TicketId, day: chrono::NaiveDate) -> Option<(f64, f64)> {
        let target = self.tickets.get(&id)?.clone();
        let end = self.at_local(day, 15 * 60);
        let mut waits = Vec::with_capacity(self.oracle_replays);
        for r in 0..self.oracle_replays {
            let mut sim = Sim {
                state: self.state.clone(),
                learned: Default::default(),
                catalog: self.catalog.clone(),
                zone: self.zone,
                rng: StdRng::seed_from_u64(id.0.wrapping_mul(7919) ^ (r as u64 + 1) << 40),
                now: self.now,
                queue: BinaryHeap::new(),
                order: self.order,
                seq: self.seq,
                mean: self.mean.clone(),
                speed: self.speed.clone(),
                popularity: self.popularity.clone(),
                per_day: self.per_day,
                forecast: Default::default(),
                tickets: HashMap::from([(id, target.clone())]),
                measuring: false,
                lunch_taken: self.lunch_taken,
                oracle_replays: 0,
                oracle_every: 1,
                replay: true,
                cond: self.cond,
                idle: self.idle.clone(),
            };
            // What is already drawn about the future is drawn again: arrivals after now, the
            // end of every call being served, and whether and when a called citizen who has
            // not reached the counter yet comes (nobody in the hall knows that either), and
            // when an idle clerk looks at the queue again.
            for Reverse((ms, order, act)) in self.queue.iter().copied() {
                match act {
                    Act::Arrive => {}
                    Act::Done(c) => {
                        let at = sim.redrawn_end(c).unwrap_or(ms);
                        sim.queue.push(Reverse((at, order, act)));
                    }
                    Act::Show(c) | Act::Recall(c) => {
                        let (at, act) = sim.redrawn_arrival(c).unwrap_or((ms, act));
                        sim.queue.push(Reverse((at, order, act)));
                    }
                    // When an idle clerk looks again depends on when they last looked,
                    // which nothing in the hall records.
                    Act::Look(_) => {
                        let again = super::LOOK_AGAIN_SECS as f64 * sim.rng.random::<f64>();
                        let at = sim.now.timestamp_millis() + (again * 1000.0) as i64;
                        sim.queue.push(Reverse((at, order, act)));
                    }
                    _ => sim.queue.push(Reverse((ms, order, act))),
                }
            }
            sim.schedule_arrivals(self.now, end);
            while let Some(Reverse((ms, _, act))) = sim.queue.pop() {
                sim.now = chrono::DateTime::from_timestamp_millis(ms).expect("a valid instant");
                sim.step(act, day);
                if sim.tickets[&id].waited.is_some() {
                    break;
                }
            }
            if let Some(w) = sim.tickets[&id].waited {
                waits.push(w as f64);
            }
        }
        if waits.is_empty() {
            return None;
        }
        waits.sort_by(f64::total_cmp);
        let n = waits.len();
        let median = if n % 2 == 1 {
            waits[n / 2]
        } else {
            (waits[n / 2 - 1] + waits[n / 2]) / 2.0
        };
        Some((median, waits.iter().sum::<f64>() / n as f64))
    }

    /// The first call of counter `c`'s ticket, its citizen not there yet: drawn again given
    /// how long the clerk has waited, a no-show (recalled) or the citizen's arrival (ms).
    fn redrawn_arrival(&mut self, c: hall_core::CounterId) -> Option<(i64, Act)> {
        let t = self
            .state
            .counters
            .get(&c)
            .and_then(|k| k.ticket)
            .and_then(|t| self.state.tickets.get(&t))?;
        if t.recalls > 0 || t.serving_at.is_some() {
            return None;
        }
        let called = t.called_at?;
        let (lo, hi) = (super::WALK_SECS.0 as f64, super::WALK_SECS.1 as f64);
        let waited = (self.now - called).num_milliseconds() as f64 / 1000.0;
        // P(still walking | not there yet) against P(not coming | not there yet).
        let walking = (1.0 - super::NO_SHOW) * ((hi - waited.max(lo)) / (hi - lo)).clamp(0.0, 1.0);
        let no_show = super::NO_SHOW / (super::NO_SHOW + walking);
        if self.rng.random::<f64>() < no_show {
            let at = called + Duration::seconds(super::RECALL_AFTER_SECS);
            return Some((at.timestamp_millis(), Act::Recall(c)));
        }
        let from = waited.max(lo);
        let walk = from + self.rng.random::<f64>() * (hi - from);
        let at = called + Duration::milliseconds((walk * 1000.0) as i64);
        Some((
            at.timestamp_millis().max(self.now.timestamp_millis()),
            Act::Show(c),
        ))
    }

    /// A new end (ms) for the call counter `c` is serving: a service time drawn again until it
    /// is longer than the call has lasted.
    fn redrawn_end(&mut self, c: hall_core::CounterId) -> Option<i64> {
        let t = self
            .state
            .counters
            .get(&c)
            .and_then(|k| k.ticket)
            .and_then(|t| self.state.tickets.get(&t))?
            .clone();
        let since = t.serving_at?;
        let lasted = (self.now - since).num_milliseconds() as f64 / 1000.0;
        for _ in 0..1000 {
            let secs = self.service_secs(&t.service, c);
            if secs > lasted {
                return Some(
                    (since + Duration::milliseconds((secs * 1000.0) as i64)).timestamp_millis(),
                );
            }
        }
        None
    }
}

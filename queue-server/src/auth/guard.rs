//! Sign-in that cannot be turned against the server: per account and source address
//! (`key`), a back-off after each wrong password and a lock after `lock_after` of them in a
//! row (for `lock_minutes`, or until a manager lifts it). The lock holds the account shut for
//! the source that guessed, not for the clerk at another desk: a flood of wrong passwords
//! from one machine cannot lock the staff out of a working center (and a machine outside the
//! hall's networks is not let try at all, `[access] staff_networks`). And the pool that runs argon2, a fixed number of threads behind a short
//! queue, so a flood of sign-ins waits or is told `busy` instead of hashing in parallel.
//!
//! `Guard` is pure: every method takes `now`; the lock-out rules are tested on simulated time.
//! Its table is in memory and bounded (`MAX_TRACKED` names, wrong ones included, so a lock
//! does not tell which names exist); a restart clears it.

use chrono::Duration;
use hall_core::Timestamp;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

/// The rules; `Policy::default()` is what the server uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// Wrong passwords in a row that lock the account.
    pub lock_after: u32,
    pub lock_minutes: u32,
    /// After the n-th wrong password in a row (n ≥ 2), the next try of that account waits
    /// `backoff_ms × 2^(n-2)` (at most `max_backoff_ms`); one typing mistake costs nothing.
    pub backoff_ms: i64,
    pub max_backoff_ms: i64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            lock_after: 5,
            lock_minutes: 15,
            backoff_ms: 1000,
            max_backoff_ms: 30_000,
        }
    }
}

/// Names followed at once. When full, what is over (locks run out, failures older than a
/// lock's length) is forgotten first, then the entry with the fewest failures (the oldest of
/// those); a locked entry, or one with a sign-in under way, is never forgotten: a spray of
/// other names cannot wipe an account's count.
pub const MAX_TRACKED: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Failures {
    count: u32,
    last: Timestamp,
    locked_until: Option<Timestamp>,
    /// Sign-ins let through by `check` whose outcome has not come back yet: they count
    /// against the lock, so concurrent tries cannot get more than `lock_after` hashes.
    in_flight: u32,
}

/// Whether a sign-in to a name may be tried now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// Tried; the attempt is reserved until `failed`, `succeeded` or `release` is called.
    Go,
    /// Too soon after the last wrong password.
    Wait {
        until: Timestamp,
    },
    Locked {
        until: Timestamp,
    },
    /// As many tries of this name are under way as may fail before the lock.
    Pending,
}

#[derive(Debug, Default)]
pub struct Guard {
    policy: Policy,
    names: HashMap<String, Failures>,
}

impl Guard {
    pub fn new(policy: Policy) -> Guard {
        Guard {
            policy,
            names: HashMap::new(),
        }
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    fn window(&self) -> Duration {
        Duration::minutes(i64::from(self.policy.lock_minutes))
    }

    fn backoff(&self, count: u32) -> Duration {
        if count < 2 {
            return Duration::zero();
        }
        let shift = (count - 2).min(20);
        Duration::milliseconds((self.policy.backoff_ms << shift).min(self.policy.max_backoff_ms))
    }

    /// Whether `name` may be tried now; `Go` reserves the attempt (its outcome releases it).
    pub fn check(&mut self, name: &str, now: Timestamp) -> Verdict {
        let window = self.window();
        if let Some(f) = self.names.get(name).copied() {
            if let Some(until) = f.locked_until {
                if now < until {
                    return Verdict::Locked { until };
                }
                // The lock has run out: a clean slate (tries under way stay reserved).
                let f = self.names.get_mut(name).expect("present");
                (f.count, f.locked_until) = (0, None);
            }
            let backoff = self.backoff(f.count);
            if f.locked_until.is_none() && now < f.last + backoff {
                return Verdict::Wait {
                    until: f.last + backoff,
                };
            }
        }
        let lock_after = self.policy.lock_after;
        let Some(f) = self.entry(name, now) else {
            // Full of locks and tries under way: this name goes unfollowed.
            return Verdict::Go;
        };
        if now - f.last >= window {
            f.count = 0;
        }
        if f.count + f.in_flight >= lock_after {
            return Verdict::Pending;
        }
        f.in_flight += 1;
        Verdict::Go
    }

    /// The entry for `name`, made if need be; None if the table is full of entries that
    /// must be kept.
    fn entry(&mut self, name: &str, now: Timestamp) -> Option<&mut Failures> {
        if !self.names.contains_key(name) && self.names.len() >= MAX_TRACKED {
            let window = self.window();
            self.names.retain(|_, f| {
                f.in_flight > 0
                    || match f.locked_until {
                        Some(u) => u > now,
                        None => now - f.last < window,
                    }
            });
            if self.names.len() >= MAX_TRACKED {
                let evict = self
                    .names
                    .iter()
                    .filter(|(_, f)| f.locked_until.is_none() && f.in_flight == 0)
                    .min_by_key(|(_, f)| (f.count, f.last))
                    .map(|(n, _)| n.clone())?;
                self.names.remove(&evict);
            }
        }
        Some(self.names.entry(name.to_string()).or_insert(Failures {
            count: 0,
            last: now,
            locked_until: None,
            in_flight: 0,
        }))
    }

    /// A tried sign-in that came to neither answer (the pool was busy, storage failed).
    pub fn release(&mut self, name: &str) {
        if let Some(f) = self.names.get_mut(name) {
            f.in_flight = f.in_flight.saturating_sub(1);
            if f.in_flight == 0 && f.count == 0 && f.locked_until.is_none() {
                self.names.remove(name);
            }
        }
    }

    /// A wrong password. Returns the end of the lock if this one sets it (a failure while
    /// the account is already locked returns None: the lock is reported once).
    pub fn failed(&mut self, name: &str, now: Timestamp) -> Option<Timestamp> {
        let window = self.window();
        let lock_after = self.policy.lock_after;
        let f = self.entry(name, now)?;
        f.in_flight = f.in_flight.saturating_sub(1);
        if let Some(u) = f.locked_until {
            if u > now {
                return None;
            }
            (f.count, f.locked_until) = (0, None);
        }
        // Failures far apart are not a series.
        if now - f.last >= window {
            f.count = 0;
        }
        f.count += 1;
        f.last = now;
        if f.count >= lock_after {
            let until = now + window;
            f.locked_until = Some(until);
            return Some(until);
        }
        None
    }

    pub fn succeeded(&mut self, name: &str) {
        self.names.remove(name);
    }

    /// Lifts a lock (a manager's act); true if there was one in force.
    /// Lifts every lock on an account, from whatever source; true if one was in force.
    pub fn unlock(&mut self, account: &str, now: Timestamp) -> bool {
        let locked = self.locked_until(account, now).is_some();
        self.names.retain(|k, _| account_of(k) != account);
        locked
    }

    /// The latest end of a lock on an account from any source, if one is in force.
    pub fn locked_until(&self, account: &str, now: Timestamp) -> Option<Timestamp> {
        self.names
            .iter()
            .filter(|(k, _)| account_of(k) == account)
            .filter_map(|(_, f)| f.locked_until)
            .filter(|u| *u > now)
            .max()
    }

    pub fn tracked(&self) -> usize {
        self.names.len()
    }
}

/// The guard's key for sign-ins to `account` from `source`: an IPv4 address, or an IPv6
/// address's /64 (one machine may hold a whole /64).
pub fn key(account: &str, source: std::net::IpAddr) -> String {
    let source = match source.to_canonical() {
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        v4 => v4.to_string(),
    };
    format!("{account}{SEP}{source}")
}

const SEP: char = '\u{1f}';

fn account_of(key: &str) -> &str {
    key.split(SEP).next().unwrap_or(key)
}

/// Threads that run argon2.
pub const HASH_WORKERS: usize = 2;
/// Sign-ins waiting for a hashing thread; one more is answered `busy`.
pub const HASH_QUEUE: usize = 16;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed pool for the slow hash. Each argon2 run takes 19 MiB; with two threads that is
/// the most it ever takes at once, and the two threads' allocator arenas are all that keep
/// such blocks afterwards (a blocking pool of hundreds of threads kept one per thread: the
/// 1,233 MiB of issue 14).
pub struct HashPool {
    tx: SyncSender<Job>,
}

#[derive(Debug, PartialEq)]
pub struct Busy;

impl HashPool {
    pub fn new() -> HashPool {
        let (tx, rx) = sync_channel::<Job>(HASH_QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..HASH_WORKERS {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || work(&rx))
                .expect("spawn a hashing thread");
        }
        HashPool { tx }
    }

    /// Queues `f` for a hashing thread; `Busy` if the queue is full.
    pub fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<tokio::sync::oneshot::Receiver<T>, Busy> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        match self.tx.try_send(job) {
            Ok(()) => Ok(rx),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
        }
    }
}

impl Default for HashPool {
    fn default() -> HashPool {
        HashPool::new()
    }
}

/// A hashing thread: jobs until the pool is dropped.
fn work(rx: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting; the job runs without it.
        let job = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        "2026-11-22T08:00:00Z".parse().unwrap()
    }

    fn secs(s: i64) -> Duration {
        Duration::seconds(s)
    }

    #[test]
    fn each_wrong_password_doubles_the_wait_and_the_fifth_locks_for_fifteen_minutes() {
        let mut g = Guard::new(Policy::default());
        let mut now = t0();
        assert_eq!(g.check("mona", now), Verdict::Go);
        assert_eq!(g.failed("mona", now), None);
        assert_eq!(
            g.check("mona", now),
            Verdict::Go,
            "one mistake costs nothing"
        );
        for (n, wait) in [(2, 1), (3, 2), (4, 4)] {
            assert_eq!(g.failed("mona", now), None, "failure {n} does not lock");
            assert_eq!(
                g.check("mona", now + secs(wait) - Duration::milliseconds(1)),
                Verdict::Wait {
                    until: now + secs(wait)
                },
                "after failure {n}"
            );
            now += secs(wait);
            assert_eq!(g.check("mona", now), Verdict::Go);
        }
        let until = g.failed("mona", now).expect("the fifth locks");
        assert_eq!(until, now + Duration::minutes(15));
        assert_eq!(g.check("mona", now + secs(60)), Verdict::Locked { until });
        assert_eq!(
            g.check("ali", now),
            Verdict::Go,
            "other accounts are not touched"
        );
        // The lock runs out by itself, and the count starts again.
        assert_eq!(g.check("mona", until), Verdict::Go);
        assert_eq!(g.failed("mona", until), None);
    }

    #[test]
    fn a_right_password_or_a_manager_clears_the_count() {
        let mut g = Guard::new(Policy::default());
        let now = t0();
        for i in 0..4 {
            g.failed("mona", now + secs(60 * i));
        }
        g.succeeded("mona");
        assert_eq!(g.failed("mona", now + secs(300)), None, "a new series");
        let mut later = now + secs(400);
        for _ in 0..5 {
            g.failed("ali", later);
            later += secs(60);
        }
        assert!(g.locked_until("ali", later).is_some());
        assert!(g.unlock("ali", later));
        assert_eq!(g.check("ali", later), Verdict::Go);
        assert!(!g.unlock("ali", later), "nothing to lift now");
    }

    #[test]
    fn tries_under_way_count_against_the_lock_and_the_lock_is_reported_once() {
        let mut g = Guard::new(Policy::default());
        let now = t0();
        for _ in 0..5 {
            assert_eq!(g.check("mona", now), Verdict::Go);
        }
        assert_eq!(g.check("mona", now), Verdict::Pending, "five under way");
        g.release("mona");
        assert_eq!(
            g.check("mona", now),
            Verdict::Go,
            "a released try frees its place"
        );
        let locks: Vec<_> = (0..5).filter_map(|_| g.failed("mona", now)).collect();
        assert_eq!(locks.len(), 1, "the lock is set once");
        assert!(matches!(g.check("mona", now), Verdict::Locked { .. }));
        assert_eq!(
            g.failed("mona", now),
            None,
            "a failure during the lock sets nothing"
        );
    }

    #[test]
    fn a_spray_of_other_names_does_not_wipe_an_accounts_count() {
        let mut g = Guard::new(Policy::default());
        let now = t0();
        for _ in 0..4 {
            g.failed("mona", now);
        }
        for i in 0..(MAX_TRACKED * 2) {
            g.failed(&format!("name{i}"), now + Duration::milliseconds(i as i64));
        }
        let later = now + secs(60);
        assert_eq!(g.check("mona", later), Verdict::Go);
        assert!(
            g.failed("mona", later).is_some(),
            "the fifth in a row still locks"
        );
    }

    #[test]
    fn failures_far_apart_do_not_add_up() {
        let mut g = Guard::new(Policy::default());
        let mut now = t0();
        for _ in 0..10 {
            assert_eq!(g.failed("mona", now), None);
            now += Duration::minutes(16);
        }
    }

    #[test]
    fn the_table_stays_bounded_under_a_flood_of_names() {
        let mut g = Guard::new(Policy::default());
        let now = t0();
        for i in 0..(MAX_TRACKED * 3) {
            g.failed(&format!("name{i}"), now + Duration::milliseconds(i as i64));
        }
        assert!(g.tracked() <= MAX_TRACKED, "{}", g.tracked());
    }

    #[test]
    fn the_pool_runs_jobs_and_says_busy_when_its_queue_is_full() {
        let pool = HashPool::new();
        let (block_tx, block_rx) = std::sync::mpsc::channel::<()>();
        let block_rx = Arc::new(Mutex::new(block_rx));
        let mut held = Vec::new();
        // Two jobs occupy the two threads, sixteen fill the queue.
        // Two jobs occupy the two threads, sixteen fill the queue (retried while the threads
        // have not yet taken theirs).
        while held.len() < HASH_WORKERS + HASH_QUEUE {
            let rx = block_rx.clone();
            match pool.run(move || {
                let _ = rx.lock().unwrap().recv();
            }) {
                Ok(h) => held.push(h),
                Err(Busy) => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        }
        assert_eq!(pool.run(|| ()).err(), Some(Busy), "a full queue refuses");
        drop(block_tx);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for h in held {
            rt.block_on(h).unwrap();
        }
        let answer = rt.block_on(async {
            loop {
                if let Ok(rx) = pool.run(|| 42) {
                    break rx.await.unwrap();
                }
            }
        });
        assert_eq!(answer, 42, "free again once the queue drains");
    }
}

//! The simulated country of the sample network: every site of the register without a leaf of
//! its own is played here, by the real engine (`hall_core::engine::decide` and `apply`, on
//! simulated time), so its events are exactly what a real center would send: a catalog, a day,
//! counters opening, tickets issued, called, served, some no-shows. Each site publishes to
//! `tabour.sim.<g>.<c>` on the hub (the hub's `TABOUR_SIM` stream) and beats its heartbeat;
//! some vans drop out of coverage for a while and catch up when they return.

use crate::sites::{Register, Site, SiteKind};
use chrono::{DateTime, Duration, Utc};
use hall_core::command::Command;
use hall_core::engine;
use hall_core::engine::Actor;
use hall_core::role::Role;
use hall_core::{Catalog, CounterState, Envelope, Outcome, Priority, State};
use hall_wire::network as net;
use hall_wire::network::{Heartbeat, UplinkEvent};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One simulated site: its hall, its clerks' timers, and what it has not yet sent.
pub struct SimSite {
    pub site: Site,
    pub state: State,
    rng: StdRng,
    /// Tickets issued per hour at the busiest.
    rate_per_hour: f64,
    /// Per counter: when its current step (call, service) ends.
    busy_until: Vec<DateTime<Utc>>,
    pub outbox: Vec<UplinkEvent>,
    /// Out of coverage until then (vans only).
    pub offline_until: Option<DateTime<Utc>>,
    next_key: u64,
}

/// The sample center's catalog, named after the site, open around the clock so the sample
/// network shows a working day whenever it is started.
pub fn catalog_for(site: &Site) -> Catalog {
    let mut c = hall_wire::center_file::sample();
    c.center.id = site.code.clone();
    c.center.name = site.name.clone();
    for s in &mut c.services {
        s.hours.open = chrono::NaiveTime::from_hms_opt(0, 0, 0).expect("midnight");
        s.hours.close = chrono::NaiveTime::from_hms_opt(23, 59, 0).expect("a minute to midnight");
        use hall_core::Weekday::*;
        s.hours.days = vec![Sat, Sun, Mon, Tue, Wed, Thu, Fri];
        s.open = true;
        s.daily_limit = None;
    }
    if site.kind == SiteKind::Van {
        c.counters.truncate(2);
        let served: std::collections::HashSet<String> = c
            .counters
            .iter()
            .flat_map(|k| k.profile.iter().map(|p| p.service.clone()))
            .collect();
        c.services.retain(|s| served.contains(&s.code));
    }
    c
}

impl SimSite {
    pub fn new(site: Site, seed: u64, now: DateTime<Utc>) -> SimSite {
        let mut rng = StdRng::seed_from_u64(seed);
        let rate_per_hour = match site.kind {
            SiteKind::Van => rng.random_range(6.0..14.0),
            SiteKind::Office => rng.random_range(40.0..80.0),
            SiteKind::Center => rng.random_range(15.0..60.0),
        };
        let state = State {
            keeps_closed: false,
            ..State::default()
        };
        let mut s = SimSite {
            site,
            state,
            rng,
            rate_per_hour,
            busy_until: Vec::new(),
            outbox: Vec::new(),
            offline_until: None,
            next_key: 0,
        };
        let catalog = catalog_for(&s.site);
        s.run(
            &Actor::system(),
            Command::LoadCatalog {
                catalog: Box::new(catalog),
            },
            now,
        );
        let open = match s.site.kind {
            SiteKind::Van => 2,
            _ => s.rng.random_range(3..=8),
        };
        let counters: Vec<u32> = s.state.counters.keys().copied().take(open).collect();
        for (i, c) in counters.iter().enumerate() {
            let clerk = Actor::new(Role::Clerk, format!("clerk{}", i + 1));
            s.run(&clerk, Command::OpenCounter { counter: *c }, now);
        }
        s.busy_until = vec![now; counters.len()];
        s
    }

    /// Decides a command with the real engine and keeps its events (a refusal is a citizen's
    /// or a clerk's ordinary bad luck: nothing happens).
    fn run(&mut self, actor: &Actor, command: Command, now: DateTime<Utc>) {
        if let Some(day) = engine::day_change(&self.state, now) {
            self.commit(&Actor::system(), &day, now);
        }
        self.commit(actor, &command, now);
    }

    fn commit(&mut self, actor: &Actor, command: &Command, now: DateTime<Utc>) {
        let Ok(events) = engine::decide(&self.state, actor, command, now) else {
            return;
        };
        for event in events {
            let env = Envelope {
                seq: self.state.seq + 1,
                at: now,
                actor: actor.label(),
                event,
            };
            hall_core::apply(&mut self.state, &env);
            self.outbox.push(UplinkEvent::of(
                &self.site.code,
                &self.site.governorate,
                &env,
            ));
        }
    }

    /// Plays the site from `from` to `to` in steps of `step` simulated seconds.
    pub fn advance(&mut self, from: DateTime<Utc>, to: DateTime<Utc>, step: i64) {
        let mut t = from;
        while t < to {
            t = (t + Duration::seconds(step)).min(to);
            self.step(t, step as f64);
        }
    }

    fn step(&mut self, now: DateTime<Utc>, secs: f64) {
        // Arrivals: Poisson, thinned to the hour of the day (a morning peak).
        let hour = now
            .with_timezone(&chrono_tz::Africa::Cairo)
            .format("%H")
            .to_string();
        let hour: f64 = hour.parse().unwrap_or(12.0);
        let shape = (1.0 - ((hour - 11.0) / 6.0).powi(2)).max(0.15);
        let expected = self.rate_per_hour * shape * secs / 3600.0;
        let mut arrivals = 0;
        while self.rng.random::<f64>() < expected / (arrivals as f64 + 1.0) {
            arrivals += 1;
        }
        let services: Vec<String> = self
            .state
            .catalog
            .as_ref()
            .map(|c| c.services.iter().map(|s| s.code.clone()).collect())
            .unwrap_or_default();
        for _ in 0..arrivals {
            if services.is_empty() {
                break;
            }
            // A few services take most of the day's citizens.
            let i = (self.rng.random::<f64>().powi(3) * services.len() as f64) as usize;
            let priority = if self.rng.random::<f64>() < 0.1 {
                Priority::Elderly
            } else {
                Priority::Normal
            };
            self.next_key += 1;
            let key = format!("{}-{}", self.site.code, self.next_key);
            let token = format!("{:032x}", self.rng.random::<u128>());
            let kiosk = Actor::new(Role::Kiosk, "kiosk-1");
            let cmd = Command::IssueTicket {
                service: services[i.min(services.len() - 1)].clone(),
                priority,
                idempotency_key: key,
                token,
            };
            self.run(&kiosk, cmd, now);
        }
        // Clerks: call the next, start, finish after a service time around the expected one.
        let counters: Vec<(u32, CounterState, Option<String>)> = self
            .state
            .counters
            .values()
            .map(|c| (c.id, c.state, c.clerk.clone()))
            .collect();
        let mut open_index = 0;
        for (id, state, clerk) in counters {
            let Some(clerk) = clerk else { continue };
            let i = open_index;
            open_index += 1;
            if i >= self.busy_until.len() || now < self.busy_until[i] {
                continue;
            }
            let actor = Actor::new(Role::Clerk, clerk);
            match state {
                CounterState::Idle => {
                    self.run(&actor, Command::CallNext { counter: id }, now);
                    self.busy_until[i] = now + Duration::seconds(self.rng.random_range(15..60));
                }
                CounterState::Calling => {
                    if self.rng.random::<f64>() < 0.06 {
                        self.run(&actor, Command::NoShow { counter: id }, now);
                    } else {
                        self.run(&actor, Command::StartServing { counter: id }, now);
                        let mean = 300.0;
                        let secs = -mean * (1.0 - self.rng.random::<f64>()).ln();
                        self.busy_until[i] =
                            now + Duration::seconds(secs.clamp(60.0, 1800.0) as i64);
                    }
                }
                CounterState::Serving => {
                    let outcome = if self.rng.random::<f64>() < 0.9 {
                        Outcome::Completed
                    } else {
                        Outcome::IncompleteDocuments
                    };
                    self.run(&actor, Command::finish(id, outcome), now);
                }
                _ => {}
            }
        }
    }

    pub fn heartbeat(&self, now: DateTime<Utc>) -> Heartbeat {
        Heartbeat {
            center: self.site.code.clone(),
            governorate: self.site.governorate.clone(),
            stored: self.state.seq,
            at: now,
            closings: Vec::new(),
        }
    }

    pub fn subject(&self) -> String {
        format!(
            "{}.{}.{}",
            net::SIM_SUBJECT_PREFIX,
            self.site.governorate,
            self.site.code
        )
    }
}

/// The simulated sites of a register: all those without a leaf.
pub fn sites(register: &Register, now: DateTime<Utc>) -> Vec<SimSite> {
    register
        .sites
        .iter()
        .filter(|s| !s.leaf)
        .enumerate()
        .map(|(i, s)| SimSite::new(s.clone(), 0x7AB0 + i as u64, now))
        .collect()
}

/// Sends a site's waiting events to the hub's `TABOUR_SIM` (message id `<center>:<seq>`: a
/// resend is a duplicate); returns how many.
pub async fn publish(
    js: &async_nats::jetstream::Context,
    s: &mut SimSite,
) -> Result<usize, async_nats::Error> {
    let subject = s.subject();
    let mut acks = Vec::new();
    let events = std::mem::take(&mut s.outbox);
    for e in &events {
        let msg = async_nats::jetstream::message::PublishMessage::build()
            .payload(serde_json::to_vec(e)?.into())
            .message_id(net::message_id(&e.center, e.seq));
        acks.push(js.send_publish(subject.clone(), msg).await?);
        if acks.len() >= 2000 {
            for a in acks.drain(..) {
                a.await?;
            }
        }
    }
    for a in acks {
        a.await?;
    }
    Ok(events.len())
}

/// Says "alive" for a site, as a real site's uplink does.
pub async fn beat(
    client: &async_nats::Client,
    s: &SimSite,
    now: DateTime<Utc>,
) -> Result<(), async_nats::Error> {
    let subject = net::heartbeat_subject(&s.site.governorate, &s.site.code);
    client
        .publish(subject, serde_json::to_vec(&s.heartbeat(now))?.into())
        .await?;
    Ok(())
}

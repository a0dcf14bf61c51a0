//! The board's view of the hall, headless: calls, recalls, zones, disconnect and reconnect,
//! driven by events the real engine produces.

use chrono::Duration;
use display_board::board::{Board, Zone};
use hall_client::ClientEvent;
use hall_core::Envelope;
use hall_core::engine::{Actor, Command};
use hall_core::role::Role;

/// The simulated hall (`testkit::hall`) at 10:00 in Cairo with counters 1 to 4 open, seen as
/// a board sees it: each command's events come back as the redacted delta a subscriber gets.
struct Hall(testkit::hall::Hall);

impl Hall {
    fn new() -> Hall {
        let mut h = testkit::hall::Hall::open();
        h.minutes(60);
        for c in 1..=4 {
            h.open_counter(&Hall::clerk(c), c);
        }
        Hall(h)
    }

    /// Runs a command; returns its events as a subscriber receives them.
    fn run(&mut self, actor: &Actor, cmd: Command) -> ClientEvent {
        let from = self.0.log.len();
        self.0.when(actor, cmd).events();
        self.delta_since(from)
    }

    fn issue(&mut self, service: &str) -> ClientEvent {
        let from = self.0.log.len();
        self.0.issue(service);
        self.delta_since(from)
    }

    fn delta_since(&self, from: usize) -> ClientEvent {
        let redacted = self.0.log[from..].iter().map(|env| Envelope {
            event: env.event.redacted(),
            ..env.clone()
        });
        ClientEvent::Delta(redacted.collect())
    }

    fn clerk(c: u32) -> Actor {
        Actor::new(Role::Clerk, format!("clerk{c}"))
    }

    fn snapshot(&self) -> ClientEvent {
        ClientEvent::Snapshot(Box::new(self.0.state.public()))
    }
}

impl std::ops::Deref for Hall {
    type Target = testkit::hall::Hall;
    fn deref(&self) -> &testkit::hall::Hall {
        &self.0
    }
}

impl std::ops::DerefMut for Hall {
    fn deref_mut(&mut self) -> &mut testkit::hall::Hall {
        &mut self.0
    }
}

fn labels(b: &Board) -> Vec<String> {
    b.calls.iter().map(|c| c.label.clone()).collect()
}

#[test]
fn a_call_shows_first_and_is_announced_once() {
    let mut h = Hall::new();
    let mut b = Board::new(Zone::default());
    b.handle(&h.snapshot(), h.now);
    for _ in 0..2 {
        let e = h.issue("CIT-BIRTH");
        b.handle(&e, h.now);
    }
    let call = h.run(&Hall::clerk(2), Command::CallNext { counter: 2 });
    let changed = b.handle(&call, h.now);
    assert!(changed.view && changed.new_call);
    assert_eq!(labels(&b), ["A-001"]);
    assert_eq!(b.calls[0].counter_name.ar, "شباك ٢");
    assert_eq!(b.to_announce.len(), 1);
    // The same delta again (a resent frame) is not a second call.
    let again = b.handle(&call, h.now);
    assert!(!again.new_call);
    assert_eq!(b.to_announce.len(), 1);
    h.now += Duration::seconds(30);
    let second = h.run(&Hall::clerk(1), Command::CallNext { counter: 1 });
    b.handle(&second, h.now);
    assert_eq!(labels(&b), ["A-002", "A-001"], "newest first");
    assert_eq!(
        b.to_announce
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        ["A-001", "A-002"],
        "announced in order"
    );
}

#[test]
fn a_recall_is_announced_again_but_listed_once() {
    let mut h = Hall::new();
    let mut b = Board::new(Zone::default());
    b.handle(&h.snapshot(), h.now);
    b.handle(&h.issue("CIT-BIRTH"), h.now);
    b.handle(
        &h.run(&Hall::clerk(2), Command::CallNext { counter: 2 }),
        h.now,
    );
    h.now += Duration::seconds(40);
    b.handle(
        &h.run(&Hall::clerk(2), Command::Recall { counter: 2 }),
        h.now,
    );
    assert_eq!(labels(&b), ["A-001"]);
    assert_eq!(b.to_announce.len(), 2);
    assert!(b.to_announce[1].recall);
}

#[test]
fn a_board_limited_to_a_zone_ignores_other_counters() {
    let mut h = Hall::new();
    let mut b = Board::new(Zone {
        services: None,
        counters: Some(vec![1]),
    });
    b.handle(&h.snapshot(), h.now);
    b.handle(&h.issue("CIT-BIRTH"), h.now);
    b.handle(&h.issue("CIT-TAX"), h.now);
    b.handle(
        &h.run(&Hall::clerk(2), Command::CallNext { counter: 2 }),
        h.now,
    );
    assert!(b.calls.is_empty() && b.to_announce.is_empty());
    b.handle(
        &h.run(&Hall::clerk(1), Command::CallNext { counter: 1 }),
        h.now,
    );
    assert_eq!(labels(&b), ["B-001"]);
    let groups = b.waiting_by_category(h.now);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name.en, "Citizen services");
}

#[test]
fn waiting_counts_follow_the_hall() {
    let mut h = Hall::new();
    let mut b = Board::new(Zone::default());
    b.handle(&h.snapshot(), h.now);
    for _ in 0..3 {
        let e = h.issue("CIT-SHOP");
        b.handle(&e, h.now);
    }
    assert_eq!(b.waiting_by_category(h.now)[0].waiting, 3);
    b.handle(
        &h.run(&Hall::clerk(4), Command::CallNext { counter: 4 }),
        h.now,
    );
    assert_eq!(b.waiting_by_category(h.now)[0].waiting, 2);
}

/// Issue 23: the waiting line carries the queue model's current figure for a ticket taken
/// now, and moves with it: none before the model's first figures, longer once more wait.
#[test]
fn the_waiting_line_shows_the_current_wait_of_a_ticket_taken_now() {
    use hall_forecast::{Learned, forecast};
    use hall_wire::views::LiveView;
    let mut h = Hall::new();
    let mut b = Board::new(Zone::default());
    b.handle(&h.snapshot(), h.now);
    let learned = Learned::from_catalog(h.0.state.catalog.as_deref().unwrap());
    let figures = |h: &Hall| {
        let outlook = forecast(&h.0.state, &learned, h.now).outlook;
        ClientEvent::View(Box::new(LiveView::Estimates(outlook)))
    };
    for _ in 0..4 {
        let e = h.issue("CIT-BIRTH");
        b.handle(&e, h.now);
    }
    let line = |b: &Board, h: &Hall| b.waiting_by_category(h.now)[0].clone();
    assert_eq!(line(&b, &h).waiting, 4);
    assert_eq!(line(&b, &h).longest_wait_secs, None, "no figures yet");
    b.handle(&figures(&h), h.now);
    let first = line(&b, &h).longest_wait_secs.expect("the model's figure");
    assert!(first > 0, "four ahead: {first} s");
    for _ in 0..8 {
        let e = h.issue("CIT-BIRTH");
        b.handle(&e, h.now);
    }
    b.handle(&figures(&h), h.now);
    let later = line(&b, &h).longest_wait_secs.unwrap();
    assert!(later > first, "twelve waiting: {later} s, four: {first} s");
}

#[test]
fn while_disconnected_the_board_keeps_its_calls_and_catches_up_after() {
    let mut h = Hall::new();
    let mut b = Board::new(Zone::default());
    b.handle(&h.snapshot(), h.now);
    for _ in 0..3 {
        let e = h.issue("CIT-BIRTH");
        b.handle(&e, h.now);
    }
    b.handle(
        &h.run(&Hall::clerk(2), Command::CallNext { counter: 2 }),
        h.now,
    );
    b.to_announce.clear(); // played
    let changed = b.handle(
        &ClientEvent::Disconnected {
            reason: "server gone".into(),
        },
        h.now,
    );
    assert!(changed.view && !b.live());
    assert_eq!(labels(&b), ["A-001"], "the last state stays on screen");

    // While the board is away: counter 1 calls A-002 long ago, counter 3 nothing, then
    // counter 1 finishes and calls A-003 just now.
    b.handle(
        &ClientEvent::Disconnected {
            reason: "still gone".into(),
        },
        h.now,
    );
    h.run(&Hall::clerk(1), Command::CallNext { counter: 1 });
    h.now += Duration::minutes(5);
    h.run(
        &Hall::clerk(1),
        Command::finish(1, hall_core::Outcome::Completed),
    );
    h.run(&Hall::clerk(2), Command::StartServing { counter: 2 });
    h.run(&Hall::clerk(1), Command::CallNext { counter: 1 });
    h.now += Duration::seconds(5);

    b.handle(&h.snapshot(), h.now);
    assert!(b.live());
    assert_eq!(labels(&b), ["A-003", "A-001"]);
    let announced: Vec<&str> = b.to_announce.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        announced,
        ["A-003"],
        "the fresh call is announced; A-001 was announced before and is being served"
    );
}

#[test]
fn a_call_missed_long_ago_is_shown_but_not_announced() {
    let mut h = Hall::new();
    let mut b = Board::new(Zone::default());
    h.issue("CIT-BIRTH");
    h.run(&Hall::clerk(2), Command::CallNext { counter: 2 });
    h.now += Duration::minutes(10);
    b.handle(&h.snapshot(), h.now);
    assert_eq!(labels(&b), ["A-001"]);
    assert!(b.to_announce.is_empty(), "ten minutes late: not announced");
}

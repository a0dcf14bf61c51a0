//! The people ahead the near-turn message counts (`AheadCache`, each service's queue put in
//! order once) are the page's (`ticket_view`), ticket by ticket: with the model's figures for
//! served services and the queue's place for a service no counter serves, priorities mixed.

use hall_core::Priority;
use hall_core::command::Command;
use hall_forecast::estimates::{AheadCache, people_ahead, ticket_view};
use testkit::hall::{Hall, mona};

#[test]
fn the_near_turn_count_is_the_pages_for_every_waiting_ticket() {
    let mut catalog = testkit::center::always_open();
    for s in &mut catalog.services {
        s.daily_limit = None;
    }
    let mut h = Hall::given(catalog);
    // One counter open: some services have figures, the others only places in their queue.
    h.when(&mona(), Command::OpenCounter { counter: 1 })
        .events();
    let services = ["CIT-BIRTH", "CIT-TAX", "CIT-SHOP"];
    let priorities = [
        Priority::Normal,
        Priority::Elderly,
        Priority::Normal,
        Priority::Disabled,
    ];
    let mut ids = Vec::new();
    for i in 0..300 {
        ids.push(h.issue_as(services[i % 3], priorities[i % 4]));
        if i % 7 == 0 {
            h.minutes(1);
        }
    }
    h.minutes(25); // some tickets now past the starvation limit
    let forecast = hall_forecast::forecast(&h.state, &hall_forecast::Learned::default(), h.now);
    let mut cache = AheadCache::default();
    let mut from_places = 0;
    for id in &ids {
        let page = ticket_view(&h.state, *id, h.now, &forecast)
            .unwrap()
            .people_ahead;
        assert_eq!(
            people_ahead(&h.state, *id, h.now, &forecast),
            page,
            "{id:?}"
        );
        assert_eq!(
            cache.people_ahead(&h.state, *id, h.now, &forecast),
            page,
            "{id:?}"
        );
        let t = h.state.tickets.get(id).unwrap();
        if forecast.ticket_wait(&h.state, t, h.now).is_none() {
            from_places += 1;
        }
    }
    assert!(
        from_places > 50,
        "the queue places were exercised: {from_places}"
    );
}

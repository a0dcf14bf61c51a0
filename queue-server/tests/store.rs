//! The event store: what was appended comes back, exactly, after a reopen.

use hall_core::State;
use hall_core::engine::Command;
use queue_server::store::{RefusedSnapshot, Store, StoreError};
use testkit::hall::*;

fn busy_hall() -> Hall {
    let mut h = Hall::open();
    for i in 0..30 {
        h.issue(["CIT-BIRTH", "CIT-TAX"][i % 2]);
        h.minutes(1);
    }
    h.open_counter(&mona(), 1);
    h.open_counter(&ali(), 2);
    for _ in 0..5 {
        h.call_next(&mona(), 1);
        h.when(&mona(), Command::StartServing { counter: 1 })
            .events();
        h.minutes(3);
        h.when(
            &mona(),
            Command::Finish {
                counter: 1,
                outcome: hall_core::Outcome::Completed,
                reference: Some("R-1".into()),
                suffixes: Vec::new(),
            },
        )
        .events();
    }
    h.call_next(&ali(), 2);
    h.when(
        &boss(),
        Command::SetMessage {
            text: "مرحبا".into(),
        },
    )
    .events();
    h
}

#[test]
fn a_reopened_store_rebuilds_exactly_the_state_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sqlite");
    let h = busy_hall();
    {
        let mut store = Store::open(&path).unwrap();
        for chunk in h.log.chunks(7) {
            store.append(chunk).unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.last_seq(), h.state.seq);
    assert_eq!(store.load_state().unwrap(), h.state);
    assert_eq!(
        store.events(0, usize::MAX).unwrap(),
        h.log,
        "events come back unchanged, tokens included"
    );
}

#[test]
fn snapshots_plus_the_tail_give_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sqlite");
    let h = busy_hall();
    let mut replay = State::default();
    {
        let mut store = Store::open(&path).unwrap();
        store.set_snapshot_every(10);
        for e in &h.log {
            store.append(std::slice::from_ref(e)).unwrap();
            hall_core::apply(&mut replay, e);
            store.maybe_snapshot(&replay).unwrap();
        }
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let snaps: i64 = conn
        .query_row("SELECT COUNT(*) FROM snapshots", [], |r| r.get(0))
        .unwrap();
    assert!(
        (1..=2).contains(&snaps),
        "old snapshots are pruned: {snaps}"
    );
    assert_eq!(Store::open(&path).unwrap().load_state().unwrap(), h.state);
}

#[test]
fn an_unreadable_snapshot_falls_back_to_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sqlite");
    let h = busy_hall();
    {
        let mut store = Store::open(&path).unwrap();
        store.append(&h.log).unwrap();
        store.snapshot(&h.state).unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE snapshots SET data = '{broken'", [])
        .unwrap();
    drop(conn);
    assert_eq!(Store::open(&path).unwrap().load_state().unwrap(), h.state);
}

#[test]
fn a_database_from_a_newer_program_is_refused_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sqlite");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NewerSchema { found: 99, .. })
    ));
}

#[test]
fn an_event_of_a_future_version_stops_the_load_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sqlite");
    let h = busy_hall();
    Store::open(&path).unwrap().append(&h.log).unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE events SET version = 7 WHERE seq = 3", [])
        .unwrap();
    match Store::open(&path).unwrap().load_state() {
        Err(StoreError::Corrupt { seq: 3, reason }) => assert!(reason.contains('7'), "{reason}"),
        other => panic!("expected a clear error, got {other:?}"),
    }
}

#[test]
fn a_batch_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sqlite");
    let h = busy_hall();
    let mut store = Store::open(&path).unwrap();
    store.append(&h.log[..5]).unwrap();
    // A batch whose last event repeats a sequence number fails on the primary key.
    let mut bad = h.log[5..10].to_vec();
    bad.push(h.log[5].clone());
    assert!(store.append(&bad).is_err());
    assert_eq!(
        store.events(0, usize::MAX).unwrap().len(),
        5,
        "nothing of the failed batch was kept"
    );
}

#[test]
fn a_snapshot_edited_offline_is_not_used_and_the_state_is_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sqlite");
    let h = busy_hall();
    {
        let mut store = Store::open(&path).unwrap();
        store.append(&h.log).unwrap();
        store.snapshot(&h.state).unwrap();
    }
    let (state, refused) = Store::open(&path).unwrap().load_state_checked().unwrap();
    assert_eq!((state, refused), (h.state.clone(), vec![]), "intact: used");
    // The board's message changed in the snapshot only: still valid JSON of a state.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let n = conn
        .execute(
            "UPDATE snapshots SET data = replace(data, 'مرحبا', 'forged')",
            [],
        )
        .unwrap();
    assert_eq!(n, 1);
    let forged: State = serde_json::from_str(
        &conn
            .query_row("SELECT data FROM snapshots", [], |r| r.get::<_, String>(0))
            .unwrap(),
    )
    .unwrap();
    assert_ne!(forged, h.state, "the edit changed the state it holds");
    drop(conn);
    let (state, refused) = Store::open(&path).unwrap().load_state_checked().unwrap();
    assert_eq!(state, h.state, "the log's state, not the snapshot's");
    assert_eq!(
        refused,
        vec![RefusedSnapshot {
            seq: h.state.seq,
            reason: "data_hash"
        }]
    );
    // The data put back, its recorded place in the log changed: refused for that.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE snapshots SET data = replace(data, 'forged', 'مرحبا'), event_link = randomblob(32)",
    )
    .unwrap();
    drop(conn);
    let (state, refused) = Store::open(&path).unwrap().load_state_checked().unwrap();
    assert_eq!(state, h.state);
    assert_eq!(
        refused.iter().map(|r| r.reason).collect::<Vec<_>>(),
        ["log_link"]
    );
}

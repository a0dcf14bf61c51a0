//! The tamper-evident log: a database edited offline (rusqlite on the file while no server
//! runs) is caught, by `queue-server verify` and by the next start, whether a row of the event
//! log or of the admin log was edited, deleted, inserted or moved; an intact one passes, an
//! old one is chained on upgrade, and `--accept-broken-chain` serves it and says so.

use hall_core::Outcome;
use hall_core::engine::Command;
use hall_core::role::Role;
use queue_server::auth::Auth;
use queue_server::chain::{self, Chain, Problem};
use queue_server::server::{OlderRows, Server, ServerOptions, StartError};
use queue_server::store::Store;
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use testkit::hall::*;

const BIN: &str = env!("CARGO_BIN_EXE_queue-server");

/// A day's log: tickets issued, served (one with a reference), a no-show; accounts created,
/// disabled and enabled, a device paired (the admin log).
fn written(dir: &Path) -> PathBuf {
    let db = dir.join("queue.sqlite");
    let mut h = Hall::open();
    for i in 0..6 {
        h.issue(["CIT-BIRTH", "CIT-TAX"][i % 2]);
        h.minutes(1);
    }
    h.open_counter(&mona(), 1);
    for i in 0..4 {
        h.call_next(&mona(), 1);
        if i == 2 {
            h.when(&mona(), Command::NoShow { counter: 1 }).events();
            continue;
        }
        h.when(&mona(), Command::StartServing { counter: 1 })
            .events();
        h.minutes(4);
        h.when(
            &mona(),
            Command::Finish {
                counter: 1,
                outcome: Outcome::Completed,
                reference: Some(format!("REF-{i}")),
                suffixes: Vec::new(),
            },
        )
        .events();
    }
    let mut store = Store::open(&db).unwrap();
    for chunk in h.log.chunks(5) {
        store.append(chunk).unwrap();
    }
    drop(store);
    let auth = Auth::open(&db).unwrap();
    let now = h.now;
    auth.add_user("mona", "منى", Role::Clerk, "manager:boss", now)
        .unwrap();
    auth.add_user("ali", "علي", Role::Clerk, "manager:boss", now)
        .unwrap();
    auth.set_active("mona", false, "manager:boss", now).unwrap();
    auth.set_active("mona", true, "manager:boss", now).unwrap();
    auth.pair_device("kiosk-9", Role::Kiosk, "manager:boss", now)
        .unwrap();
    db
}

fn edit(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    let n = conn.execute_batch(sql);
    n.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// `queue-server verify --data DIR`: exit code and what it printed.
fn verify(dir: &Path) -> (i32, String) {
    let out = Process::new(BIN)
        .args(["verify", "--data"])
        .arg(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

async fn start(dir: &Path, accept: bool) -> Result<Server, StartError> {
    let mut opts = ServerOptions::new(dir, testkit::center::always_open());
    opts.accept_broken_chain = accept;
    Server::start(opts).await
}

/// The first break a start reports, or None if it started.
async fn start_break(dir: &Path) -> Option<chain::Break> {
    match start(dir, false).await {
        Ok(_) => None,
        Err(StartError::BrokenChain { first, .. }) => Some(first),
        Err(e) => panic!("expected a broken chain, got {e}"),
    }
}

fn seq_of(db: &Path, kind: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT seq FROM events WHERE kind = ?1 ORDER BY seq LIMIT 1",
            [kind],
            |r| r.get(0),
        )
        .unwrap()
}

fn admin_id(db: &Path, kind: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT id FROM admin_log WHERE kind = ?1 ORDER BY id LIMIT 1",
            [kind],
            |r| r.get(0),
        )
        .unwrap()
}

/// Each tampering, on its own fresh copy: (what, the SQL, the chain and row it must be found
/// at, whether a start must refuse it).
async fn assert_caught(
    name: &str,
    sql: impl Fn(&Path) -> String,
    chain: Chain,
    row: impl Fn(&Path) -> i64,
) {
    let dir = tempfile::tempdir().unwrap();
    let db = written(dir.path());
    let expected_row = row(&db);
    edit(&db, &sql(&db));
    let (code, text) = verify(dir.path());
    assert_eq!(code, 1, "{name}: verify exits 1\n{text}");
    let word = match chain {
        Chain::Events => format!("event {expected_row} "),
        Chain::Admin => format!("admin log row {expected_row} "),
    };
    let first = text
        .lines()
        .find(|l| l.starts_with("BROKEN"))
        .unwrap_or_default();
    assert!(
        first.contains(&word),
        "{name}: the first break names {word:?}\n{text}"
    );
    let b = start_break(dir.path())
        .await
        .unwrap_or_else(|| panic!("{name}: the server started on a forged log"));
    assert_eq!((b.chain, b.id), (chain, expected_row), "{name}: {b}");
}

#[tokio::test]
async fn an_intact_log_verifies_starts_and_moves_its_verified_point() {
    let dir = tempfile::tempdir().unwrap();
    let db = written(dir.path());
    let (code, text) = verify(dir.path());
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("events: ") && text.contains("intact"),
        "{text}"
    );
    let server = start(dir.path(), false).await.expect("starts");
    drop(server);
    let conn = Connection::open(&db).unwrap();
    let (verified, last): (i64, i64) = conn
        .query_row(
            "SELECT verified_id, head_id FROM chain_heads WHERE chain = 'events'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(verified > 0 && verified <= last, "{verified} {last}");
}

#[tokio::test]
async fn an_edited_event_is_caught_where_it_is() {
    // The outcome of a finished ticket turned into a rejection, its reference changed.
    assert_caught(
        "edited outcome",
        |db| {
            format!(
                "UPDATE events SET data = replace(replace(data, 'completed', 'rejected'), 'REF-0', 'REF-X') WHERE seq = {}",
                seq_of(db, "ticket_finished")
            )
        },
        Chain::Events,
        |db| seq_of(db, "ticket_finished"),
    )
    .await;
    // The clerk who served changed: another actor on the row.
    assert_caught(
        "edited actor",
        |db| {
            format!(
                "UPDATE events SET actor = 'clerk:ali' WHERE seq = {}",
                seq_of(db, "ticket_finished")
            )
        },
        Chain::Events,
        |db| seq_of(db, "ticket_finished"),
    )
    .await;
}

#[tokio::test]
async fn a_deleted_event_is_caught_at_the_next_one() {
    assert_caught(
        "deleted no-show",
        |db| {
            format!(
                "DELETE FROM events WHERE seq = {}",
                seq_of(db, "ticket_no_show")
            )
        },
        Chain::Events,
        |db| seq_of(db, "ticket_no_show") + 1,
    )
    .await;
}

#[tokio::test]
async fn the_newest_events_deleted_are_caught_by_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let db = written(dir.path());
    let last: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT MAX(seq) FROM events", [], |r| r.get(0))
        .unwrap();
    edit(&db, &format!("DELETE FROM events WHERE seq > {}", last - 3));
    let (code, text) = verify(dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("the newest rows were removed"), "{text}");
    let b = start_break(dir.path()).await.expect("refused");
    assert_eq!(b.problem, Problem::Truncated { head: last });
}

#[tokio::test]
async fn an_inserted_event_is_caught_even_with_a_correct_link() {
    // Whoever inserts knows the algorithm: the link is right, the head still says otherwise.
    let dir = tempfile::tempdir().unwrap();
    let db = written(dir.path());
    let conn = Connection::open(&db).unwrap();
    let (seq, hash, data): (i64, Vec<u8>, String) = conn
        .query_row(
            "SELECT seq, hash, data FROM events WHERE kind = 'ticket_no_show' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let (last, last_hash): (i64, Vec<u8>) = conn
        .query_row(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let _ = (seq, hash);
    let row = chain::Row {
        id: last + 1,
        at_ms: 1,
        actor: "clerk:mona",
        kind: "ticket_no_show",
        version: 1,
        data: &data,
    };
    let l = chain::link(Chain::Events, &last_hash.try_into().unwrap(), &row);
    conn.execute(
        "INSERT INTO events (seq, at_ms, actor, kind, version, data, hash) VALUES (?1, 1, 'clerk:mona', 'ticket_no_show', 1, ?2, ?3)",
        params![last + 1, data, &l[..]],
    )
    .unwrap();
    drop(conn);
    let (code, text) = verify(dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("event {} comes after", last + 1)),
        "{text}"
    );
    let b = start_break(dir.path()).await.expect("refused");
    assert_eq!(
        (b.id, b.problem),
        (last + 1, Problem::BeyondHead { head: last })
    );
}

#[tokio::test]
async fn reordered_events_are_caught() {
    // Two rows' contents swapped (a call moved before an issue): both stop matching.
    assert_caught(
        "reordered events",
        |db| {
            let a = seq_of(db, "ticket_called");
            let b = a - 1;
            format!(
                "CREATE TEMP TABLE t AS SELECT * FROM events WHERE seq IN ({a}, {b});
                 UPDATE events SET at_ms = (SELECT at_ms FROM t WHERE seq = {b}), actor = (SELECT actor FROM t WHERE seq = {b}),
                   kind = (SELECT kind FROM t WHERE seq = {b}), data = (SELECT data FROM t WHERE seq = {b}) WHERE seq = {a};
                 UPDATE events SET at_ms = (SELECT at_ms FROM t WHERE seq = {a}), actor = (SELECT actor FROM t WHERE seq = {a}),
                   kind = (SELECT kind FROM t WHERE seq = {a}), data = (SELECT data FROM t WHERE seq = {a}) WHERE seq = {b};"
            )
        },
        Chain::Events,
        |db| seq_of(db, "ticket_called") - 1,
    )
    .await;
}

#[tokio::test]
async fn admin_log_rows_edited_deleted_inserted_or_reordered_are_caught() {
    assert_caught(
        "edited admin row",
        |db| {
            format!(
                "UPDATE admin_log SET data = replace(data, 'mona', 'ali') WHERE id = {}",
                admin_id(db, "user_disabled")
            )
        },
        Chain::Admin,
        |db| admin_id(db, "user_disabled"),
    )
    .await;
    // The account-disabled entry deleted: the row after it no longer follows.
    assert_caught(
        "deleted admin row",
        |db| {
            format!(
                "DELETE FROM admin_log WHERE id = {}",
                admin_id(db, "user_disabled")
            )
        },
        Chain::Admin,
        |db| admin_id(db, "user_disabled") + 1,
    )
    .await;
    assert_caught(
        "inserted admin row",
        |_| {
            "INSERT INTO admin_log (at_ms, actor, kind, data, hash) SELECT at_ms, actor, kind, data, hash FROM admin_log WHERE kind = 'user_created' LIMIT 1".into()
        },
        Chain::Admin,
        |db| {
            Connection::open(db)
                .unwrap()
                .query_row("SELECT MAX(id) + 1 FROM admin_log", [], |r| r.get(0))
                .unwrap()
        },
    )
    .await;
    assert_caught(
        "reordered admin rows",
        |db| {
            let a = admin_id(db, "user_disabled");
            let b = admin_id(db, "user_enabled");
            format!(
                "CREATE TEMP TABLE t AS SELECT * FROM admin_log WHERE id IN ({a}, {b});
                 UPDATE admin_log SET kind = (SELECT kind FROM t WHERE id = {b}), data = (SELECT data FROM t WHERE id = {b}) WHERE id = {a};
                 UPDATE admin_log SET kind = (SELECT kind FROM t WHERE id = {a}), data = (SELECT data FROM t WHERE id = {a}) WHERE id = {b};"
            )
        },
        Chain::Admin,
        |db| admin_id(db, "user_disabled"),
    )
    .await;
}

#[tokio::test]
async fn the_real_server_refuses_a_forged_log_naming_the_row_and_serves_it_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let db = written(dir.path());
    let seq = seq_of(&db, "ticket_finished");
    edit(
        &db,
        &format!(
            "UPDATE events SET data = replace(data, 'completed', 'rejected') WHERE seq = {seq}"
        ),
    );
    let out = Process::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .arg("--config")
        .arg(testkit::center::always_open_path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("event {seq} does not match its link")),
        "{stderr}"
    );
    // Told to: it serves, and the admin log says so (and verify still reports the break).
    let server = start(dir.path(), true).await.expect("accepted");
    drop(server);
    let kinds: Vec<String> = Connection::open(&db)
        .unwrap()
        .prepare("SELECT data FROM admin_log WHERE kind = 'chain_break_accepted'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kinds.len(), 1, "{kinds:?}");
    assert!(kinds[0].contains(&format!("\"row\":{seq}")), "{kinds:?}");
    let (code, _) = verify(dir.path());
    assert_eq!(code, 1, "the break stays on record");
    assert!(
        start(dir.path(), false).await.is_ok(),
        "accepted once, it starts again"
    );
}

#[tokio::test]
async fn a_database_from_before_the_chain_is_chained_on_upgrade_and_then_guarded() {
    let dir = tempfile::tempdir().unwrap();
    let db = written(dir.path());
    // Back to schema 2: no links, no heads, snapshots without their hash and link, and none
    // of the later migrations' tables (the messages' outbox, migration 5).
    edit(
        &db,
        "ALTER TABLE events DROP COLUMN hash; ALTER TABLE admin_log DROP COLUMN hash;
         ALTER TABLE snapshots DROP COLUMN data_hash; ALTER TABLE snapshots DROP COLUMN event_link;
         DROP TABLE chain_heads; DROP INDEX events_at;
         DROP TABLE sms_phones; DROP TABLE sms_request_phones; DROP TABLE sms_outbox;
         DROP TABLE sms_opt_out; PRAGMA user_version = 2;",
    );
    let (code, text) = verify(dir.path());
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("start the server once"), "{text}");
    drop(start(dir.path(), false).await.expect("upgrades and starts"));
    let (code, text) = verify(dir.path());
    assert_eq!(code, 0, "{text}");
    let seq = seq_of(&db, "ticket_no_show");
    edit(&db, &format!("DELETE FROM events WHERE seq = {seq}"));
    let (code, _) = verify(dir.path());
    assert_eq!(code, 1);
}

#[tokio::test]
async fn a_start_checks_only_what_came_after_its_verified_point_and_verify_checks_all() {
    let dir = tempfile::tempdir().unwrap();
    let db = written(dir.path());
    drop(start(dir.path(), false).await.expect("starts"));
    // A row before the verified point, its link left as it was: verify finds it.
    let seq = seq_of(&db, "ticket_finished");
    edit(
        &db,
        &format!(
            "UPDATE events SET data = replace(data, 'completed', 'rejected') WHERE seq = {seq}"
        ),
    );
    let (code, text) = verify(dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("event {seq} does not match")),
        "{text}"
    );
    // The start serves (it checks only what came after its point); the check it runs next,
    // on a thread of its own, writes the break to the admin log, once.
    let found = |db: &Path| -> Vec<String> {
        Connection::open(db)
            .unwrap()
            .prepare("SELECT data FROM admin_log WHERE kind = 'chain_break_found'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let server = start(dir.path(), false).await.expect("serves");
    assert_eq!(
        server.older_rows_checked().await,
        Some(OlderRows::Checked { new_breaks: 1 })
    );
    drop(server);
    let rows = found(&db);
    assert!(rows[0].contains(&format!("\"row\":{seq}")), "{rows:?}");
    let again = start(dir.path(), false).await.expect("serves");
    // This start's check runs again over the old rows: the break is no news...
    assert_eq!(
        again.older_rows_checked().await,
        Some(OlderRows::Checked { new_breaks: 0 })
    );
    // ...which the admin log holds once, not once a start.
    assert_eq!(found(&db).len(), 1, "recorded once, not at every start");
    drop(again);
    // Moving the verified point back makes the start check everything again.
    edit(&db, "UPDATE chain_heads SET verified_id = 0");
    let b = start_break(dir.path()).await.expect("refused");
    assert_eq!(b.id, seq);
}

#[tokio::test]
async fn after_an_accepted_truncation_the_next_event_is_chained_to_the_row_now_last() {
    // The store was opened before the start's check moved the head: the next event was
    // chained to the removed rows' head, and the start after it was refused again.
    let hall = testkit::TestServer::start().await;
    let first = hall.first.clone();
    let mut kiosk = hall.as_device("kiosk-1").await;
    for i in 0..4 {
        testkit::ws::issue(
            &mut kiosk,
            "CIT-BIRTH",
            hall_core::Priority::Normal,
            &format!("k{i}"),
        )
        .await;
    }
    drop(kiosk);
    let dir = hall.stop().await;
    let db = dir.path().join("queue.sqlite");
    let last: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT MAX(seq) FROM events", [], |r| r.get(0))
        .unwrap();
    edit(&db, &format!("DELETE FROM events WHERE seq > {}", last - 2));
    assert!(
        start_break(dir.path()).await.is_some(),
        "the truncation is refused"
    );
    let mut opts = ServerOptions::new(dir.path(), testkit::center::always_open());
    opts.accept_broken_chain = true;
    let mut hall = testkit::TestServer::start_with(dir, opts).await;
    hall.set_first_start(first);
    let mut kiosk = hall.as_device("kiosk-1").await;
    testkit::ws::issue(
        &mut kiosk,
        "CIT-BIRTH",
        hall_core::Priority::Normal,
        "after",
    )
    .await;
    drop(kiosk);
    let dir = hall.stop().await;
    assert_eq!(
        start_break(dir.path()).await,
        None,
        "one accepted break, then new events: the chain holds"
    );
}

#[tokio::test]
async fn a_start_on_an_edited_snapshot_replays_the_log_and_says_so_in_the_audit_log() {
    let hall = testkit::TestServer::start().await;
    let mut kiosk = hall.as_device("kiosk-1").await;
    for i in 0..3 {
        testkit::ws::issue(
            &mut kiosk,
            "CIT-BIRTH",
            hall_core::Priority::Normal,
            &format!("s{i}"),
        )
        .await;
    }
    drop(kiosk);
    let dir = hall.stop().await;
    let db = dir.path().join("queue.sqlite");
    // The newest snapshot (written at the stop) loses its last ticket.
    let (seq, data): (i64, String) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT seq, data FROM snapshots ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut state: hall_core::State = serde_json::from_str(&data).unwrap();
    let last = *state.tickets.keys().last().unwrap();
    assert!(state.tickets.remove(&last).is_some());
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE snapshots SET data = ?1 WHERE seq = ?2",
            params![serde_json::to_string(&state).unwrap(), seq],
        )
        .unwrap();
    let server = start(dir.path(), false)
        .await
        .expect("a snapshot is not the record");
    drop(server);
    let rows: Vec<String> = Connection::open(&db)
        .unwrap()
        .prepare("SELECT data FROM admin_log WHERE kind = 'snapshot_refused'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains(&format!("\"seq\":{seq}")), "{rows:?}");
}

#[tokio::test]
async fn a_break_found_after_the_start_is_on_the_managers_dashboard() {
    use hall_wire::views::LiveView;
    use hall_wire::{ReplyBody, Request, ServerFrame};
    let hall = testkit::TestServer::start().await;
    let first = hall.first.clone();
    let mut kiosk = hall.as_device("kiosk-1").await;
    for i in 0..3 {
        testkit::ws::issue(
            &mut kiosk,
            "CIT-BIRTH",
            hall_core::Priority::Normal,
            &format!("d{i}"),
        )
        .await;
    }
    drop(kiosk);
    let dir = hall.stop().await;
    // A start verifies every row; then one of them is changed, its link left as it was.
    drop(start(dir.path(), false).await.expect("starts"));
    let db = dir.path().join("queue.sqlite");
    let seq = seq_of(&db, "ticket_issued");
    edit(
        &db,
        &format!(
            "UPDATE events SET data = replace(data, 'CIT-BIRTH', 'CIT-TAX') WHERE seq = {seq}"
        ),
    );
    let mut hall = testkit::TestServer::start_in(dir).await;
    hall.set_first_start(first);
    let (mut boss, _) = hall.as_staff("manager").await;
    let ReplyBody::View { view } = testkit::ws::ok(&mut boss, Request::WatchDashboard).await else {
        panic!("no view")
    };
    let LiveView::Dashboard(mut view) = *view else {
        panic!("not a dashboard")
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while view.chain_breaks.is_empty() {
        let frame = tokio::time::timeout_at(deadline, boss.next_frame())
            .await
            .expect("the break reaches the dashboard in time")
            .unwrap();
        if let ServerFrame::ViewUpdate { view: v } = frame
            && let LiveView::Dashboard(v) = *v
        {
            view = v;
        }
    }
    let b = &view.chain_breaks[0];
    assert_eq!((b.chain.as_str(), b.row), ("events", seq), "{b:?}");
    assert!(b.problem.contains("does not match"), "{b:?}");
    hall.stop().await;
}

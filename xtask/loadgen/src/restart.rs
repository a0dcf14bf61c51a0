//! The restart phase: a log of R events written through the real engine and store, then the
//! time for a server process to start on it and answer /healthz: the first start (its chain
//! checked from the first row, as after an upgrade), the next (checked from the point the
//! first verified), and a full replay without snapshots; and `queue-server verify` on it.

use crate::Args;
use crate::measure::ms;
use hall_core::engine::{Actor, Command, day_change, decide};
use hall_core::role::Role;
use hall_core::{Outcome, Priority};
use queue_server::store::Store;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;
use testkit::process::Launch;

pub fn run(bin: &Path, args: &Args) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.sqlite");
    let catalog = queue_server::config::load_file(&args.config).expect("center configuration");
    let started = Instant::now();
    {
        // The accounts exist before the timed starts, as on any day after a center's first:
        // a first start would spend its time hashing passwords, not rebuilding the hall.
        let auth = queue_server::auth::Auth::open(&db).unwrap();
        auth.bootstrap(chrono::Utc::now()).unwrap();
    }
    let mut store = Store::open(&db).unwrap();
    let mut state = store.load_state().unwrap();
    let mut now = chrono::Utc::now() - chrono::Duration::days(30);
    let system = Actor::system();
    let kiosk = Actor::new(Role::Kiosk, "kiosk-1");
    let clerk = Actor::new(Role::Clerk, "clerk1");
    let mut batch = Vec::new();
    let mut n = 0u64;
    let run = |state: &mut hall_core::State,
               actor: &Actor,
               cmd: Command,
               now,
               batch: &mut Vec<hall_core::Envelope>| {
        if let Ok(events) = decide(state, actor, &cmd, now) {
            for event in events {
                let env = hall_core::Envelope {
                    seq: state.seq + 1,
                    at: now,
                    actor: actor.label(),
                    event,
                };
                hall_core::apply(state, &env);
                batch.push(env);
            }
        }
    };
    run(
        &mut state,
        &system,
        Command::LoadCatalog {
            catalog: Box::new(catalog),
        },
        now,
        &mut batch,
    );
    while state.seq < args.restart_events {
        now += chrono::Duration::seconds(2);
        if let Some(day) = day_change(&state, now) {
            run(&mut state, &system, day, now, &mut batch);
        }
        if state.counters[&1].state == hall_core::CounterState::Closed {
            run(
                &mut state,
                &clerk,
                Command::OpenCounter { counter: 1 },
                now,
                &mut batch,
            );
        }
        n += 1;
        let issue = Command::IssueTicket {
            service: "CIT-BIRTH".into(),
            priority: Priority::Normal,
            idempotency_key: n.to_string(),
            token: format!("{n:032x}"),
        };
        run(&mut state, &kiosk, issue, now, &mut batch);
        // Every ticket is called; one in three citizens does not show up.
        run(
            &mut state,
            &clerk,
            Command::CallNext { counter: 1 },
            now,
            &mut batch,
        );
        if n.is_multiple_of(3) {
            run(
                &mut state,
                &clerk,
                Command::NoShow { counter: 1 },
                now,
                &mut batch,
            );
        } else {
            run(
                &mut state,
                &clerk,
                Command::StartServing { counter: 1 },
                now,
                &mut batch,
            );
            let finish = Command::finish(1, Outcome::Completed);
            run(&mut state, &clerk, finish, now, &mut batch);
        }
        if batch.len() >= 5000 {
            store.append(&batch).unwrap();
            batch.clear();
            store.maybe_snapshot(&state).unwrap();
        }
    }
    store.append(&batch).unwrap();
    store.maybe_snapshot(&state).unwrap();
    let events = store.last_seq();
    drop(store);
    println!(
        "restart: wrote {} events ({} tickets, {} still waiting) in {:.1} s",
        events,
        n,
        state.tickets.len(),
        started.elapsed().as_secs_f64()
    );
    for label in [
        "first start, whole chain checked, with snapshots",
        "next start, chain checked from its verified point, with snapshots",
        "full replay (snapshots deleted), chain from its verified point",
    ] {
        if label.starts_with("full") {
            rusqlite_delete_snapshots(&db);
        }
        let launch = Launch {
            config: args.config.clone(),
            ..Launch::new(bin)
        };
        let server = launch.start(dir.path());
        let ready = server.ready_after;
        let t = Instant::now();
        let healthy = healthz(server.addr);
        println!(
            "restart {label}: listening after {:.0} ms (process start + rebuild), /healthz {} in {:.1} ms more",
            ms(ready),
            healthy,
            ms(t.elapsed())
        );
        drop(server);
    }
    let t = Instant::now();
    let out = std::process::Command::new(bin)
        .args(["verify", "--data"])
        .arg(dir.path())
        .output()
        .expect("queue-server verify");
    println!(
        "restart: `queue-server verify` on {events} events: exit {}, {:.0} ms; it said: {}",
        out.status.code().unwrap_or(-1),
        ms(t.elapsed()),
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .replace('\n', " | ")
    );
}

fn rusqlite_delete_snapshots(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute("DELETE FROM snapshots", []).unwrap();
}

/// `/healthz` over a real socket: the process is what is measured, not a router.
fn healthz(addr: SocketAddr) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body.lines().last().unwrap_or_default().to_string()
}

//! The blocking client that the kiosk and board use: it keeps the last state while the server
//! is gone, fails requests honestly, reconnects by itself and resyncs from a fresh snapshot.

use hall_client::{Client, ClientConfig, ClientEvent, Mirror};
use hall_core::Priority;
use hall_core::command::Command;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_wire::*;
use std::time::{Duration, Instant};
use testkit::ServerProcess;
use testkit::ports::free_port;

/// The server binary cargo builds for this package's tests (never a build from a test).
const SERVER: &str = env!("CARGO_BIN_EXE_queue-server");

/// Feeds events to the mirror until one matches.
fn pump_until(
    client: &Client,
    mirror: &mut Mirror,
    what: &str,
    done: impl Fn(&Mirror, &ClientEvent) -> bool,
) -> ClientEvent {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some(e) = client.recv_timeout(Duration::from_millis(100)) {
            mirror.handle(&e);
            if done(mirror, &e) {
                return e;
            }
        }
    }
    panic!("timed out waiting for {what}");
}

/// Feeds events to the mirror until its state satisfies a condition (checked first).
fn mirror_until(client: &Client, mirror: &mut Mirror, what: &str, cond: impl Fn(&Mirror) -> bool) {
    if cond(mirror) {
        return;
    }
    pump_until(client, mirror, what, |m, _| cond(m));
}

fn issue(client: &Client, mirror: &mut Mirror, key: &str) -> Result<ReplyBody, ErrorBody> {
    let req = Command::issue_ticket("CIT-TAX", Priority::Elderly, key);
    let id = client.request(req.into())?;
    match pump_until(
        client,
        mirror,
        "the reply",
        |_, e| matches!(e, ClientEvent::Reply { id: got, .. } if *got == id),
    ) {
        ClientEvent::Reply { result, .. } => result,
        _ => unreachable!(),
    }
}

#[test]
fn the_client_survives_a_server_restart_and_resyncs() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = ServerProcess::start_on(SERVER.as_ref(), dir.path(), &format!("127.0.0.1:{port}"));
    let token = server.device_token("kiosk-1");
    let url = format!("ws://127.0.0.1:{port}/ws");
    let client = Client::start(ClientConfig::new(
        &url,
        Some(Credentials::Device { token }),
        "test-kiosk",
    ));
    let mut mirror = Mirror::default();
    pump_until(&client, &mut mirror, "the snapshot", |m, _| {
        m.state.is_some()
    });
    assert!(mirror.live);

    let ReplyBody::Ticket { ticket } = issue(&client, &mut mirror, "one").unwrap() else {
        panic!()
    };
    assert_eq!(ticket.label, "B-001");
    // The kiosk's own ticket arrives as a delta too: the mirror follows the hall.
    mirror_until(&client, &mut mirror, "the delta", |m| {
        m.state.as_ref().unwrap().tickets.contains_key(&ticket.id)
    });

    server.kill();
    pump_until(&client, &mut mirror, "the disconnect", |_, e| {
        matches!(e, ClientEvent::Disconnected { .. })
    });
    assert!(!mirror.live, "shown as reconnecting");
    assert!(
        mirror
            .state
            .as_ref()
            .unwrap()
            .tickets
            .contains_key(&ticket.id),
        "the last state is kept"
    );
    let err = issue(&client, &mut mirror, "two").unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::NotConnected,
        "an honest failure, at once"
    );

    // Back on the same address; something happens while the client was away.
    let server = ServerProcess::start_on(SERVER.as_ref(), dir.path(), &format!("127.0.0.1:{port}"));
    pump_until(&client, &mut mirror, "the reconnection", |m, _| m.live);
    let ReplyBody::Ticket { ticket: second } = issue(&client, &mut mirror, "two").unwrap() else {
        panic!()
    };
    assert_eq!(second.label, "B-002");
    let ReplyBody::Ticket { ticket: again } = issue(&client, &mut mirror, "one").unwrap() else {
        panic!()
    };
    assert_eq!(
        again.id, ticket.id,
        "a retry after reconnecting issues nothing new"
    );
    mirror_until(&client, &mut mirror, "the second ticket", |m| {
        m.state.as_ref().unwrap().tickets.contains_key(&second.id)
    });
    let state = mirror.state.as_ref().unwrap();
    assert_eq!(state.tickets.len(), 2);
    assert!(
        state.tickets.values().all(|t| t.token.is_empty()),
        "a kiosk's mirror holds no page tokens"
    );
    drop(client);
    drop(server);
}

#[test]
fn a_delta_stream_applied_to_the_snapshot_equals_a_fresh_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(SERVER.as_ref(), dir.path());
    let board = Client::start(ClientConfig::new(
        server.url(),
        Some(Credentials::Device {
            token: server.device_token("board-1"),
        }),
        "board",
    ));
    let kiosk = Client::start(ClientConfig::new(
        server.url(),
        Some(Credentials::Device {
            token: server.device_token("kiosk-1"),
        }),
        "kiosk",
    ));
    let mut board_view = Mirror::default();
    let mut kiosk_view = Mirror::default();
    pump_until(&board, &mut board_view, "board snapshot", |m, _| {
        m.state.is_some()
    });
    pump_until(&kiosk, &mut kiosk_view, "kiosk snapshot", |m, _| {
        m.state.is_some()
    });
    let mut last = hall_core::TicketId(0);
    for i in 0..25 {
        let ReplyBody::Ticket { ticket } =
            issue(&kiosk, &mut kiosk_view, &format!("k{i}")).unwrap()
        else {
            panic!()
        };
        last = ticket.id;
    }
    mirror_until(&board, &mut board_view, "all deltas", |m| {
        m.state.as_ref().unwrap().tickets.contains_key(&last)
    });
    let late = Client::start(ClientConfig::new(
        server.url(),
        Some(Credentials::Device {
            token: server.device_token("board-1"),
        }),
        "late",
    ));
    let mut fresh = Mirror::default();
    let e = pump_until(&late, &mut fresh, "fresh snapshot", |m, _| {
        m.state.is_some()
    });
    assert!(matches!(e, ClientEvent::Snapshot(_)));
    assert_eq!(
        board_view.state, fresh.state,
        "deltas folded by the client = the server's state"
    );
    let issued = board_view
        .state
        .as_ref()
        .unwrap()
        .tickets
        .values()
        .filter(|t| t.label.starts_with('B'))
        .count();
    assert_eq!(issued, 25);
}

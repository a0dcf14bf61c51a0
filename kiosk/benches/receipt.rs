//! Touch → receipt bytes: `issue_ticket` over the websocket to a real server (in this process,
//! on 127.0.0.1, with its SQLite log committed per ticket) + render + ESC/POS encode, as the
//! kiosk does after a press. Prints p50/p99/max over N presses per language and paper.
//!
//!   cargo bench -p kiosk --bench receipt [-- N]
//!
//! Target: ≤ 100 ms at p99.

use chrono::TimeZone;
use hall_client::{Client, ClientConfig, ClientEvent};
use hall_core::Priority;
use hall_wire::{Credentials, ReplyBody, Request};
use kiosk::receipt::{ReceiptOptions, ReceiptRenderer, WIDTH_58MM, WIDTH_80MM, escpos_bytes};
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::TestServer;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let rt = tokio::runtime::Runtime::new().unwrap();
    // The server's tasks run on the runtime's worker threads; `server` keeps its data.
    let server = rt.block_on(TestServer::start());
    let (url, token) = (server.url(), server.device_token("kiosk-1"));

    let mut config = ClientConfig::new(url, Some(Credentials::Device { token }), "bench");
    config.subscribe = false;
    let client = Client::start(config);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !client.is_connected() {
        assert!(Instant::now() < deadline, "no connection");
        std::thread::sleep(Duration::from_millis(10));
    }
    let assets = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets"));
    let started = Instant::now();
    let mut renderer = ReceiptRenderer::new(assets).unwrap();
    println!(
        "renderer built (fonts loaded) in {:.1} ms, once per kiosk start",
        ms(started.elapsed())
    );

    let mut key = 0u64;
    for (lang, width) in [("ar", WIDTH_80MM), ("en", WIDTH_80MM), ("ar", WIDTH_58MM)] {
        let mut total = Vec::with_capacity(n);
        let mut issue = Vec::with_capacity(n);
        let mut render = Vec::with_capacity(n);
        let mut bytes_len = 0;
        for i in 0..n + 5 {
            key += 1;
            let t0 = Instant::now();
            let id = client
                .request(Request::Command(hall_core::command::Command::issue_ticket(
                    if i % 2 == 0 { "CIT-BIRTH" } else { "CIT-TAX" },
                    Priority::Normal,
                    format!("bench-{key}"),
                )))
                .unwrap();
            let ticket = loop {
                match client.recv_timeout(Duration::from_secs(5)) {
                    Some(ClientEvent::Reply { id: got, result }) if got == id => match result {
                        Ok(ReplyBody::Ticket { ticket }) => break ticket,
                        other => panic!("{other:?}"),
                    },
                    Some(_) => {}
                    None => panic!("no reply"),
                }
            };
            let t1 = Instant::now();
            let options = ReceiptOptions {
                width_dots: width,
                lang: lang.into(),
                ticket_url: format!("http://192.168.1.10:8740/t/{}", ticket.token),
                printed_at: chrono_tz::Africa::Cairo
                    .from_utc_datetime(&ticket.issued_at.naive_utc()),
                digits: hall_core::Digits::Arabic,
            };
            let raster = renderer.render(&ticket, &options);
            let bytes = escpos_bytes(&raster);
            let t2 = Instant::now();
            bytes_len = bytes.len();
            if i >= 5 {
                // The first few warm the glyph cache and the connection.
                total.push(t2 - t0);
                issue.push(t1 - t0);
                render.push(t2 - t1);
            }
        }
        println!(
            "{lang} {width} dots, {n} presses, {bytes_len} bytes: touch→bytes {} | issue_ticket {} | render+encode {}",
            summary(&mut total),
            summary(&mut issue),
            summary(&mut render)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(v: &mut [Duration]) -> String {
    v.sort();
    let at = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(*v.last().unwrap())
    )
}

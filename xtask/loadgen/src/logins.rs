//! The logins phase: a flood of wrong-password sign-ins (issue 14 measured 16 connections ×
//! 4 of them taking a server from 15 MiB to 1,233 MiB) and what it costs the server in
//! memory (VmRSS and VmHWM from /proc) and in time; then whether the right password still
//! gets in at once.

use crate::Args;
use crate::measure::ms;
use crate::target::Target;
use hall_wire::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::WsClient;

pub async fn run(bin: &Path, args: &Args) {
    let server = Target::of(bin, args);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (before, peak_before) = server.rss_mib();
    for (conns, each) in [(16usize, 4usize), (args.login_conns, args.login_each)] {
        let started = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..conns {
            let url = server.url();
            tasks.push(tokio::spawn(async move {
                let (mut c, r) = WsClient::connect_as(&url, None).await.expect("connects");
                r.unwrap();
                let mut codes = Vec::new();
                for j in 0..each {
                    // Half on one account (its back-off and lock), half on names of their own.
                    let user = if j % 2 == 0 {
                        "clerk1".to_string()
                    } else {
                        format!("flood{i}-{j}")
                    };
                    let r = c
                        .request(Request::Login {
                            username: user,
                            password: "wrong-password".into(),
                        })
                        .await
                        .expect("answered");
                    codes.push(r.err().map(|e| e.code.as_str()).unwrap_or("ok"));
                }
                codes
            }));
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in tasks {
            for code in t.await.unwrap() {
                *counts.entry(code).or_default() += 1;
            }
        }
        let took = started.elapsed();
        let (after, peak) = server.rss_mib();
        let t = Instant::now();
        let (_, ok) = server.login("manager", &server.password("manager")).await;
        ok.expect("the manager still signs in");
        println!(
            "logins: {conns} connections × {each} wrong passwords answered in {:.1} s ({counts:?}); server RSS {before:.1} MiB before (peak {peak_before:.1}), {after:.1} MiB after, peak {peak:.1} MiB; a right password then took {:.0} ms",
            took.as_secs_f64(),
            ms(t.elapsed())
        );
    }
}

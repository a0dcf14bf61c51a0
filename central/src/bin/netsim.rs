//! `tabour-netsim`: plays the simulated sites of the sample network (every site of the register
//! without a leaf) on the hub, through the real engine: a backfill from the morning, then in
//! real time (or faster), with heartbeats; some vans are out of coverage for a while and catch
//! up when they return. `--write-register FILE` writes the 342-site register instead.

use central::sim;
use central::sites::{Register, SiteKind};
use chrono::{Duration, Utc};
use clap::Parser;
use rand::Rng;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(about = "Plays the simulated sites of the Tabour sample network")]
struct Args {
    #[arg(long, default_value = "nats://127.0.0.1:4222")]
    nats: String,
    /// The register (TOML).
    #[arg(long)]
    sites: PathBuf,
    /// Write the sample country's register to --sites (with these sites as leaves) and exit.
    #[arg(long)]
    write_register: bool,
    #[arg(long, value_delimiter = ',')]
    leaves: Vec<String>,
    /// Play this many minutes before now first (the morning so far).
    #[arg(long, default_value_t = 120)]
    backfill_minutes: i64,
    /// Simulated seconds per real second after the backfill.
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Vans out of coverage now (they come back within half an hour).
    #[arg(long, default_value_t = 4)]
    offline_vans: usize,
    /// Stop after this many real seconds (0: run until stopped).
    #[arg(long, default_value_t = 0)]
    seconds: u64,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), async_nats::Error> {
    tracing_subscriber::fmt().with_env_filter("warn").init();
    let args = Args::parse();
    if args.write_register {
        let leaves: Vec<&str> = args.leaves.iter().map(String::as_str).collect();
        std::fs::write(
            &args.sites,
            toml::to_string(&central::country::register(&leaves))?,
        )?;
        println!("wrote {}", args.sites.display());
        return Ok(());
    }
    let register = Register::load(&args.sites)?;
    let client = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .connect(args.nats.as_str())
        .await?;
    let js = async_nats::jetstream::new(client.clone());
    // The central service declares the hub's streams; wait for it (a minute at most).
    let mut waited = 0;
    while js.get_stream(central::hub::SIM_STREAM).await.is_err() {
        waited += 1;
        if waited > 120 {
            return Err("no TABOUR_SIM stream on the hub: is tabour-central running?".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let start = Utc::now();
    let mut sites = sim::sites(&register, start - Duration::minutes(args.backfill_minutes));
    let mut rng = rand::rng();
    for s in sites
        .iter_mut()
        .filter(|s| s.site.kind == SiteKind::Van)
        .take(args.offline_vans)
    {
        s.offline_until = Some(start + Duration::minutes(rng.random_range(5..30)));
    }
    // The morning so far: each site's events up to a random moment of lost coverage (vans
    // offline) or up to now.
    let from = start - Duration::minutes(args.backfill_minutes);
    let mut sent = 0usize;
    for s in &mut sites {
        let until = match s.offline_until {
            Some(_) => start - Duration::minutes(rng.random_range(10..60)),
            None => start,
        };
        s.advance(from, until, 10);
        sent += sim::publish(&js, s).await?;
        if s.offline_until.is_some() {
            s.advance(until, start, 10); // kept on the van until it is back
        }
    }
    println!(
        "tabour-netsim: {} sites, {sent} events of the morning sent",
        sites.len()
    );
    let mut sim_now = start;
    let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
    let mut beats = 0u64;
    let began = std::time::Instant::now();
    loop {
        every.tick().await;
        if args.seconds > 0 && began.elapsed().as_secs() >= args.seconds {
            break;
        }
        let next = sim_now + Duration::milliseconds((args.speed * 1000.0) as i64);
        let now = Utc::now();
        for s in &mut sites {
            s.advance(sim_now, next, 10.min((args.speed.ceil() as i64).max(1)));
            if s.offline_until.is_some_and(|t| now < t) {
                continue;
            }
            s.offline_until = None;
            sim::publish(&js, s).await?;
        }
        sim_now = next;
        beats += 1;
        if beats % hall_wire::network::HEARTBEAT_EVERY_SECS == 1 {
            for s in sites.iter().filter(|s| s.offline_until.is_none()) {
                let subject =
                    hall_wire::network::heartbeat_subject(&s.site.governorate, &s.site.code);
                client
                    .publish(subject, serde_json::to_vec(&s.heartbeat(now))?.into())
                    .await?;
            }
        }
    }
    Ok(())
}

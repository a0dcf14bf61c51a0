//! `tabour-central`: the national service. Reads the hub, writes PostgreSQL, serves the
//! national console (docs/network.md). `--add-viewer NAME` creates a console account instead
//! and prints its password once.

use central::service::{self, Options};
use central::sites::Register;
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(version, about = "The national service of the Tabour network")]
struct Args {
    /// The hub's NATS URL.
    #[arg(long, default_value = "nats://127.0.0.1:4222")]
    nats: String,
    /// PostgreSQL connection string (`host=/run/postgresql dbname=tabour user=tabour`).
    #[arg(long)]
    postgres: String,
    /// The register of governorates and sites (TOML).
    #[arg(long)]
    sites: Option<PathBuf>,
    /// JetStream replicas of the hub streams (3 on a production cluster).
    #[arg(long, default_value_t = 1)]
    replicas: usize,
    /// Where the national console listens.
    #[arg(long, default_value = "127.0.0.1:8750")]
    listen: SocketAddr,
    /// Alert when someone has waited this long.
    #[arg(long, default_value_t = 45)]
    alert_wait_minutes: i64,
    /// Create (or reset) a console account with this name, print its password, and exit.
    #[arg(long)]
    add_viewer: Option<String>,
    /// With --add-viewer: the governorate it may see (none: the whole country).
    #[arg(long)]
    governorate: Option<String>,
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tabour-central: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(name) = &args.add_viewer {
        let db = central::db::connect(&args.postgres).await?;
        central::db::migrate(&db).await?;
        let password = central::viewers::add(&db, name, name, args.governorate.as_deref()).await?;
        println!("viewer {name} password {password}");
        return Ok(());
    }
    let Some(sites) = &args.sites else {
        return Err("--sites is required".into());
    };
    let register = Register::load(sites)?;
    let opts = Options {
        nats_url: args.nats.clone(),
        postgres: args.postgres.clone(),
        register,
        replicas: args.replicas,
    };
    let web_db = central::db::connect(&args.postgres).await?;
    central::db::migrate(&web_db).await?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let progress = tokio::sync::watch::channel(Default::default()).0;
    let app = Arc::new(central::web::App {
        db: web_db,
        progress: progress.subscribe(),
        long_wait_minutes: args.alert_wait_minutes,
    });
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    let ingest = tokio::spawn(service::run_ingest(opts, progress, stop.clone()));
    tokio::spawn(service::run_heartbeats(
        args.nats,
        args.postgres,
        stop.clone(),
    ));
    println!("tabour-central: console on http://{addr}/");
    let mut web_stop = stop.clone();
    axum::serve(listener, central::web::router(app))
        .with_graceful_shutdown(async move {
            tokio::select! {
                _ = shutdown_signal() => {}
                _ = web_stop.changed() => {}
            }
        })
        .await?;
    let _ = stop_tx.send(true);
    let _ = ingest.await;
    Ok(())
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

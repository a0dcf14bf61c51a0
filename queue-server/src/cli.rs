//! The server's command line, as the `queue-server` binary runs it: arguments, the center's
//! file (catalog and `[network]`), start-up and the signal that stops it. In the library so
//! that a test can run a center as its own child process with exactly this code (the network
//! test SIGKILLs one) without building the binary. `queue-server verify --data DIR` checks the
//! whole tamper-evident chain of a database (the server may be running) and exits non-zero if
//! it is broken.

use crate::config;
use crate::server::{Server, ServerOptions};
use clap::{Parser, Subcommand};
use hall_wire::startup;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::net::TcpListener;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8740";

#[derive(Parser, Debug)]
#[command(version, about = "Queue server of a citizen service center")]
#[command(args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Cmd>,
    /// Directory for the SQLite database and first-start secrets.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Address to listen on (use 0.0.0.0:8740 to serve the hall's network).
    #[arg(long, default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Center configuration (TOML). Without it, the embedded sample center.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Events between state snapshots (restart replays at most this many).
    #[arg(long, default_value_t = 10_000)]
    snapshot_every: u64,
    /// Serve even if the log's chain is broken (it was changed outside the server). The
    /// break is written to the audit log; `verify` keeps reporting it.
    #[arg(long)]
    accept_broken_chain: bool,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Check every link of the event log and the admin log; print what is wrong; exit 1 if
    /// anything is.
    Verify {
        /// The server's data directory.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
    /// Write the poster for the center's door and social pages: its logo and name, the QR
    /// code of the service guide (`/c` at the center's public address), in Arabic and
    /// English, as PNG and PDF, A4 and A3 (poster-a4.png, poster-a4.pdf, poster-a3.png,
    /// poster-a3.pdf).
    Poster {
        /// The center's file: its name, logo and `[access] public_url`. Without it, the
        /// embedded sample center.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The address phones reach the server at, when the file does not say it
        /// (`https://heliopolis.example.gov.eg`).
        #[arg(long)]
        url: Option<String>,
        /// Where to write the files.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
}

/// Runs the server with these arguments (the first is the program's name).
pub fn main<I, T>(args: I) -> std::process::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .try_init()
        .ok();
    let args = match Args::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    match &args.command {
        Some(Cmd::Verify { data }) => return verify(data),
        Some(Cmd::Poster { config, url, out }) => {
            return poster(config.as_deref(), url.as_deref(), out);
        }
        None => {}
    }
    crate::server::raise_fd_limit();
    let loaded = match &args.config {
        Some(path) => config::load_file(path).and_then(|c| {
            let sections = Sections {
                network: config::load_network(path)?,
                sms: config::load_sms(path, &c)?,
                access: config::load_access(path)?,
                counter_printers: config::load_counter_printers(path)?,
            };
            Ok((c, sections))
        }),
        None => Ok((hall_wire::center_file::sample(), Sections::default())),
    };
    let (catalog, sections) = match loaded {
        Ok(c) => c,
        Err(e) => {
            eprintln!("queue-server: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(args, catalog, sections)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("queue-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `queue-server poster`.
fn poster(
    config: Option<&std::path::Path>,
    url: Option<&str>,
    out: &std::path::Path,
) -> std::process::ExitCode {
    match poster_content(config, url)
        .and_then(|content| crate::poster::write_all(&content, out).map_err(|e| e.to_string()))
    {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("queue-server poster: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// What the poster shows, from the center's file (or the sample) and `--url`.
fn poster_content(
    config: Option<&std::path::Path>,
    url: Option<&str>,
) -> Result<crate::poster::Content, String> {
    let (catalog, access, logo) = match config {
        Some(path) => {
            let catalog = config::load_file(path).map_err(|e| e.to_string())?;
            let access = config::load_access(path).map_err(|e| e.to_string())?;
            let logo = match &catalog.center.logo {
                Some(name) => {
                    let file = path
                        .parent()
                        .unwrap_or(std::path::Path::new("."))
                        .join(name);
                    Some(
                        std::fs::read(&file)
                            .map_err(|e| format!("cannot read the logo {}: {e}", file.display()))?,
                    )
                }
                None => None,
            };
            (catalog, access, logo)
        }
        None => (
            hall_wire::center_file::sample(),
            hall_wire::center_file::Access::default(),
            Some(hall_wire::center_file::SAMPLE_LOGO.to_vec()),
        ),
    };
    // `--url` is checked as the file's `public_url` is.
    let access = match url {
        Some(u) => hall_wire::center_file::Access {
            public_url: Some(
                hall_wire::center_file::public_url(u).map_err(|e| format!("--url: {e}"))?,
            ),
            ..access
        },
        None => access,
    };
    let guide_url = access.link("/c").ok_or_else(|| {
        "the poster needs the address citizens' phones reach the server at: set [access] \
         public_url in the center's file (docs/deploy.md), or pass --url"
            .to_string()
    })?;
    Ok(crate::poster::Content {
        center: catalog.center.name.clone(),
        guide_url,
        logo,
    })
}

/// The sections of the center's file besides its catalog.
#[derive(Default)]
struct Sections {
    network: Option<hall_wire::center_file::Network>,
    sms: Option<crate::sms::SmsSettings>,
    access: hall_wire::center_file::Access,
    counter_printers: std::collections::HashMap<hall_core::CounterId, crate::slips::CounterPrinter>,
}

async fn run(
    args: Args,
    catalog: hall_core::Catalog,
    sections: Sections,
) -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr()?;
    let mut opts = ServerOptions::new(&args.data, catalog);
    opts.snapshot_every = args.snapshot_every;
    opts.network = sections.network;
    opts.sms = sections.sms;
    opts.access = sections.access;
    opts.counter_printers = sections.counter_printers;
    opts.accept_broken_chain = args.accept_broken_chain;
    let started = std::time::Instant::now();
    let server = Server::start(opts).await?;
    tracing::info!(
        seq = server.started_seq,
        ms = started.elapsed().as_millis() as u64,
        data = %args.data.display(),
        "state rebuilt"
    );
    if let Some(first) = &server.first_start {
        print!("{}", first.to_text(addr));
        let path = args.data.join(startup::FILE_NAME);
        if let Err(e) = first.write(&path, addr) {
            tracing::warn!(error = %e, "could not save {}", path.display());
        }
    }
    println!("{}", startup::listening_line(addr));
    let _ = std::io::stdout().flush();
    server.serve(listener, shutdown_signal()).await?;
    tracing::info!("stopped cleanly");
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// `queue-server verify`: the whole chain, read-only.
fn verify(data: &std::path::Path) -> std::process::ExitCode {
    let db = data.join("queue.sqlite");
    let started = std::time::Instant::now();
    match crate::chain::verify_file(&db) {
        Ok(checks) => {
            let mut broken = 0;
            for c in &checks {
                for b in &c.breaks {
                    println!("BROKEN {b}");
                }
                broken += c.breaks.len();
                let state = if c.breaks.is_empty() {
                    "intact"
                } else {
                    "BROKEN"
                };
                println!(
                    "{}: {} rows checked, {state}, last row {}, link {}",
                    c.chain.name(),
                    c.rows,
                    c.last_id,
                    crate::chain::hex(&c.last_link)
                );
            }
            println!("checked in {:.2} s", started.elapsed().as_secs_f64());
            // The list stops at MAX_BREAKS per chain, so it is cut only where one chain
            // reached it (two chains with 60 each are listed in full).
            let cut = checks
                .iter()
                .any(|c| c.breaks.len() >= crate::chain::MAX_BREAKS);
            if broken == 0 {
                std::process::ExitCode::SUCCESS
            } else {
                println!(
                    "{broken} break(s){}",
                    if cut {
                        " (only the first listed per chain)"
                    } else {
                        ""
                    }
                );
                std::process::ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("queue-server verify: {}: {e}", db.display());
            std::process::ExitCode::from(2)
        }
    }
}

//! `kiosk receipt`: issue a real ticket and print its receipt, without a window.
//!
//! ```text
//! kiosk receipt --service CIT-TNT --out receipt.bin [--png receipt.png]
//! kiosk receipt --service CIT-TNT --printer tcp://192.168.1.50:9100 --lang ar --paper 58
//!     --server ws://127.0.0.1:8740/ws  (--token T | --token-file data/first-start.txt --device kiosk-1)
//! ```
//!
//! Checks the printer before issuing and after printing, reports its state to the server
//! (`report_printer`), and says what happened. Exit status: 0 printed; 1 bad arguments or
//! setup; 2 no ticket (server unreachable or refused); 3 ticket issued but not printed.
//! The ticket is issued even when the printer cannot print: the citizen's place is kept and the
//! number is shown (here: said on the terminal), and the server's state shows the fault.

use crate::printer::{DEFAULT_TIMEOUT, Printer, PrinterStatus, Target};
use crate::receipt::{ReceiptOptions, ReceiptRenderer, WIDTH_58MM, WIDTH_80MM, escpos_bytes};
use crate::settings::{page_url, ticket_base};
use hall_client::{Client, ClientConfig, ClientEvent};
use hall_core::Priority;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::i18n::Translator;
use hall_wire::{Credentials, ReplyBody, Request, TicketReceipt};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How long to keep trying to reach the server and get the ticket.
const SERVER_PATIENCE: Duration = Duration::from_secs(10);

#[derive(clap::Args, Clone, Debug)]
pub struct ReceiptArgs {
    /// The service code, e.g. CIT-TNT.
    #[arg(long)]
    pub service: String,
    /// normal, elderly, disabled or pregnant.
    #[arg(long, default_value = "normal")]
    pub priority: String,
    /// The queue server's websocket.
    #[arg(long, default_value = "ws://127.0.0.1:8740/ws")]
    pub server: String,
    /// This kiosk's device token.
    #[arg(long, conflicts_with = "token_file")]
    pub token: Option<String>,
    /// Read the token of device `--device` from the server's first-start.txt.
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    #[arg(long, default_value = "kiosk-1")]
    pub device: String,
    /// Print here: tcp://HOST:PORT, usb:/dev/usb/lp0 or file:PATH.
    #[arg(long)]
    pub printer: Option<String>,
    /// Write the ESC/POS bytes to this file (the same as --printer file:PATH).
    #[arg(long, conflicts_with = "printer")]
    pub out: Option<PathBuf>,
    /// Also save the receipt as a PNG image.
    #[arg(long)]
    pub png: Option<PathBuf>,
    /// The receipt's language: ar or en.
    #[arg(long, default_value = "ar")]
    pub lang: String,
    /// Paper width in millimetres: 80 or 58.
    #[arg(long, default_value_t = 80)]
    pub paper: u32,
    /// Where citizens open their ticket page (the QR code). Default: the server's host over http.
    #[arg(long)]
    pub ticket_base: Option<String>,
    /// The center's time zone, for the time printed.
    #[arg(long, default_value = "Africa/Cairo")]
    pub timezone: String,
    /// The folder holding fonts/ (default: $TABOUR_ASSETS, beside the program in
    /// ../share/tabour, /usr/share/tabour).
    #[arg(long)]
    pub assets: Option<PathBuf>,
}

/// When `service` opens next, from the hall the client mirrors, in the center's zone.
fn opens_next_of(client: &Client, tr: &Translator, service: &str) -> Option<String> {
    // The refusal may come before the snapshot: wait for it a little.
    let deadline = Instant::now() + Duration::from_secs(3);
    while client.mirror().state.is_none() && Instant::now() < deadline {
        let _ = client.recv_timeout(Duration::from_millis(50));
    }
    let mirror = client.mirror();
    let hall = mirror.state.as_ref()?;
    let s = &hall.services.get(service)?.service;
    let catalog = hall.catalog.as_deref()?;
    let local = hall_core::clock::local_time(catalog, chrono::Utc::now());
    let style = hall_core::format::Style::of(tr.lang(), &catalog.center);
    crate::opening::opens_next(tr, &style, s, local)
}

/// The center's digits for Arabic, from the hall if it is in (else Arabic-Indic, the default).
fn digits_of(client: &Client) -> hall_core::Digits {
    let mirror = client.mirror();
    mirror
        .state
        .as_ref()
        .map(|s| s.digits())
        .unwrap_or_default()
}

fn priority(s: &str) -> Option<Priority> {
    serde_json::from_value(serde_json::Value::String(s.into())).ok()
}

/// Runs the command with stdout and stderr (`kiosk receipt`).
pub fn run(args: ReceiptArgs) -> ExitCode {
    ExitCode::from(execute(
        args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    ))
}

/// Runs the command, writing what a person reads to `out` and `err`; returns the exit status.
pub fn execute(args: ReceiptArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let tr = Translator::new(&args.lang);
    let mut setup = |detail: String| {
        let _ = writeln!(
            err,
            "{}",
            tr.tr("receipt-cmd-setup", &[("detail", detail.into())])
        );
        1
    };
    // Everything that can be wrong before a ticket exists is checked first.
    let width = match args.paper {
        80 => WIDTH_80MM,
        58 => WIDTH_58MM,
        p => return setup(format!("--paper {p}: 80 or 58")),
    };
    let Some(priority) = priority(&args.priority) else {
        return setup(format!(
            "--priority {}: normal, elderly, disabled or pregnant",
            args.priority
        ));
    };
    let tz: chrono_tz::Tz = match args.timezone.parse() {
        Ok(tz) => tz,
        Err(_) => return setup(format!("--timezone {}: not a time zone", args.timezone)),
    };
    let target = match (&args.printer, &args.out) {
        (Some(p), _) => match p.parse::<Target>() {
            Ok(t) => Some(t),
            Err(e) => return setup(e.to_string()),
        },
        (None, Some(path)) => Some(Target::File(path.clone())),
        (None, None) if args.png.is_some() => None,
        (None, None) => return setup("give --printer, --out or --png".into()),
    };
    let token = match (&args.token, &args.token_file) {
        (Some(t), _) => t.clone(),
        (None, Some(f)) => match hall_wire::startup::token_from(f, &args.device) {
            Ok(t) => t,
            Err(e) => return setup(e.to_string()),
        },
        (None, None) => {
            return setup("give --token or --token-file (the server's first-start.txt)".into());
        }
    };
    let assets = match hall_ui::assets::find(args.assets.as_deref()) {
        Ok(a) => a,
        Err(e) => return setup(e),
    };
    let mut renderer = match ReceiptRenderer::new(&assets) {
        Ok(r) => r,
        Err(e) => return setup(e.to_string()),
    };

    let mut config = ClientConfig::new(
        args.server.clone(),
        Some(Credentials::Device { token }),
        format!("{} receipt", args.device),
    );
    // The hall (its catalog) says when a closed service opens next.
    config.subscribe = true;
    let client = Client::start(config);
    if !wait_connected(&client) {
        let _ = writeln!(
            err,
            "{}",
            tr.tr(
                "receipt-cmd-no-server",
                &[("url", args.server.clone().into())]
            )
        );
        return 2;
    }

    // Before: can it print at all? Reported either way, so a fixed printer clears its fault.
    let mut printer = target.as_ref().map(|t| Printer::open(t, DEFAULT_TIMEOUT));
    let before = match &mut printer {
        Some(Ok(p)) => Some(p.status()),
        Some(Err(e)) => Some(PrinterStatus::Offline(e.to_string())),
        None => None,
    };
    if let Some(s) = &before {
        report(&client, s);
    }

    let key = format!("{}-receipt-{:032x}", args.device, rand::random::<u128>());
    let ticket = match issue(&client, &args.service, priority, &key) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(
                err,
                "{}",
                tr.tr("receipt-cmd-refused", &[("error", tr.error(e.code).into())])
            );
            tracing::info!(code = ?e.code, message = %e.message, "issue_ticket failed");
            if e.code == ErrorCode::OutsideHours
                && let Some(opens) = opens_next_of(&client, &tr, &args.service)
            {
                let _ = writeln!(err, "{opens}");
            }
            return 2;
        }
    };
    let service_name = if tr.lang() == "ar" {
        ticket.service_name.ar.clone()
    } else {
        ticket.service_name.en.clone()
    };
    let _ = writeln!(
        out,
        "{}",
        tr.tr(
            "receipt-cmd-issued",
            &[
                ("label", ticket.label.clone().into()),
                ("service", service_name.into())
            ]
        )
    );

    let base = ticket_base(args.ticket_base.as_deref(), &args.server);
    let options = ReceiptOptions {
        width_dots: width,
        lang: tr.lang().to_string(),
        ticket_url: page_url(&ticket, &base),
        printed_at: ticket.issued_at.with_timezone(&tz),
        digits: digits_of(&client),
    };
    let raster = renderer.render(&ticket, &options);
    if let Some(path) = &args.png {
        match raster
            .to_png()
            .map_err(|e| e.to_string())
            .and_then(|png| std::fs::write(path, png).map_err(|e| e.to_string()))
        {
            Ok(()) => {
                let msg = tr.tr(
                    "receipt-cmd-png",
                    &[("path", path.display().to_string().into())],
                );
                let _ = writeln!(out, "{msg}");
            }
            Err(e) => {
                let detail = format!("{}: {e}", path.display());
                let _ = writeln!(
                    err,
                    "{}",
                    tr.tr("receipt-cmd-setup", &[("detail", detail.into())])
                );
            }
        }
    }
    let (Some(target), Some(before)) = (target, before) else {
        return 0;
    };
    let mut not_printed = |status: &PrinterStatus| {
        let (_, detail) = status.wire();
        let mut why = tr.tr(&status.message_id(), &[]);
        if !detail.is_empty() {
            why = format!("{why} ({detail})");
        }
        let _ = writeln!(
            err,
            "{}",
            tr.tr(
                "receipt-cmd-not-printed",
                &[
                    ("label", ticket.label.clone().into()),
                    ("status", why.into())
                ]
            )
        );
        3
    };
    let Some(Ok(mut printer)) = printer else {
        return not_printed(&before);
    };
    // After: a printer that ran out in the middle holds the rest of the job.
    let (printed, after) =
        printer.print_checked(&before, &escpos_bytes(&raster), &mut |s| report(&client, s));
    if printed.is_err() {
        return not_printed(&after);
    }
    let line = match &target {
        Target::File(p) => tr.tr(
            "receipt-cmd-written",
            &[("path", p.display().to_string().into())],
        ),
        t => tr.tr("receipt-cmd-printed", &[("target", t.to_string().into())]),
    };
    let _ = writeln!(out, "{line}");
    if after == PrinterStatus::PaperNearEnd {
        let _ = writeln!(out, "{}", tr.tr("printer-status-paper_near_end", &[]));
    }
    0
}

fn wait_connected(client: &Client) -> bool {
    let deadline = Instant::now() + SERVER_PATIENCE;
    while Instant::now() < deadline {
        match client.recv_timeout(Duration::from_millis(100)) {
            Some(ClientEvent::Connected { .. }) => return true,
            _ if client.is_connected() => return true,
            _ => {}
        }
    }
    false
}

/// Sends a request and waits for its reply, within `limit`.
fn ask(client: &Client, request: Request, limit: Duration) -> Result<ReplyBody, ErrorBody> {
    let id = client.request(request)?;
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        match client.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Some(ClientEvent::Reply { id: got, result }) if got == id => return result,
            Some(ClientEvent::Disconnected { reason }) => {
                return Err(ErrorBody::new(ErrorCode::ConnectionLost, reason));
            }
            _ => {}
        }
    }
    Err(ErrorBody::new(
        ErrorCode::ConnectionLost,
        "no reply in time",
    ))
}

/// Issues the ticket, retrying with the same key while the connection comes and goes: the
/// server gives the same ticket for the same key, so a retry never makes a second one.
fn issue(
    client: &Client,
    service: &str,
    priority: Priority,
    key: &str,
) -> Result<TicketReceipt, ErrorBody> {
    let deadline = Instant::now() + SERVER_PATIENCE;
    loop {
        let request = Request::Command(hall_core::command::Command::issue_ticket(
            service.to_string(),
            priority,
            key.to_string(),
        ));
        match ask(client, request, Duration::from_secs(5)) {
            Ok(ReplyBody::Ticket { ticket }) => return Ok(*ticket),
            Ok(other) => {
                return Err(ErrorBody::new(
                    ErrorCode::Internal,
                    format!("unexpected reply {other:?}"),
                ));
            }
            Err(e) if e.code.is_retryable() && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Tells the server; a failure is logged, not fatal (the receipt matters more).
fn report(client: &Client, status: &PrinterStatus) {
    let (status, detail) = status.wire();
    if let Err(e) = ask(
        client,
        Request::Command(hall_core::command::Command::ReportPrinter { status, detail }),
        Duration::from_secs(3),
    ) {
        tracing::warn!(code = ?e.code, message = %e.message, "printer report not delivered");
    }
}

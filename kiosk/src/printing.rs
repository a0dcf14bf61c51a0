//! The printer thread: renders a receipt, checks the printer (DLE EOT) before and after
//! printing, prints, and reports every change of the printer's state to the server. A dead
//! printer never blocks the screen: the citizen's ticket is already issued and shown.

use crate::flow::{Lang, PrintFault};
use crate::printer::{DEFAULT_TIMEOUT, Printer, PrinterStatus, Target};
use crate::receipt::{ReceiptOptions, ReceiptRenderer, escpos_bytes};
use crate::settings::Settings;
use hall_wire::{Request, TicketReceipt};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};

pub enum PrintJob {
    Receipt {
        receipt: Box<TicketReceipt>,
        lang: Lang,
        /// The center's local time now (the renderer reads no clock).
        printed_at: chrono::DateTime<chrono_tz::Tz>,
        /// The center's digits for Arabic.
        digits: hall_core::Digits,
    },
    /// A sample receipt from the technician panel.
    Test {
        lang: Lang,
        printed_at: chrono::DateTime<chrono_tz::Tz>,
        digits: hall_core::Digits,
    },
    /// Ask the printer how it is.
    Status,
    /// New printer or paper settings.
    Configure(Settings),
}

#[derive(Clone, Debug)]
pub enum PrintDone {
    Receipt {
        label: String,
        result: Result<(), PrintFault>,
    },
    /// The printer's state after a job or a status request, for the technician panel.
    Status(PrinterStatus),
    TestPrinted(Result<(), String>),
}

pub struct PrinterLink {
    pub to: Sender<PrintJob>,
    pub from: Receiver<PrintDone>,
}

pub fn start(
    settings: Settings,
    assets: PathBuf,
    report: Sender<Request>,
    wake: impl Fn() + Send + 'static,
) -> PrinterLink {
    let (to, rx) = mpsc::channel();
    let (tx, from) = mpsc::channel();
    std::thread::Builder::new()
        .name("kiosk-printer".into())
        .spawn(move || {
            let mut worker = Worker {
                settings,
                renderer: ReceiptRenderer::new(&assets).map_err(|e| e.to_string()),
                report,
                last_reported: None,
            };
            for job in rx {
                let done = worker.run(job);
                for d in done {
                    if tx.send(d).is_err() {
                        return;
                    }
                }
                wake();
            }
        })
        .expect("spawn the printer thread");
    PrinterLink { to, from }
}

struct Worker {
    settings: Settings,
    renderer: Result<ReceiptRenderer, String>,
    /// Printer reports for the server, sent by the app's link.
    report: Sender<Request>,
    last_reported: Option<PrinterStatus>,
}

impl Worker {
    fn run(&mut self, job: PrintJob) -> Vec<PrintDone> {
        match job {
            PrintJob::Configure(s) => {
                self.settings = s;
                self.last_reported = None;
                vec![]
            }
            PrintJob::Status => {
                let status = match self.open() {
                    Ok(mut p) => p.status(),
                    Err(why) => PrinterStatus::Offline(why),
                };
                self.report_status(&status);
                vec![PrintDone::Status(status)]
            }
            PrintJob::Receipt {
                receipt,
                lang,
                printed_at,
                digits,
            } => {
                let (result, status) = self.print(&receipt, lang, printed_at, digits);
                vec![
                    PrintDone::Receipt {
                        label: receipt.label.clone(),
                        result: result.map_err(|_| fault_of(&status)),
                    },
                    PrintDone::Status(status),
                ]
            }
            PrintJob::Test {
                lang,
                printed_at,
                digits,
            } => {
                let sample = sample_receipt(printed_at.with_timezone(&chrono::Utc));
                let (result, status) = self.print(&sample, lang, printed_at, digits);
                vec![PrintDone::TestPrinted(result), PrintDone::Status(status)]
            }
        }
    }

    fn open(&self) -> Result<Printer, String> {
        if self.settings.printer.trim().is_empty() {
            return Err("no printer configured".into());
        }
        let target: Target = self.settings.printer.parse().map_err(|e| format!("{e}"))?;
        Printer::open(&target, DEFAULT_TIMEOUT).map_err(|e| format!("{e}"))
    }

    /// Status before, print, status after; the result and the last status seen.
    fn print(
        &mut self,
        receipt: &TicketReceipt,
        lang: Lang,
        printed_at: chrono::DateTime<chrono_tz::Tz>,
        digits: hall_core::Digits,
    ) -> (Result<(), String>, PrinterStatus) {
        let mut printer = match self.open() {
            Ok(p) => p,
            Err(why) => {
                let status = PrinterStatus::Offline(why.clone());
                self.report_status(&status);
                return (Err(why), status);
            }
        };
        let before = printer.status();
        if !before.can_print() {
            self.report_status(&before);
            return (Err(format!("printer not ready: {before:?}")), before);
        }
        let options = ReceiptOptions {
            width_dots: self.settings.width_dots(),
            lang: lang.code().to_string(),
            ticket_url: crate::settings::page_url(receipt, &self.settings.ticket_base()),
            printed_at,
            digits,
        };
        let bytes = match &mut self.renderer {
            Ok(renderer) => escpos_bytes(&renderer.render(receipt, &options)),
            Err(why) => {
                let why = format!("receipt fonts: {why}");
                let status = PrinterStatus::Offline(why.clone());
                self.report_status(&status);
                return (Err(why), status);
            }
        };
        printer.print_checked(&before, &bytes, &mut |s| self.report_status(s))
    }

    /// Tells the server when the printer's state changes (and once after start).
    fn report_status(&mut self, status: &PrinterStatus) {
        if self.last_reported.as_ref() == Some(status) {
            return;
        }
        let (wire, detail) = status.wire();
        let _ = self.report.send(Request::Command(
            hall_core::command::Command::ReportPrinter {
                status: wire,
                detail,
            },
        ));
        self.last_reported = Some(status.clone());
    }
}

fn fault_of(status: &PrinterStatus) -> PrintFault {
    match status {
        PrinterStatus::PaperOut => PrintFault::PaperOut,
        PrinterStatus::CoverOpen => PrintFault::CoverOpen,
        _ => PrintFault::Offline,
    }
}

/// The technician's test receipt: plainly marked as a test, not a ticket.
fn sample_receipt(at: hall_core::Timestamp) -> TicketReceipt {
    TicketReceipt {
        id: hall_core::TicketId(0),
        label: "TEST".into(),
        service: "TEST".into(),
        service_name: hall_core::Names::new("طباعة تجريبية", "Test print"),
        priority: hall_core::Priority::Normal,
        issued_at: at,
        token: "test".into(),
        people_ahead: 0,
        estimated_wait_secs: None,
        wait_low_secs: None,
        wait_high_secs: None,
        documents: vec![],
        center_name: hall_core::Names::new("اختبار الطابعة", "Printer test"),
        fee_piasters: None,
        page_url: None,
    }
}

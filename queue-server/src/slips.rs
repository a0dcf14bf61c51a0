//! The counters' request slips on paper: a counter with a receipt printer (`printer` in its
//! `[[counters]]` table of the center's file) prints the slip of a request handed in there,
//! on the kiosk receipt's raster path (`hall-print`: shaped Arabic, the QR code to `/r/...`).
//!
//! ```toml
//! [[counters]]
//! id = 3
//! name = { ar = "شباك ٣", en = "Window 3" }
//! profile = [...]
//! printer = "tcp://10.20.0.53:9100"   # or usb:/dev/usb/lp0, file:PATH
//! paper = 58                          # mm: 80 (the default) or 58
//! ```
//!
//! The printer's address is the hall's wiring, not the queue: it stays in the file, out of
//! the catalog, the log and the national copy. A counter without one answers `no_printer`
//! and the clerk prints from the browser. Every wait on a printer is bounded
//! (`printer::DEFAULT_TIMEOUT`), runs on a blocking thread, and one slip at a time goes to
//! each printer (a second click while it prints answers `busy`).

use hall_core::CounterId;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::request::RequestReceipt;
use hall_print::printer::{DEFAULT_TIMEOUT, Printer, PrinterStatus, Target};
use hall_print::receipt::{FONT_FILES, ReceiptRenderer, WIDTH_58MM, WIDTH_80MM, escpos_bytes};
use hall_print::slip::SlipOptions;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One counter's printer.
#[derive(Clone, Debug, PartialEq)]
pub struct CounterPrinter {
    pub target: Target,
    /// `WIDTH_80MM` or `WIDTH_58MM`.
    pub width_dots: u32,
}

#[derive(serde::Deserialize)]
struct CounterFields {
    id: CounterId,
    #[serde(default)]
    printer: Option<String>,
    #[serde(default)]
    paper: Option<u32>,
}

#[derive(serde::Deserialize)]
struct CountersSection {
    #[serde(default)]
    counters: Vec<CounterFields>,
}

/// The counters' printers named in a center's file, checked.
pub fn parse(text: &str) -> Result<HashMap<CounterId, CounterPrinter>, String> {
    let section: CountersSection = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut printers = HashMap::new();
    for c in section.counters {
        let width_dots = match c.paper {
            None | Some(80) => WIDTH_80MM,
            Some(58) => WIDTH_58MM,
            Some(other) => {
                return Err(format!(
                    "counter {}: paper = {other}: the slip printers take 80 or 58 (mm)",
                    c.id
                ));
            }
        };
        match c.printer {
            Some(p) => {
                let target = p
                    .parse::<Target>()
                    .map_err(|e| format!("counter {}: {e}", c.id))?;
                printers.insert(c.id, CounterPrinter { target, width_dots });
            }
            None if c.paper.is_some() => {
                return Err(format!("counter {}: paper without a printer", c.id));
            }
            None => {}
        }
    }
    Ok(printers)
}

/// What a print gave: printed or not, and the printer's state after.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub printed: bool,
    pub status: PrinterStatus,
}

/// The counters' printers, the renderer (its fonts load on the first slip) and one lock per
/// printer.
pub struct Slips {
    printers: HashMap<CounterId, (CounterPrinter, Arc<Mutex<()>>)>,
    renderer: Arc<Mutex<Option<ReceiptRenderer>>>,
    /// The center's SMS short code, printed for asking by text (only when it is digits).
    sms_number: Option<String>,
}

impl Slips {
    pub fn new(printers: HashMap<CounterId, CounterPrinter>, sms_number: Option<String>) -> Slips {
        Slips {
            printers: printers
                .into_iter()
                .map(|(id, p)| (id, (p, Arc::new(Mutex::new(())))))
                .collect(),
            renderer: Arc::new(Mutex::new(None)),
            sms_number: sms_number
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
        }
    }

    pub fn has_printer(&self, counter: CounterId) -> bool {
        self.printers.contains_key(&counter)
    }

    /// Prints `receipt` on `counter`'s printer, in `lang`, its QR code to `status_url`.
    pub async fn print(
        &self,
        counter: CounterId,
        receipt: RequestReceipt,
        lang: &str,
        status_url: String,
        zone: chrono_tz::Tz,
        digits: hall_core::Digits,
    ) -> Result<Printed, ErrorBody> {
        let Some((printer, lock)) = self.printers.get(&counter).cloned() else {
            return Err(ErrorBody::new(
                ErrorCode::NoPrinter,
                format!("counter {counter} has no slip printer; print from the browser"),
            ));
        };
        let options = SlipOptions {
            width_dots: printer.width_dots,
            lang: if lang == "en" { "en" } else { "ar" }.into(),
            status_url,
            sms_number: self.sms_number.clone(),
            zone,
            digits,
        };
        let renderer = self.renderer.clone();
        let job = move || -> Result<Printed, ErrorBody> {
            let Ok(_printing) = lock.try_lock() else {
                return Err(ErrorBody::new(
                    ErrorCode::Busy,
                    "this counter's printer is printing a slip; try again when it is done",
                ));
            };
            let bytes = {
                let mut slot = renderer
                    .lock()
                    .map_err(|_| ErrorBody::new(ErrorCode::Internal, "slip renderer poisoned"))?;
                if slot.is_none() {
                    *slot = Some(server_renderer()?);
                }
                let r = slot.as_mut().expect("just set");
                escpos_bytes(&r.render_slip(&receipt, &options).raster)
            };
            let mut device = match Printer::open(&printer.target, DEFAULT_TIMEOUT) {
                Ok(d) => d,
                Err(e) => {
                    tracing::warn!(counter, error = %e, "slip printer unreachable");
                    return Ok(Printed {
                        printed: false,
                        status: PrinterStatus::Offline(e.to_string()),
                    });
                }
            };
            let before = device.status();
            let (result, after) = device.print_checked(&before, &bytes, &mut |_| {});
            if let Err(why) = &result {
                tracing::warn!(counter, %why, "slip not printed");
            }
            Ok(Printed {
                printed: result.is_ok(),
                status: after,
            })
        };
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| ErrorBody::new(ErrorCode::Internal, format!("slip printing: {e}")))?
    }
}

/// The renderer with the fonts compiled into the server (`web-assets`).
fn server_renderer() -> Result<ReceiptRenderer, ErrorBody> {
    let fonts = FONT_FILES
        .iter()
        .map(|name| {
            let path = format!("fonts/{name}");
            web_assets::ASSETS
                .iter()
                .find(|a| a.path == path)
                .map(|a| (path.clone(), a.body.to_vec()))
                .ok_or_else(|| {
                    ErrorBody::new(
                        ErrorCode::Internal,
                        format!("the server has no font {path}"),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    ReceiptRenderer::from_fonts(fonts)
        .map_err(|e| ErrorBody::new(ErrorCode::Internal, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counters_printer_is_read_from_its_table_and_a_bad_one_is_named() {
        let sample = hall_wire::center_file::SAMPLE_CENTER;
        assert!(parse(sample).unwrap().is_empty());
        let with = sample.replacen(
            "[[counters]]\nid = 3\n",
            "[[counters]]\nid = 3\nprinter = \"tcp://10.20.0.53:9100\"\npaper = 58\n",
            1,
        );
        assert_ne!(with, sample, "the sample has a counter 3");
        let printers = parse(&with).unwrap();
        assert_eq!(
            printers[&3],
            CounterPrinter {
                target: Target::Tcp {
                    host: "10.20.0.53".into(),
                    port: 9100
                },
                width_dots: WIDTH_58MM
            }
        );
        // The catalog still reads the file, without the printer.
        assert!(hall_wire::center_file::parse(&with).is_ok());
        let bad = with.replace("tcp://10.20.0.53:9100", "10.20.0.53");
        assert!(parse(&bad).unwrap_err().contains("counter 3"), "{bad}");
        let paper = with.replace("paper = 58", "paper = 57");
        assert!(parse(&paper).unwrap_err().contains("80 or 58"));
    }
}

//! Receipt printers: where to send the bytes, and what state the printer is in.
//!
//! ```text
//! "tcp://192.168.1.50:9100".parse::<Target>()   // network printer (escpos NetworkDriver)
//! "usb:/dev/usb/lp0".parse::<Target>()          // a USB printer's device file, two-way
//! "file:out/receipt.bin".parse::<Target>()      // the bytes, to a file (no status)
//! Printer::open(&target, DEFAULT_TIMEOUT) -> Result<Printer, PrinterError>
//! printer.status() -> PrinterStatus             // DLE EOT 1, 2 and 4
//! printer.print(&bytes) -> Result<(), PrinterError>
//! ```
//!
//! Every wait is bounded (`DEFAULT_TIMEOUT`): a printer that is off, unplugged or wedged gives an
//! error or `Offline` within seconds, never a hung kiosk.

use escpos::driver::{Driver, FileDriver, NetworkDriver};
use escpos::utils::{RealTimeStatusRequest, RealTimeStatusResponse};
use std::fmt;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Where a printer is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A network printer's raw port (usually 9100).
    Tcp { host: String, port: u16 },
    /// A USB printer's device file (Linux usblp: `/dev/usb/lp0`), read and written.
    Usb(PathBuf),
    /// A file that receives the bytes (created or truncated). It has no status: always ready.
    File(PathBuf),
}

impl FromStr for Target {
    type Err = PrinterError;

    fn from_str(s: &str) -> Result<Target, PrinterError> {
        let bad = |why: &str| PrinterError::BadTarget(format!("{s:?}: {why}"));
        if let Some(rest) = s.strip_prefix("tcp://") {
            let rest = rest.trim_end_matches('/');
            let (host, port) = rest
                .rsplit_once(':')
                .ok_or_else(|| bad("expected tcp://HOST:PORT"))?;
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() {
                return Err(bad("no host"));
            }
            let port: u16 = port
                .parse()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| bad("the port is not a number from 1 to 65535"))?;
            Ok(Target::Tcp {
                host: host.to_string(),
                port,
            })
        } else if let Some(path) = s.strip_prefix("usb:") {
            if path.is_empty() {
                return Err(bad("expected usb:/dev/usb/lp0"));
            }
            Ok(Target::Usb(path.into()))
        } else if let Some(path) = s.strip_prefix("file:") {
            if path.is_empty() {
                return Err(bad("expected file:PATH"));
            }
            Ok(Target::File(path.into()))
        } else {
            Err(bad(
                "expected tcp://HOST:PORT, usb:/dev/usb/lp0 or file:PATH",
            ))
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Target::Tcp { host, port } if host.contains(':') => write!(f, "tcp://[{host}]:{port}"),
            Target::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            Target::Usb(p) => write!(f, "usb:{}", p.display()),
            Target::File(p) => write!(f, "file:{}", p.display()),
        }
    }
}

/// What the printer said, from `DLE EOT` 1, 2 and 4.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrinterStatus {
    Ready,
    /// Prints, but the roll is nearly used up.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// Unreachable, silent, or reporting an error; the reason is for technicians.
    Offline(String),
}

impl PrinterStatus {
    pub fn can_print(&self) -> bool {
        matches!(self, PrinterStatus::Ready | PrinterStatus::PaperNearEnd)
    }

    /// As reported to the server (`report_printer`): the status and a detail.
    pub fn wire(&self) -> (hall_core::PrinterStatus, String) {
        use hall_core::PrinterStatus as W;
        match self {
            PrinterStatus::Ready => (W::Ready, String::new()),
            PrinterStatus::PaperNearEnd => (W::PaperNearEnd, String::new()),
            PrinterStatus::PaperOut => (W::PaperOut, String::new()),
            PrinterStatus::CoverOpen => (W::CoverOpen, String::new()),
            PrinterStatus::Offline(why) => (W::Offline, why.clone()),
        }
    }

    /// The translation id of this status (`queue.ftl`, "printer-status-…").
    pub fn message_id(&self) -> String {
        format!("printer-status-{}", self.wire().0.as_str())
    }
}

/// The three status bytes, read as one state. The worst condition wins: no paper, then an
/// open cover, then off-line for another reason, then paper near its end.
pub fn status_from_replies(printer: u8, offline: u8, paper: u8) -> PrinterStatus {
    let parse = |req, byte: u8| {
        RealTimeStatusResponse::parse(req, byte)
            .map_err(|_| PrinterStatus::Offline(format!("unexpected status byte {byte:#04x}")))
    };
    let (p, o, r) = match (
        parse(RealTimeStatusRequest::Printer, printer),
        parse(RealTimeStatusRequest::OfflineCause, offline),
        parse(RealTimeStatusRequest::RollPaperSensor, paper),
    ) {
        (Ok(p), Ok(o), Ok(r)) => (p, o, r),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return e,
    };
    let is = |m: &std::collections::HashMap<RealTimeStatusResponse, bool>, k| {
        m.get(&k).copied().unwrap_or(false)
    };
    use RealTimeStatusResponse as R;
    if !is(&r, R::RollPaperEndSensorPaperPresent) || is(&o, R::PrintingStopsDueToPaperEnd) {
        PrinterStatus::PaperOut
    } else if !is(&o, R::CoverClosed) {
        PrinterStatus::CoverOpen
    } else if !is(&p, R::Online) || is(&o, R::ErrorOccurred) {
        PrinterStatus::Offline(if is(&o, R::ErrorOccurred) {
            "the printer reports an error".into()
        } else {
            "the printer reports off-line".into()
        })
    } else if !is(&r, R::RollPaperNearEndSensorPaperAdequate) {
        PrinterStatus::PaperNearEnd
    } else {
        PrinterStatus::Ready
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrinterError {
    #[error("printer target {0}")]
    BadTarget(String),
    #[error("cannot reach the printer at {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("the printer at {target} did not take the receipt: {reason}")]
    Write { target: String, reason: String },
}

/// How long any one wait may take: connecting, each status byte, each write.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// An open printer.
pub struct Printer {
    target: Target,
    driver: Box<dyn Driver>,
    /// Whether the printer answers status requests (not a plain file).
    two_way: bool,
}

impl Printer {
    /// Opens the printer; `timeout` bounds the connection and every later read and write.
    pub fn open(target: &Target, timeout: Duration) -> Result<Printer, PrinterError> {
        let connect_err = |reason: String| PrinterError::Connect {
            target: target.to_string(),
            reason,
        };
        let (driver, two_way): (Box<dyn Driver>, bool) = match target {
            Target::Tcp { host, port } => {
                // The crate's driver takes an IP address when given a time-out: resolve first.
                // It applies the same time-out to connecting and to every read and write.
                let addr: SocketAddr = (host.as_str(), *port)
                    .to_socket_addrs()
                    .map_err(|e| connect_err(e.to_string()))?
                    .next()
                    .ok_or_else(|| connect_err("the host name has no address".into()))?;
                let d = NetworkDriver::open(&addr.ip().to_string(), addr.port(), Some(timeout))
                    .map_err(|e| connect_err(e.to_string()))?;
                (Box::new(d), true)
            }
            Target::Usb(path) => (
                Box::new(UsbDevice::open(path, timeout).map_err(|e| connect_err(e.to_string()))?),
                true,
            ),
            Target::File(path) => {
                let mut o = std::fs::OpenOptions::new();
                o.write(true).create(true).truncate(true);
                let d = FileDriver::open_with_options(path, &o)
                    .map_err(|e| connect_err(e.to_string()))?;
                (Box::new(d), false)
            }
        };
        Ok(Printer {
            target: target.clone(),
            driver,
            two_way,
        })
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Asks `DLE EOT` 1, 2 and 4 (real-time: answered even while the printer is off-line).
    /// A printer that does not answer in time is `Offline`.
    pub fn status(&mut self) -> PrinterStatus {
        if !self.two_way {
            return PrinterStatus::Ready;
        }
        let mut bytes = [0u8; 3];
        for (i, n) in [1u8, 2, 4].into_iter().enumerate() {
            // Written by hand: the crate's `real_time_status` sends `DLE EOT n 0`, and that
            // trailing 0 is print data to a printer that takes `DLE EOT n`.
            if let Err(e) = self
                .driver
                .write(&[0x10, 0x04, n])
                .and_then(|_| self.driver.flush())
            {
                return PrinterStatus::Offline(format!("status request failed: {e}"));
            }
            let mut b = [0u8; 1];
            match self.driver.read(&mut b) {
                Ok(1) => bytes[i] = b[0],
                Ok(_) => return PrinterStatus::Offline("the printer closed the connection".into()),
                Err(e) => {
                    return PrinterStatus::Offline(format!("no answer to DLE EOT {n}: {e}"));
                }
            }
        }
        status_from_replies(bytes[0], bytes[1], bytes[2])
    }

    /// Sends a whole job (from `receipt::escpos_bytes`).
    pub fn print(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        self.driver
            .write(bytes)
            .and_then(|_| self.driver.flush())
            .map_err(|e| PrinterError::Write {
                target: self.target.to_string(),
                reason: e.to_string(),
            })
    }

    /// The receipt path of the app and of `kiosk receipt`: print on a printer that said
    /// `before`, ask it again, and `report` the state after. Paper that ran out during the
    /// receipt leaves the citizen half a receipt, so that counts as not printed. Returns the
    /// result and the last state seen.
    pub fn print_checked(
        &mut self,
        before: &PrinterStatus,
        bytes: &[u8],
        report: &mut dyn FnMut(&PrinterStatus),
    ) -> (Result<(), String>, PrinterStatus) {
        if !before.can_print() {
            return (
                Err(format!("printer not ready: {before:?}")),
                before.clone(),
            );
        }
        let printed = self.print(bytes).map_err(|e| e.to_string());
        let after = match &printed {
            Ok(()) => self.status(),
            Err(why) => PrinterStatus::Offline(why.clone()),
        };
        report(&after);
        let result = match (&printed, after.can_print()) {
            (Ok(()), true) => Ok(()),
            (Ok(()), false) => Err(format!("printer stopped: {after:?}")),
            (Err(e), _) => Err(e.clone()),
        };
        (result, after)
    }
}

/// A USB printer's device file, opened non-blocking so that reads and writes wait only as long
/// as we allow (the kernel's usblp read would otherwise block until the printer speaks).
struct UsbDevice {
    path: PathBuf,
    file: std::sync::Mutex<std::fs::File>,
    timeout: Duration,
}

/// `O_NONBLOCK` on Linux (x86-64 and ARM alike).
#[cfg(target_os = "linux")]
const O_NONBLOCK: i32 = 0o4000;

impl UsbDevice {
    fn open(path: &PathBuf, timeout: Duration) -> std::io::Result<UsbDevice> {
        let mut o = std::fs::OpenOptions::new();
        o.read(true).write(true);
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.custom_flags(O_NONBLOCK);
        }
        Ok(UsbDevice {
            path: path.clone(),
            file: std::sync::Mutex::new(o.open(path)?),
            timeout,
        })
    }

    fn until<T>(
        &self,
        limit: Duration,
        mut f: impl FnMut(&mut std::fs::File) -> std::io::Result<Option<T>>,
    ) -> escpos::errors::Result<T> {
        let deadline = Instant::now() + limit;
        let mut file = self
            .file
            .lock()
            .map_err(|_| escpos::errors::PrinterError::Io("device lock poisoned".into()))?;
        loop {
            match f(&mut file) {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
            if Instant::now() >= deadline {
                return Err(escpos::errors::PrinterError::Io(format!(
                    "timed out after {} ms",
                    limit.as_millis()
                )));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Driver for UsbDevice {
    fn name(&self) -> String {
        format!("usb ({})", self.path.display())
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        use std::io::Write;
        let mut sent = 0;
        self.until(self.timeout, |f| {
            sent += f.write(&data[sent..])?;
            Ok((sent == data.len()).then_some(()))
        })
    }
    fn read(&self, buf: &mut [u8]) -> escpos::errors::Result<usize> {
        use std::io::Read;
        // usblp answers 0 bytes while the printer has nothing to say: keep asking.
        self.until(self.timeout, |f| Ok(Some(f.read(buf)?).filter(|n| *n > 0)))
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

//! emupos, an independent ESC/POS printer emulator (PyPI), as the receipt and slip tests run it:
//! two printers on TCP (80 mm and 58 mm), faults set as a technician would, and the
//! emulator's own PNG of each receipt read back.
//!
//! emupos is found at `$EMUPOS`, else `~/.cache/tabour/emupos-venv/bin/emupos`
//! (`scripts/lib.sh`: `ensure_emupos`). Missing, the tests fail; `TABOUR_SKIP_EMUPOS=1`
//! skips them out loud (scripts/test.sh never sets it).

use crate::ports::free_port;
use crate::process::Reaped;
use hall_print::receipt::Raster;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The emulator's command, or `None` when it is missing and the skip was asked for.
pub fn emupos() -> Option<PathBuf> {
    let path = std::env::var_os("EMUPOS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/tabour/emupos-venv/bin/emupos")
        });
    if path.exists() {
        return Some(path);
    }
    if std::env::var("TABOUR_SKIP_EMUPOS").as_deref() == Ok("1") {
        eprintln!(
            "SKIPPED: emupos not found at {} (TABOUR_SKIP_EMUPOS=1)",
            path.display()
        );
        return None;
    }
    panic!(
        "emupos not found at {}: run `. scripts/lib.sh; ensure_emupos` or set EMUPOS",
        path.display()
    );
}

pub struct Emulator {
    _proc: Reaped,
    bin: PathBuf,
    api: String,
    /// The 80 mm printer (`wide`, an Epson TM-T20III profile).
    pub port_80: u16,
    /// The 58 mm printer (`narrow`).
    pub port_58: u16,
    receipts: PathBuf,
}

impl Emulator {
    /// Two printers: `wide` (Epson TM-T20III, 576 dots) and `narrow` (the same at 384 dots).
    pub fn start(bin: PathBuf, dir: &Path) -> Emulator {
        let (api_port, port_80, port_58) = (free_port(), free_port(), free_port());
        let profile = dir.join("narrow-58mm.yaml");
        std::fs::write(
            &profile,
            "type: printer\nname: 58 mm test printer\ndpi: 203\nwidth_dots: 384\n\
             font_a: { width: 12, height: 24 }\nfont_b: { width: 9, height: 17 }\n\
             code_pages: { 0: PC437 }\ndefault_code_page: 0\ndrawer_sensor_open_level: high\n",
        )
        .unwrap();
        let config = format!(
            "schema: 1\napi: {{host: 127.0.0.1, port: {api_port}}}\ndevices:\n\
             - {{id: wide, type: printer, profile: epson-tm-t20iii, receipts_dir: ./receipts,\n\
                connections: [{{tcp: {{host: 127.0.0.1, port: {port_80}}}}}]}}\n\
             - {{id: narrow, type: printer, profile: ./narrow-58mm.yaml, receipts_dir: ./receipts,\n\
                connections: [{{tcp: {{host: 127.0.0.1, port: {port_58}}}}}]}}\n"
        );
        std::fs::write(dir.join("emupos.yaml"), config).unwrap();
        let log = std::fs::File::create(dir.join("emupos.log")).unwrap();
        let child = Command::new(&bin)
            .arg("run")
            .arg("--config")
            .arg(dir.join("emupos.yaml"))
            .current_dir(dir)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start emupos");
        let proc = Reaped(child);
        crate::wait::until_blocking(Duration::from_secs(30), "emupos's control API", || {
            TcpStream::connect(("127.0.0.1", api_port)).is_ok()
        });
        Emulator {
            _proc: proc,
            bin,
            api: format!("http://127.0.0.1:{api_port}"),
            port_80,
            port_58,
            receipts: dir.join("receipts"),
        }
    }

    /// `emupos fault set|clear DEVICE FAULT`, as a technician would.
    pub fn fault(&self, action: &str, device: &str, fault: &str) {
        let status = Command::new(&self.bin)
            .args(["--api", &self.api, "fault", action, device, fault])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "emupos fault {action} {device} {fault}");
    }

    pub fn receipt_count(&self, device: &str) -> usize {
        std::fs::read_dir(&self.receipts)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| {
                        let n = e.file_name().to_string_lossy().to_string();
                        n.starts_with(&format!("{device}-")) && n.ends_with(".json")
                    })
                    .count()
            })
            .unwrap_or(0)
    }

    /// The emulator's image of the newest receipt of `device`, once it has one more than `before`.
    pub fn next_receipt(&self, device: &str, before: usize) -> Raster {
        crate::wait::until_blocking(Duration::from_secs(15), "the emulator's receipt", || {
            self.receipt_count(device) > before
        });
        let mut pngs: Vec<PathBuf> = std::fs::read_dir(&self.receipts)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                n.starts_with(&format!("{device}-")) && n.ends_with(".png")
            })
            .collect();
        pngs.sort(); // ids start with the UTC completion time
        let newest = pngs.last().unwrap();
        if let Some(keep) = crate::center::screenshots_dir() {
            let name = format!(
                "receipt-emupos-{}",
                newest.file_name().unwrap().to_string_lossy()
            );
            let _ = std::fs::copy(newest, keep.join(name));
        }
        Raster::from_png(&std::fs::read(newest).unwrap()).unwrap()
    }
}

/// The text of an image, as Tesseract reads it (scripts/lib.sh: ensure_ocr). The raster is
/// doubled first: thermal print at 203 dpi is small for OCR.
pub fn ocr(raster: &Raster, dir: &Path) -> String {
    let mut big = Raster::new(raster.width * 2, raster.height * 2);
    for y in 0..big.height {
        for x in 0..big.width {
            if raster.is_black(x / 2, y / 2) {
                big.set_black(x, y);
            }
        }
    }
    let png = dir.join("ocr.png");
    std::fs::write(&png, big.to_png().unwrap()).unwrap();
    let out = Command::new("tesseract")
        .arg(&png)
        .args(["stdout", "-l", "eng"])
        .output()
        .expect("tesseract: scripts/lib.sh ensure_ocr installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Letters and digits only, lower case: line breaks, spacing and punctuation do not count.
pub fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether `text` holds `want` with at most `errors` letters misread, added or dropped
/// (approximate substring match, Sellers' edit distance): OCR reads "from" as "fram" at times.
pub fn holds(text: &str, want: &str, errors: usize) -> bool {
    let (t, p): (Vec<char>, Vec<char>) = (text.chars().collect(), want.chars().collect());
    let mut prev: Vec<usize> = vec![0; t.len() + 1];
    for (i, pc) in p.iter().enumerate() {
        let mut row = vec![i + 1; t.len() + 1];
        for (j, tc) in t.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(pc != tc))
                .min(prev[j + 1] + 1)
                .min(row[j] + 1);
        }
        prev = row;
    }
    prev.into_iter().min().unwrap_or(0) <= errors
}

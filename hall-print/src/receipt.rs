//! The printed receipt: drawn to a 1-bit raster (printers cannot shape Arabic), then encoded
//! as ESC/POS raster strips.
//!
//! ```text
//! pub struct ReceiptOptions { pub width_dots: u32, pub lang: String, pub ticket_url: String,
//!                             pub printed_at: chrono::DateTime<chrono_tz::Tz>, pub digits: Digits }
//! pub struct Raster { pub width: u32, pub height: u32, pub bits: Vec<u8> }
//! ReceiptRenderer::new(assets_dir: &Path) -> Result<ReceiptRenderer, FontError>  // build once
//! ReceiptRenderer::render(&mut self, &TicketReceipt, &ReceiptOptions) -> Raster
//! ReceiptRenderer::render_layout(..) -> Rendered { raster, blocks }  // where each part went
//! escpos_bytes(&Raster) -> Vec<u8>        // ESC @, GS v 0 strips, feed, cut
//! Raster::to_png() / Raster::from_png()   // for tests, technicians and the emulator's image
//! ```
//!
//! Text is shaped and laid out by cosmic-text (HarfBuzz-style shaping, bidi) with the fonts
//! in `assets/fonts` only, never the system's: a kiosk prints the same receipt everywhere.
//! The translations come from the Fluent files (`assets/i18n/*/kiosk.ftl`, "## Receipt").
//! The clock is never read here: the time printed is `ReceiptOptions::printed_at`.

use chrono::DateTime;
use chrono_tz::Tz;
use cosmic_text::{
    Align, Attrs, Buffer, Color, Ellipsize, EllipsizeHeightLimit, Family, FontSystem, Metrics,
    Shaping, SwashCache, Weight, Wrap, fontdb,
};
use hall_core::format::Style;
use hall_core::i18n::{FluentValue, Translator};
use hall_core::{Digits, Priority};
use hall_wire::TicketReceipt;
use std::path::Path;

/// 80 mm paper: 576 dots at 203 dpi.
pub const WIDTH_80MM: u32 = 576;
/// 58 mm paper: 384 dots at 203 dpi.
pub const WIDTH_58MM: u32 = 384;

/// The Latin family; Arabic script falls back to "Noto Sans Arabic" (cosmic-text's fallback
/// list names both families on Linux, and only our files are in the font database).
const LATIN: &str = "Noto Sans";
const ARABIC: &str = "Noto Sans Arabic";
pub const FONT_FILES: [&str; 4] = [
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
];
/// Coverage from which a dot is printed black. Below half, so thin Arabic strokes survive.
const INK_THRESHOLD: u8 = 100;
/// ESC/POS raster strips of at most this many rows (small printer buffers).
const STRIP_ROWS: u32 = 256;

#[derive(Clone, Debug)]
pub struct ReceiptOptions {
    /// `WIDTH_80MM` or `WIDTH_58MM` (any multiple of 8 works).
    pub width_dots: u32,
    /// "ar" or "en".
    pub lang: String,
    /// The citizen's ticket page, `{base}/t/{token}`: the QR code.
    pub ticket_url: String,
    /// The center's local time of printing (passed in: the renderer reads no clock).
    pub printed_at: DateTime<Tz>,
    /// The center's digits for Arabic (`hall_core::format`).
    pub digits: Digits,
}

/// A 1-bit image: rows of `width / 8` bytes, most significant bit leftmost, 1 = black.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub bits: Vec<u8>,
}

/// The parts of a receipt, top to bottom; then the request slip's own (`slip`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    CenterName,
    NumberLabel,
    TicketNumber,
    ServiceName,
    Priority,
    PeopleAhead,
    Wait,
    Fee,
    Documents,
    Qr,
    QrHint,
    PrintedAt,
    Keep,
    SlipTitle,
    Reference,
    SubmittedAt,
    ExpectedReady,
    SlipHint,
}

/// Where a part was drawn: rows `top..bottom` of the raster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub part: Part,
    pub top: u32,
    pub bottom: u32,
}

#[derive(Clone, Debug)]
pub struct Rendered {
    pub raster: Raster,
    pub blocks: Vec<Block>,
}

impl Rendered {
    pub fn block(&self, part: Part) -> Option<Block> {
        self.blocks.iter().copied().find(|b| b.part == part)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read the receipt font {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the receipt font {0} has no usable face")]
    NoFace(String),
}

#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("PNG encoding: {0}")]
    Encode(#[from] png::EncodingError),
    #[error("PNG decoding: {0}")]
    Decode(#[from] png::DecodingError),
}

impl Raster {
    /// A white raster; `width` is rounded up to a whole byte.
    pub fn new(width: u32, height: u32) -> Raster {
        let width = width.div_ceil(8) * 8;
        Raster {
            width,
            height,
            bits: vec![0; (width / 8 * height) as usize],
        }
    }

    pub fn row_bytes(&self) -> usize {
        (self.width / 8) as usize
    }

    pub fn is_black(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let i = y as usize * self.row_bytes() + (x / 8) as usize;
        self.bits[i] & (0x80 >> (x % 8)) != 0
    }

    pub fn set_black(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            let i = y as usize * self.row_bytes() + (x / 8) as usize;
            self.bits[i] |= 0x80 >> (x % 8);
        }
    }

    /// Black dots in rows `top..bottom`.
    pub fn ink(&self, top: u32, bottom: u32) -> usize {
        let (top, bottom) = (top.min(self.height), bottom.min(self.height));
        let r = self.row_bytes();
        self.bits[top as usize * r..bottom as usize * r]
            .iter()
            .map(|b| b.count_ones() as usize)
            .sum()
    }

    /// Leftmost and rightmost black columns in rows `top..bottom`, if any ink.
    pub fn ink_columns(&self, top: u32, bottom: u32) -> Option<(u32, u32)> {
        let mut span: Option<(u32, u32)> = None;
        for y in top..bottom.min(self.height) {
            for x in 0..self.width {
                if self.is_black(x, y) {
                    span = Some(match span {
                        None => (x, x),
                        Some((l, r)) => (l.min(x), r.max(x)),
                    });
                }
            }
        }
        span
    }

    /// A 1-bit greyscale PNG (black ink on white).
    pub fn to_png(&self) -> Result<Vec<u8>, PngError> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, self.width, self.height);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::One);
            let mut w = enc.write_header()?;
            // In a greyscale PNG 0 is black: the inverse of ours.
            let data: Vec<u8> = self.bits.iter().map(|b| !b).collect();
            w.write_image_data(&data)?;
        }
        Ok(out)
    }

    /// Reads any greyscale or colour PNG (an emulator's receipt, a test image): a dot is black
    /// when darker than mid-grey.
    pub fn from_png(data: &[u8]) -> Result<Raster, PngError> {
        let mut dec = png::Decoder::new(std::io::Cursor::new(data));
        dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = dec.read_info()?;
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut buf)?;
        let channels = info.color_type.samples();
        let mut r = Raster::new(info.width, info.height);
        for y in 0..info.height {
            let row = &buf[y as usize * info.line_size..][..info.line_size];
            for x in 0..info.width {
                let px = &row[x as usize * channels..][..channels];
                let grey = if channels >= 3 {
                    (u32::from(px[0]) + u32::from(px[1]) + u32::from(px[2])) / 3
                } else {
                    u32::from(px[0])
                };
                if grey < 128 {
                    r.set_black(x, y);
                }
            }
        }
        Ok(r)
    }
}

/// Sizes in dots for one paper width.
pub(crate) struct Sizes {
    pub(crate) margin: u32,
    pub(crate) center: f32,
    pub(crate) label: f32,
    pub(crate) number: f32,
    pub(crate) service: f32,
    pub(crate) body: f32,
    pub(crate) small: f32,
    pub(crate) qr_module: u32,
    pub(crate) gap: u32,
}

impl Sizes {
    pub(crate) fn for_width(width: u32) -> Sizes {
        if width >= WIDTH_80MM {
            Sizes {
                margin: 12,
                center: 26.0,
                label: 24.0,
                number: 120.0,
                service: 32.0,
                body: 26.0,
                small: 22.0,
                qr_module: 6,
                gap: 14,
            }
        } else {
            Sizes {
                margin: 8,
                center: 22.0,
                label: 20.0,
                number: 88.0,
                service: 26.0,
                body: 22.0,
                small: 19.0,
                qr_module: 5,
                gap: 10,
            }
        }
    }
}

/// Draws receipts. Holds the font system (loading fonts takes a while): build once, reuse.
pub struct ReceiptRenderer {
    fonts: FontSystem,
    glyphs: SwashCache,
}

impl ReceiptRenderer {
    /// Loads the four Noto fonts from `assets_dir/fonts`.
    pub fn new(assets_dir: &Path) -> Result<ReceiptRenderer, FontError> {
        let mut fonts = Vec::new();
        for name in FONT_FILES {
            let path = assets_dir.join("fonts").join(name);
            let data = std::fs::read(&path).map_err(|source| FontError::Read {
                path: path.display().to_string(),
                source,
            })?;
            fonts.push((path.display().to_string(), data));
        }
        ReceiptRenderer::from_fonts(fonts)
    }

    /// The same four fonts given as `(name, bytes)` (the server's are compiled in).
    pub fn from_fonts(fonts: Vec<(String, Vec<u8>)>) -> Result<ReceiptRenderer, FontError> {
        let mut db = fontdb::Database::new();
        for (name, data) in fonts {
            let before = db.len();
            db.load_font_data(data);
            if db.len() == before {
                return Err(FontError::NoFace(name));
            }
        }
        db.set_sans_serif_family(LATIN);
        Ok(ReceiptRenderer {
            fonts: FontSystem::new_with_locale_and_db("ar-EG".into(), db),
            glyphs: SwashCache::new(),
        })
    }

    pub fn render(&mut self, t: &TicketReceipt, o: &ReceiptOptions) -> Raster {
        self.render_layout(t, o).raster
    }

    /// The receipt and where each of its parts was drawn.
    pub fn render_layout(&mut self, t: &TicketReceipt, o: &ReceiptOptions) -> Rendered {
        let tr = Translator::new(&o.lang);
        let arabic = tr.lang() == "ar";
        let width = o.width_dots.div_ceil(8) * 8;
        let s = Sizes::for_width(width);
        let pick = |n: &hall_core::Names| n.get(tr.lang()).to_string();
        // Detail lines start where the reader starts: the right in Arabic.
        let start = if arabic { Align::Right } else { Align::Left };

        let mut c = Canvas::new(width, s.margin);
        c.space(s.gap / 2);
        c.text(
            self,
            Part::CenterName,
            &pick(&t.center_name),
            s.center,
            true,
            Align::Center,
            3,
        );
        c.rule(s.gap);
        c.text(
            self,
            Part::NumberLabel,
            &tr.tr("receipt-your-number", &[]),
            s.label,
            false,
            Align::Center,
            1,
        );
        c.text(
            self,
            Part::TicketNumber,
            &t.label,
            s.number,
            true,
            Align::Center,
            1,
        );
        c.text(
            self,
            Part::ServiceName,
            &pick(&t.service_name),
            s.service,
            true,
            Align::Center,
            3,
        );
        if t.priority != Priority::Normal {
            let key = format!("priority-{}", priority_name(t.priority));
            c.text(
                self,
                Part::Priority,
                &tr.tr(&key, &[]),
                s.body,
                false,
                Align::Center,
                1,
            );
        }
        c.rule(s.gap);
        let style = Style::new(&o.lang, o.digits, o.printed_at.timezone());
        let ahead = style.counted(&tr, "people-ahead", u64::from(t.people_ahead), &[]);
        c.text(self, Part::PeopleAhead, &ahead, s.body, false, start, 2);
        let wait = match t.wait() {
            // A long wait in hours and minutes: "حوالي ساعة و٢٠ دقيقة".
            Some(w) if w.high_secs >= 3600 => {
                let about = tr.tr(
                    "wait-about",
                    &[("duration", style.duration(&tr, w.expected_secs).into())],
                );
                tr.tr("receipt-wait", &[("wait", about.into())])
            }
            Some(w) => tr.tr(
                "receipt-wait",
                &[("wait", style.digits(&tr.wait(&w)).into())],
            ),
            None => tr.tr("no-estimate", &[]),
        };
        c.text(self, Part::Wait, &wait, s.body, false, start, 2);
        if let Some(piasters) = t.fee_piasters {
            let amount = if piasters == 0 {
                tr.tr("kiosk-fee-free", &[])
            } else {
                tr.tr(
                    "kiosk-fee-amount",
                    &[("amount", FluentValue::from(style.money(piasters)))],
                )
            };
            let line = tr.tr("receipt-fee", &[("amount", amount.into())]);
            c.text(self, Part::Fee, &line, s.body, false, start, 2);
        }
        if !t.documents.is_empty() {
            // Every document in full, one to a line: the citizen comes back with all of them.
            let mut lines = vec![tr.tr("receipt-documents-title", &[])];
            lines.extend(t.documents.iter().map(|d| format!("• {}", pick(d))));
            c.text(
                self,
                Part::Documents,
                &lines.join("\n"),
                s.small,
                false,
                start,
                usize::MAX,
            );
        }
        c.space(s.gap);
        c.qr(&o.ticket_url, s.qr_module);
        c.text(
            self,
            Part::QrHint,
            &tr.tr("receipt-qr-hint", &[]),
            s.small,
            false,
            Align::Center,
            2,
        );
        c.rule(s.gap);
        let when = tr.tr(
            "receipt-printed-at",
            &[
                ("date", style.date(&tr, o.printed_at.date_naive()).into()),
                ("time", style.time(o.printed_at.time()).into()),
            ],
        );
        c.text(
            self,
            Part::PrintedAt,
            &when,
            s.small,
            false,
            Align::Center,
            1,
        );
        c.text(
            self,
            Part::Keep,
            &tr.tr("receipt-keep", &[]),
            s.small,
            false,
            Align::Center,
            2,
        );
        c.space(s.gap);
        c.finish()
    }
}

pub(crate) fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Normal => "normal",
        Priority::Elderly => "elderly",
        Priority::Disabled => "disabled",
        Priority::Pregnant => "pregnant",
    }
}

/// The receipt being drawn: coverage per dot (0 = white), grown downwards.
pub(crate) struct Canvas {
    width: u32,
    margin: u32,
    y: u32,
    cover: Vec<u8>,
    blocks: Vec<Block>,
}

impl Canvas {
    pub(crate) fn new(width: u32, margin: u32) -> Canvas {
        Canvas {
            width,
            margin,
            y: 0,
            cover: Vec::new(),
            blocks: Vec::new(),
        }
    }

    fn grow(&mut self, bottom: u32) {
        let need = bottom as usize * self.width as usize;
        if self.cover.len() < need {
            self.cover.resize(need, 0);
        }
    }

    pub(crate) fn space(&mut self, dots: u32) {
        self.y += dots;
        self.grow(self.y);
    }

    fn paint(&mut self, x: i32, y: i32, a: u8) {
        if x < 0 || y < 0 || x as u32 >= self.width {
            return;
        }
        let (x, y) = (x as u32, y as u32);
        self.grow(y + 1);
        let i = y as usize * self.width as usize + x as usize;
        self.cover[i] = self.cover[i].max(a);
    }

    /// A dashed line across, with `gap` dots above and below.
    pub(crate) fn rule(&mut self, gap: u32) {
        self.space(gap);
        for dy in 0..2 {
            for x in self.margin..self.width - self.margin {
                if (x / 6) % 2 == 0 {
                    self.paint(x as i32, (self.y + dy) as i32, 255);
                }
            }
        }
        self.space(2 + gap);
    }

    /// A paragraph, wrapped to the printable width, at most `max_lines` lines (an ellipsis
    /// ends a longer one).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        r: &mut ReceiptRenderer,
        part: Part,
        text: &str,
        size: f32,
        bold: bool,
        align: Align,
        max_lines: usize,
    ) {
        let line_height = (size * 1.35).ceil();
        let mut buf = Buffer::new(&mut r.fonts, Metrics::new(size, line_height));
        let inner = (self.width - 2 * self.margin) as f32;
        buf.set_size(Some(inner), None);
        buf.set_wrap(Wrap::WordOrGlyph);
        let family = if text.chars().any(is_arabic) {
            ARABIC
        } else {
            LATIN
        };
        let attrs = Attrs::new().family(Family::Name(family)).weight(if bold {
            Weight::BOLD
        } else {
            Weight::NORMAL
        });
        buf.set_text(text, &attrs, Shaping::Advanced, Some(align));
        buf.shape_until_scroll(&mut r.fonts, false);
        // Ellipsize only what is too long: cosmic-text 0.19 drops the date from
        // "2026-11-22  الساعة 09:42" when a line that fits is laid out with an ellipsis limit.
        if buf.layout_runs().count() > max_lines {
            buf.set_ellipsize(Ellipsize::End(EllipsizeHeightLimit::Lines(max_lines)));
            buf.shape_until_scroll(&mut r.fonts, false);
        }
        let height = buf
            .layout_runs()
            .map(|run| run.line_top + run.line_height)
            .fold(0.0f32, f32::max)
            .ceil() as u32;
        let (top, left) = (self.y, self.margin as i32);
        buf.draw(
            &mut r.fonts,
            &mut r.glyphs,
            Color::rgb(0, 0, 0),
            |x, y, w, h, color| {
                for dy in 0..h as i32 {
                    for dx in 0..w as i32 {
                        self.paint(left + x + dx, top as i32 + y + dy, color.a());
                    }
                }
            },
        );
        self.y += height;
        self.grow(self.y);
        self.blocks.push(Block {
            part,
            top,
            bottom: self.y,
        });
    }

    /// The QR code, centred, with its four-module quiet zone kept white.
    pub(crate) fn qr(&mut self, url: &str, module: u32) {
        let Some((dark, n)) = qr_modules(url) else {
            return;
        };
        let n = n as u32;
        let inner = self.width - 2 * self.margin;
        // Shrink the modules only if the code would not fit with its quiet zone.
        let module = module.min(inner / (n + 8)).max(1);
        let side = (n + 8) * module;
        let left = self.margin + (inner - side.min(inner)) / 2 + 4 * module;
        let top = self.y + 4 * module;
        for (i, d) in dark.iter().enumerate() {
            if *d {
                let (mx, my) = (i as u32 % n, i as u32 / n);
                for dy in 0..module {
                    for dx in 0..module {
                        self.paint(
                            (left + mx * module + dx) as i32,
                            (top + my * module + dy) as i32,
                            255,
                        );
                    }
                }
            }
        }
        let block_top = self.y;
        self.y += side;
        self.grow(self.y);
        self.blocks.push(Block {
            part: Part::Qr,
            top: block_top,
            bottom: self.y,
        });
    }

    pub(crate) fn finish(self) -> Rendered {
        let mut raster = Raster::new(self.width, self.y);
        for y in 0..self.y {
            for x in 0..self.width {
                if self.cover[(y * self.width + x) as usize] >= INK_THRESHOLD {
                    raster.set_black(x, y);
                }
            }
        }
        Rendered {
            raster,
            blocks: self.blocks,
        }
    }
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// ESC/POS for a raster: `ESC @`, the image as `GS v 0` strips, a feed, a full cut.
/// Built through the escpos crate's command queue (`custom`): its `graphics` feature would
/// pull in the whole `image` crate for what is a header and our own bytes.
pub fn escpos_bytes(r: &Raster) -> Vec<u8> {
    let capture = Capture::default();
    let mut p =
        escpos::printer::Printer::new(capture.clone(), escpos::utils::Protocol::default(), None);
    let result = (|| -> escpos::errors::Result<()> {
        p.init()?;
        let mut top = 0;
        while top < r.height {
            let rows = STRIP_ROWS.min(r.height - top);
            p.custom(&raster_strip(r, top, rows))?;
            top += rows;
        }
        p.feeds(4)?.print_cut()?;
        Ok(())
    })();
    // The capture driver cannot fail; an error here would be a bug in the crate.
    if let Err(e) = result {
        tracing::error!(%e, "escpos encoding failed");
    }
    capture.take()
}

/// `GS v 0 m xL xH yL yH d…` for rows `top..top+rows`, normal scale.
pub fn raster_strip(r: &Raster, top: u32, rows: u32) -> Vec<u8> {
    let bytes_wide = r.row_bytes();
    let mut cmd = Vec::with_capacity(8 + bytes_wide * rows as usize);
    cmd.extend_from_slice(&[0x1d, b'v', b'0', 0]);
    cmd.extend_from_slice(&(bytes_wide as u16).to_le_bytes());
    cmd.extend_from_slice(&(rows as u16).to_le_bytes());
    let start = top as usize * bytes_wide;
    cmd.extend_from_slice(&r.bits[start..start + rows as usize * bytes_wide]);
    cmd
}

/// An escpos driver that keeps what is written.
#[derive(Clone, Default)]
struct Capture(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Capture {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl escpos::driver::Driver for Capture {
    fn name(&self) -> String {
        "capture".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// The QR code of a ticket URL, row by row (true: a dark module) with its width in modules:
/// level M, or L when the URL is too long for M. The one code of the screen and the paper.
pub fn qr_modules(url: &str) -> Option<(Vec<bool>, usize)> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .or_else(|_| qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::L));
    let Ok(code) = code else {
        tracing::error!(len = url.len(), "ticket URL too long for a QR code");
        return None;
    };
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((dark, code.width()))
}

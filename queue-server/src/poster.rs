//! `queue-server poster`: the poster for the hall's door and the center's social pages. The
//! center's logo and name, "the service guide" in Arabic and English, the QR code of the guide
//! (`/c` at the center's public address, `[access] public_url`), the address written out for
//! those who type it, and where to take a number. Written as PNG (for the social pages) and
//! PDF (to print), A4 and A3, drawn at 150 dots per inch.
//!
//! Text is shaped by cosmic-text with the fonts compiled into the server (`web-assets`, the
//! same Noto fonts as the kiosk's receipt): the poster looks the same on every machine and
//! needs no font installed. The PDF holds the drawing as one image (pdf-writer): a printer
//! prints it as it is on screen.

use cosmic_text::{
    Align, Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Weight, Wrap,
    fontdb,
};
use hall_core::Names;
use hall_core::i18n::Translator;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Dots per inch of the drawing.
pub const DPI: f32 = 150.0;
const MM_PER_INCH: f32 = 25.4;
/// The ministry's sober green (docs/style.md) and the ink.
const BRAND: [u8; 3] = [0x0b, 0x5d, 0x57];
const INK: [u8; 3] = [0x1b, 0x24, 0x30];
const MUTED: [u8; 3] = [0x5b, 0x66, 0x75];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// A paper size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    pub const ALL: [Paper; 2] = [Paper::A4, Paper::A3];

    /// Width and height in millimetres, portrait.
    pub fn mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
        }
    }

    /// Width and height in dots at `DPI`.
    pub fn dots(self) -> (u32, u32) {
        let (w, h) = self.mm();
        (
            (w / MM_PER_INCH * DPI).round() as u32,
            (h / MM_PER_INCH * DPI).round() as u32,
        )
    }

    /// Width and height in PDF points (1/72 inch).
    pub fn points(self) -> (f32, f32) {
        let (w, h) = self.mm();
        (w / MM_PER_INCH * 72.0, h / MM_PER_INCH * 72.0)
    }

    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A3 => "a3",
        }
    }
}

/// What the poster says and shows.
pub struct Content {
    pub center: Names,
    /// The guide's address: `{public_url}/c`.
    pub guide_url: String,
    /// The logo as PNG bytes.
    pub logo: Option<Vec<u8>>,
}

#[derive(Debug, thiserror::Error)]
pub enum PosterError {
    #[error("the guide's address does not fit a QR code: {0}")]
    Qr(String),
    #[error("the logo is not a PNG this program reads: {0}")]
    Logo(String),
    #[error("PNG: {0}")]
    Png(#[from] png::EncodingError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the fonts compiled into the server are missing")]
    Fonts,
}

/// An RGB drawing.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Picture {
    fn new(width: u32, height: u32) -> Picture {
        Picture {
            width,
            height,
            rgb: vec![0xff; (width * height * 3) as usize],
        }
    }

    /// Blends `color` at coverage `alpha` (0–255) over the dot at (x, y).
    fn blend(&mut self, x: i32, y: i32, color: [u8; 3], alpha: u8) {
        if x < 0 || y < 0 || x as u32 >= self.width || y as u32 >= self.height || alpha == 0 {
            return;
        }
        let i = ((y as u32 * self.width + x as u32) * 3) as usize;
        let a = u32::from(alpha);
        for (dot, new) in self.rgb[i..i + 3].iter_mut().zip(color) {
            *dot = ((u32::from(new) * a + u32::from(*dot) * (255 - a)) / 255) as u8;
        }
    }

    fn fill(&mut self, x0: u32, y0: u32, x1: u32, y1: u32, color: [u8; 3]) {
        for y in y0..y1.min(self.height) {
            for x in x0..x1.min(self.width) {
                self.blend(x as i32, y as i32, color, 255);
            }
        }
    }

    pub fn to_png(&self) -> Result<Vec<u8>, PosterError> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, self.width, self.height);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            // The pixels per metre, so a printer of the PNG gets the size right too.
            let ppm = (DPI / MM_PER_INCH * 1000.0).round() as u32;
            enc.set_pixel_dims(Some(png::PixelDimensions {
                xppu: ppm,
                yppu: ppm,
                unit: png::Unit::Meter,
            }));
            let mut w = enc.write_header()?;
            w.write_image_data(&self.rgb)?;
        }
        Ok(out)
    }

    /// One page of `paper`, the drawing over the whole of it.
    pub fn to_pdf(&self, paper: Paper) -> Vec<u8> {
        use pdf_writer::{Content as Ops, Filter, Finish, Name, Pdf, Rect, Ref};
        let (w, h) = paper.points();
        let (catalog, tree, page, image, content) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
        );
        let name = Name(b"Poster");
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids([page]).count(1);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, w, h));
        p.parent(tree);
        p.contents(content);
        p.resources().x_objects().pair(name, image);
        p.finish();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing to a Vec cannot fail.
        let _ = z.write_all(&self.rgb);
        let data = z.finish().unwrap_or_default();
        let mut img = pdf.image_xobject(image, &data);
        img.filter(Filter::FlateDecode);
        img.width(self.width as i32);
        img.height(self.height as i32);
        img.color_space().device_rgb();
        img.bits_per_component(8);
        img.finish();
        let mut ops = Ops::new();
        ops.save_state();
        ops.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
        ops.x_object(name);
        ops.restore_state();
        pdf.stream(content, &ops.finish());
        pdf.finish()
    }
}

/// One paragraph of the poster: its text, its size at A4, bold or not, its colour, and the
/// space above it at A4.
struct Para<'a> {
    text: &'a str,
    size: f32,
    bold: bool,
    color: [u8; 3],
    gap: f32,
}

impl<'a> Para<'a> {
    fn new(text: &'a str, size: f32, bold: bool, color: [u8; 3], gap: f32) -> Para<'a> {
        Para {
            text,
            size,
            bold,
            color,
            gap,
        }
    }
}

/// Draws posters: holds the fonts (loading them takes a moment).
pub struct Painter {
    fonts: FontSystem,
    glyphs: SwashCache,
}

const LATIN: &str = "Noto Sans";
const ARABIC: &str = "Noto Sans Arabic";

impl Painter {
    pub fn new() -> Result<Painter, PosterError> {
        let mut db = fontdb::Database::new();
        for asset in web_assets::ASSETS
            .iter()
            .filter(|a| a.path.starts_with("fonts/") && a.path.ends_with(".ttf"))
        {
            db.load_font_data(asset.body.to_vec());
        }
        if db.is_empty() {
            return Err(PosterError::Fonts);
        }
        db.set_sans_serif_family(LATIN);
        Ok(Painter {
            fonts: FontSystem::new_with_locale_and_db("ar-EG".into(), db),
            glyphs: SwashCache::new(),
        })
    }

    /// Lays `text` out in a box `width` wide from (x, y) and draws it; returns its height.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        pic: &mut Picture,
        text: &str,
        size: f32,
        bold: bool,
        color: [u8; 3],
        x: u32,
        y: u32,
        width: u32,
        align: Align,
    ) -> u32 {
        let mut buf = Buffer::new(&mut self.fonts, Metrics::new(size, (size * 1.4).ceil()));
        buf.set_size(Some(width as f32), None);
        buf.set_wrap(Wrap::Word);
        let family = if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
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
        buf.shape_until_scroll(&mut self.fonts, false);
        let height = buf
            .layout_runs()
            .map(|r| r.line_top + r.line_height)
            .fold(0.0f32, f32::max)
            .ceil() as u32;
        buf.draw(
            &mut self.fonts,
            &mut self.glyphs,
            Color::rgb(0, 0, 0),
            |gx, gy, w, h, c| {
                for dy in 0..h as i32 {
                    for dx in 0..w as i32 {
                        pic.blend(x as i32 + gx + dx, y as i32 + gy + dy, color, c.a());
                    }
                }
            },
        );
        height
    }

    /// The poster on `paper`.
    pub fn draw(&mut self, content: &Content, paper: Paper) -> Result<Picture, PosterError> {
        let (width, height) = paper.dots();
        let mut pic = Picture::new(width, height);
        // Everything in proportion to the width (A3 is A4 larger).
        let u = width as f32 / 1240.0;
        let px = |v: f32| (v * u).round() as u32;
        let margin = px(80.0);
        let inner = width - 2 * margin;
        let (ar, en) = (Translator::new("ar"), Translator::new("en"));

        // The band: logo on the reading side (Arabic first: the right), the center's name.
        let band = px(330.0);
        pic.fill(0, 0, width, band, BRAND);
        let logo_side = px(210.0);
        let mut text_width = inner;
        if let Some(bytes) = &content.logo {
            let logo = decode_png(bytes)?;
            let left = width - margin - logo_side;
            draw_scaled(&mut pic, &logo, left, (band - logo_side) / 2, logo_side);
            text_width = inner - logo_side - px(40.0);
        }
        // A name given as "center - district" reads better on two lines than cut anywhere.
        let name_ar = content.center.ar.replace(" - ", "\n");
        let band_box = (margin, text_width, Align::Right);
        self.column(
            &mut pic,
            u,
            band_box,
            px(60.0),
            &[
                Para::new(&name_ar, 46.0, true, WHITE, 0.0),
                Para::new(&content.center.en, 30.0, false, WHITE, 12.0),
            ],
        );

        // The title and the line, Arabic then English.
        let page = (margin, inner, Align::Center);
        let (title_ar, title_en) = (ar.tr("poster-title", &[]), en.tr("poster-title", &[]));
        let (scan_ar, scan_en) = (ar.tr("poster-scan", &[]), en.tr("poster-scan", &[]));
        let y = self.column(
            &mut pic,
            u,
            page,
            band + px(80.0),
            &[
                Para::new(&title_ar, 84.0, true, BRAND, 0.0),
                Para::new(&title_en, 48.0, true, BRAND, 0.0),
                Para::new(&scan_ar, 38.0, false, INK, 30.0),
                Para::new(&scan_en, 30.0, false, INK, 6.0),
            ],
        );

        // The code: as large as the space allows, whole modules, its quiet zone white.
        // Level M: a poster is read from a step away, at an angle, sometimes behind glass.
        let (dark, n) = crate::web::qr_modules(&content.guide_url)
            .ok_or_else(|| PosterError::Qr(content.guide_url.clone()))?;
        let n = n as u32;
        let foot = px(330.0);
        // Below the code: the address written out (about 80 dots at A4) and a gap.
        let room = (height - foot - px(130.0))
            .saturating_sub(y + px(40.0))
            .min(px(700.0));
        let module = (room / (n + 8)).max(2);
        let side = n * module;
        let left = (width - side) / 2;
        let top = y + px(40.0) + 4 * module;
        for (i, d) in dark.iter().enumerate() {
            if *d {
                let (mx, my) = (i as u32 % n, i as u32 / n);
                pic.fill(
                    left + mx * module,
                    top + my * module,
                    left + (mx + 1) * module,
                    top + (my + 1) * module,
                    INK,
                );
            }
        }
        // The address, for those who type it (without the scheme: shorter to read).
        let shown = content
            .guide_url
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        self.column(
            &mut pic,
            u,
            page,
            top + side + 4 * module,
            &[Para::new(shown, 36.0, true, INK, 0.0)],
        );

        // The foot: where to take a number.
        let top = height - foot;
        pic.fill(margin, top, width - margin, top + px(4.0), BRAND);
        let (take_ar, take_en) = (
            ar.tr("guide-take-ticket", &[]),
            en.tr("guide-take-ticket", &[]),
        );
        let (app_ar, app_en) = (ar.tr("poster-no-app", &[]), en.tr("poster-no-app", &[]));
        self.column(
            &mut pic,
            u,
            page,
            top + px(50.0),
            &[
                Para::new(&take_ar, 38.0, true, INK, 0.0),
                Para::new(&take_en, 30.0, false, INK, 8.0),
                Para::new(&app_ar, 26.0, false, MUTED, 24.0),
                Para::new(&app_en, 24.0, false, MUTED, 0.0),
            ],
        );
        Ok(pic)
    }

    /// Draws paragraphs one under the other from `y` in a box (left edge, width, alignment),
    /// sizes and gaps given at A4 and scaled by `u`; returns the y below the last.
    fn column(
        &mut self,
        pic: &mut Picture,
        u: f32,
        (x, width, align): (u32, u32, Align),
        y: u32,
        paras: &[Para<'_>],
    ) -> u32 {
        let mut y = y;
        for p in paras {
            y += (p.gap * u).round() as u32;
            y += self.text(pic, p.text, p.size * u, p.bold, p.color, x, y, width, align);
        }
        y
    }
}

/// An RGBA picture decoded from PNG.
struct Rgba {
    width: u32,
    height: u32,
    px: Vec<[u8; 4]>,
}

fn decode_png(bytes: &[u8]) -> Result<Rgba, PosterError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| PosterError::Logo(e.to_string()))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| PosterError::Logo("too large".into()))?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| PosterError::Logo(e.to_string()))?;
    let data = &buf[..info.buffer_size()];
    let px = match info.color_type {
        png::ColorType::Rgba => data
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect(),
        png::ColorType::Rgb => data
            .chunks_exact(3)
            .map(|c| [c[0], c[1], c[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => data
            .chunks_exact(2)
            .map(|c| [c[0], c[0], c[0], c[1]])
            .collect(),
        png::ColorType::Grayscale => data.iter().map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => {
            return Err(PosterError::Logo("an indexed PNG was not expanded".into()));
        }
    };
    Ok(Rgba {
        width: info.width,
        height: info.height,
        px,
    })
}

/// Draws `img` into a square `side` dots wide at (x, y), keeping its proportions (box filter).
fn draw_scaled(pic: &mut Picture, img: &Rgba, x: u32, y: u32, side: u32) {
    let scale = img.width.max(img.height) as f32 / side as f32;
    let (w, h) = (
        (img.width as f32 / scale) as u32,
        (img.height as f32 / scale) as u32,
    );
    let (x, y) = (x + (side - w) / 2, y + (side - h) / 2);
    for dy in 0..h {
        for dx in 0..w {
            let (sx0, sy0) = ((dx as f32 * scale) as u32, (dy as f32 * scale) as u32);
            let (sx1, sy1) = (
                (((dx + 1) as f32 * scale) as u32).clamp(sx0 + 1, img.width),
                (((dy + 1) as f32 * scale) as u32).clamp(sy0 + 1, img.height),
            );
            let (mut acc, mut count) = ([0u32; 4], 0u32);
            for sy in sy0..sy1 {
                for sx in sx0..sx1 {
                    let p = img.px[(sy * img.width + sx) as usize];
                    let a = u32::from(p[3]);
                    for (sum, channel) in acc.iter_mut().zip(&p[..3]) {
                        *sum += u32::from(*channel) * a;
                    }
                    acc[3] += a;
                    count += 1;
                }
            }
            if acc[3] == 0 {
                continue;
            }
            let color = [
                (acc[0] / acc[3]) as u8,
                (acc[1] / acc[3]) as u8,
                (acc[2] / acc[3]) as u8,
            ];
            pic.blend(
                (x + dx) as i32,
                (y + dy) as i32,
                color,
                (acc[3] / count) as u8,
            );
        }
    }
}

/// Writes `poster-a4.png`, `poster-a4.pdf`, `poster-a3.png` and `poster-a3.pdf` into `dir`;
/// returns the files written.
pub fn write_all(content: &Content, dir: &Path) -> Result<Vec<PathBuf>, PosterError> {
    let mut painter = Painter::new()?;
    std::fs::create_dir_all(dir).map_err(|source| PosterError::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let mut written = Vec::new();
    for paper in Paper::ALL {
        let pic = painter.draw(content, paper)?;
        for (ext, bytes) in [("png", pic.to_png()?), ("pdf", pic.to_pdf(paper))] {
            let path = dir.join(format!("poster-{}.{ext}", paper.name()));
            std::fs::write(&path, bytes).map_err(|source| PosterError::Write {
                path: path.display().to_string(),
                source,
            })?;
            written.push(path);
        }
    }
    Ok(written)
}

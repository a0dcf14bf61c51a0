//! The request slip: what a counter's printer gives the citizen who handed in a request.
//!
//! ```text
//! ReceiptRenderer::render_slip(&mut self, &RequestReceipt, &SlipOptions) -> Rendered
//! escpos_bytes(&rendered.raster)          // the same raster path as the ticket receipt
//! ```
//!
//! Top to bottom: the center's name; "Request receipt"; the reference, large (what the
//! citizen types at the kiosk or texts to ask); the service; when it was handed in and the day
//! it should be ready; the QR code to `/r/{reference}` with how to follow it (and the number to
//! text, when the center's messages come from a short code); "keep this slip". No suffix and no
//! phone number is printed: the slip may be lost, the status page asks for the last four
//! digits. The words are in `assets/i18n/*/kiosk.ftl` ("## Request slip").

use crate::receipt::{Canvas, Part, ReceiptRenderer, Rendered, Sizes};
use chrono_tz::Tz;
use cosmic_text::Align;
use hall_core::Digits;
use hall_core::format::Style;
use hall_core::i18n::Translator;
use hall_core::request::RequestReceipt;

#[derive(Clone, Debug)]
pub struct SlipOptions {
    /// `receipt::WIDTH_80MM` or `receipt::WIDTH_58MM`.
    pub width_dots: u32,
    /// "ar" or "en".
    pub lang: String,
    /// The status page, `{public_url}/r/{reference}`: the QR code.
    pub status_url: String,
    /// The number citizens text to ask about a request (the center's SMS short code), if any.
    pub sms_number: Option<String>,
    /// The center's time zone (the request's hand-in time is shown in it).
    pub zone: Tz,
    /// The center's digits for Arabic.
    pub digits: Digits,
}

impl ReceiptRenderer {
    /// A request's slip and where each of its parts was drawn.
    pub fn render_slip(&mut self, r: &RequestReceipt, o: &SlipOptions) -> Rendered {
        let tr = Translator::new(&o.lang);
        let arabic = tr.lang() == "ar";
        let width = o.width_dots.div_ceil(8) * 8;
        let s = Sizes::for_width(width);
        let pick = |n: &hall_core::Names| n.get(tr.lang()).to_string();
        let start = if arabic { Align::Right } else { Align::Left };
        let style = Style::new(&o.lang, o.digits, o.zone);
        // The reference is long ("HEL-26-004821"): half the ticket number's size fits a line.
        let reference_size = (s.number * 0.52).floor();

        let mut c = Canvas::new(width, s.margin);
        c.space(s.gap / 2);
        let center = pick(&r.center_name);
        c.text(
            self,
            Part::CenterName,
            &center,
            s.center,
            true,
            Align::Center,
            3,
        );
        c.rule(s.gap);
        let title = tr.tr("slip-title", &[]);
        c.text(
            self,
            Part::SlipTitle,
            &title,
            s.label,
            false,
            Align::Center,
            1,
        );
        // Digits of a reference stay Latin: it is typed on a keypad and texted as printed.
        c.text(
            self,
            Part::Reference,
            &r.reference,
            reference_size,
            true,
            Align::Center,
            1,
        );
        let service = pick(&r.service_name);
        c.text(
            self,
            Part::ServiceName,
            &service,
            s.service,
            true,
            Align::Center,
            3,
        );
        c.rule(s.gap);
        let submitted = tr.tr(
            "slip-submitted",
            &[("when", style.date_time_of(&tr, r.created_at).into())],
        );
        c.text(
            self,
            Part::SubmittedAt,
            &submitted,
            s.small,
            false,
            start,
            2,
        );
        // The day on a line of its own: it is what the citizen comes back for.
        let ready = format!(
            "{}\n{}",
            tr.tr("slip-expected", &[]),
            style.date(&tr, r.expected_ready)
        );
        c.text(self, Part::ExpectedReady, &ready, s.body, true, start, 3);
        c.space(s.gap);
        c.qr(&o.status_url, s.qr_module);
        let hint = match &o.sms_number {
            Some(n) => tr.tr("slip-hint-sms", &[("number", style.digits(n).into())]),
            None => tr.tr("slip-hint", &[]),
        };
        c.text(
            self,
            Part::SlipHint,
            &hint,
            s.small,
            false,
            Align::Center,
            3,
        );
        c.rule(s.gap);
        let keep = tr.tr("slip-keep", &[]);
        c.text(self, Part::Keep, &keep, s.small, false, Align::Center, 2);
        c.space(s.gap);
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::{WIDTH_58MM, WIDTH_80MM};
    use chrono::TimeZone;
    use hall_core::Names;

    fn names(ar: &str, en: &str) -> Names {
        Names {
            ar: ar.into(),
            en: en.into(),
        }
    }

    fn receipt() -> RequestReceipt {
        RequestReceipt {
            reference: "HEL-26-004821".into(),
            service: "CIT-BIRTH".into(),
            service_name: names("استخراج شهادة ميلاد", "Birth certificate"),
            center_name: names(
                "المركز التكنولوجي لخدمة المواطنين - حي مصر الجديدة",
                "Citizen Service Technology Center - Heliopolis District",
            ),
            ticket_label: "A-004".into(),
            created_at: chrono::Utc.with_ymd_and_hms(2026, 12, 6, 8, 42, 0).unwrap(),
            expected_ready: chrono::NaiveDate::from_ymd_opt(2026, 12, 13).unwrap(),
            status_path: "/r/HEL-26-004821".into(),
        }
    }

    #[test]
    fn every_part_in_order_the_reference_on_one_line_and_the_details_from_the_readers_side() {
        let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets");
        let mut r = ReceiptRenderer::new(&assets).unwrap();
        for width in [WIDTH_80MM, WIDTH_58MM] {
            for lang in ["ar", "en"] {
                let o = SlipOptions {
                    width_dots: width,
                    lang: lang.into(),
                    status_url: "https://heliopolis.example.gov.eg/r/HEL-26-004821".into(),
                    sms_number: Some("15999".into()),
                    zone: chrono_tz::Africa::Cairo,
                    digits: Digits::Arabic,
                };
                let slip = r.render_slip(&receipt(), &o);
                let parts: Vec<Part> = slip.blocks.iter().map(|b| b.part).collect();
                assert_eq!(
                    parts,
                    [
                        Part::CenterName,
                        Part::SlipTitle,
                        Part::Reference,
                        Part::ServiceName,
                        Part::SubmittedAt,
                        Part::ExpectedReady,
                        Part::Qr,
                        Part::SlipHint,
                        Part::Keep
                    ],
                    "{width} {lang}"
                );
                let s = Sizes::for_width(width);
                let reference = slip.block(Part::Reference).unwrap();
                let line = (s.number * 0.52).floor() * 1.35;
                assert!(
                    ((reference.bottom - reference.top) as f32) < line * 1.5,
                    "{width} {lang}: the reference wraps"
                );
                let (left, right) = slip
                    .raster
                    .ink_columns(reference.top, reference.bottom)
                    .unwrap();
                assert!(
                    left >= s.margin && right < width - s.margin,
                    "{width} {lang}"
                );
                // The expected day starts where the reader starts.
                let ready = slip.block(Part::ExpectedReady).unwrap();
                let (left, right) = slip.raster.ink_columns(ready.top, ready.bottom).unwrap();
                if lang == "ar" {
                    assert!(right >= width - s.margin - 4, "{width}: {right}");
                } else {
                    assert!(left <= s.margin + 4, "{width}: {left}");
                }
                for b in &slip.blocks {
                    assert!(
                        slip.raster.ink(b.top, b.bottom) > 0,
                        "{:?} is blank",
                        b.part
                    );
                }
            }
        }
    }
}

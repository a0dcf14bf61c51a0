//! The printed receipt as a citizen would see it: the right size for the paper, a QR code a
//! phone reads back to the ticket page, Arabic actually drawn and right-aligned, and ESC/POS
//! bytes a printer takes.

use chrono::TimeZone;
use hall_core::i18n::Translator;
use hall_core::{Names, Priority, TicketId};
use hall_wire::TicketReceipt;
use kiosk::receipt::{
    Part, Raster, ReceiptOptions, ReceiptRenderer, Rendered, WIDTH_58MM, WIDTH_80MM, escpos_bytes,
};
use std::path::Path;

fn assets() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets"))
}

fn names(ar: &str, en: &str) -> Names {
    Names {
        ar: ar.into(),
        en: en.into(),
    }
}

fn ticket(documents: usize) -> TicketReceipt {
    let docs = [
        names("صورة بطاقة الرقم القومي", "Copy of national ID card"),
        names("شهادة الميلاد الأصلية", "Original birth certificate"),
        names("إيصال الكهرباء", "Electricity bill"),
    ];
    TicketReceipt {
        id: TicketId(57),
        label: "A-004".into(),
        service: "CIT-BIRTH".into(),
        service_name: names("استخراج شهادة ميلاد", "Birth certificate"),
        priority: Priority::Elderly,
        issued_at: chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 7, 42, 10)
            .unwrap(),
        token: "3f9c0a1b2c3d4e5f60718293a4b5c6d7".into(),
        people_ahead: 3,
        estimated_wait_secs: Some(14 * 60),
        wait_low_secs: Some(10 * 60 + 20),
        wait_high_secs: Some(18 * 60 + 30),
        documents: docs.iter().cycle().take(documents).cloned().collect(),
        center_name: names(
            "المركز التكنولوجي لخدمة المواطنين - حي مصر الجديدة",
            "Heliopolis District Technology Center for Citizen Services",
        ),
        fee_piasters: Some(5000),
        page_url: None,
    }
}

const URL: &str = "http://192.168.1.10:8740/t/3f9c0a1b2c3d4e5f60718293a4b5c6d7";

fn options(width: u32, lang: &str, minute: u32) -> ReceiptOptions {
    ReceiptOptions {
        width_dots: width,
        lang: lang.into(),
        ticket_url: URL.into(),
        printed_at: chrono_tz::Africa::Cairo
            .with_ymd_and_hms(2026, 11, 22, 9, minute, 0)
            .unwrap(),
        digits: hall_core::Digits::Arabic,
    }
}

fn render(r: &mut ReceiptRenderer, width: u32, lang: &str, docs: usize) -> Rendered {
    r.render_layout(&ticket(docs), &options(width, lang, 42))
}

/// Every QR code in the raster, decoded.
fn qr_texts(raster: &Raster) -> Vec<String> {
    testkit::qr::decode(raster.width, raster.height, |x, y| raster.is_black(x, y))
}

#[test]
fn receipts_are_as_wide_as_the_paper_and_as_tall_as_their_content() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    for (width, lang) in [
        (WIDTH_80MM, "ar"),
        (WIDTH_80MM, "en"),
        (WIDTH_58MM, "ar"),
        (WIDTH_58MM, "en"),
    ] {
        let out = render(&mut r, width, lang, 2);
        let raster = &out.raster;
        // TABOUR_SCREENSHOTS=DIR keeps the images, to look at.
        if let Some(dir) = testkit::center::screenshots_dir() {
            let path = dir.join(format!("receipt-kiosk-{lang}-{width}.png"));
            std::fs::write(path, raster.to_png().unwrap()).unwrap();
        }
        assert_eq!(raster.width, width, "{lang}");
        assert_eq!(raster.bits.len(), (width / 8 * raster.height) as usize);
        // A receipt, not a strip and not a scroll: between 8 and 35 cm at 203 dpi.
        assert!(
            (640..2800).contains(&raster.height),
            "{lang} {width}: {}",
            raster.height
        );
        // Nothing drawn below the content.
        let last = out.blocks.last().unwrap();
        assert!(last.bottom <= raster.height);
        assert_eq!(raster.ink(last.bottom, raster.height), 0);
    }
}

#[test]
fn the_qr_code_reads_back_as_the_ticket_page_on_both_papers_and_languages() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    for width in [WIDTH_80MM, WIDTH_58MM] {
        for lang in ["ar", "en"] {
            let out = render(&mut r, width, lang, 2);
            assert_eq!(
                qr_texts(&out.raster),
                vec![URL.to_string()],
                "{lang} {width}"
            );
            // Big enough to scan from paper: at least 20 mm (160 dots at 203 dpi) square, with
            // its white quiet zone.
            let qr = out.block(Part::Qr).unwrap();
            assert!(
                qr.bottom - qr.top >= 160,
                "{lang} {width}: {}",
                qr.bottom - qr.top
            );
            let (left, right) = out.raster.ink_columns(qr.top, qr.bottom).unwrap();
            assert!(right - left + 1 >= 140);
            let module = (qr.bottom - qr.top) / 41; // version 4 + 8 quiet modules
            assert_eq!(
                out.raster.ink(qr.top, qr.top + 4 * module - 1),
                0,
                "quiet zone"
            );
            // Centred within a few dots.
            let mid = (left + right) / 2;
            assert!(mid.abs_diff(width / 2) <= 8, "{lang} {width}: centre {mid}");
        }
    }
}

#[test]
fn arabic_lines_are_drawn_and_right_aligned_english_left_aligned() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    for width in [WIDTH_80MM, WIDTH_58MM] {
        let ar = render(&mut r, width, "ar", 1);
        let en = render(&mut r, width, "en", 1);
        for out in [&ar, &en] {
            for part in [
                Part::CenterName,
                Part::TicketNumber,
                Part::ServiceName,
                Part::PeopleAhead,
                Part::Wait,
                Part::PrintedAt,
            ] {
                let b = out.block(part).unwrap();
                assert!(out.raster.ink(b.top, b.bottom) > 200, "{part:?} has no ink");
            }
        }
        // "أمامك 3 أشخاص" is short: it hugs the right margin in Arabic, the left in English.
        let b = ar.block(Part::PeopleAhead).unwrap();
        let (left, right) = ar.raster.ink_columns(b.top, b.bottom).unwrap();
        assert!(
            right >= width - 24,
            "Arabic line ends at {right} of {width}"
        );
        assert!(left > width / 3, "Arabic line starts at {left}");
        let b = en.block(Part::PeopleAhead).unwrap();
        let (left, right) = en.raster.ink_columns(b.top, b.bottom).unwrap();
        assert!(left <= 24, "English line starts at {left}");
        assert!(right < width * 2 / 3 + 40, "English line ends at {right}");
        // The Arabic and English receipts differ in their text, not only their alignment.
        assert_ne!(ar.raster, en.raster);
    }
}

#[test]
fn the_ticket_number_is_the_largest_text_on_the_receipt() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    for width in [WIDTH_80MM, WIDTH_58MM] {
        let out = render(&mut r, width, "ar", 1);
        let number = out.block(Part::TicketNumber).unwrap();
        let number_h = number.bottom - number.top;
        for b in &out.blocks {
            if b.part != Part::TicketNumber && b.part != Part::Qr {
                assert!(
                    b.bottom - b.top < number_h,
                    "{:?} taller than the number",
                    b.part
                );
            }
        }
        // At least 9 mm tall on paper.
        assert!(number_h >= 72, "{number_h}");
    }
}

#[test]
fn every_document_is_printed_in_full_however_long_the_list() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    for lang in ["ar", "en"] {
        let one = render(&mut r, WIDTH_58MM, lang, 1);
        let two = render(&mut r, WIDTH_58MM, lang, 2);
        let many = render(&mut r, WIDTH_58MM, lang, 12);
        if let Some(dir) = testkit::center::screenshots_dir() {
            let path = dir.join(format!("receipt-kiosk-{lang}-384-long-list.png"));
            std::fs::write(path, many.raster.to_png().unwrap()).unwrap();
        }
        let h = |o: &Rendered| {
            let b = o.block(Part::Documents).unwrap();
            b.bottom - b.top
        };
        // Nothing is cut: each document adds at least its own line, so twelve take at least
        // eleven lines more than one (a line being what the second document added).
        let line = h(&two) - h(&one);
        assert!(line >= 15, "{lang}: a document's line is {line} dots");
        assert!(
            h(&many) >= h(&one) + 10 * line,
            "{lang}: {} vs {} (+{line} a line)",
            h(&many),
            h(&one)
        );
        assert_eq!(qr_texts(&many.raster), vec![URL.to_string()]);
    }
}

#[test]
fn the_time_printed_is_the_time_passed_in_and_rendering_is_repeatable() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    let t = ticket(1);
    let a = r.render(&t, &options(WIDTH_80MM, "en", 42));
    let b = r.render(&t, &options(WIDTH_80MM, "en", 42));
    let c = r.render(&t, &options(WIDTH_80MM, "en", 43));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn escpos_bytes_initialize_send_the_raster_in_strips_feed_and_cut() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    let raster = r.render(&ticket(2), &options(WIDTH_58MM, "ar", 42));
    let bytes = escpos_bytes(&raster);
    assert_eq!(&bytes[..2], b"\x1b@", "ESC @ first");
    let mut at = 2;
    let mut rows = 0u32;
    let mut image = Vec::new();
    while bytes[at..].starts_with(b"\x1dv0\x00") {
        let x = u16::from_le_bytes([bytes[at + 4], bytes[at + 5]]) as u32;
        let y = u16::from_le_bytes([bytes[at + 6], bytes[at + 7]]) as u32;
        assert_eq!(x, WIDTH_58MM / 8);
        assert!((1..=256).contains(&y));
        let len = (x * y) as usize;
        image.extend_from_slice(&bytes[at + 8..at + 8 + len]);
        at += 8 + len;
        rows += y;
    }
    assert_eq!(rows, raster.height);
    assert_eq!(image, raster.bits, "the strips carry the raster unchanged");
    assert_eq!(
        &bytes[at..],
        b"\x1bd\x04\x1dVA\x00",
        "feed 4 lines, then cut"
    );
}

#[test]
fn png_output_round_trips_the_raster() {
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    let raster = r.render(&ticket(1), &options(WIDTH_58MM, "en", 42));
    let png = raster.to_png().unwrap();
    assert_eq!(&png[1..4], b"PNG");
    assert_eq!(Raster::from_png(&png).unwrap(), raster);
}

#[test]
fn missing_fonts_are_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = ReceiptRenderer::new(dir.path()).err().unwrap().to_string();
    assert!(err.contains("NotoSans-Regular.ttf"), "{err}");
}

#[test]
fn the_wait_line_prints_the_models_range_in_both_languages() {
    let t = ticket(1);
    let w = t.wait().unwrap();
    assert_eq!(
        Translator::new("en").tr(
            "receipt-wait",
            &[("wait", Translator::new("en").wait(&w).into())]
        ),
        "Estimated wait: 10–19 min"
    );
    let ar = Translator::new("ar");
    assert_eq!(ar.wait(&w), "10–19 دقيقة");
    // A range whose top is 3–10 minutes takes the plural noun.
    let short = hall_forecast::WaitRange {
        ahead: 1,
        expected_secs: 240,
        low_secs: 130,
        high_secs: 470,
    };
    assert_eq!(ar.wait(&short), "2–8 دقائق");
    // The receipt draws that line: with the range it differs from the single figure.
    let mut r = ReceiptRenderer::new(assets()).unwrap();
    for lang in ["ar", "en"] {
        let ranged = r.render_layout(&t, &options(WIDTH_80MM, lang, 42));
        let single = TicketReceipt {
            wait_low_secs: None,
            wait_high_secs: None,
            ..t.clone()
        };
        let plain = r.render_layout(&single, &options(WIDTH_80MM, lang, 42));
        let (a, b) = (
            ranged.block(Part::Wait).unwrap(),
            plain.block(Part::Wait).unwrap(),
        );
        let rows = |out: &Rendered, blk: kiosk::receipt::Block| {
            out.raster.bits[(blk.top * out.raster.width / 8) as usize
                ..(blk.bottom * out.raster.width / 8) as usize]
                .to_vec()
        };
        assert!(
            ranged.raster.ink(a.top, a.bottom) > 200,
            "{lang}: the wait line has ink"
        );
        assert_ne!(
            rows(&ranged, a),
            rows(&plain, b),
            "{lang}: the range is printed"
        );
    }
}

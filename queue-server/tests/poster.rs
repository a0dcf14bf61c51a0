//! `queue-server poster`: the four files, their paper sizes, and the QR code read back from
//! the drawing as a phone's camera would read it: it opens the guide at the public address.

use hall_wire::center_file::{SAMPLE_CENTER, SAMPLE_LOGO};
use std::path::Path;

fn run(args: &[&str]) -> String {
    format!(
        "{:?}",
        queue_server::cli::main(std::iter::once("queue-server").chain(args.iter().copied()))
    )
}

fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn the_poster_comes_in_a4_and_a3_and_its_code_opens_the_guide() {
    let dir = tempfile::tempdir().unwrap();
    let center = dir.path().join("center.toml");
    std::fs::write(
        &center,
        format!("{SAMPLE_CENTER}\n[access]\npublic_url = \"https://heliopolis.example.gov.eg/\"\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("heliopolis-logo.png"), SAMPLE_LOGO).unwrap();
    let out = dir.path().join("out");
    let (c, o) = (center.to_str().unwrap(), out.to_str().unwrap());
    assert_eq!(
        run(&["poster", "--config", c, "--out", o]),
        "ExitCode(unix_exit_status(0))"
    );

    for (paper, dots, points) in [
        // 210 × 297 mm and 297 × 420 mm in points.
        ("a4", (1240, 1754), "/MediaBox [0 0 595.2756 841.8898"),
        ("a3", (1754, 2480), "/MediaBox [0 0 841.8898"),
    ] {
        let (w, h, rgb) = read_png(&out.join(format!("poster-{paper}.png")));
        assert_eq!((w, h), dots, "{paper} at 150 dpi");
        let dark = |x: u32, y: u32| {
            let i = ((y * w + x) * 3) as usize;
            u32::from(rgb[i]) + u32::from(rgb[i + 1]) + u32::from(rgb[i + 2]) < 384
        };
        assert_eq!(
            testkit::qr::decode(w, h, dark),
            ["https://heliopolis.example.gov.eg/c"],
            "{paper}"
        );
        // The logo's gold dot is on the band, at the reading side (the right).
        let gold = (w / 2..w)
            .flat_map(|x| (0..h / 5).map(move |y| (x, y)))
            .any(|(x, y)| {
                let i = ((y * w + x) * 3) as usize;
                rgb[i] > 0xd0 && rgb[i + 1] > 0x90 && rgb[i + 2] < 0x60
            });
        assert!(gold, "{paper}: the logo is drawn");
        let pdf = std::fs::read(out.join(format!("poster-{paper}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        let media: String = text
            .find("/MediaBox")
            .map(|i| text[i..].chars().take(50).collect())
            .unwrap_or_default();
        assert!(text.contains(points), "{paper}: {media}");
        assert!(text.contains(&format!("/Width {}", dots.0)), "{paper}");
        assert!(text.contains("/FlateDecode"));
    }

    if let Some(shots) = testkit::center::screenshots_dir() {
        for f in ["poster-a4.png", "poster-a3.png"] {
            std::fs::copy(out.join(f), shots.join(f)).unwrap();
        }
    }

    // `--url` names another address; without any, the command says what it needs.
    let other = dir.path().join("other");
    let sample_out = other.to_str().unwrap();
    assert_eq!(
        run(&[
            "poster",
            "--url",
            "http://192.168.10.5:8740",
            "--out",
            sample_out
        ]),
        "ExitCode(unix_exit_status(0))"
    );
    let (w, h, rgb) = read_png(&other.join("poster-a4.png"));
    let dark = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        u32::from(rgb[i]) + u32::from(rgb[i + 1]) + u32::from(rgb[i + 2]) < 384
    };
    assert_eq!(
        testkit::qr::decode(w, h, dark),
        ["http://192.168.10.5:8740/c"]
    );
    assert_eq!(
        run(&["poster", "--out", sample_out]),
        "ExitCode(unix_exit_status(2))"
    );
    assert_eq!(
        run(&["poster", "--url", "heliopolis", "--out", sample_out]),
        "ExitCode(unix_exit_status(2))"
    );
}

//! The committed placeholder voice pack, and announcements rendered from it, measured.

use display_board::announce::{self, Lang, Step, VoicePack};
use std::path::Path;

fn pack() -> VoicePack {
    VoicePack::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/voice"))
}

#[test]
fn every_clip_of_the_manifest_is_there_audible_and_in_one_format() {
    let pack = pack();
    let mut rates = std::collections::BTreeSet::new();
    for spec in announce::manifest() {
        let name = spec.name;
        let clip = pack.clip(&name).unwrap_or_else(|e| panic!("{e}"));
        rates.insert(clip.sample_rate);
        assert!(
            clip.seconds() > 0.1 && clip.seconds() < 3.0,
            "{name}: {:.2} s",
            clip.seconds()
        );
        assert!(
            clip.rms() > 0.02,
            "{name} is nearly silent (RMS {:.3})",
            clip.rms()
        );
    }
    assert_eq!(
        rates.len(),
        1,
        "one sample rate for the whole pack: {rates:?}"
    );
}

#[test]
fn a_call_renders_in_arabic_then_english_and_each_part_is_heard() {
    let pack = pack();
    let both = pack
        .render(&announce::plan("A-123", 5, &[Lang::Ar, Lang::En]))
        .unwrap();
    let ar = pack
        .render(&announce::plan("A-123", 5, &[Lang::Ar]))
        .unwrap();
    let en = pack
        .render(&announce::plan("A-123", 5, &[Lang::En]))
        .unwrap();
    let chime = pack.render(&announce::plan("A-123", 5, &[])).unwrap();
    assert!(
        chime.seconds() > 0.5 && chime.seconds() < 1.5,
        "chime {:.2} s",
        chime.seconds()
    );
    assert!(
        ar.seconds() > chime.seconds() + 2.0,
        "Arabic sentence {:.2} s",
        ar.seconds()
    );
    assert!(
        en.seconds() > chime.seconds() + 2.0,
        "English sentence {:.2} s",
        en.seconds()
    );
    // The two-language call is the chime plus both sentences, nothing lost or doubled.
    // (Each single-language render holds the chime and the gap before its sentence.)
    let expected = ar.seconds() + en.seconds() - chime.seconds();
    assert!(
        (both.seconds() - expected).abs() < 0.01,
        "{:.3} vs {:.3}",
        both.seconds(),
        expected
    );
    assert!(both.rms() > 0.05, "not silent: RMS {:.3}", both.rms());
    // Speech fills most of it: at most a third is near-silence (pauses between words).
    let quiet = both
        .samples
        .chunks(220)
        .filter(|w| w.iter().all(|s| s.unsigned_abs() < 300))
        .count();
    let windows = both.samples.len().div_ceil(220);
    assert!(
        quiet * 3 < windows,
        "{quiet} of {windows} 10 ms windows are silent"
    );
}

#[test]
fn a_bigger_number_takes_longer_to_say() {
    let pack = pack();
    let say = |label: &str| {
        pack.render(&announce::sentence(Lang::Ar, label, 1))
            .unwrap()
            .seconds()
    };
    assert!(
        say("A-999") > say("A-1"),
        "A-999 {:.2} s, A-1 {:.2} s",
        say("A-999"),
        say("A-1")
    );
}

#[test]
fn rendering_writes_a_wav_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("call.wav");
    let audio = pack()
        .render(&announce::plan("C-042", 12, &[Lang::En, Lang::Ar]))
        .unwrap();
    audio.write_wav(&out).unwrap();
    let back = hound::WavReader::open(&out).unwrap();
    assert_eq!(back.spec().sample_rate, audio.sample_rate);
    assert_eq!(back.len() as usize, audio.samples.len());
}

#[test]
fn a_missing_clip_is_named_not_skipped() {
    let err = pack()
        .render(&[Step::Clip("ar/num/1000".into())])
        .unwrap_err();
    assert!(err.to_string().contains("ar/num/1000"), "{err}");
}

#[test]
fn docs_voice_md_lists_every_clip() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/voice.md"))
            .unwrap();
    for spec in announce::manifest() {
        let name = spec.name;
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/voice.md does not list {name}"
        );
    }
}

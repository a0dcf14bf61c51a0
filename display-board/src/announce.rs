//! Announcements: which recorded clips say "ticket A-123, counter 5", in Arabic and English,
//! and rendering them to one sound.
//!
//! Pure planning first: `plan` turns a call into a list of steps (clip names and pauses).
//! The clip names are the voice pack's file names (`<lang>/<kind>/<name>.wav` under
//! `assets/voice/`); `manifest` lists every one with the text a placeholder voice reads, so a
//! human-recorded pack knows exactly what to record. Arabic is said as a hall in Egypt says
//! it: "رقم إيه مئة وواحد، تفضل إلى الشباك رقم اثنين" (a courtesy verb, as
//! the English "please go to"); numbers in the spoken
//! (oblique) form an Egyptian ear expects, not the stiff nominative ("اثنين", "اثني عشر",
//! "عشرين", "مئتين"; not "اثنان", "عشرون"); units before tens joined by "و" ("ثلاثة وعشرين"),
//! hundreds first ("مئة وثلاثة وعشرين"), compound 11–19 ("أحد عشر").

use std::path::{Path, PathBuf};

/// The languages of the voice (shared with the screen: `hall_ui::Lang`).
pub use hall_ui::Lang;

/// One step of an announcement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A clip by name, e.g. "ar/num/and-20".
    Clip(String),
    /// Silence, in milliseconds.
    Pause(u32),
}

/// Silence between the words of one phrase ("A", "one hundred", "and twenty").
pub const WORD_GAP_MS: u32 = 40;
/// Silence between the ticket and the counter phrase: the listener hears where the number
/// ends ("… A one hundred and one, | please go to counter two").
pub const PHRASE_GAP_MS: u32 = 300;
/// Silence after the chime and between languages.
pub const SENTENCE_GAP_MS: u32 = 450;

pub const CHIME: &str = "chime";

fn clip(lang: Lang, kind: &str, name: impl std::fmt::Display) -> String {
    format!("{}/{kind}/{name}", lang.code())
}

/// Arabic cardinal below 100 as the numbers whose clips say it, in spoken order:
/// 23 → [3, 20] ("ثلاثة وعشرون"), 11 → [11] ("أحد عشر"), 40 → [40].
fn ar_below_100(r: u32) -> Vec<u32> {
    match r {
        0 => vec![],
        1..=19 => vec![r],
        _ if r.is_multiple_of(10) => vec![r],
        _ => vec![r % 10, r - r % 10],
    }
}

/// The clips that say a number. 0–999 as words; larger numbers digit by digit.
pub fn number_clips(lang: Lang, n: u32) -> Vec<String> {
    if n == 0 {
        return vec![clip(lang, "num", 0)];
    }
    if n > 999 {
        return n
            .to_string()
            .chars()
            .map(|d| clip(lang, "num", d))
            .collect();
    }
    let (h, r) = (n / 100, n % 100);
    let mut out = Vec::new();
    match lang {
        Lang::Ar => {
            if h > 0 {
                out.push(clip(lang, "num", h * 100));
            }
            for w in ar_below_100(r) {
                // Every word after the first is joined with "و" ("and"), recorded as one clip.
                let name = if out.is_empty() {
                    w.to_string()
                } else {
                    format!("and-{w}")
                };
                out.push(clip(lang, "num", name));
            }
        }
        Lang::En => {
            if h > 0 {
                out.push(clip(lang, "num", h));
                out.push(clip(lang, "word", "hundred"));
            }
            match r {
                0 => {}
                1..=19 => out.push(clip(lang, "num", r)),
                _ => {
                    out.push(clip(lang, "num", r - r % 10));
                    if r % 10 > 0 {
                        out.push(clip(lang, "num", r % 10));
                    }
                }
            }
        }
    }
    out
}

/// The clips that say a ticket label: its letters, then its number ("A-007" → A, 7).
pub fn label_clips(lang: Lang, label: &str) -> Vec<String> {
    let mut out: Vec<String> = label
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| clip(lang, "letter", c.to_ascii_lowercase()))
        .collect();
    let digits: String = label.chars().filter(char::is_ascii_digit).collect();
    if let Ok(n) = digits.parse::<u32>() {
        out.extend(number_clips(lang, n));
    }
    out
}

/// "Ticket A-123, counter 5" in one language.
pub fn sentence(lang: Lang, label: &str, counter: u32) -> Vec<Step> {
    let mut ticket = vec![clip(lang, "word", "ticket")];
    ticket.extend(label_clips(lang, label));
    let mut to_counter = vec![clip(lang, "word", "counter")];
    to_counter.extend(number_clips(lang, counter));
    let mut steps = Vec::with_capacity((ticket.len() + to_counter.len()) * 2);
    for (p, phrase) in [ticket, to_counter].into_iter().enumerate() {
        for (i, w) in phrase.into_iter().enumerate() {
            match (p, i) {
                (0, 0) => {}
                (_, 0) => steps.push(Step::Pause(PHRASE_GAP_MS)),
                _ => steps.push(Step::Pause(WORD_GAP_MS)),
            }
            steps.push(Step::Clip(w));
        }
    }
    steps
}

/// The whole announcement of a call: a chime, then each language in order (none: chime only).
pub fn plan(label: &str, counter: u32, langs: &[Lang]) -> Vec<Step> {
    let mut steps = vec![Step::Clip(CHIME.into())];
    for lang in langs {
        steps.push(Step::Pause(SENTENCE_GAP_MS));
        steps.extend(sentence(*lang, label, counter));
    }
    steps
}

const AR_LETTERS: [(char, &str); 26] = [
    ('a', "إيه"),
    ('b', "بي"),
    ('c', "سي"),
    ('d', "دي"),
    ('e', "إي"),
    ('f', "إف"),
    ('g', "جي"),
    ('h', "إتش"),
    ('i', "آي"),
    ('j', "جيه"),
    ('k', "كيه"),
    ('l', "إل"),
    ('m', "إم"),
    ('n', "إن"),
    ('o', "أو"),
    ('p', "پي"),
    ('q', "كيو"),
    ('r', "آر"),
    ('s', "إس"),
    ('t', "تي"),
    ('u', "يو"),
    ('v', "ڤي"),
    ('w', "دبليو"),
    ('x', "إكس"),
    ('y', "واي"),
    ('z', "زد"),
];

const AR_UNITS: [&str; 20] = [
    "صفر",
    "واحد",
    "اثنين",
    "ثلاثة",
    "أربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
    "عشرة",
    "أحد عشر",
    "اثني عشر",
    "ثلاثة عشر",
    "أربعة عشر",
    "خمسة عشر",
    "ستة عشر",
    "سبعة عشر",
    "ثمانية عشر",
    "تسعة عشر",
];
const AR_TENS: [&str; 10] = [
    "",
    "",
    "عشرين",
    "ثلاثين",
    "أربعين",
    "خمسين",
    "ستين",
    "سبعين",
    "ثمانين",
    "تسعين",
];
const AR_HUNDREDS: [&str; 10] = [
    "",
    "مئة",
    "مئتين",
    "ثلاثمئة",
    "أربعمئة",
    "خمسمئة",
    "ستمئة",
    "سبعمئة",
    "ثمانمئة",
    "تسعمئة",
];
const EN_UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The word a number clip says (0–19, tens, hundreds).
fn number_word(lang: Lang, n: u32) -> String {
    let n = n as usize;
    match (lang, n) {
        (Lang::Ar, 0..=19) => AR_UNITS[n].into(),
        (Lang::Ar, _) if n < 100 => AR_TENS[n / 10].into(),
        (Lang::Ar, _) => AR_HUNDREDS[n / 100].into(),
        (Lang::En, 0..=19) => EN_UNITS[n].into(),
        (Lang::En, _) => EN_TENS[n / 10].into(),
    }
}

/// What the placeholder voice (espeak-ng) reads for an Arabic number whose spoken form it
/// would otherwise get wrong: given digits it reads the nominative ("اثنان"), and unvowelled
/// words it misreads, so these are written out with their vowels.
fn ar_tts(n: u32) -> Option<&'static str> {
    Some(match n {
        2 => "إِثْنَيْن",
        12 => "إِثْنَيْ عَشَر",
        20 => "عِشْرِين",
        30 => "ثَلَاثِين",
        40 => "أَرْبَعِين",
        50 => "خَمْسِين",
        60 => "سِتِّين",
        70 => "سَبْعِين",
        80 => "ثَمَانِين",
        90 => "تِسْعِين",
        200 => "مِئَتَيْن",
        _ => return None,
    })
}

/// A clip a voice pack provides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClipSpec {
    /// File name without `.wav`, e.g. "ar/num/and-20".
    pub name: String,
    /// Language of the speech engine for the placeholder ("" for the chime).
    pub lang: &'static str,
    /// What the placeholder voice is given to read.
    pub tts_text: String,
    /// What the clip says, for a person recording the pack.
    pub says: String,
}

/// Every clip a voice pack must provide, with the text the placeholder voice reads. Arabic
/// numbers are given as digits: espeak-ng reads digits as correct Modern Standard Arabic
/// ("300" → ثلاثمائة) but misreads unvowelled number words ("مئة" comes out as "m?t").
/// (clip name, language code for the speech engine, text)
pub fn manifest() -> Vec<ClipSpec> {
    let spec = |name: String, lang: &'static str, tts: String, says: String| ClipSpec {
        name,
        lang,
        tts_text: tts,
        says,
    };
    let mut m = vec![spec(
        CHIME.into(),
        "",
        String::new(),
        "two tones, 880 Hz then 660 Hz".into(),
    )];
    // A word clip says exactly what the placeholder voice reads.
    let word = |lang: Lang, name: &str, text: &str| {
        spec(
            clip(lang, "word", name),
            lang.code(),
            text.into(),
            text.into(),
        )
    };
    // Arabic.
    let ar = Lang::Ar;
    m.push(word(ar, "ticket", "رقم"));
    m.push(word(ar, "counter", "تفضل إلى الشباك رقم"));
    let ar_numbers = (0..=19)
        .chain((20..=90).step_by(10))
        .chain((100..=900).step_by(100));
    for n in ar_numbers {
        m.push(spec(
            clip(ar, "num", n),
            "ar",
            ar_tts(n).map_or_else(|| n.to_string(), str::to_string),
            number_word(ar, n),
        ));
    }
    for n in (1..=19).chain((20..=90).step_by(10)) {
        m.push(spec(
            clip(ar, "num", format!("and-{n}")),
            "ar",
            ar_tts(n).map_or_else(|| format!("و {n}"), |t| format!("وَ{t}")),
            format!("و{}", number_word(ar, n)),
        ));
    }
    for (c, name) in AR_LETTERS {
        m.push(spec(clip(ar, "letter", c), "ar", name.into(), name.into()));
    }
    // English.
    let en = Lang::En;
    m.push(word(en, "ticket", "Ticket"));
    m.push(word(en, "counter", "please go to counter"));
    m.push(word(en, "hundred", "hundred"));
    for n in (0..=19).chain((20..=90).step_by(10)) {
        m.push(spec(
            clip(en, "num", n),
            "en",
            n.to_string(),
            number_word(en, n),
        ));
    }
    for c in 'a'..='z' {
        let letter = c.to_ascii_uppercase().to_string();
        m.push(spec(clip(en, "letter", c), "en", letter.clone(), letter));
    }
    m
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the voice pack has no clip {0} (expected {1})")]
    MissingClip(String, PathBuf),
    #[error("clip {0}: {1}")]
    BadClip(String, hound::Error),
    #[error(
        "clip {name} is {got}, but the pack's clips are {want}: all clips must share one format"
    )]
    MixedFormat {
        name: String,
        got: String,
        want: String,
    },
    #[error("writing {0}: {1}")]
    Write(PathBuf, hound::Error),
}

/// Mono 16-bit audio.
#[derive(Clone, Debug, PartialEq)]
pub struct Audio {
    pub sample_rate: u32,
    pub samples: Vec<i16>,
}

impl Audio {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.sample_rate)
    }

    /// Root mean square level, 0.0 (silence) to 1.0.
    pub fn rms(&self) -> f64 {
        if self.samples.is_empty() {
            return 0.0;
        }
        let sum: f64 = self
            .samples
            .iter()
            .map(|s| (f64::from(*s) / 32768.0).powi(2))
            .sum();
        (sum / self.samples.len() as f64).sqrt()
    }

    pub fn write_wav(&self, path: &Path) -> Result<(), RenderError> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: self.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let err = |e| RenderError::Write(path.to_path_buf(), e);
        let mut w = hound::WavWriter::create(path, spec).map_err(err)?;
        for s in &self.samples {
            w.write_sample(*s).map_err(err)?;
        }
        w.finalize().map_err(err)
    }
}

/// A voice pack on disk: `<dir>/<clip name>.wav`, mono 16-bit PCM, one sample rate.
pub struct VoicePack {
    dir: PathBuf,
}

impl VoicePack {
    pub fn new(dir: impl Into<PathBuf>) -> VoicePack {
        VoicePack { dir: dir.into() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.wav"))
    }

    /// Reads one clip (mono 16-bit); returns its rate and samples.
    pub fn clip(&self, name: &str) -> Result<Audio, RenderError> {
        let path = self.path(name);
        if !path.exists() {
            return Err(RenderError::MissingClip(name.into(), path));
        }
        let mut r =
            hound::WavReader::open(&path).map_err(|e| RenderError::BadClip(name.into(), e))?;
        let spec = r.spec();
        if spec.channels != 1
            || spec.bits_per_sample != 16
            || spec.sample_format != hound::SampleFormat::Int
        {
            return Err(RenderError::MixedFormat {
                name: name.into(),
                got: format!("{} channel(s), {}-bit", spec.channels, spec.bits_per_sample),
                want: "mono 16-bit PCM".into(),
            });
        }
        let samples = r
            .samples::<i16>()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| RenderError::BadClip(name.into(), e))?;
        Ok(Audio {
            sample_rate: spec.sample_rate,
            samples,
        })
    }

    /// The announcement as one sound: the clips in order with their pauses.
    pub fn render(&self, steps: &[Step]) -> Result<Audio, RenderError> {
        let mut out = Audio {
            sample_rate: 0,
            samples: Vec::new(),
        };
        let mut pending_pause = 0u32;
        for step in steps {
            match step {
                Step::Pause(ms) => pending_pause += ms,
                Step::Clip(name) => {
                    let clip = self.clip(name)?;
                    if out.sample_rate == 0 {
                        out.sample_rate = clip.sample_rate;
                    } else if clip.sample_rate != out.sample_rate {
                        return Err(RenderError::MixedFormat {
                            name: name.clone(),
                            got: format!("{} Hz", clip.sample_rate),
                            want: format!("{} Hz", out.sample_rate),
                        });
                    }
                    let silence =
                        (u64::from(pending_pause) * u64::from(out.sample_rate) / 1000) as usize;
                    out.samples.extend(std::iter::repeat_n(0, silence));
                    pending_pause = 0;
                    out.samples.extend(clip.samples);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: Vec<String>) -> Vec<String> {
        v.into_iter()
            .map(|s| s.rsplit('/').next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn arabic_numbers_follow_the_spoken_grammar() {
        let cases: &[(u32, &[&str])] = &[
            (1, &["1"]),
            (2, &["2"]),
            (10, &["10"]),
            (11, &["11"]),
            (12, &["12"]),
            (19, &["19"]),
            (20, &["20"]),
            (21, &["1", "and-20"]),
            (23, &["3", "and-20"]),
            (99, &["9", "and-90"]),
            (100, &["100"]),
            (101, &["100", "and-1"]),
            (110, &["100", "and-10"]),
            (111, &["100", "and-11"]),
            (120, &["100", "and-20"]),
            (123, &["100", "and-3", "and-20"]),
            (200, &["200"]),
            (305, &["300", "and-5"]),
            (999, &["900", "and-9", "and-90"]),
        ];
        for (n, want) in cases {
            assert_eq!(names(number_clips(Lang::Ar, *n)), *want, "n = {n}");
        }
    }

    #[test]
    fn english_numbers_read_as_words() {
        assert_eq!(names(number_clips(Lang::En, 7)), ["7"]);
        assert_eq!(names(number_clips(Lang::En, 15)), ["15"]);
        assert_eq!(names(number_clips(Lang::En, 40)), ["40"]);
        assert_eq!(
            names(number_clips(Lang::En, 123)),
            ["1", "hundred", "20", "3"]
        );
        assert_eq!(names(number_clips(Lang::En, 900)), ["9", "hundred"]);
        assert_eq!(
            names(number_clips(Lang::En, 1005)),
            ["1", "0", "0", "5"],
            "beyond 999, digit by digit"
        );
    }

    #[test]
    fn labels_say_letters_then_the_number_without_leading_zeros() {
        assert_eq!(label_clips(Lang::Ar, "A-007"), ["ar/letter/a", "ar/num/7"]);
        assert_eq!(
            label_clips(Lang::En, "VB-120"),
            [
                "en/letter/v",
                "en/letter/b",
                "en/num/1",
                "en/word/hundred",
                "en/num/20"
            ]
        );
    }

    #[test]
    fn a_call_is_a_chime_then_each_language_in_order() {
        let p = plan("A-123", 5, &[Lang::Ar, Lang::En]);
        assert_eq!(p[0], Step::Clip(CHIME.into()));
        let clips: Vec<&str> = p
            .iter()
            .filter_map(|s| {
                if let Step::Clip(c) = s {
                    Some(c.as_str())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(
            clips,
            [
                "chime",
                "ar/word/ticket",
                "ar/letter/a",
                "ar/num/100",
                "ar/num/and-3",
                "ar/num/and-20",
                "ar/word/counter",
                "ar/num/5",
                "en/word/ticket",
                "en/letter/a",
                "en/num/1",
                "en/word/hundred",
                "en/num/20",
                "en/num/3",
                "en/word/counter",
                "en/num/5",
            ]
        );
        assert_eq!(
            plan("A-1", 1, &[]),
            vec![Step::Clip(CHIME.into())],
            "chime only"
        );
        let en_first = plan("B-2", 3, &[Lang::En, Lang::Ar]);
        assert_eq!(en_first[2], Step::Clip("en/word/ticket".into()));
    }

    #[test]
    fn clips_say_the_right_words_for_a_person_recording_them() {
        let says = |name: &str| {
            manifest()
                .into_iter()
                .find(|c| c.name == name)
                .unwrap()
                .says
        };
        assert_eq!(says("ar/num/3"), "ثلاثة");
        assert_eq!(says("ar/num/11"), "أحد عشر");
        assert_eq!(says("ar/num/2"), "اثنين");
        assert_eq!(says("ar/num/12"), "اثني عشر");
        assert_eq!(says("ar/num/200"), "مئتين");
        assert_eq!(says("ar/num/and-20"), "وعشرين");
        assert_eq!(says("ar/word/counter"), "تفضل إلى الشباك رقم");
        assert_eq!(says("en/num/40"), "forty");
        assert_eq!(says("en/num/13"), "thirteen");
    }

    #[test]
    fn the_manifest_covers_every_clip_any_call_can_need() {
        let have: std::collections::HashSet<String> =
            manifest().into_iter().map(|c| c.name).collect();
        for lang in [Lang::Ar, Lang::En] {
            for n in 0..=1200 {
                for c in number_clips(lang, n) {
                    assert!(have.contains(&c), "{c} (for {n}) is not in the manifest");
                }
            }
            for l in 'A'..='Z' {
                for c in label_clips(lang, &format!("{l}{l}-001")) {
                    assert!(have.contains(&c), "{c} missing");
                }
            }
            for step in sentence(lang, "A-1", 8) {
                if let Step::Clip(c) = step {
                    assert!(have.contains(&c), "{c} missing");
                }
            }
        }
        assert_eq!(have.len(), manifest().len(), "no clip listed twice");
    }
}

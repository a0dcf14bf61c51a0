//! What a citizen's text asks, read before anyone answers it: STOP (in either language), or a
//! request's reference with the four digits that prove it is theirs; the language of the
//! answer. Pure; the writer words the answer (`notify::Notifier::answer`), the inbound task
//! (`sms_link::inbound`) sends it.

use super::phone::Phone;

/// The words that opt a number out, compared after trimming and upper-casing.
pub fn is_stop(text: &str) -> bool {
    let t: String = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .to_uppercase();
    matches!(t.as_str(), "STOP" | "ايقاف" | "إيقاف" | "أيقاف")
}

/// Arabic text (any Arabic letter or digit) is answered in Arabic, the rest in English.
pub fn language_of(text: &str) -> &'static str {
    if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        "ar"
    } else {
        "en"
    }
}

/// What the writer is asked to put in words.
#[derive(Debug)]
pub enum StatusAsk {
    /// A text: a request's reference (and perhaps the last four digits of the citizen's phone
    /// or national ID), or something else (help); from this number.
    Text { text: String, from: Phone },
    /// The confirmation of STOP.
    Stopped,
}

/// What a citizen's text asks: a request by its reference, with the four digits that prove
/// it is theirs if the text has them.
#[derive(Debug, PartialEq)]
pub struct Asked {
    pub reference: String,
    pub suffix: Option<String>,
}

/// Reads "HEL-26-004821", "hel 26 004821 1234", "حالة ‏HEL-26-٠٠٤٨٢١ ٤٨٢١": the reference
/// may be split over up to three words; a separate word of four digits is the suffix.
pub fn read_status_text(text: &str) -> Option<Asked> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '،')
        .filter(|w| !w.is_empty())
        .collect();
    for start in 0..words.len() {
        for len in 1..=3.min(words.len() - start) {
            let joined = words[start..start + len].concat();
            if let Some(reference) = hall_core::request::normalize_reference(&joined) {
                let suffix = words
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i < start || *i >= start + len)
                    .find_map(|(_, w)| hall_core::request::normalize_suffix(w));
                return Some(Asked { reference, suffix });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_in_both_languages_and_nothing_else() {
        for s in ["STOP", " stop ", "Stop.", "ايقاف", "إيقاف"] {
            assert!(is_stop(s), "{s}");
        }
        for s in ["STOPPED", "HEL-26-000001", "لا تتوقف", ""] {
            assert!(!is_stop(s), "{s}");
        }
        assert_eq!(language_of("حالة HEL-26-000001"), "ar");
        assert_eq!(language_of("hel-26-000001"), "en");
    }

    #[test]
    fn a_reference_is_read_however_it_is_typed_with_its_four_digits() {
        let asked = |r: &str, s: Option<&str>| {
            Some(Asked {
                reference: r.into(),
                suffix: s.map(Into::into),
            })
        };
        assert_eq!(
            read_status_text("HEL-26-004821"),
            asked("HEL-26-004821", None)
        );
        assert_eq!(
            read_status_text("hel 26 004821 1234"),
            asked("HEL-26-004821", Some("1234"))
        );
        assert_eq!(
            read_status_text("حالة HEL-٢٦-٠٠٤٨٢١، ٤٨٢١"),
            asked("HEL-26-004821", Some("4821"))
        );
        assert_eq!(read_status_text("hello there"), None);
        assert_eq!(read_status_text("1234"), None);
    }
}

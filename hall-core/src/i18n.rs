//! Translations shared by every client: Fluent files in `assets/i18n/<lang>/`, compiled in.
//! Arabic first. Plural forms follow CLDR (Arabic has zero, one, two, few, many, other).

use crate::error::ErrorCode;
/// Argument values of `Translator::tr`.
pub use fluent_bundle::FluentValue;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// Languages we ship, in order of preference.
pub const LANGUAGES: [&str; 2] = ["ar", "en"];

/// Each language's files, in the same order: the shared queue terms, the kiosk's, the device's
/// own (pairing, opening times; kiosk and board), and the manager console's (its web page loads the same file; the server uses it for the audit log
/// and report exports it writes).
const AR: [&str; 4] = [
    include_str!("../../assets/i18n/ar/queue.ftl"),
    include_str!("../../assets/i18n/ar/kiosk.ftl"),
    include_str!("../../assets/i18n/ar/device.ftl"),
    include_str!("../../assets/i18n/ar/manager.ftl"),
];
const EN: [&str; 4] = [
    include_str!("../../assets/i18n/en/queue.ftl"),
    include_str!("../../assets/i18n/en/kiosk.ftl"),
    include_str!("../../assets/i18n/en/device.ftl"),
    include_str!("../../assets/i18n/en/manager.ftl"),
];

/// The texts the center sends by SMS (`sms.ftl`), loaded after the shared queue terms.
const SMS_AR: &str = include_str!("../../assets/i18n/ar/sms.ftl");
const SMS_EN: &str = include_str!("../../assets/i18n/en/sms.ftl");

/// One language's messages. `Send + Sync`, so an app can keep it in a shared resource.
pub struct Translator {
    lang: &'static str,
    bundle: FluentBundle<FluentResource>,
}

impl Translator {
    /// "ar…" gives Arabic; anything else English.
    pub fn new(lang: &str) -> Translator {
        Self::with_files(lang, 3)
    }

    /// The shared messages plus the manager console's (`manager.ftl`).
    pub fn manager(lang: &str) -> Translator {
        Self::with_files(lang, 4)
    }

    /// The shared messages plus the SMS texts (`sms.ftl`), for the server's outbox.
    pub fn sms(lang: &str) -> Translator {
        let mut t = Self::with_files(lang, 1);
        let source = if t.lang == "ar" { SMS_AR } else { SMS_EN };
        match FluentResource::try_new(source.to_string()) {
            Ok(res) | Err((res, _)) => {
                if let Err(errors) = t.bundle.add_resource(res) {
                    tracing::error!(?errors, "sms translations clash");
                }
            }
        }
        t
    }

    fn with_files(lang: &str, files: usize) -> Translator {
        let (lang, sources) = if lang.starts_with("ar") {
            ("ar", AR)
        } else {
            ("en", EN)
        };
        let id: unic_langid::LanguageIdentifier = lang.parse().expect("static language tag");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Isolation marks (FSI/PDI) around placeables show as boxes in some UI toolkits; the
        // bidi algorithm already keeps numbers and ticket labels in order inside Arabic text.
        bundle.set_use_isolating(false);
        for source in &sources[..files] {
            let resource =
                FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, errors)| {
                    tracing::error!(?errors, lang, "translation file has errors");
                    res
                });
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(?errors, lang, "translation messages clash");
            }
        }
        Translator { lang, bundle }
    }

    pub fn lang(&self) -> &'static str {
        self.lang
    }

    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message, formatted; a missing message shows its id (visible, never a crash).
    pub fn tr(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = self.lang, "missing translation");
            return id.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "translation formatting");
        }
        text.into_owned()
    }

    /// A counted message: `count("people-ahead", 3)`. The Arabic file selects its form on
    /// `$form`, the CLDR category computed here (see `arabic_plural`).
    pub fn count(&self, id: &str, n: u64) -> String {
        let name = if id.starts_with("wait-minutes") {
            "minutes"
        } else {
            "count"
        };
        self.counted(id, name, n, &[])
    }

    /// A counted message whose number is `$var`, with more arguments beside it.
    pub fn counted(&self, id: &str, var: &str, n: u64, more: &[(&str, FluentValue<'_>)]) -> String {
        let mut args = vec![
            (var, FluentValue::from(n)),
            ("form", FluentValue::from(arabic_plural(n))),
        ];
        args.extend(more.iter().cloned());
        self.tr(id, &args)
    }

    /// A wait as a citizen reads it: "15–25 min" (the model's 10th to 90th percentile, in
    /// whole minutes) when that spans minutes, else "about 5 minutes".
    pub fn wait(&self, w: &crate::model::WaitRange) -> String {
        let (low, high) = (w.low_secs / 60, w.high_secs.div_ceil(60));
        if high <= 1 || low >= high {
            return self.count("wait-minutes", w.expected_secs.div_ceil(60));
        }
        self.counted(
            "wait-range",
            "high",
            high,
            &[("low", FluentValue::from(low))],
        )
    }

    /// What to tell a person about an error code.
    pub fn error(&self, code: ErrorCode) -> String {
        self.tr(&format!("error-{}", code.as_str()), &[])
    }
}

/// Every ASCII digit of `s` as its Arabic-Indic digit (٠١٢…): the one rule for numbers in
/// Arabic texts on every surface (kiosk, board, web pages' server-side texts, SMS). Ticket
/// labels and request references keep their Latin digits, as printed (A-001, HEL-26-004821).
pub fn arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The CLDR cardinal plural category of an integer in Arabic. intl_pluralrules 7.0.2 (used
/// by fluent-bundle) compares the number itself with 3..=10 and 11..=99 where CLDR compares
/// the number modulo 100, so it gets 103 or 111 wrong; this is the rule as CLDR states it.
pub fn arabic_plural(n: u64) -> &'static str {
    match (n, n % 100) {
        (0, _) => "zero",
        (1, _) => "one",
        (2, _) => "two",
        (_, 3..=10) => "few",
        (_, 11..=99) => "many",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_string())
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_messages_and_parse_cleanly() {
        for (ar, en) in AR.iter().zip(EN) {
            assert_eq!(ids(ar), ids(en));
            for src in [ar, en] {
                assert!(FluentResource::try_new(src.to_string()).is_ok());
            }
        }
        assert_eq!(ids(SMS_AR), ids(SMS_EN));
        assert!(FluentResource::try_new(SMS_AR.to_string()).is_ok());
        assert!(FluentResource::try_new(SMS_EN.to_string()).is_ok());
        let all: Vec<BTreeSet<String>> = AR.iter().chain([&SMS_AR]).map(|s| ids(s)).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(a.is_disjoint(b), "a message id is in two files");
            }
        }
    }

    #[test]
    fn every_error_code_reads_in_arabic_and_english() {
        let (ar, en) = (Translator::new("ar"), Translator::new("en"));
        for code in ErrorCode::ALL {
            let id = format!("error-{}", code.as_str());
            assert!(ar.has(&id) && en.has(&id), "{id} missing");
            assert!(
                ar.error(code)
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{id} not Arabic"
            );
            assert!(en.error(code).is_ascii(), "{id} not English");
        }
    }

    #[test]
    fn arabic_plurals_follow_the_number() {
        let ar = Translator::new("ar");
        let cases = [
            (0, "لا أحد أمامك"),
            (1, "أمامك شخص واحد"),
            (2, "أمامك شخصان"),
            (3, "أمامك 3 أشخاص"),
            (10, "أمامك 10 أشخاص"),
            (11, "أمامك 11 شخصًا"),
            (99, "أمامك 99 شخصًا"),
            (100, "أمامك 100 شخص"),
            (102, "أمامك 102 شخص"),
            (103, "أمامك 103 أشخاص"),
            (111, "أمامك 111 شخصًا"),
            (200, "أمامك 200 شخص"),
            (1005, "أمامك 1005 أشخاص"),
        ];
        for (n, want) in cases {
            assert_eq!(ar.count("people-ahead", n), want, "n = {n}");
        }
        assert_eq!(ar.count("wait-minutes", 2), "حوالي دقيقتين");
        assert_eq!(ar.count("wait-minutes", 5), "حوالي 5 دقائق");
        assert_eq!(ar.count("wait-minutes", 25), "حوالي 25 دقيقة");
    }

    #[test]
    fn english_plurals_and_fallback() {
        let en = Translator::new("en");
        assert_eq!(en.count("people-ahead", 0), "Nobody is ahead of you");
        assert_eq!(en.count("people-ahead", 1), "1 person is ahead of you");
        assert_eq!(en.count("people-ahead", 7), "7 people are ahead of you");
        assert_eq!(en.tr("no-such-message", &[]), "no-such-message");
        assert_eq!(Translator::new("fr").lang(), "en");
    }
}

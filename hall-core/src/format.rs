//! The one rule for numbers, dates, times and durations on every surface (docs/style.md):
//! kiosk, board, receipt, slips, SMS, the server's pages and exports, the national console.
//! The web pages follow the same rule in `web/js/format.js`; both are tested against the one
//! table of cases, `assets/format-cases.json`.
//!
//! - Digits: in Arabic, Arabic-Indic (٠١٢…) unless the center chose Latin (`[center] digits =
//!   "latin"`); in English always Latin. Ticket labels and request references are not numbers:
//!   they are shown as printed (A-001, HEL-26-004821) and never pass through here.
//! - Dates as Egyptians read them: "الأربعاء ٢ ديسمبر ٢٠٢٦", "Wednesday 2 December 2026".
//! - Times on the 24-hour clock in the center's time zone, whatever the reader's device says.
//! - Durations in words, rounded to what a person needs: seconds under a minute, minutes under
//!   an hour, then hours and minutes ("ساعة و٢٠ دقيقة", "1 hour 20 minutes").
//!
//! Pure: every instant is passed in.

use crate::i18n::{FluentValue, Translator, arabic_plural};
use crate::model::{CenterInfo, Digits, Timestamp};
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

/// How one center writes for one reader's language.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Arabic-Indic digits (Arabic with the center's default); false: Latin.
    pub arabic_digits: bool,
    pub zone: chrono_tz::Tz,
}

impl Style {
    /// The center's rule for a reader of `lang` ("ar…" Arabic, else English).
    pub fn new(lang: &str, digits: Digits, zone: chrono_tz::Tz) -> Style {
        Style {
            arabic_digits: lang.starts_with("ar") && digits == Digits::Arabic,
            zone,
        }
    }

    /// As `new`, from the center's setup (an unknown zone reads as UTC; loading rejects it).
    pub fn of(lang: &str, center: &CenterInfo) -> Style {
        Style::new(
            lang,
            center.digits,
            center.timezone.parse().unwrap_or(chrono_tz::UTC),
        )
    }

    /// Every ASCII digit of `s` written the center's way.
    pub fn digits(&self, s: &str) -> String {
        if self.arabic_digits {
            crate::i18n::arabic_digits(s)
        } else {
            s.to_string()
        }
    }

    /// A whole number, without grouping ("1500", "١٥٠٠").
    pub fn number(&self, n: impl std::fmt::Display) -> String {
        self.digits(&n.to_string())
    }

    /// A number with one decimal ("4.3", "٤٫٣": the Arabic decimal separator with
    /// Arabic-Indic digits).
    pub fn decimal(&self, x: f64) -> String {
        self.fraction(&format!("{:.1}", (x * 10.0).round() / 10.0))
    }

    /// A number written with '.': Arabic-Indic digits take the Arabic decimal separator.
    fn fraction(&self, text: &str) -> String {
        if self.arabic_digits {
            self.digits(text).replace('.', "٫")
        } else {
            text.to_string()
        }
    }

    /// An amount of money in pounds from piasters: "50", "12.50" ("٥٠", "١٢٫٥٠"); the words
    /// around it ("جنيه", "EGP") are the translation's.
    pub fn money(&self, piasters: u64) -> String {
        self.fraction(&if piasters.is_multiple_of(100) {
            (piasters / 100).to_string()
        } else {
            format!("{}.{:02}", piasters / 100, piasters % 100)
        })
    }

    /// "14:05" on the 24-hour clock.
    pub fn time(&self, t: NaiveTime) -> String {
        self.digits(&format!("{:02}:{:02}", t.hour(), t.minute()))
    }

    /// The time of an instant in the center's zone.
    pub fn time_of(&self, at: Timestamp) -> String {
        self.time(at.with_timezone(&self.zone).time())
    }

    /// The local date of an instant in the center's zone.
    pub fn day_of(&self, at: Timestamp) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// "الأربعاء ٢ ديسمبر ٢٠٢٦" / "Wednesday 2 December 2026".
    pub fn date(&self, tr: &Translator, d: NaiveDate) -> String {
        let weekday = tr.tr(&format!("date-day-{}", day_key(d.weekday())), &[]);
        let month = tr.tr(&format!("date-month-{}", d.month()), &[]);
        tr.tr(
            "date-long",
            &[
                ("weekday", FluentValue::from(weekday)),
                ("day", FluentValue::from(self.number(d.day()))),
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(self.number(d.year()))),
            ],
        )
    }

    /// The date of an instant in the center's zone, in words.
    pub fn date_of(&self, tr: &Translator, at: Timestamp) -> String {
        self.date(tr, self.day_of(at))
    }

    /// An instant's day in words and time, in the center's zone: "الأربعاء ٢ ديسمبر ٢٠٢٦
    /// الساعة ١٥:٣٨" (`dateTimeOf` in the pages' script).
    pub fn date_time_of(&self, tr: &Translator, at: Timestamp) -> String {
        tr.tr(
            "date-at",
            &[
                ("date", FluentValue::from(self.date_of(tr, at))),
                ("time", FluentValue::from(self.time_of(at))),
            ],
        )
    }

    /// A counted message (`$count` written the center's way, `$form` its plural category),
    /// with more arguments beside it.
    pub fn counted(
        &self,
        tr: &Translator,
        id: &str,
        n: u64,
        more: &[(&str, FluentValue<'_>)],
    ) -> String {
        let mut args = vec![
            ("count", FluentValue::from(self.number(n))),
            ("form", FluentValue::from(arabic_plural(n))),
        ];
        args.extend(more.iter().cloned());
        tr.tr(id, &args)
    }

    /// A duration in words: seconds under a minute, whole minutes (rounded) under an hour,
    /// then hours and minutes ("٣ دقائق", "ساعة و٢٠ دقيقة", "2 hours 5 minutes").
    pub fn duration(&self, tr: &Translator, secs: u64) -> String {
        if secs < 60 {
            return self.counted(tr, "duration-seconds", secs, &[]);
        }
        let minutes = (secs + 30) / 60;
        if minutes < 60 {
            return self.counted(tr, "duration-minutes", minutes, &[]);
        }
        let (h, m) = (minutes / 60, minutes % 60);
        let hours = self.counted(tr, "duration-hours", h, &[]);
        if m == 0 {
            return hours;
        }
        let minutes = self.counted(tr, "duration-minutes", m, &[]);
        tr.tr(
            "duration-hours-minutes",
            &[
                ("hours", FluentValue::from(hours)),
                ("minutes", FluentValue::from(minutes)),
            ],
        )
    }
}

/// The key of a weekday in the translation files (`date-day-sat`).
pub fn day_key(d: Weekday) -> &'static str {
    match d {
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// One row of `assets/format-cases.json`, the table the web script is tested against too.
    #[derive(Deserialize)]
    struct Case {
        lang: String,
        digits: Digits,
        zone: String,
        /// number, time_of, date, date_of, duration
        f: String,
        arg: serde_json::Value,
        want: String,
    }

    const CASES: &str = include_str!("../../assets/format-cases.json");

    #[test]
    fn every_case_of_the_shared_table_formats_as_written() {
        let cases: Vec<Case> = serde_json::from_str(CASES).unwrap();
        assert!(cases.len() >= 30, "the table lost its cases");
        let mut wrong = Vec::new();
        for c in &cases {
            let tr = Translator::new(&c.lang);
            let style = Style::new(&c.lang, c.digits, c.zone.parse().unwrap());
            let instant = || {
                c.arg
                    .as_str()
                    .unwrap()
                    .parse::<Timestamp>()
                    .expect("an RFC 3339 instant")
            };
            let got = match c.f.as_str() {
                "number" => style.number(c.arg.as_u64().unwrap()),
                "decimal" => style.decimal(c.arg.as_f64().unwrap()),
                "money" => style.money(c.arg.as_u64().unwrap()),
                "time_of" => style.time_of(instant()),
                "date" => style.date(&tr, c.arg.as_str().unwrap().parse().unwrap()),
                "date_of" => style.date_of(&tr, instant()),
                "duration" => style.duration(&tr, c.arg.as_u64().unwrap()),
                other => panic!("no function {other:?} in the table"),
            };
            if got != c.want {
                wrong.push(format!(
                    "{} {} {:?} {}: got {got:?}, want {:?}",
                    c.f, c.lang, c.digits, c.arg, c.want
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn english_is_written_in_latin_digits_whatever_the_center_chose() {
        let cairo: chrono_tz::Tz = "Africa/Cairo".parse().unwrap();
        assert_eq!(Style::new("en", Digits::Arabic, cairo).number(305), "305");
        assert_eq!(Style::new("ar", Digits::Arabic, cairo).number(305), "٣٠٥");
        assert_eq!(Style::new("ar", Digits::Latin, cairo).number(305), "305");
    }
}

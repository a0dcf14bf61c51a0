//! The texts of the messages, from `assets/i18n/{ar,en}/sms.ftl`: numbers and dates by the
//! center's rule (`hall_core::format`: Arabic-Indic digits in Arabic unless the center chose
//! Latin) and the CLDR plural form.

use hall_core::format::Style;
use hall_core::i18n::{FluentValue, Translator};
use hall_core::{Digits, Names};

pub struct Texts {
    ar: Translator,
    en: Translator,
    /// The queue's words, for a request's status (`hall_core::request::status_text`).
    queue_ar: Translator,
    queue_en: Translator,
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            ar: Translator::sms("ar"),
            en: Translator::sms("en"),
            queue_ar: Translator::new("ar"),
            queue_en: Translator::new("en"),
        }
    }
}

/// "ar…" is Arabic, anything else English.
pub fn is_arabic(lang: &str) -> bool {
    lang.starts_with("ar")
}

impl Texts {
    fn tr(&self, lang: &str) -> &Translator {
        if is_arabic(lang) { &self.ar } else { &self.en }
    }

    fn pick<'a>(lang: &str, n: &'a Names) -> &'a str {
        if is_arabic(lang) { &n.ar } else { &n.en }
    }

    pub fn near_turn(
        &self,
        lang: &str,
        digits: Digits,
        center: &Names,
        label: &str,
        service: &Names,
        n: u32,
    ) -> String {
        let style = Style::new(lang, digits, chrono_tz::UTC);
        style.counted(
            self.tr(lang),
            "sms-near-turn",
            u64::from(n),
            &[
                ("center", FluentValue::from(Self::pick(lang, center))),
                ("label", FluentValue::from(label)),
                ("service", FluentValue::from(Self::pick(lang, service))),
            ],
        )
    }

    pub fn called(&self, lang: &str, center: &Names, label: &str, counter: &Names) -> String {
        self.tr(lang).tr(
            "sms-called",
            &[
                ("center", FluentValue::from(Self::pick(lang, center))),
                ("label", FluentValue::from(label)),
                ("counter", FluentValue::from(Self::pick(lang, counter))),
            ],
        )
    }

    pub fn simple(&self, id: &str, lang: &str, center: &Names) -> String {
        self.tr(lang).tr(
            id,
            &[("center", FluentValue::from(Self::pick(lang, center)))],
        )
    }

    /// A request's status, as the `/r` page and the kiosk say it, from the center.
    pub fn request(
        &self,
        lang: &str,
        center: &Names,
        req: &hall_core::request::ServiceRequest,
        state: &hall_core::State,
    ) -> String {
        let queue = if is_arabic(lang) {
            &self.queue_ar
        } else {
            &self.queue_en
        };
        let service = state
            .catalog
            .as_deref()
            .and_then(|c| c.services.iter().find(|s| s.code == req.service))
            .map(|s| &s.name);
        let status = hall_core::request::status_text(req, service, queue, state.digits());
        self.tr(lang).tr(
            "sms-request",
            &[
                ("center", FluentValue::from(Self::pick(lang, center))),
                ("status", FluentValue::from(status)),
            ],
        )
    }

    /// After service: the link to rate it.
    pub fn feedback(&self, lang: &str, center: &Names, link: &str) -> String {
        self.tr(lang).tr(
            "sms-feedback",
            &[
                ("center", FluentValue::from(Self::pick(lang, center))),
                ("link", FluentValue::from(link)),
            ],
        )
    }

    pub fn with_reference(
        &self,
        id: &str,
        lang: &str,
        center: &Names,
        reference: &str,
        status: &str,
    ) -> String {
        self.tr(lang).tr(
            id,
            &[
                ("center", FluentValue::from(Self::pick(lang, center))),
                ("reference", FluentValue::from(reference)),
                ("status", FluentValue::from(status)),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ar: &str, en: &str) -> Names {
        Names {
            ar: ar.into(),
            en: en.into(),
        }
    }

    #[test]
    fn people_ahead_in_arabic_takes_each_plural_form_with_arabic_digits() {
        let t = Texts::default();
        let (c, s) = (
            names("مركز مصر الجديدة", "Heliopolis"),
            names("بطاقة", "ID card"),
        );
        let at = |n| t.near_turn("ar", Digits::Arabic, &c, "A-012", &s, n);
        assert!(at(1).contains("أمامك شخص واحد"), "{}", at(1));
        assert!(at(2).contains("أمامك شخصان"), "{}", at(2));
        assert!(at(3).contains("أمامك ٣ أشخاص"), "{}", at(3));
        assert!(at(10).contains("أمامك ١٠ أشخاص"), "{}", at(10));
        assert!(at(11).contains("أمامك ١١ شخصًا"), "{}", at(11));
        assert!(at(0).contains("لا أحد أمامك"), "{}", at(0));
        assert!(at(3).starts_with("مركز مصر الجديدة: تذكرتك A-012، أمامك"));
        let en = t.near_turn("en", Digits::Arabic, &c, "A-012", &s, 2);
        assert!(en.contains("2 people are ahead of you"), "{en}");
        assert!(
            t.near_turn("en", Digits::Arabic, &c, "A-012", &s, 1)
                .contains("1 person is ahead")
        );
    }

    #[test]
    fn called_names_the_counter_in_the_citizens_language() {
        let t = Texts::default();
        let (c, k) = (names("المركز", "Center"), names("شباك ٣", "Window 3"));
        assert_eq!(
            t.called("ar", &c, "B-007", &k),
            "المركز: حان دورك. تذكرتك B-007، برجاء التوجه الآن إلى شباك ٣."
        );
        assert_eq!(
            t.called("en", &c, "B-007", &k),
            "Center: it is your turn. Ticket B-007, please go to Window 3 now."
        );
    }

    /// Every English message, filled with believable values, goes as GSM 7-bit (a character
    /// outside GSM 03.38 sends it as UCS-2, two or three paid parts); those sent for every
    /// ticket fit one part with the sample center's English name.
    #[test]
    fn english_messages_stay_in_the_gsm_alphabet_and_the_ticket_ones_in_one_part() {
        // A ticket page's link at the sample center's public address (32 hex digits of token).
        const LINK: &str = "https://heliopolis.example.gov.eg/t/5be0c2a79d3f41e8a6b1f07c92d4e385";
        use crate::sms::encode::{is_gsm, split};
        let t = Texts::default();
        let catalog = hall_wire::center_file::sample();
        let center = &catalog.center.name;
        let ftl = include_str!("../../../assets/i18n/en/sms.ftl");
        let ids: Vec<&str> = ftl
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim()))
            .filter(|id| id.starts_with("sms-"))
            .collect();
        assert!(ids.len() >= 7, "{ids:?}");
        let en = Translator::sms("en");
        for id in &ids {
            for n in [0u64, 1, 2, 12, 140] {
                let text = Style::new("en", Digits::Arabic, chrono_tz::UTC).counted(
                    &en,
                    id,
                    n,
                    &[
                        ("center", FluentValue::from(center.en.as_str())),
                        ("label", FluentValue::from("HA-123")),
                        ("service", FluentValue::from("Birth certificate")),
                        ("counter", FluentValue::from("Window 12")),
                        ("reference", FluentValue::from("HEL-26-004821")),
                        (
                            "status",
                            FluentValue::from("Request HEL-26-004821: Ready for pickup."),
                        ),
                        ("link", FluentValue::from(LINK)),
                    ],
                );
                assert!(is_gsm(&text), "{id}: {text:?}");
                assert!(!text.contains('{'), "{id}: an argument left out: {text}");
            }
        }
        // The sample's names that go into messages, as shipped.
        for s in &catalog.services {
            assert!(is_gsm(&s.name.en), "service {}: {:?}", s.code, s.name.en);
        }
        for c in &catalog.counters {
            assert!(is_gsm(&c.name.en), "counter {}: {:?}", c.id, c.name.en);
        }
        // Sent for every ticket: one part each.
        for n in [0, 1, 3, 12, 99] {
            let near = t.near_turn(
                "en",
                Digits::Arabic,
                center,
                "HA-123",
                &catalog.services[0].name,
                n,
            );
            assert_eq!(
                split(&near, 7).len(),
                1,
                "{} chars: {near}",
                near.chars().count()
            );
        }
        let counter = &catalog.counters[0].name;
        let called = t.called("en", center, "HA-123", counter);
        assert_eq!(split(&called, 7).len(), 1, "{called}");
        let rate = t.feedback("en", center, LINK);
        assert_eq!(
            split(&rate, 7).len(),
            1,
            "{} chars: {rate}",
            rate.chars().count()
        );
    }
}

//! A service's opening hours in words: the days and times of its catalog entry, and when a
//! closed service opens next ("Opens Sunday at 09:00"), in the center's local time, which the
//! caller passes in. Pure; digits by the center's rule (`crate::format::Style`). The kiosk's
//! services list and card and the center's service guide (`/c`) say the same words.

use crate::clock::next_opening;
use crate::format::Style;
use crate::i18n::{FluentValue, Translator};
use crate::model::{Service, Weekday};

const WEEK: [Weekday; 7] = [
    Weekday::Sat,
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

fn day_id(prefix: &str, d: Weekday) -> String {
    format!("{prefix}{}", format!("{d:?}").to_lowercase())
}

/// "Sun, Mon, Tue 09:00–13:00" (the catalog's hours; "every day" when it is every day).
pub fn hours(tr: &Translator, style: &Style, s: &Service) -> String {
    let days = &s.hours.days;
    let day_names = if WEEK.iter().all(|d| days.contains(d)) {
        tr.tr("kiosk-every-day", &[])
    } else {
        let sep = if tr.lang() == "ar" { "، " } else { ", " };
        WEEK.iter()
            .filter(|d| days.contains(d))
            .map(|d| tr.tr(&day_id("kiosk-day-", *d), &[]))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let close = if s.hours.close >= chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default() {
        "24:00".to_string()
    } else {
        s.hours.close.format("%H:%M").to_string()
    };
    let args = [
        ("days", FluentValue::from(day_names)),
        ("open", s.hours.open.format("%H:%M").to_string().into()),
        ("close", close.into()),
    ];
    style.digits(&tr.tr("kiosk-hours", &args))
}

/// When a service closed by its hours opens next, after the local time `local`: "Opens today
/// at 09:00", "… tomorrow …", "Opens Sunday at 09:00". None for a service the center closed
/// (its hours say nothing about when the center opens it again).
pub fn opens_next(
    tr: &Translator,
    style: &Style,
    s: &Service,
    local: chrono::NaiveDateTime,
) -> Option<String> {
    if !s.open {
        return None;
    }
    let Some(at) = next_opening(&s.hours, local) else {
        return Some(tr.tr("opens-never", &[]));
    };
    let time = FluentValue::from(at.format("%H:%M").to_string());
    let days = (at.date() - local.date()).num_days();
    let text = match days {
        0 => tr.tr("opens-at-today", &[("time", time)]),
        1 => tr.tr("opens-at-tomorrow", &[("time", time)]),
        _ => {
            use chrono::Datelike;
            let day = tr.tr(
                &format!("date-day-{}", crate::format::day_key(at.weekday())),
                &[],
            );
            tr.tr("opens-at-day", &[("day", day.into()), ("time", time)])
        }
    };
    Some(style.digits(&text))
}

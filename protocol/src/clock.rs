//! Local time of a center. Pure: the instant is always passed in.

use crate::model::{Catalog, Hours, Service, Timestamp};
use chrono::{NaiveDate, NaiveDateTime};

/// The center's time zone; UTC if the catalog names one this build does not know
/// (configuration loading rejects that, so it only guards hand-made states).
pub fn zone(catalog: &Catalog) -> chrono_tz::Tz {
    catalog.center.timezone.parse().unwrap_or(chrono_tz::UTC)
}

pub fn local_time(catalog: &Catalog, now: Timestamp) -> NaiveDateTime {
    now.with_timezone(&zone(catalog)).naive_local()
}

pub fn local_day(catalog: &Catalog, now: Timestamp) -> NaiveDate {
    local_time(catalog, now).date()
}

/// Whether a citizen can take a ticket for this service at this local time.
pub fn accepting(service: &Service, local: NaiveDateTime) -> bool {
    service.open && service.hours.contains(local)
}

/// The next local time after `local` at which these hours open: today's opening if it is still
/// ahead, else the first open day's within a week. None when the hours name no day.
pub fn next_opening(hours: &Hours, local: NaiveDateTime) -> Option<NaiveDateTime> {
    use chrono::Datelike;
    (0..=7)
        .map(|d| local.date() + chrono::Duration::days(d))
        .filter(|date| hours.days.contains(&date.weekday().into()))
        .map(|date| date.and_time(hours.open))
        .find(|at| *at > local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Weekday;
    use chrono::NaiveTime;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_next_opening_is_today_later_or_the_next_open_day() {
        let hours = Hours {
            days: vec![
                Weekday::Sun,
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
            ],
            open: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            close: NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
        };
        // 2026-11-26 is a Thursday.
        assert_eq!(
            next_opening(&hours, at("2026-11-26 07:30")),
            Some(at("2026-11-26 09:00"))
        );
        // Thursday afternoon: closed Friday and Saturday, so Sunday.
        assert_eq!(
            next_opening(&hours, at("2026-11-26 14:00")),
            Some(at("2026-11-29 09:00"))
        );
        assert_eq!(
            next_opening(&hours, at("2026-11-28 23:59")),
            Some(at("2026-11-29 09:00"))
        );
        // One day a week, already past today: a week on.
        let once = Hours {
            days: vec![Weekday::Thu],
            ..hours.clone()
        };
        assert_eq!(
            next_opening(&once, at("2026-11-26 10:00")),
            Some(at("2026-12-03 09:00"))
        );
        let never = Hours {
            days: vec![],
            ..hours
        };
        assert_eq!(next_opening(&never, at("2026-11-26 10:00")), None);
    }
}

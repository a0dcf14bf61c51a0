//! Local time of a center. Pure: the instant is always passed in.

use crate::model::{Catalog, Hours, Service, Timestamp};
use chrono::{NaiveDate, NaiveDateTime, TimeZone};

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

/// Whether a local date is a working day of a service: one of its hours' days and not one of
/// the center's closed days. A service whose hours name no day works every day but those.
pub fn working_day(catalog: &Catalog, service: &Service, date: NaiveDate) -> bool {
    use chrono::Datelike;
    (service.hours.days.is_empty() || service.hours.days.contains(&date.weekday().into()))
        && !catalog.center.closed_days.contains(&date)
}

/// The day a request handed in on `day` should be ready: `processing_days` working days later
/// (0: that day). Looks at most ten years ahead (a calendar closed for good ends there).
pub fn ready_date(catalog: &Catalog, service: &Service, day: NaiveDate) -> NaiveDate {
    let mut date = day;
    let mut left = service.processing_days;
    for _ in 0..3660 {
        if left == 0 {
            return date;
        }
        date = date.succ_opt().unwrap_or(date);
        if working_day(catalog, service, date) {
            left -= 1;
        }
    }
    date
}

/// The instant a local day starts in the center's zone (the earliest, if a clock change
/// makes midnight ambiguous or skipped).
pub fn day_start(tz: chrono_tz::Tz, day: NaiveDate) -> Timestamp {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    match tz.from_local_datetime(&midnight).earliest() {
        Some(t) => t.with_timezone(&chrono::Utc),
        // Midnight skipped by a clock change: an hour later exists.
        None => tz
            .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|| midnight.and_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Weekday;
    use chrono::NaiveTime;

    #[test]
    fn a_ready_date_counts_working_days_and_skips_closed_days() {
        let mut catalog: Catalog = serde_json::from_str(
            r#"{"center": {"id": "cairo-heliopolis", "name": {"ar": "م", "en": "C"},
                "timezone": "Africa/Cairo"},
               "categories": [], "services": [], "counters": []}"#,
        )
        .unwrap();
        let service: Service = serde_json::from_str(
            r#"{"code": "S", "category": "C", "prefix": "S", "name": {"ar": "خ", "en": "S"},
                "documents": [], "fee_piasters": 0, "expected_minutes": 5, "open": true,
                "hours": {"days": ["sun", "mon", "tue", "wed", "thu"], "open": "09:00",
                          "close": "15:00"}, "processing_days": 3}"#,
        )
        .unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Wednesday 2026-12-02 + 3 working days: Thu, (Fri, Sat closed) Sun, Mon.
        assert_eq!(
            ready_date(&catalog, &service, d("2026-12-02")),
            d("2026-12-07")
        );
        catalog.center.closed_days = vec![d("2026-12-06")];
        assert_eq!(
            ready_date(&catalog, &service, d("2026-12-02")),
            d("2026-12-08")
        );
        let same_day = Service {
            processing_days: 0,
            ..service
        };
        assert_eq!(
            ready_date(&catalog, &same_day, d("2026-12-02")),
            d("2026-12-02")
        );
        assert_eq!(catalog.center.request_prefix(), "HEL");
    }

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

    #[test]
    fn local_days_start_at_local_midnight() {
        let cairo: chrono_tz::Tz = "Africa/Cairo".parse().unwrap();
        // Cairo is UTC+2 in November.
        assert_eq!(
            day_start(cairo, "2026-11-22".parse().unwrap()),
            "2026-11-21T22:00:00Z".parse::<Timestamp>().unwrap()
        );
    }
}

//! Local time of a center. Pure: the instant is always passed in.

use crate::model::{Catalog, Service, Timestamp};
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

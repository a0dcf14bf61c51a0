//! A report: the KPI fold's figures for a span of days, grouped five ways, with each day's
//! closing hash and the requests handed in (docs/protocol.md, "report").

use crate::model::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Figures of one group of tickets in a report (a day, an hour, a service, a counter or a
/// clerk). Times in seconds; absent when no ticket of the group has one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub key: String,
    /// The clerk's name on a clerk row (the key is the username).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tickets: u32,
    /// Tickets of the group that were transferred at least once (a ticket counts under the
    /// service it was issued for, wherever it went).
    #[serde(default)]
    pub transferred: u32,
    pub served: u32,
    pub no_shows: u32,
    pub cancelled: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_mean_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_p90_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_mean_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_p90_secs: Option<f64>,
    /// Tickets finished as `request_submitted` (requests handed in).
    #[serde(default)]
    pub requests: u32,
    /// Citizens' ratings (1–5) from the ticket page, and their mean.
    #[serde(default)]
    pub ratings: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_mean: Option<f64>,
}

/// A request in a report: handed in on one of the report's days, its state as the log read
/// for the report leaves it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestRow {
    pub reference: String,
    pub service: String,
    /// The ticket's counter and clerk.
    pub counter: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk: Option<String>,
    pub created_at: Timestamp,
    pub expected_ready: NaiveDate,
    pub state: String,
    /// The last change: when and who (the envelope's actor).
    pub changed_at: Timestamp,
    pub changed_by: String,
    /// Changes after `received`.
    pub changes: u32,
}

/// How a report groups tickets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportGrouping {
    Day,
    Hour,
    Service,
    Counter,
    Clerk,
}

impl ReportGrouping {
    pub const ALL: [ReportGrouping; 5] = [
        ReportGrouping::Day,
        ReportGrouping::Hour,
        ReportGrouping::Service,
        ReportGrouping::Counter,
        ReportGrouping::Clerk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportGrouping::Day => "day",
            ReportGrouping::Hour => "hour",
            ReportGrouping::Service => "service",
            ReportGrouping::Counter => "counter",
            ReportGrouping::Clerk => "clerk",
        }
    }

    pub fn parse(s: &str) -> Option<ReportGrouping> {
        ReportGrouping::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// Tickets issued from `from` to `to` (center-local days, both included), grouped five ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: ReportRow,
    pub by_day: Vec<ReportRow>,
    pub by_hour: Vec<ReportRow>,
    pub by_service: Vec<ReportRow>,
    pub by_counter: Vec<ReportRow>,
    pub by_clerk: Vec<ReportRow>,
    /// Each day's closing hash (docs/protocol.md, "report"): one value fixing every event
    /// and admin-log row written before the day ended.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closing: Vec<DayClosing>,
    /// The requests handed in on the report's days (oldest first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<RequestRow>,
}

/// A day's closing hash as the report and the console show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayClosing {
    pub day: NaiveDate,
    /// The last event written before the day ended (0: none).
    pub last_seq: u64,
    /// The last admin-log row written before the day ended (0: none).
    pub last_admin: u64,
    /// SHA-256, 64 hex digits.
    pub hash: String,
    /// The day is not over (today): the hash is of what is written so far and will change.
    #[serde(default)]
    pub provisional: bool,
}

impl Report {
    pub fn rows(&self, by: ReportGrouping) -> &[ReportRow] {
        match by {
            ReportGrouping::Day => &self.by_day,
            ReportGrouping::Hour => &self.by_hour,
            ReportGrouping::Service => &self.by_service,
            ReportGrouping::Counter => &self.by_counter,
            ReportGrouping::Clerk => &self.by_clerk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groupings_round_trip_their_names() {
        for g in ReportGrouping::ALL {
            assert_eq!(ReportGrouping::parse(g.as_str()), Some(g));
            assert_eq!(
                serde_json::to_string(&g).unwrap(),
                format!("\"{}\"", g.as_str())
            );
        }
        assert_eq!(ReportGrouping::parse("week"), None);
    }
}

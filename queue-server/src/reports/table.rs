//! The report as a table, whatever file it goes to: the columns and their translated
//! headers, each row's figures (times in minutes), and the export's file name.

use super::read::NameBook;
use hall_core::i18n::{FluentValue, Translator};
use hall_core::kpi::{Report, ReportGrouping, ReportRow};

fn minutes(secs: Option<f64>) -> Option<f64> {
    secs.map(|s| (s / 6.0).round() / 10.0)
}

const COLUMNS: [&str; 12] = [
    "report-col-tickets",
    "report-col-served",
    "report-col-no_shows",
    "report-col-cancelled",
    "report-col-transferred",
    "report-col-wait_mean",
    "report-col-wait_p90",
    "report-col-service_mean",
    "report-col-service_p90",
    "report-col-requests",
    "report-col-ratings",
    "report-col-rating_mean",
];

pub(super) fn figures(r: &ReportRow) -> [Option<f64>; 12] {
    [
        Some(f64::from(r.tickets)),
        Some(f64::from(r.served)),
        Some(f64::from(r.no_shows)),
        Some(f64::from(r.cancelled)),
        Some(f64::from(r.transferred)),
        minutes(r.wait_mean_secs),
        minutes(r.wait_p90_secs),
        minutes(r.service_mean_secs),
        minutes(r.service_p90_secs),
        Some(f64::from(r.requests)),
        Some(f64::from(r.ratings)),
        r.rating_mean.map(|m| (m * 10.0).round() / 10.0),
    ]
}

pub(super) fn header(tr: &Translator, by: ReportGrouping) -> Vec<String> {
    let mut h = vec![
        tr.tr(&format!("report-by-{}", by.as_str()), &[]),
        tr.tr("report-col-name", &[]),
    ];
    h.extend(COLUMNS.iter().map(|c| tr.tr(c, &[])));
    h
}

/// The file name of an export: `tabour-report-service-2026-11-01_2026-11-22.csv`.
pub fn file_name(report: &Report, by: Option<ReportGrouping>, ext: &str) -> String {
    match by {
        Some(by) => format!(
            "tabour-report-{}-{}_{}.{ext}",
            by.as_str(),
            report.from,
            report.to
        ),
        None => format!("tabour-report-{}_{}.{ext}", report.from, report.to),
    }
}

/// The name column: the clerk's name on a clerk row, else the service's or counter's.
pub(super) fn row_name(names: &NameBook, by: ReportGrouping, r: &ReportRow, lang: &str) -> String {
    match &r.name {
        Some(name) => name.clone(),
        None => names.row_name(by, &r.key, lang),
    }
}

/// The lines under the table: each day's closing hash ("Closing hash 2026-11-22", the hash).
pub(super) fn closing_lines(tr: &Translator, report: &Report) -> Vec<(String, String)> {
    report
        .closing
        .iter()
        .map(|c| {
            // Today's is of what is written so far, not the day's final value.
            let key = if c.provisional {
                "report-closing-provisional"
            } else {
                "report-closing"
            };
            let label = tr.tr(key, &[("day", FluentValue::from(c.day.to_string()))]);
            (label, c.hash.clone())
        })
        .collect()
}

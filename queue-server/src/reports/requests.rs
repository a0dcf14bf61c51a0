//! The report's requests: one line per request handed in on the report's days, as CSV
//! (`by=requests`) and as the workbook's last sheet. Times in the center's zone.

use super::read::NameBook;
use hall_core::i18n::Translator;
use hall_core::kpi::{Report, RequestRow};

const COLUMNS: [&str; 9] = [
    "report-req-reference",
    "report-req-service",
    "report-req-counter",
    "report-req-clerk",
    "report-req-created",
    "report-req-expected",
    "report-req-state",
    "report-req-changed",
    "report-req-changed_by",
];

pub(super) fn header(tr: &Translator) -> Vec<String> {
    COLUMNS.iter().map(|c| tr.tr(c, &[])).collect()
}

pub(super) fn cells(
    r: &RequestRow,
    names: &NameBook,
    tr: &Translator,
    tz: chrono_tz::Tz,
) -> Vec<String> {
    let local = |t: hall_core::Timestamp| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    vec![
        r.reference.clone(),
        names.row_name(
            hall_core::kpi::ReportGrouping::Service,
            &r.service,
            tr.lang(),
        ),
        names.row_name(
            hall_core::kpi::ReportGrouping::Counter,
            &r.counter.to_string(),
            tr.lang(),
        ),
        r.clerk.clone().unwrap_or_default(),
        local(r.created_at),
        r.expected_ready.to_string(),
        tr.tr(&format!("request-state-{}", r.state), &[]),
        local(r.changed_at),
        r.changed_by.clone(),
    ]
}

/// The requests as CSV (UTF-8 with a byte-order mark, like the other groupings).
pub fn requests_csv(report: &Report, lang: &str, names: &NameBook, tz: chrono_tz::Tz) -> String {
    let tr = Translator::manager(lang);
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| super::csv::csv_field(c))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out += &line(header(&tr));
    for r in &report.requests {
        out += &line(cells(r, names, &tr, tz));
    }
    out
}

//! One grouping of a report as a CSV file.

use super::read::NameBook;
use super::table::{closing_lines, figures, header, row_name};
use hall_core::i18n::Translator;
use hall_core::kpi::{Report, ReportGrouping, ReportRow};

pub(super) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One grouping as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// Arabic correctly), a header line, one line per group, a total line, then each day's
/// closing hash. Times in minutes with one decimal; an empty cell where no ticket had that
/// time.
pub fn csv(report: &Report, by: ReportGrouping, lang: &str, names: &NameBook) -> String {
    let tr = Translator::manager(lang);
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out += &line(header(&tr, by));
    let row = |key: String, name: String, r: &ReportRow| {
        let mut cells = vec![key, name];
        cells.extend(
            figures(r)
                .iter()
                .map(|f| f.map(|v| v.to_string()).unwrap_or_default()),
        );
        cells
    };
    for r in report.rows(by) {
        out += &line(row(r.key.clone(), row_name(names, by, r, tr.lang()), r));
    }
    out += &line(row(
        tr.tr("report-total", &[]),
        String::new(),
        &report.total,
    ));
    for (label, hash) in closing_lines(&tr, report) {
        out += &line(vec![label, hash]);
    }
    out
}

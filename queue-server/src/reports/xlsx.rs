//! The whole report as an Excel workbook (rust_xlsxwriter), a sheet per grouping and one of
//! the requests.

use super::read::NameBook;
use super::table::{closing_lines, figures, header, row_name};
use hall_core::i18n::Translator;
use hall_core::kpi::{Report, ReportGrouping};

/// The whole report as an Excel workbook: one sheet per grouping, right-to-left in Arabic.
pub fn xlsx(
    report: &Report,
    lang: &str,
    names: &NameBook,
    tz: chrono_tz::Tz,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let tr = Translator::manager(lang);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let number = Format::new().set_num_format("0.0");
    for by in ReportGrouping::ALL {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\
        let title: String = tr
            .tr(&format!("report-by-{}", by.as_str()), &[])
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(title)?;
        sheet.set_right_to_left(tr.lang() == "ar");
        for (col, h) in header(&tr, by).iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, h, &bold)?;
            sheet.set_column_width(col as u16, if col < 2 { 24 } else { 16 })?;
        }
        let rows = report.rows(by);
        let total = (tr.tr("report-total", &[]), String::new(), &report.total);
        let all = rows
            .iter()
            .map(|r| (r.key.clone(), row_name(names, by, r, tr.lang()), r))
            .chain(std::iter::once(total));
        let mut line = 0;
        for (i, (key, name, r)) in all.enumerate() {
            line = i as u32 + 1;
            sheet.write_string(line, 0, &key)?;
            sheet.write_string(line, 1, &name)?;
            for (j, f) in figures(r).iter().enumerate() {
                if let Some(v) = f {
                    sheet.write_number_with_format(line, j as u16 + 2, *v, &number)?;
                }
            }
        }
        // Each day's closing hash under the table, after a blank line.
        for (k, (label, hash)) in closing_lines(&tr, report).iter().enumerate() {
            let at = line + 2 + k as u32;
            sheet.write_string_with_format(at, 0, label, &bold)?;
            sheet.write_string(at, 1, hash)?;
        }
    }
    // The requests handed in on the report's days.
    let sheet = book.add_worksheet();
    let title: String = tr
        .tr("report-requests", &[])
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(title)?;
    sheet.set_right_to_left(tr.lang() == "ar");
    for (col, h) in super::requests::header(&tr).iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, h, &bold)?;
        sheet.set_column_width(col as u16, 20)?;
    }
    for (i, r) in report.requests.iter().enumerate() {
        for (j, c) in super::requests::cells(r, names, &tr, tz).iter().enumerate() {
            sheet.write_string(i as u32 + 1, j as u16, c)?;
        }
    }
    book.save_to_buffer()
}

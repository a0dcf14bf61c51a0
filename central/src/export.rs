//! National report rows as a table for JSON, CSV and XLSX: the key, its name in the chosen
//! language (a site's, a governorate's or a service's), the center's report columns (times in minutes, the
//! same headers from `manager.ftl`) and revenue in pounds.

use crate::report::Row;
use hall_core::i18n::Translator;
use std::collections::HashMap;
use tokio_postgres::Client;

pub type Names = HashMap<String, (String, String)>;

/// Every site's names (code → (ar, en)).
pub async fn site_names(db: &Client) -> Result<Names, tokio_postgres::Error> {
    let rows = db
        .query("SELECT code, name_ar, name_en FROM sites", &[])
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect())
}

/// Every governorate's names (code → (ar, en)).
pub async fn governorate_names(db: &Client) -> Result<Names, tokio_postgres::Error> {
    let rows = db
        .query("SELECT code, name_ar, name_en FROM governorates", &[])
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect())
}

/// The names a report's keys are shown with: sites, governorates, one center's services.
#[derive(Default)]
pub struct KeyNames {
    pub sites: Names,
    pub governorates: Names,
    pub services: Names,
}

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(String, String, [Option<f64>; 9])>,
    rtl: bool,
}

fn minutes(secs: Option<f64>) -> Option<f64> {
    secs.map(|s| (s / 6.0).round() / 10.0)
}

const COLUMNS: [&str; 9] = [
    "report-col-tickets",
    "report-col-served",
    "report-col-no_shows",
    "report-col-cancelled",
    "report-col-wait_mean",
    "report-col-wait_p90",
    "report-col-service_mean",
    "report-col-service_p90",
    "report-col-revenue",
];

impl Table {
    pub fn new(rows: &[Row], by: &str, lang: &str, names: &KeyNames) -> Table {
        let tr = Translator::manager(lang);
        let ar = tr.lang() == "ar";
        let mut header = vec![
            tr.tr(&format!("report-by-{by}"), &[]),
            tr.tr("report-col-name", &[]),
        ];
        header.extend(COLUMNS.iter().map(|c| tr.tr(c, &[])));
        let names = match by {
            "center" => Some(&names.sites),
            "governorate" => Some(&names.governorates),
            "service" => Some(&names.services),
            _ => None,
        };
        let rows = rows
            .iter()
            .map(|r| {
                let name = names
                    .and_then(|n| n.get(&r.row.key))
                    .map(|(a, e)| if ar { a.clone() } else { e.clone() })
                    .unwrap_or_default();
                let x = &r.row;
                (
                    x.key.clone(),
                    name,
                    [
                        Some(f64::from(x.tickets)),
                        Some(f64::from(x.served)),
                        Some(f64::from(x.no_shows)),
                        Some(f64::from(x.cancelled)),
                        minutes(x.wait_mean_secs),
                        minutes(x.wait_p90_secs),
                        minutes(x.service_mean_secs),
                        minutes(x.service_p90_secs),
                        Some(r.revenue_piasters as f64 / 100.0),
                    ],
                )
            })
            .collect();
        Table {
            header,
            rows,
            rtl: ar,
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({ "header": self.header, "rows": self.rows.iter().map(|(k, n, f)| {
            serde_json::json!({ "key": k, "name": n, "figures": f })
        }).collect::<Vec<_>>() })
    }

    /// RFC 4180 CSV with a byte-order mark (spreadsheets then read Arabic as UTF-8).
    pub fn csv(&self) -> String {
        fn field(s: &str) -> String {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        }
        let mut out = String::from("\u{feff}");
        let line = |cells: Vec<String>| {
            cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",") + "\r\n"
        };
        out += &line(self.header.clone());
        for (k, n, f) in &self.rows {
            let mut cells = vec![k.clone(), n.clone()];
            cells.extend(
                f.iter()
                    .map(|v| v.map(|x| x.to_string()).unwrap_or_default()),
            );
            out += &line(cells);
        }
        out
    }

    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let number = Format::new().set_num_format("0.0");
        let sheet = book.add_worksheet();
        sheet.set_right_to_left(self.rtl);
        for (c, h) in self.header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
            sheet.set_column_width(c as u16, if c < 2 { 24 } else { 16 })?;
        }
        for (i, (k, n, f)) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            sheet.write_string(r, 0, k)?;
            sheet.write_string(r, 1, n)?;
            for (c, v) in f.iter().enumerate() {
                if let Some(v) = v {
                    sheet.write_number_with_format(r, c as u16 + 2, *v, &number)?;
                }
            }
        }
        book.save_to_buffer()
    }
}

//! What managers read back: reports over a date range (folded by `kpi`) exported as CSV and
//! XLSX, and the audit log (the event log plus `admin_log`), written out in both languages.
//! Reads through its own SQLite connection; never writes.

use crate::auth::AdminAction;
use crate::kpi::Kpis;
use crate::store::{self, StoreError, at_ms, from_ms};
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use protocol::i18n::{FluentValue as Value, Translator};
use protocol::manager::{AuditRow, Report, ReportGrouping, ReportRow};
use protocol::{CounterId, Envelope, Event, Names, State, TicketId};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// The names of services and counters as the hall has them now.
#[derive(Clone, Debug, Default)]
pub struct NameBook {
    pub services: HashMap<String, Names>,
    pub counters: HashMap<CounterId, Names>,
}

impl NameBook {
    pub fn of(state: &State) -> NameBook {
        NameBook {
            services: state
                .services
                .values()
                .map(|q| (q.service.code.clone(), q.service.name.clone()))
                .collect(),
            counters: state
                .counters
                .values()
                .map(|c| (c.id, c.name.clone()))
                .collect(),
        }
    }

    fn service(&self, code: &str, lang: &str) -> String {
        self.services
            .get(code)
            .map(|n| n.get(lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    fn counter(&self, id: CounterId, lang: &str) -> String {
        self.counters
            .get(&id)
            .map(|n| n.get(lang).to_string())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// The name column of a report row.
    pub fn row_name(&self, by: ReportGrouping, key: &str, lang: &str) -> String {
        match by {
            ReportGrouping::Service => self.service(key, lang),
            ReportGrouping::Counter => key
                .parse()
                .map(|id| self.counter(id, lang))
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// What to show of the audit log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditQuery {
    /// "clerk:mona" or just "mona".
    pub actor: Option<String>,
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub page_size: u32,
}

pub struct Reader {
    conn: Mutex<Connection>,
}

/// The instant a local day starts in the center's zone (the earliest, if a clock change
/// makes midnight ambiguous or skipped).
pub fn day_start(tz: Tz, day: NaiveDate) -> protocol::Timestamp {
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

impl Reader {
    pub fn open(path: &Path) -> Result<Reader, StoreError> {
        let conn = store::connect(path)?;
        Ok(Reader {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Events written from `start` (inclusive) to `end` (exclusive), in log order.
    pub fn events_between(
        &self,
        start: protocol::Timestamp,
        end: protocol::Timestamp,
    ) -> Result<Vec<Envelope>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, at_ms, actor, version, data FROM events WHERE at_ms >= ?1 AND at_ms < ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![at_ms(start), at_ms(end)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(store::decode_row(row)?);
        }
        Ok(out)
    }

    /// The report of the tickets issued on the local days `from` to `to`. The fold starts a
    /// day early (to know who had each counter open) and ends a day late (tickets still open
    /// at midnight are cancelled only by the next day's start).
    pub fn report(&self, tz: Tz, from: NaiveDate, to: NaiveDate) -> Result<Report, StoreError> {
        let start = day_start(tz, from - chrono::Duration::days(1));
        let end = day_start(tz, to + chrono::Duration::days(2));
        let events = self.events_between(start, end)?;
        Ok(Kpis::from_events(&events).report(tz, from, to))
    }

    /// A page of the audit log, newest first, and how many lines match in all.
    pub fn audit(
        &self,
        q: &AuditQuery,
        tz: Tz,
        names: &NameBook,
    ) -> Result<(Vec<AuditRow>, u64), StoreError> {
        let start = q.from.map(|d| at_ms(day_start(tz, d)));
        let end =
            q.to.map(|d| at_ms(day_start(tz, d + chrono::Duration::days(1))));
        let actor = q.actor.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let kind = q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty());
        const LOG: &str =
            "SELECT 'event' AS src, seq AS id, at_ms, actor, kind, version, data FROM events
             UNION ALL SELECT 'admin', id, at_ms, actor, kind, 0, data FROM admin_log";
        const WHERE: &str = "WHERE (?1 IS NULL OR actor = ?1 OR substr(actor, instr(actor, ':') + 1) = ?1)
               AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR at_ms >= ?3) AND (?4 IS NULL OR at_ms < ?4)";
        let conn = self.conn();
        let total: u64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM ({LOG}) {WHERE}"),
            params![actor, kind, start, end],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT src, id, at_ms, actor, kind, version, data FROM ({LOG}) {WHERE}
             ORDER BY at_ms DESC, src DESC, id DESC LIMIT ?5 OFFSET ?6"
        ))?;
        let size = q.page_size.clamp(1, protocol::wire::MAX_AUDIT_PAGE);
        let offset = u64::from(q.page) * u64::from(size);
        let mut rows = stmt.query(params![actor, kind, start, end, size, offset as i64])?;
        let mut raw = Vec::new();
        while let Some(row) = rows.next()? {
            let src: String = row.get(0)?;
            let id: u64 = row.get(1)?;
            let at: i64 = row.get(2)?;
            let actor: String = row.get(3)?;
            let kind: String = row.get(4)?;
            let version: u32 = row.get(5)?;
            let data: String = row.get(6)?;
            let entry = if src == "event" {
                Event::decode(version, &data)
                    .map(Entry::Event)
                    .map_err(|e| e.to_string())
            } else {
                serde_json::from_str::<AdminAction>(&data)
                    .map(Entry::Admin)
                    .map_err(|e| e.to_string())
            };
            let entry = entry.map_err(|reason| StoreError::Corrupt { seq: id, reason })?;
            raw.push((src, id, from_ms(at), actor, kind, entry));
        }
        drop(rows);
        drop(stmt);
        let labels = ticket_labels(&conn, &raw)?;
        drop(conn);
        let (ar, en) = (Translator::manager("ar"), Translator::manager("en"));
        let out = raw
            .into_iter()
            .map(|(source, id, at, actor, kind, entry)| AuditRow {
                text: Names {
                    ar: describe(&ar, &entry, names, &labels),
                    en: describe(&en, &entry, names, &labels),
                },
                source,
                id,
                at,
                actor,
                kind,
            })
            .collect();
        Ok((out, total))
    }
}

enum Entry {
    Event(Event),
    Admin(AdminAction),
}

/// Labels of the tickets a page of the audit mentions, from their `ticket_issued` events.
fn ticket_labels(
    conn: &Connection,
    raw: &[(String, u64, protocol::Timestamp, String, String, Entry)],
) -> Result<HashMap<TicketId, String>, StoreError> {
    let mut labels = HashMap::new();
    let mut wanted: Vec<u64> = Vec::new();
    for (_, _, _, _, _, e) in raw {
        if let Entry::Event(e) = e {
            match e {
                Event::TicketIssued { ticket } => {
                    labels.insert(ticket.id, ticket.label.clone());
                }
                e => wanted.extend(e.ticket().map(|t| t.0)),
            }
        }
    }
    wanted.retain(|t| !labels.contains_key(&TicketId(*t)));
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(labels);
    }
    let list = wanted
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    // The ids are numbers we formatted, not input: safe to place in the statement.
    let mut stmt = conn.prepare(&format!(
        "SELECT json_extract(data, '$.ticket.id'), json_extract(data, '$.ticket.label') FROM events
         WHERE kind = 'ticket_issued' AND json_extract(data, '$.ticket.id') IN ({list})"
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, label) = row?;
        labels.insert(TicketId(id), label);
    }
    Ok(labels)
}

fn describe(
    tr: &Translator,
    entry: &Entry,
    names: &NameBook,
    labels: &HashMap<TicketId, String>,
) -> String {
    let lang = tr.lang();
    let s = |v: String| Value::from(v);
    let ticket = |t: &TicketId| s(labels.get(t).cloned().unwrap_or_else(|| format!("#{t}")));
    let counter = |c: &CounterId| s(names.counter(*c, lang));
    let service = |code: &str| s(names.service(code, lang));
    let role = |r: &protocol::wire::Role| {
        let id = format!("role-{}", format!("{r:?}").to_lowercase());
        s(tr.tr(&id, &[]))
    };
    match entry {
        Entry::Admin(a) => match a {
            AdminAction::UserCreated { username, role: r } => tr.tr(
                "audit-user_created",
                &[("username", s(username.clone())), ("role", role(r))],
            ),
            AdminAction::PasswordReset { username } => {
                tr.tr("audit-password_reset", &[("username", s(username.clone()))])
            }
            AdminAction::UserDisabled { username } => {
                tr.tr("audit-user_disabled", &[("username", s(username.clone()))])
            }
            AdminAction::UserEnabled { username } => {
                tr.tr("audit-user_enabled", &[("username", s(username.clone()))])
            }
            AdminAction::DevicePaired { name, role: r } => tr.tr(
                "audit-device_paired",
                &[("name", s(name.clone())), ("role", role(r))],
            ),
            AdminAction::DeviceRevoked { name } => {
                tr.tr("audit-device_revoked", &[("name", s(name.clone()))])
            }
        },
        Entry::Event(e) => match e {
            Event::CatalogLoaded { catalog } => tr.tr(
                "audit-catalog_loaded",
                &[
                    ("services", Value::from(catalog.services.len())),
                    ("counters", Value::from(catalog.counters.len())),
                ],
            ),
            Event::DayStarted { day } => tr.tr("audit-day_started", &[("day", s(day.to_string()))]),
            Event::TicketIssued { ticket: t } => tr.tr(
                "audit-ticket_issued",
                &[
                    ("ticket", s(t.label.clone())),
                    ("service", service(&t.service)),
                    (
                        "priority",
                        s(tr.tr(&format!("priority-{}", enum_name(&t.priority)), &[])),
                    ),
                ],
            ),
            Event::TicketCalled {
                ticket: t,
                counter: c,
                out_of_order_reason,
            } => match out_of_order_reason {
                Some(reason) => tr.tr(
                    "audit-ticket_called_out_of_order",
                    &[
                        ("ticket", ticket(t)),
                        ("counter", counter(c)),
                        ("reason", s(reason.clone())),
                    ],
                ),
                None => tr.tr(
                    "audit-ticket_called",
                    &[("ticket", ticket(t)), ("counter", counter(c))],
                ),
            },
            Event::TicketRecalled {
                ticket: t,
                counter: c,
            } => tr.tr(
                "audit-ticket_recalled",
                &[("ticket", ticket(t)), ("counter", counter(c))],
            ),
            Event::ServiceStarted {
                ticket: t,
                counter: c,
            } => tr.tr(
                "audit-service_started",
                &[("ticket", ticket(t)), ("counter", counter(c))],
            ),
            Event::TicketFinished {
                ticket: t,
                counter: c,
                outcome,
                ..
            } => tr.tr(
                "audit-ticket_finished",
                &[
                    ("ticket", ticket(t)),
                    ("counter", counter(c)),
                    (
                        "outcome",
                        s(tr.tr(&format!("outcome-{}", enum_name(outcome)), &[])),
                    ),
                ],
            ),
            Event::TicketNoShow {
                ticket: t,
                counter: c,
            } => tr.tr(
                "audit-ticket_no_show",
                &[("ticket", ticket(t)), ("counter", counter(c))],
            ),
            Event::TicketCancelled { ticket: t, reason } => tr.tr(
                "audit-ticket_cancelled",
                &[
                    ("ticket", ticket(t)),
                    (
                        "reason",
                        s(tr.tr(&format!("audit-reason-{}", enum_name(reason)), &[])),
                    ),
                ],
            ),
            Event::TicketTransferred {
                ticket: t,
                to_service,
                to_counter,
                front,
                ..
            } => {
                let place = tr.tr(if *front { "audit-front" } else { "audit-back" }, &[]);
                let target = match to_counter {
                    Some(c) => names.counter(*c, lang),
                    None => names.service(to_service, lang),
                };
                tr.tr(
                    "audit-ticket_transferred",
                    &[
                        ("ticket", ticket(t)),
                        ("target", s(format!("{target} ({place})"))),
                    ],
                )
            }
            Event::TicketParked {
                ticket: t,
                counter: c,
                ..
            } => tr.tr(
                "audit-ticket_parked",
                &[("ticket", ticket(t)), ("counter", counter(c))],
            ),
            Event::TicketReturned {
                ticket: t,
                counter: c,
            } => tr.tr(
                "audit-ticket_returned",
                &[("ticket", ticket(t)), ("counter", counter(c))],
            ),
            Event::PrinterStatusChanged {
                device,
                status,
                detail,
            } => tr.tr(
                "audit-printer_status_changed",
                &[
                    ("device", s(device.clone())),
                    (
                        "status",
                        s(tr.tr(&format!("printer-status-{}", status.as_str()), &[])),
                    ),
                    ("detail", s(detail.clone())),
                ],
            ),
            Event::CounterOpened { counter: c, clerk } => tr.tr(
                "audit-counter_opened",
                &[("counter", counter(c)), ("clerk", s(clerk.clone()))],
            ),
            Event::CounterClosed { counter: c } => {
                tr.tr("audit-counter_closed", &[("counter", counter(c))])
            }
            Event::CounterPaused { counter: c } => {
                tr.tr("audit-counter_paused", &[("counter", counter(c))])
            }
            Event::CounterResumed { counter: c } => {
                tr.tr("audit-counter_resumed", &[("counter", counter(c))])
            }
            Event::ServiceAvailabilitySet {
                service: code,
                open,
            } => tr.tr(
                "audit-service_availability_set",
                &[
                    ("service", service(code)),
                    ("open", s(if *open { "yes" } else { "no" }.to_string())),
                ],
            ),
            Event::CounterProfileSet {
                counter: c,
                profile,
            } => {
                let list = profile
                    .iter()
                    .map(|p| format!("{} ×{}", names.service(&p.service, lang), p.weight))
                    .collect::<Vec<_>>()
                    .join(if lang == "ar" { "، " } else { ", " });
                tr.tr(
                    "audit-counter_profile_set",
                    &[("counter", counter(c)), ("profile", s(list))],
                )
            }
            Event::MessageSet { text } if text.is_empty() => tr.tr("audit-message_cleared", &[]),
            Event::MessageSet { text } => tr.tr("audit-message_set", &[("text", s(text.clone()))]),
        },
    }
}

/// The snake_case wire name of a unit enum value.
fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
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
    "",
];

fn figures(r: &ReportRow) -> [Option<f64>; 8] {
    [
        Some(f64::from(r.tickets)),
        Some(f64::from(r.served)),
        Some(f64::from(r.no_shows)),
        Some(f64::from(r.cancelled)),
        minutes(r.wait_mean_secs),
        minutes(r.wait_p90_secs),
        minutes(r.service_mean_secs),
        minutes(r.service_p90_secs),
    ]
}

fn header(tr: &Translator, by: ReportGrouping) -> Vec<String> {
    let mut h = vec![
        tr.tr(&format!("report-by-{}", by.as_str()), &[]),
        tr.tr("report-col-name", &[]),
    ];
    h.extend(
        COLUMNS
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| tr.tr(c, &[])),
    );
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

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One grouping as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// Arabic correctly), a header line, one line per group and a total line. Times in minutes
/// with one decimal; an empty cell where no ticket had that time.
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
        out += &line(row(r.key.clone(), names.row_name(by, &r.key, tr.lang()), r));
    }
    out += &line(row(
        tr.tr("report-total", &[]),
        String::new(),
        &report.total,
    ));
    out
}

/// The whole report as an Excel workbook: one sheet per grouping, right-to-left in Arabic.
pub fn xlsx(
    report: &Report,
    lang: &str,
    names: &NameBook,
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
            .map(|r| (r.key.clone(), names.row_name(by, &r.key, tr.lang()), r))
            .chain(std::iter::once(total));
        for (i, (key, name, r)) in all.enumerate() {
            let line = i as u32 + 1;
            sheet.write_string(line, 0, &key)?;
            sheet.write_string(line, 1, &name)?;
            for (j, f) in figures(r).iter().enumerate() {
                if let Some(v) = f {
                    sheet.write_number_with_format(line, j as u16 + 2, *v, &number)?;
                }
            }
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, tickets: u32, wait: Option<f64>) -> ReportRow {
        ReportRow {
            key: key.into(),
            tickets,
            served: tickets,
            no_shows: 0,
            cancelled: 0,
            wait_mean_secs: wait,
            wait_p90_secs: wait,
            service_mean_secs: None,
            service_p90_secs: None,
        }
    }

    fn report() -> Report {
        Report {
            from: "2026-11-01".parse().unwrap(),
            to: "2026-11-22".parse().unwrap(),
            total: row("", 3, Some(150.0)),
            by_day: vec![],
            by_hour: vec![],
            by_service: vec![row("CIT-BIRTH", 2, Some(90.0)), row("CIT-TAX", 1, None)],
            by_counter: vec![],
            by_clerk: vec![],
        }
    }

    #[test]
    fn csv_has_translated_headers_names_minutes_and_a_total() {
        let mut names = NameBook::default();
        names.services.insert(
            "CIT-BIRTH".into(),
            Names::new("استخراج شهادة ميلاد", "Birth certificate, copy"),
        );
        let en = csv(&report(), ReportGrouping::Service, "en", &names);
        let lines: Vec<&str> = en.trim_start_matches('\u{feff}').lines().collect();
        assert!(lines[0].starts_with("Service,Name,Tickets,Served,No-shows"));
        assert_eq!(
            lines[1],
            "CIT-BIRTH,\"Birth certificate, copy\",2,2,0,0,1.5,1.5,,"
        );
        assert_eq!(lines[2], "CIT-TAX,CIT-TAX,1,1,0,0,,,,");
        assert_eq!(lines[3], "Total,,3,3,0,0,2.5,2.5,,");
        let ar = csv(&report(), ReportGrouping::Service, "ar", &names);
        assert!(ar.contains("الخدمة,الاسم,التذاكر"));
        assert!(ar.contains("استخراج شهادة ميلاد"));
        assert_eq!(
            file_name(&report(), Some(ReportGrouping::Service), "csv"),
            "tabour-report-service-2026-11-01_2026-11-22.csv"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = xlsx(&report(), "ar", &NameBook::default()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn local_days_start_at_local_midnight() {
        let cairo: Tz = "Africa/Cairo".parse().unwrap();
        // Cairo is UTC+2 in November.
        assert_eq!(
            day_start(cairo, "2026-11-22".parse().unwrap()),
            "2026-11-21T22:00:00Z"
                .parse::<protocol::Timestamp>()
                .unwrap()
        );
    }
}

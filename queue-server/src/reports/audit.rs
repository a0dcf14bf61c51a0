//! The audit log: the events and `admin_log` merged newest first, filtered, one page at a
//! time, each line written out in Arabic and English from `manager.ftl`.

use super::read::{AuditQuery, NameBook, Reader};
use crate::auth::AdminAction;
use crate::store::{StoreError, at_ms, from_ms};
use chrono_tz::Tz;
use hall_core::clock::day_start;
use hall_core::i18n::{FluentValue as Value, Translator};
use hall_core::{CounterId, Event, Names, TicketId};
use hall_wire::manager::AuditRow;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// Every kind a line of the audit log may have: the events', then the managers' actions.
pub fn kinds() -> Vec<String> {
    Event::KINDS
        .iter()
        .chain(AdminAction::KINDS.iter())
        .map(|k| k.to_string())
        .collect()
}

impl Reader {
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
        let size = q.page_size.clamp(1, hall_wire::MAX_AUDIT_PAGE);
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
    raw: &[(String, u64, hall_core::Timestamp, String, String, Entry)],
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
    let role = |r: &hall_core::role::Role| {
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
            AdminAction::AccountLocked {
                username,
                source,
                failures,
                minutes,
            } => tr.tr(
                "audit-account_locked",
                &[
                    ("username", s(username.clone())),
                    ("source", s(source.clone())),
                    ("failures", Value::from(*failures)),
                    ("minutes", Value::from(*minutes)),
                ],
            ),
            AdminAction::AccountUnlocked { username } => tr.tr(
                "audit-account_unlocked",
                &[("username", s(username.clone()))],
            ),
            AdminAction::ChainBreakFound {
                chain,
                row,
                problem,
            } => tr.tr(
                "audit-chain_break_found",
                &[
                    ("chain", s(chain.clone())),
                    ("row", Value::from(*row)),
                    ("problem", s(problem.clone())),
                ],
            ),
            AdminAction::SnapshotRefused { seq, reason } => tr.tr(
                "audit-snapshot_refused",
                &[("seq", Value::from(*seq)), ("reason", s(reason.clone()))],
            ),
            AdminAction::ChainBreakAccepted {
                chain,
                row,
                problem,
            } => tr.tr(
                "audit-chain_break_accepted",
                &[
                    ("chain", s(chain.clone())),
                    ("row", Value::from(*row)),
                    ("problem", s(problem.clone())),
                ],
            ),
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
                reference,
            } => {
                let mut args = vec![
                    ("ticket", ticket(t)),
                    ("counter", counter(c)),
                    (
                        "outcome",
                        s(tr.tr(&format!("outcome-{}", enum_name(outcome)), &[])),
                    ),
                ];
                // The request's reference is what a citizen and an inspector quote.
                match reference
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                {
                    Some(r) => {
                        args.push(("reference", s(r.to_string())));
                        tr.tr("audit-ticket_finished_ref", &args)
                    }
                    None => tr.tr("audit-ticket_finished", &args),
                }
            }
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
            Event::RequestCreated {
                reference,
                ticket: t,
                service: code,
                expected_ready,
                ..
            } => tr.tr(
                "audit-request_created",
                &[
                    ("reference", s(reference.clone())),
                    ("ticket", ticket(t)),
                    ("service", service(code)),
                    ("date", s(expected_ready.to_string())),
                ],
            ),
            Event::RequestStateChanged {
                reference,
                state,
                note,
            } => {
                let sep = if lang == "ar" { "، " } else { ", " };
                let detail = match state {
                    hall_core::request::RequestState::NeedsDocuments { documents } => {
                        documents.join(sep)
                    }
                    hall_core::request::RequestState::Rejected { reason } => reason.clone(),
                    _ => String::new(),
                };
                let detail = [detail, note.clone()]
                    .into_iter()
                    .filter(|d| !d.is_empty())
                    .collect::<Vec<_>>()
                    .join(" — ");
                tr.tr(
                    "audit-request_state_changed",
                    &[
                        ("reference", s(reference.clone())),
                        (
                            "state",
                            s(tr.tr(&format!("request-state-{}", state.name()), &[])),
                        ),
                        ("detail", s(detail)),
                    ],
                )
            }
            Event::FeedbackGiven {
                ticket: t, rating, ..
            } => tr.tr(
                "audit-feedback_given",
                &[("ticket", ticket(t)), ("rating", s(rating.to_string()))],
            ),
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

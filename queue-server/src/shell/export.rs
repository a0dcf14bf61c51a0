//! `GET /reports/export`: a report as a CSV or XLSX file. The manager's session token comes
//! in the `Authorization: Bearer` header, never in the URL (URLs end up in logs and browser
//! history).

use crate::reports;
use crate::shell::hub::Hub;
use axum::extract::{Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use hall_core::kpi::ReportGrouping;
use hall_core::role::Role;
use hall_wire::MAX_REPORT_DAYS;
use std::sync::Arc;

#[derive(Debug, serde::Deserialize)]
pub struct ExportQuery {
    from: String,
    to: String,
    /// `csv` (one grouping) or `xlsx` (every grouping, a sheet each).
    #[serde(default)]
    format: String,
    /// The grouping of a CSV file: day, hour, service, counter, clerk.
    #[serde(default)]
    by: String,
    /// Language of the headers and names: `ar` (default) or `en`.
    #[serde(default)]
    lang: String,
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}

pub async fn export(
    AxState(hub): AxState<Arc<Hub>>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "send the session token as Authorization: Bearer TOKEN",
        );
    };
    match hub.auth.session(token, (hub.clock)()) {
        Ok(s) if s.role == Role::Manager => {}
        Ok(_) => return refuse(StatusCode::FORBIDDEN, "reports are for managers"),
        Err(_) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "the session is unknown or has expired",
            );
        }
    }
    let Ok(Query(q)) = query else {
        return refuse(StatusCode::BAD_REQUEST, "from and to are required");
    };
    let (Ok(from), Ok(to)) = (q.from.parse::<NaiveDate>(), q.to.parse::<NaiveDate>()) else {
        return refuse(StatusCode::BAD_REQUEST, "from and to are dates: YYYY-MM-DD");
    };
    if !(0..MAX_REPORT_DAYS).contains(&(to - from).num_days()) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "a report covers 1 to 366 days, from a date not after its end",
        );
    }
    let lang = if q.lang == "en" { "en" } else { "ar" };
    // `by=requests`: the requests handed in on the report's days (issue 12).
    let requests = q.format == "csv" && q.by == "requests";
    let by = match q.format.as_str() {
        "csv" if requests => None,
        "csv" => match ReportGrouping::parse(&q.by) {
            Some(by) => Some(by),
            None => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "by is one of day, hour, service, counter, clerk, requests",
                );
            }
        },
        "xlsx" => None,
        _ => return refuse(StatusCode::BAD_REQUEST, "format is csv or xlsx"),
    };
    let (reader, tz, names) = (hub.reader.clone(), hub.tz, hub.names.clone());
    let now = (hub.clock)();
    let made = tokio::task::spawn_blocking(move || {
        let report = reader
            .report(tz, from, to, now)
            .map_err(|e| e.to_string())?;
        if requests {
            return Ok((
                reports::requests_csv(&report, lang, &names, tz).into_bytes(),
                format!("tabour-requests-{}_{}.csv", report.from, report.to),
                "text/csv; charset=utf-8",
            ));
        }
        match by {
            Some(by) => Ok((
                reports::csv(&report, by, lang, &names).into_bytes(),
                reports::file_name(&report, Some(by), "csv"),
                "text/csv; charset=utf-8",
            )),
            None => reports::xlsx(&report, lang, &names, tz)
                .map(|bytes| {
                    (
                        bytes,
                        reports::file_name(&report, None, "xlsx"),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    )
                })
                .map_err(|e| e.to_string()),
        }
    })
    .await;
    match made {
        Ok(Ok((bytes, name, mime))) => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "report export failed");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the report could not be made",
            )
        }
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the report could not be made",
        ),
    }
}

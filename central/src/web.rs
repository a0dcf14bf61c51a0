//! The national console's HTTP side: the page and its files (compiled in, no build step; the
//! Fluent library, fonts and shared scripts are the center's, from `web-assets`), sign-in for
//! viewers, and the JSON the page renders: the live overview (also as a stream that pushes a
//! fresh one after each committed batch, at most once a second), a site's drill-down, and
//! reports as JSON, CSV or XLSX. A governorate viewer sees only their governorate.

use crate::ingest::Progress;
use crate::live;
use crate::report::{self, Scope};
use crate::viewers::{self, Viewer};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::watch;
use tokio_postgres::Client;

pub struct App {
    pub db: Client,
    pub progress: watch::Receiver<Progress>,
    pub long_wait_minutes: i64,
}

struct Own {
    path: &'static str,
    body: &'static [u8],
}

macro_rules! own {
    ($path:literal, $file:literal) => {
        Own {
            path: $path,
            body: include_bytes!($file),
        }
    };
}

static OWN: &[Own] = &[
    own!("js/national.js", "../web/js/national.js"),
    own!("css/national.css", "../web/css/national.css"),
    own!("i18n/ar/national.ftl", "../../assets/i18n/ar/national.ftl"),
    own!("i18n/en/national.ftl", "../../assets/i18n/en/national.ftl"),
];
static PAGE: &[u8] = include_bytes!("../web/national.html");

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/static/{*path}", get(static_file))
        .route("/healthz", get(healthz))
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/overview", get(overview))
        .route("/api/live", get(live_stream))
        .route("/api/site/{code}", get(site))
        .route("/api/report", get(report_rows))
        .with_state(app)
}

fn with_type(body: &'static [u8], path: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(web_assets::content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn page() -> Response {
    let mut r = with_type(PAGE, "national.html");
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    r
}

async fn static_file(Path(path): Path<String>) -> Response {
    if let Some(f) = OWN.iter().find(|f| f.path == path) {
        return with_type(f.body, f.path);
    }
    match web_assets::ASSETS.iter().find(|a| a.path == path) {
        Some(a) => with_type(a.body, a.path),
        None => (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    }
}

async fn healthz(State(app): State<Arc<App>>) -> String {
    let p = app.progress.borrow().clone();
    format!("ok: {} events in {} batches\n", p.events, p.batches)
}

/// A refusal the page shows by its code (translated there).
fn refuse(status: StatusCode, code: &'static str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": code }))).into_response()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

async fn viewer(app: &App, headers: &HeaderMap) -> Result<Viewer, Response> {
    let Some(token) = bearer(headers) else {
        return Err(refuse(StatusCode::UNAUTHORIZED, "not_signed_in"));
    };
    match viewers::session(&app.db, token, Utc::now()).await {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(refuse(StatusCode::UNAUTHORIZED, "session_expired")),
        Err(e) => {
            tracing::error!(error = %e, "session look-up");
            Err(refuse(StatusCode::SERVICE_UNAVAILABLE, "storage_failure"))
        }
    }
}

#[derive(Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

async fn login(State(app): State<Arc<App>>, body: axum::Json<LoginBody>) -> Response {
    match viewers::login(&app.db, &body.username, &body.password, Utc::now()).await {
        Ok(Some((token, v))) => axum::Json(serde_json::json!({
            "token": token,
            "username": v.username,
            "display_name": v.display_name,
            "governorate": v.governorate,
        }))
        .into_response(),
        Ok(None) => refuse(StatusCode::UNAUTHORIZED, "bad_credentials"),
        Err(e) => {
            tracing::error!(error = %e, "login");
            refuse(StatusCode::SERVICE_UNAVAILABLE, "storage_failure")
        }
    }
}

async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> StatusCode {
    if let Some(t) = bearer(&headers) {
        let _ = viewers::logout(&app.db, t).await;
    }
    StatusCode::NO_CONTENT
}

async fn me(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match viewer(&app, &headers).await {
        Ok(v) => axum::Json(serde_json::json!({
            "username": v.username, "display_name": v.display_name, "governorate": v.governorate,
        }))
        .into_response(),
        Err(r) => r,
    }
}

/// A governorate viewer asked for another governorate.
struct OtherGovernorate;

impl IntoResponse for OtherGovernorate {
    fn into_response(self) -> Response {
        refuse(StatusCode::FORBIDDEN, "other_governorate")
    }
}

#[derive(Deserialize, Default)]
struct ScopeQuery {
    governorate: Option<String>,
    center: Option<String>,
}

/// The scope asked for, narrowed to what the viewer may see.
/// `Err`: the viewer asked for another governorate.
fn scope_for(
    v: &Viewer,
    q: &ScopeQuery,
) -> Result<(Option<String>, Option<String>), OtherGovernorate> {
    let gov = match (&v.governorate, &q.governorate) {
        (Some(mine), Some(asked)) if mine != asked => return Err(OtherGovernorate),
        (Some(mine), _) => Some(mine.clone()),
        (None, asked) => asked.clone().filter(|g| !g.is_empty()),
    };
    Ok((gov, q.center.clone().filter(|c| !c.is_empty())))
}

async fn overview_json(
    app: &App,
    gov: Option<&str>,
    center: Option<&str>,
) -> Result<String, Response> {
    let now = Utc::now();
    let sites = live::sites(&app.db, gov, center, now).await.map_err(|e| {
        tracing::error!(error = %e, "overview");
        refuse(StatusCode::SERVICE_UNAVAILABLE, "storage_failure")
    })?;
    let mut o = serde_json::to_value(live::overview(sites, now, app.long_wait_minutes))
        .expect("overview serializes");
    o["committed_at"] =
        serde_json::to_value(app.progress.borrow().committed_at).unwrap_or_default();
    let names = app
        .db
        .query("SELECT code, name_ar, name_en FROM governorates", &[])
        .await
        .unwrap_or_default();
    o["governorate_names"] = names
        .iter()
        .map(|r| {
            (
                r.get::<_, String>(0),
                serde_json::json!([r.get::<_, String>(1), r.get::<_, String>(2)]),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into();
    Ok(o.to_string())
}

async fn overview(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<ScopeQuery>,
) -> Response {
    let v = match viewer(&app, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (gov, center) = match scope_for(&v, &q) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    if let Some(c) = &center
        && !may_see(&app, &v, c).await
    {
        return refuse(StatusCode::FORBIDDEN, "other_governorate");
    }
    match overview_json(&app, gov.as_deref(), center.as_deref()).await {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(r) => r,
    }
}

async fn may_see(app: &App, v: &Viewer, center: &str) -> bool {
    let Some(mine) = &v.governorate else {
        return true;
    };
    let row = app
        .db
        .query_opt("SELECT governorate FROM sites WHERE code = $1", &[&center])
        .await
        .ok()
        .flatten();
    row.is_some_and(|r| r.get::<_, String>(0) == *mine)
}

/// Server-sent events: a fresh overview after each commit (at most one a second) and every
/// ten seconds regardless (ages and "offline" move with time alone).
async fn live_stream(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<ScopeQuery>,
) -> Response {
    let v = match viewer(&app, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (gov, center) = match scope_for(&v, &q) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let mut progress = app.progress.clone();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(2);
    tokio::spawn(async move {
        loop {
            let json = match overview_json(&app, gov.as_deref(), center.as_deref()).await {
                Ok(j) => j,
                Err(_) => "{\"error\":\"storage_failure\"}".into(),
            };
            if tx.send(Ok(format!("data: {json}\n\n"))).await.is_err() {
                return;
            }
            let _ =
                tokio::time::timeout(std::time::Duration::from_secs(10), progress.changed()).await;
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    });
    let body = Body::from_stream(tokio_stream_from(rx));
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<String, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<String, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[derive(Deserialize)]
struct SiteQuery {
    date: Option<NaiveDate>,
}

/// One site: its live figures and today's (or a day's) figures by service, clerk and hour.
async fn site(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<SiteQuery>,
) -> Response {
    let v = match viewer(&app, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !may_see(&app, &v, &code).await {
        return refuse(StatusCode::FORBIDDEN, "other_governorate");
    }
    let now = Utc::now();
    let day = q
        .date
        .unwrap_or_else(|| now.with_timezone(&chrono_tz::Africa::Cairo).date_naive());
    let scope = Scope::Center(code.clone());
    let result = async {
        let live = live::sites(&app.db, None, Some(&code), now).await?;
        let by = |k: &'static str| report::rows(&app.db, &scope, day, day, report::key_of(k));
        Ok::<_, tokio_postgres::Error>(serde_json::json!({
            "site": live.first(),
            "day": day,
            "by_service": rows_json(by("service").await?, &names(&app.db, &code).await?),
            "by_clerk": rows_json(by("clerk").await?, &Default::default()),
            "by_hour": rows_json(by("hour").await?, &Default::default()),
            "closings": crate::closing::of_site(&app.db, &code, 7).await?,
        }))
    }
    .await;
    match result {
        Ok(j) if j["site"].is_null() => refuse(StatusCode::NOT_FOUND, "no_such_site"),
        Ok(j) => axum::Json(j).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "site");
            refuse(StatusCode::SERVICE_UNAVAILABLE, "storage_failure")
        }
    }
}

/// Service names of a center (code → (ar, en)).
async fn names(
    db: &Client,
    center: &str,
) -> Result<std::collections::HashMap<String, (String, String)>, tokio_postgres::Error> {
    let rows = db
        .query(
            "SELECT code, name_ar, name_en FROM services WHERE center = $1",
            &[&center],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect())
}

fn rows_json(
    rows: Vec<report::Row>,
    names: &std::collections::HashMap<String, (String, String)>,
) -> serde_json::Value {
    rows.into_iter()
        .map(|r| {
            let (ar, en) = names.get(&r.row.key).cloned().unwrap_or_default();
            serde_json::json!({
                "key": r.row.key, "name_ar": ar, "name_en": en,
                "tickets": r.row.tickets, "served": r.row.served, "no_shows": r.row.no_shows,
                "cancelled": r.row.cancelled, "wait_mean_secs": r.row.wait_mean_secs,
                "wait_p90_secs": r.row.wait_p90_secs, "service_mean_secs": r.row.service_mean_secs,
                "service_p90_secs": r.row.service_p90_secs, "revenue_piasters": r.revenue_piasters,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct ReportQuery {
    governorate: Option<String>,
    center: Option<String>,
    from: NaiveDate,
    to: NaiveDate,
    by: String,
    format: Option<String>,
    lang: Option<String>,
}

async fn report_rows(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Response {
    let v = match viewer(&app, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let sq = ScopeQuery {
        governorate: q.governorate.clone(),
        center: q.center.clone(),
    };
    let (gov, center) = match scope_for(&v, &sq) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    if let Some(c) = &center
        && !may_see(&app, &v, c).await
    {
        return refuse(StatusCode::FORBIDDEN, "other_governorate");
    }
    let Some(key) = report::key_of(&q.by) else {
        return refuse(StatusCode::BAD_REQUEST, "bad_grouping");
    };
    if q.to < q.from || (q.to - q.from).num_days() > 366 {
        return refuse(StatusCode::BAD_REQUEST, "bad_range");
    }
    let scope = match (&center, &gov) {
        (Some(c), _) => Scope::Center(c.clone()),
        (None, Some(g)) => Scope::Governorate(g.clone()),
        (None, None) => Scope::Nation,
    };
    let rows = match report::rows(&app.db, &scope, q.from, q.to, Some(key)).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "report");
            return refuse(StatusCode::SERVICE_UNAVAILABLE, "storage_failure");
        }
    };
    let key_names = crate::export::KeyNames {
        sites: crate::export::site_names(&app.db).await.unwrap_or_default(),
        governorates: crate::export::governorate_names(&app.db)
            .await
            .unwrap_or_default(),
        services: match &center {
            Some(c) => names(&app.db, c).await.unwrap_or_default(),
            None => Default::default(),
        },
    };
    let lang = q.lang.as_deref().unwrap_or("ar");
    let table = crate::export::Table::new(&rows, &q.by, lang, &key_names);
    let stem = format!("tabour-national-{}-{}_{}", q.by, q.from, q.to);
    match q.format.as_deref().unwrap_or("json") {
        "csv" => download(
            table.csv().into_bytes(),
            &format!("{stem}.csv"),
            "text/csv; charset=utf-8",
        ),
        "xlsx" => match table.xlsx() {
            Ok(bytes) => download(
                bytes,
                &format!("{stem}.xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            Err(e) => {
                tracing::error!(error = %e, "xlsx");
                refuse(StatusCode::INTERNAL_SERVER_ERROR, "export_failed")
            }
        },
        _ => axum::Json(table.json()).into_response(),
    }
}

fn download(bytes: Vec<u8>, name: &str, kind: &'static str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

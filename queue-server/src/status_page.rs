//! `/r/{reference}`: a request's status for the citizen, as plain HTML that reads without
//! JavaScript (the receipt's QR code opens it). The page asks for the last four digits of the
//! citizen's phone or national ID (a form posted back to the same address); the right digits
//! show the state, the documents still needed, the expected ready day and the history. Wrong
//! digits — and an unknown reference, which reads the same — are refused and limited
//! (`suffix_guard.rs`). Arabic first; `?lang=en` for English. Words from `queue.ftl`.

use crate::shell::handlers::requests;
use crate::shell::hub::Hub;
use crate::web::esc;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Form, Path, Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hall_core::error::ErrorCode;
use hall_core::i18n::{FluentValue, Translator};
use hall_core::request::{RequestState, RequestStatusView, normalize_reference, state_text};
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(serde::Deserialize, Default)]
pub struct Lang {
    #[serde(default)]
    lang: String,
}

#[derive(serde::Deserialize)]
pub struct Asked {
    #[serde(default)]
    suffix: String,
    #[serde(default)]
    lang: String,
}

fn tr_for(lang: &str) -> Translator {
    Translator::new(if lang == "en" { "en" } else { "ar" })
}

/// GET: the question.
pub async fn ask(
    AxState(hub): AxState<Arc<Hub>>,
    Path(reference): Path<String>,
    Query(q): Query<Lang>,
    headers: HeaderMap,
) -> Response {
    let tr = tr_for(&q.lang);
    page(&headers, &tr, &hub, &reference, None, Body::Ask)
}

/// POST: the answer, or the refusal.
pub async fn answer(
    AxState(hub): AxState<Arc<Hub>>,
    Path(reference): Path<String>,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(asked): Form<Asked>,
) -> Response {
    let tr = tr_for(&asked.lang);
    // The peer's address (no proxy is trusted: a forwarded header could be anything).
    let client = connect
        .map(|c| c.0.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    match requests::status(&hub, &reference, &asked.suffix, &client).await {
        Ok(view) => page(
            &headers,
            &tr,
            &hub,
            &reference,
            None,
            Body::Status(Box::new(view)),
        ),
        Err(e) => {
            let status = match e.code {
                ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::WrongSuffix => StatusCode::FORBIDDEN,
                _ => StatusCode::SERVICE_UNAVAILABLE,
            };
            let mut r = page(
                &headers,
                &tr,
                &hub,
                &reference,
                Some(tr.error(e.code)),
                Body::Ask,
            );
            *r.status_mut() = status;
            r
        }
    }
}

enum Body {
    Ask,
    Status(Box<RequestStatusView>),
}

fn page(
    request: &HeaderMap,
    tr: &Translator,
    hub: &Hub,
    reference: &str,
    error: Option<String>,
    body: Body,
) -> Response {
    let lang = tr.lang();
    let (dir, other, other_lang) = if lang == "ar" {
        ("rtl", "English", "en")
    } else {
        ("ltr", "العربية", "ar")
    };
    let shown =
        normalize_reference(reference).unwrap_or_else(|| reference.chars().take(40).collect());
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{}</title>\n\
         <link rel=\"stylesheet\" href=\"/static/css/base.css\">\n\
         <link rel=\"stylesheet\" href=\"/static/css/status.css\">\n</head>\n\
         <body class=\"status-page\">\n<header class=\"bar\"><span class=\"center\">{}</span>\
         <a class=\"lang\" href=\"?lang={other_lang}\" lang=\"{other_lang}\">{other}</a></header>\n<main>\n\
         <h1>{}</h1>\n<p class=\"reference\" dir=\"ltr\">{}</p>\n",
        esc(&tr.tr("status-page-title", &[])),
        esc(hub.center.get(lang)),
        esc(&tr.tr("status-page-title", &[])),
        esc(&shown),
    );
    if let Some(e) = &error {
        let _ = writeln!(h, "<p class=\"msg error\" role=\"alert\">{}</p>", esc(e));
    }
    match body {
        Body::Ask => {
            let _ = write!(
                h,
                "<form method=\"post\" class=\"ask\">\n<input type=\"hidden\" name=\"lang\" value=\"{lang}\">\n\
                 <label for=\"suffix\">{}</label>\n\
                 <input id=\"suffix\" name=\"suffix\" inputmode=\"numeric\" autocomplete=\"off\" \
                 maxlength=\"4\" required dir=\"ltr\">\n<button type=\"submit\">{}</button>\n</form>\n\
                 <p class=\"hint\">{}</p>\n",
                esc(&tr.tr("status-page-suffix", &[])),
                esc(&tr.tr("status-page-show", &[])),
                esc(&tr.tr("status-page-hint", &[])),
            );
        }
        Body::Status(v) => status_html(&mut h, tr, hub, &v),
    }
    h.push_str("</main>\n</body>\n</html>\n");
    let mut r = crate::web::rendered(request, h);
    crate::web::citizen_head(
        &mut r,
        "text/html; charset=utf-8",
        "no-store",
        "default-src 'self'; script-src 'none'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    r
}

fn status_html(h: &mut String, tr: &Translator, hub: &Hub, v: &RequestStatusView) {
    let lang = tr.lang();
    // Days in words and times in the center's zone, digits by its rule (docs/style.md).
    let style = hall_core::format::Style::new(lang, hub.digits, hub.tz);
    let _ = write!(
        h,
        "<section class=\"status state-{}\">\n<p class=\"state\">{}</p>\n<dl>\n\
         <dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n",
        v.state.name(),
        esc(&state_text(&v.state, tr)),
        esc(&tr.tr("status-page-service", &[])),
        esc(v.service_name.get(lang)),
        esc(&tr.tr("status-page-submitted", &[])),
        esc(&style.date_time_of(tr, v.created_at)),
    );
    if !v.state.is_final() && v.state != RequestState::ReadyForPickup {
        let _ = writeln!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&tr.tr("status-page-expected", &[])),
            esc(&style.date(tr, v.expected_ready)),
        );
    }
    h.push_str("</dl>\n");
    match &v.state {
        RequestState::NeedsDocuments { documents } => {
            let _ = writeln!(
                h,
                "<h2>{}</h2>\n<ul class=\"documents\">",
                esc(&tr.tr("status-page-documents", &[]))
            );
            for d in documents {
                let _ = writeln!(h, "<li>{}</li>", esc(d));
            }
            h.push_str("</ul>\n");
        }
        RequestState::Rejected { reason } => {
            let _ = writeln!(
                h,
                "<p class=\"reason\">{}</p>",
                esc(&tr.tr(
                    "request-status-reason",
                    &[("reason", FluentValue::from(reason.as_str()))]
                ))
            );
        }
        RequestState::ReadyForPickup => {
            let _ = writeln!(
                h,
                "<p class=\"pickup\">{}</p>",
                esc(&tr.tr("status-page-pickup", &[]))
            );
        }
        _ => {}
    }
    h.push_str("</section>\n");
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<ol class=\"history\">",
        esc(&tr.tr("status-page-history", &[]))
    );
    for step in &v.history {
        let _ = writeln!(
            h,
            "<li><time dir=\"ltr\">{}</time> <span>{}</span></li>",
            esc(&style.date_time_of(tr, step.at)),
            esc(&state_text(&step.state, tr))
        );
    }
    h.push_str("</ol>\n");
}

/// `/r/{reference}/qr.svg`: the QR code of the status page's address (the request receipt's,
/// on the clerk's printable slip), for this server's address as the browser reached it.
pub async fn qr(Path(reference): Path<String>, headers: axum::http::HeaderMap) -> Response {
    let Some(reference) = normalize_reference(&reference) else {
        return (StatusCode::NOT_FOUND, "no such request\n").into_response();
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let url = format!(
        "http://{host}{}",
        hall_core::request::status_path(&reference)
    );
    match qr_svg(&url) {
        Some(svg) => {
            let mut r = svg.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            );
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A QR code as SVG: one path of dark modules, a quiet zone of four.
pub fn qr_svg(text: &str) -> Option<String> {
    let (dark, w) = crate::web::qr_modules(text)?;
    let size = w + 8;
    let mut path = String::new();
    for (i, d) in dark.iter().enumerate() {
        if *d {
            let _ = write!(path, "M{} {}h1v1h-1z", i % w + 4, i / w + 4);
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

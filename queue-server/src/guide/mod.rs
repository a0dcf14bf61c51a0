//! `/c`: the center's service guide, the page the center's QR code opens (the poster at the
//! door, `poster.rs`). Every service by category with its documents, fee, time at the window,
//! the back office's processing days, opening hours and the wait now; `/c/{service}` for one
//! service (a link to share). Plain HTML that reads without JavaScript; `js/guide.js`, when it
//! runs, filters as the citizen types and refreshes the waits (`/c/waits.json`). Search folds
//! Arabic spellings (`fold`): diacritics and tatweel dropped, أ/إ/آ → ا, ة → ه, ى → ي.
//!
//! The figures are the kiosk's: the same `service_load` over the committed hall with the queue
//! model's latest outlook, and the same words (`kiosk-*` in `kiosk.ftl`, `hall_core::opening`).
//! What the writer is asked is kept while nothing was committed and the model published no new
//! figures, for at most `FRESH`: a crowd of phones reading the page costs the writer at most
//! one read every two seconds.

use crate::shell::hub::Hub;
use crate::web::esc;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hall_core::clock::{accepting, local_time};
use hall_core::format::Style;
use hall_core::i18n::{FluentValue, Translator};
use hall_core::model::Service;
use hall_forecast::estimates::{ServiceLoad, service_load};
use std::fmt::Write;
use std::sync::Arc;

pub(crate) mod read;
use read::{Row, Snapshot};

/// How long one read of the hall serves the guide's requests.
const FRESH: chrono::Duration = chrono::Duration::seconds(2);
/// The longest search text looked at.
const MAX_QUERY: usize = 100;

/// Reads the hall (or takes the read of the last `FRESH`).
async fn snapshot(hub: &Hub) -> Option<Arc<Snapshot>> {
    let now = (hub.clock)();
    // The generation before the forecast, the seq before the read: a later change is never
    // mistaken for one already seen.
    let generation = hub.estimates.generation();
    let seq = hub.committed.load(std::sync::atomic::Ordering::Acquire);
    let kept = hub
        .guide
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if let Some(s) = kept
        && now - s.at < FRESH
        && s.at <= now
        && s.seq == seq
        && s.generation == generation
    {
        return Some(s);
    }
    let forecast = hub.estimates.latest();
    let snap = hub
        .writer
        .read(move |state, now| {
            let catalog = state.catalog.as_deref()?;
            let local = local_time(catalog, now);
            let rows = catalog
                .services
                .iter()
                .filter_map(|s| state.services.get(&s.code))
                .map(|q| Row {
                    load: service_load(state, &q.service.code, now, Some(&forecast.outlook)),
                    open_now: accepting(&q.service, local),
                    limit_reached: q.service.daily_limit.is_some_and(|l| q.issued_today >= l),
                    service: q.service.clone(),
                })
                .collect();
            Some(Snapshot {
                at: now,
                seq,
                generation,
                local,
                categories: catalog.categories.clone(),
                rows,
            })
        })
        .await
        .ok()
        .flatten()
        .map(Arc::new)?;
    *hub.guide.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(snap.clone());
    Some(snap)
}

/// A search text in one spelling: Arabic diacritics and tatweel dropped, the letters people
/// write either way made one (أ إ آ ٱ → ا, ة → ه, ى → ي, ؤ → و, ئ → ي), Latin lower-case,
/// Arabic-Indic digits as Latin, everything else but letters and digits a space. The pages'
/// `js/guide.js` folds the typed text by the same rule.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ة' => 'ه',
            'ى' | 'ئ' => 'ي',
            'ؤ' => 'و',
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        out.extend(c.to_lowercase());
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether every word of a folded query is in a folded text.
fn matches(folded_query: &str, folded_text: &str) -> bool {
    folded_query
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| folded_text.contains(w))
}

/// What a service is searched by: its names in both languages and its code.
fn search_key(s: &Service) -> String {
    fold(&format!("{} {} {}", s.name.ar, s.name.en, s.code))
}

#[derive(serde::Deserialize, Default)]
pub struct Asked {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    q: String,
}

fn tr_for(lang: &str) -> Translator {
    Translator::new(if lang == "en" { "en" } else { "ar" })
}

/// The words of one service's state now: "٣ أشخاص في الانتظار — ١٠–٢٠ دقيقة", "مغلقة الآن —
/// تفتح غدًا الساعة ٠٨:٣٠", as the kiosk's list and card say them.
fn live_line(tr: &Translator, style: &Style, local: chrono::NaiveDateTime, row: &Row) -> String {
    let s = &row.service;
    if !row.open_now {
        if !s.open {
            return tr.tr("kiosk-closed-today", &[]);
        }
        return match hall_core::opening::opens_next(tr, style, s, local) {
            Some(opens) => format!("{}  —  {opens}", tr.tr("kiosk-closed-now", &[])),
            None => tr.tr("kiosk-closed-now", &[]),
        };
    }
    if row.limit_reached {
        return tr.tr("guide-limit-reached", &[]);
    }
    // `tr.count`: the English message selects "Nobody waiting" on the number itself.
    let waiting = style.digits(&tr.count("waiting-count", u64::from(row.load.waiting)));
    format!("{waiting}  —  {}", wait_words(tr, style, &row.load))
}

/// The class a service's line is drawn with: open with a window serving it, open with none
/// (no ticket into a void: said, and not in the colour of a wait), or closed.
fn tone(r: &Row) -> &'static str {
    if !r.open_now || r.limit_reached {
        " closed"
    } else if r.load.counters_serving == 0 {
        " unserved"
    } else {
        ""
    }
}

/// The estimated wait in words (the kiosk card's "estimated wait").
fn wait_words(tr: &Translator, style: &Style, load: &ServiceLoad) -> String {
    match (load.counters_serving, load.wait) {
        (0, _) => tr.tr("no-estimate", &[]),
        (_, Some(w)) => style.digits(&tr.wait(&w)),
        (_, None) => tr.tr("estimate-pending", &[]),
    }
}

fn fee(tr: &Translator, style: &Style, piasters: u64) -> String {
    if piasters == 0 {
        return tr.tr("kiosk-fee-free", &[]);
    }
    tr.tr(
        "kiosk-fee-amount",
        &[("amount", FluentValue::from(style.money(piasters)))],
    )
}

enum Shown<'a> {
    All { query: &'a str },
    One(&'a str),
}

/// GET `/c`: every service (those matching `q`, when asked).
pub async fn all(
    AxState(hub): AxState<Arc<Hub>>,
    Query(asked): Query<Asked>,
    headers: HeaderMap,
) -> Response {
    let query: String = asked.q.chars().take(MAX_QUERY).collect();
    render(&hub, &headers, &asked.lang, Shown::All { query: &query }).await
}

/// GET `/c/{service}`: one service.
pub async fn one(
    AxState(hub): AxState<Arc<Hub>>,
    Path(code): Path<String>,
    Query(asked): Query<Asked>,
    headers: HeaderMap,
) -> Response {
    let code: String = code.chars().take(40).collect();
    render(&hub, &headers, &asked.lang, Shown::One(&code)).await
}

async fn render(hub: &Hub, request: &HeaderMap, lang: &str, shown: Shown<'_>) -> Response {
    let tr = tr_for(lang);
    let lang = tr.lang();
    let style = Style::new(lang, hub.digits, hub.tz);
    let Some(snap) = snapshot(hub).await else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            tr.error(hall_core::error::ErrorCode::ShuttingDown),
        )
            .into_response();
    };
    let (dir, other, other_lang) = if lang == "ar" {
        ("rtl", "English", "en")
    } else {
        ("ltr", "العربية", "ar")
    };
    let center = hub.center.get(lang);
    let mut status = StatusCode::OK;
    let mut h = String::with_capacity(64 * 1024);
    let (title, other_href) = match &shown {
        Shown::All { query } if !query.is_empty() => (
            tr.tr("guide-title", &[]),
            format!("/c?lang={other_lang}&amp;q={}", esc(&query_value(query))),
        ),
        Shown::All { .. } => (tr.tr("guide-title", &[]), format!("/c?lang={other_lang}")),
        Shown::One(code) => (
            snap.rows
                .iter()
                .find(|r| r.service.code == *code)
                .map(|r| r.service.name.get(lang).to_string())
                .unwrap_or_else(|| tr.tr("guide-title", &[])),
            format!("/c/{}?lang={other_lang}", esc(&query_value(code))),
        ),
    };
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n\
         <link rel=\"stylesheet\" href=\"/static/css/base.css\">\n\
         <link rel=\"stylesheet\" href=\"/static/css/guide.css\">\n\
         <script src=\"/static/js/guide.js\" defer></script>\n</head>\n\
         <body class=\"guide-page\" data-lang=\"{lang}\">\n<header class=\"bar\"><span class=\"center\">{}</span>\
         <a class=\"lang\" href=\"{other_href}\" lang=\"{other_lang}\" hreflang=\"{other_lang}\">{other}</a></header>\n<main>\n",
        esc(&title),
        esc(center),
        esc(center),
    );
    let updated = tr.tr(
        "guide-updated",
        &[("time", FluentValue::from(style.time(snap.local.time())))],
    );
    match shown {
        Shown::All { query } => {
            let _ = write!(
                h,
                "<h1>{}</h1>\n<p class=\"intro\">{}</p>\n\
                 <form class=\"search\" method=\"get\" action=\"/c\" role=\"search\">\
                 <input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
                 <label for=\"q\">{}</label>\
                 <span class=\"field\"><input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" autocomplete=\"off\" enterkeyhint=\"search\">\
                 <button type=\"submit\">{}</button></span></form>\n\
                 <p class=\"updated\" id=\"updated\">{}</p>\n",
                esc(&tr.tr("guide-title", &[])),
                esc(&tr.tr("guide-intro", &[])),
                esc(&tr.tr("guide-search", &[])),
                esc(query),
                esc(&tr.tr("guide-search-button", &[])),
                esc(&updated),
            );
            let folded = fold(query);
            let shown_rows: Vec<&Row> = snap
                .rows
                .iter()
                .filter(|r| matches(&folded, &search_key(&r.service)))
                .collect();
            // The categories as links: a phone's screen holds a few services at a time.
            if folded.is_empty() {
                h.push_str("<nav class=\"cats\">");
                for c in &snap.categories {
                    let _ = write!(
                        h,
                        "<a href=\"#cat-{}\">{}</a>",
                        esc(&c.code),
                        esc(c.name.get(lang))
                    );
                }
                h.push_str("</nav>\n");
            }
            let _ = writeln!(
                h,
                "<p class=\"no-match\" id=\"no-match\"{}>{} <a href=\"/c?lang={lang}\">{}</a></p>",
                if shown_rows.is_empty() { "" } else { " hidden" },
                esc(&tr.tr("guide-no-match", &[])),
                esc(&tr.tr("guide-all-services", &[])),
            );
            for c in &snap.categories {
                let rows: Vec<&&Row> = shown_rows
                    .iter()
                    .filter(|r| r.service.category == c.code)
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let _ = writeln!(
                    h,
                    "<section class=\"category\" id=\"cat-{}\">\n<h2>{} <span class=\"count\">{}</span></h2>",
                    esc(&c.code),
                    esc(c.name.get(lang)),
                    esc(&style.counted(&tr, "guide-services", rows.len() as u64, &[])),
                );
                for r in rows {
                    service_html(&mut h, &tr, &style, &snap, r, false);
                }
                h.push_str("</section>\n");
            }
            if !folded.is_empty() && !shown_rows.is_empty() {
                let _ = writeln!(
                    h,
                    "<p class=\"all\"><a href=\"/c?lang={lang}\">{}</a></p>",
                    esc(&tr.tr("guide-all-services", &[]))
                );
            }
        }
        Shown::One(code) => match snap.rows.iter().find(|r| r.service.code == code) {
            Some(r) => {
                let _ = write!(
                    h,
                    "<p class=\"back\"><a href=\"/c?lang={lang}#{}\">{}</a></p>\n\
                     <h1>{}</h1>\n<p class=\"updated\" id=\"updated\">{}</p>\n",
                    esc(&r.service.code),
                    esc(&tr.tr("guide-all-services", &[])),
                    esc(&tr.tr("guide-title", &[])),
                    esc(&updated),
                );
                service_html(&mut h, &tr, &style, &snap, r, true);
            }
            None => {
                status = StatusCode::NOT_FOUND;
                let _ = write!(
                    h,
                    "<h1>{}</h1>\n<p class=\"msg error\" role=\"alert\">{}</p>\n\
                         <p class=\"back\"><a href=\"/c?lang={lang}\">{}</a></p>\n",
                    esc(&tr.tr("guide-title", &[])),
                    esc(&tr.error(hall_core::error::ErrorCode::UnknownService)),
                    esc(&tr.tr("guide-all-services", &[])),
                );
            }
        },
    }
    let _ = writeln!(
        h,
        "<p class=\"take\">{}</p>\n</main>\n</body>\n</html>",
        esc(&tr.tr("guide-take-ticket", &[]))
    );
    let mut r = crate::web::rendered(request, h);
    *r.status_mut() = status;
    head(&mut r, "text/html; charset=utf-8");
    r
}

/// Pages and answers of the guide: the waits change, so a phone asks again (never yesterday's
/// page from its cache); the page's own script only.
fn head(r: &mut Response, content_type: &'static str) {
    crate::web::citizen_head(
        r,
        content_type,
        "no-cache",
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
}

fn service_html(
    h: &mut String,
    tr: &Translator,
    style: &Style,
    snap: &Snapshot,
    r: &Row,
    open: bool,
) {
    let lang = tr.lang();
    let s = &r.service;
    let code = esc(&s.code);
    let _ = write!(
        h,
        "<details class=\"service{}\" id=\"{code}\" data-key=\"{}\"{}>\n\
         <summary><span class=\"name\">{}</span>\
         <span class=\"live\" data-live=\"{code}\">{}</span></summary>\n<dl>\n",
        tone(r),
        esc(&search_key(s)),
        if open { " open" } else { "" },
        esc(s.name.get(lang)),
        esc(&live_line(tr, style, snap.local, r)),
    );
    let facts = [
        (
            tr.tr("kiosk-opening-hours", &[]),
            hall_core::opening::hours(tr, style, s),
        ),
        (tr.tr("kiosk-fee", &[]), fee(tr, style, s.fee_piasters)),
        (
            tr.tr("kiosk-service-time", &[]),
            style.digits(&tr.count("wait-minutes", u64::from(s.expected_minutes))),
        ),
        (
            tr.tr("guide-processing", &[]),
            match s.processing_days {
                0 => tr.tr("guide-same-day", &[]),
                n => style.counted(tr, "guide-working-days", u64::from(n), &[]),
            },
        ),
        (
            tr.tr("kiosk-estimated-wait", &[]),
            if r.open_now {
                wait_words(tr, style, &r.load)
            } else {
                tr.tr("kiosk-closed-now", &[])
            },
        ),
    ];
    for (i, (label, value)) in facts.iter().enumerate() {
        let live = if i == facts.len() - 1 {
            format!(" data-wait=\"{code}\"")
        } else {
            String::new()
        };
        let _ = writeln!(h, "<dt>{}</dt><dd{live}>{}</dd>", esc(label), esc(value));
    }
    let _ = writeln!(h, "</dl>\n<h3>{}</h3>", esc(&tr.tr("kiosk-documents", &[])));
    if s.documents.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(&tr.tr("kiosk-no-documents", &[])));
    } else {
        h.push_str("<ul class=\"docs\">\n");
        for d in &s.documents {
            let _ = writeln!(h, "<li>{}</li>", esc(d.get(lang)));
        }
        h.push_str("</ul>\n");
    }
    if !open {
        let _ = writeln!(
            h,
            "<p class=\"link\"><a href=\"/c/{code}?lang={lang}\">{}</a></p>",
            esc(&tr.tr("guide-service-link", &[]))
        );
    }
    h.push_str("</details>\n");
}

/// A value for a URL, percent-encoded (form encoding: a space is '+').
fn query_value(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// GET `/c/waits.json`: each service's state now in the page's words and as figures (what
/// `js/guide.js` refreshes; the figures are the kiosk's, for the tests and any other reader).
pub async fn waits(
    AxState(hub): AxState<Arc<Hub>>,
    Query(asked): Query<Asked>,
    headers: HeaderMap,
) -> Response {
    let tr = tr_for(&asked.lang);
    let style = Style::new(tr.lang(), hub.digits, hub.tz);
    let Some(snap) = snapshot(&hub).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let services: serde_json::Map<String, serde_json::Value> = snap
        .rows
        .iter()
        .map(|r| {
            (
                r.service.code.clone(),
                serde_json::json!({
                    "line": live_line(&tr, &style, snap.local, r),
                    "wait": if r.open_now { wait_words(&tr, &style, &r.load) } else { tr.tr("kiosk-closed-now", &[]) },
                    "open": r.open_now,
                    "tone": tone(r).trim(),
                    "load": r.load,
                }),
            )
        })
        .collect();
    let body = serde_json::json!({
        "updated": tr.tr("guide-updated", &[("time", FluentValue::from(style.time(snap.local.time())))]),
        "services": services,
    });
    let mut r = crate::web::rendered(&headers, body.to_string());
    head(&mut r, "application/json");
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_fold_to_one() {
        assert_eq!(fold("شهاده ميلاد"), fold("شهادة ميلاد"));
        assert_eq!(fold("استخراج شَهادة ميلادٍ"), "استخراج شهاده ميلاد");
        assert_eq!(fold("إقرار"), fold("اقرار"));
        assert_eq!(fold("آمن"), fold("امن"));
        assert_eq!(fold("أمن"), fold("امن"));
        assert_eq!(fold("مبنى"), fold("مبني"));
        assert_eq!(fold("مسئول"), fold("مسيول"));
        assert_eq!(fold("طـلب"), "طلب");
        assert_eq!(fold("Birth  CERTIFICATE!"), "birth certificate");
        assert_eq!(fold("رقم ١٢"), "رقم 12");
        assert!(matches(&fold("شهاده ميلاد"), &fold("استخراج شهادة ميلاد")));
        assert!(matches(&fold("ميلاد شهادة"), &fold("استخراج شهادة ميلاد")));
        assert!(!matches(&fold("شهادة وفاة"), &fold("استخراج شهادة ميلاد")));
        assert!(matches("", "anything"));
    }
}

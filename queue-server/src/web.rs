//! The routes that serve the staff consoles and the citizen's ticket page, whose files are
//! compiled into the binary (`web-assets`: no files to install next to the server, no
//! front-end build step). The pages talk to the server over the same websocket as every
//! other client (docs/protocol.md); nothing here reads the hall's state.
//!
//! - `/clerk`: the clerk's console; `/manager`: the manager's console; `/office`: the back
//!   office's requests console; `/t/{token}`: a ticket's page (the receipt's QR code); the
//!   request status page `/r/{reference}` is rendered by `status_page.rs` (no script);
//! - `/static/…`: scripts, styles, the vendored Fluent library, the translations
//!   (`assets/i18n`) and the fonts (`assets/fonts`).

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use web_assets::{ASSETS, Asset, PAGES, content_type, etag};

/// The routes of the pages and their files, to merge into the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/clerk",
            get(|h: HeaderMap| async move { page("clerk.html", &h) }),
        )
        .route(
            "/manager",
            get(|h: HeaderMap| async move { page("manager.html", &h) }),
        )
        .route(
            "/office",
            get(|h: HeaderMap| async move { page("office.html", &h) }),
        )
        .route(
            "/t/{token}",
            get(|h: HeaderMap| async move { page("ticket.html", &h) }),
        )
        .route("/static/{*path}", get(static_file))
}

fn page(name: &str, headers: &HeaderMap) -> Response {
    match PAGES.iter().find(|a| a.path == name) {
        Some(asset) => serve(asset, headers, true),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn static_file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(asset) => serve(asset, &headers, false),
        None => (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    }
}

/// Whether the request takes gzip.
fn takes_gzip(request: &HeaderMap) -> bool {
    request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(web_assets::accepts_gzip)
}

/// A page rendered for this request (`/c`, `/r/…`), gzipped when the browser takes it: the
/// citizen's pages must be light on a weak link. Sets the encoding and `Vary`; the caller
/// adds the type and the rest of the head.
pub(crate) fn rendered(request: &HeaderMap, html: String) -> Response {
    if takes_gzip(request) && html.len() > 1024 {
        let mut r = web_assets::gzip(html.as_bytes()).into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        r
    } else {
        let mut r = html.into_response();
        r.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        r
    }
}

fn serve(asset: &Asset, request: &HeaderMap, is_page: bool) -> Response {
    // The gzip form is another representation: its own tag.
    let zipped = if takes_gzip(request) {
        web_assets::gzipped(asset)
    } else {
        None
    };
    let tag = match zipped {
        Some(_) => format!("\"{}-gz\"", etag(asset).trim_matches('"')),
        None => etag(asset),
    };
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        zipped.unwrap_or(asset.body).into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(asset.path)),
    );
    if zipped.is_some() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    // Revalidate every time (cheap with the tag): a new server must not meet old scripts.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_page {
        // Same-origin scripts, styles, fonts and websocket only; a ticket page's token never
        // leaves in a Referer header.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

/// Text written into HTML (an element's text or an attribute in double quotes).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The head of a page or answer rendered for a citizen (`/c`, `/r/…`): its type, how it may be
/// cached, no type sniffing, no `Referer` (a token never leaves), and what it may load.
pub(crate) fn citizen_head(
    r: &mut Response,
    content_type: &'static str,
    cache: &'static str,
    csp: &'static str,
) {
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
}

/// A QR code of a citizen's address, row by row (true: a dark module), with the width in
/// modules: the receipt's and the printed slip's (level M, L when too long). The request
/// slip's SVG and the door's poster draw it.
pub(crate) use hall_print::receipt::qr_modules;

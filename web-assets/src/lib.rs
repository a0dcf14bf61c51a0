//! The pages' files, compiled in (`include_bytes!`: nothing to install beside a binary, no
//! front-end build step): the center's staff consoles and ticket page (`web/`), their scripts
//! and styles, the vendored Fluent library, the translations (`assets/i18n`) and the fonts
//! (`assets/fonts`). The center serves them all (`queue-server/src/web.rs`); the national
//! console serves its own page with the shared scripts, styles, translations and fonts
//! (`central/src/web.rs`). Nothing here serves: the servers own their routes and headers.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

/// A file served under `/static/` (or, for a page, at its route).
pub struct Asset {
    /// Path under `/static/` (pages: their file name).
    pub path: &'static str,
    pub body: &'static [u8],
}

/// A file of `web-assets/web/`.
macro_rules! web {
    ($path:literal) => {
        Asset {
            path: $path,
            body: include_bytes!(concat!("../web/", $path)),
        }
    };
}

/// A file of the repository's `assets/`, served under another path.
macro_rules! shared {
    ($path:literal, $file:literal) => {
        Asset {
            path: $path,
            body: include_bytes!(concat!("../../assets/", $file)),
        }
    };
}

pub static PAGES: &[Asset] = &[
    web!("clerk.html"),
    web!("manager.html"),
    web!("ticket.html"),
    web!("office.html"),
];

pub static ASSETS: &[Asset] = &[
    web!("css/base.css"),
    web!("css/fonts.css"),
    web!("css/clerk.css"),
    web!("css/manager.css"),
    web!("css/ticket.css"),
    web!("css/status.css"),
    web!("css/guide.css"),
    web!("css/office.css"),
    web!("js/conn.js"),
    web!("js/i18n.js"),
    web!("js/format.js"),
    web!("js/ui.js"),
    web!("js/signin.js"),
    web!("js/clerk.js"),
    web!("js/ticket.js"),
    web!("js/phone.js"),
    web!("js/manager.js"),
    web!("js/printers.js"),
    web!("js/staffing.js"),
    web!("js/office.js"),
    web!("js/guide.js"),
    web!("sound/call.wav"),
    web!("vendor/fluent-bundle/index.js"),
    web!("vendor/fluent-bundle/ast.js"),
    web!("vendor/fluent-bundle/builtins.js"),
    web!("vendor/fluent-bundle/bundle.js"),
    web!("vendor/fluent-bundle/memoizer.js"),
    web!("vendor/fluent-bundle/resolver.js"),
    web!("vendor/fluent-bundle/resource.js"),
    web!("vendor/fluent-bundle/scope.js"),
    web!("vendor/fluent-bundle/types.js"),
    web!("vendor/fluent-bundle/LICENSE"),
    web!("vendor/fluent-bundle/README.md"),
    shared!("i18n/ar/queue.ftl", "i18n/ar/queue.ftl"),
    shared!("i18n/en/queue.ftl", "i18n/en/queue.ftl"),
    shared!("i18n/ar/web.ftl", "i18n/ar/web.ftl"),
    shared!("i18n/en/web.ftl", "i18n/en/web.ftl"),
    shared!("i18n/ar/manager.ftl", "i18n/ar/manager.ftl"),
    shared!("i18n/en/manager.ftl", "i18n/en/manager.ftl"),
    shared!("fonts/NotoSans-Regular.ttf", "fonts/NotoSans-Regular.ttf"),
    shared!("fonts/NotoSans-Bold.ttf", "fonts/NotoSans-Bold.ttf"),
    shared!(
        "fonts/NotoSansArabic-Regular.ttf",
        "fonts/NotoSansArabic-Regular.ttf"
    ),
    shared!(
        "fonts/NotoSansArabic-Bold.ttf",
        "fonts/NotoSansArabic-Bold.ttf"
    ),
    shared!("fonts/OFL.txt", "fonts/OFL.txt"),
];

/// The `Content-Type` of a file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "ftl" | "txt" | "md" => "text/plain; charset=utf-8",
        "ttf" => "font/ttf",
        "png" => "image/png",
        "wav" => "audio/wav",
        "ico" => "image/x-icon",
        "svg" => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    }
}

/// Files not worth compressing (already compressed).
fn compressible(path: &str) -> bool {
    !matches!(
        path.rsplit('.').next().unwrap_or(""),
        "png" | "woff2" | "gz" | "jpg" | "ico"
    )
}

/// gzip at the best level (for files compressed once).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// Whether a request's `Accept-Encoding` value takes gzip (not with `q=0`).
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let refused = it.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

/// A file's gzip form, compressed at its first request and kept (the files change only with
/// the binary); none for a file not worth it (images, fonts already compressed).
pub fn gzipped(asset: &Asset) -> Option<&'static [u8]> {
    type Zipped = Vec<(&'static str, &'static [u8])>;
    static ZIPPED: OnceLock<std::sync::Mutex<Zipped>> = OnceLock::new();
    if !compressible(asset.path) {
        return None;
    }
    let cache = ZIPPED.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, z)) = cache.iter().find(|(p, _)| *p == asset.path) {
        return Some(z);
    }
    // Kept for the life of the process: one copy per file, at most the files compiled in.
    let z: &'static [u8] = Box::leak(gzip(asset.body).into_boxed_slice());
    cache.push((asset.path, z));
    Some(z)
}

/// An entity tag per file, from its bytes (the files change only with the binary).
pub fn etag(asset: &Asset) -> String {
    static TAGS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        PAGES
            .iter()
            .chain(ASSETS)
            .map(|a| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                a.body.hash(&mut h);
                (a.path, format!("\"{:016x}\"", h.finish()))
            })
            .collect()
    });
    tags.iter()
        .find(|(p, _)| *p == asset.path)
        .map(|(_, t)| t.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    fn web_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web")
    }

    fn files(dir: &std::path::Path, base: &std::path::Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, base, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel);
            }
        }
    }

    #[test]
    fn the_pages_speak_the_servers_protocol_version() {
        let conn = include_str!("../web/js/conn.js");
        let want = format!("const PROTOCOL = {};", hall_wire::PROTOCOL_VERSION);
        assert!(
            conn.contains(&want),
            "conn.js must say {want:?}, or every page is refused with unsupported_version"
        );
    }

    #[test]
    fn every_file_of_the_web_folder_is_served() {
        let mut on_disk = BTreeSet::new();
        files(&web_dir(), &web_dir(), &mut on_disk);
        let served: BTreeSet<String> = PAGES
            .iter()
            .chain(ASSETS)
            .filter(|a| !a.path.starts_with("i18n/") && !a.path.starts_with("fonts/"))
            .map(|a| a.path.to_string())
            .collect();
        assert_eq!(on_disk, served, "add new files of web/ to PAGES or ASSETS");
    }

    fn ftl_ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_string())
            .collect()
    }

    fn text(path: &str) -> String {
        let asset = ASSETS.iter().chain(PAGES).find(|a| a.path == path).unwrap();
        String::from_utf8(asset.body.to_vec()).unwrap()
    }

    /// Message ids the pages use: `data-i18n="id"` in HTML, `"data-i18n": "id"`,
    /// `titleId: "id"`, `t("id"` and `count("id"` in scripts (ids built at run time, like `error-…` and `ticket-state-…`, are checked by
    /// the hall core's tests (`hall-core/src/i18n.rs`)).
    fn used_ids() -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for a in PAGES.iter().chain(ASSETS) {
            if !(a.path.ends_with(".html") || a.path.starts_with("js/")) {
                continue;
            }
            let src = String::from_utf8(a.body.to_vec()).unwrap();
            for pat in [
                "data-i18n=\"",
                "\"data-i18n\": \"",
                "titleId: \"",
                "t(\"",
                "count(\"",
            ] {
                for (at, _) in src.match_indices(pat) {
                    // `t(` and `count(` as whole names: not `request(` or `x.count(`.
                    let before = src[..at].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' || before == '.' {
                        continue;
                    }
                    let piece = &src[at + pat.len()..];
                    let id: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    if !id.is_empty() && piece[id.len()..].starts_with('"') {
                        ids.insert(id);
                    }
                }
            }
        }
        ids
    }

    #[test]
    fn web_translations_match_and_cover_every_string_the_pages_use() {
        let (ar, en) = (text("i18n/ar/web.ftl"), text("i18n/en/web.ftl"));
        assert_eq!(ftl_ids(&ar), ftl_ids(&en), "ar and en web.ftl differ");
        let queue = ftl_ids(&text("i18n/en/queue.ftl"));
        // The manager console's own strings (manager.ftl; hall-core checks ar = en).
        let manager = ftl_ids(&text("i18n/en/manager.ftl"));
        let web = ftl_ids(&en);
        assert!(
            web.is_disjoint(&manager),
            "web.ftl repeats ids of manager.ftl"
        );
        assert!(
            web.is_disjoint(&queue),
            "web.ftl repeats ids of queue.ftl: {:?}",
            web.intersection(&queue).collect::<Vec<_>>()
        );
        let used = used_ids();
        assert!(used.len() > 20, "the scan found too little: {used:?}");
        let missing: Vec<&String> = used
            .iter()
            .filter(|id| !web.contains(*id) && !queue.contains(*id) && !manager.contains(*id))
            .collect();
        assert!(missing.is_empty(), "no translation for {missing:?}");
    }

    #[test]
    fn arabic_web_strings_are_arabic() {
        let ar = text("i18n/ar/web.ftl");
        for line in ar
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
        {
            let value = line.split(" = ").nth(1).unwrap();
            // The language switch names English in English; a dash is not a word.
            if line.starts_with("lang-switch")
                || value.trim_start().starts_with('{')
                || !value.chars().any(char::is_alphabetic)
            {
                continue;
            }
            assert!(
                value
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "not Arabic: {line}"
            );
        }
    }
}

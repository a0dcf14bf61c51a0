//! `cargo xtask circles`: module import circles inside each workspace crate (ARCHITECTURE.md,
//! "Layers"). A module is a file (`a.rs`, `a/mod.rs`, `a/b.rs`); it depends on another when
//! it names it (`crate::a::…`, `super::b::…`, `use crate::{a, b::c}`, or a child by its bare
//! name: `pub use h::Handle`). A file naming its own ancestors does not count (a folder's
//! `mod.rs` declares and re-exports its files, which use what it holds), nor does a file's
//! `#[cfg(test)] mod …` block: tests may use what is above them, as a crate's
//! dev-dependencies may. A circle is a set of modules that all reach each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace's crates with sources, relative to the workspace root.
fn crates(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if !p.is_dir() || name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            if p.join("Cargo.toml").is_file() && p.join("src").is_dir() {
                out.push(p.clone());
            }
            if dir == root || p.starts_with(root.join("xtask")) {
                dirs.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every `.rs` file under `src` as its module path (`a::b`; the crate root is empty).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                // A binary's own tree (`src/bin/x.rs`) is another crate.
                if p != src.join("bin") {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = p.strip_prefix(src).expect("under src");
            let mut parts: Vec<String> = rel
                .iter()
                .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if parts.last().is_some_and(|l| l == "mod") {
                parts.pop();
            }
            if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
                parts.clear();
            }
            out.insert(parts.join("::"), p);
        }
    }
    out
}

/// `code` without its `#[cfg(test)] mod name { … }` blocks.
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(k) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..k]);
        let after = &rest[k + "#[cfg(test)]".len()..];
        let head = after.trim_start();
        let is_mod = head.starts_with("mod ") || head.starts_with("pub(crate) mod ");
        match (is_mod, after.find('{')) {
            (true, Some(open)) if !after[..open].contains(';') => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => {
                out.push_str("#[cfg(test)]");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Code without comments and string literals (a path inside either is not a use).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(' ');
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths named after `prefix::` in `code` (`crate::a::b`, and each item of a
/// `crate::{a, b::c}` group), as segment lists.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let pat = format!("{prefix}::");
    let mut from = 0;
    while let Some(k) = code[from..].find(&pat) {
        let start = from + k;
        from = start + pat.len();
        if code[..start].chars().next_back().is_some_and(ident_char) {
            continue;
        }
        out.extend(parse_tree(&code[from..]));
    }
    out
}

/// One use tree at the start of `s`: `a::b::c`, `a::{b, c::d}` or `{a, b}`.
fn parse_tree(s: &str) -> Vec<Vec<String>> {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('{') {
        let mut out = Vec::new();
        let (mut depth, mut item_start) = (0usize, 0usize);
        for (i, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    out.extend(parse_tree(&rest[item_start..i]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.extend(parse_tree(&rest[item_start..i]));
                    item_start = i + 1;
                }
                _ => {}
            }
        }
        return out;
    }
    let ident: String = s.chars().take_while(|c| ident_char(*c)).collect();
    if ident.is_empty() {
        return Vec::new();
    }
    let rest = &s[ident.len()..];
    match rest.strip_prefix("::") {
        Some(more) => {
            let subs = parse_tree(more);
            if subs.is_empty() {
                vec![vec![ident]]
            } else {
                subs.into_iter()
                    .map(|mut p| {
                        p.insert(0, ident.clone());
                        p
                    })
                    .collect()
            }
        }
        None => vec![vec![ident]],
    }
}

/// The module a path names: its longest prefix that is a module.
fn resolve(mods: &BTreeMap<String, PathBuf>, base: &[String], path: &[String]) -> Option<String> {
    let mut full: Vec<String> = base.to_vec();
    full.extend(path.iter().cloned());
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|m| mods.contains_key(m))
}

/// Whether `m` naming `t` is no dependency: itself, the crate root, or an ancestor.
fn ignored(m: &str, t: &str) -> bool {
    m == t || m.is_empty() || t.is_empty() || m.starts_with(&format!("{t}::"))
}

/// Each module's dependencies on the crate's other modules.
pub fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules(src);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, file) in &mods {
        let code = without_tests(&code_only(
            &std::fs::read_to_string(file).unwrap_or_default(),
        ));
        let segs: Vec<String> = if m.is_empty() {
            Vec::new()
        } else {
            m.split("::").map(String::from).collect()
        };
        let parent = &segs[..segs.len().saturating_sub(1)];
        let mut targets = BTreeSet::new();
        for p in paths_after(&code, "crate") {
            targets.extend(resolve(&mods, &[], &p));
        }
        for p in paths_after(&code, "super") {
            // `super::super::x` climbs again.
            let mut base = parent.to_vec();
            let mut p = p.as_slice();
            while p.first().is_some_and(|s| s == "super") {
                base.pop();
                p = &p[1..];
            }
            targets.extend(resolve(&mods, &base, p));
        }
        for p in paths_after(&code, "self") {
            targets.extend(resolve(&mods, &segs, &p));
        }
        // Its own files by their bare names.
        let prefix = if m.is_empty() {
            String::new()
        } else {
            format!("{m}::")
        };
        for child in mods.keys().filter_map(|k| k.strip_prefix(&prefix)) {
            if child.contains("::") {
                continue;
            }
            if !paths_after(&code, child).is_empty() {
                targets.insert(format!("{prefix}{child}"));
            }
        }
        targets.retain(|t| !ignored(m, t));
        g.insert(m.clone(), targets);
    }
    g
}

/// The circles of a graph: each set of two or more modules that all reach each other
/// (Tarjan's strongly connected components), sorted.
pub fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        if let Some(ws) = t.g.get(v) {
            for w in ws {
                let w = w.as_str();
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out.sort();
    t.out
}

/// Prints every crate's circles (with the uses that close them); an error if there is one.
pub fn run() -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no workspace root")?
        .to_path_buf();
    let mut found = 0;
    for krate in crates(&root) {
        let g = graph(&krate.join("src"));
        let name = krate
            .strip_prefix(&root)
            .unwrap_or(&krate)
            .display()
            .to_string();
        for c in circles(&g) {
            found += 1;
            println!("{name}: a circle of {} modules:", c.len());
            for m in &c {
                let uses: Vec<&str> = g[m]
                    .iter()
                    .filter(|t| c.contains(t))
                    .map(String::as_str)
                    .collect();
                println!("  {m} -> {}", uses.join(", "));
            }
        }
    }
    if found == 0 {
        println!("no module import circles");
        Ok(())
    } else {
        Err(format!("{found} module import circle(s)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("a folder");
            std::fs::write(p, text).expect("a file");
        }
        dir
    }

    #[test]
    fn a_circle_through_three_modules_is_found_with_its_members() {
        let d = tree(&[
            ("lib.rs", "mod a; mod b; mod c; mod d;"),
            ("a.rs", "use crate::b::Thing;"),
            ("b/mod.rs", "pub mod inner;\npub use inner::Thing;"),
            ("b/inner.rs", "fn f() { crate::c::g(); }"),
            ("c.rs", "use crate::{d, a::X};"),
            (
                "d.rs",
                "// crate::a::Y in a comment\nconst S: &str = \"crate::a::Z\";\n\
                 #[cfg(test)]\nmod tests {\n    use crate::a::T;\n    fn f() { if true { crate::c::g(); } }\n}\n",
            ),
        ]);
        let c = circles(&graph(d.path()));
        assert_eq!(c, vec![vec!["a", "b", "b::inner", "c"]]);
    }

    #[test]
    fn no_crate_of_the_workspace_has_a_circle() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace");
        let found: Vec<(PathBuf, Vec<Vec<String>>)> = crates(root)
            .into_iter()
            .map(|k| {
                let c = circles(&graph(&k.join("src")));
                (k, c)
            })
            .filter(|(_, c)| !c.is_empty())
            .collect();
        assert!(
            crates(root).len() >= 8,
            "the workspace's crates were not found"
        );
        assert!(found.is_empty(), "module import circles: {found:?}");
    }

    #[test]
    fn a_folder_and_its_own_files_are_no_circle_and_super_resolves_from_the_parent() {
        let d = tree(&[
            ("lib.rs", "mod w; mod x;"),
            ("w/mod.rs", "pub mod h; pub use h::Handle; use crate::x::f;"),
            ("w/h.rs", "use super::Msg; use super::super::x::g;"),
            ("x.rs", "pub fn f() {} pub fn g() {}"),
        ]);
        let g = graph(d.path());
        assert!(circles(&g).is_empty());
        assert_eq!(g["w::h"], BTreeSet::from(["x".to_string()]));
        assert_eq!(
            g["w"],
            BTreeSet::from(["w::h".to_string(), "x".to_string()])
        );
    }
}

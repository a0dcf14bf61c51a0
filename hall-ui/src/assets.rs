//! Where the apps find their asset folder (fonts, voice, logos) at run time, so a copied or
//! installed program finds its files and no build machine's path is a default:
//!
//! 1. `--assets DIR` (the flag), then the environment variable `TABOUR_ASSETS`;
//! 2. beside the installed program: `../share/tabour` from the executable's folder
//!    (`/usr/bin/kiosk` → `/usr/share/tabour`, also under an unpacked root), then
//!    `/usr/share/tabour`;
//! 3. the source tree the program was built from, last, and only for a program run from
//!    cargo's target directory (a developer's: its folder or the one above holds cargo's
//!    `.cargo-lock`), so an installed program never reads the build machine's files.
//!
//! A folder counts when it holds the fonts (`fonts/NotoSans-Regular.ttf`).

use std::path::{Path, PathBuf};

/// The environment variable naming the asset folder.
pub const ENV: &str = "TABOUR_ASSETS";
/// Where the Debian packages install the assets (docs/deploy.md).
pub const INSTALLED: &str = "/usr/share/tabour";
/// What a folder must hold to be the asset folder.
const MARKER: &str = "fonts/NotoSans-Regular.ttf";
/// The workspace's own assets, for a developer running from the target directory.
const SOURCE_TREE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets");

/// Whether `exe` runs from cargo's target directory (`target/debug/kiosk`, or a test in
/// `target/debug/deps/`).
pub fn in_cargo_target(exe: &Path) -> bool {
    exe.ancestors()
        .skip(1)
        .take(2)
        .any(|d| d.join(".cargo-lock").is_file())
}

/// The folders tried, in order, given the flag, the environment's value and the executable.
pub fn candidates(flag: Option<&Path>, env: Option<&Path>, exe: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    out.extend(flag.map(Path::to_path_buf));
    out.extend(
        env.filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf),
    );
    if let Some(bin) = exe.and_then(Path::parent) {
        out.push(bin.join("../share/tabour"));
    }
    out.push(PathBuf::from(INSTALLED));
    if exe.is_some_and(in_cargo_target) {
        out.push(PathBuf::from(SOURCE_TREE));
    }
    out
}

/// The asset folder: the flag if given (it must hold the fonts), else the first candidate
/// that holds them.
pub fn find(flag: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = flag {
        return if dir.join(MARKER).is_file() {
            Ok(dir.to_path_buf())
        } else {
            Err(format!("--assets {}: no {MARKER} there", dir.display()))
        };
    }
    let env = std::env::var_os(ENV).map(PathBuf::from);
    let exe = std::env::current_exe().ok();
    let tried = candidates(None, env.as_deref(), exe.as_deref());
    tried
        .iter()
        .find(|d| d.join(MARKER).is_file())
        .map(|d| d.canonicalize().unwrap_or_else(|_| d.clone()))
        .ok_or_else(|| {
            let list: Vec<String> = tried.iter().map(|d| d.display().to_string()).collect();
            format!(
                "no asset folder found (looked for {MARKER} in {}); give --assets DIR or {ENV}",
                list.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_comes_first_and_the_source_tree_only_for_a_cargo_build() {
        let c = candidates(
            Some(Path::new("/flag")),
            Some(Path::new("/env")),
            Some(Path::new("/opt/x/usr/bin/kiosk")),
        );
        assert_eq!(c[0], Path::new("/flag"));
        assert_eq!(c[1], Path::new("/env"));
        assert_eq!(c[2], Path::new("/opt/x/usr/bin/../share/tabour"));
        assert_eq!(c[3], Path::new(INSTALLED));
        assert_eq!(
            c.len(),
            4,
            "an installed program never reads the source tree"
        );
        assert_eq!(candidates(None, Some(Path::new("")), None).len(), 1);
        // This test runs from cargo's target directory, as a developer's programs do.
        let me = std::env::current_exe().unwrap();
        let dev = candidates(None, None, Some(&me));
        assert_eq!(
            dev.last().map(PathBuf::as_path),
            Some(Path::new(SOURCE_TREE))
        );
    }

    #[test]
    fn a_folder_without_fonts_is_refused() {
        let dir = std::env::temp_dir();
        assert!(find(Some(&dir)).is_err());
        assert!(find(Some(Path::new(SOURCE_TREE))).is_ok());
    }
}

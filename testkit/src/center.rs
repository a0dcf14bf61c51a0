//! The workspace's paths and the round-the-clock test center every server in the tests runs.

use hall_core::Catalog;
use std::path::{Path, PathBuf};

/// The round-the-clock test center (`assets/centers/always-open.toml`), compiled in.
pub const ALWAYS_OPEN: &str = include_str!("../../assets/centers/always-open.toml");

/// The workspace root (the folder holding `assets/`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("testkit sits in the workspace")
        .to_path_buf()
}

/// The path of the round-the-clock test center's file, for a server process's `--config`.
pub fn always_open_path() -> PathBuf {
    workspace().join("assets/centers/always-open.toml")
}

/// The round-the-clock test center, checked.
pub fn always_open() -> Catalog {
    hall_wire::center_file::parse(ALWAYS_OPEN).expect("test center parses")
}

/// The folder named by `TABOUR_SCREENSHOTS`, created: where every test that can take pictures
/// (the web pages, the manager's tabs, receipts) writes them. `cargo xtask screenshots` sets
/// it; unset, those tests take none.
pub fn screenshots_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("TABOUR_SCREENSHOTS")?);
    std::fs::create_dir_all(&dir).expect("create the screenshots folder");
    Some(dir)
}

//! `cargo xtask load [--release] ARGS`: the load generator (`xtask/loadgen`), run against the
//! server binary beside it. By default both come from the workspace's test build (nothing to
//! build after the tests); `--release` builds the two programs optimized, for the figures of
//! docs/performance.md.

use crate::Result;
use crate::build::{self, bin};
use std::process::Command;

pub fn run(release: bool, args: &[String]) -> Result {
    crate::packages::ensure(&["ensure_build_packages"])?;
    let loadgen = if release {
        let status = crate::build::cargo()
            .args([
                "build",
                "--release",
                "-p",
                "queue-server",
                "-p",
                "loadgen",
                // Both programs: `--bin` names a binary of any selected package.
                "--bin",
                "queue-server",
                "--bin",
                "loadgen",
            ])
            .current_dir(build::workspace())
            .status()
            .map_err(|e| format!("cargo: {e}"))?;
        if !status.success() {
            return Err("the release build failed".into());
        }
        // target/debug/xtask → target/release/loadgen
        let debug = bin("loadgen");
        let target = debug
            .parent()
            .and_then(|d| d.parent())
            .ok_or("no target directory")?;
        target.join("release").join("loadgen")
    } else {
        build::workspace_tests(&[])?;
        bin("loadgen")
    };
    let status = Command::new(&loadgen)
        .args(args)
        .current_dir(build::workspace())
        .status()
        .map_err(|e| format!("{}: {e}", loadgen.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("loadgen failed ({status})"))
    }
}

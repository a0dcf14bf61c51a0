//! `cargo xtask accuracy [ARGS]`: the queue model's two benchmarks (`xtask/accuracy`), built
//! optimized: `forecast-recompute` (the cost of one recompute on a busy hall), then
//! `estimate-accuracy` (simulated weeks of the sample center; its last line is
//! `estimate MAE/mean wait: X (old formula: Y)`). Arguments go to `estimate-accuracy`.
//! docs/performance.md keeps the figures.

use crate::Result;
use crate::build::{self, bin};
use std::process::Command;

pub fn run(args: &[String]) -> Result {
    let status = crate::build::cargo()
        .args([
            "build",
            "--release",
            "-p",
            "accuracy",
            "--bin",
            "estimate-accuracy",
            "--bin",
            "forecast-recompute",
        ])
        .current_dir(build::workspace())
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("the release build failed".into());
    }
    // target/debug/xtask → target/release/…
    let debug = bin("estimate-accuracy");
    let release = debug
        .parent()
        .and_then(|d| d.parent())
        .ok_or("no target directory")?
        .join("release");
    for (program, args) in [("forecast-recompute", &[][..]), ("estimate-accuracy", args)] {
        let path = release.join(program);
        let status = Command::new(&path)
            .args(args)
            .current_dir(build::workspace())
            .status()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if !status.success() {
            return Err(format!("{program} failed ({status})"));
        }
    }
    Ok(())
}

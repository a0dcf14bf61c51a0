//! `cargo xtask load ARGS`: the load generator (`xtask/loadgen`), built with the workspace's
//! tests, against the server binary beside it. docs/performance.md has the runs and figures.

use crate::Result;
use crate::build::{self, bin};
use std::process::Command;

pub fn run(args: &[String]) -> Result {
    crate::packages::ensure(&["ensure_build_packages"])?;
    build::workspace_tests(&[])?;
    let status = Command::new(bin("loadgen"))
        .args(args)
        .current_dir(build::workspace())
        .status()
        .map_err(|e| format!("loadgen: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("loadgen failed ({status})"))
    }
}

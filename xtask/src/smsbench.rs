//! `cargo xtask smsbench`: the outbox's benchmark (`xtask/smsbench`), built optimized, against
//! the independent SMPP peer (installed first with `scripts/lib.sh` `ensure_smpp_peer`).
//! docs/performance.md keeps the figures.

use crate::Result;
use crate::build;
use std::process::Command;

pub fn run() -> Result {
    let root = build::workspace();
    let status = Command::new("bash")
        .args([
            "-c",
            ". scripts/lib.sh && ensure_smpp_peer && echo \"$SMPP_PEER_DIR\"",
        ])
        .current_dir(&root)
        .output()
        .map_err(|e| format!("bash: {e}"))?;
    if !status.status.success() {
        return Err("ensure_smpp_peer failed".into());
    }
    let peer_dir = String::from_utf8_lossy(&status.stdout).trim().to_string();
    let built = crate::build::cargo()
        .args(["build", "--release", "-p", "smsbench"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !built.success() {
        return Err("the release build failed".into());
    }
    let debug = build::bin("smsbench");
    let release = debug
        .parent()
        .and_then(|d| d.parent())
        .ok_or("no target directory")?
        .join("release/smsbench");
    let ran = Command::new(&release)
        .env("SMPP_PEER_DIR", peer_dir)
        .current_dir(&root)
        .status()
        .map_err(|e| format!("{}: {e}", release.display()))?;
    if !ran.success() {
        return Err(format!("smsbench failed ({ran})"));
    }
    Ok(())
}

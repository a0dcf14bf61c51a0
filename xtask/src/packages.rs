//! Debian packages: the one thing left in shell (`scripts/lib.sh`'s `ensure_*` functions, which
//! the README's two scripts also call), so there is one list of what the project needs.

use crate::Result;
use std::process::Command;

/// Runs `ensure_*` functions of `scripts/lib.sh` (e.g. `ensure_display_packages`, or
/// `ensure_packages espeak-ng sox`), each installing only what is missing.
pub fn ensure(calls: &[&str]) -> Result {
    let script = format!(". scripts/lib.sh && {}", calls.join(" && "));
    let status = Command::new("bash")
        .args(["-c", &script])
        .current_dir(crate::build::workspace())
        .status()
        .map_err(|e| format!("bash: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("installing packages failed: {}", calls.join(", ")))
    }
}

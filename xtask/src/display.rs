//! A virtual X display (Xvfb) for an app to draw on: software Vulkan renders to it the same as
//! to a screen (docs/platform.md). Started on a free display number, so the app's own process
//! id is at hand (no wrapper to look through with `pgrep`).

use crate::Result;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Xvfb {
    child: Child,
    /// `:N`, for the app's `DISPLAY`.
    pub display: String,
}

impl Xvfb {
    /// A `width` × `height` screen, 24-bit, local connections only.
    pub fn start(width: u32, height: u32) -> Result<Xvfb> {
        for n in 90..200 {
            if held(n) {
                continue;
            }
            let mut child = Command::new("Xvfb")
                .arg(format!(":{n}"))
                .args([
                    "-screen",
                    "0",
                    &format!("{width}x{height}x24"),
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("Xvfb: {e} (scripts/lib.sh: ensure_display_packages)"))?;
            let socket = format!("/tmp/.X11-unix/X{n}");
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if Path::new(&socket).exists() {
                    return Ok(Xvfb {
                        child,
                        display: format!(":{n}"),
                    });
                }
                // Another server took the number first: try the next.
                if child.try_wait().ok().flatten().is_some() || Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Err("no free X display number".into())
    }
}

/// Whether display `n` belongs to a live server. A lock file whose process is gone is what a
/// killed Xvfb leaves behind; Xvfb itself takes such a number over, so it counts as free
/// (killed runs once left every number from 90 to 199 locked and the task unable to start).
fn held(n: u32) -> bool {
    let Ok(text) = std::fs::read_to_string(format!("/tmp/.X{n}-lock")) else {
        return false;
    };
    match text.trim().parse::<u32>() {
        Ok(pid) => Path::new(&format!("/proc/{pid}")).exists(),
        Err(_) => true,
    }
}

impl Drop for Xvfb {
    /// SIGTERM, so Xvfb removes its lock file and socket; SIGKILL only if it does not go.
    fn drop(&mut self) {
        let stopped = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(5);
        while stopped && Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
            if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
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

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

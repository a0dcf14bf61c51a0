//! The bevy apps as the tasks run them: each on its own virtual display, connected to a task's
//! server with a token from its first-start file.

use crate::Result;
use crate::build::bin;
use crate::display::Xvfb;
use crate::server::Server;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// An app running on its own display; both stop when it is dropped.
pub struct Running {
    pub child: Child,
    _display: Xvfb,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the app to end by itself (a screenshot taken); its exit is the task's result.
    pub fn wait(mut self, what: &str) -> Result {
        let status = self.child.wait().map_err(|e| format!("{what}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{what} failed ({status})"))
        }
    }

    /// As `wait`, but an app still running after `limit` is stopped and reported.
    pub fn wait_at_most(mut self, what: &str, limit: std::time::Duration) -> Result {
        let deadline = std::time::Instant::now() + limit;
        loop {
            match self.child.try_wait().map_err(|e| format!("{what}: {e}"))? {
                Some(status) if status.success() => return Ok(()),
                Some(status) => return Err(format!("{what} failed ({status})")),
                None if std::time::Instant::now() > deadline => {
                    return Err(format!("{what}: no picture within {limit:?}"));
                }
                None => std::thread::sleep(std::time::Duration::from_millis(200)),
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `app` (`kiosk`, `display-board`) on a new `width` × `height` display with the
/// server's address and token file first, then `args`; its output goes to `log`, if given.
pub fn start(
    app: &str,
    server: &Server,
    size: (u32, u32),
    args: &[String],
    log: Option<&Path>,
) -> Result<Running> {
    let mut all = vec![
        "--token-file".to_string(),
        server.token_file().display().to_string(),
    ];
    all.extend(args.iter().cloned());
    start_unpaired(app, server, size, &all, log)
}

/// Starts `app` with the server's address but no token: it shows its pairing code.
pub fn start_unpaired(
    app: &str,
    server: &Server,
    (width, height): (u32, u32),
    args: &[String],
    log: Option<&Path>,
) -> Result<Running> {
    let display = Xvfb::start(width, height)?;
    let mut cmd = Command::new(bin(app));
    cmd.current_dir(crate::build::workspace())
        .env("DISPLAY", &display.display)
        .args(["--server", &server.url()])
        .args(args);
    match log {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
            cmd.stdout(file.try_clone().map_err(|e| e.to_string())?)
                .stderr(file);
        }
        None => {
            cmd.stdout(Stdio::null());
        }
    }
    let child = cmd.spawn().map_err(|e| format!("{app}: {e}"))?;
    Ok(Running {
        child,
        _display: display,
    })
}

/// `--flag value` pairs and bare flags as owned arguments.
pub fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

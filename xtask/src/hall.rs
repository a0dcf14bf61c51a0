//! `cargo xtask hall`: the hall on the embedded sample center, as `scripts/run-hall.sh` runs
//! it: the queue server (data in $DATA, default ./data) and, on a machine with a display, the
//! display board and a kiosk (receipts to a file, or to the printer in $KIOSK_PRINTER, e.g.
//! tcp://192.168.1.50:9100). Ctrl-C reaches every process of the terminal: the server stops
//! cleanly, and the apps go when it does.

use crate::Result;
use crate::build::{self, bin};
use crate::server::Server;
use std::process::{Child, Command};

pub fn run(server_args: &[String]) -> Result {
    crate::packages::ensure(&["ensure_build_packages"])?;
    // The dev profile (dependencies optimized, see Cargo.toml) with the tests' packages and
    // features: after the README's test command nothing is rebuilt; a cold release build of
    // bevy takes over twenty minutes on two cores.
    build::workspace_tests(&[])?;
    // `--data DIR` and `--listen ADDR` among the server's arguments are the hall's too.
    let data = build::workspace().join(
        arg_value(server_args, "--data")
            .or_else(|| std::env::var("DATA").ok())
            .unwrap_or_else(|| "data".into()),
    );
    let listen = arg_value(server_args, "--listen").unwrap_or_else(|| "127.0.0.1:8740".into());
    println!("Starting the queue server (data in {}/).", data.display());
    let mut server = Server::foreground(&data, server_args)?;
    let tokens = server.token_file();
    println!("Accounts and device tokens: {}", tokens.display());
    println!(
        "Staff consoles: http://{listen}/clerk (clerks), http://{listen}/manager (manager) and http://{listen}/office (back office)"
    );
    let mut apps = Apps(Vec::new());
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if has_display {
        println!("Opening the display board.");
        apps.0.push(spawn(
            Command::new(bin("display-board"))
                .arg("--settings")
                .arg(data.join("board-1.json"))
                .arg("--token-file")
                .arg(&tokens)
                .args(["--logo", "logos/sample-center.png", "--windowed"]),
        )?);
        let printer = std::env::var("KIOSK_PRINTER")
            .unwrap_or_else(|_| format!("file:{}", data.join("last-receipt.bin").display()));
        let settings = data.join("kiosk-1.json");
        println!(
            "Opening the kiosk (receipts: {printer}; settings and technician PIN: {}).",
            settings.display()
        );
        apps.0.push(spawn(
            Command::new(bin("kiosk"))
                .arg("--settings")
                .arg(&settings)
                .arg("--token-file")
                .arg(&tokens)
                .args(["--printer", &printer, "--windowed"]),
        )?);
    } else {
        println!("No display: the board and kiosk are not opened (set DISPLAY, or see");
        println!("`cargo xtask screenshots`).");
    }
    server.wait()
}

/// The value of `--name VALUE` or `--name=VALUE` in `args`.
fn arg_value(args: &[String], name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    args.iter().enumerate().find_map(|(i, a)| {
        if a == name {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix(&prefix).map(str::to_string)
        }
    })
}

fn spawn(cmd: &mut Command) -> Result<Child> {
    cmd.current_dir(build::workspace())
        .spawn()
        .map_err(|e| format!("{e}"))
}

/// The apps, stopped when the server is.
struct Apps(Vec<Child>);

impl Drop for Apps {
    fn drop(&mut self) {
        for app in &mut self.0 {
            let _ = app.kill();
            let _ = app.wait();
        }
    }
}

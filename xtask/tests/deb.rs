//! The Debian packages, installed as a center would get them but into a temporary root: built
//! by `cargo xtask deb` from the programs the test build made (no cargo run here, nothing
//! compiled), unpacked with `dpkg-deb -x`, and each program run from there: the server as its
//! unit runs it, a receipt printed by the unpacked kiosk with the fonts installed beside it, an
//! announcement rendered by the unpacked board from the voice pack beside it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");
/// The workspace, which must appear in no installed program's help.
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn temp_root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tabour-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The server, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn healthz(addr: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn the_packages_install_into_a_root_and_every_program_runs_from_there() {
    let work = temp_root("deb");
    let bins = Path::new(XTASK).parent().unwrap();
    let out = work.join("debs");
    let (ok, stdout, stderr) = run(Command::new(XTASK)
        .args(["deb", "--compression", "none"])
        .arg("--bins")
        .arg(bins)
        .arg("--out")
        .arg(&out));
    assert!(ok, "xtask deb failed: {stderr}");
    let debs: Vec<PathBuf> = stdout.lines().map(PathBuf::from).collect();
    let names: Vec<String> = debs
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for p in [
        "tabour-common",
        "tabour-server",
        "tabour-kiosk",
        "tabour-board",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{p}_"))),
            "{p}: {names:?}"
        );
    }

    // What dpkg reads: the fields, the conffiles, the maintainer scripts.
    let server_deb = debs
        .iter()
        .find(|d| d.to_string_lossy().contains("tabour-server_"))
        .unwrap();
    let (_, info, _) = run(Command::new("dpkg-deb").arg("--info").arg(server_deb));
    assert!(info.contains("Package: tabour-server"), "{info}");
    assert!(info.contains("Version: "), "{info}");
    assert!(
        info.contains("postinst") && info.contains("conffiles"),
        "{info}"
    );

    let root = work.join("root");
    for deb in &debs {
        let (ok, _, err) = run(Command::new("dpkg-deb").arg("-x").arg(deb).arg(&root));
        assert!(ok, "{}: {err}", deb.display());
    }
    let unit = std::fs::read_to_string(root.join("lib/systemd/system/tabour-server.service"))
        .expect("the server's unit");
    assert!(
        unit.contains("ExecStart=/usr/bin/queue-server --data /var/lib/tabour"),
        "{unit}"
    );
    assert!(unit.contains("User=tabour"));
    for app in ["kiosk", "board"] {
        let unit = std::fs::read_to_string(
            root.join(format!("usr/lib/systemd/user/tabour-{app}.service")),
        )
        .unwrap();
        assert!(unit.contains("WantedBy=graphical-session.target"), "{unit}");
        assert!(
            unit.contains("%h/.config/tabour/"),
            "the token lives in the user's config"
        );
        assert!(
            root.join(format!("etc/xdg/autostart/tabour-{app}.desktop"))
                .is_file()
        );
    }
    assert!(
        root.join("usr/share/tabour/fonts/NotoSansArabic-Regular.ttf")
            .is_file()
    );
    assert!(root.join("usr/share/tabour/voice/chime.wav").is_file());

    // No build machine's path in any program's help.
    for args in [
        &["usr/bin/kiosk", "receipt", "--help"][..],
        &["usr/bin/kiosk", "--help"],
        &["usr/bin/display-board", "--help"],
        &["usr/bin/display-board", "announce", "--help"],
        &["usr/bin/queue-server", "--help"],
    ] {
        let (ok, help, err) = run(Command::new(root.join(args[0])).args(&args[1..]));
        assert!(ok, "{args:?}: {err}");
        let workspace = Path::new(WORKSPACE).canonicalize().unwrap();
        assert!(
            !help.contains(workspace.to_str().unwrap()),
            "{args:?}:\n{help}"
        );
        assert!(
            !help.contains("CARGO_MANIFEST_DIR") && !help.contains("/../assets"),
            "{help}"
        );
    }

    // The server as its unit starts it, on the round-the-clock center it installed.
    let data = work.join("var/lib/tabour");
    let mut child = Command::new(root.join("usr/bin/queue-server"))
        .arg("--data")
        .arg(&data)
        .args(["--listen", "127.0.0.1:0", "--config"])
        .arg(root.join("usr/share/tabour/centers/always-open.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut addr = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("queue-server listening on http://") {
            addr = rest.split_whitespace().next().map(str::to_string);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not say where it listens"
        );
    }
    let addr = addr.expect("the listening line");
    assert!(healthz(&addr).contains(r#""status":"ok""#));

    // A receipt from the unpacked kiosk, run from elsewhere: the fonts are found beside it.
    let cwd = work.join("elsewhere");
    std::fs::create_dir_all(&cwd).unwrap();
    let receipt = work.join("receipt.bin");
    let (ok, said, err) = run(Command::new(root.join("usr/bin/kiosk"))
        .current_dir(&cwd)
        .env_remove("TABOUR_ASSETS")
        .args(["receipt", "--service", "CIT-BIRTH", "--server"])
        .arg(format!("ws://{addr}/ws"))
        .arg("--token-file")
        .arg(data.join("first-start.txt"))
        .arg("--out")
        .arg(&receipt));
    assert!(ok, "kiosk receipt: {said}\n{err}");
    assert!(
        std::fs::metadata(&receipt).unwrap().len() > 1_000,
        "a raster receipt"
    );

    // An announcement from the unpacked board, from the voice pack beside it.
    let wav = work.join("call.wav");
    let (ok, said, err) = run(Command::new(root.join("usr/bin/display-board"))
        .current_dir(&cwd)
        .env_remove("TABOUR_ASSETS")
        .args(["announce", "A-12", "3", "--lang", "ar,en", "--out"])
        .arg(&wav));
    assert!(ok, "display-board announce: {said}\n{err}");
    assert!(std::fs::metadata(&wav).unwrap().len() > 10_000);

    // A program copied alone finds no assets and says where it looked (unless this machine
    // has the packages installed).
    if !Path::new("/usr/share/tabour/fonts").exists() {
        let alone = work.join("alone");
        std::fs::create_dir_all(&alone).unwrap();
        std::fs::copy(
            root.join("usr/bin/display-board"),
            alone.join("display-board"),
        )
        .unwrap();
        let (ok, _, err) = run(Command::new(alone.join("display-board"))
            .env_remove("TABOUR_ASSETS")
            .args(["announce", "A-1", "1", "--out"])
            .arg(work.join("x.wav")));
        assert!(!ok);
        assert!(
            err.contains("no asset folder found") && err.contains("TABOUR_ASSETS"),
            "{err}"
        );
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&work);
}

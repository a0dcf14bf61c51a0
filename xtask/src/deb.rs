//! `cargo xtask deb`: the Debian packages of a center (packaging/README.md): lays out each
//! package's tree from `packaging/<package>/` and the built programs, and hands it to
//! `dpkg-deb`. No cargo-deb: it would be one more tool to `cargo install` in CI and builds
//! release binaries of its own, where this packs the programs the test build already made
//! (nothing compiled again) or, with `--release`, those of a release build.

use crate::Result;
use crate::build::workspace;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to pack.
pub struct Options {
    /// Optimized programs (`cargo build --workspace --release`) instead of the test build's.
    pub release: bool,
    /// Take the programs from this folder and build nothing.
    pub bins: Option<PathBuf>,
    pub out: PathBuf,
    /// `dpkg-deb`'s compressor: `xz` (the default, for packages that ship), `gzip` or `none`
    /// (the test's, which unpacks at once).
    pub compression: String,
}

/// One package: its folder under `packaging/`, its program, its assets and its files.
struct Package {
    name: &'static str,
    /// The program in /usr/bin.
    bin: Option<&'static str>,
    /// Folders of `assets/` installed under /usr/share/tabour.
    assets: &'static [&'static str],
    /// (file in packaging/<name>/, where it is installed)
    files: &'static [(&'static str, &'static str)],
}

const PACKAGES: [Package; 4] = [
    Package {
        name: "tabour-common",
        bin: None,
        assets: &["fonts", "logos"],
        files: &[],
    },
    Package {
        name: "tabour-server",
        bin: Some("queue-server"),
        assets: &["centers"],
        files: &[
            (
                "tabour-server.service",
                "lib/systemd/system/tabour-server.service",
            ),
            ("default", "etc/default/tabour-server"),
        ],
    },
    Package {
        name: "tabour-kiosk",
        bin: Some("kiosk"),
        assets: &[],
        files: &[
            (
                "tabour-kiosk.service",
                "usr/lib/systemd/user/tabour-kiosk.service",
            ),
            ("default", "etc/default/tabour-kiosk"),
            (
                "autostart.desktop",
                "etc/xdg/autostart/tabour-kiosk.desktop",
            ),
        ],
    },
    Package {
        name: "tabour-board",
        bin: Some("display-board"),
        assets: &["voice"],
        files: &[
            (
                "tabour-board.service",
                "usr/lib/systemd/user/tabour-board.service",
            ),
            ("default", "etc/default/tabour-board"),
            (
                "autostart.desktop",
                "etc/xdg/autostart/tabour-board.desktop",
            ),
        ],
    },
];

/// Maintainer scripts a package folder may hold (installed executable).
const SCRIPTS: [&str; 4] = ["preinst", "postinst", "prerm", "postrm"];

pub fn run(opts: &Options) -> Result {
    let bins = match &opts.bins {
        Some(dir) => dir.clone(),
        None => build(opts.release)?,
    };
    let debs = pack(&bins, &opts.out, &opts.compression)?;
    for d in debs {
        println!("{}", d.display());
    }
    Ok(())
}

/// Builds the programs and returns their folder.
fn build(release: bool) -> Result<PathBuf> {
    if release {
        let status = crate::build::cargo()
            .args(["build", "--workspace", "--release", "--bins"])
            .current_dir(workspace())
            .status()
            .map_err(|e| format!("cargo: {e}"))?;
        if !status.success() {
            return Err("the release build failed".into());
        }
        let target = crate::build::bin_dir();
        Ok(target
            .parent()
            .ok_or("no target directory")?
            .join("release"))
    } else {
        crate::build::workspace_tests(&[])?;
        Ok(crate::build::bin_dir())
    }
}

/// Lays out every package with the programs in `bins` and builds the .deb files into `out`.
pub fn pack(bins: &Path, out: &Path, compression: &str) -> Result<Vec<PathBuf>> {
    let version = env!("CARGO_PKG_VERSION");
    let arch = command_output("dpkg", &["--print-architecture"])?;
    let root = workspace();
    mkdir(out)?;
    let trees = out.join("trees");
    let _ = std::fs::remove_dir_all(&trees);
    let mut debs = Vec::new();
    for p in &PACKAGES {
        let src = root.join("packaging").join(p.name);
        let tree = trees.join(p.name);
        let debian = tree.join("DEBIAN");
        mkdir(&debian)?;
        if let Some(bin) = p.bin {
            let from = bins.join(bin);
            if !from.is_file() {
                return Err(format!(
                    "{}: not built (cargo test --workspace --no-run builds it)",
                    from.display()
                ));
            }
            copy(&from, &tree.join("usr/bin").join(bin), 0o755)?;
        }
        for dir in p.assets {
            copy_tree(
                &root.join("assets").join(dir),
                &tree.join("usr/share/tabour").join(dir),
            )?;
        }
        for (file, to) in p.files {
            copy(&src.join(file), &tree.join(to), 0o644)?;
        }
        // The technician's guide and the license beside the package's documents.
        let doc = tree.join("usr/share/doc").join(p.name);
        copy(&root.join("docs/deploy.md"), &doc.join("deploy.md"), 0o644)?;
        copy(
            &root.join("assets/fonts/OFL.txt"),
            &doc.join("OFL.txt"),
            0o644,
        )?;
        for script in SCRIPTS {
            let s = src.join(script);
            if s.is_file() {
                copy(&s, &debian.join(script), 0o755)?;
            }
        }
        if src.join("conffiles").is_file() {
            copy(&src.join("conffiles"), &debian.join("conffiles"), 0o644)?;
        }
        let control = read(&src.join("control"))?.replace("${version}", version);
        let kib = size(&tree)? / 1024;
        let control = format!(
            "{}Version: {version}\nArchitecture: {arch}\nInstalled-Size: {kib}\n",
            control.trim_end().to_string() + "\n"
        );
        write(&debian.join("control"), &control)?;
        let deb = out.join(format!("{}_{version}_{arch}.deb", p.name));
        let status = Command::new("dpkg-deb")
            .args(["--root-owner-group", &format!("-Z{compression}"), "--build"])
            .arg(&tree)
            .arg(&deb)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("dpkg-deb: {e}"))?;
        if !status.success() {
            return Err(format!("dpkg-deb failed for {}", p.name));
        }
        debs.push(deb);
    }
    let _ = std::fs::remove_dir_all(&trees);
    Ok(debs)
}

fn command_output(cmd: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("{cmd}: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn mkdir(dir: &Path) -> Result {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path, mode: u32) -> Result {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = to.parent() {
        mkdir(dir)?;
    }
    std::fs::copy(from, to).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))?;
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{}: {e}", to.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result {
    mkdir(to)?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &dest)?;
        } else {
            copy(&path, &dest, 0o644)?;
        }
    }
    Ok(())
}

/// Bytes under a folder (dpkg's Installed-Size, in KiB).
fn size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let meta = entry.metadata().map_err(|e| e.to_string())?;
        total += if meta.is_dir() {
            size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

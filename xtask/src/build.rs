//! Building what the tasks run, the way the README's test command builds it: `cargo test
//! --workspace --no-run` (the same packages and features, so no dependency is built twice with
//! other features), then the programs from the target directory, next to this one.

use crate::Result;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The cargo that runs this task, for a nested build, without what cargo set for this
/// program alone (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, …). A build script that declares
/// `rerun-if-env-changed` for those (ring's does) would otherwise see them change between the
/// README's test command and a task, and rebuild ring and all that depends on it.
pub fn cargo() -> Command {
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if key.starts_with("CARGO_PKG_")
            || matches!(
                key,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_MANIFEST_LINKS"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_RUSTC_CURRENT_DIR"
            )
        {
            cargo.env_remove(key);
        }
    }
    cargo
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// A program of the workspace, in the target directory this task runs from.
pub fn bin(name: &str) -> PathBuf {
    bin_dir().join(name)
}

/// The target directory's profile folder this task runs from (`target/debug`).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the running executable");
    exe.parent().expect("target/debug").to_path_buf()
}

/// A test executable the build made: its program and the package folder tests run in.
pub struct TestExe {
    pub program: PathBuf,
    /// `tests/web.rs` of `tests/Cargo.toml`, relative to the workspace.
    pub src: PathBuf,
}

/// Builds every package's tests and programs, with extra `features` (e.g. `kiosk/dev`);
/// returns the test executables.
pub fn workspace_tests(features: &[&str]) -> Result<Vec<TestExe>> {
    let mut cargo = cargo();
    cargo
        .args([
            "test",
            "--workspace",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(workspace())
        .stdout(Stdio::piped());
    if !features.is_empty() {
        cargo.arg("--features").arg(features.join(","));
    }
    eprintln!(
        "xtask: cargo test --workspace --no-run {}",
        features.join(" ")
    );
    let mut child = cargo.spawn().map_err(|e| format!("cargo: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let root = workspace();
    let mut tests = Vec::new();
    for line in BufReader::new(stdout)
        .lines()
        .map_while(std::result::Result::ok)
    {
        // One JSON object a line; only test artifacts name an executable and `"test":true`.
        if !line.contains(r#""reason":"compiler-artifact""#) || !line.contains(r#""test":true"#) {
            continue;
        }
        let (Some(program), Some(src)) =
            (json_str(&line, "executable"), json_str(&line, "src_path"))
        else {
            continue;
        };
        let src = PathBuf::from(src);
        tests.push(TestExe {
            program: PathBuf::from(program),
            src: src
                .strip_prefix(&root)
                .map(Path::to_path_buf)
                .unwrap_or(src),
        });
    }
    let status = child.wait().map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("the workspace does not build".into());
    }
    Ok(tests)
}

/// The test executable built from `src` (e.g. `tests/tests/web.rs`).
pub fn test_exe<'a>(tests: &'a [TestExe], src: &str) -> Result<&'a TestExe> {
    tests
        .iter()
        .find(|t| t.src == Path::new(src))
        .ok_or_else(|| format!("no test executable for {src}"))
}

/// The string value of the first `"key":"…"` in a line of cargo's JSON (paths: no escapes
/// other than `\\` and `\"`).
fn json_str(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!(r#""{key}":""#))? + key.len() + 4;
    let mut out = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

/// Runs a test executable's named tests (ignored ones too: screenshot takers are ignored
/// tests), in its package folder, with extra environment.
pub fn run_tests(test: &TestExe, names: &[&str], env: &[(&str, &Path)]) -> Result {
    let src = workspace().join(&test.src);
    let package = src
        .ancestors()
        .find(|p| p.join("Cargo.toml").is_file())
        .unwrap_or(&src)
        .to_path_buf();
    let mut cmd = Command::new(&test.program);
    cmd.args(["--include-ignored", "--exact", "--test-threads", "1"])
        .args(names)
        .current_dir(package);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", test.program.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} failed: {}",
            test.src.display(),
            names.join(" ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_out_of_cargos_json_lines() {
        let line = r#"{"reason":"compiler-artifact","target":{"src_path":"/w/tests/tests/web.rs"},"profile":{"test":true},"executable":"/t/debug/deps/web-1f2e"}"#;
        assert_eq!(
            json_str(line, "src_path").as_deref(),
            Some("/w/tests/tests/web.rs")
        );
        assert_eq!(
            json_str(line, "executable").as_deref(),
            Some("/t/debug/deps/web-1f2e")
        );
        assert_eq!(json_str(r#"{"a":"x\"y"}"#, "a").as_deref(), Some("x\"y"));
        assert_eq!(json_str(line, "missing"), None);
    }
}

//! The device's own JSON settings file (the kiosk's and the board's): read if it is there,
//! written so that a power cut never leaves half a file.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The file's settings; none if there is no file yet; an error if it cannot be read.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Written to a temporary file and renamed (its folder made if need be).
pub fn save<T: Serialize>(settings: &T, path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(settings)?)?;
    std::fs::rename(tmp, path)
}

//! What /proc says about a process: its CPU time and resident memory, for `idle-cpu`.

use crate::Result;

/// User plus system CPU time of `pid`, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("process {pid}: {e}"))?;
    // The command name, in parentheses, may hold spaces: count fields after the last ')'.
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    Ok(fields.iter().sum())
}

/// Clock ticks per second (`getconf CLK_TCK`: no libc binding needed for one number).
pub fn ticks_per_second() -> Result<u64> {
    let out = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .map_err(|e| format!("getconf: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("getconf CLK_TCK: {e}"))
}

/// Resident memory of `pid` in MiB.
pub fn rss_mib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("process {pid}: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kib| kib / 1024)
        .ok_or_else(|| format!("no VmRSS for process {pid}"))
}

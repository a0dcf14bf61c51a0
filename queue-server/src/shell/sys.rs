//! The libc tweaks the server makes to its own process: the open-file limit lifted for many
//! connections, large blocks mapped and unmapped on their own, and freed memory handed back to
//! the system after the first start.

/// Hashing the first-start passwords (argon2, 19 MiB each) leaves glibc holding ~140 MB it
/// will not hand back on its own (freeing large blocks raises its mmap threshold); give it
/// back, so a new center's server does not start at ten times its working size.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Blocks of 4 MiB and more get their own mapping, returned to the system when freed. glibc
/// otherwise raises this threshold to the largest block freed, after which each argon2 run
/// (19 MiB) stays in the arena of whichever thread ran it: a login flood left the server at
/// 335 MiB with six 64 MiB arenas (issue 14; docs/performance.md). Setting it once turns the
/// raising off.
pub(crate) fn map_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt changes an allocator setting; nothing is allocated or freed.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}

/// Every citizen following a ticket page holds a connection: lift the soft descriptor limit
/// (often 1024) to the hard one.
pub fn raise_fd_limit() {
    #[cfg(unix)]
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0
            && lim.rlim_cur < lim.rlim_max
            && libc::setrlimit(libc::RLIMIT_NOFILE, &lim_max(lim)) != 0
        {
            tracing::warn!("could not raise the open-file limit");
        }
    }
}

#[cfg(unix)]
fn lim_max(lim: libc::rlimit) -> libc::rlimit {
    libc::rlimit {
        rlim_cur: lim.rlim_max,
        rlim_max: lim.rlim_max,
    }
}

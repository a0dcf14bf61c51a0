//! The two libc tweaks the server makes to its own process: the open-file limit lifted for
//! many connections, and freed memory handed back to the system after the first start.

/// Hashing the first-start passwords (argon2, 19 MiB each) leaves glibc holding ~140 MB it
/// will not hand back on its own (freeing large blocks raises its mmap threshold); give it
/// back, so a new center's server does not start at ten times its working size.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
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

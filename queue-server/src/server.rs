//! The paths other crates start a server by (`queue_server::server::{Server, ServerOptions}`,
//! `router`, `permitted`, `CLOSE_REVOKED`, `raise_fd_limit`): the shell itself lives in
//! `shell/`, by concern.

pub use crate::shell::{
    CLOSE_REVOKED, Hub, OlderRows, Server, ServerOptions, StartError, permitted, raise_fd_limit,
    router,
};

//! `queue-server`: with no arguments, serves the embedded sample center on 127.0.0.1:8740 with
//! its database in ./data; `queue-server verify --data DIR` checks a database's chain. The
//! command line itself is `queue_server::cli`.

fn main() -> std::process::ExitCode {
    queue_server::cli::main(std::env::args_os())
}

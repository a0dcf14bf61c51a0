//! A free TCP port on loopback, for a server or a driver that must be told its port before it
//! starts (a restart on the same address, chromedriver, a printer emulator).

/// A port nobody listens on right now: the kernel picks it, the listener is closed at once.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

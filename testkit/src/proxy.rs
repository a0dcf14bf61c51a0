//! A TCP proxy that can cut and restore a link (a van driving out of coverage): while cut it
//! drops every connection it carries and accepts new ones only to close them at once.

use std::sync::Arc;
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct Proxy {
    pub port: u16,
    up: Arc<watch::Sender<bool>>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `target` (`host:port`), on the
    /// current tokio runtime.
    pub async fn start(target: String) -> Proxy {
        Proxy::start_on(0, target).await
    }

    /// The same on a chosen port (one a server was told to advertise before the proxy ran).
    pub async fn start_on(port: u16, target: String) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("proxy port");
        let port = listener.local_addr().expect("proxy address").port();
        let up = Arc::new(watch::channel(true).0);
        let shared = up.clone();
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !*shared.borrow() {
                    continue; // dropped: the link is down
                }
                let mut down = shared.subscribe();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = down.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Proxy { port, up }
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Drops every connection through the proxy and refuses new ones.
    pub fn cut(&self) {
        self.up.send_replace(false);
    }

    pub fn restore(&self) {
        self.up.send_replace(true);
    }
}

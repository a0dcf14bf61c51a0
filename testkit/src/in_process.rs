//! A server in this process, as the axum examples test theirs: websocket tests, browsers and
//! apps connect to it on a real socket on port 0; HTTP routes are asked through its router
//! with `oneshot`, without a socket or a hand-written HTTP client. At a first start it writes
//! `first-start.txt` in its data directory, as the binary does.

use crate::endpoint::Endpoint;
use axum::Router;
use axum::body::Body;
use http_body_util::BodyExt;
use queue_server::server::{Server, ServerOptions};
use std::ops::Deref;
use tokio::sync::oneshot;
use tower::ServiceExt;

pub struct TestServer {
    endpoint: Endpoint,
    /// The router, for `oneshot` requests. It holds the server's hub: `stop` drops it before
    /// the shutdown, or the writer would wait for it and not snapshot.
    router: Option<Router>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    dir: tempfile::TempDir,
}

/// What a route answered: status, the head as text (`name: value` lines), the body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl TestServer {
    /// The round-the-clock test center in a fresh temporary data directory.
    pub async fn start() -> TestServer {
        Self::start_in(tempfile::tempdir().expect("a temporary directory")).await
    }

    /// The round-the-clock test center on this data directory (a restart, if it has a log).
    pub async fn start_in(dir: tempfile::TempDir) -> TestServer {
        let opts = ServerOptions::new(dir.path(), crate::center::always_open());
        Self::start_with(dir, opts).await
    }

    /// With options of the test's choosing (a simulated clock, say).
    pub async fn start_with(dir: tempfile::TempDir, opts: ServerOptions) -> TestServer {
        let server = Server::start(opts).await.expect("server starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("a local address");
        // As the binary does at a first start: the apps' `--token-file` reads this file.
        let first = server.first_start.clone().unwrap_or_default();
        if server.first_start.is_some() {
            let path = dir.path().join(hall_wire::startup::FILE_NAME);
            first.write(&path, addr).expect("write first-start.txt");
        }
        let router = server.router();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server
                .serve(listener, async move {
                    let _ = stopped.await;
                })
                .await
                .expect("server runs");
        });
        TestServer {
            endpoint: Endpoint::new(addr, first),
            router: Some(router),
            stop: Some(stop),
            task: Some(task),
            dir,
        }
    }

    /// The secrets of a first start on this directory: a restarted server writes none, so a
    /// test carries them over from the first.
    pub fn set_first_start(&mut self, first: hall_wire::startup::FirstStart) {
        self.endpoint.first = first;
    }

    /// Stops gracefully (clients are closed, the writer snapshots); returns the data directory.
    pub async fn stop(mut self) -> tempfile::TempDir {
        drop(self.router.take());
        let _ = self.stop.take().expect("running").send(());
        self.task
            .take()
            .expect("running")
            .await
            .expect("server stops");
        self.dir
    }

    /// The data directory (the database, `first-start.txt`).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A GET through the router, with a bearer token if given.
    pub async fn get(&self, path: &str, bearer: Option<&str>) -> Answer {
        match bearer {
            Some(token) => {
                self.get_with(path, &[("authorization", &format!("Bearer {token}"))])
                    .await
            }
            None => self.get_with(path, &[]).await,
        }
    }

    /// A GET through the router with these headers (`accept-encoding`, say).
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = axum::http::Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).expect("a request"))
            .await
    }

    /// A form POST through the router (`application/x-www-form-urlencoded`), as a browser
    /// without JavaScript sends one.
    pub async fn post_form(&self, path: &str, form: &str) -> Answer {
        let request = axum::http::Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .expect("a request");
        self.send(request).await
    }

    async fn send(&self, request: axum::http::Request<Body>) -> Answer {
        let router = self.router.clone().expect("running");
        let response = router.oneshot(request).await.expect("routers do not fail");
        let status = response.status().as_u16();
        let head = response
            .headers()
            .iter()
            .map(|(name, value)| format!("{name}: {}\r\n", value.to_str().unwrap_or("")))
            .collect();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes()
            .to_vec();
        Answer { status, head, body }
    }
}

impl Deref for TestServer {
    type Target = Endpoint;
    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

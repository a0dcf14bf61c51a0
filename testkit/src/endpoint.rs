//! A running server as its clients see it: its address and the secrets it wrote at first start
//! (`hall_wire::startup::FirstStart`), with connections to it as a device, a citizen or staff.
//! The in-process server, the server process and the load generator's target all hand one out.

use crate::ws::WsClient;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_wire::startup::FirstStart;
use hall_wire::*;
use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub first: FirstStart,
}

impl Endpoint {
    pub fn new(addr: SocketAddr, first: FirstStart) -> Endpoint {
        Endpoint { addr, first }
    }

    /// The websocket URL.
    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The base of the web pages: `http://ADDR`.
    pub fn http(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A device's token from first-start.txt.
    pub fn device_token(&self, name: &str) -> String {
        self.first
            .token(name)
            .unwrap_or_else(|| panic!("no token for {name} in first-start.txt"))
            .to_string()
    }

    /// A device's credentials for `hello`.
    pub fn device(&self, name: &str) -> Credentials {
        Credentials::Device {
            token: self.device_token(name),
        }
    }

    /// A staff account's first-start password.
    pub fn password(&self, user: &str) -> String {
        self.first
            .password(user)
            .unwrap_or_else(|| panic!("no password for {user} in first-start.txt"))
            .to_string()
    }

    /// Connected and greeted as the device `name` (kiosk-1, board-1…).
    pub async fn as_device(&self, name: &str) -> WsClient {
        self.with_token(&self.device_token(name))
            .await
            .unwrap_or_else(|code| panic!("device {name} refused: {code:?}"))
    }

    /// Connected with a device token; the refusal's code if the server does not take it.
    pub async fn with_token(&self, token: &str) -> Result<WsClient, ErrorCode> {
        let auth = Credentials::Device {
            token: token.into(),
        };
        let (c, r) = WsClient::connect_as(&self.url(), Some(auth))
            .await
            .expect("connect");
        r.map(|_| c).map_err(|e| e.code)
    }

    /// Connected from a chosen local address (`WsClient::connect_from`) and greeted with
    /// these credentials: the client and the hello's answer.
    pub async fn hello_from(
        &self,
        source: std::net::IpAddr,
        auth: Option<Credentials>,
    ) -> (WsClient, Result<ReplyBody, ErrorBody>) {
        let mut c = WsClient::connect_from(&self.url(), source)
            .await
            .expect("connect");
        let r = c.hello(auth).await.expect("hello answered");
        (c, r)
    }

    /// A sign-in from a chosen local address: the session token, or the refusal's code (of
    /// the hello or the sign-in).
    pub async fn login_from(
        &self,
        source: std::net::IpAddr,
        user: &str,
        password: &str,
    ) -> Result<String, ErrorCode> {
        let (mut c, hello) = self.hello_from(source, None).await;
        hello.map_err(|e| e.code)?;
        sign_in(&mut c, user, password).await
    }

    /// Connected and greeted without credentials: a citizen's ticket page.
    pub async fn anonymous(&self) -> WsClient {
        let (c, r) = WsClient::connect_as(&self.url(), None)
            .await
            .expect("connect");
        r.expect("anonymous hello");
        c
    }

    /// Signed in with a password; the session token, or the refusal's code.
    pub async fn login(&self, user: &str, password: &str) -> (WsClient, Result<String, ErrorCode>) {
        let mut c = self.anonymous().await;
        let token = sign_in(&mut c, user, password).await;
        (c, token)
    }

    /// Signed in as a first-start account (clerk1…, manager); with its session token.
    pub async fn as_staff(&self, user: &str) -> (WsClient, String) {
        let (c, token) = self.login(user, &self.password(user)).await;
        let token = token.unwrap_or_else(|code| panic!("login of {user} failed: {code:?}"));
        (c, token)
    }
}

/// `login` on a greeted connection: the session token, or the refusal's code.
async fn sign_in(c: &mut WsClient, user: &str, password: &str) -> Result<String, ErrorCode> {
    let r = c
        .request(Request::Login {
            username: user.into(),
            password: password.into(),
        })
        .await
        .expect("login answered");
    match r {
        Ok(ReplyBody::Session { token, .. }) => Ok(token),
        Ok(other) => panic!("unexpected {other:?}"),
        Err(e) => Err(e.code),
    }
}

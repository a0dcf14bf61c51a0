//! A running server as its clients see it: its address and the secrets it wrote at first start
//! (`hall_wire::startup::FirstStart`), with connections to it as a device, a citizen or staff.
//! The in-process server, the server process and the load generator's target all hand one out.

use crate::ws::WsClient;
use hall_core::error::ErrorCode;
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

    /// A sign-in from a chosen local address (`WsClient::connect_from`): the hello's and the
    /// sign-in's answers.
    pub async fn login_from(
        &self,
        source: std::net::IpAddr,
        user: &str,
        password: &str,
    ) -> Result<String, ErrorCode> {
        let mut c = WsClient::connect_from(&self.url(), source)
            .await
            .expect("connect");
        let hello = c
            .request(Request::Hello {
                protocol: hall_wire::PROTOCOL_VERSION,
                client: "wsclient".into(),
                auth: None,
            })
            .await
            .expect("hello answered");
        hello.map_err(|e| e.code)?;
        match c
            .request(Request::Login {
                username: user.into(),
                password: password.into(),
            })
            .await
            .expect("login answered")
        {
            Ok(ReplyBody::Session { token, .. }) => Ok(token),
            Ok(other) => panic!("unexpected {other:?}"),
            Err(e) => Err(e.code),
        }
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
        let r = c
            .request(Request::Login {
                username: user.into(),
                password: password.into(),
            })
            .await
            .expect("login answered");
        let token = match r {
            Ok(ReplyBody::Session { token, .. }) => Ok(token),
            Ok(other) => panic!("unexpected {other:?}"),
            Err(e) => Err(e.code),
        };
        (c, token)
    }

    /// Signed in as a first-start account (clerk1…, manager); with its session token.
    pub async fn as_staff(&self, user: &str) -> (WsClient, String) {
        let (c, token) = self.login(user, &self.password(user)).await;
        let token = token.unwrap_or_else(|code| panic!("login of {user} failed: {code:?}"));
        (c, token)
    }
}

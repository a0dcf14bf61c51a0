//! Headless Chromium driven over WebDriver (chromedriver + fantoccini), for tests of the web
//! pages and their screenshots. `scripts/lib.sh` installs the Debian packages `chromium` and
//! `chromium-driver`.
//!
//! ```ignore
//! let b = Browser::start(1280, 900).await;
//! b.sign_in(&server, "clerk", "clerk1").await;
//! b.wait_text("#counter-name", "شباك").await;
//! b.close().await;
//! ```

use crate::endpoint::Endpoint;
use crate::ports::free_port;
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// How long a wait for something on the page lasts before the test fails.
pub const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium window of this size.
    pub async fn start(width: u32, height: u32) -> Browser {
        Self::start_with_downloads(width, height, None).await
    }

    /// As `start`; files the pages download are saved in `downloads` without asking.
    pub async fn start_with_downloads(
        width: u32,
        height: u32,
        downloads: Option<&std::path::Path>,
    ) -> Browser {
        Self::launch(width, height, downloads, None, true).await
    }

    /// As `start`, with the pages' JavaScript turned off (a phone's browser that runs none):
    /// what the server renders must read on its own.
    pub async fn start_without_scripts(width: u32, height: u32) -> Browser {
        Self::launch(width, height, None, None, false).await
    }

    /// As `start`, in a browser whose own time zone is `zone` (IANA, e.g. "America/New_York"):
    /// the pages must show the center's times whatever the phone's zone is.
    pub async fn start_in_zone(width: u32, height: u32, zone: &str) -> Browser {
        Self::launch(width, height, None, Some(zone), true).await
    }

    async fn launch(
        width: u32,
        height: u32,
        downloads: Option<&std::path::Path>,
        zone: Option<&str>,
        scripts: bool,
    ) -> Browser {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists(),
            "{CHROMEDRIVER} is missing: apt-get install chromium chromium-driver (scripts/test.sh does)"
        );
        // The port is free when `free_port` asks, but another test may take it before
        // chromedriver binds it (then chromedriver exits, or the probe reaches the other
        // listener): a failed start is tried again on a new port with a new driver.
        let mut failures = Vec::new();
        for _ in 0..4 {
            match Self::try_start(width, height, downloads, zone, scripts).await {
                Ok(browser) => return browser,
                Err(e) => failures.push(e),
            }
        }
        panic!("a WebDriver session with headless Chromium: {failures:?}");
    }

    async fn try_start(
        width: u32,
        height: u32,
        downloads: Option<&std::path::Path>,
        zone: Option<&str>,
        scripts: bool,
    ) -> Result<Browser, String> {
        let port = free_port();
        let mut driver = Command::new(CHROMEDRIVER);
        if let Some(zone) = zone {
            // Chromium takes its zone from TZ, inherited through chromedriver.
            driver.env("TZ", zone);
        }
        let mut driver = driver
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("start chromedriver: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = driver.try_wait() {
                return Err(format!("chromedriver on port {port} exited: {status}"));
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if Instant::now() > deadline {
                let _ = driver.kill();
                let _ = driver.wait();
                return Err(format!("chromedriver did not listen on port {port}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = serde_json::Map::new();
        let mut options = serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--force-device-scale-factor=1",
                format!("--window-size={width},{height}"),
            ],
        });
        let mut prefs = serde_json::Map::new();
        if let Some(dir) = downloads {
            prefs.insert(
                "download.default_directory".into(),
                dir.display().to_string().into(),
            );
            prefs.insert("download.prompt_for_download".into(), false.into());
        }
        if !scripts {
            prefs.insert(
                "profile.managed_default_content_settings.javascript".into(),
                2.into(),
            );
        }
        if !prefs.is_empty() {
            options["prefs"] = prefs.into();
        }
        caps.insert("goog:chromeOptions".into(), options);
        let session = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match session {
            Ok(client) => Ok(Browser { client, driver }),
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                Err(format!("port {port}: {e}"))
            }
        }
    }

    /// Signs in on a staff page (`clerk`, `manager`) of `server` with a first-start account.
    pub async fn sign_in(&self, server: &Endpoint, page: &str, user: &str) {
        self.goto(&format!("{}/{page}", server.http())).await;
        self.fill("#username", user).await;
        self.fill("#password", &server.password(user)).await;
        self.click("#signin-submit").await;
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Sets the page language the pages read (localStorage), reloads, and waits until the
    /// reloaded page has drawn itself in it (`i18n.js` sets `data-lang-ready` last). The
    /// old page is marked first, so its elements are never taken for the new one's.
    pub async fn set_lang(&self, lang: &str) {
        self.client
            .execute(
                "window.__tabourOld = true; localStorage.setItem('tabour.lang', arguments[0]); location.reload();",
                vec![serde_json::json!(lang)],
            )
            .await
            .expect("set the language");
        crate::wait::until(WAIT, &format!("the page reloaded in {lang:?}"), || async {
            let ready = self
                .client
                .execute(
                    "return !window.__tabourOld && document.readyState === 'complete' && document.documentElement.dataset.langReady === arguments[0];",
                    vec![serde_json::json!(lang)],
                )
                .await;
            matches!(ready, Ok(serde_json::Value::Bool(true)))
        })
        .await
    }

    /// Waits until an element matches and returns its visible text.
    pub async fn wait_for(&self, css: &str) -> String {
        self.wait_until(css, |_| true).await
    }

    /// Waits until the element's text contains `want`; returns the text.
    pub async fn wait_text(&self, css: &str, want: &str) -> String {
        self.wait_until(css, |t| t.contains(want)).await
    }

    /// Waits until an element matching `css` has a text for which `ok` holds.
    pub async fn wait_until(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        let mut last = None;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = el.text().await
            {
                if ok(&text) {
                    return text;
                }
                last = Some(text);
            }
            if Instant::now() > deadline {
                let page = self
                    .client
                    .find(Locator::Css("body"))
                    .await
                    .ok()
                    .map(|b| async move { b.text().await.unwrap_or_default() });
                let body = match page {
                    Some(f) => f.await,
                    None => String::new(),
                };
                panic!("waited {WAIT:?} for {css:?}; last text {last:?}; page:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element exists and is enabled, then clicks it.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && el.is_enabled().await.unwrap_or(false)
                && el.click().await.is_ok()
            {
                return;
            }
            assert!(Instant::now() < deadline, "could not click {css:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn is_enabled(&self, css: &str) -> bool {
        self.on_element(css, "read", |el| async move { el.is_enabled().await })
            .await
    }

    pub async fn fill(&self, css: &str, text: &str) {
        self.wait_for(css).await;
        self.on_element(css, "fill", |el| async move {
            el.clear().await?;
            el.send_keys(text).await
        })
        .await
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.wait_for(css).await;
        self.on_element(css, "select in", |el| async move {
            el.select_by_value(value).await
        })
        .await
    }

    /// Presses a key on the page (e.g. `fantoccini::key::Key::F2`).
    pub async fn press(&self, key: fantoccini::key::Key) {
        let keys = char::from(key).to_string();
        let keys = keys.as_str();
        self.on_element(
            "body",
            "type on",
            |el| async move { el.send_keys(keys).await },
        )
        .await
    }

    /// Finds `css` and does `act` with it; again, until `WAIT`, when the page re-renders
    /// between the two (the element found is gone: WebDriver's StaleElementReference) or the
    /// element is not there yet.
    async fn on_element<T, F, Fut>(&self, css: &str, what: &str, act: F) -> T
    where
        F: Fn(Element) -> Fut,
        Fut: std::future::Future<Output = Result<T, CmdError>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            let failed = match self.client.find(Locator::Css(css)).await {
                Ok(el) => match act(el).await {
                    Ok(v) => return v,
                    Err(e) => e.to_string(),
                },
                Err(e) => e.to_string(),
            };
            assert!(
                Instant::now() < deadline,
                "could not {what} {css:?}: {failed}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The value of a JavaScript expression on the page.
    pub async fn eval(&self, expr: &str) -> serde_json::Value {
        self.client
            .execute(&format!("return {expr};"), vec![])
            .await
            .unwrap()
    }

    /// What the page and everything it loaded weighed on the wire (bytes, headers included,
    /// compressed as sent: the Resource Timing API's `transferSize`), once the page has loaded
    /// and asked for nothing new for a second; with each file's share. The websocket is not
    /// counted (its frames are not resources).
    pub async fn transferred(&self) -> (u64, Vec<(String, u64)>) {
        let entries = "const n = performance.getEntriesByType('navigation')[0]; \
             return [document.readyState, [[location.href, n ? n.transferSize : 0]].concat( \
             performance.getEntriesByType('resource').map((e) => [e.name, e.transferSize]))];";
        let mut last: Option<Vec<(String, u64)>> = None;
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self.client.execute(entries, vec![]).await.expect("timings");
            let (state, files): (String, Vec<(String, u64)>) =
                serde_json::from_value(v).expect("timings as [state, [[name, size]]]");
            if state == "complete" && last.as_ref() == Some(&files) {
                return (files.iter().map(|(_, n)| n).sum(), files);
            }
            assert!(
                Instant::now() < deadline,
                "the page kept loading: {files:?}"
            );
            last = Some(files);
            tokio::time::sleep(Duration::from_millis(1000)).await;
        }
    }

    /// Waits for fonts and a quiet frame, then writes a PNG of the whole page: a page taller
    /// than the window is shot with the window stretched to its height (then put back), so
    /// long tables are not cut at the first screenful.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let settle = "const done = arguments[0]; document.fonts.ready.then(() => requestAnimationFrame(() => setTimeout(done, 150)));";
        let _ = self.client.execute_async(settle, vec![]).await;
        // The window's own size from WebDriver (the page's outerHeight is not reliable
        // headless), put back exactly after the shot.
        let window = self.client.get_window_size().await.ok();
        let sizes = self
            .client
            .execute(
                "return [window.innerHeight, \
                 Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)];",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| serde_json::from_value::<[u32; 2]>(v).ok());
        let stretched = match (window, sizes) {
            (Some((w, h)), Some([inner, full])) if full > inner => {
                let (w, h) = (w as u32, h as u32);
                let chrome = h.saturating_sub(inner);
                self.resize(w, full + chrome).await;
                let _ = self.client.execute_async(settle, vec![]).await;
                Some((w, h))
            }
            _ => None,
        };
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write the screenshot");
        if let Some((w, h)) = stretched {
            self.resize(w, h).await;
        }
    }

    /// A PNG of what the window shows now (the first screenful of a long page, as a phone
    /// shows it first).
    pub async fn screenshot_view(&self, path: &std::path::Path) {
        let settle = "const done = arguments[0]; document.fonts.ready.then(() => requestAnimationFrame(() => setTimeout(done, 150)));";
        let _ = self.client.execute_async(settle, vec![]).await;
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// Sets the window's size (the viewport follows).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

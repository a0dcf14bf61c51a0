//! The HTTP-gateway transport: each message is one `POST` of JSON to the configured URL with
//! `Authorization: Bearer <token>` and `Idempotency-Key: tabour-<message id>` (a gateway that
//! honours the key never sends one message twice, even when we resend after a crash). The
//! gateway splits long texts itself. HTTP/1.1 over plain TCP: a gateway reached over TLS goes
//! through a local TLS proxy (docs/messages.md).
//!
//! Body: `{"id": "tabour-42", "to": "+201012345678", "from": "TABOUR", "text": "…"}`.
//! 2xx: sent (the id is the answer's `message_id`/`id` if it is JSON with one, else
//! `http-<status>`); 429 and 5xx: tried again later; any other status: refused.

use super::SendError;
use crate::sms::settings::SmsSettings;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TIMEOUT: Duration = Duration::from_secs(10);
/// The most of an answer read (status line, headers, a small JSON body).
const MAX_ANSWER: usize = 16 * 1024;

pub struct Target {
    host: String,
    port: u16,
    path: String,
}

pub fn target(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// is supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (
            h.to_string(),
            p.parse().map_err(|_| format!("{url}: bad port"))?,
        ),
        None => (authority.to_string(), 80),
    };
    if host.is_empty() {
        return Err(format!("{url}: no host"));
    }
    Ok(Target { host, port, path })
}

pub async fn send(
    s: &SmsSettings,
    t: &Target,
    id: i64,
    to: &str,
    text: &str,
) -> Result<String, SendError> {
    let body = serde_json::json!({
        "id": format!("tabour-{id}"),
        "to": format!("+{to}"),
        "from": s.source_addr,
        "text": text,
    })
    .to_string();
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}:{}\r\nAuthorization: Bearer {}\r\nIdempotency-Key: tabour-{id}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        t.path,
        t.host,
        t.port,
        s.token,
        body.len()
    );
    let mut stream = tokio::time::timeout(
        TIMEOUT,
        tokio::net::TcpStream::connect((t.host.as_str(), t.port)),
    )
    .await
    .map_err(|_| SendError::Retry("gateway connect timed out".into()))?
    .map_err(|e| SendError::Retry(format!("gateway: {e}")))?;
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| SendError::Retry(format!("gateway: {e}")))?;
    // Sent: from here an answer that does not come leaves the message uncertain.
    let mut answer = Vec::new();
    let read = tokio::time::timeout(TIMEOUT, async {
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await?;
            if n == 0 || answer.len() >= MAX_ANSWER {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        Ok::<_, std::io::Error>(())
    })
    .await;
    if !matches!(read, Ok(Ok(()))) && answer.is_empty() {
        return Err(SendError::Uncertain("no answer from the gateway".into()));
    }
    let text = String::from_utf8_lossy(&answer);
    let status: u16 = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| SendError::Uncertain("unreadable answer from the gateway".into()))?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    match status {
        200..=299 => {
            let id = serde_json::from_str::<serde_json::Value>(body.trim())
                .ok()
                .and_then(|v| {
                    v.get("message_id")
                        .or_else(|| v.get("id"))
                        .and_then(|x| x.as_str().map(str::to_string))
                })
                .unwrap_or_else(|| format!("http-{status}"));
            Ok(id)
        }
        429 | 500..=599 => Err(SendError::Retry(format!("gateway answered {status}"))),
        _ => Err(SendError::Permanent(format!("gateway answered {status}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_or_refused() {
        let t = target("http://127.0.0.1:9000/v1/send").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 9000, "/v1/send")
        );
        let t = target("http://gw.local").unwrap();
        assert_eq!((t.port, t.path.as_str()), (80, "/"));
        assert!(target("https://gw").is_err());
        assert!(target("http://:80/").is_err());
    }
}

//! Devices waiting to be paired: a kiosk or board without a token asks, shows a short code,
//! and waits on its connection until a manager approves that code. Kept in memory only: a
//! restart forgets the requests, and the devices simply ask again. No clock is read here.

use hall_core::Timestamp;
use hall_core::role::Role;
use hall_wire::manager::{DeviceKind, PendingPairing};
use std::collections::HashMap;
use tokio::sync::oneshot;

/// How long a code stays valid.
pub const PAIRING_MINUTES: i64 = 10;
/// The most requests kept; a new one beyond this pushes out the oldest (anyone may ask, so
/// the list must not grow without bound).
pub const MAX_PENDING: usize = 64;
/// Digits of a code.
pub const CODE_DIGITS: usize = 6;

/// What the waiting device receives when a manager approves it.
#[derive(Clone, Debug, PartialEq)]
pub struct Paired {
    pub token: String,
    pub name: String,
    pub role: Role,
}

struct Pending {
    info: PendingPairing,
    tx: oneshot::Sender<Paired>,
}

#[derive(Default)]
pub struct Pairings {
    pending: HashMap<String, Pending>,
}

impl Pairings {
    /// Forgets expired requests and those whose device went away.
    fn purge(&mut self, now: Timestamp) {
        self.pending
            .retain(|_, p| p.info.expires_at > now && !p.tx.is_closed());
    }

    /// Registers a request under a fresh code drawn by `draw` (redrawn while it clashes).
    pub fn request(
        &mut self,
        kind: DeviceKind,
        name: &str,
        now: Timestamp,
        mut draw: impl FnMut() -> String,
    ) -> (PendingPairing, oneshot::Receiver<Paired>) {
        self.purge(now);
        while self.pending.len() >= MAX_PENDING {
            let oldest = self
                .pending
                .values()
                .min_by_key(|p| p.info.requested_at)
                .map(|p| p.info.code.clone());
            match oldest {
                Some(code) => self.pending.remove(&code),
                None => break,
            };
        }
        let mut code = draw();
        while self.pending.contains_key(&code) {
            code = draw();
        }
        let info = PendingPairing {
            code: code.clone(),
            kind,
            name: name.chars().take(32).collect(),
            requested_at: now,
            expires_at: now + chrono::Duration::minutes(PAIRING_MINUTES),
        };
        let (tx, rx) = oneshot::channel();
        self.pending.insert(
            code,
            Pending {
                info: info.clone(),
                tx,
            },
        );
        (info, rx)
    }

    /// The requests still valid, oldest first.
    pub fn list(&mut self, now: Timestamp) -> Vec<PendingPairing> {
        self.purge(now);
        let mut v: Vec<PendingPairing> = self.pending.values().map(|p| p.info.clone()).collect();
        v.sort_by_key(|p| p.requested_at);
        v
    }

    /// The request behind a code, if still valid and its device still connected.
    pub fn get(&mut self, code: &str, now: Timestamp) -> Option<PendingPairing> {
        self.purge(now);
        self.pending.get(&normalize(code)).map(|p| p.info.clone())
    }

    /// Hands the token to the waiting device. False if the request is gone or the device
    /// disconnected meanwhile (the caller then revokes the token it made).
    pub fn deliver(&mut self, code: &str, paired: Paired) -> bool {
        match self.pending.remove(&normalize(code)) {
            Some(p) => p.tx.send(paired).is_ok(),
            None => false,
        }
    }
}

/// A code as a manager may type it: the screen shows it in groups ("482 913") and in
/// Arabic-Indic digits too ("٤٨٢ ٩١٣"); both read as the code ("482913").
pub fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200e}' && *c != '-')
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn codes(list: &[&str]) -> impl FnMut() -> String {
        let mut v: Vec<String> = list.iter().rev().map(|s| s.to_string()).collect();
        move || v.pop().expect("enough codes")
    }

    #[test]
    fn a_code_is_delivered_once_and_expires() {
        let mut p = Pairings::default();
        let t0 = at("2026-11-22T08:00:00Z");
        let (info, mut rx) = p.request(DeviceKind::Kiosk, "entrance", t0, codes(&["123456"]));
        assert_eq!(info.code, "123456");
        assert_eq!(info.expires_at, at("2026-11-22T08:10:00Z"));
        assert_eq!(p.list(t0).len(), 1);
        let paired = Paired {
            token: "t".into(),
            name: "kiosk-3".into(),
            role: Role::Kiosk,
        };
        assert!(p.deliver(" 123456 ", paired.clone()));
        assert_eq!(rx.try_recv().unwrap(), paired);
        assert!(!p.deliver("123456", paired), "delivered once");

        let (_, _rx) = p.request(DeviceKind::Board, "hall", t0, codes(&["654321"]));
        assert!(p.get("654321", at("2026-11-22T08:09:59Z")).is_some());
        assert!(
            p.get("654321", at("2026-11-22T08:10:00Z")).is_none(),
            "expired"
        );
    }

    #[test]
    fn clashing_codes_are_redrawn_and_gone_devices_drop_out() {
        let mut p = Pairings::default();
        let t0 = at("2026-11-22T08:00:00Z");
        let (_, _keep) = p.request(DeviceKind::Kiosk, "a", t0, codes(&["111111"]));
        let (info, rx) = p.request(DeviceKind::Kiosk, "b", t0, codes(&["111111", "222222"]));
        assert_eq!(info.code, "222222");
        drop(rx);
        let list = p.list(t0);
        assert_eq!(list.len(), 1, "the device that left is not listed");
        assert_eq!(list[0].code, "111111");
    }

    #[test]
    fn a_code_typed_in_groups_or_arabic_digits_is_the_same_code() {
        assert_eq!(normalize(" 482 913 "), "482913");
        assert_eq!(normalize("٤٨٢ ٩١٣"), "482913");
        assert_eq!(normalize("۴۸۲-۹۱۳"), "482913");
        let mut p = Pairings::default();
        let t0 = at("2026-11-22T08:00:00Z");
        let (_, _rx) = p.request(DeviceKind::Kiosk, "a", t0, codes(&["482913"]));
        assert!(p.get("٤٨٢ ٩١٣", t0).is_some());
    }

    #[test]
    fn the_list_is_bounded() {
        let mut p = Pairings::default();
        let t0 = at("2026-11-22T08:00:00Z");
        let mut keep = Vec::new();
        for i in 0..MAX_PENDING + 5 {
            let t = t0 + chrono::Duration::seconds(i as i64);
            let code = format!("{i:06}");
            let (_, rx) = p.request(DeviceKind::Board, "x", t, move || code.clone());
            keep.push(rx);
        }
        let list = p.list(t0 + chrono::Duration::minutes(1));
        assert_eq!(list.len(), MAX_PENDING);
        assert_eq!(list[0].code, "000005", "the oldest went first");
    }
}

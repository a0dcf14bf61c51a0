//! `request_pairing`: a device without a token asks to be paired and shows the code it gets;
//! the token arrives later, in a `paired` frame, when a manager approves the code
//! (`handlers/admin.rs`).

use crate::pairing::CODE_DIGITS;
use crate::shell::hub::Hub;
use crate::shell::peer::Conn;
use hall_wire::ReplyBody;
use hall_wire::manager::DeviceKind;

pub(crate) fn request(hub: &Hub, conn: &mut Conn, kind: DeviceKind, name: &str) -> ReplyBody {
    let now = (hub.clock)();
    let (info, rx) = hub
        .pairings
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .request(kind, name.trim(), now, pairing_code);
    conn.pairing = Some(rx);
    hub.dashboard.poke();
    ReplyBody::Pairing {
        code: info.code,
        expires_at: info.expires_at,
    }
}

/// A pairing code: six random digits, easy to read off a screen and type.
fn pairing_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..CODE_DIGITS)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

//! Queue commands: checked for what only the wire can get wrong (the kiosk's idempotency
//! key), given what the engine must not draw itself (a new ticket's page token), and handed
//! to the writer as they are.

use crate::shell::hub::Hub;
use crate::shell::peer::Conn;
use hall_core::engine::{Actor, Command};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::role::Role;
use hall_wire::ReplyBody;

/// The longest idempotency key a kiosk may send.
const MAX_KEY_CHARS: usize = 128;

pub(crate) async fn command(
    hub: &Hub,
    conn: &Conn,
    mut command: Command,
) -> Result<ReplyBody, ErrorBody> {
    if let Command::IssueTicket {
        idempotency_key,
        token,
        ..
    } = &mut command
    {
        let key = idempotency_key.trim();
        if key.is_empty() || key.len() > MAX_KEY_CHARS {
            return Err(ErrorBody::new(
                ErrorCode::BadFrame,
                "idempotency_key must be 1 to 128 characters",
            ));
        }
        *idempotency_key = key.to_string();
        *token = page_token();
    }
    let actor = conn
        .actor
        .clone()
        .unwrap_or_else(|| Actor::new(Role::Citizen, "citizen"));
    let mut reply = hub.writer.command(actor, command).await;
    if let Ok(ReplyBody::Ticket { ticket }) = &mut reply {
        ticket.page_url = hub.access.link(&format!("/t/{}", ticket.token));
    }
    reply
}

/// A 128-bit token for a citizen's ticket page URL.
fn page_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `leave_phone`: the number checked here (a clear refusal, nothing kept), then kept by the
/// writer for the ticket. Never logged: `Phone` shows only its last two digits.
pub(crate) async fn leave_phone(
    hub: &Hub,
    token: Option<String>,
    ticket: Option<hall_core::TicketId>,
    phone: &str,
    lang: String,
) -> Result<ReplyBody, ErrorBody> {
    use crate::writer::PhoneFor;
    let phone = crate::sms::Phone::parse(phone)
        .map_err(|e| ErrorBody::new(ErrorCode::InvalidPhone, e.to_string()))?;
    let target = match (token, ticket) {
        (Some(t), _) => PhoneFor::Token(t),
        (None, Some(id)) => PhoneFor::Ticket(id),
        (None, None) => {
            return Err(ErrorBody::new(
                ErrorCode::BadFrame,
                "leave_phone needs a token or a ticket",
            ));
        }
    };
    let masked = hub.writer.keep_phone(target, phone, lang).await?;
    Ok(ReplyBody::PhoneKept { masked })
}

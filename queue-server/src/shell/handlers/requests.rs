//! Requests followed after the window (issue 12): the back office's list and look-up, and a
//! request's status for a citizen who gives the last four digits of their phone or national
//! ID (the kiosk's follow screen here; the `/r` page through `status` too).

use crate::shell::hub::Hub;
use hall_core::clock;
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::request::{RequestStatusView, StaffRequest, normalize_reference};
use hall_wire::ReplyBody;

fn today(state: &hall_core::State, now: hall_core::Timestamp) -> chrono::NaiveDate {
    state
        .catalog
        .as_deref()
        .map(|c| clock::local_day(c, now))
        .unwrap_or_else(|| now.date_naive())
}

fn staff(
    state: &hall_core::State,
    r: &hall_core::request::ServiceRequest,
    today: chrono::NaiveDate,
) -> StaffRequest {
    let created = state
        .catalog
        .as_deref()
        .map(|c| clock::local_day(c, r.created_at))
        .unwrap_or_else(|| r.created_at.date_naive());
    StaffRequest::of(
        r,
        crate::writer::service_name(state, &r.service),
        today,
        created,
    )
}

/// `list_requests`: every request the state follows, overdue first, then oldest first; no
/// suffixes.
pub(crate) async fn list(hub: &Hub) -> Result<ReplyBody, ErrorBody> {
    hub.writer
        .read(|state, now| {
            let today = today(state, now);
            let mut requests: Vec<_> = state
                .requests
                .values()
                .map(|r| staff(state, r, today))
                .collect();
            requests
                .sort_by_key(|r| (!r.overdue, r.request.state.is_final(), r.request.created_at));
            ReplyBody::Requests { requests, today }
        })
        .await
}

/// `find_request`.
pub(crate) async fn find(hub: &Hub, reference: String) -> Result<ReplyBody, ErrorBody> {
    hub.writer
        .read(move |state, now| match state.request(&reference) {
            Some(r) => {
                let today = today(state, now);
                Ok(ReplyBody::Request {
                    request: Box::new(staff(state, r, today)),
                    today,
                })
            }
            None => Err(unknown(&reference)),
        })
        .await?
}

fn unknown(reference: &str) -> ErrorBody {
    ErrorBody::new(
        ErrorCode::UnknownRequest,
        format!(
            "there is no request {:?}",
            reference.chars().take(40).collect::<String>()
        ),
    )
}

/// A request's status for a citizen: the reference and one of its suffixes, or a refusal that
/// reads the same for an unknown reference and a wrong suffix (`wrong_suffix`), limited per
/// reference and per client (`suffix_guard.rs`: `too_many_attempts`).
pub(crate) async fn status(
    hub: &Hub,
    reference: &str,
    suffix: &str,
    client: &str,
) -> Result<RequestStatusView, ErrorBody> {
    let key = normalize_reference(reference).unwrap_or_else(|| reference.to_uppercase());
    let now_secs = (hub.clock)().timestamp();
    // Counted before the answer (so tries sent together cannot pass the limit), taken back
    // when right.
    let Some(tries) = hub.suffix_guard().begin(&key, client, now_secs) else {
        return Err(ErrorBody::new(
            ErrorCode::TooManyAttempts,
            "too many wrong answers for this request; try again in an hour",
        ));
    };
    let typed = suffix.to_string();
    let lookup = key.clone();
    let found = hub
        .writer
        .read(move |state, _| {
            let r = state.request(&lookup)?;
            r.suffix_matches(&typed).then(|| {
                let service = crate::writer::service_name(state, &r.service);
                r.status_view(service, state.center_name())
            })
        })
        .await?;
    match found {
        Some(view) => {
            hub.suffix_guard().succeeded(&key, client, now_secs);
            Ok(view)
        }
        None => {
            // Slowed, then locked: each wrong answer of the hour waits a little longer.
            let wait = WRONG_ANSWER_DELAY * u32::from(tries.min(4));
            tokio::time::sleep(wait).await;
            Err(ErrorBody::new(
                ErrorCode::WrongSuffix,
                "no request has this reference with these digits",
            ))
        }
    }
}

/// How much longer each wrong answer of the hour waits before it is told (at most four
/// times this); `suffix_guard::PER_REFERENCE` wrong answers lock the reference.
const WRONG_ANSWER_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// `request_status` (the kiosk): limited per device as the client.
pub(crate) async fn status_reply(
    hub: &Hub,
    client: &str,
    reference: String,
    suffix: String,
) -> Result<ReplyBody, ErrorBody> {
    let view = status(hub, &reference, &suffix, client).await?;
    Ok(ReplyBody::RequestStatus {
        status: Box::new(view),
    })
}

/// `print_slip`: a request's slip on the counter's printer. A clerk prints only at the counter
/// they hold; a manager at any. The QR code goes to the center's public address, else to the
/// address the console reached the server at.
pub(crate) async fn print_slip(
    hub: &Hub,
    actor: &hall_core::engine::Actor,
    reference: String,
    counter: hall_core::CounterId,
    lang: String,
    base: Option<String>,
) -> Result<ReplyBody, ErrorBody> {
    let clerk = (actor.role == hall_core::role::Role::Clerk).then(|| actor.name.clone());
    let receipt = hub
        .writer
        .read(move |state, _| {
            let Some(c) = state.counters.get(&counter) else {
                return Err(ErrorBody::new(
                    ErrorCode::UnknownCounter,
                    format!("there is no counter {counter}"),
                ));
            };
            if let Some(name) = &clerk
                && c.clerk.as_deref() != Some(name.as_str())
            {
                return Err(ErrorBody::new(
                    ErrorCode::CounterNotYours,
                    format!("counter {counter} is not yours"),
                ));
            }
            match state.request(&reference) {
                Some(r) => Ok(r.receipt(
                    crate::writer::service_name(state, &r.service),
                    state.center_name(),
                )),
                None => Err(unknown(&reference)),
            }
        })
        .await??;
    let status_url = match hub.access.link(&receipt.status_path) {
        Some(url) => url,
        None => {
            let base = base
                .as_deref()
                .and_then(|b| hall_wire::center_file::public_url(b).ok())
                .ok_or_else(|| {
                    ErrorBody::new(
                        ErrorCode::BadFrame,
                        "the center has no public address: give the console's `base` (http://HOST:PORT)",
                    )
                })?;
            format!("{base}{}", receipt.status_path)
        }
    };
    let printed = hub
        .slips
        .print(counter, receipt, &lang, status_url, hub.tz, hub.digits)
        .await?;
    let (status, detail) = printed.status.wire();
    Ok(ReplyBody::SlipPrinted {
        printed: printed.printed,
        status,
        detail,
    })
}

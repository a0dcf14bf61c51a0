//! The SMPP 3.4 transport, through `rusmppc`: one TCP connection bound as transceiver, kept
//! alive with `enquire_link`, rebuilt with exponential back-off (1 s doubling to 60 s) when
//! the link or the bind fails. `deliver_sm` in: texts from citizens (STOP, a request
//! reference) go to the inbound queue; delivery receipts are acknowledged and counted.

use super::{Inbound, SendError};
use crate::sms::encode::{ESM_UDHI, Part, decode};
use crate::sms::settings::SmsSettings;
use futures_util::StreamExt;
use rusmpp::pdus::{BindTransceiver, DeliverSmResp, SubmitSm};
use rusmpp::types::{COctetString, OctetString};
use rusmpp::values::{
    DataCoding, EsmClass, InterfaceVersion, MessageType, Npi, RegisteredDelivery, ServiceType, Ton,
};
use rusmpp::{CommandId, CommandStatus, Pdu};
use rusmppc::{Client, ConnectionBuilder, Event};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct SmppLink {
    client: watch::Receiver<Option<Client>>,
    settings: Arc<SmsSettings>,
    pub receipts: Arc<AtomicU64>,
}

fn cstr<const MIN: usize, const MAX: usize>(s: &str) -> COctetString<MIN, MAX> {
    COctetString::from_string(s.to_string()).unwrap_or_else(|_| COctetString::empty())
}

/// Starts the link's task; it runs until `shutdown`.
pub fn start(
    settings: Arc<SmsSettings>,
    inbound: mpsc::Sender<Inbound>,
    mut shutdown: watch::Receiver<bool>,
) -> SmppLink {
    let (tx, rx) = watch::channel(None);
    let receipts = Arc::new(AtomicU64::new(0));
    let link = SmppLink {
        client: rx,
        settings: settings.clone(),
        receipts: receipts.clone(),
    };
    tokio::spawn(async move {
        let mut backoff = Duration::from_secs(1);
        loop {
            if *shutdown.borrow() {
                break;
            }
            match bind(&settings).await {
                Ok((client, mut events)) => {
                    tracing::info!(host = %settings.host, port = settings.port, "SMPP bound as transceiver");
                    backoff = Duration::from_secs(1);
                    let _ = tx.send(Some(client.clone()));
                    loop {
                        tokio::select! {
                            _ = shutdown.changed() => {
                                let _ = tx.send(None);
                                let _ = tokio::time::timeout(Duration::from_secs(2), client.unbind()).await;
                                let _ = client.close().await;
                                return;
                            }
                            event = events.next() => match event {
                                None => break,
                                Some(Event::Incoming(cmd)) => {
                                    if cmd.id() == CommandId::DeliverSm {
                                        let seq = cmd.sequence_number();
                                        if let Some(Pdu::DeliverSm(d)) = cmd.pdu() {
                                            let esm = u8::from(d.esm_class);
                                            if d.esm_class.message_type == MessageType::ShortMessageContainsMCDeliveryReceipt {
                                                receipts.fetch_add(1, Ordering::Relaxed);
                                            } else {
                                                let mut body: &[u8] = d.short_message().as_ref();
                                                if esm & ESM_UDHI != 0 && !body.is_empty() {
                                                    let skip = (body[0] as usize + 1).min(body.len());
                                                    body = &body[skip..];
                                                }
                                                let text = decode(u8::from(d.data_coding), body);
                                                let from = d.source_addr.to_string();
                                                if inbound.try_send(Inbound { from, text }).is_err() {
                                                    tracing::warn!("inbound texts queue full; one dropped");
                                                }
                                            }
                                        }
                                        let _ = client.deliver_sm_resp(seq, DeliverSmResp::default()).await;
                                    }
                                }
                                Some(Event::Error(e)) => tracing::warn!(error = %e, "SMPP link"),
                            }
                        }
                        if client.is_closed() {
                            break;
                        }
                    }
                    let _ = tx.send(None);
                    tracing::warn!("SMPP link lost; reconnecting");
                }
                Err(e) => {
                    tracing::warn!(error = %e, retry_in = ?backoff, "SMPP connect or bind failed");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {}
                _ = shutdown.changed() => break,
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
        let _ = tx.send(None);
    });
    link
}

type Events = Box<dyn futures_util::Stream<Item = Event> + Unpin + Send>;

async fn bind(s: &SmsSettings) -> Result<(Client, Events), String> {
    let stream = tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect((s.host.as_str(), s.port)),
    )
    .await
    .map_err(|_| "connect timed out".to_string())?
    .map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let (client, events) = ConnectionBuilder::new()
        .enquire_link_interval(Duration::from_secs(s.enquire_link_seconds.max(1)))
        .enquire_link_response_timeout(Duration::from_secs(5))
        .response_timeout(Duration::from_secs(10))
        // rusmppc checks for 5.0; we speak 3.4 (the operators' version).
        .disable_interface_version_check()
        .connected(stream);
    let bind = BindTransceiver::builder()
        .system_id(cstr(&s.system_id))
        .password(cstr(&s.password))
        .system_type(cstr(&s.system_type))
        .interface_version(InterfaceVersion::Smpp3_4)
        .addr_ton(Ton::Unknown)
        .addr_npi(Npi::Unknown)
        .address_range(COctetString::empty())
        .build();
    match tokio::time::timeout(Duration::from_secs(10), client.bind_transceiver(bind)).await {
        Ok(Ok(_)) => Ok((client, Box::new(events))),
        Ok(Err(e)) => {
            let _ = client.close().await;
            Err(e.to_string())
        }
        Err(_) => {
            let _ = client.close().await;
            Err("bind timed out".into())
        }
    }
}

impl SmppLink {
    /// Waits up to `wait` for a bound link.
    pub async fn ready(&self, wait: Duration) -> bool {
        let mut rx = self.client.clone();
        tokio::time::timeout(wait, rx.wait_for(|c| c.is_some()))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// One part, to `dest` (international digits). The SMSC's message id on success.
    pub async fn submit(&self, dest: &str, part: &Part) -> Result<String, SendError> {
        let Some(client) = self.client.borrow().clone() else {
            return Err(SendError::Retry("no SMPP link".into()));
        };
        let s = &self.settings;
        let alpha = !s.source_addr.chars().all(|c| c.is_ascii_digit());
        let submit = SubmitSm::builder()
            .service_type(ServiceType::default())
            .source_addr_ton(if alpha {
                Ton::Alphanumeric
            } else {
                Ton::Unknown
            })
            .source_addr_npi(if alpha { Npi::Unknown } else { Npi::Isdn })
            .source_addr(cstr(&s.source_addr))
            .dest_addr_ton(Ton::International)
            .dest_addr_npi(Npi::Isdn)
            .destination_addr(cstr(dest))
            .esm_class(EsmClass::from(if part.udh { ESM_UDHI } else { 0 }))
            .registered_delivery(RegisteredDelivery::from(1))
            .data_coding(DataCoding::from(part.data_coding))
            .short_message(
                OctetString::from_vec(part.short_message.clone())
                    .map_err(|e| SendError::Permanent(e.to_string()))?,
            )
            .build();
        match client.submit_sm(submit).await {
            Ok(resp) => Ok(resp.message_id().to_string()),
            Err(rusmppc::error::Error::UnexpectedResponse { response }) => {
                let status = response.status();
                let retry = matches!(
                    status,
                    CommandStatus::EsmeRthrottled
                        | CommandStatus::EsmeRmsgqful
                        | CommandStatus::EsmeRsyserr
                        | CommandStatus::EsmeRsubmitfail
                );
                let why = format!("SMSC answered {status:?}");
                Err(if retry {
                    SendError::Retry(why)
                } else {
                    SendError::Permanent(why)
                })
            }
            // A timeout means the SMSC may have it: the caller treats it as uncertain.
            Err(rusmppc::error::Error::ResponseTimeout { .. }) => {
                Err(SendError::Uncertain("no submit_sm_resp in time".into()))
            }
            Err(e) => Err(SendError::Retry(e.to_string())),
        }
    }
}

//! The hub's side of the network: the stream `TABOUR` that sources every leaf site's stream
//! (through `$JS.<domain>.API`) and the simulated sites' stream `TABOUR_SIM`, and the durable
//! pull consumer the central service reads. Both are declared (created or updated) at start,
//! so adding a site to the register and restarting the service is all it takes.

use crate::sites::Register;
use async_nats::jetstream::{self, consumer, stream};
use hall_wire::network as net;
use hall_wire::network::SIM_SUBJECT_PREFIX;
use std::time::Duration;

pub const STREAM: &str = "TABOUR";
pub const SIM_STREAM: &str = "TABOUR_SIM";
pub const CONSUMER: &str = "central";

/// The hub stream's configuration for a register.
pub fn stream_config(register: &Register, replicas: usize) -> stream::Config {
    let mut sources: Vec<stream::Source> = register
        .sites
        .iter()
        .filter(|s| s.leaf)
        .map(|s| stream::Source {
            name: net::stream_name(&s.code),
            external: Some(stream::External {
                api_prefix: format!("$JS.{}.API", net::leaf_domain(&s.code)),
                delivery_prefix: None,
            }),
            ..Default::default()
        })
        .collect();
    sources.push(stream::Source {
        name: SIM_STREAM.into(),
        ..Default::default()
    });
    stream::Config {
        name: STREAM.into(),
        sources: Some(sources),
        storage: stream::StorageType::File,
        num_replicas: replicas,
        // The hub is a relay with a memory: a month lets a new central service replay; the
        // national store itself is PostgreSQL.
        max_age: Duration::from_secs(30 * 24 * 3600),
        duplicate_window: Duration::from_secs(120),
        ..Default::default()
    }
}

/// Creates or updates both streams and the consumer; returns the consumer.
pub async fn declare(
    js: &jetstream::Context,
    register: &Register,
    replicas: usize,
) -> Result<consumer::PullConsumer, async_nats::Error> {
    js.create_or_update_stream(stream::Config {
        name: SIM_STREAM.into(),
        subjects: vec![format!("{SIM_SUBJECT_PREFIX}.>")],
        storage: stream::StorageType::File,
        num_replicas: replicas,
        max_age: Duration::from_secs(30 * 24 * 3600),
        duplicate_window: Duration::from_secs(120),
        ..Default::default()
    })
    .await?;
    let stream = js
        .create_or_update_stream(stream_config(register, replicas))
        .await?;
    let stream = js.get_stream(&stream.config.name).await?;
    let consumer = stream
        .get_or_create_consumer(
            CONSUMER,
            consumer::pull::Config {
                durable_name: Some(CONSUMER.into()),
                // One ack per committed batch covers every message before it.
                ack_policy: consumer::AckPolicy::All,
                // A batch not acknowledged (the service died before its commit) comes back
                // this soon after a restart.
                ack_wait: Duration::from_secs(5),
                max_ack_pending: 200_000,
                ..Default::default()
            },
        )
        .await?;
    Ok(consumer)
}

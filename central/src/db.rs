//! The national store in PostgreSQL: the schema (applied at start, idempotent), the
//! connection, and the one transaction per batch that ingest writes.
//!
//! Tables: `governorates` (from the register), `sites` (every center and van the network knows, with its live figures, written in
//! the same transaction as its events), `services` (each center's catalog as last loaded, for
//! names and fees), `events` (the union of the centers' logs, keyed by
//! `(center, seq)`: a redelivered message is a no-op), `tickets` (the per-ticket facts of the
//! center's own KPI fold), `rollup_hour` (per center, service, local day and hour; the console
//! and the reports sum these), `day_closings` (each center's closing hash of an ended day, as
//! sent, and whether the events held here give the same), `viewers` and `viewer_sessions`
//! (the console's accounts).

use tokio_postgres::{Client, NoTls};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS governorates (
    code text PRIMARY KEY,
    name_ar text NOT NULL,
    name_en text NOT NULL
);
CREATE TABLE IF NOT EXISTS sites (
    code text PRIMARY KEY,
    governorate text NOT NULL,
    kind text NOT NULL DEFAULT 'center',
    name_ar text NOT NULL DEFAULT '',
    name_en text NOT NULL DEFAULT '',
    timezone text NOT NULL DEFAULT 'Africa/Cairo',
    opens time NOT NULL DEFAULT '08:00',
    closes time NOT NULL DEFAULT '16:00',
    last_seq bigint NOT NULL DEFAULT 0,
    last_event_at timestamptz,
    last_received_at timestamptz,
    last_heartbeat_at timestamptz,
    waiting integer NOT NULL DEFAULT 0,
    oldest_waiting_since timestamptz,
    counters_open integer NOT NULL DEFAULT 0,
    gaps bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
    center text NOT NULL,
    seq bigint NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    kind text NOT NULL,
    version integer NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (center, seq)
);
CREATE TABLE IF NOT EXISTS tickets (
    center text NOT NULL,
    ticket bigint NOT NULL,
    label text NOT NULL,
    service text NOT NULL,
    priority text NOT NULL,
    issued_at timestamptz NOT NULL,
    local_day date NOT NULL,
    local_hour smallint NOT NULL,
    ended_at timestamptz,
    end_state text,
    counter integer,
    clerk text,
    wait_secs double precision,
    service_secs double precision,
    revenue_piasters bigint NOT NULL DEFAULT 0,
    transfers integer NOT NULL DEFAULT 0,
    PRIMARY KEY (center, ticket)
);
CREATE INDEX IF NOT EXISTS tickets_day ON tickets (local_day, center);
CREATE TABLE IF NOT EXISTS rollup_hour (
    center text NOT NULL,
    service text NOT NULL,
    local_day date NOT NULL,
    local_hour smallint NOT NULL,
    tickets integer NOT NULL,
    served integer NOT NULL,
    no_shows integer NOT NULL,
    cancelled integer NOT NULL,
    wait_n integer NOT NULL,
    wait_sum double precision NOT NULL,
    service_n integer NOT NULL,
    service_sum double precision NOT NULL,
    revenue_piasters bigint NOT NULL,
    PRIMARY KEY (local_day, center, service, local_hour)
);
CREATE TABLE IF NOT EXISTS services (
    center text NOT NULL,
    code text NOT NULL,
    name_ar text NOT NULL,
    name_en text NOT NULL,
    fee_piasters bigint NOT NULL,
    PRIMARY KEY (center, code)
);
CREATE TABLE IF NOT EXISTS viewers (
    username text PRIMARY KEY,
    display_name text NOT NULL,
    governorate text,
    password_hash text NOT NULL
);
ALTER TABLE events ADD COLUMN IF NOT EXISTS link bytea;
CREATE TABLE IF NOT EXISTS day_closings (
    center text NOT NULL,
    day date NOT NULL,
    last_seq bigint NOT NULL,
    events_link bytea NOT NULL,
    last_admin bigint NOT NULL,
    admin_link bytea NOT NULL,
    hash bytea NOT NULL,
    received_at timestamptz NOT NULL,
    verdict text,
    central_hash bytea,
    checked_at timestamptz,
    PRIMARY KEY (center, day)
);
CREATE TABLE IF NOT EXISTS viewer_sessions (
    token_hash text PRIMARY KEY,
    username text NOT NULL REFERENCES viewers ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);
";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("PostgreSQL: {}", text(.0))]
    Pg(#[from] tokio_postgres::Error),
}

/// The server's own message when there is one (tokio-postgres says only "db error").
pub fn text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    }
}

/// Connects (the connection's task runs on the current runtime) and applies the schema.
pub async fn connect(url: &str) -> Result<Client, DbError> {
    let (client, conn) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::error!(error = %e, "PostgreSQL connection ended");
        }
    });
    Ok(client)
}

/// Applies the schema, one process at a time (the service and `--add-viewer` may start
/// together; PostgreSQL's `CREATE … IF NOT EXISTS` is not safe against a concurrent one).
pub async fn migrate(client: &Client) -> Result<(), DbError> {
    client
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock(7243); {SCHEMA} COMMIT;"
        ))
        .await?;
    Ok(())
}

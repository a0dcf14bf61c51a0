//! The national service (docs/network.md): reads every center's events from the NATS hub into
//! PostgreSQL and serves the national console.
//!
//! - `sites`: the register of governorates and sites (centers, offices, vans).
//! - `hub`: the hub stream that sources every site's stream, and the durable consumer.
//! - `db`: the PostgreSQL schema and connection.
//! - `fold`: each center's hall and KPI fold, with the center's own code.
//! - `ingest`: consumer → one transaction per batch → acknowledgement.
//! - `report`: reports in the center's report shape, per center, governorate or nation.
//! - `live`: the console's live overview (per site, per governorate, rankings, alerts).
//! - `closing`: each center's closing hash of an ended day, checked against the events held.
//! - `export`: report rows as JSON, CSV and XLSX.
//! - `viewers`: the console's accounts and sessions (national and governorate viewers).
//! - `web`: the console's page, files and JSON.
//! - `country`: the sample network's register (27 governorates, 342 sites).
//! - `sim`: the simulated sites of the sample network, played by the real engine.
//! - `service`: start-up wiring (connections with retries, the ingest loop, the console).

pub mod closing;
pub mod country;
pub mod db;
pub mod export;
pub mod fold;
pub mod hub;
pub mod ingest;
pub mod live;
pub mod report;
pub mod service;
pub mod sim;
pub mod sites;
pub mod viewers;
pub mod web;

//! `Hub`: what every connection and route shares (the writer's channel, the published deltas,
//! auth, pairings, presence, the dashboard); the round trips to the writer go through its
//! handle (`hub.writer`, `writer/handle.rs`).

use crate::auth::Auth;
use crate::clock::Clock;
use crate::dashboard::{DashboardHub, Presence};
use crate::pairing::Pairings;
use crate::published::Published;
use crate::reports::{NameBook, Reader};
use crate::writer::WriterHandle;
use hall_core::Names;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, watch};

pub struct Hub {
    pub(crate) writer: WriterHandle,
    pub(crate) deltas: broadcast::Sender<Arc<Published>>,
    pub(crate) auth: Arc<Auth>,
    pub(crate) clock: Clock,
    pub(crate) committed: Arc<AtomicU64>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) center: Names,
    /// The center's time zone: report and audit days are local days.
    pub(crate) tz: chrono_tz::Tz,
    /// How the center writes numbers in Arabic (the catalog's `digits`).
    pub(crate) digits: hall_core::Digits,
    /// Its public address and where staff may sign in from (`[access]`).
    pub(crate) access: hall_wire::center_file::Access,
    /// Service and counter names (the catalog changes only at start).
    pub(crate) names: NameBook,
    pub(crate) reader: Arc<Reader>,
    pub(crate) pairings: Mutex<Pairings>,
    /// Accounts disabled and devices revoked: their open connections close.
    pub(crate) kicks: broadcast::Sender<Kick>,
    pub(crate) presence: Arc<Presence>,
    pub(crate) dashboard: Arc<DashboardHub>,
    /// The queue model's figures and the staffing advisor (`estimator.rs`).
    pub(crate) estimates: Arc<crate::estimator::EstimateHub>,
    /// The center sends text messages (`[sms]`).
    pub sms: bool,
    /// The service guide's last read of the hall (`guide/read.rs`).
    pub(crate) guide: crate::guide::read::Cache,
    /// The counters' slip printers (`slips.rs`).
    pub(crate) slips: crate::slips::Slips,
    /// Wrong suffixes at the request status page and the kiosk's follow screen.
    pub(crate) suffixes: Mutex<crate::suffix_guard::SuffixGuard>,
}

/// An identity that must stop at once.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kick {
    Device(String),
    User(String),
}

/// The close code a connection gets when its account is disabled or its device revoked.
pub const CLOSE_REVOKED: u16 = 4001;

impl Hub {
    /// Registered devices, marked online or not.
    pub(crate) fn devices(&self) -> Vec<hall_wire::manager::DeviceInfo> {
        let mut devices = self.auth.list_devices().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not list devices");
            Vec::new()
        });
        self.presence.mark(&mut devices);
        devices
    }

    pub(crate) fn suffix_guard(
        &self,
    ) -> std::sync::MutexGuard<'_, crate::suffix_guard::SuffixGuard> {
        self.suffixes.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn pending_pairings(&self) -> Vec<hall_wire::manager::PendingPairing> {
        self.pairings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .list((self.clock)())
    }
}

pub(crate) use crate::writer::handle::shutting_down;

//! What one connection is: who is on the other end, and what it follows (the hall's deltas,
//! a ticket's page, a live view, a pairing in progress). Handlers change it; the socket loop
//! (`connection.rs`) waits on what it follows.

use super::hub::{Hub, Kick};
use crate::dashboard::Online;
use crate::pairing::Paired;
use crate::published::Published;
use axum::extract::ws::Utf8Bytes;
use hall_core::engine::Actor;
use hall_core::role::Role;
use hall_forecast::estimates::TicketView;
use hall_wire::ServerFrame;
use hall_wire::views::LiveView;
use std::net::IpAddr;
use std::sync::Arc;
use tokio::sync::{broadcast, oneshot, watch};

pub(crate) struct Conn {
    pub(crate) hello: bool,
    pub(crate) role: Role,
    pub(crate) actor: Option<Actor>,
    pub(crate) session: Option<String>,
    pub(crate) subscription: Option<Subscription>,
    pub(crate) watching: Option<watch::Receiver<Arc<TicketView>>>,
    /// A device's connection counts as the device online while it lives.
    pub(crate) online: Option<Online>,
    /// Waiting for a manager to approve this device's pairing code.
    pub(crate) pairing: Option<oneshot::Receiver<Paired>>,
    /// Disabled accounts and revoked devices, for a connection that has an identity.
    pub(crate) kicks: Option<broadcast::Receiver<Kick>>,
    /// The live view this connection follows (one at a time; watching another replaces it):
    /// a clerk's desk, or the manager's dashboard.
    pub(crate) view: Option<watch::Receiver<Arc<LiveView>>>,
    /// Sign-ins refused on this connection in a row: each waits longer before its answer.
    pub(crate) failed_logins: u32,
    /// The peer's address (no forwarded header is trusted).
    pub(crate) source: IpAddr,
    /// The peer is inside `[access] staff_networks`: it may sign in, pair, connect as staff.
    pub(crate) from_hall: bool,
}

pub(crate) struct Subscription {
    pub(crate) rx: broadcast::Receiver<Arc<Published>>,
    /// Last seq the client has (from a snapshot or a delta).
    pub(crate) seq: u64,
}

/// A frame to send: typed, or already serialized (deltas and snapshots, serialized once for
/// every subscriber).
pub(crate) enum Out {
    Frame(ServerFrame),
    Raw(Utf8Bytes),
}

impl Conn {
    /// A connection that has not said hello: a citizen following nothing.
    pub(crate) fn new(source: IpAddr, from_hall: bool) -> Conn {
        Conn {
            source,
            from_hall,
            hello: false,
            role: Role::Citizen,
            actor: None,
            session: None,
            subscription: None,
            watching: None,
            online: None,
            pairing: None,
            kicks: None,
            view: None,
            failed_logins: 0,
        }
    }

    /// A new identity (or none): nothing followed under the old one carries over.
    pub(crate) fn become_(
        &mut self,
        hub: &Hub,
        role: Role,
        actor: Option<Actor>,
        session: Option<String>,
    ) {
        self.role = role;
        self.session = session;
        self.subscription = None;
        self.watching = None;
        self.view = None;
        self.pairing = None;
        self.online = match (&actor, role) {
            (Some(a), Role::Kiosk | Role::Board) => Some(hub.presence.enter(&a.name)),
            _ => None,
        };
        self.kicks = actor.as_ref().map(|_| hub.kicks.subscribe());
        self.actor = actor;
    }

    /// Whether a kick names this connection's identity.
    pub(crate) fn is_kicked(&self, kick: &Kick) -> bool {
        match (kick, &self.actor) {
            (Kick::Device(name), Some(a)) => {
                matches!(a.role, Role::Kiosk | Role::Board) && a.name == *name
            }
            (Kick::User(name), Some(a)) => {
                matches!(a.role, Role::Clerk | Role::Manager | Role::BackOffice) && a.name == *name
            }
            _ => false,
        }
    }
}

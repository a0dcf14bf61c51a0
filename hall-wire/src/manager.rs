//! What the manager's console receives: the live dashboard (computed here from the hall's
//! state, with the same estimates the kiosk and ticket pages show), devices, staff accounts,
//! reports and the audit log. Pure: time comes in as an argument.

use chrono::NaiveDate;
use hall_core::model::*;
use hall_core::role::Role;
use hall_core::state::{State, counter_queue_len};
use hall_forecast::estimates::service_load;
use serde::{Deserialize, Serialize};

/// The kinds of device that can pair (a kiosk prints tickets, a board shows calls).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Kiosk,
    Board,
}

impl DeviceKind {
    pub fn role(self) -> Role {
        match self {
            DeviceKind::Kiosk => Role::Kiosk,
            DeviceKind::Board => Role::Board,
        }
    }
}

/// A registered device (its token is never shown again after pairing).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
    /// Whether a connection is signed in with this device's token now.
    #[serde(default)]
    pub online: bool,
}

/// A device waiting on screen with a code for a manager to approve it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingPairing {
    pub code: String,
    pub kind: DeviceKind,
    /// The name the device proposed; the manager may choose another when approving.
    pub name: String,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A staff account as the manager sees it: never its password or hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: Timestamp,
    /// Sign-in is locked after wrong passwords until then (`set_user_active` true lifts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<Timestamp>,
}

/// One service on the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub code: ServiceCode,
    pub prefix: String,
    pub name: Names,
    pub open: bool,
    pub waiting: u32,
    pub longest_wait_secs: u64,
    /// A ticket taken now; absent when no staffed counter serves the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_secs: Option<u64>,
    pub counters_serving: u32,
    pub issued_today: u32,
    pub avg_service_secs: u64,
}

/// One counter on the dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterRow {
    pub id: CounterId,
    pub name: Names,
    pub state: CounterState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk: Option<String>,
    /// Label of the ticket called or served there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// When that ticket was called to this counter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    pub profile: Vec<ProfileEntry>,
    /// Tickets this counter could call now.
    pub queue: u32,
    pub parked: u32,
}

/// The live dashboard, pushed to managers who watch it (a `LiveView`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Dashboard {
    /// The log position it was computed at.
    pub seq: u64,
    /// The instant its waits were measured at.
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<NaiveDate>,
    pub waiting: u32,
    pub longest_wait_secs: u64,
    pub served_today: u32,
    pub message: String,
    pub services: Vec<ServiceRow>,
    pub counters: Vec<CounterRow>,
    pub devices: Vec<DeviceInfo>,
    /// Devices waiting on screen with a pairing code.
    pub pairings: Vec<PendingPairing>,
    /// Kiosks whose printer is not ready (which kiosk, what, since when), oldest fault first.
    #[serde(default)]
    pub printers: Vec<PrinterReport>,
    /// Rows of the tamper-evident log found changed after a start (`chain_break_found` in
    /// the admin log), oldest first: the console shows them in a red banner.
    #[serde(default)]
    pub chain_breaks: Vec<ChainBreakNotice>,
    /// Today's ratings from the ticket pages (1–5), and their mean; the server fills them in
    /// (closed tickets are not in a public state).
    #[serde(default)]
    pub ratings_today: Ratings,
}

/// Citizens' ratings of a day: how many, and their sum (the mean is `sum / count`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ratings {
    pub count: u32,
    pub sum: u32,
}

impl Ratings {
    pub fn add(&mut self, rating: u8) {
        self.count += 1;
        self.sum += u32::from(rating);
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| f64::from(self.sum) / f64::from(self.count))
    }
}

/// A break of the log found after a start: which chain, which row, what is wrong, when found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainBreakNotice {
    pub chain: String,
    pub row: i64,
    pub problem: String,
    pub found_at: Timestamp,
}

/// Computes the dashboard from a hall's state (a client's public copy is enough).
/// `served_today` is passed in: closed tickets are not in a public state; so are the queue
/// model's latest figures (`outlook`), for the estimated waits.
pub fn dashboard(
    state: &State,
    now: Timestamp,
    outlook: Option<&hall_forecast::HallOutlook>,
    served_today: u32,
    devices: Vec<DeviceInfo>,
    pairings: Vec<PendingPairing>,
) -> Dashboard {
    let printers = printer_faults(state, &devices);
    let services: Vec<ServiceRow> = state
        .services
        .values()
        .map(|q| {
            let load = service_load(state, &q.service.code, now, outlook);
            ServiceRow {
                code: q.service.code.clone(),
                prefix: q.service.prefix.clone(),
                name: q.service.name.clone(),
                open: q.service.open,
                waiting: load.waiting,
                longest_wait_secs: load.longest_wait_secs,
                estimated_wait_secs: load.estimated_wait_secs,
                counters_serving: load.counters_serving,
                issued_today: q.issued_today,
                avg_service_secs: q.avg_service_secs.round().max(0.0) as u64,
            }
        })
        .collect();
    let counters = state
        .counters
        .values()
        .map(|c| {
            let ticket = c.ticket.and_then(|t| state.tickets.get(&t));
            CounterRow {
                id: c.id,
                name: c.name.clone(),
                state: c.state,
                clerk: c.clerk.clone(),
                ticket: ticket.map(|t| t.label.clone()),
                since: ticket.and_then(|t| t.called_at),
                profile: c.profile.clone(),
                queue: counter_queue_len(state, c.id) as u32,
                parked: state
                    .tickets
                    .held()
                    .filter(|t| t.state == TicketState::Parked && t.counter == Some(c.id))
                    .count() as u32,
            }
        })
        .collect();
    Dashboard {
        seq: state.seq,
        at: now,
        day: state.day,
        waiting: services.iter().map(|s| s.waiting).sum(),
        longest_wait_secs: services
            .iter()
            .map(|s| s.longest_wait_secs)
            .max()
            .unwrap_or(0),
        served_today,
        message: state.message.clone(),
        services,
        counters,
        devices,
        pairings,
        printers,
        chain_breaks: Vec::new(),
        ratings_today: Ratings::default(),
    }
}

/// The kiosks' printers that are not ready, the longest-standing fault first. Only those of
/// devices still paired: a revoked kiosk's last report stays in the log, not on the dashboard.
fn printer_faults(state: &State, devices: &[DeviceInfo]) -> Vec<PrinterReport> {
    let mut v: Vec<PrinterReport> = state
        .printers
        .values()
        .filter(|p| p.status != PrinterStatus::Ready)
        .filter(|p| devices.iter().any(|d| d.name == p.device))
        .cloned()
        .collect();
    v.sort_by(|a, b| (a.since, &a.device).cmp(&(b.since, &b.device)));
    v
}

/// One line of the audit log: who did what when, in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    /// `event` (the queue's event log) or `admin` (accounts, devices).
    pub source: String,
    /// The event's seq, or the admin entry's number.
    pub id: u64,
    pub at: Timestamp,
    pub actor: String,
    pub kind: String,
    pub text: Names,
}

#[cfg(test)]
mod tests {
    use super::*;
    use hall_core::event::{Envelope, Event};
    use hall_core::state::apply;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn catalog() -> Catalog {
        serde_json::from_value(serde_json::json!({
            "center": {"id": "t", "name": {"ar": "م", "en": "C"}, "timezone": "Africa/Cairo"},
            "categories": [{"code": "CIT", "name": {"ar": "خ", "en": "S"}}],
            "services": [
                {"code": "A", "category": "CIT", "prefix": "A", "name": {"ar": "أ", "en": "A"},
                 "documents": [], "fee_piasters": 0, "open": true,
                 "expected_minutes": 5, "hours": {"days": ["sat"], "open": "00:00", "close": "24:00"}},
                {"code": "B", "category": "CIT", "prefix": "B", "name": {"ar": "ب", "en": "B"},
                 "documents": [], "fee_piasters": 0, "open": true,
                 "expected_minutes": 10, "hours": {"days": ["sat"], "open": "00:00", "close": "24:00"}}
            ],
            "counters": [
                {"id": 1, "name": {"ar": "١", "en": "1"}, "profile": [{"service": "A", "weight": 1.0}]},
                {"id": 2, "name": {"ar": "٢", "en": "2"}, "profile": [{"service": "B", "weight": 1.0}]}
            ]
        }))
        .unwrap()
    }

    fn ticket(id: u64, service: &str, number: u32, issued: &str) -> Box<Ticket> {
        serde_json::from_value(serde_json::json!({
            "id": id, "service": service, "number": number,
            "label": format!("{service}-{number:03}"), "day": "2026-11-21",
            "priority": "normal", "state": "waiting",
            "issued_at": issued, "enqueued_at": issued, "issuer": "kiosk:k"
        }))
        .unwrap()
    }

    #[test]
    fn dashboard_counts_waits_and_counters() {
        let mut s = State::default();
        let events = [
            Event::CatalogLoaded {
                catalog: Box::new(catalog()),
            },
            Event::DayStarted {
                day: "2026-11-21".parse().unwrap(),
            },
            Event::TicketIssued {
                ticket: ticket(1, "A", 1, "2026-11-21T08:00:00Z"),
            },
            Event::TicketIssued {
                ticket: ticket(2, "A", 2, "2026-11-21T08:05:00Z"),
            },
            Event::TicketIssued {
                ticket: ticket(3, "B", 1, "2026-11-21T08:06:00Z"),
            },
            Event::CounterOpened {
                counter: 1,
                clerk: "mona".into(),
            },
            Event::TicketCalled {
                ticket: TicketId(1),
                counter: 1,
                out_of_order_reason: None,
            },
            Event::PrinterStatusChanged {
                device: "kiosk-2".into(),
                status: PrinterStatus::PaperOut,
                detail: String::new(),
            },
            Event::PrinterStatusChanged {
                device: "kiosk-1".into(),
                status: PrinterStatus::Ready,
                detail: String::new(),
            },
        ];
        for (i, e) in events.into_iter().enumerate() {
            let env = Envelope {
                seq: i as u64 + 1,
                at: at("2026-11-21T08:07:00Z"),
                actor: "system".into(),
                event: e,
            };
            apply(&mut s, &env);
        }
        let now = at("2026-11-21T08:10:00Z");
        let figures =
            hall_forecast::forecast(&s, &hall_forecast::Learned::from_catalog(&catalog()), now);
        let paired = |name: &str| DeviceInfo {
            name: name.into(),
            role: hall_core::role::Role::Kiosk,
            created_at: at("2026-11-21T07:00:00Z"),
            online: true,
        };
        let kiosks = vec![paired("kiosk-1"), paired("kiosk-2")];
        let revoked = dashboard(
            &s,
            now,
            Some(&figures.outlook),
            4,
            vec![paired("kiosk-1")],
            vec![],
        );
        assert_eq!(
            revoked.printers,
            vec![],
            "kiosk-2 revoked: its fault is gone"
        );
        let d = dashboard(&s, now, Some(&figures.outlook), 4, kiosks, vec![]);
        assert_eq!(d.seq, 9);
        // Only the printer at fault, with what and since when.
        assert_eq!(d.printers.len(), 1, "{:?}", d.printers);
        let p = &d.printers[0];
        assert_eq!(
            (p.device.as_str(), p.status),
            ("kiosk-2", PrinterStatus::PaperOut)
        );
        assert_eq!(p.since, at("2026-11-21T08:07:00Z"));
        assert_eq!(d.waiting, 2);
        assert_eq!(d.served_today, 4);
        // B-001 waited since 08:06, A-002 since 08:05: 5 minutes is the longest.
        assert_eq!(d.longest_wait_secs, 300);
        let a = &d.services[0];
        assert_eq!(
            (a.waiting, a.longest_wait_secs, a.counters_serving),
            (1, 300, 1)
        );
        // The model's wait for a ticket of A taken now: behind A-002, after A-001's call.
        let model = figures
            .outlook
            .service("A")
            .unwrap()
            .wait(Priority::Normal)
            .unwrap();
        assert_eq!(model.ahead, 1);
        assert_eq!(a.estimated_wait_secs, Some(model.expected_secs));
        assert!(model.expected_secs > 300, "{model:?}");
        let b = &d.services[1];
        assert_eq!((b.waiting, b.estimated_wait_secs), (1, None));
        let c1 = &d.counters[0];
        assert_eq!(c1.state, CounterState::Calling);
        assert_eq!(c1.clerk.as_deref(), Some("mona"));
        assert_eq!(c1.ticket.as_deref(), Some("A-001"));
        assert_eq!(c1.since, Some(at("2026-11-21T08:07:00Z")));
        assert_eq!(c1.queue, 1);
        assert_eq!(d.counters[1].state, CounterState::Closed);
    }
}

//! The tickets in the hall, kept with the index the routing rule reads (ARCHITECTURE.md, "The
//! routing rule"), so that calling the next ticket, a desk's list and a service's count cost
//! the same whether ten or fifty thousand wait.
//!
//! A waiting ticket that is neither front-placed nor reserved for a counter sits in the class
//! of its service and priority, in queue order (entered the queue, then id). Within a class
//! every counter's rank is the same function of that order (the same service weight and
//! priority weight; the older waited longer), so each class's first ticket is the only one of
//! the class a counter can call next. Front-placed and reserved tickets are few and looked at
//! one by one; so are the tickets a counter holds (called, serving, parked).
//!
//! Reads go through `Deref` to the map; every change goes through a method here, which keeps
//! the index. The index is not serialized: it is rebuilt when a state is read.

use crate::model::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

/// Whether a waiting ticket ranks within its class (its service and priority) by queue
/// order alone, the same at every counter: not front-placed, not reserved for a counter.
/// This index, the routing rule (`routing.rs`) and the play (`forecast/play.rs`) rely on it.
pub fn in_class(t: &Ticket) -> bool {
    !t.front && t.assigned_counter.is_none()
}

/// A routing class: a service and a priority.
pub type Class = (ServiceCode, Priority);

#[derive(Clone, Debug, Default)]
pub struct Tickets {
    map: BTreeMap<TicketId, Ticket>,
    /// Waiting tickets, neither front-placed nor reserved, by class in queue order.
    classes: BTreeMap<Class, BTreeSet<(Timestamp, TicketId)>>,
    /// Waiting tickets front-placed or reserved for a counter.
    special: BTreeSet<TicketId>,
    /// Tickets a counter holds: called, serving or parked.
    held: BTreeSet<TicketId>,
}

enum Slot {
    Class(Class, (Timestamp, TicketId)),
    Special,
    Held,
}

fn slot(t: &Ticket) -> Slot {
    if t.state != TicketState::Waiting {
        Slot::Held
    } else if !in_class(t) {
        Slot::Special
    } else {
        Slot::Class((t.service.clone(), t.priority), (t.enqueued_at, t.id))
    }
}

impl Tickets {
    fn index(&mut self, t: &Ticket) {
        match slot(t) {
            Slot::Class(class, key) => {
                self.classes.entry(class).or_default().insert(key);
            }
            Slot::Special => {
                self.special.insert(t.id);
            }
            Slot::Held => {
                self.held.insert(t.id);
            }
        }
    }

    fn unindex(&mut self, t: &Ticket) {
        match slot(t) {
            Slot::Class(class, key) => {
                if let Some(set) = self.classes.get_mut(&class) {
                    set.remove(&key);
                    if set.is_empty() {
                        self.classes.remove(&class);
                    }
                }
            }
            Slot::Special => {
                self.special.remove(&t.id);
            }
            Slot::Held => {
                self.held.remove(&t.id);
            }
        }
    }

    pub fn insert(&mut self, t: Ticket) {
        if let Some(old) = self.map.remove(&t.id) {
            self.unindex(&old);
        }
        self.index(&t);
        self.map.insert(t.id, t);
    }

    pub fn remove(&mut self, id: &TicketId) -> Option<Ticket> {
        let t = self.map.remove(id)?;
        self.unindex(&t);
        Some(t)
    }

    /// Changes a ticket (if it is here); true if it was.
    pub fn update(&mut self, id: &TicketId, change: impl FnOnce(&mut Ticket)) -> bool {
        let Some(mut t) = self.map.remove(id) else {
            return false;
        };
        self.unindex(&t);
        change(&mut t);
        self.index(&t);
        self.map.insert(t.id, t);
        true
    }

    /// Changes the front-placed and reserved waiting tickets (the only ones a counter's
    /// closing can touch).
    pub fn update_special(&mut self, mut change: impl FnMut(&mut Ticket)) {
        let ids: Vec<TicketId> = self.special.iter().copied().collect();
        for id in ids {
            self.update(&id, &mut change);
        }
    }

    /// The classes with waiting tickets, each in queue order.
    pub fn classes(&self) -> impl Iterator<Item = (&Class, &BTreeSet<(Timestamp, TicketId)>)> {
        self.classes.iter()
    }

    /// The classes of one service.
    pub fn classes_of<'a>(
        &'a self,
        service: &'a str,
    ) -> impl Iterator<Item = (Priority, &'a BTreeSet<(Timestamp, TicketId)>)> + 'a {
        Priority::ALL.into_iter().filter_map(move |p| {
            self.classes
                .get(&(service.to_string(), p))
                .map(|set| (p, set))
        })
    }

    /// Waiting tickets front-placed or reserved for a counter.
    pub fn special(&self) -> impl Iterator<Item = &Ticket> {
        self.special.iter().filter_map(|id| self.map.get(id))
    }

    /// Tickets a counter holds: called, serving or parked.
    pub fn held(&self) -> impl Iterator<Item = &Ticket> {
        self.held.iter().filter_map(|id| self.map.get(id))
    }

    /// How many tickets of a service wait.
    pub fn waiting_in(&self, service: &str) -> usize {
        self.classes_of(service)
            .map(|(_, s)| s.len())
            .sum::<usize>()
            + self.special().filter(|t| t.service == service).count()
    }

    /// How many tickets wait in all.
    pub fn waiting(&self) -> usize {
        self.classes.values().map(BTreeSet::len).sum::<usize>() + self.special.len()
    }
}

impl Deref for Tickets {
    type Target = BTreeMap<TicketId, Ticket>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl PartialEq for Tickets {
    /// The index follows from the tickets.
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl FromIterator<Ticket> for Tickets {
    fn from_iter<I: IntoIterator<Item = Ticket>>(iter: I) -> Self {
        let mut tickets = Tickets::default();
        for t in iter {
            tickets.insert(t);
        }
        tickets
    }
}

/// On the wire a JSON array of the tickets, as before the index.
impl Serialize for Tickets {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.map.values())
    }
}

impl<'de> Deserialize<'de> for Tickets {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<Ticket>::deserialize(d)?.into_iter().collect())
    }
}

//! The state of a hall, how events change it (`apply`), and the routing order derived from
//! it. What a service's load and a ticket's page show, with the queue model's figures, is
//! above both (`hall_forecast::estimates`).
//!
//! The server and every client run this same code: a client that applies the deltas it
//! receives to its snapshot holds exactly the server's state, and computes the same estimates.
//!
//! `hall`: the `State` itself; `apply`: how events change it; `routing`: who is called next;
//! `tickets`: the tickets with the index the routing reads.

mod apply;
mod hall;
/// Public for the queue model, which plays the future forward with this same ranking.
pub mod routing;
mod tickets;

pub use apply::apply;
pub use hall::{
    ClosedTicket, Keyed, KeyedIssue, REQUEST_KEEP_DAYS, ServiceQueue, State, idempotency_slot,
};
pub use routing::{counter_queue, counter_queue_head, counter_queue_len, next_for_counter};
pub use tickets::{Class, Tickets};

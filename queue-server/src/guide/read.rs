//! What the guide reads of the hall, kept between requests (the hub holds the `Cache`; the
//! guide's routes fill it, `super::snapshot`).

use hall_core::model::{Category, Service, Timestamp};
use hall_forecast::estimates::ServiceLoad;
use std::sync::{Arc, Mutex};

/// One service as the guide shows it, read from the committed hall.
#[derive(Clone, Debug)]
pub struct Row {
    pub service: Service,
    pub load: ServiceLoad,
    pub open_now: bool,
    pub limit_reached: bool,
}

/// The hall as the guide reads it.
#[derive(Debug)]
pub struct Snapshot {
    pub at: Timestamp,
    /// The log's committed seq and the model's generation it was read at.
    pub seq: u64,
    pub generation: u64,
    pub local: chrono::NaiveDateTime,
    pub categories: Vec<Category>,
    /// In the catalog's order.
    pub rows: Vec<Row>,
}

/// The last read of the hall, shared by the guide's requests.
#[derive(Default)]
pub struct Cache(pub(super) Mutex<Option<Arc<Snapshot>>>);

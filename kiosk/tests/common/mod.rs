//! What the kiosk's flow tests share.

use hall_core::Priority;
use hall_wire::TicketReceipt;

/// A receipt as the server answers an issued ticket: three ahead, about ten minutes.
pub fn receipt(label: &str) -> TicketReceipt {
    TicketReceipt {
        id: hall_core::TicketId(1),
        label: label.into(),
        service: "CIT-BIRTH".into(),
        service_name: hall_core::Names::new("شهادة ميلاد", "Birth certificate"),
        priority: Priority::Normal,
        issued_at: chrono::Utc::now(),
        token: "tok123".into(),
        people_ahead: 3,
        estimated_wait_secs: Some(600),
        wait_low_secs: Some(7 * 60),
        wait_high_secs: Some(14 * 60),
        documents: vec![],
        center_name: hall_core::Names::new("مركز", "Center"),
        fee_piasters: None,
        page_url: None,
    }
}

//! Who a connection is, as the server's role table (`queue-server/src/shell/session.rs`) and
//! the first-start accounts see it. Below the wire, the manager's types and the start-up file,
//! which all name a role.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Not signed in: may only watch a ticket by its token.
    Citizen,
    Kiosk,
    Board,
    Clerk,
    Manager,
}

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
    /// The back office: follows and moves requests on (`/office`), marks them delivered at
    /// the pickup window.
    BackOffice,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Citizen,
        Role::Kiosk,
        Role::Board,
        Role::Clerk,
        Role::Manager,
        Role::BackOffice,
    ];

    /// The role's name as the wire, the database and `first-start.txt` write it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Kiosk => "kiosk",
            Role::Board => "board",
            Role::Clerk => "clerk",
            Role::Manager => "manager",
            Role::BackOffice => "back_office",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

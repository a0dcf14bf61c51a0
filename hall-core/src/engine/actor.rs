//! Who gives a command: a role and a name, written in the log as "clerk:mona".

use crate::role::Role;

/// Who asks. Clerks may act only on the counter they opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub name: String,
}

impl Actor {
    pub fn new(role: Role, name: impl Into<String>) -> Self {
        Actor {
            role,
            name: name.into(),
        }
    }
    pub fn system() -> Self {
        Actor {
            role: Role::Manager,
            name: "system".into(),
        }
    }
    /// How the actor is written in the log: "clerk:mona".
    pub fn label(&self) -> String {
        if self.name == "system" {
            return "system".into();
        }
        let role = match self.role {
            Role::Citizen => "citizen",
            Role::Kiosk => "kiosk",
            Role::Board => "board",
            Role::Clerk => "clerk",
            Role::Manager => "manager",
            Role::BackOffice => "back_office",
        };
        format!("{role}:{}", self.name)
    }
}

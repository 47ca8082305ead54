//! Who someone is to the hall: the roles of the accounts. Which actions each role may take lives with the case
//! and task state machines; this is only the vocabulary, shared by sessions, pages and the engine.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A citizen or a company's representative: files and follows their own cases.
    Citizen,
    /// 代办: a service-point agent filing for residents who consented.
    Agent,
    /// A window officer of one department: acts on that department's tasks only.
    Officer,
    /// 综合窗口: the service centre's window, accepts whole cases and hands over results.
    Window,
    /// 电子监察: sees everything, acts on nothing.
    Supervisor,
    /// Manages accounts, staff assignments and API tokens.
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Citizen,
        Role::Agent,
        Role::Officer,
        Role::Window,
        Role::Supervisor,
        Role::Admin,
    ];

    /// The word stored in the database and the seed file.
    pub fn code(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Agent => "agent",
            Role::Officer => "officer",
            Role::Window => "window",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Staff roles work in the workbench; the others file cases.
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Role::Officer | Role::Window | Role::Supervisor | Role::Admin
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
        assert_eq!(Role::from_code("Citizen"), None);
    }

    #[test]
    fn staff_and_filers() {
        assert!(Role::Officer.is_staff());
        assert!(Role::Supervisor.is_staff());
        assert!(!Role::Citizen.is_staff());
        assert!(!Role::Agent.is_staff());
    }
}

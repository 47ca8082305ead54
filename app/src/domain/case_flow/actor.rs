//! Who acts ([`Actor`]) and who may take an action ([`Who`]): enforced by the engine on every transition.

use serde::{Deserialize, Serialize};

use super::refusal::{ActionKind, Refusal};
use crate::domain::role::Role;

/// The one acting: a signed-in account, or the system (deemed acceptance, starting and ending tasks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    Person {
        account: String,
        role: Role,
        /// The department an officer works for; `None` for other roles.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department: Option<String>,
    },
    System,
}

impl Actor {
    pub fn person(account: impl Into<String>, role: Role, department: Option<&str>) -> Actor {
        Actor::Person {
            account: account.into(),
            role,
            department: department.map(str::to_owned),
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Person { role, .. } => Some(*role),
            Actor::System => None,
        }
    }
}

/// Who may take an action: one answer per action kind, so the tables show it and the engine enforces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    /// 综合窗口: the service centre's window.
    Window,
    /// The citizen or agent who owns the case.
    Owner,
    /// An officer of the task's own department.
    DepartmentOfficer,
    /// The engine itself, on a schedule or after another transition.
    System,
}

impl Who {
    /// The roles that may act (before the ownership or department check); none for the system.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Who::Window => &[Role::Window],
            Who::Owner => &[Role::Citizen, Role::Agent],
            Who::DepartmentOfficer => &[Role::Officer],
            Who::System => &[],
        }
    }

    /// As the transition tables show it.
    pub fn describe(self) -> &'static str {
        match self {
            Who::Window => "window",
            Who::Owner => "citizen, agent (own case)",
            Who::DepartmentOfficer => "officer (task's department)",
            Who::System => "system",
        }
    }
}

/// What the engine knows about the subject when it checks an actor.
pub(super) struct Subject<'a> {
    pub is_owner: bool,
    /// The department of the task acted on; `None` for case actions.
    pub department: Option<&'a str>,
}

/// Whether `actor` may take `action`, which only `who` may take. Read-only roles are refused first, whatever
/// the action, so supervision and administration never act on a case.
pub(super) fn authorise(
    who: Who,
    action: ActionKind,
    actor: &Actor,
    subject: &Subject<'_>,
) -> Result<(), Refusal> {
    let (role, department) = match actor {
        Actor::System if who == Who::System => return Ok(()),
        Actor::System => return Err(Refusal::WrongRole { role: None, action }),
        Actor::Person {
            role, department, ..
        } => (*role, department.as_deref()),
    };
    if matches!(role, Role::Supervisor | Role::Admin) {
        return Err(Refusal::ReadOnlyRole { role });
    }
    if who == Who::System {
        return Err(Refusal::SystemOnly { action });
    }
    if !who.roles().contains(&role) {
        return Err(Refusal::WrongRole {
            role: Some(role),
            action,
        });
    }
    match who {
        Who::Owner if !subject.is_owner => Err(Refusal::NotYourCase),
        Who::DepartmentOfficer if department.is_none() || department != subject.department => {
            Err(Refusal::WrongDepartment {
                yours: department.map(str::to_owned),
                task: subject.department.unwrap_or_default().to_owned(),
            })
        }
        _ => Ok(()),
    }
}

//! Who may act: every action against every kind of actor, written out as the issue states it.

use time::macros::date;

use super::*;

/// The actors of the matrix, by name.
fn actors() -> Vec<(&'static str, Actor)> {
    vec![
        ("citizen", citizen()),
        ("agent", agent()),
        ("officer", officer("samr")),
        ("window", window()),
        ("supervisor", supervisor()),
        ("admin", admin()),
        ("system", Actor::System),
    ]
}

/// The refusal `actor` gets for an action only `who` may take, or `None` if it may act (as owner, same department).
fn expected(name: &str, actor: &Actor, action: ActionKind, who: Who) -> Option<Refusal> {
    let may = match who {
        Who::Window => ["window"].as_slice(),
        Who::Owner => &["citizen", "agent"],
        Who::DepartmentOfficer => &["officer"],
        Who::System => &["system"],
    };
    if may.contains(&name) {
        return None;
    }
    Some(match (name, actor.role()) {
        ("supervisor" | "admin", Some(role)) => Refusal::ReadOnlyRole { role },
        (_, Some(_)) if who == Who::System => Refusal::SystemOnly { action },
        (_, role) => Refusal::WrongRole { role, action },
    })
}

#[test]
fn case_actions_by_role() {
    use CaseActionKind as A;
    // As the issue lists them.
    let who = [
        (A::Accept, Who::Window),
        (A::AcceptWithShortfall, Who::Window),
        (A::RequestCorrection, Who::Window),
        (A::RefuseToAccept, Who::Window),
        (A::HandOver, Who::Window),
        (A::Resubmit, Who::Owner),
        (A::SupplyShortfall, Who::Owner),
        (A::DeemAccept, Who::System),
    ];
    assert_eq!(who.len(), CaseActionKind::ALL.len());
    // A state that allows none of them, so the role check alone decides: allowed actors reach the state check.
    let closed = CaseState::Closed { on: MON };
    let ctx = CaseContext {
        today: MON,
        calendar: cal(),
        is_owner: true,
        tasks: &[],
    };
    for (kind, who) in who {
        assert_eq!(kind.who(), who, "{kind:?}");
        let action = match kind {
            A::AcceptWithShortfall => CaseAction::AcceptWithShortfall {
                materials: vec!["x".into()],
                deadline: MON,
                latest: MON,
            },
            A::RequestCorrection => CaseAction::RequestCorrection { items: vec![] },
            A::RefuseToAccept => CaseAction::RefuseToAccept {
                reason: "r".into(),
                appeal: "a".into(),
            },
            A::Accept => CaseAction::Accept,
            A::HandOver => CaseAction::HandOver,
            A::Resubmit => CaseAction::Resubmit,
            A::SupplyShortfall => CaseAction::SupplyShortfall,
            A::DeemAccept => CaseAction::DeemAccept,
        };
        for (name, actor) in actors() {
            let refused = closed.apply(&action, &actor, &ctx).expect_err("closed");
            let want = expected(name, &actor, ActionKind::Case(kind), who).unwrap_or(
                Refusal::NotAllowedInState {
                    state: Status::Case(CaseStatus::Closed),
                    action: ActionKind::Case(kind),
                },
            );
            assert_eq!(refused, want, "{name} × {kind:?}");
        }
    }
}

#[test]
fn task_actions_by_role() {
    use TaskActionKind as A;
    let who = [
        (A::RequestCorrection, Who::DepartmentOfficer),
        (A::Extend, Who::DepartmentOfficer),
        (A::Approve, Who::DepartmentOfficer),
        (A::Refuse, Who::DepartmentOfficer),
        (A::SupplyCorrection, Who::Owner),
        (A::MarkDone, Who::Owner),
        (A::Start, Who::System),
        (A::Skip, Who::System),
    ];
    assert_eq!(who.len(), TaskActionKind::ALL.len());
    let case = accepted(MON);
    let tasks = vec![with_state(
        task("licence", "samr", TaskKind::Department, &[]),
        TaskState::Approved,
    )];
    let ctx = TaskContext {
        today: MON,
        calendar: cal(),
        case: &case,
        is_owner: true,
        tasks: &tasks,
    };
    for (kind, who) in who {
        assert_eq!(kind.who(), who, "{kind:?}");
        let action = match kind {
            A::RequestCorrection => TaskAction::RequestCorrection { items: vec![] },
            A::Extend => TaskAction::Extend {
                days: 1,
                reason: "r".into(),
            },
            A::Refuse => TaskAction::Refuse { reason: "r".into() },
            A::Approve => TaskAction::Approve,
            A::SupplyCorrection => TaskAction::SupplyCorrection,
            A::MarkDone => TaskAction::MarkDone,
            A::Start => TaskAction::Start,
            A::Skip => TaskAction::Skip,
        };
        for (name, actor) in actors() {
            let refused = tasks[0].apply(&action, &actor, &ctx).expect_err("approved");
            let after_roles = if kind == A::MarkDone {
                Refusal::NotForTaskKind {
                    kind: TaskKind::Department,
                    action: kind,
                }
            } else {
                Refusal::NotAllowedInState {
                    state: Status::Task(TaskStatus::Approved),
                    action: ActionKind::Task(kind),
                }
            };
            let want = expected(name, &actor, ActionKind::Task(kind), who).unwrap_or(after_roles);
            assert_eq!(refused, want, "{name} × {kind:?}");
        }
    }
}

#[test]
fn officers_act_only_for_their_own_department() {
    let case = accepted(MON);
    let mut tasks = vec![with_state(
        task("food", "samr", TaskKind::Department, &[]),
        TaskState::InReview,
    )];
    tasks[0].clock.started_on = Some(MON);
    let today = date!(2025 - 03 - 04);
    assert_eq!(
        act(
            &mut tasks,
            "food",
            TaskAction::Approve,
            &officer("fire"),
            &case,
            today
        ),
        Err(Refusal::WrongDepartment {
            yours: Some("fire".into()),
            task: "samr".into()
        })
    );
    let nowhere = Actor::person("o-2", Role::Officer, None);
    assert_eq!(
        act(
            &mut tasks,
            "food",
            TaskAction::Approve,
            &nowhere,
            &case,
            today
        ),
        Err(Refusal::WrongDepartment {
            yours: None,
            task: "samr".into()
        })
    );
    assert!(act(
        &mut tasks,
        "food",
        TaskAction::Approve,
        &officer("samr"),
        &case,
        today
    )
    .is_ok());
}

#[test]
fn applicants_act_only_on_their_own_case() {
    let case = accepted(MON);
    let tasks = vec![with_state(
        task("seal", "psb", TaskKind::ApplicantTodo, &[]),
        TaskState::ToDo,
    )];
    for actor in [citizen(), agent()] {
        let ctx = TaskContext {
            today: MON,
            calendar: cal(),
            case: &case,
            is_owner: false,
            tasks: &tasks,
        };
        assert_eq!(
            tasks[0].apply(&TaskAction::MarkDone, &actor, &ctx),
            Err(Refusal::NotYourCase)
        );
        let own = TaskContext {
            is_owner: true,
            ..ctx
        };
        assert!(tasks[0].apply(&TaskAction::MarkDone, &actor, &own).is_ok());
    }
}

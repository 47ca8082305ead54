//! Every refusal has a sentence in both languages, and travels as JSON.

use time::macros::date;

use super::*;
use crate::domain::text::Lang;

/// One of each variant; the match makes a new variant fail to compile until it is added here.
fn all() -> Vec<Refusal> {
    let action = ActionKind::Case(CaseActionKind::Accept);
    let d = date!(2025 - 03 - 10);
    let list = vec![
        Refusal::ReadOnlyRole {
            role: Role::Supervisor,
        },
        Refusal::WrongRole {
            role: Some(Role::Citizen),
            action,
        },
        Refusal::WrongRole { role: None, action },
        Refusal::SystemOnly { action },
        Refusal::NotYourCase,
        Refusal::WrongDepartment {
            yours: Some("fire".into()),
            task: "samr".into(),
        },
        Refusal::NotAllowedInState {
            state: Status::Task(TaskStatus::Approved),
            action: ActionKind::Task(TaskActionKind::Extend),
        },
        Refusal::NotForTaskKind {
            kind: TaskKind::ApplicantTodo,
            action: TaskActionKind::Approve,
        },
        Refusal::ReasonRequired,
        Refusal::AppealRouteRequired,
        Refusal::EmptyCorrectionList,
        Refusal::CorrectionItemIncomplete { position: 2 },
        Refusal::EmptyPromiseList,
        Refusal::PromiseBeyondLimit {
            deadline: d,
            latest: d,
        },
        Refusal::PromiseInPast {
            deadline: d,
            today: d,
        },
        Refusal::AcceptanceWindowPassed { deadline: d },
        Refusal::NotYetDeemed { deadline: d },
        Refusal::TasksStillOpen {
            open: vec!["food".into(), "fire".into()],
        },
        Refusal::CaseNotAccepted {
            state: CaseStatus::Submitted,
        },
        Refusal::InputsNotReady {
            waiting_for: vec!["licence".into()],
        },
        Refusal::InputsNotRefused,
        Refusal::AlreadyExtended,
        Refusal::ExtensionNotProvided,
        Refusal::ExtensionOutOfRange { days: 11, max: 10 },
    ];
    for r in &list {
        match r {
            Refusal::ReadOnlyRole { .. }
            | Refusal::WrongRole { .. }
            | Refusal::SystemOnly { .. }
            | Refusal::NotYourCase
            | Refusal::WrongDepartment { .. }
            | Refusal::NotAllowedInState { .. }
            | Refusal::NotForTaskKind { .. }
            | Refusal::ReasonRequired
            | Refusal::AppealRouteRequired
            | Refusal::EmptyCorrectionList
            | Refusal::CorrectionItemIncomplete { .. }
            | Refusal::EmptyPromiseList
            | Refusal::PromiseBeyondLimit { .. }
            | Refusal::PromiseInPast { .. }
            | Refusal::AcceptanceWindowPassed { .. }
            | Refusal::NotYetDeemed { .. }
            | Refusal::TasksStillOpen { .. }
            | Refusal::CaseNotAccepted { .. }
            | Refusal::InputsNotReady { .. }
            | Refusal::InputsNotRefused
            | Refusal::AlreadyExtended
            | Refusal::ExtensionNotProvided
            | Refusal::ExtensionOutOfRange { .. } => {}
        }
    }
    list
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_refusal_has_a_sentence_in_both_languages() {
    for r in all() {
        let (zh, en) = (r.message(Lang::Zh), r.message(Lang::En));
        assert!(has_chinese(&zh), "{r:?}: {zh}");
        assert!(!en.is_empty() && !has_chinese(&en), "{r:?}: {en}");
        assert_eq!(r.to_string(), en);
    }
}

#[test]
fn messages_name_what_they_are_about() {
    let r = Refusal::NotAllowedInState {
        state: Status::Case(CaseStatus::AcceptedWithShortfall),
        action: ActionKind::Case(CaseActionKind::HandOver),
    };
    assert_eq!(
        r.message(Lang::Zh),
        "当前状态为“容缺受理”，不能“统一出件”。"
    );
    assert_eq!(
        r.message(Lang::En),
        "Cannot hand over the results while the status is “accepted, materials to follow”."
    );
    let open = Refusal::TasksStillOpen {
        open: vec!["food".into(), "fire".into()],
    };
    assert_eq!(open.message(Lang::Zh), "还有 2 个事项未办结：food、fire。");
    assert_eq!(
        open.message(Lang::En),
        "2 task(s) have not ended yet: food, fire."
    );
    let system = Refusal::WrongRole {
        role: None,
        action: ActionKind::Task(TaskActionKind::Approve),
    };
    assert_eq!(system.message(Lang::En), "The system cannot approve.");
}

#[test]
fn refusals_travel_as_tagged_json() {
    for r in all() {
        let json = serde_json::to_value(&r).expect("serialises");
        assert!(json.get("refusal").is_some_and(|v| v.is_string()), "{json}");
        assert_eq!(serde_json::from_value::<Refusal>(json).expect("parses"), r);
    }
    let json = serde_json::to_value(Refusal::NotYetDeemed {
        deadline: date!(2025 - 03 - 10),
    })
    .expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({ "refusal": "not_yet_deemed", "deadline": "2025-03-10" })
    );
}

#[test]
fn only_who_may_act_is_an_access_refusal() {
    let access: Vec<bool> = all().iter().map(Refusal::is_access_refusal).collect();
    // Role, system-only, someone else's case, another department: 6 of the list; the state, the form and the
    // reasons are the actor's own business.
    assert_eq!(access.iter().filter(|a| **a).count(), 6);
    assert!(all()[..6].iter().all(Refusal::is_access_refusal));
    assert!(!all()[6..].iter().any(Refusal::is_access_refusal));
}

//! The transition tables as documented: rendered from the rules the engine uses, and pinned here.

use super::*;

#[test]
fn the_case_table_renders_as_documented() {
    let expected = "\
| from | action | to | who |
|---|---|---|---|
| submitted | accept | accepted | window |
| submitted | accept_with_shortfall | accepted_with_shortfall | window |
| submitted | request_correction | correction_requested | window |
| submitted | refuse_to_accept | refused_to_accept | window |
| submitted | deem_accept | accepted | system |
| accepted | hand_over | closed | window |
| accepted_with_shortfall | supply_shortfall | accepted | citizen, agent (own case) |
| correction_requested | resubmit | submitted | citizen, agent (own case) |
";
    assert_eq!(markdown(&case_transition_table()), expected);
}

#[test]
fn the_task_table_renders_as_documented() {
    let expected = "\
| kind | from | action | to | who |
|---|---|---|---|---|
| department | waiting | start | in_review | system |
| department | waiting | skip | not_needed | system |
| department | in_review | request_correction | awaiting_applicant | officer (task's department) |
| department | in_review | extend | in_review | officer (task's department) |
| department | in_review | approve | approved | officer (task's department) |
| department | in_review | refuse | refused | officer (task's department) |
| department | awaiting_applicant | supply_correction | in_review | citizen, agent (own case) |
| applicant_todo | waiting | start | to_do | system |
| applicant_todo | waiting | skip | not_needed | system |
| applicant_todo | to_do | mark_done | done | citizen, agent (own case) |
";
    assert_eq!(markdown(&task_transition_table()), expected);
}

#[test]
fn the_full_tables_cover_every_pair_once() {
    let case = case_transition_table();
    assert_eq!(
        case.len(),
        CaseStatus::ALL.len() * CaseActionKind::ALL.len()
    );
    assert_eq!(
        case.iter().filter(|r| r.to.is_some()).count(),
        CASE_RULES.len()
    );
    let task = task_transition_table();
    assert_eq!(
        task.len(),
        TaskKind::ALL.len() * TaskStatus::ALL.len() * TaskActionKind::ALL.len()
    );
    assert_eq!(
        task.iter().filter(|r| r.to.is_some()).count(),
        TASK_RULES.len()
    );
    let window_only = case
        .iter()
        .find(|r| r.action == "hand_over")
        .map(|r| r.roles.clone());
    assert_eq!(window_only, Some(vec![Role::Window]));
    let system = task
        .iter()
        .find(|r| r.action == "start")
        .map(|r| r.roles.len());
    assert_eq!(system, Some(0));
}

#[test]
fn rules_are_unambiguous() {
    for (k, a) in CASE_RULES.iter().enumerate() {
        for b in CASE_RULES.iter().skip(k + 1) {
            assert!(!(a.from == b.from && a.action == b.action), "{a:?} twice");
        }
    }
    for (k, a) in TASK_RULES.iter().enumerate() {
        for b in TASK_RULES.iter().skip(k + 1) {
            assert!(
                !(a.kind == b.kind && a.from == b.from && a.action == b.action),
                "{a:?} twice"
            );
        }
    }
}

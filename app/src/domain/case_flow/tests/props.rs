//! Properties over random sequences of actions by random actors on random days.

use proptest::prelude::*;
use time::Date;

use super::*;

fn actor(k: usize) -> Actor {
    match k % 8 {
        0 => citizen(),
        1 => agent(),
        2 => officer("samr"),
        3 => officer("psb"),
        4 => window(),
        5 => supervisor(),
        6 => admin(),
        _ => Actor::System,
    }
}

fn may_act(who: Who, actor: &Actor) -> bool {
    match actor.role() {
        None => who == Who::System,
        Some(role) => who.roles().contains(&role),
    }
}

fn case_action(k: usize, today: Date, valid: bool) -> CaseAction {
    let text = if valid { "reason" } else { " " };
    match k % 8 {
        0 => CaseAction::Accept,
        1 => CaseAction::AcceptWithShortfall {
            materials: vec!["lease".into()],
            deadline: today,
            latest: if valid { today } else { MON },
        },
        2 => CaseAction::RequestCorrection {
            items: if valid {
                vec![CorrectionItem::material("lease", "expired")]
            } else {
                vec![]
            },
        },
        3 => CaseAction::RefuseToAccept {
            reason: text.into(),
            appeal: text.into(),
        },
        4 => CaseAction::DeemAccept,
        5 => CaseAction::Resubmit,
        6 => CaseAction::SupplyShortfall,
        _ => CaseAction::HandOver,
    }
}

fn task_action(k: usize, valid: bool) -> TaskAction {
    let text = if valid { "reason" } else { "" };
    match k % 8 {
        0 => TaskAction::Start,
        1 => TaskAction::RequestCorrection {
            items: vec![CorrectionItem::field("seats", text)],
        },
        2 => TaskAction::SupplyCorrection,
        3 => TaskAction::Extend {
            days: if valid { 3 } else { 30 },
            reason: text.into(),
        },
        4 => TaskAction::Approve,
        5 => TaskAction::Refuse {
            reason: text.into(),
        },
        6 => TaskAction::MarkDone,
        _ => TaskAction::Skip,
    }
}

/// (actor, action, days later, valid payload, is owner)
fn steps() -> impl Strategy<Value = Vec<(usize, usize, u8, bool, bool)>> {
    prop::collection::vec(
        (0..8usize, 0..8usize, 0..4u8, any::<bool>(), any::<bool>()),
        0..40,
    )
}

fn later(day: Date, n: u8) -> Date {
    day.saturating_add(time::Duration::days(i64::from(n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Every allowed case transition is in the table, by an actor the table allows; the history chains from
    /// `submitted` to the current state; nothing leaves a final state.
    #[test]
    fn case_histories_follow_the_table(steps in steps(), ended in any::<bool>()) {
        let mut tasks = restaurant();
        if ended {
            for t in &mut tasks {
                t.state = TaskState::Approved;
            }
        }
        let mut state = CaseState::Submitted { on: MON };
        let mut history: Vec<CaseEntry> = Vec::new();
        let mut today = MON;
        for (who, what, days, valid, is_owner) in steps {
            today = later(today, days);
            let (action, actor) = (case_action(what, today, valid), actor(who));
            let ctx = CaseContext { today, calendar: cal(), is_owner, tasks: &tasks };
            let was_final = state.status().is_final();
            match state.apply(&action, &actor, &ctx) {
                Ok(t) => {
                    prop_assert!(!was_final);
                    let kind = action.kind();
                    prop_assert!(may_act(kind.who(), &actor));
                    prop_assert!(CASE_RULES.iter().any(|r| r.from == state.status() && r.action == kind && r.to == t.next.status()));
                    prop_assert_eq!(t.entry.from, state.status());
                    history.push(t.entry);
                    state = t.next;
                }
                Err(refusal) => prop_assert!(!refusal.message(crate::domain::text::Lang::Zh).is_empty()),
            }
        }
        let mut at = CaseStatus::Submitted;
        for entry in &history {
            prop_assert_eq!(entry.from, at);
            at = entry.to;
        }
        prop_assert_eq!(at, state.status());
    }

    /// Ended tasks never change; a task starts only when the inputs exist; the clock's flags match the state;
    /// the committed due date never moves earlier.
    #[test]
    fn task_runs_keep_their_invariants(steps in steps(), pick in prop::collection::vec(0..5usize, 40)) {
        let case = accepted(MON);
        let mut tasks = restaurant();
        let mut today = MON;
        for ((who, what, days, valid, is_owner), k) in steps.into_iter().zip(pick) {
            today = later(today, days);
            let before = tasks[k].clone();
            let due_before = before.committed_due(cal());
            let ctx = TaskContext { today, calendar: cal(), case: &case, is_owner, tasks: &tasks };
            let Ok(t) = before.apply(&task_action(what, valid), &actor(who), &ctx) else { continue };
            prop_assert!(!before.has_ended());
            if before.state == TaskState::Waiting && !t.next.failed() {
                prop_assert!(before.after.iter().all(|a| find(&tasks, a).has_result()));
                prop_assert!(t.next.clock.started_on.is_some_and(|d| d <= today));
            }
            let next = &t.next;
            prop_assert_eq!(next.clock.paused_since.is_some(), next.status() == TaskStatus::AwaitingApplicant);
            prop_assert_eq!(next.clock.stopped_on.is_some(), next.has_ended());
            if let (Some(a), Some(b)) = (due_before, next.committed_due(cal())) {
                prop_assert!(b >= a);
            }
            if before.clock.started_on.is_some() {
                prop_assert_eq!(before.clock.started_on, next.clock.started_on);
            }
            tasks[k] = t.next;
        }
    }
}

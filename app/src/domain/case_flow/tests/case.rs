//! The case machine: every transition, allowed and refused, and art. 32.

use time::macros::date;
use time::Date;

use super::*;

fn ctx(today: Date) -> CaseContext<'static> {
    CaseContext {
        today,
        calendar: cal(),
        is_owner: true,
        tasks: &[],
    }
}

fn submitted() -> CaseState {
    CaseState::Submitted { on: MON }
}

fn apply(
    state: &CaseState,
    action: CaseAction,
    actor: &Actor,
    today: Date,
) -> Result<CaseState, Refusal> {
    state.apply(&action, actor, &ctx(today)).map(|t| t.next)
}

fn shortfall(deadline: Date, latest: Date) -> CaseAction {
    CaseAction::AcceptWithShortfall {
        materials: vec!["lease-contract".into()],
        deadline,
        latest,
    }
}

fn correction(items: Vec<CorrectionItem>) -> CaseAction {
    CaseAction::RequestCorrection { items }
}

fn refuse(reason: &str, appeal: &str) -> CaseAction {
    CaseAction::RefuseToAccept {
        reason: reason.into(),
        appeal: appeal.into(),
    }
}

#[test]
fn accept_within_the_window_counts_from_today() {
    let t = submitted()
        .apply(&CaseAction::Accept, &window(), &ctx(date!(2025 - 03 - 05)))
        .expect("accepted");
    assert_eq!(t.next, accepted(date!(2025 - 03 - 05)));
    assert_eq!(t.entry.from, CaseStatus::Submitted);
    assert_eq!(t.entry.to, CaseStatus::Accepted);
    assert_eq!(t.entry.action.kind(), CaseActionKind::Accept);
    assert_eq!(t.entry.actor, window());
    assert_eq!(t.entry.clock, None);
}

#[test]
fn accept_after_the_window_counts_from_receipt() {
    let late = date!(2025 - 03 - 11);
    assert_eq!(
        apply(&submitted(), CaseAction::Accept, &window(), late),
        Ok(CaseState::Accepted {
            since: MON,
            deemed: true
        })
    );
}

#[test]
fn accept_with_shortfall_records_the_promise() {
    let next = apply(
        &submitted(),
        CaseAction::AcceptWithShortfall {
            materials: vec![" lease-contract ".into(), "".into(), "floor-plan".into()],
            deadline: date!(2025 - 03 - 10),
            latest: date!(2025 - 03 - 10),
        },
        &window(),
        MON,
    );
    assert_eq!(
        next,
        Ok(CaseState::AcceptedWithShortfall {
            since: MON,
            promise: Promise {
                materials: vec!["lease-contract".into(), "floor-plan".into()],
                deadline: date!(2025 - 03 - 10),
            },
        })
    );
}

#[test]
fn shortfall_promise_must_name_materials_and_fit_the_limit() {
    let blank = CaseAction::AcceptWithShortfall {
        materials: vec!["  ".into()],
        deadline: MON,
        latest: MON,
    };
    assert_eq!(
        apply(&submitted(), blank, &window(), MON),
        Err(Refusal::EmptyPromiseList)
    );
    let (deadline, latest) = (date!(2025 - 03 - 11), date!(2025 - 03 - 10));
    assert_eq!(
        apply(&submitted(), shortfall(deadline, latest), &window(), MON),
        Err(Refusal::PromiseBeyondLimit { deadline, latest })
    );
    let past = date!(2025 - 02 - 28);
    assert_eq!(
        apply(&submitted(), shortfall(past, latest), &window(), MON),
        Err(Refusal::PromiseInPast {
            deadline: past,
            today: MON
        })
    );
}

#[test]
fn correction_lists_every_item_trimmed() {
    let items = vec![
        CorrectionItem::material(" lease-contract", "expired on 2025-01-31 "),
        CorrectionItem::field("legal_rep_phone", "not a mobile number"),
    ];
    let next = apply(&submitted(), correction(items), &window(), MON);
    assert_eq!(
        next,
        Ok(CaseState::CorrectionRequested {
            on: MON,
            items: vec![
                CorrectionItem::material("lease-contract", "expired on 2025-01-31"),
                CorrectionItem::field("legal_rep_phone", "not a mobile number"),
            ],
        })
    );
}

#[test]
fn correction_list_must_be_complete_and_non_empty() {
    assert_eq!(
        apply(&submitted(), correction(vec![]), &window(), MON),
        Err(Refusal::EmptyCorrectionList)
    );
    let blank_problem = vec![
        CorrectionItem::material("lease-contract", "expired"),
        CorrectionItem::field("phone", " "),
    ];
    assert_eq!(
        apply(&submitted(), correction(blank_problem), &window(), MON),
        Err(Refusal::CorrectionItemIncomplete { position: 2 })
    );
    let blank_id = vec![CorrectionItem::material("", "missing")];
    assert_eq!(
        apply(&submitted(), correction(blank_id), &window(), MON),
        Err(Refusal::CorrectionItemIncomplete { position: 1 })
    );
}

#[test]
fn refuse_to_accept_needs_reason_and_appeal_route() {
    let ok = apply(
        &submitted(),
        refuse(" not our competence ", "apply to the county bureau"),
        &window(),
        MON,
    );
    assert_eq!(
        ok,
        Ok(CaseState::RefusedToAccept {
            on: MON,
            reason: "not our competence".into(),
            appeal: "apply to the county bureau".into(),
        })
    );
    assert_eq!(
        apply(&submitted(), refuse(" ", "county"), &window(), MON),
        Err(Refusal::ReasonRequired)
    );
    assert_eq!(
        apply(&submitted(), refuse("why", ""), &window(), MON),
        Err(Refusal::AppealRouteRequired)
    );
}

#[test]
fn corrections_and_refusals_end_with_the_art_32_window() {
    let last_day = MON_DEADLINE;
    let items = vec![CorrectionItem::material("lease", "expired")];
    assert!(apply(&submitted(), correction(items.clone()), &window(), last_day).is_ok());
    assert!(apply(&submitted(), refuse("r", "a"), &window(), last_day).is_ok());
    let late = date!(2025 - 03 - 11);
    let passed = Err(Refusal::AcceptanceWindowPassed {
        deadline: MON_DEADLINE,
    });
    assert_eq!(
        apply(&submitted(), correction(items), &window(), late),
        passed
    );
    assert_eq!(
        apply(&submitted(), refuse("r", "a"), &window(), late),
        passed
    );
}

#[test]
fn deemed_acceptance_by_the_system_only_after_the_window() {
    assert_eq!(
        apply(
            &submitted(),
            CaseAction::DeemAccept,
            &Actor::System,
            MON_DEADLINE
        ),
        Err(Refusal::NotYetDeemed {
            deadline: MON_DEADLINE
        })
    );
    assert_eq!(
        apply(
            &submitted(),
            CaseAction::DeemAccept,
            &Actor::System,
            date!(2025 - 03 - 11)
        ),
        Ok(CaseState::Accepted {
            since: MON,
            deemed: true
        })
    );
}

#[test]
fn deemed_accepted_counts_working_days_across_holidays() {
    assert!(!deemed_accepted(MON, MON_DEADLINE, cal()));
    assert!(deemed_accepted(MON, date!(2025 - 03 - 11), cal()));
    // Friday before the 2025 Spring Festival: the make-up Sunday 26 Jan counts, 28 Jan – 4 Feb do not.
    let friday = date!(2025 - 01 - 24);
    assert_eq!(acceptance_deadline(friday, cal()), date!(2025 - 02 - 07));
    assert!(!deemed_accepted(friday, date!(2025 - 02 - 07), cal()));
    assert!(deemed_accepted(friday, date!(2025 - 02 - 08), cal()));
}

#[test]
fn resubmission_restarts_the_art_32_clock() {
    let asked = CaseState::CorrectionRequested {
        on: date!(2025 - 03 - 04),
        items: vec![CorrectionItem::material("lease", "expired")],
    };
    let again = date!(2025 - 03 - 12);
    let resubmitted = apply(&asked, CaseAction::Resubmit, &citizen(), again).expect("owner");
    assert_eq!(resubmitted, CaseState::Submitted { on: again });
    // Five working days after the first submission have passed, but not after the resubmission.
    let later = date!(2025 - 03 - 13);
    assert_eq!(
        apply(&resubmitted, CaseAction::DeemAccept, &Actor::System, later),
        Err(Refusal::NotYetDeemed {
            deadline: date!(2025 - 03 - 19)
        })
    );
    let items = vec![CorrectionItem::field("phone", "wrong")];
    assert!(apply(&resubmitted, correction(items), &window(), later).is_ok());
}

#[test]
fn the_owner_resubmits_citizen_or_agent() {
    let asked = CaseState::CorrectionRequested {
        on: MON,
        items: vec![CorrectionItem::material("lease", "expired")],
    };
    let today = date!(2025 - 03 - 05);
    assert!(apply(&asked, CaseAction::Resubmit, &agent(), today).is_ok());
    let stranger = CaseContext {
        is_owner: false,
        ..ctx(today)
    };
    assert_eq!(
        asked.apply(&CaseAction::Resubmit, &citizen(), &stranger),
        Err(Refusal::NotYourCase)
    );
}

#[test]
fn supplying_the_shortfall_keeps_the_acceptance_day() {
    let promised = CaseState::AcceptedWithShortfall {
        since: MON,
        promise: Promise {
            materials: vec!["lease".into()],
            deadline: date!(2025 - 03 - 07),
        },
    };
    assert_eq!(
        apply(
            &promised,
            CaseAction::SupplyShortfall,
            &citizen(),
            date!(2025 - 03 - 06)
        ),
        Ok(accepted(MON))
    );
}

#[test]
fn a_missed_promise_is_a_flag_not_a_state() {
    let promised = CaseState::AcceptedWithShortfall {
        since: MON,
        promise: Promise {
            materials: vec!["lease".into()],
            deadline: date!(2025 - 03 - 07),
        },
    };
    assert!(!promised.shortfall_overdue(date!(2025 - 03 - 07)));
    assert!(promised.shortfall_overdue(date!(2025 - 03 - 08)));
    assert!(!accepted(MON).shortfall_overdue(date!(2026 - 01 - 01)));
    // Late promised materials are still taken.
    assert!(apply(
        &promised,
        CaseAction::SupplyShortfall,
        &citizen(),
        date!(2025 - 03 - 20)
    )
    .is_ok());
}

#[test]
fn hand_over_only_when_every_task_has_ended() {
    let today = date!(2025 - 03 - 20);
    let mut tasks = restaurant();
    let open = CaseContext {
        tasks: &tasks,
        ..ctx(today)
    };
    assert_eq!(
        accepted(MON).apply(&CaseAction::HandOver, &window(), &open),
        Err(Refusal::TasksStillOpen {
            open: vec![
                "licence".into(),
                "food".into(),
                "fire".into(),
                "seal".into(),
                "bank".into()
            ]
        })
    );
    let ended = [
        TaskState::Approved,
        TaskState::Refused { reason: "r".into() },
        TaskState::Approved,
        TaskState::Done,
        TaskState::Waiting,
    ];
    for (t, state) in tasks.iter_mut().zip(ended) {
        t.state = state;
    }
    let one_open = CaseContext {
        tasks: &tasks,
        ..ctx(today)
    };
    assert_eq!(
        accepted(MON).apply(&CaseAction::HandOver, &window(), &one_open),
        Err(Refusal::TasksStillOpen {
            open: vec!["bank".into()]
        })
    );
    tasks[4].state = TaskState::NotNeeded {
        refused: "food".into(),
    };
    let all_ended = CaseContext {
        tasks: &tasks,
        ..ctx(today)
    };
    assert_eq!(
        accepted(MON)
            .apply(&CaseAction::HandOver, &window(), &all_ended)
            .map(|t| t.next),
        Ok(CaseState::Closed { on: today })
    );
}

/// A sample state for each status.
fn sample(status: CaseStatus) -> CaseState {
    match status {
        CaseStatus::Submitted => submitted(),
        CaseStatus::Accepted => accepted(MON),
        CaseStatus::AcceptedWithShortfall => CaseState::AcceptedWithShortfall {
            since: MON,
            promise: Promise {
                materials: vec!["lease".into()],
                deadline: date!(2025 - 03 - 07),
            },
        },
        CaseStatus::CorrectionRequested => CaseState::CorrectionRequested {
            on: MON,
            items: vec![CorrectionItem::material("lease", "expired")],
        },
        CaseStatus::RefusedToAccept => CaseState::RefusedToAccept {
            on: MON,
            reason: "r".into(),
            appeal: "a".into(),
        },
        CaseStatus::Closed => CaseState::Closed { on: MON },
    }
}

/// A valid action of each kind, the actor allowed to take it and a day its checks pass (if the state allows it).
fn valid(kind: CaseActionKind) -> (CaseAction, Actor, Date) {
    let in_window = date!(2025 - 03 - 05);
    match kind {
        CaseActionKind::Accept => (CaseAction::Accept, window(), in_window),
        CaseActionKind::AcceptWithShortfall => (
            shortfall(date!(2025 - 03 - 07), date!(2025 - 03 - 10)),
            window(),
            in_window,
        ),
        CaseActionKind::RequestCorrection => (
            correction(vec![CorrectionItem::material("lease", "expired")]),
            window(),
            in_window,
        ),
        CaseActionKind::RefuseToAccept => (refuse("r", "a"), window(), in_window),
        CaseActionKind::DeemAccept => {
            (CaseAction::DeemAccept, Actor::System, date!(2025 - 03 - 11))
        }
        CaseActionKind::Resubmit => (CaseAction::Resubmit, citizen(), in_window),
        CaseActionKind::SupplyShortfall => (CaseAction::SupplyShortfall, citizen(), in_window),
        CaseActionKind::HandOver => (CaseAction::HandOver, window(), in_window),
    }
}

/// The expected outcome of every (state, action), written out independently of `CASE_RULES`.
#[test]
fn every_state_against_every_action() {
    use CaseActionKind as A;
    use CaseStatus as S;
    let allowed = [
        (S::Submitted, A::Accept, S::Accepted),
        (
            S::Submitted,
            A::AcceptWithShortfall,
            S::AcceptedWithShortfall,
        ),
        (S::Submitted, A::RequestCorrection, S::CorrectionRequested),
        (S::Submitted, A::RefuseToAccept, S::RefusedToAccept),
        (S::Submitted, A::DeemAccept, S::Accepted),
        (S::CorrectionRequested, A::Resubmit, S::Submitted),
        (S::AcceptedWithShortfall, A::SupplyShortfall, S::Accepted),
        (S::Accepted, A::HandOver, S::Closed),
    ];
    let mut checked = 0;
    for status in CaseStatus::ALL {
        for kind in CaseActionKind::ALL {
            let (action, actor, today) = valid(kind);
            let result = sample(status).apply(&action, &actor, &ctx(today));
            let expected = allowed
                .iter()
                .find(|(f, a, _)| *f == status && *a == kind)
                .map(|(_, _, to)| *to);
            match (result, expected) {
                (Ok(t), Some(to)) => {
                    assert_eq!(
                        (t.next.status(), t.entry.to, t.entry.from),
                        (to, to, status)
                    );
                    assert_eq!(t.entry.action, action);
                }
                (Err(refusal), None) => assert_eq!(
                    refusal,
                    Refusal::NotAllowedInState {
                        state: Status::Case(status),
                        action: ActionKind::Case(kind)
                    }
                ),
                (got, want) => panic!("{status:?} × {kind:?}: got {got:?}, want {want:?}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 48);
}

#[test]
fn final_states_are_final() {
    assert!(CaseStatus::Closed.is_final() && CaseStatus::RefusedToAccept.is_final());
    assert!(CaseStatus::ALL
        .iter()
        .filter(|s| !s.is_final())
        .all(|s| CASE_RULES.iter().any(|r| r.from == *s)));
    assert!(!CASE_RULES.iter().any(|r| r.from.is_final()));
}

#[test]
fn states_and_actions_travel_as_readable_json() {
    let state = sample(CaseStatus::AcceptedWithShortfall);
    let json = serde_json::to_value(&state).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({ "status": "accepted_with_shortfall", "since": "2025-03-03",
            "promise": { "materials": ["lease"], "deadline": "2025-03-07" } })
    );
    assert_eq!(
        serde_json::from_value::<CaseState>(json).expect("parses"),
        state
    );
    let t = sample(CaseStatus::Submitted)
        .apply(
            &correction(vec![CorrectionItem::field("phone", "wrong")]),
            &window(),
            &ctx(MON),
        )
        .expect("allowed");
    let entry = serde_json::to_string(&t.entry).expect("serialises");
    assert!(entry.contains(r#""action":{"action":"request_correction","items":[{"target":{"kind":"field","id":"phone"},"problem":"wrong"}]}"#), "{entry}");
    assert_eq!(
        serde_json::from_str::<CaseEntry>(&entry).expect("parses"),
        t.entry
    );
    for status in CaseStatus::ALL {
        let code = serde_json::to_value(status).expect("serialises");
        assert_eq!(code, status.code());
    }
    for kind in CaseActionKind::ALL {
        assert_eq!(serde_json::to_value(kind).expect("serialises"), kind.code());
    }
}

#[test]
fn the_window_s_day_is_the_acceptance_deadline_or_the_promise() {
    assert_eq!(
        CaseState::Submitted { on: MON }.window_due(cal()),
        Some(MON_DEADLINE)
    );
    let promised = CaseState::AcceptedWithShortfall {
        since: MON,
        promise: Promise {
            materials: vec!["lease".into()],
            deadline: date!(2025 - 03 - 07),
        },
    };
    assert_eq!(promised.window_due(cal()), Some(date!(2025 - 03 - 07)));
    assert_eq!(accepted(MON).window_due(cal()), None);
    let corrected = CaseState::CorrectionRequested {
        on: MON,
        items: Vec::new(),
    };
    assert_eq!(corrected.window_due(cal()), None);
}

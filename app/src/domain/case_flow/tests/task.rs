//! The task machine: every transition, allowed and refused, and unlocking.

use time::macros::date;
use time::Date;

use super::*;
use crate::domain::item::ItemKind;
use crate::domain::roadmap::PlannedStep;
use crate::domain::text::Text;

const TUE: Date = date!(2025 - 03 - 04);

fn samr() -> Actor {
    officer("samr")
}

/// The restaurant with the licence approved on Tuesday, and the food licence in review since.
fn food_in_review() -> (CaseState, Vec<Task>) {
    let case = accepted(MON);
    let mut tasks = restaurant();
    act(
        &mut tasks,
        "licence",
        TaskAction::Start,
        &Actor::System,
        &case,
        MON,
    )
    .expect("start");
    act(
        &mut tasks,
        "licence",
        TaskAction::Approve,
        &samr(),
        &case,
        TUE,
    )
    .expect("approve");
    act(
        &mut tasks,
        "food",
        TaskAction::Start,
        &Actor::System,
        &case,
        TUE,
    )
    .expect("start");
    (case, tasks)
}

#[test]
fn the_kind_of_task_follows_the_kind_of_item() {
    use ItemKind::*;
    let kinds = [
        (Licensing, TaskKind::Department),
        (Confirmation, TaskKind::Department),
        (PublicService, TaskKind::Department),
        (Filing, TaskKind::ApplicantTodo),
        (Other, TaskKind::ApplicantTodo),
    ];
    for (item, task) in kinds {
        assert_eq!(TaskKind::for_item(item), task, "{item:?}");
    }
}

#[test]
fn a_task_is_made_from_a_planned_step() {
    let step = PlannedStep {
        id: "seal".into(),
        item: "psb-seal-engraving".into(),
        department: "psb".into(),
        name: Text::zh("印章刻制"),
        alternatives: vec![],
        conditional: false,
        why: None,
        because: vec![],
        after: vec!["licence".into()],
        with: vec![],
        stage: 1,
        statutory: wd(1),
        committed: Limit::new(LimitKind::OnTheSpot),
    };
    let t = Task::new(&step, ItemKind::Filing);
    assert_eq!(
        (t.id.as_str(), t.item.as_str(), t.department.as_str()),
        ("seal", "psb-seal-engraving", "psb")
    );
    assert_eq!(t.kind, TaskKind::ApplicantTodo);
    assert_eq!(t.after, vec!["licence".to_owned()]);
    assert_eq!((t.statutory, t.committed), (step.statutory, step.committed));
    assert_eq!((t.state, t.clock), (TaskState::Waiting, Clock::default()));
}

#[test]
fn no_task_starts_before_the_case_is_accepted() {
    let mut tasks = restaurant();
    for case in [
        CaseState::Submitted { on: MON },
        CaseState::CorrectionRequested {
            on: MON,
            items: vec![CorrectionItem::material("x", "y")],
        },
    ] {
        assert_eq!(
            act(
                &mut tasks,
                "licence",
                TaskAction::Start,
                &Actor::System,
                &case,
                MON
            ),
            Err(Refusal::CaseNotAccepted {
                state: case.status()
            })
        );
    }
    let promised = CaseState::AcceptedWithShortfall {
        since: MON,
        promise: Promise {
            materials: vec!["lease".into()],
            deadline: TUE,
        },
    };
    let entry = act(
        &mut tasks,
        "licence",
        TaskAction::Start,
        &Actor::System,
        &promised,
        MON,
    )
    .expect("accepted with shortfall is accepted");
    assert_eq!(
        (entry.from, entry.to, entry.clock),
        (
            TaskStatus::Waiting,
            TaskStatus::InReview,
            Some(ClockEffect::Started { on: MON })
        )
    );
}

#[test]
fn a_task_starts_when_its_inputs_exist() {
    let case = accepted(MON);
    let mut tasks = restaurant();
    assert_eq!(
        act(
            &mut tasks,
            "food",
            TaskAction::Start,
            &Actor::System,
            &case,
            MON
        ),
        Err(Refusal::InputsNotReady {
            waiting_for: vec!["licence".into()]
        })
    );
    act(
        &mut tasks,
        "licence",
        TaskAction::Start,
        &Actor::System,
        &case,
        MON,
    )
    .expect("start");
    act(
        &mut tasks,
        "licence",
        TaskAction::Approve,
        &samr(),
        &case,
        TUE,
    )
    .expect("approve");
    assert_eq!(
        act(
            &mut tasks,
            "bank",
            TaskAction::Start,
            &Actor::System,
            &case,
            TUE
        ),
        Err(Refusal::InputsNotReady {
            waiting_for: vec!["seal".into()]
        })
    );
    // The system runs late, on Thursday: the clock still starts on Tuesday, when the licence was issued.
    let thu = date!(2025 - 03 - 06);
    act(
        &mut tasks,
        "food",
        TaskAction::Start,
        &Actor::System,
        &case,
        thu,
    )
    .expect("start");
    let food = find(&tasks, "food");
    assert_eq!(food.state, TaskState::InReview);
    assert_eq!(food.clock.started_on, Some(TUE));
    // A to-do starts as the applicant's to-do, and the applicant marks it done.
    act(
        &mut tasks,
        "seal",
        TaskAction::Start,
        &Actor::System,
        &case,
        TUE,
    )
    .expect("start");
    assert_eq!(find(&tasks, "seal").state, TaskState::ToDo);
    let done = act(
        &mut tasks,
        "seal",
        TaskAction::MarkDone,
        &citizen(),
        &case,
        thu,
    )
    .expect("done");
    assert_eq!((done.from, done.to), (TaskStatus::ToDo, TaskStatus::Done));
    assert_eq!(find(&tasks, "seal").clock.stopped_on, Some(thu));
    assert!(act(
        &mut tasks,
        "bank",
        TaskAction::Start,
        &Actor::System,
        &case,
        thu
    )
    .is_ok());
}

#[test]
fn an_input_that_is_not_in_the_case_is_never_ready() {
    let case = accepted(MON);
    let mut tasks = vec![task("food", "samr", TaskKind::Department, &["ghost"])];
    assert_eq!(
        act(
            &mut tasks,
            "food",
            TaskAction::Start,
            &Actor::System,
            &case,
            MON
        ),
        Err(Refusal::InputsNotReady {
            waiting_for: vec!["ghost".into()]
        })
    );
}

#[test]
fn correction_pauses_and_supplying_resumes() {
    let (case, mut tasks) = food_in_review();
    let wed = date!(2025 - 03 - 05);
    let items = vec![CorrectionItem::material("layout", "no sink shown")];
    let entry = act(
        &mut tasks,
        "food",
        TaskAction::RequestCorrection {
            items: items.clone(),
        },
        &samr(),
        &case,
        wed,
    )
    .expect("officer of samr");
    assert_eq!(entry.clock, Some(ClockEffect::Paused { on: wed }));
    assert_eq!(
        find(&tasks, "food").state,
        TaskState::AwaitingApplicant { items }
    );
    let next_mon = date!(2025 - 03 - 10);
    let entry = act(
        &mut tasks,
        "food",
        TaskAction::SupplyCorrection,
        &agent(),
        &case,
        next_mon,
    )
    .expect("owner");
    assert_eq!(
        entry.clock,
        Some(ClockEffect::Resumed {
            on: next_mon,
            paused_days: 3
        })
    );
    let food = find(&tasks, "food");
    assert_eq!(food.state, TaskState::InReview);
    assert_eq!((food.clock.paused_days, food.clock.paused_since), (3, None));
}

#[test]
fn task_corrections_list_every_item() {
    let (case, mut tasks) = food_in_review();
    assert_eq!(
        act(
            &mut tasks,
            "food",
            TaskAction::RequestCorrection { items: vec![] },
            &samr(),
            &case,
            TUE
        ),
        Err(Refusal::EmptyCorrectionList)
    );
    let blank = vec![CorrectionItem::field("seats", "")];
    assert_eq!(
        act(
            &mut tasks,
            "food",
            TaskAction::RequestCorrection { items: blank },
            &samr(),
            &case,
            TUE
        ),
        Err(Refusal::CorrectionItemIncomplete { position: 1 })
    );
}

fn extend(days: u32, reason: &str) -> TaskAction {
    TaskAction::Extend {
        days,
        reason: reason.into(),
    }
}

#[test]
fn extend_once_within_the_statutory_extension_with_a_reason() {
    let (case, mut tasks) = food_in_review();
    assert_eq!(
        act(
            &mut tasks,
            "food",
            extend(11, "site visit"),
            &samr(),
            &case,
            TUE
        ),
        Err(Refusal::ExtensionOutOfRange { days: 11, max: 10 })
    );
    assert_eq!(
        act(
            &mut tasks,
            "food",
            extend(0, "site visit"),
            &samr(),
            &case,
            TUE
        ),
        Err(Refusal::ExtensionOutOfRange { days: 0, max: 10 })
    );
    assert_eq!(
        act(&mut tasks, "food", extend(10, "  "), &samr(), &case, TUE),
        Err(Refusal::ReasonRequired)
    );
    let entry = act(
        &mut tasks,
        "food",
        extend(10, " site visit "),
        &samr(),
        &case,
        TUE,
    )
    .expect("first extension");
    assert_eq!(
        (entry.from, entry.to, entry.clock),
        (
            TaskStatus::InReview,
            TaskStatus::InReview,
            Some(ClockEffect::Extended { days: 10 })
        )
    );
    assert_eq!(
        find(&tasks, "food").clock.extension,
        Some(Extension {
            days: 10,
            reason: "site visit".into()
        })
    );
    assert_eq!(
        act(&mut tasks, "food", extend(1, "again"), &samr(), &case, TUE),
        Err(Refusal::AlreadyExtended)
    );
}

#[test]
fn no_extension_where_the_law_gives_none_or_while_paused() {
    let (case, mut tasks) = food_in_review();
    if let Some(food) = tasks.iter_mut().find(|t| t.id == "food") {
        food.statutory.extension_days = None;
    }
    assert_eq!(
        act(&mut tasks, "food", extend(5, "busy"), &samr(), &case, TUE),
        Err(Refusal::ExtensionNotProvided)
    );
    let items = vec![CorrectionItem::material("layout", "missing")];
    act(
        &mut tasks,
        "food",
        TaskAction::RequestCorrection { items },
        &samr(),
        &case,
        TUE,
    )
    .expect("pause");
    assert_eq!(
        act(&mut tasks, "food", extend(5, "busy"), &samr(), &case, TUE),
        Err(Refusal::NotAllowedInState {
            state: Status::Task(TaskStatus::AwaitingApplicant),
            action: ActionKind::Task(TaskActionKind::Extend)
        })
    );
}

#[test]
fn approve_stops_the_clock_and_unlocks() {
    let (case, mut tasks) = food_in_review();
    let licence = find(&tasks, "licence");
    assert_eq!(licence.state, TaskState::Approved);
    assert_eq!(licence.clock.stopped_on, Some(TUE));
    let wed = date!(2025 - 03 - 05);
    let entry = act(&mut tasks, "food", TaskAction::Approve, &samr(), &case, wed).expect("ok");
    assert_eq!(entry.clock, Some(ClockEffect::Stopped { on: wed }));
}

#[test]
fn refuse_needs_a_reason() {
    let (case, mut tasks) = food_in_review();
    let refuse = |r: &str| TaskAction::Refuse { reason: r.into() };
    assert_eq!(
        act(&mut tasks, "food", refuse(" "), &samr(), &case, TUE),
        Err(Refusal::ReasonRequired)
    );
    act(
        &mut tasks,
        "food",
        refuse("kitchen too small"),
        &samr(),
        &case,
        TUE,
    )
    .expect("refused");
    assert_eq!(
        find(&tasks, "food").state,
        TaskState::Refused {
            reason: "kitchen too small".into()
        }
    );
}

#[test]
fn tasks_behind_a_refused_licence_end_as_not_needed() {
    let case = accepted(MON);
    let mut tasks = restaurant();
    assert_eq!(
        act(
            &mut tasks,
            "food",
            TaskAction::Skip,
            &Actor::System,
            &case,
            MON
        ),
        Err(Refusal::InputsNotRefused)
    );
    act(
        &mut tasks,
        "licence",
        TaskAction::Start,
        &Actor::System,
        &case,
        MON,
    )
    .expect("start");
    let refuse = TaskAction::Refuse {
        reason: "name taken".into(),
    };
    act(&mut tasks, "licence", refuse, &samr(), &case, TUE).expect("refused");
    assert_eq!(
        stranded(&tasks),
        vec![
            ("food".to_owned(), "licence".to_owned()),
            ("fire".into(), "licence".into()),
            ("seal".into(), "licence".into()),
            ("bank".into(), "licence".into()),
        ]
    );
    act(
        &mut tasks,
        "seal",
        TaskAction::Skip,
        &Actor::System,
        &case,
        TUE,
    )
    .expect("skip");
    assert_eq!(
        find(&tasks, "seal").state,
        TaskState::NotNeeded {
            refused: "licence".into()
        }
    );
    // A task behind one that ended this way ends too.
    let mut chain = vec![
        with_state(
            task("seal", "psb", TaskKind::ApplicantTodo, &[]),
            TaskState::NotNeeded {
                refused: "licence".into(),
            },
        ),
        task("bank", "bank", TaskKind::ApplicantTodo, &["seal"]),
    ];
    assert_eq!(stranded(&chain), vec![("bank".into(), "seal".into())]);
    let entry = act(
        &mut chain,
        "bank",
        TaskAction::Skip,
        &Actor::System,
        &case,
        TUE,
    )
    .expect("ok");
    assert_eq!(
        (entry.to, entry.clock),
        (
            TaskStatus::NotNeeded,
            Some(ClockEffect::Stopped { on: TUE })
        )
    );
}

#[test]
fn unlocked_names_the_tasks_that_can_start_now() {
    let mut tasks = restaurant();
    assert_eq!(ready(&tasks), vec!["licence".to_owned()]);
    assert!(
        unlocked(&tasks, "licence").is_empty(),
        "licence not approved yet"
    );
    tasks[0].state = TaskState::Approved;
    assert_eq!(unlocked(&tasks, "licence"), vec!["food", "fire", "seal"]);
    assert_eq!(ready(&tasks), vec!["food", "fire", "seal"]);
    tasks[3].state = TaskState::Done;
    assert_eq!(unlocked(&tasks, "seal"), vec!["bank"]);
    // Already started tasks are not unlocked again.
    tasks[1].state = TaskState::InReview;
    assert_eq!(unlocked(&tasks, "licence"), vec!["fire", "bank"]);
    assert!(unlocked(&tasks, "nothing").is_empty());
}

#[test]
fn open_tasks_are_those_not_ended() {
    let states = [
        (TaskState::Waiting, true),
        (TaskState::InReview, true),
        (
            TaskState::AwaitingApplicant {
                items: vec![CorrectionItem::material("a", "b")],
            },
            true,
        ),
        (TaskState::ToDo, true),
        (TaskState::Approved, false),
        (TaskState::Refused { reason: "r".into() }, false),
        (TaskState::Done, false),
        (
            TaskState::NotNeeded {
                refused: "x".into(),
            },
            false,
        ),
    ];
    assert_eq!(states.len(), TaskStatus::ALL.len());
    for (state, open) in states {
        let t = with_state(task("t", "samr", TaskKind::Department, &[]), state.clone());
        assert_eq!(open_tasks(&[t]).len(), usize::from(open), "{state:?}");
    }
}

/// A sample state for each status.
fn sample(status: TaskStatus) -> TaskState {
    match status {
        TaskStatus::Waiting => TaskState::Waiting,
        TaskStatus::InReview => TaskState::InReview,
        TaskStatus::AwaitingApplicant => TaskState::AwaitingApplicant {
            items: vec![CorrectionItem::material("a", "b")],
        },
        TaskStatus::Approved => TaskState::Approved,
        TaskStatus::Refused => TaskState::Refused { reason: "r".into() },
        TaskStatus::ToDo => TaskState::ToDo,
        TaskStatus::Done => TaskState::Done,
        TaskStatus::NotNeeded => TaskState::NotNeeded {
            refused: "x".into(),
        },
    }
}

/// A valid action of each kind and the actor allowed to take it on a `samr` task.
fn valid(kind: TaskActionKind) -> (TaskAction, Actor) {
    match kind {
        TaskActionKind::Start | TaskActionKind::Skip => (
            if kind == TaskActionKind::Start {
                TaskAction::Start
            } else {
                TaskAction::Skip
            },
            Actor::System,
        ),
        TaskActionKind::RequestCorrection => (
            TaskAction::RequestCorrection {
                items: vec![CorrectionItem::material("a", "b")],
            },
            samr(),
        ),
        TaskActionKind::Extend => (extend(5, "site visit"), samr()),
        TaskActionKind::Approve => (TaskAction::Approve, samr()),
        TaskActionKind::Refuse => (TaskAction::Refuse { reason: "r".into() }, samr()),
        TaskActionKind::SupplyCorrection => (TaskAction::SupplyCorrection, citizen()),
        TaskActionKind::MarkDone => (TaskAction::MarkDone, citizen()),
    }
}

/// The expected outcome of every (kind, state, action), written out independently of `TASK_RULES`.
#[test]
fn every_kind_and_state_against_every_action() {
    use TaskActionKind as A;
    use TaskKind::{ApplicantTodo as T, Department as D};
    use TaskStatus as S;
    let allowed = [
        (D, S::Waiting, A::Start, S::InReview),
        (D, S::Waiting, A::Skip, S::NotNeeded),
        (D, S::InReview, A::RequestCorrection, S::AwaitingApplicant),
        (D, S::AwaitingApplicant, A::SupplyCorrection, S::InReview),
        (D, S::InReview, A::Extend, S::InReview),
        (D, S::InReview, A::Approve, S::Approved),
        (D, S::InReview, A::Refuse, S::Refused),
        (T, S::Waiting, A::Start, S::ToDo),
        (T, S::Waiting, A::Skip, S::NotNeeded),
        (T, S::ToDo, A::MarkDone, S::Done),
    ];
    let not_for = |kind: TaskKind, action: TaskActionKind| {
        !allowed
            .iter()
            .any(|(k, _, a, _)| *k == kind && *a == action)
    };
    let case = accepted(MON);
    let mut checked = 0;
    for kind in TaskKind::ALL {
        for status in TaskStatus::ALL {
            for action_kind in TaskActionKind::ALL {
                // The input is approved for `Start` and refused for `Skip`, so each passes its check.
                let input = if action_kind == A::Skip {
                    TaskState::Refused { reason: "r".into() }
                } else {
                    TaskState::Approved
                };
                let tasks = vec![
                    with_state(task("input", "samr", D, &[]), input),
                    with_state(task("t", "samr", kind, &["input"]), sample(status)),
                ];
                let ctx = TaskContext {
                    today: TUE,
                    calendar: cal(),
                    case: &case,
                    is_owner: true,
                    tasks: &tasks,
                };
                let (action, actor) = valid(action_kind);
                let result = tasks[1].apply(&action, &actor, &ctx);
                let expected = allowed
                    .iter()
                    .find(|(k, f, a, _)| *k == kind && *f == status && *a == action_kind)
                    .map(|(_, _, _, to)| *to);
                match (result, expected) {
                    (Ok(t), Some(to)) => {
                        assert_eq!(
                            (t.next.status(), t.entry.from, t.entry.to),
                            (to, status, to)
                        );
                        assert_eq!(t.entry.action, action);
                        assert!(t.entry.clock.is_some());
                    }
                    (Err(refusal), None) if not_for(kind, action_kind) => assert_eq!(
                        refusal,
                        Refusal::NotForTaskKind {
                            kind,
                            action: action_kind
                        }
                    ),
                    (Err(refusal), None) => assert_eq!(
                        refusal,
                        Refusal::NotAllowedInState {
                            state: Status::Task(status),
                            action: ActionKind::Task(action_kind)
                        }
                    ),
                    (got, want) => {
                        panic!("{kind:?} {status:?} × {action_kind:?}: got {got:?}, want {want:?}")
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 128);
}

#[test]
fn tasks_travel_as_readable_json() {
    let (_, tasks) = food_in_review();
    let food = find(&tasks, "food");
    let json = serde_json::to_value(food).expect("serialises");
    assert_eq!(json["state"], serde_json::json!({ "status": "in_review" }));
    assert_eq!(json["clock"]["started_on"], "2025-03-04");
    assert_eq!(json["statutory"]["kind"], "working_days");
    assert_eq!(&serde_json::from_value::<Task>(json).expect("parses"), food);
    for status in TaskStatus::ALL {
        assert_eq!(serde_json::to_value(status).expect("code"), status.code());
    }
    for kind in TaskActionKind::ALL {
        assert_eq!(serde_json::to_value(kind).expect("code"), kind.code());
    }
}

//! A task: one applicable item of a case, decided by its department — or, for items with no approving officer,
//! done by the applicant (a to-do). Tasks start once the case is accepted and the results they wait for exist.
//!
//! Which kind a task is follows the item's [`ItemKind`] ([`TaskKind::for_item`]): licensing (行政许可),
//! confirmation (行政确认) and public services (公共服务) are decided by an officer; filings (备案) are recorded as
//! filed, with no approval, and `other` items are those of partners without an officer in the hall (a bank's
//! account appointment, a court), so both are the applicant's to-dos.
//!
//! A waiting task whose input was refused (or itself ended that way) can never start: the system ends it as
//! [`TaskState::NotNeeded`], naming the refused task, so the case can still be closed and the applicant told why.

use serde::{Deserialize, Serialize};
use time::Date;

use super::actor::{authorise, Actor, Subject, Who};
use super::case::{pick, CaseState};
use super::clock::{Clock, ClockEffect, ClockStatus};
use super::refusal::{ActionKind, Refusal, Status};
use super::{correction_list, required_text, CorrectionItem, HistoryEntry, Transition};
use crate::domain::calendar::Calendar;
use crate::domain::item::{ItemKind, Limit};
use crate::domain::roadmap::PlannedStep;
use crate::domain::text::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Decided by an officer of the department.
    Department,
    /// Done by the applicant; the hall only tracks it.
    ApplicantTodo,
}

impl TaskKind {
    pub const ALL: [TaskKind; 2] = [TaskKind::Department, TaskKind::ApplicantTodo];

    /// See the module documentation for the rule.
    pub fn for_item(kind: ItemKind) -> TaskKind {
        match kind {
            ItemKind::Licensing | ItemKind::Confirmation | ItemKind::PublicService => {
                TaskKind::Department
            }
            ItemKind::Filing | ItemKind::Other => TaskKind::ApplicantTodo,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TaskKind::Department => "department",
            TaskKind::ApplicantTodo => "applicant_todo",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TaskKind::Department => pick(lang, "部门审批事项", "a department's task"),
            TaskKind::ApplicantTodo => pick(lang, "申请人自办事项", "the applicant's own to-do"),
        }
    }
}

/// One task of a case, with its limits and clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// The theme step id, unique within the case.
    pub id: String,
    pub item: String,
    pub department: String,
    pub kind: TaskKind,
    /// The tasks whose results it needs.
    pub after: Vec<String>,
    pub statutory: Limit,
    pub committed: Limit,
    pub state: TaskState,
    pub clock: Clock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TaskState {
    /// 等待前置事项: the case is not accepted yet, or results it needs do not exist yet.
    Waiting,
    /// 审查中: the department is deciding; the clock runs.
    InReview,
    /// 补正: the department asked the applicant for these corrections; the clock stands still.
    AwaitingApplicant { items: Vec<CorrectionItem> },
    /// 准予许可: the result exists and unlocks the tasks waiting for it.
    Approved,
    /// 不予许可, with the reason told to the applicant.
    Refused { reason: String },
    /// The applicant can do it now.
    ToDo,
    /// The applicant did it.
    Done,
    /// 终止办理: ended without a decision because the result it needs (of task `refused`) will not exist.
    NotNeeded { refused: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Waiting,
    InReview,
    AwaitingApplicant,
    Approved,
    Refused,
    ToDo,
    Done,
    NotNeeded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TaskAction {
    /// The case is accepted and every input exists: review (or the to-do) begins.
    Start,
    /// 补正 at task level: every item at once.
    RequestCorrection { items: Vec<CorrectionItem> },
    /// The applicant hands in the corrections.
    SupplyCorrection,
    /// 延期 (art. 42): once, by at most the statutory limit's `extension_days`, with a reason for the applicant.
    Extend { days: u32, reason: String },
    /// 准予许可
    Approve,
    /// 不予许可
    Refuse { reason: String },
    /// The applicant did their to-do.
    MarkDone,
    /// End a waiting task whose input was refused.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskActionKind {
    Start,
    RequestCorrection,
    SupplyCorrection,
    Extend,
    Approve,
    Refuse,
    MarkDone,
    Skip,
}

/// One allowed task transition, for one kind of task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskRule {
    pub kind: TaskKind,
    pub from: TaskStatus,
    pub action: TaskActionKind,
    pub to: TaskStatus,
}

const fn rule(
    kind: TaskKind,
    from: TaskStatus,
    action: TaskActionKind,
    to: TaskStatus,
) -> TaskRule {
    TaskRule {
        kind,
        from,
        action,
        to,
    }
}

/// Every allowed task transition; anything else is refused. Who may act is [`TaskActionKind::who`].
pub const TASK_RULES: &[TaskRule] = {
    use TaskActionKind as A;
    use TaskKind::{ApplicantTodo as T, Department as D};
    use TaskStatus as S;
    &[
        rule(D, S::Waiting, A::Start, S::InReview),
        rule(D, S::Waiting, A::Skip, S::NotNeeded),
        rule(D, S::InReview, A::RequestCorrection, S::AwaitingApplicant),
        rule(D, S::AwaitingApplicant, A::SupplyCorrection, S::InReview),
        rule(D, S::InReview, A::Extend, S::InReview),
        rule(D, S::InReview, A::Approve, S::Approved),
        rule(D, S::InReview, A::Refuse, S::Refused),
        rule(T, S::Waiting, A::Start, S::ToDo),
        rule(T, S::Waiting, A::Skip, S::NotNeeded),
        rule(T, S::ToDo, A::MarkDone, S::Done),
    ]
};

/// What the engine needs besides the task and the actor.
#[derive(Debug, Clone, Copy)]
pub struct TaskContext<'a> {
    pub today: Date,
    pub calendar: &'a Calendar,
    pub case: &'a CaseState,
    /// Whether the acting citizen or agent owns the case.
    pub is_owner: bool,
    /// All tasks of the case (this one included), for the inputs of `Start` and `Skip`.
    pub tasks: &'a [Task],
}

pub type TaskEntry = HistoryEntry<TaskStatus, TaskAction>;
pub type TaskTransition = Transition<Task, TaskEntry>;

impl Task {
    /// A new, waiting task for a planned step of the roadmap and the kind of its item.
    pub fn new(step: &PlannedStep, item_kind: ItemKind) -> Task {
        Task {
            id: step.id.clone(),
            item: step.item.clone(),
            department: step.department.clone(),
            kind: TaskKind::for_item(item_kind),
            after: step.after.clone(),
            statutory: step.statutory.clone(),
            committed: step.committed.clone(),
            state: TaskState::Waiting,
            clock: Clock::default(),
        }
    }

    pub fn status(&self) -> TaskStatus {
        self.state.status()
    }

    /// Its result exists: approved, or the to-do done. Tasks waiting for it may start.
    pub fn has_result(&self) -> bool {
        matches!(self.state, TaskState::Approved | TaskState::Done)
    }

    /// Ended without a result: refused, or ended because its own input was refused.
    pub fn failed(&self) -> bool {
        matches!(
            self.state,
            TaskState::Refused { .. } | TaskState::NotNeeded { .. }
        )
    }

    pub fn has_ended(&self) -> bool {
        self.has_result() || self.failed()
    }

    /// 法定时限 due date, once started; `None` for open limits.
    pub fn statutory_due(&self, calendar: &Calendar) -> Option<Date> {
        self.clock.due(&self.statutory, calendar)
    }

    /// 承诺时限 due date, once started; `None` for open limits.
    pub fn committed_due(&self, calendar: &Calendar) -> Option<Date> {
        self.clock.due(&self.committed, calendar)
    }

    /// The supervision colour on `today` (电子监察).
    pub fn warning(&self, today: Date, calendar: &Calendar) -> ClockStatus {
        match self.state {
            TaskState::Waiting => ClockStatus::NotStarted,
            TaskState::InReview | TaskState::AwaitingApplicant { .. } => {
                self.clock
                    .running_status(&self.statutory, &self.committed, today, calendar)
            }
            TaskState::ToDo => ClockStatus::Untimed,
            _ => ClockStatus::Done,
        }
    }

    /// Apply `action` by `actor`: the updated task and its history entry, or why not.
    pub fn apply(
        &self,
        action: &TaskAction,
        actor: &Actor,
        ctx: &TaskContext<'_>,
    ) -> Result<TaskTransition, Refusal> {
        let kind = action.kind();
        let subject = Subject {
            is_owner: ctx.is_owner,
            department: Some(&self.department),
        };
        authorise(kind.who(), ActionKind::Task(kind), actor, &subject)?;
        let to = self.rule(kind)?;
        let (state, clock, effect) = self.next(action, ctx)?;
        debug_assert_eq!(state.status(), to, "TASK_RULES and Task::next disagree");
        let next = Task {
            state,
            clock,
            ..self.clone()
        };
        Ok(Transition {
            entry: HistoryEntry {
                from: self.status(),
                to: next.status(),
                action: action.clone(),
                actor: actor.clone(),
                clock: Some(effect),
            },
            next,
        })
    }

    /// The state the table leads to, or why the action does not fit this kind of task or its state.
    fn rule(&self, action: TaskActionKind) -> Result<TaskStatus, Refusal> {
        let mut for_kind = TASK_RULES
            .iter()
            .filter(|r| r.kind == self.kind && r.action == action)
            .peekable();
        if for_kind.peek().is_none() {
            return Err(Refusal::NotForTaskKind {
                kind: self.kind,
                action,
            });
        }
        for_kind
            .find(|r| r.from == self.status())
            .map(|r| r.to)
            .ok_or(Refusal::NotAllowedInState {
                state: Status::Task(self.status()),
                action: ActionKind::Task(action),
            })
    }

    fn next(
        &self,
        action: &TaskAction,
        ctx: &TaskContext<'_>,
    ) -> Result<(TaskState, Clock, ClockEffect), Refusal> {
        let today = ctx.today;
        let (state, (clock, effect)) = match (&self.state, action) {
            (TaskState::Waiting, TaskAction::Start) => {
                let on = self.start_day(ctx)?;
                let state = match self.kind {
                    TaskKind::Department => TaskState::InReview,
                    TaskKind::ApplicantTodo => TaskState::ToDo,
                };
                (state, self.clock.start(on))
            }
            (TaskState::Waiting, TaskAction::Skip) => {
                let refused = self.refused_input(ctx.tasks)?;
                (TaskState::NotNeeded { refused }, self.clock.stop(today))
            }
            (TaskState::InReview, TaskAction::RequestCorrection { items }) => {
                let items = correction_list(items)?;
                (
                    TaskState::AwaitingApplicant { items },
                    self.clock.pause(today),
                )
            }
            (TaskState::AwaitingApplicant { .. }, TaskAction::SupplyCorrection) => {
                (TaskState::InReview, self.clock.resume(today, ctx.calendar))
            }
            (TaskState::InReview, TaskAction::Extend { days, reason }) => {
                let reason = self.extension(*days, reason)?;
                (TaskState::InReview, self.clock.extend(*days, reason))
            }
            (TaskState::InReview, TaskAction::Approve) => {
                (TaskState::Approved, self.clock.stop(today))
            }
            (TaskState::InReview, TaskAction::Refuse { reason }) => {
                let reason = required_text(reason, Refusal::ReasonRequired)?;
                (TaskState::Refused { reason }, self.clock.stop(today))
            }
            (TaskState::ToDo, TaskAction::MarkDone) => (TaskState::Done, self.clock.stop(today)),
            _ => {
                return Err(Refusal::NotAllowedInState {
                    state: Status::Task(self.status()),
                    action: ActionKind::Task(action.kind()),
                })
            }
        };
        Ok((state, clock, effect))
    }

    /// The working day the clock starts: the later of the case's acceptance and the last input's result (not
    /// the day the system gets round to it), so a late start never eats into the department's time.
    fn start_day(&self, ctx: &TaskContext<'_>) -> Result<Date, Refusal> {
        let accepted = ctx.case.accepted_since().ok_or(Refusal::CaseNotAccepted {
            state: ctx.case.status(),
        })?;
        let waiting_for = self.inputs_missing(ctx.tasks);
        if !waiting_for.is_empty() {
            return Err(Refusal::InputsNotReady { waiting_for });
        }
        let inputs_done = self
            .inputs(ctx.tasks)
            .filter_map(|t| t.and_then(|t| t.clock.stopped_on))
            .max();
        let day = inputs_done.map_or(accepted, |d| d.max(accepted));
        Ok(ctx.calendar.add_working_days(day.min(ctx.today), 0))
    }

    /// The tasks it waits for, `None` for an id not among `tasks`.
    fn inputs<'t>(&'t self, tasks: &'t [Task]) -> impl Iterator<Item = Option<&'t Task>> + 't {
        self.after
            .iter()
            .map(move |id| tasks.iter().find(|t| &t.id == id))
    }

    /// The ids it waits for whose results do not exist yet.
    fn inputs_missing(&self, tasks: &[Task]) -> Vec<String> {
        self.after
            .iter()
            .zip(self.inputs(tasks))
            .filter(|(_, t)| !t.is_some_and(Task::has_result))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The first input that ended without a result.
    fn refused_input(&self, tasks: &[Task]) -> Result<String, Refusal> {
        self.after
            .iter()
            .zip(self.inputs(tasks))
            .find(|(_, t)| t.is_some_and(Task::failed))
            .map(|(id, _)| id.clone())
            .ok_or(Refusal::InputsNotRefused)
    }

    /// Checks an extension against the statutory limit; the trimmed reason.
    fn extension(&self, days: u32, reason: &str) -> Result<String, Refusal> {
        if self.clock.extension.is_some() {
            return Err(Refusal::AlreadyExtended);
        }
        let max = self
            .statutory
            .extension_days
            .ok_or(Refusal::ExtensionNotProvided)?;
        if days == 0 || days > max {
            return Err(Refusal::ExtensionOutOfRange { days, max });
        }
        required_text(reason, Refusal::ReasonRequired)
    }
}

/// The waiting tasks that can start now that `approved_task` has its result: it is among what they wait for,
/// and everything else they wait for has a result too.
pub fn unlocked(tasks: &[Task], approved_task: &str) -> Vec<String> {
    tasks
        .iter()
        .filter(|t| t.after.iter().any(|a| a == approved_task))
        .filter(|t| t.state == TaskState::Waiting && t.inputs_missing(tasks).is_empty())
        .map(|t| t.id.clone())
        .collect()
}

/// The waiting tasks whose inputs all exist (all tasks with no inputs, right after acceptance).
pub fn ready(tasks: &[Task]) -> Vec<String> {
    tasks
        .iter()
        .filter(|t| t.state == TaskState::Waiting && t.inputs_missing(tasks).is_empty())
        .map(|t| t.id.clone())
        .collect()
}

/// The waiting tasks that can never start, each with the input that ended without a result: the system
/// [`TaskAction::Skip`]s them (repeat until empty: ending one may strand the next).
pub fn stranded(tasks: &[Task]) -> Vec<(String, String)> {
    tasks
        .iter()
        .filter(|t| t.state == TaskState::Waiting)
        .filter_map(|t| Some((t.id.clone(), t.refused_input(tasks).ok()?)))
        .collect()
}

/// The tasks that have not ended, which block the hand-over.
pub fn open_tasks(tasks: &[Task]) -> Vec<String> {
    tasks
        .iter()
        .filter(|t| !t.has_ended())
        .map(|t| t.id.clone())
        .collect()
}

impl TaskState {
    pub fn status(&self) -> TaskStatus {
        match self {
            TaskState::Waiting => TaskStatus::Waiting,
            TaskState::InReview => TaskStatus::InReview,
            TaskState::AwaitingApplicant { .. } => TaskStatus::AwaitingApplicant,
            TaskState::Approved => TaskStatus::Approved,
            TaskState::Refused { .. } => TaskStatus::Refused,
            TaskState::ToDo => TaskStatus::ToDo,
            TaskState::Done => TaskStatus::Done,
            TaskState::NotNeeded { .. } => TaskStatus::NotNeeded,
        }
    }
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 8] = [
        TaskStatus::Waiting,
        TaskStatus::InReview,
        TaskStatus::AwaitingApplicant,
        TaskStatus::Approved,
        TaskStatus::Refused,
        TaskStatus::ToDo,
        TaskStatus::Done,
        TaskStatus::NotNeeded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Waiting => "waiting",
            TaskStatus::InReview => "in_review",
            TaskStatus::AwaitingApplicant => "awaiting_applicant",
            TaskStatus::Approved => "approved",
            TaskStatus::Refused => "refused",
            TaskStatus::ToDo => "to_do",
            TaskStatus::Done => "done",
            TaskStatus::NotNeeded => "not_needed",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            TaskStatus::Waiting => ("等待前置事项", "waiting for other results"),
            TaskStatus::InReview => ("审查中", "in review"),
            TaskStatus::AwaitingApplicant => {
                ("待申请人补正", "waiting for the applicant's corrections")
            }
            TaskStatus::Approved => ("准予许可", "approved"),
            TaskStatus::Refused => ("不予许可", "refused"),
            TaskStatus::ToDo => ("待申请人办理", "for the applicant to do"),
            TaskStatus::Done => ("申请人已办理", "done by the applicant"),
            TaskStatus::NotNeeded => ("终止办理", "ended: a result it needs was refused"),
        };
        pick(lang, zh, en)
    }
}

impl TaskAction {
    pub fn kind(&self) -> TaskActionKind {
        match self {
            TaskAction::Start => TaskActionKind::Start,
            TaskAction::RequestCorrection { .. } => TaskActionKind::RequestCorrection,
            TaskAction::SupplyCorrection => TaskActionKind::SupplyCorrection,
            TaskAction::Extend { .. } => TaskActionKind::Extend,
            TaskAction::Approve => TaskActionKind::Approve,
            TaskAction::Refuse { .. } => TaskActionKind::Refuse,
            TaskAction::MarkDone => TaskActionKind::MarkDone,
            TaskAction::Skip => TaskActionKind::Skip,
        }
    }
}

impl TaskActionKind {
    pub const ALL: [TaskActionKind; 8] = [
        TaskActionKind::Start,
        TaskActionKind::RequestCorrection,
        TaskActionKind::SupplyCorrection,
        TaskActionKind::Extend,
        TaskActionKind::Approve,
        TaskActionKind::Refuse,
        TaskActionKind::MarkDone,
        TaskActionKind::Skip,
    ];

    /// Who may take the action, in every state.
    pub fn who(self) -> Who {
        match self {
            TaskActionKind::Start | TaskActionKind::Skip => Who::System,
            TaskActionKind::RequestCorrection
            | TaskActionKind::Extend
            | TaskActionKind::Approve
            | TaskActionKind::Refuse => Who::DepartmentOfficer,
            TaskActionKind::SupplyCorrection | TaskActionKind::MarkDone => Who::Owner,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TaskActionKind::Start => "start",
            TaskActionKind::RequestCorrection => "request_correction",
            TaskActionKind::SupplyCorrection => "supply_correction",
            TaskActionKind::Extend => "extend",
            TaskActionKind::Approve => "approve",
            TaskActionKind::Refuse => "refuse",
            TaskActionKind::MarkDone => "mark_done",
            TaskActionKind::Skip => "skip",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            TaskActionKind::Start => ("开始办理", "start the task"),
            TaskActionKind::RequestCorrection => ("要求补正", "request corrections"),
            TaskActionKind::SupplyCorrection => ("提交补正材料", "hand in the corrections"),
            TaskActionKind::Extend => ("延长办理期限", "extend the time limit"),
            TaskActionKind::Approve => ("准予许可", "approve"),
            TaskActionKind::Refuse => ("不予许可", "refuse"),
            TaskActionKind::MarkDone => ("标记为已办理", "mark it done"),
            TaskActionKind::Skip => ("终止办理", "end it without a decision"),
        };
        pick(lang, zh, en)
    }
}

//! `server generate-cases`: fills a database with realistic cases at scale for the benchmark (issue #9) and the
//! smoke test. Cases follow the loaded catalog's themes (their roadmap's steps, items and departments), spread
//! over the working days of the catalog's calendar up to today, in every state a real hall holds: waiting for the
//! window, accepted with tasks waiting, in review (some overdue, some due soon, some extended), waiting for the
//! applicant, decided, closed. Owners are generated citizen accounts (they cannot sign in: no password).
//!
//! Rows are written in batches of multi-row INSERTs inside one transaction per batch, with ids assigned here (so
//! tasks and history name their case without a round trip). The tallies supervision reads (migration 0015) are
//! kept by the triggers, like for any other writer. Deterministic for a given seed and today.

use std::collections::HashMap;
use std::time::Instant;

use time::Date;

use super::db::{Backend, Db, DbError};
use crate::api::wizard::ANSWER_PREFIX;
use crate::api::work::QueueFilter;
use crate::domain::case_flow::{
    acceptance_deadline, CaseState, CorrectionItem, CorrectionTarget, Extension, Task, TaskKind,
    TaskState,
};
use crate::domain::performance::TaskFigures;
use crate::domain::roadmap::plan;
use crate::domain::theme::{QuestionKind, Theme, YES_NO};
use crate::domain::Catalog;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub cases: u64,
    pub seed: u64,
    /// The last day cases are submitted on (the clock's today).
    pub today: Date,
    /// Submit them over only the last this many working days (a hall in its first weeks: few cases, most of them
    /// open, so the staff lists fill); `None`: every working day the calendar covers.
    pub days: Option<usize>,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub cases: u64,
    pub tasks: u64,
    pub events: u64,
    pub accounts: u64,
    pub seconds: f64,
    /// A generated case that is in progress, for lookups: (number, lookup code).
    pub sample: Option<(String, String)>,
}

/// SplitMix64: small, fast, deterministic; good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const READABLE: &[u8] = b"34679ACDEFGHJKMNPQRTUVWXY";
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
];

/// One theme ready to be used, under one set of scenario answers: its id, the answers (as the case stores them) and
/// the tasks a submission creates (as `cases::insert` builds them).
struct Template {
    theme: String,
    answers: String,
    tasks: Vec<Task>,
}

/// Answer sets drawn per theme; the distinct roadmaps among them become templates.
const ANSWER_DRAWS: usize = 24;

/// A random answer to every question of the theme, valid for its kind (a number within its bounds, at most 500
/// above its minimum; a date is today).
fn random_answers(theme: &Theme, rng: &mut Rng, today: Date) -> Vec<(String, String)> {
    theme
        .questions
        .iter()
        .filter_map(|q| {
            let value = match q.kind {
                QuestionKind::Choice | QuestionKind::Select => q
                    .options
                    .get(rng.below(q.options.len() as u64) as usize)?
                    .value
                    .clone(),
                QuestionKind::YesNo => YES_NO[rng.below(2) as usize].to_owned(),
                QuestionKind::Number => {
                    let low = q.min.unwrap_or(0.0).ceil();
                    let high = q.max.unwrap_or(low + 500.0).min(low + 500.0).floor();
                    let span = (high - low).max(0.0) as u64;
                    format!("{}", low as i64 + rng.below(span + 1) as i64)
                }
                QuestionKind::Date => today.to_string(),
            };
            Some((format!("{ANSWER_PREFIX}{}", q.id), value))
        })
        .collect()
}

/// The templates of every theme that can be started: the distinct roadmaps of complete, eligible answer sets
/// drawn at random (an ineligible draw, one that reaches an exit page, is dropped, as the wizard would).
fn templates(catalog: &Catalog, rng: &mut Rng, today: Date) -> Vec<Template> {
    let mut out = Vec::new();
    // A historical overview cannot be started, so it has no cases.
    for theme in catalog.themes().iter().filter(|theme| !theme.historical) {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..ANSWER_DRAWS {
            let params = random_answers(theme, rng, today);
            let (answers, raw) = super::wizard::answers_of(theme, &params);
            let Ok(roadmap) = plan(theme, catalog, &answers) else {
                continue;
            };
            if roadmap.exit.is_some() || roadmap.next_question.is_some() {
                continue;
            }
            let tasks: Vec<Task> = roadmap
                .steps
                .iter()
                .map(|step| {
                    let kind = catalog
                        .item(&step.item)
                        .map_or(crate::domain::item::ItemKind::Other, |i| i.kind);
                    Task::new(step, kind)
                })
                .collect();
            let key: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
            if !tasks.is_empty() && seen.insert(key) {
                out.push(Template {
                    theme: theme.id.to_string(),
                    answers: super::wizard::answers_query(&raw),
                    tasks,
                });
            }
        }
    }
    out
}

/// The tasks a generated case has on average, as the scale asks (5,000,000 tasks for 1,000,000 cases).
pub const TASKS_PER_CASE: f64 = 5.0;

/// How template roadmaps are drawn for generated cases so that they average [`TASKS_PER_CASE`] tasks: each case
/// draws either uniformly or from a biased draw — in proportion to the number of tasks when the uniform mean is
/// below the target (favouring the long bundles such as opening a restaurant), in inverse proportion when it is
/// above — and the share of biased draws is chosen so that the expected number of tasks is the target. A catalog
/// that cannot reach the target gets the nearest mix.
struct Mix {
    /// Cumulative weights of the biased draw.
    cumulative: Vec<f64>,
    /// Of 1,000,000 draws, how many are biased.
    biased_per_million: u64,
    /// The expected number of tasks of one draw.
    expected: f64,
}

impl Mix {
    fn new(sizes: &[usize]) -> Mix {
        let sizes: Vec<f64> = sizes.iter().map(|&s| s.max(1) as f64).collect();
        let n = sizes.len().max(1) as f64;
        let uniform = sizes.iter().sum::<f64>() / n;
        let up = TASKS_PER_CASE >= uniform;
        let weights: Vec<f64> = sizes
            .iter()
            .map(|&s| if up { s } else { 1.0 / s })
            .collect();
        let total: f64 = weights.iter().sum();
        let biased = if total > 0.0 {
            sizes.iter().zip(&weights).map(|(s, w)| s * w).sum::<f64>() / total
        } else {
            uniform
        };
        let share = if (biased - uniform).abs() > f64::EPSILON {
            ((TASKS_PER_CASE - uniform) / (biased - uniform)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mut sum = 0.0;
        Mix {
            cumulative: weights
                .iter()
                .map(|w| {
                    sum += w;
                    sum
                })
                .collect(),
            biased_per_million: (share * 1_000_000.0).round() as u64,
            expected: (1.0 - share) * uniform + share * biased,
        }
    }

    /// The index of the template for the next case.
    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        if total > 0.0 && rng.below(1_000_000) < self.biased_per_million {
            let at = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
            self.cumulative
                .partition_point(|&c| c <= at)
                .min(self.cumulative.len() - 1)
        } else {
            rng.below(self.cumulative.len() as u64) as usize
        }
    }
}

/// A history row: (task index, or `None` for the case; at; action; from; to).
type EventRow = (
    Option<usize>,
    String,
    &'static str,
    Option<&'static str>,
    &'static str,
);

/// One generated case with its tasks and history, as rows.
struct CaseRows {
    number: String,
    code: String,
    theme: String,
    answers: String,
    account: i64,
    fields: String,
    state: CaseState,
    at: String,
    updated: String,
    tasks: Vec<(Task, TaskFigures, Option<String>, Option<String>)>,
    events: Vec<EventRow>,
}

fn stamp(day: Date, second: u64) -> String {
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        1 + second % 9,
        (second / 9) % 60,
        (second / 540) % 60
    )
}

/// Simulates one case submitted on `day` up to `today`: the window accepts after a day or two (a few wait, a few
/// are sent back for corrections), each task starts when its inputs ended and takes a spread of working days
/// around its committed limit (so some run late), a few are extended, paused for the applicant or refused; a case
/// whose tasks all ended is handed over and closed.
fn simulate(
    rng: &mut Rng,
    catalog: &Catalog,
    template: &Template,
    day: Date,
    today: Date,
    id: i64,
    account: i64,
) -> CaseRows {
    let calendar = catalog.calendar();
    let number = format!(
        "{:04}{:02}{:02}-{id:06}",
        day.year(),
        u8::from(day.month()),
        day.day()
    );
    let code: String = (0..8)
        .map(|_| READABLE[rng.below(READABLE.len() as u64) as usize] as char)
        .collect();
    let name = format!(
        "{}{}{}",
        SURNAMES[rng.below(SURNAMES.len() as u64) as usize],
        GIVEN[rng.below(GIVEN.len() as u64) as usize],
        GIVEN[rng.below(GIVEN.len() as u64) as usize]
    );
    let fields = format!(
        "{{\"applicant.name\":\"{name}\",\"applicant.mobile\":\"13{:09}\"}}",
        rng.below(1_000_000_000)
    );
    let at = stamp(day, rng.next());
    let mut events = vec![(None, at.clone(), "submit", None, "submitted")];
    let mut tasks: Vec<Task> = template.tasks.clone();
    let mut ends: Vec<Option<Date>> = vec![None; tasks.len()];
    let mut updated = day;
    let accept_on = calendar.add_working_days(day, 1 + rng.below(2) as u32);
    let state;
    if accept_on > today || rng.chance(1) {
        // Still with the window: waiting (or, a few, sent back for corrections).
        if rng.chance(20) && day < today {
            state = CaseState::CorrectionRequested {
                on: today.min(accept_on),
                items: vec![CorrectionItem {
                    target: CorrectionTarget::Material("id-card".into()),
                    problem: "复印件不清晰".into(),
                }],
            };
            events.push((
                None,
                stamp(today.min(accept_on), 1),
                "request_correction",
                Some("submitted"),
                "correction_requested",
            ));
        } else if acceptance_deadline(day, calendar) < today {
            // Never left waiting past the deadline: it would have been deemed accepted.
            state = CaseState::Accepted {
                since: accept_on.min(today),
                deemed: true,
            };
        } else {
            state = CaseState::Submitted { on: day };
        }
    } else {
        state = CaseState::Accepted {
            since: accept_on,
            deemed: false,
        };
    }
    let mut final_state = state.clone();
    if let CaseState::Accepted { since, .. } = state {
        events.push((
            None,
            stamp(since, 2),
            "accept",
            Some("submitted"),
            "accepted",
        ));
        updated = since;
        let mut refused_any: Option<String> = None;
        for i in 0..tasks.len() {
            // Starts when every task it waits for has ended with a result.
            let mut start = Some(since);
            for after in tasks[i].after.clone() {
                let j = tasks.iter().position(|t| t.id == after);
                start = match (start, j.and_then(|j| ends[j])) {
                    (Some(s), Some(e)) => Some(s.max(e)),
                    (_, None) if j.is_some() => None,
                    (s, _) => s,
                };
            }
            if let Some(r) = &refused_any {
                if tasks[i].after.iter().any(|a| a == r) || start.is_none() {
                    tasks[i].state = TaskState::NotNeeded { refused: r.clone() };
                    tasks[i].clock.stopped_on = Some(since);
                    ends[i] = None;
                    continue;
                }
            }
            let Some(start) = start.filter(|s| *s <= today) else {
                continue; // still waiting
            };
            tasks[i].clock.started_on = Some(start);
            events.push((
                Some(i),
                stamp(start, 3),
                "start",
                Some("waiting"),
                if tasks[i].kind == TaskKind::Department {
                    "in_review"
                } else {
                    "to_do"
                },
            ));
            if tasks[i].kind == TaskKind::ApplicantTodo {
                let done = calendar.add_working_days(start, 1 + rng.below(3) as u32);
                if done <= today {
                    tasks[i].state = TaskState::Done;
                    tasks[i].clock.stopped_on = Some(done);
                    ends[i] = Some(done);
                    events.push((Some(i), stamp(done, 4), "mark_done", Some("to_do"), "done"));
                    updated = updated.max(done);
                } else {
                    tasks[i].state = TaskState::ToDo;
                }
                continue;
            }
            let limit = tasks[i].committed_due(calendar).map_or(10, |due| {
                calendar.working_days_between(start, due).max(1) as u64
            });
            // Most within the limit, some late (the overdue ones while open).
            let mut took = 1 + rng.below(limit + 1);
            if rng.chance(8) {
                took += 1 + rng.below(limit);
            }
            if rng.chance(3) {
                let days = 5 + rng.below(10) as u32;
                tasks[i].clock.extension = Some(Extension {
                    days,
                    reason: "需现场核查".into(),
                });
                took += u64::from(days) / 2;
            }
            let paused = if rng.chance(10) {
                1 + rng.below(4) as u32
            } else {
                0
            };
            let end = calendar.add_working_days(start, took as u32 + paused);
            if end <= today {
                tasks[i].clock.paused_days = paused;
                tasks[i].clock.stopped_on = Some(end);
                if rng.chance(3) {
                    tasks[i].state = TaskState::Refused {
                        reason: "不符合法定条件".into(),
                    };
                    refused_any = Some(tasks[i].id.clone());
                    events.push((
                        Some(i),
                        stamp(end, 5),
                        "refuse",
                        Some("in_review"),
                        "refused",
                    ));
                } else {
                    tasks[i].state = TaskState::Approved;
                    ends[i] = Some(end);
                    events.push((
                        Some(i),
                        stamp(end, 5),
                        "approve",
                        Some("in_review"),
                        "approved",
                    ));
                }
                updated = updated.max(end);
            } else if paused > 0 && rng.chance(50) {
                tasks[i].state = TaskState::AwaitingApplicant {
                    items: vec![CorrectionItem {
                        target: CorrectionTarget::Material("site-plan".into()),
                        problem: "平面图缺少尺寸".into(),
                    }],
                };
                tasks[i].clock.paused_since = Some(today.min(calendar.add_working_days(start, 1)));
                events.push((
                    Some(i),
                    stamp(start, 6),
                    "request_correction",
                    Some("in_review"),
                    "awaiting_applicant",
                ));
            } else {
                tasks[i].clock.paused_days = if end <= today { paused } else { 0 };
                tasks[i].state = TaskState::InReview;
            }
        }
        if tasks.iter().all(Task::has_ended) {
            let closed = calendar.add_working_days(updated, 1);
            if closed <= today {
                final_state = CaseState::Closed { on: closed };
                events.push((
                    None,
                    stamp(closed, 7),
                    "hand_over",
                    Some("accepted"),
                    "closed",
                ));
                updated = closed;
            }
        }
    }
    let tasks = tasks
        .into_iter()
        .map(|t| {
            let figures = TaskFigures::of(&t, calendar);
            let committed = t.committed_due(calendar).map(|d| d.to_string());
            let statutory = t.statutory_due(calendar).map(|d| d.to_string());
            (t, figures, committed, statutory)
        })
        .collect();
    CaseRows {
        number,
        code,
        theme: template.theme.clone(),
        answers: template.answers.clone(),
        account,
        fields,
        state: final_state,
        at,
        updated: stamp(updated, 8),
        tasks,
        events,
    }
}

/// A growing multi-row INSERT: `VALUES ($1, …), (…)` with its values.
struct Insert {
    head: &'static str,
    columns: usize,
    sql: String,
    values: Vec<Value>,
}

enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Insert {
    fn new(head: &'static str, columns: usize) -> Insert {
        Insert {
            head,
            columns,
            sql: String::new(),
            values: Vec::new(),
        }
    }
    fn row(&mut self, values: Vec<Value>) {
        debug_assert_eq!(values.len(), self.columns);
        self.sql.push_str(if self.values.is_empty() {
            " VALUES ("
        } else {
            ", ("
        });
        for k in 0..self.columns {
            if k > 0 {
                self.sql.push_str(", ");
            }
            self.sql
                .push_str(&format!("${}", self.values.len() + k + 1));
        }
        self.sql.push(')');
        self.values.extend(values);
    }
    fn rows(&self) -> usize {
        self.values.len() / self.columns
    }
    async fn flush(&mut self, conn: &mut sqlx::AnyConnection) -> Result<(), DbError> {
        if self.values.is_empty() {
            return Ok(());
        }
        let sql = format!("{}{}", self.head, self.sql);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in self.values.drain(..) {
            q = match v {
                Value::Int(i) => q.bind(i),
                Value::Text(t) => q.bind(t),
            };
        }
        q.execute(&mut *conn).await?;
        self.sql.clear();
        Ok(())
    }
}

fn int(v: i64) -> Value {
    Value::Int(Some(v))
}
fn text(v: impl Into<String>) -> Value {
    Value::Text(Some(v.into()))
}
fn opt(v: Option<String>) -> Value {
    Value::Text(v)
}

/// Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits.
const ROWS_PER_INSERT: usize = 400;
/// Cases per transaction.
const CASES_PER_COMMIT: u64 = 5_000;

/// Generates `plan.cases` cases (with their tasks and history) and one citizen account per 20 cases, printing
/// progress through `progress`.
pub async fn generate(
    db: &Db,
    catalog: &Catalog,
    plan: Plan,
    mut progress: impl FnMut(&str),
) -> Result<Generated, DbError> {
    let started = Instant::now();
    // Its own stream, so the cases' draws stay the same whatever the catalog's questions.
    let templates = templates(catalog, &mut Rng(plan.seed ^ 0xA115), plan.today);
    if templates.is_empty() {
        return Err(DbError::Migrate(
            "the catalog has no theme with steps to generate cases from".into(),
        ));
    }
    let sizes: Vec<usize> = templates.iter().map(|t| t.tasks.len()).collect();
    let mix = Mix::new(&sizes);
    progress(&format!(
        "{} theme roadmaps with {:?} tasks; {:.2} tasks per case expected",
        templates.len(),
        sizes,
        mix.expected
    ));
    let calendar = catalog.calendar();
    // Submission days: every working day the calendar covers, up to today.
    let first = calendar
        .years()
        .iter()
        .map(|y| y.year)
        .min()
        .and_then(|y| Date::from_calendar_date(y, time::Month::January, 1).ok())
        .unwrap_or(plan.today);
    let mut days = Vec::new();
    let mut d = first;
    while d <= plan.today {
        if calendar.is_working_day(d) {
            days.push(d);
        }
        match d.next_day() {
            Some(next) => d = next,
            None => break,
        }
    }
    if let Some(n) = plan.days {
        days.drain(..days.len().saturating_sub(n.max(1)));
    }
    if days.is_empty() {
        days.push(plan.today);
    }
    let mut conn = db.pool.acquire().await?;
    if db.backend == Backend::Sqlite {
        // A bulk load: a lost tail after a crash is regenerated, so no fsync per commit.
        sqlx::query("PRAGMA synchronous = OFF")
            .execute(&mut *conn)
            .await?;
    }
    let max =
        |table: &'static str| format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}");
    let mut case_id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(max("hall_case")))
        .fetch_one(&mut *conn)
        .await?;
    let mut task_id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(max("case_task")))
        .fetch_one(&mut *conn)
        .await?;
    let mut event_id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(max("case_event")))
        .fetch_one(&mut *conn)
        .await?;
    let account_max: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(max("account")))
        .fetch_one(&mut *conn)
        .await?;
    let account_first = account_max + 1;
    let overriding = if db.backend == Backend::Postgres {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    let mut rng = Rng(plan.seed ^ 0x5EED);
    let mut out = Generated::default();

    // Citizens: one per 20 cases (a few file many, most one or two).
    let accounts = (plan.cases / 20).max(1) as i64;
    let created = stamp(days[0], 0);
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let mut ins = Insert::new(
        if overriding.is_empty() {
            "INSERT INTO account (id, login, display_name, role, password_hash, created_at)"
        } else {
            "INSERT INTO account (id, login, display_name, role, password_hash, created_at) OVERRIDING SYSTEM VALUE"
        },
        6,
    );
    for k in 0..accounts {
        let id = account_first + k;
        let name = format!(
            "{}{}",
            SURNAMES[rng.below(SURNAMES.len() as u64) as usize],
            GIVEN[rng.below(GIVEN.len() as u64) as usize]
        );
        // "!": no password hash matches it, so nobody signs in as a generated citizen.
        ins.row(vec![
            int(id),
            text(format!("gen-{}-{id}", plan.seed)),
            text(name),
            text("citizen"),
            text("!"),
            text(created.clone()),
        ]);
        if ins.rows() >= ROWS_PER_INSERT {
            ins.flush(&mut tx).await?;
        }
    }
    ins.flush(&mut tx).await?;
    tx.commit().await?;
    out.accounts = accounts as u64;

    let (case_head, task_head, event_head) = if overriding.is_empty() {
        (
            "INSERT INTO hall_case (id, number, lookup_code, draft_id, theme_id, account_id, answers, fields, state, status, submitted_at, updated_at, window_due)",
            "INSERT INTO case_task (id, case_id, step_id, position, item_id, department_id, kind, task, status, planned_due, committed_due, statutory_due, updated_at, theme_id, due_on, ended_on, handled_days, committed_days, extended, paused_days)",
            "INSERT INTO case_event (id, case_id, task_id, at, actor_account, actor_role, action, from_status, to_status, entry)",
        )
    } else {
        (
            "INSERT INTO hall_case (id, number, lookup_code, draft_id, theme_id, account_id, answers, fields, state, status, submitted_at, updated_at, window_due) OVERRIDING SYSTEM VALUE",
            "INSERT INTO case_task (id, case_id, step_id, position, item_id, department_id, kind, task, status, planned_due, committed_due, statutory_due, updated_at, theme_id, due_on, ended_on, handled_days, committed_days, extended, paused_days) OVERRIDING SYSTEM VALUE",
            "INSERT INTO case_event (id, case_id, task_id, at, actor_account, actor_role, action, from_status, to_status, entry) OVERRIDING SYSTEM VALUE",
        )
    };
    let mut cases = Insert::new(case_head, 13);
    let mut tasks = Insert::new(task_head, 20);
    let mut events = Insert::new(event_head, 10);
    let mut last_report = Instant::now();
    let mut i = 0u64;
    while i < plan.cases {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let end = (i + CASES_PER_COMMIT).min(plan.cases);
        while i < end {
            // Chronological: the case id grows with the submission day, as it does in service.
            let day = days[((i as u128 * days.len() as u128) / plan.cases as u128) as usize];
            let template = &templates[mix.pick(&mut rng)];
            case_id += 1;
            let account = account_first + rng.below(accounts as u64) as i64;
            let c = simulate(
                &mut rng, catalog, template, day, plan.today, case_id, account,
            );
            if out.sample.is_none()
                && matches!(c.state, CaseState::Accepted { .. })
                && i >= plan.cases / 2
            {
                out.sample = Some((c.number.clone(), c.code.clone()));
            }
            cases.row(vec![
                int(case_id),
                text(c.number.clone()),
                text(c.code.clone()),
                text(format!("gen-{}-{case_id}", plan.seed)),
                text(c.theme.clone()),
                int(c.account),
                text(c.answers.clone()),
                text(c.fields.clone()),
                text(serde_json::to_string(&c.state).unwrap_or_default()),
                text(c.state.status().code()),
                text(c.at.clone()),
                text(c.updated.clone()),
                opt(c
                    .state
                    .window_due(catalog.calendar())
                    .map(|d| d.to_string())),
            ]);
            let first_task = task_id + 1;
            for (position, (t, f, committed, statutory)) in c.tasks.iter().enumerate() {
                task_id += 1;
                tasks.row(vec![
                    int(task_id),
                    int(case_id),
                    text(t.id.clone()),
                    int(position as i64 + 1),
                    text(t.item.clone()),
                    text(t.department.clone()),
                    text(t.kind.code()),
                    text(serde_json::to_string(t).unwrap_or_default()),
                    text(t.status().code()),
                    Value::Text(None),
                    opt(committed.clone()),
                    opt(statutory.clone()),
                    text(c.updated.clone()),
                    text(c.theme.clone()),
                    opt(f.due_on.map(|d| d.to_string())),
                    opt(f.ended_on.map(|d| d.to_string())),
                    Value::Int(f.handled_days.map(i64::from)),
                    Value::Int(f.committed_days.map(i64::from)),
                    int(i64::from(f.extended)),
                    int(i64::from(t.clock.paused_days)),
                ]);
                if tasks.rows() >= ROWS_PER_INSERT {
                    cases.flush(&mut tx).await?;
                    tasks.flush(&mut tx).await?;
                }
            }
            out.tasks += c.tasks.len() as u64;
            for (task, at, action, from, to) in &c.events {
                event_id += 1;
                let (actor, role) = match action {
                    &"submit" => (Some(c.account), "citizen"),
                    &"accept" | &"request_correction" if task.is_none() => (None, "window"),
                    &"start" | &"hand_over" => (None, "system"),
                    _ => (None, "officer"),
                };
                events.row(vec![
                    int(event_id),
                    int(case_id),
                    Value::Int(task.map(|k| first_task + k as i64)),
                    text(at.clone()),
                    Value::Int(actor),
                    text(role),
                    text(*action),
                    opt(from.map(str::to_owned)),
                    text(*to),
                    text("{}"),
                ]);
                if events.rows() >= ROWS_PER_INSERT {
                    cases.flush(&mut tx).await?;
                    tasks.flush(&mut tx).await?;
                    events.flush(&mut tx).await?;
                }
            }
            out.events += c.events.len() as u64;
            if cases.rows() >= ROWS_PER_INSERT {
                cases.flush(&mut tx).await?;
            }
            i += 1;
        }
        cases.flush(&mut tx).await?;
        tasks.flush(&mut tx).await?;
        events.flush(&mut tx).await?;
        tx.commit().await?;
        out.cases = i;
        if last_report.elapsed().as_secs() >= 5 || i == plan.cases {
            last_report = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            progress(&format!(
                "{i} cases, {} tasks, {} history rows ({:.0} s, {:.0} cases/s)",
                out.tasks,
                out.events,
                secs,
                i as f64 / secs.max(0.001)
            ));
        }
    }
    if db.backend == Backend::Postgres {
        // Ids were given here: move the identity sequences past them.
        for table in ["account", "hall_case", "case_task", "case_event"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )))
            .execute(&mut *conn)
            .await?;
        }
        // The tallies (migration 0015) took an update from every generated statement, far faster than autovacuum
        // clears the old row versions, and it never gives the space back: after a million cases `task_tally`'s
        // few hundred rows filled 2,000 pages, and every supervision figure read them all (3 ms, for nothing a
        // real hall's load produces: at its pace autovacuum keeps up and the space is reused). So the bulk load
        // ends the way an operator ends one: by compacting what it bloated, then the pass autovacuum would make
        // over the new rows (visibility map, statistics) and a checkpoint, so neither runs during the measurement
        // that follows.
        progress("VACUUM FULL of the tallies, VACUUM ANALYZE, CHECKPOINT");
        sqlx::query("VACUUM FULL task_tally, case_tally")
            .execute(&mut *conn)
            .await?;
        sqlx::query("VACUUM ANALYZE").execute(&mut *conn).await?;
        sqlx::query("CHECKPOINT").execute(&mut *conn).await?;
    } else {
        progress("ANALYZE");
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        sqlx::query("PRAGMA synchronous = FULL")
            .execute(&mut *conn)
            .await?;
    }
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}

/// Counts as the app's tallies and tables see them: (cases, tasks, tallied cases, tallied tasks, per-status tasks).
pub async fn counts(db: &Db) -> Result<(i64, i64, i64, i64, HashMap<String, i64>), DbError> {
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hall_case")
        .fetch_one(&db.pool)
        .await?;
    let tasks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_task")
        .fetch_one(&db.pool)
        .await?;
    let tallied_cases: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_tally")
            .fetch_one(&db.pool)
            .await?;
    let tallied_tasks: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM task_tally")
            .fetch_one(&db.pool)
            .await?;
    let by_status: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM case_task GROUP BY status")
            .fetch_all(&db.pool)
            .await?;
    Ok((
        cases,
        tasks,
        tallied_cases,
        tallied_tasks,
        by_status.into_iter().collect(),
    ))
}

/// The queries the scale benchmark times, as the app runs them (parameters filled with typical values), for
/// `server explain-scale`: (what, SQL). Kept beside the generator so the plans printed are of the real shapes:
/// `workbench::queued_tasks`, `performance::figures`/`clock_list`, `workbench::supervision`, `cases::by_number`,
/// `search_index`.
pub fn benchmarked_queries(
    department: &str,
    today: Date,
    soon: Date,
    sqlite: bool,
) -> Vec<(&'static str, String)> {
    let literal = |v: String| format!("'{v}'");
    let queue = |department: Option<&str>, filter| {
        crate::server::workbench::queue_sql(department, filter, today, soon, sqlite, literal)
    };
    let mut queries = vec![
        ("queue, all (one department)", queue(Some(department), QueueFilter::All).0),
        ("queue, all departments (supervision)", queue(None, QueueFilter::All).0),
        ("queue, new", queue(Some(department), QueueFilter::New).0),
        ("queue, due soon", queue(Some(department), QueueFilter::DueSoon).0),
        ("queue, overdue", queue(Some(department), QueueFilter::Overdue).0),
        ("queue, waiting", queue(Some(department), QueueFilter::Waiting).0),
        ("queue total (tally)", queue(Some(department), QueueFilter::All).1),
        ("supervision: cases by status (tally)", "SELECT status, n FROM case_tally WHERE n <> 0 ORDER BY status".into()),
        (
            "supervision: tasks by status (tally)",
            "SELECT status, CAST(SUM(n) AS BIGINT) FROM task_tally GROUP BY status HAVING SUM(n) <> 0 ORDER BY status".into(),
        ),
        (
            "supervision: open figures by department (tally)",
            format!(
                "SELECT t.department_id, CAST(SUM(CASE WHEN t.status = 'in_review' AND t.due_on <> '' AND t.due_on < '{today}' \
                 THEN t.n ELSE 0 END) AS BIGINT) FROM task_tally t WHERE t.status IN ('in_review', 'awaiting_applicant') \
                 AND t.n <> 0 GROUP BY t.department_id"
            ),
        ),
        (
            "supervision: decided figures by theme (tally)",
            "SELECT t.theme_id, CAST(SUM(t.n) AS BIGINT), CAST(SUM(t.handled_sum) AS BIGINT) FROM task_tally t \
             WHERE t.status IN ('approved', 'refused') AND t.n <> 0 GROUP BY t.theme_id"
                .into(),
        ),
        (
            "supervision: overdue list",
            format!(
                "SELECT c.number, c.theme_id, c.state, t.task FROM case_task t JOIN hall_case c ON c.id = t.case_id \
                 WHERE t.status = 'in_review' AND t.due_on < '{today}' ORDER BY t.due_on, t.id LIMIT 100"
            ),
        ),
        (
            "supervision: cases due to be deemed accepted",
            crate::server::case_actions::MAYBE_DUE_TO_DEEM.replace("$1", &literal(today.to_string())),
        ),
    ];
    for (filter, list, total) in [
        (
            QueueFilter::All,
            "window queue, all",
            "window queue total, all",
        ),
        (
            QueueFilter::New,
            "window queue, new",
            "window queue total, new",
        ),
        (
            QueueFilter::DueSoon,
            "window queue, due soon",
            "window queue total, due soon",
        ),
        (
            QueueFilter::Overdue,
            "window queue, overdue",
            "window queue total, overdue",
        ),
        (
            QueueFilter::Waiting,
            "window queue, waiting",
            "window queue total, waiting",
        ),
    ] {
        let (list_sql, total_sql) =
            crate::server::workbench::window_sql(filter, today, soon, sqlite, literal);
        queries.push((list, list_sql));
        queries.push((total, total_sql));
    }
    queries.extend([
        (
            "case by number",
            "SELECT id, state, version FROM hall_case WHERE number = '20260101-000001'".into(),
        ),
        (
            "case's tasks",
            "SELECT id, position, task FROM case_task WHERE case_id = 1 ORDER BY position".into(),
        ),
        (
            "case's history",
            "SELECT task_id, at, entry FROM case_event WHERE case_id = 1 ORDER BY id".into(),
        ),
    ]);
    queries
}

/// `EXPLAIN QUERY PLAN` (SQLite) or `EXPLAIN` (PostgreSQL) of a query, one line per plan row.
pub async fn explain(db: &Db, sql: &str) -> Result<Vec<String>, DbError> {
    match db.backend {
        Backend::Sqlite => {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .fetch_all(&db.pool)
                    .await?;
            Ok(rows.into_iter().map(|(_, _, _, d)| d).collect())
        }
        Backend::Postgres => Ok(
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")))
                .fetch_all(&db.pool)
                .await?,
        ),
    }
}

/// Submissions through the app's submit path (`cases::submit`: the case, its tasks, the first history entry, the
/// draft's link and the notification, in one transaction), `count` of them, `concurrency` at a time, each of a
/// fresh draft of the first theme with steps. Drafts are made first and not timed. Returns (submitted, seconds).
pub async fn submit_burst(
    db: &Db,
    catalog: std::sync::Arc<Catalog>,
    count: usize,
    concurrency: usize,
) -> Result<(usize, f64), DbError> {
    let Some(theme) = catalog.themes().iter().find(|t| {
        !t.historical
            && plan(t, &catalog, &super::wizard::answers_of(t, &[]).0)
                .is_ok_and(|r| !r.steps.is_empty())
    }) else {
        return Err(DbError::Migrate(
            "the catalog has no theme with steps".into(),
        ));
    };
    let (answers, _) = super::wizard::answers_of(theme, &[]);
    let roadmap = plan(theme, &catalog, &answers)
        .map_err(|e| DbError::Migrate(format!("no roadmap: {e:?}")))?;
    let fields =
        std::collections::BTreeMap::from([("applicant.name".to_owned(), "张三".to_owned())]);
    let theme_id = theme.id.to_string();
    let mut drafts = Vec::with_capacity(count);
    for _ in 0..count {
        drafts.push(super::drafts::create(db, &theme_id, None, "", &fields).await?);
    }
    let drafts = std::sync::Arc::new(std::sync::Mutex::new(drafts));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (db, drafts, roadmap, fields, theme_id, catalog) = (
            db.clone(),
            drafts.clone(),
            roadmap.clone(),
            fields.clone(),
            theme_id.clone(),
            catalog.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut done = 0usize;
            loop {
                let next = drafts.lock().ok().and_then(|mut d| d.pop());
                let Some(draft) = next else { break };
                super::cases::submit(
                    &db,
                    &catalog,
                    super::cases::NewCase {
                        draft_id: &draft,
                        theme_id: &theme_id,
                        account_id: None,
                        answers: "",
                        fields: &fields,
                        roadmap: &roadmap,
                        actor_role: "citizen",
                        address: Some("127.0.0.1"),
                    },
                )
                .await?;
                done += 1;
            }
            Ok::<usize, DbError>(done)
        }));
    }
    let mut submitted = 0;
    for w in workers {
        submitted += w.await.map_err(|e| DbError::Migrate(e.to_string()))??;
    }
    Ok((submitted, started.elapsed().as_secs_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_averages_five_tasks_per_case_from_below_and_from_above() {
        for sizes in [vec![1, 2, 3, 4, 12], vec![2, 4, 6, 8, 9]] {
            let mix = Mix::new(&sizes);
            assert!((mix.expected - TASKS_PER_CASE).abs() < 0.01, "{sizes:?}");
            let mut rng = Rng(7);
            let draws = 200_000;
            let total: usize = (0..draws).map(|_| sizes[mix.pick(&mut rng)]).sum();
            let mean = total as f64 / draws as f64;
            assert!((mean - TASKS_PER_CASE).abs() < 0.05, "{sizes:?}: {mean}");
        }
    }

    #[test]
    fn a_catalog_that_cannot_reach_five_gets_the_nearest_mix() {
        let short = [1, 2, 3];
        let mix = Mix::new(&short);
        assert_eq!(mix.biased_per_million, 1_000_000);
        assert!((mix.expected - 14.0 / 6.0).abs() < 1e-9);
        let long = [6, 7];
        let mix = Mix::new(&long);
        assert_eq!(mix.biased_per_million, 1_000_000);
        assert!(mix.expected > TASKS_PER_CASE);
        let mut rng = Rng(1);
        assert!((0..1000).all(|_| mix.pick(&mut rng) < long.len()));
    }
}

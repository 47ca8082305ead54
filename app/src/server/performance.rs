//! Supervision figures in SQL (电子监察, 部门效能): counts, handling times and on-time rates per department or
//! theme, and the overdue and due-soon lists, all from the figure columns every action writes (migration 0007,
//! `case_actions::update_task`). Counts and sums read `task_tally` (migration 0015: kept by triggers, one row per
//! department, theme, status and open due date), so they cost the same at a million cases as at ten; the lists
//! read `case_task` through an index in due order with a `LIMIT`. Nothing here loops over every task in Rust. What a figure means (handling days, the due-soon bound, rates) is
//! `domain::performance`.

use time::Date;

use super::db::{Db, DbError};
use crate::domain::performance::{DaySum, Rate};

/// What the figures are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Department,
    Theme,
}

impl Grouping {
    fn column(self) -> &'static str {
        match self {
            Grouping::Department => "department_id",
            Grouping::Theme => "theme_id",
        }
    }
}

/// The figures of one department or theme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub id: String,
    pub in_review: i64,
    /// 补正 at task level: the applicant has the task.
    pub waiting: i64,
    /// In review with the due date within the yellow-card bound.
    pub due_soon: i64,
    /// In review past the due date (red card).
    pub overdue: i64,
    /// Decided: approved or refused.
    pub ended: i64,
    pub refused: i64,
    /// Handling days of the decided tasks (pauses left out).
    pub handled: DaySum,
    /// Committed limits in working days of the decided tasks that have one.
    pub committed: DaySum,
    /// Decided by the committed due date, of the decided tasks that had one.
    pub on_time_committed: Rate,
    pub on_time_statutory: Rate,
}

/// Filters of a task list; empty means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    pub department: Option<String>,
    pub theme: Option<String>,
}

impl TaskFilter {
    /// ` AND t.department_id = $n …` for the filters set, numbering parameters from `next`; the values to bind.
    fn sql(&self, next: usize) -> (String, Vec<String>) {
        let mut sql = String::new();
        let mut binds = Vec::new();
        for (column, value) in [
            ("t.department_id", &self.department),
            ("t.theme_id", &self.theme),
        ] {
            if let Some(v) = value {
                sql.push_str(&format!(" AND {column} = ${}", next + binds.len()));
                binds.push(v.clone());
            }
        }
        (sql, binds)
    }
}

type OpenRow = (String, i64, i64, i64, i64);
type EndedRow = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

/// Figures per department or theme, sorted by id. `soon_before` is `domain::performance::due_soon_before(today)`.
pub async fn by_group(
    db: &Db,
    grouping: Grouping,
    today: Date,
    soon_before: Date,
) -> Result<Vec<Figures>, DbError> {
    figures(db, grouping, today, soon_before, &TaskFilter::default()).await
}

/// The figures of one department (zero counts when it has no tasks).
pub async fn for_department(
    db: &Db,
    department: &str,
    today: Date,
    soon_before: Date,
) -> Result<Figures, DbError> {
    let filter = TaskFilter {
        department: Some(department.to_owned()),
        theme: None,
    };
    Ok(
        figures(db, Grouping::Department, today, soon_before, &filter)
            .await?
            .into_iter()
            .next()
            .unwrap_or_else(|| Figures {
                id: department.to_owned(),
                ..Figures::default()
            }),
    )
}

async fn figures(
    db: &Db,
    grouping: Grouping,
    today: Date,
    soon_before: Date,
    filter: &TaskFilter,
) -> Result<Vec<Figures>, DbError> {
    let g = grouping.column();
    let (today, soon) = (today.to_string(), soon_before.to_string());
    let (and, binds) = filter.sql(3);
    // Open tasks, from the tally (migration 0015): one row per (department, theme, status, due date), so the cost
    // follows the number of open due dates, not of tasks. `due_on` is '' for a task in review without a due date.
    let sql = format!(
        "SELECT t.{g}, \
         CAST(SUM(CASE WHEN t.status = 'in_review' THEN t.n ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN t.status = 'awaiting_applicant' THEN t.n ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN t.status = 'in_review' AND t.due_on >= $1 AND t.due_on < $2 THEN t.n ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN t.status = 'in_review' AND t.due_on <> '' AND t.due_on < $1 THEN t.n ELSE 0 END) AS BIGINT) \
         FROM task_tally t WHERE t.status IN ('in_review', 'awaiting_applicant') AND t.n <> 0{and} GROUP BY t.{g}"
    );
    let mut q = sqlx::query_as::<_, OpenRow>(sqlx::AssertSqlSafe(sql))
        .bind(today.clone())
        .bind(soon.clone());
    for b in &binds {
        q = q.bind(b.clone());
    }
    let open = q.fetch_all(&db.pool).await?;
    // Decided tasks: the tally's sums. `$1`/`$2` are not used here; the filter numbers its parameters from 1.
    let (and, binds) = filter.sql(1);
    let sql = format!(
        "SELECT t.{g}, CAST(SUM(t.n) AS BIGINT), \
         CAST(SUM(CASE WHEN t.status = 'refused' THEN t.n ELSE 0 END) AS BIGINT), \
         CAST(SUM(t.handled_sum) AS BIGINT), CAST(SUM(t.handled_n) AS BIGINT), \
         CAST(SUM(t.committed_sum) AS BIGINT), CAST(SUM(t.committed_n) AS BIGINT), \
         CAST(SUM(t.on_time_committed) AS BIGINT), CAST(SUM(t.with_committed) AS BIGINT), \
         CAST(SUM(t.on_time_statutory) AS BIGINT), CAST(SUM(t.with_statutory) AS BIGINT) \
         FROM task_tally t WHERE t.status IN ('approved', 'refused') AND t.n <> 0{and} GROUP BY t.{g}"
    );
    let mut q = sqlx::query_as::<_, EndedRow>(sqlx::AssertSqlSafe(sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    let ended = q.fetch_all(&db.pool).await?;
    let mut all: std::collections::BTreeMap<String, Figures> = std::collections::BTreeMap::new();
    for (id, in_review, waiting, due_soon, overdue) in open {
        let f = all.entry(id.clone()).or_default();
        f.id = id;
        f.in_review = in_review;
        f.waiting = waiting;
        f.due_soon = due_soon;
        f.overdue = overdue;
    }
    for (id, n, refused, hs, hn, cs, cn, oc, wc, os, ws) in ended {
        let f = all.entry(id.clone()).or_default();
        f.id = id;
        f.ended = n;
        f.refused = refused;
        f.handled = DaySum::new(hs, hn);
        f.committed = DaySum::new(cs, cn);
        f.on_time_committed = Rate::new(oc, wc);
        f.on_time_statutory = Rate::new(os, ws);
    }
    Ok(all.into_values().collect())
}

/// Tasks of a department ever extended (art. 42), open or ended.
pub async fn extensions(db: &Db, department: &str) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(extended), 0) AS BIGINT) FROM task_tally WHERE department_id = $1",
    )
    .bind(department)
    .fetch_one(&db.pool)
    .await?)
}

/// Tasks per status (all kinds).
pub async fn task_counts(db: &Db) -> Result<Vec<(String, i64)>, DbError> {
    Ok(
        sqlx::query_as(
            "SELECT status, CAST(SUM(n) AS BIGINT) FROM task_tally GROUP BY status HAVING SUM(n) <> 0 ORDER BY status",
        )
            .fetch_all(&db.pool)
            .await?,
    )
}

/// One task of a list with its case: (case number, theme id, case state JSON, task JSON).
pub type ListedTask = (String, String, String, String);

/// Which clock list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockList {
    /// In review, the due date passed.
    Overdue,
    /// In review, due before the yellow-card bound.
    DueSoon,
}

/// The first `limit` tasks of a clock list, earliest due first, and how many there are in all.
pub async fn clock_list(
    db: &Db,
    list: ClockList,
    today: Date,
    soon_before: Date,
    filter: &TaskFilter,
    limit: i64,
) -> Result<(Vec<ListedTask>, i64), DbError> {
    let (range, mut values) = match list {
        ClockList::Overdue => ("t.due_on < $1", vec![today.to_string()]),
        ClockList::DueSoon => (
            "t.due_on >= $1 AND t.due_on < $2",
            vec![today.to_string(), soon_before.to_string()],
        ),
    };
    let (and, binds) = filter.sql(values.len() + 1);
    values.extend(binds);
    let condition = format!("t.status = 'in_review' AND {range}{and}");
    // How many in all: from the tally (a count over the matching tasks would grow with them).
    let count_sql = format!(
        "SELECT CAST(COALESCE(SUM(t.n), 0) AS BIGINT) FROM task_tally t WHERE {condition} AND t.due_on <> ''"
    );
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
    for v in &values {
        q = q.bind(v.clone());
    }
    let total = q.fetch_one(&db.pool).await?;
    let list_sql = format!(
        "SELECT c.number, c.theme_id, c.state, t.task FROM case_task t JOIN hall_case c ON c.id = t.case_id \
         WHERE {condition} ORDER BY t.due_on, t.id LIMIT {}",
        limit.max(0)
    );
    let mut q = sqlx::query_as::<_, ListedTask>(sqlx::AssertSqlSafe(list_sql));
    for v in &values {
        q = q.bind(v.clone());
    }
    Ok((q.fetch_all(&db.pool).await?, total))
}

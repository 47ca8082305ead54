//! Evaluation (好差评) and follow-ups (整改): the applicant rates an ended task or case once (`rating.subject` is
//! unique, so a second rating changes nothing), a poor rating opens a follow-up for the responsible department
//! in the same transaction, due in working days; the department's officer closes it with a written response,
//! which the applicant sees and is notified of. Also a department's rating figures and the staff queue of
//! follow-ups and questions. The rules are `domain::feedback`'s.

use time::Date;

use super::cases;
use super::clock;
use super::db::{Db, DbError};
use super::drafts::{now, stamp};
use super::state::AppState;
use crate::api::account::{encode_component, login_path, SessionUser};
use crate::api::catalog::Named;
use crate::api::feedback::{
    CaseFeedbackView, DepartmentFeedbackView, FeedbackQueueView, FeedbackRow, FollowUpLine,
    FollowUpView, RateTarget, RatingView,
};
use crate::api::work::StaffPage;
use crate::domain::case_flow::ClockStatus;
use crate::domain::catalog::Catalog;
use crate::domain::feedback::{
    case_rateable, due_after, due_status, may_answer, may_rate, may_read_department, parse_rating,
    parse_text, task_rateable, Level, LevelCounts, Problem,
};
use crate::domain::text::Text;
use crate::domain::Role;

pub fn named_department(catalog: &Catalog, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: catalog
            .department(id)
            .map_or_else(|| Text::zh(id), |d| d.name.clone()),
    }
}

pub fn named_item(catalog: &Catalog, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: catalog
            .item(id)
            .map_or_else(|| Text::zh(id), |i| i.name.clone()),
    }
}

pub fn named_theme(catalog: &Catalog, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: catalog
            .theme(id)
            .map_or_else(|| Text::zh(id), |t| t.name.clone()),
    }
}

pub fn parse_day(s: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.get(..10)?, &format).ok()
}

/// What a rating did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rated {
    pub rating_id: i64,
    /// The follow-up a poor rating opened, and its due date.
    pub follow_up: Option<(i64, Date)>,
}

/// Rates a task (`step`) or the case (`step` empty) of case `number` as `account_id`, on `today`. A refusal
/// (`Ok(Err(problem))`) stores nothing.
// The form's fields one by one: the tests call it as the form does.
#[allow(clippy::too_many_arguments)]
pub async fn rate(
    db: &Db,
    catalog: &Catalog,
    account_id: i64,
    number: &str,
    step: &str,
    level: &str,
    comment: &str,
    today: Date,
) -> Result<Result<Rated, Problem>, DbError> {
    let Some(case) = cases::by_number(db, number).await? else {
        // The same answer as someone else's case: numbers cannot be probed.
        return Ok(Err(Problem::NotOwner));
    };
    let owner = case.account_id == Some(account_id);
    let (subject, task_id, department, ended) = if step.is_empty() {
        let lead = catalog
            .theme(&case.theme_id)
            .map_or_else(String::new, |t| t.lead_department.clone());
        (
            format!("case:{}", case.id),
            None,
            lead,
            case_rateable(case.state.status()),
        )
    } else {
        let rows = cases::tasks(db, case.id).await?;
        let Some(row) = rows.into_iter().find(|r| r.task.id == step) else {
            return Ok(Err(if owner {
                Problem::UnknownSubject
            } else {
                Problem::NotOwner
            }));
        };
        (
            format!("task:{}", row.id),
            Some(row.id),
            row.task.department.clone(),
            task_rateable(row.task.status()),
        )
    };
    let already: Option<i64> = sqlx::query_scalar("SELECT id FROM rating WHERE subject = $1")
        .bind(&subject)
        .fetch_optional(&db.pool)
        .await?;
    if let Err(p) = may_rate(owner, ended, already.is_some()) {
        return Ok(Err(p));
    }
    let (level, comment) = match parse_rating(level, comment) {
        Ok(v) => v,
        Err(p) => return Ok(Err(p)),
    };
    let at = stamp(now());
    let mut tx = db.begin_write().await?;
    // The unique subject decides a race between two posts: the second inserts nothing.
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO rating (subject, case_id, task_id, account_id, department_id, level, comment, rated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (subject) DO NOTHING RETURNING id",
    )
    .bind(&subject)
    .bind(case.id)
    .bind(task_id)
    .bind(account_id)
    .bind(&department)
    .bind(level.code())
    .bind(comment.as_deref())
    .bind(&at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(rating_id) = id else {
        tx.rollback().await?;
        return Ok(Err(Problem::AlreadyRated));
    };
    let follow_up = if level.is_poor() {
        let due = due_after(today, catalog.follow_up_days(), catalog.calendar());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO follow_up (rating_id, case_id, department_id, due_on, status, created_at) \
             VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
        )
        .bind(rating_id)
        .bind(case.id)
        .bind(&department)
        .bind(due.to_string())
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        Some((id, due))
    } else {
        None
    };
    tx.commit().await?;
    tracing::info!(case = %number, rating = rating_id, poor = level.is_poor(), "rated");
    Ok(Ok(Rated {
        rating_id,
        follow_up,
    }))
}

/// The rating form's service: where to go next.
pub async fn rate_form(
    state: &AppState,
    user: Option<SessionUser>,
    number: &str,
    step: &str,
    level: &str,
    comment: &str,
) -> Result<String, DbError> {
    let number = number.trim();
    let base = format!("/cases/{}", encode_component(number));
    let Some(user) = user else {
        return Ok(login_path(&base));
    };
    let today = clock::today(&state.db).await;
    let result = rate(
        &state.db,
        &state.catalog,
        user.account_id,
        number,
        step.trim(),
        level,
        comment,
        today,
    )
    .await?;
    Ok(match result {
        Ok(_) => format!("{base}?rated=1#feedback"),
        Err(p) => {
            tracing::info!(case = %number, problem = p.code(), "refused a rating");
            if p.is_refusal() {
                super::security_audit::mark_refused(&format!("rating:{number}"));
            }
            format!(
                "{base}?feedback_problem={}&step={}#feedback",
                p.code(),
                encode_component(step.trim())
            )
        }
    })
}

fn follow_up_line(
    (id, due, status, response, responded_at): (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
    ),
    today: Date,
    catalog: &Catalog,
) -> FollowUpLine {
    let closed = status == "closed";
    let clock = match (closed, parse_day(&due)) {
        (true, _) => ClockStatus::Done,
        (false, Some(d)) => due_status(today, d, catalog.calendar()),
        (false, None) => ClockStatus::Untimed,
    };
    FollowUpLine {
        id,
        due,
        clock,
        closed,
        response,
        responded_at,
    }
}

type RatingRow = (
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The owner's view of what they may rate on a case and what they rated.
pub async fn case_feedback(
    state: &AppState,
    user: Option<SessionUser>,
    number: &str,
) -> Result<Option<CaseFeedbackView>, DbError> {
    let Some(user) = user else {
        return Ok(None);
    };
    let Some(case) = cases::by_number(&state.db, number).await? else {
        return Ok(None);
    };
    if case.account_id != Some(user.account_id) {
        // Staff who may see the case see it without the rating form; a citizen asking for another's case is refused.
        if !user.role.is_staff() {
            super::security_audit::mark_refused(&format!("rating:{number}"));
        }
        return Ok(None);
    }
    let catalog = &state.catalog;
    let today = clock::today(&state.db).await;
    let rows: Vec<RatingRow> = sqlx::query_as(
        "SELECT r.subject, r.level, r.comment, r.rated_at, f.id, f.due_on, f.status, f.response, f.responded_at \
         FROM rating r LEFT JOIN follow_up f ON f.rating_id = r.id WHERE r.case_id = $1",
    )
    .bind(case.id)
    .fetch_all(&state.db.pool)
    .await?;
    let rating_of = |subject: &str| {
        rows.iter().find(|r| r.0 == subject).and_then(|r| {
            let level = Level::from_code(&r.1)?;
            let follow_up = match (&r.4, &r.5, &r.6) {
                (Some(id), Some(due), Some(status)) => Some(follow_up_line(
                    (*id, due.clone(), status.clone(), r.7.clone(), r.8.clone()),
                    today,
                    catalog,
                )),
                _ => None,
            };
            Some(RatingView {
                level,
                comment: r.2.clone(),
                rated_at: r.3.clone(),
                follow_up,
            })
        })
    };
    let mut targets = Vec::new();
    for row in cases::tasks(&state.db, case.id).await? {
        let t = &row.task;
        if t.kind != crate::domain::case_flow::TaskKind::Department {
            continue;
        }
        targets.push(RateTarget {
            step: t.id.clone(),
            subject: named_item(catalog, &t.item),
            department: named_department(catalog, &t.department),
            ended: task_rateable(t.status()),
            rating: rating_of(&format!("task:{}", row.id)),
        });
    }
    let lead = catalog
        .theme(&case.theme_id)
        .map_or_else(String::new, |t| t.lead_department.clone());
    targets.push(RateTarget {
        step: String::new(),
        subject: named_theme(catalog, &case.theme_id),
        department: named_department(catalog, &lead),
        ended: case_rateable(case.state.status()),
        rating: rating_of(&format!("case:{}", case.id)),
    });
    Ok(Some(CaseFeedbackView {
        number: case.number,
        targets,
    }))
}

/// Closes follow-up `id` with `response` as `user`. A refusal stores nothing.
pub async fn close_follow_up(
    db: &Db,
    user: &SessionUser,
    id: i64,
    response: &str,
) -> Result<Result<(), Problem>, DbError> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT f.department_id, f.status, r.account_id FROM follow_up f JOIN rating r ON r.id = f.rating_id \
         WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((department, status, owner)) = row else {
        return Ok(Err(Problem::UnknownSubject));
    };
    if let Err(p) = may_answer(user.role, user.department.as_deref(), &department) {
        tracing::warn!(
            account = user.account_id,
            follow_up = id,
            "refused a follow-up of another department"
        );
        return Ok(Err(p));
    }
    if status != "open" {
        return Ok(Err(Problem::AlreadyAnswered));
    }
    let response = match parse_text(response) {
        Ok(t) => t,
        Err(p) => return Ok(Err(p)),
    };
    let at = stamp(now());
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE follow_up SET status = 'closed', response = $1, responded_by = $2, responded_at = $3 \
         WHERE id = $4 AND status = 'open'",
    )
    .bind(&response)
    .bind(user.account_id)
    .bind(&at)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        tx.rollback().await?;
        return Ok(Err(Problem::AlreadyAnswered));
    }
    let (case_id, number): (i64, String) = sqlx::query_as(
        "SELECT c.id, c.number FROM follow_up f JOIN hall_case c ON c.id = f.case_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    super::notifications::record_plain(
        &mut tx,
        owner,
        Some(case_id),
        "follow_up_closed",
        &format!("/cases/{}#feedback", encode_component(&number)),
        &at,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub async fn close_form(
    state: &AppState,
    user: Option<SessionUser>,
    id: i64,
    response: &str,
) -> Result<String, DbError> {
    let base = format!("/work/follow-ups/{id}");
    let Some(user) = user else {
        return Ok(login_path(&base));
    };
    Ok(
        match close_follow_up(&state.db, &user, id, response).await? {
            Ok(()) => format!("{base}?done=closed"),
            Err(p) => {
                if p.is_refusal() {
                    super::security_audit::mark_refused(&format!("follow_up:{id}"));
                }
                format!("{base}?problem={}", p.code())
            }
        },
    )
}

fn staff_only(user: Option<SessionUser>) -> Result<SessionUser, StaffPage<()>> {
    match user {
        None => Err(StaffPage::SignIn),
        Some(u) if u.role.is_staff() => Ok(u),
        Some(_) => {
            super::security_audit::mark_refused("staff_feedback");
            Err(StaffPage::Forbidden)
        }
    }
}

fn refusal<T>(page: StaffPage<()>) -> StaffPage<T> {
    match page {
        StaffPage::SignIn => StaffPage::SignIn,
        StaffPage::Forbidden => StaffPage::Forbidden,
        StaffPage::NotFound | StaffPage::Ready(()) => StaffPage::NotFound,
    }
}

/// The longest list the queue shows.
const QUEUE_LIMIT: i64 = 100;

/// Open follow-ups and questions, earliest due first: the officer's department's, or all for supervision.
pub async fn queue(
    state: &AppState,
    user: Option<SessionUser>,
) -> Result<StaffPage<FeedbackQueueView>, DbError> {
    let user = match staff_only(user) {
        Ok(u) => u,
        Err(p) => return Ok(refusal(p)),
    };
    let department = match user.role {
        Role::Officer => Some(user.department.clone().unwrap_or_default()),
        Role::Supervisor | Role::Admin => None,
        // The window's /work has no feedback panel: not a refusal.
        _ => return Ok(StaffPage::Forbidden),
    };
    let today = clock::today(&state.db).await;
    let catalog = &state.catalog;
    let calendar = catalog.calendar();
    let clock_of =
        |due: &str| parse_day(due).map_or(ClockStatus::Untimed, |d| due_status(today, d, calendar));
    let dept = department.clone().unwrap_or_default();
    let all = department.is_none();
    #[allow(clippy::type_complexity)]
    let follow_rows: Vec<(i64, String, String, String, Option<String>, String, String)> =
        sqlx::query_as(
            "SELECT f.id, c.number, c.theme_id, f.department_id, t.item_id, r.level, f.due_on FROM follow_up f \
             JOIN rating r ON r.id = f.rating_id JOIN hall_case c ON c.id = f.case_id \
             LEFT JOIN case_task t ON t.id = r.task_id \
             WHERE f.status = 'open' AND (f.department_id = $1 OR $2 = 1) ORDER BY f.due_on, f.id LIMIT $3",
        )
        .bind(&dept)
        .bind(i64::from(all))
        .bind(QUEUE_LIMIT)
        .fetch_all(&state.db.pool)
        .await?;
    let follow_ups = follow_rows
        .into_iter()
        .map(
            |(id, number, theme, department, item, level, due)| FeedbackRow {
                id,
                href: format!("/work/follow-ups/{id}"),
                number,
                subject: match item {
                    Some(i) => named_item(catalog, &i),
                    None => named_theme(catalog, &theme),
                },
                department: named_department(catalog, &department),
                level: Level::from_code(&level),
                clock: clock_of(&due),
                due,
            },
        )
        .collect();
    #[allow(clippy::type_complexity)]
    let consult_rows: Vec<(i64, Option<String>, Option<String>, String, String)> = sqlx::query_as(
        "SELECT id, item_id, theme_id, department_id, due_on FROM consultation \
         WHERE status = 'open' AND (department_id = $1 OR $2 = 1) ORDER BY due_on, id LIMIT $3",
    )
    .bind(&dept)
    .bind(i64::from(all))
    .bind(QUEUE_LIMIT)
    .fetch_all(&state.db.pool)
    .await?;
    let consultations = consult_rows
        .into_iter()
        .map(|(id, item, theme, department, due)| FeedbackRow {
            id,
            href: format!("/work/consultations/{id}"),
            number: String::new(),
            subject: super::consultation::subject(catalog, item.as_deref(), theme.as_deref()).0,
            department: named_department(catalog, &department),
            level: None,
            clock: clock_of(&due),
            due,
        })
        .collect();
    Ok(StaffPage::Ready(FeedbackQueueView {
        today: today.to_string(),
        follow_ups,
        consultations,
    }))
}

/// `/work/follow-ups/{id}`: the rating and its follow-up, for the department's officers and supervision.
pub async fn follow_up_page(
    state: &AppState,
    user: Option<SessionUser>,
    id: i64,
) -> Result<StaffPage<FollowUpView>, DbError> {
    let user = match staff_only(user) {
        Ok(u) => u,
        Err(p) => return Ok(refusal(p)),
    };
    #[allow(clippy::type_complexity)]
    let row: Option<(
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT c.number, c.theme_id, t.item_id, r.level, r.comment, r.rated_at, f.department_id, f.due_on, f.status, \
         f.response, f.responded_at FROM follow_up f JOIN rating r ON r.id = f.rating_id \
         JOIN hall_case c ON c.id = f.case_id LEFT JOIN case_task t ON t.id = r.task_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((
        number,
        theme,
        item,
        level,
        comment,
        rated_at,
        department,
        due,
        status,
        response,
        responded_at,
    )) = row
    else {
        return Ok(StaffPage::NotFound);
    };
    if !may_read_department(user.role, user.department.as_deref(), &department) {
        tracing::warn!(
            account = user.account_id,
            follow_up = id,
            "refused a follow-up outside the department"
        );
        super::security_audit::mark_refused(&format!("follow_up:{id}"));
        return Ok(StaffPage::Forbidden);
    }
    let today = clock::today(&state.db).await;
    let catalog = &state.catalog;
    let line = follow_up_line((id, due, status, response, responded_at), today, catalog);
    Ok(StaffPage::Ready(FollowUpView {
        id,
        number,
        subject: match item {
            Some(i) => named_item(catalog, &i),
            None => named_theme(catalog, &theme),
        },
        may_respond: !line.closed
            && may_answer(user.role, user.department.as_deref(), &department).is_ok(),
        department: named_department(catalog, &department),
        level: Level::from_code(&level).unwrap_or(Level::Basic),
        comment,
        rated_at,
        line,
        today: today.to_string(),
    }))
}

/// Counts for a department's performance page: ratings per level and the follow-ups and questions by state.
pub async fn department_counts(
    db: &Db,
    department: &str,
    today: Date,
) -> Result<DepartmentFeedbackView, DbError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT level, COUNT(*) FROM rating WHERE department_id = $1 GROUP BY level",
    )
    .bind(department)
    .fetch_all(&db.pool)
    .await?;
    let counts = LevelCounts::from_rows(&rows);
    let today = today.to_string();
    // `dated`: the query compares with today ($2).
    let count = |sql: &'static str, dated: bool| {
        let today = today.clone();
        async move {
            let q = sqlx::query_scalar::<_, i64>(sql).bind(department);
            let q = if dated { q.bind(today) } else { q };
            q.fetch_one(&db.pool).await
        }
    };
    Ok(DepartmentFeedbackView {
        levels: Level::ALL.into_iter().map(|l| (l, counts.of(l))).collect(),
        total: counts.total(),
        satisfaction: counts.satisfaction(),
        follow_ups_open: count(
            "SELECT COUNT(*) FROM follow_up WHERE department_id = $1 AND status = 'open'",
            false,
        )
        .await?,
        follow_ups_overdue: count(
            "SELECT COUNT(*) FROM follow_up WHERE department_id = $1 AND status = 'open' AND due_on < $2",
            true,
        )
        .await?,
        follow_ups_closed: count(
            "SELECT COUNT(*) FROM follow_up WHERE department_id = $1 AND status = 'closed'",
            false,
        )
        .await?,
        consultations_open: count(
            "SELECT COUNT(*) FROM consultation WHERE department_id = $1 AND status = 'open'",
            false,
        )
        .await?,
        consultations_overdue: count(
            "SELECT COUNT(*) FROM consultation WHERE department_id = $1 AND status = 'open' AND due_on < $2",
            true,
        )
        .await?,
        consultations_answered: count(
            "SELECT COUNT(*) FROM consultation WHERE department_id = $1 AND status = 'answered'",
            false,
        )
        .await?,
    })
}

pub async fn department_figures(
    state: &AppState,
    user: Option<SessionUser>,
    department: &str,
) -> Result<StaffPage<DepartmentFeedbackView>, DbError> {
    let user = match staff_only(user) {
        Ok(u) => u,
        Err(p) => return Ok(refusal(p)),
    };
    if state.catalog.department(department).is_none() {
        return Ok(StaffPage::NotFound);
    }
    if !may_read_department(user.role, user.department.as_deref(), department) {
        super::security_audit::mark_refused(&format!("department_feedback:{department}"));
        return Ok(StaffPage::Forbidden);
    }
    let today = clock::today(&state.db).await;
    Ok(StaffPage::Ready(
        department_counts(&state.db, department, today).await?,
    ))
}

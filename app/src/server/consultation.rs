//! Consultation (咨询): a signed-in citizen's question on an item or a theme goes to the department
//! `domain::feedback::route` names, due in the catalog's `consultation_days` working days; an officer of that
//! department answers it once (the asker is notified in the same transaction) and may publish an edited question
//! and answer as an FAQ (常见问题) on the item page. Another department's officer is refused and nothing changes.

use super::clock;
use super::db::{Db, DbError};
use super::drafts::{now, stamp};
use super::feedback::{named_department, named_item, named_theme, parse_day};
use super::state::AppState;
use crate::api::account::{encode_component, login_path, SessionUser};
use crate::api::catalog::Named;
use crate::api::feedback::{
    ConsultFormPage, ConsultFormView, FaqView, MyConsultation, StaffConsultationView,
};
use crate::api::work::StaffPage;
use crate::domain::case_flow::ClockStatus;
use crate::domain::catalog::Catalog;
use crate::domain::feedback::{
    due_after, due_status, may_answer, may_read_department, parse_question, parse_text, route,
    Problem,
};

/// What a question is about, named, and the page it links to.
pub fn subject(catalog: &Catalog, item: Option<&str>, theme: Option<&str>) -> (Named, String) {
    match (item, theme) {
        (Some(i), _) => (named_item(catalog, i), format!("/items/{i}")),
        (None, Some(t)) => (named_theme(catalog, t), format!("/themes/{t}")),
        (None, None) => (named_item(catalog, ""), "/".to_owned()),
    }
}

/// The "我要咨询" form for an item (`item`) or a theme (`theme`).
pub fn form(
    state: &AppState,
    user: Option<SessionUser>,
    item: &str,
    theme: &str,
) -> ConsultFormPage {
    if user.is_none() {
        return ConsultFormPage::SignIn;
    }
    let catalog = &state.catalog;
    let Ok(r) = route(catalog, item, theme, "") else {
        return ConsultFormPage::NotFound;
    };
    let choices = match &r.theme {
        Some(t) => {
            let mut seen = Vec::new();
            if let Some(theme) = catalog.theme(t) {
                for step in &theme.steps {
                    for i in step.items() {
                        if let Some(found) = catalog.item(i) {
                            if !seen.iter().any(|(n, _): &(Named, Named)| n.id == found.id) {
                                seen.push((
                                    named_item(catalog, &found.id),
                                    named_department(catalog, &found.department),
                                ));
                            }
                        }
                    }
                }
            }
            seen
        }
        None => Vec::new(),
    };
    ConsultFormPage::Ready(Box::new(ConsultFormView {
        item: r.item.as_deref().map(|i| named_item(catalog, i)),
        theme: r.theme.as_deref().map(|t| named_theme(catalog, t)),
        department: named_department(catalog, &r.department),
        choices,
        days: catalog.consultation_days(),
    }))
}

/// Stores a question from `account_id`; returns its id.
// The form's fields one by one, as the rating's.
#[allow(clippy::too_many_arguments)]
pub async fn ask(
    db: &Db,
    catalog: &Catalog,
    account_id: i64,
    item: &str,
    theme: &str,
    chosen: &str,
    question: &str,
    today: time::Date,
) -> Result<Result<i64, Problem>, DbError> {
    let r = match route(catalog, item, theme, chosen) {
        Ok(r) => r,
        Err(p) => return Ok(Err(p)),
    };
    let question = match parse_question(question) {
        Ok(q) => q,
        Err(p) => return Ok(Err(p)),
    };
    let due = due_after(today, catalog.consultation_days(), catalog.calendar());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO consultation (account_id, item_id, theme_id, department_id, question, asked_at, due_on, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open') RETURNING id",
    )
    .bind(account_id)
    .bind(r.item.as_deref())
    .bind(r.theme.as_deref())
    .bind(&r.department)
    .bind(&question)
    .bind(stamp(now()))
    .bind(due.to_string())
    .fetch_one(&db.pool)
    .await?;
    tracing::info!(consultation = id, department = %r.department, "question asked");
    Ok(Ok(id))
}

pub async fn ask_form(
    state: &AppState,
    user: Option<SessionUser>,
    item: &str,
    theme: &str,
    chosen: &str,
    question: &str,
) -> Result<String, DbError> {
    let back = if item.trim().is_empty() {
        format!("/consult?theme={}", encode_component(theme.trim()))
    } else {
        format!("/consult?item={}", encode_component(item.trim()))
    };
    let Some(user) = user else {
        return Ok(login_path(&back));
    };
    let today = clock::today(&state.db).await;
    Ok(
        match ask(
            &state.db,
            &state.catalog,
            user.account_id,
            item,
            theme,
            chosen,
            question,
            today,
        )
        .await?
        {
            Ok(_) => "/consultations?done=asked".to_owned(),
            Err(p) => format!("{back}&problem={}", p.code()),
        },
    )
}

type MineRow = (
    i64,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

pub async fn mine(state: &AppState, account_id: i64) -> Result<Vec<MyConsultation>, DbError> {
    let rows: Vec<MineRow> = sqlx::query_as(
        "SELECT id, item_id, theme_id, department_id, question, asked_at, due_on, answer, answered_at \
         FROM consultation WHERE account_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(account_id)
    .fetch_all(&state.db.pool)
    .await?;
    let catalog = &state.catalog;
    Ok(rows
        .into_iter()
        .map(
            |(id, item, theme, department, question, asked_at, due, answer, answered_at)| {
                let (subject, subject_href) = subject(catalog, item.as_deref(), theme.as_deref());
                MyConsultation {
                    id,
                    subject,
                    subject_href,
                    department: named_department(catalog, &department),
                    question,
                    asked_at,
                    due,
                    answer,
                    answered_at,
                }
            },
        )
        .collect())
}

type StaffRow = (
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
);

pub async fn staff_page(
    state: &AppState,
    user: Option<SessionUser>,
    id: i64,
) -> Result<StaffPage<StaffConsultationView>, DbError> {
    let Some(user) = user else {
        return Ok(StaffPage::SignIn);
    };
    if !user.role.is_staff() {
        super::security_audit::mark_refused(&format!("consultation:{id}"));
        return Ok(StaffPage::Forbidden);
    }
    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT c.item_id, c.theme_id, c.department_id, c.question, c.asked_at, c.due_on, c.status, c.answer, \
         c.answered_at, f.id FROM consultation c LEFT JOIN faq f ON f.consultation_id = c.id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((item, theme, department, question, asked_at, due, status, answer, answered_at, faq)) =
        row
    else {
        return Ok(StaffPage::NotFound);
    };
    if !may_read_department(user.role, user.department.as_deref(), &department) {
        tracing::warn!(
            account = user.account_id,
            consultation = id,
            "refused a question outside the department"
        );
        super::security_audit::mark_refused(&format!("consultation:{id}"));
        return Ok(StaffPage::Forbidden);
    }
    let catalog = &state.catalog;
    let today = clock::today(&state.db).await;
    let (subject_named, subject_href) = subject(catalog, item.as_deref(), theme.as_deref());
    let clock = match (status.as_str(), parse_day(&due)) {
        ("open", Some(d)) => due_status(today, d, catalog.calendar()),
        ("open", None) => ClockStatus::Untimed,
        _ => ClockStatus::Done,
    };
    Ok(StaffPage::Ready(StaffConsultationView {
        id,
        subject: subject_named,
        subject_href,
        department: named_department(catalog, &department),
        item: item.as_deref().map(|i| named_item(catalog, i)),
        question,
        asked_at,
        due,
        clock,
        answer,
        answered_at,
        may_answer: may_answer(user.role, user.department.as_deref(), &department).is_ok(),
        published: faq.is_some(),
        today: today.to_string(),
    }))
}

/// Answers question `id` as `user` (an officer of its department), once; notifies the asker in the same
/// transaction. A refusal stores nothing.
pub async fn answer(
    db: &Db,
    user: &SessionUser,
    id: i64,
    text: &str,
) -> Result<Result<(), Problem>, DbError> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT department_id, status, account_id FROM consultation WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    let Some((department, status, asker)) = row else {
        return Ok(Err(Problem::UnknownSubject));
    };
    if let Err(p) = may_answer(user.role, user.department.as_deref(), &department) {
        tracing::warn!(
            account = user.account_id,
            consultation = id,
            "refused an answer to another department's question"
        );
        return Ok(Err(p));
    }
    if status != "open" {
        return Ok(Err(Problem::AlreadyAnswered));
    }
    let text = match parse_text(text) {
        Ok(t) => t,
        Err(p) => return Ok(Err(p)),
    };
    let at = stamp(now());
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE consultation SET status = 'answered', answer = $1, answered_by = $2, answered_at = $3 \
         WHERE id = $4 AND status = 'open' AND department_id = $5",
    )
    .bind(&text)
    .bind(user.account_id)
    .bind(&at)
    .bind(id)
    .bind(&department)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        tx.rollback().await?;
        return Ok(Err(Problem::AlreadyAnswered));
    }
    super::notifications::record_plain(
        &mut tx,
        asker,
        None,
        "consultation_answered",
        &format!("/consultations#consultation-{id}"),
        &at,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub async fn answer_form(
    state: &AppState,
    user: Option<SessionUser>,
    id: i64,
    text: &str,
) -> Result<String, DbError> {
    let base = format!("/work/consultations/{id}");
    let Some(user) = user else {
        return Ok(login_path(&base));
    };
    Ok(match answer(&state.db, &user, id, text).await? {
        Ok(()) => format!("{base}?done=answered"),
        Err(p) => {
            if p.is_refusal() {
                super::security_audit::mark_refused(&format!("consultation:{id}"));
            }
            format!("{base}?problem={}", p.code())
        }
    })
}

/// Publishes question `id` as an FAQ on its item with the officer's edited texts. Only answered questions on an
/// item, only by the department's officers, once.
pub async fn publish(
    db: &Db,
    user: &SessionUser,
    id: i64,
    question: &str,
    answer: &str,
) -> Result<Result<i64, Problem>, DbError> {
    let row: Option<(Option<String>, String, String)> =
        sqlx::query_as("SELECT item_id, department_id, status FROM consultation WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    let Some((item, department, status)) = row else {
        return Ok(Err(Problem::UnknownSubject));
    };
    if let Err(p) = may_answer(user.role, user.department.as_deref(), &department) {
        tracing::warn!(
            account = user.account_id,
            consultation = id,
            "refused to publish another department's question"
        );
        return Ok(Err(p));
    }
    if status != "answered" {
        return Ok(Err(Problem::NotAnswered));
    }
    let Some(item) = item else {
        return Ok(Err(Problem::UnknownSubject));
    };
    let (question, answer) = match (parse_text(question), parse_text(answer)) {
        (Ok(q), Ok(a)) => (q, a),
        (Err(p), _) | (_, Err(p)) => return Ok(Err(p)),
    };
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO faq (item_id, department_id, question, answer, consultation_id, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (consultation_id) DO NOTHING RETURNING id",
    )
    .bind(&item)
    .bind(&department)
    .bind(&question)
    .bind(&answer)
    .bind(id)
    .bind(user.account_id)
    .bind(stamp(now()))
    .fetch_optional(&db.pool)
    .await?;
    Ok(id.ok_or(Problem::AlreadyPublished))
}

pub async fn publish_form(
    state: &AppState,
    user: Option<SessionUser>,
    id: i64,
    question: &str,
    answer: &str,
) -> Result<String, DbError> {
    let base = format!("/work/consultations/{id}");
    let Some(user) = user else {
        return Ok(login_path(&base));
    };
    Ok(
        match publish(&state.db, &user, id, question, answer).await? {
            Ok(_) => format!("{base}?done=published"),
            Err(p) => {
                if p.is_refusal() {
                    super::security_audit::mark_refused(&format!("faq:{id}"));
                }
                format!("{base}?problem={}", p.code())
            }
        },
    )
}

/// An item's published FAQs, newest first.
pub async fn faqs(db: &Db, item: &str) -> Result<Vec<FaqView>, DbError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT question, answer, published_at FROM faq WHERE item_id = $1 ORDER BY id DESC LIMIT 50",
    )
    .bind(item)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(question, answer, published_at)| FaqView {
            question,
            answer,
            published_at,
        })
        .collect())
}

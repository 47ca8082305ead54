//! Evaluation (好差评) and consultation (咨询) on the wire: the applicant's ratings on the case page, the
//! follow-ups (整改) and questions in a department's queue, answers, FAQs (常见问题) and a department's rating
//! figures. Every form posts to one server function that answers with a redirect (post/redirect/get) carrying
//! `?done=` or `?problem=` (a `domain::feedback::Problem` code); a user's mistake is never an `Err`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::api::work::StaffPage;
use crate::domain::case_flow::ClockStatus;
use crate::domain::feedback::Level;
use crate::domain::performance::Rate;

/// A follow-up (整改) as the applicant and staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpLine {
    pub id: i64,
    /// ISO date.
    pub due: String,
    pub clock: ClockStatus,
    pub closed: bool,
    pub response: Option<String>,
    /// ISO date-time.
    pub responded_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingView {
    pub level: Level,
    pub comment: Option<String>,
    pub rated_at: String,
    pub follow_up: Option<FollowUpLine>,
}

/// One thing the applicant may rate: a task (`step`) or the whole case (`step` empty).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateTarget {
    pub step: String,
    /// The task's item, or the case's theme.
    pub subject: Named,
    pub department: Named,
    /// Ended, so it may be rated (when not rated yet).
    pub ended: bool,
    pub rating: Option<RatingView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseFeedbackView {
    pub number: String,
    pub targets: Vec<RateTarget>,
}

/// The owner's ratings of a case; `None` for anyone else (the case page itself says why).
#[server(endpoint = "feedback/case")]
pub async fn get_case_feedback(number: String) -> Result<Option<CaseFeedbackView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::feedback::case_feedback(&state, user, &number)
        .await
        .map_err(crate::server::workbench::internal)
}

/// Rates a task (`step`) or the case (`step` empty) once.
#[server(endpoint = "feedback/rate")]
pub async fn rate_case(
    number: String,
    #[server(default)] step: String,
    #[server(default)] level: String,
    #[server(default)] comment: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let to = crate::server::feedback::rate_form(&state, user, &number, &step, &level, &comment)
        .await
        .map_err(crate::server::workbench::internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// A line of the department's queue: a follow-up or a question, with its deadline's warning.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRow {
    pub id: i64,
    /// `/work/follow-ups/{id}` or `/work/consultations/{id}`.
    pub href: String,
    /// The case number (a follow-up), else empty.
    pub number: String,
    /// The item, theme or task the line is about.
    pub subject: Named,
    pub department: Named,
    /// A follow-up's rating.
    pub level: Option<Level>,
    pub due: String,
    pub clock: ClockStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackQueueView {
    pub today: String,
    /// Open follow-ups, earliest due first.
    pub follow_ups: Vec<FeedbackRow>,
    /// Open questions, earliest due first.
    pub consultations: Vec<FeedbackRow>,
}

/// Open follow-ups and questions: an officer's department's, or every department's for supervision and admin.
#[server(endpoint = "feedback/queue")]
pub async fn get_feedback_queue() -> Result<StaffPage<FeedbackQueueView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::feedback::queue(&state, user)
        .await
        .map_err(crate::server::workbench::internal)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUpView {
    pub id: i64,
    pub number: String,
    pub subject: Named,
    pub department: Named,
    pub level: Level,
    pub comment: Option<String>,
    pub rated_at: String,
    pub line: FollowUpLine,
    /// The viewer is an officer of the department and it is open.
    pub may_respond: bool,
    pub today: String,
}

#[server(endpoint = "feedback/follow-up")]
pub async fn get_follow_up(id: i64) -> Result<StaffPage<FollowUpView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::feedback::follow_up_page(&state, user, id)
        .await
        .map_err(crate::server::workbench::internal)
}

/// Closes a follow-up with the department's written response (its officers only).
#[server(endpoint = "feedback/close-follow-up")]
pub async fn close_follow_up(
    id: i64,
    #[server(default)] response: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let to = crate::server::feedback::close_form(&state, user, id, &response)
        .await
        .map_err(crate::server::workbench::internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// A department's ratings on its performance page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentFeedbackView {
    /// Counts per level, best first.
    pub levels: Vec<(Level, i64)>,
    pub total: i64,
    /// 满意率: fairly satisfied or better.
    pub satisfaction: Rate,
    pub follow_ups_open: i64,
    pub follow_ups_overdue: i64,
    pub follow_ups_closed: i64,
    pub consultations_open: i64,
    pub consultations_overdue: i64,
    pub consultations_answered: i64,
}

#[server(endpoint = "feedback/department")]
pub async fn get_department_feedback(
    id: String,
) -> Result<StaffPage<DepartmentFeedbackView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::feedback::department_figures(&state, user, &id)
        .await
        .map_err(crate::server::workbench::internal)
}

// ------------------------------------------------------------------ consultation

/// The "我要咨询" form: what is asked about and where it goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultFormView {
    pub item: Option<Named>,
    pub theme: Option<Named>,
    /// Where the question goes when no item is chosen (the item's department, or the theme's lead department).
    pub department: Named,
    /// For a theme: its items with their departments, to choose from.
    pub choices: Vec<(Named, Named)>,
    pub days: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConsultFormPage {
    Ready(Box<ConsultFormView>),
    SignIn,
    NotFound,
}

#[server(endpoint = "consult/form")]
pub async fn get_consult_form(
    #[server(default)] item: String,
    #[server(default)] theme: String,
) -> Result<ConsultFormPage, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    Ok(crate::server::consultation::form(
        &state, user, &item, &theme,
    ))
}

/// Asks a question about an item or a theme (`chosen`: one of the theme's items, or empty).
#[server(endpoint = "consult/ask")]
pub async fn ask_question(
    #[server(default)] item: String,
    #[server(default)] theme: String,
    #[server(default)] chosen: String,
    #[server(default)] question: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let to = crate::server::consultation::ask_form(&state, user, &item, &theme, &chosen, &question)
        .await
        .map_err(crate::server::workbench::internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// A question as its asker sees it on "我的咨询".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyConsultation {
    pub id: i64,
    pub subject: Named,
    /// `/items/{id}` or `/themes/{id}`.
    pub subject_href: String,
    pub department: Named,
    pub question: String,
    pub asked_at: String,
    pub due: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
}

/// The signed-in user's questions, newest first; `None` when nobody is signed in.
#[server(endpoint = "consult/mine")]
pub async fn get_my_consultations() -> Result<Option<Vec<MyConsultation>>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    match user {
        None => Ok(None),
        Some(u) => crate::server::consultation::mine(&state, u.account_id)
            .await
            .map(Some)
            .map_err(crate::server::workbench::internal),
    }
}

/// A question as the department sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffConsultationView {
    pub id: i64,
    pub subject: Named,
    pub subject_href: String,
    pub department: Named,
    /// The item an FAQ would be published on (the question's item).
    pub item: Option<Named>,
    pub question: String,
    pub asked_at: String,
    pub due: String,
    pub clock: ClockStatus,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    /// An officer of the department: may answer (while open) and publish (once answered, on an item).
    pub may_answer: bool,
    pub published: bool,
    pub today: String,
}

#[server(endpoint = "consult/staff")]
pub async fn get_staff_consultation(
    id: i64,
) -> Result<StaffPage<StaffConsultationView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    crate::server::consultation::staff_page(&state, user, id)
        .await
        .map_err(crate::server::workbench::internal)
}

#[server(endpoint = "consult/answer")]
pub async fn answer_consultation(
    id: i64,
    #[server(default)] answer: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let to = crate::server::consultation::answer_form(&state, user, id, &answer)
        .await
        .map_err(crate::server::workbench::internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// Publishes the officer's edited question and answer as an FAQ on the item page.
#[server(endpoint = "consult/publish")]
pub async fn publish_faq(
    id: i64,
    #[server(default)] question: String,
    #[server(default)] answer: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::session::current_user().await?;
    let to = crate::server::consultation::publish_form(&state, user, id, &question, &answer)
        .await
        .map_err(crate::server::workbench::internal)?;
    leptos_axum::redirect(&to);
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaqView {
    pub question: String,
    pub answer: String,
    pub published_at: String,
}

/// An item's published FAQs, newest first.
#[server(endpoint = "consult/faqs")]
pub async fn get_faqs(item: String) -> Result<Vec<FaqView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    crate::server::consultation::faqs(&state.db, &item)
        .await
        .map_err(crate::server::workbench::internal)
}

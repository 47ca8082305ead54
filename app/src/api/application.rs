//! The guided wizard's second half: the merged form filled section by section, the materials checklist with
//! uploads, check your answers, and submission. Every state change is a server function that stores the draft and
//! redirects (post/redirect/get), so each page works with JavaScript off.

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::api::wizard::AnswerRow;
use crate::domain::catalog::{Choice, FieldKind, MaterialForm};
use crate::domain::merged_form::{FieldProblem, SectionStatus};
use crate::domain::text::{Lang, Text};
use crate::domain::upload::FileKind;

/// The header the hydrated materials page sends with an upload made by `fetch`: the upload handler then answers
/// with the address to go to (plain text, 200) instead of a redirect, which `fetch` would follow and download as a
/// whole page. Without JavaScript the form posts and the redirect is followed as usual.
pub const UPLOAD_FETCH_HEADER: &str = "x-hall-fetch";

/// A draft's overview: the task list of form sections and the materials checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: String,
    pub theme: Named,
    pub sections: Vec<SectionLine>,
    pub materials: Vec<MaterialLine>,
    /// Every section is completed (or waits for another step's result): the check page is open.
    pub ready: bool,
    /// ISO date the draft expires if left untouched.
    pub expires: String,
    /// The case number once submitted.
    pub submitted: Option<String>,
    /// The roadmap these answers lead to.
    pub roadmap_href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionLine {
    pub id: String,
    pub status: SectionStatus,
    pub errors: usize,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialLine {
    pub id: String,
    pub name: Text,
    pub form: MaterialForm,
    pub count: u32,
    pub required: bool,
    pub shortfall_allowed: bool,
    /// Roadmap step numbers that use it.
    pub steps: Vec<usize>,
    /// Produced by an earlier step (number and item): shown, never asked.
    pub produced_by: Option<(usize, Named)>,
    pub uploads: Vec<UploadLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadLine {
    pub id: i64,
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    pub href: String,
}

/// One section of the merged form, to fill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub draft: String,
    pub theme: Named,
    pub section: String,
    /// 1-based position among the sections, and their number.
    pub position: usize,
    pub total: usize,
    pub fields: Vec<FieldView>,
    /// The section was submitted and something is wrong: show the error summary.
    pub has_errors: bool,
    pub back_href: String,
    /// Came from the check page: Continue returns there.
    pub return_to_check: bool,
    /// The server's today (ISO), so the browser checks dates exactly as the server will.
    pub today: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    pub id: String,
    pub label: Text,
    pub hint: Option<Text>,
    pub kind: FieldKind,
    pub required: bool,
    pub unit: Option<Text>,
    pub options: Vec<Choice>,
    pub max_len: Option<u32>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// What the field shows: the value as typed, even when wrong.
    pub value: String,
    pub error: Option<FieldProblem>,
    /// The departments that receive it ("asked once, sent to …").
    pub recipients: Vec<Text>,
    /// Waits for another step's result (e.g. the credit code on the business licence): not asked now.
    pub awaits: Option<Text>,
}

impl FieldView {
    /// The field as the domain's validation takes it, so the browser checks with the server's rules.
    pub fn to_merged(&self) -> crate::domain::merged_form::MergedField {
        crate::domain::merged_form::MergedField {
            field: crate::domain::catalog::Field {
                id: self.id.clone(),
                label: self.label.clone(),
                hint: None,
                kind: self.kind,
                section: String::new(),
                required: self.required,
                max_len: self.max_len,
                min: self.min,
                max: self.max,
                unit: None,
                options: self.options.clone(),
            },
            steps: Vec::new(),
            departments: Vec::new(),
            awaits: None,
        }
    }
}

/// Check your answers: everything on one page, each with a Change link, then the submit button.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckView {
    pub draft: String,
    pub theme: Named,
    pub answers: Vec<AnswerRow>,
    pub sections: Vec<CheckSection>,
    pub materials: Vec<MaterialLine>,
    /// Departments that will receive the case, with the steps each handles.
    pub departments: Vec<(Text, Vec<Text>)>,
    /// 代办: for an agent, the residents whose consent lets them file this theme today (`None` for others).
    pub agent_consents: Option<Vec<crate::api::consent::ConsentChoice>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckSection {
    pub id: String,
    pub rows: Vec<CheckRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    pub label: Text,
    pub value: String,
    pub change_href: String,
}

/// What a draft page can be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DraftPage<T> {
    Ready(T),
    /// No such draft, or it expired.
    NotFound,
    /// Nobody is signed in: go to the sign-in page and come back.
    SignIn,
    /// Someone else's draft.
    NotYours,
    /// Already submitted: go to the case.
    Submitted(String),
    /// The check page before every section is complete: go to the task list.
    NotReady(String),
}

/// 我的办事: the signed-in filer's drafts (to resume) and cases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MyPage {
    SignIn,
    Ready {
        drafts: Vec<DraftLine>,
        cases: Vec<CaseLine>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftLine {
    pub href: String,
    pub theme: Named,
    /// ISO dates.
    pub updated: String,
    pub expires: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseLine {
    pub number: String,
    pub theme: Named,
    pub status: crate::domain::case_flow::CaseStatus,
    /// ISO date.
    pub submitted: String,
    /// 代办: to the resident, the agent who filed it.
    pub filed_by_agent: Option<String>,
    /// 代办: to the agent, the resident it was filed for.
    pub for_resident: Option<String>,
}

#[server]
pub async fn get_my_applications() -> Result<MyPage, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::application::viewer().await;
    crate::server::application::mine(&state, user)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[server]
pub async fn get_application(id: String) -> Result<DraftPage<ApplicationView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::application::viewer().await;
    crate::server::application::overview(&state, &id, user)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[server]
pub async fn get_section(
    id: String,
    section: String,
    query: String,
) -> Result<DraftPage<SectionView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::application::viewer().await;
    let return_to_check = crate::server::wizard::decode_query(&query)
        .iter()
        .any(|(k, v)| k == "return" && v == "check");
    crate::server::application::section(&state, &id, &section, return_to_check, user)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[server]
pub async fn get_check(id: String, lang: Lang) -> Result<DraftPage<CheckView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::application::viewer().await;
    crate::server::application::check(&state, &id, lang, user)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// Starts an application from a complete roadmap: the signed scenario answers become a draft.
#[server]
pub async fn start_application(
    theme: String,
    answers: String,
    sig: String,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::application::viewer().await;
    let to = crate::server::application::start(&state, &theme, &answers, &sig, user)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?;
    leptos_axum::redirect(&to);
    Ok(())
}

/// Saves one section as typed and goes on: to the same section when something is wrong (its errors shown, every
/// value kept), else to the check page (after a Change), the next unfinished section, or the task list.
#[server]
pub async fn save_section(
    draft: String,
    section: String,
    #[server(default)] values: HashMap<String, String>,
    #[server(default)] return_to: Option<String>,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::application::viewer().await;
    let to = crate::server::application::save_section(
        &state,
        &draft,
        &section,
        values,
        return_to.as_deref() == Some("check"),
        user,
    )
    .await
    .map_err(|e| ServerFnError::new(e.to_string()))?;
    leptos_axum::redirect(&to);
    Ok(())
}

#[server]
pub async fn remove_upload(
    draft: String,
    upload: i64,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let user = crate::server::application::viewer().await;
    let to = crate::server::application::remove_upload(&state, &draft, upload, user)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))?;
    leptos_axum::redirect(&to);
    Ok(())
}

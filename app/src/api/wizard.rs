//! The guided wizard's first half: scenario questions one per page → exit or personal roadmap.
//!
//! All state lives in the URL (`/themes/{id}/apply?a.entity=company&a.area=120&show=area`): each page is a GET form
//! carrying the earlier answers as hidden fields, so it works with JavaScript off, Back links keep every answer, and
//! no personal data is involved yet (scenario answers only; the merged form posts).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::domain::catalog::Choice;
use crate::domain::text::{Lang, Text};
use crate::domain::theme::QuestionKind;

/// A query parameter carrying an answer: `a.{question id}`.
pub const ANSWER_PREFIX: &str = "a.";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WizardView {
    pub theme: Named,
    /// Hidden fields that carry the answers given so far (name, value).
    pub carried: Vec<(String, String)>,
    pub back_href: String,
    pub page: WizardPage,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WizardPage {
    Question(QuestionPage),
    Exit(ExitPage),
    Roadmap(RoadmapPage),
    /// A historical theme: read-only, cannot be started.
    NotStartable,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionPage {
    pub id: String,
    pub text: Text,
    pub help: Option<Text>,
    pub kind: QuestionKind,
    pub options: Vec<Choice>,
    pub unit: Option<Text>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// What the field shows: the earlier answer, or what the user typed when it was refused.
    pub value: String,
    pub error: Option<AnswerProblem>,
    /// 1-based position among the questions shown now, and their number.
    pub position: usize,
    pub total: usize,
}

/// Why an answer was refused, for a message in the user's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AnswerProblem {
    Missing,
    NotAnOption,
    NotANumber,
    BelowMin(f64),
    AboveMax(f64),
    NotADate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExitPage {
    pub reason: Text,
    pub instead: Option<Text>,
    /// The answers that led here, in words.
    pub because: Vec<String>,
    pub change_href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadmapPage {
    pub stages: Vec<Vec<RoadmapStep>>,
    pub left_out: Vec<LeftOut>,
    pub critical_days: u32,
    pub open_limits: bool,
    /// ISO date: the earliest completion if started today.
    pub earliest: String,
    pub answers: Vec<AnswerRow>,
    /// The one merged form (一表申请): each field once, with the departments that receive it.
    pub form: Vec<FormSectionPreview>,
    /// The one materials checklist: each document once; those an earlier step produces are not asked for.
    pub materials: Vec<MaterialPreview>,
    /// The answers behind this roadmap as a query string, and the server's signature of them: the hidden fields of
    /// the form that starts the application (the signature is added by the server function).
    pub start_answers: String,
    pub start_sig: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormSectionPreview {
    pub id: String,
    pub fields: Vec<FieldPreview>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldPreview {
    pub label: Text,
    pub required: bool,
    /// Short names of the departments that receive it.
    pub recipients: Vec<Text>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialPreview {
    pub name: Text,
    pub form: crate::domain::item::MaterialForm,
    pub count: u32,
    pub required: bool,
    pub shortfall_allowed: bool,
    /// Step numbers that need it.
    pub steps: Vec<usize>,
    /// The step (number, item) whose result it is, when an earlier step produces it.
    pub produced_by: Option<(usize, Named)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoadmapStep {
    pub number: usize,
    pub item: Named,
    pub department: Named,
    pub why: Option<Text>,
    /// The answers that made it apply, in words.
    pub because: Vec<String>,
    pub after: Vec<usize>,
    pub committed: crate::domain::item::Limit,
    pub fee: Option<crate::domain::item::Fee>,
    /// ISO date this step is due if the case starts today.
    pub due: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    pub item: Named,
    pub why_not: Option<Text>,
    pub because: Vec<String>,
}

/// One answer on the check-your-answers list, with a link to change it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerRow {
    pub question: Text,
    pub answer: String,
    pub change_href: String,
}

/// The wizard page for a theme and the page's query string (`a.entity=company&from=entity`).
#[server]
pub async fn get_wizard(
    theme: String,
    query: String,
    lang: Lang,
) -> Result<Option<WizardView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let today = crate::server::clock::local_today();
    let params = crate::server::wizard::decode_query(&query);
    let mut view = crate::server::wizard::page(&state.catalog, &theme, &params, lang, today);
    if let Some(WizardView {
        page: WizardPage::Roadmap(roadmap),
        ..
    }) = view.as_mut()
    {
        roadmap.start_sig = state.signer.sign(
            &crate::server::application::answers_purpose(&theme),
            &roadmap.start_answers,
        );
    }
    Ok(view)
}

//! The application service: from a complete roadmap to a draft, section by section through the merged form, the
//! materials checklist and the check page. Builds the wire views of `api::application`; every rule it applies
//! lives in the domain (`merged_form`, `upload`), every SQL statement in `drafts`.

use std::collections::{BTreeMap, HashMap};

use crate::api::application::{
    ApplicationView, CaseLine, CheckRow, CheckSection, CheckView, DraftLine, DraftPage, FieldView,
    MaterialLine, MyPage, SectionLine, SectionView, UploadLine,
};
use crate::api::catalog::Named;
use crate::api::wizard::AnswerRow;
use crate::domain::answer::Answers;
use crate::domain::catalog::FieldKind;
use crate::domain::merged_form::{MaterialSource, MergedForm, SectionStatus, Validation};
use crate::domain::roadmap::{answer_label, plan, Roadmap};
use crate::domain::text::{Lang, Text};
use crate::domain::theme::Theme;
use crate::domain::Role;

use super::db::DbError;
use super::drafts::{self, Draft, Upload};
use super::state::AppState;
use super::wizard::{answers_of, answers_query, decode_query, encode, question_href};

/// Who is asking: the signed-in account, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewer {
    pub account_id: i64,
    pub role: Role,
}

impl From<crate::api::account::SessionUser> for Viewer {
    fn from(user: crate::api::account::SessionUser) -> Viewer {
        Viewer {
            account_id: user.account_id,
            role: user.role,
        }
    }
}

/// The signed-in account of the current request (inside a server function or a page's resource).
pub async fn viewer() -> Option<Viewer> {
    super::session::current_user()
        .await
        .ok()
        .flatten()
        .map(Viewer::from)
}

/// The signed-in account of a plain axum request (the upload handlers).
pub async fn viewer_of(state: &AppState, headers: &axum::http::HeaderMap) -> Option<Viewer> {
    let cookies = headers.get(axum::http::header::COOKIE)?.to_str().ok()?;
    let token = super::session::token_from_cookies(cookies)?;
    super::session::lookup(&state.db, token, super::session::now())
        .await
        .ok()
        .flatten()
        .map(Viewer::from)
}

/// Who may file an application: citizens (and company representatives) and service-point agents.
fn may_file(viewer: &Viewer) -> bool {
    matches!(viewer.role, Role::Citizen | Role::Agent)
}

/// The purpose a roadmap's answers are signed for.
pub fn answers_purpose(theme: &str) -> String {
    format!("answers:{theme}")
}

/// The longest value one field keeps: a field's `max_len` is checked by validation; this only bounds storage.
const MAX_VALUE_CHARS: usize = 2000;

/// A draft with everything derived from it.
struct Loaded<'c> {
    draft: Draft,
    theme: &'c Theme,
    answers: Answers,
    answers_raw: Vec<(String, String)>,
    roadmap: Roadmap,
    form: MergedForm,
}

impl Loaded<'_> {
    /// The validation behind the task list and the errors shown: only sections submitted at least once count as
    /// started, so a value pre-filled from the scenario answers does not start a section or show its problems.
    fn validation(&self) -> Validation {
        progress(&self.form, &self.draft.fields, &self.draft.sections)
    }

    fn base(&self) -> String {
        format!("/applications/{}", self.draft.id)
    }

    fn section_href(&self, section: &str) -> String {
        format!("{}/sections/{}", self.base(), encode(section))
    }

    fn named_theme(&self) -> Named {
        Named {
            id: self.theme.id.clone(),
            name: self.theme.name.clone(),
        }
    }
}

fn progress(
    form: &MergedForm,
    fields: &BTreeMap<String, String>,
    submitted: &[String],
) -> Validation {
    let started: BTreeMap<String, String> = form
        .sections
        .iter()
        .filter(|s| submitted.contains(&s.id))
        .flat_map(|s| s.fields.iter())
        .filter_map(|f| Some((f.clone(), fields.get(f)?.clone())))
        .collect();
    form.validate(&started, today())
}

fn today() -> time::Date {
    super::clock::local_today()
}

enum Access<'c> {
    Open(Box<Loaded<'c>>),
    Refused(DraftPage<()>),
}

fn refusal<T>(page: DraftPage<()>) -> DraftPage<T> {
    match page {
        DraftPage::NotFound | DraftPage::Ready(()) => DraftPage::NotFound,
        DraftPage::SignIn => DraftPage::SignIn,
        DraftPage::NotYours => DraftPage::NotYours,
        DraftPage::Submitted(n) => DraftPage::Submitted(n),
        DraftPage::NotReady(h) => DraftPage::NotReady(h),
    }
}

/// Loads a draft the viewer may open: its owner's, or an anonymous one by its link.
async fn open<'c>(
    state: &'c AppState,
    id: &str,
    viewer: &Option<Viewer>,
) -> Result<Access<'c>, DbError> {
    if viewer.is_none() {
        return Ok(Access::Refused(DraftPage::SignIn));
    }
    let Some(draft) = drafts::load(&state.db, id).await? else {
        return Ok(Access::Refused(DraftPage::NotFound));
    };
    if let Some(owner) = draft.account_id {
        if viewer.as_ref().map(|v| v.account_id) != Some(owner) {
            super::security_audit::mark_refused(&format!("draft:{id}"));
            return Ok(Access::Refused(DraftPage::NotYours));
        }
    }
    if draft.case_id.is_some() {
        let number = super::cases::number_for_draft(&state.db, &draft.id)
            .await?
            .unwrap_or_default();
        return Ok(Access::Refused(DraftPage::Submitted(number)));
    }
    let Some(theme) = state.catalog.theme(&draft.theme_id) else {
        return Ok(Access::Refused(DraftPage::NotFound));
    };
    let (answers, answers_raw) = answers_of(theme, &decode_query(&draft.answers));
    let Ok(roadmap) = plan(theme, &state.catalog, &answers) else {
        return Ok(Access::Refused(DraftPage::NotFound));
    };
    let form = MergedForm::build(&state.catalog, theme, &roadmap);
    Ok(Access::Open(Box::new(Loaded {
        draft,
        theme,
        answers,
        answers_raw,
        roadmap,
        form,
    })))
}

/// Starts (or, for the same roadmap, re-enters) an application; returns where to go next.
pub async fn start(
    state: &AppState,
    theme_id: &str,
    answers: &str,
    sig: &str,
    viewer: Option<Viewer>,
) -> Result<String, DbError> {
    let Some(theme) = state.catalog.theme(theme_id).filter(|t| !t.historical) else {
        return Ok("/refused/unknown-theme".into());
    };
    if !state
        .signer
        .verify(&answers_purpose(&theme.id), answers, sig)
    {
        tracing::warn!(theme = %theme.id, "refused a start with a bad signature on the answers");
        super::security_audit::mark(
            super::security_audit::Kind::Tampered,
            &format!("theme:{}", theme.id),
        );
        return Ok("/refused/tampered".into());
    }
    let (parsed, raw) = answers_of(theme, &decode_query(answers));
    let roadmap_href = format!(
        "/themes/{}/apply?{}",
        encode(&theme.id),
        answers_query(&raw)
    );
    let Some(viewer) = viewer else {
        return Ok(crate::api::account::login_path(&roadmap_href));
    };
    if !may_file(&viewer) {
        super::security_audit::mark_refused(&format!("start:{}", theme.id));
        return Ok("/refused/staff".into());
    }
    let complete = plan(theme, &state.catalog, &parsed)
        .map(|r| r.exit.is_none() && r.next_question.is_none() && r.pending.is_empty())
        .unwrap_or(false);
    if !complete {
        // Answers missing: the wizard asks the next question.
        return Ok(roadmap_href);
    }
    let prefill = prefill(theme, &parsed, &raw);
    // One application per theme at a time: coming back through the roadmap (e.g. after changing an answer from the
    // check page) continues the open draft with the new answers and keeps everything typed.
    if let Some(id) = drafts::open_draft_for(&state.db, viewer.account_id, &theme.id).await? {
        if drafts::change_answers(&state.db, &id, &answers_query(&raw), &prefill).await? {
            return Ok(format!("/applications/{id}"));
        }
    }
    let id = drafts::create(
        &state.db,
        &theme.id,
        Some(viewer.account_id),
        &answers_query(&raw),
        &prefill,
    )
    .await?;
    Ok(format!("/applications/{id}"))
}

/// Form fields a scenario answer already tells (a question whose id is a field id of the form, or that names one
/// with `fills`), so nothing is asked twice.
fn prefill(theme: &Theme, answers: &Answers, raw: &[(String, String)]) -> BTreeMap<String, String> {
    raw.iter()
        .filter(|(q, _)| answers.get(q).is_some())
        .filter_map(|(q, v)| {
            let question = theme.question(q)?;
            let field = question.fills.clone()?;
            Some((field, v.clone()))
        })
        .collect()
}

/// The task list and the materials checklist.
pub async fn overview(
    state: &AppState,
    id: &str,
    viewer: Option<Viewer>,
) -> Result<DraftPage<ApplicationView>, DbError> {
    let loaded = match open(state, id, &viewer).await? {
        Access::Open(l) => l,
        Access::Refused(r) => return Ok(refusal(r)),
    };
    let validation = loaded.validation();
    let uploads = drafts::uploads(&state.db, id).await?;
    let sections = loaded
        .form
        .task_list(&validation)
        .into_iter()
        .map(|t| SectionLine {
            href: loaded.section_href(&t.section),
            id: t.section,
            status: t.status,
            errors: t.errors,
        })
        .collect::<Vec<_>>();
    let ready = sections.iter().all(|s| s.status.is_done());
    Ok(DraftPage::Ready(ApplicationView {
        id: loaded.draft.id.clone(),
        theme: loaded.named_theme(),
        sections,
        materials: material_lines(state, &loaded, &uploads),
        ready,
        expires: loaded.draft.expires_at.date().to_string(),
        submitted: None,
        roadmap_href: format!(
            "/themes/{}/apply?{}",
            encode(&loaded.theme.id),
            answers_query(&loaded.answers_raw)
        ),
    }))
}

fn material_lines(state: &AppState, loaded: &Loaded, uploads: &[Upload]) -> Vec<MaterialLine> {
    let number_of = |step: &str| {
        loaded
            .roadmap
            .steps
            .iter()
            .position(|s| s.id == step)
            .map(|i| i + 1)
    };
    loaded
        .form
        .materials
        .iter()
        .map(|m| MaterialLine {
            id: m.id.clone(),
            name: m.name.clone(),
            form: m.form,
            count: m.count,
            required: m.required,
            shortfall_allowed: m.shortfall_allowed,
            steps: m.steps.iter().filter_map(|s| number_of(s)).collect(),
            produced_by: match &m.source {
                MaterialSource::Applicant => None,
                MaterialSource::ProducedBy { number, item, .. } => Some((
                    *number,
                    Named {
                        id: item.clone(),
                        name: state
                            .catalog
                            .item(item)
                            .map_or_else(|| Text::zh(item), |i| i.name.clone()),
                    },
                )),
            },
            uploads: uploads
                .iter()
                .filter(|u| u.material_id == m.id)
                .map(|u| UploadLine {
                    id: u.id,
                    file_name: u.file_name.clone(),
                    kind: u.kind,
                    size: u.size,
                    href: format!("{}/uploads/{}", loaded.base(), u.id),
                })
                .collect(),
        })
        .collect()
}

/// One section of the form, with what was typed and, once submitted, what is wrong.
pub async fn section(
    state: &AppState,
    id: &str,
    section_id: &str,
    return_to_check: bool,
    viewer: Option<Viewer>,
) -> Result<DraftPage<SectionView>, DbError> {
    let loaded = match open(state, id, &viewer).await? {
        Access::Open(l) => l,
        Access::Refused(r) => return Ok(refusal(r)),
    };
    let Some(position) = loaded.form.sections.iter().position(|s| s.id == section_id) else {
        return Ok(DraftPage::NotFound);
    };
    let section = &loaded.form.sections[position];
    let validation = loaded.validation();
    let status = loaded.form.section_status(section, &validation);
    let show_errors = status == SectionStatus::InProgress;
    let fields = section
        .fields
        .iter()
        .filter_map(|f| loaded.form.field(f))
        .map(|f| FieldView {
            id: f.field.id.clone(),
            label: f.field.label.clone(),
            hint: f.field.hint.clone(),
            kind: f.field.kind,
            required: f.field.required,
            unit: f.field.unit.clone(),
            options: f.field.options.clone(),
            max_len: f.field.max_len,
            min: f.field.min,
            max: f.field.max,
            // As typed, or pre-filled from the scenario answers.
            value: loaded.draft.fields.get(f.id()).cloned().unwrap_or_default(),
            error: show_errors
                .then(|| validation.error(f.id()).cloned())
                .flatten(),
            recipients: f
                .departments
                .iter()
                .map(|d| d.short.clone().unwrap_or_else(|| d.name.clone()))
                .collect(),
            awaits: f.awaits.as_ref().and_then(|step| {
                let step = loaded.roadmap.steps.iter().find(|s| &s.id == step)?;
                Some(step.name.clone())
            }),
        })
        .collect::<Vec<_>>();
    let back_href = if return_to_check {
        format!("{}/check", loaded.base())
    } else {
        match position.checked_sub(1) {
            Some(p) => loaded.section_href(&loaded.form.sections[p].id),
            None => loaded.base(),
        }
    };
    Ok(DraftPage::Ready(SectionView {
        draft: loaded.draft.id.clone(),
        theme: loaded.named_theme(),
        section: section.id.clone(),
        position: position + 1,
        total: loaded.form.sections.len(),
        has_errors: fields.iter().any(|f| f.error.is_some()),
        fields,
        back_href,
        return_to_check,
        today: today().to_string(),
    }))
}

/// Stores a section's values as typed (only the section's own fields: anything else posted is ignored) and says
/// where to go.
pub async fn save_section(
    state: &AppState,
    id: &str,
    section_id: &str,
    values: HashMap<String, String>,
    return_to_check: bool,
    viewer: Option<Viewer>,
) -> Result<String, DbError> {
    let loaded = match open(state, id, &viewer).await? {
        Access::Open(l) => l,
        Access::Refused(DraftPage::Submitted(_)) => return Ok("/refused/submitted".into()),
        Access::Refused(_) => return Ok("/refused/draft".into()),
    };
    let Some(position) = loaded.form.sections.iter().position(|s| s.id == section_id) else {
        return Ok(loaded.base());
    };
    let section = &loaded.form.sections[position];
    // A posted form sends every field; a missing one (a radio group left unchosen) counts as blank.
    let mine: BTreeMap<String, String> = section
        .fields
        .iter()
        .filter(|f| loaded.form.field(f).is_some_and(|f| f.awaits.is_none()))
        .map(|f| {
            let v = values.get(f).map_or("", String::as_str);
            (f.clone(), v.chars().take(MAX_VALUE_CHARS).collect())
        })
        .collect();
    drafts::save_section(&state.db, id, section_id, &mine).await?;
    let mut fields = loaded.draft.fields.clone();
    fields.extend(mine);
    let mut submitted = loaded.draft.sections.clone();
    submitted.push(section_id.to_owned());
    let validation = progress(&loaded.form, &fields, &submitted);
    let tasks = loaded.form.task_list(&validation);
    let suffix = if return_to_check { "?return=check" } else { "" };
    if loaded.form.section_status(section, &validation) != SectionStatus::Completed {
        return Ok(format!("{}{suffix}", loaded.section_href(section_id)));
    }
    let all_done = tasks.iter().all(|t| t.status.is_done());
    if return_to_check && all_done {
        return Ok(format!("{}/check", loaded.base()));
    }
    // The next section still to fill, after this one and then from the start.
    let next = tasks
        .iter()
        .cycle()
        .skip(position + 1)
        .take(tasks.len())
        .find(|t| {
            matches!(
                t.status,
                SectionStatus::NotStarted | SectionStatus::InProgress
            )
        });
    Ok(match next {
        Some(t) => loaded.section_href(&t.section),
        None => format!("{}/materials", loaded.base()),
    })
}

/// Everything on one page before submitting.
pub async fn check(
    state: &AppState,
    id: &str,
    lang: Lang,
    viewer: Option<Viewer>,
) -> Result<DraftPage<CheckView>, DbError> {
    let loaded = match open(state, id, &viewer).await? {
        Access::Open(l) => l,
        Access::Refused(r) => return Ok(refusal(r)),
    };
    let validation = loaded.validation();
    let ready = loaded.form.ready(&validation);
    if !ready {
        return Ok(DraftPage::NotReady(loaded.base()));
    }
    let uploads = drafts::uploads(&state.db, id).await?;
    let answers = loaded
        .answers_raw
        .iter()
        .filter_map(|(q, _)| {
            let question = loaded.theme.question(q)?;
            let answer = loaded.answers.get(q)?;
            Some(AnswerRow {
                question: question.text.clone(),
                answer: answer_label(loaded.theme, q, answer, lang),
                change_href: question_href(&loaded.theme.id, &loaded.answers_raw, q),
            })
        })
        .collect();
    let sections = loaded
        .form
        .sections
        .iter()
        .map(|section| CheckSection {
            id: section.id.clone(),
            rows: section
                .fields
                .iter()
                .filter_map(|f| loaded.form.field(f))
                .filter(|f| f.awaits.is_none())
                .map(|f| CheckRow {
                    label: f.field.label.clone(),
                    value: shown_value(
                        f.field.kind,
                        &f.field.options,
                        validation.raw(f.id()),
                        lang,
                    ),
                    change_href: format!(
                        "{}?return=check#field-{}",
                        loaded.section_href(&section.id),
                        f.id()
                    ),
                })
                .collect(),
        })
        .collect();
    let mut departments: Vec<(String, Text, Vec<Text>)> = Vec::new();
    for step in &loaded.roadmap.steps {
        match departments
            .iter_mut()
            .find(|(id, _, _)| *id == step.department)
        {
            Some((_, _, steps)) => steps.push(step.name.clone()),
            None => departments.push((
                step.department.clone(),
                state
                    .catalog
                    .department(&step.department)
                    .map_or_else(|| Text::zh(&step.department), |d| d.name.clone()),
                vec![step.name.clone()],
            )),
        }
    }
    let agent_consents = match viewer.as_ref().filter(|v| v.role == Role::Agent) {
        Some(v) => {
            let today = super::clock::today(&state.db).await;
            Some(
                super::consent::usable_for_filing(&state.db, v.account_id, &loaded.theme.id, today)
                    .await?
                    .into_iter()
                    .map(|c| crate::api::consent::ConsentChoice {
                        id: c.id,
                        resident_name: c.resident_name,
                        resident_id_masked: c.resident_id_masked,
                        valid_until: c.consent.valid_until.to_string(),
                    })
                    .collect(),
            )
        }
        None => None,
    };
    Ok(DraftPage::Ready(CheckView {
        agent_consents,
        draft: loaded.draft.id.clone(),
        theme: loaded.named_theme(),
        answers,
        sections,
        materials: material_lines(state, &loaded, &uploads),
        departments: departments
            .into_iter()
            .map(|(_, name, steps)| (name, steps))
            .collect(),
    }))
}

/// A value as the applicant will recognise it: a choice by its label, the rest as typed.
fn shown_value(
    kind: FieldKind,
    options: &[crate::domain::catalog::Choice],
    raw: &str,
    lang: Lang,
) -> String {
    let raw = raw.trim();
    match kind {
        FieldKind::Choice => options
            .iter()
            .find(|o| o.value == raw)
            .map_or_else(|| raw.to_owned(), |o| o.label.get(lang).0.to_owned()),
        _ => raw.to_owned(),
    }
}

/// The client's address as the server saw it, for the history of the actions it takes.
pub async fn client_address() -> Option<String> {
    let info: Option<axum::extract::ConnectInfo<std::net::SocketAddr>> =
        leptos_axum::extract().await.ok();
    info.map(|axum::extract::ConnectInfo(addr)| addr.ip().to_string())
}

/// Submits a checked draft as one case and goes to its page; a draft already submitted goes to its case.
///
/// An agent (代办) files for a resident: `consent` names the resident's consent, which must allow filing this theme
/// today; otherwise the agent goes back to the check page with the reason and the draft stays as it was.
pub async fn submit(
    state: &AppState,
    id: &str,
    viewer: Option<Viewer>,
    address: Option<&str>,
    consent: Option<&str>,
) -> Result<String, DbError> {
    let loaded = match open(state, id, &viewer).await? {
        Access::Open(l) => l,
        Access::Refused(DraftPage::Submitted(number)) => return Ok(format!("/cases/{number}")),
        Access::Refused(_) => return Ok("/refused/draft".into()),
    };
    let validation = loaded.validation();
    let ready = loaded.form.ready(&validation);
    if !ready {
        return Ok(loaded.base());
    }
    // 提交频率: every new case counts against the account and the address (a replay of a submitted draft went to
    // its case above, uncounted).
    let throttle = super::login_throttle::submissions();
    let key = viewer.as_ref().map_or(0, |v| v.account_id).to_string();
    let from = address.unwrap_or("unknown");
    let now = super::session::now();
    if let Some(wait) = throttle.retry_after(&state.db, &key, from, now).await? {
        super::security_audit::mark(
            super::security_audit::Kind::SubmissionThrottled,
            &format!("draft:{id}"),
        );
        return Ok(format!(
            "{}/check?problem=too_many&retry={}#submit-heading",
            loaded.base(),
            (wait + 59) / 60
        ));
    }
    let mut owner = viewer.as_ref().map(|v| v.account_id);
    let mut agent = None;
    if let Some(v) = viewer.as_ref().filter(|v| v.role == Role::Agent) {
        let today = super::clock::today(&state.db).await;
        let chosen = match consent.and_then(|c| c.trim().parse::<i64>().ok()) {
            Some(c) => super::consent::load(&state.db, c)
                .await?
                .filter(|c| c.agent_id == v.account_id),
            None => None,
        };
        let Some(chosen) = chosen else {
            return Ok(format!(
                "{}/check?problem=no_consent#consent",
                loaded.base()
            ));
        };
        if let Err(why) =
            chosen
                .consent
                .allows(crate::domain::consent::Scope::File, &loaded.theme.id, today)
        {
            tracing::info!(draft = %id, consent = chosen.id, why = why.code(), "refused an agent's submission");
            return Ok(format!(
                "{}/check?problem={}&consent={}#consent",
                loaded.base(),
                why.code(),
                chosen.id
            ));
        }
        owner = Some(chosen.resident_account_id);
        agent = Some(super::cases::AgentFiling {
            agent_id: v.account_id,
            consent_id: chosen.id,
        });
    }
    let number = super::cases::submit_as(
        &state.db,
        &state.catalog,
        super::cases::NewCase {
            draft_id: &loaded.draft.id,
            theme_id: &loaded.theme.id,
            account_id: owner,
            answers: &loaded.draft.answers,
            fields: &loaded.draft.fields,
            roadmap: &loaded.roadmap,
            actor_role: viewer.as_ref().map_or("citizen", |v| v.role.code()),
            address,
        },
        agent,
    )
    .await?;
    throttle.record_failure(&state.db, &key, from, now).await?;
    Ok(format!("/cases/{number}?submitted=1"))
}

/// The viewer's open drafts and cases, newest first.
pub async fn mine(state: &AppState, viewer: Option<Viewer>) -> Result<MyPage, DbError> {
    let Some(viewer) = viewer else {
        return Ok(MyPage::SignIn);
    };
    let theme = |id: &str| Named {
        id: id.to_owned(),
        name: state
            .catalog
            .theme(id)
            .map_or_else(|| Text::zh(id), |t| t.name.clone()),
    };
    let drafts = drafts::open_drafts_of(&state.db, viewer.account_id)
        .await?
        .into_iter()
        .map(|(id, theme_id, updated, expires)| DraftLine {
            href: format!("/applications/{id}"),
            theme: theme(&theme_id),
            updated: updated.chars().take(10).collect(),
            expires: expires.chars().take(10).collect(),
        })
        .collect();
    // 代办: a resident's own cases name the agent who filed them; an agent's list is the cases they filed and may
    // still follow, each with its resident.
    let agents = super::consent::case_people(&state.db, viewer.account_id).await?;
    let own = super::cases::cases_of(&state.db, viewer.account_id).await?;
    let filed = if viewer.role == Role::Agent {
        let today = super::clock::today(&state.db).await;
        super::consent::cases_filed_by(&state.db, viewer.account_id, today).await?
    } else {
        Vec::new()
    };
    let cases = own
        .into_iter()
        .chain(filed)
        .filter_map(|(number, theme_id, status, submitted)| {
            let (filed_by_agent, for_resident) = agents
                .iter()
                .find(|(n, ..)| *n == number)
                .map(|(_, agent, resident)| {
                    if viewer.role == Role::Agent {
                        (None, Some(resident.clone()))
                    } else {
                        (Some(agent.clone()), None)
                    }
                })
                .unwrap_or_default();
            Some(CaseLine {
                filed_by_agent,
                for_resident,
                number,
                theme: theme(&theme_id),
                status: crate::domain::case_flow::CaseStatus::ALL
                    .into_iter()
                    .find(|s| s.code() == status)?,
                submitted: submitted.chars().take(10).collect(),
            })
        })
        .collect();
    Ok(MyPage::Ready { drafts, cases })
}

/// Removes one of a draft's uploads.
pub async fn remove_upload(
    state: &AppState,
    id: &str,
    upload: i64,
    viewer: Option<Viewer>,
) -> Result<String, DbError> {
    match open(state, id, &viewer).await? {
        Access::Open(loaded) => {
            if !drafts::remove_upload(&state.db, id, upload).await?
                && drafts::upload_exists(&state.db, upload).await?
            {
                // Another draft's file, asked for through one's own draft: id guessing.
                super::security_audit::mark_refused(&format!("upload:{id}/{upload}"));
            }
            Ok(format!("{}/materials", loaded.base()))
        }
        Access::Refused(_) => Ok("/refused/draft".into()),
    }
}

/// Whether the viewer may read or add to this draft's uploads; the draft's base path if so.
pub async fn upload_access(
    state: &AppState,
    id: &str,
    material: Option<&str>,
    viewer: Option<Viewer>,
) -> Result<Option<String>, DbError> {
    match open(state, id, &viewer).await? {
        Access::Open(loaded) => {
            let known =
                material.is_none_or(|m| loaded.form.materials_to_provide().any(|x| x.id == m));
            Ok(known.then(|| loaded.base()))
        }
        Access::Refused(_) => Ok(None),
    }
}

//! Builds the applicant's view of a case from its stored rows.

use crate::api::cases::{
    CasePage, CaseStatusAnswer, CaseTaskView, CaseView, CorrectionMaterial, HistoryLine,
};
use crate::api::catalog::Named;
use crate::domain::case_flow::{
    CaseActionKind, CaseState, CaseStatus, TaskActionKind, TaskState, TaskStatus,
};
use crate::domain::text::{Lang, Text};

use crate::domain::consent::Scope;
use crate::domain::Role;

use super::application::Viewer;
use super::cases::{self, CaseRows};
use super::db::DbError;
use super::memo::Changed;
use super::state::AppState;

/// What the case page's live poll asks (`read_case_status`): the state of the case and the fingerprint of the page
/// this viewer would see. On SQLite it is kept per case, viewer and language until something the page is built from
/// changes (the case's rows, the viewer's account, the filing agent's, the clock; `memo`), so a phone polling an
/// unchanged case costs a lookup instead of building and hashing its page. Not kept for agents, whose view rests on
/// a consent read each time; at a new day the answer is at most `memo::MAX_AGE` old.
pub async fn case_status(
    state: &AppState,
    number: &str,
    lang: Lang,
    viewer: Option<Viewer>,
) -> Result<CaseStatusAnswer, DbError> {
    let memo = state.db.memo.as_deref().map(|m| &m.statuses);
    let kept = memo.zip(
        viewer
            .as_ref()
            .filter(|v| v.role != Role::Agent)
            .map(|v| (number.to_owned(), v.account_id, lang)),
    );
    if let Some(answer) = kept.as_ref().and_then(|(memo, key)| memo.get(key)) {
        return Ok(answer);
    }
    let stamp = memo.map(|m| m.begin());
    // Boxed: the page's future is large, and every layer above would otherwise carry (and move) it on each poll,
    // built or not.
    let page = Box::pin(case_page(state, number, lang, viewer)).await?;
    let answer = CaseStatusAnswer::from(&page);
    if let (Some((memo, key)), Some(stamp), CasePage::Ready(_)) = (kept, stamp, &page) {
        // The rows the page was just built from (in memory).
        if let Some(rows) = cases::rows_by_number(&state.db, number).await? {
            let mut from = vec![
                Changed::Case(rows.case.id),
                Changed::Account(key.1),
                Changed::Clock,
            ];
            from.extend(
                rows.filed_by
                    .as_ref()
                    .map(|(agent, _)| Changed::Account(*agent)),
            );
            memo.put(key, answer.clone(), from, stamp);
        }
    }
    Ok(answer)
}

/// The case, if the viewer may see it: its owner, or staff.
pub async fn case_page(
    state: &AppState,
    number: &str,
    lang: Lang,
    viewer: Option<Viewer>,
) -> Result<CasePage, DbError> {
    if viewer.is_none() {
        return Ok(CasePage::SignIn);
    }
    let Some(mut rows) = cases::rows_by_number(&state.db, number).await? else {
        return Ok(CasePage::NotFound);
    };
    let today = super::clock::today(&state.db).await;
    let case = &rows.case;
    let owner = case.account_id == viewer.as_ref().map(|v| v.account_id);
    let staff = viewer.as_ref().is_some_and(|v| v.role.is_staff());
    // 代办: the agent who filed it follows it while the owner's consent allows, and acts for the owner while it
    // allows corrections.
    let (agent_follows, agent_acts) = match viewer
        .as_ref()
        .filter(|v| v.role == Role::Agent && !owner)
    {
        Some(v) => (
            super::consent::agent_allows(&state.db, case, v.account_id, Scope::Follow, today)
                .await?,
            super::consent::agent_allows(&state.db, case, v.account_id, Scope::Corrections, today)
                .await?,
        ),
        None => (false, false),
    };
    if !owner && !staff && !agent_follows {
        tracing::warn!(case = %number, "refused to show a case to someone not its owner");
        super::security_audit::mark_refused(&format!("case:{number}"));
        return Ok(CasePage::NotFound);
    }
    let catalog = &state.catalog;
    if super::case_actions::deem_if_due(&state.db, catalog, case, today).await? {
        rows = cases::rows_by_number(&state.db, number)
            .await?
            .unwrap_or(rows);
    }
    let CaseRows {
        case,
        tasks,
        events,
        filed_by,
    } = &*rows;
    if staff && !owner {
        let user = super::session::current_user().await.ok().flatten();
        let all: Vec<_> = tasks.iter().map(|r| r.task.clone()).collect();
        if !user.is_some_and(|u| super::workbench::may_see(&u, &all)) {
            tracing::warn!(case = %number, "refused a case outside the officer's department");
            super::security_audit::mark_refused(&format!("case:{number}"));
            return Ok(CasePage::NotFound);
        }
    }
    // The owner's open correction requests (the case's, each task's) with the files handed in for them.
    let mut correction_materials: std::collections::BTreeMap<
        Option<String>,
        Vec<CorrectionMaterial>,
    > = std::collections::BTreeMap::new();
    let acts = owner || agent_acts;
    if acts {
        let mut open = Vec::new();
        let steps = std::iter::once(None).chain(tasks.iter().map(|r| Some(r.task.id.clone())));
        for step in steps {
            if let Some(request) =
                super::corrections::open_request(&state.db, case, tasks, step.as_deref()).await?
            {
                open.push((step, request));
            }
        }
        // The files handed in so far and the form's material names, read only when a correction is open (most
        // cases never have one).
        if !open.is_empty() {
            let files = super::corrections::files(&state.db, &case.draft_id).await?;
            let form = super::workbench::case_form(state, case);
            for (step, request) in open {
                let list = crate::domain::correction::requested_materials(&request.items)
                    .into_iter()
                    .map(|id| CorrectionMaterial {
                        id: id.to_owned(),
                        name: super::workbench::material_name(form.as_ref(), id, lang),
                        files: files
                            .iter()
                            .filter(|f| f.event_id == request.event_id && f.material_id == id)
                            .map(|f| {
                                (
                                    f.file_name.clone(),
                                    format!("/applications/{}/uploads/{}", case.draft_id, f.id),
                                )
                            })
                            .collect(),
                    })
                    .collect();
                correction_materials.insert(step, list);
            }
        }
    }
    let calendar = catalog.calendar();
    let position_of = |step: &str| tasks.iter().find(|t| t.task.id == step).map(|t| t.position);
    let named = |id: &str, name: Option<&Text>| Named {
        id: id.to_owned(),
        name: name.cloned().unwrap_or_else(|| Text::zh(id)),
    };
    let task_views = tasks
        .iter()
        .map(|row| {
            let t = &row.task;
            let started = t.clock.started_on.is_some();
            let mut notes = Vec::new();
            match &t.state {
                TaskState::Refused { reason } => notes.push(reason.clone()),
                TaskState::AwaitingApplicant { items } => {
                    notes.extend(items.iter().map(|i| i.problem.clone()))
                }
                _ => {}
            }
            if let Some(ext) = &t.clock.extension {
                notes.push(ext.reason.clone());
            }
            CaseTaskView {
                step: t.id.clone(),
                version: row.version,
                owner_actions: if acts {
                    super::workbench::owner_task_actions(t)
                } else {
                    Vec::new()
                },
                number: row.position,
                item: named(&t.item, catalog.item(&t.item).map(|i| &i.name)),
                department: named(
                    &t.department,
                    catalog.department(&t.department).map(|d| &d.name),
                ),
                kind: t.kind,
                status: t.status(),
                clock: t.warning(today, calendar),
                planned_due: row.planned_due.clone(),
                committed_due: started
                    .then(|| t.committed_due(calendar).map(|d| d.to_string()))
                    .flatten(),
                statutory_due: started
                    .then(|| t.statutory_due(calendar).map(|d| d.to_string()))
                    .flatten(),
                waits_for: if t.status() == TaskStatus::Waiting {
                    t.after.iter().filter_map(|a| position_of(a)).collect()
                } else {
                    Vec::new()
                },
                notes,
                correction_materials: correction_materials
                    .get(&Some(t.id.clone()))
                    .cloned()
                    .unwrap_or_default(),
            }
        })
        .collect();
    // The notices issued so far, from the case's own entries in its history.
    let notices = super::workbench::notices_in(
        events
            .iter()
            .filter(|e| e.task_id.is_none())
            .map(|e| e.action.as_str()),
    );
    let history = events
        .iter()
        .map(|e| {
            let task = e.task_id.is_some();
            HistoryLine {
                at: e.at.clone(),
                task: e
                    .task_id
                    .and_then(|id| tasks.iter().find(|t| t.id == id).map(|t| t.position)),
                actor_role: role_label(&e.actor_role, lang),
                action: action_label(&e.action, task, lang),
                to_status: status_label(&e.to_status, task, lang),
            }
        })
        .collect();
    let theme = catalog.theme(&case.theme_id);
    let (correction_items, promise) = match &case.state {
        CaseState::CorrectionRequested { items, .. } => {
            (items.iter().map(|i| i.problem.clone()).collect(), None)
        }
        CaseState::AcceptedWithShortfall { promise, .. } => (
            Vec::new(),
            Some((
                promise
                    .materials
                    .iter()
                    .map(|id| {
                        super::workbench::case_form(state, case)
                            .and_then(|f| {
                                f.materials_to_provide()
                                    .find(|m| &m.id == id)
                                    .map(|m| m.name.get(lang).0.to_owned())
                            })
                            .unwrap_or_else(|| id.clone())
                    })
                    .collect(),
                promise.deadline.to_string(),
            )),
        ),
        _ => (Vec::new(), None),
    };
    Ok(CasePage::Ready(Box::new(CaseView {
        version: case.version,
        owner_actions: if acts {
            super::workbench::owner_case_actions(case.state.status())
        } else {
            Vec::new()
        },
        correction_items,
        promise,
        notices,
        correction_materials: correction_materials.remove(&None).unwrap_or_default(),
        number: case.number.clone(),
        lookup_code: owner.then(|| case.lookup_code.clone()),
        filed_by_agent: filed_by.as_ref().map(|(_, name)| name.clone()),
        for_resident: if agent_follows {
            resident_name(state, case.account_id).await?
        } else {
            None
        },
        theme: named(&case.theme_id, theme.map(|t| &t.name)),
        status: case.state.status(),
        submitted_at: case.submitted_at.clone(),
        tasks: task_views,
        history,
    })))
}

/// The display name of a case's owner (shown to the agent who filed for them).
async fn resident_name(state: &AppState, account: Option<i64>) -> Result<Option<String>, DbError> {
    let Some(id) = account else {
        return Ok(None);
    };
    Ok(
        sqlx::query_scalar("SELECT display_name FROM account WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?,
    )
}

/// A history entry's action in words: the state machines' labels, or the submission.
pub fn action_label(code: &str, task: bool, lang: Lang) -> String {
    let found = if task {
        TaskActionKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .map(|k| k.label(lang))
    } else {
        CaseActionKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .map(|k| k.label(lang))
    };
    match (found, lang) {
        (Some(label), _) => label.to_owned(),
        (None, lang) if code == super::corrections::UPLOAD_ACTION => {
            crate::i18n::perf::tp(lang).history_upload.into()
        }
        (None, Lang::Zh) if code == "submit" => "提交申请".into(),
        (None, Lang::En) if code == "submit" => "application submitted".into(),
        (None, _) => code.to_owned(),
    }
}

/// A status code in words.
pub fn status_label(code: &str, task: bool, lang: Lang) -> String {
    let found = if task {
        TaskStatus::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .map(|k| k.label(lang))
    } else {
        CaseStatus::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .map(|k| k.label(lang))
    };
    found.map_or_else(|| code.to_owned(), str::to_owned)
}

/// A role in words, for the history (the person's name stays with the staff side).
pub fn role_label(code: &str, lang: Lang) -> String {
    let (zh, en) = match code {
        "citizen" => ("申请人", "applicant"),
        "agent" => ("代办员", "agent"),
        "officer" => ("部门审批人员", "department officer"),
        "window" => ("综合窗口", "service-centre window"),
        "supervisor" => ("电子监察", "supervisor"),
        "admin" => ("管理员", "administrator"),
        "system" => ("系统", "system"),
        other => (other, other),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

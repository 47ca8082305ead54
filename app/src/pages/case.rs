//! The case page (办件进度): after submitting, the confirmation with the case number and lookup code; then each
//! department's task with its state, dates and what it waits for, and the history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::cases::{get_case, CasePage, CaseTaskView, CaseView, CorrectionMaterial};
use crate::api::work::CaseAct;
use crate::components::format;
use crate::components::islands::LivePoll;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::domain::case_flow::{ClockStatus, TaskKind};
use crate::i18n::application::ta;
use crate::i18n::work::tw;
use crate::i18n::Lang;
use crate::pages::work::{outcome_message, ActForm, NoticeLinks, Outcome};

#[component]
pub fn CasePageView() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let act = ServerAction::<CaseAct>::new();
    // The query too: an action's redirect (`?done=` / `?problem=`) must render its outcome even when the action's
    // own refetch finished before the router followed the redirect.
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("number").unwrap_or_default(),
                query.read().to_query_string(),
                act.version().get(),
            )
        },
        move |(n, _, _)| get_case(n, lang),
    );
    view! {
        // Live progress: once hydrated, the page asks for the case's state every 10 s and reads the case again when
        // it changed (see `LivePoll`).
        <div id="case-live">
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(CasePage::Ready(view)) => view! { <Case view=*view act/> }.into_any(),
                    Ok(CasePage::NotFound) => view! { <CaseNotFound/> }.into_any(),
                    Ok(CasePage::SignIn) => {
                        let path = format!("/cases/{}", params.read_untracked().get("number").unwrap_or_default());
                        view! { <leptos_router::components::Redirect path=crate::api::account::login_path(&path)/> }.into_any()
                    }
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Transition>
        </div>
        <LivePoll
            region="case-live".to_owned()
            case=params.read_untracked().get("number").unwrap_or_default()
            lang
            seconds=10
        />
        // Outside the live view, which is replaced when the case changes: a comment being typed stays.
        <crate::pages::feedback::CaseFeedback number=Signal::derive(move || params.read().get("number").unwrap_or_default())/>
    }
}

#[component]
fn CaseNotFound() -> impl IntoView {
    let a = ta(use_lang());
    view! {
        <div class="page narrow">
            <Title text=a.case_not_found_title/>
            <h1>{a.case_not_found_title}</h1>
            <p>{a.case_not_found_body}</p>
        </div>
    }
}

fn step_word(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {n} 步"),
        Lang::En => format!("Step {n}"),
    }
}

fn clock_class(c: ClockStatus) -> &'static str {
    match c {
        ClockStatus::DueSoon => "clock clock--soon",
        ClockStatus::Overdue => "clock clock--late",
        _ => "clock",
    }
}

#[component]
fn Case(view: CaseView, act: ServerAction<CaseAct>) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let w = tw(lang);
    let outcome = outcome_message(lang);
    let number = view.number.clone();
    let version = view.version;
    let owner_forms = view
        .owner_actions
        .iter()
        .map(|k| view! { <ActForm act number=number.clone() version action=k.code() label=k.label(lang)/> })
        .collect_view();
    let todo =
        !view.owner_actions.is_empty() || view.tasks.iter().any(|t| !t.owner_actions.is_empty());
    let just_submitted = use_query_map().read_untracked().get("submitted").is_some();
    let title = if just_submitted {
        a.submitted_banner
    } else {
        a.case_title
    };
    let fingerprint = view.fingerprint();
    view! {
        // What the live poll compares with the case's current fingerprint (see `LivePoll`).
        <div class="page narrow case" data-live-token=fingerprint>
            <Title text=title/>
            {if just_submitted {
                view! {
                    <div class="panel panel--success" role="status">
                        <h1>{a.submitted_banner}</h1>
                        <p>{a.case_number_label}<br/><strong class="case-number">{view.number.clone()}</strong></p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class="eyebrow"><Tx text=view.theme.name.clone()/></p>
                    <h1>{a.case_title}</h1>
                }.into_any()
            }}
            <dl class="summary">
                <div class="summary__row"><dt>{a.case_number_label}</dt><dd>{view.number.clone()}</dd></div>
                {view.for_resident.clone().map(|r| {
                    let k = crate::i18n::consent::tc(lang);
                    view! { <div class="summary__row"><dt>{k.resident_label}</dt><dd>{r}</dd></div> }
                })}
                {view.lookup_code.clone().map(|code| view! {
                    <div class="summary__row"><dt>{a.lookup_code_label}</dt><dd><strong>{code}</strong></dd></div>
                })}
                <div class="summary__row"><dt>{a.case_status_label}</dt><dd>{view.status.label(lang)}</dd></div>
                <div class="summary__row"><dt>{a.submitted_at_label}</dt><dd>{format::iso_date(&view.submitted_at.chars().take(10).collect::<String>(), lang)}</dd></div>
            </dl>
            {view.filed_by_agent.clone().map(|agent| {
                let k = crate::i18n::consent::tc(lang);
                view! { <p class="note agent-note">{format!("{}{agent}{}", k.filed_by_prefix, k.filed_by_suffix)}</p> }
            })}
            {view.lookup_code.is_some().then(|| view! { <p class="note">{a.lookup_code_note}</p> })}
            {view.lookup_code.is_some().then(|| {
                let tr = crate::i18n::track::tt(lang);
                view! { <p class="note">{tr.receipt_note}" "<a href="/track">{tr.nav_track}</a></p> }
            })}
            {view.lookup_code.is_some().then(|| {
                let ap = crate::i18n::appointments::at(lang);
                view! {
                    <p class="no-print">{ap.book_lead}" "
                        <a class="button-link" href=format!("/appointments/new?case={}", view.number)>{ap.book_link}</a>
                    </p>
                }
            })}
            {just_submitted.then(|| view! {
                <h2>{a.next_heading}</h2>
                <p>{a.next_window}</p>
            })}
            <Outcome message=outcome/>
            {todo.then(|| view! {
                <section class="todo" aria-labelledby="todo-heading">
                    <h2 id="todo-heading">{w.todo_heading}</h2>
                    {(!view.correction_items.is_empty()).then(|| view! {
                        <p>{w.todo_case_correction}</p>
                        <ul>{view.correction_items.clone().into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                    })}
                    {(!view.correction_materials.is_empty()).then(|| view! {
                        <CorrectionUploads id="correction-case".into() number=number.clone() step=String::new() materials=view.correction_materials.clone()/>
                    })}
                    {view.promise.clone().map(|(items, deadline)| view! {
                        <p>{w.todo_promise_prefix}{format::iso_date(&deadline, lang)}</p>
                        <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                    })}
                    <p class="hint">{w.todo_materials_note}</p>
                    {owner_forms}
                </section>
            })}
            <NoticeLinks number=number.clone() notices=view.notices.clone()/>
            <h2>{a.tasks_heading}</h2>
            <p class="hint">{w.live_note}</p>
            <ol class="case-tasks">
                {view.tasks.into_iter().map(|t| view! { <CaseTask t number=number.clone() act/> }).collect_view()}
            </ol>
            <h2>{a.history_heading}</h2>
            <ol class="history">
                {view.history.into_iter().map(|h| {
                    let when = h.at.replace('T', " ").chars().take(16).collect::<String>();
                    let step = h.task.map(|n| format!("{} · ", step_word(n, lang)));
                    view! {
                        <li>
                            <time datetime=h.at.clone()>{when}</time>
                            " " {step} {h.action} " — " {h.to_status}
                            <small>" (" {h.actor_role} ")"</small>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}

#[component]
fn CaseTask(t: CaseTaskView, number: String, act: ServerAction<CaseAct>) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let w = tw(lang);
    let asks = t.status == crate::domain::case_flow::TaskStatus::AwaitingApplicant;
    let forms = t
        .owner_actions
        .iter()
        .map(|k| {
            view! {
                <ActForm act number=number.clone() step=t.step.clone() version=t.version action=k.code() label=k.label(lang)/>
            }
        })
        .collect_view();
    let waits = (!t.waits_for.is_empty()).then(|| {
        let list = t
            .waits_for
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("、");
        format!("{}{list}{}", a.waits_for_prefix, a.waits_for_suffix)
    });
    view! {
        <li class="case-task" id=format!("task-{}", t.step)>
            <h3>
                <span class="step__number">{step_word(t.number, lang)}</span>
                " "
                <Tx text=t.item.name/>
            </h3>
            <p>
                <Tx text=t.department.name/>
                {(t.kind == TaskKind::ApplicantTodo).then(|| view! { " · " <span class="tag">{a.task_kind_todo}</span> })}
            </p>
            <p>
                <strong class=clock_class(t.clock)>{t.status.label(lang)}</strong>
                {(matches!(t.clock, ClockStatus::DueSoon | ClockStatus::Overdue)).then(|| view! { " · " {crate::i18n::application::clock(t.clock, lang)} })}
            </p>
            {waits.map(|w| view! { <p class="hint">{w}</p> })}
            <dl class="step__facts">
                {t.planned_due.map(|d| view! { <dt>{a.planned_due_label}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
                {t.committed_due.map(|d| view! { <dt>{a.committed_due_label}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
                {t.statutory_due.map(|d| view! { <dt>{a.statutory_due_label}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
            </dl>
            {(asks && !t.notes.is_empty()).then(|| view! { <p><strong>{w.todo_task_correction}</strong></p> })}
            {(!t.notes.is_empty()).then(|| view! {
                <ul class="notes">{t.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
            {(!t.correction_materials.is_empty()).then(|| view! {
                <CorrectionUploads id=format!("correction-{}", t.step) number=number.clone() step=t.step.clone() materials=t.correction_materials.clone()/>
            })}
            {forms}
        </li>
    }
}

/// The materials a correction request asks for again: the files handed in so far and a plain upload form for
/// each (multipart, works without JavaScript); `step` is empty for the window's request on the case.
#[component]
fn CorrectionUploads(
    id: String,
    number: String,
    step: String,
    materials: Vec<CorrectionMaterial>,
) -> impl IntoView {
    let lang = use_lang();
    let p = crate::i18n::perf::tp(lang);
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let items = materials
        .into_iter()
        .map(|m| {
            let input_id = format!("{id}-{}", m.id);
            let hint_id = format!("{input_id}-hint");
            let action = format!("/cases/{}/corrections/{}", number, m.id);
            let name = m.name.clone();
            view! {
                <li class="correction-upload">
                    <strong>{m.name.clone()}</strong>
                    <p>
                        {if m.files.is_empty() {
                            view! { <small>{p.no_new_file}</small> }.into_any()
                        } else {
                            view! {
                                {p.new_files}
                                {m.files.into_iter().map(|(file, href)| view! { <a href=href>{file}</a>" " }).collect_view()}
                            }
                            .into_any()
                        }}
                    </p>
                    <form method="post" enctype="multipart/form-data" action=crate::pages::application::keyed(&action, &crate::components::idem::new_key()) class="upload-form">
                        <input type="hidden" name="step" value=step.clone()/>
                        <label for=input_id.clone()>{p.file_label}<span class="visually-hidden">{format!("：{name}")}</span></label>
                        <p class="hint" id=hint_id.clone()>{p.file_hint}</p>
                        <input type="file" id=input_id name="file" aria-describedby=hint_id
                            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
                        <button type="submit" class="secondary">{p.upload_button}<span class="visually-hidden">{format!("：{}", m.name)}</span></button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="correction-uploads" id=id aria-labelledby=labelled_by>
            <h3 id=heading_id>{p.upload_heading}</h3>
            <p class="hint">{p.upload_lead}</p>
            <ul class="materials">{items}</ul>
        </section>
    }
}

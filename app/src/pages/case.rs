//! The case page (办件进度): after submitting, the confirmation with the case number and lookup code; then each
//! department's task with its state, dates and what it waits for, and the history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::cases::{get_case, CasePage, CaseTaskView, CaseView};
use crate::components::format;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::domain::case_flow::{ClockStatus, TaskKind};
use crate::i18n::application::ta;
use crate::i18n::Lang;

#[component]
pub fn CasePageView() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let data = Resource::new(
        move || params.read().get("number").unwrap_or_default(),
        move |n| get_case(n, lang),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(CasePage::Ready(view)) => view! { <Case view/> }.into_any(),
                    Ok(CasePage::NotFound) => view! { <CaseNotFound/> }.into_any(),
                    Ok(CasePage::SignIn) => {
                        let path = format!("/cases/{}", params.read_untracked().get("number").unwrap_or_default());
                        view! { <leptos_router::components::Redirect path=crate::api::account::login_path(&path)/> }.into_any()
                    }
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
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
fn Case(view: CaseView) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let just_submitted = use_query_map().read_untracked().get("submitted").is_some();
    let title = if just_submitted {
        a.submitted_banner
    } else {
        a.case_title
    };
    view! {
        <div class="page narrow case">
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
                {view.lookup_code.clone().map(|code| view! {
                    <div class="summary__row"><dt>{a.lookup_code_label}</dt><dd><strong>{code}</strong></dd></div>
                })}
                <div class="summary__row"><dt>{a.case_status_label}</dt><dd>{view.status.label(lang)}</dd></div>
                <div class="summary__row"><dt>{a.submitted_at_label}</dt><dd>{format::iso_date(&view.submitted_at.chars().take(10).collect::<String>(), lang)}</dd></div>
            </dl>
            {view.lookup_code.is_some().then(|| view! { <p class="note">{a.lookup_code_note}</p> })}
            {just_submitted.then(|| view! {
                <h2>{a.next_heading}</h2>
                <p>{a.next_window}</p>
            })}
            <h2>{a.tasks_heading}</h2>
            <ol class="case-tasks">
                {view.tasks.into_iter().map(|t| view! { <CaseTask t/> }).collect_view()}
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
fn CaseTask(t: CaseTaskView) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
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
        <li class="case-task">
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
            {(!t.notes.is_empty()).then(|| view! {
                <ul class="notes">{t.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
        </li>
    }
}

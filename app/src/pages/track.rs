//! 进度查询 without an account: the form (`/track`: case number and 查询码, posted, never in the URL) and the
//! progress it opens (`/track/{pass}`: only statuses and dates). See `api/track.rs` for why a signed pass.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

use crate::api::track::{get_track, TrackLookup, TrackPage, TrackProblem, TrackView};
use crate::components::format;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::domain::case_flow::ClockStatus;
use crate::i18n::application::ta;
use crate::i18n::track::{problem, tt};
use crate::i18n::Lang;

#[component]
pub fn TrackFormPage() -> impl IntoView {
    let lookup = ServerAction::<TrackLookup>::new();
    // A fresh form for each answer from the server: a code typed before is never kept (see LoginPage).
    let q = use_query_map().get_untracked();
    view! { <TrackForm q lookup/> }
}

#[component]
fn TrackForm(q: ParamsMap, lookup: ServerAction<TrackLookup>) -> impl IntoView {
    let lang = use_lang();
    let s = tt(lang);
    let err = crate::i18n::t(lang);
    let message = q
        .get("problem")
        .and_then(|c| TrackProblem::from_code(&c))
        .map(|p| problem(p, &q.get("until").unwrap_or_default(), lang));
    let title = match &message {
        Some(_) => format!("{}{}", err.error_prefix, s.title),
        None => s.title.to_owned(),
    };
    let invalid = message.is_some().then_some("true");
    view! {
        <Title text=title/>
        <section class="page narrow form-page">
            <h1>{s.title}</h1>
            {message.map(|m| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="track-error-title">
                    <h2 id="track-error-title">{s.problem_heading}</h2>
                    <ul><li><a href="#number">{m}</a></li></ul>
                </div>
            })}
            <p>{s.lead}</p>
            <ActionForm action=lookup attr:novalidate=true>
                <div class="field">
                    <label for="number">{s.number_label}</label>
                    <p class="hint" id="number-hint">{s.number_hint}</p>
                    <input
                        type="text"
                        id="number"
                        name="number"
                        value=q.get("number").unwrap_or_default()
                        autocomplete="off"
                        inputmode="numeric"
                        spellcheck="false"
                        aria-describedby="number-hint"
                        aria-invalid=invalid
                    />
                </div>
                <div class="field">
                    <label for="code">{s.code_label}</label>
                    <p class="hint" id="code-hint">{s.code_hint}</p>
                    <input
                        type="text"
                        id="code"
                        name="code"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        aria-describedby="code-hint"
                        aria-invalid=invalid
                    />
                </div>
                <button type="submit" class="primary">{s.submit}</button>
            </ActionForm>
            <p class="hint">{s.signed_in_note}</p>
        </section>
    }
}

#[component]
pub fn TrackResultPage() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let data = Resource::new(
        move || params.read().get("pass").unwrap_or_default(),
        move |pass| get_track(pass, lang),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(TrackPage::Ready(view)) => view! { <Progress view=*view/> }.into_any(),
                    Ok(TrackPage::Expired) => view! { <Expired/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Expired() -> impl IntoView {
    let lang = use_lang();
    let s = tt(lang);
    view! {
        <section class="page narrow">
            <Title text=s.title/>
            <h1>{s.title}</h1>
            <p class="notice" role="status">{problem(TrackProblem::Expired, "", lang)}</p>
            <p><a href="/track">{s.again}</a></p>
        </section>
    }
}

fn step_word(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {n} 步"),
        Lang::En => format!("Step {n}"),
    }
}

#[component]
fn Progress(view: TrackView) -> impl IntoView {
    let lang = use_lang();
    let s = tt(lang);
    let a = ta(lang);
    view! {
        <section class="page narrow case">
            <Title text=s.result_title/>
            <h1>{s.result_title}</h1>
            <p class="hint">{s.privacy_note}</p>
            <dl class="summary">
                <div class="summary__row"><dt>{a.case_number_label}</dt><dd>{view.number.clone()}</dd></div>
                <div class="summary__row"><dt>{s.theme_label}</dt><dd><Tx text=view.theme.name.clone()/></dd></div>
                <div class="summary__row"><dt>{s.case_status_label}</dt><dd><strong>{view.status.label(lang)}</strong></dd></div>
                <div class="summary__row"><dt>{s.submitted_on_label}</dt><dd>{format::iso_date(&view.submitted_on, lang)}</dd></div>
            </dl>
            <h2>{s.steps_heading}</h2>
            <ol class="case-tasks">
                {view.tasks.into_iter().map(|t| {
                    let late = matches!(t.clock, ClockStatus::DueSoon | ClockStatus::Overdue);
                    view! {
                        <li class="case-task">
                            <h3>
                                <span class="step__number">{step_word(t.number, lang)}</span>
                                " "
                                <Tx text=t.item.name/>
                            </h3>
                            <p><Tx text=t.department.name/></p>
                            <p>
                                <strong>{t.status.label(lang)}</strong>
                                {late.then(|| view! { " · " {crate::i18n::application::clock(t.clock, lang)} })}
                            </p>
                            <dl class="step__facts">
                                {t.planned_due.map(|d| view! { <dt>{a.planned_due_label}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
                                {t.committed_due.map(|d| view! { <dt>{a.committed_due_label}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
                                {t.statutory_due.map(|d| view! { <dt>{a.statutory_due_label}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
                            </dl>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <h2>{s.history_heading}</h2>
            <ol class="history">
                {view.history.into_iter().map(|h| {
                    let when = h.at.replace('T', " ").chars().take(16).collect::<String>();
                    let step = h.task.map(|n| format!("{} · ", step_word(n, lang)));
                    view! {
                        <li><time datetime=h.at.clone()>{when}</time>" " {step} {h.to_status}</li>
                    }
                }).collect_view()}
            </ol>
            <p><a href="/track">{s.again}</a></p>
        </section>
    }
}

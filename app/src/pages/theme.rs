//! A theme overview (主题服务): the whole flow as numbered steps, parallel steps grouped by stage, who does each,
//! what each needs and produces, fees, committed days, and the critical path in working days.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::catalog::{get_theme, StepView, ThemeView};
use crate::components::format;
use crate::components::lists::{EntryNotFound, LoadError, Loading};
use crate::components::text::{plain, use_lang, Tx, TxPara};
use crate::i18n::t;

#[component]
pub fn ThemePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_theme,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => view! { <ThemeBody view/> }.into_any(),
                    Ok(None) => view! { <EntryNotFound/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ThemeBody(view: ThemeView) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let title = plain(&view.card.name, lang);
    let stage_count = view.stages.len();
    let lead_href = format!("/departments/{}", view.lead.id);
    let critical = view
        .critical_steps
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" → ");
    view! {
        <Title text=title/>
        <article class="page theme">
            <h1><Tx text=view.card.name.clone()/></h1>
            {view.card.historical.then(|| view! {
                <p class="badge">{s.historical_badge}{view.card.era.clone().map(|era| view! { " · " <Tx text=era/> })}</p>
            })}
            <TxPara text=view.card.summary.clone() class="lead"/>
            <dl class="facts">
                <dt>{s.lead_department}</dt>
                <dd><a href=lead_href><Tx text=view.lead.name.clone()/></a></dd>
                <dt>{s.departments_count}</dt>
                <dd>{view.card.departments}</dd>
                {view.card.committed_days.map(|d| view! {
                    <dt>{s.committed_days_label}</dt>
                    <dd>{format!("{d} {}", s.working_days)}</dd>
                })}
            </dl>
            {view.who.clone().map(|who| view! { <h2>{s.who_heading}</h2><p><Tx text=who/></p> })}
            {view.needs.clone().map(|needs| view! { <h2>{s.needs_heading}</h2><p><Tx text=needs/></p> })}
            {(!view.card.historical && view.questions > 0).then(|| view! {
                <p class="note">{format!("{} {} {}", s.questions_note_prefix, view.questions, s.questions_note_suffix)}</p>
            })}
            {(!view.card.historical).then(|| {
                let start = format!("/themes/{}/apply", view.card.id);
                view! { <p><a class="button button--start" href=start>{s.start_button}</a></p> }
            })}

            <h2 id="flow">{s.flow_heading}</h2>
            <ol class="stages">
                {view
                    .stages
                    .into_iter()
                    .enumerate()
                    .map(|(i, steps)| {
                        let parallel = steps.len() > 1;
                        let heading_id = format!("stage-{}", i + 1);
                        let heading_id_ref = heading_id.clone();
                        view! {
                            <li class="stage" aria-labelledby=heading_id_ref>
                                <h3 id=heading_id>
                                    {format!("{}{}{} / {stage_count}", s.stage_prefix, i + 1, s.stage_suffix)}
                                </h3>
                                {parallel.then(|| view! { <p class="parallel-note">{s.parallel_note}</p> })}
                                <ul class=if parallel { "steps steps--parallel" } else { "steps" }>
                                    {steps.into_iter().map(|step| view! { <Step step/> }).collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>

            <h2>{s.critical_heading}</h2>
            <p>
                <strong>{format!("{} {} {}", s.critical_prefix, view.critical_days, s.working_days)}</strong>
                {(!critical.is_empty()).then(|| format!(" ({} {critical})", s.step_word))}
            </p>
            {(!view.card.historical).then(|| view! {
                <p>{format!("{} {} {}", s.earliest_prefix, format::iso_date(&view.earliest, lang), s.earliest_suffix)}</p>
            })}
            {view.open_limits.then(|| view! { <p class="note">{s.open_limits_note}</p> })}
            <crate::pages::feedback::ThemeConsultLink theme=view.card.id.clone()/>
        </article>
    }
}

#[component]
fn Step(step: StepView) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let item_href = format!("/items/{}", step.item.id);
    let dept_href = format!("/departments/{}", step.department.id);
    let after = step
        .after
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("、");
    let labelled = format!("step-{}", step.number);
    let labelled_ref = labelled.clone();
    view! {
        <li class="step" aria-labelledby=labelled_ref>
            <h4 id=labelled>
                <span class="step__number">{format!("{} {}", s.step_word, step.number)}</span>
                " "
                <a href=item_href><Tx text=step.item.name/></a>
            </h4>
            {step.conditional.then(|| view! { <p class="tag">{s.conditional_note}</p> })}
            {(!step.alternatives.is_empty()).then(|| view! {
                <p>{s.one_of_note}</p>
                <ul>
                    {step.alternatives.into_iter().map(|a| {
                        let href = format!("/items/{}", a.id);
                        view! { <li><a href=href><Tx text=a.name/></a></li> }
                    }).collect_view()}
                </ul>
            })}
            <TxPara text=step.why/>
            <dl class="step__facts">
                <dt>{s.department_word}</dt>
                <dd><a href=dept_href><Tx text=step.department.name/></a></dd>
                {(!after.is_empty()).then(|| view! { <dt>{s.after_word}</dt><dd>{after}</dd> })}
                {(!step.needs.is_empty()).then(|| view! {
                    <dt>{s.needs_word}</dt>
                    <dd><ul>{step.needs.into_iter().map(|m| view! { <li><Tx text=m/></li> }).collect_view()}</ul></dd>
                })}
                {(!step.from_earlier.is_empty()).then(|| view! {
                    <dt>{s.from_earlier_word}</dt>
                    <dd><ul>{step.from_earlier.into_iter().map(|m| view! { <li><Tx text=m/></li> }).collect_view()}</ul></dd>
                })}
                {(!step.produces.is_empty()).then(|| view! {
                    <dt>{s.produces_word}</dt>
                    <dd><ul>{step.produces.into_iter().map(|m| view! { <li><Tx text=m/></li> }).collect_view()}</ul></dd>
                })}
                <dt>{s.fee_word}</dt>
                <dd>{format::fee(&step.fee, lang)}</dd>
                <dt>{s.committed_word}</dt>
                <dd>{format::limit(&step.committed, lang)}</dd>
                <dt>{s.statutory_word}</dt>
                <dd>{format::limit(&step.statutory, lang)}</dd>
            </dl>
        </li>
    }
    .into_any()
}

//! The wizard's pages: one scenario question per page (with Back, Continue, an error summary that takes focus and
//! keeps what was typed), exit pages for people who are not eligible, and the personal roadmap with the reasons
//! behind every step that applies or was left out.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::application::StartApplication;
use crate::api::wizard::{
    get_wizard, AnswerProblem, ExitPage, QuestionPage, RoadmapPage, WizardPage, WizardView,
};
use crate::components::format;
use crate::components::idem::IdemKey;
use crate::components::lists::{EntryNotFound, LoadError, Loading};
use crate::components::text::{plain, use_lang, Tx, TxPara};
use crate::domain::theme::QuestionKind;
use crate::i18n::{t, Strings};

#[component]
pub fn WizardPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let lang = use_lang();
    let data = Resource::new(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            (id, query.read().to_query_string())
        },
        move |(id, q)| get_wizard(id, q, lang),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => view! { <Wizard view/> }.into_any(),
                    Ok(None) => view! { <EntryNotFound/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Wizard(view: WizardView) -> impl IntoView {
    let s = t(use_lang());
    let back = view.back_href.clone();
    let body = match view.page.clone() {
        WizardPage::Question(q) => view! { <Question view=view.clone() q/> }.into_any(),
        WizardPage::Exit(exit) => view! { <Exit exit/> }.into_any(),
        WizardPage::Roadmap(roadmap) => view! { <Roadmap view=view.clone() roadmap/> }.into_any(),
        WizardPage::NotStartable => view! {
            <Title text=s.not_startable_title/>
            <h1>{s.not_startable_title}</h1>
            <p>{s.not_startable_body}</p>
            <p><a href="/">{s.go_home}</a></p>
        }
        .into_any(),
    };
    view! {
        <div class="page narrow wizard">
            <p><a class="back-link" href=back>{s.back}</a></p>
            <p class="eyebrow"><Tx text=view.theme.name/></p>
            {body}
        </div>
    }
}

fn problem_text(s: &Strings, problem: &AnswerProblem, kind: QuestionKind) -> String {
    match problem {
        AnswerProblem::Missing if kind.is_choice() => s.missing_choice.to_owned(),
        AnswerProblem::Missing => s.missing_value.to_owned(),
        AnswerProblem::NotAnOption => s.not_an_option.to_owned(),
        AnswerProblem::NotANumber => s.not_a_number.to_owned(),
        AnswerProblem::BelowMin(m) => format!("{}{m}", s.below_min),
        AnswerProblem::AboveMax(m) => format!("{}{m}", s.above_max),
        AnswerProblem::NotADate => s.not_a_date.to_owned(),
    }
}

#[component]
fn Question(view: WizardView, q: QuestionPage) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let action = format!("/themes/{}/apply", view.theme.id);
    let input_id = format!("answer-{}", q.id);
    let error_id = format!("{input_id}-error");
    let hint_id = format!("{input_id}-hint");
    let error = q.error.as_ref().map(|p| problem_text(s, p, q.kind));
    let question_text = plain(&q.text, lang);
    let title = match &error {
        Some(_) => format!("{}{question_text}", s.error_prefix),
        None => question_text,
    };
    let progress = format!(
        "{}{}{}{}{}",
        s.progress_prefix, q.position, s.progress_mid, q.total, s.progress_suffix
    );
    let name = format!("{}{}", crate::api::wizard::ANSWER_PREFIX, q.id);
    let described = crate::components::field::described_by(
        q.help.is_some().then_some(hint_id.as_str()),
        error.as_ref().map(|_| error_id.as_str()),
    );
    let has_error = error.is_some();
    let first_target = if q.kind.is_choice() && q.kind != QuestionKind::Select {
        format!("{input_id}-0")
    } else {
        input_id.clone()
    };

    let choices: Vec<(String, String)> = match q.kind {
        QuestionKind::YesNo => vec![("yes".into(), s.yes.into()), ("no".into(), s.no.into())],
        _ => q
            .options
            .iter()
            .map(|o| (o.value.clone(), plain(&o.label, lang)))
            .collect(),
    };
    let control = match q.kind {
        QuestionKind::Choice | QuestionKind::YesNo => view! {
            <div class="radios">
                {choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, (value, label))| {
                        let id = format!("{input_id}-{i}");
                        let checked = value == q.value;
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name=name.clone() value=value checked=checked/>
                                <label for=id>{label}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any(),
        QuestionKind::Select => view! {
            <select id=input_id.clone() name=name.clone() aria-describedby=described.clone()>
                <option value="">"—"</option>
                {choices
                    .into_iter()
                    .map(|(value, label)| {
                        let selected = value == q.value;
                        view! { <option value=value selected=selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        QuestionKind::Number => view! {
            <div class="number-input">
                <input
                    type="text"
                    inputmode="decimal"
                    id=input_id.clone()
                    name=name.clone()
                    value=q.value.clone()
                    aria-describedby=described.clone()
                    aria-invalid=has_error.then_some("true")
                    autocomplete="off"
                    class="input--short"
                />
                {q.unit.clone().map(|u| view! { <span class="unit"><Tx text=u/></span> })}
            </div>
        }
        .into_any(),
        QuestionKind::Date => view! {
            <input
                type="date"
                id=input_id.clone()
                name=name.clone()
                value=q.value.clone()
                aria-describedby=described.clone()
                aria-invalid=has_error.then_some("true")
            />
        }
        .into_any(),
    };

    let heading = view! { <h1 class="question"><Tx text=q.text.clone()/></h1> };
    let caption = view! { <span class="caption">{progress}</span> };
    let help = q
        .help
        .clone()
        .map(|h| view! { <p class="hint" id=hint_id.clone()><Tx text=h/></p> });
    let error_line = error
        .clone()
        .map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> });
    let grouped = q.kind.is_choice() && q.kind != QuestionKind::Select;

    view! {
        <Title text=title/>
        {error.clone().map(|e| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{s.error_summary_title}</h2>
                <ul><li><a href=format!("#{first_target}")>{e}</a></li></ul>
            </div>
        })}
        <form method="get" action=action novalidate>
            {view.carried.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <input type="hidden" name="from" value=q.id.clone()/>
            {if grouped {
                view! {
                    <div class=if has_error { "field field--error" } else { "field" }>
                        <fieldset aria-describedby=described.clone()>
                            <legend>{caption}{heading}</legend>
                            {help}
                            {error_line}
                            {control}
                        </fieldset>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <div class=if has_error { "field field--error" } else { "field" }>
                        {caption}
                        <label for=input_id.clone()>{heading}</label>
                        {help}
                        {error_line}
                        {control}
                    </div>
                }
                .into_any()
            }}
            <button type="submit" class="primary">{s.continue_button}</button>
        </form>
    }
}

#[component]
fn Exit(exit: ExitPage) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    view! {
        <Title text=s.exit_title/>
        <h1>{s.exit_title}</h1>
        <p class="lead"><Tx text=exit.reason/></p>
        {exit.instead.map(|i| view! { <h2>{s.exit_instead}</h2><p><Tx text=i/></p> })}
        {(!exit.because.is_empty()).then(|| view! {
            <p>{s.exit_because}</p>
            <ul>{exit.because.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
        })}
        <p><a class="button" href=exit.change_href>{s.change_answer}</a></p>
    }
}

#[component]
fn Roadmap(view: WizardView, roadmap: RoadmapPage) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let _ = view.carried;
    let stage_count = roadmap.stages.len();
    view! {
        <Title text=s.roadmap_title/>
        <h1>{s.roadmap_title}</h1>
        <p class="lead">{s.roadmap_lead}</p>
        <p>
            <strong>{format!("{} {} {}", s.critical_prefix, roadmap.critical_days, s.working_days)}</strong>
            " "
            {format!("{} {} {}", s.earliest_prefix, format::iso_date(&roadmap.earliest, lang), s.earliest_suffix)}
        </p>
        {roadmap.open_limits.then(|| view! { <p class="note">{s.open_limits_note}</p> })}
        <ol class="stages">
            {roadmap
                .stages
                .into_iter()
                .enumerate()
                .map(|(i, steps)| {
                    let parallel = steps.len() > 1;
                    view! {
                        <li class="stage">
                            <h2 class="stage__title">{format!("{}{}{} / {stage_count}", s.stage_prefix, i + 1, s.stage_suffix)}</h2>
                            {parallel.then(|| view! { <p class="parallel-note">{s.parallel_note}</p> })}
                            <ul class=if parallel { "steps steps--parallel" } else { "steps" }>
                                {steps
                                    .into_iter()
                                    .map(|step| {
                                        let item_href = format!("/items/{}", step.item.id);
                                        let after = step.after.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("、");
                                        view! {
                                            <li class="step">
                                                <h3>
                                                    <span class="step__number">{format!("{} {}", s.step_word, step.number)}</span>
                                                    " "
                                                    <a href=item_href><Tx text=step.item.name/></a>
                                                </h3>
                                                <TxPara text=step.why/>
                                                {(!step.because.is_empty()).then(|| view! {
                                                    <p class="because">{s.because_heading}</p>
                                                    <ul>{step.because.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
                                                })}
                                                <dl class="step__facts">
                                                    <dt>{s.department_word}</dt>
                                                    <dd><Tx text=step.department.name/></dd>
                                                    {(!after.is_empty()).then(|| view! { <dt>{s.after_word}</dt><dd>{after}</dd> })}
                                                    <dt>{s.committed_word}</dt>
                                                    <dd>{format::limit(&step.committed, lang)}</dd>
                                                    {step.fee.map(|fee| view! { <dt>{s.fee_word}</dt><dd>{format::fee(&fee, lang)}</dd> })}
                                                    <dt>{s.due_prefix}</dt>
                                                    <dd>{format::iso_date(&step.due, lang)}</dd>
                                                </dl>
                                            </li>
                                        }
                                        .into_any()
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                    .into_any()
                })
                .collect_view()}
        </ol>
        {(!roadmap.left_out.is_empty()).then(|| view! {
            <h2>{s.left_out_heading}</h2>
            <ul class="left-out">
                {roadmap.left_out.into_iter().map(|l| {
                    let href = format!("/items/{}", l.item.id);
                    view! {
                        <li>
                            <a href=href><Tx text=l.item.name/></a>
                            <TxPara text=l.why_not/>
                            {(!l.because.is_empty()).then(|| view! {
                                <ul>{l.because.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
                            })}
                        </li>
                    }.into_any()
                }).collect_view()}
            </ul>
        })}
        <h2 id="form-heading">{s.form_heading}</h2>
        <p>{s.form_lead}</p>
        {roadmap.form.into_iter().map(|section| {
            let heading = crate::i18n::section_label(&section.id, lang);
            view! {
                <section class="form-preview" aria-label=heading>
                    <h3>{heading}</h3>
                    <ul>
                        {section.fields.into_iter().map(|f| {
                            let recipients = f.recipients.iter().map(|r| plain(r, lang)).collect::<Vec<_>>().join("、");
                            view! {
                                <li>
                                    <Tx text=f.label/>
                                    {f.required.then_some(s.required_mark)}
                                    <br/>
                                    <small>{s.sent_to}{recipients}</small>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }.into_any()
        }).collect_view()}
        <h2>{s.checklist_heading}</h2>
        {
            let (produced, bring): (Vec<_>, Vec<_>) = roadmap.materials.into_iter().partition(|m| m.produced_by.is_some());
            view! {
                <h3>{s.bring_heading}</h3>
                <ul class="materials">
                    {bring.into_iter().map(|m| {
                        let steps = m.steps.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("、");
                        view! {
                            <li>
                                <Tx text=m.name/>
                                {format!("（{}，{} {}）", format::material_form(m.form, lang), m.count, s.copies_suffix)}
                                {(!m.required).then(|| view! { <span class="tag">{s.optional_word}</span> })}
                                {m.shortfall_allowed.then(|| view! { <span class="tag">{s.shortfall_word}</span> })}
                                <br/><small>{s.needed_by_steps}{steps}</small>
                            </li>
                        }.into_any()
                    }).collect_view()}
                </ul>
                <h3>{s.produced_heading}</h3>
                <ul class="materials">
                    {produced.into_iter().map(|m| {
                        let (number, item) = m.produced_by.clone().unwrap_or((0, crate::api::catalog::Named { id: String::new(), name: Default::default() }));
                        view! {
                            <li>
                                <Tx text=m.name/>
                                <br/>
                                <small>{format!("{}{number}{}", s.produced_by_prefix, s.produced_by_suffix)}<Tx text=item.name/></small>
                            </li>
                        }.into_any()
                    }).collect_view()}
                </ul>
            }
        }
        <StartForm theme=view.theme.id.clone() answers=roadmap.start_answers sig=roadmap.start_sig/>
        <h2>{s.your_answers_heading}</h2>
        <dl class="answers">
            {roadmap.answers.into_iter().map(|a| {
                let question = plain(&a.question, lang);
                view! {
                    <div class="answers__row">
                        <dt><Tx text=a.question/></dt>
                        <dd>{a.answer}</dd>
                        <dd>
                            <a href=a.change_href>
                                {s.change_word}
                                <span class="visually-hidden">{format!("：{question}")}</span>
                            </a>
                        </dd>
                    </div>
                }.into_any()
            }).collect_view()}
        </dl>
    }
}

/// Starts the application: the signed answers behind this roadmap become a draft on the server.
#[component]
fn StartForm(theme: String, answers: String, sig: String) -> impl IntoView {
    let a = crate::i18n::application::ta(use_lang());
    let start = ServerAction::<StartApplication>::new();
    view! {
        <section class="start-application" aria-labelledby="start-heading">
            <h2 id="start-heading">{a.start_heading}</h2>
            <p>{a.start_lead}</p>
            <p class="note">{a.resume_hint}</p>
            <ActionForm action=start>
                <IdemKey/>
                <input type="hidden" name="theme" value=theme/>
                <input type="hidden" name="answers" value=answers/>
                <input type="hidden" name="sig" value=sig/>
                <button type="submit" class="primary button--start">{a.start_button}</button>
            </ActionForm>
        </section>
    }
}

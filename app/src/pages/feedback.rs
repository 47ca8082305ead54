//! Evaluation (好差评) and consultation (咨询) pages: the rating forms on the applicant's case page, the
//! department's follow-ups and questions on the workbench and supervision, a follow-up (`/work/follow-ups/{id}`)
//! and a question (`/work/consultations/{id}`) for staff, "我要咨询" (`/consult?item=` or `?theme=`), "我的咨询"
//! (`/consultations`), the FAQs on the item page and the ratings on a department's performance page. Every form
//! posts and is answered with a redirect (`?done=` / `?problem=`), so it all works with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::feedback::{
    get_case_feedback, get_consult_form, get_department_feedback, get_faqs, get_feedback_queue,
    get_follow_up, get_my_consultations, get_staff_consultation, AnswerConsultation, AskQuestion,
    CaseFeedbackView, CloseFollowUp, ConsultFormPage, ConsultFormView, DepartmentFeedbackView,
    FeedbackRow, FollowUpView, MyConsultation, PublishFaq, RateCase, RateTarget,
    StaffConsultationView,
};
use crate::components::format;
use crate::components::idem::IdemKey;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::domain::case_flow::ClockStatus;
use crate::domain::feedback::{Level, Problem, ANSWER_MAX, COMMENT_MAX, QUESTION_MAX};
use crate::i18n::application::clock as clock_words;
use crate::i18n::feedback::tf;
use crate::i18n::{t, Lang};
use crate::pages::work::{clock_class, staff_refused, Outcome};

fn day(iso: &str, lang: Lang) -> String {
    format::iso_date(&iso.chars().take(10).collect::<String>(), lang)
}

/// `?done=` (with its sentence) or `?problem=` (a `Problem` code, worded) from the redirect.
fn outcome(done: &[(&str, &'static str)], problem_key: &str, lang: Lang) -> Option<(bool, String)> {
    let q = use_query_map().read_untracked();
    if let Some(d) = q.get("done") {
        if let Some((_, text)) = done.iter().find(|(code, _)| *code == d) {
            return Some((false, (*text).to_owned()));
        }
    }
    let code = q.get(problem_key)?;
    Some((
        true,
        Problem::from_code(&code).map_or_else(
            || {
                t(lang)
                    .error_prefix
                    .trim_end_matches(['：', ':', ' '])
                    .to_owned()
            },
            |p| p.message(lang),
        ),
    ))
}

/// The warning beside a due date, in words as well as colour.
#[component]
fn DueLine(due: String, clock: ClockStatus) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let warning = clock_words(clock, lang);
    view! {
        <span>{f.due_label}"："{day(&due, lang)}</span>
        {(!warning.is_empty()).then(|| view! { " · " <strong class=clock_class(clock)>{warning}</strong> })}
    }
}

// ------------------------------------------------------------------ the case page

/// On the applicant's case page: a rating form for each ended task and for the closed case, or the rating given
/// with its follow-up and the department's response.
#[component]
pub fn CaseFeedback(#[prop(into)] number: Signal<String>) -> impl IntoView {
    let rate = ServerAction::<RateCase>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                number.get(),
                query.read().to_query_string(),
                rate.version().get(),
            )
        },
        |(n, _, _)| get_case_feedback(n),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().flatten().map(|v| view! { <CaseRatings v rate/> })
            })}
        </Suspense>
    }
}

#[component]
fn CaseRatings(v: CaseFeedbackView, rate: ServerAction<RateCase>) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let message = outcome(&[], "feedback_problem", lang).or_else(|| {
        use_query_map()
            .read_untracked()
            .get("rated")
            .map(|_| (false, f.rated_thanks.to_owned()))
    });
    let number = v.number.clone();
    view! {
        <div class="page narrow case">
        <section class="feedback" id="feedback" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">{f.rate_heading}</h2>
            <p class="hint">{f.rate_lead}</p>
            <Outcome message/>
            <ul class="rate-targets">
                {v.targets.into_iter().map(|target| view! { <RateTargetView target number=number.clone() rate/> }).collect_view()}
            </ul>
        </section>
        </div>
    }
}

#[component]
fn RateTargetView(
    target: RateTarget,
    number: String,
    rate: ServerAction<RateCase>,
) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let key = if target.step.is_empty() {
        "case".to_owned()
    } else {
        target.step.clone()
    };
    let subject = crate::components::text::plain(&target.subject.name, lang);
    let heading = if target.step.is_empty() {
        format!("{} · {subject}", f.whole_case)
    } else {
        subject.clone()
    };
    let body = match (target.rating, target.ended) {
        (Some(r), _) => view! {
            <p><strong>{f.your_rating}{r.level.label(lang)}</strong></p>
            {r.comment.map(|c| view! { <p class="quote">{c}</p> })}
            {r.follow_up.map(|fu| {
                if fu.closed {
                    view! {
                        <p><strong>{f.response_label}</strong></p>
                        <p class="quote">{fu.response.unwrap_or_default()}</p>
                    }.into_any()
                } else {
                    view! { <p>{f.follow_up_open_prefix}{day(&fu.due, lang)}{f.follow_up_open_suffix}</p> }.into_any()
                }
            })}
        }
        .into_any(),
        (None, false) => view! { <p class="hint">{f.not_ended}</p> }.into_any(),
        (None, true) => {
            let heading = heading.clone();
            let comment_id = format!("rate-{key}-comment");
            let hint_id = format!("{comment_id}-hint");
            let radios = Level::ALL
                .into_iter()
                .map(|l| {
                    let id = format!("rate-{key}-{}", l.code());
                    view! {
                        <div class="radio">
                            <input type="radio" id=id.clone() name="level" value=l.code()/>
                            <label for=id>{l.label(lang)}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <ActionForm action=rate attr:class="rate-form">
                    <IdemKey/>
                    <input type="hidden" name="number" value=number.clone()/>
                    <input type="hidden" name="step" value=target.step.clone()/>
                    <fieldset class="field">
                        <legend>{format!("{heading}{}", f.rate_legend_suffix)}</legend>
                        <div class="radios">{radios}</div>
                    </fieldset>
                    <div class="field">
                        <label for=comment_id.clone()>{f.comment_label}</label>
                        <p class="hint" id=hint_id.clone()>{f.comment_hint}</p>
                        <textarea id=comment_id name="comment" rows="3" maxlength=COMMENT_MAX.to_string()
                            aria-describedby=hint_id></textarea>
                    </div>
                    <button type="submit" class="primary">{f.rate_button}<span class="visually-hidden">{format!("：{heading}")}</span></button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <li class="rate-target" id=format!("rate-{key}")>
            <h3>{heading.clone()}</h3>
            <p class="hint"><Tx text=target.department.name/></p>
            {body}
        </li>
    }
}

// ------------------------------------------------------------------ the department's queue

/// Open follow-ups and questions with their warnings: on the workbench (an officer's department) and on
/// supervision (every department). Nothing for the window.
#[component]
pub fn FeedbackQueue() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_feedback_queue());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(crate::api::work::StaffPage::Ready(v)) => {
                        let lang = use_lang();
                        let f = tf(lang);
                        Some(view! {
                            <section class="feedback-queue" aria-labelledby="follow-ups-heading">
                                <h2 id="follow-ups-heading">{f.follow_ups_heading}</h2>
                                <FeedbackList rows=v.follow_ups/>
                            </section>
                            <section class="feedback-queue" aria-labelledby="consultations-heading">
                                <h2 id="consultations-heading">{f.consultations_heading}</h2>
                                <FeedbackList rows=v.consultations/>
                            </section>
                        })
                    }
                    _ => None,
                }
            })}
        </Suspense>
    }
}

#[component]
fn FeedbackList(rows: Vec<FeedbackRow>) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    if rows.is_empty() {
        return view! { <p>{f.queue_none}</p> }.into_any();
    }
    view! {
        <ol class="queue">
            {rows.into_iter().map(|r| view! {
                <li class="queue__item">
                    <p class="queue__case">
                        <a href=r.href><Tx text=r.subject.name/></a>
                        {(!r.number.is_empty()).then(|| view! { " · " {r.number.clone()} })}
                    </p>
                    <p><Tx text=r.department.name/>{r.level.map(|l| view! { " · " <strong>{l.label(lang)}</strong> })}</p>
                    <p class="hint"><DueLine due=r.due clock=r.clock/></p>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

// ------------------------------------------------------------------ a follow-up for staff

fn id_param(key: &'static str) -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || {
        params
            .read()
            .get(key)
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(-1)
    }
}

#[component]
pub fn FollowUpPage() -> impl IntoView {
    let id = id_param("id");
    let close = ServerAction::<CloseFollowUp>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || (id(), query.read().to_query_string(), close.version().get()),
        |(id, _, _)| get_follow_up(id),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => staff_refused(page, |v| view! { <FollowUp v close/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FollowUp(v: FollowUpView, close: ServerAction<CloseFollowUp>) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let s = t(lang);
    let message = outcome(&[("closed", f.closed_done)], "problem", lang);
    let title = match &message {
        Some((true, _)) => format!("{}{}", s.error_prefix, f.follow_up_title),
        _ => f.follow_up_title.to_owned(),
    };
    let row = |label: &'static str, value: AnyView| {
        view! { <div class="summary__row"><dt>{label}</dt><dd>{value}</dd></div> }
    };
    let status = if v.line.closed {
        f.status_closed
    } else {
        f.status_open
    };
    view! {
        <div class="page narrow follow-up">
            <Title text=title/>
            <p><a class="back-link" href="/work">{f.back_to_work}</a></p>
            <Outcome message/>
            <h1>{f.follow_up_title}</h1>
            <dl class="summary">
                {row(f.case_label, view! { <a href=format!("/work/cases/{}", v.number)>{v.number.clone()}</a> }.into_any())}
                {row(f.subject_label, view! { <Tx text=v.subject.name/> }.into_any())}
                {row(f.department_label, view! { <Tx text=v.department.name/> }.into_any())}
                {row(f.level_label, view! { <strong>{v.level.label(lang)}</strong> }.into_any())}
                {row(f.comment_shown_label, view! { {v.comment.unwrap_or_else(|| "—".into())} }.into_any())}
                {row(f.rated_at_label, view! { {day(&v.rated_at, lang)} }.into_any())}
                {row(f.due_label, view! { <DueLine due=v.line.due.clone() clock=v.line.clock/> }.into_any())}
                {row(f.status_label, view! { {status} }.into_any())}
            </dl>
            {v.line.response.map(|r| view! {
                <h2>{f.respond_label}</h2>
                <p class="quote">{r}</p>
            })}
            {v.may_respond.then(|| view! {
                <ActionForm action=close attr:class="act-form">
                    <IdemKey/>
                    <input type="hidden" name="id" value=v.id.to_string()/>
                    <div class="field">
                        <label for="follow-up-response">{f.respond_label}</label>
                        <p class="hint" id="follow-up-response-hint">{f.respond_hint}</p>
                        <textarea id="follow-up-response" name="response" rows="5" maxlength=ANSWER_MAX.to_string()
                            aria-describedby="follow-up-response-hint"></textarea>
                    </div>
                    <button type="submit" class="primary">{f.respond_button}</button>
                </ActionForm>
            })}
        </div>
    }
}

// ------------------------------------------------------------------ a question for staff

#[component]
pub fn StaffConsultationPage() -> impl IntoView {
    let id = id_param("id");
    let answer = ServerAction::<AnswerConsultation>::new();
    let publish = ServerAction::<PublishFaq>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                id(),
                query.read().to_query_string(),
                answer.version().get(),
                publish.version().get(),
            )
        },
        |(id, _, _, _)| get_staff_consultation(id),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => staff_refused(page, |v| view! { <StaffConsultation v answer publish/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffConsultation(
    v: StaffConsultationView,
    answer: ServerAction<AnswerConsultation>,
    publish: ServerAction<PublishFaq>,
) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let s = t(lang);
    let message = outcome(
        &[
            ("answered", f.answered_done),
            ("published", f.published_done),
        ],
        "problem",
        lang,
    );
    let title = match &message {
        Some((true, _)) => format!("{}{}", s.error_prefix, f.staff_consult_title),
        _ => f.staff_consult_title.to_owned(),
    };
    let answered = v.answer.is_some();
    let status = if answered {
        f.status_answered
    } else {
        f.status_waiting
    };
    let id = v.id.to_string();
    let (faq_id, faq_question, faq_answer) = (id.clone(), v.question.clone(), v.answer.clone());
    let publish_section = (answered && v.may_answer).then(move || {
        if v.published {
            view! { <p class="note">{f.published_note}</p> }.into_any()
        } else if v.item.is_none() {
            view! { <p class="note">{f.publish_theme_note}</p> }.into_any()
        } else {
            view! {
                <section aria-labelledby="publish-heading">
                    <h2 id="publish-heading">{f.publish_heading}</h2>
                    <p class="hint">{f.publish_lead}</p>
                    <ActionForm action=publish attr:class="act-form">
                        <IdemKey/>
                        <input type="hidden" name="id" value=faq_id/>
                        <div class="field">
                            <label for="faq-question">{f.publish_question_label}</label>
                            <textarea id="faq-question" name="question" rows="3" maxlength=ANSWER_MAX.to_string()>{faq_question}</textarea>
                        </div>
                        <div class="field">
                            <label for="faq-answer">{f.publish_answer_label}</label>
                            <textarea id="faq-answer" name="answer" rows="5" maxlength=ANSWER_MAX.to_string()>{faq_answer.unwrap_or_default()}</textarea>
                        </div>
                        <button type="submit" class="secondary">{f.publish_button}</button>
                    </ActionForm>
                </section>
            }
            .into_any()
        }
    });
    view! {
        <div class="page narrow consultation">
            <Title text=title/>
            <p><a class="back-link" href="/work">{f.back_to_work}</a></p>
            <Outcome message/>
            <h1>{f.staff_consult_title}</h1>
            <dl class="summary">
                <div class="summary__row"><dt>{f.subject_label}</dt><dd><a href=v.subject_href.clone()><Tx text=v.subject.name/></a></dd></div>
                <div class="summary__row"><dt>{f.department_label}</dt><dd><Tx text=v.department.name/></dd></div>
                <div class="summary__row"><dt>{f.asked_at_label}</dt><dd>{day(&v.asked_at, lang)}</dd></div>
                <div class="summary__row"><dt>{f.due_label}</dt><dd><DueLine due=v.due.clone() clock=v.clock/></dd></div>
                <div class="summary__row"><dt>{f.status_label}</dt><dd>{status}</dd></div>
            </dl>
            <h2>{f.question_shown_label}</h2>
            <p class="quote">{v.question.clone()}</p>
            {v.answer.clone().map(|a| view! {
                <h2>{f.answer_shown_label}</h2>
                <p class="quote">{a}</p>
            })}
            {(!v.may_answer).then(|| view! { <p class="note">{f.read_only_note}</p> })}
            {(!answered && v.may_answer).then(|| view! {
                <ActionForm action=answer attr:class="act-form">
                    <IdemKey/>
                    <input type="hidden" name="id" value=id.clone()/>
                    <div class="field">
                        <label for="consult-answer">{f.answer_label}</label>
                        <p class="hint" id="consult-answer-hint">{f.answer_hint}</p>
                        <textarea id="consult-answer" name="answer" rows="5" maxlength=ANSWER_MAX.to_string()
                            aria-describedby="consult-answer-hint"></textarea>
                    </div>
                    <button type="submit" class="primary">{f.answer_button}</button>
                </ActionForm>
            })}
            {publish_section}
        </div>
    }
}

// ------------------------------------------------------------------ 我要咨询

#[component]
pub fn ConsultPage() -> impl IntoView {
    let query = use_query_map();
    let ask = ServerAction::<AskQuestion>::new();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("item").unwrap_or_default(),
                q.get("theme").unwrap_or_default(),
                q.to_query_string(),
            )
        },
        |(item, theme, _)| get_consult_form(item, theme),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(ConsultFormPage::Ready(v)) => view! { <Consult v=*v ask/> }.into_any(),
                    Ok(ConsultFormPage::SignIn) => {
                        let path = format!("/consult{}", query.read_untracked().to_query_string());
                        view! { <leptos_router::components::Redirect path=crate::api::account::login_path(&path)/> }.into_any()
                    }
                    Ok(ConsultFormPage::NotFound) => {
                        let f = tf(use_lang());
                        view! {
                            <div class="page narrow">
                                <Title text=f.consult_title/>
                                <h1>{f.consult_title}</h1>
                                <p>{f.consult_not_found}</p>
                            </div>
                        }.into_any()
                    }
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Consult(v: ConsultFormView, ask: ServerAction<AskQuestion>) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let s = t(lang);
    let message = outcome(&[], "problem", lang);
    let title = match &message {
        Some((true, _)) => format!("{}{}", s.error_prefix, f.consult_title),
        _ => f.consult_title.to_owned(),
    };
    let (about, href) = match (&v.item, &v.theme) {
        (Some(i), _) => (i.clone(), format!("/items/{}", i.id)),
        (None, Some(t)) => (t.clone(), format!("/themes/{}", t.id)),
        (None, None) => (v.department.clone(), "/".to_owned()),
    };
    let item_id = v.item.as_ref().map(|i| i.id.clone()).unwrap_or_default();
    let theme_id = v.theme.as_ref().map(|t| t.id.clone()).unwrap_or_default();
    let choices = (!v.choices.is_empty()).then(|| {
        view! {
            <div class="field">
                <label for="consult-chosen">{f.consult_choice_label}</label>
                <select id="consult-chosen" name="chosen">
                    <option value="">{f.consult_choice_none}</option>
                    {v.choices.into_iter().map(|(item, dept)| {
                        let label = format!(
                            "{}（{}）",
                            crate::components::text::plain(&item.name, lang),
                            crate::components::text::plain(&dept.name, lang)
                        );
                        view! { <option value=item.id>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    });
    view! {
        <div class="page narrow consult">
            <Title text=title/>
            <Outcome message/>
            <h1>{f.consult_title}</h1>
            <p>{f.consult_about}<a href=href><Tx text=about.name/></a></p>
            <p class="lead">
                {f.consult_lead_prefix}<Tx text=v.department.name/>{f.consult_lead_middle}{v.days}{f.consult_lead_suffix}
            </p>
            <ActionForm action=ask attr:class="consult-form">
                <IdemKey/>
                <input type="hidden" name="item" value=item_id/>
                <input type="hidden" name="theme" value=theme_id/>
                {choices}
                <div class="field">
                    <label for="consult-question">{f.question_label}</label>
                    <p class="hint" id="consult-question-hint">{f.question_hint}</p>
                    <textarea id="consult-question" name="question" rows="6" maxlength=QUESTION_MAX.to_string()
                        aria-describedby="consult-question-hint"></textarea>
                </div>
                <button type="submit" class="primary">{f.ask_button}</button>
            </ActionForm>
        </div>
    }
}

// ------------------------------------------------------------------ 我的咨询

#[component]
pub fn MyConsultationsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_my_consultations());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(list)) => view! { <MyConsultations list/> }.into_any(),
                    Ok(None) => view! {
                        <leptos_router::components::Redirect path=crate::api::account::login_path("/consultations")/>
                    }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyConsultations(list: Vec<MyConsultation>) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let message = outcome(&[("asked", f.asked_done)], "problem", lang);
    view! {
        <div class="page narrow">
            <Title text=f.mine_title/>
            <h1>{f.mine_title}</h1>
            <p class="lead">{f.mine_lead}</p>
            <Outcome message/>
            {if list.is_empty() {
                view! { <p>{f.mine_empty}</p> }.into_any()
            } else {
                view! {
                    <ol class="consultations">
                        {list.into_iter().map(|c| {
                            let status = if c.answer.is_some() { f.status_answered } else { f.status_waiting };
                            view! {
                                <li class="consultation-item" id=format!("consultation-{}", c.id)>
                                    <h2><a href=c.subject_href><Tx text=c.subject.name/></a></h2>
                                    <p class="hint">
                                        <Tx text=c.department.name/>" · "{f.asked_at_label}"："{day(&c.asked_at, lang)}
                                        " · "{f.due_label}"："{day(&c.due, lang)}
                                    </p>
                                    <p><strong>{status}</strong></p>
                                    <h3>{f.question_shown_label}</h3>
                                    <p class="quote">{c.question}</p>
                                    {c.answer.map(|a| view! {
                                        <h3>{f.answer_shown_label}</h3>
                                        <p class="quote">{a}</p>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </div>
    }
}

// ------------------------------------------------------------------ the item page and the theme page

/// On an item's guide: its published FAQs and the "我要咨询" link.
#[component]
pub fn ItemFaqs(item: String) -> impl IntoView {
    let href = format!("/consult?item={item}");
    let data = Resource::new(move || item.clone(), get_faqs);
    let lang = use_lang();
    let f = tf(lang);
    view! {
        <section class="faqs" aria-labelledby="faq-heading">
            <h2 id="faq-heading">{f.faq_heading}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = data.await.unwrap_or_default();
                    if list.is_empty() {
                        view! { <p>{f.faq_none}</p> }.into_any()
                    } else {
                        view! {
                            <dl class="faq-list">
                                {list.into_iter().map(|q| view! {
                                    <dt>{q.question}</dt>
                                    <dd>{q.answer}</dd>
                                }).collect_view()}
                            </dl>
                        }.into_any()
                    }
                })}
            </Suspense>
            <p class="no-print"><a class="button secondary" href=href>{f.consult_link}</a></p>
        </section>
    }
}

/// The "我要咨询" link of a theme page.
#[component]
pub fn ThemeConsultLink(theme: String) -> impl IntoView {
    let f = tf(use_lang());
    view! { <p class="no-print"><a href=format!("/consult?theme={theme}")>{f.consult_link}</a></p> }
}

// ------------------------------------------------------------------ a department's performance

/// On a department's performance page: ratings per level, the satisfaction rate, follow-ups and questions.
#[component]
pub fn DepartmentFeedback(department: String) -> impl IntoView {
    let data = Resource::new(move || department.clone(), get_department_feedback);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(crate::api::work::StaffPage::Ready(v)) => Some(view! { <DepartmentFeedbackFigures v/> }),
                    _ => None,
                }
            })}
        </Suspense>
    }
}

#[component]
fn DepartmentFeedbackFigures(v: DepartmentFeedbackView) -> impl IntoView {
    let lang = use_lang();
    let f = tf(lang);
    let row = |label: &'static str, value: String| {
        view! { <div class="summary__row"><dt>{label}</dt><dd>{value}</dd></div> }
    };
    view! {
        <h2 id="perf-ratings">{f.perf_heading}</h2>
        <dl class="summary ratings">
            {v.levels.into_iter().map(|(l, n)| row(l.label(lang), n.to_string())).collect_view()}
            {row(f.perf_total, v.total.to_string())}
            {row(f.perf_satisfaction, v.satisfaction.describe(lang))}
            {row(f.perf_follow_ups_open, v.follow_ups_open.to_string())}
            {row(f.perf_follow_ups_overdue, v.follow_ups_overdue.to_string())}
            {row(f.perf_follow_ups_closed, v.follow_ups_closed.to_string())}
            {row(f.perf_consultations_open, v.consultations_open.to_string())}
            {row(f.perf_consultations_overdue, v.consultations_overdue.to_string())}
            {row(f.perf_consultations_answered, v.consultations_answered.to_string())}
        </dl>
        <p class="hint">{f.perf_satisfaction_note}</p>
    }
}

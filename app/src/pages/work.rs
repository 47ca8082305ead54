//! The staff pages: the workbench queue (`/work`), a case for staff (`/work/cases/{number}`) with the action
//! forms, supervision (`/supervision`) and the printable notices (`/cases/{number}/notice/{kind}`). Every action
//! is a plain form posting to `case_act`, which answers with a redirect carrying `?done=` or `?problem=`; the page
//! shows that outcome in words. Works the same with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::account::login_path;
use crate::api::catalog::Named;
use crate::api::work::{
    get_notice, get_queue, get_staff_case, get_supervision, CaseAct, GroupLine, NoticeKind,
    NoticeView, QueueFilter, QueueRow, QueueView, SetDemoClock, StaffCaseView, StaffPage,
    StaffTask, SupervisionView,
};
use crate::components::format;
use crate::components::idem::IdemKey;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::domain::case_flow::{CaseActionKind, ClockStatus, Refusal, TaskActionKind, TaskStatus};
use crate::domain::performance::{format_working_days, Pace};
use crate::domain::Role;
use crate::i18n::application::clock as clock_words;
use crate::i18n::perf::tp;
use crate::i18n::work::{conflict, filter_label, notice_title, tw};
use crate::i18n::{t, Lang};

pub fn clock_class(c: ClockStatus) -> &'static str {
    match c {
        ClockStatus::DueSoon => "clock clock--soon",
        ClockStatus::Overdue => "clock clock--late",
        _ => "clock",
    }
}

fn here() -> String {
    crate::components::layout::current_path()
}

/// The page for a staff page that is not shown: sign in, not allowed, not found.
pub fn staff_refused<T>(page: StaffPage<T>, render: impl FnOnce(T) -> AnyView) -> AnyView {
    let w = tw(use_lang());
    let (title, body) = match page {
        StaffPage::Ready(v) => return render(v),
        StaffPage::SignIn => {
            return view! { <leptos_router::components::Redirect path=login_path(&here())/> }
                .into_any()
        }
        StaffPage::Forbidden => (w.forbidden_title, w.forbidden_body),
        StaffPage::NotFound => (w.not_found_title, w.not_found_body),
    };
    view! {
        <div class="page narrow">
            <Title text=title/>
            <h1>{title}</h1>
            <p>{body}</p>
            <p><a href="/">{t(use_lang()).nav_home}</a></p>
        </div>
    }
    .into_any()
}

/// The outcome of the last action, from the redirect's query: `(is_problem, message)`.
pub fn outcome_message(lang: Lang) -> Option<(bool, String)> {
    let q = use_query_map().read_untracked();
    let w = tw(lang);
    if let Some(done) = q.get("done") {
        let label = CaseActionKind::ALL
            .into_iter()
            .find(|k| k.code() == done)
            .map(|k| k.label(lang))
            .or_else(|| {
                TaskActionKind::ALL
                    .into_iter()
                    .find(|k| k.code() == done)
                    .map(|k| k.label(lang))
            })
            .unwrap_or("");
        return Some((false, format!("{}{label}", w.done_prefix)));
    }
    if q.get("uploaded").is_some() {
        return Some((false, tp(lang).uploaded.to_owned()));
    }
    if let Some(code) = q.get("upload_error") {
        let message = match crate::domain::upload::UploadProblem::from_code(&code) {
            Some(p) => crate::i18n::application::upload_problem(&p, lang).to_owned(),
            None => tp(lang).not_requested.to_owned(),
        };
        return Some((true, message));
    }
    let problem = q.get("problem")?;
    let message = match problem.as_str() {
        "conflict" => conflict(
            &q.get("by").unwrap_or_default(),
            &q.get("at").unwrap_or_default(),
            lang,
        ),
        "refused" => q
            .get("refusal")
            .and_then(|r| serde_json::from_str::<Refusal>(&r).ok())
            .map_or_else(|| w.unknown_action.to_owned(), |r| r.message(lang)),
        "bad_date" => w.bad_date.to_owned(),
        "bad_days" => w.bad_days.to_owned(),
        "clock_locked" => w.clock_locked.to_owned(),
        "missing_files" => format!(
            "{}{}",
            tp(lang).missing_files,
            q.get("materials").unwrap_or_default()
        ),
        _ => w.unknown_action.to_owned(),
    };
    Some((true, message))
}

/// The banner for [`outcome_message`].
#[component]
pub fn Outcome(message: Option<(bool, String)>) -> impl IntoView {
    let w = tw(use_lang());
    message.map(|(problem, text)| {
        if problem {
            view! {
                <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="outcome-title">
                    <h2 id="outcome-title">{w.problem_title}</h2>
                    <p>{text}</p>
                </div>
            }
            .into_any()
        } else {
            view! { <div class="panel panel--success" role="status"><p>{text}</p></div> }.into_any()
        }
    })
}

// ------------------------------------------------------------------ the queue

#[component]
pub fn WorkQueuePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.read().get("filter").unwrap_or_default(),
        get_queue,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => staff_refused(page, |v| view! { <Queue v/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(v: QueueView) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    let lead = match v.role {
        Role::Window => w.queue_lead_window,
        Role::Officer => w.queue_lead_officer,
        _ => w.queue_lead_all,
    };
    let filters = QueueFilter::ALL
        .into_iter()
        .map(|f| {
            let current = (f == v.filter).then_some("page");
            let href = if f == QueueFilter::All {
                "/work".to_owned()
            } else {
                format!("/work?filter={}", f.code())
            };
            view! { <li><a href=href aria-current=current>{filter_label(f, lang)}</a></li> }
        })
        .collect_view();
    view! {
        <div class="page work">
            <Title text=w.queue_title/>
            {v.department.clone().map(|d| view! { <p class="eyebrow"><Tx text=d.name/></p> })}
            <h1>{w.queue_title}</h1>
            <p class="lead">{lead}</p>
            <p class="no-print"><a href="/work/appointments">{crate::i18n::appointments::at(lang).today_link}</a></p>
            <p class="note">{w.today_label}{format::iso_date(&v.today, lang)}</p>
            <nav aria-label=w.filter_label class="filters"><ul>{filters}</ul></nav>
            {shown_note(v.total, v.rows.len(), lang).map(|n| view! { <p class="hint">{n}</p> })}
            {if v.rows.is_empty() {
                view! { <p>{w.empty_queue}</p> }.into_any()
            } else {
                view! { <ol class="queue">{v.rows.into_iter().map(|r| view! { <QueueLine r/> }).collect_view()}</ol> }.into_any()
            }}
            <crate::pages::feedback::FeedbackQueue/>
        </div>
    }
}

#[component]
pub fn QueueLine(r: QueueRow) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    let href = format!("/work/cases/{}", r.number);
    let status = match r.task_status {
        Some(s) => s.label(lang),
        None => r.case_status.label(lang),
    };
    let warning = clock_words(r.clock, lang);
    view! {
        <li class="queue__item">
            <p class="queue__case"><a href=href>{r.number.clone()}</a>" · "<Tx text=r.theme.name/></p>
            {r.item.map(|i| view! {
                <p class="queue__item-name"><strong><Tx text=i.name/></strong>
                {r.department.map(|d| view! { " · " <Tx text=d.name/> })}</p>
            })}
            <p>
                <span class=clock_class(r.clock)>{status}</span>
                {(!warning.is_empty()).then(|| view! { " · " <strong class=clock_class(r.clock)>{warning}</strong> })}
                {r.shortfall_overdue.then(|| view! { " · " <strong class="clock clock--late">{w.flag_shortfall_overdue}</strong> })}
                {r.ready_to_hand_over.then(|| view! { " · " <strong>{w.flag_ready}</strong> })}
            </p>
            {r.due.map(|d| view! { <p class="hint">{w.col_due}"："{format::iso_date(&d, lang)}</p> })}
        </li>
    }
}

// ------------------------------------------------------------------ a case for staff

#[component]
pub fn StaffCasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let lang = use_lang();
    let act = ServerAction::<CaseAct>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("number").unwrap_or_default(),
                query.read().to_query_string(),
                act.version().get(),
            )
        },
        move |(n, _, _)| get_staff_case(n, lang),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => staff_refused(page, |v| view! { <StaffCase v act/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One action form: the hidden number, step, version and action, extra fields, and the button.
#[component]
pub fn ActForm(
    act: ServerAction<CaseAct>,
    number: String,
    #[prop(optional)] step: String,
    version: i64,
    action: &'static str,
    label: &'static str,
    #[prop(optional)] children: Option<Children>,
    #[prop(optional)] secondary: bool,
) -> impl IntoView {
    view! {
        <ActionForm action=act attr:class="act-form">
            <IdemKey/>
            <input type="hidden" name="number" value=number/>
            <input type="hidden" name="step" value=step/>
            <input type="hidden" name="version" value=version.to_string()/>
            <input type="hidden" name="action" value=action/>
            {children.map(|c| c())}
            <button type="submit" class=if secondary { "secondary" } else { "primary" }>{label}</button>
        </ActionForm>
    }
}

#[component]
fn StaffCase(v: StaffCaseView, act: ServerAction<CaseAct>) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    let p = tp(lang);
    let s = t(lang);
    let outcome = outcome_message(lang);
    let title = match &outcome {
        Some((true, _)) => format!("{}{}", s.error_prefix, w.case_title),
        _ => w.case_title.to_owned(),
    };
    let read_only = matches!(v.role, Role::Supervisor | Role::Admin);
    let number = v.number.clone();
    let case_forms = v
        .case_actions
        .iter()
        .map(|k| case_form(*k, &v, act))
        .collect_view();
    view! {
        <div class="page narrow work-case">
            <Title text=title/>
            <p><a class="back-link" href="/work">{w.back_to_queue}</a></p>
            <Outcome message=outcome/>
            <p class="eyebrow"><Tx text=v.theme.name.clone()/></p>
            <h1>{w.case_title}</h1>
            <dl class="summary">
                <div class="summary__row"><dt>{w.col_case}</dt><dd class="case-number">{number.clone()}</dd></div>
                <div class="summary__row"><dt>{w.col_status}</dt><dd>{v.status.label(lang)}</dd></div>
                <div class="summary__row"><dt>{w.today_label}</dt><dd>{format::iso_date(&v.today, lang)}</dd></div>
            </dl>
            {read_only.then(|| view! { <p class="note">{w.read_only_note}</p> })}
            {v.promise.clone().map(|(items, deadline)| view! {
                <h2>{w.promise_heading}</h2>
                <p>{w.deadline_label}"："{format::iso_date(&deadline, lang)}</p>
                <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            })}
            {(!v.correction_items.is_empty()).then(|| view! {
                <h2>{w.corrections_heading}</h2>
                <ul>{v.correction_items.clone().into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            })}
            {(!v.case_actions.is_empty()).then(|| view! {
                <section class="actions" aria-labelledby="case-actions-heading">
                    <h2 id="case-actions-heading">{w.case_actions_heading}</h2>
                    {case_forms}
                </section>
            })}
            <NoticeLinks number=number.clone() notices=v.notices.clone()/>
            <h2>{w.tasks_heading}</h2>
            <ol class="case-tasks">
                {v.tasks.into_iter().map(|task| view! { <StaffTaskView task number=number.clone() act/> }).collect_view()}
            </ol>
            <h2>{w.application_heading}</h2>
            {(v.role == Role::Officer).then(|| view! { <p class="note">{w.officer_fields_note}</p> })}
            <dl class="summary">
                {v.fields.into_iter().map(|f| view! {
                    <div class="summary__row"><dt><Tx text=f.label/></dt><dd>{f.value}</dd></div>
                }).collect_view()}
            </dl>
            <h2>{w.materials_heading}</h2>
            <ul class="materials">
                {v.materials.into_iter().map(|m| view! {
                    <li>
                        <Tx text=m.name/>
                        {m.shortfall_allowed.then(|| view! { " " <span class="tag">{w.shortfall_ok}</span> })}
                        <br/>
                        {if m.uploads.is_empty() {
                            view! { <small>{w.not_uploaded}</small> }.into_any()
                        } else {
                            m.uploads.into_iter().map(|(name, href)| view! { <a href=href>{name}</a>" " }).collect_view().into_any()
                        }}
                    </li>
                }).collect_view()}
            </ul>
            <h2 id="correction-files-heading">{p.staff_files_heading}</h2>
            {if v.correction_files.is_empty() {
                view! { <p>{p.staff_files_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="materials correction-files" aria-labelledby="correction-files-heading">
                        {v.correction_files.into_iter().map(|f| {
                            let when = f.at.replace('T', " ").chars().take(16).collect::<String>();
                            let whose = match f.step {
                                Some(n) => step_word(n, lang),
                                None => p.for_case.to_owned(),
                            };
                            view! {
                                <li>
                                    {f.material}" · "<a href=f.href>{f.file_name}</a>
                                    <br/><small>{whose}" · "<time datetime=f.at.clone()>{when}</time></small>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <h2>{w.history_heading}</h2>
            <ol class="history">
                {v.history.into_iter().map(|h| {
                    let when = h.at.replace('T', " ").chars().take(16).collect::<String>();
                    let step = h.task.map(|n| format!("{} · ", step_word(n, lang)));
                    view! {
                        <li>
                            <time datetime=h.at.clone()>{when}</time>
                            " " {step} {h.action} " — " {h.to_status}
                            <small>" (" {h.who} {h.address.map(|a| format!(", {}{a}", w.from_address))} ")"</small>
                            {match (h.detail, h.link) {
                                (Some(d), Some(href)) => Some(view! { <br/><small><a href=href>{d}</a></small> }.into_any()),
                                (Some(d), None) => Some(view! { <br/><small>{d}</small> }.into_any()),
                                _ => None,
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}

pub fn step_word(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {n} 步"),
        Lang::En => format!("Step {n}"),
    }
}

fn case_form(kind: CaseActionKind, v: &StaffCaseView, act: ServerAction<CaseAct>) -> AnyView {
    let lang = use_lang();
    let w = tw(lang);
    let label = kind.label(lang);
    let number = v.number.clone();
    let version = v.version;
    match kind {
        CaseActionKind::AcceptWithShortfall => {
            let options = v.materials.iter().filter(|m| m.shortfall_allowed).map(|m| {
                let id = format!("promised-{}", m.id);
                let name = format!("promised[{}]", m.id);
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone() name=name value="on"/>
                        <label for=id><Tx text=m.name.clone()/></label>
                    </div>
                }
            }).collect_view();
            let hint = format!("{}{}", w.deadline_hint_prefix, format::iso_date(&v.promise_latest, lang));
            let latest = v.promise_latest.clone();
            view! {
                <ActForm act number version action=kind.code() label secondary=true>
                    <fieldset class="field">
                        <legend>{w.promised_legend}</legend>
                        {options}
                    </fieldset>
                    <div class="field">
                        <label for="shortfall-deadline">{w.deadline_label}</label>
                        <p class="hint" id="shortfall-deadline-hint">{hint}</p>
                        <input type="date" id="shortfall-deadline" name="deadline" max=latest
                            aria-describedby="shortfall-deadline-hint"/>
                    </div>
                </ActForm>
            }
            .into_any()
        }
        CaseActionKind::RequestCorrection => view! {
            <ActForm act number version action=kind.code() label secondary=true>
                <ItemsField id="case-items".into()/>
            </ActForm>
        }
        .into_any(),
        CaseActionKind::RefuseToAccept => view! {
            <ActForm act number version action=kind.code() label secondary=true>
                <ReasonField id="case-reason".into()/>
                <div class="field">
                    <label for="case-appeal">{w.appeal_label}</label>
                    <p class="hint" id="case-appeal-hint">{w.appeal_hint}</p>
                    <textarea id="case-appeal" name="appeal" rows="2" aria-describedby="case-appeal-hint"></textarea>
                </div>
            </ActForm>
        }
        .into_any(),
        _ => view! { <ActForm act number version action=kind.code() label/> }.into_any(),
    }
}

#[component]
fn ReasonField(id: String) -> impl IntoView {
    let w = tw(use_lang());
    view! {
        <div class="field">
            <label for=id.clone()>{w.reason_label}</label>
            <textarea id=id name="reason" rows="2"></textarea>
        </div>
    }
}

#[component]
fn ItemsField(id: String) -> impl IntoView {
    let w = tw(use_lang());
    let hint = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{w.items_label}</label>
            <p class="hint" id=hint.clone()>{w.items_hint}</p>
            <textarea id=id name="items" rows="3" aria-describedby=hint></textarea>
        </div>
    }
}

#[component]
fn StaffTaskView(task: StaffTask, number: String, act: ServerAction<CaseAct>) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    let warning = clock_words(task.clock, lang);
    let forms = task.actions.iter().map(|k| {
        let kind = *k;
        let label = kind.label(lang);
        let step_id = task.step.clone();
        let id = move |what: &str| format!("{what}-{step_id}");
        let (number, step, version) = (number.clone(), task.step.clone(), task.version);
        let (refuse_id, items_id, extend_id) = (id("refuse-reason"), id("items"), id("extend-reason"));
        match kind {
            TaskActionKind::Refuse => view! {
                <ActForm act number step version action=kind.code() label secondary=true>
                    <ReasonField id=refuse_id/>
                </ActForm>
            }.into_any(),
            TaskActionKind::RequestCorrection => view! {
                <ActForm act number step version action=kind.code() label secondary=true>
                    <ItemsField id=items_id/>
                </ActForm>
            }.into_any(),
            TaskActionKind::Extend => {
                let max = task.extension_max.unwrap_or(0);
                let days_id = id("days");
                let hint_id = format!("{days_id}-hint");
                view! {
                    <ActForm act number step version action=kind.code() label secondary=true>
                        <div class="field">
                            <label for=days_id.clone()>{w.days_label}</label>
                            <p class="hint" id=hint_id.clone()>{format!("{}{max}{}", w.days_hint_prefix, w.days_hint_suffix)}</p>
                            <input type="text" inputmode="numeric" class="input--short" id=days_id name="days" aria-describedby=hint_id/>
                        </div>
                        <ReasonField id=extend_id/>
                    </ActForm>
                }.into_any()
            }
            _ => view! { <ActForm act number step version action=kind.code() label/> }.into_any(),
        }
    }).collect_view();
    view! {
        <li class="case-task" id=format!("task-{}", task.step)>
            <h3><span class="step__number">{step_word(task.number, lang)}</span>" "<Tx text=task.item.name/></h3>
            <p><Tx text=task.department.name/></p>
            <p>
                <strong class=clock_class(task.clock)>{task.status.label(lang)}</strong>
                {(!warning.is_empty()).then(|| view! { " · " <strong class=clock_class(task.clock)>{warning}</strong> })}
            </p>
            <dl class="step__facts">
                {task.committed_due.map(|d| view! { <dt>{w.committed_due}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
                {task.statutory_due.map(|d| view! { <dt>{w.statutory_due}</dt><dd>{format::iso_date(&d, lang)}</dd> })}
            </dl>
            {(!task.notes.is_empty()).then(|| view! {
                <ul class="notes">{task.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
            {(!task.actions.is_empty()).then(|| view! { <div class="actions">{forms}</div> })}
        </li>
    }
}

/// Links to the notices issued so far.
#[component]
pub fn NoticeLinks(number: String, notices: Vec<NoticeKind>) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    (!notices.is_empty()).then(|| view! {
        <h2>{w.notices_heading}</h2>
        <ul>
            {notices.into_iter().map(|k| view! {
                <li><a href=format!("/cases/{number}/notice/{}", k.code())>{notice_title(k, lang)}</a></li>
            }).collect_view()}
        </ul>
    })
}

// ------------------------------------------------------------------ supervision

#[component]
pub fn SupervisionPage() -> impl IntoView {
    let query = use_query_map();
    let clock = ServerAction::<SetDemoClock>::new();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("department").unwrap_or_default(),
                q.get("theme").unwrap_or_default(),
                q.to_query_string(),
                clock.version().get(),
            )
        },
        |(department, theme, _, _)| get_supervision(department, theme),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => staff_refused(page, |v| view! { <Supervision v clock/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "N in all; the first M are shown", when a list was cut.
pub fn shown_note(total: i64, shown: usize, lang: Lang) -> Option<String> {
    let p = tp(lang);
    (total > shown as i64).then(|| {
        format!(
            "{}{total}{}{shown}{}",
            p.shown_prefix, p.shown_middle, p.shown_suffix
        )
    })
}

/// Departments' or themes' figures as a table (`heading`: its caption; `col`: the first column's heading).
#[component]
pub fn GroupTable(
    lines: Vec<GroupLine>,
    heading: &'static str,
    col: &'static str,
    id: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    let p = tp(lang);
    let caption_id = format!("{id}-caption");
    let labelled_by = caption_id.clone();
    view! {
        <div class="table-scroll" role="region" aria-labelledby=labelled_by tabindex="0">
            <table class="data" id=id>
                <caption id=caption_id>{heading}</caption>
                <thead><tr>
                    <th scope="col">{col}</th>
                    <th scope="col">{p.col_in_review}</th>
                    <th scope="col">{p.col_waiting}</th>
                    <th scope="col">{w.sup_col_due_soon}</th>
                    <th scope="col">{w.sup_col_overdue}</th>
                    <th scope="col">{p.col_ended}</th>
                    <th scope="col">{p.col_refused}</th>
                    <th scope="col">{p.col_average}</th>
                    <th scope="col">{p.col_on_time_committed}</th>
                    <th scope="col">{p.col_on_time_statutory}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let average = format!(
                            "{} / {}",
                            format_working_days(l.handled.average(), lang),
                            format_working_days(l.committed.average(), lang)
                        );
                        let pace = Pace::of(l.handled.average(), l.committed.average());
                        view! {
                            <tr>
                                <th scope="row">
                                    {match l.link {
                                        Some(href) => view! { <a href=href><Tx text=l.group.name/></a> }.into_any(),
                                        None => view! { <Tx text=l.group.name/> }.into_any(),
                                    }}
                                </th>
                                <td>{l.in_review}</td><td>{l.waiting}</td><td>{l.due_soon}</td><td>{l.overdue}</td>
                                <td>{l.ended}</td><td>{l.refused}</td>
                                <td>{average}{pace.map(|p| view! { <br/><small>{p.label(lang)}</small> })}</td>
                                <td>{l.on_time_committed.describe(lang)}</td>
                                <td>{l.on_time_statutory.describe(lang)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Supervision(v: SupervisionView, clock: ServerAction<SetDemoClock>) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    let p = tp(lang);
    let outcome = outcome_message(lang).filter(|(problem, _)| *problem);
    let list = |rows: Vec<QueueRow>, total: i64| {
        if rows.is_empty() {
            view! { <p>{w.none}</p> }.into_any()
        } else {
            let note = shown_note(total, rows.len(), lang);
            view! {
                {note.map(|n| view! { <p class="hint">{n}</p> })}
                <ol class="queue">{rows.into_iter().map(|r| view! { <QueueLine r/> }).collect_view()}</ol>
            }
            .into_any()
        }
    };
    let options = |all: Vec<Named>, chosen: String| {
        let any = chosen.is_empty();
        view! {
            <option value="" selected=any>{p.filter_all}</option>
            {all.into_iter().map(|n| {
                let selected = n.id == chosen;
                view! { <option value=n.id.clone() selected=selected><Tx text=n.name/></option> }
            }).collect_view()}
        }
    };
    view! {
        <div class="page supervision">
            <Title text=w.sup_title/>
            <h1>{w.sup_title}</h1>
            <p class="no-print"><a href="/work/appointments">{crate::i18n::appointments::at(lang).today_link}</a></p>
            <p class="note">{w.today_label}{format::iso_date(&v.today, lang)}</p>
            <Outcome message=outcome/>
            <form method="get" action="/supervision" class="filters-form" aria-labelledby="sup-filter-heading">
                <h2 id="sup-filter-heading">{p.filter_heading}</h2>
                <div class="field">
                    <label for="sup-department">{p.filter_department}</label>
                    <select id="sup-department" name="department">{options(v.department_options, v.filter_department)}</select>
                </div>
                <div class="field">
                    <label for="sup-theme">{p.filter_theme}</label>
                    <select id="sup-theme" name="theme">{options(v.theme_options, v.filter_theme)}</select>
                </div>
                <button type="submit" class="secondary">{p.filter_button}</button>
            </form>
            <h2>{w.sup_overdue}</h2>
            {list(v.overdue, v.overdue_total)}
            <h2>{w.sup_due_soon}</h2>
            {list(v.due_soon, v.due_soon_total)}
            <crate::pages::feedback::FeedbackQueue/>
            <h2>{w.sup_departments}</h2>
            <p class="hint">{p.days_note}</p>
            <GroupTable lines=v.departments heading=w.sup_departments col=w.sup_col_department id="sup-departments"/>
            <h2>{p.by_theme}</h2>
            <GroupTable lines=v.themes heading=p.by_theme col=p.col_theme id="sup-themes"/>
            <h2>{w.sup_cases}</h2>
            <dl class="summary">
                {v.case_counts.into_iter().map(|(s, n)| view! {
                    <div class="summary__row"><dt>{s.label(lang)}</dt><dd>{n}</dd></div>
                }).collect_view()}
            </dl>
            <h2>{w.sup_tasks}</h2>
            <dl class="summary">
                {v.task_counts.into_iter().map(|(s, n): (TaskStatus, i64)| view! {
                    <div class="summary__row"><dt>{s.label(lang)}</dt><dd>{n}</dd></div>
                }).collect_view()}
            </dl>
            {v.demo_clock.map(|days| view! {
                <section aria-labelledby="demo-clock-heading" class="demo-clock">
                    <h2 id="demo-clock-heading">{w.demo_clock_heading}</h2>
                    <ActionForm action=clock>
                        <IdemKey/>
                        <div class="field">
                            <label for="demo-days">{w.demo_clock_label}</label>
                            <p class="hint" id="demo-days-hint">{format!("{}{days}", w.demo_clock_hint)}</p>
                            <input type="text" inputmode="numeric" class="input--short" id="demo-days" name="days"
                                value=days.to_string() aria-describedby="demo-days-hint"/>
                        </div>
                        <button type="submit" class="secondary">{w.demo_clock_button}</button>
                    </ActionForm>
                </section>
            })}
        </div>
    }
}

// ------------------------------------------------------------------ notices

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("number").unwrap_or_default(),
                p.get("kind").unwrap_or_default(),
            )
        },
        |(n, k)| get_notice(n, k),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => staff_refused(page, |v| view! { <Notice v/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Notice(v: NoticeView) -> impl IntoView {
    let lang = use_lang();
    let w = tw(lang);
    let title = notice_title(v.kind, lang);
    let body = match v.kind {
        NoticeKind::Acceptance if v.deemed => w.notice_deemed,
        NoticeKind::Acceptance => w.notice_accepted,
        NoticeKind::Correction => w.notice_correction,
        NoticeKind::Refusal => w.notice_refusal,
    };
    let back = format!("/cases/{}", v.number);
    view! {
        <div class="page narrow notice">
            <Title text=title/>
            <p class="no-print"><a class="back-link" href=back>{t(lang).back}</a></p>
            <p class="notice__issuer">{w.notice_issuer}</p>
            <h1>{title}</h1>
            <dl class="summary">
                <div class="summary__row"><dt>{w.notice_number}</dt><dd>{v.number.clone()}</dd></div>
                {v.applicant.map(|a| view! { <div class="summary__row"><dt>{w.notice_applicant}</dt><dd>{a}</dd></div> })}
                <div class="summary__row"><dt>{w.notice_theme}</dt><dd><Tx text=v.theme.name/></dd></div>
                <div class="summary__row"><dt>{w.notice_date}</dt><dd>{format::iso_date(&v.date, lang)}</dd></div>
            </dl>
            <p>{body}</p>
            {v.reason.map(|r| view! { <p class="notice__reason">{r}</p> })}
            {v.promise_deadline.map(|d| view! {
                <p>{w.notice_promise_prefix}{format::iso_date(&d, lang)}{w.notice_promise_suffix}</p>
            })}
            {(!v.items.is_empty()).then(|| view! {
                <ol>{v.items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ol>
            })}
            {v.appeal.map(|a| view! { <p>{w.notice_appeal}</p><p class="notice__appeal">{a}</p> })}
            <p class="no-print"><crate::components::islands::PrintButton label=w.print_button.to_owned()/></p>
        </div>
    }
}

//! 代办 pages: `/agent` (the agent asks residents for consent and sees every consent asked, with a link to start
//! filing once one is given) and `/my/consents` (我的授权: the resident approves, declines or revokes). Plain
//! forms posting to server functions that answer with a redirect, so both work with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::consent::{
    get_agent_page, get_my_consents, AgentView, ConsentLine, ConsentPage, DecideConsent,
    RequestConsent,
};
use crate::components::format;
use crate::components::idem::IdemKey;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::domain::consent::{ConsentStatus, Field, Invalid, Problem, Scope};
use crate::i18n::consent::{action_label, invalid_message, problem, scope_label, status_label, tc};
use crate::i18n::{t, Lang};

fn get(q: &ParamsMap, key: &str) -> String {
    q.get(key).unwrap_or_default()
}

/// A page for one kind of account, or why it is not shown (sign in; 403 for another role).
fn gate<T>(
    page: ConsentPage<T>,
    here: &'static str,
    forbidden: &'static str,
    render: impl FnOnce(T) -> AnyView,
) -> AnyView {
    let lang = use_lang();
    let c = tc(lang);
    match page {
        ConsentPage::Ready(v) => render(v),
        ConsentPage::SignIn => view! {
            <leptos_router::components::Redirect path=crate::api::account::login_path(here)/>
        }
        .into_any(),
        ConsentPage::Forbidden => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::FORBIDDEN);
            }
            view! {
                <div class="page narrow">
                    <Title text=c.forbidden_title/>
                    <h1>{c.forbidden_title}</h1>
                    <p>{forbidden}</p>
                    <p><a href="/">{t(lang).nav_home}</a></p>
                </div>
            }
            .into_any()
        }
    }
}

/// The outcome of the last change, from the query.
#[component]
fn Outcome(q: ParamsMap) -> impl IntoView {
    let lang = use_lang();
    let c = tc(lang);
    let done = match get(&q, "done").as_str() {
        "requested" => Some(c.done_requested),
        "approved" => Some(c.done_approved),
        "declined" => Some(c.done_declined),
        "revoked" => Some(c.done_revoked),
        _ => None,
    };
    let trouble = match get(&q, "problem").as_str() {
        "" => None,
        "no_resident" => Some(c.no_resident),
        code => Some(Invalid::from_code(code).map_or(c.not_found, |i| invalid_message(i, lang))),
    };
    view! {
        {done.map(|d| view! { <div class="panel panel--success" role="status"><p>{d}</p></div> })}
        {trouble.map(|m| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="outcome-title">
                <h2 id="outcome-title">{c.problem_title}</h2>
                <p>{m}</p>
            </div>
        })}
    }
}

/// The request form's problems in the query (`e_<field>=<code>`), in field order.
fn field_problems(q: &ParamsMap) -> Vec<(Field, Problem)> {
    Field::ALL
        .into_iter()
        .filter_map(|f| Problem::from_code(&get(q, &format!("e_{}", f.code()))).map(|p| (f, p)))
        .collect()
}

fn scopes_text(scopes: &[Scope], lang: Lang) -> String {
    scopes
        .iter()
        .map(|s| scope_label(*s, lang))
        .collect::<Vec<_>>()
        .join(match lang {
            Lang::Zh => "、",
            Lang::En => ", ",
        })
}

fn status_text(line: &ConsentLine, lang: Lang) -> String {
    if line.expired {
        tc(lang).expired.to_owned()
    } else {
        status_label(line.status, lang).to_owned()
    }
}

/// One consent: who, what, until when, its state and its audit.
#[component]
fn ConsentCard(line: ConsentLine, agent_side: bool, children: Children) -> impl IntoView {
    let lang = use_lang();
    let c = tc(lang);
    let heading_id = format!("consent-{}", line.id);
    let (who_label, who) = if agent_side {
        (
            c.resident_label,
            format!("{}（{}）", line.resident_name, line.resident_id_masked),
        )
    } else {
        (c.agent_label, line.agent_name.clone())
    };
    view! {
        <li class="task-list__item consent">
            <h3 id=heading_id><Tx text=line.theme.name.clone()/></h3>
            <dl class="summary">
                <div class="summary__row"><dt>{who_label}</dt><dd>{who}</dd></div>
                <div class="summary__row"><dt>{c.scope_col}</dt><dd>{scopes_text(&line.scopes, lang)}</dd></div>
                <div class="summary__row"><dt>{c.until_col}</dt><dd>{format::iso_date(&line.valid_until, lang)}</dd></div>
                <div class="summary__row"><dt>{c.status_col}</dt><dd><strong class="status">{status_text(&line, lang)}</strong></dd></div>
            </dl>
            {children()}
            <details>
                <summary>{c.history_summary}</summary>
                <ul>
                    {line.audit.into_iter().map(|a| view! {
                        <li>{a.at}" · "{a.who}" · "{action_label(&a.action, lang)}</li>
                    }).collect_view()}
                </ul>
            </details>
        </li>
    }
}

// ------------------------------------------------------------------ /agent

#[component]
pub fn AgentPage() -> impl IntoView {
    let query = use_query_map();
    let request = ServerAction::<RequestConsent>::new();
    let data = Resource::new(move || query.read().to_query_string(), |_| get_agent_page());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let lang = use_lang();
                        gate(page, "/agent", tc(lang).forbidden_agent, |v| {
                            let q = query.get_untracked();
                            view! { <Agent v q request/> }.into_any()
                        })
                    }
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A labelled text input with its hint and problem.
#[component]
fn TextField(
    field: Field,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    problem_code: Option<Problem>,
    #[prop(optional)] value: String,
    kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let id = field.code();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = crate::components::field::described_by(
        hint.map(|_| hint_id.as_str()),
        problem_code.map(|_| error_id.as_str()),
    );
    view! {
        <div class=if problem_code.is_some() { "field field--error" } else { "field" }>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {problem_code.map(|p| view! {
                <p class="field-error" id=error_id.clone()>
                    <span class="visually-hidden">{t(lang).error_prefix}</span>
                    {problem(p, field, lang)}
                </p>
            })}
            <input
                type=kind
                id=id
                name=id
                value=value
                inputmode=inputmode
                autocomplete="off"
                spellcheck="false"
                aria-describedby=described
                aria-invalid=problem_code.map(|_| "true")
            />
        </div>
    }
}

#[component]
fn Agent(v: AgentView, q: ParamsMap, request: ServerAction<RequestConsent>) -> impl IntoView {
    let lang = use_lang();
    let (s, c) = (t(lang), tc(lang));
    let problems = field_problems(&q);
    let p = |f: Field| problems.iter().find(|(x, _)| *x == f).map(|&(_, p)| p);
    let failed = !problems.is_empty() || !get(&q, "problem").is_empty();
    let title = if failed {
        match lang {
            Lang::Zh => format!("错误：{}", c.agent_title),
            Lang::En => format!("Error: {}", c.agent_title),
        }
    } else {
        c.agent_title.to_owned()
    };
    // A first visit has every scope ticked; an answer to a mistake keeps what was ticked.
    let ticked: Vec<Scope> = if failed {
        Scope::split(&get(&q, "scopes"))
    } else {
        Scope::ALL.to_vec()
    };
    let (p_id, p_name, p_mobile, p_until) = (
        p(Field::ResidentId),
        p(Field::ResidentName),
        p(Field::ResidentMobile),
        p(Field::ValidUntil),
    );
    let chosen_theme = get(&q, "theme");
    let until = if failed {
        get(&q, "valid_until")
    } else {
        v.default_until.clone()
    };
    let scope_problem = p(Field::Scope);
    let theme_problem = p(Field::Theme);
    view! {
        <div class="page narrow form-page">
            <Title text=title/>
            <h1>{c.agent_title}</h1>
            <p class="lead">{c.agent_lead}</p>
            <Outcome q=q.clone()/>
            {(!problems.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="form-error-title">
                    <h2 id="form-error-title">{s.error_summary_title}</h2>
                    <ul>
                        {problems.iter().map(|&(f, p)| view! {
                            <li><a href=format!("#{}", f.code())>{problem(p, f, lang)}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <h2>{c.agent_list_heading}</h2>
            {if v.consents.is_empty() {
                view! { <p>{c.no_consents_agent}</p> }.into_any()
            } else {
                view! {
                    <ul class="task-list">
                        {v.consents.into_iter().map(|line| {
                            let usable = line.status == ConsentStatus::Approved && !line.expired
                                && line.scopes.contains(&Scope::File);
                            let href = format!("/themes/{}", line.theme.id);
                            view! {
                                <ConsentCard line agent_side=true>
                                    {usable.then(|| view! { <p><a class="button-link" href=href.clone()>{c.start_filing}</a></p> })}
                                </ConsentCard>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <section aria-labelledby="request">
                <h2 id="request" tabindex="-1">{c.request_heading}</h2>
                <p>{c.request_lead}</p>
                {failed.then(|| view! { <p class="note">{c.retype_note}</p> })}
                <ActionForm action=request attr:novalidate=true>
                    <IdemKey/>
                    <TextField field=Field::ResidentId label=c.resident_id_label hint=c.resident_id_hint
                        problem_code=p_id kind="text"/>
                    <TextField field=Field::ResidentName label=c.resident_name_label
                        problem_code=p_name value=get(&q, "resident_name") kind="text"/>
                    <TextField field=Field::ResidentMobile label=c.resident_mobile_label hint=c.resident_mobile_hint
                        problem_code=p_mobile kind="tel" inputmode="tel"/>
                    <div class=if theme_problem.is_some() { "field field--error" } else { "field" }>
                        <label for="theme">{c.theme_label}</label>
                        {theme_problem.map(|pr| view! {
                            <p class="field-error" id="theme-error">
                                <span class="visually-hidden">{s.error_prefix}</span>
                                {problem(pr, Field::Theme, lang)}
                            </p>
                        })}
                        <select id="theme" name="theme"
                            aria-describedby=theme_problem.map(|_| "theme-error")
                            aria-invalid=theme_problem.map(|_| "true")>
                            <option value="">{c.choose_theme}</option>
                            {v.themes.into_iter().map(|th| {
                                let on = th.id == chosen_theme;
                                view! { <option value=th.id.clone() selected=on prop:selected=on><Tx text=th.name/></option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <fieldset class=if scope_problem.is_some() { "field field--error" } else { "field" }
                        id="scope" aria-describedby="scope-hint">
                        <legend>{c.scope_legend}</legend>
                        <p class="hint" id="scope-hint">{c.scope_hint}</p>
                        {scope_problem.map(|pr| view! {
                            <p class="field-error">
                                <span class="visually-hidden">{s.error_prefix}</span>
                                {problem(pr, Field::Scope, lang)}
                            </p>
                        })}
                        {Scope::ALL.into_iter().map(|scope| {
                            let id = format!("scope_{}", scope.code());
                            let on = ticked.contains(&scope);
                            view! {
                                <div class="checkbox">
                                    <input type="checkbox" id=id.clone() name=id.clone() value="on" checked=on/>
                                    <label for=id>{scope_label(scope, lang)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <TextField field=Field::ValidUntil label=c.valid_until_label hint=c.valid_until_hint
                        problem_code=p_until value=until kind="text" inputmode="numeric"/>
                    <fieldset class="field">
                        <legend>{c.method_legend}</legend>
                        <div class="radios">
                            <div class="radio">
                                <input type="radio" id="method_account" name="method" value="account" checked=true/>
                                <label for="method_account">{c.method_account}</label>
                            </div>
                        </div>
                    </fieldset>
                    <button type="submit" class="primary">{c.request_button}</button>
                </ActionForm>
            </section>
        </div>
    }
}

// ------------------------------------------------------------------ /my/consents

#[component]
pub fn MyConsentsPage() -> impl IntoView {
    let query = use_query_map();
    let decide = ServerAction::<DecideConsent>::new();
    let data = Resource::new(
        move || query.read().to_query_string(),
        |_| get_my_consents(),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let lang = use_lang();
                        gate(page, "/my/consents", tc(lang).forbidden_resident, |lines| {
                            let q = query.get_untracked();
                            view! { <Mine lines q decide/> }.into_any()
                        })
                    }
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DecisionForm(
    id: i64,
    decision: &'static str,
    label: &'static str,
    class: &'static str,
    decide: ServerAction<DecideConsent>,
) -> impl IntoView {
    view! {
        <ActionForm action=decide attr:class="inline-form">
            <IdemKey/>
            <input type="hidden" name="consent" value=id.to_string()/>
            <input type="hidden" name="decision" value=decision/>
            <button type="submit" class=class>{label}</button>
        </ActionForm>
    }
}

#[component]
fn Mine(
    lines: Vec<ConsentLine>,
    q: ParamsMap,
    decide: ServerAction<DecideConsent>,
) -> impl IntoView {
    let lang = use_lang();
    let c = tc(lang);
    view! {
        <div class="page narrow">
            <Title text=c.my_title/>
            <p><a class="back-link" href="/my">{crate::i18n::application::my(lang).title}</a></p>
            <h1>{c.my_title}</h1>
            <p class="lead">{c.my_lead}</p>
            <Outcome q/>
            {if lines.is_empty() {
                view! { <p>{c.no_consents_resident}</p> }.into_any()
            } else {
                view! {
                    <ul class="task-list">
                        {lines.into_iter().map(|line| {
                            let id = line.id;
                            let pending = line.status == ConsentStatus::Pending;
                            let approved = line.status == ConsentStatus::Approved;
                            view! {
                                <ConsentCard line agent_side=false>
                                    {pending.then(|| view! {
                                        <div class="button-row">
                                            <DecisionForm id decision="approve" label=c.approve_button class="primary" decide/>
                                            <DecisionForm id decision="decline" label=c.decline_button class="secondary" decide/>
                                        </div>
                                    })}
                                    {approved.then(|| view! {
                                        <p class="hint">{c.revoke_note}</p>
                                        <DecisionForm id decision="revoke" label=c.revoke_button class="secondary" decide/>
                                    })}
                                </ConsentCard>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

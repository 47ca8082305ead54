//! Sign in (`/login`) and citizen registration (`/register`). Plain forms that post to server functions: the
//! server answers with a redirect (post/redirect/get), with or without JavaScript. A
//! mistake comes back as codes in the query string, with what was typed (never a password).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::account::{safe_next, LoginProblem};
use crate::components::auth::use_auth;
use crate::components::text::use_lang;
use crate::domain::registration::{Field, Problem};
use crate::i18n::{registration_problem, t, Strings};

fn get(q: &ParamsMap, key: &str) -> String {
    q.get(key).unwrap_or_default()
}

/// `?next=` as a link query, for moving between the two forms without losing it.
fn next_query(next: &str) -> String {
    if next == "/" {
        String::new()
    } else {
        format!("?next={}", crate::api::account::encode_component(next))
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    // Server-rendered only: each answer from the server is a new page with a fresh form, so a password typed before
    // is never sent back.
    let q = use_query_map().get_untracked();
    view! { <LoginForm q/> }
}

#[component]
fn LoginForm(q: ParamsMap) -> impl IntoView {
    let s = t(use_lang());
    let auth = use_auth();
    let next = safe_next(&get(&q, "next"));
    let problem = LoginProblem::from_code(&get(&q, "error"));
    let message = problem.map(|p| match p {
        LoginProblem::Wrong => s.login_wrong.to_owned(),
        LoginProblem::Missing => s.login_missing.to_owned(),
        LoginProblem::Throttled => {
            let minutes = get(&q, "retry").parse::<u32>().unwrap_or(15);
            format!(
                "{}{minutes}{}",
                s.login_throttled_prefix, s.login_throttled_suffix
            )
        }
        LoginProblem::Disabled => crate::i18n::admin::ta(use_lang()).login_disabled.to_owned(),
        LoginProblem::Unavailable => s.service_unavailable.to_owned(),
    });
    let notice = match get(&q, "notice").as_str() {
        "everywhere" => Some(s.signed_out_everywhere),
        _ if next != "/" && message.is_none() => Some(s.sign_in_to_continue),
        _ => None,
    };
    let title = match &message {
        Some(_) => format!("{}{}", s.error_prefix, s.login_title),
        None => s.login_title.to_owned(),
    };
    let invalid = message.is_some().then_some("true");
    let register_href = format!("/register{}", next_query(&next));
    let typed = get(&q, "login");
    view! {
        <Title text=title/>
        <section class="page narrow form-page">
            <h1>{s.login_title}</h1>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            {message.map(|m| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="login-error-title">
                    <h2 id="login-error-title">{s.error_summary_title}</h2>
                    <ul><li><a href="#login">{m}</a></li></ul>
                </div>
            })}
            <p>{s.login_lead}</p>
            <ActionForm action=auth.login attr:novalidate=true>
                <input type="hidden" name="next" value=next.clone()/>
                <div class="field">
                    <label for="login">{s.login_account_label}</label>
                    <input
                        type="text"
                        id="login"
                        name="login"
                        value=typed
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        aria-invalid=invalid
                    />
                </div>
                <div class="field">
                    <label for="password">{s.password_label}</label>
                    <input
                        type="password"
                        id="password"
                        name="password"
                        autocomplete="current-password"
                        aria-invalid=invalid
                    />
                </div>
                <button type="submit" class="primary">{s.login_button}</button>
            </ActionForm>
            <p>{s.no_account_prompt}" "<a href=register_href>{s.register_link}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    // A fresh form for each answer from the server (see LoginPage).
    let q = use_query_map().get_untracked();
    view! { <RegisterForm q/> }
}

/// One text field of the registration form, with its hint and its problem.
#[component]
fn RegField(
    s: &'static Strings,
    field: Field,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    problem: Option<Problem>,
    #[prop(optional)] value: Option<String>,
    kind: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = field.code();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = crate::components::field::described_by(
        hint.map(|_| hint_id.as_str()),
        problem.map(|_| error_id.as_str()),
    );
    view! {
        <div class=if problem.is_some() { "field field--error" } else { "field" }>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {problem.map(|p| view! {
                <p class="field-error" id=error_id.clone()>
                    <span class="visually-hidden">{s.error_prefix}</span>
                    {registration_problem(s, p, field)}
                </p>
            })}
            <input
                type=kind
                id=id
                name=id
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                aria-describedby=described
                aria-invalid=problem.map(|_| "true")
            />
        </div>
    }
}

#[component]
fn RegisterForm(q: ParamsMap) -> impl IntoView {
    let s = t(use_lang());
    let auth = use_auth();
    let next = safe_next(&get(&q, "next"));
    let problems: Vec<(Field, Problem)> = Field::ALL
        .into_iter()
        .filter_map(|f| Problem::from_code(&get(&q, &format!("e_{}", f.code()))).map(|p| (f, p)))
        .collect();
    let summary = problems.clone();
    let problem = move |field: Field| problems.iter().find(|(f, _)| *f == field).map(|&(_, p)| p);
    let login_href = format!("/login{}", next_query(&next));
    let (mobile, display_name, resident_id) = (
        get(&q, "mobile"),
        get(&q, "display_name"),
        get(&q, "resident_id"),
    );
    let unavailable = get(&q, "error") == "unavailable";
    let failed = !summary.is_empty() || unavailable;
    let title = if failed {
        format!("{}{}", s.error_prefix, s.register_title)
    } else {
        s.register_title.to_owned()
    };
    view! {
        <Title text=title/>
        <section class="page narrow form-page">
            <h1>{s.register_title}</h1>
            {failed.then(|| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="register-error-title">
                    <h2 id="register-error-title">{s.error_summary_title}</h2>
                    <ul>
                        {unavailable.then(|| view! { <li>{s.service_unavailable}</li> })}
                        {summary
                            .iter()
                            .map(|&(f, p)| view! {
                                <li><a href=format!("#{}", f.code())>{registration_problem(s, p, f)}</a></li>
                            })
                            .collect_view()}
                    </ul>
                </div>
            })}
            <p>{s.register_lead}</p>
            <ActionForm action=auth.register attr:novalidate=true>
                <input type="hidden" name="next" value=next.clone()/>
                <RegField
                    s
                    field=Field::Mobile
                    label=s.mobile_label
                    hint=s.mobile_hint
                    problem=problem(Field::Mobile)
                    value=mobile
                    kind="tel"
                    autocomplete="tel"
                    inputmode="tel"
                />
                <RegField
                    s
                    field=Field::DisplayName
                    label=s.display_name_label
                    problem=problem(Field::DisplayName)
                    value=display_name
                    kind="text"
                    autocomplete="name"
                />
                <RegField
                    s
                    field=Field::Password
                    label=s.password_label
                    hint=s.password_hint
                    problem=problem(Field::Password)
                    kind="password"
                    autocomplete="new-password"
                />
                <RegField
                    s
                    field=Field::PasswordConfirm
                    label=s.password_confirm_label
                    problem=problem(Field::PasswordConfirm)
                    kind="password"
                    autocomplete="new-password"
                />
                <RegField
                    s
                    field=Field::ResidentId
                    label=s.resident_id_label
                    hint=s.resident_id_hint
                    problem=problem(Field::ResidentId)
                    value=resident_id
                    kind="text"
                    autocomplete="off"
                />
                <button type="submit" class="primary">{s.register_button}</button>
            </ActionForm>
            <p>{s.have_account_prompt}" "<a href=login_href>{s.nav_login}</a></p>
        </section>
    }
}

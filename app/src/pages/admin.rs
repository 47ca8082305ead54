//! The administration pages (管理, admin role only): `/admin`, the account list (`/admin/accounts`), a new staff
//! account (`/admin/accounts/new`), one account (`/admin/accounts/{id}`: role and department, disable, password,
//! its audit) and API tokens (`/admin/tokens`). Every change is a plain form posting to a server function that
//! answers with a redirect (`?done=`, `?problem=`, `e_<field>=` and what was typed), so the pages work the same
//! with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

use crate::api::account::{encode_component, login_path};
use crate::api::admin::{
    get_admin_account, get_admin_accounts, get_admin_home, get_admin_tokens, get_new_account,
    AccountListView, AccountPageView, AdminAccount, AssignAccount, CreateAccount, CreateApiToken,
    NewAccountView, ResetAccountPassword, RevokeApiToken, SetAccountDisabled, TokensView,
};
use crate::api::catalog::Named;
use crate::api::work::StaffPage;
use crate::components::idem::IdemKey;
use crate::components::lists::{LoadError, Loading, Pager};
use crate::components::text::{plain, use_lang, Tx};
use crate::domain::admin::{AdminField, AdminProblem, STAFF_ROLES};
use crate::domain::Role;
use crate::i18n::admin::{action_label, problem, ta, AdminStrings};
use crate::i18n::{role_label, t, Lang};

fn get(q: &ParamsMap, key: &str) -> String {
    q.get(key).unwrap_or_default()
}

/// The field problems in the query (`e_<field>=<code>`), in field order.
fn field_problems(q: &ParamsMap) -> Vec<(AdminField, AdminProblem)> {
    AdminField::ALL
        .into_iter()
        .filter_map(|f| {
            AdminProblem::from_code(&get(q, &format!("e_{}", f.code()))).map(|p| (f, p))
        })
        .collect()
}

/// A page for administrators, or why it is not shown (sign in, not allowed — status 403 —, not found).
pub(crate) fn admin_refused<T>(page: StaffPage<T>, render: impl FnOnce(T) -> AnyView) -> AnyView {
    let lang = use_lang();
    let w = crate::i18n::work::tw(lang);
    let a = ta(lang);
    let (title, body) = match page {
        StaffPage::Ready(v) => return render(v),
        StaffPage::SignIn => {
            let here = crate::components::layout::current_path();
            return view! { <leptos_router::components::Redirect path=login_path(&here)/> }
                .into_any();
        }
        StaffPage::Forbidden => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::FORBIDDEN);
            }
            (w.forbidden_title, w.forbidden_body)
        }
        StaffPage::NotFound => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::NOT_FOUND);
            }
            (a.not_found_title, a.not_found_body)
        }
    };
    view! {
        <div class="page narrow">
            <Title text=title/>
            <h1>{title}</h1>
            <p>{body}</p>
            <p><a href="/">{t(lang).nav_home}</a></p>
        </div>
    }
    .into_any()
}

/// The outcome of the last change, from the query: a success line or a problem banner.
#[component]
fn Outcome(q: ParamsMap) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let done = match get(&q, "done").as_str() {
        "created" => Some(a.done_created),
        "assigned" => Some(a.done_assigned),
        "disabled" => Some(a.done_disabled),
        "enabled" => Some(a.done_enabled),
        "password" => Some(a.done_password),
        "token_created" => Some(a.done_token_created),
        "token_revoked" => Some(a.done_token_revoked),
        _ => None,
    };
    let trouble = match get(&q, "problem").as_str() {
        "" => None,
        "unavailable" => Some(t(lang).service_unavailable),
        code => AdminProblem::from_code(code).map(|p| problem(p, None, lang)),
    };
    view! {
        {done.map(|d| view! { <div class="panel panel--success" role="status"><p>{d}</p></div> })}
        {trouble.map(|m| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="outcome-title">
                <h2 id="outcome-title">{a.problem_title}</h2>
                <p>{m}</p>
            </div>
        })}
    }
}

/// The error summary of a form: each problem links to its field.
#[component]
fn ErrorSummary(problems: Vec<(AdminField, AdminProblem)>) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    (!problems.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="form-error-title">
                <h2 id="form-error-title">{s.error_summary_title}</h2>
                <ul>
                    {problems.into_iter().map(|(f, p)| view! {
                        <li><a href=format!("#{}", f.code())>{problem(p, Some(f), lang)}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled input with its hint and problem.
#[component]
fn Field(
    field: AdminField,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    problem_code: Option<AdminProblem>,
    #[prop(optional)] value: String,
    kind: &'static str,
    autocomplete: &'static str,
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
                    {problem(p, Some(field), lang)}
                </p>
            })}
            <input
                type=kind
                id=id
                name=id
                value=value
                autocomplete=autocomplete
                autocapitalize="none"
                spellcheck="false"
                aria-describedby=described
                aria-invalid=problem_code.map(|_| "true")
            />
        </div>
    }
}

/// A labelled choice of staff role.
#[component]
fn RoleSelect(selected: String, problem_code: Option<AdminProblem>) -> impl IntoView {
    let lang = use_lang();
    let (s, a) = (t(lang), ta(lang));
    view! {
        <div class=if problem_code.is_some() { "field field--error" } else { "field" }>
            <label for="role">{a.role_label}</label>
            {problem_code.map(|p| view! {
                <p class="field-error" id="role-error">
                    <span class="visually-hidden">{s.error_prefix}</span>
                    {problem(p, Some(AdminField::Role), lang)}
                </p>
            })}
            <select id="role" name="role"
                aria-describedby=problem_code.map(|_| "role-error")
                aria-invalid=problem_code.map(|_| "true")>
                <option value="">{a.choose}</option>
                {STAFF_ROLES.into_iter().map(|r| {
                    let on = r.code() == selected;
                    view! { <option value=r.code() selected=on prop:selected=on>{role_label(s, r)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled choice of the catalog's departments, with "none".
#[component]
fn DepartmentSelect(
    departments: Vec<Named>,
    selected: String,
    problem_code: Option<AdminProblem>,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    none: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let described = crate::components::field::described_by(
        hint.map(|_| "department-hint"),
        problem_code.map(|_| "department-error"),
    );
    view! {
        <div class=if problem_code.is_some() { "field field--error" } else { "field" }>
            <label for="department">{label}</label>
            {hint.map(|h| view! { <p class="hint" id="department-hint">{h}</p> })}
            {problem_code.map(|p| view! {
                <p class="field-error" id="department-error">
                    <span class="visually-hidden">{s.error_prefix}</span>
                    {problem(p, Some(AdminField::Department), lang)}
                </p>
            })}
            <select id="department" name="department" aria-describedby=described
                aria-invalid=problem_code.map(|_| "true")>
                <option value="">{none}</option>
                {departments.into_iter().map(|d| {
                    let on = d.id == selected;
                    view! { <option value=d.id.clone() selected=on prop:selected=on>{plain(&d.name, lang)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

pub(crate) fn title_with_error(a: &str, failed: bool, lang: Lang) -> String {
    if failed {
        format!("{}{a}", t(lang).error_prefix)
    } else {
        a.to_owned()
    }
}

// ------------------------------------------------------------------ /admin

#[component]
pub fn AdminHomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_admin_home());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => admin_refused(page, |()| view! { <AdminHome/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminHome() -> impl IntoView {
    let a = ta(use_lang());
    view! {
        <div class="page narrow">
            <Title text=a.home_title/>
            <h1>{a.home_title}</h1>
            <p class="lead">{a.home_lead}</p>
            <ul class="link-list">
                <li><a href="/admin/accounts">{a.accounts_title}</a></li>
                <li><a href="/admin/tokens">{a.tokens_title}</a></li>
                <li><a href="/admin/webhooks">{crate::i18n::webhooks::th(use_lang()).title}</a></li>
            </ul>
        </div>
    }
}

// ------------------------------------------------------------------ /admin/accounts

#[component]
pub fn AdminAccountsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (get(&q, "role"), get(&q, "q"), get(&q, "page"))
        },
        |(role, q, page)| get_admin_accounts(role, q, page),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => admin_refused(page, |v| view! { <AccountList v/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn list_href(role: Option<Role>, q: &str, page: i64) -> String {
    let mut parts = Vec::new();
    if let Some(r) = role {
        parts.push(format!("role={}", r.code()));
    }
    if !q.is_empty() {
        parts.push(format!("q={}", encode_component(q)));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/admin/accounts".into()
    } else {
        format!("/admin/accounts?{}", parts.join("&"))
    }
}

fn status_label(a: &AdminStrings, disabled: bool) -> &'static str {
    if disabled {
        a.status_disabled
    } else {
        a.status_active
    }
}

fn role_text(lang: Lang, account: &AdminAccount) -> String {
    account.role.map_or_else(
        || account.role_code.clone(),
        |r| role_label(t(lang), r).to_owned(),
    )
}

#[component]
fn AccountList(v: AccountListView) -> impl IntoView {
    let lang = use_lang();
    let (s, a) = (t(lang), ta(lang));
    let selected = v.role.map(Role::code).unwrap_or("");
    let rows = v.rows.into_iter().map(|r| {
        let href = format!("/admin/accounts/{}", r.id);
        let role = role_text(lang, &r);
        view! {
            <tr>
                <th scope="row"><a href=href>{r.login.clone()}</a></th>
                <td>{r.display_name.clone()}</td>
                <td>{role}</td>
                <td>{r.department.clone().map_or_else(|| view! { {a.none} }.into_any(), |d| view! { <Tx text=d.name/> }.into_any())}</td>
                <td class="nowrap">{r.resident_id_masked.clone().unwrap_or_else(|| a.none.into())}</td>
                <td class="nowrap">{r.mobile_masked.clone().unwrap_or_else(|| a.none.into())}</td>
                <td>{status_label(a, r.disabled)}</td>
            </tr>
        }
    }).collect_view();
    let (role, q) = (v.role, v.q.clone());
    let href = move |page: i64| list_href(role, &q, page);
    view! {
        <div class="page admin">
            <Title text=a.accounts_title/>
            <p><a class="back-link" href="/admin">{a.home_title}</a></p>
            <h1>{a.accounts_title}</h1>
            <p class="lead">{a.accounts_lead}</p>
            <p><a class="button-link" href="/admin/accounts/new">{a.new_account_link}</a></p>
            <form method="get" action="/admin/accounts" class="filter-form">
                <div class="field">
                    <label for="filter-role">{a.filter_role}</label>
                    <select id="filter-role" name="role">
                        <option value="">{a.filter_all_roles}</option>
                        {Role::ALL.into_iter().map(|r| {
                            let on = r.code() == selected;
                            view! { <option value=r.code() selected=on prop:selected=on>{role_label(s, r)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-q">{a.filter_search}</label>
                    <p class="hint" id="filter-q-hint">{a.filter_search_hint}</p>
                    <input type="search" id="filter-q" name="q" value=v.q.clone() aria-describedby="filter-q-hint"
                        autocapitalize="none" spellcheck="false"/>
                </div>
                <button type="submit" class="secondary">{a.filter_button}</button>
            </form>
            <p role="status">{a.total_prefix}{v.total}{a.total_suffix}</p>
            {if v.total == 0 {
                view! { <p>{a.no_accounts}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="accounts-caption" tabindex="0">
                        <table class="data">
                            <caption id="accounts-caption">{a.list_caption}</caption>
                            <thead><tr>
                                <th scope="col">{a.col_login}</th>
                                <th scope="col">{a.col_name}</th>
                                <th scope="col">{a.col_role}</th>
                                <th scope="col">{a.col_department}</th>
                                <th scope="col">{a.col_resident_id}</th>
                                <th scope="col">{a.col_mobile}</th>
                                <th scope="col">{a.col_status}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <Pager page=v.page pages=v.pages href/>
        </div>
    }
}

// ------------------------------------------------------------------ /admin/accounts/new

#[component]
pub fn AdminNewAccountPage() -> impl IntoView {
    let query = use_query_map();
    let create = ServerAction::<CreateAccount>::new();
    // Keyed on the query only: every answer to a form has a URL of its own (see `admin_views::fresh`).
    let data = Resource::new(
        move || query.read().to_query_string(),
        |_| get_new_account(),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => admin_refused(page, |v| {
                        let q = query.get_untracked();
                        view! { <NewAccount v q create/> }.into_any()
                    }),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewAccount(
    v: NewAccountView,
    q: ParamsMap,
    create: ServerAction<CreateAccount>,
) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let problems = field_problems(&q);
    let failed = !problems.is_empty() || !get(&q, "problem").is_empty();
    let p = |f: AdminField| problems.iter().find(|(x, _)| *x == f).map(|&(_, p)| p);
    let (p_login, p_name, p_role, p_department, p_password, p_confirm) = (
        p(AdminField::Login),
        p(AdminField::DisplayName),
        p(AdminField::Role),
        p(AdminField::Department),
        p(AdminField::Password),
        p(AdminField::PasswordConfirm),
    );
    let title = title_with_error(a.new_account_title, failed, lang);
    view! {
        <div class="page narrow form-page">
            <Title text=title/>
            <p><a class="back-link" href="/admin/accounts">{a.back_to_accounts}</a></p>
            <h1>{a.new_account_title}</h1>
            <Outcome q=q.clone()/>
            <ErrorSummary problems=problems.clone()/>
            <p>{a.new_account_lead}</p>
            <ActionForm action=create attr:novalidate=true>
                <IdemKey/>
                <Field field=AdminField::Login label=a.login_label hint=a.login_hint
                    problem_code=p_login value=get(&q, "login") kind="text" autocomplete="off"/>
                <Field field=AdminField::DisplayName label=a.display_name_label
                    problem_code=p_name value=get(&q, "display_name") kind="text" autocomplete="off"/>
                <RoleSelect selected=get(&q, "role") problem_code=p_role/>
                <DepartmentSelect departments=v.departments selected=get(&q, "department")
                    problem_code=p_department label=a.department_label hint=a.department_hint
                    none=a.no_department/>
                <Field field=AdminField::Password label=a.password_label hint=a.password_hint
                    problem_code=p_password kind="password" autocomplete="new-password"/>
                <Field field=AdminField::PasswordConfirm label=a.password_confirm_label
                    problem_code=p_confirm kind="password" autocomplete="new-password"/>
                <button type="submit" class="primary">{a.create_button}</button>
            </ActionForm>
        </div>
    }
}

// ------------------------------------------------------------------ /admin/accounts/{id}

#[derive(Clone, Copy)]
struct AccountActions {
    assign: ServerAction<AssignAccount>,
    disable: ServerAction<SetAccountDisabled>,
    password: ServerAction<ResetAccountPassword>,
}

#[component]
pub fn AdminAccountPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let actions = AccountActions {
        assign: ServerAction::new(),
        disable: ServerAction::new(),
        password: ServerAction::new(),
    };
    let data = Resource::new(
        // Keyed on the address only: every answer to a form has a URL of its own, so a password shown once is
        // read once (see `admin_views::fresh`).
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().to_query_string(),
            )
        },
        |(id, ..)| get_admin_account(id),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => admin_refused(page, |v| {
                        let q = query.get_untracked();
                        view! { <AccountDetail v q actions/> }.into_any()
                    }),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountDetail(v: AccountPageView, q: ParamsMap, actions: AccountActions) -> impl IntoView {
    let lang = use_lang();
    let (s, a) = (t(lang), ta(lang));
    let account = v.account;
    let id = account.id.to_string();
    let assign_id = id.clone();
    let disable_id = id.clone();
    let problems = field_problems(&q);
    let password_form = get(&q, "form") == "password";
    let (password_problems, assign_problems): (Vec<_>, Vec<_>) =
        problems.iter().copied().partition(|_| password_form);
    let failed = !problems.is_empty() || !get(&q, "problem").is_empty();
    let title = title_with_error(&account.display_name, failed, lang);
    let pp = |f: AdminField| {
        password_problems
            .iter()
            .find(|(x, _)| *x == f)
            .map(|&(_, p)| p)
    };
    let ap = |f: AdminField| {
        assign_problems
            .iter()
            .find(|(x, _)| *x == f)
            .map(|&(_, p)| p)
    };
    let (pp_password, pp_confirm) = (pp(AdminField::Password), pp(AdminField::PasswordConfirm));
    let (ap_role, ap_department) = (ap(AdminField::Role), ap(AdminField::Department));
    let departments = v.departments;
    let is_staff = account.role.is_some_and(Role::is_staff);
    // What was typed into the assignment form when it came back, else the account's values.
    let role_value = if assign_problems.is_empty() {
        account.role_code.clone()
    } else {
        get(&q, "role")
    };
    let department_value = if assign_problems.is_empty() {
        account
            .department
            .as_ref()
            .map(|d| d.id.clone())
            .unwrap_or_default()
    } else {
        get(&q, "department")
    };
    let summary: Vec<(AdminField, AdminProblem)> = problems.clone();
    let audit = v.audit;
    view! {
        <div class="page admin">
            <Title text=title/>
            <p><a class="back-link" href="/admin/accounts">{a.back_to_accounts}</a></p>
            <h1>{account.display_name.clone()}</h1>
            <Outcome q=q.clone()/>
            <ErrorSummary problems=summary/>
            {v.new_password.map(|pw| view! {
                <section class="panel secret" aria-labelledby="new-password-title">
                    <h2 id="new-password-title">{a.new_password_title}</h2>
                    <p><code class="secret__value">{pw}</code></p>
                    <p>{a.new_password_note}</p>
                </section>
            })}
            <dl class="facts">
                <dt>{a.col_login}</dt><dd>{account.login.clone()}</dd>
                <dt>{a.col_role}</dt><dd>{role_text(lang, &account)}</dd>
                <dt>{a.col_department}</dt>
                <dd>{account.department.clone().map_or_else(|| view! { {a.none} }.into_any(), |d| view! { <Tx text=d.name/> }.into_any())}</dd>
                <dt>{a.col_resident_id}</dt><dd>{account.resident_id_masked.clone().unwrap_or_else(|| a.none.into())}</dd>
                <dt>{a.col_mobile}</dt><dd>{account.mobile_masked.clone().unwrap_or_else(|| a.none.into())}</dd>
                <dt>{a.col_status}</dt><dd>{status_label(a, account.disabled)}</dd>
                <dt>{a.created_at}</dt><dd>{v.created_at}</dd>
                <dt>{a.sessions}</dt><dd>{v.sessions}</dd>
            </dl>
            {v.is_self.then(|| view! { <p class="note">{a.self_note}</p> })}

            <section id="assignment" aria-labelledby="assignment-heading" class="form-page">
                <h2 id="assignment-heading">{a.assignment_heading}</h2>
                {if is_staff {
                    view! {
                        <p>{a.assignment_lead}</p>
                        <ActionForm action=actions.assign attr:novalidate=true>
                            <IdemKey/>
                            <input type="hidden" name="id" value=assign_id/>
                            <RoleSelect selected=role_value problem_code=ap_role/>
                            <DepartmentSelect departments=departments selected=department_value
                                problem_code=ap_department label=a.department_label
                                hint=a.department_hint none=a.no_department/>
                            <button type="submit" class="secondary">{a.assignment_button}</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p>{a.not_staff_note}</p> }.into_any()
                }}
            </section>

            <section aria-labelledby="disable-heading">
                <h2 id="disable-heading">{a.disable_heading}</h2>
                <p>{if account.disabled { a.enable_lead } else { a.disable_lead }}</p>
                <ActionForm action=actions.disable>
                    <IdemKey/>
                    <input type="hidden" name="id" value=disable_id/>
                    <input type="hidden" name="disable" value=if account.disabled { "0" } else { "1" }/>
                    <button type="submit" class="secondary">
                        {if account.disabled { a.enable_button } else { a.disable_button }}
                    </button>
                </ActionForm>
            </section>

            <section id="password-reset" aria-labelledby="password-heading" class="form-page">
                <h2 id="password-heading">{a.password_heading}</h2>
                <p>{a.password_lead}</p>
                <ActionForm action=actions.password attr:novalidate=true>
                    <IdemKey/>
                    <input type="hidden" name="id" value=id/>
                    <Field field=AdminField::Password label=s.password_label
                        problem_code=pp_password kind="password" autocomplete="new-password"/>
                    <Field field=AdminField::PasswordConfirm label=a.password_confirm_label
                        problem_code=pp_confirm kind="password" autocomplete="new-password"/>
                    <button type="submit" class="secondary">{a.password_button}</button>
                </ActionForm>
            </section>

            <section aria-labelledby="audit-heading">
                <h2 id="audit-heading">{a.audit_heading}</h2>
                {if audit.is_empty() {
                    view! { <p>{a.audit_empty}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" role="region" aria-labelledby="audit-heading" tabindex="0">
                            <table class="data">
                                <thead><tr>
                                    <th scope="col">{a.col_when}</th>
                                    <th scope="col">{a.col_who}</th>
                                    <th scope="col">{a.col_action}</th>
                                    <th scope="col">{a.col_detail}</th>
                                    <th scope="col">{a.col_address}</th>
                                </tr></thead>
                                <tbody>
                                    {audit.into_iter().map(|l| view! {
                                        <tr>
                                            <td class="nowrap">{l.at}</td>
                                            <td>{l.who}</td>
                                            <td>{action_label(&l.action, lang).to_owned()}</td>
                                            <td>{l.detail.unwrap_or_default()}</td>
                                            <td>{l.address.unwrap_or_else(|| a.none.into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

// ------------------------------------------------------------------ /admin/tokens

#[derive(Clone, Copy)]
struct TokenActions {
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
}

#[component]
pub fn AdminTokensPage() -> impl IntoView {
    let query = use_query_map();
    let actions = TokenActions {
        create: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    let data = Resource::new(
        // Keyed on the query only, so a new token's secret is read once (see `admin_views::fresh`).
        move || query.read().to_query_string(),
        |_| get_admin_tokens(),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => admin_refused(page, |v| {
                        let q = query.get_untracked();
                        view! { <Tokens v q actions/> }.into_any()
                    }),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tokens(v: TokensView, q: ParamsMap, actions: TokenActions) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let problems = field_problems(&q);
    let failed = !problems.is_empty() || !get(&q, "problem").is_empty();
    let p = |f: AdminField| problems.iter().find(|(x, _)| *x == f).map(|&(_, p)| p);
    let (p_name, p_department) = (p(AdminField::TokenName), p(AdminField::Department));
    let title = title_with_error(a.tokens_title, failed, lang);
    let tokens = v.tokens;
    view! {
        <div class="page admin">
            <Title text=title/>
            <p><a class="back-link" href="/admin">{a.home_title}</a></p>
            <h1>{a.tokens_title}</h1>
            <p class="lead">{a.tokens_lead}</p>
            <Outcome q=q.clone()/>
            <ErrorSummary problems=problems.clone()/>
            {v.new_token.map(|(_, secret)| view! {
                <section class="panel secret" aria-labelledby="new-token-title">
                    <h2 id="new-token-title">{a.token_secret_title}</h2>
                    <p><code class="secret__value">{secret}</code></p>
                    <p>{a.token_secret_note}</p>
                </section>
            })}
            <section aria-labelledby="token-create-heading" class="form-page narrow">
                <h2 id="token-create-heading">{a.token_create_heading}</h2>
                <ActionForm action=actions.create attr:novalidate=true>
                    <IdemKey/>
                    <Field field=AdminField::TokenName label=a.token_name_label hint=a.token_name_hint
                        problem_code=p_name value=get(&q, "name") kind="text" autocomplete="off"/>
                    <DepartmentSelect departments=v.departments selected=get(&q, "department")
                        problem_code=p_department label=a.token_department_label none=a.choose/>
                    <button type="submit" class="primary">{a.token_create_button}</button>
                </ActionForm>
            </section>
            <h2 id="token-list-heading">{a.token_list_caption}</h2>
            {if tokens.is_empty() {
                view! { <p>{a.no_tokens}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="token-list-heading" tabindex="0">
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{a.col_token_name}</th>
                                <th scope="col">{a.col_prefix}</th>
                                <th scope="col">{a.col_department}</th>
                                <th scope="col">{a.col_created}</th>
                                <th scope="col">{a.col_last_used}</th>
                                <th scope="col">{a.col_token_status}</th>
                                <th scope="col">{a.col_token_action}</th>
                            </tr></thead>
                            <tbody>
                                {tokens.into_iter().map(|tk| {
                                    let revoked = tk.revoked_at.is_some();
                                    let label = format!("{} {}", a.token_revoke_button, tk.name);
                                    view! {
                                        <tr>
                                            <th scope="row">{tk.name.clone()}</th>
                                            <td><code>{tk.prefix}"…"</code></td>
                                            <td><Tx text=tk.department.name/></td>
                                            <td class="nowrap">{tk.created_at}</td>
                                            <td class="nowrap">{tk.last_used_at.unwrap_or_else(|| a.token_never_used.into())}</td>
                                            <td>{tk.revoked_at.map_or_else(|| a.token_active.to_owned(), |at| format!("{}{at}", a.token_revoked_prefix))}</td>
                                            <td>
                                                {(!revoked).then(|| view! {
                                                    <ActionForm action=actions.revoke attr:class="inline-form">
                                                        <IdemKey/>
                                                        <input type="hidden" name="id" value=tk.id.to_string()/>
                                                        <button type="submit" class="secondary" aria-label=label>{a.token_revoke_button}</button>
                                                    </ActionForm>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </div>
    }
}

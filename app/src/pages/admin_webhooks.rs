//! `/admin/webhooks` (管理, admin role only): each department's webhook receiver (set with a fresh secret shown
//! once, or removed; both audited) and the delivery log. Plain forms to server functions that redirect, so the
//! page works with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::webhooks::{get_admin_webhooks, RemoveDeptWebhook, SetDeptWebhook, WebhooksView};
use crate::components::idem::IdemKey;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{plain, use_lang, Tx};
use crate::i18n::admin::ta;
use crate::i18n::t;
use crate::i18n::webhooks::{problem, th};
use crate::pages::admin::{admin_refused, title_with_error};

#[derive(Clone, Copy)]
struct HookActions {
    set: ServerAction<SetDeptWebhook>,
    remove: ServerAction<RemoveDeptWebhook>,
}

#[component]
pub fn AdminWebhooksPage() -> impl IntoView {
    let query = use_query_map();
    let actions = HookActions {
        set: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let data = Resource::new(
        // Keyed on the query only, so a new secret is read once (see `admin_views::fresh`).
        move || query.read().to_query_string(),
        |_| get_admin_webhooks(),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => admin_refused(page, |v| {
                        let q = query.get_untracked();
                        view! { <Webhooks v q actions/> }.into_any()
                    }),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn get(q: &ParamsMap, key: &str) -> String {
    q.get(key).unwrap_or_default()
}

#[component]
fn Webhooks(v: WebhooksView, q: ParamsMap, actions: HookActions) -> impl IntoView {
    let lang = use_lang();
    let (s, h, a) = (t(lang), th(lang), ta(lang));
    let p_department = problem(&get(&q, "e_department"), lang);
    let p_url = problem(&get(&q, "e_url"), lang);
    let unavailable = get(&q, "problem") == "unavailable";
    let failed = p_department.is_some() || p_url.is_some() || unavailable;
    let title = title_with_error(h.title, failed, lang);
    let done = match get(&q, "done").as_str() {
        "set" => Some(h.done_set),
        "removed" => Some(h.done_removed),
        _ => None,
    };
    let selected = get(&q, "department");
    let url = get(&q, "url");
    let problems: Vec<(&str, &str)> = [("department", p_department), ("url", p_url)]
        .into_iter()
        .filter_map(|(id, p)| p.map(|p| (id, p)))
        .collect();
    let error_class = |p: Option<&str>| {
        if p.is_some() {
            "field field--error"
        } else {
            "field"
        }
    };
    let url_described = if p_url.is_some() {
        "url-hint url-error"
    } else {
        "url-hint"
    };
    view! {
        <div class="page admin">
            <Title text=title/>
            <p><a class="back-link" href="/admin">{a.home_title}</a></p>
            <h1>{h.title}</h1>
            <p class="lead">{h.lead}</p>
            {done.map(|d| view! { <div class="panel panel--success" role="status"><p>{d}</p></div> })}
            {unavailable.then(|| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="outcome-title">
                    <h2 id="outcome-title">{h.problem_title}</h2>
                    <p>{h.unavailable}</p>
                </div>
            })}
            {(!problems.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="form-error-title">
                    <h2 id="form-error-title">{s.error_summary_title}</h2>
                    <ul>
                        {problems.iter().map(|(id, p)| view! {
                            <li><a href=format!("#{id}")>{*p}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {v.new_secret.map(|secret| view! {
                <section class="panel secret" aria-labelledby="new-secret-title">
                    <h2 id="new-secret-title">{h.secret_title}</h2>
                    <p><code class="secret__value">{secret}</code></p>
                    <p>{h.secret_note}</p>
                </section>
            })}
            <section aria-labelledby="hook-set-heading" class="form-page narrow">
                <h2 id="hook-set-heading">{h.set_heading}</h2>
                <ActionForm action=actions.set attr:novalidate=true>
                    <IdemKey/>
                    <div class=error_class(p_department)>
                        <label for="department">{h.department_label}</label>
                        {p_department.map(|p| view! {
                            <p class="field-error" id="department-error">
                                <span class="visually-hidden">{s.error_prefix}</span>{p}
                            </p>
                        })}
                        <select id="department" name="department"
                            aria-describedby=p_department.map(|_| "department-error")
                            aria-invalid=p_department.map(|_| "true")>
                            <option value="">{h.choose}</option>
                            {v.departments.into_iter().map(|d| {
                                let on = d.id == selected;
                                view! { <option value=d.id.clone() selected=on prop:selected=on>{plain(&d.name, lang)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class=error_class(p_url)>
                        <label for="url">{h.url_label}</label>
                        <p class="hint" id="url-hint">{h.url_hint}</p>
                        {p_url.map(|p| view! {
                            <p class="field-error" id="url-error">
                                <span class="visually-hidden">{s.error_prefix}</span>{p}
                            </p>
                        })}
                        <input type="url" id="url" name="url" value=url
                            autocomplete="off" autocapitalize="none" spellcheck="false"
                            aria-describedby=url_described aria-invalid=p_url.map(|_| "true")/>
                    </div>
                    <button type="submit" class="primary">{h.set_button}</button>
                </ActionForm>
            </section>
            <h2 id="hook-list-heading">{h.list_caption}</h2>
            {if v.webhooks.is_empty() {
                view! { <p>{h.none_set}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="hook-list-heading" tabindex="0">
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{h.col_department}</th>
                                <th scope="col">{h.col_url}</th>
                                <th scope="col">{h.col_updated}</th>
                                <th scope="col">{h.col_action}</th>
                            </tr></thead>
                            <tbody>
                                {v.webhooks.into_iter().map(|w| {
                                    let label = format!("{} {}", h.remove_button, plain(&w.department.name, lang));
                                    view! {
                                        <tr>
                                            <th scope="row"><Tx text=w.department.name/></th>
                                            <td><code>{w.url}</code></td>
                                            <td class="nowrap">{w.updated_at}</td>
                                            <td>
                                                <ActionForm action=actions.remove attr:class="inline-form">
                                                    <IdemKey/>
                                                    <input type="hidden" name="department" value=w.department.id/>
                                                    <button type="submit" class="secondary" aria-label=label>{h.remove_button}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h2 id="hook-log-heading">{h.log_caption}</h2>
            <p>{h.log_lead}</p>
            {if v.deliveries.is_empty() {
                view! { <p>{h.log_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="hook-log-heading" tabindex="0">
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{h.col_created}</th>
                                <th scope="col">{h.col_department}</th>
                                <th scope="col">{h.col_case}</th>
                                <th scope="col">{h.col_state}</th>
                                <th scope="col">{h.col_attempts}</th>
                                <th scope="col">{h.col_answer}</th>
                                <th scope="col">{h.col_next}</th>
                            </tr></thead>
                            <tbody>
                                {v.deliveries.into_iter().map(|d| {
                                    let state = match d.state.as_str() {
                                        "delivered" => h.state_delivered,
                                        "failed" => h.state_failed,
                                        _ => h.state_pending,
                                    };
                                    let answer = match (d.last_status, d.last_error) {
                                        (Some(code), Some(e)) => format!("{code} · {e}"),
                                        (Some(code), None) => code.to_string(),
                                        (None, Some(e)) => e,
                                        (None, None) => "—".to_owned(),
                                    };
                                    view! {
                                        <tr>
                                            <td class="nowrap">{d.created_at}</td>
                                            <td><Tx text=d.department.name/></td>
                                            <td><a href=format!("/work/cases/{}", d.case_number)>{d.case_number.clone()}</a></td>
                                            <td>{state}</td>
                                            <td>{d.attempts}</td>
                                            <td>{answer}</td>
                                            <td class="nowrap">{d.next_attempt_at.unwrap_or_else(|| "—".to_owned())}</td>
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

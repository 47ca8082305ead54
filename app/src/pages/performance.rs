//! A department's performance page (部门效能, `/departments/{id}/performance`): what it decided and how its limits
//! were kept (handling time against the committed limit, on-time rates), what is open, overdue or waiting for
//! applicants now, and the overdue list. For supervision, administrators and the department's officers; the
//! figures are the same aggregates as the supervision dashboard's.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::performance::{get_department_performance, PerformanceView};
use crate::components::format;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{plain, use_lang, Tx};
use crate::domain::performance::compare_to_limit;
use crate::i18n::perf::tp;
use crate::i18n::work::tw;
use crate::pages::work::{shown_note, staff_refused, QueueLine};

#[component]
pub fn DepartmentPerformancePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_department_performance,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => staff_refused(page, |v| view! { <Performance v/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Performance(v: PerformanceView) -> impl IntoView {
    let lang = use_lang();
    let p = tp(lang);
    let w = tw(lang);
    let f = v.figures;
    let title = format!("{} · {}", p.perf_title, plain(&v.department.name, lang));
    let row = |label: &'static str, value: String| {
        view! { <div class="summary__row"><dt>{label}</dt><dd>{value}</dd></div> }
    };
    let note = shown_note(v.overdue_total, v.overdue.len(), lang);
    view! {
        <div class="page narrow performance">
            <Title text=title/>
            {v.supervision_link.then(|| view! {
                <p><a class="back-link" href="/supervision">{p.back_to_supervision}</a></p>
            })}
            <p class="eyebrow"><a href=format!("/departments/{}", v.department.id)><Tx text=v.department.name.clone()/></a></p>
            <h1>{p.perf_title}</h1>
            <p class="lead">{p.perf_lead}</p>
            <p class="note">{w.today_label}{format::iso_date(&v.today, lang)}</p>
            <h2 id="perf-figures">{p.perf_figures}</h2>
            <dl class="summary">
                {row(p.perf_handled, f.ended.to_string())}
                {row(p.perf_refused, f.refused.to_string())}
                {row(p.perf_average, compare_to_limit(f.handled.average(), f.committed.average(), lang))}
                {row(p.perf_on_time_committed, f.on_time_committed.describe(lang))}
                {row(p.perf_on_time_statutory, f.on_time_statutory.describe(lang))}
                {row(p.perf_in_review, f.in_review.to_string())}
                {row(p.perf_overdue, f.overdue.to_string())}
                {row(p.perf_due_soon, f.due_soon.to_string())}
                {row(p.perf_waiting, f.waiting.to_string())}
                {row(p.perf_extensions, v.extensions.to_string())}
            </dl>
            <p class="hint">{p.days_note}</p>
            <crate::pages::feedback::DepartmentFeedback department=v.department.id.clone()/>
            <h2>{p.perf_overdue_list}</h2>
            {if v.overdue.is_empty() {
                view! { <p>{w.none}</p> }.into_any()
            } else {
                view! {
                    {note.map(|n| view! { <p class="hint">{n}</p> })}
                    <ol class="queue">{v.overdue.into_iter().map(|r| view! { <QueueLine r/> }).collect_view()}</ol>
                }
                .into_any()
            }}
        </div>
    }
}

/// On a department's catalog page: the link to its performance page, only for staff who may read it.
#[component]
pub fn StaffPerformanceLink(department: String) -> impl IntoView {
    let auth = crate::components::auth::use_auth();
    let lang = use_lang();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let department = department.clone();
                Suspend::new(async move {
                    let user = auth.user.await.ok().flatten();
                    user.filter(|u| {
                        crate::domain::performance::may_see_department(u.role, u.department.as_deref(), &department)
                    })
                    .map(|_| view! {
                        <p class="staff-link">
                            <a href=format!("/departments/{department}/performance")>{tp(lang).staff_performance_link}</a>
                        </p>
                    })
                })
            }}
        </Transition>
    }
}

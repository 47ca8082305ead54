//! 我的办事: the signed-in filer's drafts, resumed where they left off, and their cases.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::application::{get_my_applications, MyPage};
use crate::components::format;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::i18n::application::my;

#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_my_applications());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(MyPage::Ready { drafts, cases }) => view! { <Mine drafts cases/> }.into_any(),
                    Ok(MyPage::SignIn) => view! {
                        <leptos_router::components::Redirect path=crate::api::account::login_path("/my")/>
                    }
                    .into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Mine(
    drafts: Vec<crate::api::application::DraftLine>,
    cases: Vec<crate::api::application::CaseLine>,
) -> impl IntoView {
    let lang = use_lang();
    let m = my(lang);
    view! {
        <div class="page narrow">
            <Title text=m.title/>
            <h1>{m.title}</h1>
            <p><a href="/my/consents">{crate::i18n::consent::tc(lang).my_link}</a></p>
            <p><a href="/appointments">{crate::i18n::appointments::at(lang).my_link}</a></p>
            <h2>{m.drafts_heading}</h2>
            {if drafts.is_empty() {
                view! { <p>{m.no_drafts}" "<a href="/#themes">{m.find_theme}</a></p> }.into_any()
            } else {
                view! {
                    <ul class="task-list">
                        {drafts.into_iter().map(|d| view! {
                            <li class="task-list__item">
                                <a href=d.href><Tx text=d.theme.name/></a>
                                <small>
                                    {format!("{}{}", m.updated_prefix, format::iso_date(&d.updated, lang))}
                                    " · "
                                    {format!("{}{}", m.kept_until_prefix, format::iso_date(&d.expires, lang))}
                                </small>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2>{m.cases_heading}</h2>
            {if cases.is_empty() {
                view! { <p>{m.no_cases}</p> }.into_any()
            } else {
                view! {
                    <ul class="task-list">
                        {cases.into_iter().map(|c| view! {
                            <li class="task-list__item">
                                <a href=format!("/cases/{}", c.number)>
                                    <Tx text=c.theme.name/>" · "{c.number.clone()}
                                </a>
                                <strong class="status">{c.status.label(lang)}</strong>
                                <small>{format::iso_date(&c.submitted, lang)}</small>
                                {c.filed_by_agent.clone().map(|a| {
                                    let k = crate::i18n::consent::tc(lang);
                                    view! { <small>{format!("{}{a}{}", k.filed_by_prefix, k.filed_by_suffix)}</small> }
                                })}
                                {c.for_resident.clone().map(|r| view! {
                                    <small>{format!("{}{r}", crate::i18n::consent::tc(lang).for_resident_prefix)}</small>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href="/consultations">{crate::i18n::feedback::tf(lang).my_link}</a></p>
        </div>
    }
}

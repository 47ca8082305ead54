//! A department page: who it is, where it sits, its items and the themes it takes part in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::catalog::{get_department, DepartmentView};
use crate::components::lists::{EntryNotFound, ItemList, LoadError, Loading, ThemeList};
use crate::components::text::{plain, use_lang, Tx, TxPara};
use crate::i18n::t;

#[component]
pub fn DepartmentPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_department,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => view! { <DepartmentBody view/> }.into_any(),
                    Ok(None) => view! { <EntryNotFound/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DepartmentBody(view: DepartmentView) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let d = view.department;
    view! {
        <Title text=plain(&d.name, lang)/>
        <article class="page">
            <h1><Tx text=d.name.clone()/></h1>
            {d.historical.then(|| view! { <p class="badge">{s.historical_badge}</p> })}
            <TxPara text=d.summary.clone() class="lead"/>
            <crate::pages::performance::StaffPerformanceLink department=d.id.clone()/>
            <dl class="facts">
                {d.formerly.clone().map(|f| view! { <dt>{s.formerly_word}</dt><dd><Tx text=f/></dd> })}
                {d.phone.clone().map(|p| view! { <dt>{s.phone_word}</dt><dd>{p}</dd> })}
                {view.centre.clone().map(|c| view! {
                    <dt>{s.where_heading}</dt>
                    <dd><Tx text=c.name/>{c.address.map(|a| view! { <br/><Tx text=a/> })}</dd>
                })}
            </dl>
            <h2>{s.dept_items_heading}</h2>
            {if view.items.is_empty() {
                view! { <p>{s.no_entries}</p> }.into_any()
            } else {
                view! { <ItemList items=view.items/> }.into_any()
            }}
            <h2>{s.dept_themes_heading}</h2>
            {if view.themes.is_empty() {
                view! { <p>{s.no_entries}</p> }.into_any()
            } else {
                view! { <ThemeList themes=view.themes/> }.into_any()
            }}
        </article>
    }
}

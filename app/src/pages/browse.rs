//! Browsing by audience (服务对象) and by life-cycle stage (人生阶段 / 企业阶段).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::catalog::{get_browse, BrowseBy, BrowseView};
use crate::components::lists::{EntryNotFound, ItemList, LoadError, Loading, ThemeList};
use crate::components::text::{plain, use_lang, Tx};
use crate::i18n::t;

#[component]
pub fn AudiencePage() -> impl IntoView {
    view! { <Browse by=BrowseBy::Audience/> }
}

#[component]
pub fn StagePage() -> impl IntoView {
    view! { <Browse by=BrowseBy::Stage/> }
}

#[component]
fn Browse(by: BrowseBy) -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        move |id| get_browse(by, id),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => view! { <BrowseBody view/> }.into_any(),
                    Ok(None) => view! { <EntryNotFound/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BrowseBody(view: BrowseView) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    view! {
        <Title text=plain(&view.title, lang)/>
        <section class="page">
            <h1><Tx text=view.title/></h1>
            <h2>{s.themes_found}</h2>
            {if view.themes.is_empty() {
                view! { <p>{s.no_entries}</p> }.into_any()
            } else {
                view! { <ThemeList themes=view.themes/> }.into_any()
            }}
            <h2>{s.items_found}</h2>
            {if view.items.is_empty() {
                view! { <p>{s.no_entries}</p> }.into_any()
            } else {
                view! { <ItemList items=view.items/> }.into_any()
            }}
        </section>
    }
}

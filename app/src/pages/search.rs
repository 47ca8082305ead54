//! Search results for themes and items; an empty or unmatched query suggests themes. Any input is just text.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::{get_search, SearchView};
use crate::components::lists::{ItemList, LoadError, Loading, SearchForm, ThemeList};
use crate::components::text::use_lang;
use crate::i18n::t;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.read().get("q").unwrap_or_default(),
        get_search,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <SearchBody view/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchBody(view: SearchView) -> impl IntoView {
    let s = t(use_lang());
    let title = if view.query.is_empty() {
        s.search_title.to_owned()
    } else {
        format!("{}{}", s.search_results_for, view.query)
    };
    let nothing = view.themes.is_empty() && view.items.is_empty();
    view! {
        <Title text=title.clone()/>
        <section class="page">
            <h1>{title}</h1>
            <SearchForm value=view.query.clone()/>
            <div role="status">
                {if view.query.is_empty() {
                    Some(view! { <p>{s.search_empty}</p> })
                } else if nothing {
                    Some(view! { <p>{s.search_none}</p> })
                } else {
                    None
                }}
            </div>
            {(!view.themes.is_empty()).then(|| view! {
                <h2>{s.themes_found}</h2>
                <ThemeList themes=view.themes/>
            })}
            {(!view.items.is_empty()).then(|| view! {
                <h2>{s.items_found}</h2>
                <ItemList items=view.items/>
            })}
            {(!view.suggestions.is_empty()).then(|| view! {
                <h2>{s.suggestions_heading}</h2>
                <ThemeList themes=view.suggestions/>
            })}
        </section>
    }
}

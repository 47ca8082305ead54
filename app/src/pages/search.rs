//! Search results for themes and items, a page of each at a time; an empty or unmatched query suggests themes. Any
//! input is just text.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::account::encode_component;
use crate::api::catalog::{get_search, SearchView};
use crate::components::lists::{ItemList, LoadError, Loading, Pager, SearchForm, ThemeList};
use crate::components::text::use_lang;
use crate::i18n::{t, Lang};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("q").unwrap_or_default(),
                q.get("page").unwrap_or_default(),
            )
        },
        |(q, page)| get_search(q, page),
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

/// "Found 3 guided services and 45 service items.", leaving out a kind none of which matched ("Found 45 service
/// items.").
fn found_text(lang: Lang, view: &SearchView) -> String {
    let (themes, items) = (view.themes_found, view.items_found);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (theme_part, item_part) = match lang {
        Lang::Zh => (
            format!("{themes} 个主题服务"),
            format!("{items} 个办事事项"),
        ),
        Lang::En => (
            format!("{themes} guided service{}", plural(themes)),
            format!("{items} service item{}", plural(items)),
        ),
    };
    let parts: Vec<String> = [(themes, theme_part), (items, item_part)]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, part)| part)
        .collect();
    match lang {
        Lang::Zh => format!("找到 {}。", parts.join("、")),
        Lang::En => format!("Found {}.", parts.join(" and ")),
    }
}

/// A results page's address: the query as typed, and the page unless it is the first.
fn page_href(query: &str, page: i64) -> String {
    let q = encode_component(query);
    if page > 1 {
        format!("/search?q={q}&page={page}")
    } else {
        format!("/search?q={q}")
    }
}

#[component]
fn SearchBody(view: SearchView) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
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
                    view! { <p>{s.search_empty}</p> }.into_any()
                } else if nothing {
                    view! { <p>{s.search_none}</p> }.into_any()
                } else {
                    let many = view.many.then_some(s.search_many);
                    view! { <p>{found_text(lang, &view)}" "{many}</p> }.into_any()
                }}
            </div>
            {(!view.themes.is_empty()).then(|| view! {
                <section aria-labelledby="found-themes">
                    <h2 id="found-themes">{s.themes_found}</h2>
                    <ThemeList themes=view.themes/>
                </section>
            })}
            {(!view.items.is_empty()).then(|| view! {
                <section aria-labelledby="found-items">
                    <h2 id="found-items">{s.items_found}</h2>
                    <ItemList items=view.items/>
                </section>
            })}
            {(view.pages > 1).then(|| {
                let query = view.query.clone();
                view! { <Pager page=view.page pages=view.pages href=move |p| page_href(&query, p)/> }
            })}
            {(!view.suggestions.is_empty()).then(|| view! {
                <h2>{s.suggestions_heading}</h2>
                <ThemeList themes=view.suggestions/>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(themes: usize, items: usize) -> SearchView {
        SearchView {
            themes_found: themes,
            items_found: items,
            ..SearchView::default()
        }
    }

    #[test]
    fn the_count_names_only_the_kinds_that_matched() {
        assert_eq!(
            found_text(Lang::Zh, &found(6, 11)),
            "找到 6 个主题服务、11 个办事事项。"
        );
        assert_eq!(found_text(Lang::Zh, &found(0, 70)), "找到 70 个办事事项。");
        assert_eq!(found_text(Lang::Zh, &found(2, 0)), "找到 2 个主题服务。");
        assert_eq!(
            found_text(Lang::En, &found(6, 11)),
            "Found 6 guided services and 11 service items."
        );
        assert_eq!(
            found_text(Lang::En, &found(1, 0)),
            "Found 1 guided service."
        );
        assert_eq!(found_text(Lang::En, &found(0, 1)), "Found 1 service item.");
    }
}

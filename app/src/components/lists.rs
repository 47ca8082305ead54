//! Lists of themes and items, and the small pieces every catalog page shares.

use leptos::prelude::*;

use crate::api::catalog::{ItemCard, ThemeCard};
use crate::components::format;
use crate::components::text::{use_lang, Tx};
use crate::i18n::{t, Lang};

/// "Previous page · page 2 of 5 · next page" under a paged list, as links (GET), so it works without JavaScript.
/// `href` gives a page's address.
#[component]
pub fn Pager(page: i64, pages: i64, href: impl Fn(i64) -> String) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let text = match lang {
        Lang::Zh => format!("第 {page} {} {pages} 页", s.page_of),
        Lang::En => format!("Page {page} {} {pages}", s.page_of),
    };
    let prev = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    view! {
        <nav aria-label=s.pages_label class="pager">
            {prev.map(|h| view! { <a href=h rel="prev">{s.page_previous}</a> })}
            <span>{text}</span>
            {next.map(|h| view! { <a href=h rel="next">{s.page_next}</a> })}
        </nav>
    }
}

#[component]
pub fn ThemeList(themes: Vec<ThemeCard>) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    view! {
        <ul class="card-list">
            {themes
                .into_iter()
                .map(|theme| {
                    let href = format!("/themes/{}", theme.id);
                    view! {
                        <li class="card">
                            <h3 class="card__title"><a href=href><Tx text=theme.name/></a></h3>
                            {theme.summary.map(|summary| view! { <p class="card__summary"><Tx text=summary/></p> })}
                            <p class="card__meta">
                                {format!("{} {} · {} {}", theme.departments, s.departments_count, theme.steps, s.steps_count)}
                                {theme.committed_days.map(|d| format!(" · {} {d} {}", s.committed_days_label, s.working_days))}
                            </p>
                            {theme.historical.then(|| view! { <p class="badge">{s.historical_badge}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn ItemList(items: Vec<ItemCard>) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    view! {
        <ul class="item-list">
            {items
                .into_iter()
                .map(|item| {
                    let href = format!("/items/{}", item.id);
                    view! {
                        <li>
                            <a href=href><Tx text=item.name/></a>
                            <span class="item-list__meta">
                                <Tx text=item.department/>
                                {format!(" · {} {}", s.committed_word, format::limit(&item.committed, lang))}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// A search form; `value` keeps what the user typed.
#[component]
pub fn SearchForm(
    #[prop(optional, into)] value: String,
    #[prop(optional)] id: &'static str,
) -> impl IntoView {
    let s = t(use_lang());
    let input_id = if id.is_empty() { "search-q" } else { id };
    view! {
        <form class="search-form" method="get" action="/search" role="search">
            <label for=input_id>{s.search_label}</label>
            <p class="hint" id=format!("{input_id}-hint")>{s.search_hint}</p>
            <div class="search-form__row">
                <input
                    id=input_id
                    name="q"
                    type="search"
                    value=value
                    maxlength="200"
                    aria-describedby=format!("{input_id}-hint")
                    autocomplete="off"
                />
                <button type="submit" class="primary">{s.search_button}</button>
            </div>
        </form>
    }
}

/// Shown while a page's data loads after a client-side navigation (never on the server: data pages render whole).
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{t(use_lang()).loading}</p> }
}

#[component]
pub fn LoadError() -> impl IntoView {
    view! { <p class="error-message" role="alert">{t(use_lang()).load_error}</p> }
}

/// An unknown theme, item or department id: status 404 and a search.
#[component]
pub fn EntryNotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let s = t(use_lang());
    view! {
        <leptos_meta::Title text=s.entry_not_found_title/>
        <section class="page narrow">
            <h1>{s.entry_not_found_title}</h1>
            <p>{s.entry_not_found_body}</p>
            <SearchForm/>
            <p><a href="/">{s.go_home}</a></p>
        </section>
    }
}

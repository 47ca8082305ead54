//! The 404 page: status 404, in the user's language, with a way home.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::t;
use crate::prefs::Prefs;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let s = t(use_context::<Prefs>().unwrap_or_default().lang);
    view! {
        <Title text=s.not_found_title/>
        <section class="page narrow">
            <h1>{s.not_found_title}</h1>
            <p>{s.not_found_body}</p>
            <p><a class="button" href="/">{s.go_home}</a></p>
        </section>
    }
}

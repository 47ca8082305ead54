//! Where a refused action lands: a specific sentence in the user's language, saying that nothing was stored.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::text::use_lang;
use crate::i18n::application::ta;

#[component]
pub fn RefusedPage() -> impl IntoView {
    let a = ta(use_lang());
    let code = use_params_map()
        .read_untracked()
        .get("code")
        .unwrap_or_default();
    let body = match code.as_str() {
        "tampered" => a.refused_tampered,
        "draft" => a.refused_draft,
        "submitted" => a.refused_submitted,
        "unknown-theme" => a.refused_unknown_theme,
        "staff" => a.refused_staff,
        _ => a.refused_other,
    };
    view! {
        <div class="page narrow">
            <Title text=a.refused_title/>
            <h1>{a.refused_title}</h1>
            <p class="lead">{body}</p>
            <p><a href="/">{a.start_again}</a></p>
        </div>
    }
}

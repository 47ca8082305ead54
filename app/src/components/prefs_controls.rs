//! The language switch and the large-text toggle.
//!
//! Both are plain forms that post to `/prefs` (which sets a cookie and redirects back), so they work before
//! hydration and with JavaScript off. The large-text toggle is an island: once hydrated, it switches in place and
//! saves the choice in the background.

use leptos::prelude::*;

use crate::components::layout::current_path;
use crate::i18n::t;
use crate::prefs::Prefs;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let prefs = use_context::<Prefs>().unwrap_or_default();
    let other = prefs.lang.other();
    view! {
        <form method="post" action="/prefs" class="inline-form">
            <input type="hidden" name="lang" value=other.code()/>
            <input type="hidden" name="back" value=current_path()/>
            <button type="submit" class="link-button" lang=other.tag()>
                {t(prefs.lang).switch_language}
            </button>
        </form>
    }
}

/// The toggle as the header shows it: the island, given the request's setting and the page to come back to.
#[component]
pub fn LargeTextSetting() -> impl IntoView {
    let prefs = use_context::<Prefs>().unwrap_or_default();
    let s = t(prefs.lang);
    view! {
        <LargeTextToggle
            on=prefs.large_text
            back=current_path()
            label=s.large_text.to_owned()
            label_on=s.large_text_on.to_owned()
        />
    }
}

#[island]
fn LargeTextToggle(on: bool, back: String, label: String, label_on: String) -> impl IntoView {
    let on = RwSignal::new(on);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = !on.get_untracked();
        on.set(next);
        save_large_text(next);
    };
    view! {
        <form method="post" action="/prefs" class="inline-form" on:submit=on_submit>
            <input type="hidden" name="large_text" value=move || if on.get() { "0" } else { "1" }/>
            <input type="hidden" name="back" value=back/>
            <button type="submit" class="toggle-button" aria-pressed=move || on.get().to_string()>
                {move || if on.get() { label_on.clone() } else { label.clone() }}
            </button>
        </form>
    }
}

/// Applies the large-text class at once and remembers the choice on the server.
fn save_large_text(on: bool) {
    #[cfg(feature = "hydrate")]
    {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let classes = root.class_list();
            let _ = if on {
                classes.add_1(crate::prefs::LARGE_TEXT_CLASS)
            } else {
                classes.remove_1(crate::prefs::LARGE_TEXT_CLASS)
            };
        }
        leptos::task::spawn_local(async move {
            let body = format!("large_text={}&back=%2F", if on { 1 } else { 0 });
            let request = gloo_net::http::Request::post("/prefs")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
            if let Ok(request) = request {
                // Best effort: the page already shows the change; a lost save only means it is not remembered.
                let _ = request.send().await;
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on;
}

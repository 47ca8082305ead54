//! The page frame: skip link, header with the main navigation, the account links and settings, footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::auth::AccountNav;
use crate::components::prefs_controls::{LanguageSwitch, LargeTextSetting};
use crate::i18n::t;
use crate::prefs::Prefs;

fn lang() -> crate::i18n::Lang {
    use_context::<Prefs>().unwrap_or_default().lang
}

/// The current path and query, to come back to after a settings form posts.
pub fn current_path() -> String {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let query = location.search.get_untracked();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">{t(lang()).skip_to_content}</a> }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let s = t(lang());
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-name" href="/">
                    <span class="site-name__emblem" aria-hidden="true">"政"</span>
                    {s.site_name}
                </a>
                <nav class="main-nav" aria-label=s.main_nav>
                    <ul>
                        <li><a href="/">{s.nav_home}</a></li>
                        <li><a href="/#themes">{s.nav_themes}</a></li>
                        <li><a href="/track">{crate::i18n::track::tt(lang()).nav_track}</a></li>
                    </ul>
                </nav>
                <AccountNav/>
                <div class="settings" role="group" aria-label=s.settings>
                    <LargeTextSetting/>
                    <LanguageSwitch/>
                </div>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let s = t(lang());
    view! {
        <footer class="site-footer">
            <p><a href="/track">{crate::i18n::track::tt(lang()).footer_track}</a></p>
            <p>{s.footer_note}</p>
            <p>{s.hotline}</p>
        </footer>
    }
}

//! The route tree. Every screen has a stable, shareable URL that renders fully on the server.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    StaticSegment,
};

use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::i18n::t;
use crate::pages::{home::HomePage, not_found::NotFound};
use crate::prefs::{self, Prefs};

/// The application: providers, the page frame and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = prefs::current();
    provide_context::<Prefs>(prefs);
    let site_name = t(prefs.lang).site_name;

    // Effects run only in the browser: tests wait for this marker before using hydrated behaviour.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Stylesheet id="leptos" href="/pkg/hall.css"/>
        <Title formatter=move |page: String| {
            if page.is_empty() { site_name.to_string() } else { format!("{page} - {site_name}") }
        }/>
        <Router>
            <div class="app" data-hydrated=move || hydrated.get().then_some("true")>
                <SkipLink/>
                <SiteHeader/>
                <main id="main" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=StaticSegment("") view=HomePage/>
                    </Routes>
                </main>
                <SiteFooter/>
            </div>
        </Router>
    }
}

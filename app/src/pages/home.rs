//! The service-hall home page (网上办事大厅首页).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::t;
use crate::prefs::Prefs;

#[component]
pub fn HomePage() -> impl IntoView {
    let s = t(use_context::<Prefs>().unwrap_or_default().lang);
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>{s.home_title}</h1>
            <p class="lead">{s.home_lead}</p>
        </section>
        <section class="page" aria-labelledby="how-heading">
            <h2 id="how-heading">{s.how_heading}</h2>
            <ol class="how-steps">
                {s.how_steps.iter().map(|step| view! { <li>{*step}</li> }).collect_view()}
            </ol>
        </section>
    }
}

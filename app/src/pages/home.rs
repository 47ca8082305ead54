//! The service-hall home page (网上办事大厅首页): search, the 主题服务 grouped by domain, browsing by audience and
//! by life-cycle stage, and the historical flows for comparison.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::catalog::{get_home, HomeData};
use crate::components::lists::{LoadError, Loading, SearchForm, ThemeList};
use crate::components::text::{use_lang, Tx};
use crate::domain::catalog::LifeStage;
use crate::i18n::t;

#[component]
pub fn HomePage() -> impl IntoView {
    let s = t(use_lang());
    let data = Resource::new(|| (), |_| get_home());
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>{s.home_title}</h1>
            <p class="lead">{s.home_lead}</p>
            <SearchForm/>
        </section>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => view! { <HomeBody home/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="page" aria-labelledby="track-heading">
            <h2 id="track-heading">{crate::i18n::track::tt(use_lang()).home_heading}</h2>
            <p>
                {crate::i18n::track::tt(use_lang()).home_lead}" "
                <a href="/track">{crate::i18n::track::tt(use_lang()).nav_track}</a>
            </p>
        </section>
        <section class="page" aria-labelledby="how-heading">
            <h2 id="how-heading">{s.how_heading}</h2>
            <ol class="how-steps">
                {s.how_steps.iter().map(|step| view! { <li>{*step}</li> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn HomeBody(home: HomeData) -> impl IntoView {
    let s = t(use_lang());
    let (historical, current): (Vec<_>, Vec<_>) =
        home.themes.into_iter().partition(|t| t.historical);
    let groups = home
        .domains
        .into_iter()
        .filter_map(|domain| {
            let themes: Vec<_> = current
                .iter()
                .filter(|t| t.domain == domain.id)
                .cloned()
                .collect();
            (!themes.is_empty()).then(|| {
                let heading_id = format!("domain-{}", domain.id);
                let heading_id_ref = heading_id.clone();
                view! {
                    <section class="domain-group" aria-labelledby=heading_id_ref>
                        <h3 id=heading_id><Tx text=domain.name/></h3>
                        <ThemeList themes/>
                    </section>
                }
            })
        })
        .collect_view();
    view! {
        <section class="page" id="themes" aria-labelledby="themes-heading">
            <h2 id="themes-heading">{s.themes_heading}</h2>
            <p>{s.themes_lead}</p>
            {groups}
        </section>
        <section class="page" aria-labelledby="browse-heading">
            <h2 id="browse-heading">{s.browse_heading}</h2>
            <div class="browse-grid">
                <nav aria-labelledby="by-audience">
                    <h3 id="by-audience">{s.by_audience}</h3>
                    <ul class="chip-list">
                        {home
                            .audiences
                            .into_iter()
                            .map(|a| {
                                let href = format!("/audiences/{}", a.id);
                                view! { <li><a class="chip" href=href><Tx text=a.name/></a></li> }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <StageNav heading=s.by_personal_stage id="by-personal" stages=home.personal_stages/>
                <StageNav heading=s.by_enterprise_stage id="by-enterprise" stages=home.enterprise_stages/>
            </div>
        </section>
        {(!historical.is_empty()).then(|| view! {
            <section class="page" aria-labelledby="historical-heading">
                <h2 id="historical-heading">{s.historical_heading}</h2>
                <p>{s.historical_lead}</p>
                <ThemeList themes=historical/>
            </section>
        })}
    }
}

#[component]
fn StageNav(heading: &'static str, id: &'static str, stages: Vec<LifeStage>) -> impl IntoView {
    view! {
        <nav aria-labelledby=id>
            <h3 id=id>{heading}</h3>
            <ul class="chip-list">
                {stages
                    .into_iter()
                    .map(|stage| {
                        let href = format!("/stages/{}", stage.id);
                        view! { <li><a class="chip" href=href><Tx text=stage.name/></a></li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

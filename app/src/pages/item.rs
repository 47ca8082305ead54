//! The item guide (办事指南): everything a citizen needs for one service item, printable on one A4 page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::catalog::{get_item, ItemView};
use crate::components::format;
use crate::components::lists::{EntryNotFound, LoadError, Loading};
use crate::components::text::{plain, use_lang, Tx, TxPara};
use crate::domain::item::Limit;
use crate::i18n::t;

#[component]
pub fn ItemPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_item,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => view! { <ItemBody view/> }.into_any(),
                    Ok(None) => view! { <EntryNotFound/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LimitLine(label: &'static str, limit: Limit) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    view! {
        <dt>{label}</dt>
        <dd>
            {format::limit(&limit, lang)}
            {limit.varies.then(|| format!("（{}）", s.varies_note))}
            {limit.note.map(|note| view! { " " <Tx text=note/> })}
            {limit.source.map(|source| view! { <br/><small>{format!("{}：", s.source_word)}{source}</small> })}
        </dd>
    }
}

#[component]
fn ItemBody(view: ItemView) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let item = view.item;
    let title = format!("{} - {}", plain(&item.name, lang), s.guide_title);
    let dept_href = format!("/departments/{}", view.department.id);
    let producers = view.producers;
    view! {
        <Title text=title/>
        <article class="page guide">
            <p class="eyebrow">{s.guide_title}</p>
            <h1><Tx text=item.name.clone()/></h1>
            <TxPara text=item.summary.clone() class="lead"/>
            <dl class="facts">
                <dt>{s.department_word}</dt>
                <dd><a href=dept_href><Tx text=view.department.name/></a></dd>
                <dt>{s.kind_word}</dt>
                <dd>{format::kind(item.kind, lang)}</dd>
                <dt>{s.online_word}</dt>
                <dd>{format::online(item.online_level, lang)}</dd>
                <dt>{s.fee_word}</dt>
                <dd>
                    {format::fee(&item.fee, lang)}
                    {item.fee.note.clone().map(|note| view! { " · " <Tx text=note/> })}
                </dd>
            </dl>
            <TxPara text=item.guide.clone()/>

            {(!item.conditions.is_empty()).then(|| view! {
                <h2>{s.conditions_heading}</h2>
                <ul>{item.conditions.clone().into_iter().map(|c| view! { <li><Tx text=c/></li> }).collect_view()}</ul>
            })}

            <h2>{s.materials_heading}</h2>
            {if item.materials.is_empty() {
                view! { <p>{s.no_entries}</p> }.into_any()
            } else {
                view! {
                    <ol class="materials">
                        {item.materials.clone().into_iter().map(|m| {
                            let producer = producers.iter().find(|(id, _)| *id == m.id).map(|(_, p)| p.clone());
                            view! {
                                <li>
                                    <Tx text=m.name/>
                                    {format!("（{}，{} {}）", format::material_form(m.form, lang), m.count, s.copies_suffix)}
                                    {(!m.required).then(|| view! { <span class="tag">{s.optional_word}</span> })}
                                    {m.shortfall_allowed.then(|| view! { <span class="tag">{s.shortfall_word}</span> })}
                                    {producer.map(|p| {
                                        let href = format!("/items/{}", p.id);
                                        view! { <br/><small>{s.produced_by_word}" "<a href=href><Tx text=p.name/></a></small> }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}

            {(!view.produces.is_empty()).then(|| view! {
                <h2>{s.produces_word}</h2>
                <ul>{view.produces.clone().into_iter().map(|p| view! { <li><Tx text=p/></li> }).collect_view()}</ul>
            })}

            <h2>{s.limits_heading}</h2>
            <dl class="facts">
                <LimitLine label=s.statutory_word limit=item.statutory_limit.clone()/>
                <LimitLine label=s.committed_word limit=item.committed_limit.clone()/>
            </dl>

            {(!item.legal_basis.is_empty()).then(|| view! {
                <h2>{s.legal_heading}</h2>
                <ul>{item.legal_basis.clone().into_iter().map(|b| view! { <li><Tx text=b/></li> }).collect_view()}</ul>
            })}

            {(view.centre.is_some() || item.location.is_some()).then(|| view! {
                <h2>{s.where_heading}</h2>
                {view.centre.clone().map(|c| view! {
                    <p>
                        <strong><Tx text=c.name/></strong>
                        {c.address.map(|a| view! { <br/><Tx text=a/> })}
                        {c.hours.map(|h| view! { <br/><Tx text=h/> })}
                    </p>
                })}
                {item.location.clone().and_then(|l| l.window).map(|w| view! { <p><Tx text=w/></p> })}
            })}
            {view.bookable.then(|| {
                let a = crate::i18n::appointments::at(lang);
                view! {
                    <p class="no-print">{a.book_lead}" "
                        <a class="button" href=format!("/appointments/new?item={}", item.id)>{a.book_link}</a>
                    </p>
                }
            })}

            {(!item.forms.is_empty()).then(|| view! {
                <h2>{s.forms_heading}</h2>
                <ul>{item.forms.clone().into_iter().map(|f| view! { <li><a href=f.href><Tx text=f.name/></a></li> }).collect_view()}</ul>
            })}

            {(!view.themes.is_empty()).then(|| view! {
                <div class="no-print">
                    <h2>{s.in_themes_heading}</h2>
                    <ul>{view.themes.clone().into_iter().map(|th| {
                        let href = format!("/themes/{}", th.id);
                        view! { <li><a href=href><Tx text=th.name/></a></li> }
                    }).collect_view()}</ul>
                </div>
            })}
            <crate::pages::feedback::ItemFaqs item=item.id.clone()/>
            <p class="note no-print">{s.print_hint}</p>
        </article>
    }
}

//! Catalog text in the page's language, with a visible note (and the right `lang`) where only Chinese exists.

use leptos::prelude::*;

use crate::domain::text::{Lang, Text};
use crate::i18n::t;
use crate::prefs::Prefs;

/// The language of the page being rendered: the request's on the server; in an island in the browser, where the
/// server's context is not, the page's own (`<html lang>`).
pub fn use_lang() -> Lang {
    use_context::<Prefs>()
        .unwrap_or_else(crate::prefs::current)
        .lang
}

/// The text as a plain string (for titles and attributes): Chinese where the translation is missing.
pub fn plain(text: &Text, lang: Lang) -> String {
    text.get(lang).0.to_owned()
}

#[component]
pub fn Tx(#[prop(into)] text: Text) -> impl IntoView {
    let lang = use_lang();
    let (s, fell_back) = text.get(lang);
    let s = s.to_owned();
    if fell_back {
        view! {
            <span lang="zh-CN">{s}</span>
            " "
            <small class="fallback-note">{t(lang).chinese_only}</small>
        }
        .into_any()
    } else {
        s.into_any()
    }
}

/// Optional catalog text in a paragraph; nothing when absent.
#[component]
pub fn TxPara(text: Option<Text>, #[prop(optional)] class: &'static str) -> impl IntoView {
    text.map(|text| view! { <p class=class><Tx text/></p> })
}

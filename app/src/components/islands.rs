//! The small interactive parts every kind of page may use, and the browser-side helpers of all islands.
//!
//! The app is built as **islands** (leptos's `islands` feature): the server renders every page whole, and only the
//! components marked `#[island]` are compiled to WASM and hydrated in the browser. Everything else — pages, lists,
//! the forms that simply post — is server-only HTML, which is also what a browser without JavaScript gets. So an
//! island only adds to a page that already works: the section form checks fields in the browser
//! (`pages::application::SectionForm`), an upload goes by `fetch` and keeps the chosen file if the connection drops
//! (`pages::application::UploadForm`), the large-text toggle switches in place (`prefs_controls`), a case's page
//! follows its progress ([`LivePoll`]), a notice prints ([`PrintButton`]).
//!
//! An island's props are serialised into the page; text it shows is passed in, not looked up, so the WASM does not
//! carry every page's wording.

use leptos::prelude::*;

/// A hidden marker that appears once the islands before it have hydrated: the end-to-end tests wait for
/// `[data-hydrated=true]` before using behaviour that needs JavaScript. It is the last thing in the page, and the
/// island loader (`IslandScripts` in lib.rs) hydrates in document order.
#[island]
pub fn HydrationMarker() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! { <span hidden data-hydrated=move || hydrated.get().then_some("true")></span> }
}

/// The notice's print button: an event handler, not an inline `onclick` (the Content-Security-Policy forbids inline
/// script); without JavaScript the browser's own print command does the same.
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    let print = |_: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! { <button type="button" class="secondary" on:click=print>{label}</button> }
}

/// Keeps the element `#region` of this page, which shows the case numbered `case`, up to date. Every `seconds` it
/// asks for the case's state ([`read_case_status`](crate::api::cases::read_case_status), a few dozen bytes) and compares its
/// fingerprint with the one the region was rendered with (`data-live-token`); only when they differ (or the answer
/// is not a plain fingerprint: signed out, an error) does it read the page again and put the region's new content
/// in place. It waits while the user is in the region (focus inside it, or a field there changed), so nothing typed
/// or chosen is lost. The answers read the database, so a change made through any server instance shows.
#[island]
pub fn LivePoll(
    region: String,
    case: String,
    lang: crate::domain::text::Lang,
    seconds: u32,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let region = region.clone();
        let case = case.clone();
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let region = region.clone();
                let case = case.clone();
                leptos::task::spawn_local(async move {
                    let Some(here) = client::here() else { return };
                    let Some(el) = client::region(&region) else {
                        return;
                    };
                    if client::in_use(&el) {
                        return;
                    }
                    let shown = el
                        .query_selector("[data-live-token]")
                        .ok()
                        .flatten()
                        .and_then(|e| e.get_attribute("data-live-token"));
                    if let (
                        Some(shown),
                        Some(crate::api::cases::CaseStatusAnswer::Ready { fingerprint, .. }),
                    ) = (shown, client::case_status(&case, lang).await)
                    {
                        if shown == fingerprint {
                            return;
                        }
                    }
                    let _ = client::swap_region(&here, &region, false).await;
                });
            },
            std::time::Duration::from_secs(seconds.into()),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (region, case, lang, seconds);
}

/// What islands do to the page around them, in the browser.
#[cfg(feature = "hydrate")]
pub mod client {
    use wasm_bindgen::{JsCast, JsValue};

    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    /// The answer of [`read_case_status`](crate::api::cases::read_case_status), asked with a plain `fetch` (the
    /// server-function client added 8.5 KB of brotli WASM for this one call, this 2.4 KB); `None` if there is none.
    pub async fn case_status(
        number: &str,
        lang: crate::domain::text::Lang,
    ) -> Option<crate::api::cases::CaseStatusAnswer> {
        use leptos::server_fn::ServerFn;
        let lang = match lang {
            crate::domain::text::Lang::Zh => "Zh",
            crate::domain::text::Lang::En => "En",
        };
        let number = String::from(js_sys::encode_uri_component(number));
        let response = gloo_net::http::Request::post(crate::api::cases::ReadCaseStatus::PATH)
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("number={number}&lang={lang}"))
            .ok()?
            .send()
            .await
            .ok()?;
        if !response.ok() {
            return None;
        }
        serde_json::from_str(&response.text().await.ok()?).ok()
    }

    /// This page's path and query.
    pub fn here() -> Option<String> {
        let location = web_sys::window()?.location();
        Some(format!(
            "{}{}",
            location.pathname().ok()?,
            location.search().ok()?
        ))
    }

    /// The element with this id in the page.
    pub fn region(id: &str) -> Option<web_sys::Element> {
        document()?.get_element_by_id(id)
    }

    /// Whether the user is busy inside `el`: the focus is in it, or one of its fields no longer holds what the page
    /// was loaded with (text typed, a box ticked, an option or a file chosen).
    pub fn in_use(el: &web_sys::Element) -> bool {
        let focused = document()
            .and_then(|d| d.active_element())
            .is_some_and(|active| el.contains(Some(&active)));
        if focused {
            return true;
        }
        let all = |selector: &str| {
            el.query_selector_all(selector)
                .map(|list| {
                    (0..list.length())
                        .filter_map(|i| list.item(i))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let typed = all("input, textarea").into_iter().any(|node| {
            if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                match input.type_().as_str() {
                    "hidden" | "submit" | "button" => false,
                    "checkbox" | "radio" => input.checked() != input.default_checked(),
                    "file" => input.files().is_some_and(|f| f.length() > 0),
                    _ => input.value() != input.default_value(),
                }
            } else if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                area.default_value().is_ok_and(|d| area.value() != d)
            } else {
                false
            }
        });
        // A list shows its `selected` option as loaded, or its first when none is marked.
        let chosen = all("select").into_iter().any(|node| {
            let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() else {
                return false;
            };
            let options = select.options();
            let loaded = (0..options.length())
                .filter_map(|i| options.item(i))
                .position(|o| {
                    o.dyn_ref::<web_sys::HtmlOptionElement>()
                        .is_some_and(|o| o.default_selected())
                })
                .unwrap_or(0);
            usize::try_from(select.selected_index()).ok() != Some(loaded)
        });
        typed || chosen
    }

    /// Reads `url` (a page of this site) and puts its element `#id` in place of this page's, then hydrates the
    /// islands in it. With `adopt`, the page also takes on the answer's title and address (an action that stayed on
    /// this page, such as an upload); without, the swap happens only when the region's visible text changed, so a
    /// screen reader is not interrupted by a refresh that changed nothing, and only when the user is not in it (see
    /// [`in_use`]). Returns whether the region was replaced.
    pub async fn swap_region(url: &str, id: &str, adopt: bool) -> Result<bool, ()> {
        let response = gloo_net::http::Request::get(url)
            .header("accept", "text/html")
            .send()
            .await
            .map_err(|_| ())?;
        if !response.ok() {
            return Err(());
        }
        let html = response.text().await.map_err(|_| ())?;
        let parsed = web_sys::DomParser::new()
            .and_then(|p| p.parse_from_string(&html, web_sys::SupportedType::TextHtml))
            .map_err(|_| ())?;
        let fresh = parsed.get_element_by_id(id).ok_or(())?;
        let current = region(id).ok_or(())?;
        // A refresh checks again here, after the round trip: the user may have started typing during it.
        if !adopt && (in_use(&current) || fresh.text_content() == current.text_content()) {
            return Ok(false);
        }
        let doc = document().ok_or(())?;
        let fresh: web_sys::Element = doc
            .import_node_with_deep(&fresh, true)
            .map_err(|_| ())?
            .dyn_into()
            .map_err(|_| ())?;
        current.replace_with_with_node_1(&fresh).map_err(|_| ())?;
        if adopt {
            doc.set_title(&parsed.title());
            if let Ok(history) = web_sys::window().ok_or(())?.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
            }
            if let Ok(Some(summary)) = fresh.query_selector(".error-summary") {
                if let Some(summary) = summary.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = summary.focus();
                }
            }
        }
        hydrate_islands_in(&fresh);
        Ok(true)
    }

    /// Hydrates the islands inside `el` (new content put into the page), through the island loader's
    /// `window.__hydrateIsland`.
    fn hydrate_islands_in(el: &web_sys::Element) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(hydrate) = js_sys::Reflect::get(&window, &JsValue::from_str("__hydrateIsland"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        else {
            return;
        };
        let Ok(islands) = el.query_selector_all("leptos-island") else {
            return;
        };
        for island in (0..islands.length()).filter_map(|i| islands.item(i)) {
            let name = island
                .dyn_ref::<web_sys::Element>()
                .and_then(|e| e.get_attribute("data-component"))
                .unwrap_or_default();
            let _ = hydrate.call2(&JsValue::NULL, &island, &JsValue::from_str(&name));
        }
    }

    /// Goes to `url` with a page load.
    pub fn go(url: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(url);
        }
    }

    /// Sets the text of the element `#id` (a live region announcing a result).
    pub fn announce(id: &str, text: &str) {
        if let Some(el) = region(id) {
            el.set_text_content(Some(text));
        }
    }
}

//! The service hall's Leptos application, shared by the server (SSR) and the browser (hydration).
//!
//! `shell` is the HTML document the server renders around [`App`]; the route tree lives in [`routes`].

// Leptos view types nest deeply; the guide and theme pages need more than the default.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
pub mod prefs;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::MetaTags;

pub use routes::App;

/// The whole document. Runs on the server only: `lang` and the large-text class come from the request, and the
/// browser reads them back from `<html>` when it hydrates (see [`prefs::current`]).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = prefs::current();
    let class = if prefs.large_text {
        prefs::LARGE_TEXT_CLASS
    } else {
        ""
    };
    view! {
        <!DOCTYPE html>
        <html lang=prefs.lang.tag() class=class>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b4f9c"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <IslandScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Loads the WASM and hydrates the islands (`components::islands`), off the critical path: nothing is fetched until
/// the browser is idle after showing the page (at most 2 s after load); then the module and the WASM load and the
/// islands hydrate in document order. `window.__hydrateIsland` hydrates an island put into the page later
/// (`islands::client::swap_region`).
///
/// The same job as Leptos's `<HydrationScripts islands=true/>`, which also preloads both from the `<head>`: on a
/// slow phone network (Lighthouse's mobile throttling) the 170 KB WASM then shared the line with what the first
/// paint needs and delayed the largest paint by ~0.9 s (LCP 1.81–1.96 s, also with the preloads at low priority).
/// Every page works before hydration, so the page comes first. No island takes children, so the islands are simply
/// the `<leptos-island>` elements.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // As `HydrationScripts` does: outside islands the server renders no hydration markers.
    if let Some(context) = leptos::reactive::owner::Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    let (js, wasm) = (format!("{pkg}.js"), format!("{pkg}.wasm"));
    let script = format!(
        r#"((js, wasm) => {{
  const start = () => import(js).then(async (mod) => {{
    window.__hydrateIsland = (el, id) => (mod[id] ? mod[id](el) : undefined);
    await mod.default({{ module_or_path: wasm }});
    mod.hydrate();
    for (const el of document.querySelectorAll("leptos-island")) {{
      const hydrate = mod[el.dataset.component];
      if (hydrate) await hydrate(el);
    }}
  }});
  if ("requestIdleCallback" in window) window.requestIdleCallback(start, {{ timeout: 2000 }});
  else start();
}})({js:?}, {wasm:?});"#
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

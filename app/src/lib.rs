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
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

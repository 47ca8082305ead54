//! The browser entry point: hydrates the server-rendered page. Nothing else lives here.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Split build: a staff page is a lazy route, whose chunk may still be loading when hydration starts.
    #[cfg(feature = "split")]
    leptos::mount::hydrate_lazy(app::App);
    #[cfg(not(feature = "split"))]
    leptos::mount::hydrate_body(app::App);
}

//! The browser entry point. The app is built as islands: the server renders every page whole, and the browser only
//! hydrates the interactive parts (`#[island]` components, app/src/components/islands.rs). Leptos's island script
//! calls this, then hydrates each island it finds in the page. Nothing else lives here.
#![recursion_limit = "256"]

// Linked for its islands: each is a `#[wasm_bindgen]` export of the app crate that the island script calls by name.
pub use app::components::islands;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

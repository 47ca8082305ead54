//! The state every request handler and server function can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::db::Db;
use super::signing::Signer;
use crate::domain::Catalog;

/// Cheap to clone (every middleware layer and server function of a request takes a copy): each field is shared.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: Arc<LeptosOptions>,
    pub db: Db,
    /// The validated catalog, loaded once at start-up.
    pub catalog: Arc<Catalog>,
    /// Signs state that travels through the browser (the answers behind a roadmap).
    pub signer: Signer,
}

/// What Leptos's handlers take from the state (page renders, the file and error handler).
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        LeptosOptions::clone(&state.leptos_options)
    }
}

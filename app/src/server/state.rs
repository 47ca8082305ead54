//! The state every request handler and server function can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::db::Db;
use super::signing::Signer;
use crate::domain::Catalog;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// The validated catalog, loaded once at start-up.
    pub catalog: Arc<Catalog>,
    /// Signs state that travels through the browser (the answers behind a roadmap).
    pub signer: Signer,
}

//! Server-only code: persistence (SQL lives only here) and the services built on it.

pub mod accounts;
pub mod catalog_views;
pub mod db;
pub mod search_index;
pub mod state;
pub mod wizard;

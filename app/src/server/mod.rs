//! Server-only code: persistence (SQL lives only here) and the services built on it.

pub mod accounts;
pub mod catalog_views;
pub mod db;
pub mod login_throttle;
pub mod search_index;
pub mod session;
pub mod state;
pub mod wizard;

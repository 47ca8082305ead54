//! Server-only code: persistence (SQL lives only here) and the services built on it.

pub mod accounts;
pub mod db;
pub mod state;

//! Server-only code: persistence (SQL lives only here) and the services built on it.

pub mod accounts;
pub mod admin;
pub mod admin_views;
pub mod application;
pub mod appointments;
pub mod backup;
pub mod case_actions;
pub mod case_views;
pub mod cases;
pub mod catalog_views;
pub mod clock;
pub mod corrections;
pub mod db;
pub mod drafts;
pub mod login_throttle;
pub mod notifications;
pub mod performance;
pub mod search_index;
pub mod session;
pub mod signing;
pub mod state;
pub mod tokens;
pub mod track;
pub mod uploads;
pub mod wizard;
pub mod workbench;

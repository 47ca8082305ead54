//! One module per screen.

pub mod account;
pub mod admin;
pub mod admin_webhooks;
pub mod application;
pub mod appointments;
pub mod auth;
pub mod browse;
pub mod case;
pub mod consent;
pub mod department;
pub mod feedback;
pub mod home;
pub mod item;
pub mod my;
pub mod not_found;
pub mod notifications;
pub mod performance;
pub mod refused;
pub mod search;
pub mod theme;
pub mod track;
pub mod wizard;
pub mod work;

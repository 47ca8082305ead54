//! Server functions, grouped by area. Each is thin: take the state from context, call one service, return wire
//! types (plain data that also travels to the browser).

pub mod account;
pub mod admin;
pub mod application;
pub mod appointments;
pub mod cases;
pub mod catalog;
pub mod consent;
pub mod feedback;
pub mod performance;
pub mod track;
pub mod webhooks;
pub mod wizard;
pub mod work;

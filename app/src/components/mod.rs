//! Reusable view pieces.

pub mod auth;
pub mod field;
pub mod format;
pub mod idem;
pub mod islands;
pub mod layout;
pub mod lists;
pub mod prefs_controls;
pub mod text;

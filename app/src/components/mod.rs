//! Reusable view pieces.

pub mod layout;
pub mod prefs_controls;

//! The pure domain: catalog model, scenario conditions, working-day calendar, theme roadmaps, catalog validation
//! and the case and task state machines.
//! No Leptos, no SQL, no I/O — except `load` (server only), which reads the catalog files on the server.

pub mod admin;
pub mod answer;
pub mod appointment;
pub mod calendar;
pub mod case_flow;
pub mod catalog;
pub mod condition;
pub mod consent;
pub mod correction;
pub mod feedback;
pub mod graph;
pub mod idempotency;
pub mod ids;
pub mod item;
#[cfg(feature = "ssr")]
pub mod load;
pub mod merged_form;
pub mod notify;
pub mod performance;
pub mod registration;
pub mod roadmap;
pub mod role;
pub mod search;
pub mod text;
pub mod theme;
pub mod track;
pub mod upload;
pub mod validate;
#[cfg(feature = "ssr")]
pub mod webhook;

pub use answer::{Answer, Answers};
pub use calendar::Calendar;
pub use catalog::{Catalog, CatalogParts};
pub use condition::Condition;
pub use roadmap::{overview, plan, Roadmap};
pub use role::Role;
pub use text::{Lang, Text};

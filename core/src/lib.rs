//! # portal-core — the campusM support policy as code
//!
//! Every rule of the support policy (`shared/seed/campusm-support-overview.md`) lives here once and
//! is used by both the browser (as the customer types) and the API (authoritatively):
//!
//! | module | rule |
//! |---|---|
//! | [`kind`] | request kinds and where each one is routed |
//! | [`access`] | who may do what (role gates) |
//! | [`notify`] | who is told when a case changes, and what each person chose to hear about |
//! | [`query`] | the case-list query: filters, sort and page, as one typed value with one parser |
//! | [`announcement`] | the service banner: who sees an announcement, until when, what is valid |
//! | [`level`] | response levels I–IV, their definitions and targets, and the level wizard |
//! | [`attachment`] | accepted file types, size limits, and recognising what a file really is |
//! | [`due`] | whether a case met its initial-response target, or how long is left |
//! | [`lifecycle`] | case statuses and who may move a case from where to where |
//! | [`feedback`] | who may rate support's answer on a case, and for how long it can change |
//! | [`validate`] | field-by-field validation of a new support case |
//! | [`text`] | what text may hold: no control or bidi-override characters, something visible |
//! | [`enhancement`] | detection of case text that reads like a feature / integration request |
//! | [`region`] | support regions and their public holidays (data files, not code) |
//! | [`similar`] | which words of a request being written are compared with open cases |
//! | [`secrets`] | app credentials and Connect Layer access: kinds, states, retention |
//! | [`clock`] | the response-due clock (feature `clock`, API only: it carries time-zone data) |
//! | [`instant`] | reading the API's RFC 3339 instants in the browser without chrono's parser |
//! | [`i18n`] | the two languages (English, French) and the macros that keep every message in both |
//! | [`model`] | the JSON types exchanged between the portal and the API |
//! | [`routes`] | the portal's pages and the part of the WebAssembly each one loads |
//!
//! The crate has no web dependencies and builds for `wasm32-unknown-unknown` and native targets.

pub mod access;
pub mod account;
pub mod announcement;
pub mod attachment;
pub mod due;
pub mod enhancement;
pub mod feedback;
pub mod i18n;
pub mod instant;
pub mod kind;
pub mod level;
pub mod lifecycle;
pub mod model;
pub mod notify;
pub mod query;
pub mod region;
pub mod routes;
pub mod secrets;
pub mod similar;
pub mod text;
pub mod validate;

#[cfg(feature = "clock")]
pub mod clock;

pub use i18n::Lang;
pub use kind::{RequestKind, Route};
pub use level::{ImpactAnswers, Level};
pub use lifecycle::{CaseAction, CaseStatus, Role};

//! claimsignal: catches known election falsehoods in short videos.
//!
//! Fact-check partners load the claims they have checked; moderation
//! pipelines send the captions and transcripts of videos and get back which
//! checked claims a video repeats, where, and how surely; every match is
//! logged durably for review and transparency reports.
//!
//! # Layout
//!
//! - `auth`: tokens, roles and the audit trail.
//! - `claims`: the claim model, verdicts, markets, importers and the claim
//!   store with its change sequence (the source of truth).
//! - `index`: the Tantivy claim index, derived from the store.
//! - `matcher`: content -> windows -> retrieval -> confidence -> decision.
//! - `hits`: the durable hit log with group commit, dedupe and reviews.
//! - `report`: summaries over hits.
//! - `store`: the `--store` URL (SQLite files or a shared PostgreSQL),
//!   schema migrations, the PostgreSQL pool.
//! - `engine`: ties the above together behind async methods.
//! - `server`: gRPC adapters (the only code that sees tonic or proto types,
//!   with `proto` and `cli`).
//! - `cli`: the `claimsignal` command's subcommands.
//! - `synthetic`: seeded synthetic corpora for benchmarks.
//! - `config`, `error`, `lang`, `text`: shared plumbing.

pub mod app;
pub mod auth;
pub mod captions;
pub mod claims;
pub mod cli;
pub mod config;
pub mod error;
pub mod eval;
mod hits;
pub mod index;
mod lang;
pub mod matcher;
pub mod proto;
mod report;
pub mod server;
pub mod store;
pub mod synthetic;
mod text;
mod vocab;

pub use error::{Error, Result};

//! claimsignal: catches known election falsehoods in short videos.
//!
//! Fact-check partners load the claims they have checked; moderation
//! pipelines send the captions and transcripts of videos and get back which
//! checked claims a video repeats, where, and how surely; every match is
//! logged durably for review and transparency reports.
//!
//! # Layout
//!
//! Adapters call the application layer, which calls the domain; the
//! domain never calls up (docs/architecture.md has the diagram).
//!
//! - `server`: the gRPC adapter (the only code that sees tonic or proto
//!   types, with `proto` and `cli`): admission, thin handlers, statuses.
//! - `cli`: the `claimsignal` command's subcommands.
//! - `app`: the application layer, one file per journey (load, claims,
//!   score, review, report, tokens) with its limits, policy and audit.
//! - `claims`: the claim model, verdicts, markets, importers and the claim
//!   store with its change sequence (the source of truth).
//! - `index`: the Tantivy claim index, derived from the store.
//! - `encoder`: the multilingual sentence encoder (text to a vector whose
//!   cosine measures closeness of meaning), run on the CPU.
//! - `captions`: captions and transcripts to timed sentences and windows.
//! - `matcher`: windows -> retrieval -> confidence -> decision and stance.
//! - `hits`: the durable hit log with group commit, dedupe and reviews.
//! - `report`: counts over hits and their renderings.
//! - `auth`: tokens, roles and the audit trail.
//! - `eval`: quality measurement and model fitting on labelled data.
//! - `store`: the `--store` URL (SQLite files or a shared PostgreSQL),
//!   schema migrations, the PostgreSQL pool.
//! - `synthetic`: seeded synthetic corpora for benchmarks.
//! - `vocab`: the words matcher, hit log and reports share (verdicts,
//!   levels, sources, stances).
//! - `config`, `error`, `lang`, `text`: shared plumbing.

pub mod app;
pub mod auth;
pub mod captions;
pub mod claims;
pub mod cli;
pub mod config;
pub use claimsignal_encoder as encoder;
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

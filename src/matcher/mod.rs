//! Matching: content -> timed windows -> retrieval over the claim index ->
//! reranking model -> confidence and decision.
//!
//! - `types`: requests and matches (levels and sources are `crate::vocab`).
//! - `config`: thresholds, window sizes, the model file.
//! - `score`: the pipeline: preparation, each claim's best window,
//!   confidence and level.
//! - `candidates`: the (window, claim) pairs retrieval finds, with the
//!   features the model judges them on.
//! - `retrieve`, `terms`, `cache`: BM25 over the index, term after term a
//!   horizon of documents at a time (`topk`: the best kept), with a
//!   per-thread claim/IDF cache.
//! - `features`: what the model sees of a (window, claim) pair;
//!   `speaker`: whether who speaks is the claim's claimant.
//! - `model`: the logistic regression and its fitting.
//! - `span`: a best window fitted to the sentences that say the claim.
//! - `stretches`: the other stretches that say a matched claim again.
//! - `groups`: one match per claim text, one `auto` per stretch.
//! - `stance`: whether matching content repeats, refutes or doubts a claim.
//! - `semantic`: claims found by meaning (the sentence encoder), beside BM25.
//! - `nicknames`: places creators name by nickname, and colloquial words
//!   for money, papers and apps (`colloquial`), read by their usual names
//!   in the words searched, for telling siblings apart and for the
//!   encoder.
//! - `capitals`: words written in capitals read in lower case, as the
//!   encoder's cased vocabulary knows them.
//! - `runs`: claims said over several sentences of a short video, read as
//!   one post where meaning confirms it.
//! - `numbers`, `clock`: amounts and times of day read however they are
//!   said or written, searched and compared by their values.

mod cache;
mod candidates;
mod capitals;
mod clock;
mod colloquial;
mod config;
mod diminutives;
pub mod features;
mod gate;
mod groups;
mod idf;
mod keys;
pub mod model;
mod named;
mod nicknames;
pub mod numbers;
mod places;
mod retrieve;
mod runs;
mod score;
pub mod semantic;
mod siblings;
mod span;
mod speaker;
pub mod stance;
mod stretches;
mod terms;
mod titles;
mod topk;
pub mod types;

pub use candidates::Candidate;
pub use config::MatchConfig;
pub use model::{ByContent, ContentKind, Model, Models};
pub use nicknames::read_windows;
pub use score::{Matcher, Prepared, Scope, is_short_video};
pub use semantic::Semantic;
pub use stance::Stance;
pub use types::{
    ClaimMatch, Content, ContentSource, Level, MAX_MATCHES, Said, ScoreInput, ScoreOutcome, Segment,
};

//! Matching: content -> timed windows -> retrieval over the claim index ->
//! reranking model -> confidence and decision.
//!
//! - `types`: requests, matches, levels and sources.
//! - `features`: what the model sees of a (window, claim) pair.
//! - `model`: the logistic regression and its fitting.
//! - `retrieve`: candidate claims for a window, term after term a horizon
//!   of documents at a time.
//! - `score`: the scoring pipeline.
//! - `stance`: whether matching content repeats, refutes or doubts a claim.

mod cache;
pub mod features;
pub mod model;
mod retrieve;
mod score;
pub mod stance;
mod terms;
pub mod types;

pub use model::{ByContent, ContentKind, Model, Models};
pub use score::{Candidate, MatchConfig, Matcher, Prepared, Scope, is_short_video};
pub use stance::Stance;
pub use types::{
    ClaimMatch, Content, ContentSource, Level, MAX_MATCHES, Said, ScoreInput, ScoreOutcome, Segment,
};

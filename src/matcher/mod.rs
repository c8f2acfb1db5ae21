//! Matching: content -> timed text -> retrieval over the claim index ->
//! confidence and decision.
//!
//! - `types`: requests, matches, levels and sources.
//! - `score`: the scoring pipeline.

mod score;
pub mod types;

pub use score::{MatchConfig, Matcher};
pub use types::{ClaimMatch, Content, ContentSource, Level, ScoreInput, ScoreOutcome, Segment};

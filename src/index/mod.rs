//! The claim index: Tantivy, derived from the claim store and rebuildable.
//!
//! - `analysis`: stemmed analyzers per language and the folded one.
//! - `card`: what matching keeps of a claim, and the text it searches.
//! - `schema`: the fields a claim is searched and filtered by.
//! - `claim_index`: catch-up from the store's change sequence, rebuild,
//!   and the searcher handed to matching.
//! - `merge`: merges and compaction as claims change.
//! - `vectors`: claims' sentence vectors, keyed by their text, beside the
//!   index.

pub mod analysis;
mod card;
mod centre;
mod claim_index;
mod merge;
mod scan;
mod schema;
mod signs;
mod vectors;

pub use card::{ClaimCard, searched_text};
pub use claim_index::{ANY_MARKET, ClaimIndex, FLAG_SCOPED, FLAG_WINDOW};
pub use schema::IndexFields;
pub use vectors::{Audience, ClaimText, ClaimVectors, Near, READING, SIGNS_FROM};

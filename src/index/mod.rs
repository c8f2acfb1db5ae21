//! The claim index: Tantivy, derived from the claim store and rebuildable.
//!
//! - `analysis`: stemmed analyzers per language and the folded one.
//! - `claim_index`: schema, catch-up from the store's change sequence,
//!   rebuild, and the searcher handed to matching.

pub mod analysis;
mod claim_index;

pub use claim_index::{
    ANY_MARKET, ClaimCard, ClaimIndex, FLAG_SCOPED, FLAG_WINDOW, IndexFields, searched_text,
};

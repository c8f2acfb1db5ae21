//! Reports over the hit log: the counts of an election-integrity section.
//!
//! - `summary`: grouped counts (hits, unique videos and claims, views
//!   reached, reviews and actions).

mod summary;

pub use summary::{GroupBy, Summary, SummaryRow, TopClaim, summarize};

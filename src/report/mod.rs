//! Reports over the hit log: the counts of an election-integrity section.
//!
//! - `render`: table, CSV, JSON, and the Markdown/HTML report section.
//! - `summary`: grouped counts (hits, unique videos and claims, views
//!   reached, reviews and actions).

pub mod html;
pub mod render;
mod summary;

pub use summary::{GroupBy, Summary, SummaryRow, TopClaim, add_scanned, summarize};

//! Reports over the hit log: the counts of an election-integrity section.
//!
//! - `summary`: grouped counts (hits, unique videos and claims, views,
//!   reviews, actions, timings, videos scanned).
//! - `render`: table, CSV, JSON, the Markdown page and the key-figure
//!   exports; `html`: the HTML page with its charts.
//! - `figures`: the key figures with their previous period; `narrative`:
//!   the prose and method note; `filters`: the restrictions a page
//!   states; `words`, `locale`: the page's languages.

mod figures;
mod filters;
mod group;
pub mod html;
pub mod locale;
mod narrative;
pub mod page;
pub mod render;
mod summary;
mod words;

pub use group::{GroupBy, add_scanned};
pub use summary::{Summary, SummaryRow, TopClaim, summarize};

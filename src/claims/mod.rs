//! Claims: the model, verdicts, markets, importers and the store.
//!
//! - `model`: the claim and its status.
//! - `verdict`: normalised verdicts and the partners' rating words.
//! - `market`: ISO 3166-1 alpha-2 market codes.
//! - `load`: load defaults, per-record outcomes and limits.
//! - `jsonl`: the JSON Lines importer.
//! - `claimreview`: schema.org ClaimReview JSON-LD and Fact Check Tools.
//! - `import`: format detection, HTML and CSV.
//! - `normalize`: the checks every claim goes through.
//! - `store`: the claim store (SQLite, or the replicas' shared PostgreSQL)
//!   with its change sequence.

pub mod claimreview;
mod fields;
pub mod import;
pub mod jsonl;
pub mod load;
mod locate;
pub mod market;
pub mod model;
pub mod normalize;
mod rating;
pub mod reload;
pub mod store;
pub mod topic;
pub mod verdict;

pub use load::{LoadDefaults, LoadReport, Rejection, WriteStatus};
pub use model::{Claim, ClaimStatus};
pub use store::{ClaimFilter, ClaimStore};
pub use verdict::Verdict;

/// File formats a load accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimFormat {
    /// Detected from the content.
    Auto,
    /// One JSON object per line.
    Jsonl,
    /// schema.org ClaimReview JSON-LD: object, array, `@graph` or DataFeed.
    JsonLd,
    /// An HTML page with `application/ld+json` blocks.
    Html,
    /// A Google Fact Check Tools `claims:search` response.
    FactCheckTools,
    /// CSV with a header row.
    Csv,
}

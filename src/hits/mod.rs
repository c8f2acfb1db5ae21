//! The hit log: every (video, claim) match a pipeline may act on, written
//! durably before it is acknowledged, deduplicated, and reviewed by people.
//!
//! - `model`: hits, reviews and filters.
//! - `counts`: the hit log read for a report's counts.
//! - `rows`: a hit's columns and a row read back.
//! - `scans`: videos scanned, counted per day, market, source, language.
//! - `writer`: the group-commit writer thread.
//! - `store`: the store (SQLite, or the replicas' shared PostgreSQL) with
//!   its group-commit writer thread.

mod counts;
pub mod model;
mod rows;
mod scans;
mod store;
mod writer;

pub use model::{Action, Hit, HitFilter, NewHit, Outcome, Review, ReviewInput, ReviewState};
pub use scans::ScanCount;
pub use store::{Durability, HitStore};
pub use writer::{WriterHealth, WriterStats};

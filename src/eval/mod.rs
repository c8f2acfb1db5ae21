//! Measuring matching quality on labelled data, and fitting the model.
//!
//! - `data`: the evaluation layout (claims, queries, qrels, transcripts).
//! - `metrics`: MAP@k, MRR, recall@k as the CheckThat! lab computes them.
//! - `query`: one query as the server sees it (scope, windows, ranking).
//! - `report`: what `eval` prints.
//! - `run`: `claimsignal eval`, the in-process pipeline over a query set.
//! - `semantic`: `eval --semantic`, the sentence encoder's cosine beside it.
//! - `train`: `claimsignal train`, fitting the model on `train` splits.
//! - `videos`: `eval-videos`, claims said inside labelled short videos.
//! - `whole`: `eval --whole-transcripts`, transcripts sent whole.

pub mod data;
pub mod metrics;
pub mod query;
pub mod report;
pub mod run;
pub mod semantic;
pub mod train;
pub mod videos;
pub mod whole;

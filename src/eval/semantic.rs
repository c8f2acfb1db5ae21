//! `eval --semantic`: what the sentence encoder's cosine would buy, measured
//! beside the lexical pipeline on the same queries, before it joins the
//! matcher.
//!
//! Three rankings per query: the lexical pipeline's (as `eval` measures
//! it), the claims by cosine alone (every claim of the set, as dense
//! retrieval would see them), and the two fused by reciprocal rank (a
//! claim ranked well by either comes up). And the calibration the
//! decision thresholds need: for the claim cosine ranks first, how often it
//! is relevant at each cosine, and how many negative queries reach it.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::data::{self, Query};
use super::metrics::RankingTotals;
use super::query::{Dating, rank_query, ratio};
use super::run::ranked_ids;
use crate::encoder::Encoder;
use crate::error::Result;
use crate::index::{ClaimVectors, READING};
use crate::matcher::Matcher;

/// Claims embedded per call (the encoder batches them in one pass).
const BATCH: usize = 32;
/// The weights of the lexical confidence tried beside the cosine.
const WEIGHTS: [f32; 5] = [0.02, 0.05, 0.1, 0.2, 0.4];
/// Claims ranked by cosine per query.
const RANKED: usize = 100;
/// The rank offset of reciprocal-rank fusion (the usual 60).
const FUSION_K: f64 = 60.0;

/// The semantic section of an evaluation report.
#[derive(Debug, Default, Serialize)]
pub struct SemanticReport {
    /// Judged queries.
    pub queries: usize,
    /// MAP@5 of the lexical pipeline.
    pub lexical_map_at_5: f64,
    /// MAP@5 of cosine alone over every claim.
    pub cosine_map_at_5: f64,
    /// MAP@5 of the two fused by reciprocal rank.
    pub fused_map_at_5: f64,
    /// MAP@5 of cosine plus a weight times the lexical confidence, for
    /// each weight tried: (weight, MAP@5).
    pub weighted_map_at_5: Vec<(f32, f64)>,
    /// Recall@5 of cosine alone.
    pub cosine_recall_at_5: f64,
    /// For each threshold: of the queries whose best cosine reaches it,
    /// the share whose best claim is relevant; and the share of negative
    /// queries whose best cosine reaches it.
    pub thresholds: Vec<CosineRow>,
    /// Claims embedded per second (one thread), the fit of the centred
    /// space included.
    pub claims_per_second: f64,
    /// Queries embedded per second (one thread).
    pub queries_per_second: f64,
    /// The matrix kernel this CPU ran.
    pub kernel: &'static str,
    /// Bytes the encoder's weights hold in memory.
    pub weights_bytes: usize,
}

/// One row of the cosine calibration.
#[derive(Debug, Serialize)]
pub struct CosineRow {
    /// The cosine.
    pub cosine: f32,
    /// Queries whose best claim reaches it.
    pub decided: usize,
    /// The share of those whose best claim is relevant.
    pub precision: f64,
    /// The share of all relevant pairs found so (first claim only).
    pub recall: f64,
    /// The share of negative queries whose best claim reaches it.
    pub negatives_share: f64,
}

/// Measures the encoder on a query set, beside `matcher`.
pub fn run(
    matcher: &Matcher,
    encoder: &Encoder,
    claims: &std::path::Path,
    queries: &std::path::Path,
    qrels: &std::path::Path,
    negatives: Option<&std::path::Path>,
    dating: Dating,
) -> Result<SemanticReport> {
    let (store, index) = data::build_index(claims)?;
    // The claims' vectors as the service keeps them: in the centred space
    // fitted on these claims (`index/centre.rs`).
    let started = std::time::Instant::now();
    let vectors = ClaimVectors::in_memory().with_signs_from(matcher.config().semantic_signs_from);
    let mut embedded = 0;
    loop {
        let embed = |texts: &[&str]| super::run::embed_on_every_core(encoder, texts);
        let (changes, texts) =
            vectors.catch_up_with(&store, encoder.neutral_means(), &embed, 10_000, BATCH)?;
        embedded += texts;
        if changes == 0 {
            break;
        }
    }
    let claims_per_second = embedded as f64 / started.elapsed().as_secs_f64().max(1e-9);

    let qrels = data::read_qrels(qrels)?;
    let judged: Vec<Query> = data::read_queries(queries)?
        .into_iter()
        .filter(|q| qrels.get(&q.id).is_some_and(|r| !r.is_empty()))
        .collect();
    let started = std::time::Instant::now();
    let texts: Vec<&str> = judged.iter().map(|q| q.text.as_str()).collect();
    let query_vectors = encoder.embed(&texts, READING);
    let queries_per_second = judged.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);
    // Each caption in its own language, as the service compares it in the
    // language it detects.
    let nearest: Vec<_> = judged
        .iter()
        .zip(&query_vectors)
        .map(|(query, vector)| vectors.nearest(vector, &query.lang, -1.0, RANKED))
        .collect::<Result<_>>()?;

    let (mut lexical, mut dense, mut fused) = (
        RankingTotals::default(),
        RankingTotals::default(),
        RankingTotals::default(),
    );
    let mut weighted: Vec<(f32, RankingTotals)> = WEIGHTS
        .iter()
        .map(|&w| (w, RankingTotals::default()))
        .collect();
    let mut firsts: Vec<(f32, bool)> = Vec::new();
    let mut relevant_pairs = 0usize;
    for (query, near) in judged.iter().zip(&nearest) {
        let relevant = &qrels[&query.id];
        relevant_pairs += relevant.len();
        let ranked = rank_query(matcher, &index, query, None, dating)?;
        let lexical_ids = ranked_ids(&ranked.matches);
        let mut confidences: HashMap<&str, f32> = HashMap::new();
        for m in &ranked.matches {
            for claim in std::iter::once(&m.claim).chain(&m.duplicates) {
                confidences.insert(claim.id.as_str(), m.confidence);
            }
        }
        let by_cosine: Vec<(&str, f32)> = near
            .iter()
            .map(|n| (n.claim_id.as_str(), n.cosine))
            .collect();
        for (weight, totals) in &mut weighted {
            let lifted: Vec<(&str, f32)> = by_cosine
                .iter()
                .map(|(id, c)| {
                    (
                        *id,
                        c + *weight * confidences.get(id).copied().unwrap_or(0.0),
                    )
                })
                .collect();
            totals.add(&best_first(lifted), relevant);
        }
        if let Some((id, best)) = by_cosine.first() {
            firsts.push((*best, relevant.contains(*id)));
        }
        let dense_ids: Vec<String> = by_cosine.iter().map(|(id, _)| id.to_string()).collect();
        fused.add(&fuse(&lexical_ids, &dense_ids), relevant);
        lexical.add(&lexical_ids, relevant);
        dense.add(&dense_ids, relevant);
    }

    let negative_best: Vec<f32> = match negatives {
        Some(path) => {
            let negatives = data::read_queries(path)?;
            let texts: Vec<&str> = negatives.iter().map(|q| q.text.as_str()).collect();
            let vectors_of = encoder.embed(&texts, READING);
            negatives
                .iter()
                .zip(&vectors_of)
                .map(|(query, vector)| {
                    let near = vectors.nearest(vector, &query.lang, -1.0, 1)?;
                    Ok(near.first().map_or(-1.0, |n| n.cosine))
                })
                .collect::<Result<_>>()?
        }
        None => Vec::new(),
    };
    // Cosines of the centred space (`index/centre.rs`) run lower than e5's.
    let thresholds = (20..=76)
        .step_by(4)
        .map(|step| {
            let cosine = step as f32 / 100.0;
            let decided = firsts.iter().filter(|(c, _)| *c >= cosine).count();
            let correct = firsts
                .iter()
                .filter(|(c, hit)| *c >= cosine && *hit)
                .count();
            let reached = negative_best.iter().filter(|c| **c >= cosine).count();
            CosineRow {
                cosine,
                decided,
                precision: ratio(correct, decided),
                recall: ratio(correct, relevant_pairs),
                negatives_share: ratio(reached, negative_best.len()),
            }
        })
        .collect();
    Ok(SemanticReport {
        queries: judged.len(),
        lexical_map_at_5: lexical.map5(),
        cosine_map_at_5: dense.map5(),
        fused_map_at_5: fused.map5(),
        weighted_map_at_5: weighted.iter().map(|(w, t)| (*w, t.map5())).collect(),
        cosine_recall_at_5: dense.recall5(),
        thresholds,
        claims_per_second,
        queries_per_second,
        kernel: encoder.kernel(),
        weights_bytes: encoder.memory_bytes(),
    })
}

/// The claims' ids, highest score first.
fn best_first(mut scored: Vec<(&str, f32)>) -> Vec<String> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.into_iter().map(|(id, _)| id.to_owned()).collect()
}

/// Reciprocal-rank fusion of two rankings.
fn fuse(a: &[String], b: &[String]) -> Vec<String> {
    let mut scores: HashMap<&str, f64> = HashMap::new();
    for ranking in [a, b] {
        let mut seen = HashSet::new();
        for (rank, id) in ranking.iter().enumerate() {
            if seen.insert(id.as_str()) {
                *scores.entry(id.as_str()).or_default() += 1.0 / (FUSION_K + rank as f64 + 1.0);
            }
        }
    }
    let mut fused: Vec<(&str, f64)> = scores.into_iter().collect();
    fused.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
    fused.into_iter().map(|(id, _)| id.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fusion_lifts_a_claim_both_rankings_hold() {
        let a: Vec<String> = ["x", "y", "z"].map(String::from).to_vec();
        let b: Vec<String> = ["z", "w", "y"].map(String::from).to_vec();
        let fused = fuse(&a, &b);
        // z: 1/63 + 1/61; y: 1/62 + 1/63; x: 1/61 alone.
        assert_eq!(fused[..2], ["z".to_string(), "y".to_string()]);
        assert_eq!(fused.len(), 4);
    }
}

//! Claims said over several sentences of a short video: a run of
//! sentences whose words, judged as a post, reach `review` or above is
//! taken at that confidence when meaning says the run is about the claim.
//!
//! Automatic captions cut a claim into two or three cues, and each cue
//! alone holds only part of its words; a run of them judged as a post is
//! as sure as the stretch sent alone (es-v101 0.82 against 0.92 alone on
//! `multilingual-dev`). Judged so outright, runs gathered claim words from
//! unrelated neighbouring cues (4 of 9 clips made of negative captions at
//! `review`); a run whose sentence vector is near the claim's is one
//! statement, not a collage. The words still decide the confidence and the
//! level; meaning only says whether the run may be read as one post.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use super::score::Matcher;
use super::semantic::Semantic;
use super::span::Best;
use crate::captions::Window;
use crate::error::Result;

/// Runs embedded per request at most, the surest first: each costs the
/// encoder one window of two or three sentences.
const MAX_RUNS: usize = 8;
/// A run that changes no decision is embedded only when it moves the
/// confidence by more than this.
const NOTABLE: f32 = 0.05;

impl Matcher {
    /// Takes each claim's run (`runs`, judged as posts) over its best
    /// window when its cosine with the claim reaches `semantic_run_cosine`.
    /// Only runs that would change the decision or move the confidence
    /// notably are embedded.
    pub(super) fn confirm_runs(
        &self,
        semantic: &Semantic,
        windows: &[Window],
        read: &[Cow<'_, str>],
        language: &str,
        runs: HashMap<tantivy::DocAddress, Best>,
        best: &mut HashMap<tantivy::DocAddress, Best>,
    ) -> Result<()> {
        let mut surer: Vec<(tantivy::DocAddress, Best)> = runs
            .into_iter()
            .filter(|(address, run)| {
                best.get(address).is_some_and(|b| {
                    b.found.level < run.found.level
                        || b.found.confidence + NOTABLE < run.found.confidence
                })
            })
            .collect();
        if surer.is_empty() {
            return Ok(());
        }
        surer.sort_by(|a, b| {
            b.1.found
                .confidence
                .total_cmp(&a.1.found.confidence)
                .then_with(|| a.1.found.claim.id.cmp(&b.1.found.claim.id))
        });
        surer.truncate(MAX_RUNS);
        // Each run's text (places named by nickname and colloquial words
        // read by their usual names too, as `semantic` reads sentences),
        // embedded once even when it is several claims' run.
        let mut texts: Vec<&str> = Vec::new();
        let mut text_of = Vec::with_capacity(surer.len());
        for (_, run) in &surer {
            let Some(window) = windows
                .iter()
                .position(|w| (w.first, w.last) == run.sentences)
            else {
                text_of.push(None);
                continue;
            };
            let text = read[window].as_ref();
            let at = match texts.iter().position(|t| *t == text) {
                Some(at) => at,
                None => {
                    texts.push(text);
                    texts.len() - 1
                }
            };
            text_of.push(Some(at));
        }
        semantic.count_seen(texts.len());
        let vectors = semantic.embed_read(&texts, None)?;
        for ((address, run), at) in surer.into_iter().zip(text_of) {
            let Some(vector) = at.and_then(|at| vectors[at].as_ref()) else {
                continue;
            };
            let cosine = semantic
                .vectors()
                .cosine(vector, language, &run.found.claim.id)?;
            if let Some(cosine) = cosine.filter(|&c| c >= self.config.semantic_run_cosine) {
                let mut run = run;
                run.found.meaning = Some(cosine);
                best.insert(address, run);
            }
        }
        Ok(())
    }
}

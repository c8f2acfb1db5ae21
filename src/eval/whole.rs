//! `claimsignal eval --whole-transcripts`: each debate transcript is sent
//! whole, as a platform sends a video's captions, and the matches the
//! server would return are checked against the labelled lines their time
//! spans cover.
//!
//! A returned match is *on target* when its claim (or a duplicate listed
//! with it) is labelled for a line its span, or another stretch it lists
//! as saying the claim again, covers; *off target* when the claim is
//! labelled in the transcript but only on lines outside them;
//! *unlabelled* otherwise. Lines are labelled sparsely (only the
//! sentences a fact-checker picked), so a match counted unlabelled can be
//! a true repetition nobody labelled: precision here is a floor.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::data::{Query, Transcripts};
use super::query::{Dating, RETURNED, is_relevant, level_at, lists, query_scope, ratio};
use crate::error::Result;
use crate::index::ClaimIndex;
use crate::matcher::{Level, Matcher};

/// How the matches of one decision level fall.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SpanQuality {
    /// Matches returned at or above the level.
    pub decided: usize,
    /// Of those, claims labelled for a line the span covers.
    pub on_target: usize,
    /// Claims labelled in the transcript, but on no line the span covers.
    pub off_target: usize,
    /// on_target / decided.
    pub precision: f64,
    /// Labelled (line, claim) pairs covered by a match of that claim at or
    /// above the level, over all labelled pairs.
    pub line_recall: f64,
}

/// The measurements of whole-transcript matching.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WholeReport {
    /// Transcripts sent.
    pub transcripts: usize,
    /// Labelled (line, claim) pairs in them.
    pub labelled_pairs: usize,
    /// Matches at `auto`.
    pub auto: SpanQuality,
    /// Matches at `review` or above.
    pub review: SpanQuality,
    /// Median length of the spans returned at `review` or above (ms).
    pub median_span_ms: u64,
}

/// A transcript line and the claims labelled for it.
type LabelledLine<'a> = (u64, &'a HashSet<String>);

/// Sends every transcript with judged queries whole and measures the
/// matches returned (up to the API's limit, at or above `review`).
pub fn run(
    matcher: &Matcher,
    index: &ClaimIndex,
    judged: &[&Query],
    qrels: &HashMap<String, HashSet<String>>,
    transcripts: &mut Transcripts,
    dating: Dating,
) -> Result<WholeReport> {
    // Labelled lines per transcript, and a query to date each one by.
    let mut docs: BTreeMap<&str, (Vec<LabelledLine>, &Query)> = BTreeMap::new();
    for query in judged {
        let Some((doc, line)) = query.id.rsplit_once('_') else {
            continue;
        };
        let (Ok(line), Some(relevant)) = (line.parse::<u64>(), qrels.get(&query.id)) else {
            continue;
        };
        docs.entry(doc)
            .or_insert_with(|| (Vec::new(), query))
            .0
            .push((line, relevant));
    }
    let mut report = WholeReport::default();
    let mut spans = Vec::new();
    let mut covered_auto = 0usize;
    let mut covered_review = 0usize;
    for (lines, query) in docs.values() {
        let Some((transcript, _)) = transcripts.locate(&query.id)? else {
            continue;
        };
        report.transcripts += 1;
        report.labelled_pairs += lines.iter().map(|(_, r)| r.len()).sum::<usize>();
        let mut scope = query_scope(query, dating);
        scope.short_video = crate::matcher::is_short_video(transcript.windows());
        let language = match crate::text::primary_language(&query.lang) {
            language if language.is_empty() => "en".to_string(),
            language => language,
        };
        let review = matcher.default_min_confidence();
        let mut matches =
            matcher.rank_windows(index, transcript.windows(), &language, &scope, review)?;
        matches.retain(|m| m.level >= Level::Review);
        matches.truncate(RETURNED);
        for found in &matches {
            spans.push(found.end_ms.saturating_sub(found.start_ms) + 1);
            let on_target = lines.iter().any(|(line, relevant)| {
                level_at(found, *line).is_some() && is_relevant(found, relevant)
            });
            let labelled = lines
                .iter()
                .any(|(_, relevant)| is_relevant(found, relevant));
            let levels: &mut [&mut SpanQuality] = if found.level == Level::Auto {
                &mut [&mut report.auto, &mut report.review]
            } else {
                &mut [&mut report.review]
            };
            for quality in levels.iter_mut() {
                quality.decided += 1;
                quality.on_target += usize::from(on_target);
                quality.off_target += usize::from(!on_target && labelled);
            }
        }
        for (line, relevant) in lines {
            for claim in relevant.iter() {
                let best = matches
                    .iter()
                    .filter(|m| lists(m, claim))
                    .filter_map(|m| level_at(m, *line))
                    .max();
                covered_review += usize::from(best.is_some());
                covered_auto += usize::from(best == Some(Level::Auto));
            }
        }
    }
    for (quality, covered) in [
        (&mut report.auto, covered_auto),
        (&mut report.review, covered_review),
    ] {
        quality.precision = ratio(quality.on_target, quality.decided);
        quality.line_recall = ratio(covered, report.labelled_pairs);
    }
    spans.sort_unstable();
    report.median_span_ms = spans.get(spans.len() / 2).copied().unwrap_or(0);
    Ok(report)
}

#[cfg(test)]
mod tests;

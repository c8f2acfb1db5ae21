//! The other stretches of a video that say a matched claim again.

use rustc_hash::FxHashMap as HashMap;

use super::features::{ClaimText, TermKey};
use super::span::{Best, SaidWindow, trimmed};
use super::types::{ClaimMatch, Said};
use crate::captions::Window;

/// Most other stretches listed as saying a matched claim again.
pub(super) const MAX_ALSO_SAID: usize = 10;

impl Best {
    /// Returns the match with its span fitted to the sentences that say
    /// the claim (`fitted_span`) and, from `said` (the claim's windows at
    /// or above review), the other stretches that say it again: those
    /// that overlap neither the span nor one another, fitted the same way.
    /// Returns the span's first and last sentence with it.
    pub(super) fn fitted(
        self,
        singles: &[Option<&Window>],
        sentence_terms: &HashMap<(usize, bool), Vec<TermKey>>,
        said: Vec<SaidWindow>,
    ) -> (ClaimMatch, (usize, usize)) {
        let claim_text = self.claim_text.clone();
        let cross_language = self.cross_language;
        let (mut found, span) = self.fitted_span(singles, sentence_terms);
        if let Some(claim_text) = claim_text {
            let terms_of = |sentence: usize| sentence_terms.get(&(sentence, cross_language));
            found.also_said = also_said(&claim_text, &found, said, singles, terms_of);
        }
        (found, span)
    }
}

/// Returns the stretches other than `found`'s span that say its claim:
/// the windows of `said`, best first, each shed of the edge sentences
/// that hold nothing of the claim the others do not, kept when they
/// overlap neither the span nor a stretch kept before; at most
/// `MAX_ALSO_SAID`, in time order. Each stretch's level is the one its
/// own confidence reaches, never above the match's.
pub(super) fn also_said<'a>(
    claim: &ClaimText,
    found: &ClaimMatch,
    mut said: Vec<SaidWindow>,
    singles: &[Option<&Window>],
    terms_of: impl Fn(usize) -> Option<&'a Vec<TermKey>> + Copy,
) -> Vec<Said> {
    said.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.sentences.cmp(&b.sentences))
    });
    let mut taken = vec![(found.start_ms, found.end_ms)];
    let mut also: Vec<Said> = Vec::new();
    for window in said {
        if also.len() == MAX_ALSO_SAID {
            break;
        }
        let (first, last) = trimmed(claim, window.sentences.0, window.sentences.1, terms_of);
        let (Some(start), Some(end)) = (
            singles.get(first).copied().flatten(),
            singles.get(last).copied().flatten(),
        ) else {
            continue;
        };
        let span = (start.start_ms, end.end_ms);
        if taken.iter().any(|other| overlap(*other, span)) {
            continue;
        }
        taken.push(span);
        also.push(Said {
            start_ms: span.0,
            end_ms: span.1,
            confidence: window.confidence,
            level: window.level.min(found.level),
        });
    }
    also.sort_by_key(|s| s.start_ms);
    also
}

/// Returns whether two stretches of a video (start and end, ms) overlap:
/// the same stretch, or one that starts before the other ends (stretches
/// that only touch, a cue ending where the next begins, do not). A post,
/// untimed, is one stretch (0, 0).
pub(super) fn overlap(a: (u64, u64), b: (u64, u64)) -> bool {
    a == b || (a.0 < b.1 && b.0 < a.1)
}

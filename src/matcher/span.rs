//! A claim's best window, fitted to the sentences that say the claim:
//! shed of the edge sentences that hold none of its words the others do
//! not, stretched over neighbours that say more of it.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::features::{ClaimText, TermKey};
use super::types::{ClaimMatch, Level};
use crate::captions::Window;
use crate::text::truncate_chars;

/// Characters of a window shown as a match's excerpt.
pub(super) const EXCERPT_CHARS: usize = 400;

/// Sentences a match may stretch over on each side of its window.
pub(super) const STRETCH_SENTENCES: usize = crate::captions::MAX_WINDOW_SENTENCES - 1;

/// A window at or above review for a claim.
pub(super) struct SaidWindow {
    pub(super) confidence: f32,
    /// The level its confidence reaches on its own.
    pub(super) level: Level,
    /// The window's first and last sentence.
    pub(super) sentences: (usize, usize),
}

/// A claim's best window so far.
pub(super) struct Best {
    pub(super) found: ClaimMatch,
    /// The claim's analysis, for matches shown to the caller.
    pub(super) claim_text: Option<Arc<ClaimText>>,
    /// Which of the claim's terms the window holds (matches shown only).
    pub(super) held: Vec<bool>,
    pub(super) cross_language: bool,
    /// The window's first and last sentence.
    pub(super) sentences: (usize, usize),
}

impl Best {
    /// Returns the match with its span fitted to the sentences that say
    /// the claim, the excerpt and matched words with it; the confidence
    /// is the window's.
    ///
    /// First the window sheds the sentences at its edges that hold no
    /// claim term its other sentences do not: a window of three sentences
    /// can be the best for a claim said in one of them ("She gave us ISIS.
    /// And now ISIS is in 32 countries."), and the span should point at
    /// that one, not at its neighbours, which a reviewer would otherwise
    /// read as repeating the claim too. Then the span stretches over the
    /// sentences next to it that say more of the claim: a claim said over
    /// several sentences ("Youth unemployment is 51 percent. Hispanic
    /// youth unemployment is 36 percent.") is often matched best by one of
    /// them alone, and the span should still cover the whole statement. A
    /// neighbour joins when it holds a claim term the span does not yet
    /// hold, up to `STRETCH_SENTENCES` on each side. Returns the span's
    /// first and last sentence with it.
    pub(super) fn fitted_span(
        self,
        singles: &[Option<&Window>],
        sentence_terms: &HashMap<(usize, bool), Vec<TermKey>>,
    ) -> (ClaimMatch, (usize, usize)) {
        let Best {
            mut found,
            claim_text,
            mut held,
            cross_language,
            sentences: (mut first, mut last),
        } = self;
        let Some(claim_text) = claim_text else {
            return (found, (first, last));
        };
        let terms_of = |sentence: usize| sentence_terms.get(&(sentence, cross_language));
        if last > first {
            (first, last) = trimmed(&claim_text, first, last, terms_of);
            let kept: Option<Vec<&Window>> = (first..=last)
                .map(|sentence| singles.get(sentence).copied().flatten())
                .collect();
            if let Some(kept) = kept
                && let (Some(start), Some(end)) = (kept.first(), kept.last())
                && (start.start_ms, end.end_ms) != (found.start_ms, found.end_ms)
            {
                found.start_ms = start.start_ms;
                found.end_ms = end.end_ms;
                let text: Vec<&str> = kept.iter().map(|w| w.text.as_str()).collect();
                found.excerpt = truncate_chars(&text.join(" "), EXCERPT_CHARS);
            }
        }
        let mut grow = |sentence: usize, held: &mut Vec<bool>| -> Option<&Window> {
            let window = (*singles.get(sentence)?)?;
            let terms = terms_of(sentence)?;
            let mut new = false;
            for (i, (term, _)) in claim_text.terms.iter().enumerate() {
                if !held[i] && terms.contains(term) {
                    held[i] = true;
                    new = true;
                    found.matched_terms.push(claim_text.words[i].clone());
                }
            }
            new.then_some(window)
        };
        let mut before = Vec::new();
        for sentence in (first.saturating_sub(STRETCH_SENTENCES)..first).rev() {
            match grow(sentence, &mut held) {
                Some(window) => before.push(window),
                None => break,
            }
        }
        let mut after = Vec::new();
        for sentence in last + 1..=last + STRETCH_SENTENCES {
            match grow(sentence, &mut held) {
                Some(window) => after.push(window),
                None => break,
            }
        }
        let span = (first - before.len(), last + after.len());
        if before.is_empty() && after.is_empty() {
            return (found, span);
        }
        // The excerpt shows the whole statement when it fits, else the
        // window's part of it.
        let mut text = String::new();
        for window in before.iter().rev() {
            text.push_str(&window.text);
            text.push(' ');
        }
        text.push_str(&found.excerpt);
        for window in &after {
            text.push(' ');
            text.push_str(&window.text);
        }
        if text.chars().count() <= EXCERPT_CHARS {
            found.excerpt = text;
        }
        if let Some(window) = before.last() {
            found.start_ms = found.start_ms.min(window.start_ms);
        }
        if let Some(window) = after.last() {
            found.end_ms = found.end_ms.max(window.end_ms);
        }
        (found, span)
    }
}

/// Returns the first and last of the sentences `first..=last` left when
/// those at either edge whose claim terms (by `terms_of` each sentence)
/// the others all hold are dropped, one at a time from the start, then
/// from the end. A sentence searched for nothing holds no claim term.
pub(super) fn trimmed<'a>(
    claim: &ClaimText,
    first: usize,
    last: usize,
    terms_of: impl Fn(usize) -> Option<&'a Vec<TermKey>>,
) -> (usize, usize) {
    let holds: Vec<Vec<bool>> = (first..=last)
        .map(|sentence| {
            let terms = terms_of(sentence);
            claim
                .terms
                .iter()
                .map(|(term, _)| terms.is_some_and(|t| t.contains(term)))
                .collect()
        })
        .collect();
    let (mut lo, mut hi) = (0, holds.len() - 1);
    let said_by_others = |edge: usize, lo: usize, hi: usize| {
        holds[edge].iter().enumerate().all(|(term, &held)| {
            !held || (lo..=hi).any(|other| other != edge && holds[other][term])
        })
    };
    while lo < hi && said_by_others(lo, lo, hi) {
        lo += 1;
    }
    while hi > lo && said_by_others(hi, lo, hi) {
        hi -= 1;
    }
    (first + lo, first + hi)
}

/// Returns the window of each sentence alone, by sentence index.
pub(super) fn single_sentence_windows(windows: &[Window]) -> Vec<Option<&Window>> {
    let count = windows.iter().map(|w| w.last + 1).max().unwrap_or(0);
    let mut singles = vec![None; count];
    for window in windows.iter().filter(|w| w.first == w.last) {
        singles[window.first] = Some(window);
    }
    singles
}

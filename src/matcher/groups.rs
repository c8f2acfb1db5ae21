//! Matches grouped: one match per claim text (several partners' checks
//! of it), one `auto` per stretch of the video.

use rustc_hash::FxHashMap as HashMap;

use super::stretches::overlap;
use super::types::{ClaimMatch, Level};

/// Folds matches of the same claim text (several partners checking the
/// same claim) into the best-ranked one, which lists the others, so one
/// video repeating it is one match and one hit.
pub(super) fn group_duplicates(matches: Vec<ClaimMatch>) -> Vec<ClaimMatch> {
    // The group of each match, numbered in order of first appearance (the
    // keys are whole claim texts: borrowed, not copied).
    let mut group_of_text: HashMap<&str, usize> = HashMap::default();
    let groups: Vec<usize> = matches
        .iter()
        .map(|found| {
            let next = group_of_text.len();
            *group_of_text.entry(&found.claim.text_key).or_insert(next)
        })
        .collect();
    drop(group_of_text);
    let mut grouped: Vec<ClaimMatch> = Vec::with_capacity(matches.len());
    for (found, group) in matches.into_iter().zip(groups) {
        if group == grouped.len() {
            grouped.push(found);
        } else {
            grouped[group].duplicates.push(found.claim);
        }
    }
    grouped
}

/// Keeps `auto` for the strongest of the claims one stretch of the video
/// matches: a match at `auto` whose time span overlaps that of a better
/// match at `auto` (`matches` is best first, duplicates of one text
/// already grouped) is sent to review. A sentence usually repeats one
/// claim; when it matches two distinct checks that well, the second is
/// most often a related claim (another statement on the same subject, the
/// same statement checked again on another day), and whether the video
/// repeats that one too is for a reviewer. Measured with `eval` on the
/// train splits: 6 of the 182 `auto` decisions on debate sentences were
/// such second matches, all wrong (auto precision 0.890 -> 0.920); 4 of
/// the 641 on snopes tweets, 3 wrong (0.978 -> 0.983). Stretches that do
/// not overlap (two claims at two moments of a transcript) each keep
/// theirs; a match sent to review holds no stretch. Text without timings
/// is one stretch.
pub(super) fn one_auto_per_stretch(mut matches: Vec<ClaimMatch>) -> Vec<ClaimMatch> {
    let mut kept: Vec<(u64, u64)> = Vec::new();
    for found in matches.iter_mut().filter(|m| m.level == Level::Auto) {
        let span = (found.start_ms, found.end_ms);
        if kept.iter().any(|other| overlap(*other, span)) {
            found.level = Level::Review;
            for said in &mut found.also_said {
                said.level = said.level.min(Level::Review);
            }
        } else {
            kept.push(span);
        }
    }
    matches
}

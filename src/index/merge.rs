//! Keeping the index small as claims change: a merge policy that merges
//! segments full of deleted claims, and a compaction after many changes.

use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::{IndexWriter, SegmentMeta};

/// A commit of at least this many changes (a partner's load, a rebuild)
/// is followed by merging the index into one segment, when it holds at
/// most `COMPACT_MAX_DOCS` claims. Every query term costs a dictionary
/// lookup and a scorer per segment: the 14,231 Snopes claims as one
/// segment instead of the two a load leaves answer about 1.1-1.25x the
/// requests per second (`bench`, alternating runs). Smaller commits, and
/// larger indexes, leave their segments to the background merge policy
/// (see `with_index`).
pub(super) const COMPACT_AFTER_CHANGES: usize = 1_000;

/// The largest index merged into one segment after a bulk commit: the
/// merge runs before the commit's caller gets its answer, and takes about
/// 0.4 s at this size on two cores. Merging after every batch of a
/// million-claim load instead rewrites the growing index each time (load
/// time measured 22 s -> 49 s).
pub(super) const COMPACT_MAX_DOCS: u32 = 200_000;

/// Merges every committed segment into one and waits for it, when the
/// index is small enough for that to be quick. A merge rewrites the index
/// without changing what it holds (the commit's payload stays), so failing
/// is harmless: the segments stay as they are.
pub(super) fn compact(writer: &mut IndexWriter) {
    let segments = match writer.index().searchable_segment_metas() {
        Ok(metas)
            if metas.len() > 1
                && metas.iter().map(|m| m.num_docs()).sum::<u32>() <= COMPACT_MAX_DOCS =>
        {
            metas.iter().map(|m| m.id()).collect::<Vec<_>>()
        }
        Ok(_) => return,
        Err(err) => {
            tracing::warn!(error = %err, "claim index segments unreadable, not merged");
            return;
        }
    };
    let started = std::time::Instant::now();
    match writer.merge(&segments).wait() {
        Ok(_) => tracing::debug!(
            segments = segments.len(),
            ms = started.elapsed().as_millis() as u64,
            "claim index merged into one segment"
        ),
        // A merge the background policy started holds some of the segments.
        Err(err) => tracing::debug!(error = %err, "claim index not merged"),
    }
}

/// The index is read thousands of times a second and written a few times
/// an hour. Past `COMPACT_MAX_DOCS` claims, segments merge in the
/// background as soon as two of a size exist (Tantivy waits for eight):
/// at 1,000,000 claims posts went from 840-1,000 to 1,085 per second, load
/// time unchanged. Below it, bulk commits merge everything themselves
/// (`compact`) and Tantivy's usual policy only gathers small commits: an
/// eager background merge would hold segments `compact` needs.
#[derive(Debug)]
pub(super) struct ClaimMergePolicy {
    eager: LogMergePolicy,
    usual: LogMergePolicy,
}

impl Default for ClaimMergePolicy {
    fn default() -> Self {
        let mut eager = LogMergePolicy::default();
        eager.set_min_num_segments(2);
        ClaimMergePolicy {
            eager,
            usual: LogMergePolicy::default(),
        }
    }
}

impl MergePolicy for ClaimMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
        if docs > u64::from(COMPACT_MAX_DOCS) {
            self.eager.compute_merge_candidates(segments)
        } else {
            self.usual.compute_merge_candidates(segments)
        }
    }
}

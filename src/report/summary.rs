//! Grouped counts over hits, computed in one pass in id order.

use rustc_hash::{FxHashMap, FxHashSet};

use super::group::GroupBy;
use crate::error::Result;
use crate::hits::{Action, HitFilter, HitStore, ReviewState};
use crate::vocab::{Level, Stance};

/// One of the claims repeated most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopClaim {
    /// Claim id.
    pub claim_id: String,
    /// Its partner.
    pub partner: String,
    /// Its verdict.
    pub verdict: crate::vocab::Verdict,
    /// Its text (filled from the claim store by the report journey).
    pub text: String,
    /// Its fact-check URL (likewise).
    pub review_url: String,
    /// Hits.
    pub hits: u64,
    /// Distinct videos.
    pub unique_videos: u64,
    /// Views reached.
    pub views: u64,
}

/// The counts of one group (or of everything).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryRow {
    /// One value per grouping dimension.
    pub keys: Vec<String>,
    /// Hits.
    pub hits: u64,
    /// Distinct videos.
    pub unique_videos: u64,
    /// Distinct claims.
    pub unique_claims: u64,
    /// Per video its largest view count, counted once.
    pub views: u64,
    /// Hits whose latest review confirmed them.
    pub confirmed: u64,
    /// Hits whose latest review rejected them.
    pub rejected: u64,
    /// Hits with no review.
    pub pending: u64,
    /// Auto-level hits.
    pub auto: u64,
    /// Review-level hits.
    pub review: u64,
    /// Confirmed hits whose video was removed.
    pub removed: u64,
    /// Confirmed hits whose video was labelled.
    pub labelled: u64,
    /// Confirmed hits whose distribution was limited.
    pub limited: u64,
    /// Hits whose video refutes its claim: counted here only, never in
    /// the counts above (videos repeating a claim).
    pub refutations: u64,
    /// Distinct videos with a confirmed repetition: what a published
    /// report states as videos that repeated a checked claim.
    pub confirmed_videos: u64,
    /// Distinct claims confirmed as repeated.
    pub confirmed_claims: u64,
    /// Views of the videos with a confirmed repetition (each video's
    /// largest count, once).
    pub confirmed_views: u64,
    /// Videos scanned in this group (see `GroupBy::scans_counted`; on the
    /// totals, filled by the report journey).
    pub scanned: u64,
    /// Auto-level hits no reviewer has looked at.
    pub auto_unreviewed: u64,
    /// First logging to first review, over reviewed hits, ms:
    /// median and 90th percentile (nearest rank).
    pub review_ms_median: u64,
    /// See `review_ms_median`.
    pub review_ms_p90: u64,
    /// First logging to the review recording the action in force, over
    /// actioned hits, ms.
    pub action_ms_median: u64,
    /// See `action_ms_median`.
    pub action_ms_p90: u64,
    /// Views of the videos with a confirmed repetition when each was
    /// first matched (each video once).
    pub matched_views: u64,
    /// Distinct videos actioned (removed, labelled or limited).
    pub actioned_videos: u64,
    /// Their views when the action was recorded (each video once, at its
    /// first action).
    pub action_views: u64,
}

/// Rows in key order, the totals, and the claims repeated most.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// One row per group.
    pub rows: Vec<SummaryRow>,
    /// Everything that passed the filter.
    pub totals: SummaryRow,
    /// The most-hit claims, most first.
    pub top_claims: Vec<TopClaim>,
    /// Distinct markets among the hits.
    pub markets: u64,
    /// Videos scored in the period and markets, matched or not (filled
    /// by the report journey from the hit store's scan counts).
    pub scanned: u64,
    /// The confidence from which a match is logged (filled by the report
    /// journey from the service's settings).
    pub review_threshold: f32,
    /// The confidence from which a match is `auto`.
    pub auto_threshold: f32,
}

/// Interns strings as small integers, allocating only on first sight.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(text.to_string(), id);
        id
    }
}

/// What a group's counts read of one hit.
#[derive(Clone, Copy)]
struct Counted {
    video: u32,
    claim: u32,
    views: u64,
    level: Level,
    state: ReviewState,
    action: Action,
    refutes: bool,
    first_views: u64,
    first_logged_ms: i64,
    review_ms: Option<i64>,
    actioned_at: Option<i64>,
    action_views: Option<u64>,
}

/// Running counts of one group.
#[derive(Default)]
struct Counts {
    row: SummaryRow,
    videos: FxHashMap<u32, u64>,
    claims: FxHashSet<u32>,
    confirmed_videos: FxHashMap<u32, u64>,
    confirmed_claims: FxHashSet<u32>,
    /// Per confirmed video, its views when first matched (the smallest
    /// first count of its hits: views only grow).
    matched_views: FxHashMap<u32, u64>,
    /// Per actioned video, its views at its first action.
    actioned: FxHashMap<u32, (i64, u64)>,
    review_ms: Vec<i64>,
    action_ms: Vec<i64>,
}

impl Counts {
    fn add(&mut self, hit: Counted) {
        let row = &mut self.row;
        // Counter-speech is counted apart, never as a video repeating a
        // falsehood.
        if hit.refutes {
            row.refutations += 1;
            return;
        }
        row.hits += 1;
        let max = self.videos.entry(hit.video).or_default();
        *max = (*max).max(hit.views);
        self.claims.insert(hit.claim);
        match hit.level {
            Level::Auto => row.auto += 1,
            Level::Review => row.review += 1,
            Level::None => {}
        }
        if let Some(took) = hit.review_ms {
            self.review_ms.push(took);
        }
        match hit.state {
            ReviewState::Pending => {
                row.pending += 1;
                if hit.level == Level::Auto {
                    row.auto_unreviewed += 1;
                }
            }
            ReviewState::Rejected => row.rejected += 1,
            ReviewState::Confirmed => {
                row.confirmed += 1;
                let max = self.confirmed_videos.entry(hit.video).or_default();
                *max = (*max).max(hit.views);
                self.confirmed_claims.insert(hit.claim);
                let first = self.matched_views.entry(hit.video).or_insert(u64::MAX);
                *first = (*first).min(hit.first_views);
                if let (Some(at), Some(views), false) = (
                    hit.actioned_at,
                    hit.action_views,
                    hit.action == Action::None,
                ) {
                    self.action_ms.push(at - hit.first_logged_ms);
                    // A video's first action; of two at once, the larger count.
                    let first = self.actioned.entry(hit.video).or_insert((at, views));
                    if at < first.0 || (at == first.0 && views > first.1) {
                        *first = (at, views);
                    }
                }
                match hit.action {
                    Action::Removed => row.removed += 1,
                    Action::Labelled => row.labelled += 1,
                    Action::Limited => row.limited += 1,
                    Action::None => {}
                }
            }
        }
    }

    fn finish(mut self, keys: Vec<String>) -> SummaryRow {
        self.row.keys = keys;
        self.row.unique_videos = self.videos.len() as u64;
        self.row.unique_claims = self.claims.len() as u64;
        self.row.views = self.videos.values().sum();
        self.row.confirmed_videos = self.confirmed_videos.len() as u64;
        self.row.confirmed_claims = self.confirmed_claims.len() as u64;
        self.row.confirmed_views = self.confirmed_videos.values().sum();
        self.row.matched_views = self.matched_views.values().sum();
        self.row.actioned_videos = self.actioned.len() as u64;
        self.row.action_views = self.actioned.values().map(|(_, views)| views).sum();
        (self.row.review_ms_median, self.row.review_ms_p90) = (
            percentile(&mut self.review_ms, 50),
            percentile(&mut self.review_ms, 90),
        );
        (self.row.action_ms_median, self.row.action_ms_p90) = (
            percentile(&mut self.action_ms, 50),
            percentile(&mut self.action_ms, 90),
        );
        self.row
    }
}

/// The `percent`th percentile of durations in ms, by nearest rank (the
/// smallest value at least `percent` % of them are at or below); 0 for
/// none.
fn percentile(durations: &mut [i64], percent: usize) -> u64 {
    if durations.is_empty() {
        return 0;
    }
    durations.sort_unstable();
    let rank = (percent * durations.len()).div_ceil(100).max(1);
    durations[rank - 1].max(0) as u64
}

/// Summarises the hits passing `filter`, grouped by `groups`, with the
/// `top` most-hit claims. Filtering happens in SQL; aggregation in one
/// pass over the few columns it needs, with interned ids, so a
/// half-year of a national election (a million hits) takes about a
/// second. Blocking.
pub fn summarize(
    store: &HitStore,
    filter: &HitFilter,
    groups: &[GroupBy],
    top: usize,
) -> Result<Summary> {
    {
        let (mut videos, mut claims, mut markets) = (
            Interner::default(),
            Interner::default(),
            Interner::default(),
        );
        let mut totals = Counts::default();
        let mut group_ids: FxHashMap<String, usize> = FxHashMap::default();
        let mut group_counts: Vec<(Vec<String>, Counts)> = Vec::new();
        // Per claim: partner, verdict, hits, views (one hit per video and claim).
        let mut per_claim: FxHashMap<u32, (String, String, u64, u64)> = FxHashMap::default();
        let mut key = String::new();
        let mut time_keys: FxHashMap<i64, [String; 3]> = FxHashMap::default();
        store.for_each_counted(filter, |hit| {
            let video = videos.id(hit.video_id);
            let claim = claims.id(hit.claim_id);
            markets.id(hit.market);
            let (level, observed_ms, views) = (hit.level, hit.observed_ms, hit.view_count);
            let (state, action) = (hit.state, hit.action);
            let refutes = hit.stance == Stance::Refutes;
            let since_logged = |at: Option<i64>| at.map(|at| at - hit.first_logged_ms);
            let counted = Counted {
                video,
                claim,
                views,
                level,
                state,
                action,
                refutes,
                first_views: hit.first_views,
                review_ms: since_logged(hit.first_reviewed_ms)
                    .filter(|_| state != ReviewState::Pending),
                first_logged_ms: hit.first_logged_ms,
                actioned_at: hit.actioned_ms,
                action_views: hit.action_views,
            };
            totals.add(counted);
            // The claims repeated most, on confirmed repetitions: a hit a
            // reviewer rejected is a false match, a pending one is not yet
            // a finding, and refutations are not repetitions.
            if !refutes && state == ReviewState::Confirmed {
                let entry = per_claim
                    .entry(claim)
                    .or_insert_with(|| (String::new(), String::new(), 0, 0));
                if entry.2 == 0 {
                    entry.0 = hit.partner.to_string();
                    entry.1 = hit.verdict.to_string();
                }
                entry.2 += 1;
                entry.3 += views;
            }
            if groups.is_empty() {
                return Ok(());
            }
            // Each dimension's values for this hit: borrowed from the row or
            // from caches, owned only for elections (a hit may have several).
            let day = observed_ms.div_euclid(86_400_000);
            let times = time_keys.entry(day).or_insert_with(|| {
                let at = chrono::DateTime::from_timestamp_millis(observed_ms).unwrap_or_default();
                [
                    at.format("%Y-%m").to_string(),
                    at.format("%Y-%m-%d").to_string(),
                    at.format("%G-W%V").to_string(),
                ]
            });
            let elections: Vec<String> = if groups.contains(&GroupBy::Election) {
                let parsed = hit.elections();
                if parsed.is_empty() {
                    vec![String::new()]
                } else {
                    parsed
                }
            } else {
                Vec::new()
            };
            let shown_action = if state == ReviewState::Confirmed {
                action
            } else {
                Action::None
            };
            let mut combos: Vec<Vec<&str>> = vec![Vec::with_capacity(groups.len())];
            for group in groups {
                let single: &str = match group {
                    GroupBy::Market => hit.market,
                    GroupBy::Partner => hit.partner,
                    GroupBy::Verdict => hit.verdict,
                    GroupBy::Language => hit.language,
                    GroupBy::Source => hit.source,
                    GroupBy::Claim => hit.claim_id,
                    GroupBy::Level => level.as_str(),
                    GroupBy::Month => &times[0],
                    GroupBy::Day => &times[1],
                    GroupBy::Week => &times[2],
                    GroupBy::Topic => hit.topic,
                    GroupBy::Outcome => state.as_str(),
                    GroupBy::Action => shown_action.as_str(),
                    GroupBy::Election => {
                        combos = combos
                            .into_iter()
                            .flat_map(|prefix| {
                                elections.iter().map(move |e| {
                                    let mut next = prefix.clone();
                                    next.push(e.as_str());
                                    next
                                })
                            })
                            .collect();
                        continue;
                    }
                };
                for combo in &mut combos {
                    combo.push(single);
                }
            }
            for combo in combos {
                key.clear();
                for part in &combo {
                    key.push_str(part);
                    key.push('\u{1f}');
                }
                let at = match group_ids.get(key.as_str()) {
                    Some(at) => *at,
                    None => {
                        group_ids.insert(key.clone(), group_counts.len());
                        group_counts.push((
                            combo.iter().map(|s| s.to_string()).collect(),
                            Counts::default(),
                        ));
                        group_counts.len() - 1
                    }
                };
                group_counts[at].1.add(counted);
            }
            Ok(())
        })?;
        let claim_names: FxHashMap<u32, String> = claims
            .ids
            .into_iter()
            .map(|(name, id)| (id, name))
            .collect();
        let mut top_claims: Vec<TopClaim> = per_claim
            .into_iter()
            .map(|(id, (partner, verdict, hits, views))| TopClaim {
                claim_id: claim_names.get(&id).cloned().unwrap_or_default(),
                partner,
                verdict: crate::vocab::Verdict::from_name(&verdict).unwrap_or_default(),
                hits,
                unique_videos: hits,
                views,
                ..TopClaim::default()
            })
            .collect();
        top_claims.sort_by(|a, b| {
            b.hits
                .cmp(&a.hits)
                .then(b.views.cmp(&a.views))
                .then_with(|| a.claim_id.cmp(&b.claim_id))
        });
        top_claims.truncate(top);
        let mut rows: Vec<SummaryRow> = group_counts
            .into_iter()
            .map(|(keys, counts)| counts.finish(keys))
            .collect();
        rows.sort_by(|a, b| a.keys.cmp(&b.keys));
        Ok(Summary {
            rows,
            totals: totals.finish(Vec::new()),
            top_claims,
            markets: markets.ids.len() as u64,
            ..Summary::default()
        })
    }
}

#[cfg(test)]
mod tests;

//! Grouped counts over hits, computed in one pass in id order.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::Result;
use crate::hits::{Action, Hit, HitFilter, HitStore, Outcome};
use crate::matcher::Level;

/// A dimension to group hits by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Market code.
    Market,
    /// Fact-check partner.
    Partner,
    /// Normalised verdict.
    Verdict,
    /// Content language.
    Language,
    /// Content source.
    Source,
    /// Claim id.
    Claim,
    /// Match level.
    Level,
    /// Month observed, `YYYY-MM`.
    Month,
    /// Election; a hit for a claim in two elections counts in both groups.
    Election,
    /// Latest review: pending, confirmed or rejected.
    Outcome,
    /// Action taken on confirmed hits (none for others).
    Action,
    /// Day observed, `YYYY-MM-DD`.
    Day,
    /// ISO week observed, `YYYY-Www`.
    Week,
}

impl GroupBy {
    /// Every dimension.
    pub const ALL: [GroupBy; 13] = [
        GroupBy::Market,
        GroupBy::Partner,
        GroupBy::Verdict,
        GroupBy::Language,
        GroupBy::Source,
        GroupBy::Claim,
        GroupBy::Level,
        GroupBy::Month,
        GroupBy::Election,
        GroupBy::Outcome,
        GroupBy::Action,
        GroupBy::Day,
        GroupBy::Week,
    ];

    /// Returns the snake_case name (also the column header).
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Market => "market",
            GroupBy::Partner => "partner",
            GroupBy::Verdict => "verdict",
            GroupBy::Language => "language",
            GroupBy::Source => "source",
            GroupBy::Claim => "claim",
            GroupBy::Level => "level",
            GroupBy::Month => "month",
            GroupBy::Election => "election",
            GroupBy::Outcome => "outcome",
            GroupBy::Action => "action",
            GroupBy::Day => "day",
            GroupBy::Week => "week",
        }
    }

    /// Returns the dimension with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        GroupBy::ALL.into_iter().find(|g| g.as_str() == name)
    }
}

/// One of the claims repeated most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopClaim {
    /// Claim id.
    pub claim_id: String,
    /// Its partner.
    pub partner: String,
    /// Its verdict.
    pub verdict: crate::claims::Verdict,
    /// Its text (filled from the claim store by the engine).
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
}

/// Rows in key order, the totals, and the claims repeated most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// One row per group.
    pub rows: Vec<SummaryRow>,
    /// Everything that passed the filter.
    pub totals: SummaryRow,
    /// The most-hit claims, most first.
    pub top_claims: Vec<TopClaim>,
    /// Distinct markets among the hits.
    pub markets: u64,
}

#[derive(Default)]
struct Accumulator {
    row: SummaryRow,
    videos: HashMap<String, u64>,
    claims: HashSet<String>,
}

impl Accumulator {
    fn add(&mut self, hit: &Hit) {
        let row = &mut self.row;
        row.hits += 1;
        let views = self.videos.entry(hit.hit.video_id.clone()).or_default();
        *views = (*views).max(hit.hit.view_count);
        self.claims.insert(hit.hit.claim_id.clone());
        match hit.hit.level {
            Level::Auto => row.auto += 1,
            Level::Review => row.review += 1,
            Level::None => {}
        }
        match &hit.review {
            None => row.pending += 1,
            Some(review) if review.outcome == Outcome::Rejected => row.rejected += 1,
            Some(review) => {
                row.confirmed += 1;
                match review.action {
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
        self.row
    }
}

/// Returns the values of one dimension for a hit (several for elections).
fn key_values(hit: &Hit, group: GroupBy) -> Vec<String> {
    let h = &hit.hit;
    match group {
        GroupBy::Market => vec![h.market.clone()],
        GroupBy::Partner => vec![h.partner.clone()],
        GroupBy::Verdict => vec![h.verdict.as_str().to_string()],
        GroupBy::Language => vec![h.language.clone()],
        GroupBy::Source => vec![h.source.as_str().to_string()],
        GroupBy::Claim => vec![h.claim_id.clone()],
        GroupBy::Level => vec![h.level.as_str().to_string()],
        GroupBy::Month => vec![h.observed_at.format("%Y-%m").to_string()],
        GroupBy::Election if h.elections.is_empty() => vec![String::new()],
        GroupBy::Election => h.elections.clone(),
        GroupBy::Outcome => vec![crate::hits::ReviewState::of(hit).as_str().to_string()],
        GroupBy::Action => vec![match &hit.review {
            Some(review) if review.outcome == Outcome::Confirmed => {
                review.action.as_str().to_string()
            }
            _ => Action::None.as_str().to_string(),
        }],
        GroupBy::Day => vec![h.observed_at.format("%Y-%m-%d").to_string()],
        GroupBy::Week => vec![h.observed_at.format("%G-W%V").to_string()],
    }
}

/// Returns every combination of key values of a hit.
fn group_keys(hit: &Hit, groups: &[GroupBy]) -> Vec<Vec<String>> {
    let mut keys = vec![Vec::new()];
    for group in groups {
        let values = key_values(hit, *group);
        keys = keys
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |value| {
                    let mut key = prefix.clone();
                    key.push(value.clone());
                    key
                })
            })
            .collect();
    }
    keys
}

/// Summarises the hits passing `filter`, grouped by `groups`, with the
/// `top` most-hit claims. Blocking.
pub fn summarize(
    store: &HitStore,
    filter: &HitFilter,
    groups: &[GroupBy],
    top: usize,
) -> Result<Summary> {
    let mut totals = Accumulator::default();
    let mut rows: BTreeMap<Vec<String>, Accumulator> = BTreeMap::new();
    let mut claims: HashMap<String, (TopClaim, HashMap<String, u64>)> = HashMap::new();
    let mut markets: HashSet<String> = HashSet::new();
    store.scan(filter, 0, |hit| {
        totals.add(&hit);
        if !markets.contains(&hit.hit.market) {
            markets.insert(hit.hit.market.clone());
        }
        let (claim, videos) = claims.entry(hit.hit.claim_id.clone()).or_insert_with(|| {
            let claim = TopClaim {
                claim_id: hit.hit.claim_id.clone(),
                partner: hit.hit.partner.clone(),
                verdict: hit.hit.verdict,
                ..TopClaim::default()
            };
            (claim, HashMap::new())
        });
        claim.hits += 1;
        let views = videos.entry(hit.hit.video_id.clone()).or_default();
        *views = (*views).max(hit.hit.view_count);
        if !groups.is_empty() {
            for key in group_keys(&hit, groups) {
                rows.entry(key).or_default().add(&hit);
            }
        }
        true
    })?;
    let mut top_claims: Vec<TopClaim> = claims
        .into_values()
        .map(|(mut claim, videos)| {
            claim.unique_videos = videos.len() as u64;
            claim.views = videos.values().sum();
            claim
        })
        .collect();
    top_claims.sort_by(|a, b| {
        b.hits
            .cmp(&a.hits)
            .then(b.views.cmp(&a.views))
            .then_with(|| a.claim_id.cmp(&b.claim_id))
    });
    top_claims.truncate(top);
    Ok(Summary {
        rows: rows
            .into_iter()
            .map(|(keys, acc)| acc.finish(keys))
            .collect(),
        totals: totals.finish(Vec::new()),
        top_claims,
        markets: markets.len() as u64,
    })
}

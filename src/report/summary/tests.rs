//! Tests of `summary`.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::*;
use crate::hits::{Action, Hit, NewHit, Outcome, ReviewInput, ReviewState};
use crate::store::block_on;
use crate::vocab::{ContentSource, Verdict};

/// The reference the SQL version is checked against: every hit read,
/// counted one by one.
#[derive(Default)]
struct Accumulator {
    row: SummaryRow,
    videos: HashMap<String, u64>,
    claims: HashSet<String>,
    confirmed_videos: HashMap<String, u64>,
    confirmed_claims: HashSet<String>,
    matched_views: HashMap<String, u64>,
    actioned: HashMap<String, (i64, u64)>,
    review_ms: Vec<i64>,
    action_ms: Vec<i64>,
}

/// A hit with every review it had, oldest first.
struct Reviewed {
    hit: Hit,
    history: Vec<crate::hits::Review>,
}

/// When the action in force was first recorded, read from the review
/// history: the start of the latest run of confirmations with that action.
fn action_since(history: &[crate::hits::Review]) -> Option<i64> {
    let mut since = None;
    let mut previous = None;
    for review in history {
        let action = (review.outcome == Outcome::Confirmed && review.action != Action::None)
            .then_some(review.action);
        if action.is_none() {
            since = None;
        } else if action != previous {
            since = Some(review.reviewed_at.timestamp_millis());
        }
        previous = action;
    }
    since
}

/// The nearest-rank percentile (written again here, as the reference).
fn percentile_ms(mut values: Vec<i64>, percent: f64) -> u64 {
    if values.is_empty() {
        return 0;
    }
    values.sort();
    let rank = ((percent / 100.0) * values.len() as f64).ceil().max(1.0) as usize;
    values[rank - 1] as u64
}

impl Accumulator {
    fn add(&mut self, reviewed: &Reviewed) {
        let hit = &reviewed.hit;
        let row = &mut self.row;
        if hit.hit.stance == crate::vocab::Stance::Refutes {
            row.refutations += 1;
            return;
        }
        row.hits += 1;
        let views = self.videos.entry(hit.hit.video_id.clone()).or_default();
        *views = (*views).max(hit.hit.view_count);
        self.claims.insert(hit.hit.claim_id.clone());
        match hit.hit.level {
            Level::Auto => row.auto += 1,
            Level::Review => row.review += 1,
            Level::None => {}
        }
        let logged = hit.first_logged_at.timestamp_millis();
        if let Some(first) = reviewed.history.first() {
            self.review_ms
                .push(first.reviewed_at.timestamp_millis() - logged);
        }
        match &hit.review {
            None => {
                row.pending += 1;
                if hit.hit.level == Level::Auto {
                    row.auto_unreviewed += 1;
                }
            }
            Some(review) if review.outcome == Outcome::Rejected => row.rejected += 1,
            Some(review) => {
                row.confirmed += 1;
                // Each hit is logged once in these tests: its views then
                // are its views at matching and at action.
                let first = self
                    .matched_views
                    .entry(hit.hit.video_id.clone())
                    .or_insert(u64::MAX);
                *first = (*first).min(hit.hit.view_count);
                if let Some(since) = action_since(&reviewed.history) {
                    self.action_ms.push(since - logged);
                    let first = self
                        .actioned
                        .entry(hit.hit.video_id.clone())
                        .or_insert((since, hit.hit.view_count));
                    if since < first.0 || (since == first.0 && hit.hit.view_count > first.1) {
                        *first = (since, hit.hit.view_count);
                    }
                }
                let views = self
                    .confirmed_videos
                    .entry(hit.hit.video_id.clone())
                    .or_default();
                *views = (*views).max(hit.hit.view_count);
                self.confirmed_claims.insert(hit.hit.claim_id.clone());
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
        self.row.confirmed_videos = self.confirmed_videos.len() as u64;
        self.row.confirmed_claims = self.confirmed_claims.len() as u64;
        self.row.confirmed_views = self.confirmed_videos.values().sum();
        self.row.matched_views = self.matched_views.values().sum();
        self.row.actioned_videos = self.actioned.len() as u64;
        self.row.action_views = self.actioned.values().map(|(_, v)| v).sum();
        self.row.review_ms_median = percentile_ms(self.review_ms.clone(), 50.0);
        self.row.review_ms_p90 = percentile_ms(self.review_ms.clone(), 90.0);
        self.row.action_ms_median = percentile_ms(self.action_ms.clone(), 50.0);
        self.row.action_ms_p90 = percentile_ms(self.action_ms, 90.0);
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
        GroupBy::Topic => vec![h.topic.clone()],
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

/// Summarises by reading every hit; the reference the SQL version is
/// checked against.
fn summarize_by_scan(
    store: &HitStore,
    filter: &HitFilter,
    groups: &[GroupBy],
    top: usize,
) -> Result<Summary> {
    let mut totals = Accumulator::default();
    let mut rows: BTreeMap<Vec<String>, Accumulator> = BTreeMap::new();
    let mut claims: HashMap<String, (TopClaim, HashMap<String, u64>)> = HashMap::new();
    let mut markets: HashSet<String> = HashSet::new();
    let mut read = Vec::new();
    store.scan(filter, 0, |hit| {
        read.push(hit);
        true
    })?;
    for hit in read {
        let history = store.review_history(hit.id)?;
        let reviewed = Reviewed { hit, history };
        let hit = &reviewed.hit;
        totals.add(&reviewed);
        if !markets.contains(&hit.hit.market) {
            markets.insert(hit.hit.market.clone());
        }
        if !groups.is_empty() {
            for key in group_keys(hit, groups) {
                rows.entry(key).or_default().add(&reviewed);
            }
        }
        let confirmed = hit
            .review
            .as_ref()
            .is_some_and(|r| r.outcome == Outcome::Confirmed);
        if hit.hit.stance == crate::vocab::Stance::Refutes || !confirmed {
            continue;
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
    }
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
        ..Summary::default()
    })
}

#[test]
fn sql_summaries_agree_with_a_full_scan() -> Result<()> {
    let dir = tempfile::tempdir()?;
    summaries_agree(&HitStore::open_in(dir.path())?)?;
    let pg = crate::store::scratch::ScratchPostgres::start()?;
    summaries_agree(&HitStore::postgres(crate::store::PgPool::connect(
        pg.url(),
        2,
    )?)?)
}

fn summaries_agree(store: &HitStore) -> Result<()> {
    let start_ms = 1_640_995_200_000i64;
    for i in 0..400usize {
        let hit = NewHit {
            video_id: format!("v{}", i % 97),
            claim_id: format!("c{}", i % 13),
            // A claim has one partner and one verdict.
            partner: format!("p{}", (i % 13) % 3),
            verdict: Verdict::ALL[(i % 13) % 4],
            market: ["BR", "MX", "CO"][i % 3].into(),
            language: ["pt", "es"][i % 2].into(),
            source: ContentSource::ALL[i % 5],
            confidence: 0.7,
            level: if i % 5 == 0 {
                Level::Auto
            } else {
                Level::Review
            },
            start_ms: 0,
            end_ms: 1,
            excerpt: String::new(),
            observed_at: chrono::DateTime::from_timestamp_millis(
                start_ms + (i as i64 * 3_600_000 * 17) % (200 * 86_400_000),
            )
            .unwrap_or_default(),
            view_count: (i as u64 * 7919) % 1000,
            elections: match i % 3 {
                0 => vec![],
                1 => vec!["e1".into()],
                _ => vec!["e1".into(), "e2".into()],
            },
            also_claim_ids: Vec::new(),
            stance: Default::default(),
            topic: crate::claims::topic::TOPICS[i % 5].into(),
            // Found by meaning alone, by words and meaning, by words with
            // the encoder not run, and nothing known (hits logged before).
            matched_terms: match i % 4 {
                0 | 3 => Vec::new(),
                _ => vec!["urnas".into()],
            },
            meaning: (i % 4 < 2).then_some(0.5),
        };
        let id = block_on(store.log(vec![hit]))?[0];
        let review = |outcome, action| {
            block_on(store.review(ReviewInput {
                hit_id: id,
                outcome,
                action,
                reviewer: "r".into(),
                note: String::new(),
                view_count: None,
            }))
        };
        if i % 4 != 3 {
            let (outcome, action) = [
                (Outcome::Confirmed, Action::Removed),
                (Outcome::Confirmed, Action::Labelled),
                (Outcome::Rejected, Action::None),
            ][i % 3];
            review(outcome, action)?;
        }
        // Reviewers change their minds: the same action again keeps its
        // time, another action or a rejection starts over.
        match i % 7 {
            0 => review(Outcome::Confirmed, Action::Labelled)?,
            1 => review(Outcome::Confirmed, Action::Removed)?,
            2 => review(Outcome::Rejected, Action::None)?,
            _ => {}
        }
    }
    let filters = [
        HitFilter::default(),
        HitFilter {
            from: chrono::DateTime::from_timestamp_millis(start_ms + 30 * 86_400_000),
            to: chrono::DateTime::from_timestamp_millis(start_ms + 120 * 86_400_000),
            markets: vec!["BR".into(), "CO".into()],
            outcomes: vec![ReviewState::Confirmed, ReviewState::Pending],
            ..HitFilter::default()
        },
        HitFilter {
            elections: vec!["e2".into()],
            levels: vec![Level::Review],
            verdicts: vec![Verdict::False, Verdict::Misleading],
            ..HitFilter::default()
        },
        HitFilter {
            topics: vec!["voting_machines".into(), "voter_documents".into()],
            claim_ids: vec!["c1".into(), "c2".into(), "c5".into()],
            stances: vec![crate::vocab::Stance::Repeats],
            ..HitFilter::default()
        },
        HitFilter {
            by_meaning_alone: true,
            outcomes: vec![ReviewState::Confirmed],
            ..HitFilter::default()
        },
    ];
    // The hits found by meaning alone are some of them, not all.
    let alone = HitFilter {
        by_meaning_alone: true,
        ..HitFilter::default()
    };
    let (every, found_alone) = (
        store.list(&HitFilter::default(), 0, 1000)?,
        store.list(&alone, 0, 1000)?,
    );
    assert!(!found_alone.is_empty() && found_alone.len() < every.len());
    assert!(
        found_alone
            .iter()
            .all(|h| h.hit.matched_terms.is_empty() && h.hit.meaning.is_some())
    );
    let groupings: [&[GroupBy]; 5] = [
        &[],
        &[GroupBy::Market, GroupBy::Month],
        &[GroupBy::Topic],
        &[GroupBy::Election, GroupBy::Outcome, GroupBy::Action],
        &[
            GroupBy::Week,
            GroupBy::Level,
            GroupBy::Source,
            GroupBy::Verdict,
        ],
    ];
    for filter in &filters {
        for groups in groupings {
            let by_sql = summarize(store, filter, groups, 5)?;
            let by_scan = summarize_by_scan(store, filter, groups, 5)?;
            assert_eq!(by_sql.totals, by_scan.totals, "{groups:?} {filter:?}");
            assert_eq!(by_sql.rows, by_scan.rows, "{groups:?} {filter:?}");
            assert_eq!(by_sql.markets, by_scan.markets);
            assert_eq!(
                by_sql.top_claims, by_scan.top_claims,
                "{groups:?} {filter:?}"
            );
        }
    }
    Ok(())
}

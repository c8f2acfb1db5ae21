//! Tests of `summary`.

use super::*;
use crate::hits::{Action, NewHit, Outcome, ReviewInput, ReviewState};
use crate::store::block_on;
use crate::vocab::ContentSource;
use crate::vocab::Verdict;

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
        };
        let id = block_on(store.log(vec![hit]))?[0];
        if i % 4 != 3 {
            let (outcome, action) = [
                (Outcome::Confirmed, Action::Removed),
                (Outcome::Confirmed, Action::Labelled),
                (Outcome::Rejected, Action::None),
            ][i % 3];
            block_on(store.review(ReviewInput {
                hit_id: id,
                outcome,
                action,
                reviewer: "r".into(),
                note: String::new(),
            }))?;
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
    ];
    let groupings: [&[GroupBy]; 4] = [
        &[],
        &[GroupBy::Market, GroupBy::Month],
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

//! Tests of `store`.

use chrono::Utc;

use super::*;
use crate::hits::{Action, Outcome};
use crate::store::block_on;
use crate::store::scratch::ScratchPostgres;
use crate::vocab::{ContentSource, Level, Verdict};

/// Runs a test against a SQLite store in a temporary directory and a
/// store in a scratch PostgreSQL; `reopen` opens the same store again.
fn on_each_backend(test: impl Fn(&dyn Fn() -> Result<HitStore>) -> Result<()>) -> Result<()> {
    let dir = tempfile::tempdir()?;
    test(&|| HitStore::open_in(dir.path()))?;
    let pg = ScratchPostgres::start()?;
    let pool = PgPool::connect(pg.url(), 2)?;
    test(&|| HitStore::postgres(pool.clone()))
}

fn new_hit(video: &str, claim: &str, confidence: f32, views: u64) -> NewHit {
    NewHit {
        video_id: video.into(),
        claim_id: claim.into(),
        partner: "p".into(),
        verdict: Verdict::False,
        market: "BR".into(),
        language: "pt".into(),
        source: ContentSource::Caption,
        confidence,
        level: Level::Review,
        start_ms: 1000,
        end_ms: 2000,
        excerpt: format!("excerpt {confidence}"),
        observed_at: Utc::now(),
        view_count: views,
        elections: vec!["br-2022".into()],
        also_claim_ids: Vec::new(),
        stance: Default::default(),
        topic: "voting_machines".into(),
        matched_terms: vec!["urnas".into()],
        meaning: None,
    }
}

#[test]
fn a_failed_write_is_retried_by_the_next_instead_of_disabling_the_store() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let store = HitStore::open_in(dir.path())?;
    block_on(store.log(vec![new_hit("v1", "c", 0.7, 1)]))?;
    // Another connection takes the table away: the next write fails.
    let other = Connection::open(dir.path().join("hits.db"))?;
    other.execute_batch("ALTER TABLE hits RENAME TO hits_away")?;
    let failed = block_on(store.log(vec![new_hit("v2", "c", 0.7, 1)]));
    assert!(matches!(failed, Err(Error::Unavailable(_))), "{failed:?}");
    assert!(
        store.writer_health().failing().is_some(),
        "health says the log is failing"
    );
    // Put back, the store takes writes again: nothing was left half done.
    other.execute_batch("ALTER TABLE hits_away RENAME TO hits")?;
    block_on(store.log(vec![new_hit("v2", "c", 0.7, 1)]))?;
    assert_eq!(store.writer_health().failing(), None);
    let videos: Vec<String> = store
        .list(&HitFilter::default(), 0, 10)?
        .into_iter()
        .map(|hit| hit.hit.video_id)
        .collect();
    assert_eq!(videos, ["v1", "v2"]);
    Ok(())
}

#[test]
fn same_video_and_claim_update_one_hit() -> Result<()> {
    on_each_backend(|open| {
        let store = open()?;
        same_pair_one_hit(&store)
    })
}

fn same_pair_one_hit(store: &HitStore) -> Result<()> {
    let first = block_on(store.log(vec![
        new_hit("v1", "c1", 0.6, 10),
        new_hit("v1", "c2", 0.7, 10),
    ]))?;
    let again = block_on(store.log(vec![new_hit("v1", "c1", 0.9, 5)]))?;
    // The same pair twice in one call: one hit, seen twice more.
    let twice = block_on(store.log(vec![
        new_hit("v2", "c1", 0.5, 1),
        new_hit("v2", "c1", 0.8, 3),
    ]))?;
    assert_eq!(twice[0], twice[1]);
    let hit = store.get(twice[0])?.expect("hit");
    assert_eq!((hit.times_seen, hit.hit.view_count), (2, 3));
    assert_eq!(hit.hit.excerpt, "excerpt 0.8");
    assert_eq!(again[0], first[0]);
    assert_ne!(first[0], first[1]);
    let hit = store.get(first[0])?.expect("hit");
    assert_eq!(hit.times_seen, 2);
    assert_eq!(hit.hit.view_count, 10);
    assert!((hit.hit.confidence - 0.9).abs() < 1e-6);
    assert_eq!(hit.hit.excerpt, "excerpt 0.9");
    assert_eq!(store.list(&HitFilter::default(), 0, 10)?.len(), 3);
    Ok(())
}

#[test]
fn a_hit_keeps_why_its_surest_sighting_matched() -> Result<()> {
    on_each_backend(|open| {
        let store = open()?;
        let sighting = |confidence: f32, terms: &[&str], meaning: Option<f32>| NewHit {
            matched_terms: terms.iter().map(|t| t.to_string()).collect(),
            meaning,
            ..new_hit("v1", "c1", confidence, 10)
        };
        // By words, then surer by meaning alone (a retelling in other
        // words), then by words again but less sure.
        let ids = block_on(store.log(vec![sighting(0.6, &["urnas", "votos"], None)]))?;
        let hit = store.get(ids[0])?.expect("hit");
        assert_eq!(hit.hit.matched_terms, ["urnas", "votos"]);
        assert_eq!(hit.hit.meaning, None);
        block_on(store.log(vec![sighting(0.8, &[], Some(0.7))]))?;
        block_on(store.log(vec![sighting(0.7, &["urnas"], None)]))?;
        let hit = open()?.get(ids[0])?.expect("hit");
        assert_eq!(hit.times_seen, 3);
        assert!(
            hit.hit.matched_terms.is_empty(),
            "{:?}",
            hit.hit.matched_terms
        );
        let meaning = hit.hit.meaning.expect("the surest sighting's cosine");
        assert!((meaning - 0.7).abs() < 1e-6, "{meaning}");
        Ok(())
    })
}

#[test]
fn reviews_keep_history_and_latest_counts() -> Result<()> {
    on_each_backend(|open| {
        let store = open()?;
        reviews_keep_history(&store)
    })
}

fn reviews_keep_history(store: &HitStore) -> Result<()> {
    let id = block_on(store.log(vec![new_hit("v1", "c1", 0.6, 10)]))?[0];
    let review = |outcome, action| ReviewInput {
        hit_id: id,
        outcome,
        action,
        reviewer: "ana".into(),
        note: String::new(),
        view_count: None,
    };
    block_on(store.review(review(Outcome::Confirmed, Action::Labelled)))?;
    block_on(store.review(review(Outcome::Rejected, Action::None)))?;
    let hit = store.get(id)?.expect("hit");
    assert_eq!(hit.review.map(|r| r.outcome), Some(Outcome::Rejected));
    assert_eq!(store.review_history(id)?.len(), 2);
    let missing = block_on(store.review(ReviewInput {
        hit_id: 999,
        ..review(Outcome::Confirmed, Action::None)
    }));
    assert!(matches!(missing, Err(Error::NotFound(_))));
    Ok(())
}

#[test]
fn concurrent_callers_all_get_committed_ids() -> Result<()> {
    on_each_backend(|open| {
        let store = std::sync::Arc::new(open()?);
        let logged = block_on(async {
            let mut tasks = Vec::new();
            for i in 0..50 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    store
                        .log(vec![new_hit(&format!("v{i}"), "c", 0.5, 1)])
                        .await
                }));
            }
            let mut ids = Vec::new();
            for task in tasks {
                ids.extend(task.await??);
            }
            Ok::<_, Error>(ids)
        })?;
        assert_eq!(logged.len(), 50);
        store.close();
        let reopened = open()?;
        assert_eq!(reopened.list(&HitFilter::default(), 0, 100)?.len(), 50);
        Ok(())
    })
}

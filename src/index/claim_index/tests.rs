//! Tests of `claim_index`.

use tantivy::schema::IndexRecordOption;

use super::*;
use crate::claims::load::ParsedClaim;

fn parsed(id: &str, text: &str) -> ParsedClaim {
    ParsedClaim {
        position: String::new(),
        line: 1,
        claim: Claim {
            id: id.into(),
            partner: "p".into(),
            text: text.into(),
            language: "en".into(),
            ..Claim::default()
        },
        raw: "{}".into(),
    }
}

fn ids(index: &ClaimIndex, word: &str) -> Vec<String> {
    let searcher = index.searcher();
    let term = Term::from_field_text(index.fields().folded, word);
    let query = tantivy::query::TermQuery::new(term, IndexRecordOption::Basic);
    let top = searcher
        .search(
            &query,
            &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
        )
        .unwrap();
    let mut ids: Vec<String> = top
        .into_iter()
        .map(|(_, a)| index.card(&searcher, a).unwrap().id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn follows_inserts_updates_and_retractions() -> Result<()> {
    let store = ClaimStore::open_in_memory()?;
    let index = ClaimIndex::in_memory(&store)?;
    store.write_batch(&[parsed("a", "ballots burned"), parsed("b", "ballots lost")])?;
    assert_eq!(index.catch_up(&store)?, 2);
    assert_eq!(ids(&index, "ballots"), ["a", "b"]);
    store.write_batch(&[parsed("b", "votes lost")])?;
    store.retract("a", None)?;
    assert_eq!(index.catch_up(&store)?, 2);
    assert!(ids(&index, "ballots").is_empty());
    assert_eq!(ids(&index, "votes"), ["b"]);
    assert_eq!(index.applied_sequence(), store.sequence()?);
    assert_eq!(index.catch_up(&store)?, 0, "nothing new, nothing applied");
    assert_eq!(index.rebuild(&store)?, 2);
    assert_eq!(index.searcher().num_docs(), 1);
    Ok(())
}

#[test]
fn a_bulk_load_is_searched_as_one_segment_and_keeps_its_payload() -> Result<()> {
    let store = ClaimStore::open_in_memory()?;
    let index = ClaimIndex::in_memory(&store)?;
    let claims: Vec<ParsedClaim> = (0..COMPACT_AFTER_CHANGES + 200)
        .map(|i| parsed(&format!("c{i}"), &format!("ballots number {i} were burned")))
        .collect();
    // Written in two commits, the first too small to merge after.
    store.write_batch(&claims[..200])?;
    index.catch_up(&store)?;
    store.write_batch(&claims[200..])?;
    index.catch_up(&store)?;
    let searcher = index.searcher();
    assert_eq!(searcher.segment_readers().len(), 1);
    assert_eq!(searcher.num_docs() as usize, claims.len());
    assert_eq!(ids(&index, "7"), ["c7"]);
    // The merge kept the commit's record of how far the index got.
    let payload: Payload =
        serde_json::from_str(&index_metas(&index)?.payload.expect("a committed payload"))
            .map_err(|err| Error::Internal(err.to_string()))?;
    assert_eq!(payload.seq, store.sequence()?);
    Ok(())
}

fn index_metas(index: &ClaimIndex) -> Result<tantivy::IndexMeta> {
    Ok(index.lock_writer()?.index().load_metas()?)
}

#[test]
fn reopening_catches_up_with_changes_made_while_closed() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let store = ClaimStore::open(&dir.path().join("claims.db"))?;
    store.write_batch(&[parsed("a", "ballots burned")])?;
    {
        let index = ClaimIndex::open(&dir.path().join("claims"), &store)?;
        assert_eq!(ids(&index, "ballots"), ["a"]);
    }
    // As after a crash between the store commit and the index commit.
    store.write_batch(&[parsed("b", "ballots lost")])?;
    store.retract("a", None)?;
    let index = ClaimIndex::open(&dir.path().join("claims"), &store)?;
    assert_eq!(ids(&index, "ballots"), ["b"]);
    assert_eq!(index.applied_sequence(), 3);
    Ok(())
}

#[test]
fn an_index_ahead_of_its_store_is_rebuilt() -> Result<()> {
    let dir = tempfile::tempdir()?;
    {
        let store = ClaimStore::open(&dir.path().join("old.db"))?;
        store.write_batch(&[parsed("a", "ballots"), parsed("b", "ballots")])?;
        ClaimIndex::open(&dir.path().join("claims"), &store)?;
    }
    let fresh = ClaimStore::open(&dir.path().join("new.db"))?;
    fresh.write_batch(&[parsed("c", "ballots")])?;
    let index = ClaimIndex::open(&dir.path().join("claims"), &fresh)?;
    assert_eq!(ids(&index, "ballots"), ["c"]);
    Ok(())
}

#[test]
fn an_index_built_from_another_shared_database_is_rebuilt() -> Result<()> {
    use crate::store::{PgPool, scratch::ScratchPostgres};
    let pg = ScratchPostgres::start()?;
    let dir = tempfile::tempdir()?;
    {
        let first = ClaimStore::postgres(PgPool::connect(&pg.create_database("first")?, 1)?);
        first.write_batch(&[parsed("a", "ballots")])?;
        ClaimIndex::open(&dir.path().join("claims"), &first)?;
    }
    // Another database at a later sequence: catching up from 1 would
    // keep `a`, which this database never held.
    let second = ClaimStore::postgres(PgPool::connect(&pg.create_database("second")?, 1)?);
    second.write_batch(&[parsed("b", "ballots"), parsed("c", "ballots")])?;
    let index = ClaimIndex::open(&dir.path().join("claims"), &second)?;
    assert_eq!(ids(&index, "ballots"), ["b", "c"]);
    Ok(())
}

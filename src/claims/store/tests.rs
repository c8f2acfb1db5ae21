//! Tests of `store`.

use super::*;
use crate::claims::load::Written;
use crate::claims::model::Claim;
use crate::claims::reload::WriteOptions;

fn parsed(id: &str, partner: &str, text: &str) -> ParsedClaim {
    ParsedClaim {
        position: String::new(),
        line: 1,
        claim: Claim {
            id: id.into(),
            partner: partner.into(),
            text: text.into(),
            language: "en".into(),
            ..Claim::default()
        },
        raw: "{}".into(),
    }
}

/// Runs a test against an in-memory SQLite store and a store in a
/// scratch PostgreSQL: both backends must behave the same.
fn on_each_backend(test: impl Fn(&ClaimStore) -> Result<()>) -> Result<()> {
    test(&ClaimStore::open_in_memory()?)?;
    let pg = crate::store::scratch::ScratchPostgres::start()?;
    test(&ClaimStore::postgres(PgPool::connect(pg.url(), 2)?))
}

/// The statuses of a batch's outcomes.
fn statuses(
    outcomes: Vec<std::result::Result<Written, String>>,
) -> Vec<std::result::Result<WriteStatus, String>> {
    outcomes.into_iter().map(|o| o.map(|w| w.status)).collect()
}

#[test]
fn sequence_moves_on_every_change_and_only_then() -> Result<()> {
    on_each_backend(sequence_moves)
}

fn sequence_moves(store: &ClaimStore) -> Result<()> {
    let first = statuses(store.write_batch(&[parsed("a", "p", "one"), parsed("b", "p", "two")])?);
    assert_eq!(
        first,
        vec![Ok(WriteStatus::Inserted), Ok(WriteStatus::Inserted)]
    );
    assert_eq!(store.sequence()?, 2);
    let again =
        statuses(store.write_batch(&[parsed("a", "p", "one"), parsed("b", "p", "changed")])?);
    assert_eq!(
        again,
        vec![Ok(WriteStatus::Unchanged), Ok(WriteStatus::Updated)]
    );
    assert_eq!(store.sequence()?, 3);
    let changed: Vec<_> = store
        .changes_since(2, 10)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(changed, ["b"]);

    let (claim, changed) = store.retract("a", None)?;
    assert!(changed);
    assert_eq!(claim.status, ClaimStatus::Retracted);
    assert_eq!(claim.sequence, 4);
    assert!(!store.retract("a", None)?.1);
    assert_eq!(store.sequence()?, 4);
    // Loading a retracted claim again brings it back.
    assert_eq!(
        statuses(store.write_batch(&[parsed("a", "p", "one")])?),
        vec![Ok(WriteStatus::Updated)]
    );
    assert_eq!(store.get("a")?.map(|c| c.status), Some(ClaimStatus::Active));
    // An id twice in one batch: the second is judged against the first.
    assert_eq!(
        statuses(store.write_batch(&[parsed("d", "p", "four"), parsed("d", "p", "four")])?),
        vec![Ok(WriteStatus::Inserted), Ok(WriteStatus::Unchanged)]
    );
    assert_eq!(store.sequence()?, 6);
    // Twice with different text: the last version is stored.
    assert_eq!(
        statuses(store.write_batch(&[parsed("e", "p", "first"), parsed("e", "p", "second")])?),
        vec![Ok(WriteStatus::Inserted), Ok(WriteStatus::Updated)]
    );
    assert_eq!(store.get("e")?.map(|c| c.text), Some("second".to_string()));
    assert_eq!(store.sequence()?, 8);
    assert_eq!(
        store
            .changes_since(6, 10)?
            .iter()
            .map(|c| (c.id.as_str(), c.sequence))
            .collect::<Vec<_>>(),
        [("e", 8)]
    );
    Ok(())
}

#[test]
fn partners_cannot_touch_each_others_claims() -> Result<()> {
    on_each_backend(partners_kept_apart)
}

fn partners_kept_apart(store: &ClaimStore) -> Result<()> {
    store.write_batch(&[parsed("x", "lupa", "one")])?;
    let outcome = store.write_batch(&[parsed("x", "aosfatos", "hijack")])?;
    assert!(
        outcome[0]
            .as_ref()
            .unwrap_err()
            .contains("belongs to partner \"lupa\"")
    );
    assert!(store.retract("x", Some("aosfatos")).is_err());
    assert_eq!(store.get("x")?.map(|c| c.text), Some("one".to_string()));
    assert!(matches!(
        store.retract("nope", None),
        Err(Error::NotFound(_))
    ));
    Ok(())
}

#[test]
fn replacing_retracts_only_what_the_partner_dropped() -> Result<()> {
    on_each_backend(replacing_retracts)
}

fn replacing_retracts(store: &ClaimStore) -> Result<()> {
    store.write_batch(&[
        parsed("a", "p", "1"),
        parsed("b", "p", "2"),
        parsed("c", "q", "3"),
    ])?;
    let keep = ["a".to_string()].into_iter().collect();
    assert_eq!(store.retract_all_but("p", &keep)?, ["b"]);
    assert_eq!(
        store.get("b")?.map(|c| c.status),
        Some(ClaimStatus::Retracted)
    );
    assert_eq!(store.get("c")?.map(|c| c.status), Some(ClaimStatus::Active));
    assert!(store.retract_all_but("p", &keep)?.is_empty());
    Ok(())
}

#[test]
fn lists_in_pages_with_filters() -> Result<()> {
    on_each_backend(lists_in_pages)
}

fn lists_in_pages(store: &ClaimStore) -> Result<()> {
    let batch: Vec<_> = (0..5).map(|i| parsed(&format!("c{i}"), "p", "t")).collect();
    store.write_batch(&batch)?;
    store.write_batch(&[parsed("z", "q", "t")])?;
    store.retract("c1", None)?;
    let filter = ClaimFilter {
        partner: Some("p".into()),
        ..ClaimFilter::default()
    };
    let page1: Vec<_> = store
        .list(&filter, "", 2)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(page1, ["c0", "c2"]);
    let page2: Vec<_> = store
        .list(&filter, "c2", 2)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(page2, ["c3", "c4"]);
    assert!(store.list(&filter, "c4", 2)?.is_empty());
    Ok(())
}

#[test]
fn a_reload_keeps_the_scope_it_leaves_unsaid_and_names_what_changed() -> Result<()> {
    on_each_backend(reload_keeps_scope)
}

fn reload_keeps_scope(store: &ClaimStore) -> Result<()> {
    let day = |d: &str| crate::text::parse_date(d);
    let scoped = |markets: &[&str], from: Option<&str>, until: Option<&str>| {
        let mut record = parsed("urnas", "aosfatos", "As urnas podem ser hackeadas");
        record.claim.markets = markets.iter().map(|m| m.to_string()).collect();
        record.claim.valid_from = from.and_then(day);
        record.claim.valid_until = until.and_then(day);
        record
    };
    let first = scoped(&["BR"], Some("2022-08-16"), Some("2022-11-01"));
    store.write_batch(std::slice::from_ref(&first))?;
    // The same file again, loaded without --market or a window: nothing
    // changes, and the claim still matches in Brazil, in its window only.
    let bare = scoped(&[], None, None);
    let again = store.write_batch(std::slice::from_ref(&bare))?;
    assert_eq!(statuses(again), vec![Ok(WriteStatus::Unchanged)]);
    let stored = store.get("urnas")?.expect("stored");
    assert_eq!(stored.markets, ["BR"]);
    assert_eq!(stored.valid_until, day("2022-11-01"));
    // What a reload says wins, and the report names it.
    let moved = store.write_batch(&[scoped(&["PT"], None, None)])?;
    let moved = moved
        .into_iter()
        .next()
        .expect("one outcome")
        .expect("written");
    assert_eq!(moved.status, WriteStatus::Updated);
    assert_eq!(moved.changed, ["markets"]);
    assert_eq!(
        store.get("urnas")?.map(|c| c.valid_from),
        Some(day("2022-08-16"))
    );
    // Asked for, the file is taken as it is: the claim now applies
    // everywhere, always, and the report says which fields were emptied.
    let replace = WriteOptions {
        replace_metadata: true,
        ..WriteOptions::default()
    };
    let widened = store.write_batch_with(std::slice::from_ref(&bare), replace)?;
    let widened = widened
        .into_iter()
        .next()
        .expect("one outcome")
        .expect("written");
    assert_eq!(widened.changed, ["markets", "valid_from", "valid_until"]);
    assert!(store.get("urnas")?.is_some_and(|c| c.markets.is_empty()));
    Ok(())
}

//! Tests of `retrieve`.

use super::*;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, Schema, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

const WORDS: [&str; 12] = [
    "ballots", "burned", "count", "votes", "machines", "hacked", "dead", "voters", "mail", "fraud",
    "polls", "closed",
];

/// Horizons tried: one document (every document its own horizon), an
/// odd width (horizons straddle segment and block boundaries), and the
/// one searches use (a whole test segment).
const HORIZONS: [u32; 3] = [1, 7, HORIZON];

/// A word every test document holds.
const EVERYWHERE: &str = "election";

/// An index of `docs` short texts over a small vocabulary (so scores
/// tie often), one document in 13 deleted, in segments of 97, 256 and
/// then 700 documents: postings of a few documents, of exactly two
/// full blocks (`EVERYWHERE` in the second segment), and of full
/// blocks and a short one.
fn index(docs: u64) -> tantivy::Result<(Index, Field, Field)> {
    let mut schema = Schema::builder();
    let body = schema.add_text_field("body", TEXT);
    let day = schema.add_i64_field("day", INDEXED | FAST);
    let id = schema.add_u64_field("id", INDEXED);
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    for n in 0..docs {
        let words: Vec<&str> = (0..1 + n % 5)
            .map(|i| WORDS[((n * 7 + i * 3 + n / 11) % WORDS.len() as u64) as usize])
            .chain([EVERYWHERE])
            .collect();
        let mut doc = TantivyDocument::default();
        doc.add_text(body, words.join(" "));
        doc.add_i64(day, (n % 30) as i64);
        doc.add_u64(id, n);
        writer.add_document(doc)?;
        if n + 1 == 97 || (n + 1 >= 353 && (n + 1 - 353) % 700 == 0) {
            writer.commit()?;
        }
    }
    writer.commit()?;
    for n in (0..docs).step_by(13) {
        writer.delete_term(Term::from_field_u64(id, n));
    }
    writer.commit()?;
    Ok((index, body, day))
}

/// Tantivy's union of `words` in `body`, in this order.
fn union(body: Field, words: &[&str]) -> BooleanQuery {
    BooleanQuery::new(
        words
            .iter()
            .map(|w| {
                let term =
                    TermQuery::new(Term::from_field_text(body, w), IndexRecordOption::WithFreqs);
                (Occur::Should, Box::new(term) as Box<dyn Query>)
            })
            .collect(),
    )
}

#[test]
fn ranks_as_tantivys_union_and_top_docs_do() -> tantivy::Result<()> {
    let (index, body, day) = index(1_800)?;
    let searcher = index.reader()?.searcher();
    assert_eq!(searcher.segment_readers().len(), 5);
    let unscored = EnableScoring::disabled_from_searcher(&searcher);
    let mut scratch = Accumulator::default();
    let queries: [&[&str]; 6] = [
        &["ballots", "burned"],
        &["fraud", EVERYWHERE],
        &["votes", "dead", "voters", "mail", "absent"],
        &WORDS,
        &["polls"],
        &["absent"],
    ];
    // Queries sharing a word share its term, as `Bm25Memo` hands them
    // out (scored here with the searcher's statistics, as Tantivy's).
    let mut made: HashMap<&str, Arc<ReadyTerm>> = HashMap::default();
    let mut weights: Vec<Vec<Arc<ReadyTerm>>> = Vec::new();
    for words in queries {
        let mut query = Vec::new();
        for word in words {
            if !made.contains_key(word) {
                let term = Term::from_field_text(body, word);
                let ready = Arc::new(ReadyTerm::new(&searcher, &term, &searcher)?);
                made.insert(word, ready);
            }
            query.push(made[word].clone());
        }
        weights.push(query);
    }
    let recent = ConstScoreQuery::new(
        Box::new(RangeQuery::new(
            std::ops::Bound::Included(Term::from_field_i64(day, 10)),
            std::ops::Bound::Unbounded,
        )),
        0.0,
    );
    let filter = [recent.weight(unscored)?];
    for limit in [1, 5, 20, 1_000] {
        let (mut expected, mut expected_filtered) = (Vec::new(), Vec::new());
        for words in queries {
            let union = union(body, words);
            // Counting alongside keeps Tantivy from block-max WAND,
            // which sums a document's term scores in another order
            // (the last bit of a score can differ).
            let top = TopDocs::with_limit(limit).order_by_score();
            expected.push(searcher.search(&union, &(top, Count))?.0);
            let filtered = BooleanQuery::new(vec![
                (Occur::Must, Box::new(union) as Box<dyn Query>),
                (Occur::Must, Box::new(recent.clone())),
            ]);
            let top = TopDocs::with_limit(limit).order_by_score();
            expected_filtered.push(searcher.search(&filtered, &top)?);
        }
        for horizon in HORIZONS {
            let together = top_docs_with(&searcher, &weights, &[], limit, &mut scratch, horizon)
                .expect("retrieves");
            assert_eq!(together, expected, "top {limit}, horizon {horizon}");
            let together =
                top_docs_with(&searcher, &weights, &filter, limit, &mut scratch, horizon)
                    .expect("retrieves");
            assert_eq!(
                together, expected_filtered,
                "since day 10, top {limit}, horizon {horizon}"
            );
            for (query, expected) in weights.iter().zip(&expected) {
                let alone = top_docs_with(
                    &searcher,
                    std::slice::from_ref(query),
                    &[],
                    limit,
                    &mut scratch,
                    horizon,
                )
                .expect("retrieves");
                assert_eq!(&alone[0], expected, "alone, top {limit}, horizon {horizon}");
            }
        }
    }
    Ok(())
}

/// Each query's top documents, as Tantivy's union of its words and
/// `TopDocs` (with `Count`, so without block-max WAND) find them.
fn tantivy_tops(
    searcher: &Searcher,
    body: Field,
    queries: &[Vec<&str>],
    limit: usize,
) -> tantivy::Result<Vec<Vec<(Score, DocAddress)>>> {
    queries
        .iter()
        .map(|words| {
            let top = TopDocs::with_limit(limit).order_by_score();
            Ok(searcher.search(&union(body, words), &(top, Count))?.0)
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Any documents, any queries sharing any words, searched together:
    /// each query gets what Tantivy gives it alone.
    #[test]
    fn any_queries_searched_together_rank_as_tantivy(
        docs in proptest::collection::vec(
            proptest::collection::vec(0..WORDS.len(), 1..6), 1..80),
        queries in proptest::collection::vec(
            proptest::collection::vec(0..WORDS.len(), 0..6), 1..5),
        deleted in proptest::collection::vec(0usize..80, 0..10),
        limit in 1usize..12,
        horizon in proptest::sample::select(vec![1u32, 3, 16, HORIZON]),
    ) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let id = schema.add_u64_field("id", INDEXED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for (n, words) in docs.iter().enumerate() {
            let text: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
            let mut doc = TantivyDocument::default();
            doc.add_text(body, text.join(" "));
            doc.add_u64(id, n as u64);
            writer.add_document(doc)?;
            if n % 23 == 22 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        for n in deleted {
            writer.delete_term(Term::from_field_u64(id, n as u64));
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let words: Vec<Vec<&str>> = queries
            .iter()
            .map(|query| query.iter().map(|&w| WORDS[w]).collect())
            .collect();
        let mut made: HashMap<&str, Arc<ReadyTerm>> = HashMap::default();
        let mut ready = Vec::new();
        for query in &words {
            let mut terms = Vec::new();
            for &word in query {
                if !made.contains_key(word) {
                    let term = Term::from_field_text(body, word);
                    made.insert(word, Arc::new(ReadyTerm::new(&searcher, &term, &searcher)?));
                }
                terms.push(made[word].clone());
            }
            ready.push(terms);
        }
        let found = top_docs_with(
            &searcher,
            &ready,
            &[],
            limit,
            &mut Accumulator::default(),
            horizon,
        )
        .expect("retrieves");
        proptest::prop_assert_eq!(found, tantivy_tops(&searcher, body, &words, limit)?);
    }
}

//! Tests of `terms`.

use super::*;
use crate::matcher::retrieve::{Accumulator, top_docs_each};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Schema, TEXT};
use tantivy::{Index, Score, TantivyDocument};

#[test]
fn bm25_scores_as_tantivys_weight_bit_for_bit() {
    for docs in [1, 10, 14_231, 1_000_000] {
        for doc_freq in [0, 1, 2, 7, 500, 14_231, 1_000_000] {
            if doc_freq > docs {
                continue;
            }
            for average in [1.0, 3.7, 12.0, 31.25, 400.5] {
                let lengths = Arc::new(Lengths::new(average));
                let ours = Bm25::new(doc_freq, docs, lengths);
                let theirs = tantivy::query::Bm25Weight::for_one_term(doc_freq, docs, average);
                for fieldnorm_id in 0..=u8::MAX {
                    for term_freq in [1, 2, 3, 17, 1_000] {
                        assert_eq!(
                            ours.score(fieldnorm_id, term_freq).to_bits(),
                            theirs.score(fieldnorm_id, term_freq).to_bits(),
                            "{doc_freq} of {docs}, average {average}, \
                             norm {fieldnorm_id}, frequency {term_freq}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn scores_exactly_as_term_queries_do() -> tantivy::Result<()> {
    let mut schema = Schema::builder();
    let body = schema.add_text_field("body", TEXT);
    let index = Index::create_in_ram(schema.build());
    let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
    for text in [
        "ballots were burned in the capital",
        "the ballots were counted twice",
        "voting machines were hacked before the count",
        "ballots ballots ballots everywhere",
    ] {
        let mut doc = TantivyDocument::default();
        doc.add_text(body, text);
        writer.add_document(doc)?;
    }
    writer.commit()?;
    let searcher = index.reader()?.searcher();
    let words = ["ballots", "count", "capital", "absent"];
    let plain = BooleanQuery::new(
        words
            .iter()
            .map(|w| {
                let query: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(body, w),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, query)
            })
            .collect(),
    );
    let mut memo = Bm25Memo::default();
    let top = TopDocs::with_limit(10).order_by_score();
    let expected = searcher.search(&plain, &top)?;
    assert_eq!(expected.len(), 4);
    // First from fresh weights, then from remembered ones.
    for _ in 0..2 {
        let weights = words
            .iter()
            .map(|w| memo.ready(&searcher, body, w))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let found = top_docs_each(&searcher, &[weights], &[], 10, &mut Accumulator::default())
            .expect("retrieves");
        assert_eq!(found, std::slice::from_ref(&expected));
    }
    assert_eq!(memo.len(), words.len());
    Ok(())
}

/// Scores by document id of `words` searched in `index`, with the
/// cached live weights, or with plain term queries.
fn scores(index: &Index, words: &[&str], live: bool) -> tantivy::Result<Vec<(String, Score)>> {
    let schema = index.schema();
    let (id, body) = (schema.get_field("id")?, schema.get_field("body")?);
    let searcher = index.reader()?.searcher();
    let top = if live {
        let mut memo = Bm25Memo::default();
        let weights = words
            .iter()
            .map(|w| memo.ready(&searcher, body, w))
            .collect::<tantivy::Result<Vec<_>>>()?;
        top_docs_each(&searcher, &[weights], &[], 10, &mut Accumulator::default())
            .expect("retrieves")
            .remove(0)
    } else {
        let clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| {
                let term = Term::from_field_text(body, w);
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Should, query)
            })
            .collect();
        searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(10).order_by_score(),
        )?
    };
    let mut scored = Vec::new();
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let name = doc
            .get_first(id)
            .and_then(|v| tantivy::schema::Value::as_str(&v))
            .unwrap_or_default()
            .to_string();
        scored.push((name, score));
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(scored)
}

#[test]
fn indexes_with_the_same_live_documents_score_alike_whatever_their_history() -> tantivy::Result<()>
{
    let live = [
        ("a", "ballots were burned in the capital"),
        ("b", "the ballots were counted twice"),
        ("c", "voting machines were hacked before the count"),
    ];
    let build = |history: &[(&str, &str)], deleted: &[&str]| -> tantivy::Result<Index> {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", tantivy::schema::STRING | tantivy::schema::STORED);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        for (name, text) in history {
            let mut doc = TantivyDocument::default();
            doc.add_text(id, name);
            doc.add_text(body, text);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        for name in deleted {
            writer.delete_term(Term::from_field_text(id, name));
        }
        writer.commit()?;
        Ok(index)
    };
    // One index also held claims since retracted (deleted, not merged).
    let mut with_history = live.to_vec();
    with_history.push(("x", "ballots ballots ballots everywhere in the count"));
    with_history.push((
        "y",
        "a very long claim about ballots and the capital and a count",
    ));
    let replica_a = build(&with_history, &["x", "y"])?;
    let replica_b = build(&live, &[])?;
    let words = ["ballots", "count", "capital"];
    assert_eq!(
        scores(&replica_a, &words, true)?,
        scores(&replica_b, &words, true)?
    );
    // Tantivy's own statistics would tell them apart.
    assert_ne!(
        scores(&replica_a, &words, false)?,
        scores(&replica_b, &words, false)?
    );
    Ok(())
}

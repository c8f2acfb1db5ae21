//! Term queries whose BM25 weight comes from the per-thread cache.
//!
//! Tantivy's `TermQuery` computes its weight (document frequency, average
//! field length, a 256-entry norm table) every time a query is built: a
//! fifth of the time of scoring a transcript, whose overlapping windows
//! repeat the same terms over and over. `CachedTermQuery` hands out the
//! weight `TermQuery` built the first time, so it scores exactly as
//! `TermQuery` does (the same term scorers, so Tantivy's union of term
//! scorers applies unchanged).

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

/// Weights by term for one state of one index. Each holds a 1 KiB norm
/// table: the cache owner bounds how many are kept.
#[derive(Default)]
pub struct Bm25Memo {
    weights: HashMap<Term, Arc<dyn Weight>>,
}

impl Bm25Memo {
    /// Terms remembered.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.weights.clear();
    }

    /// A query for `term` (with frequencies) whose weight is built on first
    /// use by Tantivy's `TermQuery` and remembered.
    pub fn query(&mut self, searcher: &Searcher, term: Term) -> tantivy::Result<CachedTermQuery> {
        if let Some(weight) = self.weights.get(&term) {
            return Ok(CachedTermQuery(weight.clone()));
        }
        let weight: Arc<dyn Weight> = Arc::from(
            TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)
                .weight(EnableScoring::enabled_from_searcher(searcher))?,
        );
        self.weights.insert(term, weight.clone());
        Ok(CachedTermQuery(weight))
    }
}

/// A term query carrying its ready weight.
#[derive(Clone)]
pub struct CachedTermQuery(Arc<dyn Weight>);

impl std::fmt::Debug for CachedTermQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CachedTermQuery")
    }
}

impl Query for CachedTermQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for CachedTermQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

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
        let cached_query = |memo: &mut Bm25Memo| -> tantivy::Result<BooleanQuery> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for w in words {
                let query = memo.query(&searcher, Term::from_field_text(body, w))?;
                clauses.push((Occur::Should, Box::new(query)));
            }
            Ok(BooleanQuery::new(clauses))
        };
        let top = TopDocs::with_limit(10).order_by_score();
        let expected = searcher.search(&plain, &top)?;
        assert_eq!(expected.len(), 4);
        // First from fresh weights, then from remembered ones.
        for _ in 0..2 {
            let found = searcher.search(&cached_query(&mut memo)?, &top)?;
            assert_eq!(found, expected);
        }
        assert_eq!(memo.len(), words.len());
        Ok(())
    }
}

//! Candidate retrieval.
//!
//! A window's query is a union of a few dozen term queries, every one of
//! whose documents is scored (block-max WAND costs more than it skips at
//! this length: see `Matcher::for_each_candidate`). Tantivy's union builds
//! a scorer per term, moves them into a buffered union and walks them in
//! 4,096-document horizons, so its score buffer stays in the L1 cache
//! however large the segment. On the 14,231 snopes claims a third of a
//! tweet's retrieval went to moving scorers and refilling horizons: in a
//! segment small enough that a score per document fits in a core's L2
//! cache, each term's postings are walked once, straight into a
//! per-thread score array, and the best documents are selected from the
//! ones touched (+24 % requests/s in-process on the snopes claims), from
//! where `Bm25Memo` found them in the term dictionary the first time the
//! term was searched (looking each term up again on every query, as a
//! term scorer does, was another 14 % of requests/s). Larger
//! segments go through Tantivy's union: there the arrays miss the cache
//! (term at a time was 3.5x slower on 100,000 claims with transcripts).
//!
//! Either way the result is Tantivy's (a `BooleanQuery` of `Should` term
//! queries, collected by `TopDocs` with `Count` alongside so that block-max
//! WAND is off), bit for bit: each document's score adds its terms' scores
//! in query order, as Tantivy's union does, and ties go to the lower
//! document address, as in `TopDocs`. A filter admits a document as a
//! `Must` clause would.

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

use super::terms::ReadyTerm;
use crate::error::Result;

/// Segments of up to this many documents are scored term at a time:
/// 5 bytes a document, 160 KiB, within the 512 KiB L2 cache of a core of
/// the machines this was measured on, with room for the postings.
const ARRAY_MAX_DOCS: u32 = 32_768;

/// Per-thread scratch space: scores of the documents of one segment, and
/// which of them the current query touched. Kept between queries so the
/// arrays are allocated once per thread, and cleared by walking the
/// touched documents only.
#[derive(Default)]
pub struct Accumulator {
    scores: Vec<Score>,
    seen: Vec<bool>,
    touched: Vec<DocId>,
}

/// The `limit` best documents for the union of `terms` (scored in this
/// order; made by `Bm25Memo` for this searcher) among the live documents
/// that every one of `filters` matches, best first.
pub fn top_docs(
    searcher: &Searcher,
    terms: &[Arc<ReadyTerm>],
    filters: &[Box<dyn Weight>],
    limit: usize,
    scratch: &mut Accumulator,
) -> Result<Vec<(Score, DocAddress)>> {
    top_docs_with(searcher, terms, filters, limit, scratch, ARRAY_MAX_DOCS)
}

/// `top_docs`, term at a time in segments of up to `array_max_docs`.
fn top_docs_with(
    searcher: &Searcher,
    terms: &[Arc<ReadyTerm>],
    filters: &[Box<dyn Weight>],
    limit: usize,
    scratch: &mut Accumulator,
    array_max_docs: u32,
) -> Result<Vec<(Score, DocAddress)>> {
    if limit == 0 || terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut top = TopK::new(limit);
    // Tantivy's union of the terms, built for the first large segment.
    let mut union: Option<Box<dyn Weight>> = None;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut filters = filters
            .iter()
            .map(|filter| filter.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let filtered = !filters.is_empty();
        let alive = reader.alive_bitset();
        // With filters, documents must come in ascending order (a filter's
        // docset only moves forward); without, in any order.
        let mut offer = |doc: DocId, score: Score| {
            if alive.is_some_and(|alive| !alive.is_alive(doc)) {
                return;
            }
            let admitted = filters.iter_mut().all(|filter| {
                let at = filter.doc();
                at == doc || (at < doc && filter.seek(doc) == doc)
            });
            if admitted {
                top.push(score, DocAddress::new(ord as u32, doc));
            }
        };
        if reader.max_doc() > array_max_docs {
            let union = match &mut union {
                Some(union) => union,
                None => union.insert(
                    BooleanQuery::new(
                        terms
                            .iter()
                            .map(|t| {
                                let ready = Ready(t.weight.clone());
                                (Occur::Should, Box::new(ready) as Box<dyn Query>)
                            })
                            .collect(),
                    )
                    .weight(EnableScoring::enabled_from_searcher(searcher))?,
                ),
            };
            union.for_each(reader, &mut offer)?;
            continue;
        }
        let max_doc = reader.max_doc() as usize;
        if scratch.scores.len() < max_doc {
            scratch.scores.resize(max_doc, 0.0);
            scratch.seen.resize(max_doc, false);
        }
        let Accumulator {
            scores,
            seen,
            touched,
        } = scratch;
        // Each term's postings, walked as Tantivy's term scorer walks
        // them (the same scores), from where `Bm25Memo` found them.
        for term in terms {
            let Some(info) = &term.postings[ord] else {
                continue;
            };
            let mut postings = reader
                .inverted_index(term.field)?
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
            let norms = reader
                .fieldnorms_readers()
                .get_field(term.field)?
                .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let score = term
                    .bm25
                    .score(norms.fieldnorm_id(doc), postings.term_freq());
                let at = doc as usize;
                if !seen[at] {
                    seen[at] = true;
                    touched.push(doc);
                }
                scores[at] += score;
                doc = postings.advance();
            }
        }
        if filtered {
            touched.sort_unstable();
        }
        for &doc in touched.iter() {
            let score = std::mem::take(&mut scores[doc as usize]);
            seen[doc as usize] = false;
            offer(doc, score);
        }
        touched.clear();
    }
    Ok(top.into_sorted())
}

/// A term query whose weight is ready (built once and remembered by
/// `Bm25Memo`), for Tantivy's union.
#[derive(Clone)]
struct Ready(Arc<dyn Weight>);

impl std::fmt::Debug for Ready {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ready")
    }
}

impl Query for Ready {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for Ready {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// The best `k` of a stream of scored documents: higher score first, then
/// lower address. Keeps up to `2k` and cuts back to `k` when full, so
/// each push is a comparison and, rarely, a linear-time selection.
/// Tantivy's `TopNComputer` does the same but breaks ties right only when
/// documents come in ascending order, and the score array's touched
/// documents do not (sorting them would cost more than the selection).
struct TopK {
    k: usize,
    buffer: Vec<(Score, DocAddress)>,
    /// The worst document kept at the last cut: nothing ranking at or
    /// below it can enter.
    threshold: Option<(Score, DocAddress)>,
}

fn best_first(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

impl TopK {
    fn new(k: usize) -> Self {
        TopK {
            k,
            buffer: Vec::with_capacity(2 * k),
            threshold: None,
        }
    }

    fn push(&mut self, score: Score, address: DocAddress) {
        let entry = (score, address);
        if self
            .threshold
            .is_some_and(|worst| best_first(&entry, &worst) != Ordering::Less)
        {
            return;
        }
        if self.buffer.len() == 2 * self.k {
            self.cut();
        }
        self.buffer.push(entry);
    }

    fn cut(&mut self) {
        self.buffer.select_nth_unstable_by(self.k - 1, best_first);
        self.buffer.truncate(self.k);
        self.threshold = Some(self.buffer[self.k - 1]);
    }

    fn into_sorted(mut self) -> Vec<(Score, DocAddress)> {
        if self.buffer.len() > self.k {
            self.cut();
        }
        self.buffer.sort_unstable_by(best_first);
        self.buffer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{
        BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery, TermQuery,
    };
    use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term};

    const WORDS: [&str; 12] = [
        "ballots", "burned", "count", "votes", "machines", "hacked", "dead", "voters", "mail",
        "fraud", "polls", "closed",
    ];

    /// An index of `docs` short texts over a small vocabulary (so scores
    /// tie often), in several segments, one document in 13 deleted.
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
                .collect();
            let mut doc = TantivyDocument::default();
            doc.add_text(body, words.join(" "));
            doc.add_i64(day, (n % 30) as i64);
            doc.add_u64(id, n);
            writer.add_document(doc)?;
            if n % 97 == 96 {
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

    #[test]
    fn ranks_as_tantivys_union_and_top_docs_do() -> tantivy::Result<()> {
        let (index, body, day) = index(600)?;
        let searcher = index.reader()?.searcher();
        assert!(searcher.segment_readers().len() > 3);
        let unscored = EnableScoring::disabled_from_searcher(&searcher);
        let mut scratch = Accumulator::default();
        let queries: [&[&str]; 4] = [
            &["ballots", "burned"],
            &["votes", "dead", "voters", "mail", "absent"],
            &WORDS,
            &["polls"],
        ];
        for words in queries {
            let terms: Vec<TermQuery> = words
                .iter()
                .map(|w| {
                    TermQuery::new(Term::from_field_text(body, w), IndexRecordOption::WithFreqs)
                })
                .collect();
            let union = BooleanQuery::new(
                terms
                    .iter()
                    .map(|t| (Occur::Should, Box::new(t.clone()) as Box<dyn Query>))
                    .collect(),
            );
            let weights: Vec<Arc<ReadyTerm>> = words
                .iter()
                .map(|w| {
                    let term = Term::from_field_text(body, w);
                    ReadyTerm::new(&searcher, &term, &searcher).map(Arc::new)
                })
                .collect::<tantivy::Result<_>>()?;
            let recent = ConstScoreQuery::new(
                Box::new(RangeQuery::new(
                    std::ops::Bound::Included(Term::from_field_i64(day, 10)),
                    std::ops::Bound::Unbounded,
                )),
                0.0,
            );
            for limit in [1, 5, 20, 1_000] {
                // Counting alongside keeps Tantivy from block-max WAND,
                // which sums a document's term scores in another order
                // (the last bit of a score can differ).
                let top = TopDocs::with_limit(limit).order_by_score();
                let expected = searcher.search(&union, &(top, Count))?.0;
                for arrays in [0, u32::MAX] {
                    let found =
                        top_docs_with(&searcher, &weights, &[], limit, &mut scratch, arrays)
                            .expect("retrieves");
                    assert_eq!(found, expected, "{words:?}, top {limit}, arrays {arrays}");
                }

                let filtered = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(union.clone()) as Box<dyn Query>),
                    (Occur::Must, Box::new(recent.clone())),
                ]);
                let expected =
                    searcher.search(&filtered, &TopDocs::with_limit(limit).order_by_score())?;
                let filter = [recent.weight(unscored)?];
                for arrays in [0, u32::MAX] {
                    let found =
                        top_docs_with(&searcher, &weights, &filter, limit, &mut scratch, arrays)
                            .expect("retrieves");
                    assert_eq!(found, expected, "{words:?} since day 10, top {limit}");
                }
            }
        }
        Ok(())
    }
}

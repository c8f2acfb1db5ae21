//! Candidate retrieval.
//!
//! A window's query is a union of a few dozen terms, every one of whose
//! documents is scored (block-max WAND costs more than it skips at this
//! length: see `Matcher::for_each_candidate`). The union is walked a
//! horizon of 4,096 documents at a time: each term's postings in the
//! horizon are added, term after term, into a per-thread score buffer
//! small enough for a core's L1 cache, and the documents touched are
//! offered to the top-k selection before the next horizon (the next
//! document any term holds). Each term's postings are opened from where
//! `Bm25Memo` found them in the term dictionary the first time the term
//! was searched.
//!
//! Tantivy's own union (a `BooleanQuery` of term queries) does the same
//! walk through a scorer per term, each looking its term up in the
//! dictionary on every query, moved into a buffered union that refills
//! its horizon scorer by scorer: on the 14,231 snopes claims a third of a
//! tweet's retrieval went to moving scorers and refilling horizons, and
//! the lookups were another 14 % of requests/s. (A score array over a
//! whole segment, the first remedy, was 3.5x slower than Tantivy's union
//! at 100,000 claims: it misses the cache.)
//!
//! The result is Tantivy's (a `BooleanQuery` of `Should` term queries,
//! collected by `TopDocs` with `Count` alongside so that block-max WAND is
//! off), bit for bit: each document's score adds its terms' scores in
//! query order, as Tantivy's union does, and ties go to the lower document
//! address, as in `TopDocs`. A filter admits a document as a `Must` clause
//! would.

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::InvertedIndexReader;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::query::Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Score, Searcher, TERMINATED};

use super::terms::ReadyTerm;
use crate::error::Result;

/// Documents scored together: a score and a flag each, 20 KiB, within a
/// core's L1 data cache with room for the postings being decoded.
const HORIZON: u32 = 4_096;

/// Per-thread scratch space: the scores of one horizon's documents, and
/// which of them the current query touched. Kept between queries so the
/// buffers are allocated once per thread, and cleared by walking the
/// touched documents only.
#[derive(Default)]
pub struct Accumulator {
    scores: Vec<Score>,
    seen: Vec<bool>,
    touched: Vec<u32>,
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
    top_docs_with(searcher, terms, filters, limit, scratch, HORIZON)
}

/// `top_docs`, `horizon` documents at a time.
fn top_docs_with(
    searcher: &Searcher,
    terms: &[Arc<ReadyTerm>],
    filters: &[Box<dyn Weight>],
    limit: usize,
    scratch: &mut Accumulator,
    horizon: u32,
) -> Result<Vec<(Score, DocAddress)>> {
    if limit == 0 || terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut top = TopK::new(limit);
    let width = horizon as usize;
    if scratch.scores.len() < width {
        scratch.scores.resize(width, 0.0);
        scratch.seen.resize(width, false);
    }
    let Accumulator {
        scores,
        seen,
        touched,
    } = scratch;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        // Each term's postings in this segment, scored as Tantivy's term
        // scorer scores them. The segment's inverted index and norms of a
        // field are opened once for all its terms (opening takes a lock
        // and clones shared counters).
        let mut fields: Vec<(Field, Arc<InvertedIndexReader>, FieldNormReader)> = Vec::new();
        for term in terms {
            if term.postings[ord].is_some() && fields.iter().all(|f| f.0 != term.field) {
                let norms = reader
                    .fieldnorms_readers()
                    .get_field(term.field)?
                    .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
                fields.push((term.field, reader.inverted_index(term.field)?, norms));
            }
        }
        let mut cursors = Vec::with_capacity(terms.len());
        for term in terms {
            let Some(info) = &term.postings[ord] else {
                continue;
            };
            let (_, inverted, norms) = fields
                .iter()
                .find(|f| f.0 == term.field)
                .expect("every field with postings was opened above");
            let postings =
                inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
            cursors.push((postings, norms, &term.bm25));
        }
        let next = |cursors: &[(tantivy::postings::SegmentPostings, _, _)]| {
            cursors
                .iter()
                .map(|(postings, _, _)| postings.doc())
                .min()
                .unwrap_or(TERMINATED)
        };
        let mut filters = filters
            .iter()
            .map(|filter| filter.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let alive = reader.alive_bitset();
        let mut start = next(&cursors);
        while start != TERMINATED {
            let end = start.saturating_add(horizon);
            for (postings, norms, bm25) in cursors.iter_mut() {
                let mut doc = postings.doc();
                while doc < end {
                    let score = bm25.score(norms.fieldnorm_id(doc), postings.term_freq());
                    let at = (doc - start) as usize;
                    if !seen[at] {
                        seen[at] = true;
                        touched.push(at as u32);
                    }
                    scores[at] += score;
                    doc = postings.advance();
                }
            }
            // A filter's docset only moves forward: with filters, the
            // horizon's documents are offered in ascending order.
            if !filters.is_empty() {
                touched.sort_unstable();
            }
            for &at in touched.iter() {
                let score = std::mem::take(&mut scores[at as usize]);
                seen[at as usize] = false;
                let doc = start + at;
                if alive.is_some_and(|alive| !alive.is_alive(doc)) {
                    continue;
                }
                let admitted = filters.iter_mut().all(|filter| {
                    let at = filter.doc();
                    at == doc || (at < doc && filter.seek(doc) == doc)
                });
                if admitted {
                    top.push(score, DocAddress::new(ord as u32, doc));
                }
            }
            touched.clear();
            start = next(&cursors);
        }
    }
    Ok(top.into_sorted())
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

    /// Horizons tried: one document (every document its own horizon), an
    /// odd width (horizons straddle segment and block boundaries), and the
    /// one searches use (a whole test segment).
    const HORIZONS: [u32; 3] = [1, 7, HORIZON];

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
                for horizon in HORIZONS {
                    let found =
                        top_docs_with(&searcher, &weights, &[], limit, &mut scratch, horizon)
                            .expect("retrieves");
                    assert_eq!(found, expected, "{words:?}, top {limit}, horizon {horizon}");
                }

                let filtered = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(union.clone()) as Box<dyn Query>),
                    (Occur::Must, Box::new(recent.clone())),
                ]);
                let expected =
                    searcher.search(&filtered, &TopDocs::with_limit(limit).order_by_score())?;
                let filter = [recent.weight(unscored)?];
                for horizon in HORIZONS {
                    let found =
                        top_docs_with(&searcher, &weights, &filter, limit, &mut scratch, horizon)
                            .expect("retrieves");
                    assert_eq!(
                        found, expected,
                        "{words:?} since day 10, top {limit}, horizon {horizon}"
                    );
                }
            }
        }
        Ok(())
    }
}

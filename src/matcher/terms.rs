//! Term weights for BM25 that come from the per-thread cache, with
//! collection statistics over live documents only.
//!
//! Tantivy's `TermQuery` computes its weight (document frequency, average
//! field length, a 256-entry norm table) every time a query is built: a
//! fifth of the time of scoring a transcript, whose overlapping windows
//! repeat the same terms over and over, and its scorer looks the term up
//! in the term dictionary on every query. `Bm25Memo` hands out, for each
//! term, the BM25 weight `TermQuery` would build and where the term's
//! postings lie in each segment, both computed the first time the term is
//! searched in an index state; `retrieve` walks the postings from there.
//!
//! The statistics are `LiveStats`, not the searcher's: Tantivy counts
//! deleted documents (an updated or retracted claim's old version) until a
//! merge purges them, and merges happen at different times in different
//! indexes. Replicas that hold the same claims but reached them by
//! different histories (one loaded, updated and retracted them; one started
//! later) would score the same caption differently, and could decide
//! differently near a threshold. Counting live documents only, and field
//! lengths as the index stores them per document, makes the scores a
//! function of the live claims alone.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::TermInfo;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Score, Searcher, TERMINATED, Term};

/// Tantivy's BM25 parameters.
const K1: Score = 1.2;
const B: Score = 0.75;

/// BM25 of one term, scored as Tantivy's `Bm25Weight` scores it, bit for
/// bit. Tantivy's weight carries its own 1 KiB table of the length part;
/// here the table is the field's (`Lengths`), shared by all its terms: a
/// remembered term takes about a tenth of the memory (each scoring thread
/// remembers up to 20,000), and a query reads two tables, not one per
/// term. A term found once in a document, as most are, is scored without
/// a division. (No change in requests/s measured either way: tweets and
/// a million claims, alternating binaries, 2026-12-01.)
pub struct Bm25 {
    weight: Score,
    lengths: Arc<Lengths>,
}

impl Bm25 {
    /// The weight of a term held by `doc_freq` of `docs` documents.
    pub fn new(doc_freq: u64, docs: u64, lengths: Arc<Lengths>) -> Self {
        // As Tantivy computes the idf and the weight, operation for
        // operation. Both are positive (`retrieve` counts on a score of
        // zero meaning no term added yet).
        let x = (docs.saturating_sub(doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
        let idf = (1.0 + x).ln();
        Bm25 {
            weight: idf * (1.0 + K1),
            lengths,
        }
    }

    /// The score of a document of length `fieldnorm_id` holding the term
    /// `term_freq` times.
    #[inline]
    pub fn score(&self, fieldnorm_id: u8, term_freq: u32) -> Score {
        let id = usize::from(fieldnorm_id);
        if term_freq == 1 {
            self.weight * self.lengths.once[id]
        } else {
            let term_freq = term_freq as Score;
            self.weight * (term_freq / (term_freq + self.lengths.norm[id]))
        }
    }
}

/// The length part of BM25 in one field and index state, by field-norm
/// id: `norm` as Tantivy's per-term table, `once` the term-frequency
/// factor of a term found once (`1 / (1 + norm)`, the same operations).
pub struct Lengths {
    norm: [Score; 256],
    once: [Score; 256],
}

impl Lengths {
    /// The tables for a field of average length `average`.
    pub fn new(average: Score) -> Self {
        let mut lengths = Lengths {
            norm: [0.0; 256],
            once: [0.0; 256],
        };
        for id in 0..=u8::MAX {
            let fieldnorm = FieldNormReader::id_to_fieldnorm(id) as Score;
            let norm = K1 * (1.0 - B + B * fieldnorm / average);
            lengths.norm[usize::from(id)] = norm;
            lengths.once[usize::from(id)] = 1.0 / (1.0 + norm);
        }
        lengths
    }

    /// The tables for `field` with the statistics of `stats`.
    fn of(stats: &dyn Bm25StatisticsProvider, field: Field) -> tantivy::Result<Self> {
        // As Tantivy's `Bm25Weight::for_terms` averages.
        let average = stats.total_num_tokens(field)? as Score / stats.total_num_docs()? as Score;
        Ok(Lengths::new(average))
    }
}

/// A query term ready for retrieval in one state of one index.
pub struct ReadyTerm {
    /// The field searched.
    pub field: Field,
    /// The term's BM25 weight, as Tantivy's `TermQuery` would score it.
    pub bm25: Bm25,
    /// Where the term's postings lie in each segment, in the searcher's
    /// order; `None` where the segment lacks the term.
    pub postings: Vec<Option<TermInfo>>,
}

impl ReadyTerm {
    /// Makes `term` ready for retrieval in `searcher`, scored with the
    /// statistics of `stats` (as `Bm25Memo` does, without sharing the
    /// field's tables).
    #[cfg(test)]
    pub fn new(
        searcher: &Searcher,
        term: &Term,
        stats: &dyn Bm25StatisticsProvider,
    ) -> tantivy::Result<Self> {
        let lengths = Arc::new(Lengths::of(stats, term.field())?);
        Self::with_lengths(searcher, term, stats, lengths)
    }

    /// `new`, with the field's length tables already made from `stats`.
    fn with_lengths(
        searcher: &Searcher,
        term: &Term,
        stats: &dyn Bm25StatisticsProvider,
        lengths: Arc<Lengths>,
    ) -> tantivy::Result<Self> {
        let field = term.field();
        let postings = searcher
            .segment_readers()
            .iter()
            .map(|segment| Ok(segment.inverted_index(field)?.get_term_info(term)?))
            .collect::<tantivy::Result<_>>()?;
        Ok(ReadyTerm {
            field,
            bm25: Bm25::new(stats.doc_freq(term)?, stats.total_num_docs()?, lengths),
            postings,
        })
    }
}

/// Terms ready for retrieval, by term, for one state of one index. The
/// cache owner bounds how many are kept.
#[derive(Default)]
pub struct Bm25Memo {
    /// By field, then by word: a query's words are looked up as they
    /// come, without building a `Term` (an allocation) for each.
    ready: HashMap<Field, HashMap<String, Arc<ReadyTerm>>>,
    /// By field: its live length (see `LiveStats`) and the BM25 length
    /// tables made from it, shared by its terms.
    fields: HashMap<Field, (u64, Arc<Lengths>)>,
}

impl Bm25Memo {
    /// Terms remembered.
    pub fn len(&self) -> usize {
        self.ready.values().map(HashMap::len).sum()
    }

    /// Forgets the terms (to bound memory). The live field lengths and
    /// their tables stay: they depend on the index state only, and cost a
    /// pass over every document to compute again.
    pub fn clear(&mut self) {
        self.ready.clear();
    }

    /// `word` of `field` (with frequencies) ready for retrieval: made on
    /// first use, and remembered.
    pub fn ready(
        &mut self,
        searcher: &Searcher,
        field: Field,
        word: &str,
    ) -> tantivy::Result<Arc<ReadyTerm>> {
        if let Some(ready) = self.ready.get(&field).and_then(|words| words.get(word)) {
            return Ok(ready.clone());
        }
        let term = Term::from_field_text(field, word);
        let (total_tokens, known) = match self.fields.get(&field) {
            Some((tokens, lengths)) => (*tokens, Some(lengths.clone())),
            None => (live_tokens(searcher, field)?, None),
        };
        let stats = LiveStats {
            searcher,
            field,
            total_tokens,
        };
        let lengths = match known {
            Some(lengths) => lengths,
            None => {
                let lengths = Arc::new(Lengths::of(&stats, field)?);
                self.fields.insert(field, (total_tokens, lengths.clone()));
                lengths
            }
        };
        let ready = Arc::new(ReadyTerm::with_lengths(searcher, &term, &stats, lengths)?);
        self.ready
            .entry(field)
            .or_default()
            .insert(word.to_string(), ready.clone());
        Ok(ready)
    }
}

/// BM25 statistics over the live documents of a searcher, for one field
/// whose total length is already known.
struct LiveStats<'a> {
    searcher: &'a Searcher,
    field: Field,
    total_tokens: u64,
}

impl Bm25StatisticsProvider for LiveStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if field == self.field {
            Ok(self.total_tokens)
        } else {
            live_tokens(self.searcher, field)
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.searcher.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        live_doc_freq(self.searcher, term)
    }
}

/// The number of live documents holding `term`. Segments without deletes
/// answer from the term dictionary; the others walk the term's postings.
pub fn live_doc_freq(searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
    let mut count = 0;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(term.field())?;
        let Some(alive) = segment.alive_bitset() else {
            count += u64::from(inverted.doc_freq(term)?);
            continue;
        };
        if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                count += u64::from(alive.is_alive(doc));
                doc = postings.advance();
            }
        }
    }
    Ok(count)
}

/// The summed length of `field` over live documents, each as its stored
/// field norm (what BM25 normalises by), so it depends on the live
/// documents only. One pass over the documents' norms: once per field and
/// index state.
fn live_tokens(searcher: &Searcher, field: Field) -> tantivy::Result<u64> {
    let mut total = 0;
    for segment in searcher.segment_readers() {
        let norms = segment.get_fieldnorms_reader(field)?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                total += u64::from(norms.fieldnorm(doc));
            }
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests;

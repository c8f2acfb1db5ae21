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
//! was searched, and read a decoded block of 128 at a time, by a reader
//! the thread keeps (Tantivy's `SegmentPostings` costs a call per posting
//! and a fresh reader per term: tweets +1-12 % in-process, same session,
//! alternating binaries).
//!
//! The windows of a transcript are searched together: each sentence is in
//! a window of its own and in up to three runs of sentences, so its terms
//! come back in up to four queries. Each horizon decodes and scores every
//! distinct term's postings once, and each query adds up its terms from
//! those: 60-second transcripts against 100,000 claims went from 391 to
//! 500 a second in-process (`claimsignal bench`, same session, alternating
//! binaries).
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

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tantivy::InvertedIndexReader;
use tantivy::directory::OwnedBytes;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Score, Searcher, TERMINATED};

use super::terms::ReadyTerm;
use super::topk::TopK;
use crate::error::Result;

/// Documents scored together: a score and a slot in the touched list
/// each, 32 KiB (40 with the two flags of filters), about a core's L1
/// data cache.
const HORIZON: u32 = 4_096;

/// The documents of a full block of Tantivy's postings (all but a list's
/// last block are full).
const FULL_BLOCK: usize = 128;

/// A term's postings in one segment, read a block at a time: `at` is the
/// next posting's place in the decoded block (a slice walk, not a call per
/// posting as `SegmentPostings` makes).
struct Cursor<'a> {
    block: Box<BlockSegmentPostings>,
    at: usize,
    /// The field's norm id of every document of the segment.
    norms: &'a [u8],
    bm25: &'a super::terms::Bm25,
}

impl Cursor<'_> {
    /// The next document, or `TERMINATED`. A full block is never left
    /// consumed (see `score_until`), so a block ends the list only when it
    /// is short.
    fn doc(&self) -> u32 {
        self.block
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Scores the postings below `end` into `scored` from `scored[*used]`
    /// on (growing it when a block might not fit), as offsets from
    /// `start`, scored as Tantivy's term scorer scores them. Written
    /// through a slice, not pushed: with a `Vec` the compiler reloads its
    /// length, capacity and the term's weight for every posting.
    fn score_until(
        &mut self,
        start: u32,
        end: u32,
        scored: &mut Vec<(u32, Score)>,
        used: &mut usize,
    ) {
        let (norms, bm25) = (self.norms, self.bm25);
        loop {
            let (docs, freqs) = (self.block.docs(), self.block.freqs());
            let mut i = self.at;
            let room = docs.len() - i;
            if scored.len() < *used + room {
                scored.resize((*used + room).max(2 * scored.len()), (0, 0.0));
            }
            let out = &mut scored[*used..*used + room];
            let mut written = 0;
            while i < docs.len() && docs[i] < end {
                let doc = docs[i];
                out[written] = (doc - start, bm25.score(norms[doc as usize], freqs[i]));
                written += 1;
                i += 1;
            }
            *used += written;
            self.at = i;
            if i < docs.len() || docs.len() < FULL_BLOCK {
                return;
            }
            self.block.advance();
            self.at = 0;
        }
    }
}

/// Per-thread scratch space, kept between searches so it is allocated
/// once per thread: the scores of one horizon's documents for the query
/// being summed (zero where no term was added: a BM25 score is positive)
/// and the documents it touched (cleared by walking those only), and the
/// horizon's postings of every term.
#[derive(Default)]
pub struct Accumulator {
    scores: Vec<Score>,
    /// One slot more than the horizon: see the sum in `top_docs_with`.
    touched: Vec<u32>,
    /// The horizon's scored postings (offset in the horizon, score), term
    /// after term, in its first entries; `spans[t]` is term `t`'s part.
    /// At most the horizon's documents times the terms a claim holds in
    /// both fields (a MiB for claims of 30 words), however many windows
    /// search together.
    postings: Vec<(u32, Score)>,
    spans: Vec<std::ops::Range<usize>>,
    /// With filters: the horizon's documents any term holds (`present`,
    /// listed in `holders`) and which of them the filters admit.
    present: Vec<bool>,
    admitted: Vec<bool>,
    holders: Vec<u32>,
    /// Postings readers (their decoded blocks, a KiB each) kept for the
    /// next segment or search instead of made anew for every term; boxed,
    /// so that handing one to a cursor and back moves a pointer.
    #[allow(clippy::vec_box)]
    blocks: Vec<Box<BlockSegmentPostings>>,
}

/// For each query (the union of its terms, scored in this order; made by
/// `Bm25Memo` for this searcher), the `limit` best documents among the
/// live documents that every one of `filters` matches, best first.
/// Queries are searched together (the windows of a transcript): a term
/// that several queries share, as overlapping windows do, has its
/// postings decoded and scored once per horizon and added into each
/// query's sum from there.
pub fn top_docs_each<T: AsRef<[Arc<ReadyTerm>]>>(
    searcher: &Searcher,
    queries: &[T],
    filters: &[Box<dyn Weight>],
    limit: usize,
    scratch: &mut Accumulator,
) -> Result<Vec<Vec<(Score, DocAddress)>>> {
    top_docs_with(searcher, queries, filters, limit, scratch, HORIZON)
}

/// `top_docs_each`, `horizon` documents at a time.
fn top_docs_with<T: AsRef<[Arc<ReadyTerm>]>>(
    searcher: &Searcher,
    queries: &[T],
    filters: &[Box<dyn Weight>],
    limit: usize,
    scratch: &mut Accumulator,
    horizon: u32,
) -> Result<Vec<Vec<(Score, DocAddress)>>> {
    if limit == 0 {
        return Ok(vec![Vec::new(); queries.len()]);
    }
    // The distinct terms (one `Arc` per term and index state, from
    // `Bm25Memo`), and each query as positions among them.
    let mut distinct: Vec<&ReadyTerm> = Vec::new();
    let mut position: HashMap<*const ReadyTerm, usize> = HashMap::default();
    let slots: Vec<Vec<usize>> = queries
        .iter()
        .map(|terms| {
            terms
                .as_ref()
                .iter()
                .map(|term| {
                    *position.entry(Arc::as_ptr(term)).or_insert_with(|| {
                        distinct.push(term);
                        distinct.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    let mut tops: Vec<TopK> = queries.iter().map(|_| TopK::new(limit)).collect();
    let width = horizon as usize;
    if scratch.scores.len() < width {
        scratch.scores.resize(width, 0.0);
        scratch.touched.resize(width + 1, 0);
        scratch.present.resize(width, false);
        scratch.admitted.resize(width, false);
    }
    let Accumulator {
        scores,
        touched,
        postings: scored,
        spans,
        present,
        admitted,
        holders,
        blocks,
    } = scratch;
    // Slices, not vectors, in the loops below: the compiler then keeps
    // their addresses in registers instead of reloading them per posting.
    let (scores, touched) = (&mut scores[..width], &mut touched[..width + 1]);
    let (present, admitted) = (&mut present[..width], &mut admitted[..width]);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        // The segment's inverted index and norms of a field are opened once
        // for all its terms (opening takes a lock and clones shared counters).
        let mut fields: Vec<(Field, Arc<InvertedIndexReader>, OwnedBytes)> = Vec::new();
        for term in &distinct {
            if term.postings[ord].is_some() && fields.iter().all(|f| f.0 != term.field) {
                let norms = norm_ids(reader, term.field)?;
                fields.push((term.field, reader.inverted_index(term.field)?, norms));
            }
        }
        // Each term's postings in this segment (`None` where the segment
        // lacks the term). Every searched field is indexed with
        // frequencies, so a reader kept from any term reads any other.
        let mut cursors = Vec::with_capacity(distinct.len());
        for term in &distinct {
            let cursor = match &term.postings[ord] {
                Some(info) => {
                    let (_, inverted, norms) = fields
                        .iter()
                        .find(|f| f.0 == term.field)
                        .expect("every field with postings was opened above");
                    let block = match blocks.pop() {
                        Some(mut block) => {
                            inverted.reset_block_postings_from_terminfo(info, &mut block)?;
                            block
                        }
                        None => Box::new(inverted.read_block_postings_from_terminfo(
                            info,
                            IndexRecordOption::WithFreqs,
                        )?),
                    };
                    Some(Cursor {
                        block,
                        at: 0,
                        norms: norms.as_slice(),
                        bm25: &term.bm25,
                    })
                }
                None => None,
            };
            cursors.push(cursor);
        }
        let next = |cursors: &[Option<Cursor>]| {
            cursors
                .iter()
                .flatten()
                .map(Cursor::doc)
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
            // Every term's postings in the horizon, decoded and scored once.
            let mut used = 0;
            spans.clear();
            for cursor in &mut cursors {
                let from = used;
                if let Some(cursor) = cursor {
                    cursor.score_until(start, end, scored, &mut used);
                }
                spans.push(from..used);
            }
            // A filter's docset only moves forward: the documents any term
            // holds are put to the filters once, in ascending order.
            if !filters.is_empty() {
                for &(at, _) in &scored[..used] {
                    if !present[at as usize] {
                        present[at as usize] = true;
                        holders.push(at);
                    }
                }
                holders.sort_unstable();
                for &at in holders.iter() {
                    let doc = start + at;
                    admitted[at as usize] = alive.is_none_or(|alive| alive.is_alive(doc))
                        && filters.iter_mut().all(|filter| {
                            let at = filter.doc();
                            at == doc || (at < doc && filter.seek(doc) == doc)
                        });
                }
            }
            for (query, top) in slots.iter().zip(tops.iter_mut()) {
                // The query's terms in its order, as Tantivy's union adds
                // them. A document is listed as touched the first time a
                // score is added to it, without a branch: its offset is
                // written to the next free slot, which is taken only if
                // its score was still zero (whether a document is new is
                // a coin toss on a large index, which a branch would
                // mispredict).
                let mut count = 0;
                for &slot in query {
                    for &(at, score) in &scored[spans[slot].clone()] {
                        let at = at as usize;
                        touched[count] = at as u32;
                        count += usize::from(scores[at] == 0.0);
                        scores[at] += score;
                    }
                }
                for &at in &touched[..count] {
                    let score = std::mem::take(&mut scores[at as usize]);
                    let doc = start + at;
                    let admit = if filters.is_empty() {
                        alive.is_none_or(|alive| alive.is_alive(doc))
                    } else {
                        admitted[at as usize]
                    };
                    if admit {
                        top.push(score, DocAddress::new(ord as u32, doc));
                    }
                }
            }
            for &at in holders.iter() {
                present[at as usize] = false;
                admitted[at as usize] = false;
            }
            holders.clear();
            start = next(&cursors);
        }
        blocks.extend(cursors.into_iter().flatten().map(|cursor| cursor.block));
    }
    Ok(tops.into_iter().map(TopK::into_sorted).collect())
}

/// The norm id of every document of `reader` in `field` (how Tantivy's
/// `FieldNormReader` reads them, less a `match` per posting); a field
/// without norms counts every document as one word long, as Tantivy's
/// scorer does.
fn norm_ids(reader: &tantivy::SegmentReader, field: Field) -> tantivy::Result<OwnedBytes> {
    match reader
        .fieldnorms_readers()
        .get_inner_file()
        .open_read(field)
    {
        Some(file) => Ok(file.read_bytes()?),
        None => Ok(OwnedBytes::new(vec![
            FieldNormReader::fieldnorm_to_id(1);
            reader.max_doc() as usize
        ])),
    }
}

#[cfg(test)]
mod tests;

//! Per-thread memory of what scoring learns about claims: their cards,
//! their analysis and the IDF of terms. Valid for one state of one index
//! (its instance and searcher generation) and dropped when that changes,
//! so a load or retraction is never answered from stale data.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tantivy::DocAddress;

use super::diminutives::PlainMemo;
use super::features::ClaimText;
use super::idf::IdfMemo;
use super::retrieve::Accumulator;
use super::terms::Bm25Memo;
use crate::index::ClaimCard;

/// Claims remembered per thread before the memory is cleared.
const MAX_CLAIMS: usize = 200_000;
/// Terms remembered per thread before the memory is cleared.
const MAX_TERMS: usize = 1_000_000;
/// Query terms ready for retrieval remembered per thread (a weight and
/// where the postings lie in each segment: about 100 bytes each).
const MAX_WEIGHTS: usize = 20_000;

/// A claim as scoring needs it: the card and its analysis (stemmed in its
/// language when `stemmed`, else folded).
pub type CachedClaim = (Arc<ClaimCard>, Arc<ClaimText>);

/// What one thread remembers about one state of one index.
#[derive(Default)]
pub struct Cache {
    state: (u64, u64),
    /// Claims by document and analysis kind (`true` = stemmed).
    pub claims: HashMap<(DocAddress, bool), CachedClaim>,
    /// IDF by field and term.
    pub idf: IdfMemo,
    /// BM25 weights of query terms.
    pub bm25: Bm25Memo,
    /// Retrieval's score buffer for one horizon of documents.
    pub retrieval: Accumulator,
    /// The plain forms of words that could be diminutives.
    pub plain: PlainMemo,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// Runs `f` with this thread's cache for index state `state` (index
/// instance, searcher generation). Must not be called from inside `f`.
pub fn with_cache<R>(state: (u64, u64), f: impl FnOnce(&mut Cache) -> R) -> R {
    CACHE.with(|cell| {
        let mut cache = cell.borrow_mut();
        let terms: usize = cache.idf.values().map(|t| t.len()).sum();
        if cache.state != state {
            *cache = Cache {
                state,
                ..Cache::default()
            };
        } else if cache.claims.len() > MAX_CLAIMS
            || terms > MAX_TERMS
            || cache.bm25.len() > MAX_WEIGHTS
            || cache.plain.len() > MAX_TERMS
        {
            cache.claims.clear();
            cache.idf.clear();
            cache.bm25.clear();
            cache.plain.clear();
        }
        f(&mut cache)
    })
}

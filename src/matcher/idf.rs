//! How rare a term is among the claims: inverse document frequencies,
//! read from the index's searcher and memoised per request.

use rustc_hash::FxHashMap as HashMap;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::error::Result;

/// Claims the IDF of the features assumes besides those indexed, none of
/// which holds the term. A word in one of five claims is not common for
/// being in a fifth of them: a partner's first few claims are a sample of
/// the many checks to come, and a feature weighing a repeat of one of
/// them by how rare its words are must not call every word common.
/// At 14,000 claims this moves a word's IDF by under 0.1.
pub(super) const UNSEEN_DOCS: f32 = 1000.0;

/// BM25-style IDF of terms, looked up in the index once per searcher and
/// remembered: the same words come back in request after request.
pub struct Idf<'a> {
    searcher: &'a Searcher,
    num_docs: f32,
    memo: &'a mut IdfMemo,
}

/// Remembered IDF values, by field then term.
pub type IdfMemo = HashMap<Field, HashMap<String, f32>>;

impl<'a> Idf<'a> {
    /// Returns an IDF source over `searcher`, remembering into `memo`,
    /// which must only ever hold values from this searcher.
    pub fn new(searcher: &'a Searcher, memo: &'a mut IdfMemo) -> Self {
        let num_docs = searcher.num_docs() as f32 + UNSEEN_DOCS;
        Idf {
            searcher,
            num_docs,
            memo,
        }
    }

    pub(super) fn get(&mut self, field: Field, term: &str) -> Result<f32> {
        if let Some(idf) = self.memo.get(&field).and_then(|terms| terms.get(term)) {
            return Ok(*idf);
        }
        // Live documents only, as the BM25 weights (see `terms`).
        let doc_freq =
            super::terms::live_doc_freq(self.searcher, &Term::from_field_text(field, term))? as f32;
        let idf = (1.0 + (self.num_docs - doc_freq + 0.5) / (doc_freq + 0.5)).ln();
        self.memo
            .entry(field)
            .or_default()
            .insert(term.to_string(), idf);
        Ok(idf)
    }
}

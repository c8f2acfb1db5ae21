//! Terms as 64-bit keys: what matching compares a window and a claim by.

use std::hash::{Hash, Hasher};

/// A term reduced to a 64-bit key. Features compare a window's terms with
/// twenty claims' terms per window: comparing keys instead of strings
/// takes a multiply per lookup instead of hashing and comparing bytes.
/// Two distinct terms of one request sharing a key is a 1 in 10^15 event
/// at worst, and would only nudge a feature.
pub type TermKey = u64;

/// Returns the key of a term.
pub fn term_key(term: &str) -> TermKey {
    let mut hasher = rustc_hash::FxHasher::default();
    term.hash(&mut hasher);
    hasher.finish()
}

/// Returns the key of an adjacent pair of terms.
pub(super) fn pair_key(first: TermKey, second: TermKey) -> TermKey {
    let mut hasher = rustc_hash::FxHasher::default();
    first.hash(&mut hasher);
    second.hash(&mut hasher);
    hasher.finish()
}

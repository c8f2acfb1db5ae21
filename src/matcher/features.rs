//! Features of a (window, claim) pair: what the reranking model sees.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, Term};

use crate::error::Result;

/// Names of the features, in vector order. The model file lists them too,
/// and loading refuses a model fitted on other features.
pub const FEATURE_NAMES: [&str; 20] = [
    "bm25_relative",
    "retrieval_rank",
    "claim_coverage_idf",
    "claim_coverage",
    "window_coverage_idf",
    "bigram_coverage",
    "title_coverage_idf",
    "numbers_agree",
    "numbers_conflict",
    "names_missing",
    "log_claim_terms",
    "log_window_terms",
    "cross_language",
    "claim_coverage_idf_squared",
    "claim_coverage_x_bm25_relative",
    "claim_coverage_x_title_coverage",
    "full_coverage",
    "log_days_apart",
    "claim_after",
    "log_days_after",
];

/// Returns the position of a named feature.
pub fn feature_index(name: &str) -> Option<usize> {
    FEATURE_NAMES.iter().position(|n| *n == name)
}

/// Position of the IDF-weighted claim coverage, the strongest single signal.
pub const CLAIM_COVERAGE_IDF: usize = 2;

/// Positions of the features that compare the video's date with the
/// claim's; zero unless both have one.
pub const DATE_FEATURES: std::ops::Range<usize> = 17..20;

/// A feature vector.
pub type Features = [f32; FEATURE_NAMES.len()];

/// Returns `(term, byte range)` for every token `analyzer` makes of `text`.
pub fn analyzed(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let token = stream.token();
        tokens.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    tokens
}

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
        let num_docs = searcher.num_docs().max(1) as f32;
        Idf {
            searcher,
            num_docs,
            memo,
        }
    }

    fn get(&mut self, field: Field, term: &str) -> Result<f32> {
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

/// A window of content, analyzed once for every claim it is compared with.
pub struct WindowText {
    /// Distinct terms with their IDF.
    pub terms: HashMap<String, f32>,
    /// Adjacent term pairs.
    pub bigrams: HashSet<(String, String)>,
    /// Folded words, for names.
    pub folded: HashSet<String>,
    /// Numbers written in the window.
    pub numbers: HashSet<String>,
}

impl WindowText {
    /// Analyzes `text` with the analyzer of `field` and the folded analyzer.
    pub fn new(
        idf: &mut Idf<'_>,
        field: Field,
        analyzer: &mut TextAnalyzer,
        fold: &mut TextAnalyzer,
        text: &str,
    ) -> Result<Self> {
        let tokens: Vec<String> = analyzed(analyzer, text).into_iter().map(|t| t.0).collect();
        let mut terms = HashMap::default();
        for term in &tokens {
            if !terms.contains_key(term) {
                let weight = idf.get(field, term)?;
                terms.insert(term.clone(), weight);
            }
        }
        let bigrams = tokens
            .windows(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect();
        let folded: HashSet<String> = analyzed(fold, text).into_iter().map(|t| t.0).collect();
        let numbers = folded
            .iter()
            .filter(|w| w.bytes().all(|b| b.is_ascii_digit()))
            .cloned()
            .collect();
        Ok(WindowText {
            terms,
            bigrams,
            folded,
            numbers,
        })
    }
}

/// A claim, analyzed once per request.
pub struct ClaimText {
    /// Distinct terms of the claim text, with IDF, in first-seen order.
    pub terms: Vec<(String, f32)>,
    /// The claim words behind each term (first occurrence).
    pub words: Vec<String>,
    /// Adjacent term pairs.
    pub bigrams: HashSet<(String, String)>,
    /// Distinct title terms with IDF.
    pub title_terms: Vec<(String, f32)>,
    /// Numbers the claim states.
    pub numbers: HashSet<String>,
    /// Capitalised words not at a sentence start (names), folded.
    pub names: HashSet<String>,
}

impl ClaimText {
    /// Analyzes a claim's text and title.
    pub fn new(
        idf: &mut Idf<'_>,
        field: Field,
        analyzer: &mut TextAnalyzer,
        fold: &mut TextAnalyzer,
        text: &str,
        title: &str,
    ) -> Result<Self> {
        let tokens = analyzed(analyzer, text);
        let mut seen = HashSet::default();
        let mut terms = Vec::new();
        let mut words = Vec::new();
        for (term, range) in &tokens {
            if seen.insert(term.clone()) {
                terms.push((term.clone(), idf.get(field, term)?));
                words.push(text[range.clone()].to_string());
            }
        }
        let bigrams = tokens
            .windows(2)
            .map(|p| (p[0].0.clone(), p[1].0.clone()))
            .collect();
        let mut title_seen = HashSet::default();
        let mut title_terms = Vec::new();
        for (term, _) in analyzed(analyzer, title) {
            if title_seen.insert(term.clone()) {
                let weight = idf.get(field, &term)?;
                title_terms.push((term, weight));
            }
        }
        let folded = analyzed(fold, text);
        let numbers = folded
            .iter()
            .filter(|(w, _)| w.bytes().all(|b| b.is_ascii_digit()))
            .map(|(w, _)| w.clone())
            .collect();
        let mut names = HashSet::default();
        for (i, (word, range)) in folded.iter().enumerate() {
            let original = &text[range.clone()];
            let capitalised = original.chars().next().is_some_and(char::is_uppercase);
            let after_stop = i == 0
                || text[..range.start]
                    .trim_end()
                    .ends_with(['.', '!', '?', ':', '"', '“']);
            if capitalised && !after_stop && word.len() > 1 {
                names.insert(word.clone());
            }
        }
        Ok(ClaimText {
            terms,
            words,
            bigrams,
            title_terms,
            numbers,
            names,
        })
    }
}

/// How the candidate was retrieved.
pub struct Retrieval {
    /// BM25 of the candidate for the window.
    pub bm25: f32,
    /// BM25 of the window's best candidate.
    pub top_bm25: f32,
    /// 0-based rank among the window's candidates.
    pub rank: usize,
    /// The claim is in another language than the window.
    pub cross_language: bool,
    /// When the video (the request's `observed_at`) and the claim have
    /// dates at most `DATED_WITHIN_DAYS` apart: the claim's day minus the
    /// video's, in days.
    pub days_apart: Option<i64>,
}

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// How far apart in time a video and a claim may lie for their dates to
/// count: an election cycle. Fact-checks follow the posts they check
/// within days and debate claims are checked as they are stated, but old
/// falsehoods come back in every election: beyond this, a claim is judged
/// on its words alone, as if neither side had a date (measured: with the
/// Snopes dev tweets re-dated to 2026, `review` recall stays at 0.75
/// instead of falling to 0.32 under a model that counts any distance).
pub const DATED_WITHIN_DAYS: i64 = 730;

/// Days from `observed_ms` to `claim_ms` in whole UTC days, when they lie
/// within `DATED_WITHIN_DAYS` of each other.
pub fn days_apart(observed_ms: i64, claim_ms: i64) -> Option<i64> {
    let days = claim_ms.div_euclid(DAY_MS) - observed_ms.div_euclid(DAY_MS);
    (days.abs() <= DATED_WITHIN_DAYS).then_some(days)
}

fn weighted_share(terms: &[(String, f32)], window: &WindowText) -> f32 {
    let total: f32 = terms.iter().map(|t| t.1).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let covered: f32 = terms
        .iter()
        .filter(|t| window.terms.contains_key(&t.0))
        .map(|t| t.1)
        .sum();
    covered / total
}

/// Returns the features of a (window, claim) pair.
pub fn features(window: &WindowText, claim: &ClaimText, retrieval: &Retrieval) -> Features {
    let claim_coverage_idf = weighted_share(&claim.terms, window);
    let claim_coverage = if claim.terms.is_empty() {
        0.0
    } else {
        claim
            .terms
            .iter()
            .filter(|t| window.terms.contains_key(&t.0))
            .count() as f32
            / claim.terms.len() as f32
    };
    let claim_term_set: HashSet<&str> = claim
        .terms
        .iter()
        .chain(&claim.title_terms)
        .map(|t| t.0.as_str())
        .collect();
    let window_total: f32 = window.terms.values().sum();
    let window_coverage_idf = if window_total > 0.0 {
        window
            .terms
            .iter()
            .filter(|(t, _)| claim_term_set.contains(t.as_str()))
            .map(|(_, w)| w)
            .sum::<f32>()
            / window_total
    } else {
        0.0
    };
    let bigram_coverage = if claim.bigrams.is_empty() {
        0.0
    } else {
        claim
            .bigrams
            .iter()
            .filter(|b| window.bigrams.contains(*b))
            .count() as f32
            / claim.bigrams.len() as f32
    };
    let shared_numbers = claim
        .numbers
        .iter()
        .filter(|n| window.numbers.contains(*n))
        .count();
    let numbers_agree = !claim.numbers.is_empty() && shared_numbers == claim.numbers.len();
    let numbers_conflict =
        !claim.numbers.is_empty() && !window.numbers.is_empty() && shared_numbers == 0;
    let names_missing =
        !claim.names.is_empty() && claim.names.iter().all(|n| !window.folded.contains(n));
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let bm25_relative = if retrieval.top_bm25 > 0.0 {
        retrieval.bm25 / retrieval.top_bm25
    } else {
        0.0
    };
    let title_coverage_idf = weighted_share(&claim.title_terms, window);
    // Closeness in time is evidence (see `DATED_WITHIN_DAYS`). Zero when
    // the dates say nothing; the undated models judge those pairs.
    let days = retrieval.days_apart;
    let log_days = days.map_or(0.0, |d| (d.unsigned_abs() as f32).ln_1p());
    let after = flag(days.is_some_and(|d| d >= 0));
    [
        bm25_relative,
        1.0 / (retrieval.rank as f32 + 1.0),
        claim_coverage_idf,
        claim_coverage,
        window_coverage_idf,
        bigram_coverage,
        title_coverage_idf,
        flag(numbers_agree),
        flag(numbers_conflict),
        flag(names_missing),
        (claim.terms.len() as f32).ln_1p(),
        (window.terms.len() as f32).ln_1p(),
        flag(retrieval.cross_language),
        claim_coverage_idf * claim_coverage_idf,
        claim_coverage_idf * bm25_relative,
        claim_coverage_idf * title_coverage_idf,
        flag(claim_coverage >= 0.999),
        log_days,
        after,
        log_days * after,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_positions_agree() {
        assert_eq!(
            feature_index("claim_coverage_idf"),
            Some(CLAIM_COVERAGE_IDF)
        );
        assert_eq!(feature_index("nonexistent"), None);
        assert_eq!(feature_index("log_days_apart"), Some(DATE_FEATURES.start));
        assert_eq!(FEATURE_NAMES.len(), DATE_FEATURES.end);
    }
}

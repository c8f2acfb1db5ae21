//! Features of a (window, claim) pair: what the reranking model sees.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::idf::Idf;
use super::keys::pair_key;
pub use super::keys::{TermKey, term_key};
use super::speaker::{claimant_keys, name_keys};
use crate::error::Result;

/// Names of the features, in vector order. The model file lists them too,
/// and loading refuses a model fitted on other features.
pub const FEATURE_NAMES: [&str; 23] = [
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
    "mutual_coverage_idf",
    "log_shared_idf",
    "speaker_agrees",
    "log_days_apart",
    "claim_after",
    "log_days_after",
];

/// Returns the position of a named feature.
pub fn feature_index(name: &str) -> Option<usize> {
    FEATURE_NAMES.iter().position(|n| *n == name)
}

/// Positions of the features that read the video's and the claim's dates
/// (`log_days_apart`, `claim_after`, `log_days_after`): zero for a pair
/// whose dates do not count.
pub const DATE_FEATURES: std::ops::Range<usize> = 20..23;

/// Position of `speaker_agrees`: zero for content sent alone.
pub const SPEAKER_AGREES: usize = 19;

/// Position of the IDF-weighted claim coverage, the strongest single signal.
pub const CLAIM_COVERAGE_IDF: usize = 2;

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

/// Keys of the amounts `text` writes in digits, each one key however it
/// is written ("R$ 1.200", "1200 reais", "R$ 1,2 mil"; "Rp 150 ribu",
/// "150rb": `numbers::written_amounts`), so that a number written
/// otherwise than the check writes it agrees with it rather than
/// conflicting.
fn number_keys(text: &str) -> impl Iterator<Item = TermKey> {
    super::numbers::written_amounts(&crate::text::fold(text))
        .into_iter()
        .map(|amount| term_key(&format!("={amount}")))
}

/// A window of content, analyzed once for every claim it is compared with.
pub struct WindowText {
    /// Distinct terms with their IDF, to look up.
    pub terms: HashMap<TermKey, f32>,
    /// The same, in first-seen order, to walk (faster than the map's
    /// buckets, and a sum over it adds in the same order every time).
    pub distinct: Vec<(TermKey, f32)>,
    /// Sum of the distinct terms' IDF.
    pub idf_total: f32,
    /// Adjacent term pairs.
    pub bigrams: HashSet<TermKey>,
    /// Folded words, for names.
    pub folded: HashSet<TermKey>,
    /// Amounts the window writes in digits (`number_keys`).
    pub numbers: HashSet<TermKey>,
    /// Name words of the window's speakers (empty when unknown).
    pub speakers: Vec<TermKey>,
}

impl WindowText {
    /// Builds the window's side of the features from its `terms` (the
    /// analysis of the claim field it is compared in, in text order) and
    /// its `folded` words (the folded analysis of the whole `text`), said
    /// by `speakers` when known.
    pub fn new(
        idf: &mut Idf<'_>,
        field: Field,
        terms: &[String],
        folded: &[String],
        text: &str,
        speakers: &[std::sync::Arc<str>],
    ) -> Result<Self> {
        let mut weights = HashMap::default();
        let mut distinct = Vec::with_capacity(terms.len());
        let mut idf_total = 0.0;
        let mut keys = Vec::with_capacity(terms.len());
        for term in terms {
            let key = term_key(term);
            keys.push(key);
            if let std::collections::hash_map::Entry::Vacant(slot) = weights.entry(key) {
                let weight = idf.get(field, term)?;
                idf_total += weight;
                slot.insert(weight);
                distinct.push((key, weight));
            }
        }
        Ok(WindowText {
            terms: weights,
            distinct,
            idf_total,
            bigrams: keys.windows(2).map(|p| pair_key(p[0], p[1])).collect(),
            folded: folded.iter().map(|w| term_key(w)).collect(),
            numbers: number_keys(text).collect(),
            speakers: speakers.iter().flat_map(|s| name_keys(s)).collect(),
        })
    }
}

/// A claim, analyzed once and remembered per thread.
pub struct ClaimText {
    /// Distinct terms of the claim text, with IDF, in first-seen order.
    pub terms: Vec<(TermKey, f32)>,
    /// The claim words behind each term (first occurrence).
    pub words: Vec<String>,
    /// Sum of the terms' IDF.
    pub idf_total: f32,
    /// Distinct adjacent term pairs.
    pub bigrams: Vec<TermKey>,
    /// Distinct title terms with IDF.
    pub title_terms: Vec<(TermKey, f32)>,
    /// Sum of the title terms' IDF.
    pub title_idf_total: f32,
    /// Terms of the text and the title.
    pub vocabulary: HashSet<TermKey>,
    /// Distinct amounts the claim writes in digits (`number_keys`).
    pub numbers: Vec<TermKey>,
    /// Distinct capitalised words not at a sentence start (names), folded.
    pub names: Vec<TermKey>,
    /// Name words of who made the claim (empty when unknown).
    pub claimant: Vec<TermKey>,
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
        claimant: &str,
    ) -> Result<Self> {
        // Searched as the index holds it: amounts also as their values.
        let searched = super::numbers::with_values(text, false);
        let tokens = analyzed(analyzer, &searched);
        let keys: Vec<TermKey> = tokens.iter().map(|(term, _)| term_key(term)).collect();
        let mut vocabulary = HashSet::default();
        let mut terms = Vec::new();
        let mut words = Vec::new();
        for ((term, range), key) in tokens.iter().zip(&keys) {
            if vocabulary.insert(*key) {
                terms.push((*key, idf.get(field, term)?));
                words.push(searched[range.clone()].to_string());
            }
        }
        let mut bigrams: Vec<TermKey> = keys.windows(2).map(|p| pair_key(p[0], p[1])).collect();
        bigrams.sort_unstable();
        bigrams.dedup();
        let mut title_seen = HashSet::default();
        let mut title_terms = Vec::new();
        for (term, _) in analyzed(analyzer, &super::numbers::with_values(title, false)) {
            let key = term_key(&term);
            if title_seen.insert(key) {
                title_terms.push((key, idf.get(field, &term)?));
                vocabulary.insert(key);
            }
        }
        let folded = analyzed(fold, text);
        let mut numbers: Vec<TermKey> = number_keys(text).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut names = Vec::new();
        for (i, (word, range)) in folded.iter().enumerate() {
            let original = &text[range.clone()];
            let capitalised = original.chars().next().is_some_and(char::is_uppercase);
            let after_stop = i == 0
                || text[..range.start]
                    .trim_end()
                    .ends_with(['.', '!', '?', ':', '"', '“']);
            if capitalised && !after_stop && word.len() > 1 {
                names.push(term_key(word));
            }
        }
        names.sort_unstable();
        names.dedup();
        Ok(ClaimText {
            idf_total: terms.iter().map(|t| t.1).sum(),
            title_idf_total: title_terms.iter().map(|t| t.1).sum(),
            terms,
            words,
            bigrams,
            title_terms,
            vocabulary,
            numbers,
            names,
            claimant: claimant_keys(claimant),
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
/// Snopes dev tweets re-dated to 2026, `review` recall is the undated
/// 0.78, where a model counting any distance fell to 0.32).
pub const DATED_WITHIN_DAYS: i64 = 730;

/// Days from `observed_ms` to `claim_ms` in whole UTC days, when they lie
/// within `DATED_WITHIN_DAYS` of each other.
pub fn days_apart(observed_ms: i64, claim_ms: i64) -> Option<i64> {
    let days = claim_ms.div_euclid(DAY_MS) - observed_ms.div_euclid(DAY_MS);
    (days.abs() <= DATED_WITHIN_DAYS).then_some(days)
}

/// Of `terms` (IDF weights summing to `total`), the share of the weight
/// found in the window and how many are found.
fn coverage(terms: &[(TermKey, f32)], total: f32, window: &WindowText) -> (f32, usize) {
    let (mut weight, mut count) = (0.0f32, 0usize);
    for (term, idf) in terms {
        if window.terms.contains_key(term) {
            weight += idf;
            count += 1;
        }
    }
    let share = if total > 0.0 { weight / total } else { 0.0 };
    (share, count)
}

/// Returns the features of a (window, claim) pair.
pub fn features(window: &WindowText, claim: &ClaimText, retrieval: &Retrieval) -> Features {
    let (claim_coverage_idf, covered) = coverage(&claim.terms, claim.idf_total, window);
    let claim_coverage = if claim.terms.is_empty() {
        0.0
    } else {
        covered as f32 / claim.terms.len() as f32
    };
    let window_coverage_idf = if window.idf_total > 0.0 {
        window
            .distinct
            .iter()
            .filter(|(t, _)| claim.vocabulary.contains(t))
            .map(|(_, w)| w)
            .sum::<f32>()
            / window.idf_total
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
    let (title_coverage_idf, _) = coverage(&claim.title_terms, claim.title_idf_total, window);
    // Closeness in time is evidence (see `DATED_WITHIN_DAYS`). Zero when
    // the dates say nothing; the undated models judge those pairs.
    let days = retrieval.days_apart;
    let log_days = days.map_or(0.0, |d| (d.unsigned_abs() as f32).ln_1p());
    let after = flag(days.is_some_and(|d| d >= 0));
    // Who said it: a sentence of a debate most often repeats a claim its
    // own speaker made (on the debate train split, 81 % of the labelled
    // pairs name the line's speaker as the claimant, 12 % of the other
    // candidates). Only pairs where both sides name someone are judged by
    // a model that reads it (`ContentKind::NamedTranscript`).
    let speaker_agrees = claim.claimant.iter().any(|k| window.speakers.contains(k));
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
        // High only when each text is mostly the other: a repeat, where
        // a sentence sharing a few words with a claim covers part of it
        // and is partly covered by it.
        claim_coverage_idf * window_coverage_idf,
        // How much evidence the shared words carry, whatever the lengths:
        // two common words shared with a short claim cover much of it
        // and say little.
        (claim_coverage_idf * claim.idf_total).ln_1p(),
        flag(speaker_agrees),
        log_days,
        after,
        log_days * after,
    ]
}

#[cfg(test)]
mod tests;

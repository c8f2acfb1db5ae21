//! The settings of matching: thresholds, window sizes, the model file.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Thresholds and sizes of matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchConfig {
    /// Matches at or above this confidence are `review` and logged as hits.
    pub review_threshold: f32,
    /// Matches at or above this confidence are `auto`.
    pub auto_threshold: f32,
    /// Windows with fewer words than this never reach `auto`.
    pub min_auto_words: usize,
    /// Claims with fewer informative words than this never reach `auto`.
    pub min_auto_claim_terms: usize,
    /// Language assumed when the request gives none and detection is unsure.
    pub default_language: String,
    /// Candidates retrieved per window before reranking.
    pub candidates: usize,
    /// Most windows searched per request; longer content is cut here.
    pub max_windows: usize,
    /// A model file from `claimsignal train`; the shipped model when unset.
    pub model_file: Option<std::path::PathBuf>,
    /// Threads that score requests (0: one per core). A fixed pool keeps
    /// each thread's claim cache warm and never runs more scoring threads
    /// than cores.
    pub threads: usize,
    /// Match by meaning too: the multilingual sentence encoder in `model/`
    /// finds claims retold in other words or another language. On by
    /// default, with `semantic_gate`: captions about other things never run
    /// the encoder, and a platform's mixed traffic keeps its speed
    /// (docs/encoder.md).
    pub semantic: bool,
    /// Claims nearer a sentence than this cosine are candidates by meaning
    /// (cosines of the centred space, `index/centre.rs`, which run lower
    /// than e5's own).
    pub semantic_floor_cosine: f32,
    /// From this cosine a claim found by meaning alone is at `review`
    /// (0.64: no negative of multilingual-dev or of the debate sentences
    /// reaches it against their claims; at 0.60 one debate sentence in
    /// 119 did).
    pub semantic_review_cosine: f32,
    /// The same for a claim in another language than the content's: a
    /// retelling sits nearer a check in its own language than the same
    /// retelling does a check in another, and so do captions that retell
    /// nothing (0.50: on multilingual-dev, `eval/` and `eval/fresh` no
    /// negative caption came within 0.29 of a claim in another language,
    /// and no debate sentence within 0.45; docs/encoder.md, "Meaning
    /// across languages on its own scale"). Under it such a claim ranks
    /// as one in the content's language.
    pub semantic_review_cosine_across: f32,
    /// A run of two or three sentences of a short video is judged as a
    /// post (its words as sure as the same stretch sent alone) when its
    /// cosine with the claim reaches this (`matcher/runs.rs`).
    pub semantic_run_cosine: f32,
    /// Content with more sentences than this is matched lexically only
    /// (the encoder's cost grows with every sentence).
    pub semantic_max_sentences: usize,
    /// Run the encoder only on sentences that could be about a checked
    /// claim: election talk (`gate.rs`), or a sentence where the lexical
    /// stage found a claim at `semantic_gate_lexical` or above. Its price:
    /// loose paraphrases that avoid election words on purpose ("o
    /// papelzinho que a máquina imprime") are left to the words unless
    /// they share a word or two with a claim (multilingual-dev MAP@5 with
    /// meaning 0.837 gated, 0.884 ungated; words only 0.743); ungated,
    /// every caption runs the encoder and a platform's mixed traffic falls
    /// from thousands of requests a second to about 220 on 2 cores
    /// (docs/encoder.md). Sentences the words already decided (`review`
    /// or above) are never embedded, gate or not.
    pub semantic_gate: bool,
    /// With `semantic_gate`, also embed a sentence whose words found a
    /// claim at this confidence or above (a loose retelling sharing a word
    /// or two with the claim, a claim partly said). At 0.05 (the default):
    /// multilingual-dev same language 0.829 -> 0.837, crosslingual 0.880
    /// -> 0.902, mixed traffic 5,670 -> 5,089 requests/s; at 0.02, 0.861
    /// and 3,170 requests/s (docs/encoder.md).
    pub semantic_gate_lexical: Option<f32>,
    /// Sentences whose vectors are kept across requests, the most lately
    /// used (0: none). A falsehood that spreads is posted again and again
    /// with the same caption or the same sound; each copy after the first
    /// costs a look-up instead of the encoder. About 1.6 KB each (3.7 KB
    /// at most: longer sentences are not kept).
    pub semantic_cache: usize,
    /// From this many claim texts, the search by meaning reads each
    /// text's signs (48 bytes) first and scores exactly only the hundredth
    /// nearest each sentence by them, instead of every text's 384 bytes
    /// (`index/signs.rs`; a million claims on one core: 13.5 ms a
    /// sentence in full, 4.8 ms through the signs; docs/encoder.md,
    /// "Signs first").
    pub semantic_signs_from: usize,
    /// The encoder's model file; unset: `model/e5-small-latin-q4.bin` of
    /// the source tree the binary was built from (an installed binary
    /// needs this set, to a copy of that file).
    pub encoder_model: Option<std::path::PathBuf>,
    /// The SHA-256 that `encoder_model` must have; unset: the shipped
    /// model's (a different model file is refused unless named here).
    pub encoder_sha256: Option<String>,
}

/// The most sentences whose vectors may be kept (1.6 to 3.7 GB).
const MAX_SEMANTIC_CACHE: usize = 1_000_000;

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            // Chosen on the train splits (`claimsignal eval` prints the
            // table): at 0.6 under 2 % of debate sentences scored against
            // unrelated claims reach review; at 0.9 auto is right about 99
            // times in 100 on posts.
            review_threshold: 0.6,
            auto_threshold: 0.9,
            min_auto_words: 6,
            min_auto_claim_terms: 3,
            default_language: "en".to_string(),
            candidates: 20,
            max_windows: 6_000,
            model_file: None,
            threads: 0,
            semantic: true,
            // Cosines of the centred space, fitted on multilingual-dev and
            // checked on English negatives (docs/encoder.md): from 0.64 no
            // negative caption reaches any claim, and every same-language
            // caption that does has its nearest claim right.
            semantic_floor_cosine: 0.14,
            semantic_review_cosine: 0.64,
            semantic_review_cosine_across: 0.50,
            semantic_run_cosine: 0.40,
            semantic_max_sentences: 32,
            semantic_gate: true,
            semantic_gate_lexical: Some(0.05),
            semantic_cache: 8_192,
            semantic_signs_from: crate::index::SIGNS_FROM,
            encoder_model: None,
            encoder_sha256: None,
        }
    }
}

impl MatchConfig {
    /// Returns an error naming the first setting that makes no sense.
    pub fn validate(&self) -> Result<()> {
        let in_unit = |x: f32| (0.0..=1.0).contains(&x);
        if !in_unit(self.review_threshold) || !in_unit(self.auto_threshold) {
            return Err(Error::invalid("match thresholds must lie in [0, 1]"));
        }
        if self.review_threshold > self.auto_threshold {
            return Err(Error::invalid(
                "review_threshold must not exceed auto_threshold",
            ));
        }
        if self.candidates == 0 || self.candidates > 1000 {
            return Err(Error::invalid("candidates must lie in 1..=1000"));
        }
        if !(0.0..1.0).contains(&self.semantic_floor_cosine)
            || !(self.semantic_floor_cosine..=1.0).contains(&self.semantic_review_cosine)
            || !(self.semantic_floor_cosine..=1.0).contains(&self.semantic_review_cosine_across)
        {
            return Err(Error::invalid(
                "semantic cosines must satisfy 0 <= semantic_floor_cosine < 1 and semantic_floor_cosine <= semantic_review_cosine, semantic_review_cosine_across <= 1",
            ));
        }
        if !in_unit(self.semantic_run_cosine) {
            return Err(Error::invalid("semantic_run_cosine must lie in [0, 1]"));
        }
        if self.semantic_gate_lexical.is_some_and(|x| !in_unit(x)) {
            return Err(Error::invalid("semantic_gate_lexical must lie in [0, 1]"));
        }
        if self.max_windows == 0 {
            return Err(Error::invalid("max_windows must be at least 1"));
        }
        if self.semantic_cache > MAX_SEMANTIC_CACHE {
            return Err(Error::invalid(format!(
                "semantic_cache must lie in 0..={MAX_SEMANTIC_CACHE} (about 1.6 KB a sentence)"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_cosine_across_languages_out_of_its_range_is_refused_by_name() {
        let mut config = MatchConfig::default();
        assert!(config.validate().is_ok());
        for wrong in [config.semantic_floor_cosine - 0.01, 1.5] {
            config.semantic_review_cosine_across = wrong;
            let refused = config.validate().map_err(|e| e.to_string());
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.contains("semantic_review_cosine_across")),
                "{wrong}: {refused:?}"
            );
        }
    }
}

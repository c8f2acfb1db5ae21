//! The space claims are searched in by meaning: e5's vectors with the mean
//! of their side taken out, made unit again.
//!
//! Every vector e5 gives a sentence shares a large common part (two
//! unrelated captions sit at cosine 0.8 and more), and that part differs
//! from one language to another (and, read with e5's prefixes, between
//! what is searched with and what is searched; the service reads both
//! sides as the text alone, `index::READING`). Left in, it drowns
//! what tells a claim from its neighbour and a caption's meaning from its
//! language. Taken out, cosine alone ranks multilingual-dev's same-language
//! captions at MAP@5 0.850 -> 0.881, its crosslingual ones 0.772 -> 0.870,
//! and snopes tweets dev 0.866 -> 0.888 (measured with e5's prefixes;
//! docs/encoder.md).
//!
//! The means are those of the claims held, like BM25's document
//! frequencies: the passage mean over every claim text's vector, the query
//! mean over a sample of claim texts embedded as captions are (the texts with
//! the smallest digests, so the sample is the same on every replica and
//! after a restart). While there are few claims, both lean on the neutral
//! sentences of the encoder crate (`PRIOR_WEIGHT` texts' worth). Fitted
//! when the claims' catch-up reaches the end of the store's changes and
//! the number of texts has moved by a tenth or the sample has texts new
//! to it (`ClaimVectors::catch_up`).
//!
//! A share (`LANGUAGE_SHARE`) of the direction each language adds (its
//! neutral sentences' mean against all of theirs) is taken out as well, from
//! a claim by its language and from a caption by the language it was
//! detected in: without it a Spanish caption is nearer every Spanish claim
//! than the Portuguese claim it retells. Cosine alone on multilingual-dev
//! crosslingual captions: 0.870 -> 0.926 (same language 0.881 -> 0.880,
//! snopes tweets dev 0.888 -> 0.881; half took both lower).

use std::collections::BTreeMap;

use crate::encoder::{DIM, NEUTRAL_LANGUAGES, NeutralMeans};

/// Claim texts embedded as queries for the query mean.
pub(super) const SAMPLE: usize = 256;
/// How many texts' worth the neutral sentences weigh in the means.
const PRIOR_WEIGHT: f64 = 32.0;
/// The share of each language's own direction taken out.
const LANGUAGE_SHARE: f32 = 0.25;

/// A language's slot: 0 for a language without neutral sentences, else
/// one past its place in `NEUTRAL_LANGUAGES`.
pub(super) fn slot_of(language: &str) -> u8 {
    NEUTRAL_LANGUAGES
        .iter()
        .position(|l| *l == language)
        .map_or(0, |i| i as u8 + 1)
}

/// Slots: every language with neutral sentences, and the others.
const SLOTS: usize = NEUTRAL_LANGUAGES.len() + 1;

/// The two means in force, and how many texts the passage mean covers.
#[derive(Clone, Debug)]
pub(super) struct Centre {
    /// For each language slot, what is taken out of a query and of a
    /// passage in that language.
    query: Box<[[f32; DIM]; SLOTS]>,
    passage: Box<[[f32; DIM]; SLOTS]>,
    basis: usize,
}

/// A query in the centred space, ready for the scan.
pub(super) struct Centred {
    /// The unit vector.
    pub vector: [f32; DIM],
    /// Its product with what is taken out of a passage, for each language
    /// slot: taken off the product with every row in that language.
    pub offsets: [f32; SLOTS],
}

impl Centre {
    /// The means of `rows` texts whose passage vectors sum to
    /// `passage_sum` and of `queries` sampled texts whose query vectors sum
    /// to `query_sum`, each drawn towards the neutral sentences' by
    /// `PRIOR_WEIGHT`.
    pub fn fit(
        neutral: &NeutralMeans,
        passage_sum: &[f64; DIM],
        rows: usize,
        query_sum: &[f64; DIM],
        queries: usize,
    ) -> Centre {
        let blend = |sum: &[f64; DIM], n: usize, prior: &[f32; DIM]| -> [f32; DIM] {
            let weight = n as f64 + PRIOR_WEIGHT;
            std::array::from_fn(|i| ((sum[i] + PRIOR_WEIGHT * f64::from(prior[i])) / weight) as f32)
        };
        let (query, passage) = (
            blend(query_sum, queries, &neutral.query),
            blend(passage_sum, rows, &neutral.passage),
        );
        Centre {
            query: by_slot(query, neutral, true),
            passage: by_slot(passage, neutral, false),
            basis: rows,
        }
    }

    /// Returns whether the means should be fitted again for `rows` texts:
    /// always while they are few, else once their number moved by a tenth.
    pub fn stale(centre: Option<&Centre>, rows: usize) -> bool {
        match centre {
            None => rows > 0,
            Some(c) if c.basis < SAMPLE => rows != c.basis,
            Some(c) => rows.abs_diff(c.basis) * 10 > c.basis,
        }
    }

    /// Returns `query` (an e5 query vector of text in the language of
    /// `slot`) in the centred space.
    pub fn query(&self, query: &[f32; DIM], slot: u8) -> Centred {
        let mean = &self.query[usize::from(slot)];
        let mut vector: [f32; DIM] = std::array::from_fn(|i| query[i] - mean[i]);
        let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
        vector.iter_mut().for_each(|v| *v /= norm);
        let offsets = std::array::from_fn(|slot| {
            vector
                .iter()
                .zip(&self.passage[slot])
                .map(|(v, m)| v * m)
                .sum()
        });
        Centred { vector, offsets }
    }

    /// Returns the passage mean of the language of `slot`.
    pub fn passage(&self, slot: u8) -> &[f32; DIM] {
        &self.passage[usize::from(slot)]
    }

    /// Returns the length of a stored row (signed bytes times `scale`) in
    /// the language of `slot` once the passage mean is taken out: its
    /// cosine with a centred query is `(query . row - offset) / length`.
    pub fn length(&self, values: &[i8], scale: f32, slot: u8) -> f32 {
        values
            .iter()
            .zip(&self.passage[usize::from(slot)])
            .map(|(&v, m)| {
                let d = f32::from(v) * scale - m;
                d * d
            })
            .sum::<f32>()
            .sqrt()
            .max(1e-3)
    }
}

/// `mean` for every language slot, with `LANGUAGE_SHARE` of the
/// language's own direction (of queries or of passages) added.
fn by_slot(mean: [f32; DIM], neutral: &NeutralMeans, queries: bool) -> Box<[[f32; DIM]; SLOTS]> {
    let mut slots = Box::new([mean; SLOTS]);
    for (slot, language) in NEUTRAL_LANGUAGES.iter().enumerate() {
        if let Some((query, passage)) = neutral.language(language) {
            let direction = if queries { query } else { passage };
            for (m, d) in slots[slot + 1].iter_mut().zip(direction) {
                *m += LANGUAGE_SHARE * d;
            }
        }
    }
    slots
}

/// The texts of the query sample: those with the smallest digests, each
/// with its query vector once computed (a text stays in the sample until
/// smaller digests push it out, so a load of a million claims embeds about
/// `SAMPLE` x (1 + ln(texts / SAMPLE)) of them, not `SAMPLE` per fit).
#[derive(Default)]
pub(super) struct Sample {
    texts: BTreeMap<[u8; 16], Sampled>,
}

/// A sampled text and, once computed, its query vector.
struct Sampled {
    text: Box<str>,
    query: Option<Box<[f32; DIM]>>,
}

impl Sample {
    /// Offers a text; kept if its digest is among the `SAMPLE` smallest.
    pub fn offer(&mut self, key: &[u8; 16], text: &str) {
        if self.texts.contains_key(key) {
            return;
        }
        if self.texts.len() >= SAMPLE {
            match self.texts.last_key_value() {
                Some((last, _)) if key < last => {}
                _ => return,
            }
        }
        self.texts.insert(
            *key,
            Sampled {
                text: text.into(),
                query: None,
            },
        );
        if self.texts.len() > SAMPLE {
            self.texts.pop_last();
        }
    }

    /// Returns the sampled texts whose query vector is still to compute.
    pub fn missing(&self) -> Vec<([u8; 16], String)> {
        self.texts
            .iter()
            .filter(|(_, sampled)| sampled.query.is_none())
            .map(|(key, sampled)| (*key, sampled.text.to_string()))
            .collect()
    }

    /// Keeps the query vector of a text still in the sample.
    pub fn fill(&mut self, key: &[u8; 16], vector: &[f32; DIM]) {
        if let Some(sampled) = self.texts.get_mut(key) {
            sampled.query = Some(Box::new(*vector));
        }
    }

    /// Returns the sum of the query vectors computed, and their number.
    pub fn query_sum(&self) -> ([f64; DIM], usize) {
        let mut sum = [0f64; DIM];
        let mut count = 0;
        for vector in self.texts.values().filter_map(|s| s.query.as_deref()) {
            sum.iter_mut()
                .zip(vector)
                .for_each(|(s, x)| *s += f64::from(*x));
            count += 1;
        }
        (sum, count)
    }

    #[cfg(test)]
    fn texts(&self) -> Vec<&str> {
        self.texts.values().map(|s| &*s.text).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_keeps_the_smallest_digests_whatever_the_order() {
        let keys: Vec<[u8; 16]> = (0..600u32)
            .map(|i| {
                let mut k = [0u8; 16];
                k[..4].copy_from_slice(&(i.wrapping_mul(2_654_435_761)).to_be_bytes());
                k
            })
            .collect();
        let mut forward = Sample::default();
        let mut backward = Sample::default();
        for (i, k) in keys.iter().enumerate() {
            forward.offer(k, &format!("t{i}"));
        }
        for (i, k) in keys.iter().enumerate().rev() {
            backward.offer(k, &format!("t{i}"));
        }
        assert_eq!(forward.texts().len(), SAMPLE);
        assert_eq!(forward.texts(), backward.texts());
        let mut sorted = keys.clone();
        sorted.sort();
        assert!(forward.texts.keys().eq(sorted[..SAMPLE].iter()));
    }

    #[test]
    fn a_centred_query_scores_a_row_as_the_plain_formula_does() {
        let neutral = NeutralMeans {
            query: std::array::from_fn(|i| if i == 0 { 0.5 } else { 0.0 }),
            passage: std::array::from_fn(|i| if i == 1 { 0.5 } else { 0.0 }),
            languages: Vec::new(),
        };
        let centre = Centre::fit(&neutral, &[0.0; DIM], 0, &[0.0; DIM], 0);
        // With no claims the means are the neutral ones.
        let mut raw = [0f32; DIM];
        raw[0] = 0.6;
        raw[2] = 0.8;
        let q = centre.query(&raw, 0);
        let expected_q = {
            let (a, b) = (0.6f32 - 0.5, 0.8f32);
            let n = (a * a + b * b).sqrt();
            (a / n, b / n)
        };
        assert!((q.vector[0] - expected_q.0).abs() < 1e-6);
        assert!((q.vector[2] - expected_q.1).abs() < 1e-6);
        let mut row = [0i8; DIM];
        row[1] = 127;
        row[2] = 127;
        let scale = 0.5f32.sqrt() / 127.0;
        let length = centre.length(&row, scale, 0);
        let c = (0.5f32.sqrt() - 0.5, 0.5f32.sqrt());
        assert!((length - (c.0 * c.0 + c.1 * c.1).sqrt()).abs() < 1e-5);
        let dot: f32 = q.vector[2] * 127.0 * scale;
        let cosine = (dot - q.offsets[0]) / length;
        let plain = (expected_q.1 * c.1) / (c.0 * c.0 + c.1 * c.1).sqrt();
        assert!((cosine - plain).abs() < 1e-5, "{cosine} {plain}");
        // Fitted again only when the texts moved by a tenth.
        assert!(Centre::stale(None, 1));
        let big = Centre {
            basis: 1_000,
            ..centre
        };
        assert!(!Centre::stale(Some(&big), 1_090));
        assert!(Centre::stale(Some(&big), 1_101));
    }
}

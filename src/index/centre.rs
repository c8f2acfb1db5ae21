//! The space claims are searched in by meaning: e5's vectors with the mean
//! of the claims' taken out, made unit again.
//!
//! Every vector e5 gives a sentence shares a large common part (two
//! unrelated captions sit at cosine 0.8 and more), and that part differs
//! from one language to another. Left in, it drowns what tells a claim
//! from its neighbour and a caption's meaning from its language. Taken
//! out, cosine alone ranks multilingual-dev's same-language captions at
//! MAP@5 0.850 -> 0.881, its crosslingual ones 0.772 -> 0.870, and snopes
//! tweets dev 0.866 -> 0.888 (measured with e5's prefixes, when captions
//! and claims had a mean each; docs/encoder.md).
//!
//! The mean is that of the claims held, like BM25's document frequencies:
//! over every claim text's vector, taken out of claims and captions alike
//! (both are read as the text alone, `index::READING`). While there are
//! few claims, it leans on the neutral sentences of the encoder crate
//! (`PRIOR_WEIGHT` texts' worth). Fitted when the claims' catch-up reaches
//! the end of the store's changes and the number of texts has moved by a
//! tenth (`ClaimVectors::catch_up`).
//!
//! A share (`LANGUAGE_SHARE`) of the direction each language adds (its
//! neutral sentences' mean against all of theirs) is taken out as well, from
//! a claim by its language and from a caption by the language it was
//! detected in: without it a Spanish caption is nearer every Spanish claim
//! than the Portuguese claim it retells. Cosine alone on multilingual-dev
//! crosslingual captions: 0.870 -> 0.926 (same language 0.881 -> 0.880,
//! snopes tweets dev 0.888 -> 0.881; half took both lower).

use crate::encoder::{DIM, NEUTRAL_LANGUAGES, NeutralMeans};

/// Below this many texts the mean is fitted again at every change.
const FEW: usize = 256;
/// How many texts' worth the neutral sentences weigh in the mean.
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

/// The mean in force, and how many texts it covers.
#[derive(Clone, Debug)]
pub(super) struct Centre {
    /// For each language slot, what is taken out of a claim or a caption
    /// in that language.
    means: Box<[[f32; DIM]; SLOTS]>,
    basis: usize,
}

/// A query in the centred space, ready for the scan.
pub(super) struct Centred {
    /// The unit vector.
    pub vector: [f32; DIM],
    /// Its product with what is taken out of a claim, for each language
    /// slot: taken off the product with every row in that language.
    pub offsets: [f32; SLOTS],
}

impl Centre {
    /// The mean of `rows` texts whose vectors sum to `sum`, drawn towards
    /// the neutral sentences' by `PRIOR_WEIGHT`.
    pub fn fit(neutral: &NeutralMeans, sum: &[f64; DIM], rows: usize) -> Centre {
        let weight = rows as f64 + PRIOR_WEIGHT;
        let mean = std::array::from_fn(|i| {
            ((sum[i] + PRIOR_WEIGHT * f64::from(neutral.mean[i])) / weight) as f32
        });
        Centre {
            means: by_slot(mean, neutral),
            basis: rows,
        }
    }

    /// Returns whether the mean should be fitted again for `rows` texts:
    /// always while they are few, else once their number moved by a tenth.
    pub fn stale(centre: Option<&Centre>, rows: usize) -> bool {
        match centre {
            None => rows > 0,
            Some(c) if c.basis < FEW => rows != c.basis,
            Some(c) => rows.abs_diff(c.basis) * 10 > c.basis,
        }
    }

    /// Returns `query` (the vector of a caption in the language of
    /// `slot`) in the centred space.
    pub fn query(&self, query: &[f32; DIM], slot: u8) -> Centred {
        let mean = &self.means[usize::from(slot)];
        let mut vector: [f32; DIM] = std::array::from_fn(|i| query[i] - mean[i]);
        let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
        vector.iter_mut().for_each(|v| *v /= norm);
        let offsets = std::array::from_fn(|slot| {
            vector
                .iter()
                .zip(&self.means[slot])
                .map(|(v, m)| v * m)
                .sum()
        });
        Centred { vector, offsets }
    }

    /// Returns the mean taken out of a text in the language of `slot`.
    pub fn mean(&self, slot: u8) -> &[f32; DIM] {
        &self.means[usize::from(slot)]
    }

    /// Returns the length of a stored row (signed bytes times `scale`) in
    /// the language of `slot` once the mean is taken out: its cosine with
    /// a centred query is `(query . row - offset) / length`.
    pub fn length(&self, values: &[i8], scale: f32, slot: u8) -> f32 {
        values
            .iter()
            .zip(&self.means[usize::from(slot)])
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
/// language's own direction added.
fn by_slot(mean: [f32; DIM], neutral: &NeutralMeans) -> Box<[[f32; DIM]; SLOTS]> {
    let mut slots = Box::new([mean; SLOTS]);
    for (slot, language) in NEUTRAL_LANGUAGES.iter().enumerate() {
        if let Some(direction) = neutral.language(language) {
            for (m, d) in slots[slot + 1].iter_mut().zip(direction) {
                *m += LANGUAGE_SHARE * d;
            }
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_centred_query_scores_a_row_as_the_plain_formula_does() {
        let neutral = NeutralMeans {
            mean: std::array::from_fn(|i| if i == 1 { 0.5 } else { 0.0 }),
            languages: Vec::new(),
        };
        // With no claims the mean is the neutral sentences'.
        let centre = Centre::fit(&neutral, &[0.0; DIM], 0);
        let unit = |v: [f32; DIM]| -> [f32; DIM] {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.map(|x| x / n)
        };
        let less_mean =
            |v: [f32; DIM]| -> [f32; DIM] { std::array::from_fn(|i| v[i] - neutral.mean[i]) };
        let mut raw = [0f32; DIM];
        raw[0] = 0.6;
        raw[1] = 0.3;
        raw[2] = 0.8;
        let q = centre.query(&raw, 0);
        let expected_q = unit(less_mean(raw));
        for (got, want) in q.vector.iter().zip(&expected_q) {
            assert!((got - want).abs() < 1e-6);
        }
        let mut row = [0i8; DIM];
        row[1] = 127;
        row[2] = 127;
        let scale = 0.5f32.sqrt() / 127.0;
        let stored: [f32; DIM] = row.map(|v| f32::from(v) * scale);
        let centred_row = less_mean(stored);
        let length = centre.length(&row, scale, 0);
        let plain_length = centred_row.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((length - plain_length).abs() < 1e-5);
        let dot: f32 = q.vector.iter().zip(&stored).map(|(a, b)| a * b).sum();
        let cosine = (dot - q.offsets[0]) / length;
        let plain: f32 = expected_q
            .iter()
            .zip(&unit(centred_row))
            .map(|(a, b)| a * b)
            .sum();
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

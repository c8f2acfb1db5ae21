//! The encoder's forward pass: XLM-R's embeddings and twelve post-norm
//! transformer layers (BERT's shape), then the mean of every position's
//! last hidden state.
//!
//! Several token sequences run as one activation matrix, so each weight is
//! read once per batch; attention stays inside each sequence.

use super::file::{FormatError, ModelFile, Shape};
use super::kernels::{QActs, QMatrix, matmul};

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

struct Layer {
    query: QMatrix,
    key: QMatrix,
    value: QMatrix,
    attention_out: QMatrix,
    attention_norm: Norm,
    up: QMatrix,
    down: QMatrix,
    out_norm: Norm,
}

/// The weights, unpacked for the kernels.
pub(crate) struct Transformer {
    pub shape: Shape,
    /// The word embeddings, still 4-bit: only the rows of a text's pieces
    /// are ever read.
    words: Vec<u8>,
    positions: Vec<f32>,
    token_type: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
}

impl Transformer {
    pub fn new(file: &mut ModelFile<'_>) -> Result<Transformer, FormatError> {
        let shape = file.shape;
        let (h, ff) = (shape.hidden, shape.ffn);
        let mut norm = |name: &str| -> Result<Norm, FormatError> {
            Ok(Norm {
                weight: file.floats(&format!("{name}.w"), h)?,
                bias: file.floats(&format!("{name}.b"), h)?,
            })
        };
        let embedding_norm = norm("emb.ln")?;
        let mut layers = Vec::with_capacity(shape.layers);
        for l in 0..shape.layers {
            let mut matrix =
                |name: &str, rows: usize, cols: usize| -> Result<QMatrix, FormatError> {
                    let bias = file.floats(&format!("l{l}.{name}.b"), rows)?;
                    let body = file.q4(&format!("l{l}.{name}.w"), rows, cols)?;
                    Ok(QMatrix::from_q4(body, rows, cols, bias))
                };
            let query = matrix("q", h, h)?;
            let key = matrix("k", h, h)?;
            let value = matrix("v", h, h)?;
            let attention_out = matrix("ao", h, h)?;
            let up = matrix("fi", ff, h)?;
            let down = matrix("fo", h, ff)?;
            let mut norm = |name: &str| -> Result<Norm, FormatError> {
                Ok(Norm {
                    weight: file.floats(&format!("l{l}.{name}.w"), h)?,
                    bias: file.floats(&format!("l{l}.{name}.b"), h)?,
                })
            };
            let attention_norm = norm("aln")?;
            let out_norm = norm("oln")?;
            layers.push(Layer {
                query,
                key,
                value,
                attention_out,
                attention_norm,
                up,
                down,
                out_norm,
            });
        }
        Ok(Transformer {
            shape,
            words: file.q4("emb.word", shape.vocab, h)?.to_vec(),
            positions: file.floats("emb.pos", shape.max_positions * h)?,
            token_type: file.floats("emb.type", 2 * h).map(|mut t| {
                t.truncate(h);
                t
            })?,
            embedding_norm,
            layers,
        })
    }

    /// Bytes the weights hold in memory.
    pub fn memory_bytes(&self) -> usize {
        let matrices: usize = self
            .layers
            .iter()
            .map(|l| {
                [&l.query, &l.key, &l.value, &l.attention_out, &l.up, &l.down]
                    .iter()
                    .map(|m| m.memory_bytes())
                    .sum::<usize>()
            })
            .sum();
        matrices + self.words.len() + 4 * (self.positions.len() + self.token_type.len())
    }

    /// Runs `sequences` (piece ids, each with its `<s>` and `</s>`, each no
    /// longer than the model's positions) and returns the mean of each
    /// sequence's last hidden states, in order.
    ///
    /// What is not a matrix product (attention, GELU, layer norms) is
    /// plain loops the compiler vectorises: built a second time for CPUs
    /// with AVX2 and FMA (8 lanes where the baseline build has 4) and
    /// chosen at run time, as the kernels are.
    pub fn mean_states(&self, sequences: &[Vec<u32>]) -> Vec<Vec<f32>> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has AVX2 and FMA (checked just above).
            return unsafe { self.mean_states_avx2(sequences) };
        }
        self.forward_pass(sequences)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn mean_states_avx2(&self, sequences: &[Vec<u32>]) -> Vec<Vec<f32>> {
        self.forward_pass(sequences)
    }

    #[inline(always)]
    fn forward_pass(&self, sequences: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let h = self.shape.hidden;
        let total: usize = sequences.iter().map(Vec::len).sum();
        let mut x = vec![0f32; total * h];
        let mut spans = Vec::with_capacity(sequences.len());
        let mut at = 0;
        for ids in sequences {
            debug_assert!(ids.len() <= self.shape.max_positions);
            for (position, &id) in ids.iter().enumerate() {
                let row = &mut x[(at + position) * h..(at + position + 1) * h];
                self.word_row(id as usize, row);
                let pos = &self.positions[position * h..(position + 1) * h];
                for ((v, p), t) in row.iter_mut().zip(pos).zip(&self.token_type) {
                    *v += p + t;
                }
            }
            spans.push(at..at + ids.len());
            at += ids.len();
        }
        layer_norm(&mut x, None, &self.embedding_norm, h, self.shape.eps);

        let mut scratch = Scratch::new(total, h, self.shape.ffn);
        for layer in &self.layers {
            self.layer(layer, &mut x, &spans, &mut scratch);
        }
        spans
            .iter()
            .map(|span| {
                let mut mean = vec![0f32; h];
                for t in span.clone() {
                    for (m, v) in mean.iter_mut().zip(&x[t * h..(t + 1) * h]) {
                        *m += v;
                    }
                }
                let count = span.len().max(1) as f32;
                mean.iter_mut().for_each(|m| *m /= count);
                mean
            })
            .collect()
    }

    fn word_row(&self, id: usize, out: &mut [f32]) {
        // The file's reader checked that every piece has a row.
        debug_assert!(id < self.shape.vocab);
        let bytes_per_row = out.len() / 32 * 18;
        let row = &self.words[id * bytes_per_row..(id + 1) * bytes_per_row];
        for (block, o) in row.chunks_exact(18).zip(out.chunks_exact_mut(32)) {
            let scale = super::kernels::f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
            for (j, &byte) in block[2..].iter().enumerate() {
                o[j] = ((byte & 0x0f) as f32 - 8.0) * scale;
                o[j + 16] = ((byte >> 4) as f32 - 8.0) * scale;
            }
        }
    }

    #[inline(always)]
    fn layer(
        &self,
        layer: &Layer,
        x: &mut [f32],
        spans: &[std::ops::Range<usize>],
        s: &mut Scratch,
    ) {
        let (h, heads, eps) = (self.shape.hidden, self.shape.heads, self.shape.eps);
        let tokens = x.len() / h;
        let width = h / heads;
        s.acts.quantize(x, tokens, h);
        matmul(&layer.query, &s.acts, &mut s.q);
        matmul(&layer.key, &s.acts, &mut s.k);
        matmul(&layer.value, &s.acts, &mut s.v);
        let scale = 1.0 / (width as f32).sqrt();
        for span in spans {
            let n = span.len();
            for head in 0..heads {
                let cols = head * width..(head + 1) * width;
                // The span's keys for this head, column by column: each
                // query's scores are then sums of whole rows (vectorised
                // over the span), not one short dot product per key.
                s.keys.clear();
                for d in cols.clone() {
                    s.keys.extend(span.clone().map(|u| s.k[u * h + d]));
                }
                for t in span.clone() {
                    let q = &s.q[t * h..][cols.clone()];
                    s.weights.clear();
                    s.weights.resize(n, 0.0);
                    for (&qd, keys) in q.iter().zip(s.keys.chunks_exact(n)) {
                        for (w, k) in s.weights.iter_mut().zip(keys) {
                            *w += qd * k;
                        }
                    }
                    let largest = s
                        .weights
                        .iter()
                        .fold(f32::NEG_INFINITY, |m, &w| if w > m { w } else { m });
                    for w in s.weights.iter_mut() {
                        *w = exp_at_most_zero((*w - largest) * scale);
                    }
                    let sum: f32 = s.weights.iter().sum();
                    let context = &mut s.context[t * h..][cols.clone()];
                    let values = |u: usize| &s.v[u * h..][cols.clone()];
                    if let Ok(context) = <&mut [f32; 32]>::try_from(&mut *context) {
                        // e5-small's width: the sum stays in registers.
                        let mut sums = [0f32; 32];
                        for (w, u) in s.weights.iter().zip(span.clone()) {
                            let p = w / sum;
                            for (c, v) in sums.iter_mut().zip(values(u)) {
                                *c += p * v;
                            }
                        }
                        *context = sums;
                    } else {
                        context.fill(0.0);
                        for (w, u) in s.weights.iter().zip(span.clone()) {
                            let p = w / sum;
                            for (c, v) in context.iter_mut().zip(values(u)) {
                                *c += p * v;
                            }
                        }
                    }
                }
            }
        }
        s.acts.quantize(&s.context, tokens, h);
        matmul(&layer.attention_out, &s.acts, &mut s.q);
        layer_norm(x, Some(&s.q), &layer.attention_norm, h, eps);

        s.acts.quantize(x, tokens, h);
        matmul(&layer.up, &s.acts, &mut s.mid);
        s.mid.iter_mut().for_each(|v| *v = gelu(*v));
        s.acts.quantize(&s.mid, tokens, self.shape.ffn);
        matmul(&layer.down, &s.acts, &mut s.q);
        layer_norm(x, Some(&s.q), &layer.out_norm, h, eps);
    }
}

/// Buffers one forward pass reuses from layer to layer.
struct Scratch {
    acts: QActs,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    context: Vec<f32>,
    mid: Vec<f32>,
    weights: Vec<f32>,
    /// A span's keys for one head, column by column.
    keys: Vec<f32>,
}

impl Scratch {
    fn new(tokens: usize, h: usize, ffn: usize) -> Scratch {
        Scratch {
            acts: QActs::default(),
            q: vec![0.0; tokens * h],
            k: vec![0.0; tokens * h],
            v: vec![0.0; tokens * h],
            context: vec![0.0; tokens * h],
            mid: vec![0.0; tokens * ffn],
            weights: Vec::new(),
            keys: Vec::new(),
        }
    }
}

/// `x = norm(x + residual)` row by row.
#[inline(always)]
fn layer_norm(x: &mut [f32], residual: Option<&[f32]>, norm: &Norm, h: usize, eps: f32) {
    for (t, row) in x.chunks_exact_mut(h).enumerate() {
        if let Some(r) = residual {
            for (v, a) in row.iter_mut().zip(&r[t * h..(t + 1) * h]) {
                *v += a;
            }
        }
        let mean = row.iter().sum::<f32>() / h as f32;
        let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
        let inverse = 1.0 / (variance + eps).sqrt();
        for ((v, w), b) in row.iter_mut().zip(&norm.weight).zip(&norm.bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

/// The erf GELU the model was trained with, `x (1 + erf(x / sqrt 2)) / 2`,
/// in steps without branches or calls, so a loop over activations is
/// vectorised (a table read per activation cost a tenth of the pass).
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26).
#[inline(always)]
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
    let y = 1.0 - poly * exp_at_most_zero(-a * a);
    y.copysign(x)
}

/// e^x for x <= 0 (attention's scores less their largest, erf's -x^2), to
/// within 3e-7 relative down to e^-87 (and e^-87 below): x = n ln 2 + r,
/// n whole and |r| <= ln 2 / 2, e^r by its series to r^7, times 2^n built in
/// the exponent bits. No branches or calls, so loops over it vectorise.
#[inline(always)]
fn exp_at_most_zero(x: f32) -> f32 {
    // Adding and taking back 1.5 x 2^23 rounds to a whole number.
    const ROUND: f32 = 12_582_912.0;
    const LN2_HIGH: f32 = 0.693_145_75;
    const LN2_LOW: f32 = 1.428_606_8e-6;
    let x = x.clamp(-87.0, 0.0);
    let n = (x * std::f32::consts::LOG2_E + ROUND) - ROUND;
    let r = x - n * LN2_HIGH - n * LN2_LOW;
    let series = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0
                        + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    series * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_gelu_agree_with_the_library() {
        for i in 0..87_000 {
            let x = -(i as f32) / 1_000.0 - 0.000_3;
            let exact = f64::from(x).exp();
            let fast = f64::from(exp_at_most_zero(x));
            assert!(
                ((fast - exact) / exact).abs() < 3e-7,
                "e^{x}: {fast} vs {exact}"
            );
        }
        assert_eq!(exp_at_most_zero(0.0), 1.0);
        assert_eq!(exp_at_most_zero(-200.0), exp_at_most_zero(-87.0));
        // GELU through erf: x (1 + erf(x / sqrt 2)) / 2, erf from its
        // series below 3 (to about 1e-12) and from erfc's asymptotic
        // series above (erfc(3) is 2.2e-5; its error there about 1e-9).
        let erf_exact = |z: f64| -> f64 {
            if z.abs() < 3.0 {
                let (mut term, mut sum) = (z, z);
                for n in 1..200 {
                    term *= -z * z / n as f64;
                    sum += term / (2 * n + 1) as f64;
                }
                return sum * 2.0 / std::f64::consts::PI.sqrt();
            }
            let (a, w) = (z.abs(), 1.0 / (2.0 * z * z));
            let tail = (-a * a).exp() / (a * std::f64::consts::PI.sqrt())
                * (1.0 - w + 3.0 * w * w - 15.0 * w * w * w);
            z.signum() * (1.0 - tail)
        };
        for i in -1200..=1200 {
            let x = i as f32 / 100.0 + 0.003;
            let z = f64::from(x) / std::f64::consts::SQRT_2;
            let exact = 0.5 * f64::from(x) * (1.0 + erf_exact(z));
            assert!(
                (f64::from(gelu(x)) - exact).abs() < 1e-6 * (1.0 + f64::from(x).abs()),
                "gelu({x}): {} vs {exact}",
                gelu(x)
            );
        }
    }
}

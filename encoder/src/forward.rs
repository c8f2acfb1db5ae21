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
    /// plain loops the compiler vectorises: built twice more, for CPUs with
    /// AVX-512 (16 lanes) and with AVX2 and FMA (8 lanes where the baseline
    /// build has 4), and chosen at run time, as the kernels are. The
    /// 16-lane build runs where the matrix kernel is the AVX-512 VNNI one:
    /// those CPUs already run 512-bit code (the first AVX-512 CPUs, without
    /// VNNI, lower their clock for it, and the AVX2 build serves them).
    pub fn mean_states(&self, sequences: &[Vec<u32>]) -> Vec<Vec<f32>> {
        #[cfg(target_arch = "x86_64")]
        if super::kernels::runs_avx512()
            && std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the VNNI kernel is chosen only with AVX-512 F (and
            // BW, DQ, VNNI); AVX2 and FMA are checked just above.
            return unsafe { self.mean_states_avx512(sequences) };
        }
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

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx2,fma")]
    fn mean_states_avx512(&self, sequences: &[Vec<u32>]) -> Vec<Vec<f32>> {
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
            // Keys are read LANES at a time, each column padded with zeros.
            let padded = n.div_ceil(LANES) * LANES;
            for head in 0..heads {
                let cols = head * width..(head + 1) * width;
                // The span's keys for this head, column by column: a
                // query's scores for LANES keys are then summed over the
                // head's dimensions in registers and stored once.
                s.keys.clear();
                s.keys.resize(width * padded, 0.0);
                for (d, column) in cols.clone().zip(s.keys.chunks_exact_mut(padded)) {
                    for (slot, u) in column.iter_mut().zip(span.clone()) {
                        *slot = s.k[u * h + d];
                    }
                }
                s.weights.clear();
                s.weights.resize(padded, 0.0);
                for t in span.clone() {
                    let q = &s.q[t * h..][cols.clone()];
                    let mut c = 0;
                    while c < padded / LANES {
                        c += match padded / LANES - c {
                            1 => scores::<1>(q, &s.keys, padded, c, &mut s.weights),
                            2 => scores::<2>(q, &s.keys, padded, c, &mut s.weights),
                            3 => scores::<3>(q, &s.keys, padded, c, &mut s.weights),
                            _ => scores::<4>(q, &s.keys, padded, c, &mut s.weights),
                        };
                    }
                    let scores = &mut s.weights[..n];
                    let largest = largest_of(scores);
                    for w in scores.iter_mut() {
                        *w = exp_at_most_zero((*w - largest) * scale);
                    }
                    let sum = sum_of(scores);
                    let context = &mut s.context[t * h..][cols.clone()];
                    let values = |u: usize| &s.v[u * h..][cols.clone()];
                    if let Ok(context) = <&mut [f32; 32]>::try_from(&mut *context) {
                        // e5-small's width: the sum stays in registers.
                        let mut sums = [0f32; 32];
                        for (w, u) in s.weights[..n].iter().zip(span.clone()) {
                            let p = w / sum;
                            for (c, v) in sums.iter_mut().zip(values(u)) {
                                *c += p * v;
                            }
                        }
                        *context = sums;
                    } else {
                        context.fill(0.0);
                        for (w, u) in s.weights[..n].iter().zip(span.clone()) {
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

/// Keys a query's attention scores are summed for at once (one AVX-512
/// register, two AVX2 ones).
const LANES: usize = 16;

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
        let mean = sum_of(row) / h as f32;
        let mut squares = [0f32; LANES];
        // The model file's reader refuses widths that are not whole blocks
        // of 32, so rows split into whole chunks.
        debug_assert!(h.is_multiple_of(LANES));
        for chunk in row.chunks_exact(LANES) {
            for (s, v) in squares.iter_mut().zip(chunk) {
                *s += (v - mean) * (v - mean);
            }
        }
        let variance = sum_of(&squares) / h as f32;
        let inverse = 1.0 / (variance + eps).sqrt();
        for ((v, w), b) in row.iter_mut().zip(&norm.weight).zip(&norm.bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

/// A query's scores for the keys of chunks `first..first + C` (LANES keys
/// each) of a head laid out column by column (`keys`, columns `padded`
/// long): C sums in flight, each summed over the head's dimensions in
/// registers and stored once. Returns C.
#[inline(always)]
fn scores<const C: usize>(
    q: &[f32],
    keys: &[f32],
    padded: usize,
    first: usize,
    out: &mut [f32],
) -> usize {
    let mut acc = [[0f32; LANES]; C];
    for (column, &qd) in keys.chunks_exact(padded).zip(q) {
        for (j, acc) in acc.iter_mut().enumerate() {
            let at = (first + j) * LANES;
            for (a, k) in acc.iter_mut().zip(&column[at..at + LANES]) {
                *a += qd * k;
            }
        }
    }
    for (j, acc) in acc.iter().enumerate() {
        out[(first + j) * LANES..(first + j + 1) * LANES].copy_from_slice(acc);
    }
    C
}

/// The sum of `xs`, LANES partial sums at a time (a float sum in order
/// is one chain of adds, each waiting on the last).
#[inline(always)]
fn sum_of(xs: &[f32]) -> f32 {
    let mut lanes = [0f32; LANES];
    let chunks = xs.chunks_exact(LANES);
    let rest: f32 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (s, v) in lanes.iter_mut().zip(chunk) {
            *s += v;
        }
    }
    lanes.iter().sum::<f32>() + rest
}

/// The largest of `xs` (minus infinity when empty), LANES at a time.
#[inline(always)]
fn largest_of(xs: &[f32]) -> f32 {
    let larger = |m: f32, v: f32| if v > m { v } else { m };
    let mut lanes = [f32::NEG_INFINITY; LANES];
    let chunks = xs.chunks_exact(LANES);
    let rest = chunks
        .remainder()
        .iter()
        .fold(f32::NEG_INFINITY, |m, &v| larger(m, v));
    for chunk in chunks {
        for (m, &v) in lanes.iter_mut().zip(chunk) {
            *m = larger(*m, v);
        }
    }
    lanes.iter().fold(rest, |m, &v| larger(m, v))
}

/// The erf GELU the model was trained with, `x (1 + erf(x / sqrt 2)) / 2`,
/// in steps without branches, so a loop over activations is vectorised (a
/// table read per activation cost a tenth of the pass). Polynomials are
/// multiply-adds with one rounding each (`mul_add`: one instruction in the
/// AVX2 and AVX-512 builds, the C library's `fmaf` on CPUs without FMA,
/// the same number either way); fused, GELU took about a third fewer
/// steps, the pass 6 % less time (2026-12-06).
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26).
#[inline(always)]
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / 0.327_591_1f32.mul_add(a, 1.0);
    let poly = t * 1.061_405_4f32
        .mul_add(t, -1.453_152_1)
        .mul_add(t, 1.421_413_7)
        .mul_add(t, -0.284_496_74)
        .mul_add(t, 0.254_829_6);
    let y = (-poly).mul_add(exp_at_most_zero(-a * a), 1.0);
    y.copysign(x)
}

/// e^x for x <= 0 (attention's scores less their largest, erf's -x^2), to
/// within 3e-7 relative down to e^-87 (and e^-87 below): x = n ln 2 + r,
/// n whole and |r| <= ln 2 / 2, e^r by its series to r^7, times 2^n built in
/// the exponent bits. No branches (and, with FMA, no calls), so loops over
/// it vectorise (the exponent included, below).
#[inline(always)]
fn exp_at_most_zero(x: f32) -> f32 {
    // Adding and taking back 1.5 x 2^23 rounds to a whole number.
    const ROUND: f32 = 12_582_912.0;
    const LN2_HIGH: f32 = 0.693_145_75;
    const LN2_LOW: f32 = 1.428_606_8e-6;
    let x = x.clamp(-87.0, 0.0);
    let shifted = x.mul_add(std::f32::consts::LOG2_E, ROUND);
    let n = shifted - ROUND;
    let r = (-n).mul_add(LN2_LOW, (-n).mul_add(LN2_HIGH, x));
    let series = (1.0f32 / 5040.0)
        .mul_add(r, 1.0 / 720.0)
        .mul_add(r, 1.0 / 120.0)
        .mul_add(r, 1.0 / 24.0)
        .mul_add(r, 1.0 / 6.0)
        .mul_add(r, 0.5)
        .mul_add(r, 1.0)
        .mul_add(r, 1.0);
    // `shifted` lies in [2^23, 2^24), where a float's step is 1: its bits
    // are those of ROUND plus n. Read that way rather than by `n as i32`,
    // whose checks for NaN and range are a scalar conversion per lane
    // (a sixth of the pass outside the matrix products, 2026-12-06).
    let biased = shifted.to_bits() + 127 - ROUND.to_bits();
    series * f32::from_bits(biased << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_build_of_the_pass_gives_the_same_states() {
        let encoder = crate::Encoder::shipped().expect("the shipped model opens");
        let pass = &encoder.transformer;
        // Spans of 3, 19, 42 and 72 positions: one to five registers of
        // keys (`scores` of one, two, three, then four and one).
        let sequence = |len: usize, seed: u32| -> Vec<u32> {
            let mut ids = vec![encoder.bos];
            ids.extend((0..len as u32).map(|i| (seed + 7_919 * i) % 100_000 + 5));
            ids.push(encoder.eos);
            ids
        };
        let sequences = vec![
            sequence(1, 3),
            sequence(17, 11),
            sequence(40, 29),
            sequence(70, 31),
        ];
        let baseline = pass.forward_pass(&sequences);
        let mut builds = vec![("chosen", pass.mean_states(&sequences))];
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            let avx2 = has!("avx2") && has!("fma");
            if avx2 {
                // SAFETY: the CPU has AVX2 and FMA.
                builds.push(("avx2", unsafe { pass.mean_states_avx2(&sequences) }));
            }
            if avx2 && has!("avx512f") {
                // SAFETY: the CPU has AVX-512 F, AVX2 and FMA.
                builds.push(("avx512", unsafe { pass.mean_states_avx512(&sequences) }));
            }
        }
        // The same operations in the same order, only wider: the same
        // numbers to the last bit (a multiply-add is fused in every build
        // or in none, every sum is split into lanes the same way).
        for (name, states) in builds {
            assert_eq!(states, baseline, "{name}");
        }
    }

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

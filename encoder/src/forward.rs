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
    pub fn mean_states(&self, sequences: &[Vec<u32>]) -> Vec<Vec<f32>> {
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
            for t in span.clone() {
                for head in 0..heads {
                    let cols = head * width..(head + 1) * width;
                    let q = &s.q[t * h..][cols.clone()];
                    s.weights.clear();
                    let mut largest = f32::NEG_INFINITY;
                    for u in span.clone() {
                        let k = &s.k[u * h..][cols.clone()];
                        let score = dot(q, k) * scale;
                        largest = largest.max(score);
                        s.weights.push(score);
                    }
                    let mut sum = 0f32;
                    for w in s.weights.iter_mut() {
                        *w = (*w - largest).exp();
                        sum += *w;
                    }
                    let context = &mut s.context[t * h..][cols.clone()];
                    context.fill(0.0);
                    for (w, u) in s.weights.iter().zip(span.clone()) {
                        let p = w / sum;
                        for (c, v) in context.iter_mut().zip(&s.v[u * h..][cols.clone()]) {
                            *c += p * v;
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
        }
    }
}

/// The dot product of two rows, in 8 lanes the compiler keeps in vector
/// registers (a plain sum must be added in order, one product at a time).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// `x = norm(x + residual)` row by row.
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

/// The erf GELU the model was trained with, read from a table of 65,536
/// steps over [-8, 8] with linear interpolation (error under 1e-8, against
/// an exp per activation computed: a tenth of the forward pass).
fn gelu(x: f32) -> f32 {
    const STEPS: usize = 1 << 16;
    const RANGE: f32 = 8.0;
    static TABLE: std::sync::OnceLock<Vec<f32>> = std::sync::OnceLock::new();
    if x <= -RANGE {
        return 0.0;
    }
    if x >= RANGE {
        return x;
    }
    let table = TABLE.get_or_init(|| {
        (0..=STEPS)
            .map(|i| {
                let v = -RANGE + 2.0 * RANGE * i as f32 / STEPS as f32;
                0.5 * v * (1.0 + erf(v * std::f32::consts::FRAC_1_SQRT_2))
            })
            .collect()
    });
    let at = (x + RANGE) * (STEPS as f32 / (2.0 * RANGE));
    let i = (at as usize).min(STEPS - 1);
    let t = at - i as f32;
    table[i] + (table[i + 1] - table[i]) * t
}

/// erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26), for the table.
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
    let y = 1.0 - poly * (-a * a).exp();
    y.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gelu_table_is_the_formula() {
        for i in -1200..=1200 {
            let x = i as f32 / 100.0 + 0.003;
            let exact = 0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
            assert!(
                (gelu(x) - exact).abs() < 1e-6,
                "{x}: {} vs {exact}",
                gelu(x)
            );
        }
    }
}

//! The encoder's matrix products: 4-bit weights times 8-bit activations.
//!
//! Weights keep the file's quantisation (blocks of 32 with one scale each),
//! unpacked once at load to one byte per weight (0..=15, the stored value
//! plus 8). Activations are quantised per block of 32 to signed bytes with
//! their own scale, as they are produced. A block's product is then an
//! integer dot product, scaled by both scales; the +8 offset of the weights
//! is taken back through each activation block's sum. This is what the
//! reference engine computes, so vectors agree with it to rounding.
//!
//! Three implementations of one contract: AVX-512 VNNI (`vpdpbusd`, 64
//! products per instruction), AVX2 (`vpmaddubsw`), and portable code, chosen
//! once per process from what the CPU has.

use std::sync::OnceLock;

pub(crate) const BLOCK: usize = 32;

/// A weight matrix of `rows` x `cols`, one byte per weight.
pub(crate) struct QMatrix {
    pub rows: usize,
    pub cols: usize,
    layout: Layout,
    bias: Vec<f32>,
}

/// How the weights lie in memory, for the kernel that reads them.
enum Layout {
    /// Row after row, and each row's block scales: the portable kernel,
    /// and AVX2 for matrices whose rows are not a multiple of 16.
    Rows { nibbles: Vec<u8>, scales: Vec<f32> },
    /// For AVX-512 VNNI and AVX2: rows in groups of 16; for each 4
    /// columns, the 16 rows' 4 bytes side by side (one 64-byte load feeds
    /// 16 outputs, or two 32-byte loads 8 each), and for each block the 16
    /// rows' scales.
    Groups { bytes: Vec<u8>, scales: Vec<f32> },
}

const GROUP: usize = 16;

impl QMatrix {
    /// Unpacks `q4_0` blocks (an f16 scale, then byte j holding weight j in
    /// its low nibble and weight j + 16 in its high one) for this CPU's kernel.
    pub fn from_q4(body: &[u8], rows: usize, cols: usize, bias: Vec<f32>) -> QMatrix {
        QMatrix::unpack(body, rows, cols, bias, kernel() != Kernel::Portable)
    }

    fn unpack(body: &[u8], rows: usize, cols: usize, bias: Vec<f32>, grouped: bool) -> QMatrix {
        debug_assert_eq!(body.len(), rows * cols / BLOCK * 18);
        debug_assert_eq!(bias.len(), rows);
        let mut nibbles = vec![0u8; rows * cols];
        let mut scales = Vec::with_capacity(rows * cols / BLOCK);
        for (block, out) in body.chunks_exact(18).zip(nibbles.chunks_exact_mut(BLOCK)) {
            scales.push(f16_to_f32(u16::from_le_bytes([block[0], block[1]])));
            for (j, &byte) in block[2..].iter().enumerate() {
                out[j] = byte & 0x0f;
                out[j + 16] = byte >> 4;
            }
        }
        let layout = if grouped && rows.is_multiple_of(GROUP) {
            let blocks = cols / BLOCK;
            let mut bytes = Vec::with_capacity(rows * cols);
            let mut grouped_scales = Vec::with_capacity(scales.len());
            for g in (0..rows).step_by(GROUP) {
                for k in (0..cols).step_by(4) {
                    for r in g..g + GROUP {
                        bytes.extend_from_slice(&nibbles[r * cols + k..r * cols + k + 4]);
                    }
                }
                for b in 0..blocks {
                    grouped_scales.extend((g..g + GROUP).map(|r| scales[r * blocks + b]));
                }
            }
            Layout::Groups {
                bytes,
                scales: grouped_scales,
            }
        } else {
            Layout::Rows { nibbles, scales }
        };
        QMatrix {
            rows,
            cols,
            layout,
            bias,
        }
    }

    /// Bytes held.
    pub fn memory_bytes(&self) -> usize {
        let (Layout::Rows {
            nibbles: bytes,
            scales,
        }
        | Layout::Groups { bytes, scales }) = &self.layout;
        bytes.len() + 4 * (scales.len() + self.bias.len())
    }
}

/// Decodes one IEEE half-precision float.
pub(crate) fn f16_to_f32(bits: u16) -> f32 {
    let sign = ((bits as u32) & 0x8000) << 16;
    let exponent = ((bits >> 10) & 0x1f) as u32;
    let mantissa = (bits & 0x3ff) as u32;
    let value = match (exponent, mantissa) {
        (0, 0) => sign,
        // Subnormal: the mantissa times 2^-24.
        (0, _) => return signum(bits) * mantissa as f32 * (-24f32).exp2(),
        (31, _) => sign | 0x7f80_0000 | (mantissa << 13),
        _ => sign | ((exponent + 127 - 15) << 23) | (mantissa << 13),
    };
    f32::from_bits(value)
}

fn signum(bits: u16) -> f32 {
    if bits & 0x8000 != 0 { -1.0 } else { 1.0 }
}

/// Activations of `tokens` x `cols`, quantised per block of 32.
#[derive(Default)]
pub(crate) struct QActs {
    tokens: usize,
    cols: usize,
    values: Vec<i8>,
    scales: Vec<f32>,
    /// Eight times each block's scale times the sum of its values: what
    /// the weights' +8 offset adds to a product, divided by the weight
    /// scale.
    offsets: Vec<f32>,
}

impl QActs {
    /// Quantises `x` (`tokens` rows of `cols`) in place of what was held.
    pub fn quantize(&mut self, x: &[f32], tokens: usize, cols: usize) {
        debug_assert_eq!(x.len(), tokens * cols);
        let blocks = tokens * cols / BLOCK;
        self.tokens = tokens;
        self.cols = cols;
        self.values.resize(tokens * cols, 0);
        self.scales.clear();
        self.offsets.clear();
        self.scales.reserve(blocks);
        self.offsets.reserve(blocks);
        #[cfg(target_arch = "x86_64")]
        if kernel() == Kernel::Vnni {
            // SAFETY: the VNNI kernel is chosen only with AVX-512 F and BW.
            unsafe {
                x86::quantize_blocks(x, &mut self.values, &mut self.scales, &mut self.offsets)
            };
            debug_assert_eq!(self.scales.len(), blocks);
            return;
        }
        #[cfg(target_arch = "x86_64")]
        if kernel() == Kernel::Avx2 {
            // SAFETY: the AVX2 kernel is chosen only with AVX2 and FMA.
            unsafe {
                x86::quantize_blocks_avx2(x, &mut self.values, &mut self.scales, &mut self.offsets)
            };
            debug_assert_eq!(self.scales.len(), blocks);
            return;
        }
        for (block, out) in x
            .chunks_exact(BLOCK)
            .zip(self.values.chunks_exact_mut(BLOCK))
        {
            let (scale, sum) = quantize_block(block, out);
            self.scales.push(scale);
            self.offsets.push(8.0 * scale * sum as f32);
        }
        debug_assert_eq!(self.scales.len(), blocks);
    }
}

/// Quantises one block of 32 to signed bytes; returns its scale and the
/// sum of its values.
fn quantize_block(block: &[f32], out: &mut [i8]) -> (f32, i32) {
    let mut lanes = [0f32; 8];
    for chunk in block.chunks_exact(8) {
        for (m, v) in lanes.iter_mut().zip(chunk) {
            *m = m.max(v.abs());
        }
    }
    let largest = lanes.iter().fold(0f32, |m, v| m.max(*v));
    let scale = largest / 127.0;
    let inverse = if scale > 0.0 { 1.0 / scale } else { 0.0 };
    let mut sum = 0i32;
    for (o, &v) in out.iter_mut().zip(block) {
        let q = round_to_even(v * inverse).clamp(-128, 127) as i8;
        *o = q;
        sum += q as i32;
    }
    (scale, sum)
}

/// Rounds half to even, as the reference does (`lrintf`), without a call
/// into the C library on x86-64 (SSE2's conversion rounds that way).
#[inline]
fn round_to_even(v: f32) -> i32 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of every x86-64 CPU.
        unsafe { std::arch::x86_64::_mm_cvtss_si32(std::arch::x86_64::_mm_set_ss(v)) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        v.round_ties_even() as i32
    }
}

/// The matrix kernels, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kernel {
    Vnni,
    Avx2,
    Portable,
}

fn kernel() -> Kernel {
    static CHOSEN: OnceLock<Kernel> = OnceLock::new();
    *CHOSEN.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512vnni")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512dq")
            {
                return Kernel::Vnni;
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                return Kernel::Avx2;
            }
        }
        Kernel::Portable
    })
}

/// Whether this CPU runs the AVX-512 VNNI kernel: 512-bit code is then
/// already in use, and the rest of the pass may use it too.
pub(crate) fn runs_avx512() -> bool {
    kernel() == Kernel::Vnni
}

/// Returns the name of the kernel this CPU runs, for logs and bench.
pub(crate) fn kernel_name() -> &'static str {
    match kernel() {
        Kernel::Vnni => "avx512-vnni",
        Kernel::Avx2 => "avx2",
        Kernel::Portable => "portable",
    }
}

/// `out[t][r] = bias[r] + sum_k w[r][k] * x[t][k]` for every token `t` of
/// `x` and row `r` of `w`.
pub(crate) fn matmul(w: &QMatrix, x: &QActs, out: &mut [f32]) {
    assert_eq!(w.cols, x.cols, "matrix and activations disagree on width");
    assert_eq!(out.len(), x.tokens * w.rows, "output has the wrong size");
    match (&w.layout, kernel()) {
        #[cfg(target_arch = "x86_64")]
        (Layout::Groups { .. }, Kernel::Vnni) => x86::matmul_vnni(w, x, out),
        #[cfg(target_arch = "x86_64")]
        (Layout::Groups { .. }, _) => x86::matmul_avx2_grouped(w, x, out),
        #[cfg(target_arch = "x86_64")]
        (Layout::Rows { .. }, Kernel::Avx2 | Kernel::Vnni) => x86::matmul_avx2(w, x, out),
        _ => matmul_portable(w, x, out),
    }
}

fn rows_of(w: &QMatrix) -> (&[u8], &[f32]) {
    match &w.layout {
        Layout::Rows { nibbles, scales } => (nibbles, scales),
        Layout::Groups { .. } => unreachable!("grouped weights go to the x86 kernels"),
    }
}

/// The weight-offset correction of one (row, token) pair.
#[inline]
fn offset_of(w: &QMatrix, x: &QActs, row: usize, token: usize) -> f32 {
    let blocks = w.cols / BLOCK;
    let ws = &rows_of(w).1[row * blocks..(row + 1) * blocks];
    let xo = &x.offsets[token * blocks..(token + 1) * blocks];
    ws.iter().zip(xo).map(|(a, b)| a * b).sum::<f32>()
}

fn matmul_portable(w: &QMatrix, x: &QActs, out: &mut [f32]) {
    let blocks = w.cols / BLOCK;
    let (nibbles, scales) = rows_of(w);
    for t in 0..x.tokens {
        let xv = &x.values[t * w.cols..(t + 1) * w.cols];
        for r in 0..w.rows {
            let wv = &nibbles[r * w.cols..(r + 1) * w.cols];
            let mut acc = 0f32;
            for b in 0..blocks {
                let range = b * BLOCK..(b + 1) * BLOCK;
                let dot: i32 = wv[range.clone()]
                    .iter()
                    .zip(&xv[range])
                    .map(|(&a, &b)| a as i32 * b as i32)
                    .sum();
                acc += scales[r * blocks + b] * x.scales[t * blocks + b] * dot as f32;
            }
            out[t * w.rows + r] = w.bias[r] + acc - offset_of(w, x, r, t);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::{BLOCK, GROUP, Layout, QActs, QMatrix, offset_of, rows_of};

    /// Tokens a tile multiplies at once (`tile::<TILE>`).
    const TILE: usize = 4;

    pub(super) fn matmul_avx2(w: &QMatrix, x: &QActs, out: &mut [f32]) {
        // SAFETY: chosen only when the CPU reports AVX2 and FMA.
        unsafe { avx2(w, x, out) }
    }

    pub(super) fn matmul_avx2_grouped(w: &QMatrix, x: &QActs, out: &mut [f32]) {
        // SAFETY: grouped weights are laid out only where the CPU reports
        // AVX2 and FMA (or more).
        unsafe { avx2_grouped(w, x, out) }
    }

    pub(super) fn matmul_vnni(w: &QMatrix, x: &QActs, out: &mut [f32]) {
        // SAFETY: chosen only when the CPU reports AVX-512 BW, DQ and VNNI.
        unsafe { vnni(w, x, out) }
    }

    #[target_feature(enable = "avx2,fma")]
    fn hsum256(v: __m256) -> f32 {
        let lo = _mm256_castps256_ps128(v);
        let hi = _mm256_extractf128_ps(v, 1);
        let s = _mm_add_ps(lo, hi);
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        _mm_cvtss_f32(s)
    }

    #[target_feature(enable = "avx2,fma")]
    fn avx2(w: &QMatrix, x: &QActs, out: &mut [f32]) {
        let (cols, blocks) = (w.cols, w.cols / BLOCK);
        let ones = _mm256_set1_epi16(1);
        let (nibbles, scales) = rows_of(w);
        for r in 0..w.rows {
            let wrow = nibbles[r * cols..].as_ptr();
            let wscales = &scales[r * blocks..(r + 1) * blocks];
            for t in 0..x.tokens {
                let xrow = x.values[t * cols..].as_ptr();
                let xscales = &x.scales[t * blocks..(t + 1) * blocks];
                let mut acc = _mm256_setzero_ps();
                for b in 0..blocks {
                    // SAFETY: b * BLOCK + 32 <= cols for both rows.
                    let (wv, xv) = unsafe {
                        (
                            _mm256_loadu_si256(wrow.add(b * BLOCK) as *const __m256i),
                            _mm256_loadu_si256(xrow.add(b * BLOCK) as *const __m256i),
                        )
                    };
                    let dot = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, xv), ones);
                    let scale = _mm256_set1_ps(wscales[b] * xscales[b]);
                    acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, acc);
                }
                out[t * w.rows + r] = w.bias[r] + hsum256(acc) - offset_of(w, x, r, t);
            }
        }
    }

    /// Tokens at a time in the AVX2 kernel: four products of each load of
    /// weights in flight, in 11 of the 16 registers.
    const AVX2_TILE: usize = 4;

    /// The VNNI kernel's arithmetic in AVX2, for CPUs without AVX-512
    /// (Zen 3 and older, most Intel desktops): half a group, 8 rows, at a
    /// time. `vpmaddubsw`, a block's eight results added in 16 bits, then
    /// one `vpmaddwd` by ones stand for `vpdpbusd`: a weight is at most 15
    /// and an activation at least -128, so a pair sums to at most 3,840 in
    /// size and a block's eight to 30,720, exact in 16 bits. Row after
    /// row, one dot product at a time, the kernel waited on each block's
    /// multiply-add and summed across lanes for every output: 45 ms a
    /// caption on a Zen 3 EPYC, 11-13 ms now (docs/encoder.md).
    #[target_feature(enable = "avx2,fma")]
    fn avx2_grouped(w: &QMatrix, x: &QActs, out: &mut [f32]) {
        let Layout::Groups { bytes, scales } = &w.layout else {
            unreachable!("the grouped AVX2 kernel reads grouped weights");
        };
        let group_bytes = GROUP * w.cols;
        let group_scales = GROUP * (w.cols / BLOCK);
        for g in 0..w.rows / GROUP {
            let weights = &bytes[g * group_bytes..(g + 1) * group_bytes];
            let row_scales = &scales[g * group_scales..(g + 1) * group_scales];
            for half in 0..2 {
                let mut t = 0;
                while t < x.tokens {
                    t += match x.tokens - t {
                        1 => half_tile::<1>(w, x, weights, row_scales, (g, half), t, out),
                        2 => half_tile::<2>(w, x, weights, row_scales, (g, half), t, out),
                        3 => half_tile::<3>(w, x, weights, row_scales, (g, half), t, out),
                        _ => half_tile::<AVX2_TILE>(w, x, weights, row_scales, (g, half), t, out),
                    };
                }
            }
        }
    }

    /// 8 rows (half `half` of group `g`) times tokens `t..t + N`, as
    /// `tile` does for 16.
    #[target_feature(enable = "avx2,fma")]
    fn half_tile<const N: usize>(
        w: &QMatrix,
        x: &QActs,
        weights: &[u8],
        row_scales: &[f32],
        (g, half): (usize, usize),
        t: usize,
        out: &mut [f32],
    ) -> usize {
        const HALF: usize = GROUP / 2;
        let (cols, blocks) = (w.cols, w.cols / BLOCK);
        assert!(weights.len() == GROUP * cols && row_scales.len() == GROUP * blocks);
        assert!((t + N) * cols <= x.values.len() && (t + N) * blocks <= x.scales.len());
        let ones = _mm256_set1_epi16(1);
        let mut sums = [_mm256_setzero_ps(); N];
        let x_scales = &x.scales[t * blocks..(t + N) * blocks];
        let x_offsets = &x.offsets[t * blocks..(t + N) * blocks];
        for b in 0..blocks {
            let mut dots = [_mm256_setzero_si256(); N];
            for j in 0..BLOCK / 4 {
                // SAFETY: (b * 8 + j) * 64 + 64 <= GROUP * cols (asserted
                // above), and each activation read of 4 bytes lies inside
                // token t + i's row.
                let wv = unsafe {
                    _mm256_loadu_si256(
                        weights.as_ptr().add((b * 8 + j) * 64 + half * 32) as *const __m256i
                    )
                };
                for (i, dot) in dots.iter_mut().enumerate() {
                    let at = (t + i) * cols + b * BLOCK + j * 4;
                    let four = unsafe {
                        std::ptr::read_unaligned(x.values.as_ptr().add(at) as *const i32)
                    };
                    let pairs = _mm256_maddubs_epi16(wv, _mm256_set1_epi32(four));
                    *dot = _mm256_add_epi16(*dot, pairs);
                }
            }
            // The block's pair sums, added in 16 bits (at most 8 x 3,840 in
            // size: exact), widened once: each row's sum over the block.
            for dot in dots.iter_mut() {
                *dot = _mm256_madd_epi16(*dot, ones);
            }
            // SAFETY: b * 16 + half * 8 + 8 <= GROUP * blocks (asserted above).
            let ws = unsafe { _mm256_loadu_ps(row_scales.as_ptr().add(b * GROUP + half * HALF)) };
            for (i, (sum, dot)) in sums.iter_mut().zip(&dots).enumerate() {
                // SAFETY: i * blocks + b < N * blocks, the slices' length.
                let (scale, offset) = unsafe {
                    (
                        *x_scales.get_unchecked(i * blocks + b),
                        *x_offsets.get_unchecked(i * blocks + b),
                    )
                };
                let lane = _mm256_fmsub_ps(
                    _mm256_cvtepi32_ps(*dot),
                    _mm256_set1_ps(scale),
                    _mm256_set1_ps(offset),
                );
                *sum = _mm256_fmadd_ps(lane, ws, *sum);
            }
        }
        let first = g * GROUP + half * HALF;
        // SAFETY: the 8 rows' biases and outputs lie inside their rows.
        let bias = unsafe { _mm256_loadu_ps(w.bias.as_ptr().add(first)) };
        for (i, sum) in sums.iter().enumerate() {
            let at = (t + i) * w.rows + first;
            assert!(at + HALF <= out.len());
            unsafe { _mm256_storeu_ps(out.as_mut_ptr().add(at), _mm256_add_ps(*sum, bias)) };
        }
        N
    }

    /// `QActs::quantize`'s blocks, 8 lanes at a time (the conversion
    /// rounds half to even, as the portable path does). On a Zen 3 the
    /// portable loop, one conversion a value, was an eighth of the pass.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn quantize_blocks_avx2(
        x: &[f32],
        values: &mut [i8],
        scales: &mut Vec<f32>,
        offsets: &mut Vec<f32>,
    ) {
        let sign = _mm256_set1_ps(-0.0);
        let (low, high) = (_mm256_set1_epi32(-128), _mm256_set1_epi32(127));
        // packs interleave the two 128-bit halves: 4-byte groups back in order.
        let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
        for (block, out) in x.chunks_exact(BLOCK).zip(values.chunks_exact_mut(BLOCK)) {
            // SAFETY: a block is 32 floats and 32 bytes.
            let v: [__m256; 4] =
                std::array::from_fn(|i| unsafe { _mm256_loadu_ps(block.as_ptr().add(8 * i)) });
            let most = v.iter().fold(_mm256_setzero_ps(), |m, &v| {
                _mm256_max_ps(m, _mm256_andnot_ps(sign, v))
            });
            let half = _mm_max_ps(_mm256_castps256_ps128(most), _mm256_extractf128_ps(most, 1));
            let half = _mm_max_ps(half, _mm_movehl_ps(half, half));
            let largest = _mm_cvtss_f32(_mm_max_ss(half, _mm_shuffle_ps(half, half, 1)));
            let scale = largest / 127.0;
            let inverse = _mm256_set1_ps(if scale > 0.0 { 1.0 / scale } else { 0.0 });
            let q: [__m256i; 4] = std::array::from_fn(|i| {
                _mm256_min_epi32(
                    _mm256_max_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(v[i], inverse)), low),
                    high,
                )
            });
            let total =
                _mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3]));
            let total = _mm_add_epi32(
                _mm256_castsi256_si128(total),
                _mm256_extracti128_si256(total, 1),
            );
            let total = _mm_add_epi32(total, _mm_shuffle_epi32(total, 0b01_00_11_10));
            let sum = _mm_cvtsi128_si32(_mm_add_epi32(
                total,
                _mm_shuffle_epi32(total, 0b10_11_00_01),
            ));
            let bytes = _mm256_packs_epi16(
                _mm256_packs_epi32(q[0], q[1]),
                _mm256_packs_epi32(q[2], q[3]),
            );
            // SAFETY: 32 bytes into the block's 32.
            unsafe {
                _mm256_storeu_si256(
                    out.as_mut_ptr() as *mut __m256i,
                    _mm256_permutevar8x32_epi32(bytes, order),
                )
            };
            scales.push(scale);
            offsets.push(8.0 * scale * sum as f32);
        }
    }

    /// `QActs::quantize`'s blocks, 16 lanes at a time (the conversion
    /// rounds half to even, as the portable path does).
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn quantize_blocks(
        x: &[f32],
        values: &mut [i8],
        scales: &mut Vec<f32>,
        offsets: &mut Vec<f32>,
    ) {
        let (low, high) = (_mm512_set1_epi32(-128), _mm512_set1_epi32(127));
        for (block, out) in x.chunks_exact(BLOCK).zip(values.chunks_exact_mut(BLOCK)) {
            // SAFETY: a block is 32 floats and 32 bytes.
            let (a, b) = unsafe {
                (
                    _mm512_loadu_ps(block.as_ptr()),
                    _mm512_loadu_ps(block.as_ptr().add(16)),
                )
            };
            let largest = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(a), _mm512_abs_ps(b)));
            let scale = largest / 127.0;
            let inverse = _mm512_set1_ps(if scale > 0.0 { 1.0 / scale } else { 0.0 });
            let qa = _mm512_min_epi32(
                _mm512_max_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(a, inverse)), low),
                high,
            );
            let qb = _mm512_min_epi32(
                _mm512_max_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(b, inverse)), low),
                high,
            );
            let sum = _mm512_reduce_add_epi32(_mm512_add_epi32(qa, qb));
            // SAFETY: 16 bytes each into the block's 32.
            unsafe {
                _mm_storeu_si128(out.as_mut_ptr() as *mut __m128i, _mm512_cvtepi32_epi8(qa));
                _mm_storeu_si128(
                    out.as_mut_ptr().add(16) as *mut __m128i,
                    _mm512_cvtepi32_epi8(qb),
                );
            }
            scales.push(scale);
            offsets.push(8.0 * scale * sum as f32);
        }
    }

    /// Group by group of 16 rows; while one group is multiplied, the next
    /// group's weights are prefetched into L2, a few lines before each
    /// tile. A sentence's pass reads every weight once (21 MB for
    /// e5-small) for a few dozen tokens: without the prefetch each group's
    /// weights arrived only as they were needed, and a sentence took about
    /// a tenth longer (2026-12-06, docs/encoder.md). Prefetching the next
    /// matrix's first group as well measured nothing more.
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vnni")]
    fn vnni(w: &QMatrix, x: &QActs, out: &mut [f32]) {
        let Layout::Groups { bytes, scales } = &w.layout else {
            unreachable!("the VNNI kernel reads grouped weights");
        };
        let group_bytes = GROUP * w.cols;
        let group_scales = GROUP * (w.cols / BLOCK);
        let tiles = x.tokens.div_ceil(TILE).max(1);
        for g in 0..w.rows / GROUP {
            let weights = &bytes[g * group_bytes..(g + 1) * group_bytes];
            let row_scales = &scales[g * group_scales..(g + 1) * group_scales];
            let next = bytes
                .get((g + 1) * group_bytes..(g + 2) * group_bytes)
                .unwrap_or(&[]);
            let mut lines = next.chunks(64);
            let per_tile = next.len().div_ceil(64).div_ceil(tiles);
            let mut t = 0;
            while t < x.tokens {
                for line in lines.by_ref().take(per_tile) {
                    _mm_prefetch::<_MM_HINT_T1>(line.as_ptr() as *const i8);
                }
                t += match x.tokens - t {
                    1 => tile::<1>(w, x, weights, row_scales, g, t, out),
                    2 => tile::<2>(w, x, weights, row_scales, g, t, out),
                    3 => tile::<3>(w, x, weights, row_scales, g, t, out),
                    _ => tile::<TILE>(w, x, weights, row_scales, g, t, out),
                };
            }
        }
    }

    /// 16 rows (group `g`) times tokens `t..t + N`: each 64-byte load of
    /// weights feeds N products of 64 weights; a block's integer sums are
    /// scaled once per block, 16 rows at a time.
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vnni")]
    fn tile<const N: usize>(
        w: &QMatrix,
        x: &QActs,
        weights: &[u8],
        row_scales: &[f32],
        g: usize,
        t: usize,
        out: &mut [f32],
    ) -> usize {
        let (cols, blocks) = (w.cols, w.cols / BLOCK);
        assert!(weights.len() == GROUP * cols && row_scales.len() == GROUP * blocks);
        assert!((t + N) * cols <= x.values.len() && (t + N) * blocks <= x.scales.len());
        let mut sums = [_mm512_setzero_ps(); N];
        let x_scales = &x.scales[t * blocks..(t + N) * blocks];
        let x_offsets = &x.offsets[t * blocks..(t + N) * blocks];
        for b in 0..blocks {
            let mut dots = [_mm512_setzero_si512(); N];
            for j in 0..BLOCK / 4 {
                // SAFETY: (b * 8 + j) * 64 + 64 <= GROUP * cols (asserted
                // above), and each activation read of 4 bytes lies inside
                // token t + i's row.
                let wv = unsafe {
                    _mm512_loadu_si512(weights.as_ptr().add((b * 8 + j) * 64) as *const __m512i)
                };
                for (i, dot) in dots.iter_mut().enumerate() {
                    let at = (t + i) * cols + b * BLOCK + j * 4;
                    let four = unsafe {
                        std::ptr::read_unaligned(x.values.as_ptr().add(at) as *const i32)
                    };
                    *dot = _mm512_dpbusd_epi32(*dot, wv, _mm512_set1_epi32(four));
                }
            }
            // SAFETY: b * 16 + 16 <= GROUP * blocks (asserted above).
            let ws = unsafe { _mm512_loadu_ps(row_scales.as_ptr().add(b * GROUP)) };
            for (i, (sum, dot)) in sums.iter_mut().zip(&dots).enumerate() {
                // SAFETY: i * blocks + b < N * blocks, the slices' length.
                let (scale, offset) = unsafe {
                    (
                        *x_scales.get_unchecked(i * blocks + b),
                        *x_offsets.get_unchecked(i * blocks + b),
                    )
                };
                // x scale * dot - 8 * x scale * block sum: the weights' +8
                // taken back.
                let lane = _mm512_fmsub_ps(
                    _mm512_cvtepi32_ps(*dot),
                    _mm512_set1_ps(scale),
                    _mm512_set1_ps(offset),
                );
                *sum = _mm512_fmadd_ps(lane, ws, *sum);
            }
        }
        // SAFETY: the group's 16 biases and outputs lie inside their rows.
        let bias = unsafe { _mm512_loadu_ps(w.bias.as_ptr().add(g * GROUP)) };
        for (i, sum) in sums.iter().enumerate() {
            let at = (t + i) * w.rows + g * GROUP;
            assert!(at + GROUP <= out.len());
            unsafe { _mm512_storeu_ps(out.as_mut_ptr().add(at), _mm512_add_ps(*sum, bias)) };
        }
        N
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_q4(rows: usize, cols: usize, seed: u64) -> (Vec<u8>, Vec<f32>) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut body = Vec::new();
        for _ in 0..rows * cols / BLOCK {
            // Scales between about 0.001 and 0.06, as the model's are.
            body.extend_from_slice(&(0x1400u16 + rng.u16(0..0x1000)).to_le_bytes());
            body.extend((0..16).map(|_| rng.u8(..)));
        }
        (body, (0..rows).map(|_| rng.f32() - 0.5).collect())
    }

    fn reference(w: &QMatrix, x: &[f32], tokens: usize) -> Vec<f32> {
        // The product in floats of the dequantised weights.
        let blocks = w.cols / BLOCK;
        let (nibbles, scales) = rows_of(w);
        let mut out = vec![0f32; tokens * w.rows];
        for t in 0..tokens {
            for r in 0..w.rows {
                let mut acc = w.bias[r] as f64;
                for k in 0..w.cols {
                    let weight =
                        (nibbles[r * w.cols + k] as f32 - 8.0) * scales[r * blocks + k / BLOCK];
                    acc += weight as f64 * x[t * w.cols + k] as f64;
                }
                out[t * w.rows + r] = acc as f32;
            }
        }
        out
    }

    #[test]
    fn every_kernel_computes_the_product_of_the_dequantised_weights() {
        for (rows, cols, tokens) in [(16, 64, 3), (48, 384, 7), (32, 1536, 2)] {
            let (body, bias) = random_q4(rows, cols, rows as u64);
            let by_rows = QMatrix::unpack(&body, rows, cols, bias.clone(), false);
            let grouped = QMatrix::unpack(&body, rows, cols, bias, true);
            let mut rng = fastrand::Rng::with_seed(7);
            let x: Vec<f32> = (0..tokens * cols).map(|_| rng.f32() * 4.0 - 2.0).collect();
            let mut q = QActs::default();
            q.quantize(&x, tokens, cols);
            let exact = reference(&by_rows, &x, tokens);
            type Run = fn(&QMatrix, &QActs, &mut [f32]);
            let mut kernels: Vec<(&str, &QMatrix, Run)> =
                vec![("portable", &by_rows, matmul_portable)];
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    kernels.push(("avx2", &by_rows, x86::matmul_avx2));
                    kernels.push(("avx2 grouped", &grouped, x86::matmul_avx2_grouped));
                }
                if kernel() == Kernel::Vnni {
                    kernels.push(("vnni", &grouped, x86::matmul_vnni));
                }
            }
            let norm =
                exact.iter().map(|v| v * v).sum::<f32>().sqrt() / (exact.len() as f32).sqrt();
            for (name, w, kernel) in kernels {
                let mut out = vec![0f32; tokens * rows];
                kernel(w, &q, &mut out);
                for (got, want) in out.iter().zip(&exact) {
                    // Activation rounding only: well under 2 % of the typical output.
                    assert!(
                        (got - want).abs() < 0.02 * norm,
                        "{name} {rows}x{cols}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn activations_quantise_alike_on_every_path() {
        let mut rng = fastrand::Rng::with_seed(11);
        // Ties (x.5 after scaling), zeros and large values included.
        let mut x: Vec<f32> = (0..32 * 40).map(|_| (rng.f32() - 0.5) * 20.0).collect();
        x[..32]
            .iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = i as f32 - 15.5);
        x[32..64].fill(0.0);
        let mut q = QActs::default();
        q.quantize(&x, 40, 32);
        for (b, block) in x.chunks_exact(BLOCK).enumerate() {
            let mut out = [0i8; BLOCK];
            let (scale, sum) = quantize_block(block, &mut out);
            assert_eq!(&q.values[b * BLOCK..(b + 1) * BLOCK], &out[..], "block {b}");
            assert_eq!(q.scales[b], scale);
            assert_eq!(q.offsets[b], 8.0 * scale * sum as f32);
        }
    }

    #[test]
    fn half_floats_decode() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x8001), -(2f32.powi(-24)));
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
    }
}

//! The scan over every claim's vector: the query quantised to 8 bits like
//! the claims, integer dot products, then the few rows near the floor
//! rescored exactly.
//!
//! Three kernels, one contract (`Rows8::dots`), chosen once per process
//! from what the CPU has, each reading the rows laid out for it: AVX-512
//! VNNI (`vpdpbusd`: 16 rows a register, 64 products an instruction, the
//! rows in groups of 16 stored plus 128 so they read as unsigned), AVX2
//! (16 products an instruction, row after row) and portable code. Measured
//! on one core of a 2-core EPYC (docs/encoder.md, "The dense scan"), the
//! scan of one sentence is bound by reading the rows (384 bytes a claim);
//! a request's sentences are scanned in one pass, each load of the rows
//! feeding up to 8 of them in the VNNI kernel.

use crate::encoder::DIM;

/// How far below the floor an integer cosine may fall and still be
/// rescored exactly: the two roundings (query and claim, half a step of
/// 1/127 of the largest value each) move a cosine by well under this.
pub(super) const MARGIN: f32 = 0.02;

/// A query quantised like the claims: values and scale.
pub(super) struct Query8 {
    pub values: [i8; DIM],
    pub scale: f32,
}

impl Query8 {
    /// Quantises `query` to signed bytes, its largest magnitude at 127.
    pub fn new(query: &[f32; DIM]) -> Query8 {
        let largest = query.iter().fold(0f32, |m, v| m.max(v.abs()));
        let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
        let mut values = [0i8; DIM];
        for (q, v) in values.iter_mut().zip(query) {
            *q = (v / scale).round().clamp(-127.0, 127.0) as i8;
        }
        Query8 { values, scale }
    }
}

/// Rows of signed bytes, `DIM` a row, laid out for this CPU's kernel.
pub(super) struct Rows8 {
    layout: Layout,
    len: usize,
    /// Row after row as signed bytes, or (`Layout::Groups`) groups of 16
    /// rows: for each 4 columns, the 16 rows' 4 bytes side by side, each
    /// byte the value plus 128; the last group padded with zeros.
    bytes: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Rows,
    Groups,
}

const GROUP: usize = 16;

/// Whether this CPU has the AVX-512 VNNI kernel.
fn vnni() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512vnni")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    })
}

impl Default for Rows8 {
    fn default() -> Self {
        Rows8::with_layout(if vnni() { Layout::Groups } else { Layout::Rows })
    }
}

impl Rows8 {
    fn with_layout(layout: Layout) -> Rows8 {
        Rows8 {
            layout,
            len: 0,
            bytes: Vec::new(),
        }
    }

    /// Returns the number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Adds a row.
    pub fn push(&mut self, row: &[i8; DIM]) {
        match self.layout {
            Layout::Rows => self.bytes.extend(row.iter().map(|&v| v as u8)),
            Layout::Groups => {
                let lane = self.len % GROUP;
                if lane == 0 {
                    self.bytes.resize(self.bytes.len() + GROUP * DIM, 128);
                }
                let group = self.bytes.len() - GROUP * DIM;
                for (quad, four) in row.chunks_exact(4).enumerate() {
                    let at = group + quad * GROUP * 4 + lane * 4;
                    for (b, &v) in self.bytes[at..at + 4].iter_mut().zip(four) {
                        *b = (i16::from(v) + 128) as u8;
                    }
                }
            }
        }
        self.len += 1;
    }

    /// Lays the rows out one after another, whatever the CPU's kernel
    /// (for reading single rows: 6 cache lines a row, where a group of 16
    /// spreads a row over 96).
    pub fn lay_out_rows(&mut self) {
        if self.layout == Layout::Rows {
            return;
        }
        let mut rows = Rows8::with_layout(Layout::Rows);
        rows.bytes.reserve_exact(self.len * DIM);
        for row in 0..self.len {
            rows.push(&self.row(row));
        }
        *self = rows;
    }

    /// Asks the CPU to start reading row `row` (laid out row after row)
    /// into its cache, so that reading it later does not wait on memory.
    #[inline]
    pub fn prefetch(&self, row: usize) {
        #[cfg(target_arch = "x86_64")]
        if self.layout == Layout::Rows && row < self.len {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            let bytes = &self.bytes[row * DIM..(row + 1) * DIM];
            for line in (0..DIM).step_by(64).chain([DIM - 1]) {
                // SAFETY: a prefetch of an address inside `bytes` (SSE is
                // part of every x86-64 CPU); it reads nothing itself.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(bytes.as_ptr().add(line).cast()) };
            }
        }
    }

    /// Calls `read` with row `row`, in place when the rows lie one after
    /// another.
    #[inline]
    pub fn with_row<R>(&self, row: usize, read: impl FnOnce(&[i8]) -> R) -> R {
        match self.layout {
            Layout::Rows => {
                let bytes = &self.bytes[row * DIM..(row + 1) * DIM];
                // SAFETY: i8 and u8 have one size and alignment.
                read(unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<i8>(), DIM) })
            }
            Layout::Groups => read(&self.row(row)),
        }
    }

    /// Returns row `row`.
    pub fn row(&self, row: usize) -> [i8; DIM] {
        assert!(row < self.len, "row {row} of {}", self.len);
        match self.layout {
            Layout::Rows => std::array::from_fn(|i| self.bytes[row * DIM + i] as i8),
            Layout::Groups => {
                let first = row / GROUP * GROUP * DIM + row % GROUP * 4;
                let mut out = [0i8; DIM];
                for (quad, four) in out.chunks_exact_mut(4).enumerate() {
                    let at = first + quad * GROUP * 4;
                    let stored: [u8; 4] = self.bytes[at..at + 4].try_into().expect("4 bytes");
                    // Stored plus 128: each byte's top bit flipped.
                    let value = u32::from_ne_bytes(stored) ^ 0x8080_8080;
                    for (o, b) in four.iter_mut().zip(value.to_ne_bytes()) {
                        *o = b as i8;
                    }
                }
                out
            }
        }
    }

    /// Writes the integer dot product of each query with each row to
    /// `out`, row by row: `out[row * queries.len() + q]`. The rows are
    /// read once for all the queries.
    pub fn dots(&self, queries: &[Query8], out: &mut Vec<i32>) {
        out.clear();
        out.reserve(self.len * queries.len());
        let values: Vec<&[i8; DIM]> = queries.iter().map(|q| &q.values).collect();
        match self.layout {
            #[cfg(target_arch = "x86_64")]
            Layout::Groups if vnni() => {
                // SAFETY: the CPU has AVX-512 F, BW and VNNI (checked).
                unsafe { avx512::dots(&values, &self.bytes, self.len, out) }
            }
            Layout::Groups => {
                for row in 0..self.len {
                    let row = self.row(row);
                    portable(&values, std::iter::once(&row[..]), out);
                }
            }
            Layout::Rows => {
                let rows = self.bytes.chunks_exact(DIM).map(|row| {
                    // SAFETY: i8 and u8 have one size and alignment.
                    unsafe { std::slice::from_raw_parts(row.as_ptr().cast::<i8>(), DIM) }
                });
                #[cfg(target_arch = "x86_64")]
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU has AVX2 (checked just above).
                    unsafe { avx2::dots(&values, rows, out) };
                    return;
                }
                portable(&values, rows, out);
            }
        }
    }
}

fn portable<'a>(queries: &[&[i8; DIM]], rows: impl Iterator<Item = &'a [i8]>, out: &mut Vec<i32>) {
    for row in rows {
        for query in queries {
            out.push(
                row.iter()
                    .zip(query.iter())
                    .map(|(&a, &b)| i32::from(a) * i32::from(b))
                    .sum(),
            );
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    use super::{DIM, GROUP};

    /// Queries taken together over a group: each 64-byte load of the
    /// group feeds this many products.
    const TOGETHER: usize = 8;

    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) fn dots(queries: &[&[i8; DIM]], bytes: &[u8], rows: usize, out: &mut Vec<i32>) {
        let groups = rows.div_ceil(GROUP);
        assert!(bytes.len() >= groups * GROUP * DIM);
        let q = queries.len();
        // The rows are stored plus 128: each product carries 128 times the
        // query's sum, taken back here.
        let sums: Vec<i32> = queries
            .iter()
            .map(|query| 128 * query.iter().map(|&v| i32::from(v)).sum::<i32>())
            .collect();
        let start = out.len();
        out.resize(start + rows * q, 0);
        let out = &mut out[start..];
        let mut lanes = [0i32; GROUP];
        for g in 0..groups {
            let group = &bytes[g * GROUP * DIM..(g + 1) * GROUP * DIM];
            let in_group = (rows - g * GROUP).min(GROUP);
            for first in (0..q).step_by(TOGETHER) {
                let together = &queries[first..(first + TOGETHER).min(q)];
                let accs = match together.len() {
                    1 => tile::<1>(group, together),
                    2 => tile::<2>(group, together),
                    3 => tile::<3>(group, together),
                    4 => tile::<4>(group, together),
                    5 => tile::<5>(group, together),
                    6 => tile::<6>(group, together),
                    7 => tile::<7>(group, together),
                    _ => tile::<8>(group, together),
                };
                for (i, acc) in accs.iter().take(together.len()).enumerate() {
                    // SAFETY: `lanes` holds 16 i32, one register's worth.
                    unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), *acc) };
                    for (lane, &dot) in lanes.iter().take(in_group).enumerate() {
                        out[(g * GROUP + lane) * q + first + i] = dot - sums[first + i];
                    }
                }
            }
        }
    }

    /// 16 rows (one group) times `N` queries: 16 products a register.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    fn tile<const N: usize>(group: &[u8], queries: &[&[i8; DIM]]) -> [__m512i; 8] {
        assert!(group.len() == GROUP * DIM && queries.len() >= N && N <= 8);
        let mut accs = [_mm512_setzero_si512(); 8];
        for quad in 0..DIM / 4 {
            // SAFETY: quad * 64 + 64 <= GROUP * DIM (asserted above).
            let rows = unsafe {
                _mm512_loadu_si512(group.as_ptr().add(quad * GROUP * 4) as *const __m512i)
            };
            for (acc, query) in accs.iter_mut().zip(queries).take(N) {
                let four = i32::from_le_bytes([
                    query[quad * 4] as u8,
                    query[quad * 4 + 1] as u8,
                    query[quad * 4 + 2] as u8,
                    query[quad * 4 + 3] as u8,
                ]);
                *acc = _mm512_dpbusd_epi32(*acc, rows, _mm512_set1_epi32(four));
            }
        }
        accs
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::DIM;

    /// 16 bytes of `at` sign-extended to 16 lanes of i16.
    #[target_feature(enable = "avx2")]
    fn widen(at: &[i8]) -> __m256i {
        debug_assert!(at.len() >= 16);
        // SAFETY: 16 bytes are readable at `at` (checked by the caller's
        // chunking); the load is unaligned.
        unsafe { _mm256_cvtepi8_epi16(_mm_loadu_si128(at.as_ptr().cast())) }
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn dots<'a>(
        queries: &[&[i8; DIM]],
        rows: impl Iterator<Item = &'a [i8]>,
        out: &mut Vec<i32>,
    ) {
        let widened: Vec<[__m256i; DIM / 16]> = queries
            .iter()
            .map(|query| {
                let mut lanes = [_mm256_setzero_si256(); DIM / 16];
                for (lane, chunk) in lanes.iter_mut().zip(query.chunks_exact(16)) {
                    *lane = widen(chunk);
                }
                lanes
            })
            .collect();
        let mut row_lanes = [_mm256_setzero_si256(); DIM / 16];
        for row in rows {
            for (lane, chunk) in row_lanes.iter_mut().zip(row.chunks_exact(16)) {
                *lane = widen(chunk);
            }
            for query in &widened {
                let mut acc = _mm256_setzero_si256();
                for (r, q) in row_lanes.iter().zip(query) {
                    // Pairs of i16 products summed to i32: no overflow (at
                    // most 2 x 127 x 127 a lane a step, 24 steps).
                    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(*r, *q));
                }
                let halves = _mm_add_epi32(
                    _mm256_castsi256_si128(acc),
                    _mm256_extracti128_si256(acc, 1),
                );
                let pairs = _mm_add_epi32(halves, _mm_shuffle_epi32(halves, 0b01_00_11_10));
                let total = _mm_add_epi32(pairs, _mm_shuffle_epi32(pairs, 0b10_11_00_01));
                out.push(_mm_cvtsi128_si32(total));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_rows(rows: usize, seed: u64) -> Vec<[i8; DIM]> {
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..rows)
            .map(|_| std::array::from_fn(|_| rng.i8(-127..=127)))
            .collect()
    }

    #[test]
    fn every_layout_and_kernel_gives_the_same_products() {
        // 300 rows: the last group of 16 is partly filled.
        let rows = random_rows(300, 5);
        let queries: Vec<Query8> = (0..11)
            .map(|i| {
                let mut rng = fastrand::Rng::with_seed(100 + i);
                let v: [f32; DIM] = std::array::from_fn(|_| rng.f32() - 0.5);
                Query8::new(&v)
            })
            .collect();
        let values: Vec<&[i8; DIM]> = queries.iter().map(|q| &q.values).collect();
        let mut expected = Vec::new();
        portable(&values, rows.iter().map(|row| &row[..]), &mut expected);
        for layout in [Layout::Rows, Layout::Groups] {
            let mut table = Rows8::with_layout(layout);
            rows.iter().for_each(|row| table.push(row));
            assert_eq!(table.len(), 300);
            for (i, row) in rows.iter().enumerate() {
                assert_eq!(&table.row(i), row, "{layout:?} row {i}");
            }
            // One query, a few, and more than a register's worth at once.
            for n in [1, 3, 8, 11] {
                let mut out = Vec::new();
                table.dots(&queries[..n], &mut out);
                let want: Vec<i32> = expected
                    .chunks_exact(11)
                    .flat_map(|row| row[..n].iter().copied())
                    .collect();
                assert_eq!(out, want, "{layout:?}, {n} queries");
            }
        }
        // The extremes do not overflow.
        for layout in [Layout::Rows, Layout::Groups] {
            let mut table = Rows8::with_layout(layout);
            table.push(&[127; DIM]);
            table.push(&[-127; DIM]);
            let full = Query8 {
                values: [127; DIM],
                scale: 1.0,
            };
            let mut out = Vec::new();
            table.dots(std::slice::from_ref(&full), &mut out);
            assert_eq!(out, [127 * 127 * DIM as i32, -127 * 127 * DIM as i32]);
        }
    }
}

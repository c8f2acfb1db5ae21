//! A first pass for the search by meaning over many claims: each row's
//! signs in the centred space (one bit a dimension, 48 bytes a text),
//! compared with each query sentence's by counting the bits that differ;
//! only the rows nearest a sentence by that count are scored exactly.
//!
//! The full scan reads 384 bytes a claim and is bound by reading them
//! (13-15 ms a sentence at a million claims on one core); the signs are an
//! eighth of that and are read once for all of a request's sentences. Two
//! vectors' differing signs follow the angle between them: a claim near a
//! sentence by cosine is, nearly always, among the nearest hundredth by
//! signs (docs/encoder.md, "Signs first", measures what is lost). Below `ClaimVectors`' threshold the full scan is exact and fast
//! enough, and no signs are kept.

use crate::encoder::DIM;

/// Words of 64 signs a row.
pub(super) const WORDS: usize = DIM / 64;

/// A row's signs: bit `d % 64` of word `d / 64` set when dimension `d` is
/// positive.
pub(super) type Signs = [u64; WORDS];

/// Rows a group: one word of each of a group's rows fills a 512-bit
/// register.
const LANES: usize = 8;

/// Groups of the sample a cut-off is estimated from: one in this many.
const SAMPLE_EVERY: usize = 16;

/// Returns the signs of `vector`.
pub(super) fn signs_of(vector: impl IntoIterator<Item = f32>) -> Signs {
    let mut signs = [0u64; WORDS];
    for (d, v) in vector.into_iter().enumerate().take(DIM) {
        if v > 0.0 {
            signs[d / 64] |= 1 << (d % 64);
        }
    }
    signs
}

/// Rows' signs in groups of `LANES`: for each word, the group's rows'
/// words side by side.
#[derive(Default)]
pub(super) struct SignRows {
    words: Vec<u64>,
    len: usize,
}

impl SignRows {
    /// Returns the number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Forgets every row.
    pub fn clear(&mut self) {
        self.words.clear();
        self.len = 0;
    }

    /// Sets row `row`'s signs; `row` is at most the number of rows (a
    /// new row is added at the end).
    pub fn set(&mut self, row: usize, signs: &Signs) {
        assert!(row <= self.len, "row {row} of {}", self.len);
        if row == self.len {
            if row.is_multiple_of(LANES) {
                self.words.resize(self.words.len() + WORDS * LANES, 0);
            }
            self.len += 1;
        }
        let group = row / LANES * WORDS * LANES;
        for (w, &word) in signs.iter().enumerate() {
            self.words[group + w * LANES + row % LANES] = word;
        }
    }

    /// Returns row `row`'s signs.
    #[cfg(test)]
    pub fn get(&self, row: usize) -> Signs {
        assert!(row < self.len, "row {row} of {}", self.len);
        let group = row / LANES * WORDS * LANES;
        std::array::from_fn(|w| self.words[group + w * LANES + row % LANES])
    }

    /// Returns, for each query, the `keep` rows with the fewest signs
    /// differing from it (of two at one count, the first row), ascending.
    /// The signs are read once for all the queries (twice when a cut-off
    /// estimated from a sample kept too few).
    pub fn nearest(&self, queries: &[Signs], keep: usize) -> Vec<Vec<u32>> {
        if keep >= self.len {
            return vec![(0..self.len as u32).collect(); queries.len()];
        }
        // A cut-off per query from every `SAMPLE_EVERY`th group: a little
        // over the count the nearest `keep` rows reach there.
        let groups = self.len.div_ceil(LANES);
        let mut counts = vec![[0u32; DIM + 1]; queries.len()];
        let mut found: Vec<Vec<(u16, u32)>> = vec![Vec::new(); queries.len()];
        self.scan(
            queries,
            &vec![DIM as u16; queries.len()],
            SAMPLE_EVERY,
            &mut found,
        );
        for (counts, found) in counts.iter_mut().zip(&found) {
            for &(d, _) in found {
                counts[usize::from(d)] += 1;
            }
        }
        let share = groups.div_ceil(SAMPLE_EVERY) as f64 / groups as f64;
        let wanted = (keep as f64 * share * 1.25).ceil() as u32 + 8;
        let cutoffs: Vec<u16> = counts
            .iter()
            .map(|counts| {
                let mut below = 0;
                let at = counts.iter().position(|&c| {
                    below += c;
                    below >= wanted
                });
                at.unwrap_or(DIM) as u16
            })
            .collect();
        found.iter_mut().for_each(Vec::clear);
        self.scan(queries, &cutoffs, 1, &mut found);
        // A sample that set a cut-off too low: those queries again, with
        // no cut-off (rare; the answer is the same, only slower).
        let short: Vec<usize> = (0..queries.len())
            .filter(|&q| found[q].len() < keep && cutoffs[q] < DIM as u16)
            .collect();
        if !short.is_empty() {
            let again: Vec<Signs> = short.iter().map(|&q| queries[q]).collect();
            let mut all = vec![Vec::new(); short.len()];
            self.scan(&again, &vec![DIM as u16; short.len()], 1, &mut all);
            for (&q, all) in short.iter().zip(all) {
                found[q] = all;
            }
        }
        found
            .into_iter()
            .map(|mut rows| {
                if rows.len() > keep {
                    rows.select_nth_unstable(keep - 1);
                    rows.truncate(keep);
                }
                let mut rows: Vec<u32> = rows.into_iter().map(|(_, row)| row).collect();
                rows.sort_unstable();
                rows
            })
            .collect()
    }

    /// Appends to `found[q]` each row of every `every`th group whose count
    /// of signs differing from `queries[q]` is at most `cutoffs[q]`, with
    /// the count.
    fn scan(
        &self,
        queries: &[Signs],
        cutoffs: &[u16],
        every: usize,
        found: &mut [Vec<(u16, u32)>],
    ) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512vpopcntdq")
        {
            // SAFETY: the CPU has AVX-512 F and VPOPCNTDQ (checked).
            unsafe { self.scan_avx512(queries, cutoffs, every, found) };
            return;
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: the CPU counts bits in one instruction (checked).
            unsafe { self.scan_popcnt(queries, cutoffs, every, found) };
            return;
        }
        self.scan_here(queries, cutoffs, every, found);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512vpopcntdq")]
    fn scan_avx512(
        &self,
        queries: &[Signs],
        cutoffs: &[u16],
        every: usize,
        found: &mut [Vec<(u16, u32)>],
    ) {
        use std::arch::x86_64::*;
        let broadcast: Vec<[__m512i; WORDS]> = queries
            .iter()
            .map(|q| std::array::from_fn(|w| _mm512_set1_epi64(q[w] as i64)))
            .collect();
        let limits: Vec<__m512i> = cutoffs
            .iter()
            .map(|&c| _mm512_set1_epi64(i64::from(c)))
            .collect();
        let mut counts = [0u64; LANES];
        for g in (0..self.len.div_ceil(LANES)).step_by(every) {
            let group = &self.words[g * WORDS * LANES..][..WORDS * LANES];
            // SAFETY: `group` holds WORDS registers' worth (sliced above).
            let rows: [__m512i; WORDS] = std::array::from_fn(|w| unsafe {
                _mm512_loadu_si512(group.as_ptr().add(w * LANES).cast())
            });
            let in_group = (self.len - g * LANES).min(LANES);
            for ((query, limit), found) in broadcast.iter().zip(&limits).zip(found.iter_mut()) {
                let mut differing = _mm512_setzero_si512();
                for (row, word) in rows.iter().zip(query) {
                    let bits = _mm512_popcnt_epi64(_mm512_xor_si512(*row, *word));
                    differing = _mm512_add_epi64(differing, bits);
                }
                let near = _mm512_cmple_epu64_mask(differing, *limit);
                if near == 0 {
                    continue;
                }
                // SAFETY: `counts` holds 8 u64, one register's worth.
                unsafe { _mm512_storeu_si512(counts.as_mut_ptr().cast(), differing) };
                for (lane, &count) in counts.iter().enumerate().take(in_group) {
                    if near & (1 << lane) != 0 {
                        found.push((count as u16, (g * LANES + lane) as u32));
                    }
                }
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt")]
    fn scan_popcnt(
        &self,
        queries: &[Signs],
        cutoffs: &[u16],
        every: usize,
        found: &mut [Vec<(u16, u32)>],
    ) {
        self.scan_here(queries, cutoffs, every, found);
    }

    /// The scan in plain loops over a group's 8 lanes, which the compiler
    /// turns into one register's work where the CPU allows.
    #[inline(always)]
    fn scan_here(
        &self,
        queries: &[Signs],
        cutoffs: &[u16],
        every: usize,
        found: &mut [Vec<(u16, u32)>],
    ) {
        for g in (0..self.len.div_ceil(LANES)).step_by(every) {
            let group: &[u64; WORDS * LANES] = self.words[g * WORDS * LANES..][..WORDS * LANES]
                .try_into()
                .expect("a whole group");
            let in_group = (self.len - g * LANES).min(LANES);
            for ((query, &cutoff), found) in queries.iter().zip(cutoffs).zip(found.iter_mut()) {
                let mut counts = [0u64; LANES];
                for (w, &word) in query.iter().enumerate() {
                    for (lane, count) in counts.iter_mut().enumerate() {
                        *count += u64::from((group[w * LANES + lane] ^ word).count_ones());
                    }
                }
                let near = counts.iter().enumerate().fold(0u8, |m, (lane, &c)| {
                    m | (u8::from(c <= u64::from(cutoff)) << lane)
                });
                if near == 0 {
                    continue;
                }
                for (lane, &count) in counts.iter().enumerate().take(in_group) {
                    if near & (1 << lane) != 0 {
                        found.push((count as u16, (g * LANES + lane) as u32));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_signs(rng: &mut fastrand::Rng) -> Signs {
        std::array::from_fn(|_| rng.u64(..))
    }

    fn differing(a: &Signs, b: &Signs) -> u32 {
        a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
    }

    /// What `nearest` must return, by sorting every row.
    fn by_sorting(rows: &[Signs], query: &Signs, keep: usize) -> Vec<u32> {
        let mut all: Vec<(u32, u32)> = (0..rows.len())
            .map(|r| (differing(&rows[r], query), r as u32))
            .collect();
        all.sort_unstable();
        let mut kept: Vec<u32> = all.into_iter().take(keep).map(|(_, r)| r).collect();
        kept.sort_unstable();
        kept
    }

    #[test]
    fn rows_read_back_as_set() {
        let mut rng = fastrand::Rng::with_seed(1);
        let rows: Vec<Signs> = (0..21).map(|_| random_signs(&mut rng)).collect();
        let mut table = SignRows::default();
        rows.iter().enumerate().for_each(|(i, s)| table.set(i, s));
        assert_eq!(table.len(), 21);
        let changed = random_signs(&mut rng);
        table.set(9, &changed);
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(table.get(i), if i == 9 { changed } else { *row }, "row {i}");
        }
        let vector: [f32; DIM] = std::array::from_fn(|d| if d % 3 == 0 { 0.5 } else { -0.1 });
        let signs = signs_of(vector);
        assert_eq!(signs.iter().map(|w| w.count_ones()).sum::<u32>(), 128);
        assert_eq!(signs[0] & 0b1111, 0b1001);
    }

    #[test]
    fn each_query_keeps_the_rows_with_fewest_differing_signs() {
        let mut rng = fastrand::Rng::with_seed(4);
        // A part-filled last group.
        let mut rows: Vec<Signs> = (0..40_003).map(|_| random_signs(&mut rng)).collect();
        let queries: Vec<Signs> = (0..3).map(|_| random_signs(&mut rng)).collect();
        // Rows near the first query (it with a few signs flipped), the
        // nearest of them in the last group.
        let near: Vec<usize> = (0..50).map(|i| i * 797 + 7).chain([40_002]).collect();
        for (k, &row) in near.iter().enumerate() {
            let mut signs = queries[0];
            for flip in 0..(k * 3) % 60 {
                signs[flip % WORDS] ^= 1 << (flip * 7 % 64);
            }
            rows[row] = signs;
        }
        let mut table = SignRows::default();
        rows.iter().enumerate().for_each(|(i, s)| table.set(i, s));
        for keep in [1, 51, 400, 40_003] {
            let kept = table.nearest(&queries, keep);
            for (q, query) in queries.iter().enumerate() {
                assert_eq!(kept[q], by_sorting(&rows, query, keep), "query {q}, {keep}");
            }
        }
        // Every kernel this CPU has finds what the plain loops find.
        let cutoffs = [170, 384, 0];
        let (mut plain, mut chosen) = (vec![Vec::new(); 3], vec![Vec::new(); 3]);
        table.scan_here(&queries, &cutoffs, 1, &mut plain);
        table.scan(&queries, &cutoffs, 1, &mut chosen);
        assert_eq!(chosen, plain);
        assert_eq!(plain[1].len(), rows.len());
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("popcnt") {
            let mut counted = vec![Vec::new(); 3];
            // SAFETY: the CPU counts bits in one instruction (checked).
            unsafe { table.scan_popcnt(&queries, &cutoffs, 1, &mut counted) };
            assert_eq!(counted, plain);
        }
        let kept = table.nearest(&queries[..1], 51);
        assert!(
            near.iter()
                .all(|&r| kept[0].binary_search(&(r as u32)).is_ok())
        );
        // A query whose sample misleads the cut-off: the one row of each
        // sampled group that is the query itself makes the nearest 1,000
        // look closer than they are.
        let mut skewed = rows.clone();
        for (g, group) in skewed.chunks_mut(LANES).enumerate() {
            if g % SAMPLE_EVERY == 0 {
                group[0] = queries[1];
            }
        }
        let mut table = SignRows::default();
        skewed.iter().enumerate().for_each(|(i, s)| table.set(i, s));
        assert_eq!(
            table.nearest(&queries[1..2], 1_000)[0],
            by_sorting(&skewed, &queries[1], 1_000)
        );
    }
}

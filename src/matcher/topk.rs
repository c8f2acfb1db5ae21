//! The best documents of a search, kept in a bounded heap.

use std::cmp::Ordering;

use tantivy::{DocAddress, Score};

/// The best `k` of a stream of scored documents: higher score first, then
/// lower address. Keeps up to `2k` and cuts back to `k` when full, so
/// each push is a comparison and, rarely, a linear-time selection.
/// Tantivy's `TopNComputer` does the same but breaks ties right only when
/// documents come in ascending order, and a horizon's touched documents
/// do not (sorting them would cost more than the selection).
pub(super) struct TopK {
    k: usize,
    buffer: Vec<(Score, DocAddress)>,
    /// The worst document kept at the last cut: nothing ranking at or
    /// below it can enter.
    threshold: Option<(Score, DocAddress)>,
}

fn best_first(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

impl TopK {
    pub(crate) fn new(k: usize) -> Self {
        TopK {
            k,
            buffer: Vec::with_capacity(2 * k),
            threshold: None,
        }
    }

    pub(crate) fn push(&mut self, score: Score, address: DocAddress) {
        let entry = (score, address);
        // Most documents score below the threshold: one float comparison
        // turns them away (where it holds, so does the full comparison).
        if self
            .threshold
            .is_some_and(|worst| score < worst.0 || best_first(&entry, &worst) != Ordering::Less)
        {
            return;
        }
        if self.buffer.len() == 2 * self.k {
            self.cut();
        }
        self.buffer.push(entry);
    }

    pub(crate) fn cut(&mut self) {
        self.buffer.select_nth_unstable_by(self.k - 1, best_first);
        self.buffer.truncate(self.k);
        self.threshold = Some(self.buffer[self.k - 1]);
    }

    pub(crate) fn into_sorted(mut self) -> Vec<(Score, DocAddress)> {
        if self.buffer.len() > self.k {
            self.cut();
        }
        self.buffer.sort_unstable_by(best_first);
        self.buffer
    }
}

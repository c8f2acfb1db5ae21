//! Ranking metrics, as the CheckThat! lab's official scorer computes them.

use std::collections::HashSet;

/// AP@k: the sum of P@i over ranks i <= k holding a relevant claim, divided
/// by the number of relevant claims.
pub fn average_precision_at(ranked: &[String], relevant: &HashSet<String>, k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let mut found = 0usize;
    let mut sum = 0.0;
    for (i, id) in ranked.iter().take(k).enumerate() {
        if relevant.contains(id) {
            found += 1;
            sum += found as f64 / (i + 1) as f64;
        }
    }
    sum / relevant.len() as f64
}

/// Share of the relevant claims found in the top k.
pub fn recall_at(ranked: &[String], relevant: &HashSet<String>, k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|id| relevant.contains(*id))
        .count();
    found as f64 / relevant.len() as f64
}

/// 1 / rank of the first relevant claim, 0 when none is ranked.
pub fn reciprocal_rank(ranked: &[String], relevant: &HashSet<String>) -> f64 {
    ranked
        .iter()
        .position(|id| relevant.contains(id))
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// Running means of the ranking metrics over queries.
#[derive(Debug, Clone, Default)]
pub struct RankingTotals {
    /// Queries with at least one relevant claim.
    pub queries: usize,
    map1: f64,
    map5: f64,
    mrr: f64,
    recall5: f64,
    recall20: f64,
}

impl RankingTotals {
    /// Adds one query's ranking.
    pub fn add(&mut self, ranked: &[String], relevant: &HashSet<String>) {
        if relevant.is_empty() {
            return;
        }
        self.queries += 1;
        self.map1 += average_precision_at(ranked, relevant, 1);
        self.map5 += average_precision_at(ranked, relevant, 5);
        self.mrr += reciprocal_rank(ranked, relevant);
        self.recall5 += recall_at(ranked, relevant, 5);
        self.recall20 += recall_at(ranked, relevant, 20);
    }

    fn mean(&self, sum: f64) -> f64 {
        if self.queries == 0 {
            0.0
        } else {
            sum / self.queries as f64
        }
    }

    /// MAP@1.
    pub fn map1(&self) -> f64 {
        self.mean(self.map1)
    }
    /// MAP@5, the lab's official measure.
    pub fn map5(&self) -> f64 {
        self.mean(self.map5)
    }
    /// Mean reciprocal rank.
    pub fn mrr(&self) -> f64 {
        self.mean(self.mrr)
    }
    /// Recall@5.
    pub fn recall5(&self) -> f64 {
        self.mean(self.recall5)
    }
    /// Recall@20.
    pub fn recall20(&self) -> f64 {
        self.mean(self.recall20)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn set(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn matches_a_hand_checked_example() {
        // Query 1: relevant {a, c}; ranked c, x, a -> AP@5 = (1/1 + 2/3) / 2 = 5/6.
        // Query 2: relevant {b}; ranked x, y, z, w, v, b -> AP@5 = 0, RR = 1/6.
        // Query 3: relevant {d}; ranked d -> AP@5 = 1.
        let mut totals = RankingTotals::default();
        totals.add(&ids(&["c", "x", "a"]), &set(&["a", "c"]));
        totals.add(&ids(&["x", "y", "z", "w", "v", "b"]), &set(&["b"]));
        totals.add(&ids(&["d"]), &set(&["d"]));
        totals.add(&ids(&["d"]), &set(&[]));
        assert_eq!(totals.queries, 3);
        assert!((totals.map5() - (5.0 / 6.0 + 0.0 + 1.0) / 3.0).abs() < 1e-12);
        assert!((totals.map1() - (0.5 + 0.0 + 1.0) / 3.0).abs() < 1e-12);
        assert!((totals.mrr() - (1.0 + 1.0 / 6.0 + 1.0) / 3.0).abs() < 1e-12);
        assert!((totals.recall5() - (1.0 + 0.0 + 1.0) / 3.0).abs() < 1e-12);
        assert!((totals.recall20() - 1.0).abs() < 1e-12);
    }
}

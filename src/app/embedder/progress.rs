//! How fast the embedder is getting through the claim store's changes:
//! what turns a vector lag into "about 40 minutes more" for an operator
//! after a large load or a change of encoder model (`Admin/GetStatus`,
//! the metrics, the embedder's log lines).
//!
//! The rate is taken over the last minute of the current stretch of work
//! (from the first change found to the store caught up), so that it
//! follows what the machine gives the embedder now: all of an idle core,
//! or a few percent of one while both cores score. Once the store is
//! caught up, the last stretch's rate is kept.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The rate is taken over this much of the latest work.
const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub(crate) struct Progress {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// While a stretch runs: when, and how many changes in total by
    /// then; the first is when its first step began, at 0.
    marks: VecDeque<(Instant, u64)>,
    /// Changes a second over the window, once one step is done.
    rate: Option<f64>,
}

impl Progress {
    /// Records a step that began at `began`, ended at `ended` and applied
    /// `changes` (more than 0).
    pub fn step(&self, began: Instant, ended: Instant, changes: usize) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.marks.is_empty() {
            state.marks.push_back((began, 0));
        }
        let total = state.marks.back().map_or(0, |&(_, total)| total) + changes as u64;
        state.marks.push_back((ended, total));
        // Keep one mark at or before the window's start.
        while state.marks.len() > 2 && ended.duration_since(state.marks[1].0) >= WINDOW {
            state.marks.pop_front();
        }
        let (first, last) = (state.marks[0], (ended, total));
        let seconds = last.0.duration_since(first.0).as_secs_f64();
        if seconds > 0.0 {
            state.rate = Some((last.1 - first.1) as f64 / seconds);
        }
    }

    /// Records that the store is caught up: the stretch ends, its rate
    /// stays.
    pub fn rest(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.marks.clear();
        }
    }

    /// Changes a second over the latest minute of work; none before the
    /// first step.
    pub fn rate(&self) -> Option<f64> {
        self.state.lock().ok().and_then(|state| state.rate)
    }

    /// Seconds until `lag` changes are applied at the current rate; none
    /// when nothing lags or no rate is known yet.
    pub fn eta_seconds(&self, lag: u64) -> Option<f64> {
        match self.rate() {
            Some(rate) if lag > 0 && rate > 0.0 => Some(lag as f64 / rate),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, seconds: u64) -> Instant {
        start + Duration::from_secs(seconds)
    }

    #[test]
    fn the_rate_is_the_changes_of_the_last_minute_and_stays_once_caught_up() {
        let progress = Progress::default();
        assert_eq!(progress.rate(), None);
        assert_eq!(progress.eta_seconds(500), None);
        let t = Instant::now();
        // 100 changes a second for two minutes, then 10 a second.
        for s in 0..120 {
            progress.step(at(t, s), at(t, s + 1), 100);
        }
        assert_eq!(progress.rate(), Some(100.0));
        assert_eq!(progress.eta_seconds(1_000), Some(10.0));
        for s in 120..150 {
            progress.step(at(t, s), at(t, s + 1), 10);
        }
        // The last minute: 30 s at 100, 30 s at 10.
        let rate = progress.rate().unwrap();
        assert!((rate - 55.0).abs() < 1.0, "{rate}");
        for s in 150..240 {
            progress.step(at(t, s), at(t, s + 1), 10);
        }
        assert_eq!(progress.rate(), Some(10.0));
        progress.rest();
        assert_eq!(progress.rate(), Some(10.0));
        assert_eq!(progress.eta_seconds(0), None);
    }

    #[test]
    fn a_new_stretch_starts_from_its_own_first_step() {
        let progress = Progress::default();
        let t = Instant::now();
        progress.step(at(t, 0), at(t, 2), 100);
        progress.rest();
        // An hour idle does not count: the next stretch's rate is its own.
        progress.step(at(t, 3_600), at(t, 3_601), 40);
        assert_eq!(progress.rate(), Some(40.0));
    }
}

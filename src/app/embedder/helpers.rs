//! Idle cores lent to the embedder.
//!
//! The embedder thread alone keeps one core busy; a load of many claims
//! on an idle machine left the others idle. Helper threads, one per
//! other scoring core, take pieces of each step's texts (`PIECE` texts,
//! one forward pass) from a shared counter, the embedder thread too.
//! They run in the idle scheduling class (Linux `SCHED_IDLE`): they get a
//! core only when nothing else wants it, so scoring loses nothing to
//! them, where the embedder thread itself (nice 10) keeps a small share
//! to make progress under load.
//!
//! A helper may therefore stall for as long as scoring is busy, holding
//! a piece. The embedder thread never waits on one for long: when the
//! counter is spent, it waits for the pieces still out at most twice the
//! time a piece took it, then computes them itself; a helper's late
//! result is dropped. A text's vector is the same whoever computes it
//! (the encoder is deterministic for a given batch).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::{Duration, Instant};

/// Texts in a piece: one forward pass of claim-length texts (the encoder
/// packs 256 pieces a pass; a claim is 25-40).
const PIECE: usize = 8;

/// How the texts of a piece become vectors.
pub(crate) type Embed<T> = dyn Fn(&[&str]) -> Vec<T> + Send + Sync;

/// The helper threads; they end when this is dropped (the embedder
/// thread's end), after the piece in hand.
pub(crate) struct Helpers<T> {
    jobs: Vec<mpsc::Sender<Arc<Job<T>>>>,
}

/// One call's texts, cut into pieces, and how to embed them.
struct Job<T> {
    texts: Vec<String>,
    embed: Arc<Embed<T>>,
    /// The next piece nobody has taken.
    next: AtomicUsize,
    /// Each piece's vectors, once computed.
    done: Mutex<Vec<Option<Vec<T>>>>,
    finished: Condvar,
}

impl<T: Send + 'static> Helpers<T> {
    /// Starts `count` helper threads, each running `setup` first (its
    /// scheduling class).
    pub fn start(count: usize, setup: fn()) -> std::io::Result<Helpers<T>> {
        let mut jobs = Vec::with_capacity(count);
        for i in 0..count {
            let (send, receive) = mpsc::channel::<Arc<Job<T>>>();
            std::thread::Builder::new()
                .name(format!("claim-embedder-{}", i + 1))
                .spawn(move || {
                    setup();
                    for job in receive {
                        job.work();
                    }
                })?;
            jobs.push(send);
        }
        Ok(Helpers { jobs })
    }

    /// Helper threads started.
    pub fn count(&self) -> usize {
        self.jobs.len()
    }

    /// The vectors of `texts`, in order, computed with `embed` on this
    /// thread and by the helpers.
    pub fn embed(&self, texts: &[&str], embed: &Arc<Embed<T>>) -> Vec<T> {
        if self.jobs.is_empty() || texts.len() <= PIECE {
            return embed(texts);
        }
        let job = Arc::new(Job {
            texts: texts.iter().map(|t| (*t).to_owned()).collect(),
            embed: embed.clone(),
            // The first piece is this thread's: it has at least one to
            // time the others by.
            next: AtomicUsize::new(1),
            done: Mutex::new((0..texts.len().div_ceil(PIECE)).map(|_| None).collect()),
            finished: Condvar::new(),
        });
        for helper in &self.jobs {
            // A helper that is gone (it panicked) leaves its share here.
            let _ = helper.send(job.clone());
        }
        let started = Instant::now();
        job.finish(0, embed(&job.piece(0)));
        let own = 1 + job.work();
        let patience = started.elapsed() / own as u32 * 2;
        job.wait_for_helpers(patience);
        let missing: Vec<usize> = lock(&job.done)
            .iter()
            .enumerate()
            .filter(|(_, piece)| piece.is_none())
            .map(|(i, _)| i)
            .collect();
        for i in missing {
            job.finish(i, embed(&job.piece(i)));
        }
        let pieces = std::mem::take(&mut *lock(&job.done));
        pieces.into_iter().flatten().flatten().collect()
    }
}

impl<T> Job<T> {
    fn piece(&self, i: usize) -> Vec<&str> {
        let end = ((i + 1) * PIECE).min(self.texts.len());
        self.texts[i * PIECE..end]
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// Computes pieces nobody has taken until none is left; returns how
    /// many it computed.
    fn work(&self) -> usize {
        let pieces = self.texts.len().div_ceil(PIECE);
        let mut computed = 0;
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= pieces {
                return computed;
            }
            self.finish(i, (self.embed)(&self.piece(i)));
            computed += 1;
        }
    }

    /// Keeps piece `i`'s vectors unless it has them already (or the
    /// caller has taken every piece: a helper's late result).
    fn finish(&self, i: usize, vectors: Vec<T>) {
        if let Some(slot @ None) = lock(&self.done).get_mut(i) {
            *slot = Some(vectors);
        }
        self.finished.notify_all();
    }

    /// Waits until every piece is computed or `patience` has passed.
    fn wait_for_helpers(&self, patience: Duration) {
        let deadline = Instant::now() + patience;
        let mut done = lock(&self.done);
        while done.iter().any(Option::is_none) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return;
            };
            done = self
                .finished
                .wait_timeout(done, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// The pieces stay usable after a panic elsewhere: each is written whole.
fn lock<T>(done: &Mutex<T>) -> MutexGuard<'_, T> {
    done.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELPER: &str = "claim-embedder-1";

    /// A stand-in for the encoder: each text's "vector" is its length and
    /// the thread that computed it.
    fn lengths(texts: &[&str]) -> Vec<(usize, String)> {
        let me = std::thread::current().name().unwrap_or("caller").to_owned();
        texts.iter().map(|t| (t.len(), me.clone())).collect()
    }

    fn texts(n: usize) -> Vec<String> {
        (0..n).map(|i| "x".repeat(i + 1)).collect()
    }

    fn sizes(got: &[(usize, String)]) -> Vec<usize> {
        got.iter().map(|(len, _)| *len).collect()
    }

    #[test]
    fn every_text_gets_its_own_vector_in_order() {
        let owned = texts(37);
        let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
        let embed: Arc<Embed<(usize, String)>> = Arc::new(lengths);
        for count in [0, 1, 3] {
            let helpers = Helpers::start(count, || {}).unwrap();
            let got = helpers.embed(&texts, &embed);
            assert_eq!(sizes(&got), (1..=37).collect::<Vec<_>>(), "{count} helpers");
        }
    }

    /// An embedding where the caller, on its first piece, waits until the
    /// helper has started its `nth` piece (all before it are then
    /// stored); the helper then waits for `hold` (if any) to send or
    /// close before computing it.
    fn meeting(nth: usize, hold: Option<mpsc::Receiver<()>>) -> Arc<Embed<(usize, String)>> {
        let (started, wait) = mpsc::channel::<()>();
        let wait = Mutex::new(Some(wait));
        let hold = Mutex::new(hold);
        let calls = AtomicUsize::new(0);
        Arc::new(move |texts: &[&str]| {
            if std::thread::current().name() == Some(HELPER) {
                if calls.fetch_add(1, Ordering::Relaxed) + 1 == nth {
                    let _ = started.send(());
                    if let Some(hold) = lock(&hold).take() {
                        let _ = hold.recv();
                    }
                }
            } else if let Some(wait) = lock(&wait).take() {
                // Bounded, so that helpers that never start fail the test
                // instead of hanging it.
                let _ = wait.recv_timeout(Duration::from_secs(30));
            }
            lengths(texts)
        })
    }

    #[test]
    fn a_helper_takes_pieces_of_a_long_call() {
        let owned = texts(40);
        let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
        let helpers = Helpers::start(1, || {}).unwrap();
        let got = helpers.embed(&texts, &meeting(2, None));
        assert_eq!(sizes(&got), (1..=40).collect::<Vec<_>>());
        assert!(
            got.iter().any(|(_, by)| by == HELPER),
            "the helper computed nothing"
        );
    }

    #[test]
    fn a_stalled_helper_does_not_hold_the_caller() {
        let owned = texts(40);
        let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
        // The helper takes a piece and then stalls (as one in the idle
        // class does while scoring is busy) until the caller is done.
        let (release, hold) = mpsc::channel();
        let helpers = Helpers::start(1, || {}).unwrap();
        let got = helpers.embed(&texts, &meeting(1, Some(hold)));
        drop(release);
        assert_eq!(sizes(&got), (1..=40).collect::<Vec<_>>());
        assert!(got.iter().all(|(_, by)| by != HELPER));
    }
}

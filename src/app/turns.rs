//! Turns on the scoring threads, shared fairly between callers.
//!
//! A request's cost varies about a hundredfold: a caption decided by its
//! words takes well under a millisecond, a video of election talk runs the
//! encoder on every sentence (75 ms of a core for 25 sentences). The
//! admission layer bounds how many calls a caller holds, not how much of
//! the scoring threads its calls take; served first come, first served, a
//! pipeline keeping hundreds of requests in flight would make every other
//! caller wait behind all of them.
//!
//! So each caller (a token, or an open service's caller by address) has
//! its own queue, and a free scoring thread takes the next request of the
//! caller that has had the least scoring time so far: start-time fair
//! queuing, charged with the time each request actually took. A caller
//! that has been idle comes back level with the others, not ahead by the
//! time it did not use; callers that are level take turns in the order
//! their requests arrived. A caller alone gets every thread. A request
//! whose caller has gone (its call cancelled, or past its deadline and
//! dropped) by the time its turn comes is not run.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request's work on a scoring thread; it drops the [`Done`] it is
/// given when the work is done, before answering.
type Job = Box<dyn FnOnce(Done) + Send>;

/// The scoring threads and the callers' queues in front of them.
pub(super) struct Turns {
    pool: rayon::ThreadPool,
    queues: Arc<Mutex<Queues<Job>>>,
    /// Requests not run because their caller had gone.
    abandoned: Arc<AtomicU64>,
}

/// What the scoring threads have in hand, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TurnsNow {
    /// Requests waiting for a scoring thread.
    pub waiting: usize,
    /// Callers with requests waiting or running.
    pub callers: usize,
    /// Requests not run since the start because their caller had gone.
    pub abandoned: u64,
}

impl Turns {
    /// Turns on `pool`'s threads.
    pub(super) fn new(pool: rayon::ThreadPool) -> Self {
        Turns {
            pool,
            queues: Arc::new(Mutex::new(Queues::default())),
            abandoned: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Threads in the pool.
    pub(super) fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `job` on a scoring thread in `caller`'s turn; its result
    /// comes back on the returned channel. Once that channel is dropped
    /// (the caller has gone) the job is not run.
    pub(super) fn run<T: Send + 'static>(
        &self,
        caller: &str,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> tokio::sync::oneshot::Receiver<T> {
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let abandoned = self.abandoned.clone();
        let job = move |done: Done| {
            if done_tx.is_closed() {
                abandoned.fetch_add(1, Ordering::Relaxed);
                return;
            }
            let answer = job();
            // Charged before the answer leaves: whoever reads it, reads
            // the accounts with this request settled.
            drop(done);
            let _ = done_tx.send(answer);
        };
        lock(&self.queues).push(caller, Box::new(job));
        // One task per job: each takes whichever job is due when a thread
        // is free, so every job pushed is run by exactly one task.
        let queues = self.queues.clone();
        self.pool.spawn(move || {
            let Some((caller, job)) = lock(&queues).next() else {
                return;
            };
            // The job drops the guard when it is done or skipped, which
            // charges its caller (a scoring panic is caught inside the job,
            // by `App::score_now`).
            job(Done {
                started: Instant::now(),
                queues,
                caller,
            });
        });
        done_rx
    }

    /// Returns what the threads have in hand now.
    pub(super) fn now(&self) -> TurnsNow {
        let queues = lock(&self.queues);
        TurnsNow {
            waiting: queues.callers.values().map(|a| a.waiting.len()).sum(),
            callers: queues.callers.len(),
            abandoned: self.abandoned.load(Ordering::Relaxed),
        }
    }
}

/// Charges a caller for a job's time when the job ends, however it ends.
struct Done {
    queues: Arc<Mutex<Queues<Job>>>,
    caller: Arc<str>,
    started: Instant,
}

impl Drop for Done {
    fn drop(&mut self) {
        lock(&self.queues).done(&self.caller, self.started.elapsed());
    }
}

/// The queues stay consistent through a panic (each change is one
/// statement), so a poisoned lock is taken as it is.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One caller's account.
struct Account<J> {
    /// Jobs waiting, each with its arrival number.
    waiting: VecDeque<(u64, J)>,
    /// Jobs taken by a thread and not yet done.
    running: usize,
    /// Scoring time charged so far (on the shared clock, see `Queues`).
    served: Duration,
}

/// The accounts of callers with requests waiting or running. `clock` is
/// the charged time of the caller served last: a caller arriving, or
/// coming back from idle, starts there. An account is forgotten as soon
/// as its caller has nothing waiting or running, so there are never more
/// accounts than requests in flight. What a caller going idle takes with
/// it is at most the time of its last requests beyond the clock: to gain
/// that it must leave the threads to the others meanwhile.
struct Queues<J> {
    callers: HashMap<Arc<str>, Account<J>>,
    clock: Duration,
    arrivals: u64,
}

impl<J> Default for Queues<J> {
    fn default() -> Self {
        Queues {
            callers: HashMap::new(),
            clock: Duration::ZERO,
            arrivals: 0,
        }
    }
}

impl<J> Queues<J> {
    /// Queues `job` for `caller`.
    fn push(&mut self, caller: &str, job: J) {
        let clock = self.clock;
        let account = match self.callers.get_mut(caller) {
            Some(account) => account,
            None => self.callers.entry(caller.into()).or_insert(Account {
                waiting: VecDeque::new(),
                running: 0,
                served: clock,
            }),
        };
        account.waiting.push_back((self.arrivals, job));
        self.arrivals += 1;
    }

    /// Takes the next job: the waiting caller charged least so far, then
    /// the one with fewer jobs running, then the earliest arrival.
    fn next(&mut self) -> Option<(Arc<str>, J)> {
        let (caller, account) = self
            .callers
            .iter_mut()
            .filter_map(|(caller, account)| {
                let arrival = account.waiting.front()?.0;
                Some(((account.served, account.running, arrival), caller, account))
            })
            .min_by_key(|(key, _, _)| *key)
            .map(|(_, caller, account)| (caller.clone(), account))?;
        let (_, job) = account.waiting.pop_front()?;
        account.running += 1;
        self.clock = self.clock.max(account.served);
        Some((caller, job))
    }

    /// Charges `caller` for a job that took `took`, and forgets it when
    /// it has nothing more waiting or running.
    fn done(&mut self, caller: &str, took: Duration) {
        let Some(account) = self.callers.get_mut(caller) else {
            return;
        };
        account.running = account.running.saturating_sub(1);
        account.served += took;
        if account.waiting.is_empty() && account.running == 0 {
            self.callers.remove(caller);
        }
    }
}

#[cfg(test)]
mod tests;

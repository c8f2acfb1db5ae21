//! The embedder: a background thread that keeps the claims' sentence
//! vectors up to date with the claim store, so that loads never wait for
//! the encoder. Until a claim's vector is there, it is matched by its
//! words only; the lag is in the logs and the metrics
//! (`claimsignal_vector_lag_changes`).
//!
//! It works on spare cores: its thread runs at a lower priority than the
//! scoring threads ([`NICE`]), so a load during busy hours does not slow
//! the answers, and it has every idle core's time.

use std::sync::Weak;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::App;

/// How long the embedder rests when it is up to date (or the store fails)
/// before it looks for changes again; `App::close` wakes it at once.
const POLL: Duration = Duration::from_millis(500);
/// Store changes taken per step: a step holds the service open, so it
/// stays short (about a second of encoder time at most).
const CHANGES_PER_STEP: usize = 128;
/// Texts per forward pass.
const BATCH: usize = 32;

/// The embedder thread's nice value (Linux; the scoring threads run at
/// 0). At 10 the kernel weighs it at about a tenth of a scoring thread:
/// while both cores score, it keeps a few percent of one and claims still
/// get their vectors, slowly; when scoring leaves a core idle, it has all
/// of it. See docs/encoder.md for what it buys.
const NICE: i32 = 10;

/// The embedder thread.
pub(super) fn embed(app: Weak<App>) {
    yield_to_scoring();
    let mut since_log = Instant::now();
    let (mut changes, mut embedded) = (0usize, 0usize);
    loop {
        let Some(app) = app.upgrade().filter(|a| !a.closing.load(Ordering::Acquire)) else {
            return;
        };
        let Some(semantic) = app.matcher.semantic().cloned() else {
            return;
        };
        let step =
            semantic
                .vectors()
                .catch_up(&app.claims, semantic.encoder(), CHANGES_PER_STEP, BATCH);
        drop(app);
        match step {
            Ok((0, _)) => {
                if embedded > 0 {
                    tracing::info!(
                        changes,
                        embedded,
                        texts = semantic.vectors().texts(),
                        "claim vectors up to date"
                    );
                    (changes, embedded) = (0, 0);
                }
                std::thread::park_timeout(POLL);
            }
            Ok((applied, new)) => {
                changes += applied;
                embedded += new;
                if since_log.elapsed() >= Duration::from_secs(10) && embedded > 0 {
                    tracing::info!(
                        changes,
                        embedded,
                        texts = semantic.vectors().texts(),
                        "embedding claims"
                    );
                    since_log = Instant::now();
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "claim embedder cannot catch up");
                std::thread::park_timeout(POLL);
            }
        }
    }
}

/// Lowers this thread's priority to [`NICE`]; a failure is logged and
/// the embedder runs at the usual priority.
#[cfg(target_os = "linux")]
fn yield_to_scoring() {
    // SAFETY: `gettid` and `setpriority` take and return plain integers;
    // on Linux, PRIO_PROCESS with a thread id sets that thread's nice
    // value only, and raising one's own nice value needs no privilege.
    let failed = unsafe {
        let thread = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, NICE) != 0
    };
    if failed {
        tracing::warn!(
            error = %std::io::Error::last_os_error(),
            "the claim embedder runs at the scoring threads' priority"
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn yield_to_scoring() {}

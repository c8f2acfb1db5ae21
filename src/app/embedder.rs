//! The embedder: a background thread that keeps the claims' sentence
//! vectors up to date with the claim store, so that loads never wait for
//! the encoder. Until a claim's vector is there, it is matched by its
//! words only; the lag and the rate it goes down at are in the logs, the
//! metrics (`claimsignal_vector_lag_changes`,
//! `claimsignal_vector_changes_per_second`) and `Admin/GetStatus`
//! (`progress.rs`).
//!
//! It works on spare cores: its thread runs at a lower priority than the
//! scoring threads ([`NICE`]), so a load during busy hours does not slow
//! the answers, and helper threads in the idle class take the other
//! cores' idle time (`helpers.rs`).

mod helpers;
mod progress;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use self::helpers::{Embed, Helpers};
pub(crate) use self::progress::Progress;
use super::App;
use crate::encoder::DIM;
use crate::index::READING;

/// How long the embedder rests when it is up to date (or the store fails)
/// before it looks for changes again; `App::close` wakes it at once.
const POLL: Duration = Duration::from_millis(500);
/// Store changes taken per step: a step holds the service open, so it
/// stays short (about a second of encoder time at most).
const CHANGES_PER_STEP: usize = 128;
/// Changes whose vectors are written and synced together.
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
    // One helper for each scoring thread but the one this thread stands
    // for; none where they cannot be kept to idle time.
    let cores = app.upgrade().map_or(1, |app| app.scoring.threads());
    let wanted = if cfg!(target_os = "linux") {
        cores.saturating_sub(1)
    } else {
        0
    };
    let helpers = Helpers::start(wanted, lend_idle_time).unwrap_or_else(|err| {
        tracing::warn!(error = %err, "the claim embedder runs on one core");
        Helpers::start(0, lend_idle_time).expect("no thread to start")
    });
    tracing::debug!(helpers = helpers.count(), "claim embedder started");
    let mut since_log = Instant::now();
    let (mut changes, mut embedded) = (0usize, 0usize);
    loop {
        let Some(app) = app.upgrade().filter(|a| !a.closing.load(Ordering::Acquire)) else {
            return;
        };
        let Some(semantic) = app.matcher.semantic().cloned() else {
            return;
        };
        let encoder = semantic.encoder().clone();
        let embed: Arc<Embed<Option<[f32; DIM]>>> =
            Arc::new(move |texts| encoder.embed_read(texts, READING));
        let began = Instant::now();
        let step = semantic.vectors().catch_up_with(
            &app.claims,
            semantic.encoder().neutral_means(),
            &|texts| helpers.embed(texts, &embed),
            CHANGES_PER_STEP,
            BATCH,
        );
        let rest = match step {
            Ok((0, _)) => {
                app.embedding.rest();
                if embedded > 0 {
                    tracing::info!(
                        changes,
                        embedded,
                        texts = semantic.vectors().texts(),
                        per_second = app.embedding.rate().map(|rate| rate.round()),
                        "claim vectors up to date"
                    );
                    (changes, embedded) = (0, 0);
                }
                true
            }
            Ok((applied, new)) => {
                app.embedding.step(began, Instant::now(), applied);
                changes += applied;
                embedded += new;
                if since_log.elapsed() >= Duration::from_secs(10) && embedded > 0 {
                    let lag = app.vitals().map(|vitals| vitals.vector_lag).ok();
                    tracing::info!(
                        changes,
                        embedded,
                        texts = semantic.vectors().texts(),
                        lag,
                        per_second = app.embedding.rate().map(|rate| rate.round()),
                        eta_seconds = lag
                            .and_then(|lag| app.embedding.eta_seconds(lag))
                            .map(|eta| eta.round()),
                        "embedding claims"
                    );
                    since_log = Instant::now();
                }
                false
            }
            Err(err) => {
                tracing::warn!(error = %err, "claim embedder cannot catch up");
                true
            }
        };
        drop(app);
        if rest {
            std::thread::park_timeout(POLL);
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

/// Puts this thread (a helper) in the idle scheduling class: it runs only
/// on a core nothing else wants. On failure it runs as the embedder
/// thread does.
#[cfg(target_os = "linux")]
fn lend_idle_time() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: pid 0 is the calling thread; `param` outlives the call, and
    // moving to SCHED_IDLE needs no privilege.
    let failed = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 };
    if failed {
        tracing::warn!(
            error = %std::io::Error::last_os_error(),
            "a claim embedder helper runs at the embedder's priority"
        );
        yield_to_scoring();
    }
}

#[cfg(not(target_os = "linux"))]
fn lend_idle_time() {}

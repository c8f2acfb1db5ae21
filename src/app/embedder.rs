//! The embedder: a background thread that keeps the claims' sentence
//! vectors up to date with the claim store, so that loads never wait for
//! the encoder. Until a claim's vector is there, it is matched by its
//! words only; the lag is in the logs and the metrics
//! (`claimsignal_vector_lag_changes`).

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

/// The embedder thread.
pub(super) fn embed(app: Weak<App>) {
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

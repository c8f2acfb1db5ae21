//! A replica on a shared store follows the other replicas: their claim
//! changes reach its index, their token changes its authentication.

use std::sync::Weak;
use std::sync::atomic::Ordering;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use super::App;
use crate::store::PgPool;
use crate::store::postgres::{Backoff, CLAIMS_CHANNEL, TOKENS_CHANNEL};

/// How long the follower waits for a notification before it checks for
/// changes anyway (a notification sent while it was reconnecting is never
/// delivered; the check finds the change).
const FOLLOW_POLL: Duration = Duration::from_millis(500);

/// The follower thread of a replica on a shared store.
pub(super) fn follow(app: Weak<App>, pool: PgPool) {
    let mut backoff = Backoff::default();
    let alive = || {
        app.upgrade()
            .filter(|app| !app.closing.load(Ordering::Acquire))
    };
    while alive().is_some() {
        let listening = pool.connect_dedicated().and_then(|mut client| {
            client.batch_execute(&format!("LISTEN {CLAIMS_CHANNEL}; LISTEN {TOKENS_CHANNEL}"))?;
            Ok(client)
        });
        let mut client = match listening {
            Ok(client) => client,
            Err(err) => {
                tracing::warn!(error = %err, "claim follower cannot reach the database");
                std::thread::sleep(backoff.next_delay());
                continue;
            }
        };
        // Listening before catching up: a change committed in between is
        // both notified and caught up, never missed.
        let mut tokens = true;
        loop {
            let Some(app) = alive() else { return };
            if let Err(err) = app.catch_up(tokens) {
                tracing::warn!(error = %err, "claim follower cannot catch up");
                break;
            }
            backoff.reset();
            drop(app);
            let mut notifications = client.notifications();
            let first = notifications.timeout_iter(FOLLOW_POLL).next();
            tokens = match first {
                Ok(Some(first)) => {
                    // Take every notification already here: one catch-up.
                    let mut tokens = first.channel() == TOKENS_CHANNEL;
                    let mut pending = notifications.iter();
                    while let Ok(Some(note)) = pending.next() {
                        tokens |= note.channel() == TOKENS_CHANNEL;
                    }
                    tokens
                }
                // Nothing for a while: check anyway, tokens included.
                Ok(None) => true,
                Err(err) => {
                    tracing::warn!(error = %err, "claim follower lost the database connection");
                    break;
                }
            };
        }
        std::thread::sleep(backoff.next_delay());
    }
}

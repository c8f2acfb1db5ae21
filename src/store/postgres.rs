//! The PostgreSQL side shared by the stores: a connection pool, dedicated
//! connections for the hit writer and the change follower, and which
//! errors mean "the database is unreachable" (answered UNAVAILABLE, retried
//! by callers) rather than "this statement is wrong".

use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::NoTls;

use super::migrate;
use crate::error::{Error, Result};

/// How long a call waits for a pooled connection before it is answered
/// UNAVAILABLE: short, so callers fail fast while the database is down.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The notification channel claim changes are announced on.
pub const CLAIMS_CHANNEL: &str = "claimsignal_claims";

/// The notification channel token changes are announced on.
pub const TOKENS_CHANNEL: &str = "claimsignal_tokens";

/// A pool of connections to the shared database.
#[derive(Clone)]
pub struct PgPool {
    pool: r2d2::Pool<Manager>,
    config: Arc<postgres::Config>,
    /// The health check's own connection: a pool busy with long reports
    /// must not look like a database that is down.
    probe: Arc<Mutex<Option<PgClient>>>,
}

/// A connection checked out of the pool.
pub type PgConnection = r2d2::PooledConnection<Manager>;

/// A blocking PostgreSQL connection that may be dropped on any thread.
///
/// The blocking client closes itself by running a small runtime of its
/// own, which panics on a thread that is driving async tasks (where the
/// last holder of an engine may well drop it); there the close moves to a
/// thread of its own.
pub struct PgClient(Option<postgres::Client>);

impl std::ops::Deref for PgClient {
    type Target = postgres::Client;

    fn deref(&self) -> &postgres::Client {
        self.0.as_ref().expect("present until dropped")
    }
}

impl std::ops::DerefMut for PgClient {
    fn deref_mut(&mut self) -> &mut postgres::Client {
        self.0.as_mut().expect("present until dropped")
    }
}

impl Drop for PgClient {
    fn drop(&mut self) {
        let Some(client) = self.0.take() else { return };
        if tokio::runtime::Handle::try_current().is_ok() {
            let closing = std::thread::Builder::new()
                .name("pg-close".into())
                .spawn(move || drop(client));
            if let Err(err) = closing {
                tracing::warn!(error = %err, "cannot close a database connection cleanly");
            }
        } else {
            drop(client);
        }
    }
}

/// Opens and checks pooled connections (what `r2d2_postgres` does, with
/// connections that are safe to drop anywhere).
pub struct Manager {
    config: postgres::Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgClient;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgClient, postgres::Error> {
        Ok(PgClient(Some(self.config.connect(NoTls)?)))
    }

    fn is_valid(&self, conn: &mut PgClient) -> Result<(), postgres::Error> {
        conn.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut PgClient) -> bool {
        conn.is_closed()
    }
}

impl PgPool {
    /// Connects to `url`, applies the schema migrations and keeps up to
    /// `max_connections` connections for reads and claim writes.
    pub fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let mut config: postgres::Config = url
            .parse()
            .map_err(|err| Error::invalid(format!("store URL: {err}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("claimsignal");
        }
        let manager = Manager {
            config: config.clone(),
        };
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            // Connections are opened on demand and re-opened after a
            // database restart; none is kept idle for nothing.
            .min_idle(Some(0))
            .connection_timeout(CHECKOUT_TIMEOUT)
            // A checked-out connection is tested with an empty query, so a
            // database restart costs one failed check, not one failed call.
            .test_on_check_out(true)
            .build_unchecked(manager);
        let pg = PgPool {
            pool,
            config: Arc::new(config),
            probe: Arc::default(),
        };
        let mut client = pg.connect_dedicated()?;
        migrate::postgres(&mut client)?;
        Ok(pg)
    }

    /// Checks out a pooled connection.
    pub fn get(&self) -> Result<PgConnection> {
        self.pool
            .get()
            .map_err(|err| Error::Unavailable(format!("the database is unreachable: {err}")))
    }

    /// Opens a connection of its own, outside the pool (the hit writer and
    /// the change follower hold one each).
    pub fn connect_dedicated(&self) -> Result<PgClient> {
        Ok(PgClient(Some(self.config.connect(NoTls)?)))
    }

    /// Returns true when the database answers, on a connection kept for
    /// this check (re-opened after a failure). Blocking.
    pub fn reachable(&self) -> bool {
        let Ok(mut probe) = self.probe.lock() else {
            return false;
        };
        if probe.is_none() {
            *probe = self.connect_dedicated().ok();
        }
        let answered = probe
            .as_mut()
            .is_some_and(|client| client.simple_query("SELECT 1").is_ok());
        if !answered {
            *probe = None;
        }
        answered
    }
}

/// Returns true for a transaction PostgreSQL aborted to break a deadlock or
/// a serialization conflict: running it again is correct.
pub fn is_retryable(err: &postgres::Error) -> bool {
    err.code().is_some_and(|code| {
        *code == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
            || *code == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
    })
}

/// The back-off between reconnection attempts: doubles from 100 ms to 2 s.
#[derive(Debug)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { next: Self::FIRST }
    }
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(100);
    const MAX: Duration = Duration::from_secs(2);

    /// Returns the delay before the next attempt and doubles it.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(Self::MAX);
        delay
    }

    /// Back to the first delay after a success.
    pub fn reset(&mut self) {
        self.next = Self::FIRST;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_ceiling_and_resets() {
        let mut backoff = Backoff::default();
        let delays: Vec<u128> = (0..7).map(|_| backoff.next_delay().as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1600, 2000, 2000]);
        backoff.reset();
        assert_eq!(backoff.next_delay().as_millis(), 100);
    }
}

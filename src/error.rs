//! The crate's error type: a small closed set of kinds, each mapped to one
//! gRPC code in `server::status` and nowhere else.

/// Errors returned by the claimsignal library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller sent something unusable; the message says what and why.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The named record does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// No token, or an unknown or revoked one.
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    /// The caller may not do this (another partner's claim, wrong role).
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// A configured limit was exceeded; the message names the limit.
    #[error("resource exhausted: {0}")]
    ResourceExhausted(String),
    /// The service cannot do this right now (shutting down, store locked).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The caller's deadline passed before the work finished.
    #[error("deadline exceeded: {0}")]
    DeadlineExceeded(String),
    /// The claim or hit store failed (a store busy past its timeout is
    /// `Unavailable`, not this).
    #[error("store error: {0}")]
    Store(rusqlite::Error),
    /// The PostgreSQL store refused a statement (not a lost connection:
    /// that is `Unavailable`).
    #[error("database error: {0}")]
    Database(String),
    /// The claim index failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A file-system operation failed.
    #[error("io error: {0}")]
    Io(#[from] std::io::Error),
    /// An invariant broke; a bug, reported rather than panicking.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The crate's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Returns an `InvalidArgument` error with the given reason.
    pub fn invalid(reason: impl Into<String>) -> Self {
        Error::InvalidArgument(reason.into())
    }

    /// Returns a `NotFound` error for the given record.
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound(what.into())
    }
}

impl From<tantivy::query::QueryParserError> for Error {
    fn from(err: tantivy::query::QueryParserError) -> Self {
        Error::InvalidArgument(format!("query: {err}"))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        // Another process or connection held the write lock past the busy
        // timeout: the caller may retry, nothing is wrong with its request.
        let busy = matches!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        if busy {
            Error::Unavailable(format!("the store is busy; retry with back-off ({err})"))
        } else {
            Error::Store(err)
        }
    }
}

impl From<postgres::Error> for Error {
    fn from(err: postgres::Error) -> Self {
        if is_unavailable(&err) {
            Error::Unavailable(format!("the database is unreachable: {err}"))
        } else {
            // The server's message (constraint, type...) is in the source.
            let detail = match err.as_db_error() {
                Some(db) => format!("{} ({})", db.message(), db.code().code()),
                None => err.to_string(),
            };
            Error::Database(detail)
        }
    }
}

/// Returns true when the error means the database cannot be reached or is
/// going away (connection refused or lost, shutting down, starting up),
/// as opposed to a statement the database refused.
pub fn is_unavailable(err: &postgres::Error) -> bool {
    if err.is_closed() {
        return true;
    }
    match err.code() {
        // Class 08: connection exception; 57P01-03: admin or crash
        // shutdown, cannot connect now; 53300: too many connections.
        Some(code) => {
            let code = code.code();
            code.starts_with("08") || code.starts_with("57P") || code == "53300"
        }
        // No SQLSTATE: the error happened below the protocol (I/O, TLS,
        // a timeout opening the connection).
        None => err.as_db_error().is_none(),
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(err: tokio::task::JoinError) -> Self {
        Error::Internal(format!("blocking task failed: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_sqlite_store_is_unavailable_not_a_store_failure() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("busy.db");
        let holder = rusqlite::Connection::open(&path)?;
        holder.execute_batch("CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE;")?;
        let other = rusqlite::Connection::open(&path)?;
        other.busy_timeout(std::time::Duration::from_millis(1))?;
        let err = Error::from(
            other
                .execute("INSERT INTO t VALUES (1)", [])
                .expect_err("the write lock is held"),
        );
        assert!(matches!(err, Error::Unavailable(_)), "{err}");
        let missing = Error::from(
            other
                .execute("INSERT INTO nowhere VALUES (1)", [])
                .expect_err("no such table"),
        );
        assert!(matches!(missing, Error::Store(_)), "{missing}");
        Ok(())
    }
}

//! Where the claim store, the hit store and the tokens live: SQLite files in
//! the data directory (the embedded default) or one PostgreSQL database
//! that several replicas share.
//!
//! Each store (`ClaimStore`, `HitStore`, `Auth`) has one implementation per
//! backend behind the same methods; this module holds what they share: the
//! `--store` URL, versioned schema migrations, the PostgreSQL pool with its
//! error mapping, and a column reader both backends' rows implement.

pub mod migrate;
pub mod postgres;
pub mod scratch;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use self::postgres::PgPool;

/// Which backend holds the stores, from `--store`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// `sqlite://DIR`: `claims.db` and `hits.db` in that directory.
    Sqlite(PathBuf),
    /// `postgres://user@host/db` (or `postgresql://`, or libpq key=value).
    Postgres(String),
}

impl StoreUrl {
    /// Parses a `--store` value.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if let Some(path) = text.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(Error::invalid(
                    "sqlite:// needs a directory, e.g. sqlite://index",
                ));
            }
            return Ok(StoreUrl::Sqlite(PathBuf::from(path)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            // Parsed now so a typo is reported at start, not at first use.
            text.parse::<::postgres::Config>()
                .map_err(|err| Error::invalid(format!("store URL {text:?}: {err}")))?;
            return Ok(StoreUrl::Postgres(text.to_string()));
        }
        Err(Error::invalid(format!(
            "store URL {text:?}: expected sqlite://DIR or postgres://user@host/db"
        )))
    }

    /// The default: SQLite files in the data directory.
    pub fn sqlite_in(data_dir: &Path) -> Self {
        StoreUrl::Sqlite(data_dir.to_path_buf())
    }

    /// Returns the URL with any password replaced, for logs.
    pub fn redacted(&self) -> String {
        match self {
            StoreUrl::Sqlite(dir) => format!("sqlite://{}", dir.display()),
            StoreUrl::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    // postgres://user:secret@host/db -> postgres://user:***@host/db
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// The SQL dialect a query is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `?` placeholders, `json_each`.
    Sqlite,
    /// `$n` placeholders, `jsonb_array_elements_text`.
    Postgres,
}

impl Dialect {
    /// The placeholder for the `n`th parameter (from 1).
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => "?".to_string(),
            Dialect::Postgres => format!("${n}"),
        }
    }
}

/// A query parameter either backend can bind.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    /// An integer (BIGINT in PostgreSQL).
    Int(i64),
    /// Text.
    Text(String),
}

impl rusqlite::ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            SqlValue::Int(value) => ToSqlOutput::Borrowed(ValueRef::Integer(*value)),
            SqlValue::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        })
    }
}

impl ::postgres::types::ToSql for SqlValue {
    fn to_sql(
        &self,
        ty: &::postgres::types::Type,
        out: &mut ::postgres::types::private::BytesMut,
    ) -> std::result::Result<::postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        match self {
            SqlValue::Int(value) => value.to_sql(ty, out),
            SqlValue::Text(text) => text.to_sql(ty, out),
        }
    }

    fn accepts(ty: &::postgres::types::Type) -> bool {
        <i64 as ::postgres::types::ToSql>::accepts(ty)
            || <String as ::postgres::types::ToSql>::accepts(ty)
    }

    ::postgres::types::to_sql_checked!();
}

/// Column access shared by SQLite and PostgreSQL rows, so a record is
/// decoded by one function whatever the backend.
pub trait Columns {
    /// An integer column.
    fn int(&self, i: usize) -> Result<i64>;
    /// A nullable integer column.
    fn opt_int(&self, i: usize) -> Result<Option<i64>>;
    /// A floating-point column.
    fn float(&self, i: usize) -> Result<f64>;
    /// A nullable floating-point column.
    fn opt_float(&self, i: usize) -> Result<Option<f64>>;
    /// A text column.
    fn text(&self, i: usize) -> Result<&str>;
    /// A nullable text column.
    fn opt_text(&self, i: usize) -> Result<Option<&str>>;
}

impl Columns for rusqlite::Row<'_> {
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.get(i)?)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.get(i)?)
    }
    fn float(&self, i: usize) -> Result<f64> {
        Ok(self.get(i)?)
    }
    fn opt_float(&self, i: usize) -> Result<Option<f64>> {
        Ok(self.get(i)?)
    }
    fn text(&self, i: usize) -> Result<&str> {
        Ok(self.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<&str>> {
        Ok(self
            .get_ref(i)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?)
    }
}

impl Columns for ::postgres::Row {
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.try_get(i)?)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.try_get(i)?)
    }
    fn float(&self, i: usize) -> Result<f64> {
        Ok(self.try_get(i)?)
    }
    fn opt_float(&self, i: usize) -> Result<Option<f64>> {
        Ok(self.try_get(i)?)
    }
    fn text(&self, i: usize) -> Result<&str> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<&str>> {
        Ok(self.try_get(i)?)
    }
}

/// Runs a future to completion on a runtime of its own: store tests are
/// plain threads (the PostgreSQL client blocks, which a Tokio worker must
/// not) that still call the async `HitStore::log`.
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_urls_parse_and_hide_passwords() {
        assert_eq!(
            StoreUrl::parse("sqlite://index").unwrap(),
            StoreUrl::Sqlite("index".into())
        );
        let pg = StoreUrl::parse("postgres://cs:hunter2@db.example:5432/claims").unwrap();
        assert_eq!(pg.redacted(), "postgres://cs:***@db.example:5432/claims");
        assert!(!pg.redacted().contains("hunter2"));
        for bad in ["", "sqlite://", "mysql://x", "index"] {
            let err = StoreUrl::parse(bad).unwrap_err().to_string();
            assert!(
                err.contains("store URL") || err.contains("sqlite://"),
                "{bad}: {err}"
            );
        }
        assert!(StoreUrl::parse("postgres://u@h:notaport/db").is_err());
    }
}

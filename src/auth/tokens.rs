//! The token table and the audit trail, in the SQLite claim store or the
//! shared PostgreSQL (with an in-memory copy of the tokens).

use std::sync::{Arc, Mutex, RwLock};

use rusqlite::{Connection, OptionalExtension, params};

use super::{Principal, Role, TokenInfo, TokenTable, hash, principal, token_info};
use crate::error::{Error, Result};
use crate::store::{PgPool, migrate};

/// Tokens and the audit trail: their own connection to the SQLite claim
/// store, or the shared PostgreSQL with an in-memory copy of the tokens.
pub struct Auth {
    backend: Backend,
}

pub(super) enum Backend {
    Sqlite(Mutex<Connection>),
    Postgres {
        pool: PgPool,
        tokens: RwLock<Arc<TokenTable>>,
    },
}

pub(super) fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|err| Error::Internal(format!("no randomness: {err}")))?;
    Ok(format!(
        "cs_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

impl Auth {
    /// Opens the tables in the SQLite file at `path` (the claim store).
    pub fn open(path: &std::path::Path) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate::sqlite(&mut conn, "claims.db", migrate::SQLITE_CLAIMS)?;
        Ok(Auth {
            backend: Backend::Sqlite(Mutex::new(conn)),
        })
    }

    /// Uses the shared PostgreSQL database (migrated by `PgPool::connect`)
    /// and reads the token table once.
    pub fn postgres(pool: PgPool) -> Result<Self> {
        let auth = Auth {
            backend: Backend::Postgres {
                pool,
                tokens: RwLock::new(Arc::default()),
            },
        };
        auth.refresh()?;
        Ok(auth)
    }

    /// Re-reads the token table into memory (PostgreSQL; SQLite reads it on
    /// every call). Blocking.
    pub fn refresh(&self) -> Result<()> {
        if let Backend::Postgres { pool, tokens } = &self.backend {
            let table = super::postgres::load_tokens(pool)?;
            *tokens
                .write()
                .map_err(|_| Error::Internal("token table lock poisoned".into()))? =
                Arc::new(table);
        }
        Ok(())
    }

    fn tokens(&self) -> Option<Result<Arc<TokenTable>>> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres { tokens, .. } => Some(
                tokens
                    .read()
                    .map(|table| table.clone())
                    .map_err(|_| Error::Internal("token table lock poisoned".into())),
            ),
        }
    }

    pub(super) fn pool(&self) -> Option<&PgPool> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres { pool, .. } => Some(pool),
        }
    }

    pub(super) fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        match &self.backend {
            Backend::Sqlite(conn) => conn
                .lock()
                .map_err(|_| Error::Internal("auth store lock poisoned".into())),
            Backend::Postgres { .. } => Err(Error::Internal("not a SQLite auth store".into())),
        }
    }

    /// Returns true once any token has been created: revoking every token
    /// locks the service rather than reopening it.
    pub fn enabled(&self) -> Result<bool> {
        if let Some(table) = self.tokens() {
            return Ok(table?.any);
        }
        let conn = self.lock()?;
        let count: i64 = conn.query_row("SELECT COUNT(*) FROM tokens", [], |r| r.get(0))?;
        Ok(count > 0)
    }

    /// Creates a token and returns its secret, which is never stored.
    pub fn create(
        &self,
        name: &str,
        roles: &[Role],
        partner: Option<&str>,
        actor: &str,
    ) -> Result<(TokenInfo, String)> {
        if name.trim().is_empty() || roles.is_empty() {
            return Err(Error::invalid("a token needs a name and at least one role"));
        }
        if roles.contains(&Role::Partner) && partner.is_none_or(|p| p.trim().is_empty()) {
            return Err(Error::invalid("a partner token needs --partner"));
        }
        if let Some(partner) = partner {
            crate::claims::normalize::validate_partner(partner).map_err(Error::invalid)?;
        }
        let secret = new_secret()?;
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        let id = match self.pool() {
            Some(pool) => {
                let id = super::postgres::insert_token(
                    pool,
                    name,
                    &names.join(","),
                    partner,
                    &hash(&secret),
                )?;
                self.refresh()?;
                id
            }
            None => {
                let conn = self.lock()?;
                conn.execute(
                    "INSERT INTO tokens (name, roles, partner, hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![name, names.join(","), partner, hash(&secret), chrono::Utc::now().timestamp_millis()],
                )?;
                conn.last_insert_rowid()
            }
        };
        self.audit(
            actor,
            "token.create",
            &format!("id={id} name={name} roles={}", names.join(",")),
        )?;
        let info = TokenInfo {
            id,
            name: name.into(),
            roles: roles.to_vec(),
            partner: partner.map(str::to_string),
            revoked_ms: None,
        };
        Ok((info, secret))
    }

    /// Lists tokens, revoked ones included.
    pub fn list(&self) -> Result<Vec<TokenInfo>> {
        if let Some(pool) = self.pool() {
            return super::postgres::list_tokens(pool);
        }
        let conn = self.lock()?;
        let mut stmt =
            conn.prepare("SELECT id, name, roles, partner, revoked_ms FROM tokens ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut tokens = Vec::new();
        while let Some(row) = rows.next()? {
            tokens.push(token_info(row)?);
        }
        Ok(tokens)
    }

    /// Revokes a token; effective on the next call.
    pub fn revoke(&self, id: i64, actor: &str) -> Result<()> {
        let changed = match self.pool() {
            Some(pool) => {
                let changed = super::postgres::revoke_token(pool, id)?;
                self.refresh()?;
                changed
            }
            None => self.lock()?.execute(
                "UPDATE tokens SET revoked_ms = ?1 WHERE id = ?2 AND revoked_ms IS NULL",
                params![chrono::Utc::now().timestamp_millis(), id],
            )?,
        };
        if changed == 0 {
            return Err(Error::not_found(format!("active token {id}")));
        }
        self.audit(actor, "token.revoke", &format!("id={id}"))
    }

    /// Returns the caller holding `token`, or `Unauthenticated`-class errors.
    pub fn authenticate(&self, bearer: Option<&str>) -> Result<Principal> {
        if !self.enabled()? {
            return Ok(Principal::anonymous());
        }
        let Some(token) = bearer else {
            return Err(Error::Unauthenticated(
                "missing bearer token in the `authorization` header".into(),
            ));
        };
        let unknown = || Error::Unauthenticated("unknown or revoked token".into());
        if let Some(table) = self.tokens() {
            return table?
                .by_hash
                .get(&hash(token))
                .cloned()
                .ok_or_else(unknown);
        }
        let conn = self.lock()?;
        let found: Option<(String, String, Option<String>)> = conn
            .query_row(
                "SELECT name, roles, partner FROM tokens WHERE hash = ?1 AND revoked_ms IS NULL",
                [hash(token)],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        let (name, roles, partner) = found.ok_or_else(unknown)?;
        Ok(principal(name, &roles, partner))
    }

    /// Appends to the audit trail.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<()> {
        if let Some(pool) = self.pool() {
            return super::postgres::audit(pool, actor, action, detail);
        }
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO audit (at_ms, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![chrono::Utc::now().timestamp_millis(), actor, action, detail],
        )?;
        Ok(())
    }

    /// Returns the latest audit entries, newest first, as (ms, actor, action, detail).
    pub fn audit_trail(&self, limit: usize) -> Result<Vec<(i64, String, String, String)>> {
        if let Some(pool) = self.pool() {
            return super::postgres::audit_trail(pool, limit);
        }
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare("SELECT at_ms, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

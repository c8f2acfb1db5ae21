//! The claim store: the source of truth, with a change sequence on every
//! insert, update and retraction. SQLite in the data directory, or the
//! shared PostgreSQL (`store/postgres.rs` beside this file).
//!
//! Every change gives the claim's row the next sequence number, so "every
//! claim whose `seq` is above N" is exactly what a follower that has applied
//! up to N must apply next. Retracted claims keep their row. Writers take
//! sequence numbers one transaction at a time (SQLite's write lock, an
//! advisory lock in PostgreSQL), so sequences commit in order and a
//! follower never skips one that commits late.

mod postgres;

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::load::{ParsedClaim, WriteStatus, Written};
use super::model::{Claim, ClaimStatus};
use super::reload::{WriteOptions, stored_claim, to_write, written};
use crate::error::{Error, Result};
use crate::store::{Columns, PgPool, migrate};

/// Filters for listing claims.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    /// Only this partner's claims, when set.
    pub partner: Option<String>,
    /// Only claims for this market (or for every market), when set.
    pub market: Option<String>,
    /// Only claims in this language, when set.
    pub language: Option<String>,
    /// Include retracted claims.
    pub include_retracted: bool,
}

/// The claim store.
pub struct ClaimStore {
    backend: Backend,
}

enum Backend {
    Sqlite(Mutex<Connection>),
    Postgres(PgPool),
}

/// What writing one claim does, given the row already stored under its id.
enum Decision {
    Refuse(String),
    Keep,
    Write(WriteStatus),
}

/// Decides one claim of a batch from its stored (partner, status, content).
fn decide(claim: &Claim, content: &str, existing: Option<(&str, i64, &str)>) -> Decision {
    match existing {
        Some((owner, _, _)) if owner != claim.partner => Decision::Refuse(format!(
            "claim id {:?} belongs to partner {owner:?}",
            claim.id
        )),
        Some((_, status, old)) if status == ClaimStatus::Active.as_i64() && old == content => {
            Decision::Keep
        }
        Some(_) => Decision::Write(WriteStatus::Updated),
        None => Decision::Write(WriteStatus::Inserted),
    }
}

/// The outcome of one claim of a batch.
type Outcome = std::result::Result<Written, String>;

/// Records a refused or unchanged claim in `outcomes`; returns the status
/// of a claim to write (its outcome is pushed once written).
fn judge(decision: Decision, outcomes: &mut Vec<Outcome>) -> Option<WriteStatus> {
    match decision {
        Decision::Refuse(reason) => {
            outcomes.push(Err(reason));
            None
        }
        Decision::Keep => {
            outcomes.push(Ok(Written {
                status: WriteStatus::Unchanged,
                changed: Vec::new(),
            }));
            None
        }
        Decision::Write(status) => Some(status),
    }
}

/// Refuses a retraction by a partner that does not own the claim.
fn check_owner(claim: &Claim, partner: Option<&str>) -> Result<()> {
    match partner {
        Some(partner) if partner != claim.partner => Err(Error::PermissionDenied(format!(
            "claim {:?} belongs to partner {:?}, not {partner:?}",
            claim.id, claim.partner
        ))),
        _ => Ok(()),
    }
}

/// Keeps a listed claim when the filter's market allows it. Markets live
/// inside the content; a list filter on them is rare enough that reading
/// past non-matching rows is fine.
fn market_allows(filter: &ClaimFilter, claim: &Claim) -> bool {
    filter
        .market
        .as_ref()
        .is_none_or(|market| claim.markets.is_empty() || claim.markets.contains(market))
}

impl ClaimStore {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// Opens a private in-memory store, for tests and `eval`.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    /// Uses the shared PostgreSQL database (migrated by `PgPool::connect`).
    pub fn postgres(pool: PgPool) -> Self {
        ClaimStore {
            backend: Backend::Postgres(pool),
        }
    }

    fn init(mut conn: Connection) -> Result<Self> {
        // WAL + synchronous=FULL: a returned write is on disk and survives
        // kill -9 and power loss.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate::sqlite(&mut conn, "claims.db", migrate::SQLITE_CLAIMS)?;
        Ok(ClaimStore {
            backend: Backend::Sqlite(Mutex::new(conn)),
        })
    }

    /// Returns the PostgreSQL pool when the store is shared.
    pub fn shared(&self) -> Option<&PgPool> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres(pool) => Some(pool),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        match &self.backend {
            Backend::Sqlite(conn) => conn
                .lock()
                .map_err(|_| Error::Internal("claim store lock poisoned".into())),
            Backend::Postgres(_) => Err(Error::Internal("not a SQLite claim store".into())),
        }
    }

    /// Names the store the index follows: empty for the SQLite file beside
    /// it, `postgres:<id>` for a shared database (an id made when its schema
    /// was created).
    pub fn identity(&self) -> Result<String> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(String::new()),
            Backend::Postgres(pool) => postgres::identity(pool),
        }
    }

    /// Returns the last change sequence number (0 for an empty store).
    pub fn sequence(&self) -> Result<u64> {
        if let Backend::Postgres(pool) = &self.backend {
            return postgres::sequence(pool);
        }
        let conn = self.lock()?;
        current_seq(&conn)
    }

    /// Writes a batch of parsed claims in one transaction. Returns, per
    /// claim in order, what happened or why it was refused (a claim id
    /// owned by another partner).
    pub fn write_batch(&self, claims: &[ParsedClaim]) -> Result<Vec<Outcome>> {
        self.write_batch_with(claims, WriteOptions::default())
    }

    /// Writes claims as `write_batch` does, treating what each record
    /// leaves unsaid as `options` say.
    pub fn write_batch_with(
        &self,
        claims: &[ParsedClaim],
        options: WriteOptions,
    ) -> Result<Vec<Outcome>> {
        if let Backend::Postgres(pool) = &self.backend {
            return postgres::write_batch(pool, claims, options);
        }
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut seq = current_seq(&tx)?;
        let now_ms = Utc::now().timestamp_millis();
        let mut outcomes = Vec::with_capacity(claims.len());
        {
            let mut select =
                tx.prepare_cached("SELECT partner, status, content FROM claims WHERE id = ?1")?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO claims (id, partner, language, status, seq, updated_ms, content, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET
                    language = excluded.language, status = excluded.status, seq = excluded.seq,
                    updated_ms = excluded.updated_ms, content = excluded.content, raw = excluded.raw",
            )?;
            for parsed in claims {
                let existing: Option<(String, i64, String)> = select
                    .query_row([&parsed.claim.id], |row| {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    })
                    .optional()?;
                let stored = existing
                    .as_ref()
                    .and_then(|(_, status, old)| stored_claim(old, *status));
                let (claim, content) = to_write(parsed, stored.as_ref(), options);
                let claim = &claim;
                let existing = existing
                    .as_ref()
                    .map(|(owner, status, old)| (owner.as_str(), *status, old.as_str()));
                let Some(status) = judge(decide(claim, &content, existing), &mut outcomes) else {
                    continue;
                };
                seq += 1;
                upsert.execute(params![
                    claim.id,
                    claim.partner,
                    claim.language,
                    ClaimStatus::Active.as_i64(),
                    seq as i64,
                    now_ms,
                    content,
                    parsed.raw,
                ])?;
                outcomes.push(written(status, stored.as_ref(), claim));
            }
        }
        if options.dry_run {
            // Dropped uncommitted: rolled back, nothing written.
            return Ok(outcomes);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Marks a claim retracted. With `partner` set, refuses a claim owned by
    /// someone else. Returns the claim and whether anything changed.
    pub fn retract(&self, id: &str, partner: Option<&str>) -> Result<(Claim, bool)> {
        if let Backend::Postgres(pool) = &self.backend {
            return postgres::retract(pool, id, partner);
        }
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let claim = get_claim(&tx, id)?.ok_or_else(|| Error::not_found(format!("claim {id:?}")))?;
        check_owner(&claim, partner)?;
        if claim.status == ClaimStatus::Retracted {
            return Ok((claim, false));
        }
        let seq = current_seq(&tx)? + 1;
        tx.execute(
            "UPDATE claims SET status = ?1, seq = ?2, updated_ms = ?3 WHERE id = ?4",
            params![
                ClaimStatus::Retracted.as_i64(),
                seq as i64,
                Utc::now().timestamp_millis(),
                id
            ],
        )?;
        let updated = get_claim(&tx, id)?
            .ok_or_else(|| Error::Internal(format!("claim {id:?} vanished during retraction")))?;
        tx.commit()?;
        Ok((updated, true))
    }

    /// Retracts, in one transaction, the partner's active claims whose ids
    /// are not in `keep`; returns the ids retracted.
    pub fn retract_all_but(
        &self,
        partner: &str,
        keep: &std::collections::HashSet<String>,
    ) -> Result<Vec<String>> {
        if let Backend::Postgres(pool) = &self.backend {
            return postgres::retract_all_but(pool, partner, keep);
        }
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let active: Vec<String> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id FROM claims WHERE partner = ?1 AND status = 1 ORDER BY id",
            )?;
            let rows = stmt.query_map([partner], |row| row.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut seq = current_seq(&tx)?;
        let now_ms = Utc::now().timestamp_millis();
        let mut retracted = Vec::new();
        {
            let mut update = tx.prepare_cached(
                "UPDATE claims SET status = ?1, seq = ?2, updated_ms = ?3 WHERE id = ?4",
            )?;
            for id in active.into_iter().filter(|id| !keep.contains(id)) {
                seq += 1;
                update.execute(params![
                    ClaimStatus::Retracted.as_i64(),
                    seq as i64,
                    now_ms,
                    id
                ])?;
                retracted.push(id);
            }
        }
        tx.commit()?;
        Ok(retracted)
    }

    /// Returns the claim with this id, retracted or not.
    pub fn get(&self, id: &str) -> Result<Option<Claim>> {
        if let Backend::Postgres(pool) = &self.backend {
            return postgres::get(pool, id);
        }
        let conn = self.lock()?;
        get_claim(&conn, id)
    }

    /// Returns up to `limit` claims with ids after `after_id`, in id order.
    pub fn list(&self, filter: &ClaimFilter, after_id: &str, limit: usize) -> Result<Vec<Claim>> {
        if let Backend::Postgres(pool) = &self.backend {
            return postgres::list(pool, filter, after_id, limit);
        }
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, status, seq, updated_ms, content FROM claims
             WHERE id > ?1
               AND (?2 IS NULL OR partner = ?2)
               AND (?3 IS NULL OR language = ?3)
               AND (?4 OR status = 1)
             ORDER BY id",
        )?;
        let mut rows = stmt.query(params![
            after_id,
            filter.partner,
            filter.language,
            filter.include_retracted
        ])?;
        let mut claims = Vec::with_capacity(limit.min(1024));
        while let Some(row) = rows.next()? {
            let claim = claim_from_row(row)?;
            if !market_allows(filter, &claim) {
                continue;
            }
            claims.push(claim);
            if claims.len() == limit {
                break;
            }
        }
        Ok(claims)
    }

    /// Returns up to `limit` claims changed after sequence `after_seq`, in
    /// sequence order, retracted ones included.
    pub fn changes_since(&self, after_seq: u64, limit: usize) -> Result<Vec<Claim>> {
        if let Backend::Postgres(pool) = &self.backend {
            return postgres::changes_since(pool, after_seq, limit);
        }
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, status, seq, updated_ms, content FROM claims
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let mut rows = stmt.query(params![after_seq as i64, limit as i64])?;
        let mut claims = Vec::new();
        while let Some(row) = rows.next()? {
            claims.push(claim_from_row(row)?);
        }
        Ok(claims)
    }
}

fn current_seq(conn: &Connection) -> Result<u64> {
    let seq: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM claims", [], |row| {
        row.get(0)
    })?;
    Ok(seq as u64)
}

fn get_claim(conn: &Connection, id: &str) -> Result<Option<Claim>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, status, seq, updated_ms, content FROM claims WHERE id = ?1")?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(claim_from_row(row)?)),
        None => Ok(None),
    }
}

/// Decodes `id, status, seq, updated_ms, content` from either backend.
fn claim_from_row(row: &impl Columns) -> Result<Claim> {
    let id = row.text(0)?;
    let status = row.int(1)?;
    let seq = row.int(2)?;
    let updated_ms = row.int(3)?;
    let content = row.text(4)?;
    let mut claim: Claim = serde_json::from_str(content)
        .map_err(|err| Error::Internal(format!("claim {id:?} has unreadable content: {err}")))?;
    claim.status = ClaimStatus::from_i64(status)
        .ok_or_else(|| Error::Internal(format!("claim {id:?} has unknown status {status}")))?;
    claim.sequence = seq as u64;
    claim.updated_at = DateTime::from_timestamp_millis(updated_ms);
    debug_assert_eq!(claim.id, id);
    Ok(claim)
}

#[cfg(test)]
mod tests;

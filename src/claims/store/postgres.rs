//! The claim store in the shared PostgreSQL database.
//!
//! Every write transaction first takes one advisory lock, then numbers its
//! changes after the current maximum: writers from all replicas take turns,
//! sequences commit in order, and `NOTIFY` (sent at commit) wakes every
//! replica's follower.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use postgres::Transaction;
use postgres::fallible_iterator::FallibleIterator;

use super::{ClaimFilter, Outcome, check_owner, claim_from_row, decide, judge, market_allows};
use crate::claims::load::ParsedClaim;
use crate::claims::model::{Claim, ClaimStatus};
use crate::claims::reload::WriteOptions;
use crate::claims::reload::{stored_claim, to_write, written};
use crate::error::{Error, Result};
use crate::store::PgPool;
use crate::store::postgres::CLAIMS_CHANNEL;

const CLAIM_COLUMNS: &str = "id, status, seq, updated_ms, content";

/// Serialises claim writers across replicas (any constant both sides agree on).
fn lock_changes(tx: &mut Transaction<'_>) -> Result<()> {
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('claimsignal.claims'))",
        &[],
    )?;
    Ok(())
}

fn current_seq(tx: &mut Transaction<'_>) -> Result<u64> {
    let seq: i64 = tx
        .query_one("SELECT COALESCE(MAX(seq), 0) FROM claims", &[])?
        .get(0);
    Ok(seq as u64)
}

/// Announces the new last sequence; delivered when the transaction commits.
fn notify(tx: &mut Transaction<'_>, seq: u64) -> Result<()> {
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CLAIMS_CHANNEL, &seq.to_string()],
    )?;
    Ok(())
}

pub(super) fn identity(pool: &PgPool) -> Result<String> {
    let id: String = pool
        .get()?
        .query_one("SELECT id FROM store_identity", &[])?
        .get(0);
    Ok(format!("postgres:{id}"))
}

pub(super) fn sequence(pool: &PgPool) -> Result<u64> {
    let mut conn = pool.get()?;
    let seq: i64 = conn
        .query_one("SELECT COALESCE(MAX(seq), 0) FROM claims", &[])?
        .get(0);
    Ok(seq as u64)
}

pub(super) fn write_batch(
    pool: &PgPool,
    claims: &[ParsedClaim],
    options: WriteOptions,
) -> Result<Vec<Outcome>> {
    let mut conn = pool.get()?;
    let mut tx = conn.transaction()?;
    lock_changes(&mut tx)?;
    let start_seq = current_seq(&mut tx)?;
    let mut seq = start_seq;
    let now_ms = Utc::now().timestamp_millis();
    // What is stored under the batch's ids, read in one statement; kept up
    // to date as the batch writes, so an id twice in a batch is judged
    // against its first occurrence as SQLite does.
    let ids: Vec<&str> = claims.iter().map(|p| p.claim.id.as_str()).collect();
    let mut stored: HashMap<String, (String, i64, String)> = tx
        .query(
            "SELECT id, partner, status, content FROM claims WHERE id = ANY($1)",
            &[&ids],
        )?
        .into_iter()
        .map(|row| (row.get(0), (row.get(1), row.get(2), row.get(3))))
        .collect();
    let active = ClaimStatus::Active.as_i64();
    let mut outcomes = Vec::with_capacity(claims.len());
    // The rows to write, one per id (an id written twice in the batch keeps
    // its last version and sequence number), sent in one statement.
    let mut rows = UpsertRows::default();
    for parsed in claims {
        let before = stored
            .get(&parsed.claim.id)
            .and_then(|(_, status, old)| stored_claim(old, *status));
        let (claim, content) = to_write(parsed, before.as_ref(), options);
        let existing = stored
            .get(&claim.id)
            .map(|(owner, status, old)| (owner.as_str(), *status, old.as_str()));
        let Some(status) = judge(decide(&claim, &content, existing), &mut outcomes) else {
            continue;
        };
        seq += 1;
        rows.set(parsed, seq, &content);
        outcomes.push(written(status, before.as_ref(), &claim));
        stored.insert(claim.id.clone(), (claim.partner.clone(), active, content));
    }
    if !rows.ids.is_empty() {
        tx.execute(
            "INSERT INTO claims (id, partner, language, status, seq, updated_ms, content, raw)
             SELECT id, partner, language, $1, seq, $2, content, raw
             FROM UNNEST($3::TEXT[], $4::TEXT[], $5::TEXT[], $6::BIGINT[], $7::TEXT[], $8::TEXT[])
                AS batch (id, partner, language, seq, content, raw)
             ON CONFLICT (id) DO UPDATE SET
                language = excluded.language, status = excluded.status, seq = excluded.seq,
                updated_ms = excluded.updated_ms, content = excluded.content, raw = excluded.raw",
            &[
                &active,
                &now_ms,
                &rows.ids,
                &rows.partners,
                &rows.languages,
                &rows.seqs,
                &rows.contents,
                &rows.raws,
            ],
        )?;
    }
    if options.dry_run {
        // Dropped uncommitted: rolled back, nothing written or announced.
        return Ok(outcomes);
    }
    if seq > start_seq {
        notify(&mut tx, seq)?;
    }
    tx.commit()?;
    Ok(outcomes)
}

/// Column arrays of a batch upsert, one entry per claim id.
#[derive(Default)]
struct UpsertRows<'a> {
    at: HashMap<&'a str, usize>,
    ids: Vec<&'a str>,
    partners: Vec<&'a str>,
    languages: Vec<&'a str>,
    seqs: Vec<i64>,
    contents: Vec<String>,
    raws: Vec<&'a str>,
}

impl<'a> UpsertRows<'a> {
    /// Adds a claim, or replaces the row of an id already in the batch.
    fn set(&mut self, parsed: &'a ParsedClaim, seq: u64, content: &str) {
        let claim = &parsed.claim;
        match self.at.get(claim.id.as_str()) {
            Some(&i) => {
                self.languages[i] = &claim.language;
                self.seqs[i] = seq as i64;
                self.contents[i] = content.to_string();
                self.raws[i] = &parsed.raw;
            }
            None => {
                self.at.insert(&claim.id, self.ids.len());
                self.ids.push(&claim.id);
                self.partners.push(&claim.partner);
                self.languages.push(&claim.language);
                self.seqs.push(seq as i64);
                self.contents.push(content.to_string());
                self.raws.push(&parsed.raw);
            }
        }
    }
}

pub(super) fn retract(pool: &PgPool, id: &str, partner: Option<&str>) -> Result<(Claim, bool)> {
    let mut conn = pool.get()?;
    let mut tx = conn.transaction()?;
    lock_changes(&mut tx)?;
    let claim = get_in(&mut tx, id)?.ok_or_else(|| Error::not_found(format!("claim {id:?}")))?;
    check_owner(&claim, partner)?;
    if claim.status == ClaimStatus::Retracted {
        return Ok((claim, false));
    }
    let seq = current_seq(&mut tx)? + 1;
    tx.execute(
        "UPDATE claims SET status = $1, seq = $2, updated_ms = $3 WHERE id = $4",
        &[
            &ClaimStatus::Retracted.as_i64(),
            &(seq as i64),
            &Utc::now().timestamp_millis(),
            &id,
        ],
    )?;
    notify(&mut tx, seq)?;
    let updated = get_in(&mut tx, id)?
        .ok_or_else(|| Error::Internal(format!("claim {id:?} vanished during retraction")))?;
    tx.commit()?;
    Ok((updated, true))
}

pub(super) fn retract_all_but(
    pool: &PgPool,
    partner: &str,
    keep: &HashSet<String>,
) -> Result<Vec<String>> {
    let mut conn = pool.get()?;
    let mut tx = conn.transaction()?;
    lock_changes(&mut tx)?;
    let active: Vec<String> = tx
        .query(
            "SELECT id FROM claims WHERE partner = $1 AND status = $2 ORDER BY id",
            &[&partner, &ClaimStatus::Active.as_i64()],
        )?
        .into_iter()
        .map(|row| row.get(0))
        .filter(|id| !keep.contains(id))
        .collect();
    let mut seq = current_seq(&mut tx)?;
    let now_ms = Utc::now().timestamp_millis();
    let update =
        tx.prepare("UPDATE claims SET status = $1, seq = $2, updated_ms = $3 WHERE id = $4")?;
    for id in &active {
        seq += 1;
        tx.execute(
            &update,
            &[&ClaimStatus::Retracted.as_i64(), &(seq as i64), &now_ms, id],
        )?;
    }
    if !active.is_empty() {
        notify(&mut tx, seq)?;
    }
    tx.commit()?;
    Ok(active)
}

fn get_in(tx: &mut Transaction<'_>, id: &str) -> Result<Option<Claim>> {
    let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = $1");
    tx.query_opt(&sql, &[&id])?
        .map(|row| claim_from_row(&row))
        .transpose()
}

pub(super) fn get(pool: &PgPool, id: &str) -> Result<Option<Claim>> {
    let mut conn = pool.get()?;
    let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = $1");
    conn.query_opt(&sql, &[&id])?
        .map(|row| claim_from_row(&row))
        .transpose()
}

pub(super) fn list(
    pool: &PgPool,
    filter: &ClaimFilter,
    after_id: &str,
    limit: usize,
) -> Result<Vec<Claim>> {
    let mut conn = pool.get()?;
    let sql = format!(
        "SELECT {CLAIM_COLUMNS} FROM claims
         WHERE id > $1
           AND ($2::TEXT IS NULL OR partner = $2)
           AND ($3::TEXT IS NULL OR language = $3)
           AND ($4 OR status = $5)
         ORDER BY id"
    );
    let active = ClaimStatus::Active.as_i64();
    // Streamed: a market filter may read past many rows to fill a page.
    let params: [&(dyn postgres::types::ToSql + Sync); 5] = [
        &after_id,
        &filter.partner,
        &filter.language,
        &filter.include_retracted,
        &active,
    ];
    let mut rows = conn.query_raw(&sql, params)?;
    let mut claims = Vec::with_capacity(limit.min(1024));
    while let Some(row) = rows.next()? {
        let claim = claim_from_row(&row)?;
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

pub(super) fn changes_since(pool: &PgPool, after_seq: u64, limit: usize) -> Result<Vec<Claim>> {
    let mut conn = pool.get()?;
    let sql = format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE seq > $1 ORDER BY seq LIMIT $2");
    conn.query(&sql, &[&(after_seq as i64), &(limit as i64)])?
        .iter()
        .map(claim_from_row)
        .collect()
}

//! Tokens and the audit trail in the shared PostgreSQL database. Token
//! changes are announced on `TOKENS_CHANNEL` so every replica re-reads its
//! copy at once.

use super::TokenInfo;
use super::{TokenTable, principal, token_info};
use crate::error::Result;
use crate::store::PgPool;
use crate::store::postgres::TOKENS_CHANNEL;

pub(super) fn load_tokens(pool: &PgPool) -> Result<TokenTable> {
    let mut conn = pool.get()?;
    let rows = conn.query(
        "SELECT name, roles, partner, hash, revoked_ms IS NOT NULL FROM tokens",
        &[],
    )?;
    let mut table = TokenTable {
        any: !rows.is_empty(),
        ..TokenTable::default()
    };
    for row in rows {
        let revoked: bool = row.get(4);
        if !revoked {
            let roles: &str = row.get(1);
            table
                .by_hash
                .insert(row.get(3), principal(row.get(0), roles, row.get(2)));
        }
    }
    Ok(table)
}

pub(super) fn insert_token(
    pool: &PgPool,
    name: &str,
    roles: &str,
    partner: Option<&str>,
    hash: &str,
) -> Result<i64> {
    let mut conn = pool.get()?;
    let mut tx = conn.transaction()?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO tokens (name, roles, partner, hash, created_ms)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &name,
                &roles,
                &partner,
                &hash,
                &chrono::Utc::now().timestamp_millis(),
            ],
        )?
        .get(0);
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&TOKENS_CHANNEL, &id.to_string()],
    )?;
    tx.commit()?;
    Ok(id)
}

pub(super) fn revoke_token(pool: &PgPool, id: i64) -> Result<usize> {
    let mut conn = pool.get()?;
    let mut tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE tokens SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL",
        &[&chrono::Utc::now().timestamp_millis(), &id],
    )?;
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&TOKENS_CHANNEL, &id.to_string()],
    )?;
    tx.commit()?;
    Ok(changed as usize)
}

pub(super) fn list_tokens(pool: &PgPool) -> Result<Vec<TokenInfo>> {
    let mut conn = pool.get()?;
    conn.query(
        "SELECT id, name, roles, partner, revoked_ms FROM tokens ORDER BY id",
        &[],
    )?
    .iter()
    .map(token_info)
    .collect()
}

pub(super) fn audit(pool: &PgPool, actor: &str, action: &str, detail: &str) -> Result<()> {
    let mut conn = pool.get()?;
    conn.execute(
        "INSERT INTO audit (at_ms, actor, action, detail) VALUES ($1, $2, $3, $4)",
        &[
            &chrono::Utc::now().timestamp_millis(),
            &actor,
            &action,
            &detail,
        ],
    )?;
    Ok(())
}

pub(super) fn audit_trail(
    pool: &PgPool,
    limit: usize,
) -> Result<Vec<(i64, String, String, String)>> {
    let mut conn = pool.get()?;
    Ok(conn
        .query(
            "SELECT at_ms, actor, action, detail FROM audit ORDER BY id DESC LIMIT $1",
            &[&(limit as i64)],
        )?
        .into_iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect())
}

//! The hit store in the shared PostgreSQL database.
//!
//! One writer thread per replica with its own connection, group commit as
//! with SQLite. Replicas logging the same (video, claim) at the same moment
//! meet in the `UNIQUE (video_id, claim_id)` constraint: `INSERT ... ON
//! CONFLICT DO UPDATE` merges them in the database, never a
//! check-then-insert race. Within a transaction hits are written in (video,
//! claim) order, so two replicas' groups lock rows in the same order and
//! cannot deadlock each other; a deadlock or serialization failure that
//! happens anyway is retried. A lost connection fails the pending writes
//! (UNAVAILABLE: nothing was acknowledged) and the writer reconnects with
//! back-off; callers are answered only after COMMIT returns.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::Instant;

use chrono::Utc;
use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

use crate::error::is_unavailable;
use crate::error::{Error, Result};
use crate::hits::model::{Hit, HitFilter, NewHit, Review};
use crate::hits::rows::{HIT_COLUMNS, hit_from_row, level_number, review_from_columns};
use crate::hits::writer::{Applied, Command, WriterHealth, answer, fail_all, next_group};
use crate::store::postgres::{Backoff, PgClient, is_retryable};
use crate::store::{Columns, PgPool, SqlValue};

/// Attempts of a group that PostgreSQL aborted to break a deadlock.
const MAX_ATTEMPTS: usize = 4;

pub(super) fn run_writer(pool: PgPool, commands_rx: mpsc::Receiver<Command>, health: WriterHealth) {
    let mut client: Option<PgClient> = None;
    let mut backoff = Backoff::default();
    let mut retry_at = Instant::now();
    while let Some(group) = next_group(&commands_rx) {
        health.took(&group);
        if client.is_none() {
            if Instant::now() < retry_at {
                fail_all(
                    group,
                    &Error::Unavailable("the database is unreachable; reconnecting".into()),
                );
                continue;
            }
            match pool.connect_dedicated() {
                Ok(connected) => {
                    tracing::info!("hit writer connected to the database");
                    client = Some(connected);
                    backoff.reset();
                }
                Err(err) => {
                    retry_at = Instant::now() + backoff.next_delay();
                    tracing::warn!(error = %err, "hit writer cannot reach the database");
                    fail_all(group, &err);
                    continue;
                }
            }
        }
        let Some(conn) = client.as_mut() else {
            continue;
        };
        let mut attempt = 1;
        let started = Instant::now();
        let outcome = loop {
            match apply_group(conn, &group) {
                Err(err) if is_retryable(&err) && attempt < MAX_ATTEMPTS => attempt += 1,
                other => break other,
            }
        };
        match outcome {
            Ok(results) => {
                health.committed(started.elapsed());
                health.set_ok();
                answer(group, results);
            }
            Err(err) => {
                health.set_failing(err.to_string());
                if is_unavailable(&err) {
                    tracing::warn!(error = %err, "hit writer lost the database connection");
                    client = None;
                    retry_at = Instant::now() + backoff.next_delay();
                } else {
                    tracing::error!(error = %err, "hit store write failed");
                }
                fail_all(group, &Error::from(err));
            }
        }
    }
}

fn clamp(n: u64) -> i64 {
    n.min(i64::MAX as u64) as i64
}

/// Upserts hits with distinct (video, claim) keys, in the order given, in
/// one statement; returns their ids in that order.
fn upsert(
    tx: &mut postgres::Transaction<'_>,
    hits: &[&NewHit],
    now_ms: i64,
) -> Result<Vec<u64>, postgres::Error> {
    let text = |f: fn(&NewHit) -> &str| hits.iter().map(|h| f(h)).collect::<Vec<&str>>();
    let int = |f: fn(&NewHit) -> i64| hits.iter().map(|h| f(h)).collect::<Vec<i64>>();
    let json = |f: fn(&NewHit) -> String| hits.iter().map(|h| f(h)).collect::<Vec<String>>();
    let confidences: Vec<f64> = hits.iter().map(|h| f64::from(h.confidence)).collect();
    let meanings: Vec<Option<f64>> = hits.iter().map(|h| h.meaning.map(f64::from)).collect();
    let rows = tx.query(
        "INSERT INTO hits (video_id, claim_id, partner, verdict, market, language, source,
            confidence, level, start_ms, end_ms, excerpt, observed_ms, first_logged_ms,
            last_seen_ms, times_seen, view_count, elections, also_claims, stance, topic,
            first_views, matched_terms, meaning)
         SELECT video_id, claim_id, partner, verdict, market, language, source,
            confidence, level, start_ms, end_ms, excerpt, observed_ms, $1, $1, 1,
            view_count, elections, also_claims, stance, topic, view_count, matched_terms, meaning
         FROM UNNEST($2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[],
                     $8::TEXT[], $9::FLOAT8[], $10::BIGINT[], $11::BIGINT[], $12::BIGINT[],
                     $13::TEXT[], $14::BIGINT[], $15::BIGINT[], $16::TEXT[], $17::TEXT[],
                     $18::TEXT[], $19::TEXT[], $20::TEXT[], $21::FLOAT8[])
            WITH ORDINALITY AS batch (video_id, claim_id, partner, verdict, market, language,
                source, confidence, level, start_ms, end_ms, excerpt, observed_ms, view_count,
                elections, also_claims, stance, topic, matched_terms, meaning, position)
         ORDER BY position
         ON CONFLICT (video_id, claim_id) DO UPDATE SET
            stance = CASE WHEN excluded.confidence > hits.confidence THEN excluded.stance ELSE hits.stance END,
            matched_terms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.matched_terms ELSE hits.matched_terms END,
            meaning = CASE WHEN excluded.confidence > hits.confidence THEN excluded.meaning ELSE hits.meaning END,
            start_ms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.start_ms ELSE hits.start_ms END,
            end_ms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.end_ms ELSE hits.end_ms END,
            excerpt = CASE WHEN excluded.confidence > hits.confidence THEN excluded.excerpt ELSE hits.excerpt END,
            confidence = GREATEST(hits.confidence, excluded.confidence),
            level = GREATEST(hits.level, excluded.level),
            observed_ms = LEAST(hits.observed_ms, excluded.observed_ms),
            last_seen_ms = excluded.last_seen_ms,
            times_seen = hits.times_seen + 1,
            view_count = GREATEST(hits.view_count, excluded.view_count),
            also_claims = excluded.also_claims,
            topic = excluded.topic
         RETURNING id, video_id, claim_id",
        &[
            &now_ms,
            &text(|h| &h.video_id),
            &text(|h| &h.claim_id),
            &text(|h| &h.partner),
            &text(|h| h.verdict.as_str()),
            &text(|h| &h.market),
            &text(|h| &h.language),
            &text(|h| h.source.as_str()),
            &confidences,
            &int(|h| level_number(h.level)),
            &int(|h| clamp(h.start_ms)),
            &int(|h| clamp(h.end_ms)),
            &text(|h| &h.excerpt),
            &int(|h| h.observed_at.timestamp_millis()),
            &int(|h| clamp(h.view_count)),
            &json(|h| serde_json::to_string(&h.elections).unwrap_or_else(|_| "[]".into())),
            &json(|h| serde_json::to_string(&h.also_claim_ids).unwrap_or_else(|_| "[]".into())),
            &text(|h| h.stance.as_str()),
            &text(|h| &h.topic),
            &json(|h| serde_json::to_string(&h.matched_terms).unwrap_or_else(|_| "[]".into())),
            &meanings,
        ],
    )?;
    // RETURNING promises no order: match rows to hits by their key. Every
    // input comes back (DO UPDATE returns the rows it updated too), so a
    // missing key cannot happen; 0 is never a stored id.
    let ids: HashMap<(&str, &str), u64> = rows
        .iter()
        .map(|row| ((row.get(1), row.get(2)), row.get::<_, i64>(0) as u64))
        .collect();
    Ok(hits
        .iter()
        .map(|h| {
            ids.get(&(h.video_id.as_str(), h.claim_id.as_str()))
                .copied()
                .unwrap_or_default()
        })
        .collect())
}

fn apply_group(client: &mut Client, group: &[Command]) -> Result<Vec<Applied>, postgres::Error> {
    let mut tx = client.transaction()?;
    let now_ms = Utc::now().timestamp_millis();
    // Every hit of the group, in (video, claim) order: the lock order.
    let mut order: Vec<(usize, usize)> = group
        .iter()
        .enumerate()
        .filter_map(|(c, command)| match command {
            Command::Log(hits, _) => Some((c, hits.len())),
            Command::Review(..) | Command::Retopic(..) => None,
        })
        .flat_map(|(c, len)| (0..len).map(move |h| (c, h)))
        .collect();
    let hit_at = |(c, h): (usize, usize)| match &group[c] {
        Command::Log(hits, _) => &hits[h],
        Command::Review(..) | Command::Retopic(..) => {
            unreachable!("only log commands are ordered")
        }
    };
    order.sort_by(|a, b| {
        let (a, b) = (hit_at(*a), hit_at(*b));
        (&a.video_id, &a.claim_id).cmp(&(&b.video_id, &b.claim_id))
    });
    let mut ids: Vec<Vec<u64>> = group
        .iter()
        .map(|command| match command {
            Command::Log(hits, _) => vec![0; hits.len()],
            Command::Review(..) | Command::Retopic(..) => Vec::new(),
        })
        .collect();
    // One statement per round; a round holds each (video, claim) at most
    // once (the same pair twice in one statement is an error in
    // PostgreSQL), so a pair logged k times in the group takes k rounds.
    let mut rounds: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut previous: Option<(&str, &str)> = None;
    let mut repeat = 0;
    for at in order {
        let hit = hit_at(at);
        let key = (hit.video_id.as_str(), hit.claim_id.as_str());
        repeat = if previous == Some(key) { repeat + 1 } else { 0 };
        previous = Some(key);
        if rounds.len() == repeat {
            rounds.push(Vec::new());
        }
        rounds[repeat].push(at);
    }
    for round in rounds {
        let hits: Vec<&NewHit> = round.iter().map(|&at| hit_at(at)).collect();
        let found = upsert(&mut tx, &hits, now_ms)?;
        for ((c, h), id) in round.into_iter().zip(found) {
            ids[c][h] = id;
        }
    }
    let mut results = Vec::with_capacity(group.len());
    for (command, ids) in group.iter().zip(ids) {
        match command {
            Command::Log(..) => results.push(Applied::Logged(ids)),
            Command::Retopic(topics, _) => {
                for (claim_id, topic) in topics {
                    tx.execute(
                        "UPDATE hits SET topic = $2 WHERE claim_id = $1",
                        &[claim_id, topic],
                    )?;
                }
                results.push(Applied::Reviewed(Ok(())));
            }
            Command::Review(review, _) => {
                let views = review.view_count.map(|v| v.min(i64::MAX as u64) as i64);
                let values: [&(dyn postgres::types::ToSql + Sync); 7] = [
                    &(review.hit_id as i64),
                    &review.outcome.as_str(),
                    &review.action.as_str(),
                    &review.reviewer,
                    &review.note,
                    &now_ms,
                    &views,
                ];
                let updated = tx.execute(
                    &format!(
                        "UPDATE hits SET {} WHERE id = $1",
                        crate::hits::writer::REVIEWED.replace('?', "$")
                    ),
                    &values,
                )?;
                if updated == 0 {
                    results.push(Applied::Reviewed(Err(Error::not_found(format!(
                        "hit {}",
                        review.hit_id
                    )))));
                    continue;
                }
                tx.execute(
                    "INSERT INTO reviews (hit_id, outcome, action, reviewer, note, reviewed_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                    &values[..6],
                )?;
                results.push(Applied::Reviewed(Ok(())));
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

pub(super) fn get(pool: &PgPool, id: u64) -> Result<Option<Hit>> {
    let mut conn = pool.get()?;
    let sql = format!("SELECT {HIT_COLUMNS} FROM hits WHERE id = $1");
    conn.query_opt(&sql, &[&(id as i64)])?
        .map(|row| hit_from_row(&row))
        .transpose()
}

pub(super) fn scan(
    pool: &PgPool,
    filter: &HitFilter,
    after_id: u64,
    mut visit: impl FnMut(Hit) -> bool,
) -> Result<()> {
    let mut conn = pool.get()?;
    let sql = format!(
        "SELECT {HIT_COLUMNS} FROM hits
         WHERE id > $1 AND observed_ms >= $2 AND observed_ms < $3
         ORDER BY id"
    );
    let from_ms = filter.from.map_or(i64::MIN, |at| at.timestamp_millis());
    let to_ms = filter.to.map_or(i64::MAX, |at| at.timestamp_millis());
    let params: [&(dyn postgres::types::ToSql + Sync); 3] = [&(after_id as i64), &from_ms, &to_ms];
    let mut rows = conn.query_raw(&sql, params)?;
    while let Some(row) = rows.next()? {
        let hit = hit_from_row(&row)?;
        if filter.accepts(&hit) && !visit(hit) {
            break;
        }
    }
    Ok(())
}

pub(super) fn review_history(pool: &PgPool, hit_id: u64) -> Result<Vec<Review>> {
    let mut conn = pool.get()?;
    let rows = conn.query(
        "SELECT outcome, action, reviewer, note, reviewed_ms FROM reviews WHERE hit_id = $1 ORDER BY id",
        &[&(hit_id as i64)],
    )?;
    let mut reviews = Vec::new();
    for row in &rows {
        reviews.extend(review_from_columns(row, 0)?);
    }
    Ok(reviews)
}

pub(super) fn for_each_row(
    pool: &PgPool,
    sql: &str,
    params: &[SqlValue],
    mut visit: impl FnMut(&dyn Columns) -> Result<()>,
) -> Result<()> {
    let mut conn = pool.get()?;
    let mut rows = conn.query_raw(sql, params)?;
    while let Some(row) = rows.next()? {
        visit(&row)?;
    }
    Ok(())
}

//! The hit log's writer thread: every write goes through it, in groups
//! committed in one transaction (and one fsync), each caller answered
//! once its group is durable. A failed group is retried by the next; the
//! writer's health is what health checks read.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::oneshot;

use super::model::NewHit;
use super::model::ReviewInput;
use super::rows::level_number;
use crate::error::{Error, Result};

/// Most requests folded into one transaction.
const MAX_GROUP: usize = 4096;

pub(super) enum Command {
    Log(Vec<NewHit>, oneshot::Sender<Result<Vec<u64>>>),
    Review(ReviewInput, oneshot::Sender<Result<()>>),
    /// Claims whose topic the partner changed: (claim id, new topic).
    Retopic(Vec<(String, String)>, oneshot::Sender<Result<()>>),
}

/// Takes the first pending command and every other one already waiting.
pub(super) fn next_group(commands_rx: &mpsc::Receiver<Command>) -> Option<Vec<Command>> {
    let first = commands_rx.recv().ok()?;
    Some(take_pending(first, commands_rx))
}

/// Returns `first` and every command already waiting behind it.
fn take_pending(first: Command, commands_rx: &mpsc::Receiver<Command>) -> Vec<Command> {
    let mut group = vec![first];
    while group.len() < MAX_GROUP {
        match commands_rx.try_recv() {
            Ok(command) => group.push(command),
            Err(_) => break,
        }
    }
    group
}

/// Answers each command of a committed group with its result.
pub(super) fn answer(group: Vec<Command>, results: Vec<Applied>) {
    for (command, result) in group.into_iter().zip(results) {
        match (command, result) {
            (Command::Log(_, done_tx), Applied::Logged(ids)) => {
                let _ = done_tx.send(Ok(ids));
            }
            (Command::Review(_, done_tx), Applied::Reviewed(result))
            | (Command::Retopic(_, done_tx), Applied::Reviewed(result)) => {
                let _ = done_tx.send(result);
            }
            (command, _) => fail(
                command,
                Error::Internal("hit writer result mismatch".into()),
            ),
        }
    }
}

/// How often a failing SQLite writer checks that the file takes writes
/// again when no write comes to check it.
const PROBE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

pub(super) fn run_writer(
    mut conn: Connection,
    commands_rx: mpsc::Receiver<Command>,
    health: WriterHealth,
) {
    loop {
        // While failing, wake up now and then to see whether writes work
        // again (disk space freed, lock released), so health recovers
        // without waiting for a caller to try.
        let group = if health.failing().is_some() {
            match commands_rx.recv_timeout(PROBE_EVERY) {
                Ok(first) => take_pending(first, &commands_rx),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if probe(&mut conn).is_ok() {
                        tracing::info!("hit store takes writes again");
                        health.set_ok();
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match next_group(&commands_rx) {
                Some(group) => group,
                None => return,
            }
        };
        // A failed transaction is rolled back whole (SQLite's own
        // guarantee), so the file stays as the last commit left it and the
        // next group may try again: the callers of this one are told to
        // retry, and health says the writer is failing until a commit works.
        health.took(&group);
        let started = std::time::Instant::now();
        match apply_group(&mut conn, &group) {
            Ok(results) => {
                health.committed(started.elapsed());
                health.set_ok();
                answer(group, results);
            }
            Err(err) => {
                tracing::error!(error = %err, "hit store write failed; callers told to retry");
                health.set_failing(err.to_string());
                fail_all(
                    group,
                    &Error::Unavailable(format!("hit store write failed, retry: {err}")),
                );
            }
        }
    }
}

/// Checks that the file takes a write transaction.
fn probe(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)?
        .commit()
}

/// The hit writer's state, shared with health checks and metrics: why
/// its last write failed (while writes fail), the commands waiting for
/// it, and the groups it committed and how long committing took.
#[derive(Clone, Default)]
pub struct WriterHealth(std::sync::Arc<WriterState>);

#[derive(Default)]
struct WriterState {
    failing: Mutex<Option<String>>,
    queued: AtomicI64,
    commits: AtomicU64,
    commit_nanos: AtomicU64,
}

/// What the hit writer did so far, for metrics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WriterStats {
    /// Writes waiting for the writer.
    pub queued: i64,
    /// Groups committed.
    pub commits: u64,
    /// Time spent committing them, in seconds.
    pub commit_seconds: f64,
}

impl WriterHealth {
    /// Returns why the last write failed, while writes fail.
    pub fn failing(&self) -> Option<String> {
        self.0.failing.lock().ok().and_then(|reason| reason.clone())
    }

    /// Returns what the writer did so far.
    pub fn stats(&self) -> WriterStats {
        WriterStats {
            queued: self.0.queued.load(Ordering::Relaxed),
            commits: self.0.commits.load(Ordering::Relaxed),
            commit_seconds: self.0.commit_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        }
    }

    pub(super) fn set_failing(&self, reason: String) {
        if let Ok(mut guard) = self.0.failing.lock() {
            *guard = Some(reason);
        }
    }

    pub(super) fn set_ok(&self) {
        if let Ok(mut guard) = self.0.failing.lock()
            && guard.is_some()
        {
            *guard = None;
        }
    }

    /// Counts a command handed to the writer.
    pub(super) fn queued(&self) {
        self.0.queued.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a group the writer took from the queue.
    pub(super) fn took(&self, group: &[Command]) {
        self.0
            .queued
            .fetch_sub(group.len() as i64, Ordering::Relaxed);
    }

    /// Counts a committed group and the time its commit took.
    pub(super) fn committed(&self, took: std::time::Duration) {
        self.0.commits.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.0.commit_nanos.fetch_add(nanos, Ordering::Relaxed);
    }
}

/// Fails every command of a group with the same error.
pub(super) fn fail_all(group: Vec<Command>, err: &Error) {
    for command in group {
        fail(command, copy_error(err));
    }
}

/// The same error for another caller (errors that carry a source are
/// passed on as their message).
fn copy_error(err: &Error) -> Error {
    match err {
        Error::Unavailable(reason) => Error::Unavailable(reason.clone()),
        Error::NotFound(what) => Error::NotFound(what.clone()),
        other => Error::Database(other.to_string()),
    }
}

fn fail(command: Command, err: Error) {
    match command {
        Command::Log(_, done_tx) => {
            let _ = done_tx.send(Err(err));
        }
        Command::Review(_, done_tx) | Command::Retopic(_, done_tx) => {
            let _ = done_tx.send(Err(err));
        }
    }
}

pub(super) enum Applied {
    Logged(Vec<u64>),
    /// A review or a change of topics.
    Reviewed(Result<()>),
}

/// What a review sets on its hit (parameters: id, outcome, action,
/// reviewer, note, reviewed_ms, views at review or NULL; both backends'
/// placeholders are `?n`/`$n` by position, so this is rewritten for
/// PostgreSQL). Right-hand sides read the row as it was before the
/// review: the first review's time is kept; an action's time and views
/// are those of the review that first recorded it, cleared when a later
/// review rejects the hit or takes the action back.
pub(super) const REVIEWED: &str = "outcome = ?2, action = ?3, reviewer = ?4, note = ?5, reviewed_ms = ?6,
    first_reviewed_ms = COALESCE(first_reviewed_ms, ?6),
    actioned_ms = CASE WHEN ?2 <> 'confirmed' OR ?3 = 'none' THEN NULL
        WHEN action = ?3 AND outcome = 'confirmed' AND actioned_ms IS NOT NULL THEN actioned_ms ELSE ?6 END,
    action_views = CASE WHEN ?2 <> 'confirmed' OR ?3 = 'none' THEN NULL
        WHEN action = ?3 AND outcome = 'confirmed' AND actioned_ms IS NOT NULL THEN action_views
        ELSE COALESCE(?7, view_count) END";

fn apply_group(conn: &mut Connection, group: &[Command]) -> rusqlite::Result<Vec<Applied>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let now_ms = Utc::now().timestamp_millis();
    let mut results = Vec::with_capacity(group.len());
    {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO hits (video_id, claim_id, partner, verdict, market, language, source,
                confidence, level, start_ms, end_ms, excerpt, observed_ms, first_logged_ms,
                last_seen_ms, times_seen, view_count, elections, also_claims, stance, topic, first_views,
                matched_terms, meaning)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, 1, ?15, ?16, ?17, ?18, ?19, ?15,
                ?20, ?21)
             ON CONFLICT (video_id, claim_id) DO UPDATE SET
                stance = CASE WHEN excluded.confidence > hits.confidence THEN excluded.stance ELSE hits.stance END,
                matched_terms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.matched_terms ELSE hits.matched_terms END,
                meaning = CASE WHEN excluded.confidence > hits.confidence THEN excluded.meaning ELSE hits.meaning END,
                start_ms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.start_ms ELSE hits.start_ms END,
                end_ms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.end_ms ELSE hits.end_ms END,
                excerpt = CASE WHEN excluded.confidence > hits.confidence THEN excluded.excerpt ELSE hits.excerpt END,
                confidence = MAX(hits.confidence, excluded.confidence),
                level = MAX(hits.level, excluded.level),
                observed_ms = MIN(hits.observed_ms, excluded.observed_ms),
                last_seen_ms = excluded.last_seen_ms,
                times_seen = hits.times_seen + 1,
                view_count = MAX(hits.view_count, excluded.view_count),
                also_claims = excluded.also_claims,
                topic = excluded.topic
             RETURNING id",
        )?;
        let mut exists = tx.prepare_cached("SELECT 1 FROM hits WHERE id = ?1")?;
        let mut insert_review = tx.prepare_cached(
            "INSERT INTO reviews (hit_id, outcome, action, reviewer, note, reviewed_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut retopic = tx.prepare_cached("UPDATE hits SET topic = ?2 WHERE claim_id = ?1")?;
        let mut set_latest =
            tx.prepare_cached(&format!("UPDATE hits SET {} WHERE id = ?1", REVIEWED))?;
        for command in group {
            match command {
                Command::Log(hits, _) => {
                    let mut ids = Vec::with_capacity(hits.len());
                    for hit in hits {
                        let elections =
                            serde_json::to_string(&hit.elections).unwrap_or_else(|_| "[]".into());
                        let also_claims = serde_json::to_string(&hit.also_claim_ids)
                            .unwrap_or_else(|_| "[]".into());
                        let matched_terms = serde_json::to_string(&hit.matched_terms)
                            .unwrap_or_else(|_| "[]".into());
                        let id: i64 = upsert.query_row(
                            params![
                                hit.video_id,
                                hit.claim_id,
                                hit.partner,
                                hit.verdict.as_str(),
                                hit.market,
                                hit.language,
                                hit.source.as_str(),
                                f64::from(hit.confidence),
                                level_number(hit.level),
                                hit.start_ms as i64,
                                hit.end_ms as i64,
                                hit.excerpt,
                                hit.observed_at.timestamp_millis(),
                                now_ms,
                                hit.view_count.min(i64::MAX as u64) as i64,
                                elections,
                                also_claims,
                                hit.stance.as_str(),
                                hit.topic,
                                matched_terms,
                                hit.meaning.map(f64::from),
                            ],
                            |row| row.get(0),
                        )?;
                        ids.push(id as u64);
                    }
                    results.push(Applied::Logged(ids));
                }
                Command::Review(review, _) => {
                    if exists
                        .query_row([review.hit_id as i64], |_| Ok(()))
                        .optional()?
                        .is_none()
                    {
                        results.push(Applied::Reviewed(Err(Error::not_found(format!(
                            "hit {}",
                            review.hit_id
                        )))));
                        continue;
                    }
                    let views = review.view_count.map(|v| v.min(i64::MAX as u64) as i64);
                    let values = params![
                        review.hit_id as i64,
                        review.outcome.as_str(),
                        review.action.as_str(),
                        review.reviewer,
                        review.note,
                        now_ms,
                        views,
                    ];
                    // The history row takes the first six; the hit all seven.
                    insert_review.execute(&values[..6])?;
                    set_latest.execute(values)?;
                    results.push(Applied::Reviewed(Ok(())));
                }
                Command::Retopic(topics, _) => {
                    for (claim_id, topic) in topics {
                        retopic.execute(params![claim_id, topic])?;
                    }
                    results.push(Applied::Reviewed(Ok(())));
                }
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

//! The hit store: SQLite in the data directory, or the shared PostgreSQL
//! (`store/postgres.rs` beside this file).
//!
//! Writes go through one writer thread that takes every pending request,
//! applies them in one transaction and commits once (group commit: one
//! fsync for many hits); each caller is answered only after that commit.
//! With SQLite, a failed commit poisons the writer: later writes fail
//! instead of carrying on over a file in an unknown state. With
//! PostgreSQL, a lost connection fails the pending writes (UNAVAILABLE) and
//! the writer reconnects with back-off. Reads use their own connection
//! (WAL lets them run beside the writer) or the pool.

mod postgres;

use std::path::Path;
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::oneshot;

use super::model::{Action, Hit, HitFilter, NewHit, Outcome, Review};
use crate::error::{Error, Result};
use crate::store::{Columns, Dialect, PgPool, SqlValue, migrate};
use crate::vocab::Verdict;
use crate::vocab::{ContentSource, Level, Stance};

/// Most requests folded into one transaction.
const MAX_GROUP: usize = 4096;

const HIT_COLUMNS: &str = "id, video_id, claim_id, partner, verdict, market, language, source, \
    confidence, level, start_ms, end_ms, excerpt, observed_ms, first_logged_ms, last_seen_ms, \
    times_seen, view_count, elections, outcome, action, reviewer, note, reviewed_ms, also_claims, \
    stance";

/// How far a committed batch of hits is pushed before callers are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Durability {
    /// fsync once per batch: an acknowledged hit survives `kill -9` and
    /// power loss. The default.
    #[default]
    FsyncPerBatch,
    /// Written to the OS before the answer, fsynced at WAL checkpoints:
    /// survives `kill -9`, not power loss. For replay and load tests.
    OsBuffered,
}

impl Durability {
    fn synchronous(self) -> &'static str {
        match self {
            Durability::FsyncPerBatch => "FULL",
            Durability::OsBuffered => "NORMAL",
        }
    }
}

/// A review to record.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    /// The hit reviewed.
    pub hit_id: u64,
    /// Confirmed or rejected.
    pub outcome: Outcome,
    /// What was done to the video.
    pub action: Action,
    /// Who reviewed.
    pub reviewer: String,
    /// Free text.
    pub note: String,
}

enum Command {
    Log(Vec<NewHit>, oneshot::Sender<Result<Vec<u64>>>),
    Review(ReviewInput, oneshot::Sender<Result<()>>),
}

/// The hit store.
pub struct HitStore {
    commands_tx: Mutex<Option<mpsc::Sender<Command>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    health: WriterHealth,
    reader: Reader,
}

enum Reader {
    Sqlite(Mutex<Connection>),
    Postgres(PgPool),
}

impl HitStore {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, Durability::default())
    }

    /// Opens the store at `path` with an explicit durability policy.
    pub fn open_with(path: &Path, durability: Durability) -> Result<Self> {
        let writer = open_connection(Connection::open(path)?)?;
        writer.pragma_update(None, "synchronous", durability.synchronous())?;
        let reader = open_connection(Connection::open(path)?)?;
        // Reports read whole periods: map the file rather than copy it page
        // by page through a small cache.
        reader.pragma_update(None, "mmap_size", 4i64 << 30)?;
        reader.pragma_update(None, "cache_size", -65_536)?;
        Self::start(
            move |commands_rx, health| run_writer(writer, commands_rx, health),
            Reader::Sqlite(Mutex::new(reader)),
        )
    }

    /// Uses the shared PostgreSQL database (migrated by `PgPool::connect`):
    /// the writer holds a connection of its own, reads use the pool.
    pub fn postgres(pool: PgPool) -> Result<Self> {
        let writer_pool = pool.clone();
        Self::start(
            move |commands_rx, health| postgres::run_writer(writer_pool, commands_rx, health),
            Reader::Postgres(pool),
        )
    }

    /// Opens a store in a fresh file under `dir` for tests and `eval`.
    pub fn open_in(dir: &Path) -> Result<Self> {
        Self::open(&dir.join("hits.db"))
    }

    fn start(
        writer: impl FnOnce(mpsc::Receiver<Command>, WriterHealth) + Send + 'static,
        reader: Reader,
    ) -> Result<Self> {
        let (commands_tx, commands_rx) = mpsc::channel();
        let health = WriterHealth::default();
        let writer_health = health.clone();
        let writer = std::thread::Builder::new()
            .name("hit-writer".into())
            .spawn(move || writer(commands_rx, writer_health))?;
        Ok(HitStore {
            commands_tx: Mutex::new(Some(commands_tx)),
            writer: Mutex::new(Some(writer)),
            health,
            reader,
        })
    }

    /// Returns why the last write failed while writes are failing (health
    /// reports NOT_SERVING then); `None` once a write commits again.
    pub fn write_failure(&self) -> Option<String> {
        self.health.failing()
    }

    /// Returns a handle on the writer's health that outlives no store.
    pub fn writer_health(&self) -> WriterHealth {
        self.health.clone()
    }

    fn send(&self, command: Command) -> Result<()> {
        let guard = self
            .commands_tx
            .lock()
            .map_err(|_| Error::Internal("hit store lock poisoned".into()))?;
        let commands_tx = guard
            .as_ref()
            .ok_or_else(|| Error::Unavailable("the hit store is closed".into()))?;
        commands_tx
            .send(command)
            .map_err(|_| Error::Unavailable("the hit writer stopped".into()))
    }

    /// Logs hits durably; returns their ids in order once committed. The
    /// same (video, claim) pair always gets the same id.
    pub async fn log(&self, hits: Vec<NewHit>) -> Result<Vec<u64>> {
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        let (done_tx, done_rx) = oneshot::channel();
        self.send(Command::Log(hits, done_tx))?;
        done_rx
            .await
            .map_err(|_| Error::Unavailable("the hit writer stopped before committing".into()))?
    }

    /// Records a review durably and returns the hit with it.
    pub async fn review(&self, review: ReviewInput) -> Result<()> {
        let (done_tx, done_rx) = oneshot::channel();
        self.send(Command::Review(review, done_tx))?;
        done_rx
            .await
            .map_err(|_| Error::Unavailable("the hit writer stopped before committing".into()))?
    }

    /// Stops accepting writes, commits what is pending and stops the writer.
    pub fn close(&self) {
        if let Ok(mut guard) = self.commands_tx.lock() {
            guard.take();
        }
        let handle = self.writer.lock().ok().and_then(|mut guard| guard.take());
        if let Some(handle) = handle
            && handle.join().is_err()
        {
            tracing::error!("hit writer thread panicked");
        }
    }

    /// Returns one hit. Blocking.
    pub fn get(&self, id: u64) -> Result<Option<Hit>> {
        if let Reader::Postgres(pool) = &self.reader {
            return postgres::get(pool, id);
        }
        let conn = self.lock_reader()?;
        let sql = format!("SELECT {HIT_COLUMNS} FROM hits WHERE id = ?1");
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id as i64])?;
        rows.next()?.map(hit_from_row).transpose()
    }

    /// Returns up to `limit` hits passing `filter` with ids above
    /// `after_id`, in id order. Blocking.
    pub fn list(&self, filter: &HitFilter, after_id: u64, limit: usize) -> Result<Vec<Hit>> {
        let mut hits = Vec::with_capacity(limit.min(1024));
        self.scan(filter, after_id, |hit| {
            hits.push(hit);
            hits.len() < limit
        })?;
        Ok(hits)
    }

    /// Calls `visit` for each hit passing `filter` with id above
    /// `after_id`, in id order, until it returns false. Blocking; memory
    /// stays flat however many hits there are.
    pub fn scan(
        &self,
        filter: &HitFilter,
        after_id: u64,
        mut visit: impl FnMut(Hit) -> bool,
    ) -> Result<()> {
        if let Reader::Postgres(pool) = &self.reader {
            return postgres::scan(pool, filter, after_id, visit);
        }
        let conn = self.lock_reader()?;
        let sql = format!(
            "SELECT {HIT_COLUMNS} FROM hits
             WHERE id > ?1 AND observed_ms >= ?2 AND observed_ms < ?3
             ORDER BY id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let from_ms = filter.from.map_or(i64::MIN, |at| at.timestamp_millis());
        let to_ms = filter.to.map_or(i64::MAX, |at| at.timestamp_millis());
        let mut rows = stmt.query(params![after_id as i64, from_ms, to_ms])?;
        while let Some(row) = rows.next()? {
            let hit = hit_from_row(row)?;
            if filter.accepts(&hit) && !visit(hit) {
                break;
            }
        }
        Ok(())
    }

    /// Returns a hit's review history, oldest first. Blocking.
    pub fn review_history(&self, hit_id: u64) -> Result<Vec<Review>> {
        if let Reader::Postgres(pool) = &self.reader {
            return postgres::review_history(pool, hit_id);
        }
        let conn = self.lock_reader()?;
        let mut stmt = conn.prepare_cached(
            "SELECT outcome, action, reviewer, note, reviewed_ms FROM reviews WHERE hit_id = ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([hit_id as i64])?;
        let mut reviews = Vec::new();
        while let Some(row) = rows.next()? {
            reviews.extend(review_from_columns(row, 0)?);
        }
        Ok(reviews)
    }

    /// The SQL dialect of the backend.
    pub(super) fn dialect(&self) -> Dialect {
        match self.reader {
            Reader::Sqlite(_) => Dialect::Sqlite,
            Reader::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs a read-only query written in `dialect()` and calls `visit` for
    /// each row as it is read (memory stays flat). Blocking.
    pub(super) fn for_each_row(
        &self,
        sql: &str,
        params: &[SqlValue],
        mut visit: impl FnMut(&dyn Columns) -> Result<()>,
    ) -> Result<()> {
        if let Reader::Postgres(pool) = &self.reader {
            return postgres::for_each_row(pool, sql, params, visit);
        }
        let conn = self.lock_reader()?;
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(row) = rows.next()? {
            visit(row)?;
        }
        Ok(())
    }

    fn lock_reader(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        match &self.reader {
            Reader::Sqlite(conn) => conn
                .lock()
                .map_err(|_| Error::Internal("hit store reader lock poisoned".into())),
            Reader::Postgres(_) => Err(Error::Internal("not a SQLite hit store".into())),
        }
    }
}

impl Drop for HitStore {
    fn drop(&mut self) {
        self.close();
    }
}

fn open_connection(mut conn: Connection) -> Result<Connection> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: every commit is fsynced, so an acknowledged hit survives kill -9
    // and power loss.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrate::sqlite(&mut conn, "hits.db", migrate::SQLITE_HITS)?;
    Ok(conn)
}

/// Takes the first pending command and every other one already waiting.
fn next_group(commands_rx: &mpsc::Receiver<Command>) -> Option<Vec<Command>> {
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
fn answer(group: Vec<Command>, results: Vec<Applied>) {
    for (command, result) in group.into_iter().zip(results) {
        match (command, result) {
            (Command::Log(_, done_tx), Applied::Logged(ids)) => {
                let _ = done_tx.send(Ok(ids));
            }
            (Command::Review(_, done_tx), Applied::Reviewed(result)) => {
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

fn run_writer(mut conn: Connection, commands_rx: mpsc::Receiver<Command>, health: WriterHealth) {
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
        match apply_group(&mut conn, &group) {
            Ok(results) => {
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

/// Whether the hit writer's last write failed, shared with health checks.
#[derive(Clone, Default)]
pub struct WriterHealth(std::sync::Arc<Mutex<Option<String>>>);

impl WriterHealth {
    /// Returns why the last write failed, while writes fail.
    pub fn failing(&self) -> Option<String> {
        self.0.lock().ok().and_then(|reason| reason.clone())
    }

    pub(super) fn set_failing(&self, reason: String) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some(reason);
        }
    }

    pub(super) fn set_ok(&self) {
        if let Ok(mut guard) = self.0.lock()
            && guard.is_some()
        {
            *guard = None;
        }
    }
}

/// Fails every command of a group with the same error.
fn fail_all(group: Vec<Command>, err: &Error) {
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
        Command::Review(_, done_tx) => {
            let _ = done_tx.send(Err(err));
        }
    }
}

enum Applied {
    Logged(Vec<u64>),
    Reviewed(Result<()>),
}

fn apply_group(conn: &mut Connection, group: &[Command]) -> rusqlite::Result<Vec<Applied>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let now_ms = Utc::now().timestamp_millis();
    let mut results = Vec::with_capacity(group.len());
    {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO hits (video_id, claim_id, partner, verdict, market, language, source,
                confidence, level, start_ms, end_ms, excerpt, observed_ms, first_logged_ms,
                last_seen_ms, times_seen, view_count, elections, also_claims, stance)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, 1, ?15, ?16, ?17, ?18)
             ON CONFLICT (video_id, claim_id) DO UPDATE SET
                stance = CASE WHEN excluded.confidence > hits.confidence THEN excluded.stance ELSE hits.stance END,
                start_ms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.start_ms ELSE hits.start_ms END,
                end_ms = CASE WHEN excluded.confidence > hits.confidence THEN excluded.end_ms ELSE hits.end_ms END,
                excerpt = CASE WHEN excluded.confidence > hits.confidence THEN excluded.excerpt ELSE hits.excerpt END,
                confidence = MAX(hits.confidence, excluded.confidence),
                level = MAX(hits.level, excluded.level),
                observed_ms = MIN(hits.observed_ms, excluded.observed_ms),
                last_seen_ms = excluded.last_seen_ms,
                times_seen = hits.times_seen + 1,
                view_count = MAX(hits.view_count, excluded.view_count),
                also_claims = excluded.also_claims
             RETURNING id",
        )?;
        let mut exists = tx.prepare_cached("SELECT 1 FROM hits WHERE id = ?1")?;
        let mut insert_review = tx.prepare_cached(
            "INSERT INTO reviews (hit_id, outcome, action, reviewer, note, reviewed_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut set_latest = tx.prepare_cached(
            "UPDATE hits SET outcome = ?2, action = ?3, reviewer = ?4, note = ?5, reviewed_ms = ?6 WHERE id = ?1",
        )?;
        for command in group {
            match command {
                Command::Log(hits, _) => {
                    let mut ids = Vec::with_capacity(hits.len());
                    for hit in hits {
                        let elections =
                            serde_json::to_string(&hit.elections).unwrap_or_else(|_| "[]".into());
                        let also_claims = serde_json::to_string(&hit.also_claim_ids)
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
                    let values = params![
                        review.hit_id as i64,
                        review.outcome.as_str(),
                        review.action.as_str(),
                        review.reviewer,
                        review.note,
                        now_ms,
                    ];
                    insert_review.execute(values)?;
                    set_latest.execute(values)?;
                    results.push(Applied::Reviewed(Ok(())));
                }
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

pub(super) fn level_number(level: Level) -> i64 {
    match level {
        Level::None => 0,
        Level::Review => 1,
        Level::Auto => 2,
    }
}

pub(super) fn level_from_number(level: i64) -> Level {
    match level {
        2 => Level::Auto,
        1 => Level::Review,
        _ => Level::None,
    }
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Decodes `outcome, action, reviewer, note, reviewed_ms` starting at
/// column `at`; None when the hit has no review.
fn review_from_columns(row: &impl Columns, at: usize) -> Result<Option<Review>> {
    let outcome = row.opt_text(at)?.and_then(Outcome::from_name);
    let (Some(outcome), Some(reviewed_ms)) = (outcome, row.opt_int(at + 4)?) else {
        return Ok(None);
    };
    Ok(Some(Review {
        outcome,
        action: row
            .opt_text(at + 1)?
            .and_then(Action::from_name)
            .unwrap_or_default(),
        reviewer: row.opt_text(at + 2)?.unwrap_or_default().to_string(),
        note: row.opt_text(at + 3)?.unwrap_or_default().to_string(),
        reviewed_at: millis(reviewed_ms),
    }))
}

/// Decodes the `HIT_COLUMNS` of a row from either backend.
fn hit_from_row(row: &impl Columns) -> Result<Hit> {
    Ok(Hit {
        id: row.int(0)? as u64,
        hit: NewHit {
            video_id: row.text(1)?.to_string(),
            claim_id: row.text(2)?.to_string(),
            partner: row.text(3)?.to_string(),
            verdict: Verdict::from_name(row.text(4)?).unwrap_or_default(),
            market: row.text(5)?.to_string(),
            language: row.text(6)?.to_string(),
            source: ContentSource::from_name(row.text(7)?).unwrap_or_default(),
            confidence: row.float(8)? as f32,
            level: level_from_number(row.int(9)?),
            start_ms: row.int(10)? as u64,
            end_ms: row.int(11)? as u64,
            excerpt: row.text(12)?.to_string(),
            observed_at: millis(row.int(13)?),
            view_count: row.int(17)? as u64,
            elections: serde_json::from_str(row.text(18)?).unwrap_or_default(),
            also_claim_ids: serde_json::from_str(row.text(24)?).unwrap_or_default(),
            stance: Stance::from_name(row.text(25)?).unwrap_or_default(),
        },
        first_logged_at: millis(row.int(14)?),
        last_seen_at: millis(row.int(15)?),
        times_seen: row.int(16)? as u64,
        review: review_from_columns(row, 19)?,
    })
}

#[cfg(test)]
mod tests;

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

use rusqlite::{Connection, params};
use tokio::sync::oneshot;

use super::model::{Hit, HitFilter, NewHit, Review, ReviewInput};
use super::rows::{HIT_COLUMNS, hit_from_row, review_from_columns};
use super::scans::{ScanCount, ScanStore, Scans, scanned_sql};
use super::writer::{Command, WriterHealth, run_writer};
use crate::error::{Error, Result};
use crate::store::{Columns, Dialect, PgPool, SqlValue, migrate};

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
    pub(crate) fn synchronous(self) -> &'static str {
        match self {
            Durability::FsyncPerBatch => "FULL",
            Durability::OsBuffered => "NORMAL",
        }
    }
}

/// The hit store.
pub struct HitStore {
    commands_tx: Mutex<Option<mpsc::Sender<Command>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    health: WriterHealth,
    reader: Reader,
    scans: Scans,
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
            ScanStore::Sqlite(path.to_path_buf()),
        )
    }

    /// Uses the shared PostgreSQL database (migrated by `PgPool::connect`):
    /// the writer holds a connection of its own, reads use the pool.
    pub fn postgres(pool: PgPool) -> Result<Self> {
        let writer_pool = pool.clone();
        let scans = ScanStore::Postgres(pool.clone());
        Self::start(
            move |commands_rx, health| postgres::run_writer(writer_pool, commands_rx, health),
            Reader::Postgres(pool),
            scans,
        )
    }

    /// Opens a store in a fresh file under `dir` for tests and `eval`.
    pub fn open_in(dir: &Path) -> Result<Self> {
        Self::open(&dir.join("hits.db"))
    }

    fn start(
        writer: impl FnOnce(mpsc::Receiver<Command>, WriterHealth) + Send + 'static,
        reader: Reader,
        scans: ScanStore,
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
            scans: Scans::start(scans)?,
        })
    }

    /// Counts one scanned video (see `scans.rs`): a report's denominator.
    pub fn count_scan(
        &self,
        observed_at: chrono::DateTime<chrono::Utc>,
        market: &str,
        source: crate::vocab::ContentSource,
        language: &str,
    ) {
        self.scans.count(observed_at, market, source, language);
    }

    /// Returns the scan counters in `filter`'s period (whole days),
    /// markets, sources and languages. Blocking.
    pub fn scan_counts(&self, filter: &HitFilter) -> Result<Vec<ScanCount>> {
        self.scans.flush_now()?;
        let (sql, params) = scanned_sql(filter, self.dialect());
        let mut counts = Vec::new();
        self.for_each_row(&sql, &params, |row| {
            counts.push(ScanCount {
                day: row.text(0)?.to_string(),
                market: row.text(1)?.to_string(),
                source: row.text(2)?.to_string(),
                language: row.text(3)?.to_string(),
                videos: row.int(4)?.max(0) as u64,
            });
            Ok(())
        })?;
        Ok(counts)
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
            .map_err(|_| Error::Unavailable("the hit writer stopped".into()))?;
        self.health.queued();
        Ok(())
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

    /// Sets the topic of every hit of each claim, durably: the partner
    /// changed the claims' topics.
    pub async fn retopic(&self, topics: Vec<(String, String)>) -> Result<()> {
        if topics.is_empty() {
            return Ok(());
        }
        let (done_tx, done_rx) = oneshot::channel();
        self.send(Command::Retopic(topics, done_tx))?;
        done_rx
            .await
            .map_err(|_| Error::Unavailable("the hit writer stopped before committing".into()))?
    }

    /// Stops accepting writes, commits what is pending and stops the writer.
    pub fn close(&self) {
        self.scans.close();
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

    /// Returns a hit's review history, oldest first (a hit carries its
    /// latest review). Blocking.
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

#[cfg(test)]
mod tests;

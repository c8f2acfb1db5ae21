//! Videos scanned: every scored video counted per day, market, source and
//! language, so a report can say how many videos were matched out of how
//! many were looked at. Counters, not rows: counts gather in memory and a
//! thread adds them to the store once a second (and when the store
//! closes), in one small transaction of its own beside the hit writer.
//! A crash loses at most the last second's counts; hits are never in it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::model::HitFilter;
use crate::error::{Error, Result};
use crate::store::PgPool;
use crate::vocab::ContentSource;

/// How often counts reach the store.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// What one count is kept under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ScanKey {
    day: String,
    market: String,
    source: String,
    language: String,
}

/// Where the counts are written.
#[derive(Clone)]
pub(super) enum ScanStore {
    Sqlite(PathBuf),
    Postgres(PgPool),
}

type Pending = Arc<Mutex<HashMap<ScanKey, u64>>>;

/// The counter of scanned videos and its flushing thread.
pub(super) struct Scans {
    store: ScanStore,
    pending: Pending,
    /// Held for the whole of a flush (taking the counts and writing them):
    /// a reader's `flush_now` then waits for counts the thread has taken
    /// and not yet written, instead of reading the store without them.
    writing: Arc<Mutex<()>>,
    stop_tx: Mutex<Option<mpsc::Sender<()>>>,
    flusher: Mutex<Option<JoinHandle<()>>>,
}

impl Scans {
    /// Starts counting into `store`.
    pub(super) fn start(store: ScanStore) -> Result<Self> {
        let pending: Pending = Arc::default();
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let flushed = pending.clone();
        let target = store.clone();
        let writing: Arc<Mutex<()>> = Arc::default();
        let writer = writing.clone();
        let flusher = std::thread::Builder::new()
            .name("scan-counter".into())
            .spawn(move || {
                let mut conn = None;
                loop {
                    let stopping = !matches!(
                        stop_rx.recv_timeout(FLUSH_EVERY),
                        Err(mpsc::RecvTimeoutError::Timeout)
                    );
                    let written = {
                        let _writing = writer.lock();
                        flush(&target, &flushed, &mut conn)
                    };
                    if let Err(err) = written {
                        tracing::warn!(error = %err, "scanned-video counts not written; kept for the next try");
                    }
                    if stopping {
                        return;
                    }
                }
            })?;
        Ok(Scans {
            store,
            pending,
            writing,
            stop_tx: Mutex::new(Some(stop_tx)),
            flusher: Mutex::new(Some(flusher)),
        })
    }

    /// Counts one scanned video.
    pub(super) fn count(
        &self,
        observed_at: DateTime<Utc>,
        market: &str,
        source: ContentSource,
        language: &str,
    ) {
        let key = ScanKey {
            day: observed_at.format("%Y-%m-%d").to_string(),
            market: market.to_string(),
            source: source.as_str().to_string(),
            language: language.to_string(),
        };
        if let Ok(mut pending) = self.pending.lock() {
            *pending.entry(key).or_default() += 1;
        }
    }

    /// Writes what is pending now, from the calling thread (a report
    /// counts every video scored before it was asked for). Blocking.
    pub(super) fn flush_now(&self) -> Result<()> {
        let _writing = self.writing.lock();
        flush(&self.store, &self.pending, &mut None)
    }

    /// Writes what is pending and stops the thread.
    pub(super) fn close(&self) {
        if let Ok(mut stop) = self.stop_tx.lock() {
            stop.take();
        }
        let flusher = self.flusher.lock().ok().and_then(|mut f| f.take());
        if let Some(flusher) = flusher
            && flusher.join().is_err()
        {
            tracing::error!("scan counter thread panicked");
        }
    }
}

impl Drop for Scans {
    fn drop(&mut self) {
        self.close();
    }
}

/// Adds the pending counts to the store; on failure they go back to
/// pending for the next try.
fn flush(store: &ScanStore, pending: &Pending, conn: &mut Option<Connection>) -> Result<()> {
    let counts = match pending.lock() {
        Ok(mut pending) if !pending.is_empty() => std::mem::take(&mut *pending),
        _ => return Ok(()),
    };
    let written = match store {
        ScanStore::Sqlite(path) => write_sqlite(path, conn, &counts),
        ScanStore::Postgres(pool) => write_postgres(pool, &counts),
    };
    if written.is_err()
        && let Ok(mut pending) = pending.lock()
    {
        for (key, n) in counts {
            *pending.entry(key).or_default() += n;
        }
    }
    written
}

fn write_sqlite(
    path: &std::path::Path,
    conn: &mut Option<Connection>,
    counts: &HashMap<ScanKey, u64>,
) -> Result<()> {
    if conn.is_none() {
        let opened = Connection::open(path)?;
        opened.busy_timeout(Duration::from_secs(5))?;
        *conn = Some(opened);
    }
    let conn = conn
        .as_mut()
        .ok_or_else(|| Error::Internal("no scan connection".into()))?;
    let tx = conn.transaction()?;
    {
        let mut add = tx.prepare_cached(
            "INSERT INTO scans (day, market, source, language, videos) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (day, market, source, language) DO UPDATE SET videos = scans.videos + excluded.videos",
        )?;
        for (key, n) in counts {
            add.execute(params![
                key.day,
                key.market,
                key.source,
                key.language,
                *n as i64
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn write_postgres(pool: &PgPool, counts: &HashMap<ScanKey, u64>) -> Result<()> {
    let mut client = pool.get()?;
    let mut tx = client.transaction()?;
    for (key, n) in counts {
        tx.execute(
            "INSERT INTO scans (day, market, source, language, videos) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (day, market, source, language) DO UPDATE SET videos = scans.videos + excluded.videos",
            &[&key.day, &key.market, &key.source, &key.language, &(*n as i64)],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Videos scanned on one day in one market, source and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Market code.
    pub market: String,
    /// Content source, by name.
    pub source: String,
    /// Content language.
    pub language: String,
    /// Videos scanned.
    pub videos: u64,
}

/// The SQL and parameters reading the scan counters in a filter's period
/// (whole days), markets, sources and languages: the dimensions a scan is
/// counted by. The hit filter's other dimensions (partner, verdict,
/// outcome...) say nothing of videos that matched nothing.
pub(super) fn scanned_sql(
    filter: &HitFilter,
    dialect: crate::store::Dialect,
) -> (String, Vec<crate::store::SqlValue>) {
    use crate::store::SqlValue;
    let day = |at: Option<DateTime<Utc>>, default: &str| {
        at.map_or_else(
            || default.to_string(),
            |at| at.format("%Y-%m-%d").to_string(),
        )
    };
    let mut params = vec![
        SqlValue::Text(day(filter.from, "0000-01-01")),
        SqlValue::Text(day(filter.to, "9999-12-31")),
    ];
    let mut sql = format!(
        "SELECT day, market, source, language, videos FROM scans WHERE day >= {} AND day < {}",
        dialect.placeholder(1),
        dialect.placeholder(2)
    );
    let sources: Vec<String> = filter
        .sources
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    for (column, values) in [
        ("market", &filter.markets),
        ("source", &sources),
        ("language", &filter.languages),
    ] {
        if values.is_empty() {
            continue;
        }
        let marks: Vec<String> = (0..values.len())
            .map(|i| dialect.placeholder(params.len() + i + 1))
            .collect();
        sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
        params.extend(values.iter().map(|v| SqlValue::Text(v.clone())));
    }
    (sql, params)
}

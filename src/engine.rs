//! The engine: the claim store, the index that follows it, matching and
//! the hit log, behind async methods that keep blocking work off the
//! runtime. The gRPC adapters and the CLI both drive it.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use crate::auth::{Auth, RateLimiter};
use crate::claims::load::{
    LoadDefaults, LoadOptions, LoadReport, ParsedClaim, RecordOutcome, RecordStatus, Rejection,
    WriteStatus,
};
use crate::claims::{Claim, ClaimFilter, ClaimFormat, ClaimStore};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::hits::{Hit, HitFilter, HitStore, NewHit, ReviewInput};
use crate::index::ClaimIndex;
use crate::matcher::{Level, Matcher, ScoreInput, ScoreOutcome};
use crate::report::{GroupBy, Summary, summarize};
use crate::store::postgres::{Backoff, CLAIMS_CHANNEL, TOKENS_CHANNEL};
use crate::store::{PgPool, StoreUrl};

/// Claims written to the store per transaction during a load.
const LOAD_BATCH: usize = 10_000;

/// With a shared store, how long the follower waits for a notification
/// before it checks for changes anyway (a notification sent while it was
/// reconnecting is never delivered; the check finds the change).
const FOLLOW_POLL: Duration = Duration::from_millis(500);

/// Content up to this many bytes (a post, a title, a few caption lines:
/// one or two windows) against an index of up to `INLINE_MAX_CLAIMS`
/// claims takes a fraction of a millisecond to score, and is scored on the
/// runtime thread that received it: handing it to the scoring pool and
/// back would cost two thread wake-ups, as much as the scoring. Longer
/// content (a transcript), or any content against a larger index (a post
/// against a million claims takes milliseconds), goes to the pool, so it
/// never holds up the runtime's other calls.
const INLINE_SCORE_BYTES: usize = 1_024;
const INLINE_MAX_CLAIMS: u64 = 200_000;

/// What health checks look at: the hit log's writer and the shared store.
pub struct HealthProbe {
    hits: crate::hits::WriterHealth,
    pool: Option<PgPool>,
}

impl HealthProbe {
    /// Returns why the engine cannot serve now (the hit log refuses
    /// writes, the shared store does not answer), or `None`. Blocking.
    pub fn problem(&self) -> Option<String> {
        if let Some(failure) = self.hits.failing() {
            return Some(format!("the hit log refuses writes: {failure}"));
        }
        match &self.pool {
            Some(pool) if !pool.reachable() => Some("the shared store is unreachable".into()),
            _ => None,
        }
    }
}

/// A scored request, with the hit id of each logged match.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The matches, best first.
    pub outcome: ScoreOutcome,
    /// Per match, its hit id when it was logged.
    pub hit_ids: Vec<Option<u64>>,
}

/// The service's state.
pub struct Engine {
    claims: ClaimStore,
    index: ClaimIndex,
    hits: HitStore,
    auth: Auth,
    rate: RateLimiter,
    matcher: Matcher,
    /// Runs scoring, one thread per core (see `MatchConfig::threads`).
    scoring: rayon::ThreadPool,
    config: Config,
    /// Set when the engine closes: the follower thread stops.
    closing: AtomicBool,
    /// The follower thread, joined on close.
    follower: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Held for the engine's life: one process per data directory.
    _dir_lock: File,
    /// Held for the engine's life when the SQLite stores live in another
    /// directory: one process per store too.
    _store_lock: Option<File>,
}

/// Opens the three stores where `url` says.
fn open_stores(url: &StoreUrl, config: &Config) -> Result<(ClaimStore, HitStore, Auth)> {
    match url {
        StoreUrl::Sqlite(dir) => {
            std::fs::create_dir_all(dir)?;
            Ok((
                ClaimStore::open(&dir.join("claims.db"))?,
                HitStore::open_with(&dir.join("hits.db"), config.hits.durability)?,
                Auth::open(&dir.join("claims.db"))?,
            ))
        }
        StoreUrl::Postgres(url) => {
            let pool = PgPool::connect(url, config.store.max_connections)?;
            Ok((
                ClaimStore::postgres(pool.clone()),
                HitStore::postgres(pool.clone())?,
                Auth::postgres(pool)?,
            ))
        }
    }
}

impl Engine {
    /// Opens the data directory of `config`, creating it if needed: locks
    /// it, opens both stores and brings the index up to date. Blocking.
    pub fn open(config: Config) -> Result<Self> {
        config.validate()?;
        let dir = config.data_dir.clone();
        std::fs::create_dir_all(&dir)?;
        let dir_lock = lock_data_dir(&dir)?;
        let store = config.store_url()?;
        let store_lock = lock_store(&store, &dir)?;
        let (claims, hits, auth) = open_stores(&store, &config)?;
        let index = ClaimIndex::open(&dir.join("claims"), &claims)?;
        tracing::info!(
            data_dir = %dir.display(),
            store = %store.redacted(),
            sequence = index.applied_sequence(),
            claims = index.searcher().num_docs(),
            "data directory open"
        );
        let rate = RateLimiter::new(config.limits.rate_per_token, config.limits.rate_burst);
        let scoring = rayon::ThreadPoolBuilder::new()
            .num_threads(config.matching.threads)
            .thread_name(|i| format!("claimsignal-score-{i}"))
            .build()
            .map_err(|err| Error::Internal(format!("cannot start scoring threads: {err}")))?;
        Ok(Engine {
            claims,
            index,
            hits,
            auth,
            rate,
            matcher: Matcher::from_config(config.matching.clone())?,
            scoring,
            config,
            closing: AtomicBool::new(false),
            follower: std::sync::Mutex::new(None),
            _dir_lock: dir_lock,
            _store_lock: store_lock,
        })
    }

    /// Returns what health checks look at, holding nothing of the engine
    /// itself (a check still running when serving stops must not keep the
    /// engine, and its data directory, open).
    pub fn health_probe(&self) -> HealthProbe {
        HealthProbe {
            hits: self.hits.writer_health(),
            pool: self.shared_store().cloned(),
        }
    }

    /// Returns the pool of the PostgreSQL database other replicas share,
    /// when the stores live there.
    pub fn shared_store(&self) -> Option<&PgPool> {
        self.claims.shared()
    }

    /// With a shared store, starts the thread that applies other replicas'
    /// claim changes to this replica's index and re-reads tokens: woken by
    /// NOTIFY, checking every `FOLLOW_POLL` anyway, and catching up by
    /// sequence after every reconnection, so nothing is missed. A no-op for
    /// SQLite. The thread stops when the engine closes or is dropped.
    pub fn start_following(self: &Arc<Self>) -> Result<()> {
        let Some(pool) = self.claims.shared().cloned() else {
            return Ok(());
        };
        let engine = Arc::downgrade(self);
        let handle = std::thread::Builder::new()
            .name("claim-follower".into())
            .spawn(move || follow(engine, pool))?;
        if let Ok(mut follower) = self.follower.lock() {
            *follower = Some(handle);
        }
        Ok(())
    }

    /// Applies store changes this replica has not seen yet; re-reads
    /// tokens when `tokens` is set. Blocking.
    fn catch_up(&self, tokens: bool) -> Result<()> {
        let applied = self.index.catch_up(&self.claims)?;
        if applied > 0 {
            tracing::info!(
                changes = applied,
                sequence = self.index.applied_sequence(),
                "claim index caught up with the shared store"
            );
        }
        if tokens {
            self.auth.refresh()?;
        }
        Ok(())
    }

    /// Returns the claim index (for in-process measurements).
    pub fn index(&self) -> &ClaimIndex {
        &self.index
    }

    /// Returns the matcher the server scores with.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Returns tokens and the audit trail.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// Returns the per-token rate limiter.
    pub fn rate(&self) -> &RateLimiter {
        &self.rate
    }

    /// Returns the configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Returns the number of claims matching can find.
    pub fn active_claims(&self) -> u64 {
        self.index.searcher().num_docs()
    }

    /// Loads a file of claims for one partner. Records are judged one by
    /// one; the index reflects the load when this returns. With
    /// `options.replace`, the partner's claims the file no longer holds
    /// are retracted.
    pub async fn load(
        self: &Arc<Self>,
        bytes: Vec<u8>,
        format: ClaimFormat,
        mut defaults: LoadDefaults,
        options: LoadOptions,
    ) -> Result<LoadReport> {
        if defaults.partner.trim().is_empty() {
            return Err(Error::invalid("a load needs a partner"));
        }
        crate::claims::normalize::validate_partner(&defaults.partner).map_err(Error::invalid)?;
        defaults.rating_overrides = self.config.rating_overrides(&defaults.partner)?;
        let limit = self.config.limits.max_load_bytes;
        if bytes.len() > limit {
            return Err(Error::ResourceExhausted(format!(
                "file is {} bytes, over max_load_bytes ({limit})",
                bytes.len()
            )));
        }
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            engine.load_blocking(&bytes, format, &defaults, options)
        })
        .await?
    }

    fn load_blocking(
        &self,
        bytes: &[u8],
        format: ClaimFormat,
        defaults: &LoadDefaults,
        options: LoadOptions,
    ) -> Result<LoadReport> {
        let mut report = LoadReport::default();
        // With `replace`, the ids the file holds, refused records'
        // included: a replace keeps the claim of a record broken this time.
        let mut keep: HashSet<String> = HashSet::new();
        let mut valid = 0usize;
        crate::claims::import::parse_in_batches(
            bytes,
            format,
            defaults,
            LOAD_BATCH,
            self.config.limits.max_claims_per_load,
            |batch| {
                for rejection in batch.rejections {
                    if options.replace {
                        keep.insert(rejection.claim_id.clone());
                    }
                    report.refuse(rejection, options);
                }
                valid += batch.claims.len();
                for chunk in batch.claims.chunks(LOAD_BATCH) {
                    let outcomes = self.claims.write_batch(chunk)?;
                    for (parsed, written) in chunk.iter().zip(outcomes) {
                        if options.replace {
                            keep.insert(parsed.claim.id.clone());
                        }
                        let status = match written {
                            Ok(WriteStatus::Inserted) => RecordStatus::Inserted,
                            Ok(WriteStatus::Updated) => RecordStatus::Updated,
                            Ok(WriteStatus::Unchanged) => RecordStatus::Unchanged,
                            Err(reason) => {
                                report.refuse(rejection(parsed, reason), options);
                                continue;
                            }
                        };
                        let taken = outcome(
                            parsed.line,
                            parsed.position.clone(),
                            parsed.claim.id.clone(),
                            status,
                            String::new(),
                        );
                        report.took(taken, options);
                    }
                }
                Ok(())
            },
        )?;
        if options.replace {
            // Nothing was written: a file with no valid record has none.
            if valid == 0 {
                return Err(Error::invalid(
                    "refusing to replace the partner's claims with a file that holds no valid record",
                ));
            }
            for id in self.claims.retract_all_but(&defaults.partner, &keep)? {
                let retracted = outcome(
                    0,
                    "not in the file".into(),
                    id,
                    RecordStatus::Retracted,
                    String::new(),
                );
                report.took(retracted, options);
            }
        }
        report.rejections.sort_by_key(|r| r.line);
        report
            .records
            .sort_by_key(|r| if r.line == 0 { u64::MAX } else { r.line });
        self.index.catch_up(&self.claims)?;
        report.sequence = self.index.applied_sequence();
        tracing::info!(
            partner = %defaults.partner,
            inserted = report.inserted,
            updated = report.updated,
            unchanged = report.unchanged,
            retracted = report.retracted,
            rejected = report.rejected,
            "claims loaded"
        );
        Ok(report)
    }

    /// Inserts or replaces one claim.
    pub async fn upsert(self: &Arc<Self>, claim: Claim) -> Result<(Claim, WriteStatus)> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            let id = claim.id.clone();
            let parsed = ParsedClaim {
                position: String::new(),
                line: 0,
                raw: serde_json::to_string(&claim).unwrap_or_default(),
                claim,
            };
            let outcome = engine
                .claims
                .write_batch(std::slice::from_ref(&parsed))?
                .pop();
            let status = match outcome {
                Some(Ok(status)) => status,
                Some(Err(reason)) => return Err(Error::PermissionDenied(reason)),
                None => return Err(Error::Internal("store returned no outcome".into())),
            };
            engine.index.catch_up(&engine.claims)?;
            let stored = engine
                .claims
                .get(&id)?
                .ok_or_else(|| Error::Internal(format!("claim {id:?} missing after upsert")))?;
            Ok((stored, status))
        })
        .await?
    }

    /// Retracts a claim; `partner`, when set, must own it. Matching stops
    /// finding it before this returns.
    pub async fn retract(
        self: &Arc<Self>,
        id: String,
        partner: Option<String>,
    ) -> Result<(Claim, bool)> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            // A partner names its claims by its own ids or by their stored
            // ids; a stored id of another partner's claim is refused as such.
            let scoped = partner
                .as_deref()
                .map(|partner| crate::claims::normalize::scoped_id(partner, &id))
                .filter(|scoped| *scoped != id);
            let result = match scoped {
                Some(scoped) => match engine.claims.retract(&scoped, partner.as_deref()) {
                    Err(Error::NotFound(_)) => engine.claims.retract(&id, partner.as_deref()),
                    other => other,
                },
                None => engine.claims.retract(&id, partner.as_deref()),
            }?;
            engine.index.catch_up(&engine.claims)?;
            tracing::info!(claim = %id, changed = result.1, "claim retracted");
            Ok(result)
        })
        .await?
    }

    /// Returns a claim, retracted or not.
    pub async fn get_claim(self: &Arc<Self>, id: String) -> Result<Claim> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            engine
                .claims
                .get(&id)?
                .ok_or_else(|| Error::not_found(format!("claim {id:?}")))
        })
        .await?
    }

    /// Returns a page of claims after `after_id`.
    pub async fn list_claims(
        self: &Arc<Self>,
        filter: ClaimFilter,
        after_id: String,
        limit: usize,
    ) -> Result<Vec<Claim>> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || engine.claims.list(&filter, &after_id, limit)).await?
    }

    /// Ranks active claims for a free-text query.
    pub async fn search_claims(
        self: &Arc<Self>,
        input: ScoreInput,
        limit: usize,
    ) -> Result<Vec<(Claim, f32)>> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut ranked = engine.matcher.rank(&engine.index, &input)?.matches;
            ranked.sort_by(|a, b| b.bm25.total_cmp(&a.bm25));
            let mut results = Vec::new();
            for found in ranked.into_iter().take(limit) {
                if let Some(claim) = engine.claims.get(&found.claim.id)? {
                    results.push((claim, found.bm25));
                }
            }
            Ok(results)
        })
        .await?
    }

    /// Scores content and, unless it is a dry run, logs every match at or
    /// above `review` durably before returning. Past `deadline`, stops
    /// before logging anything.
    pub async fn score(
        self: &Arc<Self>,
        input: ScoreInput,
        deadline: Option<std::time::Instant>,
    ) -> Result<Scored> {
        let expired = || deadline.is_some_and(|d| std::time::Instant::now() >= d);
        if expired() {
            return Err(Error::DeadlineExceeded(
                "the caller's deadline passed before scoring started".into(),
            ));
        }
        if !input.dry_run && input.video_id.trim().is_empty() {
            return Err(Error::invalid(
                "`video_id` is empty: a scored video is logged under its id; send one, or set `dry_run`",
            ));
        }
        let limits = &self.config.limits;
        let content_bytes = match &input.content {
            crate::matcher::Content::Text(text)
            | crate::matcher::Content::WebVtt(text)
            | crate::matcher::Content::Srt(text) => text.len(),
            crate::matcher::Content::Segments(segments) => {
                if segments.len() > limits.max_segments {
                    return Err(Error::ResourceExhausted(format!(
                        "{} segments, over max_segments ({})",
                        segments.len(),
                        limits.max_segments
                    )));
                }
                segments.iter().map(|s| s.text.len()).sum()
            }
        };
        if content_bytes > limits.max_content_bytes {
            return Err(Error::ResourceExhausted(format!(
                "content is {content_bytes} bytes, over max_content_bytes ({})",
                limits.max_content_bytes
            )));
        }
        let mut input = input;
        input.deadline = deadline;
        let score = |engine: &Engine, input: &ScoreInput| {
            // A panic must not take the thread (rayon would abort).
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine.matcher.score(&engine.index, input)
            }))
            .unwrap_or_else(|_| Err(Error::Internal("scoring panicked".into())))
        };
        let inline = content_bytes <= INLINE_SCORE_BYTES
            && self.index.searcher().num_docs() <= INLINE_MAX_CLAIMS;
        let (input, outcome) = if inline {
            let outcome = score(self, &input);
            (input, outcome)
        } else {
            // The input goes to the scoring thread and comes back with the
            // outcome (its content can be a megabyte: it is not copied).
            let engine = self.clone();
            let (done_tx, done_rx) = tokio::sync::oneshot::channel();
            self.scoring.spawn(move || {
                let outcome = score(&engine, &input);
                let _ = done_tx.send((input, outcome));
            });
            done_rx
                .await
                .map_err(|_| Error::Internal("scoring thread lost the request".into()))?
        };
        let outcome = outcome?;
        // Nothing half-done is logged: a caller that has given up gets no hit.
        if expired() {
            return Err(Error::DeadlineExceeded(
                "the caller's deadline passed while scoring; no hit was logged".into(),
            ));
        }
        let mut hit_ids = vec![None; outcome.matches.len()];
        if input.dry_run {
            return Ok(Scored { outcome, hit_ids });
        }
        let (positions, new_hits): (Vec<usize>, Vec<NewHit>) = outcome
            .matches
            .iter()
            .enumerate()
            .filter(|(_, m)| m.level >= Level::Review)
            .map(|(i, m)| {
                let hit = NewHit {
                    video_id: input.video_id.clone(),
                    claim_id: m.claim.id.clone(),
                    partner: m.claim.partner.clone(),
                    verdict: m.claim.verdict,
                    market: input.market.clone(),
                    language: outcome.language.clone(),
                    source: input.source,
                    confidence: m.confidence,
                    level: m.level,
                    start_ms: m.start_ms,
                    end_ms: m.end_ms,
                    excerpt: m.excerpt.clone(),
                    observed_at: input.observed_at,
                    view_count: input.view_count,
                    elections: m.claim.elections.clone(),
                    also_claim_ids: m.duplicates.iter().map(|d| d.id.clone()).collect(),
                    stance: m.stance,
                };
                (i, hit)
            })
            .unzip();
        let ids = self.hits.log(new_hits).await?;
        for (position, id) in positions.into_iter().zip(ids) {
            hit_ids[position] = Some(id);
        }
        Ok(Scored { outcome, hit_ids })
    }

    /// Records a review and returns the hit with it.
    pub async fn review(self: &Arc<Self>, review: ReviewInput) -> Result<Hit> {
        let hit_id = review.hit_id;
        self.hits.review(review).await?;
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            engine
                .hits
                .get(hit_id)?
                .ok_or_else(|| Error::not_found(format!("hit {hit_id}")))
        })
        .await?
    }

    /// Returns a page of hits after `after_id`.
    pub async fn list_hits(
        self: &Arc<Self>,
        filter: HitFilter,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || engine.hits.list(&filter, after_id, limit)).await?
    }

    /// Summarises hits, with the `top` most-hit claims and their text.
    pub async fn summarize(
        self: &Arc<Self>,
        filter: HitFilter,
        groups: Vec<GroupBy>,
        top: usize,
    ) -> Result<Summary> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut summary = summarize(&engine.hits, &filter, &groups, top)?;
            for top_claim in &mut summary.top_claims {
                if let Some(claim) = engine.claims.get(&top_claim.claim_id)? {
                    top_claim.text = claim.text;
                    top_claim.review_url = claim.review_url;
                }
            }
            Ok(summary)
        })
        .await?
    }

    /// Flushes and stops the hit writer and the follower (within its poll
    /// interval). Later writes fail. Blocking.
    pub fn close(&self) {
        self.closing.store(true, Ordering::Release);
        self.hits.close();
        let follower = self.follower.lock().ok().and_then(|mut f| f.take());
        if let Some(follower) = follower
            && follower.join().is_err()
        {
            tracing::error!("claim follower thread panicked");
        }
    }
}

/// The follower thread of a replica on a shared store.
fn follow(engine: Weak<Engine>, pool: PgPool) {
    let mut backoff = Backoff::default();
    let alive = || {
        engine
            .upgrade()
            .filter(|engine| !engine.closing.load(Ordering::Acquire))
    };
    while alive().is_some() {
        let listening = pool.connect_dedicated().and_then(|mut client| {
            client.batch_execute(&format!("LISTEN {CLAIMS_CHANNEL}; LISTEN {TOKENS_CHANNEL}"))?;
            Ok(client)
        });
        let mut client = match listening {
            Ok(client) => client,
            Err(err) => {
                tracing::warn!(error = %err, "claim follower cannot reach the database");
                std::thread::sleep(backoff.next_delay());
                continue;
            }
        };
        // Listening before catching up: a change committed in between is
        // both notified and caught up, never missed.
        let mut tokens = true;
        loop {
            let Some(engine) = alive() else { return };
            if let Err(err) = engine.catch_up(tokens) {
                tracing::warn!(error = %err, "claim follower cannot catch up");
                break;
            }
            backoff.reset();
            drop(engine);
            let mut notifications = client.notifications();
            let first = notifications.timeout_iter(FOLLOW_POLL).next();
            tokens = match first {
                Ok(Some(first)) => {
                    // Take every notification already here: one catch-up.
                    let mut tokens = first.channel() == TOKENS_CHANNEL;
                    let mut pending = notifications.iter();
                    while let Ok(Some(note)) = pending.next() {
                        tokens |= note.channel() == TOKENS_CHANNEL;
                    }
                    tokens
                }
                // Nothing for a while: check anyway, tokens included.
                Ok(None) => true,
                Err(err) => {
                    tracing::warn!(error = %err, "claim follower lost the database connection");
                    break;
                }
            };
        }
        std::thread::sleep(backoff.next_delay());
    }
}

fn outcome(
    line: u64,
    position: String,
    claim_id: String,
    status: RecordStatus,
    reason: String,
) -> RecordOutcome {
    RecordOutcome {
        line,
        position,
        claim_id,
        status,
        reason,
    }
}

fn rejection(parsed: &ParsedClaim, reason: String) -> Rejection {
    Rejection {
        line: parsed.line,
        position: parsed.position.clone(),
        claim_id: parsed.claim.id.clone(),
        reason,
    }
}

/// Takes an exclusive lock on `<dir>/LOCK` for the life of the returned
/// file, or fails with a message naming the directory.
fn lock_data_dir(dir: &Path) -> Result<File> {
    let path: PathBuf = dir.join("LOCK");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Unavailable(format!(
            "data directory {} is in use by another claimsignal process; stop it or pass another --data-dir",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(err)) => Err(err.into()),
    }
}

/// Locks the directory of SQLite stores that live apart from the data
/// directory (`--store sqlite://DIR`): two servers with their own data
/// directories over one SQLite store would each keep an index the other's
/// writes never reach. A shared PostgreSQL store is meant for replicas
/// and is not locked.
fn lock_store(store: &StoreUrl, data_dir: &Path) -> Result<Option<File>> {
    let StoreUrl::Sqlite(store_dir) = store else {
        return Ok(None);
    };
    std::fs::create_dir_all(store_dir)?;
    let same = std::fs::canonicalize(store_dir)? == std::fs::canonicalize(data_dir)?;
    if same {
        return Ok(None);
    }
    lock_data_dir(store_dir)
        .map(Some)
        .map_err(|err| match err {
            Error::Unavailable(_) => Error::Unavailable(format!(
                "store {} is in use by another claimsignal process; stop it, or share a PostgreSQL store between replicas",
                store_dir.display()
            )),
            other => other,
        })
}

/// Rebuilds the claim index of a data directory from its claim store.
/// Returns the number of claims applied. Blocking; the directory must not
/// be in use.
pub fn reindex(data_dir: &Path, store: &StoreUrl) -> Result<usize> {
    std::fs::create_dir_all(data_dir)?;
    let _lock = lock_data_dir(data_dir)?;
    let _store_lock = lock_store(store, data_dir)?;
    let claims = match store {
        StoreUrl::Sqlite(dir) => ClaimStore::open(&dir.join("claims.db"))?,
        StoreUrl::Postgres(url) => ClaimStore::postgres(PgPool::connect(url, 1)?),
    };
    let index = ClaimIndex::open(&data_dir.join("claims"), &claims)?;
    index.rebuild(&claims)
}

//! The application layer: one file per user's journey, between the
//! adapters (gRPC handlers, the CLI) and the domain (claims, index,
//! matcher, hit log, reports, auth). Each journey's limits, policy
//! (partner binding, deadlines, who may do what beyond the role check),
//! orchestration and audit live in its file:
//!
//! - `load`: a partner's file of claims.
//! - `claims`: one claim written, retracted, read, listed or searched.
//! - `score`: content scored, and its matches logged as hits.
//! - `review`: reviewers' decisions and the hit log read back.
//! - `report`: counts for a transparency report.
//! - `tokens`: who may call (authentication, rate, streams) and the audit
//!   trail.
//!
//! This file wires the stores, the index and the scoring pool together;
//! `turns` shares the scoring threads fairly between callers, `open` locks
//! and opens a data directory, `follow` keeps a replica in step with the
//! others, `embedder` keeps the claims' sentence vectors up to date in the
//! background. Blocking work runs off the async runtime.

mod claims;
mod embedder;
mod follow;
mod load;
mod open;
mod report;
mod review;
mod score;
mod tokens;
mod turns;

use std::fs::File;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub use claims::{ClaimPage, ClaimQuery, SearchQuery};
pub use load::{LoadRequest, Upload};
pub use open::reindex;
pub use review::{HitPage, HitView};
pub use score::{ScoreCounts, Scored, StreamPolicy};
pub use tokens::{AuditEntry, StreamCaller};
pub use turns::TurnsNow;

use crate::auth::{Auth, Principal, RateLimiter};
use crate::claims::ClaimStore;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::hits::HitStore;
use crate::index::{ClaimIndex, ClaimVectors};
use crate::matcher::{Matcher, Semantic};
use crate::store::PgPool;

/// What health checks look at: the hit log's writer and the shared store.
pub struct HealthProbe {
    hits: crate::hits::WriterHealth,
    pool: Option<PgPool>,
}

impl HealthProbe {
    /// Returns why the service cannot serve now (the hit log refuses
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

/// What metrics report of the service's state at a scrape.
#[derive(Debug, Clone, PartialEq)]
pub struct Vitals {
    /// Claims matching can find.
    pub claims_indexed: u64,
    /// The claim store's change sequence.
    pub store_sequence: u64,
    /// Store changes this replica's index has not applied yet.
    pub index_lag: u64,
    /// Store changes whose claims' sentence vectors are not computed yet
    /// (those claims are matched by their words only meanwhile).
    pub vector_lag: u64,
    /// Store changes a second the embedder got through over the last
    /// minute of its current (or, caught up, its last) stretch of work;
    /// none before its first.
    pub vector_rate: Option<f64>,
    /// Sentences of short content matching by meaning looked at, how many
    /// of them ran the encoder, how many were answered from the vectors
    /// kept from earlier requests (the others: decided by their words,
    /// not election talk, or said twice in one request), and how many
    /// were in a script the encoder does not read.
    pub meaning_sentences: (u64, u64, u64, u64),
    /// (Sentence, claim) pairs a check's verdict title alone would have
    /// put at `review`, held just under it.
    pub held_by_title: u64,
    /// Active claims whose text the encoder does not read (another
    /// script): matched by their words only.
    pub claims_unread: u64,
    /// The hit writer's queue and commits.
    pub hits: crate::hits::WriterStats,
    /// Matches returned and hits logged so far, by level.
    pub scored: score::ScoredSoFar,
    /// Score requests waiting for a scoring thread, callers with requests
    /// in hand, requests dropped because their caller had gone.
    pub turns: turns::TurnsNow,
}

/// What `Admin/GetStatus` reports: whether this replica serves, what it
/// holds and how far behind the claim store it is.
#[derive(Debug, Clone)]
pub struct ServiceStatus {
    /// Why the replica cannot serve now; none when it serves.
    pub problem: Option<String>,
    /// Claims indexed, the store's sequence and what lags behind it.
    pub vitals: Vitals,
    /// With matching by meaning: the encoder's kernel and the distinct
    /// claim texts holding a vector.
    pub meaning: Option<(&'static str, u64)>,
    /// Seconds until the vector lag is made up at the current rate; none
    /// when nothing lags or no rate is measured yet.
    pub vector_eta_seconds: Option<f64>,
}

/// The service's state.
pub struct App {
    claims: ClaimStore,
    index: ClaimIndex,
    hits: HitStore,
    auth: Auth,
    rate: RateLimiter,
    matcher: Matcher,
    /// Runs scoring, one thread per core (see `MatchConfig::threads`),
    /// shared fairly between callers.
    scoring: turns::Turns,
    config: Config,
    /// Set when the service closes: the follower thread stops.
    closing: AtomicBool,
    /// The follower thread, joined on close.
    follower: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// The embedder thread (see `embedder.rs`), joined on close.
    embedder: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// How fast the embedder gets through the store's changes.
    embedding: embedder::Progress,
    /// Matches and hits counted by level (none, review, auto), for metrics.
    scored: score::ScoreCounts,
    /// Held for the service's life: one process per data directory.
    _dir_lock: File,
    /// Held for the service's life when the SQLite stores live in another
    /// directory: one process per store too.
    _store_lock: Option<File>,
}

impl App {
    /// Opens the data directory of `config`, creating it if needed: locks
    /// it, opens the stores and brings the index up to date. Blocking.
    pub fn open(config: Config) -> Result<Self> {
        config.validate()?;
        let dir = config.data_dir.clone();
        std::fs::create_dir_all(&dir)?;
        let dir_lock = open::lock_data_dir(&dir)?;
        let store = config.store_url()?;
        let store_lock = open::lock_store(&store, &dir)?;
        let (claims, hits, auth) = open::open_stores(&store, &config)?;
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
        Ok(App {
            claims,
            index,
            hits,
            auth,
            rate,
            matcher: matcher(&config, &dir)?,
            scoring: turns::Turns::new(scoring),
            config,
            closing: AtomicBool::new(false),
            follower: std::sync::Mutex::new(None),
            embedder: std::sync::Mutex::new(None),
            embedding: embedder::Progress::default(),
            scored: score::ScoreCounts::default(),
            _dir_lock: dir_lock,
            _store_lock: store_lock,
        })
    }

    /// Returns what health checks look at, holding nothing of the service
    /// itself (a check still running when serving stops must not keep it,
    /// and its data directory, open).
    pub fn health_probe(&self) -> HealthProbe {
        HealthProbe {
            hits: self.hits.writer_health(),
            pool: self.claims.shared().cloned(),
        }
    }

    /// With a shared store, starts the thread that applies other replicas'
    /// claim changes to this replica's index and re-reads tokens (see
    /// `follow.rs`). A no-op for SQLite. The thread stops when the service
    /// closes or is dropped.
    pub fn start_following(self: &Arc<Self>) -> Result<()> {
        let Some(pool) = self.claims.shared().cloned() else {
            return Ok(());
        };
        let app = Arc::downgrade(self);
        let handle = std::thread::Builder::new()
            .name("claim-follower".into())
            .spawn(move || follow::follow(app, pool))?;
        if let Ok(mut follower) = self.follower.lock() {
            *follower = Some(handle);
        }
        Ok(())
    }

    /// Starts the thread that computes the claims' sentence vectors in the
    /// background (see `embedder.rs`); a no-op when matching is lexical.
    pub fn start_embedding(self: &Arc<Self>) -> Result<()> {
        if self.matcher.semantic().is_none() {
            return Ok(());
        }
        let app = Arc::downgrade(self);
        let handle = std::thread::Builder::new()
            .name("claim-embedder".into())
            .spawn(move || embedder::embed(app))?;
        if let Ok(mut embedder) = self.embedder.lock() {
            *embedder = Some(handle);
        }
        Ok(())
    }

    /// Has the embedder look for claim changes now rather than at its
    /// next poll (half a second): a check loaded or changed is found by
    /// meaning as soon as its vector is computed.
    fn wake_embedder(&self) {
        if let Ok(embedder) = self.embedder.lock()
            && let Some(embedder) = embedder.as_ref()
        {
            embedder.thread().unpark();
        }
    }

    /// Applies store changes this replica has not seen yet; re-reads
    /// tokens when `tokens` is set. Blocking.
    fn catch_up(&self, tokens: bool) -> Result<()> {
        let applied = self.index.catch_up(&self.claims)?;
        if applied > 0 {
            self.wake_embedder();
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

    /// Returns the configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Returns the number of claims matching can find.
    pub fn active_claims(&self) -> u64 {
        self.index.searcher().num_docs()
    }

    /// Returns what metrics report of the service's state. Blocking (it
    /// reads the store's change sequence).
    pub fn vitals(&self) -> Result<Vitals> {
        let store_sequence = self.claims.sequence()?;
        let applied = self.index.applied_sequence();
        let embedded = self
            .matcher
            .semantic()
            .map_or(store_sequence, |s| s.vectors().applied_sequence());
        Ok(Vitals {
            claims_indexed: self.active_claims(),
            store_sequence,
            index_lag: store_sequence.saturating_sub(applied),
            vector_lag: store_sequence.saturating_sub(embedded),
            vector_rate: self.embedding.rate(),
            meaning_sentences: self.matcher.semantic().map_or((0, 0, 0, 0), |s| {
                let (seen, embedded) = s.sentences_embedded();
                (seen, embedded, s.sentences_cached(), s.sentences_unread())
            }),
            held_by_title: self.matcher.held_by_title(),
            claims_unread: self
                .matcher
                .semantic()
                .map_or(0, |s| s.vectors().claims_unread() as u64),
            hits: self.hits.writer_health().stats(),
            scored: self.scored.snapshot(),
            turns: self.scoring.now(),
        })
    }

    /// Whether this replica serves, what it holds and how far behind the
    /// claim store it is (`Admin/GetStatus`).
    pub async fn status(self: &Arc<Self>) -> Result<ServiceStatus> {
        self.blocking(|app| {
            let vitals = app.vitals()?;
            Ok(ServiceStatus {
                problem: app.health_probe().problem(),
                vector_eta_seconds: app.embedding.eta_seconds(vitals.vector_lag),
                vitals,
                meaning: app.matcher.semantic().map(|semantic| {
                    (
                        semantic.encoder().kernel(),
                        semantic.vectors().texts() as u64,
                    )
                }),
            })
        })
        .await
    }

    /// Runs store work (reads, fsynced writes) off the async runtime.
    async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&App) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let app = self.clone();
        tokio::task::spawn_blocking(move || work(&app)).await?
    }

    /// Records a change in the audit trail, off the async runtime (the
    /// write is fsynced); a failure is logged, not fatal to a change that
    /// is already durable.
    async fn audit(self: &Arc<Self>, who: &Principal, action: &'static str, detail: String) {
        let actor = who.name.clone();
        let written = self
            .blocking(move |app| app.auth.audit(&actor, action, &detail))
            .await;
        if let Err(err) = written {
            tracing::error!(error = %err, action, "audit trail write failed");
        }
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
        let embedder = self.embedder.lock().ok().and_then(|mut e| e.take());
        if let Some(embedder) = embedder {
            embedder.thread().unpark();
            if embedder.join().is_err() {
                tracing::error!("claim embedder thread panicked");
            }
        }
    }
}

/// The matcher of `config`: by meaning too when `semantic = true`, over
/// the claim vectors kept in `dir`.
fn matcher(config: &Config, dir: &std::path::Path) -> Result<Matcher> {
    let matcher = Matcher::from_config(config.matching.clone())?;
    if !config.matching.semantic {
        return Ok(matcher);
    }
    let encoder = crate::matcher::semantic::encoder_of(&config.matching)?;
    let model = config
        .matching
        .encoder_sha256
        .as_deref()
        .unwrap_or(crate::encoder::SHIPPED_SHA256);
    let vectors = Arc::new(
        ClaimVectors::open(&dir.join("claim-vectors.bin"), model)?
            .with_signs_from(config.matching.semantic_signs_from),
    );
    tracing::info!(
        texts = vectors.texts(),
        kernel = encoder.kernel(),
        "sentence encoder ready"
    );
    let semantic = Semantic::new(encoder, vectors).with_cache(config.matching.semantic_cache);
    Ok(matcher.with_semantic(Arc::new(semantic)))
}

/// Returns the page size of a list call: `requested`, `default` when it
/// is 0, never above `max`.
fn page_size(requested: usize, default: usize, max: usize) -> usize {
    match requested {
        0 => default,
        n => n.min(max),
    }
}

//! The Tantivy claim index and how it follows the claim store.
//!
//! The index records, in its commit payload, the last store sequence it
//! applied and the version of its analysis. At open it catches up from
//! there; after every store change the caller asks it to catch up again.
//! A different analysis version, or a payload ahead of the store (a store
//! replaced under it), makes it rebuild from scratch.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, SegmentMeta, TantivyDocument, Term,
};

use super::analysis::{self, FOLD, stem_analyzer_name};
use crate::claims::model::{Claim, ClaimStatus};
use crate::claims::store::ClaimStore;
use crate::claims::verdict::Verdict;
use crate::error::{Error, Result};
use crate::lang::{STEMMED, is_stemmed};

/// Bumped whenever analysis, schema or cards change, so old indexes are
/// rebuilt. 3: cards carry the claim's date.
const ANALYSIS_VERSION: u32 = 3;

/// Market value indexed for claims that apply to every market.
pub const ANY_MARKET: &str = "*";
/// Flag of claims limited to some markets.
pub const FLAG_SCOPED: &str = "scoped";
/// Flag of claims with a validity window.
pub const FLAG_WINDOW: &str = "window";

/// Writer memory: tantivy needs at least 15 MB per indexing thread.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;
const WRITER_THREADS: usize = 2;

/// How many store changes are applied per read from the store.
const CATCH_UP_BATCH: usize = 20_000;

/// How many changes a bulk catch-up commits at a time. Until a commit the
/// writer keeps every pending delete (one per change) and its documents:
/// a million-claim load committed once took the server's anonymous memory
/// from 85 MiB to 1.2 GB, committed every 100,000 changes to 500 MiB (the
/// same at every 20,000: the rest is the index of a million claims).
const COMMIT_EVERY_CHANGES: usize = 100_000;

/// A commit of at least this many changes (a partner's load, a rebuild)
/// is followed by merging the index into one segment, when it holds at
/// most `COMPACT_MAX_DOCS` claims. Every query term costs a dictionary
/// lookup and a scorer per segment: the 14,231 Snopes claims as one
/// segment instead of the two a load leaves answer about 1.1-1.25x the
/// requests per second (`bench`, alternating runs). Smaller commits, and
/// larger indexes, leave their segments to the background merge policy
/// (see `with_index`).
const COMPACT_AFTER_CHANGES: usize = 1_000;

/// The largest index merged into one segment after a bulk commit: the
/// merge runs before the commit's caller gets its answer, and takes about
/// 0.4 s at this size on two cores. Merging after every batch of a
/// million-claim load instead rewrites the growing index each time (load
/// time measured 22 s -> 49 s).
const COMPACT_MAX_DOCS: u32 = 200_000;

/// What matching needs to show about a claim, stored with its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimCard {
    /// Claim id.
    pub id: String,
    /// Owning partner.
    pub partner: String,
    /// Claim text.
    pub text: String,
    /// Fact-check headline.
    #[serde(default)]
    pub title: String,
    /// Claim language (primary subtag).
    pub language: String,
    /// Normalised verdict.
    pub verdict: Verdict,
    /// The partner's wording of the rating.
    #[serde(default)]
    pub rating_text: String,
    /// Fact-check URL.
    #[serde(default)]
    pub review_url: String,
    /// Elections the claim belongs to.
    #[serde(default)]
    pub elections: Vec<String>,
    /// When the claim was made, else when it was checked (epoch ms): how
    /// close it lies to a dated video informs the match.
    #[serde(default)]
    pub date_ms: Option<i64>,
    /// Who made the claim (a speaker, an account), when the partner says:
    /// compared with the speakers of a transcript. Cards written before
    /// it existed read empty until `reindex`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claimant: String,
    /// The text folded, whitespace squashed: claims with the same key say
    /// the same thing (duplicates across partners). Derived, not stored.
    #[serde(skip)]
    pub text_key: String,
}

/// The text of a claim that queries search: its text, then its title.
pub fn searched_text(claim: &Claim) -> String {
    if claim.title.is_empty() {
        claim.text.clone()
    } else {
        format!("{}\n{}", claim.text, claim.title)
    }
}

/// The key under which claims with the same text are grouped.
fn text_key(text: &str) -> String {
    crate::text::squash_whitespace(&crate::text::fold(text))
}

impl From<&Claim> for ClaimCard {
    fn from(claim: &Claim) -> Self {
        ClaimCard {
            id: claim.id.clone(),
            partner: claim.partner.clone(),
            text: claim.text.clone(),
            title: claim.title.clone(),
            language: claim.language.clone(),
            verdict: claim.verdict,
            rating_text: claim.rating_text.clone(),
            review_url: claim.review_url.clone(),
            elections: claim.elections.clone(),
            date_ms: claim
                .claim_date
                .or(claim.review_date)
                .map(|at| at.timestamp_millis()),
            claimant: claim.claimant.clone(),
            text_key: text_key(&claim.text),
        }
    }
}

/// The fields of the claim index schema.
#[derive(Debug, Clone)]
pub struct IndexFields {
    /// Claim id, raw.
    pub id: Field,
    /// Stemmed text and title, one field per stemmed language, as
    /// `(language, field)`.
    pub stemmed: Vec<(&'static str, Field)>,
    /// Folded (language-neutral) text and title.
    pub folded: Field,
    /// Market codes, or `*` for every market.
    pub market: Field,
    /// `window` for claims with a validity window, `scoped` for claims
    /// limited to markets: when no document has a flag, its filter is
    /// skipped and retrieval keeps its fast top-k path.
    pub flags: Field,
    /// Validity window as epoch milliseconds, [from, until).
    pub valid_from_ms: Field,
    /// See `valid_from_ms`.
    pub valid_until_ms: Field,
    /// The `ClaimCard` as JSON.
    pub card: Field,
}

impl IndexFields {
    /// Returns the stemmed field of a supported language.
    pub fn stemmed_field(&self, lang: &str) -> Option<Field> {
        self.stemmed
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, f)| *f)
    }
}

fn build_schema() -> (Schema, IndexFields) {
    let mut builder = Schema::builder();
    let text_options = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let id = builder.add_text_field("id", STRING | STORED);
    let stemmed = STEMMED
        .iter()
        .map(|lang| {
            let field = builder.add_text_field(
                &format!("text_{lang}"),
                text_options(&stem_analyzer_name(lang)),
            );
            (*lang, field)
        })
        .collect();
    let folded = builder.add_text_field("text_fold", text_options(FOLD));
    let market = builder.add_text_field("market", STRING);
    let flags = builder.add_text_field("flags", STRING);
    let valid_from_ms = builder.add_i64_field("valid_from_ms", INDEXED | FAST);
    let valid_until_ms = builder.add_i64_field("valid_until_ms", INDEXED | FAST);
    let card = builder.add_text_field("card", STORED);
    let fields = IndexFields {
        id,
        stemmed,
        folded,
        market,
        flags,
        valid_from_ms,
        valid_until_ms,
        card,
    };
    (builder.build(), fields)
}

/// Merges every committed segment into one and waits for it, when the
/// index is small enough for that to be quick. A merge rewrites the index
/// without changing what it holds (the commit's payload stays), so failing
/// is harmless: the segments stay as they are.
fn compact(writer: &mut IndexWriter) {
    let segments = match writer.index().searchable_segment_metas() {
        Ok(metas)
            if metas.len() > 1
                && metas.iter().map(|m| m.num_docs()).sum::<u32>() <= COMPACT_MAX_DOCS =>
        {
            metas.iter().map(|m| m.id()).collect::<Vec<_>>()
        }
        Ok(_) => return,
        Err(err) => {
            tracing::warn!(error = %err, "claim index segments unreadable, not merged");
            return;
        }
    };
    let started = std::time::Instant::now();
    match writer.merge(&segments).wait() {
        Ok(_) => tracing::debug!(
            segments = segments.len(),
            ms = started.elapsed().as_millis() as u64,
            "claim index merged into one segment"
        ),
        // A merge the background policy started holds some of the segments.
        Err(err) => tracing::debug!(error = %err, "claim index not merged"),
    }
}

/// The index is read thousands of times a second and written a few times
/// an hour. Past `COMPACT_MAX_DOCS` claims, segments merge in the
/// background as soon as two of a size exist (Tantivy waits for eight):
/// at 1,000,000 claims posts went from 840-1,000 to 1,085 per second, load
/// time unchanged. Below it, bulk commits merge everything themselves
/// (`compact`) and Tantivy's usual policy only gathers small commits: an
/// eager background merge would hold segments `compact` needs.
#[derive(Debug)]
struct ClaimMergePolicy {
    eager: LogMergePolicy,
    usual: LogMergePolicy,
}

impl Default for ClaimMergePolicy {
    fn default() -> Self {
        let mut eager = LogMergePolicy::default();
        eager.set_min_num_segments(2);
        ClaimMergePolicy {
            eager,
            usual: LogMergePolicy::default(),
        }
    }
}

impl MergePolicy for ClaimMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
        if docs > u64::from(COMPACT_MAX_DOCS) {
            self.eager.compute_merge_candidates(segments)
        } else {
            self.usual.compute_merge_candidates(segments)
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    seq: u64,
    analysis: u32,
    /// `ClaimStore::identity` of the store followed (absent before shared
    /// stores: the SQLite file beside the index).
    #[serde(default)]
    store: String,
}

/// Source of `ClaimIndex::instance_id`.
static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

/// The Tantivy claim index.
pub struct ClaimIndex {
    instance_id: u64,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    /// `ClaimStore::identity` of the store this index follows.
    store_identity: String,
    fields: IndexFields,
    applied_seq: AtomicU64,
    /// Whether a commit with our payload exists (read once at open, then
    /// kept: `catch_up` runs on every follower poll).
    committed: AtomicBool,
}

impl ClaimIndex {
    /// Opens (creating, or recreating on a schema change) the index in
    /// `dir`, then catches up with `store`.
    pub fn open(dir: &Path, store: &ClaimStore) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = build_schema();
        let index = match Index::open_or_create(
            tantivy::directory::MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?,
            schema.clone(),
        ) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(reason)) => {
                tracing::warn!(%reason, dir = %dir.display(), "claim index schema changed, rebuilding");
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::create_in_dir(dir, schema)?
            }
            Err(err) => return Err(err.into()),
        };
        Self::with_index(index, fields, store, WRITER_THREADS)
    }

    /// Creates an index in memory that follows `store`, for tests, `eval`
    /// and `train`. One indexing thread: documents land in the store's
    /// order, so claims that score alike rank alike from run to run and
    /// `train` writes the same model every time (with two threads, which
    /// thread took a claim decided its place among equals).
    pub fn in_memory(store: &ClaimStore) -> Result<Self> {
        let (schema, fields) = build_schema();
        Self::with_index(Index::create_in_ram(schema), fields, store, 1)
    }

    fn with_index(
        index: Index,
        fields: IndexFields,
        store: &ClaimStore,
        threads: usize,
    ) -> Result<Self> {
        analysis::register(index.tokenizers());
        let writer = index
            .writer_with_num_threads(threads, WRITER_MEMORY_BYTES)
            .map_err(|err| match err {
                tantivy::TantivyError::LockFailure(..) => Error::Unavailable(
                    "the claim index is locked by another process using this data directory".into(),
                ),
                other => other.into(),
            })?;
        writer.set_merge_policy(Box::new(ClaimMergePolicy::default()));
        // Merged segments are searched as soon as they land, not at the
        // next write.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        let raw_payload = index.load_metas()?.payload;
        let committed = raw_payload.is_some();
        let payload: Option<Payload> =
            raw_payload.and_then(|text| serde_json::from_str(&text).ok());
        let store_seq = store.sequence()?;
        let store_identity = store.identity()?;
        // A payload from another analysis version, from another store, or
        // ahead of the store (a store replaced under the index), cannot be
        // caught up from.
        let stale = match &payload {
            Some(p)
                if p.analysis == ANALYSIS_VERSION
                    && p.seq <= store_seq
                    && p.store == store_identity =>
            {
                false
            }
            Some(p) => {
                tracing::info!(
                    index_seq = p.seq,
                    store_seq,
                    analysis = p.analysis,
                    index_store = %p.store,
                    store = %store_identity,
                    "claim index out of date, rebuilding"
                );
                true
            }
            None => false,
        };
        let start_seq = payload.map_or(0, |p| p.seq);
        let claim_index = ClaimIndex {
            instance_id: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            reader,
            writer: Mutex::new(writer),
            store_identity,
            fields,
            applied_seq: AtomicU64::new(start_seq),
            committed: AtomicBool::new(committed),
        };
        if stale {
            claim_index.rebuild(store)?;
        } else {
            claim_index.catch_up(store)?;
        }
        Ok(claim_index)
    }

    /// Returns an id unique to this index in the process; with a searcher's
    /// generation it names one exact state of the index, for caches.
    pub fn instance_id(&self) -> u64 {
        self.instance_id
    }

    /// Returns the schema fields.
    pub fn fields(&self) -> &IndexFields {
        &self.fields
    }

    /// Returns a searcher over the last committed state.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Returns the last store sequence the index reflects.
    pub fn applied_sequence(&self) -> u64 {
        self.applied_seq.load(Ordering::Acquire)
    }

    /// Applies every store change after the last applied one, commits with
    /// the new sequence in the payload and makes it visible to searchers.
    /// Returns the number of changes applied. Blocking.
    pub fn catch_up(&self, store: &ClaimStore) -> Result<usize> {
        let mut writer = self.lock_writer()?;
        // A new index commits once even with nothing to apply, so its
        // payload (and the store it follows) is on disk.
        let needs_commit = !self.committed.load(Ordering::Acquire);
        self.apply_changes(&mut writer, store, needs_commit)
    }

    /// Drops every document and rebuilds from the store. Blocking.
    pub fn rebuild(&self, store: &ClaimStore) -> Result<usize> {
        let mut writer = self.lock_writer()?;
        writer.delete_all_documents()?;
        self.applied_seq.store(0, Ordering::Release);
        // Commit even for an empty store, so the deletion is durable.
        self.apply_changes(&mut writer, store, true)
    }

    fn lock_writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>> {
        self.writer
            .lock()
            .map_err(|_| Error::Internal("claim index writer lock poisoned".into()))
    }

    /// Applies the store's changes after `applied_seq`; commits when any
    /// were applied or `force_commit` is set. A bulk change (a large load,
    /// a rebuild) is committed every `COMMIT_EVERY_CHANGES`, so the
    /// writer's pending deletes and documents stay bounded; searches see
    /// it whole, once the reader reloads at the end.
    fn apply_changes(
        &self,
        writer: &mut IndexWriter,
        store: &ClaimStore,
        force_commit: bool,
    ) -> Result<usize> {
        let mut applied = self.applied_seq.load(Ordering::Acquire);
        let mut count = 0;
        let mut uncommitted = 0;
        loop {
            let changes = store.changes_since(applied, CATCH_UP_BATCH)?;
            let Some(last) = changes.last() else { break };
            applied = last.sequence;
            count += changes.len();
            uncommitted += changes.len();
            for claim in &changes {
                writer.delete_term(Term::from_field_text(self.fields.id, &claim.id));
                if claim.status == ClaimStatus::Active {
                    writer.add_document(self.document(claim))?;
                }
            }
            if uncommitted >= COMMIT_EVERY_CHANGES {
                self.commit(writer, applied)?;
                uncommitted = 0;
            }
        }
        if uncommitted > 0 || (force_commit && count == 0) {
            self.commit(writer, applied)?;
        }
        if count > 0 || force_commit {
            if count >= COMPACT_AFTER_CHANGES {
                compact(writer);
            }
            self.reader.reload()?;
            self.applied_seq.store(applied, Ordering::Release);
            self.committed.store(true, Ordering::Release);
        }
        Ok(count)
    }

    /// Commits what the writer holds, recording the store sequence applied.
    fn commit(&self, writer: &mut IndexWriter, applied: u64) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            seq: applied,
            analysis: ANALYSIS_VERSION,
            store: self.store_identity.clone(),
        })
        .map_err(|err| Error::Internal(format!("index payload: {err}")))?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&payload);
        commit.commit()?;
        Ok(())
    }

    /// Returns the card stored with a document.
    pub fn card(&self, searcher: &Searcher, address: tantivy::DocAddress) -> Result<ClaimCard> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let json = doc
            .get_first(self.fields.card)
            .and_then(|value| value.as_str())
            .ok_or_else(|| Error::Internal("claim document without a card".into()))?;
        let mut card: ClaimCard = serde_json::from_str(json)
            .map_err(|err| Error::Internal(format!("unreadable claim card: {err}")))?;
        card.text_key = text_key(&card.text);
        Ok(card)
    }

    fn document(&self, claim: &Claim) -> TantivyDocument {
        let fields = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, &claim.id);
        let body = searched_text(claim);
        if is_stemmed(&claim.language)
            && let Some(field) = fields.stemmed_field(&claim.language)
        {
            doc.add_text(field, &body);
        }
        doc.add_text(fields.folded, &body);
        if claim.markets.is_empty() {
            doc.add_text(fields.market, ANY_MARKET);
        }
        for market in &claim.markets {
            doc.add_text(fields.market, market);
        }
        if !claim.markets.is_empty() {
            doc.add_text(fields.flags, FLAG_SCOPED);
        }
        if claim.valid_from.is_some() || claim.valid_until.is_some() {
            doc.add_text(fields.flags, FLAG_WINDOW);
        }
        doc.add_i64(
            fields.valid_from_ms,
            claim
                .valid_from
                .map_or(i64::MIN, |at| at.timestamp_millis()),
        );
        doc.add_i64(
            fields.valid_until_ms,
            claim
                .valid_until
                .map_or(i64::MAX, |at| at.timestamp_millis()),
        );
        // A card of strings and vectors always serialises.
        let card = serde_json::to_string(&ClaimCard::from(claim)).unwrap_or_default();
        doc.add_text(fields.card, card);
        doc
    }
}

#[cfg(test)]
mod tests;

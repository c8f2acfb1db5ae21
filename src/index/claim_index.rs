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
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::analysis::{self};
use super::card::{ClaimCard, searched_text, text_key};
use super::merge::{COMPACT_AFTER_CHANGES, ClaimMergePolicy, compact};
use super::schema::{IndexFields, build_schema};
use crate::claims::model::{Claim, ClaimStatus};
use crate::claims::store::ClaimStore;
use crate::error::{Error, Result};
use crate::lang::is_stemmed;

/// Bumped whenever analysis, schema or cards change, so old indexes are
/// rebuilt. 3: cards carry the claim's date. 4: stems are folded (accents
/// removed) after stemming. 5: Indonesian words said twice with a "2"
/// ("besar2an") read as written out. 6: amounts also indexed as their
/// values ("R$ 1.200" also "1200": `numbers::with_values`). 7: times of
/// day indexed as their hour ("pukul 15.00" also "15h"), no amount read
/// across punctuation. 8: Spanish "-ás", "-és" read without the accent
/// before stemming ("votás" as "votas": `analysis::voseo`), colloquial
/// Indonesian verbs as the written ones ("nyoblos" as "mencoblos":
/// `analysis::colloquial_verb`).
const ANALYSIS_VERSION: u32 = 8;

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
        let body = crate::matcher::numbers::with_values(&body, false);
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

//! Claims' sentence vectors, derived from the claim store like the index.
//!
//! A vector belongs to a claim's text, not to the claim: records are keyed
//! by a digest of the text, so a claim reloaded unchanged, a duplicate
//! claim from another partner, or a rebuilt index never costs the encoder
//! again. Kept in one append-only file beside the index (a header naming
//! the encoder model and how texts are read, `READING`, by a SHA-256;
//! then per text a digest, a scale, 384 signed bytes: 404 bytes), read
//! whole at start, never recomputed; a torn last record (a crash
//! mid-append) is cut off; vectors of another model or reading are
//! dropped and computed again. A text the encoder does not read (another
//! script than the shipped vocabulary's, `Encoder::reads`) gets no
//! vector: its claims are matched by their words only and counted
//! (`claims_unread`).
//!
//! Search is by exhaustive scan of the signed bytes (0.4 MB per thousand
//! claims) or, from `signs_from` texts on, through the texts' signs first
//! (`signs.rs`: 48 bytes a text read for every one, then a hundredth of
//! the rows scored exactly). Each claim's markets and validity are kept
//! beside its link, so the nearest claims are the nearest the request may
//! be given: claims of other markets, or expired ones, never take the
//! places of the caller's (the matcher still checks that each is in the
//! index). Cosines
//! are those of the centred space (`centre.rs`): the file keeps e5's own
//! vectors, each row's length in that space is kept beside it in memory,
//! and nothing is found before the means are first fitted.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::centre::{Centre, slot_of};
use super::scan::Rows8;
use super::signs::{SignRows, Signs, signs_of};
use crate::claims::{Claim, ClaimStatus, ClaimStore};
use crate::encoder::{DIM, Encoder, NeutralMeans, Role};
use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"CSVEC1\0\0";
const KEY: usize = 16;
const RECORD: usize = KEY + 4 + DIM;

type TextKey = [u8; KEY];

/// How a catch-up computes its new texts' vectors: one for each text
/// the encoder reads, none for the others (`Encoder::embed_read`).
pub type EmbedTexts<'a> = dyn Fn(&[&str]) -> Vec<Option<[f32; DIM]>> + 'a;

/// How claims and captions are put to the encoder: the text alone, both
/// sides alike (docs/encoder.md, "The text alone"). Part of what the
/// vector file names (`ClaimVectors::open`): vectors read otherwise are
/// computed again.
pub const READING: Role = Role::Text;

/// Texts from which the search reads signs first (`signs.rs`): below, the
/// full scan costs under 4 ms a sentence on one core.
pub const SIGNS_FROM: usize = 250_000;
/// The share of the texts scored exactly for each sentence when the signs
/// are read first, and the fewest.
const SHORTLIST_SHARE: f64 = 0.01;
const SHORTLIST_LEAST: usize = 1_000;

/// The vectors of claims' texts, and which claims have which text.
pub struct ClaimVectors {
    file: Option<Mutex<File>>,
    set: RwLock<VectorSet>,
    /// The store's change sequence the links are up to date with.
    applied: AtomicU64,
}

impl std::fmt::Debug for ClaimVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimVectors")
            .field("texts", &self.texts())
            .finish_non_exhaustive()
    }
}

struct VectorSet {
    values: Rows8,
    scales: Vec<f32>,
    rows: FxHashMap<TextKey, u32>,
    /// The claims holding each row's text, with where and when each may
    /// be found.
    claims: Vec<Vec<(Box<str>, Reach)>>,
    /// Each distinct list of markets claims name, by number (`Reach`).
    market_lists: Markets,
    /// Each claim's row.
    linked: FxHashMap<Box<str>, u32>,
    /// Claims whose text the encoder does not read: they have no row.
    unread: rustc_hash::FxHashSet<Box<str>>,
    /// Each row's language slot (`centre::slot_of`), known once a claim
    /// links to it.
    slots: Vec<u8>,
    /// Each row's length in the centred space (`Centre::length`).
    lengths: Vec<f32>,
    /// Each row's signs in the centred space, from `signs_from` rows on.
    signs: SignRows,
    signs_from: usize,
    /// The sum of every row's vector, for the mean.
    sum: Box<[f64; DIM]>,
    /// The mean in force; none before the first fit.
    centre: Option<Centre>,
}

impl Default for VectorSet {
    fn default() -> Self {
        VectorSet {
            values: Rows8::default(),
            scales: Vec::new(),
            rows: FxHashMap::default(),
            claims: Vec::new(),
            market_lists: Markets::default(),
            linked: FxHashMap::default(),
            unread: Default::default(),
            slots: Vec::new(),
            lengths: Vec::new(),
            signs: SignRows::default(),
            signs_from: SIGNS_FROM,
            sum: Box::new([0.0; DIM]),
            centre: None,
        }
    }
}

/// A claim's text and where and when it may be found, as the vectors
/// link them (the fields `Claim::applies_to` reads).
#[derive(Clone, Copy, Debug)]
pub struct ClaimText<'a> {
    /// The claim's id.
    pub id: &'a str,
    /// Its text.
    pub text: &'a str,
    /// The text's language.
    pub language: &'a str,
    /// The markets it applies to; none for every market.
    pub markets: &'a [String],
    /// From when it applies, epoch milliseconds.
    pub valid_from_ms: Option<i64>,
    /// Until when (excluded), epoch milliseconds.
    pub valid_until_ms: Option<i64>,
}

impl<'a> ClaimText<'a> {
    /// A claim for every market, at any time.
    pub fn everywhere(id: &'a str, text: &'a str, language: &'a str) -> ClaimText<'a> {
        ClaimText {
            id,
            text,
            language,
            markets: &[],
            valid_from_ms: None,
            valid_until_ms: None,
        }
    }
}

impl<'a> From<&'a Claim> for ClaimText<'a> {
    fn from(claim: &'a Claim) -> ClaimText<'a> {
        ClaimText {
            id: &claim.id,
            text: &claim.text,
            language: &claim.language,
            markets: &claim.markets,
            valid_from_ms: claim.valid_from.map(|at| at.timestamp_millis()),
            valid_until_ms: claim.valid_until.map(|at| at.timestamp_millis()),
        }
    }
}

/// Whom a search answers: only claims that apply to the request's market
/// at the time its content was observed are among the nearest.
#[derive(Clone, Copy, Debug)]
pub struct Audience<'a> {
    /// The request's market; empty for any.
    pub market: &'a str,
    /// When the content was observed, epoch milliseconds; `None` for any
    /// time.
    pub at_ms: Option<i64>,
}

impl Audience<'static> {
    /// Every claim, whatever its markets and validity (evaluation).
    pub const EVERYONE: Audience<'static> = Audience {
        market: "",
        at_ms: None,
    };
}

/// Where and when a linked claim may be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Reach {
    /// The number of its list of markets in `Markets`; 0 for every market.
    markets: u32,
    from_ms: i64,
    until_ms: i64,
}

/// The distinct lists of markets claims name, numbered from 1 (claims of
/// one partner mostly name the same list, so a link holds a number).
#[derive(Default)]
struct Markets {
    lists: Vec<Box<[Box<str>]>>,
    numbers: FxHashMap<Box<[Box<str>]>, u32>,
}

impl Markets {
    fn number(&mut self, markets: &[String]) -> u32 {
        if markets.is_empty() {
            return 0;
        }
        let list: Box<[Box<str>]> = markets.iter().map(|m| m.as_str().into()).collect();
        if let Some(&n) = self.numbers.get(&list) {
            return n;
        }
        self.lists.push(list.clone());
        let n = self.lists.len() as u32;
        self.numbers.insert(list, n);
        n
    }

    /// Which lists hold `market`: indexed by list number.
    fn holding(&self, market: &str) -> Vec<bool> {
        std::iter::once(true)
            .chain(
                self.lists
                    .iter()
                    .map(|list| market.is_empty() || list.iter().any(|m| &**m == market)),
            )
            .collect()
    }
}

impl Reach {
    fn of(claim: &ClaimText<'_>, markets: &mut Markets) -> Reach {
        Reach {
            markets: markets.number(claim.markets),
            from_ms: claim.valid_from_ms.unwrap_or(i64::MIN),
            until_ms: claim.valid_until_ms.unwrap_or(i64::MAX),
        }
    }

    /// As `Claim::applies_to`: in a list holding the market, from `from`
    /// and before `until`.
    fn admits(&self, holding: &[bool], at_ms: Option<i64>) -> bool {
        holding[self.markets as usize]
            && at_ms.is_none_or(|at| self.from_ms <= at && at < self.until_ms)
    }
}

/// A claim near a query, by cosine.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    /// The claim.
    pub claim_id: String,
    /// The cosine of its text's vector with the query's.
    pub cosine: f32,
}

/// The 32 bytes that name the vectors' maker in the file's header: the
/// SHA-256 of the model's digest and of how texts are read (`READING`).
fn maker_digest(model: &str) -> [u8; 32] {
    let reading = match READING {
        Role::Text => "text alone",
        Role::Query => "query: ",
        Role::Passage => "passage: ",
    };
    Sha256::digest(format!("{} {reading}", model.trim()).as_bytes()).into()
}

fn key_of(text: &str) -> TextKey {
    let digest = Sha256::digest(text.as_bytes());
    let mut key = [0u8; KEY];
    key.copy_from_slice(&digest[..KEY]);
    key
}

impl ClaimVectors {
    /// Opens (or creates) the vector file at `path`, of the model whose
    /// SHA-256 is `model` reading texts as `READING` does: vectors of
    /// another model or reading are dropped (they are derived data,
    /// computed again in the background).
    pub fn open(path: &Path, model: &str) -> Result<ClaimVectors> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        if !bytes.is_empty() && !bytes.starts_with(MAGIC) {
            return Err(Error::invalid(format!(
                "{} is not a claim vector file (remove it and it is rebuilt)",
                path.display()
            )));
        }
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&maker_digest(model));
        if !bytes.starts_with(&header) {
            if !bytes.is_empty() {
                tracing::warn!(
                    path = %path.display(),
                    "claim vectors of another encoder model or reading dropped; computing them again"
                );
            }
            file.set_len(0)?;
            file.write_all(&header)?;
            file.sync_all()?;
            bytes.clone_from(&header);
        }
        let body = &bytes[header.len()..];
        let whole = body.len() / RECORD * RECORD;
        if whole < body.len() {
            tracing::warn!(
                path = %path.display(),
                bytes = body.len() - whole,
                "claim vector file ends in a torn record; cut off"
            );
            file.set_len((header.len() + whole) as u64)?;
            file.sync_all()?;
        }
        let mut set = VectorSet::default();
        for record in body[..whole].chunks_exact(RECORD) {
            let key: TextKey = record[..KEY].try_into().expect("key bytes");
            let scale = f32::from_le_bytes(record[KEY..KEY + 4].try_into().expect("4 bytes"));
            let values: [i8; DIM] = std::array::from_fn(|i| record[KEY + 4 + i] as i8);
            set.push(key, scale, &values);
        }
        Ok(ClaimVectors {
            file: Some(Mutex::new(file)),
            set: RwLock::new(set),
            applied: AtomicU64::new(0),
        })
    }

    /// Returns vectors kept in memory only (evaluation, tests).
    pub fn in_memory() -> ClaimVectors {
        ClaimVectors {
            file: None,
            set: RwLock::new(VectorSet::default()),
            applied: AtomicU64::new(0),
        }
    }

    /// Reads signs first from `texts` texts on (`SIGNS_FROM` unless set).
    pub fn with_signs_from(self, texts: usize) -> ClaimVectors {
        if let Ok(mut set) = self.set.write() {
            set.signs_from = texts;
            set.signs.clear();
            set.fill_signs();
        }
        self
    }

    /// Returns the number of distinct texts with a vector.
    pub fn texts(&self) -> usize {
        self.set.read().map(|s| s.scales.len()).unwrap_or(0)
    }

    /// Returns the number of claims linked to a vector.
    pub fn claims(&self) -> usize {
        self.set.read().map(|s| s.linked.len()).unwrap_or(0)
    }

    /// Returns the number of claims whose text the encoder does not read
    /// (another script): they have no vector and are matched by their
    /// words only.
    pub fn claims_unread(&self) -> usize {
        self.set.read().map(|s| s.unread.len()).unwrap_or(0)
    }

    /// Links each claim to its text's vector, computing with `embed` (and
    /// appending, durably) those of texts not seen before. A text `embed`
    /// gives no vector (one the encoder does not read, `Encoder::reads`)
    /// is kept nowhere: its claims have none and are matched by their
    /// words only, and it is looked at again after a restart (reading
    /// its letters costs microseconds). Returns how many texts were
    /// embedded.
    pub fn update<V: Into<Option<[f32; DIM]>>>(
        &self,
        claims: &[ClaimText<'_>],
        embed: impl FnOnce(&[&str]) -> Vec<V>,
    ) -> Result<usize> {
        let keys: Vec<TextKey> = claims.iter().map(|c| key_of(c.text)).collect();
        let mut missing: Vec<(TextKey, &str)> = {
            let set = self.read()?;
            claims
                .iter()
                .zip(&keys)
                .filter(|(_, key)| !set.rows.contains_key(*key))
                .map(|(c, key)| (*key, c.text))
                .collect()
        };
        missing.sort_unstable_by_key(|(key, _)| *key);
        missing.dedup_by_key(|(key, _)| *key);
        let texts: Vec<&str> = missing.iter().map(|(_, text)| *text).collect();
        let vectors: Vec<Option<[f32; DIM]>> = if texts.is_empty() {
            Vec::new()
        } else {
            embed(&texts).into_iter().map(Into::into).collect()
        };
        let mut records = Vec::with_capacity(vectors.len() * RECORD);
        let mut quantised = Vec::with_capacity(vectors.len());
        let read = missing
            .iter()
            .zip(&vectors)
            .filter_map(|(missing, vector)| Some((missing, vector.as_ref()?)));
        for ((key, _), vector) in read {
            let largest = vector.iter().fold(0f32, |m, v| m.max(v.abs()));
            let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
            let values: [i8; DIM] = std::array::from_fn(|i| (vector[i] / scale).round() as i8);
            records.extend_from_slice(key);
            records.extend_from_slice(&scale.to_le_bytes());
            records.extend(values.iter().map(|&v| v as u8));
            quantised.push((*key, scale, values));
        }
        let quantised_count = quantised.len();
        if let Some(file) = &self.file {
            let mut file = file
                .lock()
                .map_err(|_| Error::Internal("vector file lock poisoned".into()))?;
            file.write_all(&records)?;
            file.sync_data()?;
        }
        let mut set = self
            .set
            .write()
            .map_err(|_| Error::Internal("vector set lock poisoned".into()))?;
        for (key, scale, values) in quantised {
            set.push(key, scale, &values);
        }
        for (claim, key) in claims.iter().zip(&keys) {
            let reach = Reach::of(claim, &mut set.market_lists);
            set.link(claim.id, key, slot_of(claim.language), reach);
        }
        Ok(quantised_count)
    }

    /// Takes up to `limit` claim changes past those already applied from
    /// `store`: links each active claim to its text's vector (embedding
    /// the new texts) and forgets retracted ones, `batch` changes at a
    /// time (each batch's vectors written and synced before its links).
    /// Returns the changes applied and the texts embedded; (0, 0) when
    /// up to date. After a restart the links are rebuilt from the first
    /// change, but no text already in the file is embedded again.
    ///
    /// The centred space is fitted when the changes taken reach the end
    /// of the store's sequence, before the links are reported up to date:
    /// after a restart the mean is then the claims', not that of the part
    /// replayed so far. Until the first fit nothing is found by meaning;
    /// while a large load is embedded the last fit stays in force.
    pub fn catch_up(
        &self,
        store: &ClaimStore,
        encoder: &Encoder,
        limit: usize,
        batch: usize,
    ) -> Result<(usize, usize)> {
        let embed = |texts: &[&str]| encoder.embed_read(texts, READING);
        self.catch_up_with(store, encoder.neutral_means(), &embed, limit, batch)
    }

    /// `catch_up`, with the new texts of the changes taken computed by
    /// `embed` in one call (the embedder spreads it over idle cores,
    /// `app/embedder/helpers.rs`). `neutral` are the encoder's neutral
    /// means.
    pub fn catch_up_with(
        &self,
        store: &ClaimStore,
        neutral: &NeutralMeans,
        embed: &EmbedTexts<'_>,
        limit: usize,
        batch: usize,
    ) -> Result<(usize, usize)> {
        let after = self.applied.load(Ordering::Acquire);
        let changes = store.changes_since(after, limit)?;
        // Each new text once; only this catch-up adds rows, so the texts
        // `update` finds missing below are among these.
        let mut new: Vec<(TextKey, &str)> = {
            let set = self.read()?;
            changes
                .iter()
                .filter(|c| c.status != ClaimStatus::Retracted)
                .map(|c| (key_of(&c.text), c.text.as_str()))
                .filter(|(key, _)| !set.rows.contains_key(key))
                .collect()
        };
        new.sort_unstable_by_key(|(key, _)| *key);
        new.dedup_by_key(|(key, _)| *key);
        let texts: Vec<&str> = new.iter().map(|(_, text)| *text).collect();
        let computed: FxHashMap<TextKey, Option<[f32; DIM]>> = if texts.is_empty() {
            FxHashMap::default()
        } else {
            new.iter().map(|(key, _)| *key).zip(embed(&texts)).collect()
        };
        let mut embedded = 0;
        for chunk in changes.chunks(batch.max(1)) {
            let active: Vec<ClaimText<'_>> = chunk
                .iter()
                .filter(|c| c.status != ClaimStatus::Retracted)
                .map(ClaimText::from)
                .collect();
            embedded += self.update(&active, |texts| {
                texts
                    .iter()
                    .map(|text| match computed.get(&key_of(text)) {
                        Some(vector) => *vector,
                        None => embed(&[*text])[0],
                    })
                    .collect()
            })?;
            for retracted in chunk.iter().filter(|c| c.status == ClaimStatus::Retracted) {
                self.unlink(&retracted.id)?;
            }
        }
        if changes.len() < limit {
            self.recentre(neutral)?;
        }
        if let Some(last) = changes.last() {
            self.applied.store(last.sequence, Ordering::Release);
        }
        Ok((changes.len(), embedded))
    }

    /// Fits the mean of the centred space again when the texts have moved
    /// enough since the last fit (`Centre::stale`). Returns whether it did.
    pub fn recentre(&self, neutral: &NeutralMeans) -> Result<bool> {
        // Only the claims' catch-up writes, so the rows read here are
        // still the rows when the fit is put in force.
        let centre = {
            let set = self.read()?;
            if !Centre::stale(set.centre.as_ref(), set.scales.len()) {
                return Ok(false);
            }
            Centre::fit(neutral, &set.sum, set.scales.len())
        };
        let (lengths, signs) = {
            let set = self.read()?;
            let rows = 0..set.values.len();
            let lengths = rows
                .clone()
                .map(|row| centre.length(&set.values.row(row), set.scales[row], set.slots[row]))
                .collect();
            let signs: Vec<Signs> = if set.values.len() >= set.signs_from {
                rows.map(|row| set.row_signs(&centre, row)).collect()
            } else {
                Vec::new()
            };
            (lengths, signs)
        };
        let mut set = self
            .set
            .write()
            .map_err(|_| Error::Internal("vector set lock poisoned".into()))?;
        set.lengths = lengths;
        set.signs.clear();
        for (row, signs) in signs.iter().enumerate() {
            set.signs.set(row, signs);
        }
        set.centre = Some(centre);
        set.fill_lengths();
        Ok(true)
    }

    /// Returns the store's change sequence the links are up to date with.
    pub fn applied_sequence(&self) -> u64 {
        self.applied.load(Ordering::Acquire)
    }

    /// Forgets which vector a claim has (a retracted claim).
    pub fn unlink(&self, claim_id: &str) -> Result<()> {
        let mut set = self
            .set
            .write()
            .map_err(|_| Error::Internal("vector set lock poisoned".into()))?;
        set.unlink(claim_id);
        Ok(())
    }

    /// Returns the claims whose text's cosine with `query` (text in
    /// `language`) is at least `floor`, nearest first: those of the
    /// nearest `limit` texts, whatever their markets and validity.
    pub fn nearest(
        &self,
        query: &[f32; DIM],
        language: &str,
        floor: f32,
        limit: usize,
    ) -> Result<Vec<Near>> {
        Ok(self
            .nearest_each(
                std::slice::from_ref(query),
                language,
                Audience::EVERYONE,
                floor,
                limit,
            )?
            .pop()
            .unwrap_or_default())
    }

    /// Returns, for each query, the claims that apply to `audience` whose
    /// text's cosine with it is at least `floor`, nearest first: those of
    /// the nearest `limit` texts any of whose claims apply. Every text's
    /// vector (or, from `signs_from` texts, its signs) is read once for all
    /// the queries.
    pub fn nearest_each(
        &self,
        queries: &[[f32; DIM]],
        language: &str,
        audience: Audience<'_>,
        floor: f32,
        limit: usize,
    ) -> Result<Vec<Vec<Near>>> {
        let set = self.read()?;
        let Some(centre) = &set.centre else {
            return Ok(vec![Vec::new(); queries.len()]);
        };
        let holding = set.market_lists.holding(audience.market);
        let admitted = |(_, reach): &&(Box<str>, Reach)| reach.admits(&holding, audience.at_ms);
        let slot = slot_of(language);
        let centred: Vec<_> = queries.iter().map(|q| centre.query(q, slot)).collect();
        let mut found: Vec<Vec<(f32, u32)>> = vec![Vec::new(); queries.len()];
        if set.signs.len() == set.values.len() && set.signs.len() > 0 {
            // Through the signs: each sentence's nearest hundredth by
            // differing signs, scored exactly.
            let signs: Vec<Signs> = centred.iter().map(|q| signs_of(q.vector)).collect();
            let rows = set.values.len();
            let keep = ((rows as f64 * SHORTLIST_SHARE) as usize).max(SHORTLIST_LEAST);
            let lists = set.signs.nearest(&signs, keep);
            for ((found, centred), shortlist) in found.iter_mut().zip(&centred).zip(lists) {
                // The rows lie far apart: each is asked for a few rows
                // ahead of its turn, so that the waits on memory overlap.
                const AHEAD: usize = 16;
                for (i, &row) in shortlist.iter().enumerate() {
                    if let Some(&next) = shortlist.get(i + AHEAD) {
                        set.prefetch(next as usize);
                    }
                    let row = row as usize;
                    let (scale, length) = (set.scales[row], set.lengths[row]);
                    let slot = usize::from(set.slots[row]);
                    let cosine = set.values.with_row(row, |values| {
                        cosine_of(centred, slot, values, scale, length)
                    });
                    if cosine >= floor && set.claims[row].iter().any(|c| admitted(&c)) {
                        found.push((cosine, row as u32));
                    }
                }
            }
            return Ok(set.answer(found, admitted, limit));
        }
        // Every row by integer products, then the rows near the floor
        // rescored exactly with the query as it is (`scan.rs`). A row's
        // cosine is (product - offset) / length, so the floor on the
        // product is floor x length + offset.
        let quantised: Vec<super::scan::Query8> = centred
            .iter()
            .map(|q| super::scan::Query8::new(&q.vector))
            .collect();
        let mut dots = Vec::new();
        set.values.dots(&quantised, &mut dots);
        let k = queries.len().max(1);
        let rows = dots.chunks_exact(k).zip(&set.scales).zip(&set.lengths);
        for (row, ((products, scale), length)) in rows.enumerate() {
            if set.claims[row].is_empty() {
                continue;
            }
            let slot = usize::from(set.slots[row]);
            // Read back once, for whichever sentences it is near; a row
            // none of whose claims the audience may be given is no one's.
            let mut values = None;
            let mut admitted_here = None;
            for (q, &product) in products.iter().enumerate() {
                let rough = product as f32 * quantised[q].scale * scale;
                if rough < floor * length + centred[q].offsets[slot] - super::scan::MARGIN {
                    continue;
                }
                if !*admitted_here
                    .get_or_insert_with(|| set.claims[row].iter().any(|c| admitted(&c)))
                {
                    break;
                }
                let values = values.get_or_insert_with(|| set.values.row(row));
                let cosine = cosine_of(&centred[q], slot, values, *scale, *length);
                if cosine >= floor {
                    found[q].push((cosine, row as u32));
                }
            }
        }
        Ok(set.answer(found, admitted, limit))
    }

    /// Returns the cosine of `query` (text in `language`) with the text of
    /// claim `claim_id`, exactly, or `None` when the claim has no vector
    /// yet or the space is not fitted.
    pub fn cosine(
        &self,
        query: &[f32; DIM],
        language: &str,
        claim_id: &str,
    ) -> Result<Option<f32>> {
        Ok(self.read()?.cosine_with(query, slot_of(language), claim_id))
    }

    /// Returns the cosine of two claims' texts in the centred space, each
    /// read in its own language, or `None` when either has no vector yet
    /// or the space is not fitted. Two checks of one falsehood in two
    /// markets or languages sit near each other however their words
    /// differ.
    pub fn between(&self, claim: &str, other: &str) -> Result<Option<f32>> {
        let set = self.read()?;
        let Some(&row) = set.linked.get(claim) else {
            return Ok(None);
        };
        let row = row as usize;
        let Some(&scale) = set.scales.get(row) else {
            return Ok(None);
        };
        // The claim's stored row, read back as a caption's vector.
        let values = set.values.row(row);
        let raw: [f32; DIM] = std::array::from_fn(|i| f32::from(values[i]) * scale);
        Ok(set.cosine_with(&raw, set.slots[row], other))
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, VectorSet>> {
        self.set
            .read()
            .map_err(|_| Error::Internal("vector set lock poisoned".into()))
    }
}

impl VectorSet {
    /// The cosine of `query` (a vector of text in the language of `slot`)
    /// with claim `claim_id`'s text, or `None` when the claim has no
    /// vector yet or the space is not fitted.
    fn cosine_with(&self, query: &[f32; DIM], slot: u8, claim_id: &str) -> Option<f32> {
        let (Some(centre), Some(&row)) = (&self.centre, self.linked.get(claim_id)) else {
            return None;
        };
        let row = row as usize;
        let (Some(&scale), Some(&length)) = (self.scales.get(row), self.lengths.get(row)) else {
            return None;
        };
        let centred = centre.query(query, slot);
        let values = self.values.row(row);
        let row_slot = usize::from(self.slots[row]);
        Some(cosine_of(&centred, row_slot, &values, scale, length))
    }

    /// Each query's claims that `admitted` lets through, from its rows
    /// found (cosine, row): those of the nearest `limit` rows. Partners
    /// who checked the same words take one place, not every place.
    fn answer(
        &self,
        found: Vec<Vec<(f32, u32)>>,
        admitted: impl Fn(&&(Box<str>, Reach)) -> bool + Copy,
        limit: usize,
    ) -> Vec<Vec<Near>> {
        found
            .into_iter()
            .map(|mut rows| {
                rows.sort_by(|a, b| b.0.total_cmp(&a.0));
                rows.into_iter()
                    .take(limit)
                    .flat_map(|(cosine, row)| {
                        self.claims[row as usize]
                            .iter()
                            .filter(admitted)
                            .map(move |(id, _)| Near {
                                claim_id: id.to_string(),
                                cosine,
                            })
                    })
                    .collect()
            })
            .collect()
    }

    /// Asks the CPU to start reading what scoring row `row` reads.
    fn prefetch(&self, row: usize) {
        self.values.prefetch(row);
        #[cfg(target_arch = "x86_64")]
        if row < self.scales.len() && row < self.lengths.len() {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            // SAFETY: prefetches of addresses inside the three vectors
            // (checked just above); they read nothing themselves.
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>((&raw const self.scales[row]).cast());
                _mm_prefetch::<_MM_HINT_T0>((&raw const self.lengths[row]).cast());
                _mm_prefetch::<_MM_HINT_T0>((&raw const self.slots[row]).cast());
            }
        }
    }

    /// Row `row`'s signs in `centre`'s space.
    fn row_signs(&self, centre: &Centre, row: usize) -> Signs {
        let mean = centre.mean(self.slots[row]);
        let scale = self.scales[row];
        let values = self.values.row(row);
        signs_of((0..DIM).map(|d| f32::from(values[d]) * scale - mean[d]))
    }

    /// From `signs_from` rows on, gives the rows without signs theirs
    /// (laying the rows out one after another first, for the exact
    /// scoring of the few each sentence keeps).
    fn fill_signs(&mut self) {
        let Some(centre) = &self.centre else {
            return;
        };
        if self.values.len() < self.signs_from {
            return;
        }
        self.values.lay_out_rows();
        let signs: Vec<Signs> = (self.signs.len()..self.values.len())
            .map(|row| self.row_signs(centre, row))
            .collect();
        for signs in signs {
            self.signs.set(self.signs.len(), &signs);
        }
    }

    fn push(&mut self, key: TextKey, scale: f32, values: &[i8; DIM]) {
        if self.rows.contains_key(&key) {
            return;
        }
        self.rows.insert(key, self.scales.len() as u32);
        self.scales.push(scale);
        self.values.push(values);
        self.slots.push(0);
        for (sum, &v) in self.sum.iter_mut().zip(values) {
            *sum += f64::from(v) * f64::from(scale);
        }
        self.claims.push(Vec::new());
        self.fill_lengths();
    }

    /// Gives the rows added since the last fit their length.
    fn fill_lengths(&mut self) {
        let Some(centre) = &self.centre else {
            return;
        };
        for row in self.lengths.len()..self.scales.len() {
            let values = self.values.row(row);
            let length = centre.length(&values, self.scales[row], self.slots[row]);
            self.lengths.push(length);
        }
        self.fill_signs();
    }

    fn link(&mut self, claim_id: &str, key: &TextKey, slot: u8, reach: Reach) {
        let Some(&row) = self.rows.get(key) else {
            // A text with no vector: the claim keeps none, not its old
            // text's.
            self.unlink(claim_id);
            self.unread.insert(claim_id.into());
            return;
        };
        self.unread.remove(claim_id);
        let at = row as usize;
        if self.slots[at] != slot {
            self.slots[at] = slot;
            if let (Some(centre), Some(length)) = (&self.centre, self.lengths.get_mut(at)) {
                *length = centre.length(&self.values.row(at), self.scales[at], slot);
            }
            if let Some(centre) = &self.centre
                && at < self.signs.len()
            {
                let signs = self.row_signs(centre, at);
                self.signs.set(at, &signs);
            }
        }
        if self.linked.get(claim_id) == Some(&row) {
            // The same text: its markets or validity may have changed.
            for (id, kept) in &mut self.claims[at] {
                if &**id == claim_id {
                    *kept = reach;
                }
            }
            return;
        }
        self.unlink(claim_id);
        self.linked.insert(claim_id.into(), row);
        self.claims[at].push((claim_id.into(), reach));
    }

    fn unlink(&mut self, claim_id: &str) {
        self.unread.remove(claim_id);
        if let Some(row) = self.linked.remove(claim_id) {
            self.claims[row as usize].retain(|(id, _)| &**id != claim_id);
        }
    }
}

/// The cosine of a centred query with a row in the centred space.
fn cosine_of(
    query: &super::centre::Centred,
    slot: usize,
    values: &[i8],
    scale: f32,
    length: f32,
) -> f32 {
    (dot(&query.vector, values) * scale - query.offsets[slot]) / length
}

/// A float query against a row of signed bytes, in 8 lanes the compiler
/// keeps in vector registers.
fn dot(query: &[f32; DIM], values: &[i8]) -> f32 {
    let mut lanes = [0f32; 8];
    for (q, v) in query.chunks_exact(8).zip(values.chunks_exact(8)) {
        for i in 0..8 {
            lanes[i] += q[i] * v[i] as f32;
        }
    }
    lanes.iter().sum()
}

#[cfg(test)]
mod tests;

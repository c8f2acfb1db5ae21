//! Matching by meaning: the claims whose text's sentence vector is near a
//! sentence of the content, in any language, found beside BM25's.
//!
//! Each sentence of the content (the whole text of a post) is embedded
//! once, in one batch; the nearest claims that apply to the request's
//! market and moment become candidates when they are in the index. A
//! cosine becomes a confidence by a fixed map fitted on
//! `multilingual-dev` (docs/encoder.md): from `semantic_floor_cosine` up to
//! `semantic_review_cosine` it climbs to the review threshold, above it to
//! just under `auto`; a claim in another language than the content's
//! reaches the review threshold at `semantic_review_cosine_across`
//! (`confidence_of`). Meaning alone never decides `auto`: near-duplicate
//! claims that differ by a city or a number sit within rounding of each
//! other by cosine, and removing a video on such a guess is the false match
//! this service must not make. A pair the lexical model judges higher
//! keeps the lexical judgement.

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use lru::LruCache;

use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::candidates::{deadline_check, scope_queries};
use super::config::MatchConfig;
use super::score::Scope;
use crate::captions::Window;
use crate::encoder::Encoder;
use crate::error::{Error, Result};
use crate::index::{Audience, ClaimIndex, ClaimVectors, READING};

/// Returns the encoder `config` names, else the shipped one.
pub fn encoder_of(config: &MatchConfig) -> Result<Arc<Encoder>> {
    let Some(path) = &config.encoder_model else {
        return shipped_encoder();
    };
    let digest = config
        .encoder_sha256
        .as_deref()
        .unwrap_or(crate::encoder::SHIPPED_SHA256);
    Encoder::open(path, Some(digest))
        .map(Arc::new)
        .map_err(|err| {
            Error::invalid(format!(
                "{err} (matching.encoder_model, matching.encoder_sha256)"
            ))
        })
}

/// Returns the encoder shipped in `model/`, read once per process (every
/// data directory and evaluation in a process shares its 49 MB).
pub fn shipped_encoder() -> Result<Arc<Encoder>> {
    static SHIPPED: OnceLock<Arc<Encoder>> = OnceLock::new();
    if let Some(encoder) = SHIPPED.get() {
        return Ok(encoder.clone());
    }
    let encoder = Encoder::shipped().map_err(|err| Error::invalid(err.to_string()))?;
    Ok(SHIPPED.get_or_init(|| Arc::new(encoder)).clone())
}

/// Claims taken per sentence, nearest first.
const PER_SENTENCE: usize = 5;
/// Sentences embedded between two looks at the caller's deadline: a
/// batch of eight short sentences costs the encoder about 60 ms on one
/// core, the longest a caller who has given up keeps a scoring thread.
const SENTENCES_PER_BATCH: usize = 8;

/// A sentence's vector, as the encoder reads it (`READING`).
type Vector = [f32; crate::encoder::DIM];

/// The longest sentence (in bytes) whose vector is kept across requests.
/// The encoder reads about 2,000 characters of a text; without a bound a
/// caller could fill the kept vectors with megabyte-long sentences. A
/// kept sentence then costs at most about 3.7 KB.
const MAX_KEPT_BYTES: usize = 2_048;

/// Vectors of sentences by their text as read, the most lately used kept.
type Recent = LruCache<Box<str>, Vector>;

/// Returns the kept vectors, locked. A panic while they were held leaves
/// them whole (each access is one call), so they are used on.
fn lock(recent: &Mutex<Recent>) -> std::sync::MutexGuard<'_, Recent> {
    recent
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The encoder and the claims' vectors.
#[derive(Debug)]
pub struct Semantic {
    encoder: Arc<Encoder>,
    vectors: Arc<ClaimVectors>,
    /// The vectors of the sentences embedded lately, by their text as
    /// read (see `MatchConfig::semantic_cache`); none when off.
    recent: Option<Mutex<Recent>>,
    /// Sentences of short content, those the encoder ran on, and those
    /// answered from `recent`.
    sentences: AtomicU64,
    embedded: AtomicU64,
    cached: AtomicU64,
    unread: AtomicU64,
}

/// A claim found by meaning for one window.
#[derive(Debug)]
pub(super) struct Dense {
    pub window: usize,
    pub address: tantivy::DocAddress,
    pub cosine: f32,
}

/// What meaning found for a request: the claims near its sentences, and
/// each embedded sentence's vector (by window), to weigh the claims its
/// words found.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub near: Vec<Dense>,
    pub embedded: Vec<(usize, Vector)>,
}

impl Semantic {
    /// Matching by meaning with this encoder over these vectors.
    pub fn new(encoder: Arc<Encoder>, vectors: Arc<ClaimVectors>) -> Semantic {
        Semantic {
            encoder,
            vectors,
            recent: None,
            sentences: AtomicU64::new(0),
            embedded: AtomicU64::new(0),
            cached: AtomicU64::new(0),
            unread: AtomicU64::new(0),
        }
    }

    /// Keeps the vectors of the `sentences` sentences embedded last
    /// across requests (none for 0).
    pub fn with_cache(mut self, sentences: usize) -> Semantic {
        self.recent = NonZeroUsize::new(sentences).map(|n| Mutex::new(LruCache::new(n)));
        self
    }

    /// Sentences of short content seen so far, and how many of them the
    /// encoder ran on (the others were decided by words or let through by
    /// the gate).
    pub fn sentences_embedded(&self) -> (u64, u64) {
        (
            self.sentences.load(Ordering::Relaxed),
            self.embedded.load(Ordering::Relaxed),
        )
    }

    /// Sentences answered from the vectors kept across requests
    /// (`with_cache`) instead of the encoder.
    pub fn sentences_cached(&self) -> u64 {
        self.cached.load(Ordering::Relaxed)
    }

    /// Sentences (and runs of cues) not put to the encoder because it
    /// does not read their script (`Encoder::reads`): matched by their
    /// words only.
    pub fn sentences_unread(&self) -> u64 {
        self.unread.load(Ordering::Relaxed)
    }

    /// Counts `texts` looked at outside `candidates` (runs of sentences,
    /// `runs.rs`) as sentences seen.
    pub(super) fn count_seen(&self, texts: usize) {
        self.sentences.fetch_add(texts as u64, Ordering::Relaxed);
    }

    /// Returns the vector of each of `texts` (sentences as read): from the
    /// vectors kept across requests, else from the encoder, in batches,
    /// each text once; none for a text in a script the encoder does not
    /// read (`Encoder::reads`: to it, any two such texts look alike).
    /// With `scope`, fails before a batch once the caller's deadline has
    /// passed. A text's vector does not depend on the batch it was
    /// computed in beyond rounding (the encoder's tests).
    pub(super) fn embed_read(
        &self,
        texts: &[&str],
        scope: Option<&Scope>,
    ) -> Result<Vec<Option<Vector>>> {
        let reads: Vec<bool> = texts.iter().map(|t| self.encoder.reads(t)).collect();
        let unread = reads.iter().filter(|r| !**r).count();
        self.unread.fetch_add(unread as u64, Ordering::Relaxed);
        let mut vectors: Vec<Option<Vector>> = match &self.recent {
            Some(recent) => {
                let mut recent = lock(recent);
                texts
                    .iter()
                    .map(|text| recent.get(*text).copied())
                    .collect()
            }
            None => vec![None; texts.len()],
        };
        let mut missing: Vec<&str> = Vec::new();
        for ((text, vector), reads) in texts.iter().zip(&vectors).zip(&reads) {
            if *reads && vector.is_none() && !missing.contains(text) {
                missing.push(text);
            }
        }
        let from_cache = vectors.iter().filter(|v| v.is_some()).count();
        self.cached.fetch_add(from_cache as u64, Ordering::Relaxed);
        for batch in missing.chunks(SENTENCES_PER_BATCH) {
            if let Some(scope) = scope {
                deadline_check(scope)?;
            }
            let fresh = self.encoder.embed(batch, READING);
            self.embedded
                .fetch_add(batch.len() as u64, Ordering::Relaxed);
            for (text, vector) in batch.iter().zip(&fresh) {
                for (at, _) in texts.iter().enumerate().filter(|(_, t)| *t == text) {
                    vectors[at] = Some(*vector);
                }
            }
            if let Some(recent) = &self.recent {
                let mut recent = lock(recent);
                for (text, vector) in batch.iter().zip(fresh) {
                    if text.len() <= MAX_KEPT_BYTES {
                        recent.put((*text).into(), vector);
                    }
                }
            }
        }
        if vectors.iter().zip(&reads).any(|(v, r)| *r && v.is_none()) {
            return Err(Error::Internal(
                "a sentence was left without its vector".into(),
            ));
        }
        Ok(vectors)
    }

    /// Returns the vectors searched.
    pub fn vectors(&self) -> &Arc<ClaimVectors> {
        &self.vectors
    }

    /// Returns the encoder.
    pub fn encoder(&self) -> &Arc<Encoder> {
        &self.encoder
    }

    /// Returns, for each sentence window (or the only window) that
    /// `wanted` admits, the claims near it within the request's scope
    /// (the content is in `language`, as detected), and the vectors the
    /// encoder gave those windows.
    /// Content that is not a short video, or has more sentences than
    /// `semantic_max_sentences`, is matched lexically only. Fails, without
    /// running the encoder further, once the caller's deadline has passed.
    pub(super) fn candidates(
        &self,
        config: &MatchConfig,
        index: &ClaimIndex,
        (windows, read): (&[Window], &[Cow<'_, str>]),
        language: &str,
        scope: &Scope,
        wanted: impl Fn(usize) -> bool,
    ) -> Result<Found> {
        let sentences: Vec<usize> = if windows.len() == 1 {
            vec![0]
        } else {
            (0..windows.len())
                .filter(|&i| windows[i].first == windows[i].last)
                .collect()
        };
        // Long recordings (debates, speeches: past three minutes or 60
        // sentences) keep their lexical judgement: there the transcript
        // models' low confidences rank below every near claim, and meaning
        // took politifact debates dev MAP@5 from 0.511 to 0.465.
        if !scope.short_video
            || sentences.is_empty()
            || sentences.len() > config.semantic_max_sentences
            || self.vectors.claims() == 0
        {
            return Ok(Found::default());
        }
        self.sentences
            .fetch_add(sentences.len() as u64, Ordering::Relaxed);
        let sentences: Vec<usize> = sentences.into_iter().filter(|&i| wanted(i)).collect();
        if sentences.is_empty() {
            return Ok(Found::default());
        }
        // The encoder reads a place named by nickname and a colloquial
        // word by its usual name too (`nicknames.rs`).
        let texts: Vec<&str> = sentences.iter().map(|&i| read[i].as_ref()).collect();
        let (sentences, vectors): (Vec<usize>, Vec<Vector>) = sentences
            .into_iter()
            .zip(self.embed_read(&texts, Some(scope))?)
            .filter_map(|(sentence, vector)| Some((sentence, vector?)))
            .unzip();
        if sentences.is_empty() {
            return Ok(Found::default());
        }
        let searcher = index.searcher();
        let fields = index.fields();
        let in_scope = scope_queries(index, &searcher, scope)?;
        let mut found = Vec::new();
        // The nearest the caller may be given: claims of other markets
        // or out of their validity do not take their places.
        let audience = Audience {
            market: &scope.market,
            at_ms: Some(scope.observed_ms),
        };
        let nearest = self.vectors.nearest_each(
            &vectors,
            language,
            audience,
            config.semantic_floor_cosine,
            PER_SENTENCE,
        )?;
        for (&window, near_sentence) in sentences.iter().zip(nearest) {
            for near in near_sentence {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(fields.id, &near.claim_id),
                        IndexRecordOption::Basic,
                    )),
                )];
                clauses.extend(in_scope.iter().map(|q| (Occur::Must, q.box_clone())));
                let top = TopDocs::with_limit(1).order_by_score();
                if let Some((_, address)) =
                    searcher.search(&BooleanQuery::new(clauses), &top)?.first()
                {
                    found.push(Dense {
                        window,
                        address: *address,
                        cosine: near.cosine,
                    });
                }
            }
        }
        Ok(Found {
            near: found,
            embedded: sentences.into_iter().zip(vectors).collect(),
        })
    }
}

/// The confidence a cosine gives on its own (see the module's note), for
/// a claim in the content's language or, `across`, in another. The same
/// retelling sits at a lower cosine with a check in another language, and
/// captions that retell nothing sit lower still: from
/// `semantic_review_cosine_across` such a claim is at `review`, on a scale
/// of its own. Under it, it ranks as a claim of the content's language at
/// that cosine would: a more generous scale there put checks of the same
/// rumour in another country over the caption's own (with 10,000 claims
/// loaded, docs/encoder.md).
pub(super) fn confidence_of(cosine: f32, across: bool, config: &MatchConfig) -> f32 {
    let floor = config.semantic_floor_cosine;
    let review = if across && cosine >= config.semantic_review_cosine_across {
        config.semantic_review_cosine_across
    } else {
        config.semantic_review_cosine
    };
    if cosine < floor {
        return 0.0;
    }
    if cosine < review {
        return config.review_threshold * (cosine - floor) / (review - floor);
    }
    let top = (config.auto_threshold - 0.01).max(config.review_threshold);
    let above = ((cosine - review) / (1.0 - review).max(1e-6)).min(1.0);
    config.review_threshold + (top - config.review_threshold) * above
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ClaimText;

    #[test]
    fn a_cosine_reaches_review_at_its_threshold_and_never_auto() {
        let config = MatchConfig::default();
        assert_eq!(
            confidence_of(config.semantic_floor_cosine - 0.01, false, &config),
            0.0
        );
        let below = confidence_of(config.semantic_review_cosine - 0.005, false, &config);
        assert!(below > 0.0 && below < config.review_threshold);
        assert!(
            confidence_of(config.semantic_review_cosine, false, &config) >= config.review_threshold
        );
        assert!(confidence_of(1.0, false, &config) < config.auto_threshold);
        let mut last = 0.0;
        for step in 0..=100 {
            let c = confidence_of(step as f32 / 100.0, false, &config);
            assert!(c >= last, "monotone");
            last = c;
        }
    }

    #[test]
    fn a_claim_in_another_language_reaches_review_at_a_lower_cosine() {
        let config = MatchConfig::default();
        let across = config.semantic_review_cosine_across;
        assert!(across < config.semantic_review_cosine);
        assert!(confidence_of(across, true, &config) >= config.review_threshold);
        assert!(confidence_of(across, false, &config) < config.review_threshold);
        // Under it, as sure as a claim of the content's language.
        for step in 0..100 {
            let cosine = step as f32 / 100.0;
            if cosine < across {
                assert_eq!(
                    confidence_of(cosine, true, &config),
                    confidence_of(cosine, false, &config)
                );
            }
        }
        assert!(confidence_of(1.0, true, &config) < config.auto_threshold);
        assert_eq!(
            confidence_of(config.semantic_floor_cosine - 0.01, true, &config),
            0.0
        );
    }

    #[test]
    fn a_sentence_in_a_script_the_encoder_does_not_read_has_no_vector() -> Result<()> {
        let vectors = Arc::new(ClaimVectors::in_memory());
        let semantic = Semantic::new(shipped_encoder()?, vectors).with_cache(8);
        let texts = [
            "Сегодня я покажу вам, как приготовить борщ",
            "a urna troca o voto",
        ];
        for _ in 0..2 {
            let read = semantic.embed_read(&texts, None)?;
            assert!(read[0].is_none() && read[1].is_some());
        }
        assert_eq!(semantic.sentences_unread(), 2);
        assert_eq!(
            semantic.sentences_embedded().1,
            1,
            "the other embedded once"
        );
        assert_eq!(semantic.sentences_cached(), 1, "and kept");
        Ok(())
    }

    #[test]
    fn a_sentence_seen_again_is_answered_from_the_kept_vectors() -> Result<()> {
        let texts = [
            "a urna da seção 12 troca o voto",
            "las boletas ya venían marcadas",
            "a urna da seção 12 troca o voto",
        ];
        let vectors = Arc::new(ClaimVectors::in_memory());
        let kept = Semantic::new(shipped_encoder()?, vectors.clone()).with_cache(2);
        let first = kept.embed_read(&texts, None)?;
        assert_eq!(first.len(), 3);
        assert_eq!(first[0], first[2]);
        assert_ne!(first[0], first[1]);
        assert_eq!(kept.sentences_embedded().1, 2, "said twice, embedded once");
        let again = kept.embed_read(&texts[..2], None)?;
        assert_eq!(again[..], first[..2], "the same vectors");
        assert_eq!(kept.sentences_embedded().1, 2, "nothing embedded again");
        assert_eq!(kept.sentences_cached(), 2);
        // Past its size the least lately used is dropped.
        kept.embed_read(&["o TSE escondeu o código-fonte"], None)?;
        kept.embed_read(&[texts[1]], None)?;
        kept.embed_read(&[texts[0]], None)?;
        assert_eq!(kept.sentences_embedded().1, 4);
        assert_eq!(kept.sentences_cached(), 3);
        // A sentence longer than any caption's is embedded, not kept.
        let long = "a urna da seção 12 troca o voto ".repeat(100);
        kept.embed_read(&[long.as_str()], None)?;
        kept.embed_read(&[long.as_str()], None)?;
        assert_eq!(kept.sentences_embedded().1, 6);
        // Without kept vectors every request runs the encoder.
        let off = Semantic::new(shipped_encoder()?, vectors).with_cache(0);
        off.embed_read(&texts[..2], None)?;
        off.embed_read(&texts[..2], None)?;
        assert_eq!(off.sentences_embedded().1, 4);
        assert_eq!(off.sentences_cached(), 0);
        Ok(())
    }

    #[test]
    fn past_the_callers_deadline_the_encoder_is_not_run() -> Result<()> {
        let vectors = Arc::new(ClaimVectors::in_memory());
        let axis = |texts: &[&str]| {
            let mut v = [0f32; crate::encoder::DIM];
            v[0] = 1.0;
            vec![v; texts.len()]
        };
        vectors.update(
            &[ClaimText::everywhere(
                "c1",
                "Urnas eletrônicas trocam o voto de quem vota",
                "pt",
            )],
            axis,
        )?;
        let semantic = Semantic::new(shipped_encoder()?, vectors);
        let store = crate::claims::ClaimStore::open_in_memory()?;
        let index = ClaimIndex::in_memory(&store)?;
        let windows: Vec<Window> = (0..20)
            .map(|i| Window {
                text: format!("a urna da seção {i} troca o voto de quem vota"),
                start_ms: i as u64 * 3_000,
                end_ms: i as u64 * 3_000 + 2_999,
                first: i,
                last: i,
                words: 10,
                speakers: Vec::new(),
            })
            .collect();
        let scope = |deadline| Scope {
            market: String::new(),
            observed_ms: 0,
            dated: false,
            deadline,
            short_video: true,
        };
        let config = MatchConfig::default();
        let read = super::super::read_windows(&windows);
        let content = (windows.as_slice(), read.as_slice());
        let now = std::time::Instant::now();
        let late = semantic.candidates(&config, &index, content, "pt", &scope(Some(now)), |_| true);
        assert!(matches!(late, Err(Error::DeadlineExceeded(_))), "{late:?}");
        assert_eq!(semantic.sentences_embedded().1, 0, "no sentence embedded");
        let in_time = now + std::time::Duration::from_secs(600);
        semantic.candidates(
            &config,
            &index,
            content,
            "pt",
            &scope(Some(in_time)),
            |_| true,
        )?;
        assert_eq!(
            semantic.sentences_embedded().1,
            20,
            "every sentence embedded"
        );
        Ok(())
    }
}

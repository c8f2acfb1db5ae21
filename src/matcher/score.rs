//! The scoring pipeline: content -> timed sentences -> windows -> BM25
//! retrieval per window -> features -> model confidence -> best window per
//! claim -> level.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Bound;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::Term;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, RangeQuery, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};

use super::cache::{self, Cache};
use super::features::{
    ClaimText, Idf, Retrieval, TermKey, WindowText, analyzed, days_apart, features,
};
use super::model::{ContentKind, Models};
use super::retrieve;
use super::stance::Stance;
use super::terms::{Bm25Memo, ReadyTerm};
use super::types::{ClaimMatch, Content, Level, Said, ScoreInput, ScoreOutcome};
use crate::captions::{self, Segment, Window};
use crate::error::{Error, Result};
use crate::index::analysis::{fold_analyzer, stem_analyzer};
use crate::index::{ANY_MARKET, ClaimCard, ClaimIndex, FLAG_SCOPED, FLAG_WINDOW};
use crate::lang;
use crate::text::truncate_chars;

/// Most distinct query terms used per field and window, so that a single
/// request cannot make retrieval arbitrarily slow.
const MAX_QUERY_TERMS: usize = 256;

/// Windows retrieved together: a 60-second transcript's 40-odd windows
/// in one batch; a long one in several, with the deadline checked between
/// them.
const WINDOWS_PER_SEARCH: usize = 64;

/// Characters of a window shown as a match's excerpt.
const EXCERPT_CHARS: usize = 400;
/// Most other stretches listed as saying a matched claim again.
const MAX_ALSO_SAID: usize = 10;

/// Thresholds and sizes of matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchConfig {
    /// Matches at or above this confidence are `review` and logged as hits.
    pub review_threshold: f32,
    /// Matches at or above this confidence are `auto`.
    pub auto_threshold: f32,
    /// Windows with fewer words than this never reach `auto`.
    pub min_auto_words: usize,
    /// Claims with fewer informative words than this never reach `auto`.
    pub min_auto_claim_terms: usize,
    /// Language assumed when the request gives none and detection is unsure.
    pub default_language: String,
    /// Candidates retrieved per window before reranking.
    pub candidates: usize,
    /// Most windows searched per request; longer content is cut here.
    pub max_windows: usize,
    /// A model file from `claimsignal train`; the shipped model when unset.
    pub model_file: Option<std::path::PathBuf>,
    /// Threads that score requests (0: one per core). A fixed pool keeps
    /// each thread's claim cache warm and never runs more scoring threads
    /// than cores.
    pub threads: usize,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            // Chosen on the train splits (`claimsignal eval` prints the
            // table): at 0.6 under 2 % of debate sentences scored against
            // unrelated claims reach review; at 0.9 auto is right about 99
            // times in 100 on posts.
            review_threshold: 0.6,
            auto_threshold: 0.9,
            min_auto_words: 6,
            min_auto_claim_terms: 3,
            default_language: "en".to_string(),
            candidates: 20,
            max_windows: 6_000,
            model_file: None,
            threads: 0,
        }
    }
}

impl MatchConfig {
    /// Returns an error naming the first setting that makes no sense.
    pub fn validate(&self) -> Result<()> {
        let in_unit = |x: f32| (0.0..=1.0).contains(&x);
        if !in_unit(self.review_threshold) || !in_unit(self.auto_threshold) {
            return Err(Error::invalid("match thresholds must lie in [0, 1]"));
        }
        if self.review_threshold > self.auto_threshold {
            return Err(Error::invalid(
                "review_threshold must not exceed auto_threshold",
            ));
        }
        if self.candidates == 0 || self.candidates > 1000 {
            return Err(Error::invalid("candidates must lie in 1..=1000"));
        }
        if self.max_windows == 0 {
            return Err(Error::invalid("max_windows must be at least 1"));
        }
        Ok(())
    }
}

/// Content ready for matching.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The language matched in.
    pub language: String,
    /// The windows searched.
    pub windows: Vec<Window>,
}

/// One retrieved (window, claim) pair.
pub struct Candidate<'a> {
    /// The window searched.
    pub window: &'a Window,
    /// The claim found.
    pub card: &'a Arc<ClaimCard>,
    /// Where the claim's document lies in the searcher.
    pub address: tantivy::DocAddress,
    /// The claim, analyzed.
    pub claim_text: &'a Arc<ClaimText>,
    /// The window, analyzed the same way as the claim.
    pub compared: &'a WindowText,
    /// Whether the claim is in another language than the one matched in
    /// (the window was then compared in its folded words).
    pub cross_language: bool,
    /// What the model sees.
    pub features: super::features::Features,
    /// Retrieval score.
    pub bm25: f32,
    /// Which model judges it.
    pub kind: ContentKind,
    /// Whether the video's and the claim's dates count, so that the dated
    /// model judges the pair.
    pub dated: bool,
}

/// Scores content against the claim index.
#[derive(Debug, Clone)]
pub struct Matcher {
    config: MatchConfig,
    models: Arc<Models>,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::new(MatchConfig::default(), Models::shipped())
    }
}

/// Where and when the content was seen, which limits the claims it may match.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Market, or empty for any.
    pub market: String,
    /// Observation time, epoch milliseconds.
    pub observed_ms: i64,
    /// Whether the caller stated `observed_ms` (else it is the time the
    /// request arrived, which says nothing of when the video was made).
    pub dated: bool,
    /// When the caller stops waiting: scoring gives up between windows
    /// once it has passed.
    pub deadline: Option<std::time::Instant>,
    /// The content is a short video (see `is_short_video`): a sentence of
    /// it is as sure as the same sentence sent alone.
    pub short_video: bool,
}

/// The longest content, in time, judged as a short video.
pub const SHORT_VIDEO_MS: u64 = 180_000;
/// The most sentences content judged as a short video has.
pub const SHORT_VIDEO_SENTENCES: usize = 60;

/// Returns true when `windows` are those of a short video (at most three
/// minutes and 60 sentences): the clips the service is for, as opposed to
/// the hour-long debates the transcript models were fitted on.
pub fn is_short_video(windows: &[Window]) -> bool {
    let sentences = windows.iter().map(|w| w.last + 1).max().unwrap_or(0);
    let start = windows.iter().map(|w| w.start_ms).min().unwrap_or(0);
    let end = windows.iter().map(|w| w.end_ms).max().unwrap_or(0);
    sentences <= SHORT_VIDEO_SENTENCES && end.saturating_sub(start) <= SHORT_VIDEO_MS
}

impl Matcher {
    /// Returns a matcher with these settings and the model they name.
    pub fn from_config(config: MatchConfig) -> Result<Self> {
        let model = match &config.model_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|err| {
                    Error::invalid(format!("cannot read model {}: {err}", path.display()))
                })?;
                Models::from_json(&text)?
            }
            None => Models::shipped(),
        };
        Ok(Matcher::new(config, model))
    }

    /// The confidence a match needs to be returned when a request names
    /// no minimum: the `review` threshold.
    pub fn default_min_confidence(&self) -> f32 {
        self.config.review_threshold
    }

    /// Returns a matcher with these settings and model.
    pub fn new(config: MatchConfig, models: Models) -> Self {
        Matcher {
            config,
            models: Arc::new(models),
        }
    }

    /// Scores one request: matches at or above its minimum confidence,
    /// best first. Blocking (runs searches).
    pub fn score(&self, index: &ClaimIndex, input: &ScoreInput) -> Result<ScoreOutcome> {
        let min_confidence = input.min_confidence.unwrap_or(self.config.review_threshold);
        let mut outcome = self.rank_above(index, input, min_confidence)?;
        outcome.matches.retain(|m| m.confidence >= min_confidence);
        outcome.matches.truncate(input.max_matches);
        // Read in the words that say the claim (the fitted excerpt).
        for found in &mut outcome.matches {
            (found.stance, found.stance_cues) =
                super::stance::stance(&found.excerpt, &found.claim.text);
        }
        Ok(outcome)
    }

    /// Returns every candidate claim with its best window and confidence,
    /// best first, without thresholds.
    pub fn rank(&self, index: &ClaimIndex, input: &ScoreInput) -> Result<ScoreOutcome> {
        self.rank_above(index, input, 0.0)
    }

    /// `rank`, with excerpts and matched terms only for matches at or above
    /// `floor` (see `rank_windows`).
    fn rank_above(
        &self,
        index: &ClaimIndex,
        input: &ScoreInput,
        floor: f32,
    ) -> Result<ScoreOutcome> {
        let prepared = self.prepare(&input.content, &input.language, &input.market)?;
        let scope = Scope {
            market: input.market.clone(),
            observed_ms: input.observed_at.timestamp_millis(),
            dated: input.observed_stated,
            deadline: input.deadline,
            short_video: is_short_video(&prepared.windows),
        };
        let matches =
            self.rank_windows(index, &prepared.windows, &prepared.language, &scope, floor)?;
        Ok(ScoreOutcome {
            language: prepared.language,
            matches,
        })
    }

    /// Turns content into windows and settles its language: the one
    /// requested, else the one a caption format states, else the one
    /// detected with the market's language as the prior.
    pub fn prepare(
        &self,
        content: &Content,
        requested_language: &str,
        market: &str,
    ) -> Result<Prepared> {
        let (segments, detected) = segments(content)?;
        let sentences = captions::sentences(&segments);
        if sentences.is_empty() {
            return Err(Error::invalid(
                "content is empty: no words remain after cleaning",
            ));
        }
        let mut windows = captions::windows(&sentences);
        windows.truncate(self.config.max_windows);
        let requested = crate::text::primary_language(requested_language);
        let language = if !requested.is_empty() {
            requested
        } else if let Some(language) = detected {
            language
        } else {
            let all: String = sentences
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            lang::detect_for(&all, market).unwrap_or_else(|| self.config.default_language.clone())
        };
        Ok(Prepared { language, windows })
    }

    /// Ranks claims for a set of windows: each claim keeps its best window.
    /// Matches under `floor` keep their claim and confidence but no excerpt
    /// or matched terms: a caller that drops them (a score under its
    /// minimum confidence) does not pay for text it never sends, and they
    /// still join the duplicate group of a better match of the same text.
    pub fn rank_windows(
        &self,
        index: &ClaimIndex,
        windows: &[Window],
        language: &str,
        scope: &Scope,
        floor: f32,
    ) -> Result<Vec<ClaimMatch>> {
        let mut best: HashMap<tantivy::DocAddress, Best> = HashMap::default();
        // The terms of each sentence searched alone, in each of the two
        // spaces a window is compared in, for stretching a match over the
        // sentences around it (only when there are several windows).
        let mut sentence_terms: HashMap<(usize, bool), Vec<TermKey>> = HashMap::default();
        let stretch = windows.len() > 1;
        // Every window at or above review for each claim (only when there
        // are several windows): where else the content says it.
        let said_floor = floor.max(self.config.review_threshold);
        let mut said: HashMap<tantivy::DocAddress, Vec<SaidWindow>> = HashMap::default();
        self.for_each_candidate(index, windows, language, scope, |candidate| {
            let window = candidate.window;
            if stretch && window.first == window.last {
                sentence_terms
                    .entry((window.first, candidate.cross_language))
                    .or_insert_with(|| candidate.compared.distinct.iter().map(|t| t.0).collect());
            }
            let confidence = self.confidence(&candidate, scope.short_video);
            if stretch && confidence >= said_floor {
                said.entry(candidate.address).or_default().push(SaidWindow {
                    confidence,
                    level: self.level(confidence, window.words, candidate.claim_text.terms.len()),
                    sentences: (window.first, window.last),
                });
            }
            if best
                .get(&candidate.address)
                .is_some_and(|b| b.found.confidence >= confidence)
            {
                return;
            }
            let claim_text = candidate.claim_text;
            let shown = confidence >= floor;
            // Which of the claim's terms the window holds (for matches shown).
            let held: Vec<bool> = if shown {
                claim_text
                    .terms
                    .iter()
                    .map(|(term, _)| candidate.compared.terms.contains_key(term))
                    .collect()
            } else {
                Vec::new()
            };
            let matched_terms = held
                .iter()
                .zip(&claim_text.words)
                .filter(|(held, _)| **held)
                .map(|(_, word)| word.clone())
                .collect();
            let excerpt = if shown {
                truncate_chars(&window.text, EXCERPT_CHARS)
            } else {
                String::new()
            };
            let level = self.level(confidence, window.words, claim_text.terms.len());
            let found = ClaimMatch {
                claim: candidate.card.clone(),
                confidence,
                level,
                excerpt,
                matched_terms,
                start_ms: window.start_ms,
                end_ms: window.end_ms,
                bm25: candidate.bm25,
                duplicates: Vec::new(),
                also_said: Vec::new(),
                stance: Stance::default(),
                stance_cues: Vec::new(),
            };
            let best_window = Best {
                found,
                claim_text: shown.then(|| claim_text.clone()),
                held,
                cross_language: candidate.cross_language,
                sentences: (window.first, window.last),
            };
            best.insert(candidate.address, best_window);
        })?;
        let mut matches: Vec<ClaimMatch> = if stretch {
            let singles = single_sentence_windows(windows);
            best.into_iter()
                .map(|(address, b)| {
                    let said = said.remove(&address).unwrap_or_default();
                    b.fitted(&singles, &sentence_terms, said)
                })
                .collect()
        } else {
            best.into_values().map(|b| b.found).collect()
        };
        matches.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(b.bm25.total_cmp(&a.bm25))
                .then_with(|| a.claim.id.cmp(&b.claim.id))
        });
        Ok(one_auto_per_stretch(group_duplicates(matches)))
    }

    /// Retrieves candidates for every window and calls `visit` with each
    /// (window, claim) pair and its features. Shared by scoring and by
    /// `train`, so the model is fitted on exactly what it will see.
    pub fn for_each_candidate(
        &self,
        index: &ClaimIndex,
        windows: &[Window],
        language: &str,
        scope: &Scope,
        mut visit: impl FnMut(Candidate<'_>),
    ) -> Result<()> {
        let searcher = index.searcher();
        let state = (index.instance_id(), searcher.generation().generation_id());
        cache::with_cache(state, |cache| {
            let Cache {
                claims,
                idf,
                bm25,
                retrieval,
                ..
            } = cache;
            let mut idf = Idf::new(&searcher, idf);
            let fields = index.fields();
            let stemmed_field = lang::is_stemmed(language)
                .then(|| fields.stemmed_field(language))
                .flatten();
            let mut stem = stem_analyzer(language);
            let mut fold = fold_analyzer();
            let filters = filters(index, &searcher, scope)?;
            let kind = ContentKind::of_windows(windows.len());

            // Windows are searched in batches: overlapping windows share
            // most of their terms, whose postings `retrieve` decodes and
            // scores once per batch (see `top_docs_each`).
            for batch in windows.chunks(WINDOWS_PER_SEARCH) {
                deadline_check(scope)?;
                let mut analyses = Vec::with_capacity(batch.len());
                let mut queries = Vec::with_capacity(batch.len());
                for window in batch {
                    // In a stemmed language, the folded field is searched with
                    // the words that survive its stop list: function words
                    // would only add long posting lists to every query (35 %
                    // of the time on the snopes train queries, for no gain in
                    // MAP).
                    let (stems, folds): (Vec<String>, Vec<String>) = match stemmed_field {
                        Some(_) => analyzed(&mut stem, &window.text)
                            .into_iter()
                            .map(|(term, range)| (term, crate::text::fold(&window.text[range])))
                            .unzip(),
                        None => (
                            Vec::new(),
                            analyzed(&mut fold, &window.text)
                                .into_iter()
                                .map(|t| t.0)
                                .collect(),
                        ),
                    };
                    // Every claim sharing a term is scored (block-max WAND's
                    // bookkeeping costs more than the postings it would skip
                    // at this query length: measured with `claimsignal
                    // bench`, the plain walk is 1.5x+ faster on the 14,231
                    // snopes claims, 2x on 100,000 synthetic claims with
                    // transcripts, 3.3x on 1,000,000 with posts). See
                    // `retrieve`: postings walked term after term, 4,096
                    // documents at a time.
                    let mut terms = Vec::new();
                    if let Some(field) = stemmed_field {
                        push_terms(&mut terms, bm25, &searcher, field, &stems)?;
                    }
                    push_terms(&mut terms, bm25, &searcher, fields.folded, &folds)?;
                    analyses.push((stems, folds));
                    queries.push(terms);
                }
                let tops = retrieve::top_docs_each(
                    &searcher,
                    &queries,
                    &filters,
                    self.config.candidates,
                    retrieval,
                )?;
                for ((window, (stems, folds)), top) in batch.iter().zip(analyses).zip(tops) {
                    deadline_check(scope)?;
                    let Some(top_bm25) = top.first().map(|t| t.0) else {
                        continue;
                    };

                    // All the window's folded words (for names and numbers; and
                    // its terms when there is no stemmed field, as searched).
                    let window_field = stemmed_field.unwrap_or(fields.folded);
                    let folded_words = match stemmed_field {
                        Some(_) => analyzed(&mut fold, &window.text)
                            .into_iter()
                            .map(|t| t.0)
                            .collect(),
                        None => folds,
                    };
                    let window_terms = if stemmed_field.is_some() {
                        &stems
                    } else {
                        &folded_words
                    };
                    let window_text = WindowText::new(
                        &mut idf,
                        window_field,
                        window_terms,
                        &folded_words,
                        &window.speakers,
                    )?;
                    let mut folded_window: Option<WindowText> = None;

                    for (rank, (bm25, address)) in top.into_iter().enumerate() {
                        let card = match claims
                            .get(&(address, false))
                            .or_else(|| claims.get(&(address, true)))
                        {
                            Some((card, _)) => card.clone(),
                            None => Arc::new(index.card(&searcher, address)?),
                        };
                        let stemmed = stemmed_field.is_some() && card.language == language;
                        let claim_text = match claims.get(&(address, stemmed)) {
                            Some((_, text)) => text.clone(),
                            None => {
                                let (field, mut analyzer) = if stemmed {
                                    (window_field, stem.clone())
                                } else {
                                    (fields.folded, fold.clone())
                                };
                                let text = Arc::new(ClaimText::new(
                                    &mut idf,
                                    field,
                                    &mut analyzer,
                                    &mut fold,
                                    &card.text,
                                    &card.title,
                                    &card.claimant,
                                )?);
                                claims.insert((address, stemmed), (card.clone(), text.clone()));
                                text
                            }
                        };
                        let cross_language = !stemmed;
                        if cross_language && stemmed_field.is_some() && folded_window.is_none() {
                            folded_window = Some(WindowText::new(
                                &mut idf,
                                fields.folded,
                                &folded_words,
                                &folded_words,
                                &window.speakers,
                            )?);
                        }
                        let compared = match (&folded_window, cross_language) {
                            (Some(folded), true) => folded,
                            _ => &window_text,
                        };
                        let retrieval = Retrieval {
                            bm25,
                            top_bm25,
                            rank,
                            cross_language,
                            days_apart: card
                                .date_ms
                                .filter(|_| scope.dated)
                                .and_then(|at| days_apart(scope.observed_ms, at)),
                        };
                        visit(Candidate {
                            window,
                            card: &card,
                            address,
                            claim_text: &claim_text,
                            compared,
                            cross_language,
                            features: features(compared, &claim_text, &retrieval),
                            bm25,
                            kind: kind.of_pair(
                                !compared.speakers.is_empty() && !claim_text.claimant.is_empty(),
                            ),
                            dated: retrieval.days_apart.is_some(),
                        });
                    }
                }
            }
            Ok(())
        })
    }

    /// Returns how sure a (window, claim) pair is. In a short video, a
    /// sentence is as sure as the same sentence sent alone (a post of it,
    /// with no speaker): the transcript models were fitted on hour-long US
    /// debates, where most sentences repeat nothing, and a claim said word
    /// for word mid-clip scored 0.55 there against 0.90 alone. Debates
    /// keep the transcript models' judgement (given to their sentences
    /// too, it took debates dev `auto` precision from 1.000 to 0.905), and
    /// so do runs of sentences (judged as posts, they put 4 of 9 clips made
    /// of multilingual-dev negatives at `review`, against 1 of 9).
    fn confidence(&self, candidate: &Candidate<'_>, short_video: bool) -> f32 {
        let in_video = self
            .models
            .predict(candidate.kind, candidate.dated, &candidate.features);
        let sentence = candidate.window.first == candidate.window.last;
        // A pair judged with its speaker keeps that judgement: who speaks is
        // evidence a post does not have.
        if candidate.kind != ContentKind::Transcript || !short_video || !sentence {
            return in_video.clamp(0.0, 1.0);
        }
        let mut alone = candidate.features;
        alone[super::features::SPEAKER_AGREES] = 0.0;
        let as_post = self
            .models
            .predict(ContentKind::Post, candidate.dated, &alone);
        in_video.max(as_post).clamp(0.0, 1.0)
    }

    fn level(&self, confidence: f32, window_words: usize, claim_terms: usize) -> Level {
        let may_auto = window_words >= self.config.min_auto_words
            && claim_terms >= self.config.min_auto_claim_terms;
        if confidence >= self.config.auto_threshold && may_auto {
            Level::Auto
        } else if confidence >= self.config.review_threshold {
            Level::Review
        } else {
            Level::None
        }
    }
}

/// Sentences a match may stretch over on each side of its window.
const STRETCH_SENTENCES: usize = crate::captions::MAX_WINDOW_SENTENCES - 1;

/// A window at or above review for a claim.
struct SaidWindow {
    confidence: f32,
    /// The level its confidence reaches on its own.
    level: Level,
    /// The window's first and last sentence.
    sentences: (usize, usize),
}

/// A claim's best window so far.
struct Best {
    found: ClaimMatch,
    /// The claim's analysis, for matches shown to the caller.
    claim_text: Option<Arc<ClaimText>>,
    /// Which of the claim's terms the window holds (matches shown only).
    held: Vec<bool>,
    cross_language: bool,
    /// The window's first and last sentence.
    sentences: (usize, usize),
}

impl Best {
    /// Returns the match with its span fitted to the sentences that say
    /// the claim, the excerpt and matched words with it; the confidence
    /// is the window's.
    ///
    /// First the window sheds the sentences at its edges that hold no
    /// claim term its other sentences do not: a window of three sentences
    /// can be the best for a claim said in one of them ("She gave us ISIS.
    /// And now ISIS is in 32 countries."), and the span should point at
    /// that one, not at its neighbours, which a reviewer would otherwise
    /// read as repeating the claim too. Then the span stretches over the
    /// sentences next to it that say more of the claim: a claim said over
    /// several sentences ("Youth unemployment is 51 percent. Hispanic
    /// youth unemployment is 36 percent.") is often matched best by one of
    /// them alone, and the span should still cover the whole statement. A
    /// neighbour joins when it holds a claim term the span does not yet
    /// hold, up to `STRETCH_SENTENCES` on each side.
    ///
    /// `said` are the claim's windows at or above review: those that do
    /// not overlap the span (nor one another), fitted the same way, are
    /// listed as the other stretches that say the claim again.
    fn fitted(
        self,
        singles: &[Option<&Window>],
        sentence_terms: &HashMap<(usize, bool), Vec<TermKey>>,
        said: Vec<SaidWindow>,
    ) -> ClaimMatch {
        let claim_text = self.claim_text.clone();
        let cross_language = self.cross_language;
        let mut found = self.fitted_span(singles, sentence_terms);
        if let Some(claim_text) = claim_text {
            let terms_of = |sentence: usize| sentence_terms.get(&(sentence, cross_language));
            found.also_said = also_said(&claim_text, &found, said, singles, terms_of);
        }
        found
    }

    /// The span, excerpt and matched words of `fitted`.
    fn fitted_span(
        self,
        singles: &[Option<&Window>],
        sentence_terms: &HashMap<(usize, bool), Vec<TermKey>>,
    ) -> ClaimMatch {
        let Best {
            mut found,
            claim_text,
            mut held,
            cross_language,
            sentences: (mut first, mut last),
        } = self;
        let Some(claim_text) = claim_text else {
            return found;
        };
        let terms_of = |sentence: usize| sentence_terms.get(&(sentence, cross_language));
        if last > first {
            (first, last) = trimmed(&claim_text, first, last, terms_of);
            let kept: Option<Vec<&Window>> = (first..=last)
                .map(|sentence| singles.get(sentence).copied().flatten())
                .collect();
            if let Some(kept) = kept
                && let (Some(start), Some(end)) = (kept.first(), kept.last())
                && (start.start_ms, end.end_ms) != (found.start_ms, found.end_ms)
            {
                found.start_ms = start.start_ms;
                found.end_ms = end.end_ms;
                let text: Vec<&str> = kept.iter().map(|w| w.text.as_str()).collect();
                found.excerpt = truncate_chars(&text.join(" "), EXCERPT_CHARS);
            }
        }
        let mut grow = |sentence: usize, held: &mut Vec<bool>| -> Option<&Window> {
            let window = (*singles.get(sentence)?)?;
            let terms = terms_of(sentence)?;
            let mut new = false;
            for (i, (term, _)) in claim_text.terms.iter().enumerate() {
                if !held[i] && terms.contains(term) {
                    held[i] = true;
                    new = true;
                    found.matched_terms.push(claim_text.words[i].clone());
                }
            }
            new.then_some(window)
        };
        let mut before = Vec::new();
        for sentence in (first.saturating_sub(STRETCH_SENTENCES)..first).rev() {
            match grow(sentence, &mut held) {
                Some(window) => before.push(window),
                None => break,
            }
        }
        let mut after = Vec::new();
        for sentence in last + 1..=last + STRETCH_SENTENCES {
            match grow(sentence, &mut held) {
                Some(window) => after.push(window),
                None => break,
            }
        }
        if before.is_empty() && after.is_empty() {
            return found;
        }
        // The excerpt shows the whole statement when it fits, else the
        // window's part of it.
        let mut text = String::new();
        for window in before.iter().rev() {
            text.push_str(&window.text);
            text.push(' ');
        }
        text.push_str(&found.excerpt);
        for window in &after {
            text.push(' ');
            text.push_str(&window.text);
        }
        if text.chars().count() <= EXCERPT_CHARS {
            found.excerpt = text;
        }
        if let Some(window) = before.last() {
            found.start_ms = found.start_ms.min(window.start_ms);
        }
        if let Some(window) = after.last() {
            found.end_ms = found.end_ms.max(window.end_ms);
        }
        found
    }
}

/// Returns the stretches other than `found`'s span that say its claim:
/// the windows of `said`, best first, each shed of the edge sentences
/// that hold nothing of the claim the others do not, kept when they
/// overlap neither the span nor a stretch kept before; at most
/// `MAX_ALSO_SAID`, in time order. Each stretch's level is the one its
/// own confidence reaches, never above the match's.
fn also_said<'a>(
    claim: &ClaimText,
    found: &ClaimMatch,
    mut said: Vec<SaidWindow>,
    singles: &[Option<&Window>],
    terms_of: impl Fn(usize) -> Option<&'a Vec<TermKey>> + Copy,
) -> Vec<Said> {
    said.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.sentences.cmp(&b.sentences))
    });
    let mut taken = vec![(found.start_ms, found.end_ms)];
    let mut also: Vec<Said> = Vec::new();
    for window in said {
        if also.len() == MAX_ALSO_SAID {
            break;
        }
        let (first, last) = trimmed(claim, window.sentences.0, window.sentences.1, terms_of);
        let (Some(start), Some(end)) = (
            singles.get(first).copied().flatten(),
            singles.get(last).copied().flatten(),
        ) else {
            continue;
        };
        let span = (start.start_ms, end.end_ms);
        if taken.iter().any(|other| overlap(*other, span)) {
            continue;
        }
        taken.push(span);
        also.push(Said {
            start_ms: span.0,
            end_ms: span.1,
            confidence: window.confidence,
            level: window.level.min(found.level),
        });
    }
    also.sort_by_key(|s| s.start_ms);
    also
}

/// Returns whether two stretches of a video (start and end, ms) overlap:
/// the same stretch, or one that starts before the other ends (stretches
/// that only touch, a cue ending where the next begins, do not). A post,
/// untimed, is one stretch (0, 0).
fn overlap(a: (u64, u64), b: (u64, u64)) -> bool {
    a == b || (a.0 < b.1 && b.0 < a.1)
}

/// Returns the first and last of the sentences `first..=last` left when
/// those at either edge whose claim terms (by `terms_of` each sentence)
/// the others all hold are dropped, one at a time from the start, then
/// from the end. A sentence searched for nothing holds no claim term.
fn trimmed<'a>(
    claim: &ClaimText,
    first: usize,
    last: usize,
    terms_of: impl Fn(usize) -> Option<&'a Vec<TermKey>>,
) -> (usize, usize) {
    let holds: Vec<Vec<bool>> = (first..=last)
        .map(|sentence| {
            let terms = terms_of(sentence);
            claim
                .terms
                .iter()
                .map(|(term, _)| terms.is_some_and(|t| t.contains(term)))
                .collect()
        })
        .collect();
    let (mut lo, mut hi) = (0, holds.len() - 1);
    let said_by_others = |edge: usize, lo: usize, hi: usize| {
        holds[edge].iter().enumerate().all(|(term, &held)| {
            !held || (lo..=hi).any(|other| other != edge && holds[other][term])
        })
    };
    while lo < hi && said_by_others(lo, lo, hi) {
        lo += 1;
    }
    while hi > lo && said_by_others(hi, lo, hi) {
        hi -= 1;
    }
    (first + lo, first + hi)
}

/// Returns the window of each sentence alone, by sentence index.
fn single_sentence_windows(windows: &[Window]) -> Vec<Option<&Window>> {
    let count = windows.iter().map(|w| w.last + 1).max().unwrap_or(0);
    let mut singles = vec![None; count];
    for window in windows.iter().filter(|w| w.first == w.last) {
        singles[window.first] = Some(window);
    }
    singles
}

/// Folds matches of the same claim text (several partners checking the
/// same claim) into the best-ranked one, which lists the others, so one
/// video repeating it is one match and one hit.
fn group_duplicates(matches: Vec<ClaimMatch>) -> Vec<ClaimMatch> {
    // The group of each match, numbered in order of first appearance (the
    // keys are whole claim texts: borrowed, not copied).
    let mut group_of_text: HashMap<&str, usize> = HashMap::default();
    let groups: Vec<usize> = matches
        .iter()
        .map(|found| {
            let next = group_of_text.len();
            *group_of_text.entry(&found.claim.text_key).or_insert(next)
        })
        .collect();
    drop(group_of_text);
    let mut grouped: Vec<ClaimMatch> = Vec::with_capacity(matches.len());
    for (found, group) in matches.into_iter().zip(groups) {
        if group == grouped.len() {
            grouped.push(found);
        } else {
            grouped[group].duplicates.push(found.claim);
        }
    }
    grouped
}

/// Keeps `auto` for the strongest of the claims one stretch of the video
/// matches: a match at `auto` whose time span overlaps that of a better
/// match at `auto` (`matches` is best first, duplicates of one text
/// already grouped) is sent to review. A sentence usually repeats one
/// claim; when it matches two distinct checks that well, the second is
/// most often a related claim (another statement on the same subject, the
/// same statement checked again on another day), and whether the video
/// repeats that one too is for a reviewer. Measured with `eval` on the
/// train splits: 6 of the 182 `auto` decisions on debate sentences were
/// such second matches, all wrong (auto precision 0.890 -> 0.920); 4 of
/// the 641 on snopes tweets, 3 wrong (0.978 -> 0.983). Stretches that do
/// not overlap (two claims at two moments of a transcript) each keep
/// theirs; a match sent to review holds no stretch. Text without timings
/// is one stretch.
fn one_auto_per_stretch(mut matches: Vec<ClaimMatch>) -> Vec<ClaimMatch> {
    let mut kept: Vec<(u64, u64)> = Vec::new();
    for found in matches.iter_mut().filter(|m| m.level == Level::Auto) {
        let span = (found.start_ms, found.end_ms);
        if kept.iter().any(|other| overlap(*other, span)) {
            found.level = Level::Review;
            for said in &mut found.also_said {
                said.level = said.level.min(Level::Review);
            }
        } else {
            kept.push(span);
        }
    }
    matches
}

/// Returns the timed segments of the content and, for formats that say,
/// its language.
fn segments(content: &Content) -> Result<(Vec<Segment>, Option<String>)> {
    let parsed = match content {
        Content::Text(text) => {
            return Ok((
                vec![Segment {
                    start_ms: 0,
                    end_ms: 0,
                    text: text.clone(),
                    speaker: None,
                }],
                None,
            ));
        }
        Content::Segments(segments) => {
            for (i, segment) in segments.iter().enumerate() {
                if segment.end_ms < segment.start_ms {
                    return Err(Error::invalid(format!(
                        "segments[{i}] ends ({} ms) before it starts ({} ms)",
                        segment.end_ms, segment.start_ms
                    )));
                }
            }
            return Ok((segments.clone(), None));
        }
        Content::WebVtt(text) => captions::vtt::parse(text),
        Content::Srt(text) => captions::srt::parse(text),
    };
    if parsed.segments.is_empty() {
        let reason = parsed.problems.first().map_or_else(
            || "no cues".to_string(),
            |p| format!("line {}: {}", p.line, p.reason),
        );
        return Err(Error::invalid(format!(
            "caption file has no usable cue ({reason})"
        )));
    }
    Ok((parsed.segments, None))
}

/// The market and validity filters, as weights without scores (retrieval
/// seeks each to the candidates); a filter that no indexed claim could
/// fail is left out, as it would only cost a seek per candidate.
fn filters(
    index: &ClaimIndex,
    searcher: &tantivy::Searcher,
    scope: &Scope,
) -> Result<Vec<Box<dyn Weight>>> {
    let fields = index.fields();
    let flagged = |flag: &str| {
        searcher
            .doc_freq(&Term::from_field_text(fields.flags, flag))
            .map(|n| n > 0)
    };
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    if flagged(FLAG_WINDOW)? {
        filters.push(Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Included(Term::from_field_i64(
                fields.valid_from_ms,
                scope.observed_ms,
            )),
        )));
        filters.push(Box::new(RangeQuery::new(
            Bound::Excluded(Term::from_field_i64(
                fields.valid_until_ms,
                scope.observed_ms,
            )),
            Bound::Unbounded,
        )));
    }
    if !scope.market.is_empty() && flagged(FLAG_SCOPED)? {
        let markets: Vec<(Occur, Box<dyn Query>)> = [scope.market.as_str(), ANY_MARKET]
            .into_iter()
            .map(|m| {
                let query: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(fields.market, m),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, query)
            })
            .collect();
        filters.push(Box::new(BooleanQuery::new(markets)));
    }
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    Ok(filters
        .iter()
        .map(|filter| filter.weight(unscored))
        .collect::<tantivy::Result<_>>()?)
}

/// Appends the weights of the distinct `terms` of `field`, at most
/// `MAX_QUERY_TERMS` of them.
/// Fails once the caller's deadline has passed.
fn deadline_check(scope: &Scope) -> Result<()> {
    if scope
        .deadline
        .is_some_and(|d| std::time::Instant::now() >= d)
    {
        return Err(Error::DeadlineExceeded(
            "the caller's deadline passed while scoring; scoring stopped and no hit was logged"
                .into(),
        ));
    }
    Ok(())
}

fn push_terms(
    weights: &mut Vec<Arc<ReadyTerm>>,
    memo: &mut Bm25Memo,
    searcher: &tantivy::Searcher,
    field: Field,
    terms: &[String],
) -> Result<()> {
    let mut distinct: Vec<&String> = terms.iter().collect();
    distinct.sort_unstable();
    distinct.dedup();
    for term in distinct.into_iter().take(MAX_QUERY_TERMS) {
        weights.push(memo.ready(searcher, field, term)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{ClaimFormat, ClaimStore, LoadDefaults, import};
    use crate::matcher::features::{DATED_WITHIN_DAYS, term_key};
    use crate::synthetic::Generator;

    #[test]
    fn a_window_or_claim_too_short_to_be_sure_of_never_reaches_auto() {
        let matcher = Matcher::default();
        let (words, terms) = (
            matcher.config.min_auto_words,
            matcher.config.min_auto_claim_terms,
        );
        assert_eq!(matcher.level(0.99, words, terms), Level::Auto);
        assert_eq!(matcher.level(0.99, words - 1, terms), Level::Review);
        assert_eq!(matcher.level(0.99, words, terms - 1), Level::Review);
        assert_eq!(matcher.level(0.0, words, terms), Level::None);
    }

    /// A match of claim `id` (text `text`) at `level`, in `start..end` ms.
    fn found(id: &str, text: &str, level: Level, (start_ms, end_ms): (u64, u64)) -> ClaimMatch {
        ClaimMatch {
            claim: Arc::new(crate::index::ClaimCard {
                id: id.into(),
                partner: "p".into(),
                text: text.into(),
                title: String::new(),
                language: "en".into(),
                verdict: crate::claims::Verdict::False,
                rating_text: String::new(),
                review_url: String::new(),
                elections: Vec::new(),
                date_ms: None,
                claimant: String::new(),
                text_key: text.into(),
            }),
            confidence: 0.95,
            level,
            excerpt: String::new(),
            matched_terms: Vec::new(),
            start_ms,
            end_ms,
            bm25: 1.0,
            duplicates: Vec::new(),
            also_said: Vec::new(),
            stance: Stance::default(),
            stance_cues: Vec::new(),
        }
    }

    /// Sentence `i` alone, `ms` long, starting at `i * ms`.
    fn sentence(i: usize, text: &str, ms: u64) -> Window {
        Window {
            text: text.to_string(),
            start_ms: i as u64 * ms,
            end_ms: i as u64 * ms + ms - 1,
            first: i,
            last: i,
            words: 8,
            speakers: Vec::new(),
        }
    }

    /// A claim of these stemmed terms, each of weight 1.
    fn claim_of(terms: &[&str]) -> ClaimText {
        ClaimText {
            terms: terms.iter().map(|t| (term_key(t), 1.0)).collect(),
            words: terms.iter().map(|t| t.to_string()).collect(),
            idf_total: terms.len() as f32,
            bigrams: Vec::new(),
            title_terms: Vec::new(),
            title_idf_total: 0.0,
            vocabulary: terms.iter().map(|t| term_key(t)).collect(),
            numbers: Vec::new(),
            names: Vec::new(),
            claimant: Vec::new(),
        }
    }

    #[test]
    fn a_match_is_fitted_to_the_sentences_that_say_its_claim() {
        // "African-American youth unemployment is 51 percent. Hispanic
        // youth unemployment is 36 percent." said over sentences 1 and 2,
        // best matched by sentence 2 alone; sentences 0 and 3 are talk.
        let said = [
            ("Today we have more people in jail than ever.", vec!["jail"]),
            (
                "African-American youth unemployment is 51 percent.",
                vec!["african", "american", "youth", "unemploy", "51", "percent"],
            ),
            (
                "Hispanic youth unemployment is 36 percent.",
                vec!["hispan", "youth", "unemploy", "36", "percent"],
            ),
            (
                "We should put money into schools instead.",
                vec!["money", "school"],
            ),
        ];
        let singles: Vec<Window> = said
            .iter()
            .enumerate()
            .map(|(i, (text, _))| sentence(i, text, 5_000))
            .collect();
        let sentence_terms: HashMap<(usize, bool), Vec<TermKey>> = said
            .iter()
            .enumerate()
            .map(|(i, (_, terms))| ((i, false), terms.iter().map(|t| term_key(t)).collect()))
            .collect();
        let claim_terms = [
            "african", "american", "youth", "unemploy", "51", "percent", "hispan", "36",
        ];
        let claim_text = Arc::new(claim_of(&claim_terms));
        let best = |claim_text: Option<Arc<ClaimText>>| {
            let mut found = found("youth", "the claim", Level::Auto, (10_000, 14_999));
            found.excerpt = said[2].0.to_string();
            let held: Vec<bool> = claim_terms.iter().map(|t| said[2].1.contains(t)).collect();
            found.matched_terms = claim_terms
                .iter()
                .zip(&held)
                .filter(|(_, held)| **held)
                .map(|(t, _)| t.to_string())
                .collect();
            Best {
                held: if claim_text.is_some() {
                    held
                } else {
                    Vec::new()
                },
                found,
                claim_text,
                cross_language: false,
                sentences: (2, 2),
            }
        };
        let by_sentence: Vec<Option<&Window>> = singles.iter().map(Some).collect();

        let stretched =
            best(Some(claim_text.clone())).fitted(&by_sentence, &sentence_terms, Vec::new());
        assert_eq!((stretched.start_ms, stretched.end_ms), (5_000, 14_999));
        assert_eq!(
            stretched.excerpt,
            format!("{} {}", said[1].0, said[2].0),
            "the excerpt shows the whole statement"
        );
        for word in ["african", "american", "51"] {
            assert!(stretched.matched_terms.iter().any(|w| w == word), "{word}");
        }
        // Sentences holding nothing more of the claim stay out, even when
        // they hold some of it; so does everything for a match not shown.
        let mut repeated = sentence_terms.clone();
        repeated.insert((3, false), vec![term_key("youth"), term_key("percent")]);
        let stretched = best(Some(claim_text.clone())).fitted(&by_sentence, &repeated, Vec::new());
        assert_eq!(stretched.end_ms, 14_999);
        let hidden = best(None).fitted(&by_sentence, &sentence_terms, Vec::new());
        assert_eq!((hidden.start_ms, hidden.end_ms), (10_000, 14_999));
        // A window wider than the statement sheds the sentences at its
        // edges that say nothing of the claim its other sentences do not:
        // talk (sentence 3, or sentence 0 of the first window), or words of
        // the claim said again (sentence 3 of the repeated version).
        let wide = |(first, last): (usize, usize)| {
            let mut wide = best(Some(claim_text.clone()));
            wide.sentences = (first, last);
            wide.found.start_ms = first as u64 * 5_000;
            wide.found.end_ms = last as u64 * 5_000 + 4_999;
            let text: Vec<&str> = said[first..=last].iter().map(|(text, _)| *text).collect();
            wide.found.excerpt = text.join(" ");
            wide.held = claim_terms
                .iter()
                .map(|t| {
                    said[first..=last]
                        .iter()
                        .any(|(_, terms)| terms.contains(t))
                })
                .collect();
            wide
        };
        let statement = format!("{} {}", said[1].0, said[2].0);
        for (window, terms) in [
            ((1, 3), &sentence_terms),
            ((1, 3), &repeated),
            ((0, 2), &sentence_terms),
            ((0, 3), &repeated),
        ] {
            let fitted = wide(window).fitted(&by_sentence, terms, Vec::new());
            assert_eq!(
                (fitted.start_ms, fitted.end_ms, fitted.excerpt.as_str()),
                (5_000, 14_999, statement.as_str()),
                "{window:?}"
            );
        }
        // A sentence that holds a claim term no other does stays.
        let mut jail = claim_terms.to_vec();
        jail.push("jail");
        let mut kept = wide((0, 2));
        kept.claim_text = Some(Arc::new(claim_of(&jail)));
        kept.held.push(true);
        let fitted = kept.fitted(&by_sentence, &sentence_terms, Vec::new());
        assert_eq!((fitted.start_ms, fitted.end_ms), (0, 14_999));
        // A statement too long to show whole keeps the window's excerpt.
        let mut long = singles.clone();
        long[1].text = format!("{} {}", "And I say it again:".repeat(30), said[1].0);
        let by_sentence: Vec<Option<&Window>> = long.iter().map(Some).collect();
        let stretched = best(Some(claim_text)).fitted(&by_sentence, &sentence_terms, Vec::new());
        assert_eq!(stretched.start_ms, 5_000);
        assert_eq!(stretched.excerpt, said[2].0);
    }

    #[test]
    fn other_stretches_saying_a_claim_are_listed_once_each_in_time_order() {
        // Eighty sentences of a second each; "wall" and "2006" are the
        // claim's words, said together in sentences 5, 20 and 30 and in
        // every eighth sentence from 8 on, and "wall" alone in sentence 21.
        let singles: Vec<Window> = (0..80)
            .map(|i| sentence(i, &format!("sentence {i}"), 1_000))
            .collect();
        let by_sentence: Vec<Option<&Window>> = singles.iter().map(Some).collect();
        let says = |i: usize| i == 5 || i == 20 || i == 30 || (i >= 8 && i.is_multiple_of(8));
        let sentence_terms: HashMap<(usize, bool), Vec<TermKey>> = (0..80)
            .map(|i| {
                let terms = if says(i) {
                    vec![term_key("wall"), term_key("2006")]
                } else if i == 21 {
                    vec![term_key("wall")]
                } else {
                    vec![term_key("farm")]
                };
                ((i, false), terms)
            })
            .collect();
        let claim = claim_of(&["wall", "2006"]);
        let best = found("wall", "the claim", Level::Auto, (5_000, 5_999));
        let window = |first: usize, last: usize, confidence: f32| SaidWindow {
            confidence,
            level: Level::Review,
            sentences: (first, last),
        };
        let terms_of = |sentence: usize| sentence_terms.get(&(sentence, false));
        let said = vec![
            // The best stretch again, through a wider window: not listed.
            window(4, 6, 0.95),
            // Sentence 20 through three windows: listed once, shed of the
            // sentences around it (21 says nothing 20 does not).
            window(20, 20, 0.7),
            window(19, 21, 0.8),
            window(20, 22, 0.75),
            window(30, 30, 0.65),
        ];
        let also = also_said(&claim, &best, said, &by_sentence, terms_of);
        let stretches: Vec<(u64, u64, f32)> = also
            .iter()
            .map(|s| (s.start_ms, s.end_ms, s.confidence))
            .collect();
        assert_eq!(
            stretches,
            vec![(20_000, 20_999, 0.8), (30_000, 30_999, 0.65)]
        );
        assert!(also.iter().all(|s| s.level == Level::Review), "{also:?}");
        // A stretch never decides more than its match.
        let mut reviewed = found("wall", "the claim", Level::Review, (5_000, 5_999));
        reviewed.confidence = 0.7;
        let sure = SaidWindow {
            confidence: 0.95,
            level: Level::Auto,
            sentences: (20, 20),
        };
        let also = also_said(&claim, &reviewed, vec![sure], &by_sentence, terms_of);
        assert_eq!(also[0].level, Level::Review);
        // At most ten, the surest, in time order.
        let many: Vec<SaidWindow> = (1..10)
            .map(|k| k * 8)
            .chain([20, 30])
            .map(|i| window(i, i, 0.6 + i as f32 / 1000.0))
            .collect();
        let many_count = many.len();
        let also = also_said(&claim, &best, many, &by_sentence, terms_of);
        assert!(many_count > MAX_ALSO_SAID);
        assert_eq!(also.len(), MAX_ALSO_SAID);
        assert!(
            also.windows(2)
                .all(|pair| pair[0].start_ms < pair[1].start_ms)
        );
        assert!(
            also.iter().all(|s| s.start_ms >= 16_000),
            "the least sure are left out: {also:?}"
        );
    }

    #[test]
    fn one_stretch_of_video_is_decided_automatically_for_its_best_claim_only() {
        let levels = |matches: Vec<ClaimMatch>| -> Vec<(String, Level)> {
            one_auto_per_stretch(group_duplicates(matches))
                .into_iter()
                .map(|m| (m.claim.id.clone(), m.level))
                .collect()
        };
        // A post (no timings): its best claim only.
        let post = levels(vec![
            found("a", "ballots burned", Level::Auto, (0, 0)),
            found("b", "ballots hidden", Level::Auto, (0, 0)),
            found("c", "votes moved", Level::Review, (0, 0)),
        ]);
        let want = |pairs: &[(&str, Level)]| -> Vec<(String, Level)> {
            pairs.iter().map(|(id, l)| (id.to_string(), *l)).collect()
        };
        assert_eq!(
            post,
            want(&[
                ("a", Level::Auto),
                ("b", Level::Review),
                ("c", Level::Review)
            ])
        );
        // A transcript: claims at two moments keep `auto` each; one that
        // overlaps a better one's span does not; one that starts where a
        // better one ends does not overlap it; a duplicate of the best
        // text is grouped into it, not demoted.
        let transcript = levels(vec![
            found("a", "ballots burned", Level::Auto, (10_000, 14_000)),
            found("a2", "ballots burned", Level::Auto, (10_000, 14_000)),
            found("b", "machines hacked", Level::Auto, (30_000, 33_000)),
            found("c", "ballots hidden", Level::Auto, (12_000, 20_000)),
            found("d", "votes moved", Level::Auto, (14_000, 16_000)),
        ]);
        assert_eq!(
            transcript,
            want(&[
                ("a", Level::Auto),
                ("b", Level::Auto),
                ("c", Level::Review),
                ("d", Level::Auto),
            ])
        );
        // A match sent to review takes the stretches it lists with it.
        let mut again = found("c", "ballots hidden", Level::Auto, (12_000, 20_000));
        again.also_said.push(Said {
            start_ms: 50_000,
            end_ms: 54_000,
            confidence: 0.95,
            level: Level::Auto,
        });
        let decided = one_auto_per_stretch(vec![
            found("a", "ballots burned", Level::Auto, (10_000, 14_000)),
            again,
        ]);
        assert_eq!(decided[1].also_said[0].level, Level::Review);
    }

    #[test]
    fn scoring_stops_once_the_callers_deadline_has_passed() -> Result<()> {
        let generator = Generator::new(5);
        let store = ClaimStore::open_in_memory()?;
        let defaults = LoadDefaults {
            partner: "test".into(),
            ..LoadDefaults::default()
        };
        let parsed = import::parse(
            &generator.claims_jsonl(0..500),
            ClaimFormat::Jsonl,
            &defaults,
        );
        store.write_batch(&parsed.claims)?;
        let index = ClaimIndex::in_memory(&store)?;
        let matcher = Matcher::default();
        let (srt, language) = generator.transcript_srt(0, 500);
        let prepared = matcher.prepare(&Content::Srt(srt), language, "")?;
        assert!(prepared.windows.len() > 10);
        let scope = |deadline| Scope {
            market: String::new(),
            observed_ms: 0,
            dated: false,
            deadline,
            short_video: false,
        };

        let now = std::time::Instant::now();
        let late =
            matcher.rank_windows(&index, &prepared.windows, language, &scope(Some(now)), 0.0);
        assert!(matches!(late, Err(Error::DeadlineExceeded(_))), "{late:?}");
        let in_time = now + std::time::Duration::from_secs(600);
        let found = matcher.rank_windows(
            &index,
            &prepared.windows,
            language,
            &scope(Some(in_time)),
            0.0,
        )?;
        assert!(!found.is_empty(), "the transcript repeats a claim");

        // A floor changes what is spelled out, never the ranking.
        let all = matcher.rank_windows(&index, &prepared.windows, language, &scope(None), 0.0)?;
        let floor = 0.5;
        let above =
            matcher.rank_windows(&index, &prepared.windows, language, &scope(None), floor)?;
        let ranking = |found: &[ClaimMatch]| -> Vec<(String, u32, usize)> {
            found
                .iter()
                .map(|m| {
                    (
                        m.claim.id.clone(),
                        m.confidence.to_bits(),
                        m.duplicates.len(),
                    )
                })
                .collect()
        };
        assert_eq!(ranking(&all), ranking(&above));
        assert!(
            all.iter().any(|m| m.confidence >= floor) && all.iter().any(|m| m.confidence < floor)
        );
        for (full, light) in all.iter().zip(&above) {
            assert!(!full.excerpt.is_empty());
            if light.confidence >= floor {
                assert_eq!(
                    (&light.excerpt, &light.matched_terms),
                    (&full.excerpt, &full.matched_terms)
                );
            } else {
                assert!(light.excerpt.is_empty() && light.matched_terms.is_empty());
            }
        }
        Ok(())
    }

    #[test]
    fn dates_count_only_when_both_sides_have_one_within_an_election_cycle() -> Result<()> {
        let day_ms = 86_400_000i64;
        let checked = "2020-03-10";
        let checked_ms = crate::text::parse_date(checked)
            .map(|at| at.timestamp_millis())
            .unwrap_or_default();
        let store = ClaimStore::open_in_memory()?;
        let defaults = LoadDefaults {
            partner: "test".into(),
            ..LoadDefaults::default()
        };
        let lines = format!(
            "{}\n{}\n",
            serde_json::json!({"id": "dated", "text": "Election officials shredded thousands of mail ballots in the county warehouse.", "review_date": checked, "lang": "en"}),
            serde_json::json!({"id": "undated", "text": "Voting machines flipped thousands of ballots in the county overnight.", "lang": "en"}),
        );
        let parsed = import::parse(lines.as_bytes(), ClaimFormat::Jsonl, &defaults);
        store.write_batch(&parsed.claims)?;
        let index = ClaimIndex::in_memory(&store)?;
        let matcher = Matcher::default();
        let post = "They shredded thousands of mail ballots in the county warehouse and flipped ballots overnight";
        let prepared = matcher.prepare(&Content::Text(post.into()), "en", "")?;
        let confidences = |observed: Option<i64>| -> Result<HashMap<String, u32>> {
            let scope = Scope {
                market: String::new(),
                observed_ms: observed.unwrap_or(0),
                dated: observed.is_some(),
                deadline: None,
                short_video: false,
            };
            let found = matcher.rank_windows(&index, &prepared.windows, "en", &scope, 0.0)?;
            Ok(found
                .into_iter()
                .map(|m| (m.claim.id.to_string(), m.confidence.to_bits()))
                .collect())
        };
        let undated = confidences(None)?;
        assert_eq!(undated.len(), 2, "{undated:?}");
        let near = confidences(Some(checked_ms - 2 * day_ms))?;
        let far = confidences(Some(checked_ms + (DATED_WITHIN_DAYS + 1) * day_ms))?;
        // A post two days before the check: the date is evidence.
        assert_ne!(near["test:dated"], undated["test:dated"]);
        // Years apart, or a claim with no date: judged on words alone.
        assert_eq!(far, undated);
        assert_eq!(near["test:undated"], undated["test:undated"]);
        Ok(())
    }
}

//! The scoring pipeline: content -> timed sentences -> windows -> BM25
//! retrieval per window -> features -> model confidence -> best window per
//! claim -> level.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::candidates::{Candidate, deadline_check};
use super::config::MatchConfig;
use super::features::TermKey;
use super::groups::{group_duplicates, one_auto_per_stretch};
use super::model::Models;
use super::semantic::{Semantic, confidence_of};
use super::span::{Best, EXCERPT_CHARS, SaidWindow, single_sentence_windows};
use super::stance::{AROUND, Stance, stance_around};
use super::types::{ClaimMatch, Content, Level, ScoreInput, ScoreOutcome};
use crate::captions::{self, Segment, Window};
use crate::encoder::DIM;
use crate::error::{Error, Result};
use crate::index::ClaimIndex;
use crate::lang;
use crate::text::truncate_chars;

/// Content ready for matching.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The language matched in.
    pub language: String,
    /// The windows searched.
    pub windows: Vec<Window>,
}

/// Scores content against the claim index.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub(super) config: MatchConfig,
    pub(super) models: Arc<Models>,
    /// Matching by meaning, when the encoder and claim vectors are given.
    pub(super) semantic: Option<Arc<Semantic>>,
    /// (Sentence, claim) pairs a check's verdict title alone would have
    /// put at `review`, held just under it (`titles.rs`), shared by clones.
    pub(super) held_by_title: Arc<std::sync::atomic::AtomicU64>,
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

/// How much of its confidence a claim found by words under `review` keeps
/// when every sentence it was found over was embedded and none is near it
/// by meaning (`Matcher::weigh_by_meaning`). Measured (docs/encoder.md,
/// "Words meaning puts far"): multilingual-dev same language 0.936 ->
/// 0.940 at 0.5 (0.941 at 0.2), snopes tweets train 0.892 -> 0.894, dev,
/// crosslingual and refutations unchanged.
const UNRELATED_WEIGHT: f32 = 0.5;

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
            semantic: None,
            held_by_title: Arc::default(),
        }
    }

    /// How many (sentence, claim) pairs a check's verdict title alone
    /// would have put at `review` were held just under it (`titles.rs`).
    pub fn held_by_title(&self) -> u64 {
        self.held_by_title
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Returns this matcher matching by meaning too.
    pub fn with_semantic(mut self, semantic: Arc<Semantic>) -> Self {
        self.semantic = Some(semantic);
        self
    }

    /// Returns the settings matched with.
    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// Returns the semantic stage, when there is one.
    pub fn semantic(&self) -> Option<&Arc<Semantic>> {
        self.semantic.as_ref()
    }

    /// Scores one request: matches at or above its minimum confidence,
    /// best first. Blocking (runs searches).
    pub fn score(&self, index: &ClaimIndex, input: &ScoreInput) -> Result<ScoreOutcome> {
        let min_confidence = input.min_confidence.unwrap_or(self.config.review_threshold);
        let mut outcome = self.rank_above(index, input, min_confidence)?;
        outcome.matches.retain(|m| m.confidence >= min_confidence);
        outcome.matches.truncate(input.max_matches);
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
        // Each claim's best run of sentences judged as a post (short
        // videos only; see `Matcher::confidence`).
        let mut runs: HashMap<tantivy::DocAddress, Best> = HashMap::default();
        // Each window's text as every stage reads it, with the usual names
        // of the places and colloquial words it says (`nicknames.rs`).
        let read = super::read_windows(windows);
        // With the plain forms of the diminutives the claims do not hold
        // ("votinho": voto; `diminutives.rs`).
        let small_said = match language {
            "pt" => Some("pt"),
            "es" => Some("es"),
            _ => None,
        };
        let read = match small_said.zip(index.fields().stemmed_field(language)) {
            Some((language, field)) => {
                let searcher = index.searcher();
                let state = (index.instance_id(), searcher.generation().generation_id());
                super::cache::with_cache(state, |cache| {
                    let mut claims = super::diminutives::ClaimWords::new(
                        &searcher,
                        field,
                        language,
                        &mut cache.plain,
                    );
                    read.into_iter()
                        .map(|text| claims.with_plain_forms(text))
                        .collect::<Result<Vec<_>>>()
                })?
            }
            None => read,
        };
        self.for_each_candidate(index, windows, &read, language, scope, |candidate| {
            let window = candidate.window;
            if stretch && window.first == window.last {
                sentence_terms
                    .entry((window.first, candidate.cross_language))
                    .or_insert_with(|| candidate.compared.distinct.iter().map(|t| t.0).collect());
            }
            let (confidence, as_post) = self.confidence(&candidate, scope.short_video);
            if stretch && confidence >= said_floor {
                said.entry(candidate.address).or_default().push(SaidWindow {
                    confidence,
                    level: self.level(confidence, window.words, candidate.claim_text.terms.len()),
                    sentences: (window.first, window.last),
                });
            }
            // A run of sentences its words would put at `review` or above
            // as a post, waiting for meaning to confirm it (kept only when
            // there is meaning to ask).
            if let Some(as_post) = as_post.filter(|&c| c >= self.config.review_threshold)
                && self.semantic.is_some()
                && runs
                    .get(&candidate.address)
                    .is_none_or(|b| b.found.confidence < as_post)
            {
                runs.insert(candidate.address, best_of(&candidate, as_post, floor, self));
            }
            if best
                .get(&candidate.address)
                .is_none_or(|b| b.found.confidence < confidence)
            {
                best.insert(
                    candidate.address,
                    best_of(&candidate, confidence, floor, self),
                );
            }
        })?;
        if let Some(semantic) = &self.semantic {
            // Where words already decided `auto`, meaning can add no
            // decision (it never decides one, nor where words did): the
            // encoder is not run. A gate on low lexical confidence was
            // tried and dropped: most of what meaning finds, words found
            // nothing near (multilingual-dev MAP@5 0.852 ungated, 0.747
            // with the encoder run only from a lexical 0.15).
            let lexical = best
                .values()
                .map(|b| b.found.confidence)
                .fold(0f32, f32::max);
            if lexical < self.config.auto_threshold {
                let content = (windows, read.as_slice());
                self.add_semantic(semantic, index, content, language, scope, floor, &mut best)?;
            }
            if !runs.is_empty() {
                deadline_check(scope)?;
            }
            self.confirm_runs(semantic, windows, &read, language, runs, &mut best)?;
        }
        // What the content names tells near claims apart: the country it
        // is about (`places.rs`), the city or number of one of two sibling
        // checks (`siblings.rs`).
        let elsewhere = super::places::demoted(windows, scope.short_video, &best);
        self.to_the_named_check(windows, &mut best, &elsewhere)?;
        if scope.short_video {
            let siblings = super::siblings::demoted(windows, &read, &best);
            self.demote(&mut best, siblings, super::siblings::SIBLING_WEIGHT);
        }
        // A check of someone or somewhere the content does not name, found
        // where it names someone or somewhere else, is left to a reviewer
        // (`named.rs`): the same rumour told of another city or candidate
        // is another allegation.
        let auto = self.config.auto_threshold;
        for address in super::named::elsewhere(windows, &read, language, &best, auto) {
            if let Some(b) = best.get_mut(&address) {
                let found = &mut b.found;
                found.confidence = found.confidence.min(auto.next_down());
                let level = self.level(found.confidence, usize::MAX, usize::MAX);
                found.level = found.level.min(level);
            }
        }
        // The same rumour checked in another language about the person
        // or place the content names takes the place of the check told
        // of someone else, which falls behind it and under `review`
        // (`named.rs`). Names only reorder: the lead is as sure as the
        // words and meaning made either check, never surer.
        let review = self.config.review_threshold;
        for (named, other) in super::named::named_across(windows, &read, language, &best, review) {
            let theirs = best.get(&other).map_or(0.0, |b| b.found.confidence);
            let Some(b) = best.get_mut(&named) else {
                continue;
            };
            if b.found.confidence < theirs {
                b.found.confidence = theirs;
                b.found.level = self
                    .level(theirs, usize::MAX, usize::MAX)
                    .min(Level::Review);
                show_its_window(b, windows);
            }
            let lead = b.found.confidence;
            if let Some(b) = best.get_mut(&other) {
                b.found.confidence = theirs.min(lead.min(review).next_down());
                b.found.level = Level::None;
            }
        }
        let singles = single_sentence_windows(windows);
        let mut matches: Vec<(ClaimMatch, (usize, usize))> = if stretch {
            best.into_iter()
                .map(|(address, b)| {
                    let said = said.remove(&address).unwrap_or_default();
                    b.fitted(&singles, &sentence_terms, said)
                })
                .collect()
        } else {
            best.into_values().map(|b| (b.found, b.sentences)).collect()
        };
        self.read_stances(
            windows,
            &singles,
            language,
            scope.short_video,
            floor,
            &mut matches,
        );
        let mut matches: Vec<ClaimMatch> = matches.into_iter().map(|(found, _)| found).collect();
        matches.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(b.bm25.total_cmp(&a.bm25))
                .then_with(|| a.claim.id.cmp(&b.claim.id))
        });
        Ok(one_auto_per_stretch(group_duplicates(matches)))
    }

    /// Reads each shown match's stance (`stance.rs`) in the sentences of
    /// its span and, in a short video, in up to `AROUND` sentences on each
    /// side that no other match at `review` or above says; denials of the
    /// claim's words when the content is in the claim's language.
    fn read_stances(
        &self,
        windows: &[Window],
        singles: &[Option<&Window>],
        language: &str,
        short_video: bool,
        floor: f32,
        matches: &mut [(ClaimMatch, (usize, usize))],
    ) {
        let sentence = |i: usize| singles.get(i).copied().flatten().map(|w| w.text.as_str());
        let said: Vec<(usize, usize)> = matches
            .iter()
            .filter(|(found, _)| found.confidence >= self.config.review_threshold)
            .map(|&(_, span)| span)
            .collect();
        let free = |i: usize| !said.iter().any(|&(first, last)| first <= i && i <= last);
        for (found, (first, last)) in matches.iter_mut() {
            if found.confidence < floor {
                continue;
            }
            // Content matched as one window (a post, a short caption) is
            // read whole.
            let mut read: Vec<&str> = match windows {
                [only] => vec![only.text.as_str()],
                _ => (*first..=*last).filter_map(sentence).collect(),
            };
            if short_video && windows.len() > 1 {
                let before = first.saturating_sub(AROUND)..*first;
                let after = *last + 1..=*last + AROUND;
                read.extend(
                    before
                        .chain(after)
                        .filter(|&i| free(i))
                        .filter_map(sentence),
                );
            }
            // Denials are read in the claim's own language only.
            let same_language = (found.claim.language == language).then_some(language);
            (found.stance, found.stance_cues) =
                stance_around(&read, &found.claim.text, same_language);
        }
    }

    /// Adds the claims found by meaning to each claim's best window: a
    /// claim the lexical stage judged lower takes the semantic confidence
    /// (keeping its window and words), a claim it did not find joins with
    /// the sentence that is near it.
    #[allow(clippy::too_many_arguments)]
    fn add_semantic(
        &self,
        semantic: &Semantic,
        index: &ClaimIndex,
        (windows, read): (&[Window], &[Cow<'_, str>]),
        language: &str,
        scope: &Scope,
        floor: f32,
        best: &mut HashMap<tantivy::DocAddress, Best>,
    ) -> Result<()> {
        let searcher = index.searcher();
        // Sentences the lexical stage already decided on, with a check
        // of someone or somewhere the content names (a decision for a
        // check told of another candidate or city, `named.rs`, is no
        // decision: the check the content repeats may be in another
        // language, found only by meaning).
        let review = self.config.review_threshold;
        let elsewhere: Vec<tantivy::DocAddress> =
            super::named::elsewhere(windows, read, language, best, review);
        let decided: Vec<(usize, usize)> = best
            .iter()
            .filter(|(address, b)| b.found.confidence >= review && !elsewhere.contains(address))
            .map(|(_, b)| b.sentences)
            .collect();
        let just_under = (self.config.review_threshold - 0.01).max(0.0);
        // Which sentences the encoder runs on: not where words decided (a
        // claim at `review` or above over the sentence: meaning would only
        // rank other claims below it, which measured nothing on
        // multilingual-dev), and, with `semantic_gate`, only election talk
        // (`gate.rs`) or, when asked, a sentence whose words found a claim
        // partly.
        let over = |window: &Window, floor: f32| {
            best.iter().any(|(address, b)| {
                let (first, last) = b.sentences;
                b.found.confidence >= floor
                    && first <= window.last
                    && window.first <= last
                    && (floor < review || !elsewhere.contains(address))
            })
        };
        let config = &self.config;
        let wanted = |i: usize| {
            let window = &windows[i];
            !over(window, review)
                && (!config.semantic_gate
                    || super::gate::about_elections(&read[i])
                    || config
                        .semantic_gate_lexical
                        .is_some_and(|floor| over(window, floor)))
        };
        let content = (windows, read);
        let found = semantic.candidates(&self.config, index, content, language, scope, wanted)?;
        self.weigh_by_meaning(semantic, windows, language, &found, best)?;
        // Each claim near a sentence with the confidence its cosine gives,
        // read on its own scale when the claim is in another language than
        // the content (`semantic::confidence_of`), and its card when the
        // words did not find it (read once, however many sentences it is
        // near).
        let mut cards: HashMap<tantivy::DocAddress, Arc<crate::index::ClaimCard>> =
            HashMap::default();
        let mut near = Vec::with_capacity(found.near.len());
        for dense in found.near {
            let (card, across) = match best.get(&dense.address) {
                Some(known) => (None, known.cross_language),
                None => {
                    let card = match cards.get(&dense.address) {
                        Some(card) => card.clone(),
                        None => {
                            let card = Arc::new(index.card(&searcher, dense.address)?);
                            cards.insert(dense.address, card.clone());
                            card
                        }
                    };
                    let across = card.language != language;
                    (Some(card), across)
                }
            };
            let confidence = confidence_of(dense.cosine, across, &self.config);
            near.push((dense, card, across, confidence));
        }
        // Meaning decides for one claim per sentence, the one it is surest
        // of, and only where words decided nothing: claims that differ by a
        // city or a number are all near by meaning, and the words tell
        // them apart. The others still rank.
        let mut surest: HashMap<usize, usize> = HashMap::default();
        for (i, (dense, _, _, confidence)) in near.iter().enumerate() {
            let kept = surest.entry(dense.window).or_insert(i);
            if near[*kept].3 < *confidence {
                *kept = i;
            }
        }
        for (i, (dense, card, across, mut confidence)) in near.into_iter().enumerate() {
            let window = &windows[dense.window];
            let deciding = surest.get(&dense.window) == Some(&i);
            let words_decided = decided
                .iter()
                .any(|&(first, last)| first <= window.last && window.first <= last);
            // Nor where the content and the claim say other hours, or
            // place before what the other places after: near by meaning,
            // the words tell them apart (`numbers::times_differ`,
            // `numbers::order_reversed`).
            let claim_text = match (&card, best.get(&dense.address)) {
                (Some(card), _) => card.text.as_str(),
                (None, Some(known)) => known.found.claim.text.as_str(),
                (None, None) => "",
            };
            let other_hours = confidence >= review
                && (super::numbers::times_differ(&window.text, claim_text)
                    || super::numbers::order_reversed(&window.text, claim_text, language));
            if !deciding || words_decided || other_hours {
                confidence = confidence.min(just_under);
            }
            // Meaning alone is at most `review` (see `semantic`).
            let level = self.level(confidence, 0, 0);
            if let Some(known) = best.get_mut(&dense.address) {
                known.found.meaning = Some(
                    known
                        .found
                        .meaning
                        .map_or(dense.cosine, |m| m.max(dense.cosine)),
                );
                if known.found.confidence < confidence {
                    known.found.confidence = confidence;
                    known.found.level = level;
                }
                continue;
            }
            let Some(card) = card else { continue };
            let shown = confidence >= floor;
            let found = ClaimMatch {
                claim: card.clone(),
                confidence,
                level,
                excerpt: if shown {
                    truncate_chars(&window.text, EXCERPT_CHARS)
                } else {
                    String::new()
                },
                matched_terms: Vec::new(),
                start_ms: window.start_ms,
                end_ms: window.end_ms,
                bm25: 0.0,
                duplicates: Vec::new(),
                also_said: Vec::new(),
                stance: Stance::default(),
                stance_cues: Vec::new(),
                meaning: Some(dense.cosine),
            };
            best.insert(
                dense.address,
                Best {
                    found,
                    claim_text: None,
                    held: Vec::new(),
                    cross_language: across,
                    sentences: (window.first, window.last),
                },
            );
        }
        Ok(())
    }

    /// Records each claim's cosine with the embedded sentences of its
    /// window (`ClaimMatch::meaning`), and keeps `UNRELATED_WEIGHT` of the
    /// confidence of each claim its words
    /// found under `review` over sentences that were all embedded and none
    /// of which is near it by meaning (under `semantic_floor_cosine`, where
    /// meaning would not propose it at all): a word or two shared with a
    /// claim of another story ("número", "governo") must not rank it over
    /// the check the sentence retells in other words. Claims at `review`
    /// and above keep their judgement: on snopes tweets, right decisions
    /// sat at low cosines (handles, dates and links pull it down;
    /// docs/encoder.md, "What remains"), and a veto there would cost them.
    fn weigh_by_meaning(
        &self,
        semantic: &Semantic,
        windows: &[Window],
        language: &str,
        found: &super::semantic::Found,
        best: &mut HashMap<tantivy::DocAddress, Best>,
    ) -> Result<()> {
        if found.embedded.is_empty() {
            return Ok(());
        }
        // The embedded vectors a claim's sentences were read as: the
        // whole post's, or each sentence's (its window of one sentence).
        let vectors_of = |(first, last): (usize, usize)| -> Option<Vec<&[f32; DIM]>> {
            if windows.len() == 1 {
                return found.embedded.first().map(|(_, v)| vec![v]);
            }
            (first..=last)
                .map(|sentence| {
                    found
                        .embedded
                        .iter()
                        .find(|(w, _)| windows[*w].first == sentence)
                        .map(|(_, v)| v)
                })
                .collect()
        };
        let mut unrelated = Vec::new();
        for (address, b) in best.iter_mut() {
            let Some(vectors) = vectors_of(b.sentences) else {
                continue;
            };
            let mut nearest = Some(f32::NEG_INFINITY);
            for vector in vectors {
                let cosine = semantic
                    .vectors()
                    .cosine(vector, language, &b.found.claim.id)?;
                // No vector yet: nothing is known against it.
                nearest = nearest.zip(cosine).map(|(n, c)| n.max(c));
            }
            b.found.meaning = nearest;
            if b.found.confidence < self.config.review_threshold
                && nearest.is_some_and(|n| n < self.config.semantic_floor_cosine)
            {
                unrelated.push(*address);
            }
        }
        self.demote(best, unrelated, UNRELATED_WEIGHT);
        Ok(())
    }

    /// Keeps `weight` of the confidence of each claim at `addresses`, its
    /// level lowered to what that confidence reaches.
    fn demote(
        &self,
        best: &mut HashMap<tantivy::DocAddress, Best>,
        addresses: Vec<tantivy::DocAddress>,
        weight: f32,
    ) {
        for address in addresses {
            if let Some(b) = best.get_mut(&address) {
                let found = &mut b.found;
                found.confidence *= weight;
                let level = self.level(found.confidence, usize::MAX, usize::MAX);
                found.level = found.level.min(level);
            }
        }
    }

    /// Hands each claim checked only for other countries than the content
    /// names (`places.rs`) over to the check of the same falsehood made
    /// for a named country, when one is among the candidates: the rumour
    /// told "en Brasil" is the Brazilian check's, even when the Argentine
    /// check of it shares the caption's language and the Brazilian one
    /// was found only by meaning, far lower. Two checks are of the same
    /// falsehood when their texts are near by meaning
    /// (`places::SAME_STORY`). The named country's check takes the
    /// other's confidence up to just under `review` (what the words found
    /// is the other check's; meaning between two markets' checks decides
    /// nothing), with an excerpt of its own window when it had none; the
    /// other keeps `PLACE_WEIGHT` of its confidence, below it. Without
    /// such a check, the other is only demoted.
    fn to_the_named_check(
        &self,
        windows: &[Window],
        best: &mut HashMap<tantivy::DocAddress, Best>,
        elsewhere: &[super::places::Elsewhere],
    ) -> Result<()> {
        let just_under = (self.config.review_threshold - 0.01).max(0.0);
        for demoted in elsewhere {
            let Some(claim) = best.get(&demoted.address) else {
                continue;
            };
            let confidence = claim.found.confidence;
            let kept = confidence * super::places::PLACE_WEIGHT;
            // The surest of the named country's checks of the same
            // falsehood, among the surest few (a transcript naming a
            // country can have dozens of its checks as candidates).
            let mut named: Vec<(f32, tantivy::DocAddress)> = demoted
                .named_markets
                .iter()
                .filter_map(|a| best.get(a).map(|b| (b.found.confidence, *a)))
                .collect();
            named.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut same_story = None;
            if let Some(semantic) = &self.semantic {
                for &(_, address) in named.iter().take(super::places::NAMED_COMPARED) {
                    let other = &best[&address].found.claim.id;
                    if semantic
                        .vectors()
                        .between(&claim.found.claim.id, other)?
                        .is_some_and(|c| c >= super::places::SAME_STORY)
                    {
                        same_story = Some(address);
                        break;
                    }
                }
            }
            let mut ceiling = kept;
            if let Some(named) = same_story.and_then(|address| best.get_mut(&address)) {
                // Under `review`: its level stays what it was.
                let lifted = confidence.min(just_under);
                if named.found.confidence < lifted {
                    named.found.confidence = lifted;
                    show_its_window(named, windows);
                }
                ceiling = named.found.confidence * super::places::BELOW_NAMED;
            }
            if let Some(b) = best.get_mut(&demoted.address) {
                b.found.confidence = kept.min(ceiling);
                let level = self.level(b.found.confidence, usize::MAX, usize::MAX);
                b.found.level = b.found.level.min(level);
            }
        }
        Ok(())
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

/// Gives a match lifted by what the content names (`places.rs`,
/// `named.rs`) the excerpt and times of the window it was found in, when
/// it was found under the floor and has none: a reviewer sees where it
/// was said.
fn show_its_window(b: &mut Best, windows: &[Window]) {
    if !b.found.excerpt.is_empty() {
        return;
    }
    let (first, last) = b.sentences;
    if let Some(window) = windows.iter().find(|w| w.first == first && w.last == last) {
        b.found.excerpt = truncate_chars(&window.text, EXCERPT_CHARS);
        (b.found.start_ms, b.found.end_ms) = (window.start_ms, window.end_ms);
    }
}

/// A claim's best window as a candidate shows it, at `confidence`: with
/// the excerpt and the claim's words it holds when the match is shown
/// (at or above `floor`).
fn best_of(candidate: &Candidate<'_>, confidence: f32, floor: f32, matcher: &Matcher) -> Best {
    let window = candidate.window;
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
    let level = matcher.level(confidence, window.words, claim_text.terms.len());
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
        meaning: None,
    };
    Best {
        found,
        claim_text: shown.then(|| claim_text.clone()),
        held,
        cross_language: candidate.cross_language,
        sentences: (window.first, window.last),
    }
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

#[cfg(test)]
mod tests;

//! Candidate search: for each window of the content, the claims BM25
//! retrieves within the request's market and the claims' validity, each
//! (window, claim) pair with the features the model judges it on.

use std::ops::Bound;
use std::sync::Arc;

use tantivy::Term;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, RangeQuery, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};

use super::cache::{self, Cache};
use super::features::{ClaimText, Retrieval, WindowText, analyzed, days_apart, features};
use super::idf::Idf;
use super::model::ContentKind;
use super::retrieve;
use super::score::{Matcher, Scope};
use super::terms::{Bm25Memo, ReadyTerm};
use crate::captions::Window;
use crate::error::{Error, Result};
use crate::index::analysis::{fold_analyzer, stem_analyzer};
use crate::index::{ANY_MARKET, ClaimCard, ClaimIndex, FLAG_SCOPED, FLAG_WINDOW};
use crate::lang;

/// Most distinct query terms used per field and window, so that a single
/// request cannot make retrieval arbitrarily slow.
const MAX_QUERY_TERMS: usize = 256;

/// Windows retrieved together: a 60-second transcript's 40-odd windows
/// in one batch; a long one in several, with the deadline checked between
/// them.
const WINDOWS_PER_SEARCH: usize = 64;

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

impl Matcher {
    /// Retrieves candidates for every window and calls `visit` with each
    /// (window, claim) pair and its features. `read` is each window's
    /// text as matching reads it ([`read_windows`]). Shared by scoring
    /// and by `train`, so the model is fitted on exactly what it will see.
    ///
    /// [`read_windows`]: super::read_windows
    pub fn for_each_candidate(
        &self,
        index: &ClaimIndex,
        windows: &[Window],
        read: &[std::borrow::Cow<'_, str>],
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
            for (at, batch) in (0..)
                .step_by(WINDOWS_PER_SEARCH)
                .zip(windows.chunks(WINDOWS_PER_SEARCH))
            {
                deadline_check(scope)?;
                let mut analyses = Vec::with_capacity(batch.len());
                let mut queries = Vec::with_capacity(batch.len());
                for read in &read[at..at + batch.len()] {
                    // Amounts are searched by their values too ("1200
                    // reais" finds "R$ 1.200"), said in words only in
                    // short content (`numbers::with_values`).
                    let read = super::numbers::with_values(read, scope.short_video);
                    // Places named by nickname and colloquial words are
                    // searched by their usual names too (`nicknames.rs`).
                    // In a stemmed language, the folded field is searched with
                    // the words that survive its stop list: function words
                    // would only add long posting lists to every query (35 %
                    // of the time on the snopes train queries, for no gain in
                    // MAP).
                    let (stems, folds): (Vec<String>, Vec<String>) = match stemmed_field {
                        Some(_) => analyzed(&mut stem, &read)
                            .into_iter()
                            .map(|(term, range)| (term, crate::text::fold(&read[range])))
                            .unzip(),
                        None => (
                            Vec::new(),
                            analyzed(&mut fold, &read)
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
                    analyses.push((read, stems, folds));
                    queries.push(terms);
                }
                let tops = retrieve::top_docs_each(
                    &searcher,
                    &queries,
                    &filters,
                    self.config.candidates,
                    retrieval,
                )?;
                for ((window, (read, stems, folds)), top) in batch.iter().zip(analyses).zip(tops) {
                    deadline_check(scope)?;
                    let Some(top_bm25) = top.first().map(|t| t.0) else {
                        continue;
                    };
                    let read: &str = &read;

                    // All the window's folded words (for names and numbers; and
                    // its terms when there is no stemmed field, as searched).
                    let window_field = stemmed_field.unwrap_or(fields.folded);
                    let folded_words = match stemmed_field {
                        Some(_) => analyzed(&mut fold, read).into_iter().map(|t| t.0).collect(),
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
                        read,
                        &window.speakers,
                    )?;
                    let mut folded_window: Option<WindowText> = None;

                    // Claims their words score alike share a rank: which of
                    // two checks differing by a word the content does not
                    // say (the city of one falsehood told of two) comes
                    // first is the index's order, not the content's, and
                    // must not make one surer than the other. (Ranks within
                    // 5 % of the score above, tried too, lost the sibling a
                    // number or a city said puts a little ahead: dev
                    // same-language 0.968 -> 0.958.)
                    let mut rank = 0;
                    let mut previous = f32::NAN;
                    for (at, (bm25, address)) in top.into_iter().enumerate() {
                        if bm25 != previous {
                            (rank, previous) = (at, bm25);
                        }
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
                                read,
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
    /// too, it took debates dev `auto` precision from 1.000 to 0.905).
    ///
    /// A run of sentences of a short video keeps the transcript model's
    /// judgement here; what it gets as a post comes second, for meaning
    /// to confirm (`Matcher::confirm_runs`): judged as posts outright,
    /// runs put 4 of 9 clips made of multilingual-dev negatives at
    /// `review`, their claim words gathered from unrelated cues.
    pub(super) fn confidence(
        &self,
        candidate: &Candidate<'_>,
        short_video: bool,
    ) -> (f32, Option<f32>) {
        let mut title = super::titles::TitleHold::new(
            candidate,
            self.config.review_threshold,
            &self.held_by_title,
        );
        let in_video = title.held(candidate.features, |x| {
            self.models.predict(candidate.kind, candidate.dated, x)
        });
        let in_video = self.held_under_auto(candidate, self.order_held(candidate, in_video));
        // A pair judged with its speaker keeps that judgement: who speaks is
        // evidence a post does not have.
        if candidate.kind != ContentKind::Transcript || !short_video {
            return (in_video, None);
        }
        let mut alone = candidate.features;
        alone[super::features::SPEAKER_AGREES] = 0.0;
        let as_post = title.held(alone, |x| {
            self.models.predict(ContentKind::Post, candidate.dated, x)
        });
        let as_post = self.held_under_auto(candidate, self.order_held(candidate, as_post));
        if candidate.window.first == candidate.window.last {
            (in_video.max(as_post), None)
        } else {
            (in_video, (as_post > in_video).then_some(as_post))
        }
    }

    /// `confidence`, held just under `review` when the content, in the
    /// claim's language, places before what the claim places after or the
    /// reverse (`numbers::order_reversed`: "antes de apertar confirma
    /// ..., aperta corrige" against the check that the vote can be
    /// corrected after the confirm key) and does not refute the claim: the
    /// words are the claim's, the fact is another.
    fn order_held(&self, candidate: &Candidate<'_>, confidence: f32) -> f32 {
        let review = self.config.review_threshold;
        if confidence < review || candidate.cross_language {
            return confidence;
        }
        let (text, card) = (&candidate.window.text, candidate.card);
        if !super::numbers::order_reversed(text, &card.text, &card.language)
            || super::titles::refuted(text, card, true)
        {
            return confidence;
        }
        super::titles::held_under(review, confidence)
    }

    /// `confidence`, held just under `auto` when the content, in the
    /// claim's language, has the check's words and not its point: it says
    /// what the claim denies, or that something the claim does not name
    /// is enough (`stance::affirms_what_it_denies`), or the claim states
    /// an amount and the content none (`says_no_amount_of`). Such a match
    /// is for a reviewer to read, never decided alone.
    fn held_under_auto(&self, candidate: &Candidate<'_>, confidence: f32) -> f32 {
        let auto = self.config.auto_threshold;
        if confidence < auto || candidate.cross_language {
            return confidence;
        }
        let (text, card) = (&candidate.window.text, candidate.card);
        if says_no_amount_of(candidate)
            || super::stance::affirms_what_it_denies(text, &card.text, &card.language)
        {
            return super::titles::held_under(auto, confidence);
        }
        confidence
    }
}

/// Whether the claim states an amount (a sum, a count: "R$ 80", "200
/// ribu", "300 seções"; years and times of day are not amounts) and the
/// content, which does not refute it, says no amount at all, however
/// written ("oitenta reais" is one in a post). An amount
/// is what a check's falsehood turns on more often than anything, and
/// those who retell it say it: a true caption in the check's setting
/// ("quem vai estar fora pode pedir voto em trânsito no cartório de
/// Vitória, e é de graça") has every word of the check but its price.
fn says_no_amount_of(candidate: &Candidate<'_>) -> bool {
    !candidate.claim_text.numbers.is_empty()
        && candidate.compared.numbers.is_empty()
        && states_an_amount(&candidate.card.text)
        && !super::titles::refuted(&candidate.window.text, candidate.card, true)
}

/// Whether `claim` states an amount other than a year: "nas eleições de
/// 2022" sets the check in its election, and a spreader says "nessas
/// eleições".
fn states_an_amount(claim: &str) -> bool {
    let folded = crate::text::fold(claim);
    super::numbers::written_amounts(&folded)
        .into_iter()
        .any(|amount| !said_as_year(&folded, amount))
}

/// Whether `amount` is written in `folded` as a year: four digits from
/// 1900 to 2100, at the end of a stretch of words or before a short word
/// ("de 2022.", "em 2022 as urnas"), not before a longer one, which is
/// what is counted ("2000 pesos", "2000 votos").
fn said_as_year(folded: &str, amount: u64) -> bool {
    if !(1900..=2100).contains(&amount) {
        return false;
    }
    let digits = amount.to_string();
    let raw: Vec<&str> = folded.split_whitespace().collect();
    raw.iter().enumerate().any(|(at, word)| {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let ends_stretch = word.ends_with([',', '.', ';', ':', '!', '?', ')']);
        let next_short = raw.get(at + 1).is_none_or(|next| {
            next.trim_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .count()
                <= 3
        });
        bare == digits && (ends_stretch || next_short)
    })
}

/// The market and validity filters, as weights without scores (retrieval
/// seeks each to the candidates); a filter that no indexed claim could
/// fail is left out, as it would only cost a seek per candidate.
pub(super) fn filters(
    index: &ClaimIndex,
    searcher: &tantivy::Searcher,
    scope: &Scope,
) -> Result<Vec<Box<dyn Weight>>> {
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    Ok(scope_queries(index, searcher, scope)?
        .iter()
        .map(|filter| filter.weight(unscored))
        .collect::<tantivy::Result<_>>()?)
}

/// The market and validity filters, as queries (see `filters`).
pub(super) fn scope_queries(
    index: &ClaimIndex,
    searcher: &tantivy::Searcher,
    scope: &Scope,
) -> Result<Vec<Box<dyn Query>>> {
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
    Ok(filters)
}

/// Fails once the caller's deadline has passed.
pub(super) fn deadline_check(scope: &Scope) -> Result<()> {
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

/// Appends the weights of the distinct `terms` of `field`, at most
/// `MAX_QUERY_TERMS` of them.
pub(super) fn push_terms(
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
    use super::states_an_amount;

    #[test]
    fn a_year_is_no_amount_and_a_sum_or_a_count_is() {
        // Written for this test.
        for year in [
            "As urnas foram programadas para transferir votos nas eleições de 2022.",
            "Em 2022 as urnas foram trocadas na véspera.",
            "KPU mencoret pemilih pada pemilu 2024",
        ] {
            assert!(!states_an_amount(year), "{year}");
        }
        for amount in [
            "Quem pedir voto em trânsito vai pagar uma taxa de R$ 80.",
            "En Puebla regalan tarjetas de 2000 pesos.",
            "Apareceram 2.000 votos a mais na seção em 2022.",
            "Bawaslu menemukan 10 ribu pemilih ganda.",
        ] {
            assert!(states_an_amount(amount), "{amount}");
        }
    }
}

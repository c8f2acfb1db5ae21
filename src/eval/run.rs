//! `claimsignal eval`: ranks claims for every query in-process with the
//! same pipeline the server uses, and measures the result.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::data::{self, Query, Transcripts};
use super::metrics::RankingTotals;
use super::query::{Dating, RETURNED, Ranked, is_relevant, lists, rank_query, ratio};
use super::report::{
    EvalReport, LanguageFigures, LevelQuality, Mistake, MistakeMatch, NegativeControl,
    NegativeShares, ThresholdRow, level_name,
};
use crate::encoder::{DIM, Encoder};
use crate::error::Result;
use crate::index::{ClaimIndex, ClaimVectors, READING};
use crate::matcher::{ClaimMatch, Level, Matcher, Semantic, Stance};

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Claims file.
    pub claims: PathBuf,
    /// Queries file.
    pub queries: PathBuf,
    /// Relevance judgements.
    pub qrels: PathBuf,
    /// Debate transcripts for `<doc>_<line>` queries.
    pub transcripts: Option<PathBuf>,
    /// Queries that should match nothing.
    pub negatives: Option<PathBuf>,
    /// Threads ranking queries at once (throughput is measured over them).
    pub threads: usize,
    /// When each query says it was made.
    pub dating: Dating,
    /// Where to write the queries the pipeline got wrong (JSON Lines).
    pub mistakes: Option<PathBuf>,
    /// Also send each transcript whole and check the returned spans.
    pub whole_transcripts: bool,
    /// Match transcripts without their speakers, as captions that do not
    /// say who speaks (SRT) would carry them.
    pub no_speakers: bool,
    /// Match by meaning too (the claims' vectors computed first).
    pub semantic: bool,
}

impl EvalOptions {
    /// The transcripts queries are matched in, read as these options say.
    fn open_transcripts(&self) -> Option<Transcripts> {
        self.transcripts
            .as_deref()
            .map(|dir| Transcripts::at(dir, !self.no_speakers))
    }
}

/// Returns the claim ids of a ranking with each match's duplicates (same
/// claim text from another record) right after it, as a response lists
/// them: the ranking MAP and recall are computed over.
pub(crate) fn ranked_ids(ranked: &[ClaimMatch]) -> Vec<String> {
    ranked
        .iter()
        .flat_map(|found| std::iter::once(&found.claim).chain(&found.duplicates))
        .map(|claim| claim.id.clone())
        .collect()
}

/// Scores `negatives` (inside their transcripts when `transcripts` is
/// given) and returns how often they reach a decision, with each one's
/// best confidence. A query that cannot be scored counts as deciding
/// nothing.
fn negative_shares(
    matcher: &Matcher,
    index: &ClaimIndex,
    negatives: &[Query],
    mut transcripts: Option<&mut Transcripts>,
    dating: Dating,
) -> (NegativeShares, Vec<f32>) {
    let (mut review, mut auto) = (0usize, 0usize);
    let mut best = Vec::with_capacity(negatives.len());
    for query in negatives {
        let Ok(ranked) = rank_query(matcher, index, query, transcripts.as_deref_mut(), dating)
        else {
            continue;
        };
        let decision = ranked.decision();
        best.push(
            ranked
                .matches
                .iter()
                .filter(|m| ranked.decides(m))
                .map(|m| m.confidence)
                .fold(0.0, f32::max),
        );
        review += usize::from(decision >= Level::Review);
        auto += usize::from(decision == Level::Auto);
    }
    let shares = NegativeShares {
        review_share: ratio(review, negatives.len()),
        auto_share: ratio(auto, negatives.len()),
    };
    (shares, best)
}

/// Ranks every query, spread over `options.threads` threads, in query order.
fn rank_all(
    matcher: &Matcher,
    index: &ClaimIndex,
    queries: &[&Query],
    options: &EvalOptions,
) -> Result<Vec<Ranked>> {
    let threads = options.threads.max(1);
    let chunk = queries.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = queries
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut transcripts = options.open_transcripts();
                    part.iter()
                        .map(|query| {
                            rank_query(matcher, index, query, transcripts.as_mut(), options.dating).unwrap_or_else(|err| {
                                tracing::warn!(query = %query.id, error = %err, "query not scored");
                                Ranked::default()
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(queries.len());
        for handle in handles {
            all.extend(
                handle
                    .join()
                    .map_err(|_| crate::error::Error::Internal("ranking thread panicked".into()))?,
            );
        }
        Ok(all)
    })
}

/// Returns the mistake record of a query, when its returned matches hold
/// a wrong decision or miss a relevant claim.
fn mistake<'a>(
    query: &'a Query,
    relevant: &'a HashSet<String>,
    ranked: &'a Ranked,
    store: &crate::claims::ClaimStore,
) -> Option<Mistake<'a>> {
    let top = &ranked.matches[..ranked.matches.len().min(RETURNED)];
    let decided = |m: &&ClaimMatch| ranked.level_of(m) >= Some(Level::Review);
    let wrong = top
        .iter()
        .filter(decided)
        .filter(|m| !is_relevant(m, relevant))
        .count();
    let missed = relevant
        .iter()
        .filter(|id| !top.iter().filter(decided).any(|m| lists(m, id)))
        .count();
    if wrong + missed == 0 {
        return None;
    }
    let mut relevant_texts: Vec<(&str, Option<String>)> = relevant
        .iter()
        .map(|id| {
            let text = store.get(id).ok().flatten().map(|claim| claim.text);
            (id.as_str(), text)
        })
        .collect();
    relevant_texts.sort();
    Some(Mistake {
        query: &query.id,
        text: &query.text,
        relevant: relevant_texts,
        wrong,
        missed,
        returned: top
            .iter()
            .map(|m| MistakeMatch {
                claim: &m.claim.id,
                duplicates: m.duplicates.iter().map(|d| d.id.as_str()).collect(),
                text: &m.claim.text,
                confidence: m.confidence,
                level: level_name(m.level),
                relevant: is_relevant(m, relevant),
                here: ranked.decides(m),
                level_here: level_name(ranked.level_of(m).unwrap_or(Level::None)),
                start_ms: m.start_ms,
                end_ms: m.end_ms,
                meaning: m.meaning,
                stance: m.stance.as_str(),
            })
            .collect(),
    })
}

/// Returns `matcher` matching by meaning too, over the vectors of every
/// claim of `store`.
pub fn semantic_matcher(matcher: &Matcher, store: &crate::claims::ClaimStore) -> Result<Matcher> {
    let encoder = crate::matcher::semantic::shipped_encoder()?;
    let vectors =
        Arc::new(ClaimVectors::in_memory().with_signs_from(matcher.config().semantic_signs_from));
    let embed = |texts: &[&str]| embed_on_every_core(&encoder, texts);
    while vectors
        .catch_up_with(store, encoder.neutral_means(), &embed, 10_000, 32)?
        .0
        > 0
    {}
    Ok(matcher
        .clone()
        .with_semantic(Arc::new(Semantic::new(encoder, vectors))))
}

/// The vectors of `texts` as the service reads them, pieces of 8 on
/// every core (a command has the machine to itself; the service lends
/// only idle cores, `app/embedder/helpers.rs`).
pub(super) fn embed_on_every_core(encoder: &Encoder, texts: &[&str]) -> Vec<Option<[f32; DIM]>> {
    use rayon::prelude::*;
    texts
        .par_chunks(8)
        .map(|piece| encoder.embed_read(piece, READING))
        .collect::<Vec<_>>()
        .concat()
}

/// Runs an evaluation.
pub fn run(matcher: &Matcher, options: &EvalOptions) -> Result<EvalReport> {
    if options.whole_transcripts && options.transcripts.is_none() {
        return Err(crate::error::Error::invalid(
            "--whole-transcripts needs --transcripts",
        ));
    }
    let (store, index) = data::build_index(&options.claims)?;
    let with_meaning;
    let matcher = if options.semantic {
        with_meaning = semantic_matcher(matcher, &store)?;
        &with_meaning
    } else {
        matcher
    };
    let queries = data::read_queries(&options.queries)?;
    let qrels = data::read_qrels(&options.qrels)?;
    let judged: Vec<&Query> = queries
        .iter()
        .filter(|q| qrels.get(&q.id).is_some_and(|r| !r.is_empty()))
        .collect();
    let started = Instant::now();
    let rankings = rank_all(matcher, &index, &judged, options)?;
    let elapsed = started.elapsed().as_secs_f64();
    let ranked_count = judged.len();
    let mut transcripts = options.open_transcripts();
    let mut totals = RankingTotals::default();
    // Per language: its ranking totals, its `auto` decisions and its
    // relevant pairs.
    let mut languages: std::collections::BTreeMap<&str, (RankingTotals, LevelQuality, usize)> =
        std::collections::BTreeMap::new();
    let mut report = EvalReport::default();
    let mut relevant_pairs = 0usize;
    let mut returned: Vec<(f32, bool)> = Vec::new();
    let mut negative_best: Vec<f32> = Vec::new();
    let mut mistakes = String::new();
    for (query, ranked) in judged.iter().zip(rankings.iter()) {
        let empty = HashSet::new();
        let relevant = qrels.get(&query.id).unwrap_or(&empty);
        report.in_transcript += usize::from(ranked.line.is_some());
        let ids = ranked_ids(&ranked.matches);
        totals.add(&ids, relevant);
        let language = languages.entry(query.lang.as_str()).or_default();
        language.0.add(&ids, relevant);
        language.2 += relevant.len();
        relevant_pairs += relevant.len();
        for found in ranked.matches.iter().take(RETURNED) {
            let Some(level) = ranked.level_of(found) else {
                continue;
            };
            let hit = is_relevant(found, relevant);
            returned.push((found.confidence, hit));
            if level >= Level::Review {
                report.review.decided += 1;
                report.review.correct += usize::from(hit);
                if hit {
                    report.stances.decided += 1;
                    report.stances.refutes += usize::from(found.stance == Stance::Refutes);
                    report.stances.unclear += usize::from(found.stance == Stance::Unclear);
                }
            }
            if level == Level::Auto {
                report.auto.decided += 1;
                report.auto.correct += usize::from(hit);
                language.1.decided += 1;
                language.1.correct += usize::from(hit);
            }
        }
        if options.mistakes.is_some()
            && let Some(mistake) = mistake(query, relevant, ranked, &store)
        {
            let line = serde_json::to_string(&mistake)
                .map_err(|err| crate::error::Error::Internal(err.to_string()))?;
            mistakes.push_str(&line);
            mistakes.push('\n');
        }
    }
    if let Some(path) = &options.mistakes {
        std::fs::write(path, &mistakes).map_err(|err| {
            crate::error::Error::InvalidArgument(format!("cannot write {}: {err}", path.display()))
        })?;
    }
    report.queries = totals.queries;
    report.threads = options.threads.max(1);
    report.map_at_1 = totals.map1();
    report.map_at_5 = totals.map5();
    report.mrr = totals.mrr();
    report.recall_at_5 = totals.recall5();
    report.recall_at_20 = totals.recall20();
    report.queries_per_second = if elapsed > 0.0 {
        ranked_count as f64 / elapsed
    } else {
        0.0
    };
    for quality in [&mut report.review, &mut report.auto] {
        quality.precision = ratio(quality.correct, quality.decided);
        quality.recall = ratio(quality.correct, relevant_pairs);
    }
    if languages.len() > 1 {
        report.by_language = languages
            .into_iter()
            .map(|(language, (totals, mut auto, relevant_pairs))| {
                auto.precision = ratio(auto.correct, auto.decided);
                auto.recall = ratio(auto.correct, relevant_pairs);
                LanguageFigures {
                    language: language.to_string(),
                    queries: totals.queries,
                    map_at_5: totals.map5(),
                    auto,
                }
            })
            .collect();
    }
    if let Some(path) = &options.negatives {
        let negatives = data::read_queries(path)?;
        let (alone, best) = negative_shares(matcher, &index, &negatives, None, options.dating);
        negative_best = best;
        let in_transcript = transcripts.as_mut().map(|transcripts| {
            negative_shares(
                matcher,
                &index,
                &negatives,
                Some(transcripts),
                options.dating,
            )
            .0
        });
        report.negatives = Some(NegativeControl {
            queries: negatives.len(),
            alone,
            in_transcript,
        });
    }
    report.thresholds = (6..=19)
        .map(|step| {
            let threshold = step as f32 * 0.05;
            let decided = returned.iter().filter(|(c, _)| *c >= threshold).count();
            let correct = returned
                .iter()
                .filter(|(c, hit)| *c >= threshold && *hit)
                .count();
            let negatives = negative_best.iter().filter(|c| **c >= threshold).count();
            ThresholdRow {
                threshold,
                decided,
                precision: ratio(correct, decided),
                recall: ratio(correct, relevant_pairs),
                negatives_share: ratio(negatives, negative_best.len()),
            }
        })
        .collect();
    // The transcripts read for the judged queries, sent whole this time.
    if options.whole_transcripts
        && let Some(transcripts) = transcripts.as_mut()
    {
        report.whole_transcripts = Some(super::whole::run(
            matcher,
            &index,
            &judged,
            &qrels,
            transcripts,
            options.dating,
        )?);
    }
    report.sentences_embedded = matcher.semantic().map(|s| {
        let (seen, embedded) = s.sentences_embedded();
        [seen, embedded]
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_of_the_queries_gets_its_own_figures() -> Result<()> {
        let dir =
            tempfile::tempdir().map_err(|err| crate::error::Error::Internal(err.to_string()))?;
        let write = |name: &str, text: &str| -> PathBuf {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write a fixture");
            path
        };
        let claims = write(
            "claims.jsonl",
            concat!(
                r#"{"id": "urna", "text": "A urna eletrônica troca o voto do eleitor pelo candidato do governo.", "language": "pt", "rating_text": "Falso"}"#,
                "\n",
                r#"{"id": "boleta", "text": "Las boletas marcadas con lápiz se borran y se anulan en el conteo.", "language": "es", "rating_text": "Falso"}"#,
                "\n",
            ),
        );
        let queries = write(
            "queries.jsonl",
            concat!(
                r#"{"id": "q-pt", "text": "a urna eletrônica troca o voto do eleitor pelo candidato do governo", "lang": "pt"}"#,
                "\n",
                r#"{"id": "q-es", "text": "las boletas marcadas con lápiz se borran en el conteo", "lang": "es"}"#,
                "\n",
            ),
        );
        // The Spanish query is judged against the Portuguese claim, which
        // it does not repeat: its language's MAP@5 is zero.
        let qrels = write("qrels.tsv", "q-pt\turna\nq-es\turna\n");
        let options = EvalOptions {
            claims,
            queries,
            qrels,
            transcripts: None,
            negatives: None,
            threads: 1,
            dating: Dating::default(),
            mistakes: None,
            whole_transcripts: false,
            no_speakers: false,
            semantic: false,
        };
        // Words only: no encoder is asked for.
        let report = run(&Matcher::default(), &options)?;
        let figures: Vec<(&str, usize, f64)> = report
            .by_language
            .iter()
            .map(|l| (l.language.as_str(), l.queries, l.map_at_5))
            .collect();
        assert_eq!(figures.len(), 2, "{figures:?}");
        assert_eq!((figures[0].0, figures[0].1), ("es", 1));
        assert_eq!((figures[1].0, figures[1].1), ("pt", 1));
        assert!(figures[0].2 < 0.5 && figures[1].2 == 1.0, "{figures:?}");
        assert!((report.map_at_5 - (figures[0].2 + figures[1].2) / 2.0).abs() < 1e-9);
        Ok(())
    }
}

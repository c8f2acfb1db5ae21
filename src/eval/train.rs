//! `claimsignal train`: fits the reranking model on the `train` splits of
//! the evaluation sets, with the same candidates the server will see.
//!
//! Never reads another split: tuning on `dev` would flatter every number
//! `eval` reports.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::data::{self, Transcripts};
use crate::captions::Window;
use crate::error::{Error, Result};
use crate::index::ClaimIndex;
use crate::matcher::features::Features;
use crate::matcher::{ByContent, ContentKind, Matcher, Model, Models};

/// The split training reads, and the only one.
const SPLIT: &str = "train";
/// L2 penalty on standardised weights.
const L2: f64 = 1e-4;

/// Samples collected for fitting.
#[derive(Default)]
pub struct Samples {
    /// Feature vectors.
    pub features: Vec<Features>,
    /// Whether each pair is a relevant (query, claim).
    pub labels: Vec<bool>,
    /// Set, query id and claim id of each pair.
    pub origins: Vec<[String; 3]>,
}

impl Samples {
    fn positives(&self) -> usize {
        self.labels.iter().filter(|l| **l).count()
    }

    fn fit(&self, kind: &str) -> Result<Model> {
        let provenance = format!(
            "{kind}: {} pairs, {} relevant",
            self.labels.len(),
            self.positives()
        );
        tracing::info!(
            kind,
            pairs = self.labels.len(),
            relevant = self.positives(),
            "fitting"
        );
        Model::fit(&self.features, &self.labels, L2, provenance)
    }
}

/// Samples of both content kinds, undated and dated.
type AllSamples = ByContent<Samples>;

fn sample_count(samples: &AllSamples) -> usize {
    samples.named().iter().map(|(_, b)| b.labels.len()).sum()
}

fn positive_count(samples: &AllSamples) -> usize {
    samples.named().iter().map(|(_, b)| b.positives()).sum()
}

/// An evaluation set directory in the shared layout.
struct Set {
    name: String,
    claims: PathBuf,
    queries: PathBuf,
    qrels: PathBuf,
    transcripts: Option<PathBuf>,
}

impl Set {
    fn at(dir: &Path) -> Option<Set> {
        let queries = dir.join(format!("queries.{SPLIT}.jsonl"));
        let qrels = dir.join(format!("qrels.{SPLIT}.tsv"));
        let claims = dir.join("claims.jsonl");
        if !(queries.exists() && qrels.exists() && claims.exists()) {
            return None;
        }
        let transcripts = Some(dir.join("transcripts")).filter(|p| p.is_dir());
        Some(Set {
            name: dir.file_name()?.to_string_lossy().into_owned(),
            claims,
            queries,
            qrels,
            transcripts,
        })
    }
}

/// Adds the candidates of every query of `queries` against `index`, each
/// query twice: as a caller that does not say when the content was made
/// would send it (for the undated models), and, when the query has a date,
/// as one that does (its pairs whose dates count, for the dated models;
/// the others are the undated pass's again). A query inside a transcript
/// that names its speakers comes twice more over: with them, for the
/// named models (its pairs with a claim that names its claimant), and
/// without, as captions that do not say who speaks (SRT) would carry it,
/// for the others. `relevant` says which (query, claim) pairs are true
/// matches.
fn collect(
    set: &str,
    matcher: &Matcher,
    index: &ClaimIndex,
    queries: &[data::Query],
    mut transcripts: Option<Transcripts>,
    relevant: impl Fn(&str, &str) -> bool,
    samples: &mut AllSamples,
) -> Result<()> {
    for query in queries {
        let Ok((windows, language, _)) =
            super::query::query_windows(matcher, query, transcripts.as_mut())
        else {
            continue;
        };
        // With speakers, only the pairs the named models judge: the
        // others are the same as without, which the second pass gives.
        let unnamed: Vec<Window>;
        let mut variants = vec![(windows.as_slice(), false)];
        if windows.iter().any(|w| !w.speakers.is_empty()) {
            unnamed = windows
                .iter()
                .map(|w| Window {
                    speakers: Vec::new(),
                    ..w.clone()
                })
                .collect();
            variants = vec![(windows.as_slice(), true), (&unnamed, false)];
        }
        for (windows, named_only, dated) in variants
            .into_iter()
            .flat_map(|(windows, named)| [(windows, named, false), (windows, named, true)])
        {
            let dating = super::query::Dating {
                undated: !dated,
                offset_days: 0,
            };
            let scope = super::query::query_scope(query, dating);
            if dated && !scope.dated {
                continue;
            }
            let read = crate::matcher::read_windows(windows);
            matcher.for_each_candidate(index, windows, &read, &language, &scope, |candidate| {
                if candidate.dated != dated
                    || (named_only && candidate.kind != ContentKind::NamedTranscript)
                {
                    return;
                }
                let bucket = samples.get_mut(candidate.kind, dated);
                bucket.features.push(candidate.features);
                bucket.labels.push(relevant(&query.id, &candidate.card.id));
                bucket
                    .origins
                    .push([set.to_string(), query.id.clone(), candidate.card.id.clone()]);
            })?;
        }
    }
    Ok(())
}

/// Fits a model on every set under `eval_dir` that has a `train` split.
/// Debate sets with transcripts also give negatives: their sentences
/// scored against the other sets' claims, in their transcripts and alone.
/// When `pairs` is given, every pair is also written there as CSV.
pub fn train(matcher: &Matcher, eval_dir: &Path, pairs: Option<&Path>) -> Result<(Models, String)> {
    let mut sets: Vec<Set> = std::fs::read_dir(eval_dir)
        .map_err(|err| Error::invalid(format!("cannot read {}: {err}", eval_dir.display())))?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| Set::at(&entry.path()))
        .collect();
    sets.sort_by(|a, b| a.name.cmp(&b.name));
    if sets.is_empty() {
        return Err(Error::invalid(format!(
            "no evaluation set with a {SPLIT} split under {}",
            eval_dir.display()
        )));
    }
    let mut samples = AllSamples::default();
    let mut provenance = Vec::new();
    let indexes: Vec<ClaimIndex> = sets
        .iter()
        .map(|set| data::build_index(&set.claims).map(|(_, index)| index))
        .collect::<Result<_>>()?;
    for (i, set) in sets.iter().enumerate() {
        let queries = data::read_queries(&set.queries)?;
        let qrels = data::read_qrels(&set.qrels)?;
        let relevant = |query: &str, claim: &str| {
            qrels
                .get(query)
                .is_some_and(|ids: &HashSet<String>| ids.contains(claim))
        };
        // A set with transcripts gives its sentences twice: in their
        // transcripts, as a video's captions carry them, and alone, as a
        // caption or a post would. Without the second, the post models
        // would see short texts only as negatives (below) and learn that
        // a short text matches nothing.
        let contexts: &[Option<&Path>] = match set.transcripts.as_deref() {
            Some(dir) => &[Some(dir), None],
            None => &[None],
        };
        for context in contexts {
            let how = if context.is_some() {
                "in their transcripts"
            } else {
                "alone"
            };
            let before = (sample_count(&samples), positive_count(&samples));
            collect(
                &set.name,
                matcher,
                &indexes[i],
                &queries,
                context.map(Transcripts::new),
                relevant,
                &mut samples,
            )?;
            provenance.push(format!(
                "{}: {} {SPLIT} queries {how}, {} pairs, {} relevant",
                set.name,
                queries.len(),
                sample_count(&samples) - before.0,
                positive_count(&samples) - before.1
            ));
            if set.transcripts.is_none() {
                continue;
            }
            // Debate sentences against the other sets' claims: what a
            // model that only saw each sentence beside its true claim
            // never learns, that most sentences match nothing.
            for (j, other) in sets.iter().enumerate().filter(|(j, _)| *j != i) {
                let before = sample_count(&samples);
                collect(
                    &format!("{}-vs-{}", set.name, other.name),
                    matcher,
                    &indexes[j],
                    &queries,
                    context.map(Transcripts::new),
                    |_, _| false,
                    &mut samples,
                )?;
                provenance.push(format!(
                    "{} {SPLIT} queries {how} against {} claims: {} negative pairs",
                    set.name,
                    other.name,
                    sample_count(&samples) - before
                ));
            }
        }
    }
    if let Some(path) = pairs {
        write_pairs(path, &samples)?;
    }
    Ok((fit_all(&samples)?, provenance.join("; ")))
}

/// Fits the model of every kind. The plain post and transcript models
/// must be fitted; a dated or named kind whose pairs cannot be (evaluation
/// sets without dates, or transcripts without speakers) borrows the model
/// it refines, which judges those pairs as if the dates or the speakers
/// were unknown.
fn fit_all(samples: &AllSamples) -> Result<Models> {
    /// A kind's model, or the kind and why it could not be fitted.
    type Fit = std::result::Result<Model, (&'static str, Error)>;
    let fitted: ByContent<Fit> =
        samples.try_map(|kind, bucket| Ok(bucket.fit(kind).map_err(|err| (kind, err))))?;
    let required = |fit: Fit| {
        fit.map_err(|(kind, err)| Error::invalid(format!("cannot fit the {kind} model: {err}")))
    };
    let post = required(fitted.post)?;
    let transcript = required(fitted.transcript)?;
    let or_else = |fit: Fit, fallback: &Model, name: &str| {
        fit.unwrap_or_else(|(kind, err)| {
            tracing::warn!(kind, error = %err, fallback = name, "kind not fitted, borrowing");
            Model {
                provenance: format!("{kind}: not fitted ({err}); the {name} model"),
                ..fallback.clone()
            }
        })
    };
    let dated_transcript = or_else(fitted.dated_transcript, &transcript, "transcript");
    Ok(Models {
        dated_post: or_else(fitted.dated_post, &post, "post"),
        named_transcript: or_else(fitted.named_transcript, &transcript, "transcript"),
        dated_named_transcript: or_else(
            fitted.dated_named_transcript,
            &dated_transcript,
            "dated_transcript",
        ),
        dated_transcript,
        post,
        transcript,
    })
}

/// Writes every sample as a CSV row: set, kind, query, claim, label, then
/// the features by name.
fn write_pairs(path: &Path, samples: &AllSamples) -> Result<()> {
    let fail = |err: &dyn std::fmt::Display| {
        Error::invalid(format!("cannot write {}: {err}", path.display()))
    };
    let mut out = csv::Writer::from_path(path).map_err(|err| fail(&err))?;
    let mut header = vec!["set", "kind", "query", "claim", "label"];
    header.extend(crate::matcher::features::FEATURE_NAMES);
    out.write_record(&header).map_err(|err| fail(&err))?;
    for (kind, bucket) in samples.named() {
        for ((origin, label), features) in bucket
            .origins
            .iter()
            .zip(&bucket.labels)
            .zip(&bucket.features)
        {
            let mut row = vec![
                origin[0].clone(),
                kind.to_string(),
                origin[1].clone(),
                origin[2].clone(),
                u8::from(*label).to_string(),
            ];
            row.extend(features.iter().map(|x| x.to_string()));
            out.write_record(&row).map_err(|err| fail(&err))?;
        }
    }
    out.flush().map_err(|err| fail(&err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::features::{CLAIM_COVERAGE_IDF, FEATURE_NAMES};

    /// Pairs whose claim coverage says whether they match.
    fn separable() -> Samples {
        let mut samples = Samples::default();
        for i in 0..40 {
            let mut x = [0.0; FEATURE_NAMES.len()];
            x[CLAIM_COVERAGE_IDF] = i as f32 / 40.0;
            samples.features.push(x);
            samples.labels.push(i >= 30);
            samples.origins.push(Default::default());
        }
        samples
    }

    #[test]
    fn kinds_without_pairs_borrow_the_model_they_refine() {
        let samples = AllSamples {
            post: separable(),
            transcript: separable(),
            ..AllSamples::default()
        };
        let models = fit_all(&samples).expect("fitted");
        assert_eq!(models.dated_post.weights, models.post.weights);
        assert_eq!(models.named_transcript.weights, models.transcript.weights);
        assert_eq!(
            models.dated_named_transcript.weights,
            models.transcript.weights
        );
        assert!(
            models.named_transcript.provenance.contains("not fitted"),
            "{}",
            models.named_transcript.provenance
        );
        let mut high = [0.0; FEATURE_NAMES.len()];
        high[CLAIM_COVERAGE_IDF] = 0.95;
        assert!(models.predict(ContentKind::NamedTranscript, true, &high) > 0.5);
    }

    #[test]
    fn a_set_without_posts_cannot_be_fitted() {
        let samples = AllSamples {
            transcript: separable(),
            ..AllSamples::default()
        };
        let err = fit_all(&samples).expect_err("no post model");
        assert!(err.to_string().contains("post"), "{err}");
    }
}

//! `claimsignal train`: fits the reranking model on the `train` splits of
//! the evaluation sets, with the same candidates the server will see.
//!
//! Never reads another split: tuning on `dev` would flatter every number
//! `eval` reports.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::data::{self, Transcripts};
use crate::error::{Error, Result};
use crate::index::ClaimIndex;
use crate::matcher::features::Features;
use crate::matcher::{ContentKind, Matcher, Model, Models, Scope};

/// The split training reads, and the only one.
const SPLIT: &str = "train";
/// L2 penalty on standardised weights.
const L2: f32 = 1e-4;
/// Gradient steps.
const EPOCHS: usize = 400;

/// Samples collected for fitting.
#[derive(Default)]
pub struct Samples {
    /// Feature vectors.
    pub features: Vec<Features>,
    /// Whether each pair is a relevant (query, claim).
    pub labels: Vec<bool>,
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
        Model::fit(&self.features, &self.labels, L2, EPOCHS, provenance)
    }
}

/// Samples of both content kinds.
#[derive(Default)]
pub struct AllSamples {
    /// Content matched as one window.
    pub post: Samples,
    /// Content matched through several windows.
    pub transcript: Samples,
}

impl AllSamples {
    fn len(&self) -> usize {
        self.post.labels.len() + self.transcript.labels.len()
    }

    fn positives(&self) -> usize {
        self.post.positives() + self.transcript.positives()
    }
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

/// Adds the candidates of every query of `queries` against `index`;
/// `relevant` says which (query, claim) pairs are true matches.
fn collect(
    matcher: &Matcher,
    index: &ClaimIndex,
    queries: &[data::Query],
    mut transcripts: Option<Transcripts>,
    relevant: impl Fn(&str, &str) -> bool,
    samples: &mut AllSamples,
) -> Result<()> {
    let scope = Scope {
        market: String::new(),
        observed_ms: chrono::Utc::now().timestamp_millis(),
        deadline: None,
    };
    for query in queries {
        let Ok((windows, language, _)) =
            super::run::query_windows(matcher, query, transcripts.as_mut())
        else {
            continue;
        };
        matcher.for_each_candidate(index, &windows, &language, &scope, |candidate| {
            let bucket = match candidate.kind {
                ContentKind::Post => &mut samples.post,
                ContentKind::Transcript => &mut samples.transcript,
            };
            bucket.features.push(candidate.features);
            bucket.labels.push(relevant(&query.id, &candidate.card.id));
        })?;
    }
    Ok(())
}

/// Fits a model on every set under `eval_dir` that has a `train` split.
/// Debate sets with transcripts also give negatives: their sentences
/// scored against the other sets' claims.
pub fn train(matcher: &Matcher, eval_dir: &Path) -> Result<(Models, String)> {
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
        let before = (samples.len(), samples.positives());
        let relevant = |query: &str, claim: &str| {
            qrels
                .get(query)
                .is_some_and(|ids: &HashSet<String>| ids.contains(claim))
        };
        collect(
            matcher,
            &indexes[i],
            &queries,
            set.transcripts.as_deref().map(Transcripts::new),
            relevant,
            &mut samples,
        )?;
        provenance.push(format!(
            "{}: {} {SPLIT} queries, {} pairs, {} relevant",
            set.name,
            queries.len(),
            samples.len() - before.0,
            samples.positives() - before.1
        ));
        if let Some(dir) = &set.transcripts {
            for (j, other) in sets.iter().enumerate().filter(|(j, _)| *j != i) {
                let before = samples.len();
                collect(
                    matcher,
                    &indexes[j],
                    &queries,
                    Some(Transcripts::new(dir)),
                    |_, _| false,
                    &mut samples,
                )?;
                provenance.push(format!(
                    "{} {SPLIT} queries against {} claims: {} negative pairs",
                    set.name,
                    other.name,
                    samples.len() - before
                ));
            }
        }
    }
    let models = Models {
        post: samples.post.fit("post")?,
        transcript: samples.transcript.fit("transcript")?,
    };
    Ok((models, provenance.join("; ")))
}

//! The reranking model: logistic regression over standardised features,
//! mapping a (window, claim) pair to a confidence in [0, 1].
//!
//! Fitted by `claimsignal train` on the `train` splits of the evaluation
//! sets and shipped as `model/matcher.json`, which is compiled in as the
//! default. Small enough to fit (by Newton's method) in about a hundred
//! lines here, with no heavier numeric stack behind it.

use serde::{Deserialize, Serialize};

use super::features::{CLAIM_COVERAGE_IDF, DATE_FEATURES, FEATURE_NAMES, Features};
use crate::error::{Error, Result};

/// The shipped models.
const SHIPPED: &str = include_str!("../../model/matcher.json");

/// What kind of content a window comes from. The kinds have different
/// feature distributions (a post is matched whole; a transcript through
/// many overlapping windows), so each has its own model. A transcript
/// window whose speaker is known, compared with a claim whose claimant is,
/// has its own too: fitted on the same sentences together with the
/// anonymous ones, one model leant on the speakers and was less sure of
/// everything without them (on the train debates sent whole as SRT,
/// labelled lines covered at `auto` fell from 0.22 to 0.16); and a model
/// for named windows that also judged claims without a claimant learnt
/// that those never match (in training, they were all another set's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// Short content matched as one window: a post, a title, a caption line.
    Post,
    /// Longer content matched through several windows.
    Transcript,
    /// A transcript window that says who speaks, compared with a claim
    /// that says who made it.
    NamedTranscript,
}

impl ContentKind {
    /// Returns the kind of content that produced `windows` windows.
    pub fn of_windows(windows: usize) -> Self {
        if windows > 1 {
            ContentKind::Transcript
        } else {
            ContentKind::Post
        }
    }

    /// Returns the kind of one (window, claim) pair of content of this
    /// kind: named when it is a transcript and both sides name a person.
    pub fn of_pair(self, speakers_known: bool) -> Self {
        match self {
            ContentKind::Transcript if speakers_known => ContentKind::NamedTranscript,
            kind => kind,
        }
    }
}

/// One thing per content kind, each twice: for pairs where both the video
/// (the request's `observed_at`) and the claim have a date close enough to
/// count (see `DATED_WITHIN_DAYS`), and for the others. The model file is
/// `ByContent<Model>`; training gathers a `ByContent` of samples.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByContent<T> {
    /// For content matched as one window.
    pub post: T,
    /// For content matched through several windows.
    pub transcript: T,
    /// For dated content matched as one window.
    pub dated_post: T,
    /// For dated content matched through several windows.
    pub dated_transcript: T,
    /// For transcripts that name their speakers.
    pub named_transcript: T,
    /// For dated transcripts that name their speakers.
    pub dated_named_transcript: T,
}

impl<T> ByContent<T> {
    /// The one for content of `kind`, `dated` when its dates count.
    pub fn get(&self, kind: ContentKind, dated: bool) -> &T {
        match (kind, dated) {
            (ContentKind::Post, false) => &self.post,
            (ContentKind::Transcript, false) => &self.transcript,
            (ContentKind::Post, true) => &self.dated_post,
            (ContentKind::Transcript, true) => &self.dated_transcript,
            (ContentKind::NamedTranscript, false) => &self.named_transcript,
            (ContentKind::NamedTranscript, true) => &self.dated_named_transcript,
        }
    }

    /// `get`, to change.
    pub fn get_mut(&mut self, kind: ContentKind, dated: bool) -> &mut T {
        match (kind, dated) {
            (ContentKind::Post, false) => &mut self.post,
            (ContentKind::Transcript, false) => &mut self.transcript,
            (ContentKind::Post, true) => &mut self.dated_post,
            (ContentKind::Transcript, true) => &mut self.dated_transcript,
            (ContentKind::NamedTranscript, false) => &mut self.named_transcript,
            (ContentKind::NamedTranscript, true) => &mut self.dated_named_transcript,
        }
    }

    /// All six with their names in the model file.
    pub fn named(&self) -> [(&'static str, &T); 6] {
        [
            ("post", &self.post),
            ("transcript", &self.transcript),
            ("dated_post", &self.dated_post),
            ("dated_transcript", &self.dated_transcript),
            ("named_transcript", &self.named_transcript),
            ("dated_named_transcript", &self.dated_named_transcript),
        ]
    }

    /// Applies `f` to each of the six.
    pub fn try_map<U>(
        &self,
        mut f: impl FnMut(&'static str, &T) -> Result<U>,
    ) -> Result<ByContent<U>> {
        Ok(ByContent {
            post: f("post", &self.post)?,
            transcript: f("transcript", &self.transcript)?,
            dated_post: f("dated_post", &self.dated_post)?,
            dated_transcript: f("dated_transcript", &self.dated_transcript)?,
            named_transcript: f("named_transcript", &self.named_transcript)?,
            dated_named_transcript: f("dated_named_transcript", &self.dated_named_transcript)?,
        })
    }
}

/// The model file.
pub type Models = ByContent<Model>;

impl Models {
    /// Returns the models compiled into the binary.
    pub fn shipped() -> Self {
        // The shipped file is checked by a unit test; a broken one is a
        // build defect, so fall back to a neutral model rather than panic.
        Self::from_json(SHIPPED).unwrap_or_else(|err| {
            tracing::error!(error = %err, "shipped model unreadable, using coverage only");
            Self::coverage_only()
        })
    }

    /// Models that score by IDF-weighted claim coverage alone.
    pub fn coverage_only() -> Self {
        ByContent {
            post: Model::coverage_only(),
            transcript: Model::coverage_only(),
            dated_post: Model::coverage_only(),
            dated_transcript: Model::coverage_only(),
            named_transcript: Model::coverage_only(),
            dated_named_transcript: Model::coverage_only(),
        }
    }

    /// Parses and checks a model file.
    pub fn from_json(text: &str) -> Result<Self> {
        let models: Models = serde_json::from_str(text)
            .map_err(|err| Error::invalid(format!("model file: {err}")))?;
        for (_, model) in models.named() {
            model.check()?;
        }
        Ok(models)
    }

    /// Returns the confidence for a feature vector of content of `kind`,
    /// `dated` when the video's and the claim's dates count. The date
    /// features of an undated pair are zero, as the undated models were
    /// fitted on.
    ///
    /// Time since a check never counts against a match: a dated pair gets
    /// the better of the dated model and the undated model on the same
    /// words. The dated models learned from research sets where every post
    /// was checked within days, so a date months away lowered them even
    /// for a word-for-word repeat (0.59 three weeks after the check against
    /// 0.89 undated); closeness in time may add evidence, never take it
    /// away. (A dated model refitted as the undated one plus a non-negative
    /// bonus for closeness ranked worse: dev MAP@5 tweets 0.934, debates
    /// 0.478, against 0.940 and 0.511 this way; see docs/matching.md.)
    pub fn predict(&self, kind: ContentKind, dated: bool, x: &Features) -> f32 {
        if !dated {
            return self.get(kind, false).predict(x);
        }
        let mut words_alone = *x;
        words_alone[DATE_FEATURES].fill(0.0);
        let undated = self.get(kind, false).predict(&words_alone);
        self.get(kind, true).predict(x).max(undated)
    }
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Feature names, in order; must equal `FEATURE_NAMES`.
    pub features: Vec<String>,
    /// Per-feature mean used for standardisation.
    pub mean: Vec<f32>,
    /// Per-feature standard deviation used for standardisation.
    pub scale: Vec<f32>,
    /// Weights on standardised features.
    pub weights: Vec<f32>,
    /// Intercept.
    pub bias: f32,
    /// How the model was fitted (data, sizes), for the record.
    #[serde(default)]
    pub provenance: String,
}

impl Model {
    /// A model that scores by IDF-weighted claim coverage alone.
    pub fn coverage_only() -> Self {
        let n = FEATURE_NAMES.len();
        let mut weights = vec![0.0; n];
        weights[CLAIM_COVERAGE_IDF] = 8.0;
        Model {
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            mean: vec![0.0; n],
            scale: vec![1.0; n],
            weights,
            bias: -4.0,
            provenance: "hand-set: claim coverage only".into(),
        }
    }

    /// Checks that the model fits this build's features.
    fn check(&self) -> Result<()> {
        let model = self;
        let n = FEATURE_NAMES.len();
        if model.features != FEATURE_NAMES {
            return Err(Error::invalid(format!(
                "model file was fitted on features {:?}, this build computes {:?}; run `claimsignal train`",
                model.features, FEATURE_NAMES
            )));
        }
        if model.mean.len() != n || model.scale.len() != n || model.weights.len() != n {
            return Err(Error::invalid("model file has vectors of the wrong length"));
        }
        Ok(())
    }

    /// Returns the confidence for a feature vector.
    pub fn predict(&self, x: &Features) -> f32 {
        let z = x
            .iter()
            .zip(&self.weights)
            .zip(self.mean.iter().zip(&self.scale))
            .fold(self.bias, |z, ((x, w), (mean, scale))| {
                z + w * (x - mean) / scale
            });
        sigmoid(z)
    }

    /// Fits a model by Newton's method on the L2-regularised log loss,
    /// to convergence (a few dozen steps at most: the loss is convex and
    /// there are only a few dozen weights). Unweighted, so that its
    /// outputs stay calibrated to the share of true matches among
    /// retrieved candidates.
    pub fn fit(samples: &[Features], labels: &[bool], l2: f64, provenance: String) -> Result<Self> {
        let n = FEATURE_NAMES.len();
        if samples.is_empty() || samples.len() != labels.len() {
            return Err(Error::invalid("no training samples"));
        }
        if !labels.iter().any(|l| *l) || labels.iter().all(|l| *l) {
            return Err(Error::invalid(
                "training needs both positive and negative samples",
            ));
        }
        let count = samples.len() as f64;
        let mut mean = vec![0.0f64; n];
        for x in samples {
            for i in 0..n {
                mean[i] += f64::from(x[i]) / count;
            }
        }
        let mut scale = vec![0.0f64; n];
        for x in samples {
            for i in 0..n {
                scale[i] += (f64::from(x[i]) - mean[i]).powi(2) / count;
            }
        }
        for s in &mut scale {
            *s = s.sqrt().max(1e-6);
        }
        // Standardised features with a constant 1 last, for the bias.
        let rows: Vec<Vec<f64>> = samples
            .iter()
            .map(|x| {
                (0..n)
                    .map(|i| (f64::from(x[i]) - mean[i]) / scale[i])
                    .chain(std::iter::once(1.0))
                    .collect()
            })
            .collect();
        let d = n + 1;
        let mut theta = vec![0.0f64; d];
        for _ in 0..MAX_NEWTON_STEPS {
            let mut gradient = vec![0.0f64; d];
            let mut hessian = vec![vec![0.0f64; d]; d];
            for (x, label) in rows.iter().zip(labels) {
                let z: f64 = x.iter().zip(&theta).map(|(a, w)| a * w).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let error = p - if *label { 1.0 } else { 0.0 };
                let curvature = (p * (1.0 - p)).max(1e-12);
                for ((g, row), xi) in gradient.iter_mut().zip(&mut hessian).zip(x) {
                    *g += error * xi;
                    let weighted = curvature * xi;
                    for (h, xj) in row.iter_mut().zip(x) {
                        *h += weighted * xj;
                    }
                }
            }
            for (i, (g, row)) in gradient.iter_mut().zip(&mut hessian).enumerate() {
                *g /= count;
                for h in row.iter_mut() {
                    *h /= count;
                }
                // The bias is not penalised.
                if i < n {
                    *g += l2 * theta[i];
                    row[i] += l2;
                }
            }
            let step = solve(hessian, gradient)
                .ok_or_else(|| Error::invalid("training failed: singular curvature"))?;
            for (w, s) in theta.iter_mut().zip(&step) {
                *w -= s;
            }
            if step.iter().map(|s| s.abs()).fold(0.0, f64::max) < 1e-7 {
                break;
            }
        }
        let narrow = |v: &[f64]| v.iter().map(|x| *x as f32).collect::<Vec<f32>>();
        Ok(Model {
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            mean: narrow(&mean),
            scale: narrow(&scale),
            weights: narrow(&theta[..n]),
            bias: theta[n] as f32,
            provenance,
        })
    }
}

/// Newton steps at most; the fit usually converges in under ten.
const MAX_NEWTON_STEPS: usize = 50;

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None`
/// when `a` is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let d = b.len();
    for col in 0..d {
        let pivot = (col..d).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (done, rest) = a.split_at_mut(col + 1);
        let pivot_row = &done[col];
        for (offset, row) in rest.iter_mut().enumerate() {
            let factor = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= factor * p;
            }
            b[col + 1 + offset] -= factor * b[col];
        }
    }
    let mut x = vec![0.0f64; d];
    for row in (0..d).rev() {
        let tail: f64 = (row + 1..d).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - tail) / a[row][row];
    }
    Some(x)
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests;

//! The reranking model: logistic regression over standardised features,
//! mapping a (window, claim) pair to a confidence in [0, 1].
//!
//! Fitted by `claimsignal train` on the `train` splits of the evaluation
//! sets and shipped as `model/matcher.json`, which is compiled in as the
//! default. Small enough to fit here in a few dozen lines, with no heavier
//! numeric stack behind it.

use serde::{Deserialize, Serialize};

use super::features::{CLAIM_COVERAGE_IDF, DATE_FEATURES, FEATURE_NAMES, Features};
use crate::error::{Error, Result};

/// The shipped models.
const SHIPPED: &str = include_str!("../../model/matcher.json");

/// What kind of content a window comes from. The two kinds have different
/// feature distributions (a post is matched whole; a transcript through
/// many overlapping windows), so each has its own model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// Short content matched as one window: a post, a title, a caption line.
    Post,
    /// Longer content matched through several windows.
    Transcript,
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
}

/// The model file: one model per content kind, each twice: for pairs where
/// both the video (the request's `observed_at`) and the claim have a date,
/// so that closeness in time counts, and for the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Models {
    /// For content matched as one window.
    pub post: Model,
    /// For content matched through several windows.
    pub transcript: Model,
    /// For dated content matched as one window.
    pub dated_post: Model,
    /// For dated content matched through several windows.
    pub dated_transcript: Model,
}

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
        Models {
            post: Model::coverage_only(),
            transcript: Model::coverage_only(),
            dated_post: Model::coverage_only(),
            dated_transcript: Model::coverage_only(),
        }
    }

    /// Parses and checks a model file.
    pub fn from_json(text: &str) -> Result<Self> {
        let models: Models = serde_json::from_str(text)
            .map_err(|err| Error::invalid(format!("model file: {err}")))?;
        for model in [
            &models.post,
            &models.transcript,
            &models.dated_post,
            &models.dated_transcript,
        ] {
            model.check()?;
        }
        Ok(models)
    }

    /// Returns the confidence for a feature vector of content of `kind`,
    /// `dated` when both the video and the claim have a date.
    ///
    /// Closeness in time only ever adds confidence: a dated pair gets the
    /// better of the dated and the undated model. Old falsehoods come back
    /// in every election, and a video repeating a claim checked years ago
    /// must match as well as one that says nothing of its date.
    pub fn predict(&self, kind: ContentKind, dated: bool, x: &Features) -> f32 {
        let (undated_model, dated_model) = match kind {
            ContentKind::Post => (&self.post, &self.dated_post),
            ContentKind::Transcript => (&self.transcript, &self.dated_transcript),
        };
        if dated {
            dated_model.predict(x)
        } else {
            undated_model.predict(&without_dates(x))
        }
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

    /// Fits a model by full-batch gradient descent on the log loss with L2
    /// regularisation. Unweighted, so that its outputs stay calibrated to
    /// the share of true matches among retrieved candidates.
    pub fn fit(
        samples: &[Features],
        labels: &[bool],
        l2: f32,
        epochs: usize,
        provenance: String,
    ) -> Result<Self> {
        let n = FEATURE_NAMES.len();
        if samples.is_empty() || samples.len() != labels.len() {
            return Err(Error::invalid("no training samples"));
        }
        if !labels.iter().any(|l| *l) || labels.iter().all(|l| *l) {
            return Err(Error::invalid(
                "training needs both positive and negative samples",
            ));
        }
        let count = samples.len() as f32;
        let mut mean = vec![0.0f32; n];
        for x in samples {
            for i in 0..n {
                mean[i] += x[i] / count;
            }
        }
        let mut scale = vec![0.0f32; n];
        for x in samples {
            for i in 0..n {
                scale[i] += (x[i] - mean[i]).powi(2) / count;
            }
        }
        for s in &mut scale {
            *s = s.sqrt().max(1e-6);
        }
        let standardised: Vec<Vec<f32>> = samples
            .iter()
            .map(|x| (0..n).map(|i| (x[i] - mean[i]) / scale[i]).collect())
            .collect();
        let mut weights = vec![0.0f32; n];
        let mut bias = 0.0f32;
        let learning_rate = 0.5f32;
        for _ in 0..epochs {
            let mut grad = vec![0.0f32; n];
            let mut grad_bias = 0.0f32;
            for (x, label) in standardised.iter().zip(labels) {
                let z = bias + x.iter().zip(&weights).map(|(a, w)| a * w).sum::<f32>();
                let error = sigmoid(z) - if *label { 1.0 } else { 0.0 };
                for i in 0..n {
                    grad[i] += error * x[i];
                }
                grad_bias += error;
            }
            for i in 0..n {
                weights[i] -= learning_rate * (grad[i] / count + l2 * weights[i]);
            }
            bias -= learning_rate * grad_bias / count;
        }
        Ok(Model {
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            mean,
            scale,
            weights,
            bias,
            provenance,
        })
    }
}

/// `x` with the date features zeroed, as the undated models were fitted.
fn without_dates(x: &Features) -> Features {
    let mut undated = *x;
    for i in DATE_FEATURES {
        undated[i] = 0.0;
    }
    undated
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_loads() {
        Models::from_json(SHIPPED).expect("model/matcher.json matches this build's features");
    }

    #[test]
    fn fit_separates_a_simple_rule() {
        // Positive when claim coverage is high.
        let mut samples = Vec::new();
        let mut labels = Vec::new();
        for i in 0..200 {
            let mut x = [0.0f32; FEATURE_NAMES.len()];
            x[CLAIM_COVERAGE_IDF] = i as f32 / 200.0;
            x[0] = (i % 7) as f32 / 7.0;
            samples.push(x);
            labels.push(i >= 120);
        }
        let model = Model::fit(&samples, &labels, 1e-4, 500, "test".into()).unwrap();
        let mut high = [0.0f32; FEATURE_NAMES.len()];
        high[CLAIM_COVERAGE_IDF] = 0.95;
        let mut low = high;
        low[CLAIM_COVERAGE_IDF] = 0.2;
        assert!(model.predict(&high) > 0.8, "{}", model.predict(&high));
        assert!(model.predict(&low) < 0.2, "{}", model.predict(&low));
    }

    #[test]
    fn refuses_a_model_for_other_features() {
        let mut models = Models::coverage_only();
        models.transcript.features[0] = "something_else".into();
        let text = serde_json::to_string(&models).unwrap();
        assert!(
            Models::from_json(&text)
                .unwrap_err()
                .to_string()
                .contains("claimsignal train")
        );
    }
}

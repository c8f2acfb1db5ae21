//! Tests of `model`.

use super::*;

#[test]
fn shipped_model_loads() {
    Models::from_json(SHIPPED).expect("model/matcher.json matches this build's features");
}

proptest::proptest! {
    /// Whatever the words and however far apart the dates, a dated
    /// pair is never less sure than the same words undated.
    #[test]
    fn a_date_never_lowers_a_match(
        words in proptest::collection::vec(0.0f32..1.0, DATE_FEATURES.start),
        days in -3000i64..3000,
    ) {
        let models = Models::shipped();
        let mut x = [0.0f32; FEATURE_NAMES.len()];
        x[..DATE_FEATURES.start].copy_from_slice(&words);
        let undated = x;
        x[DATE_FEATURES.start] = (days.unsigned_abs() as f32).ln_1p();
        x[DATE_FEATURES.start + 1] = if days >= 0 { 1.0 } else { 0.0 };
        x[DATE_FEATURES.start + 2] = if days >= 0 { (days as f32).ln_1p() } else { 0.0 };
        for kind in [ContentKind::Post, ContentKind::Transcript, ContentKind::NamedTranscript] {
            proptest::prop_assert!(
                models.predict(kind, true, &x) >= models.predict(kind, false, &undated)
            );
        }
    }
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
    let model = Model::fit(&samples, &labels, 1e-4, "test".into()).unwrap();
    let mut high = [0.0f32; FEATURE_NAMES.len()];
    high[CLAIM_COVERAGE_IDF] = 0.95;
    let mut low = high;
    low[CLAIM_COVERAGE_IDF] = 0.2;
    assert!(model.predict(&high) > 0.8, "{}", model.predict(&high));
    assert!(model.predict(&low) < 0.2, "{}", model.predict(&low));
}

#[test]
fn fit_converges_to_the_base_rate_when_features_say_nothing() {
    // One pair in eight relevant, every feature constant: the fitted
    // model is the intercept alone, log(1/7), and predicts 1/8.
    let samples = vec![[0.5f32; FEATURE_NAMES.len()]; 800];
    let labels: Vec<bool> = (0..800).map(|i| i % 8 == 0).collect();
    let model = Model::fit(&samples, &labels, 1e-4, "test".into()).unwrap();
    assert!(
        model.weights.iter().all(|w| w.abs() < 1e-6),
        "{:?}",
        model.weights
    );
    assert!(
        (model.bias - (1.0f32 / 7.0).ln()).abs() < 1e-5,
        "{}",
        model.bias
    );
    assert!((model.predict(&samples[0]) - 0.125).abs() < 1e-5);
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

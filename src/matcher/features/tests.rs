//! Tests of `features`.

use super::*;

#[test]
fn the_date_features_are_those_that_read_dates() {
    assert_eq!(
        &FEATURE_NAMES[DATE_FEATURES],
        ["log_days_apart", "claim_after", "log_days_after"]
    );
}

#[test]
fn names_compare_by_their_telling_words() {
    let trump = term_key("trump");
    assert!(name_keys("Donald J. Trump").contains(&trump));
    assert_eq!(name_keys("TRUMP"), vec![trump]);
    assert_eq!(name_keys("Sônia Guajajara"), name_keys("SONIA GUAJAJARA"));
    assert!(name_keys("SPEAKER_00").is_empty());
    assert!(name_keys("Speaker 2").is_empty());
    assert!(name_keys("").is_empty());
    assert_eq!(claimant_keys("Donald Trump"), name_keys("Donald Trump"));
    for nobody in [
        "Facebook posts",
        "Viral image",
        "Chain email",
        "Bloggers",
        "Publicação em rede social",
    ] {
        assert!(claimant_keys(nobody).is_empty(), "{nobody}");
    }
}

#[test]
fn named_positions_agree() {
    assert_eq!(
        feature_index("claim_coverage_idf"),
        Some(CLAIM_COVERAGE_IDF)
    );
    assert_eq!(feature_index("nonexistent"), None);
    assert_eq!(feature_index("speaker_agrees"), Some(SPEAKER_AGREES));
    assert_eq!(feature_index("log_days_apart"), Some(DATE_FEATURES.start));
    assert_eq!(
        feature_index("log_days_after"),
        Some(FEATURE_NAMES.len() - 1)
    );
}

//! The claim as the service keeps it, independent of any file format or proto.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::verdict::Verdict;

/// Whether a claim takes part in matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Matched against incoming content.
    #[default]
    Active,
    /// Kept in the store for the record, never matched.
    Retracted,
}

impl ClaimStatus {
    /// Returns the integer stored in the claim store.
    pub fn as_i64(self) -> i64 {
        match self {
            ClaimStatus::Active => 1,
            ClaimStatus::Retracted => 2,
        }
    }

    /// Returns the status for a stored integer.
    pub fn from_i64(value: i64) -> Option<Self> {
        match value {
            1 => Some(ClaimStatus::Active),
            2 => Some(ClaimStatus::Retracted),
            _ => None,
        }
    }
}

/// One fact-checked claim.
///
/// The content fields are what a partner publishes; `status`, `sequence`
/// and `updated_at` are set by the claim store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Claim {
    /// Stable id, unique across partners.
    pub id: String,
    /// The fact-checking organisation that owns the claim.
    pub partner: String,
    /// The claim as the fact-checker wrote it.
    pub text: String,
    /// The fact-check's headline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Primary language subtag (`en`, `pt`, `es`, `id`, `fr`, ...).
    pub language: String,
    /// Normalised rating.
    pub verdict: Verdict,
    /// The partner's own wording of the rating.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rating_text: String,
    /// URL of the published fact-check.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub review_url: String,
    /// Who made the claim.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claimant: String,
    /// When the claim was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_date: Option<DateTime<Utc>>,
    /// When the fact-check was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<DateTime<Utc>>,
    /// ISO 3166-1 alpha-2 markets; empty means every market.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markets: Vec<String>,
    /// Election identifiers the claim belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elections: Vec<String>,
    /// Start of the window in which the claim matches (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<Utc>>,
    /// End of the window in which the claim matches (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
    /// Partner keywords.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// The claim's topic (see `topic.rs`): the partner's, else assigned
    /// by the service when the claim is loaded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub topic: String,
    /// Whether the partner's data gave the topic (a reload that says
    /// nothing of it keeps it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub topic_given: bool,
    /// URLs where the claim was seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appearances: Vec<String>,
    /// The partner's explanation of the rating.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// Set by the store.
    #[serde(default)]
    pub status: ClaimStatus,
    /// Change sequence number of the last change (set by the store).
    #[serde(default)]
    pub sequence: u64,
    /// Time of the last change (set by the store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Claim {
    /// Returns true when the claim may match content observed at `at` in
    /// `market` (an empty market matches every claim).
    pub fn applies_to(&self, market: &str, at: DateTime<Utc>) -> bool {
        let market_ok = market.is_empty()
            || self.markets.is_empty()
            || self.markets.iter().any(|m| m == market);
        let from_ok = self.valid_from.is_none_or(|from| from <= at);
        let until_ok = self.valid_until.is_none_or(|until| at < until);
        self.status == ClaimStatus::Active && market_ok && from_ok && until_ok
    }

    /// Returns the content as partners see it, without the fields the store
    /// sets, so that two loads of the same record compare equal.
    pub fn content_fingerprint(&self) -> String {
        let mut content = self.clone();
        content.status = ClaimStatus::Active;
        content.sequence = 0;
        content.updated_at = None;
        // Serialising a plain struct of strings, dates and vectors cannot fail.
        serde_json::to_string(&content).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn claim() -> Claim {
        Claim {
            id: "c1".into(),
            partner: "p".into(),
            text: "text".into(),
            language: "en".into(),
            markets: vec!["BR".into()],
            valid_from: Some(Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap()),
            valid_until: Some(Utc.with_ymd_and_hms(2022, 11, 1, 0, 0, 0).unwrap()),
            ..Claim::default()
        }
    }

    #[test]
    fn applies_only_inside_market_and_window() {
        let c = claim();
        let inside = Utc.with_ymd_and_hms(2022, 6, 1, 0, 0, 0).unwrap();
        assert!(c.applies_to("BR", inside));
        assert!(c.applies_to("", inside));
        assert!(!c.applies_to("MX", inside));
        assert!(!c.applies_to("BR", Utc.with_ymd_and_hms(2022, 11, 1, 0, 0, 0).unwrap()));
        assert!(!c.applies_to("BR", Utc.with_ymd_and_hms(2021, 12, 31, 0, 0, 0).unwrap()));
        let retracted = Claim {
            status: ClaimStatus::Retracted,
            ..c
        };
        assert!(!retracted.applies_to("BR", inside));
    }

    #[test]
    fn fingerprint_ignores_store_fields() {
        let a = claim();
        let b = Claim {
            sequence: 9,
            status: ClaimStatus::Retracted,
            updated_at: Some(Utc::now()),
            ..claim()
        };
        assert_eq!(a.content_fingerprint(), b.content_fingerprint());
        let c = Claim {
            text: "other".into(),
            ..claim()
        };
        assert_ne!(a.content_fingerprint(), c.content_fingerprint());
    }
}

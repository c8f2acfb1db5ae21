//! What matching keeps of a claim, and the text it searches.

use serde::{Deserialize, Serialize};

use crate::claims::model::Claim;
use crate::claims::verdict::Verdict;

/// What matching needs to show about a claim, stored with its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimCard {
    /// Claim id.
    pub id: String,
    /// Owning partner.
    pub partner: String,
    /// Claim text.
    pub text: String,
    /// Fact-check headline.
    #[serde(default)]
    pub title: String,
    /// Claim language (primary subtag).
    pub language: String,
    /// Normalised verdict.
    pub verdict: Verdict,
    /// The partner's wording of the rating.
    #[serde(default)]
    pub rating_text: String,
    /// Fact-check URL.
    #[serde(default)]
    pub review_url: String,
    /// Elections the claim belongs to.
    #[serde(default)]
    pub elections: Vec<String>,
    /// The markets the claim was checked for (empty: every market),
    /// weighed against the countries a caption names. Cards written
    /// before it existed read empty until `reindex`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markets: Vec<String>,
    /// When the claim was made, else when it was checked (epoch ms): how
    /// close it lies to a dated video informs the match.
    #[serde(default)]
    pub date_ms: Option<i64>,
    /// Who made the claim (a speaker, an account), when the partner says:
    /// compared with the speakers of a transcript. Cards written before
    /// it existed read empty until `reindex`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claimant: String,
    /// The claim's topic, logged with its hits. Cards written before it
    /// existed read empty: the hit then takes the topic the text suggests.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub topic: String,
    /// The text folded, whitespace squashed: claims with the same key say
    /// the same thing (duplicates across partners). Derived, not stored.
    #[serde(skip)]
    pub text_key: String,
}

impl ClaimCard {
    /// Returns the claim's topic: the one it was loaded with, else (a
    /// claim or card from before topics) the one its text suggests.
    pub fn topic(&self) -> String {
        crate::claims::topic::or_assigned(&self.topic, &self.text)
    }
}

/// The text of a claim that queries search: its text, then its title.
pub fn searched_text(claim: &Claim) -> String {
    if claim.title.is_empty() {
        claim.text.clone()
    } else {
        format!("{}\n{}", claim.text, claim.title)
    }
}

/// The key under which claims with the same text are grouped.
pub(super) fn text_key(text: &str) -> String {
    crate::text::squash_whitespace(&crate::text::fold(text))
}

impl From<&Claim> for ClaimCard {
    fn from(claim: &Claim) -> Self {
        ClaimCard {
            id: claim.id.clone(),
            partner: claim.partner.clone(),
            text: claim.text.clone(),
            title: claim.title.clone(),
            language: claim.language.clone(),
            verdict: claim.verdict,
            rating_text: claim.rating_text.clone(),
            review_url: claim.review_url.clone(),
            elections: claim.elections.clone(),
            markets: claim.markets.clone(),
            date_ms: claim
                .claim_date
                .or(claim.review_date)
                .map(|at| at.timestamp_millis()),
            claimant: claim.claimant.clone(),
            topic: claim.topic.clone(),
            text_key: text_key(&claim.text),
        }
    }
}

//! Hits, reviews and the filters reports use.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::vocab::Verdict;
use crate::vocab::{ContentSource, Level, Stance};

/// A match to log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewHit {
    /// The caller's video id.
    pub video_id: String,
    /// The matched claim.
    pub claim_id: String,
    /// The claim's partner.
    pub partner: String,
    /// The claim's verdict.
    pub verdict: Verdict,
    /// Market the video was seen in.
    pub market: String,
    /// Language the content was matched in.
    pub language: String,
    /// Where the content came from.
    pub source: ContentSource,
    /// In [0, 1].
    pub confidence: f32,
    /// Review or auto.
    pub level: Level,
    /// Start of the matched span in the video.
    pub start_ms: u64,
    /// End of the matched span.
    pub end_ms: u64,
    /// The matched text.
    pub excerpt: String,
    /// When the video was seen.
    pub observed_at: DateTime<Utc>,
    /// Views of the video.
    pub view_count: u64,
    /// The claim's elections.
    pub elections: Vec<String>,
    /// Other partners' claims with the same text (the duplicate group).
    #[serde(default)]
    pub also_claim_ids: Vec<String>,
    /// Whether the video repeats the claim or refutes it: refutations are
    /// logged, and counted apart in reports.
    #[serde(default)]
    pub stance: Stance,
    /// The claim's topic when the hit was logged (see `claims::topic`);
    /// kept in step when the partner changes it.
    #[serde(default)]
    pub topic: String,
    /// Claim words found in the excerpt, for the reviewer deciding.
    #[serde(default)]
    pub matched_terms: Vec<String>,
    /// How near the excerpt is to the claim by meaning (the match's
    /// `meaning_cosine`); none when the encoder did not read it.
    #[serde(default)]
    pub meaning: Option<f32>,
}

/// A reviewer's verdict on a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The video does repeat the claim.
    Confirmed,
    /// A false match.
    Rejected,
}

/// What was done to the video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing.
    #[default]
    None,
    /// Taken down.
    Removed,
    /// Labelled with the fact-check.
    Labelled,
    /// Distribution limited.
    Limited,
}

macro_rules! names {
    ($ty:ty { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// Returns the snake_case name.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }

            /// Returns the value with this snake_case name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

names!(Outcome { Confirmed => "confirmed", Rejected => "rejected" });
names!(Action { None => "none", Removed => "removed", Labelled => "labelled", Limited => "limited" });

/// The latest review of a hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Confirmed or rejected.
    pub outcome: Outcome,
    /// What was done.
    pub action: Action,
    /// Who reviewed.
    pub reviewer: String,
    /// Free text.
    pub note: String,
    /// When.
    pub reviewed_at: DateTime<Utc>,
}

/// A logged hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Store-assigned id, stable for the (video, claim) pair.
    pub id: u64,
    /// What was logged (the most confident sighting's span and excerpt).
    #[serde(flatten)]
    pub hit: NewHit,
    /// First time logged.
    pub first_logged_at: DateTime<Utc>,
    /// Last time seen.
    pub last_seen_at: DateTime<Utc>,
    /// How many scoring calls found this pair.
    pub times_seen: u64,
    /// Latest review, if any.
    pub review: Option<Review>,
}

/// Which hits a listing or summary covers. Empty lists mean "all".
#[derive(Debug, Clone, Default)]
pub struct HitFilter {
    /// Observed at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Observed before this time.
    pub to: Option<DateTime<Utc>>,
    /// Markets.
    pub markets: Vec<String>,
    /// Partners.
    pub partners: Vec<String>,
    /// Verdicts.
    pub verdicts: Vec<Verdict>,
    /// Levels.
    pub levels: Vec<Level>,
    /// Elections (a hit matches when any of its elections is listed).
    pub elections: Vec<String>,
    /// Content languages.
    pub languages: Vec<String>,
    /// Content sources.
    pub sources: Vec<ContentSource>,
    /// Review states of the latest review.
    pub outcomes: Vec<ReviewState>,
    /// Videos.
    pub video_ids: Vec<String>,
    /// Claims.
    pub claim_ids: Vec<String>,
    /// Stances (repeats, refutes, unclear).
    pub stances: Vec<Stance>,
    /// Claim topics.
    pub topics: Vec<String>,
    /// Only hits found by meaning alone: no claim word in the excerpt,
    /// a cosine by meaning (retellings in other words or languages).
    pub by_meaning_alone: bool,
}

/// Where a hit stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewState {
    /// Not reviewed.
    Pending,
    /// Latest review confirmed it.
    Confirmed,
    /// Latest review rejected it.
    Rejected,
}

impl ReviewState {
    /// Returns the state of a hit.
    pub fn of(hit: &Hit) -> Self {
        match hit.review.as_ref().map(|r| r.outcome) {
            None => ReviewState::Pending,
            Some(Outcome::Confirmed) => ReviewState::Confirmed,
            Some(Outcome::Rejected) => ReviewState::Rejected,
        }
    }

    /// Returns the snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Confirmed => "confirmed",
            ReviewState::Rejected => "rejected",
        }
    }
}

impl HitFilter {
    /// Returns true when the hit passes the filter.
    pub fn accepts(&self, hit: &Hit) -> bool {
        let h = &hit.hit;
        self.from.is_none_or(|from| h.observed_at >= from)
            && self.to.is_none_or(|to| h.observed_at < to)
            && (self.markets.is_empty() || self.markets.contains(&h.market))
            && (self.partners.is_empty() || self.partners.contains(&h.partner))
            && (self.verdicts.is_empty() || self.verdicts.contains(&h.verdict))
            && (self.levels.is_empty() || self.levels.contains(&h.level))
            && (self.elections.is_empty() || h.elections.iter().any(|e| self.elections.contains(e)))
            && (self.languages.is_empty() || self.languages.contains(&h.language))
            && (self.sources.is_empty() || self.sources.contains(&h.source))
            && (self.outcomes.is_empty() || self.outcomes.contains(&ReviewState::of(hit)))
            && (self.video_ids.is_empty() || self.video_ids.contains(&h.video_id))
            && (self.claim_ids.is_empty() || self.claim_ids.contains(&h.claim_id))
            && (self.stances.is_empty() || self.stances.contains(&h.stance))
            && (self.topics.is_empty() || self.topics.contains(&h.topic))
            && (!self.by_meaning_alone || (h.matched_terms.is_empty() && h.meaning.is_some()))
    }
}

/// A review to record.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    /// The hit reviewed.
    pub hit_id: u64,
    /// Confirmed or rejected.
    pub outcome: Outcome,
    /// What was done to the video.
    pub action: Action,
    /// Who reviewed.
    pub reviewer: String,
    /// Free text.
    pub note: String,
    /// The video's views when the review was recorded, when the reviewer's
    /// tool knows them; else the latest count the service saw.
    pub view_count: Option<u64>,
}

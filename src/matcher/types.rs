//! What a scoring request carries and what it returns.

use chrono::{DateTime, Utc};

pub use crate::captions::Segment;
use crate::index::ClaimCard;
pub use crate::vocab::{ContentSource, Level};

/// Most matches one score request may ask for, and what it gets when it
/// does not say: every match at or above its minimum confidence up to
/// this many (a whole debate repeats a dozen checked claims or more, and
/// every match at or above `review` is a hit the caller must see).
pub const MAX_MATCHES: usize = 50;

/// What a caller sends to be scored.
#[derive(Debug, Clone)]
pub enum Content {
    /// Untimed text.
    Text(String),
    /// A WebVTT file.
    WebVtt(String),
    /// A SubRip file.
    Srt(String),
    /// Speech-recognition segments.
    Segments(Vec<Segment>),
}

/// One scoring request, already validated.
#[derive(Debug, Clone)]
pub struct ScoreInput {
    /// The caller's id for the request.
    pub request_id: String,
    /// The video the content belongs to.
    pub video_id: String,
    /// ISO 3166-1 alpha-2 market, or empty for any.
    pub market: String,
    /// Primary language subtag, or empty to detect.
    pub language: String,
    /// When the video was seen.
    pub observed_at: DateTime<Utc>,
    /// Whether the caller said when the video was seen; otherwise
    /// `observed_at` is the time the request arrived.
    pub observed_stated: bool,
    /// Views so far.
    pub view_count: u64,
    /// Where the content came from.
    pub source: ContentSource,
    /// The content.
    pub content: Content,
    /// Matches below this confidence are dropped; `None` for the review threshold.
    pub min_confidence: Option<f32>,
    /// How many matches to return at most.
    pub max_matches: usize,
    /// Score without logging hits.
    pub dry_run: bool,
    /// When the caller stops waiting (its `grpc-timeout`), if it said.
    pub deadline: Option<std::time::Instant>,
}

/// One claim a video repeats.
#[derive(Debug, Clone)]
pub struct ClaimMatch {
    /// The claim.
    pub claim: std::sync::Arc<ClaimCard>,
    /// In [0, 1].
    pub confidence: f32,
    /// The decision this match supports.
    pub level: Level,
    /// The matched part of the content.
    pub excerpt: String,
    /// Claim words found in the excerpt.
    pub matched_terms: Vec<String>,
    /// Start of the excerpt in the video.
    pub start_ms: u64,
    /// End of the excerpt in the video.
    pub end_ms: u64,
    /// Retrieval score, for ranking and diagnosis.
    pub bm25: f32,
    /// Other claims with the same folded text (other partners' checks).
    pub duplicates: Vec<std::sync::Arc<ClaimCard>>,
    /// Other stretches of the content that say the claim again, at or
    /// above the review threshold, in time order (`start_ms`..`end_ms`
    /// is the best).
    pub also_said: Vec<Said>,
    /// Whether the content repeats the claim, refutes it or doubts it.
    pub stance: super::Stance,
    /// The words that decided the stance (none for `Repeats`).
    pub stance_cues: Vec<String>,
    /// The encoder's cosine (in the centred space, `index/centre.rs`) with
    /// the claim of the content's sentence nearest it among those the
    /// encoder read, or of the excerpt's run of sentences read as one
    /// post; none when the encoder read none of them (the words decided,
    /// not election talk, long content, matching by words only) or the
    /// claim has no vector yet.
    pub meaning: Option<f32>,
}

/// A stretch of the content that says a matched claim again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Said {
    /// Start in the video.
    pub start_ms: u64,
    /// End in the video.
    pub end_ms: u64,
    /// How sure the stretch is to say the claim, in [0, 1].
    pub confidence: f32,
    /// The decision its confidence supports (never above the match's).
    pub level: Level,
}

/// The result of scoring one request.
#[derive(Debug, Clone, Default)]
pub struct ScoreOutcome {
    /// The language used.
    pub language: String,
    /// Best first.
    pub matches: Vec<ClaimMatch>,
}

impl ScoreOutcome {
    /// Returns the strongest level among the matches.
    pub fn decision(&self) -> Level {
        self.matches
            .iter()
            .map(|m| m.level)
            .max()
            .unwrap_or(Level::None)
    }

    /// Returns the highest confidence among the matches, 0 with none.
    pub fn confidence(&self) -> f32 {
        self.matches
            .iter()
            .map(|m| m.confidence)
            .fold(0.0, f32::max)
    }
}

//! What `eval` reports: ranking metrics, the precision and recall of each
//! decision level, the negative control, thresholds, and the mistakes.

use serde::Serialize;

use crate::matcher::Level;

/// One returned match, as a mistake record shows it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct MistakeMatch<'a> {
    pub(super) claim: &'a str,
    /// Claims of the same text listed with it.
    pub(super) duplicates: Vec<&'a str>,
    pub(super) text: &'a str,
    pub(super) confidence: f32,
    pub(super) level: &'static str,
    pub(super) relevant: bool,
    /// Whether its decision is one on the query (inside a transcript:
    /// whether its span, or a stretch it lists, covers the query's line).
    pub(super) here: bool,
    /// The decision it makes on the query: `level`, or inside a
    /// transcript the level of the span or stretch covering the line.
    pub(super) level_here: &'static str,
    pub(super) start_ms: u64,
    pub(super) end_ms: u64,
    /// The encoder's cosine with the claim, when it read the query.
    pub(super) meaning: Option<f32>,
    /// How the query says the claim: repeats, refutes or unclear.
    pub(super) stance: &'static str,
}

/// A query with a wrong decision (a match at `review` or above that is
/// not relevant) or a miss (a relevant claim not decided at `review` or
/// above among the returned): what a partner reads to see why.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Mistake<'a> {
    pub(super) query: &'a str,
    pub(super) text: &'a str,
    pub(super) relevant: Vec<(&'a str, Option<String>)>,
    pub(super) wrong: usize,
    pub(super) missed: usize,
    pub(super) returned: Vec<MistakeMatch<'a>>,
}

pub(super) fn level_name(level: Level) -> &'static str {
    match level {
        Level::Auto => "auto",
        Level::Review => "review",
        Level::None => "none",
    }
}

/// Precision and recall of one decision level over the returned matches
/// (the top five, as a response lists them: a match listing duplicates of
/// its claim text is one decision, right when any of its records is
/// relevant).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LevelQuality {
    /// Matches returned at or above the level.
    pub decided: usize,
    /// Of those, relevant ones.
    pub correct: usize,
    /// correct / decided.
    pub precision: f64,
    /// correct / relevant pairs.
    pub recall: f64,
}

/// The negative control: content that repeats none of the claims.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NegativeControl {
    /// Negative queries scored.
    pub queries: usize,
    /// Each query sent alone, as a caption or a post is.
    pub alone: NegativeShares,
    /// Each query matched inside its transcript, through the windows
    /// covering its line (with `--transcripts`; queries not found in one
    /// are sent alone).
    pub in_transcript: Option<NegativeShares>,
}

/// How often negative queries reach a decision.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NegativeShares {
    /// Share whose decision was review or auto.
    pub review_share: f64,
    /// Share whose decision was auto.
    pub auto_share: f64,
}

/// What a platform would see at one confidence threshold.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ThresholdRow {
    /// The threshold.
    pub threshold: f32,
    /// Top-5 matches at or above it.
    pub decided: usize,
    /// Their precision.
    pub precision: f64,
    /// Their recall over relevant pairs.
    pub recall: f64,
    /// Share of negative queries sent alone with a match at or above it.
    pub negatives_share: f64,
}

/// The figures of the queries in one language (a partner's floor is one
/// per language).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LanguageFigures {
    /// The queries' language, as labelled.
    pub language: String,
    /// Queries with relevant claims.
    pub queries: usize,
    /// MAP@5 over them.
    pub map_at_5: f64,
    /// Quality of `auto` among their top 5 returned.
    pub auto: LevelQuality,
}

/// The stances of the right decisions (a relevant claim at `review` or
/// above): on captions that repeat their claim every refutation is a
/// mistake, on captions that refute it every repetition is.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StanceCounts {
    /// Relevant claims decided at `review` or above.
    pub decided: usize,
    /// Of those, read as refuting the claim.
    pub refutes: usize,
    /// Of those, read as doubting it.
    pub unclear: usize,
}

/// The measurements of one run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalReport {
    /// Queries with relevant claims.
    pub queries: usize,
    /// Queries placed in their transcript.
    pub in_transcript: usize,
    /// MAP@1.
    pub map_at_1: f64,
    /// MAP@5 (official).
    pub map_at_5: f64,
    /// MRR.
    pub mrr: f64,
    /// Recall@5.
    pub recall_at_5: f64,
    /// Recall@20.
    pub recall_at_20: f64,
    /// Quality of `auto` among the top 5 returned.
    pub auto: LevelQuality,
    /// Quality of `review` or above among the top 5 returned.
    pub review: LevelQuality,
    /// The stances of the right decisions among them.
    pub stances: StanceCounts,
    /// The same by the queries' language, when they have several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_language: Vec<LanguageFigures>,
    /// Negative control, when asked for.
    pub negatives: Option<NegativeControl>,
    /// Threads used.
    pub threads: usize,
    /// Queries ranked per second over all threads (ranking only).
    pub queries_per_second: f64,
    /// Precision, recall and negatives at thresholds from 0.30 to 0.95.
    pub thresholds: Vec<ThresholdRow>,
    /// Transcripts sent whole, when asked for.
    pub whole_transcripts: Option<super::whole::WholeReport>,
    /// Matching by meaning: sentences of short content seen, and how many
    /// the encoder ran on (the gate's and the words' savings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences_embedded: Option<[u64; 2]>,
}

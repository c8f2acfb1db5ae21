//! The words the matcher, the hit log and reports all speak: a claim's
//! verdict, where content came from, how sure a match is and what the
//! content does with the claim. Below every other module: it imports
//! nothing of the crate.

use serde::{Deserialize, Serialize};

/// A fact-checker's rating, normalised across partners and languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The claim is false.
    False,
    /// Mostly false.
    MostlyFalse,
    /// Misleading, distorted or exaggerated.
    Misleading,
    /// Out of context or missing context.
    MissingContext,
    /// No evidence either way.
    Unproven,
    /// Satire or parody.
    Satire,
    /// Partly true, partly false.
    Mixed,
    /// Mostly true.
    MostlyTrue,
    /// True.
    True,
    /// Anything the mapping does not recognise.
    #[default]
    Other,
}

impl Verdict {
    /// Every verdict, in the order of the proto enum.
    pub const ALL: [Verdict; 10] = [
        Verdict::False,
        Verdict::MostlyFalse,
        Verdict::Misleading,
        Verdict::MissingContext,
        Verdict::Unproven,
        Verdict::Satire,
        Verdict::Mixed,
        Verdict::MostlyTrue,
        Verdict::True,
        Verdict::Other,
    ];

    /// Returns the snake_case name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::False => "false",
            Verdict::MostlyFalse => "mostly_false",
            Verdict::Misleading => "misleading",
            Verdict::MissingContext => "missing_context",
            Verdict::Unproven => "unproven",
            Verdict::Satire => "satire",
            Verdict::Mixed => "mixed",
            Verdict::MostlyTrue => "mostly_true",
            Verdict::True => "true",
            Verdict::Other => "other",
        }
    }

    /// Returns the verdict named by its snake_case name.
    pub fn from_name(name: &str) -> Option<Self> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == name)
    }
}

/// Where the scored text of a video came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContentSource {
    /// Not said by the caller.
    #[default]
    Unspecified,
    /// Closed captions or subtitles.
    Caption,
    /// A speech-recognition transcript.
    SpeechTranscript,
    /// Text read off the frames.
    Ocr,
    /// The title or description.
    Description,
}

impl ContentSource {
    /// Every source, in the order of the proto enum.
    pub const ALL: [ContentSource; 5] = [
        ContentSource::Unspecified,
        ContentSource::Caption,
        ContentSource::SpeechTranscript,
        ContentSource::Ocr,
        ContentSource::Description,
    ];

    /// Returns the snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentSource::Unspecified => "unspecified",
            ContentSource::Caption => "caption",
            ContentSource::SpeechTranscript => "speech_transcript",
            ContentSource::Ocr => "ocr",
            ContentSource::Description => "description",
        }
    }

    /// Returns the source with this snake_case name.
    pub fn from_name(name: &str) -> Option<Self> {
        ContentSource::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// How sure a match is, as a policy decision.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Below the review threshold.
    #[default]
    None,
    /// For a human to look at.
    Review,
    /// Confident enough for a platform to act on.
    Auto,
}

impl Level {
    /// Returns the snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Review => "review",
            Level::Auto => "auto",
        }
    }

    /// Returns the level with this snake_case name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Level::None, Level::Review, Level::Auto]
            .into_iter()
            .find(|l| l.as_str() == name)
    }
}

/// What content does with a claim it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Says it as true, or passes it on.
    #[default]
    Repeats,
    /// Calls it false, mocks it or tells people not to believe it.
    Refutes,
    /// Passes it on while doubting it ("não sei se é verdade").
    Unclear,
}

impl Stance {
    /// Returns the snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Repeats => "repeats",
            Stance::Refutes => "refutes",
            Stance::Unclear => "unclear",
        }
    }

    /// Returns the stance with this snake_case name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Stance::Repeats, Stance::Refutes, Stance::Unclear]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

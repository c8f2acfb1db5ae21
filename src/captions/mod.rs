//! Captions and transcripts: from what a pipeline sends to timed sentences
//! and the windows matching searches with.
//!
//! - `clean`: markup, entities, URLs, handles, hashtags, emoji;
//!   `disguise`: words spelt to slip past filters, read as meant.
//! - `timing`: caption timestamps.
//! - `vtt`, `srt`, `whisper`: the file formats, each to timed segments.
//! - `transcript`: rolled-up and overlapping cues folded, sentences, windows.

pub mod clean;
mod disguise;
pub mod srt;
mod timing;
pub mod transcript;
pub mod vtt;
pub mod whisper;

use serde::{Deserialize, Serialize};

pub use transcript::{MAX_WINDOW_SENTENCES, Sentence, Window, sentences, windows};

/// A timed piece of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Start in milliseconds from the start of the video.
    pub start_ms: u64,
    /// End in milliseconds.
    pub end_ms: u64,
    /// What was said or shown.
    pub text: String,
    /// Who said it, when the source says (a WebVTT `<v Name>` voice, an
    /// ASR segment's speaker): a claim said by that person is likelier to
    /// be the one repeated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// A cue that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueProblem {
    /// 1-based line of the file where the cue starts.
    pub line: usize,
    /// What is wrong, in plain words.
    pub reason: String,
}

/// The usable segments of a caption file and the cues that were not.
#[derive(Debug, Clone, Default)]
pub struct ParsedCaptions {
    /// Usable cues, in file order.
    pub segments: Vec<Segment>,
    /// Cues that were skipped.
    pub problems: Vec<CueProblem>,
}

/// A caption file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptionFormat {
    /// Plain text, no timing.
    Text,
    /// WebVTT.
    WebVtt,
    /// SubRip.
    Srt,
    /// Whisper `verbose_json`.
    WhisperJson,
}

/// Returns the format of a file from its extension, else its content.
pub fn detect_format(file_name: Option<&str>, content: &str) -> CaptionFormat {
    let extension = file_name
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("vtt") => return CaptionFormat::WebVtt,
        Some("srt") => return CaptionFormat::Srt,
        Some("json") => return CaptionFormat::WhisperJson,
        _ => {}
    }
    let body = content.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with("WEBVTT") {
        return CaptionFormat::WebVtt;
    }
    if body.starts_with('{') && body.contains("\"segments\"") {
        return CaptionFormat::WhisperJson;
    }
    let mut lines = body.lines();
    let first_is_number = lines
        .next()
        .is_some_and(|l| l.trim().parse::<u64>().is_ok());
    if first_is_number && lines.next().is_some_and(|l| l.contains("-->")) {
        return CaptionFormat::Srt;
    }
    CaptionFormat::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension_then_content() {
        assert_eq!(detect_format(Some("a.VTT"), ""), CaptionFormat::WebVtt);
        assert_eq!(detect_format(Some("a.srt"), ""), CaptionFormat::Srt);
        assert_eq!(
            detect_format(None, "\u{feff}WEBVTT\n\n"),
            CaptionFormat::WebVtt
        );
        assert_eq!(
            detect_format(None, "1\n00:00:01,000 --> 00:00:02,000\nhi\n"),
            CaptionFormat::Srt
        );
        assert_eq!(
            detect_format(None, "{\"language\": \"en\", \"segments\": []}"),
            CaptionFormat::WhisperJson
        );
        assert_eq!(
            detect_format(Some("post.txt"), "2022 was stolen"),
            CaptionFormat::Text
        );
    }
}

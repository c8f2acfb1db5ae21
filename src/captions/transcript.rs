//! From timed segments to sentences and windows.
//!
//! Live captions roll up ("The", "The cat", "The cat sat") and platform
//! captions repeat the previous line at the top of the next cue; both are
//! folded by removing, from each cue, the words that continue what the
//! transcript already ends with. Sentences end at `.`, `!`, `?` or `…`, or
//! after `MAX_SENTENCE_WORDS`; in timed content with hardly any of those
//! marks (automatic captions), at cue boundaries too, once a sentence has
//! a few words. Windows are single sentences and runs of
//! `MAX_WINDOW_SENTENCES` consecutive sentences (shorter at the end): a
//! debate line often only matches with its neighbours. A change of
//! speaker ends a sentence. Who speaks comes from the segment (a WebVTT
//! voice, a diarised ASR segment) or, in captions that write it as
//! broadcast captions do, from a timed line that opens with `>>` (a new,
//! unnamed speaker) or an upper-case name and a colon (`>> SANDERS:`,
//! `BOB SCHIEFFER:`), which holds until the next such line. The name stays
//! in the text (a claim may name its speaker); the chevrons go.

use std::sync::Arc;

use super::Segment;
use super::clean::clean_text;

/// A sentence longer than this is cut (unpunctuated speech).
pub const MAX_SENTENCE_WORDS: usize = 40;
/// The most sentences a window spans.
pub const MAX_WINDOW_SENTENCES: usize = 3;
/// Content this short is matched as one window.
pub const SHORT_CONTENT_WORDS: usize = 60;
/// How far back a new cue is compared with the transcript's end.
const OVERLAP_LOOKBACK_WORDS: usize = 60;

/// A timed sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Cleaned text.
    pub text: String,
    /// Start of its first word's cue.
    pub start_ms: u64,
    /// End of its last word's cue.
    pub end_ms: u64,
    /// Number of words.
    pub words: usize,
    /// Who said it, when the source says.
    pub speaker: Option<Arc<str>>,
}

/// A run of consecutive sentences that matching searches with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The sentences' text.
    pub text: String,
    /// Start of the first sentence.
    pub start_ms: u64,
    /// End of the last sentence.
    pub end_ms: u64,
    /// Index of the first sentence.
    pub first: usize,
    /// Index of the last sentence (inclusive).
    pub last: usize,
    /// Number of words (a window too short to be sure of never reaches
    /// `auto`).
    pub words: usize,
    /// The distinct speakers of its sentences, when the source says.
    pub speakers: Vec<Arc<str>>,
}

struct TimedWord {
    text: String,
    start_ms: u64,
    end_ms: u64,
    speaker: Option<Arc<str>>,
}

fn same_word(a: &str, b: &str) -> bool {
    let trim = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    trim(a) == trim(b)
}

/// Returns the sentences of the segments: cleaned, in time order, with
/// rolled-up and repeated caption lines folded.
pub fn sentences(segments: &[Segment]) -> Vec<Sentence> {
    let mut ordered: Vec<&Segment> = segments.iter().collect();
    ordered.sort_by_key(|s| (s.start_ms, s.end_ms));
    let mut words: Vec<TimedWord> = Vec::new();
    let mut previous_len = 0;
    let mut speaker: Option<Arc<str>> = None;
    // Whether `speaker` was written in the text (it then holds over later
    // cues until another label) rather than given with a segment (which
    // names the speaker of that segment only).
    let mut labelled = false;
    for (segment, turn, text) in ordered.into_iter().flat_map(|segment| {
        turns(segment)
            .into_iter()
            .map(move |(turn, text)| (segment, turn, text))
    }) {
        let said_by = match &turn {
            Turn::Given(name) => {
                labelled = false;
                Some(name.as_str())
            }
            Turn::Written(name) => {
                labelled = true;
                name.as_deref()
            }
            Turn::Same if labelled => speaker.as_deref(),
            Turn::Same => None,
        };
        // One allocation per speaker turn, shared by its words.
        if said_by != speaker.as_deref() {
            speaker = said_by.map(Arc::from);
        }
        let cleaned = clean_text(text);
        let new: Vec<&str> = cleaned.split_whitespace().collect();
        if new.is_empty() {
            continue;
        }
        let overlap = overlap(&words, &new, previous_len);
        previous_len = new.len();
        for word in &new[overlap..] {
            words.push(TimedWord {
                text: word.to_string(),
                start_ms: segment.start_ms,
                end_ms: segment.end_ms,
                speaker: speaker.clone(),
            });
        }
        // A cue that only repeats known words still extends the last one's time.
        if overlap == new.len()
            && let Some(last) = words.last_mut()
        {
            last.end_ms = last.end_ms.max(segment.end_ms);
        }
    }
    split_sentences(&words)
}

/// Who speaks a piece of a segment.
#[derive(Debug, PartialEq, Eq)]
enum Turn {
    /// Named by the segment itself.
    Given(String),
    /// Written at the start of a caption line: a name, or `>>` alone for
    /// a speaker the captions do not name.
    Written(Option<String>),
    /// Not said: whoever spoke before, if the captions write speakers.
    Same,
}

/// Splits a segment into pieces by who speaks them: its own speaker, else
/// the speaker labels opening its lines (timed captions only: a post
/// opening with "TRUMP:" quotes him, and is matched as text).
fn turns(segment: &Segment) -> Vec<(Turn, &str)> {
    if let Some(name) = segment.speaker.as_deref().map(str::trim)
        && !name.is_empty()
    {
        return vec![(Turn::Given(name.to_string()), segment.text.as_str())];
    }
    let text = segment.text.as_str();
    if segment.end_ms == 0 {
        return vec![(Turn::Same, text)];
    }
    let mut pieces: Vec<(Turn, &str)> = Vec::new();
    let mut start = 0;
    let mut turn = Turn::Same;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((label, rest_at)) = speaker_label(line) {
            if offset > start {
                pieces.push((turn, &text[start..offset]));
            }
            turn = Turn::Written(label);
            start = offset + rest_at;
        }
        offset += line.len();
    }
    pieces.push((turn, &text[start..]));
    pieces
}

/// Upper-case words that open caption lines with a colon without naming
/// anyone.
const NOT_SPEAKERS: [&str; 6] = ["BREAKING", "UPDATE", "LIVE", "NOTE", "WARNING", "WATCH"];

/// Reads a speaker label opening a caption line: `>>` (a new speaker,
/// maybe named after it) or a name of one to four upper-case words and a
/// colon. Returns the name, if any, and where the line's text starts
/// (after the chevrons).
fn speaker_label(line: &str) -> Option<(Option<String>, usize)> {
    let trimmed = line.trim_start();
    let mut at = line.len() - trimmed.len();
    let chevrons = trimmed.starts_with(">>");
    if chevrons {
        at += 2 + trimmed[2..].len() - trimmed[2..].trim_start().len();
    }
    let rest = &line[at..];
    let name = rest.split_once(':').and_then(|(name, _)| {
        let words: Vec<&str> = name.split_whitespace().collect();
        let is_name = (1..=4).contains(&words.len())
            && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && name.chars().all(|c| {
                c.is_uppercase() || c.is_whitespace() || matches!(c, '.' | '\'' | '’' | '-')
            })
            && !NOT_SPEAKERS.contains(&name.trim());
        is_name.then(|| name.trim().to_string())
    });
    match name {
        Some(name) => Some((Some(name), at)),
        None if chevrons => Some((None, at)),
        None => None,
    }
}

/// The number of leading words of `new` that continue the transcript's
/// last words. A one-word overlap counts only when it is the whole previous
/// cue (the first step of a roll-up), so that a repeated "the" survives.
fn overlap(words: &[TimedWord], new: &[&str], previous_len: usize) -> usize {
    let tail_start = words.len().saturating_sub(OVERLAP_LOOKBACK_WORDS);
    let tail = &words[tail_start..];
    let longest = tail.len().min(new.len());
    for k in (1..=longest).rev() {
        let suffix = &tail[tail.len() - k..];
        if suffix
            .iter()
            .zip(&new[..k])
            .all(|(w, n)| same_word(&w.text, n))
            && (k >= 2 || previous_len == 1)
        {
            return k;
        }
    }
    0
}

/// Whether `word` ends a sentence: its last mark (".", "!", "?", "…"),
/// before closing quotes or brackets. Shared with the stance reader, which
/// reads no cue across a sentence's end.
pub(crate) fn ends_sentence(word: &str) -> bool {
    let trimmed = word.trim_end_matches(['"', '\'', '”', '’', ')', '»']);
    trimmed.ends_with(['.', '!', '?', '…'])
}

/// Timed content with fewer sentence ends than one per this many words is
/// taken as unpunctuated speech recognition.
const UNPUNCTUATED_WORDS_PER_END: usize = 30;

/// In unpunctuated timed content, a cue boundary ends a sentence once the
/// sentence holds this many words.
const MIN_CUE_SENTENCE_WORDS: usize = 4;

/// Returns true for timed content whose words are mostly unpunctuated
/// (automatic captions: "aquí está bien movido / ayer fui a comer a casa
/// de mi jefecita"), whose cues are then its best sentence boundaries.
fn unpunctuated(words: &[TimedWord]) -> bool {
    let timed = words.iter().any(|w| w.end_ms > 0);
    let ends = words.iter().filter(|w| ends_sentence(&w.text)).count();
    timed
        && words.len() >= MIN_CUE_SENTENCE_WORDS
        && ends * UNPUNCTUATED_WORDS_PER_END < words.len()
}

fn split_sentences(words: &[TimedWord]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut start = 0;
    // Unpunctuated speech used to run into 40-word sentences across eight
    // cues: a 4-second claim matched with a 22-second span around it.
    let by_cue = unpunctuated(words);
    for (i, word) in words.iter().enumerate() {
        let long = i + 1 - start >= MAX_SENTENCE_WORDS;
        let turn_ends = words
            .get(i + 1)
            .is_some_and(|next| next.speaker != word.speaker);
        let cue_ends = by_cue
            && i + 1 - start >= MIN_CUE_SENTENCE_WORDS
            && words
                .get(i + 1)
                .is_some_and(|next| next.start_ms != word.start_ms);
        if ends_sentence(&word.text) || long || turn_ends || cue_ends || i + 1 == words.len() {
            let run = &words[start..=i];
            sentences.push(Sentence {
                text: run
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                start_ms: run.iter().map(|w| w.start_ms).min().unwrap_or(0),
                end_ms: run.iter().map(|w| w.end_ms).max().unwrap_or(0),
                words: run.len(),
                speaker: word.speaker.clone(),
            });
            start = i + 1;
        }
    }
    sentences
}

/// Returns the windows over `sentences`: the whole content when it is
/// short and untimed (or fits one window), else every sentence and every
/// run of `MAX_WINDOW_SENTENCES` sentences (the last runs shorter). Runs of
/// two were dropped: on the debate transcripts they added a third of the
/// searches and nothing to MAP@5 (0.429 with them, 0.431 without, model
/// refitted on train; Recall@20 0.674 -> 0.657).
pub fn windows(sentences: &[Sentence]) -> Vec<Window> {
    let window = |first: usize, last: usize| {
        let run = &sentences[first..=last];
        Window {
            text: run
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            start_ms: run.iter().map(|s| s.start_ms).min().unwrap_or(0),
            end_ms: run.iter().map(|s| s.end_ms).max().unwrap_or(0),
            first,
            last,
            words: run.iter().map(|s| s.words).sum(),
            speakers: {
                let mut speakers: Vec<Arc<str>> = Vec::new();
                for speaker in run.iter().filter_map(|s| s.speaker.as_ref()) {
                    if !speakers.contains(speaker) {
                        speakers.push(speaker.clone());
                    }
                }
                speakers
            },
        }
    };
    if sentences.is_empty() {
        return Vec::new();
    }
    let total_words: usize = sentences.iter().map(|s| s.words).sum();
    // Short content is matched whole: a post is one statement however many
    // sentences it has (and one search instead of one per run of
    // sentences). Timed captions keep their runs of sentences as long as
    // there are more than fit one window, so a match says where it was said.
    let untimed = sentences.iter().all(|s| s.end_ms == 0);
    if total_words <= SHORT_CONTENT_WORDS && (untimed || sentences.len() <= MAX_WINDOW_SENTENCES) {
        return vec![window(0, sentences.len() - 1)];
    }
    let mut windows = Vec::new();
    for first in 0..sentences.len() {
        for last in first..(first + MAX_WINDOW_SENTENCES).min(sentences.len()) {
            let span = last - first + 1;
            let to_the_end = last + 1 == sentences.len();
            if span == 1 || span == MAX_WINDOW_SENTENCES || to_the_end {
                windows.push(window(first, last));
            }
        }
    }
    windows
}

#[cfg(test)]
mod tests;

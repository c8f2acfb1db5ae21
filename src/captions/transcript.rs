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

fn ends_sentence(word: &str) -> bool {
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seg(start_ms: u64, end_ms: u64, text: &str) -> Segment {
        Segment {
            start_ms,
            end_ms,
            text: text.into(),
            speaker: None,
        }
    }

    fn said(start_ms: u64, end_ms: u64, speaker: &str, text: &str) -> Segment {
        Segment {
            speaker: Some(speaker.into()),
            ..seg(start_ms, end_ms, text)
        }
    }

    #[test]
    fn unpunctuated_captions_break_at_their_cues_and_punctuated_ones_do_not() {
        // Automatic captions as a platform makes them: commas, no stops.
        let asr = [
            seg(0, 3_600, "qué onda banda aquí su compa Toño desde Tuxtla"),
            seg(
                3_700,
                8_500,
                "hoy no vengo a hablar de fútbol, vengo a hablar de las elecciones",
            ),
            seg(8_700, 13_800, "dicen que las boletas ya vienen marcadas"),
            seg(14_000, 18_700, "con el nombre del candidato del gobierno"),
            seg(18_800, 23_000, "ahí les dejo el dato y nos vemos"),
        ];
        let found = sentences(&asr);
        let spans: Vec<(u64, u64)> = found.iter().map(|s| (s.start_ms, s.end_ms)).collect();
        assert_eq!(
            spans,
            [
                (0, 3_600),
                (3_700, 8_500),
                (8_700, 13_800),
                (14_000, 18_700),
                (18_800, 23_000)
            ]
        );
        // The same cues punctuated: sentences end where their stops are.
        let punctuated = [
            seg(0, 3_600, "Hoy no vengo a hablar de fútbol,"),
            seg(3_700, 8_500, "vengo a hablar de las elecciones."),
            seg(8_700, 13_800, "Dicen que las boletas ya vienen marcadas"),
            seg(14_000, 18_700, "con el nombre del candidato del gobierno."),
        ];
        let spans: Vec<(u64, u64)> = sentences(&punctuated)
            .iter()
            .map(|s| (s.start_ms, s.end_ms))
            .collect();
        assert_eq!(spans, [(0, 8_500), (8_700, 18_700)]);
        // Untimed text is never cut at its lines.
        let post = [seg(
            0,
            0,
            "dicen que las boletas ya vienen marcadas con el nombre del candidato",
        )];
        assert_eq!(sentences(&post).len(), 1);
    }

    #[test]
    fn a_change_of_speaker_ends_a_sentence_and_windows_name_their_speakers() {
        let segments = [
            said(0, 1000, "Ana Lima", "we will build"),
            said(1000, 2000, "Ana Lima", "new schools"),
            said(2000, 3000, "Rui Costa", "that is not true"),
            said(3000, 4000, " ", "applause"),
        ];
        let found = sentences(&segments);
        let texts: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            ["we will build new schools", "that is not true", "applause"]
        );
        let speakers: Vec<Option<&str>> = found.iter().map(|s| s.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("Ana Lima"), Some("Rui Costa"), None]);
        let whole = windows(&found);
        assert_eq!(whole.len(), 1);
        let names: Vec<&str> = whole[0].speakers.iter().map(|s| &**s).collect();
        assert_eq!(names, ["Ana Lima", "Rui Costa"]);
    }

    #[test]
    fn caption_lines_that_open_with_a_speaker_label_name_who_speaks_until_the_next() {
        let segments = [
            seg(0, 2000, ">> CLINTON: We will build new schools."),
            seg(2000, 4000, "And hospitals in every county."),
            seg(4000, 6000, "in every county.\n>> TRUMP: Wrong."),
            seg(6000, 8000, "Total disaster."),
            seg(8000, 9000, ">> Thank you both."),
            seg(9000, 9500, "BREAKING: polls close."),
        ];
        let found = sentences(&segments);
        let said: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|s| (s.text.as_str(), s.speaker.as_deref()))
            .collect();
        assert_eq!(
            said,
            [
                ("CLINTON: We will build new schools.", Some("CLINTON")),
                ("And hospitals in every county.", Some("CLINTON")),
                ("TRUMP: Wrong.", Some("TRUMP")),
                ("Total disaster.", Some("TRUMP")),
                ("Thank you both.", None),
                ("BREAKING: polls close.", None),
            ]
        );
        // Untimed text (a post) quoting someone is not a caption turn.
        let post = sentences(&[seg(0, 0, "TRUMP: We will win.")]);
        assert_eq!(post[0].speaker, None);
        assert_eq!(post[0].text, "TRUMP: We will win.");
    }

    #[test]
    fn speaker_labels_are_upper_case_names_or_chevrons() {
        fn label(line: &str) -> Option<(Option<String>, &str)> {
            speaker_label(line).map(|(name, at)| (name, &line[at..]))
        }
        assert_eq!(
            label(">> SANDERS: Thank you."),
            Some((Some("SANDERS".to_string()), "SANDERS: Thank you."))
        );
        assert_eq!(
            label("BOB SCHIEFFER: Good evening"),
            Some((
                Some("BOB SCHIEFFER".to_string()),
                "BOB SCHIEFFER: Good evening"
            ))
        );
        assert_eq!(
            label("  >>O'ROURKE: Sí."),
            Some((Some("O'ROURKE".to_string()), "O'ROURKE: Sí."))
        );
        assert_eq!(label(">> we're back"), Some((None, "we're back")));
        assert_eq!(label("Time: ten thirty"), None);
        assert_eq!(label("BREAKING: news"), None);
        assert_eq!(label("COVID-19: cases"), None);
        assert_eq!(label("A: b"), None);
        assert_eq!(label("NO COLON HERE"), None);
    }

    #[test]
    fn folds_rolled_up_captions() {
        let segments = [
            seg(0, 500, "The"),
            seg(500, 900, "The cat"),
            seg(900, 1500, "The cat sat."),
            seg(1500, 2000, "It slept."),
        ];
        let found = sentences(&segments);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text, "The cat sat.");
        assert_eq!((found[0].start_ms, found[0].end_ms), (0, 1500));
        assert_eq!(found[1].text, "It slept.");
    }

    #[test]
    fn folds_repeated_lines_and_keeps_real_repeats() {
        let segments = [
            seg(0, 2000, "the ballots were counted"),
            seg(2000, 4000, "the ballots were counted\ntwice in the county."),
            seg(4000, 5000, "the the end."),
        ];
        let found = sentences(&segments);
        assert_eq!(
            found[0].text,
            "the ballots were counted twice in the county."
        );
        assert_eq!(found[1].text, "the the end.");
    }

    #[test]
    fn out_of_order_cues_are_sorted() {
        let segments = [seg(3000, 4000, "second one."), seg(0, 1000, "First one.")];
        let texts: Vec<_> = sentences(&segments).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["First one.", "second one."]);
    }

    #[test]
    fn a_short_post_is_one_window_but_short_timed_captions_keep_their_spans() {
        let post = sentences(&[seg(
            0,
            0,
            "Breaking. The count stopped. Ballots burned. Share now! Before they delete it.",
        )]);
        assert_eq!(post.len(), 5);
        let whole = windows(&post);
        assert_eq!(whole.len(), 1);
        assert_eq!((whole[0].first, whole[0].last), (0, 4));

        let timed: Vec<_> = [
            "Hello.",
            "Welcome back.",
            "Ballots burned.",
            "Bye.",
            "See you.",
        ]
        .iter()
        .enumerate()
        .map(|(i, text)| seg(i as u64 * 2000, i as u64 * 2000 + 1500, text))
        .collect();
        let runs = windows(&sentences(&timed));
        assert!(runs.len() > 1);
        assert!(runs.iter().any(|w| w.start_ms == 4000 && w.end_ms == 5500));
    }

    #[test]
    fn windows_cover_runs_of_sentences() {
        let long = "word ".repeat(30);
        let segments: Vec<_> = (0..4u64)
            .map(|i| seg(i * 1000, i * 1000 + 900, &format!("{long}s{i}.")))
            .collect();
        let found = sentences(&segments);
        assert_eq!(found.len(), 4);
        let spans: Vec<_> = windows(&found).iter().map(|w| (w.first, w.last)).collect();
        assert_eq!(
            spans,
            [(0, 0), (0, 2), (1, 1), (1, 3), (2, 2), (2, 3), (3, 3)]
        );
        assert_eq!(windows(&found)[1].end_ms, 2900);
        let short = sentences(&[seg(0, 0, "One. Two. Three.")]);
        assert_eq!(windows(&short).len(), 1);
    }

    proptest! {
        #[test]
        fn sentences_keep_time_order_and_never_panic(
            cues in proptest::collection::vec((0u64..100_000, 0u64..5_000, "[a-zA-ZÉé .!?:>\n]{0,40}"), 0..30)
        ) {
            let segments: Vec<_> = cues.iter().map(|(s, d, t)| seg(*s, s + d, t)).collect();
            let found = sentences(&segments);
            for s in &found {
                prop_assert!(s.start_ms <= s.end_ms);
                prop_assert_eq!(s.words, s.text.split_whitespace().count());
            }
            for pair in found.windows(2) {
                prop_assert!(pair[0].start_ms <= pair[1].start_ms);
            }
            // The word count the `auto` rule reads is the text's.
            for window in windows(&found) {
                prop_assert_eq!(window.words, window.text.split_whitespace().count());
            }
        }
    }
}

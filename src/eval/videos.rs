//! `claimsignal eval-videos`: claims said inside short videos, measured as
//! issue 24 asks. Each labelled video is sent whole (WebVTT, SRT or
//! Whisper JSON, as a platform sends it) and the stretch that says the
//! claim is sent alone as a post; the claim's confidence inside should be
//! the confidence alone, its span the stretch, and a video that repeats
//! nothing should stay clean. Clips made of the negative captions (five
//! to a clip, one cue each) check that joining unrelated cues raises no
//! match.

use std::path::Path;

use serde::Serialize;

use super::data;
use super::query::lists;
use crate::captions::{self, CaptionFormat, Segment};
use crate::claims::ClaimStore;
use crate::error::{Error, Result};
use crate::index::ClaimIndex;
use crate::matcher::{ClaimMatch, Content, ContentSource, Level, Matcher, ScoreInput};

/// Captions of a negative clip.
const CLIP_CUES: usize = 5;
/// How long each cue of a negative clip lasts.
const CUE_MS: u64 = 8_000;
/// How far the confidence inside may be from the confidence alone.
const WITHIN: f32 = 0.05;

/// One labelled video.
#[derive(Debug, Clone, Serialize)]
pub struct VideoRow {
    /// The caption file's name.
    pub file: String,
    /// The claim the video repeats, if any.
    pub claim: Option<String>,
    /// The market the video was sent with.
    pub market: String,
    /// The claim's confidence and level inside the video, and its span.
    pub inside: Option<(f32, Level, u64, u64)>,
    /// Its confidence and level with the stretch sent alone.
    pub alone: Option<(f32, Level)>,
    /// The rank of the claim among the video's matches (1 = first).
    pub rank: Option<usize>,
    /// The first match of the video: claim, confidence, level.
    pub first: Option<(String, f32, Level)>,
    /// How far the span is from the labelled stretch: the larger of the
    /// distances between their starts and between their ends (ms).
    pub span_off_ms: Option<u64>,
}

/// What `eval-videos` reports.
#[derive(Debug, Default, Serialize)]
pub struct VideosReport {
    /// Every labelled video.
    pub videos: Vec<VideoRow>,
    /// Videos with a claim.
    pub with_claim: usize,
    /// Of those, the videos whose claim is their first match.
    pub claim_first: usize,
    /// Videos whose claim is found at `review` or above in the stretch
    /// sent alone.
    pub found_alone: usize,
    /// Of those, the videos whose claim is as sure inside (at most 0.05
    /// under the confidence alone, or above it).
    pub as_sure_as_alone: usize,
    /// Videos repeating no claim.
    pub clean: usize,
    /// Of those, the videos with no match at `review` or above.
    pub clean_kept: usize,
    /// Clips made of negative captions.
    pub clips: usize,
    /// Of those, the clips with a match at `review` or above.
    pub clips_review: usize,
    /// Of those, the clips with a match at `auto`.
    pub clips_auto: usize,
}

/// Scores each video listed in `labels` (`file<TAB>claim<TAB>start<TAB>end`,
/// `-` for a video repeating nothing; files beside it under `videos/`)
/// and the clips made of `negatives`.
pub fn run(
    matcher: &Matcher,
    (store, index): (&ClaimStore, &ClaimIndex),
    labels: &Path,
    negatives: Option<&Path>,
) -> Result<VideosReport> {
    let text = std::fs::read_to_string(labels)
        .map_err(|err| Error::invalid(format!("cannot read {}: {err}", labels.display())))?;
    let dir = labels.parent().unwrap_or(Path::new(".")).join("videos");
    let mut report = VideosReport::default();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, claim, start, end] = fields[..] else {
            return Err(Error::invalid(format!(
                "{} line {}: expected file, claim, start and end separated by tabs",
                labels.display(),
                n + 1
            )));
        };
        let label = match claim {
            "-" => None,
            claim => {
                let ms = |v: &str| {
                    v.parse::<u64>().map_err(|_| {
                        Error::invalid(format!(
                            "{} line {}: {v:?} is not milliseconds",
                            labels.display(),
                            n + 1
                        ))
                    })
                };
                Some((
                    format!("{}:{claim}", data::EVAL_PARTNER),
                    ms(start)?,
                    ms(end)?,
                ))
            }
        };
        let row = video(matcher, (store, index), &dir.join(file), file, label)?;
        report.add(row, matcher);
    }
    if let Some(path) = negatives {
        let captions = data::read_queries(path)?;
        for clip in captions.chunks(CLIP_CUES) {
            let segments: Vec<Segment> = clip
                .iter()
                .zip(0u64..)
                .map(|(caption, i)| Segment {
                    start_ms: i * CUE_MS,
                    end_ms: (i + 1) * CUE_MS - 1,
                    text: caption.text.clone(),
                    speaker: None,
                })
                .collect();
            let market = market_of_language(&clip[0].lang);
            let matches = score(matcher, index, Content::Segments(segments), market, "")?;
            let best = matches.iter().map(|m| m.level).max().unwrap_or(Level::None);
            report.clips += 1;
            report.clips_review += usize::from(best >= Level::Review);
            report.clips_auto += usize::from(best == Level::Auto);
        }
    }
    Ok(report)
}

impl VideosReport {
    fn add(&mut self, row: VideoRow, matcher: &Matcher) {
        match &row.claim {
            Some(_) => {
                self.with_claim += 1;
                self.claim_first += usize::from(row.rank == Some(1));
                if let Some((alone, _)) = row.alone.filter(|(_, level)| *level >= Level::Review) {
                    self.found_alone += 1;
                    let inside = row.inside.map_or(0.0, |(c, ..)| c);
                    self.as_sure_as_alone += usize::from(inside >= alone - WITHIN);
                }
            }
            None => {
                self.clean += 1;
                let decided = row
                    .first
                    .as_ref()
                    .is_some_and(|(_, c, _)| *c >= matcher.default_min_confidence());
                self.clean_kept += usize::from(!decided);
            }
        }
        self.videos.push(row);
    }
}

/// The market a caption in `language` is sent with when nothing else
/// says: Brazil for Portuguese, Indonesia for Indonesian, any otherwise
/// (Spanish is spoken in several partners' markets).
fn market_of_language(language: &str) -> &'static str {
    match language {
        "pt" => "BR",
        "id" => "ID",
        _ => "",
    }
}

fn video(
    matcher: &Matcher,
    (store, index): (&ClaimStore, &ClaimIndex),
    path: &Path,
    file: &str,
    label: Option<(String, u64, u64)>,
) -> Result<VideoRow> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Error::invalid(format!("cannot read {}: {err}", path.display())))?;
    let (segments, language) = match captions::detect_format(Some(file), &text) {
        CaptionFormat::WebVtt => (captions::vtt::parse(&text).segments, None),
        CaptionFormat::Srt => (captions::srt::parse(&text).segments, None),
        CaptionFormat::WhisperJson => {
            let (declared, parsed) = captions::whisper::parse(&text)
                .map_err(|err| Error::invalid(format!("{file}: {err}")))?;
            (parsed.segments, declared)
        }
        CaptionFormat::Text => {
            return Err(Error::invalid(format!("{file}: not a caption file")));
        }
    };
    let prefix = file.split('-').next().unwrap_or_default();
    let claim_market = label.as_ref().and_then(|(id, ..)| {
        let claim = store.get(id).ok().flatten()?;
        claim.markets.first().cloned()
    });
    let market = claim_market.unwrap_or_else(|| market_of_language(prefix).to_string());
    let language = language
        .map(|l| captions::whisper::language_code(&l))
        .unwrap_or_default();
    let matches = score(
        matcher,
        index,
        Content::Segments(segments.clone()),
        &market,
        &language,
    )?;
    let first = matches
        .first()
        .map(|m| (m.claim.id.clone(), m.confidence, m.level));
    let Some((claim, start, end)) = label else {
        return Ok(VideoRow {
            file: file.to_string(),
            claim: None,
            market,
            inside: None,
            alone: None,
            rank: None,
            first,
            span_off_ms: None,
        });
    };
    let position = matches.iter().position(|m| lists(m, &claim));
    let inside = position.map(|i| {
        let m = &matches[i];
        (m.confidence, m.level, m.start_ms, m.end_ms)
    });
    let alone = score(
        matcher,
        index,
        Content::Text(stretch_text(&segments, start, end)),
        &market,
        &language,
    )?;
    let alone = alone
        .iter()
        .find(|m| lists(m, &claim))
        .map(|m| (m.confidence, m.level));
    Ok(VideoRow {
        file: file.to_string(),
        claim: Some(claim),
        market,
        span_off_ms: inside.map(|(_, _, s, e)| s.abs_diff(start).max(e.abs_diff(end))),
        inside,
        alone,
        rank: position.map(|i| i + 1),
        first,
    })
}

/// The words said from `start_ms` to `end_ms`, as a post would write them:
/// the cues inside the stretch, with the lines that rolled-up captions
/// repeat at the top of each cue said once (as the service reads them).
fn stretch_text(segments: &[captions::Segment], start_ms: u64, end_ms: u64) -> String {
    let inside: Vec<captions::Segment> = segments
        .iter()
        .filter(|s| s.start_ms >= start_ms && s.end_ms <= end_ms)
        .cloned()
        .collect();
    captions::sentences(&inside)
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every match of `content` with a confidence above zero, best first.
fn score(
    matcher: &Matcher,
    index: &ClaimIndex,
    content: Content,
    market: &str,
    language: &str,
) -> Result<Vec<ClaimMatch>> {
    let input = ScoreInput {
        request_id: String::new(),
        video_id: String::new(),
        market: market.to_string(),
        language: language.to_string(),
        observed_at: chrono::Utc::now(),
        observed_stated: false,
        view_count: 0,
        source: ContentSource::Caption,
        content,
        min_confidence: Some(0.01),
        max_matches: crate::matcher::MAX_MATCHES,
        dry_run: true,
        deadline: None,
    };
    Ok(matcher.score(index, &input)?.matches)
}

#[cfg(test)]
mod tests;

//! `claimsignal score`: a video's text sent to a running server, its
//! matches printed.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::ValueEnum;
use serde_json::json;

use super::client::{
    ClientArgs, MAX_RESPONSE_BYTES, authed, channel, enum_name, explain, print_stdout,
};
use crate::captions::{CaptionFormat, detect_format, whisper};
use crate::proto::v1 as pb;
use crate::proto::v1::matcher_client::MatcherClient;
use crate::text::parse_date;

/// Arguments of `score`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  claimsignal score --market BR --video-id vid-123 captions.vtt")]
pub struct ScoreArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Market the video is shown in (ISO 3166-1 alpha-2).
    #[arg(long)]
    pub market: Option<String>,
    /// Language of the content (detected when absent).
    #[arg(long)]
    pub lang: Option<String>,
    /// Video id the hits are logged under (required unless --dry-run).
    #[arg(long)]
    pub video_id: Option<String>,
    /// Score without logging hits.
    #[arg(long)]
    pub dry_run: bool,
    /// Show matches down to this confidence [default: the server's review
    /// threshold, as for any caller]. Below it a match has level NONE and
    /// is never logged as a hit; a lower value shows what nearly matched.
    #[arg(long)]
    pub min_confidence: Option<f32>,
    /// Most matches to return (at most 50) [default: every match down to
    /// `--min-confidence`, up to 50].
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    pub max_matches: u32,
    /// Content format; detected from the extension or content when absent.
    #[arg(long, value_enum)]
    pub format: Option<ScoreFormat>,
    /// When the video was seen (RFC 3339 or YYYY-MM-DD) [default: now].
    #[arg(long)]
    pub observed_at: Option<String>,
    /// Views of the video.
    #[arg(long, default_value_t = 0)]
    pub views: u64,
    /// Where the content came from.
    #[arg(long, value_enum, default_value = "caption")]
    pub source: SourceArg,
    /// A text, WebVTT, SRT or Whisper JSON file, or `-` for standard input.
    pub file: PathBuf,
}

/// Content formats `score` sends.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScoreFormat {
    /// Plain text.
    Text,
    /// WebVTT captions.
    Vtt,
    /// SubRip captions.
    Srt,
    /// Whisper `verbose_json`.
    Whisper,
}

/// Content sources `score` reports.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourceArg {
    /// Captions or subtitles.
    Caption,
    /// A speech-recognition transcript.
    Speech,
    /// Text read off the frames.
    Ocr,
    /// Title or description.
    Description,
}

/// Scores one file (or stdin) and prints the response as JSON.
pub async fn score(args: ScoreArgs) -> anyhow::Result<i32> {
    let is_stdin = args.file.as_os_str() == "-";
    let text = if is_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        text
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?
    };
    if args.video_id.is_none() && !args.dry_run {
        anyhow::bail!(
            "score logs a video's matches as hits under its id: pass --video-id ID, or --dry-run to log nothing"
        );
    }
    let file_name = (!is_stdin).then(|| args.file.display().to_string());
    let format = match args.format {
        Some(ScoreFormat::Text) => CaptionFormat::Text,
        Some(ScoreFormat::Vtt) => CaptionFormat::WebVtt,
        Some(ScoreFormat::Srt) => CaptionFormat::Srt,
        Some(ScoreFormat::Whisper) => CaptionFormat::WhisperJson,
        None => detect_format(file_name.as_deref(), &text),
    };
    let mut language = args.lang.unwrap_or_default();
    let content = score_content(text, format, &mut language)?;
    let observed_at = match args.observed_at.as_deref() {
        Some(text) => Some(crate::server::convert::timestamp(
            parse_date(text).with_context(|| format!("--observed-at {text:?} is not a date"))?,
        )),
        None => None,
    };
    let request = pb::ScoreRequest {
        request_id: "cli".into(),
        video_id: args.video_id.unwrap_or_default(),
        market: args.market.unwrap_or_default(),
        language,
        observed_at,
        view_count: args.views,
        source: match args.source {
            SourceArg::Caption => pb::ContentSource::Caption,
            SourceArg::Speech => pb::ContentSource::SpeechTranscript,
            SourceArg::Ocr => pb::ContentSource::Ocr,
            SourceArg::Description => pb::ContentSource::Description,
        } as i32,
        content: Some(content),
        min_confidence: args.min_confidence,
        max_matches: args.max_matches,
        dry_run: args.dry_run,
    };
    let mut client = MatcherClient::new(channel(&args.client).await?)
        .max_decoding_message_size(MAX_RESPONSE_BYTES);
    let response = match client.score(authed(request)).await {
        Ok(response) => response.into_inner(),
        Err(status) => {
            eprintln!("score failed: {}", explain(&status));
            return Ok(1);
        }
    };
    print_stdout(&serde_json::to_string_pretty(&response_json(&response))?)?;
    Ok(0)
}

/// The request content for a caption file's text in `format`. A Whisper
/// file's declared language fills `language` when the caller gave none;
/// skipped segments are reported on stderr.
pub(super) fn score_content(
    text: String,
    format: CaptionFormat,
    language: &mut String,
) -> anyhow::Result<pb::score_request::Content> {
    Ok(match format {
        CaptionFormat::Text => pb::score_request::Content::Text(text),
        CaptionFormat::WebVtt => pb::score_request::Content::Webvtt(text),
        CaptionFormat::Srt => pb::score_request::Content::Srt(text),
        CaptionFormat::WhisperJson => {
            let (declared, parsed) = whisper::parse(&text).map_err(anyhow::Error::msg)?;
            for problem in &parsed.problems {
                eprintln!("skipped {}", problem.reason);
            }
            if language.is_empty() {
                *language = declared
                    .map(|l| whisper::language_code(&l))
                    .unwrap_or_default();
            }
            crate::server::convert::matcher::segments_content(parsed.segments)
        }
    })
}

fn response_json(response: &pb::ScoreResponse) -> serde_json::Value {
    let matches: Vec<_> = response
        .matches
        .iter()
        .map(|m| {
            json!({
                "claim_id": m.claim_id,
                "partner": m.partner,
                "verdict": enum_name(m.verdict, |v: pb::Verdict| v.as_str_name()),
                "rating_text": m.rating_text,
                "claim_text": m.claim_text,
                "review_url": m.review_url,
                "confidence": m.confidence,
                "level": enum_name(m.level, |l: pb::MatchLevel| l.as_str_name()),
                "excerpt": m.excerpt,
                "matched_terms": m.matched_terms,
                "meaning_cosine": m.meaning_cosine,
                "start_ms": m.start_ms,
                "end_ms": m.end_ms,
                "stance": enum_name(m.stance, |s: pb::Stance| s.as_str_name()),
                "stance_cues": m.stance_cues,
                "also_said": m.also_said.iter().map(|s| json!({
                    "start_ms": s.start_ms,
                    "end_ms": s.end_ms,
                    "confidence": s.confidence,
                    "level": enum_name(s.level, |l: pb::MatchLevel| l.as_str_name()),
                })).collect::<Vec<_>>(),
                "hit_id": m.hit_id,
                "also_checked_by": m.also_checked_by.iter().map(|c| json!({
                    "claim_id": c.claim_id,
                    "partner": c.partner,
                    "verdict": enum_name(c.verdict, |v: pb::Verdict| v.as_str_name()),
                    "rating_text": c.rating_text,
                    "review_url": c.review_url,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "request_id": response.request_id,
        "video_id": response.video_id,
        "decision": enum_name(response.decision, |d: pb::Decision| d.as_str_name()),
        "confidence": response.confidence,
        "language": response.language,
        "min_confidence": response.min_confidence,
        "matches": matches,
    })
}

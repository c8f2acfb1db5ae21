//! `claimsignal eval-videos`: claims said inside short videos.

use std::path::PathBuf;

use crate::eval::videos::{VideoRow, VideosReport};
use crate::matcher::{Level, MatchConfig, Matcher};

/// Arguments of `eval-videos`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal eval-videos --claims ../shared/eval/multilingual-dev/claims.jsonl --videos ../shared/eval/multilingual-dev/videos.tsv --negatives ../shared/eval/multilingual-dev/negatives.jsonl"
)]
pub struct EvalVideosArgs {
    /// Claims (JSON Lines).
    #[arg(long)]
    pub claims: PathBuf,
    /// The labelled videos: `file<TAB>claim<TAB>start_ms<TAB>end_ms` (`-`
    /// for a video repeating nothing), the files under `videos/` beside it.
    #[arg(long)]
    pub videos: PathBuf,
    /// Captions that repeat no claim, sent five to a clip (one 8-second
    /// cue each): joining unrelated cues should raise no match.
    #[arg(long)]
    pub negatives: Option<PathBuf>,
    /// Match by words only (`semantic = false`).
    #[arg(long)]
    pub words_only: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `eval-videos` and prints its report.
pub async fn eval_videos(args: EvalVideosArgs) -> anyhow::Result<i32> {
    let config = MatchConfig::default();
    let config = MatchConfig {
        semantic: config.semantic && !args.words_only,
        ..config
    };
    let meaning = config.semantic;
    let matcher = Matcher::from_config(config)?;
    let report = tokio::task::spawn_blocking(move || {
        let (store, index) = crate::eval::data::build_index(&args.claims)?;
        let matcher = if meaning {
            crate::eval::run::semantic_matcher(&matcher, &store)?
        } else {
            matcher
        };
        crate::eval::videos::run(
            &matcher,
            (&store, &index),
            &args.videos,
            args.negatives.as_deref(),
        )
    })
    .await??;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    Ok(0)
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Auto => "auto",
        Level::Review => "review",
        Level::None => "none",
    }
}

fn row(video: &VideoRow) -> String {
    let seconds = |ms: u64| ms as f64 / 1000.0;
    let inside = video
        .inside
        .map_or("not found".to_string(), |(c, l, s, e)| {
            format!("{c:.3} {} {:.1}-{:.1} s", level(l), seconds(s), seconds(e))
        });
    let alone = video.alone.map_or("not found".to_string(), |(c, l)| {
        format!("{c:.3} {}", level(l))
    });
    let first = video
        .first
        .as_ref()
        .map_or("nothing".to_string(), |(id, c, l)| {
            format!("{} {c:.3} {}", id.trim_start_matches("eval:"), level(*l))
        });
    format!(
        "{:<14} {:<8} {:<24} {:<14} {:<5} {}\n",
        video.file,
        video
            .claim
            .as_deref()
            .map_or("-", |c| c.trim_start_matches("eval:")),
        inside,
        alone,
        video.rank.map_or("-".to_string(), |r| r.to_string()),
        first
    )
}

fn render(report: &VideosReport) -> String {
    let mut out = format!(
        "{:<14} {:<8} {:<24} {:<14} {:<5} {}\n",
        "video", "claim", "inside (span)", "alone", "rank", "first match"
    );
    for video in &report.videos {
        out.push_str(&row(video));
    }
    out.push_str(&format!(
        "claims first   {} of {} videos\n\
         as sure inside {} of {} claims found alone at review or above (within 0.05)\n\
         clean videos   {} of {} with nothing at review or above\n",
        report.claim_first,
        report.with_claim,
        report.as_sure_as_alone,
        report.found_alone,
        report.clean_kept,
        report.clean,
    ));
    if report.clips > 0 {
        out.push_str(&format!(
            "negative clips {} clips of five captions: {} at review or above, {} at auto\n",
            report.clips, report.clips_review, report.clips_auto
        ));
    }
    out
}

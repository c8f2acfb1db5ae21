//! `claimsignal hits`: every hit passing a filter, as JSON Lines, CSV or
//! a reviewer's table; or one hit with its review history.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::ValueEnum;
use serde_json::json;

use super::client::{ClientArgs, authed, channel, enum_name, explain};
use super::reports::{FilterArgs, filter};
use crate::proto::v1 as pb;
use crate::proto::v1::reports_client::ReportsClient;
use crate::server::convert;

/// Arguments of `hits`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal hits --from 2022-08-01 --to 2022-11-01 --outcome confirmed --format csv > hits.csv"
)]
pub struct HitsArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Which hits.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: HitsFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Show this hit with its claim, fact-check and every review it had
    /// (as `claimsignal hit ID`).
    #[arg(long, value_name = "ID")]
    pub history: Option<String>,
}

/// Formats `hits` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HitsFormat {
    /// One JSON object per hit.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A reviewer's table: id, video, span, level, outcome, action, stance,
    /// verdict, claim, excerpt and fact-check URL, one line per hit.
    Table,
}

fn name_of<E: TryFrom<i32>>(value: i32, name: impl Fn(E) -> &'static str, prefix: &str) -> String {
    enum_name(value, name)
        .trim_start_matches(prefix)
        .to_ascii_lowercase()
}

pub(super) fn rfc3339(ts: &Option<prost_types::Timestamp>) -> String {
    ts.as_ref()
        .and_then(|t| convert::from_timestamp(t, "time").ok())
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// The columns of a hit, as (name, value) pairs, for JSON and CSV alike.
fn hit_fields(hit: &pb::Hit) -> Vec<(&'static str, serde_json::Value)> {
    let review = hit.review.clone().unwrap_or_default();
    let reviewed = hit.review.is_some();
    vec![
        ("id", json!(hit.id)),
        ("video_id", json!(hit.video_id)),
        ("claim_id", json!(hit.claim_id)),
        ("claim_text", json!(hit.claim_text)),
        ("review_url", json!(hit.review_url)),
        ("partner", json!(hit.partner)),
        (
            "verdict",
            json!(name_of(
                hit.verdict,
                |v: pb::Verdict| v.as_str_name(),
                "VERDICT_"
            )),
        ),
        ("market", json!(hit.market)),
        ("language", json!(hit.language)),
        (
            "source",
            json!(name_of(
                hit.source,
                |s: pb::ContentSource| s.as_str_name(),
                "CONTENT_SOURCE_"
            )),
        ),
        ("confidence", json!(hit.confidence)),
        (
            "level",
            json!(name_of(
                hit.level,
                |l: pb::MatchLevel| l.as_str_name(),
                "MATCH_LEVEL_"
            )),
        ),
        ("start_ms", json!(hit.start_ms)),
        ("end_ms", json!(hit.end_ms)),
        ("excerpt", json!(hit.excerpt)),
        ("matched_terms", json!(hit.matched_terms.join("|"))),
        ("meaning_cosine", json!(hit.meaning_cosine)),
        ("observed_at", json!(rfc3339(&hit.observed_at))),
        ("first_logged_at", json!(rfc3339(&hit.first_logged_at))),
        ("last_seen_at", json!(rfc3339(&hit.last_seen_at))),
        ("times_seen", json!(hit.times_seen)),
        ("view_count", json!(hit.view_count)),
        ("elections", json!(hit.elections.join("|"))),
        ("topic", json!(hit.topic)),
        (
            "stance",
            json!(name_of(
                hit.stance,
                |s: pb::Stance| s.as_str_name(),
                "STANCE_"
            )),
        ),
        (
            "review_outcome",
            json!(if reviewed {
                name_of(
                    review.outcome,
                    |o: pb::ReviewOutcome| o.as_str_name(),
                    "REVIEW_OUTCOME_",
                )
            } else {
                "pending".into()
            }),
        ),
        (
            "review_action",
            json!(if reviewed {
                name_of(
                    review.action,
                    |a: pb::ReviewAction| a.as_str_name(),
                    "REVIEW_ACTION_",
                )
            } else {
                String::new()
            }),
        ),
        ("reviewer", json!(review.reviewer)),
        ("review_note", json!(review.note)),
        ("reviewed_at", json!(rfc3339(&review.reviewed_at))),
    ]
}

pub(super) fn hit_json(hit: &pb::Hit) -> serde_json::Value {
    serde_json::Value::Object(
        hit_fields(hit)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

pub(super) fn output(out: &Option<std::path::PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// Streams every hit passing the filter, with its latest review.
pub async fn hits(args: HitsArgs) -> anyhow::Result<i32> {
    if let Some(id) = args.history {
        return super::review::show(super::review::ShowHitArgs {
            client: args.client,
            id,
        })
        .await;
    }
    let mut client = ReportsClient::new(channel(&args.client).await?);
    let mut stream = client
        .export_hits(authed(pb::ExportHitsRequest {
            filter: Some(filter(&args.filter)?),
        }))
        .await
        .map_err(|status| anyhow::anyhow!(explain(&status)))?
        .into_inner();
    let mut out = output(&args.out)?;
    match args.format {
        HitsFormat::Jsonl => {
            while let Some(hit) = stream.message().await? {
                writeln!(out, "{}", hit_json(&hit))?;
            }
            out.flush()?;
        }
        HitsFormat::Csv => {
            // Rows go out as they arrive: memory stays flat for millions of hits.
            let mut writer = csv::Writer::from_writer(out);
            let mut header_written = false;
            while let Some(hit) = stream.message().await? {
                let fields = hit_fields(&hit);
                if !header_written {
                    writer.write_record(fields.iter().map(|(k, _)| *k))?;
                    header_written = true;
                }
                writer.write_record(fields.iter().map(|(_, v)| match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                }))?;
            }
            writer.flush()?;
        }
        HitsFormat::Table => {
            writeln!(out, "{}", table_line(&TABLE_HEADER.map(String::from)))?;
            while let Some(hit) = stream.message().await? {
                writeln!(out, "{}", table_line(&table_cells(&hit)))?;
            }
            out.flush()?;
        }
    }
    Ok(0)
}

const TABLE_HEADER: [&str; 11] = [
    "id",
    "video",
    "span",
    "level",
    "outcome",
    "action",
    "stance",
    "verdict",
    "claim",
    "excerpt",
    "fact-check",
];

/// Column widths of the reviewer's table (the last column is not cut):
/// fixed, so rows print as they arrive.
const TABLE_WIDTHS: [usize; 10] = [6, 16, 11, 6, 9, 8, 8, 12, 44, 44];

/// `ms` as m:ss.
fn clock(ms: u64) -> String {
    format!("{}:{:02}", ms / 60_000, (ms / 1000) % 60)
}

fn table_cells(hit: &pb::Hit) -> [String; 11] {
    let fields: std::collections::HashMap<&str, serde_json::Value> =
        hit_fields(hit).into_iter().collect();
    let text = |key: &str| match &fields[key] {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    [
        hit.id.clone(),
        hit.video_id.clone(),
        format!("{}-{}", clock(hit.start_ms), clock(hit.end_ms)),
        text("level"),
        text("review_outcome"),
        text("review_action"),
        text("stance"),
        text("verdict"),
        crate::text::squash_whitespace(&hit.claim_text),
        crate::text::squash_whitespace(&hit.excerpt),
        hit.review_url.clone(),
    ]
}

/// One line of the reviewer's table: each cell padded or cut to its width
/// (cut text ends in "…").
fn table_line(cells: &[String; 11]) -> String {
    let mut line = String::new();
    for (cell, width) in cells.iter().zip(TABLE_WIDTHS) {
        let chars = cell.chars().count();
        let shown: String = if chars > width {
            cell.chars().take(width - 1).chain(['…']).collect()
        } else {
            cell.clone()
        };
        line.push_str(&shown);
        line.push_str(&" ".repeat(width.saturating_sub(shown.chars().count()) + 2));
    }
    line.push_str(&cells[10]);
    line.trim_end().to_string()
}

//! `claimsignal review`, `hits` and `report`: the reviewer's and the
//! reporter's commands, over the Reports service.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::ValueEnum;
use serde_json::json;

use super::client::{ClientArgs, authed, channel, enum_name, explain, print_stdout};
use crate::claims::Verdict;
use crate::proto::v1 as pb;
use crate::proto::v1::reports_client::ReportsClient;
use crate::report::GroupBy;
use crate::report::locale::Locale;
use crate::report::render::{self, ReportInput};
use crate::server::convert::reports::{group_to_proto, summary_from_proto};
use crate::server::convert::{self, level_to_proto, source_to_proto, timestamp, verdict_to_proto};
use crate::text::parse_date;
use crate::vocab::{ContentSource, Level, Stance};

/// Which hits a command covers.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Observed at or after (RFC 3339 or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Observed before (RFC 3339 or YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Markets (repeatable).
    #[arg(long = "market")]
    pub markets: Vec<String>,
    /// Partners (repeatable).
    #[arg(long = "partner")]
    pub partners: Vec<String>,
    /// Elections (repeatable).
    #[arg(long = "election")]
    pub elections: Vec<String>,
    /// Content languages (repeatable).
    #[arg(long = "language")]
    pub languages: Vec<String>,
    /// Verdicts, e.g. false, misleading (repeatable).
    #[arg(long = "verdict")]
    pub verdicts: Vec<String>,
    /// Levels: review, auto (repeatable).
    #[arg(long = "level")]
    pub levels: Vec<String>,
    /// Review states: pending, confirmed, rejected (repeatable).
    #[arg(long = "outcome")]
    pub outcomes: Vec<String>,
    /// Sources: caption, speech_transcript, ocr, description (repeatable).
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// Videos (repeatable).
    #[arg(long = "video")]
    pub videos: Vec<String>,
    /// Claims (repeatable).
    #[arg(long = "claim")]
    pub claims: Vec<String>,
    /// Stances: repeats, refutes, unclear (repeatable).
    #[arg(long = "stance")]
    pub stances: Vec<String>,
    /// Claim topics, e.g. voting_machines (repeatable).
    #[arg(long = "topic")]
    pub topics: Vec<String>,
}

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

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal report --from 2022-08-01 --to 2022-11-01 --market BR --format html --out integrity.html"
)]
pub struct ReportArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Which hits.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Group by (comma-separated): market, partner, verdict, language,
    /// source, claim, level, month, election, outcome, action, day, week.
    #[arg(long, value_delimiter = ',', default_value = "market")]
    pub group_by: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Claims repeated most to list.
    #[arg(long, default_value_t = 10)]
    pub top: u32,
    /// Language of the md, html and figures formats: en, pt, es, id.
    #[arg(long, default_value = "en")]
    pub locale: String,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Formats `report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned text table.
    Table,
    /// RFC 4180 CSV, one row per group.
    Csv,
    /// JSON: with --from and --to, every figure of the report and the
    /// previous period's too.
    Json,
    /// The report in Markdown.
    Md,
    /// The report as an HTML page with charts, printable to PDF.
    Html,
    /// The key figures as CSV, with the previous period's.
    Figures,
}

fn time(text: &Option<String>, flag: &str) -> anyhow::Result<Option<prost_types::Timestamp>> {
    text.as_deref()
        .map(|t| {
            parse_date(t)
                .map(timestamp)
                .with_context(|| format!("{flag} {t:?} is not a date (RFC 3339 or YYYY-MM-DD)"))
        })
        .transpose()
}

fn named<T>(
    values: &[String],
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<Vec<T>> {
    values
        .iter()
        .map(|v| parse(v.trim()).with_context(|| format!("{v:?} is not a {what}")))
        .collect()
}

/// Returns the proto filter of the command line's filter flags.
fn filter(args: &FilterArgs) -> anyhow::Result<pb::HitFilter> {
    Ok(pb::HitFilter {
        from: time(&args.from, "--from")?,
        to: time(&args.to, "--to")?,
        markets: args.markets.clone(),
        partners: args.partners.clone(),
        elections: args.elections.clone(),
        languages: args.languages.clone(),
        verdicts: named(&args.verdicts, "verdict", Verdict::from_name)?
            .into_iter()
            .map(|v| verdict_to_proto(v) as i32)
            .collect(),
        levels: named(&args.levels, "level", Level::from_name)?
            .into_iter()
            .map(|l| level_to_proto(l) as i32)
            .collect(),
        sources: named(&args.sources, "source", ContentSource::from_name)?
            .into_iter()
            .map(|s| source_to_proto(s) as i32)
            .collect(),
        outcomes: named(
            &args.outcomes,
            "review state (pending, confirmed, rejected)",
            |o| match o {
                "pending" => Some(pb::ReviewOutcome::Pending as i32),
                "confirmed" => Some(pb::ReviewOutcome::Confirmed as i32),
                "rejected" => Some(pb::ReviewOutcome::Rejected as i32),
                _ => None,
            },
        )?,
        video_ids: args.videos.clone(),
        claim_ids: args.claims.clone(),
        stances: named(&args.stances, "stance (repeats, refutes, unclear)", |s| {
            Stance::from_name(s).map(|s| crate::server::convert::stance_to_proto(s) as i32)
        })?,
        topics: args
            .topics
            .iter()
            .map(|t| {
                crate::claims::topic::named(t).map_or_else(|| t.trim().to_string(), str::to_string)
            })
            .collect(),
    })
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

fn output(out: &Option<std::path::PathBuf>) -> anyhow::Result<Box<dyn Write>> {
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

/// Prints or writes the counts for a period.
pub async fn report(args: ReportArgs) -> anyhow::Result<i32> {
    let groups: Vec<GroupBy> = args
        .group_by
        .iter()
        .filter(|g| !g.trim().is_empty())
        .map(|g| {
            GroupBy::from_name(g.trim()).with_context(|| {
                let valid: Vec<&str> = GroupBy::ALL.iter().map(|g| g.as_str()).collect();
                format!("{g:?} is not a grouping; group by {}", valid.join(", "))
            })
        })
        .collect::<anyhow::Result<_>>()?;
    if groups.len() > 4 {
        bail!("group by at most 4 dimensions");
    }
    let hit_filter = filter(&args.filter)?;
    let mut client = ReportsClient::new(channel(&args.client).await?);
    let locale = Locale::from_tag(&args.locale).with_context(|| {
        format!(
            "--locale {:?} is not a report language; use en, pt, es or id",
            args.locale
        )
    })?;
    // A summary of the filter, or of the same filter over another period.
    type Period = Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>;
    let mut summarize =
        async |groups: &[GroupBy], period: Period| -> anyhow::Result<crate::report::Summary> {
            let mut filter = hit_filter.clone();
            if let Some((from, to)) = period {
                filter.from = Some(timestamp(from));
                filter.to = Some(timestamp(to));
            }
            let request = pb::SummarizeRequest {
                filter: Some(filter),
                group_by: groups.iter().map(|g| group_to_proto(*g) as i32).collect(),
                top_claims: args.top,
            };
            Ok(summary_from_proto(
                client
                    .summarize(authed(request))
                    .await
                    .map_err(|status| anyhow::anyhow!(explain(&status)))?
                    .into_inner(),
            ))
        };
    let summary = summarize(&groups, None).await?;
    let text = match args.format {
        ReportFormat::Table => render::table(&summary, &groups),
        ReportFormat::Csv => render::csv(&summary, &groups),
        ReportFormat::Json | ReportFormat::Md | ReportFormat::Html | ReportFormat::Figures => {
            let (from, to) = (
                args.filter.from.as_deref().and_then(parse_date),
                args.filter.to.as_deref().and_then(parse_date),
            );
            let previous = match ReportInput::previous_period(from, to) {
                Some(period) => Some(summarize(&groups, Some(period)).await?),
                None => None,
            };
            let input = ReportInput {
                from,
                to,
                markets: hit_filter.markets.clone(),
                groups: groups.clone(),
                by_market_month: summarize(&[GroupBy::Market, GroupBy::Month], None).await?,
                by_market_outcome: summarize(&[GroupBy::Market, GroupBy::Outcome], None).await?,
                by_topic: summarize(&[GroupBy::Topic], None).await?,
                summary,
                previous,
                locale,
                generated_at: chrono::Utc::now(),
            };
            match args.format {
                ReportFormat::Json => render::report_json(&input),
                ReportFormat::Md => render::markdown(&input),
                ReportFormat::Figures => render::figures_csv(&input),
                _ => crate::report::html::html(&input),
            }
        }
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print_stdout(text.trim_end())?,
    }
    Ok(0)
}

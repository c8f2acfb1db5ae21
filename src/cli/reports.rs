//! `claimsignal report`, and the hit filter flags `hits` shares: the
//! reporter's command, over the Reports service.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::ValueEnum;

use super::client::{ClientArgs, authed, channel, explain, print_stdout};
use crate::claims::Verdict;
use crate::proto::v1 as pb;
use crate::proto::v1::reports_client::ReportsClient;
use crate::report::GroupBy;
use crate::report::locale::Locale;
use crate::report::render::{self, ReportInput};
use crate::server::convert::reports::{group_to_proto, summary_from_proto};
use crate::server::convert::{level_to_proto, source_to_proto, timestamp, verdict_to_proto};
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
    /// Only hits found by meaning alone (no claim word in the excerpt):
    /// retellings in other words or another language.
    #[arg(long)]
    pub by_meaning_alone: bool,
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
pub(super) fn filter(args: &FilterArgs) -> anyhow::Result<pb::HitFilter> {
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
        by_meaning_alone: args.by_meaning_alone,
    })
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
                filter: crate::server::convert::reports::hit_filter(Some(hit_filter.clone()))?,
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
                ReportFormat::Json => crate::report::page::report_json(&input),
                ReportFormat::Md => crate::report::page::markdown(&input),
                ReportFormat::Figures => crate::report::page::figures_csv(&input),
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

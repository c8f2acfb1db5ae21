//! `claimsignal load` and `claimsignal retract`: a partner's claims sent to
//! a running server.

use std::path::PathBuf;

use anyhow::Context;
use clap::ValueEnum;
use serde_json::json;

use super::client::{ClientArgs, MAX_RESPONSE_BYTES, authed, channel, explain};
use crate::proto::v1 as pb;
use crate::proto::v1::claims_client::ClaimsClient;
use crate::text::parse_date;

/// Bytes per `LoadClaims` chunk.
const CHUNK_BYTES: usize = 256 * 1024;

/// Arguments of `load`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal load --partner aosfatos --market BR --valid-from 2022-08-16 --valid-until 2022-11-01 feed.json"
)]
pub struct LoadArgs {
    /// The partner that owns the claims (a partner token implies its own;
    /// an admin token names one).
    #[arg(long)]
    pub partner: Option<String>,
    #[command(flatten)]
    pub client: ClientArgs,
    /// Language for records without one (else detected).
    #[arg(long)]
    pub language: Option<String>,
    /// Markets for records without any (repeatable).
    #[arg(long = "market")]
    pub markets: Vec<String>,
    /// Elections for records without any (repeatable).
    #[arg(long = "election")]
    pub elections: Vec<String>,
    /// Start of the validity window for records without one (RFC 3339 or YYYY-MM-DD).
    #[arg(long)]
    pub valid_from: Option<String>,
    /// End of the validity window for records without one.
    #[arg(long)]
    pub valid_until: Option<String>,
    /// File format; detected from the content when absent.
    #[arg(long, value_enum)]
    pub format: Option<LoadFormat>,
    /// Retract the partner's claims the file no longer holds.
    #[arg(long)]
    pub replace: bool,
    /// Take markets, elections and validity windows as the file says them,
    /// empty included (else a record that leaves one unsaid keeps the
    /// stored claim's: a reload never widens a claim by omission).
    #[arg(long)]
    pub replace_metadata: bool,
    /// Report what the load would do (with --report, each update's changed
    /// fields), writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Exit 0 even when records were refused (by default a load with
    /// refused records exits 2, so a partner's script notices).
    #[arg(long)]
    pub allow_refused: bool,
    /// Write every record's outcome to this file (JSON Lines).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Files to load: JSON Lines, ClaimReview JSON-LD, HTML pages, Fact
    /// Check Tools responses or CSV.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Formats `load` sends.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LoadFormat {
    /// One JSON claim per line.
    Jsonl,
    /// schema.org ClaimReview JSON-LD (object, array, @graph, DataFeed).
    ClaimReview,
    /// HTML pages with ld+json blocks.
    Html,
    /// Google Fact Check Tools claims:search responses.
    FactCheckTools,
    /// CSV with a header row.
    Csv,
}

/// Arguments of `retract`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  claimsignal retract aosfatos:urnas-1")]
pub struct RetractArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Claim ids.
    #[arg(required = true)]
    pub ids: Vec<String>,
}

/// Loads each file; prints a summary per file and every refused record.
pub async fn load(args: LoadArgs) -> anyhow::Result<i32> {
    let mut client = ClaimsClient::new(channel(&args.client).await?)
        .max_decoding_message_size(MAX_RESPONSE_BYTES);
    let mut failed = false;
    let mut refused = 0u64;
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let header = pb::LoadHeader {
            partner: args.partner.clone().unwrap_or_default(),
            format: match args.format {
                None => pb::ClaimFormat::Unspecified,
                Some(LoadFormat::Jsonl) => pb::ClaimFormat::Jsonl,
                Some(LoadFormat::ClaimReview) => pb::ClaimFormat::ClaimReview,
                Some(LoadFormat::Html) => pb::ClaimFormat::Html,
                Some(LoadFormat::FactCheckTools) => pb::ClaimFormat::FactCheckTools,
                Some(LoadFormat::Csv) => pb::ClaimFormat::Csv,
            } as i32,
            default_language: args.language.clone().unwrap_or_default(),
            markets: args.markets.clone(),
            elections: args.elections.clone(),
            valid_from: window_bound(args.valid_from.as_deref(), "--valid-from")?,
            valid_until: window_bound(args.valid_until.as_deref(), "--valid-until")?,
            source_name: path.display().to_string(),
            replace: args.replace,
            // The per-record report file needs every record's outcome.
            every_record: args.report.is_some(),
            replace_metadata: args.replace_metadata,
            dry_run: args.dry_run,
        };
        let mut messages = vec![pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        }];
        messages.extend(
            bytes
                .chunks(CHUNK_BYTES)
                .map(|chunk| pb::LoadClaimsRequest {
                    item: Some(pb::load_claims_request::Item::Chunk(chunk.to_vec())),
                }),
        );
        let report = match client
            .load_claims(authed(tokio_stream::iter(messages)))
            .await
        {
            Ok(response) => response.into_inner(),
            Err(status) => {
                eprintln!("{}: {}", path.display(), explain(&status));
                failed = true;
                continue;
            }
        };
        println!(
            "{}{}: inserted {}, updated {}, unchanged {}, retracted {}, rejected {}, warnings {}",
            if args.dry_run {
                "dry run, nothing written: "
            } else {
                ""
            },
            path.display(),
            report.inserted,
            report.updated,
            report.unchanged,
            report.retracted,
            report.rejected,
            report.warned
        );
        refused += report.rejected;
        if let Some(out) = &args.report {
            write_report(out, path, &report)?;
        }
        for rejection in &report.rejections {
            let id = if rejection.claim_id.is_empty() {
                String::new()
            } else {
                format!(" ({})", rejection.claim_id)
            };
            eprintln!("  {}{id}: {}", rejection.position, rejection.reason);
        }
        for warning in &report.warnings {
            eprintln!(
                "  warning: {} ({}): {}",
                warning.position, warning.claim_id, warning.message
            );
        }
        if report.warned > report.warnings.len() as u64 {
            eprintln!(
                "  ... and {} more warnings",
                report.warned - report.warnings.len() as u64
            );
        }
        if report.rejections_omitted > 0 {
            eprintln!(
                "  ... and {} more refused records (pass --report FILE to list every record)",
                report.rejections_omitted
            );
        }
    }
    Ok(if failed {
        1
    } else if refused > 0 && !args.allow_refused {
        eprintln!(
            "{refused} records refused; the others are loaded (pass --allow-refused to exit 0 on refusals)"
        );
        2
    } else {
        0
    })
}

fn window_bound(text: Option<&str>, flag: &str) -> anyhow::Result<Option<prost_types::Timestamp>> {
    text.map(|text| {
        parse_date(text)
            .map(crate::server::convert::timestamp)
            .with_context(|| format!("{flag} {text:?} is not a date (RFC 3339 or YYYY-MM-DD)"))
    })
    .transpose()
}

/// Appends one JSON line per record to `out`.
fn write_report(
    out: &std::path::Path,
    file: &std::path::Path,
    report: &pb::LoadClaimsResponse,
) -> anyhow::Result<()> {
    use std::io::Write;
    let mut writer = std::io::BufWriter::new(
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)
            .with_context(|| format!("cannot write {}", out.display()))?,
    );
    for record in &report.records {
        let status =
            pb::RecordStatus::try_from(record.status).map_or("unknown", |s| s.as_str_name());
        let line = json!({
            "file": file.display().to_string(),
            "position": record.position,
            "line": record.line,
            "claim_id": record.claim_id,
            "status": status.trim_start_matches("RECORD_STATUS_").to_ascii_lowercase(),
            "reason": record.reason,
            "changed": record.changed,
        });
        writeln!(writer, "{line}")?;
    }
    writer.flush()?;
    Ok(())
}

/// Retracts each claim id; prints what happened to each.
pub async fn retract(args: RetractArgs) -> anyhow::Result<i32> {
    let mut client = ClaimsClient::new(channel(&args.client).await?);
    let mut failed = false;
    for id in args.ids {
        match client
            .retract_claim(authed(pb::RetractClaimRequest {
                id: id.clone(),
                reason: String::new(),
            }))
            .await
        {
            Ok(response) if response.get_ref().changed => println!("{id}: retracted"),
            Ok(_) => println!("{id}: already retracted"),
            Err(status) => {
                eprintln!("{id}: {}", explain(&status));
                failed = true;
            }
        }
    }
    Ok(if failed { 1 } else { 0 })
}

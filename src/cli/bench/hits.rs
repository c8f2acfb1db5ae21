//! `claimsignal bench-hits`: durable hit logging (group commit) and
//! summaries over many hits.

use std::sync::Arc;
use std::time::Instant;

use anyhow::bail;

/// Arguments of `bench-hits`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  claimsignal bench-hits --count 1000000 --concurrency 64")]
pub struct BenchHitsArgs {
    /// Hits to log.
    #[arg(long, default_value_t = 1_000_000)]
    pub count: usize,
    /// Concurrent callers, each logging one hit per call as `Score` does.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
}

/// Logs synthetic hits from concurrent callers into a fresh hit store,
/// then summarises them as a half-year report would.
pub async fn bench_hits(args: BenchHitsArgs) -> anyhow::Result<i32> {
    use crate::claims::Verdict;
    use crate::hits::{HitFilter, HitStore, NewHit};
    use crate::report::GroupBy;
    use crate::vocab::{ContentSource, Level};

    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    let temp = tempfile::Builder::new()
        .prefix("claimsignal-bench-hits-")
        .tempdir()?;
    let store = Arc::new(HitStore::open_in(temp.path())?);
    let markets = ["BR", "MX", "CO", "ID", "AR", "US"];
    // 2022-01-01 plus up to 181 days.
    let start_ms = 1_640_995_200_000i64;
    let hit = move |i: usize| NewHit {
        video_id: format!("video-{}", i / 2),
        claim_id: format!("claim-{}", i % 5_000),
        partner: format!("partner-{}", i % 7),
        verdict: Verdict::ALL[i % Verdict::ALL.len()],
        market: markets[i % markets.len()].to_string(),
        language: "pt".into(),
        source: ContentSource::Caption,
        confidence: 0.75,
        level: if i.is_multiple_of(3) {
            Level::Auto
        } else {
            Level::Review
        },
        start_ms: 1_000,
        end_ms: 9_000,
        excerpt: "as urnas eletrônicas foram programadas para transferir votos".into(),
        observed_at: chrono::DateTime::from_timestamp_millis(
            start_ms + (i as i64 * 7_919_000) % (181 * 86_400_000),
        )
        .unwrap_or_default(),
        view_count: (i as u64 * 31) % 100_000,
        elections: vec!["br-2022".into()],
        also_claim_ids: Vec::new(),
        stance: Default::default(),
        topic: crate::claims::topic::TOPICS[i % crate::claims::topic::TOPICS.len()].to_string(),
        matched_terms: vec!["urnas".into(), "votos".into()],
        meaning: None,
    };
    let started = Instant::now();
    let mut callers = Vec::new();
    for caller in 0..args.concurrency {
        let store = store.clone();
        let count = args.count;
        let concurrency = args.concurrency;
        callers.push(tokio::spawn(async move {
            let mut i = caller;
            while i < count {
                store.log(vec![hit(i)]).await?;
                i += concurrency;
            }
            anyhow::Ok(())
        }));
    }
    for caller in callers {
        caller.await??;
    }
    let log_seconds = started.elapsed().as_secs_f64();
    let summary_store = store.clone();
    let (summary, summary_seconds) = tokio::task::spawn_blocking(move || {
        let filter = HitFilter {
            from: chrono::DateTime::from_timestamp_millis(start_ms),
            to: chrono::DateTime::from_timestamp_millis(start_ms + 181 * 86_400_000),
            ..HitFilter::default()
        };
        let started = Instant::now();
        let summary = crate::report::summarize(
            &summary_store,
            &filter,
            &[GroupBy::Market, GroupBy::Month],
            10,
        );
        (summary, started.elapsed().as_secs_f64())
    })
    .await?;
    let summary = summary?;
    println!(
        "logged         {} hits in {:.1} s: {:.0} hits/s durable ({} concurrent callers, one hit per call)\n\
         summarized     {} hits into {} rows (market x month) in {:.2} s",
        args.count,
        log_seconds,
        args.count as f64 / log_seconds.max(1e-9),
        args.concurrency,
        summary.totals.hits,
        summary.rows.len(),
        summary_seconds,
    );
    Ok(0)
}

//! `claimsignal bench`: how many videos a second, and at what tail latency.
//!
//! Loads a claim file into a server (started here on a temporary data
//! directory unless `--server` names one), drives it with concurrent
//! clients over `Score` or `ScoreStream`, and compares with the same
//! pipeline run in-process on both cores without gRPC.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Serialize;
use tokio::sync::oneshot;

use super::BenchArgs;
use crate::config::Config;
use crate::engine::Engine;
use crate::eval::data::{self, Query};
use crate::matcher::{Content, Matcher, Scope};
use crate::proto::v1 as pb;
use crate::proto::v1::claims_client::ClaimsClient;
use crate::proto::v1::matcher_client::MatcherClient;

/// What a run measured.
#[derive(Debug, Default, Serialize)]
pub struct BenchReport {
    /// Claims loaded.
    pub claims: u64,
    /// Seconds the load took.
    pub load_seconds: f64,
    /// Claims loaded per second.
    pub load_claims_per_second: f64,
    /// Score requests sent.
    pub requests: usize,
    /// Requests that failed.
    pub errors: usize,
    /// Hits logged (durably, before the answer).
    pub hits_logged: usize,
    /// Requests answered per second over gRPC.
    pub requests_per_second: f64,
    /// Latency percentiles in milliseconds.
    pub latency_ms: Percentiles,
    /// Queries per second of the same pipeline in-process, two threads.
    pub in_process_per_second: f64,
    /// gRPC throughput over in-process throughput.
    pub grpc_to_in_process: f64,
    /// Peak resident memory of this process (the server when started
    /// here), in MiB.
    pub peak_rss_mib: f64,
    /// Size of the data directory, in MiB, when started here.
    pub data_dir_mib: f64,
}

/// Latency percentiles.
#[derive(Debug, Default, Serialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 95th.
    pub p95: f64,
    /// 99th.
    pub p99: f64,
    /// Worst.
    pub max: f64,
}

fn percentiles(mut samples: Vec<Duration>) -> Percentiles {
    samples.sort();
    let at = |q: f64| {
        samples
            .get(((samples.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Percentiles {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        max: at(1.0),
    }
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn dir_mib(dir: &std::path::Path) -> f64 {
    fn size(path: &std::path::Path) -> u64 {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => std::fs::read_dir(path)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|e| size(&e.path()))
                        .sum()
                })
                .unwrap_or(0),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        }
    }
    size(dir) as f64 / (1024.0 * 1024.0)
}

fn request(query: &Query, i: usize) -> pb::ScoreRequest {
    pb::ScoreRequest {
        request_id: i.to_string(),
        video_id: format!("bench-{}", query.id),
        language: query.lang.clone(),
        content: Some(pb::score_request::Content::Text(query.text.clone())),
        ..Default::default()
    }
}

/// Runs the benchmark and prints its report.
pub async fn bench(args: BenchArgs) -> anyhow::Result<i32> {
    if args.concurrency == 0 || args.requests == 0 {
        bail!("--concurrency and --requests must be at least 1");
    }
    let queries = Arc::new(data::read_queries(&args.queries)?);
    if queries.is_empty() {
        bail!("{} holds no query", args.queries.display());
    }
    let temp = tempfile::Builder::new()
        .prefix("claimsignal-bench-")
        .tempdir()?;
    let mut stop_tx = None;
    let mut server_task = None;
    let url = match &args.server {
        Some(url) => url.clone(),
        None => {
            let config = Config {
                data_dir: temp.path().to_path_buf(),
                ..Config::default()
            };
            let engine = tokio::task::spawn_blocking(move || Engine::open(config)).await??;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            let (tx, rx) = oneshot::channel::<()>();
            stop_tx = Some(tx);
            server_task = Some(tokio::spawn(crate::server::run(
                listener,
                Arc::new(engine),
                async {
                    let _ = rx.await;
                },
            )));
            format!("http://{addr}")
        }
    };
    let channel = super::client::channel(&url).await?;
    let mut report = BenchReport::default();

    let bytes = std::fs::read(&args.claims)
        .with_context(|| format!("cannot read {}", args.claims.display()))?;
    let started = Instant::now();
    let header = pb::LoadHeader {
        partner: "bench".into(),
        ..Default::default()
    };
    let mut messages = vec![pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Header(header)),
    }];
    messages.extend(bytes.chunks(1 << 20).map(|c| pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Chunk(c.to_vec())),
    }));
    let loaded = ClaimsClient::new(channel.clone())
        .load_claims(super::client::authed(tokio_stream::iter(messages)))
        .await?
        .into_inner();
    report.load_seconds = started.elapsed().as_secs_f64();
    report.claims = loaded.inserted + loaded.updated + loaded.unchanged;
    report.load_claims_per_second = report.claims as f64 / report.load_seconds.max(1e-9);

    // Each client sends its share of the requests, cycling through the queries.
    let started = Instant::now();
    let mut clients = Vec::new();
    for client_no in 0..args.concurrency {
        let share = args.requests / args.concurrency
            + usize::from(client_no < args.requests % args.concurrency);
        let queries = queries.clone();
        let mut client = MatcherClient::new(channel.clone());
        let (stream, dry_run) = (args.stream, args.dry_run);
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            let (mut errors, mut hits) = (0usize, 0usize);
            let pick = |k: usize| {
                let i = client_no + k * 7919;
                let mut r = request(&queries[i % queries.len()], i);
                r.dry_run = dry_run;
                r
            };
            if stream {
                let (requests_tx, requests_rx) = tokio::sync::mpsc::channel(64);
                let mut responses = client
                    .score_stream(super::client::authed(
                        tokio_stream::wrappers::ReceiverStream::new(requests_rx),
                    ))
                    .await?
                    .into_inner();
                for k in 0..share {
                    let sent = Instant::now();
                    requests_tx
                        .send(pick(k))
                        .await
                        .map_err(|_| anyhow::anyhow!("stream closed"))?;
                    match responses.message().await? {
                        Some(r) if r.error.is_none() => {
                            hits += r.matches.iter().filter(|m| !m.hit_id.is_empty()).count()
                        }
                        _ => errors += 1,
                    }
                    latencies.push(sent.elapsed());
                }
            } else {
                for k in 0..share {
                    let sent = Instant::now();
                    match client.score(super::client::authed(pick(k))).await {
                        Ok(r) => {
                            hits += r
                                .get_ref()
                                .matches
                                .iter()
                                .filter(|m| !m.hit_id.is_empty())
                                .count()
                        }
                        Err(_) => errors += 1,
                    }
                    latencies.push(sent.elapsed());
                }
            }
            anyhow::Ok((latencies, errors, hits))
        }));
    }
    let mut latencies = Vec::with_capacity(args.requests);
    for client in clients {
        let (mut client_latencies, errors, hits) = client.await??;
        latencies.append(&mut client_latencies);
        report.errors += errors;
        report.hits_logged += hits;
    }
    let elapsed = started.elapsed().as_secs_f64();
    report.requests = latencies.len();
    report.requests_per_second = report.requests as f64 / elapsed.max(1e-9);
    report.latency_ms = percentiles(latencies);

    // The same pipeline in-process, on both cores, over the same queries.
    let claims_path = args.claims.clone();
    let in_process_queries = queries.clone();
    let in_process = tokio::task::spawn_blocking(move || -> anyhow::Result<f64> {
        let (_store, index) = data::build_index(&claims_path)?;
        let matcher = Matcher::default();
        let scope = Scope {
            market: String::new(),
            observed_ms: chrono::Utc::now().timestamp_millis(),
        };
        let rounds = 3;
        let started = Instant::now();
        std::thread::scope(|threads| {
            for part in 0..2 {
                let (index, matcher, queries, scope) =
                    (&index, &matcher, &in_process_queries, &scope);
                threads.spawn(move || {
                    for _ in 0..rounds {
                        for query in queries.iter().skip(part).step_by(2) {
                            if let Ok(prepared) =
                                matcher.prepare(&Content::Text(query.text.clone()), &query.lang)
                            {
                                let _ = matcher.rank_windows(
                                    index,
                                    &prepared.windows,
                                    &prepared.language,
                                    scope,
                                );
                            }
                        }
                    }
                });
            }
        });
        Ok((in_process_queries.len() * rounds) as f64 / started.elapsed().as_secs_f64().max(1e-9))
    })
    .await??;
    report.in_process_per_second = in_process;
    report.grpc_to_in_process = report.requests_per_second / in_process.max(1e-9);
    report.peak_rss_mib = peak_rss_mib();
    if args.server.is_none() {
        report.data_dir_mib = dir_mib(temp.path());
    }
    if let (Some(tx), Some(task)) = (stop_tx, server_task) {
        let _ = tx.send(());
        task.await??;
    }

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "claims         {} loaded in {:.1} s ({:.0} claims/s)\n\
             requests       {} ({} errors, {} hits logged), {} clients over {}\n\
             throughput     {:.0} requests/s over gRPC\n\
             latency        p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n\
             in-process     {:.0} queries/s on 2 threads (ratio gRPC / in-process {:.2})\n\
             memory         peak RSS {:.0} MiB{}",
            report.claims,
            report.load_seconds,
            report.load_claims_per_second,
            report.requests,
            report.errors,
            report.hits_logged,
            args.concurrency,
            if args.stream { "ScoreStream" } else { "Score" },
            report.requests_per_second,
            report.latency_ms.p50,
            report.latency_ms.p95,
            report.latency_ms.p99,
            report.latency_ms.max,
            report.in_process_per_second,
            report.grpc_to_in_process,
            report.peak_rss_mib,
            if args.server.is_none() {
                format!(", data directory {:.0} MiB", report.data_dir_mib)
            } else {
                String::new()
            },
        );
    }
    Ok(if report.errors > 0 { 1 } else { 0 })
}

/// Logs synthetic hits from concurrent callers into a fresh hit store,
/// then summarises them as a half-year report would.
pub async fn bench_hits(args: super::BenchHitsArgs) -> anyhow::Result<i32> {
    use crate::claims::Verdict;
    use crate::hits::{HitFilter, HitStore, NewHit};
    use crate::matcher::{ContentSource, Level};
    use crate::report::GroupBy;

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

//! `claimsignal bench`: how many videos a second, and at what tail latency.
//!
//! Loads a claim file into a server (started here on a temporary data
//! directory unless `--server` names one), drives it with concurrent
//! clients over `Score` or `ScoreStream`, and compares with the same
//! pipeline run in-process on both cores without gRPC and, with
//! `--baseline`, with plain BM25 retrieval on the same inputs.
//!
//! - `corpus`: the claims and the requests.
//! - `clients`: the gRPC clients and their timings.
//! - `local`: the in-process run and the plain BM25 baseline.
//! - `measure`: percentiles, memory, sizes, progress.
//! - `hits`: `bench-hits`, the hit log's writes and summaries.

mod clients;
mod corpus;
pub(super) mod hits;
mod local;
mod measure;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use clients::{BenchClient, Plan, run_client};
use corpus::{Corpus, inputs, load_corpus, local_index};
use indicatif::ProgressBar;
use local::{BaselineReport, baseline, cores, in_process};
use measure::{Percentiles, dir_mib, peak_rss_mib, percentiles, progress};
use serde::Serialize;
use tokio::sync::oneshot;

use crate::app::App;
use crate::config::Config;
use crate::matcher::{Matcher, ScoreInput};

/// Arguments of `bench`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal bench --synthetic 100000 --synthetic-transcripts 1000 --requests 5000 --stream --dry-run"
)]
#[command(group(clap::ArgGroup::new("corpus").required(true).args(["claims", "synthetic"])))]
#[command(group(clap::ArgGroup::new("inputs").required(true).args([
    "queries", "captions", "synthetic_posts", "synthetic_transcripts", "synthetic_mixed",
])))]
pub struct BenchArgs {
    /// Claims to load (any format `load` takes).
    #[arg(long)]
    pub claims: Option<PathBuf>,
    /// Generate this many claims instead (seeded, five languages).
    #[arg(long)]
    pub synthetic: Option<u64>,
    /// Seed of the synthetic claims and inputs.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Queries to score (JSON Lines with `text`, as the evaluation sets).
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// Caption files to score (WebVTT, SRT, Whisper JSON, text), or
    /// directories of them; one request per file.
    #[arg(long, num_args = 1..)]
    pub captions: Vec<PathBuf>,
    /// Generate this many tweet-length posts (three in four repeat a
    /// synthetic claim).
    #[arg(long)]
    pub synthetic_posts: Option<u64>,
    /// Generate this many captions of a platform's traffic: nine in ten
    /// about everyday things, one in ten about a synthetic claim (said
    /// nearly word for word, reworded, or in another language).
    #[arg(long)]
    pub synthetic_mixed: Option<u64>,
    /// Generate this many 60-second speech transcripts as SRT (about 150
    /// words; half repeat a synthetic claim).
    #[arg(long)]
    pub synthetic_transcripts: Option<u64>,
    /// A running server to drive (loopback); else one is started on a
    /// temporary data directory in this process.
    #[arg(long)]
    pub server: Option<String>,
    /// The stores of the server started here (e.g. `postgres://...`, an
    /// empty database) instead of SQLite in its temporary directory.
    #[arg(long, conflicts_with = "server")]
    pub store: Option<String>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Requests to send in all.
    #[arg(long, default_value_t = 20_000)]
    pub requests: usize,
    /// Stop sending after this many seconds, whatever `--requests` says.
    #[arg(long, default_value_t = 300)]
    pub max_seconds: u64,
    /// Use one `ScoreStream` per client instead of unary `Score` calls.
    #[arg(long)]
    pub stream: bool,
    /// Requests each stream keeps in flight (with `--stream`): 1 waits for
    /// each answer before sending the next, as a caller scoring one video
    /// at a time; more is a pipeline streaming its queue.
    #[arg(long, default_value_t = 1)]
    pub pipeline: usize,
    /// Score without logging hits.
    #[arg(long)]
    pub dry_run: bool,
    /// Requests sent before the timed run, untimed and without logging
    /// hits, so that the server's per-thread caches are as warm as the
    /// in-process run's (each of its threads scores every input once
    /// first). Default: every input once per core; 0 times a cold server.
    #[arg(long)]
    pub warmup: Option<usize>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also run a plain BM25 engine (Tantivy, English stop words and
    /// stemming, top 10 per window) on the same claims and inputs, on one
    /// thread and on every core, and report the pipeline's throughput
    /// against it.
    #[arg(long)]
    pub baseline: bool,
    /// Match by words only (`semantic = false`), for a run beside the
    /// default one that matches by meaning too.
    #[arg(long, conflicts_with = "server")]
    pub words_only: bool,
    /// Run the encoder on every sentence of short content, not only on
    /// election talk or where words found a claim partly
    /// (`semantic_gate = false`).
    #[arg(long, conflicts_with_all = ["server", "words_only"])]
    pub ungated: bool,
    /// Keep sentences' vectors across requests as a served instance does
    /// (`semantic_cache`). Off here unless asked: the bench sends each
    /// input several times, and every repeat would be answered from the
    /// kept vectors, so without it the figures are those of content never
    /// seen before, the encoder run for every sentence that needs it.
    #[arg(long, conflicts_with_all = ["server", "words_only"])]
    pub sentence_cache: bool,
    /// Also run this many clients of another caller through the timed
    /// run, each a `ScoreStream` keeping `--neighbour-pipeline` of the
    /// same inputs in flight: a greedy neighbour, to see what it does to
    /// the measured clients' latency. They connect from 127.0.0.2, which
    /// the server started here (open, no tokens) takes for another caller.
    #[arg(long, default_value_t = 0, conflicts_with = "server")]
    pub neighbours: usize,
    /// Requests each neighbour keeps in flight.
    #[arg(long, default_value_t = 16)]
    pub neighbour_pipeline: usize,
    /// Score as soon as the claims are loaded, while the server started
    /// here computes their vectors in the background (a partner's load in
    /// busy hours), instead of once every claim has its vector; the
    /// report says how many were embedded meanwhile.
    #[arg(long, conflicts_with = "server")]
    pub while_embedding: bool,
}

/// What a run measured.
#[derive(Debug, Default, Serialize)]
pub struct BenchReport {
    /// Claims loaded.
    pub claims: u64,
    /// Seconds the load took.
    pub load_seconds: f64,
    /// Claims loaded per second.
    pub load_claims_per_second: f64,
    /// Seconds from the end of the load until every claim's sentence
    /// vector was computed (0 matching by words only, with a remote
    /// server, or with `--while-embedding`).
    pub embed_seconds: f64,
    /// Claims embedded per second, over those seconds.
    pub embed_claims_per_second: f64,
    /// With `--while-embedding`: claim changes embedded during the timed
    /// run.
    pub embedded_while_scoring: u64,
    /// With `--while-embedding`: claim changes still waiting for their
    /// vectors at the end of the timed run.
    pub vector_lag_after_scoring: u64,
    /// Distinct inputs the requests cycle through.
    pub inputs: usize,
    /// Requests sent before the timed run (untimed, unlogged).
    pub warmup_requests: usize,
    /// Score requests sent.
    pub requests: usize,
    /// Requests that failed.
    pub errors: usize,
    /// Hits logged (durably, before the answer).
    pub hits_logged: usize,
    /// Requests answered per second over gRPC.
    pub requests_per_second: f64,
    /// Windows (timed spans searched) per second over gRPC.
    pub windows_per_second: f64,
    /// Latency percentiles in milliseconds.
    pub latency_ms: Percentiles,
    /// Requests of the neighbours (`--neighbours`) answered per second
    /// while the measured clients ran.
    pub neighbour_requests_per_second: f64,
    /// Requests per second of the same pipeline in-process, every core.
    pub in_process_per_second: f64,
    /// gRPC throughput over in-process throughput.
    pub grpc_to_in_process: f64,
    /// Peak resident memory of this process (the server when started
    /// here), in MiB.
    pub peak_rss_mib: f64,
    /// Size of the claim index on disk, in MiB, when started here.
    pub index_mib: f64,
    /// Size of the claim and hit stores on disk, in MiB, when started here.
    pub store_mib: f64,
    /// Plain BM25 on the same claims and inputs (`--baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineReport>,
    /// What the sentence encoder did in the timed run, when the server
    /// runs here and matches by meaning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoder: Option<EncoderReport>,
}

/// The sentence encoder's share of a timed run.
#[derive(Debug, Default, Serialize)]
pub struct EncoderReport {
    /// The matrix kernel this CPU runs (`avx512-vnni`, `avx2`,
    /// `portable`): the encoder's speed depends on it.
    pub kernel: &'static str,
    /// Sentences of short content the requests held (the neighbours'
    /// too, with `--neighbours`).
    pub sentences: u64,
    /// Those the encoder ran on (the others were decided by words or
    /// about nothing election talk touches).
    pub embedded: u64,
    /// Those answered from vectors kept from earlier requests.
    pub cached: u64,
}

/// Returns the claim changes still waiting for their vectors.
async fn vector_lag(app: &Arc<App>) -> anyhow::Result<u64> {
    let app = app.clone();
    Ok(tokio::task::spawn_blocking(move || app.vitals())
        .await??
        .vector_lag)
}

/// Waits until every claim has its vector.
async fn vectors_done(app: &Arc<App>) -> anyhow::Result<()> {
    let bar = progress(None, "embedding claims");
    while vector_lag(app).await? > 0 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Runs the benchmark and prints its report.
pub async fn bench(args: BenchArgs) -> anyhow::Result<i32> {
    if args.concurrency == 0 || args.requests == 0 {
        bail!("--concurrency and --requests must be at least 1");
    }
    let corpus = Arc::new(Corpus::of(&args)?);
    let inputs = Arc::new(inputs(&args, &corpus)?);
    let temp = tempfile::Builder::new()
        .prefix("claimsignal-bench-")
        .tempdir()?;
    let mut local = None;
    let url = match &args.server {
        Some(url) => url.clone(),
        None => {
            let mut config = Config {
                data_dir: temp.path().to_path_buf(),
                ..Config::default()
            };
            config.store.url = args.store.clone();
            config.matching.semantic &= !args.words_only;
            config.matching.semantic_gate &= !args.ungated;
            if !args.sentence_cache {
                config.matching.semantic_cache = 0;
            }
            let app = Arc::new(tokio::task::spawn_blocking(move || App::open(config)).await??);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            let (tx, rx) = oneshot::channel::<()>();
            let task = tokio::spawn(crate::server::run(listener, app.clone(), async {
                let _ = rx.await;
            }));
            local = Some((app, tx, task));
            format!("http://{addr}")
        }
    };
    let channel = super::client::connect(&url).await?;
    let mut report = BenchReport {
        inputs: inputs.len(),
        ..BenchReport::default()
    };

    let started = Instant::now();
    report.claims = load_corpus(&channel, &corpus).await?;
    report.load_seconds = started.elapsed().as_secs_f64();
    report.load_claims_per_second = report.claims as f64 / report.load_seconds.max(1e-9);

    // Scoring is measured once every claim can be matched by meaning too,
    // unless asked to score while the vectors are computed.
    let embedding = local
        .as_ref()
        .map(|(app, _, _)| app.clone())
        .filter(|app| app.matcher().semantic().is_some());
    let loaded = Instant::now();
    if let Some(app) = &embedding
        && !args.while_embedding
    {
        vectors_done(app).await?;
        report.embed_seconds = loaded.elapsed().as_secs_f64();
        report.embed_claims_per_second = report.claims as f64 / report.embed_seconds.max(1e-9);
    }

    // The in-process side uses the server's own index when it runs here.
    let matcher = match &local {
        Some((app, _, _)) => app.matcher().clone(),
        None => Matcher::default(),
    };
    // The inputs as the server sees them once decoded (every request of
    // a run names the same market and time: none, and now).
    let scored: Vec<ScoreInput> = inputs
        .iter()
        .map(|request| crate::server::convert::matcher::score_input(request.clone()))
        .collect::<crate::Result<_>>()?;
    let window_texts: Vec<Vec<String>> = scored
        .iter()
        .map(|input| {
            matcher
                .prepare(&input.content, &input.language, &input.market)
                .map(|p| p.windows.into_iter().map(|w| w.text).collect())
        })
        .collect::<crate::Result<_>>()?;
    let windows: Arc<Vec<u64>> = Arc::new(window_texts.iter().map(|w| w.len() as u64).collect());

    // The clients, sending `total` requests in all.
    let clients = |total: usize, dry_run: bool, stop_at: Instant, bar: &ProgressBar| {
        (0..args.concurrency)
            .map(|client_no| {
                let plan = Plan {
                    first: client_no,
                    step: args.concurrency,
                    total,
                    pipeline: if args.stream { args.pipeline.max(1) } else { 0 },
                    dry_run,
                    stop_at,
                };
                let client = BenchClient::new(channel.clone());
                let run = run_client(client, inputs.clone(), windows.clone(), plan, bar.clone());
                tokio::spawn(run)
            })
            .collect::<Vec<_>>()
    };

    report.warmup_requests = args.warmup.unwrap_or(inputs.len() * cores());
    if report.warmup_requests > 0 {
        let bar = progress(Some(report.warmup_requests as u64), "warming up");
        let stop_at = Instant::now() + Duration::from_secs(args.max_seconds);
        for client in clients(report.warmup_requests, true, stop_at, &bar) {
            client.await??;
        }
        bar.finish_and_clear();
    }

    let lag_before = match &embedding {
        Some(app) if args.while_embedding => vector_lag(app).await?,
        _ => 0,
    };
    let bar = progress(Some(args.requests as u64), "scoring");
    let started = Instant::now();
    let stop_at = started + Duration::from_secs(args.max_seconds);
    // The neighbours send until the measured clients are done.
    let neighbour_answers = ProgressBar::hidden();
    let mut neighbours = Vec::with_capacity(args.neighbours);
    if args.neighbours > 0 {
        let channel = super::client::connect_from(&url, Some([127, 0, 0, 2].into())).await?;
        for first in 0..args.neighbours {
            let plan = Plan {
                first,
                step: args.neighbours,
                total: usize::MAX,
                pipeline: args.neighbour_pipeline.max(1),
                dry_run: args.dry_run,
                stop_at,
            };
            let client = BenchClient::new(channel.clone());
            let run = run_client(
                client,
                inputs.clone(),
                windows.clone(),
                plan,
                neighbour_answers.clone(),
            );
            neighbours.push(tokio::spawn(run));
        }
    }
    let semantic = local
        .as_ref()
        .and_then(|(app, _, _)| app.matcher().semantic().cloned());
    let encoder_before = semantic
        .as_ref()
        .map(|s| (s.sentences_embedded(), s.sentences_cached()));
    let mut latencies = Vec::with_capacity(args.requests);
    let mut windows_scored = 0;
    for client in clients(args.requests, args.dry_run, stop_at, &bar) {
        let mut run = client.await??;
        latencies.append(&mut run.latencies);
        report.errors += run.errors;
        report.hits_logged += run.hits;
        windows_scored += run.windows;
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);
    if let (Some(semantic), Some(((seen, embedded), cached))) = (&semantic, encoder_before) {
        let ((seen_after, embedded_after), cached_after) =
            (semantic.sentences_embedded(), semantic.sentences_cached());
        report.encoder = Some(EncoderReport {
            kernel: semantic.encoder().kernel(),
            sentences: seen_after - seen,
            embedded: embedded_after - embedded,
            cached: cached_after - cached,
        });
    }
    report.neighbour_requests_per_second = neighbour_answers.position() as f64 / elapsed;
    for neighbour in neighbours {
        neighbour.abort();
    }
    if let Some(app) = &embedding
        && args.while_embedding
    {
        report.vector_lag_after_scoring = vector_lag(app).await?;
        report.embedded_while_scoring = lag_before.saturating_sub(report.vector_lag_after_scoring);
    }
    report.requests = latencies.len();
    report.requests_per_second = report.requests as f64 / elapsed;
    report.windows_per_second = windows_scored as f64 / elapsed;
    report.latency_ms = percentiles(latencies);

    let spinner = progress(None, "in-process");
    let (requests, max_seconds) = (report.requests.max(1), args.max_seconds);
    report.in_process_per_second = match &local {
        Some((app, _, _)) => {
            let app = app.clone();
            tokio::task::spawn_blocking(move || {
                in_process(app.index(), &matcher, &scored, requests, max_seconds)
            })
            .await?
        }
        None => {
            let corpus = corpus.clone();
            let (_store, index) =
                tokio::task::spawn_blocking(move || local_index(&corpus)).await??;
            tokio::task::spawn_blocking(move || {
                in_process(&index, &matcher, &scored, requests, max_seconds)
            })
            .await?
        }
    };
    spinner.finish_and_clear();
    report.grpc_to_in_process = report.requests_per_second / report.in_process_per_second.max(1e-9);
    // Before the baseline's index adds its own memory to this process.
    report.peak_rss_mib = peak_rss_mib();
    if args.baseline {
        let spinner = progress(None, "baseline");
        let (one, all) = tokio::task::spawn_blocking(move || {
            baseline(&corpus, &window_texts, requests, max_seconds)
        })
        .await??;
        spinner.finish_and_clear();
        report.baseline = Some(BaselineReport {
            one_thread_per_second: one,
            per_second: all,
            in_process_to_baseline: report.in_process_per_second / all.max(1e-9),
            grpc_to_baseline: report.requests_per_second / all.max(1e-9),
        });
    }
    if let Some((app, tx, task)) = local {
        let _ = tx.send(());
        task.await??;
        drop(app);
        report.index_mib = dir_mib(&temp.path().join("claims"));
        report.store_mib =
            dir_mib(&temp.path().join("claims.db")) + dir_mib(&temp.path().join("hits.db"));
    }

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "claims         {} loaded in {:.1} s ({:.0} claims/s), embedded in {:.1} s more ({:.0} claims/s)\n\
             requests       {} over {} inputs ({} errors, {} hits logged), {} clients over {}, after {} warming up\n\
             throughput     {:.0} requests/s, {:.0} windows/s over gRPC{}{}\n\
             latency        p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n\
             in-process     {:.0} requests/s on {} threads (ratio gRPC / in-process {:.2})\n\
             memory         peak RSS {:.0} MiB{}",
            report.claims,
            report.load_seconds,
            report.load_claims_per_second,
            report.embed_seconds,
            report.embed_claims_per_second,
            report.requests,
            report.inputs,
            report.errors,
            report.hits_logged,
            args.concurrency,
            if args.stream { "ScoreStream" } else { "Score" },
            report.warmup_requests,
            report.requests_per_second,
            report.windows_per_second,
            if args.neighbours > 0 {
                format!(
                    " (beside {} neighbours' {:.0} requests/s)",
                    args.neighbours, report.neighbour_requests_per_second
                )
            } else {
                String::new()
            },
            if args.while_embedding {
                format!(
                    "; {} claim changes embedded meanwhile, {} waiting at its end",
                    report.embedded_while_scoring, report.vector_lag_after_scoring
                )
            } else {
                String::new()
            },
            report.latency_ms.p50,
            report.latency_ms.p95,
            report.latency_ms.p99,
            report.latency_ms.max,
            report.in_process_per_second,
            cores(),
            report.grpc_to_in_process,
            report.peak_rss_mib,
            if args.server.is_none() {
                format!(
                    "; on disk: index {:.0} MiB, stores {:.0} MiB",
                    report.index_mib, report.store_mib
                )
            } else {
                String::new()
            },
        );
        if let Some(encoder) = &report.encoder {
            println!(
                "encoder        {} kernel; ran on {} of {} sentences of short content in the timed run ({} answered from kept vectors)",
                encoder.kernel, encoder.embedded, encoder.sentences, encoder.cached,
            );
        }
        if let Some(baseline) = &report.baseline {
            println!(
                "plain BM25     {:.0} requests/s on 1 thread, {:.0} on {} (in-process / plain {:.2}, gRPC / plain {:.2})",
                baseline.one_thread_per_second,
                baseline.per_second,
                cores(),
                baseline.in_process_to_baseline,
                baseline.grpc_to_baseline,
            );
        }
    }
    Ok(if report.errors > 0 { 1 } else { 0 })
}

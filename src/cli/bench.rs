//! `claimsignal bench`: how many videos a second, and at what tail latency.
//!
//! Loads a claim file into a server (started here on a temporary data
//! directory unless `--server` names one), drives it with concurrent
//! clients over `Score` or `ScoreStream`, and compares with the same
//! pipeline run in-process on both cores without gRPC and, with
//! `--baseline`, with plain BM25 retrieval on the same inputs.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tokio::sync::oneshot;
use tonic::transport::Channel;

use super::BenchArgs;
use crate::app::App;
use crate::captions;
use crate::claims::load::ParsedClaim;
use crate::claims::{ClaimFormat, ClaimStore, LoadDefaults, import};
use crate::config::Config;
use crate::eval::data;
use crate::index::{ClaimIndex, searched_text};
use crate::matcher::{Matcher, ScoreInput};
use crate::proto::v1 as pb;
use crate::proto::v1::claims_client::ClaimsClient;
use crate::synthetic::Generator;

/// What a run measured.
#[derive(Debug, Default, Serialize)]
pub struct BenchReport {
    /// Claims loaded.
    pub claims: u64,
    /// Seconds the load took.
    pub load_seconds: f64,
    /// Claims loaded per second.
    pub load_claims_per_second: f64,
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
}

/// Plain BM25 retrieval (see `baseline`) measured in the same run.
#[derive(Debug, Default, Serialize)]
pub struct BaselineReport {
    /// Inputs searched per second on one thread (every window of an
    /// input, top 10 each).
    pub one_thread_per_second: f64,
    /// Inputs searched per second on every core.
    pub per_second: f64,
    /// The pipeline in-process over plain BM25, both on every core.
    pub in_process_to_baseline: f64,
    /// The pipeline over gRPC over plain BM25 in-process on every core.
    pub grpc_to_baseline: f64,
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

/// Claims per `LoadClaims` call when loading a synthetic corpus.
const SYNTHETIC_BATCH: u64 = 50_000;

/// Where the claims come from.
enum Corpus {
    File(PathBuf),
    Synthetic { count: u64, generator: Generator },
}

impl Corpus {
    fn of(args: &BenchArgs) -> anyhow::Result<Self> {
        match (&args.claims, args.synthetic) {
            (Some(path), None) => Ok(Corpus::File(path.clone())),
            (None, Some(0)) => bail!("--synthetic must be at least 1"),
            (None, Some(count)) => Ok(Corpus::Synthetic {
                count,
                generator: Generator::new(args.seed),
            }),
            _ => bail!("give --claims FILE or --synthetic N"),
        }
    }

    /// The corpus as load-sized pieces: (bytes, claims in it when known).
    fn batches(&self) -> impl Iterator<Item = anyhow::Result<(Vec<u8>, u64)>> + '_ {
        let (file, synthetic) = match self {
            Corpus::File(path) => (Some(path), None),
            Corpus::Synthetic { count, generator } => (None, Some((*count, *generator))),
        };
        let file = file.into_iter().map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok((bytes, 0))
        });
        let synthetic = synthetic.into_iter().flat_map(|(count, generator)| {
            (0..count.div_ceil(SYNTHETIC_BATCH)).map(move |batch| {
                let range = batch * SYNTHETIC_BATCH..((batch + 1) * SYNTHETIC_BATCH).min(count);
                let claims = range.end - range.start;
                Ok((generator.claims_jsonl(range), claims))
            })
        });
        file.chain(synthetic)
    }

    /// The corpus's claims, parsed here batch by batch as `load` would.
    fn parsed(&self) -> impl Iterator<Item = anyhow::Result<Vec<ParsedClaim>>> + '_ {
        let defaults = LoadDefaults {
            partner: "bench".into(),
            ..LoadDefaults::default()
        };
        self.batches().map(move |batch| {
            let (bytes, _) = batch?;
            Ok(import::parse(&bytes, ClaimFormat::Auto, &defaults).claims)
        })
    }

    fn synthetic_count(&self) -> Option<u64> {
        match self {
            Corpus::File(_) => None,
            Corpus::Synthetic { count, .. } => Some(*count),
        }
    }
}

fn progress(total: Option<u64>, what: &str) -> ProgressBar {
    let bar = match total {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(
                "{msg:>10} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner(),
    };
    bar.set_message(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Loads the corpus through `LoadClaims`; returns the claims the server
/// holds afterwards.
async fn load_corpus(channel: &Channel, corpus: &Corpus) -> anyhow::Result<u64> {
    let bar = progress(corpus.synthetic_count(), "loading");
    let mut claims = 0;
    for batch in corpus.batches() {
        let (bytes, in_batch) = batch?;
        let header = pb::LoadHeader {
            partner: "bench".into(),
            source_name: "bench".into(),
            ..Default::default()
        };
        let mut messages = vec![pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        }];
        messages.extend(bytes.chunks(1 << 20).map(|c| pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Chunk(c.to_vec())),
        }));
        let loaded = ClaimsClient::new(channel.clone())
            .max_decoding_message_size(256 << 20)
            .load_claims(super::client::authed(tokio_stream::iter(messages)))
            .await?
            .into_inner();
        if loaded.rejected > 0 {
            bail!("the server refused {} bench claims", loaded.rejected);
        }
        claims += loaded.inserted + loaded.updated + loaded.unchanged;
        bar.inc(in_batch);
    }
    bar.finish_and_clear();
    Ok(claims)
}

/// Builds the corpus's index in memory, for in-process runs against a
/// remote server.
fn local_index(corpus: &Corpus) -> anyhow::Result<(ClaimStore, ClaimIndex)> {
    let store = ClaimStore::open_in_memory()?;
    for claims in corpus.parsed() {
        store.write_batch(&claims?)?;
    }
    let index = ClaimIndex::in_memory(&store)?;
    Ok((store, index))
}

/// The requests to send, one per input, before any dry run or id is set.
fn inputs(args: &BenchArgs, corpus: &Corpus) -> anyhow::Result<Vec<pb::ScoreRequest>> {
    let text = |id: String, language: &str, content| pb::ScoreRequest {
        video_id: id,
        language: language.to_string(),
        content: Some(content),
        ..Default::default()
    };
    let generator = Generator::new(args.seed);
    let claims = corpus.synthetic_count().unwrap_or(1);
    let mut requests = Vec::new();
    if let Some(path) = &args.queries {
        for query in data::read_queries(path)? {
            requests.push(text(
                format!("bench-{}", query.id),
                &query.lang,
                pb::score_request::Content::Text(query.text),
            ));
        }
    }
    for path in caption_files(&args.captions)? {
        let body = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let format = captions::detect_format(name.as_deref(), &body);
        let mut language = String::new();
        let content = super::client::score_content(body, format, &mut language)
            .with_context(|| path.display().to_string())?;
        requests.push(text(
            format!("bench-{}", path.display()),
            &language,
            content,
        ));
    }
    for n in 0..args.synthetic_posts.unwrap_or(0) {
        let (post, language) = generator.post(n, claims);
        requests.push(text(
            format!("bench-post-{n}"),
            language,
            pb::score_request::Content::Text(post),
        ));
    }
    for n in 0..args.synthetic_transcripts.unwrap_or(0) {
        let (srt, language) = generator.transcript_srt(n, claims);
        requests.push(text(
            format!("bench-transcript-{n}"),
            language,
            pb::score_request::Content::Srt(srt),
        ));
    }
    if requests.is_empty() {
        bail!("no input to score");
    }
    Ok(requests)
}

/// Files named, and the files directly inside directories named, sorted.
fn caption_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Request `i` of the run: input `i` modulo their number, under a video id
/// of its own per round (so every round logs its hits again).
fn request(inputs: &[pb::ScoreRequest], i: usize, dry_run: bool) -> pb::ScoreRequest {
    let input = &inputs[i % inputs.len()];
    pb::ScoreRequest {
        request_id: i.to_string(),
        video_id: format!("{}-{}", input.video_id, i / inputs.len()),
        dry_run,
        ..input.clone()
    }
}

/// What the bench reads of a `ScoreResponse`: the request it answers,
/// its error, and which matches were logged as hits. The server sends
/// whole answers; the bench's clients share the server's two cores, so
/// they skip the rest (claim cards, excerpts) unread instead of spending
/// the cores the server is measured on. The tags are `ScoreResponse`'s.
#[derive(Clone, PartialEq, prost::Message)]
struct Answer {
    #[prost(string, tag = "1")]
    request_id: String,
    #[prost(message, repeated, tag = "5")]
    matches: Vec<AnsweredMatch>,
    #[prost(message, optional, tag = "7")]
    error: Option<pb::ScoreError>,
}

/// What the bench reads of a `Match`.
#[derive(Clone, PartialEq, prost::Message)]
struct AnsweredMatch {
    #[prost(string, tag = "13")]
    hit_id: String,
}

/// `Matcher.Score` and `Matcher.ScoreStream`, answered with `Answer`s.
#[derive(Clone)]
struct BenchClient(tonic::client::Grpc<Channel>);

impl BenchClient {
    fn new(channel: Channel) -> Self {
        BenchClient(tonic::client::Grpc::new(channel))
    }

    /// Waits for the channel, and returns the codec of both calls.
    async fn ready(
        &mut self,
    ) -> Result<tonic_prost::ProstCodec<pb::ScoreRequest, Answer>, tonic::Status> {
        self.0
            .ready()
            .await
            .map_err(|err| tonic::Status::unavailable(err.to_string()))?;
        Ok(tonic_prost::ProstCodec::default())
    }

    async fn score(&mut self, request: pb::ScoreRequest) -> Result<Answer, tonic::Status> {
        let codec = self.ready().await?;
        let path = http::uri::PathAndQuery::from_static("/claimsignal.v1.Matcher/Score");
        let request = super::client::authed(request);
        Ok(self.0.unary(request, path, codec).await?.into_inner())
    }

    async fn score_stream(
        &mut self,
        requests: impl futures::Stream<Item = pb::ScoreRequest> + Send + 'static,
    ) -> Result<tonic::Streaming<Answer>, tonic::Status> {
        let codec = self.ready().await?;
        let path = http::uri::PathAndQuery::from_static("/claimsignal.v1.Matcher/ScoreStream");
        let requests = super::client::authed(requests);
        Ok(self.0.streaming(requests, path, codec).await?.into_inner())
    }
}

/// What one client saw.
#[derive(Default)]
struct ClientRun {
    latencies: Vec<Duration>,
    errors: usize,
    hits: usize,
    windows: u64,
}

/// What one client sends: requests `first, first + step, ...` below
/// `total`, until `stop_at`; one unary `Score` call at a time when
/// `pipeline` is 0, else over one `ScoreStream` with up to `pipeline`
/// requests in flight.
#[derive(Debug, Clone, Copy)]
struct Plan {
    first: usize,
    step: usize,
    total: usize,
    pipeline: usize,
    dry_run: bool,
    stop_at: Instant,
}

/// Sends what `plan` says (each request's latency runs from its sending
/// to its answer).
async fn run_client(
    mut client: BenchClient,
    inputs: Arc<Vec<pb::ScoreRequest>>,
    windows: Arc<Vec<u64>>,
    plan: Plan,
    bar: ProgressBar,
) -> anyhow::Result<ClientRun> {
    let Plan {
        first,
        step,
        total,
        pipeline,
        dry_run,
        stop_at,
    } = plan;
    let mut run = ClientRun::default();
    let record =
        |run: &mut ClientRun, i: usize, sent: Instant, matches: Option<&[AnsweredMatch]>| {
            run.latencies.push(sent.elapsed());
            match matches {
                Some(matches) => {
                    run.hits += matches.iter().filter(|m| !m.hit_id.is_empty()).count();
                    run.windows += windows[i % windows.len()];
                }
                None => run.errors += 1,
            }
            bar.inc(1);
        };
    let mut i = first;
    if pipeline == 0 {
        while i < total && Instant::now() < stop_at {
            let sent = Instant::now();
            match client.score(request(&inputs, i, dry_run)).await {
                Ok(answer) => record(&mut run, i, sent, Some(&answer.matches)),
                Err(_) => record(&mut run, i, sent, None),
            }
            i += step;
        }
        return Ok(run);
    }
    let (requests_tx, requests_rx) = tokio::sync::mpsc::channel(pipeline);
    let mut responses = client
        .score_stream(tokio_stream::wrappers::ReceiverStream::new(requests_rx))
        .await?;
    // Sent and not yet answered, by request number (answers come back in
    // the order they are ready).
    let mut in_flight: std::collections::HashMap<usize, Instant> = std::collections::HashMap::new();
    loop {
        while in_flight.len() < pipeline && i < total && Instant::now() < stop_at {
            let request = request(&inputs, i, dry_run);
            in_flight.insert(i, Instant::now());
            requests_tx
                .send(request)
                .await
                .map_err(|_| anyhow::anyhow!("stream closed"))?;
            i += step;
        }
        if in_flight.is_empty() {
            break;
        }
        let Some(response) = responses.message().await? else {
            bail!(
                "the server ended the stream with {} requests unanswered",
                in_flight.len()
            );
        };
        let sent = response
            .request_id
            .parse()
            .ok()
            .and_then(|n| in_flight.remove(&n).map(|sent| (n, sent)));
        let Some((n, sent)) = sent else {
            bail!("answer to a request never sent: {:?}", response.request_id);
        };
        let matches = response
            .error
            .is_none()
            .then_some(response.matches.as_slice());
        record(&mut run, n, sent, matches);
    }
    Ok(run)
}

/// The threads the in-process and baseline runs use: one per core.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `requests` requests through the server's pipeline in-process on
/// every core (caption parsing, cleaning, windows, language, retrieval,
/// reranking, thresholds, duplicate grouping), without gRPC or hit
/// logging; returns requests per second.
fn in_process(
    index: &ClaimIndex,
    matcher: &Matcher,
    inputs: &[ScoreInput],
    requests: usize,
    max_seconds: u64,
) -> f64 {
    let threads = cores();
    throughput(
        threads,
        inputs.len(),
        requests,
        max_seconds,
        || (),
        |_, i| {
            let _ = std::hint::black_box(matcher.score(index, &inputs[i]));
        },
    )
}

/// Runs `requests` requests cycling through `inputs` inputs on `threads`
/// threads, each with its own state from `state`; `run` handles input
/// `i`. Returns requests per second. Each thread first runs every input
/// once, untimed: the server's scoring threads remember what they learn
/// of claims, and have had the whole gRPC run to learn it.
fn throughput<S>(
    threads: usize,
    inputs: usize,
    requests: usize,
    max_seconds: u64,
    state: impl Fn() -> S + Sync,
    run: impl Fn(&mut S, usize) + Sync,
) -> f64 {
    let warm = std::sync::Barrier::new(threads + 1);
    let mut started = Instant::now();
    let (next, done) = (
        std::sync::atomic::AtomicUsize::new(0),
        std::sync::atomic::AtomicUsize::new(0),
    );
    std::thread::scope(|threads_scope| {
        for _ in 0..threads {
            let (next, done, warm, state, run) = (&next, &done, &warm, &state, &run);
            threads_scope.spawn(move || {
                let mut state = state();
                let warm_until = Instant::now() + Duration::from_secs(max_seconds);
                for i in (0..inputs).take_while(|_| Instant::now() < warm_until) {
                    run(&mut state, i);
                }
                warm.wait();
                let stop_at = Instant::now() + Duration::from_secs(max_seconds);
                // Requests are taken one at a time from a shared count, so
                // no thread idles while another still has a share to do.
                while Instant::now() < stop_at {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    run(&mut state, i % inputs);
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        warm.wait();
        started = Instant::now();
    });
    done.into_inner() as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

/// Measures plain BM25 (see `baseline`) on the corpus's claims, searching
/// every window of every input: on one thread, then on every core.
fn baseline(
    corpus: &Corpus,
    windows: &[Vec<String>],
    requests: usize,
    max_seconds: u64,
) -> anyhow::Result<(f64, f64)> {
    let mut texts = Vec::new();
    for claims in corpus.parsed() {
        texts.extend(claims?.iter().map(|parsed| searched_text(&parsed.claim)));
    }
    let engine = super::baseline::Baseline::build(texts)?;
    let search = |analyzer: &mut tantivy::tokenizer::TextAnalyzer, i: usize| {
        for text in &windows[i] {
            let _ = std::hint::black_box(engine.search(analyzer, text));
        }
    };
    let run = |threads| {
        throughput(
            threads,
            windows.len(),
            requests,
            max_seconds,
            super::baseline::analyzer,
            search,
        )
    };
    Ok((run(1), run(cores())))
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
            let engine = Arc::new(tokio::task::spawn_blocking(move || App::open(config)).await??);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            let (tx, rx) = oneshot::channel::<()>();
            let task = tokio::spawn(crate::server::run(listener, engine.clone(), async {
                let _ = rx.await;
            }));
            local = Some((engine, tx, task));
            format!("http://{addr}")
        }
    };
    let channel = super::client::channel(&url).await?;
    let mut report = BenchReport {
        inputs: inputs.len(),
        ..BenchReport::default()
    };

    let started = Instant::now();
    report.claims = load_corpus(&channel, &corpus).await?;
    report.load_seconds = started.elapsed().as_secs_f64();
    report.load_claims_per_second = report.claims as f64 / report.load_seconds.max(1e-9);

    // The in-process side uses the server's own index when it runs here.
    let matcher = match &local {
        Some((engine, _, _)) => engine.matcher().clone(),
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

    let bar = progress(Some(args.requests as u64), "scoring");
    let started = Instant::now();
    let stop_at = started + Duration::from_secs(args.max_seconds);
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
    report.requests = latencies.len();
    report.requests_per_second = report.requests as f64 / elapsed;
    report.windows_per_second = windows_scored as f64 / elapsed;
    report.latency_ms = percentiles(latencies);

    let spinner = progress(None, "in-process");
    let (requests, max_seconds) = (report.requests.max(1), args.max_seconds);
    report.in_process_per_second = match &local {
        Some((engine, _, _)) => {
            let engine = engine.clone();
            tokio::task::spawn_blocking(move || {
                in_process(engine.index(), &matcher, &scored, requests, max_seconds)
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
    if let Some((engine, tx, task)) = local {
        let _ = tx.send(());
        task.await??;
        drop(engine);
        report.index_mib = dir_mib(&temp.path().join("claims"));
        report.store_mib =
            dir_mib(&temp.path().join("claims.db")) + dir_mib(&temp.path().join("hits.db"));
    }

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "claims         {} loaded in {:.1} s ({:.0} claims/s)\n\
             requests       {} over {} inputs ({} errors, {} hits logged), {} clients over {}, after {} warming up\n\
             throughput     {:.0} requests/s, {:.0} windows/s over gRPC\n\
             latency        p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n\
             in-process     {:.0} requests/s on {} threads (ratio gRPC / in-process {:.2})\n\
             memory         peak RSS {:.0} MiB{}",
            report.claims,
            report.load_seconds,
            report.load_claims_per_second,
            report.requests,
            report.inputs,
            report.errors,
            report.hits_logged,
            args.concurrency,
            if args.stream { "ScoreStream" } else { "Score" },
            report.warmup_requests,
            report.requests_per_second,
            report.windows_per_second,
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

/// Logs synthetic hits from concurrent callers into a fresh hit store,
/// then summarises them as a half-year report would.
pub async fn bench_hits(args: super::BenchHitsArgs) -> anyhow::Result<i32> {
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

#[cfg(test)]
mod tests;

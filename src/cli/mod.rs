//! The `claimsignal` command: argument parsing and one function per
//! subcommand.
//!
//! - `serve`: the server's start-up and signal handling.
//! - `client`: the commands that talk to a running server.

mod baseline;
mod bench;
mod client;
mod eval;
mod reports;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Catches known election falsehoods in the captions and transcripts of
/// short videos.
#[derive(Debug, Parser)]
#[command(name = "claimsignal", version, about)]
pub struct Cli {
    /// Log format.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "CLAIMSIGNAL_LOG_FORMAT"
    )]
    pub log_format: LogFormat,
    /// Access token sent by client commands (`Bearer` in `authorization`).
    #[arg(long, global = true, env = "CLAIMSIGNAL_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// CA certificate (PEM) client commands trust for an `https://` server.
    #[arg(long, global = true, env = "CLAIMSIGNAL_CA")]
    pub ca: Option<PathBuf>,
    /// Client certificate (PEM) for servers that require mutual TLS.
    #[arg(
        long,
        global = true,
        env = "CLAIMSIGNAL_CLIENT_CERT",
        requires = "client_key"
    )]
    pub client_cert: Option<PathBuf>,
    /// The client certificate's private key (PEM).
    #[arg(
        long,
        global = true,
        env = "CLAIMSIGNAL_CLIENT_KEY",
        requires = "client_cert"
    )]
    pub client_key: Option<PathBuf>,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// How logs are written to stderr.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Default server address for client commands.
const DEFAULT_SERVER: &str = "http://127.0.0.1:50051";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Starts the gRPC service.
    Serve(ServeArgs),
    /// Loads a partner's claims from files.
    Load(LoadArgs),
    /// Scores a caption or transcript and prints the response as JSON.
    Score(ScoreArgs),
    /// Retracts claims so they no longer match.
    Retract(RetractArgs),
    /// Rebuilds the claim index of a stopped server's data directory.
    Reindex(ReindexArgs),
    /// Creates, lists and revokes access tokens in a data directory.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Confirms or rejects a hit and records the action taken.
    Review(ReviewArgs),
    /// Exports hits (with their latest review) as JSON Lines or CSV.
    Hits(HitsArgs),
    /// Prints the counts for a period, or writes the report section.
    Report(ReportArgs),
    /// Measures matching quality on labelled queries, in-process.
    Eval(EvalArgs),
    /// Measures throughput and latency of scoring over gRPC and in-process.
    Bench(BenchArgs),
    /// Measures durable hit logging (group commit) and summaries over many hits.
    BenchHits(BenchHitsArgs),
    /// Fits the reranking model on the train splits of the evaluation sets.
    Train(TrainArgs),
}

/// Arguments of `review`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("outcome").required(true).args(["confirm", "reject"])))]
pub struct ReviewArgs {
    /// Server address.
    #[arg(long, default_value = DEFAULT_SERVER, env = "CLAIMSIGNAL_SERVER")]
    pub server: String,
    /// The hit id.
    #[arg(long)]
    pub hit: String,
    /// The video does repeat the claim.
    #[arg(long)]
    pub confirm: bool,
    /// A false match.
    #[arg(long)]
    pub reject: bool,
    /// What was done to the video.
    #[arg(long, value_enum, default_value = "none")]
    pub action: ActionArg,
    /// Who reviewed [default: $USER].
    #[arg(long, env = "USER")]
    pub reviewer: Option<String>,
    /// Free text.
    #[arg(long, default_value = "")]
    pub note: String,
}

/// Actions a reviewer records.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ActionArg {
    /// Nothing was done.
    None,
    /// Taken down.
    Removed,
    /// Labelled with the fact-check.
    Labelled,
    /// Distribution limited.
    Limited,
}

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
}

/// Arguments of `hits`.
#[derive(Debug, clap::Args)]
pub struct HitsArgs {
    /// Server address.
    #[arg(long, default_value = DEFAULT_SERVER, env = "CLAIMSIGNAL_SERVER")]
    pub server: String,
    /// Which hits.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: HitsFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Formats `hits` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HitsFormat {
    /// One JSON object per hit.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Server address.
    #[arg(long, default_value = DEFAULT_SERVER, env = "CLAIMSIGNAL_SERVER")]
    pub server: String,
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
    /// JSON.
    Json,
    /// The "Election integrity" section in Markdown.
    Md,
    /// The section as an HTML page with charts.
    Html,
}

/// Arguments of `bench`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("corpus").required(true).args(["claims", "synthetic"])))]
#[command(group(clap::ArgGroup::new("inputs").required(true).args([
    "queries", "captions", "synthetic_posts", "synthetic_transcripts",
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
}

/// Arguments of `bench-hits`.
#[derive(Debug, clap::Args)]
pub struct BenchHitsArgs {
    /// Hits to log.
    #[arg(long, default_value_t = 1_000_000)]
    pub count: usize,
    /// Concurrent callers, each logging one hit per call as `Score` does.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
}

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Claims (JSON Lines).
    #[arg(long)]
    pub claims: PathBuf,
    /// Queries (JSON Lines: id, text, lang).
    #[arg(long)]
    pub queries: PathBuf,
    /// Relevance judgements (query<TAB>claim).
    #[arg(long)]
    pub qrels: PathBuf,
    /// Directory of `<doc>.tsv` transcripts: `<doc>_<line>` queries are
    /// matched inside their transcript.
    #[arg(long)]
    pub transcripts: Option<PathBuf>,
    /// Queries that should match nothing (negative control).
    #[arg(long)]
    pub negatives: Option<PathBuf>,
    /// A model file (default: the shipped model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Threads ranking queries at once.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Ignore when queries were made (their `observed_at`, a debate id's
    /// date, an embedded post's date), as a caller that sends no
    /// `observed_at` would.
    #[arg(long)]
    pub undated: bool,
    /// Date each query this many days after its own date (negative:
    /// before), as the same post seen again months later: a checked
    /// falsehood comes back for months and at every election.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub observed_offset_days: i64,
    /// Match transcripts without their speakers, as a caller sending
    /// captions that do not say who speaks (SRT) would.
    #[arg(long)]
    pub no_speakers: bool,
    /// Write the queries with a wrong decision or a missed relevant claim
    /// to this file (JSON Lines: the query, its relevant claims, the
    /// matches returned with their confidence and level).
    #[arg(long)]
    pub mistakes: Option<PathBuf>,
    /// Also send each transcript of the judged queries whole (as a
    /// platform sends a video's captions) and check that the matches
    /// returned cover the labelled lines (needs `--transcripts`).
    #[arg(long)]
    pub whole_transcripts: bool,
}

/// Arguments of `train`.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Directory holding evaluation sets (each with claims.jsonl,
    /// queries.train.jsonl, qrels.train.tsv).
    #[arg(long)]
    pub eval_dir: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "model/matcher.json")]
    pub out: PathBuf,
    /// Also write every training pair (set, kind, query, claim, label and
    /// features) to this CSV file, to study the features outside.
    #[arg(long)]
    pub pairs: Option<PathBuf>,
}

/// Arguments of `serve`. Precedence: flag, then environment, then the
/// config file, then the embedded default.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:50051].
    #[arg(long, env = "CLAIMSIGNAL_LISTEN")]
    pub listen: Option<String>,
    /// Data directory [default: index].
    #[arg(long, env = "CLAIMSIGNAL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Where claims, hits and tokens live: sqlite://DIR, or
    /// postgres://user@host/db shared by several replicas [default: SQLite
    /// in the data directory].
    #[arg(long, env = "CLAIMSIGNAL_STORE")]
    pub store: Option<String>,
    /// A TOML config file.
    #[arg(long, env = "CLAIMSIGNAL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Allow a non-loopback address with no access token configured.
    #[arg(long)]
    pub insecure: bool,
    /// Serve TLS with this certificate chain (PEM).
    #[arg(long, env = "CLAIMSIGNAL_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The TLS certificate's private key (PEM).
    #[arg(long, env = "CLAIMSIGNAL_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Require client certificates signed by this CA (PEM): mutual TLS.
    #[arg(long, env = "CLAIMSIGNAL_TLS_CLIENT_CA", requires = "tls_cert")]
    pub tls_client_ca: Option<PathBuf>,
}

/// Token management. Works on the data directory's claim store, whether
/// or not a server is running on it; a running server sees changes on its
/// next call.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Creates a token and prints it once.
    Create {
        /// A name for people (e.g. `aosfatos-loader`).
        #[arg(long)]
        name: String,
        /// Roles: partner, pipeline, reviewer, reporter, admin (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The partner a `partner` token acts for.
        #[arg(long)]
        partner: Option<String>,
        #[command(flatten)]
        place: StoreArgs,
    },
    /// Lists tokens (never their secrets).
    List {
        #[command(flatten)]
        place: StoreArgs,
    },
    /// Revokes a token by id.
    Revoke {
        /// Token id (from `token list`).
        id: i64,
        #[command(flatten)]
        place: StoreArgs,
    },
    /// Prints the latest entries of the audit trail.
    Audit {
        /// How many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        place: StoreArgs,
    },
}

/// Arguments of `load`.
#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// The partner that owns the claims.
    #[arg(long)]
    pub partner: String,
    /// Server address.
    #[arg(long, default_value = DEFAULT_SERVER, env = "CLAIMSIGNAL_SERVER")]
    pub server: String,
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

/// Arguments of `score`.
#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Server address.
    #[arg(long, default_value = DEFAULT_SERVER, env = "CLAIMSIGNAL_SERVER")]
    pub server: String,
    /// Market the video is shown in (ISO 3166-1 alpha-2).
    #[arg(long)]
    pub market: Option<String>,
    /// Language of the content (detected when absent).
    #[arg(long)]
    pub lang: Option<String>,
    /// Video id logged with hits [default: the file name].
    #[arg(long)]
    pub video_id: Option<String>,
    /// Score without logging hits.
    #[arg(long)]
    pub dry_run: bool,
    /// Show matches down to this confidence. Below the server's review
    /// threshold a match has level NONE and is never logged as a hit; it is
    /// shown so a person can see what nearly matched.
    #[arg(long, default_value_t = 0.2)]
    pub min_confidence: f32,
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

/// Arguments of `retract`.
#[derive(Debug, clap::Args)]
pub struct RetractArgs {
    /// Server address.
    #[arg(long, default_value = DEFAULT_SERVER, env = "CLAIMSIGNAL_SERVER")]
    pub server: String,
    /// Claim ids.
    #[arg(required = true)]
    pub ids: Vec<String>,
}

/// Arguments of `reindex`.
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    place: StoreArgs,
}

/// Where a command finds the stores, as `serve` would.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Data directory.
    #[arg(long, default_value = "index", env = "CLAIMSIGNAL_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Where claims, hits and tokens live: sqlite://DIR or
    /// postgres://user@host/db [default: SQLite in the data directory].
    #[arg(long, env = "CLAIMSIGNAL_STORE")]
    pub store: Option<String>,
}

impl StoreArgs {
    fn url(&self) -> crate::Result<crate::store::StoreUrl> {
        match &self.store {
            Some(url) => crate::store::StoreUrl::parse(url),
            None => Ok(crate::store::StoreUrl::sqlite_in(&self.data_dir)),
        }
    }
}

/// Runs a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    client::set_token(cli.token.clone());
    client::set_tls(client::ClientTls {
        ca: cli.ca.clone(),
        identity: cli.client_cert.clone().zip(cli.client_key.clone()),
    });
    match cli.command {
        // Blocking store calls: off the async runtime.
        Command::Token(command) => tokio::task::spawn_blocking(move || tokens(command)).await?,
        Command::Serve(args) => serve::serve(args).await,
        Command::Load(args) => client::load(args).await,
        Command::Score(args) => client::score(args).await,
        Command::Retract(args) => client::retract(args).await,
        Command::Review(args) => reports::review(args).await,
        Command::Hits(args) => reports::hits(args).await,
        Command::Report(args) => reports::report(args).await,
        Command::Eval(args) => eval::eval(args).await,
        Command::Bench(args) => bench::bench(args).await,
        Command::BenchHits(args) => bench::bench_hits(args).await,
        Command::Train(args) => eval::train(args).await,
        Command::Reindex(args) => {
            let (data_dir, store) = (args.place.data_dir.clone(), args.place.url()?);
            let count = tokio::task::spawn_blocking(move || crate::app::reindex(&data_dir, &store))
                .await??;
            println!("claim index rebuilt from {count} store changes");
            Ok(0)
        }
    }
}

fn open_auth(place: &StoreArgs) -> anyhow::Result<crate::auth::Auth> {
    Ok(match place.url()? {
        crate::store::StoreUrl::Sqlite(dir) => {
            std::fs::create_dir_all(&dir)?;
            crate::auth::Auth::open(&dir.join("claims.db"))?
        }
        crate::store::StoreUrl::Postgres(url) => {
            crate::auth::Auth::postgres(crate::store::PgPool::connect(&url, 1)?)?
        }
    })
}

fn tokens(command: TokenCommand) -> anyhow::Result<i32> {
    let actor = std::env::var("USER")
        .map(|u| format!("cli:{u}"))
        .unwrap_or_else(|_| "cli".into());
    match command {
        TokenCommand::Create {
            name,
            roles,
            partner,
            place,
        } => {
            let roles = roles
                .iter()
                .map(|r| {
                    crate::auth::Role::from_name(r).ok_or_else(|| {
                        anyhow::anyhow!(
                            "{r:?} is not a role (partner, pipeline, reviewer, reporter, admin)"
                        )
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let (info, secret) =
                open_auth(&place)?.create(&name, &roles, partner.as_deref(), &actor)?;
            eprintln!(
                "token {} created for {}; it is shown once, store it now:",
                info.id, info.name
            );
            println!("{secret}");
        }
        TokenCommand::List { place } => {
            println!("id\tname\troles\tpartner\tstate");
            for token in open_auth(&place)?.list()? {
                println!("{token}");
            }
        }
        TokenCommand::Revoke { id, place } => {
            open_auth(&place)?.revoke(id, &actor)?;
            println!("token {id} revoked");
        }
        TokenCommand::Audit { limit, place } => {
            for (at_ms, who, action, detail) in open_auth(&place)?.audit_trail(limit)? {
                let at = chrono::DateTime::from_timestamp_millis(at_ms).unwrap_or_default();
                println!(
                    "{}\t{who}\t{action}\t{detail}",
                    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
            }
        }
    }
    Ok(0)
}

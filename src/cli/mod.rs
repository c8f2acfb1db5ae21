//! The `claimsignal` command: argument parsing and one function per
//! subcommand.
//!
//! - `serve`: the server's start-up and signal handling.
//! - `client`: what every command that talks to a running server shares.
//! - `claims` (`load`, `retract`), `score`, `review`, `reports` (`hits`,
//!   `report`): those commands, each with its arguments.
//! - `admin`: `token` and `reindex`, offline on the stores.
//! - `eval`, `bench` (with `bench-hits`): measurement.

mod admin;
mod baseline;
mod bench;
mod claims;
mod client;
mod eval;
mod hits;
mod reports;
mod review;
mod score;
mod serve;
mod status;
mod videos;

use std::path::PathBuf;

use admin::{ReindexArgs, TokenCommand, tokens};
use bench::BenchArgs;
use bench::hits::BenchHitsArgs;
use claims::{LoadArgs, RetractArgs};
use clap::{Parser, Subcommand, ValueEnum};
use client::ClientArgs;
use eval::{EvalArgs, TrainArgs};
use hits::HitsArgs;
use reports::ReportArgs;
use review::{ReviewArgs, ShowHitArgs};
use score::ScoreArgs;
use serve::ServeArgs;

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
    /// Client commands' options, also accepted before the subcommand
    /// (`claimsignal --token T load ...`); each client command lists them.
    #[command(flatten)]
    pub client: EarlyClientArgs,
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
    /// Prints a hit with its claim, fact-check and every review it had.
    Hit(ShowHitArgs),
    /// Exports hits (with their latest review) as JSON Lines or CSV.
    Hits(HitsArgs),
    /// Prints the counts for a period, or writes the report section.
    Report(ReportArgs),
    /// Prints whether a replica serves and how far behind the claim store
    /// it is; waits for it to catch up with `--wait`.
    Status(status::StatusArgs),
    /// Measures matching quality on labelled queries, in-process.
    Eval(EvalArgs),
    /// Measures claims said inside labelled short videos, in-process.
    EvalVideos(videos::EvalVideosArgs),
    /// Measures throughput and latency of scoring over gRPC and in-process.
    Bench(BenchArgs),
    /// Measures durable hit logging (group commit) and summaries over many hits.
    BenchHits(BenchHitsArgs),
    /// Fits the reranking model on the train splits of the evaluation sets.
    Train(TrainArgs),
}

/// Client options given before the subcommand: hidden from help (each
/// client command lists its own), kept so that scripts written as
/// `claimsignal --token T load ...` go on working.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EarlyClientArgs {
    #[arg(long = "token", id = "early_token", hide = true)]
    token: Option<String>,
    #[arg(long = "ca", id = "early_ca", hide = true)]
    ca: Option<PathBuf>,
    #[arg(long = "client-cert", id = "early_client_cert", hide = true)]
    client_cert: Option<PathBuf>,
    #[arg(long = "client-key", id = "early_client_key", hide = true)]
    client_key: Option<PathBuf>,
}

impl EarlyClientArgs {
    /// Fills what a client command was not given.
    fn fill(&self, client: &mut ClientArgs) {
        client.token = client.token.take().or_else(|| self.token.clone());
        client.ca = client.ca.take().or_else(|| self.ca.clone());
        client.client_cert = client
            .client_cert
            .take()
            .or_else(|| self.client_cert.clone());
        client.client_key = client.client_key.take().or_else(|| self.client_key.clone());
    }
}

/// Runs a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    let early = cli.client;
    let mut command = cli.command;
    match &mut command {
        Command::Load(args) => early.fill(&mut args.client),
        Command::Retract(args) => early.fill(&mut args.client),
        Command::Score(args) => early.fill(&mut args.client),
        Command::Review(args) => early.fill(&mut args.client),
        Command::Hit(args) => early.fill(&mut args.client),
        Command::Hits(args) => early.fill(&mut args.client),
        Command::Report(args) => early.fill(&mut args.client),
        Command::Status(args) => early.fill(&mut args.client),
        Command::Bench(_) => {
            // `bench --server` reaches a running server with these.
            client::set_token(early.token.clone());
            client::set_tls(client::ClientTls {
                ca: early.ca.clone(),
                identity: early.client_cert.clone().zip(early.client_key.clone()),
            });
        }
        _ => {}
    }
    match command {
        // Blocking store calls: off the async runtime.
        Command::Token(command) => tokio::task::spawn_blocking(move || tokens(command)).await?,
        Command::Serve(args) => serve::serve(args).await,
        Command::Load(args) => claims::load(args).await,
        Command::Score(args) => score::score(args).await,
        Command::Retract(args) => claims::retract(args).await,
        Command::Review(args) => review::review(args).await,
        Command::Hit(args) => review::show(args).await,
        Command::Hits(args) => hits::hits(args).await,
        Command::Report(args) => reports::report(args).await,
        Command::Status(args) => status::status(args).await,
        Command::Eval(args) => eval::eval(args).await,
        Command::EvalVideos(args) => videos::eval_videos(args).await,
        Command::Bench(args) => bench::bench(args).await,
        Command::BenchHits(args) => bench::hits::bench_hits(args).await,
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

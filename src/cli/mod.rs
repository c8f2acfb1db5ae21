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
mod reports;
mod review;
mod score;
mod serve;

use std::path::PathBuf;

use admin::{ReindexArgs, TokenCommand, tokens};
use bench::BenchArgs;
use bench::hits::BenchHitsArgs;
use claims::{LoadArgs, RetractArgs};
use clap::{Parser, Subcommand, ValueEnum};
use eval::{EvalArgs, TrainArgs};
use reports::{HitsArgs, ReportArgs};
use review::ReviewArgs;
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
        Command::Load(args) => claims::load(args).await,
        Command::Score(args) => score::score(args).await,
        Command::Retract(args) => claims::retract(args).await,
        Command::Review(args) => review::review(args).await,
        Command::Hits(args) => reports::hits(args).await,
        Command::Report(args) => reports::report(args).await,
        Command::Eval(args) => eval::eval(args).await,
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

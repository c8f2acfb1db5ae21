//! `claimsignal serve`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::app::App;
use crate::config::Config;

/// Arguments of `serve`. Precedence: flag, then environment, then the
/// config file, then the embedded default.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  claimsignal serve --listen 127.0.0.1:50051 --data-dir index --metrics-listen 9464"
)]
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
    /// Serve Prometheus metrics on this address over plain HTTP (`GET
    /// /metrics`); a bare port listens on 127.0.0.1 [default: none].
    #[arg(long, env = "CLAIMSIGNAL_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
}

/// Starts the server and runs it until SIGINT or SIGTERM.
pub async fn serve(args: ServeArgs) -> anyhow::Result<i32> {
    let mut config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::default(),
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(data_dir) = args.data_dir {
        config.data_dir = data_dir;
    }
    if let Some(store) = args.store {
        config.store.url = Some(store);
    }
    if let Some(metrics) = args.metrics_listen {
        config.metrics_listen = Some(metrics);
    }
    if let (Some(cert), Some(key)) = (args.tls_cert, args.tls_key) {
        config.tls = Some(crate::config::TlsConfig {
            cert,
            key,
            client_ca: args.tls_client_ca,
        });
    }
    config.validate()?;
    let listen = config.listen.clone();
    let app = tokio::task::spawn_blocking(move || App::open(config)).await??;
    let listener = TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let secured = app.tokens_enabled()?;
    let addr = listener.local_addr()?;
    if !secured {
        if !addr.ip().is_loopback() && !args.insecure {
            anyhow::bail!(
                "refusing to serve {addr} without access tokens: create one with `claimsignal token create`, \
                 listen on 127.0.0.1, or pass --insecure"
            );
        }
        tracing::warn!(%addr, "no access token configured: every caller is trusted");
    }
    let metrics = match &app.config().metrics_listen {
        Some(address) => {
            let address = if address.parse::<u16>().is_ok() {
                format!("127.0.0.1:{address}")
            } else {
                address.clone()
            };
            let metrics = TcpListener::bind(&address)
                .await
                .with_context(|| format!("cannot serve metrics on {address}"))?;
            let at = metrics.local_addr()?;
            if !at.ip().is_loopback() {
                tracing::warn!(%at, "metrics are served without authentication beyond loopback");
            }
            Some(metrics)
        }
        None => None,
    };
    crate::server::run_with(listener, metrics, Arc::new(app), shutdown_signal()).await?;
    Ok(0)
}

/// Resolves on the first SIGINT or SIGTERM; a second SIGINT exits at once.
async fn shutdown_signal() {
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => Some(signal),
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                None
            }
        };
    let sigterm = async {
        match terminate.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received; press Ctrl-C again to exit at once"),
        _ = sigterm => tracing::info!("SIGTERM received"),
    }
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::warn!("second SIGINT: exiting without draining");
            std::process::exit(130);
        }
    });
}

//! Starts the real server in-process on `127.0.0.1:0` over a data
//! directory that lives as long as the test.
//!
//! With `CLAIMSIGNAL_TEST_STORE=postgres` every server keeps its stores in a
//! scratch PostgreSQL instead of SQLite files: one per data directory, so a
//! server restarted on the same directory finds the same database.
//! `scripts/test` runs the service suites both ways.

#![allow(dead_code)]

pub mod raw;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use claimsignal::app::App;
use claimsignal::config::Config;
use claimsignal::proto::v1 as pb;
use claimsignal::proto::v1::admin_client::AdminClient;
use claimsignal::proto::v1::claims_client::ClaimsClient;
use claimsignal::proto::v1::matcher_client::MatcherClient;
use claimsignal::proto::v1::reports_client::ReportsClient;
use tokio::sync::oneshot;
use tonic::transport::Channel;

/// A running server.
pub struct TestServer {
    pub addr: SocketAddr,
    /// Where its Prometheus metrics are served.
    pub metrics_addr: SocketAddr,
    pub data_dir: PathBuf,
    stop_tx: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<claimsignal::Result<()>>>,
}

impl TestServer {
    /// Starts a server over `data_dir`.
    pub async fn start(data_dir: &Path) -> anyhow::Result<Self> {
        Self::start_with(Config {
            data_dir: data_dir.to_path_buf(),
            ..Config::default()
        })
        .await
    }

    /// Starts a server with this configuration.
    pub async fn start_with(mut config: Config) -> anyhow::Result<Self> {
        let data_dir = config.data_dir.clone();
        if config.store.url.is_none() && on_postgres() {
            let dir = data_dir.clone();
            config.store.url =
                Some(tokio::task::spawn_blocking(move || postgres_for(&dir)).await??);
        }
        let app = tokio::task::spawn_blocking(move || App::open(config)).await??;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let metrics_addr = metrics.local_addr()?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(claimsignal::server::run_with(
            listener,
            Some(metrics),
            Arc::new(app),
            async {
                let _ = stop_rx.await;
            },
        ));
        Ok(TestServer {
            addr,
            metrics_addr,
            data_dir,
            stop_tx: Some(stop_tx),
            handle: Some(handle),
        })
    }

    async fn channel(&self) -> anyhow::Result<Channel> {
        Ok(Channel::from_shared(format!("http://{}", self.addr))?
            .connect()
            .await?)
    }

    pub async fn claims(&self) -> anyhow::Result<ClaimsClient<Channel>> {
        Ok(ClaimsClient::new(self.channel().await?))
    }

    pub async fn matcher(&self) -> anyhow::Result<MatcherClient<Channel>> {
        Ok(MatcherClient::new(self.channel().await?))
    }

    pub async fn reports(&self) -> anyhow::Result<ReportsClient<Channel>> {
        Ok(ReportsClient::new(self.channel().await?))
    }

    pub async fn admin(&self) -> anyhow::Result<AdminClient<Channel>> {
        Ok(AdminClient::new(self.channel().await?))
    }

    /// Stops the server gracefully and waits for it: a hung shutdown hangs
    /// (and so fails) the test.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop_tx) = self.stop_tx.take() {
            let _ = stop_tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle.await??;
        }
        Ok(())
    }
}

/// True when the suites run on PostgreSQL (`CLAIMSIGNAL_TEST_STORE=postgres`).
pub fn on_postgres() -> bool {
    std::env::var("CLAIMSIGNAL_TEST_STORE").is_ok_and(|store| store == "postgres")
}

/// The URL of the scratch PostgreSQL of `data_dir`, started on first use.
/// The servers live as long as the test process (their watchdog stops
/// them when it exits).
fn postgres_for(data_dir: &Path) -> anyhow::Result<String> {
    static SERVERS: OnceLock<
        Mutex<HashMap<PathBuf, claimsignal::store::scratch::ScratchPostgres>>,
    > = OnceLock::new();
    let mut servers = SERVERS
        .get_or_init(Mutex::default)
        .lock()
        .map_err(|_| anyhow::anyhow!("scratch servers lock poisoned"))?;
    if let Some(server) = servers.get(data_dir) {
        return Ok(server.url().to_string());
    }
    let server = claimsignal::store::scratch::ScratchPostgres::start()?;
    let url = server.url().to_string();
    servers.insert(data_dir.to_path_buf(), server);
    Ok(url)
}

/// Returns the path of a fixture file.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Loads a file for a partner over `LoadClaims`, in small chunks so that
/// records straddle chunk boundaries.
pub async fn load(
    server: &TestServer,
    partner: &str,
    bytes: Vec<u8>,
) -> anyhow::Result<pb::LoadClaimsResponse> {
    let mut client = server.claims().await?;
    let header = pb::LoadHeader {
        partner: partner.into(),
        ..Default::default()
    };
    let mut messages = vec![pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Header(header)),
    }];
    messages.extend(bytes.chunks(100).map(|c| pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Chunk(c.to_vec())),
    }));
    Ok(client
        .load_claims(tokio_stream::iter(messages))
        .await?
        .into_inner())
}

/// Returns a text score request.
pub fn text_request(video_id: &str, market: &str, text: &str) -> pb::ScoreRequest {
    pb::ScoreRequest {
        request_id: format!("req-{video_id}"),
        video_id: video_id.into(),
        market: market.into(),
        content: Some(pb::score_request::Content::Text(text.into())),
        ..Default::default()
    }
}

/// Scores `text` as a caption of video-1 in `market` and
/// returns every match from confidence 0.01 up (a loose retelling sits
/// well under review).
pub async fn score_every_match(
    server: &TestServer,
    market: &str,
    text: &str,
) -> anyhow::Result<pb::ScoreResponse> {
    let mut request = text_request("video-1", market, text);
    request.min_confidence = Some(0.01);
    Ok(server.matcher().await?.score(request).await?.into_inner())
}

/// The confidence of `claim` (its id, or the end of it) in `response`, 0
/// when it is not there.
pub fn confidence_of(response: &pb::ScoreResponse, claim: &str) -> f32 {
    response
        .matches
        .iter()
        .find(|m| m.claim_id.ends_with(claim))
        .map_or(0.0, |m| m.confidence)
}

/// Returns `message` as a request carrying `token` as its bearer token.
pub fn with_token<T>(message: T, token: &str) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("ascii token"),
    );
    request
}

/// Scrapes `GET /metrics` with a plain HTTP/1.1 request; returns the
/// status line and the body.
pub async fn scrape(server: &TestServer) -> anyhow::Result<(String, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.metrics_addr).await?;
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    Ok((
        head.lines().next().unwrap_or("").to_string(),
        body.to_string(),
    ))
}

/// Returns the value of the sample `name` (with its labels as written).
pub fn sample(body: &str, name: &str) -> Option<f64> {
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
}

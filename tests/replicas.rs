//! Several replicas on one PostgreSQL: real `claimsignal serve` processes
//! (so `kill -9` is real) over a scratch PostgreSQL server the test starts
//! and, for the restart test, stops and starts again.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use claimsignal::proto::v1 as pb;
use claimsignal::proto::v1::claims_client::ClaimsClient;
use claimsignal::proto::v1::matcher_client::MatcherClient;
use claimsignal::proto::v1::reports_client::ReportsClient;
use claimsignal::store::scratch::ScratchPostgres;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

const URNAS: &str = "aosfatos:aosfatos-urnas-2022";
const URNAS_CAPTION: &str = "Atenção: as urnas eletrônicas foram programadas para transferir votos de um candidato para outro nessas eleições, compartilhe!";

/// How long a replica may take to start, or a change to reach the others,
/// before the test fails (generous: CI machines are shared).
const PATIENCE: Duration = Duration::from_secs(30);

/// A `claimsignal serve` process on its own data directory.
struct Replica {
    child: Child,
    node: Arc<Node>,
    _dir: tempfile::TempDir,
}

/// A replica's address, with the calls the tests make; outlives the process.
struct Node {
    addr: SocketAddr,
}

impl std::ops::Deref for Replica {
    type Target = Node;

    fn deref(&self) -> &Node {
        &self.node
    }
}

impl Replica {
    fn start(store: &str) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimsignal"))
            .args(["--log-format", "json", "serve", "--listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--store", store])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child.stderr.take().context("no stderr")?;
        let (lines_tx, lines_rx) = mpsc::channel();
        // Drains the log for the process's life so it never blocks on a
        // full pipe; the first "serving" line gives the address.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        let deadline = Instant::now() + PATIENCE;
        let mut log = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines_rx.recv_timeout(left) else {
                let _ = child.kill();
                bail!("replica did not start:\n{}", log.join("\n"));
            };
            let parsed: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
            let fields = &parsed["fields"];
            if fields["message"] == "serving" {
                let addr = fields["addr"].as_str().context("no addr")?.parse()?;
                return Ok(Replica {
                    child,
                    node: Arc::new(Node { addr }),
                    _dir: dir,
                });
            }
            log.push(line);
        }
    }

    /// SIGTERM, then waits: the exit status of a graceful shutdown.
    fn terminate(&mut self) -> anyhow::Result<std::process::ExitStatus> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        assert!(status.success());
        Ok(self.child.wait()?)
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    async fn channel(&self) -> anyhow::Result<Channel> {
        Ok(Channel::from_shared(format!("http://{}", self.addr))?
            .connect()
            .await?)
    }

    async fn load_fixture(&self) -> anyhow::Result<()> {
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/claims_election.jsonl"),
        )?;
        let messages = vec![
            pb::LoadClaimsRequest {
                item: Some(pb::load_claims_request::Item::Header(pb::LoadHeader {
                    partner: "aosfatos".into(),
                    ..Default::default()
                })),
            },
            pb::LoadClaimsRequest {
                item: Some(pb::load_claims_request::Item::Chunk(bytes)),
            },
        ];
        let report = ClaimsClient::new(self.channel().await?)
            .load_claims(tokio_stream::iter(messages))
            .await?
            .into_inner();
        assert!(report.inserted > 0, "{report:?}");
        Ok(())
    }

    async fn score(&self, video: &str, dry_run: bool) -> Result<pb::ScoreResponse, tonic::Status> {
        self.score_as(video, dry_run, None).await
    }

    /// Scores the urnas caption, with `token` as the bearer when given.
    async fn score_as(
        &self,
        video: &str,
        dry_run: bool,
        token: Option<&str>,
    ) -> Result<pb::ScoreResponse, tonic::Status> {
        let channel = self
            .channel()
            .await
            .map_err(|err| tonic::Status::unavailable(err.to_string()))?;
        let mut request = tonic::Request::new(pb::ScoreRequest {
            request_id: format!("req-{video}"),
            video_id: video.into(),
            market: "BR".into(),
            dry_run,
            // During the 2022 election the claim is about.
            observed_at: Some(prost_types::Timestamp {
                seconds: 1_664_000_000,
                nanos: 0,
            }),
            content: Some(pb::score_request::Content::Text(URNAS_CAPTION.into())),
            ..Default::default()
        });
        if let Some(token) = token {
            let value = format!("Bearer {token}")
                .parse()
                .map_err(|_| tonic::Status::invalid_argument("token"))?;
            request.metadata_mut().insert("authorization", value);
        }
        Ok(MatcherClient::new(channel)
            .score(request)
            .await?
            .into_inner())
    }

    async fn matches_urnas(&self) -> anyhow::Result<bool> {
        let response = self.score("probe", true).await?;
        Ok(response.matches.iter().any(|m| m.claim_id == URNAS))
    }

    /// Every logged hit, as (hit id, video id).
    async fn hits(&self) -> anyhow::Result<Vec<(String, String)>> {
        let mut client = ReportsClient::new(self.channel().await?);
        let (mut hits, mut page_token) = (Vec::new(), String::new());
        loop {
            let page = client
                .list_hits(pb::ListHitsRequest {
                    page_size: 1000,
                    page_token: page_token.clone(),
                    ..Default::default()
                })
                .await?
                .into_inner();
            hits.extend(page.hits.into_iter().map(|h| (h.id, h.video_id)));
            if page.next_page_token.is_empty() {
                return Ok(hits);
            }
            page_token = page.next_page_token;
        }
    }

    async fn health(&self) -> anyhow::Result<i32> {
        let response = HealthClient::new(self.channel().await?)
            .check(tonic_health::pb::HealthCheckRequest {
                service: String::new(),
            })
            .await?;
        Ok(response.into_inner().status)
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` until it holds; returns how long that took.
async fn eventually<F, Fut>(what: &str, mut check: F) -> anyhow::Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let start = Instant::now();
    let mut last_error = None;
    loop {
        match check().await {
            Ok(true) => return Ok(start.elapsed()),
            Ok(false) => {}
            Err(err) => last_error = Some(err),
        }
        if start.elapsed() > PATIENCE {
            bail!("{what}: not within {PATIENCE:?} (last error: {last_error:?})");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Hit id of the urnas match of a logged score.
fn urnas_hit(response: &pb::ScoreResponse) -> Option<String> {
    response
        .matches
        .iter()
        .find(|m| m.claim_id == URNAS && !m.hit_id.is_empty())
        .map(|m| m.hit_id.clone())
}

/// Asserts every acknowledged (hit, video) is stored, and each video once.
fn assert_all_present_once(acknowledged: &HashMap<String, String>, stored: &[(String, String)]) {
    let by_id: HashMap<&str, &str> = stored
        .iter()
        .map(|(id, video)| (id.as_str(), video.as_str()))
        .collect();
    let mut per_video: HashMap<&str, usize> = HashMap::new();
    for (_, video) in stored {
        *per_video.entry(video).or_default() += 1;
    }
    for (id, video) in acknowledged {
        assert_eq!(
            by_id.get(id.as_str()),
            Some(&video.as_str()),
            "acknowledged hit {id} lost"
        );
        assert_eq!(
            per_video[video.as_str()],
            1,
            "{video} counted more than once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_or_retraction_on_one_replica_reaches_the_other() -> anyhow::Result<()> {
    let pg = ScratchPostgres::start()?;
    let a = Replica::start(pg.url())?;
    let b = Replica::start(pg.url())?;
    assert!(!b.matches_urnas().await?);

    a.load_fixture().await?;
    let loaded = eventually("B matches a claim loaded on A", || b.matches_urnas()).await?;

    let retracted = ClaimsClient::new(b.channel().await?)
        .retract_claim(pb::RetractClaimRequest {
            id: URNAS.into(),
            reason: "test".into(),
        })
        .await?
        .into_inner();
    assert!(retracted.changed);
    let gone = eventually("A stops matching a claim retracted on B", || async {
        Ok(!a.matches_urnas().await?)
    })
    .await?;
    eprintln!("propagation: load {loaded:?}, retraction {gone:?}");

    // A replica started later builds its index from the shared store.
    let mut c = Replica::start(pg.url())?;
    let claim = ClaimsClient::new(c.channel().await?)
        .get_claim(pb::GetClaimRequest { id: URNAS.into() })
        .await?
        .into_inner();
    assert_eq!(claim.id, URNAS);
    assert!(!c.matches_urnas().await?, "retracted before C started");
    assert!(
        c.score("probe", true)
            .await?
            .matches
            .iter()
            .all(|m| m.claim_id != URNAS)
    );
    assert!(c.terminate()?.success(), "a graceful stop exits cleanly");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_video_scored_on_two_replicas_at_once_is_one_hit() -> anyhow::Result<()> {
    let pg = ScratchPostgres::start()?;
    let a = Replica::start(pg.url())?;
    let b = Replica::start(pg.url())?;
    a.load_fixture().await?;
    eventually("B has the claims", || b.matches_urnas()).await?;

    let videos: Vec<String> = (0..24).map(|i| format!("video-{i}")).collect();
    let mut calls = Vec::new();
    for video in &videos {
        for replica in [&a.node, &b.node] {
            let (replica, video) = (replica.clone(), video.clone());
            calls.push(tokio::spawn(async move {
                let response = replica.score(&video, false).await?;
                anyhow::Ok((video, urnas_hit(&response).context("no hit logged")?))
            }));
        }
    }
    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    for call in calls {
        let (video, id) = call.await??;
        ids.entry(video).or_default().push(id);
    }
    for (video, ids) in &ids {
        assert_eq!(ids.len(), 2);
        assert_eq!(
            ids[0], ids[1],
            "{video}: both replicas got the one hit's id"
        );
    }

    let stored = b.hits().await?;
    assert_eq!(stored.len(), videos.len(), "one hit per (video, claim)");
    let acknowledged: HashMap<String, String> = ids
        .into_iter()
        .map(|(video, ids)| (ids[0].clone(), video))
        .collect();
    assert_all_present_once(&acknowledged, &stored);

    // A review on one replica is seen on the other.
    let (hit_id, video) = acknowledged.iter().next().context("a hit")?;
    ReportsClient::new(a.channel().await?)
        .review_hit(pb::ReviewHitRequest {
            hit_id: hit_id.clone(),
            outcome: pb::ReviewOutcome::Confirmed as i32,
            action: pb::ReviewAction::Labelled as i32,
            reviewer: "ana".into(),
            note: String::new(),
            view_count: 0,
        })
        .await?;
    let confirmed = ReportsClient::new(b.channel().await?)
        .list_hits(pb::ListHitsRequest {
            filter: Some(pb::HitFilter {
                outcomes: vec![pb::ReviewOutcome::Confirmed as i32],
                ..Default::default()
            }),
            ..Default::default()
        })
        .await?
        .into_inner()
        .hits;
    assert_eq!(confirmed.len(), 1);
    assert_eq!(&confirmed[0].video_id, video);

    // Either replica's report counts every replica's hits.
    let summary = ReportsClient::new(a.channel().await?)
        .summarize(pb::SummarizeRequest::default())
        .await?
        .into_inner();
    let totals = summary.totals.context("totals")?;
    assert_eq!(totals.hits, videos.len() as u64);
    assert_eq!(totals.unique_videos, videos.len() as u64);
    Ok(())
}

/// Sends distinct videos to `replica` until `stop`, recording every
/// acknowledged hit; counts refused calls.
fn traffic(
    replica: Arc<Node>,
    prefix: String,
    acknowledged: Arc<Mutex<HashMap<String, String>>>,
    refused: Arc<Mutex<usize>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut n = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            n += 1;
            let video = format!("{prefix}-{n}");
            match replica.score(&video, false).await {
                Ok(response) => {
                    if let Some(id) = urnas_hit(&response) {
                        acknowledged.lock().expect("lock").insert(id, video);
                    }
                }
                Err(_) => {
                    *refused.lock().expect("lock") += 1;
                    // A dead or refusing replica answers at once; do not spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_a_replica_mid_traffic_loses_no_acknowledged_hit() -> anyhow::Result<()> {
    let pg = ScratchPostgres::start()?;
    let mut a = Replica::start(pg.url())?;
    let b = Replica::start(pg.url())?;
    a.load_fixture().await?;
    eventually("B has the claims", || b.matches_urnas()).await?;

    let acknowledged = Arc::new(Mutex::new(HashMap::new()));
    let refused = Arc::new(Mutex::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for w in 0..3 {
        for (name, replica) in [("a", &a.node), ("b", &b.node)] {
            workers.push(traffic(
                replica.clone(),
                format!("{name}{w}"),
                acknowledged.clone(),
                refused.clone(),
                stop.clone(),
            ));
        }
    }
    eventually("hits acknowledged on both replicas", || async {
        let acked = acknowledged.lock().expect("lock");
        let on = |p: char| acked.values().filter(|v| v.starts_with(p)).count();
        Ok(on('a') >= 20 && on('b') >= 20)
    })
    .await?;
    a.kill();
    let after_kill = acknowledged.lock().expect("lock").len();
    eventually("B keeps acknowledging", || async {
        Ok(acknowledged.lock().expect("lock").len() >= after_kill + 20)
    })
    .await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for worker in workers {
        worker.await?;
    }
    assert!(
        *refused.lock().expect("lock") > 0,
        "calls to the killed replica failed"
    );

    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert_all_present_once(&acknowledged, &b.hits().await?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_refuses_calls_then_resumes_losing_nothing() -> anyhow::Result<()> {
    let pg = ScratchPostgres::start()?;
    let a = Replica::start(pg.url())?;
    a.load_fixture().await?;

    let acknowledged = Arc::new(Mutex::new(HashMap::new()));
    let refused = Arc::new(Mutex::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..3)
        .map(|w| {
            traffic(
                a.node.clone(),
                format!("v{w}"),
                acknowledged.clone(),
                refused.clone(),
                stop.clone(),
            )
        })
        .collect();
    let acked = || acknowledged.lock().expect("lock").len();
    eventually("hits acknowledged", || async { Ok(acked() >= 20) }).await?;

    tokio::task::block_in_place(|| pg.stop_server())?;
    let serving = ServingStatus::Serving as i32;
    eventually("health NOT_SERVING while the database is down", || async {
        Ok(a.health().await? != serving)
    })
    .await?;
    eventually("calls refused while the database is down", || async {
        Ok(*refused.lock().expect("lock") > 0)
    })
    .await?;
    assert!(
        a.matches_urnas().await?,
        "dry-run scoring needs no database"
    );

    tokio::task::block_in_place(|| pg.start_server())?;
    eventually("health SERVING once the database is back", || async {
        Ok(a.health().await? == serving)
    })
    .await?;
    let before = acked();
    eventually("hits acknowledged again", || async {
        Ok(acked() >= before + 20)
    })
    .await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for worker in workers {
        worker.await?;
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert_all_present_once(&acknowledged, &a.hits().await?);
    Ok(())
}

/// Runs the `claimsignal` command line; returns its stdout.
fn cli(args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_claimsignal"))
        .args(args)
        .output()?;
    if !output.status.success() {
        bail!(
            "claimsignal {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_created_or_revoked_anywhere_hold_on_every_replica() -> anyhow::Result<()> {
    let pg = ScratchPostgres::start()?;
    let a = Replica::start(pg.url())?;
    let b = Replica::start(pg.url())?;
    a.load_fixture().await?;
    let cli_dir = tempfile::tempdir()?;
    let place = [
        "--store",
        pg.url(),
        "--data-dir",
        &cli_dir.path().to_string_lossy(),
    ];

    // The command line writes the shared table; running replicas pick it up.
    let created = cli(&[
        &[
            "token",
            "create",
            "--name",
            "pipeline-1",
            "--role",
            "pipeline",
        ],
        &place[..],
    ]
    .concat())?;
    let secret = created.trim().to_string();
    for replica in [&a, &b] {
        eventually("an anonymous call refused once a token exists", || async {
            let refused = replica.score_as("v", true, None).await;
            Ok(matches!(refused, Err(s) if s.code() == tonic::Code::Unauthenticated))
        })
        .await?;
        assert!(replica.score_as("v", true, Some(&secret)).await.is_ok());
    }

    let listed = cli(&[&["token", "list"], &place[..]].concat())?;
    let id = listed
        .lines()
        .find(|line| line.contains("pipeline-1"))
        .and_then(|line| line.split('\t').next())
        .context("token listed")?
        .to_string();
    cli(&[&["token", "revoke", &id], &place[..]].concat())?;
    for replica in [&a, &b] {
        eventually("a revoked token refused", || async {
            let refused = replica.score_as("v", true, Some(&secret)).await;
            Ok(matches!(refused, Err(s) if s.code() == tonic::Code::Unauthenticated))
        })
        .await?;
    }
    Ok(())
}

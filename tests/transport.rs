//! The transport: TLS, mutual TLS, and the global in-flight limit, over
//! real connections.

mod common;

use std::path::Path;

use claimsignal::config::{Config, Limits, TlsConfig};
use claimsignal::proto::v1 as pb;
use claimsignal::proto::v1::matcher_client::MatcherClient;
use common::{TestServer, text_request};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, KeyUsagePurpose};
use tonic::Code;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic_health::pb::health_client::HealthClient;

/// A certificate authority made for one test.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> anyhow::Result<Self> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        Ok(Ca {
            issuer: CertifiedIssuer::self_signed(params, KeyPair::generate()?)?,
        })
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A leaf certificate for `names`, as (certificate PEM, key PEM).
    fn leaf(&self, names: &[&str]) -> anyhow::Result<(String, String)> {
        let key = KeyPair::generate()?;
        let params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok((cert.pem(), key.serialize_pem()))
    }
}

/// Writes the server's PEM files into `dir` and returns the TLS settings.
fn server_tls(dir: &Path, ca: &Ca, client_ca: Option<&Ca>) -> anyhow::Result<TlsConfig> {
    let (cert, key) = ca.leaf(&["localhost", "127.0.0.1"])?;
    std::fs::write(dir.join("server.pem"), cert)?;
    std::fs::write(dir.join("server.key"), key)?;
    let client_ca = match client_ca {
        Some(client_ca) => {
            std::fs::write(dir.join("client-ca.pem"), client_ca.pem())?;
            Some(dir.join("client-ca.pem"))
        }
        None => None,
    };
    Ok(TlsConfig {
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
        client_ca,
    })
}

async fn start_tls(tls: TlsConfig, data_dir: &Path) -> anyhow::Result<TestServer> {
    TestServer::start_with(Config {
        data_dir: data_dir.to_path_buf(),
        tls: Some(tls),
        ..Config::default()
    })
    .await
}

async fn tls_channel(
    server: &TestServer,
    ca: &Ca,
    identity: Option<(String, String)>,
) -> Result<Channel, tonic::transport::Error> {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca.pem()))
        .domain_name("localhost");
    if let Some((cert, key)) = identity {
        tls = tls.identity(Identity::from_pem(cert, key));
    }
    Channel::from_shared(format!("https://localhost:{}", server.addr.port()))
        .expect("a valid URI")
        .tls_config(tls)?
        .connect()
        .await
}

async fn scores(channel: Channel) -> Result<pb::ScoreResponse, tonic::Status> {
    MatcherClient::new(channel)
        .score(text_request("v", "", "the ballots were counted twice"))
        .await
        .map(tonic::Response::into_inner)
}

#[tokio::test]
async fn tls_serves_clients_that_trust_its_ca_and_nobody_in_clear_text() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let ca = Ca::new("claimsignal test CA")?;
    let tls = server_tls(dir.path(), &ca, None)?;
    let server = start_tls(tls, &dir.path().join("data")).await?;

    let channel = tls_channel(&server, &ca, None).await?;
    scores(channel).await?;

    // Clear text to a TLS port gets no answer.
    let plain = Channel::from_shared(format!("http://{}", server.addr))?
        .connect()
        .await;
    if let Ok(plain) = plain {
        assert!(
            scores(plain).await.is_err(),
            "clear text must not be served"
        );
    }

    // A client that does not trust the server's CA refuses it.
    let stranger = Ca::new("someone else")?;
    let refused = match tls_channel(&server, &stranger, None).await {
        Ok(channel) => scores(channel).await.is_err(),
        Err(_) => true,
    };
    assert!(
        refused,
        "a certificate from an unknown CA must not be trusted"
    );
    server.stop().await
}

#[tokio::test]
async fn mutual_tls_admits_only_clients_with_a_certificate_from_its_ca() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server_ca = Ca::new("server CA")?;
    let client_ca = Ca::new("client CA")?;
    let tls = server_tls(dir.path(), &server_ca, Some(&client_ca))?;
    let server = start_tls(tls, &dir.path().join("data")).await?;

    let admitted = tls_channel(&server, &server_ca, Some(client_ca.leaf(&["pipeline-1"])?)).await?;
    scores(admitted).await?;

    let rejected = |result: Result<Channel, tonic::transport::Error>| async move {
        match result {
            Ok(channel) => scores(channel).await.is_err(),
            Err(_) => true,
        }
    };
    assert!(
        rejected(tls_channel(&server, &server_ca, None).await).await,
        "a client without a certificate is refused"
    );
    let impostor = Ca::new("client CA")?;
    assert!(
        rejected(tls_channel(&server, &server_ca, Some(impostor.leaf(&["pipeline-1"])?)).await)
            .await,
        "a certificate signed by another CA is refused"
    );
    server.stop().await
}

#[tokio::test]
async fn unreadable_certificate_is_named_at_start() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let tls = TlsConfig {
        cert: dir.path().join("missing.pem"),
        key: dir.path().join("missing.key"),
        client_ca: None,
    };
    let server = start_tls(tls, &dir.path().join("data")).await?;
    let err = server.stop().await.expect_err("the server cannot start");
    assert!(format!("{err:#}").contains("missing.pem"), "{err:#}");
    Ok(())
}

/// Starts a server whose limits are `limits`.
async fn start_with_limits(data_dir: &Path, limits: Limits) -> anyhow::Result<TestServer> {
    TestServer::start_with(Config {
        data_dir: data_dir.to_path_buf(),
        limits,
        ..Config::default()
    })
    .await
}

/// Opens a `ScoreStream` and has one request on it served.
async fn served_stream(
    matcher: &mut MatcherClient<Channel>,
) -> anyhow::Result<(
    tokio::sync::mpsc::Sender<pb::ScoreRequest>,
    tonic::Streaming<pb::ScoreResponse>,
)> {
    let (stream_tx, stream_rx) = tokio::sync::mpsc::channel(4);
    let mut stream = matcher
        .score_stream(tokio_stream::wrappers::ReceiverStream::new(stream_rx))
        .await?
        .into_inner();
    stream_tx
        .send(text_request("v1", "", "the ballots were counted twice"))
        .await?;
    assert!(stream.message().await?.is_some(), "the stream is served");
    Ok((stream_tx, stream))
}

/// Scores until the server has released the slot of a finished stream
/// (it does so once the stream's response body is dropped, just after the
/// client sees the end); false if it never does.
async fn served_once_a_slot_frees(matcher: &mut MatcherClient<Channel>) -> anyhow::Result<bool> {
    for _ in 0..200 {
        match matcher
            .score(text_request("v2", "", "the ballots were counted twice"))
            .await
        {
            Ok(_) => return Ok(true),
            Err(status) if status.code() == Code::ResourceExhausted => {
                tokio::task::yield_now().await
            }
            Err(status) => return Err(status.into()),
        }
    }
    Ok(false)
}

#[tokio::test]
async fn calls_over_the_in_flight_limit_are_refused_and_health_still_answers() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let server = start_with_limits(
        dir.path(),
        Limits {
            max_in_flight: 1,
            ..Limits::default()
        },
    )
    .await?;
    let mut matcher = server.matcher().await?;

    // An open stream holds the one slot until it ends.
    let (stream_tx, mut stream) = served_stream(&mut matcher).await?;

    let refused = matcher
        .score(text_request("v2", "", "the ballots were counted twice"))
        .await
        .expect_err("no slot left");
    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert!(refused.message().contains("max_in_flight"), "{refused:?}");

    let channel = Channel::from_shared(format!("http://{}", server.addr))?
        .connect()
        .await?;
    let health = HealthClient::new(channel)
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await?
        .into_inner();
    assert_eq!(
        health.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    // The stream ends; once the server has released its slot, calls pass.
    drop(stream_tx);
    assert!(stream.message().await?.is_none());
    drop(stream);
    let served = served_once_a_slot_frees(&mut matcher).await?;
    assert!(served, "the slot of a finished stream is given back");
    server.stop().await
}

#[tokio::test]
async fn a_silent_score_stream_is_ended_and_gives_its_slot_back() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start_with_limits(
        dir.path(),
        Limits {
            max_in_flight: 1,
            score_stream_idle_seconds: 1,
            ..Limits::default()
        },
    )
    .await?;
    let mut matcher = server.matcher().await?;
    let (stream_tx, mut stream) = served_stream(&mut matcher).await?;

    // The caller keeps the stream open and says nothing: the server ends it.
    let ended = stream.message().await.expect_err("ended by the server");
    assert_eq!(ended.code(), Code::DeadlineExceeded);
    assert!(
        ended.message().contains("score_stream_idle_seconds"),
        "{ended:?}"
    );
    drop(stream_tx);

    let served = served_once_a_slot_frees(&mut matcher).await?;
    assert!(served, "the silent stream's slot is given back");
    server.stop().await
}

#[tokio::test]
async fn messages_over_the_size_limit_are_refused_naming_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start_with_limits(
        dir.path(),
        Limits {
            max_message_bytes: 64 * 1024,
            ..Limits::default()
        },
    )
    .await?;
    let big = "the ballots were counted twice ".repeat(4_000);

    let mut matcher = server.matcher().await?;
    let refused = matcher
        .score(text_request("v", "", &big))
        .await
        .expect_err("over the limit");
    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    assert!(
        refused.message().contains("limits.max_message_bytes"),
        "{refused:?}"
    );

    let (stream_tx, stream_rx) = tokio::sync::mpsc::channel(4);
    let mut stream = matcher
        .score_stream(tokio_stream::wrappers::ReceiverStream::new(stream_rx))
        .await?
        .into_inner();
    stream_tx.send(text_request("v", "", &big)).await?;
    let ended = stream.message().await.expect_err("over the limit");
    assert_eq!(ended.code(), Code::ResourceExhausted, "{ended:?}");
    assert!(
        ended.message().contains("limits.max_message_bytes"),
        "{ended:?}"
    );

    let header = pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Header(pb::LoadHeader {
            partner: "p".into(),
            ..Default::default()
        })),
    };
    let chunk = pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Chunk(big.into_bytes())),
    };
    let refused = server
        .claims()
        .await?
        .load_claims(tokio_stream::iter(vec![header, chunk]))
        .await
        .expect_err("over the limit");
    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    assert!(
        refused.message().contains("limits.max_message_bytes"),
        "{refused:?}"
    );

    // Requests under the limit are still served.
    matcher
        .score(text_request("v", "", "the ballots were counted twice"))
        .await?;
    server.stop().await
}

#[tokio::test]
async fn each_request_limit_is_refused_naming_it_and_others_are_served() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start_with_limits(
        dir.path(),
        Limits {
            max_content_bytes: 1_000,
            max_segments: 3,
            max_load_bytes: 2_000,
            ..Limits::default()
        },
    )
    .await?;
    let mut matcher = server.matcher().await?;
    let refused = |status: tonic::Status, code: Code, limit: &str| {
        assert_eq!(status.code(), code, "{status:?}");
        assert!(status.message().contains(limit), "{status:?}");
    };

    let long = "the ballots were counted twice ".repeat(40);
    refused(
        matcher
            .score(text_request("v", "", &long))
            .await
            .unwrap_err(),
        Code::ResourceExhausted,
        "max_content_bytes",
    );

    let mut cues = text_request("v", "", "");
    cues.content = Some(pb::score_request::Content::Segments(pb::Segments {
        segments: (0..4u64)
            .map(|i| pb::Segment {
                start_ms: i * 1000,
                end_ms: i * 1000 + 900,
                text: "ballots".into(),
                ..Default::default()
            })
            .collect(),
    }));
    refused(
        matcher.score(cues).await.unwrap_err(),
        Code::ResourceExhausted,
        "max_segments",
    );

    let mut many = text_request("v", "", "the ballots were counted twice");
    many.max_matches = 10_000;
    refused(
        matcher.score(many).await.unwrap_err(),
        Code::InvalidArgument,
        "max_matches",
    );

    let header = pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Header(pb::LoadHeader {
            partner: "p".into(),
            ..Default::default()
        })),
    };
    let chunk = |bytes: Vec<u8>| pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Chunk(bytes)),
    };
    let line = b"{\"id\": \"1\", \"text\": \"The ballots were counted twice in the capital\"}\n";
    let file: Vec<u8> = line.iter().copied().cycle().take(line.len() * 40).collect();
    let mut claims = server.claims().await?;
    refused(
        claims
            .load_claims(tokio_stream::iter(vec![
                header.clone(),
                chunk(file[..1_500].to_vec()),
                chunk(file[1_500..].to_vec()),
            ]))
            .await
            .unwrap_err(),
        Code::ResourceExhausted,
        "max_load_bytes",
    );

    // Within the limits, everything works.
    let loaded = claims
        .load_claims(tokio_stream::iter(vec![header, chunk(line.to_vec())]))
        .await?
        .into_inner();
    assert_eq!(loaded.inserted, 1);
    let found = matcher
        .score(text_request(
            "v",
            "",
            "the ballots were counted twice in the capital",
        ))
        .await?
        .into_inner();
    assert_eq!(found.matches.len(), 1);
    server.stop().await
}

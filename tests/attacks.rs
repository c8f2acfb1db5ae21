//! The service attacked as an outsider, a rogue partner and a careless
//! operator would: every attack is bounded in count and time, and sent to
//! a server of the test's own on loopback.

mod common;

use std::time::{Duration, Instant};

use claimsignal::auth::{Auth, Role};
use claimsignal::config::{Config, Limits};
use claimsignal::proto::v1 as pb;
use common::raw::{RawConnection, frame, status};
use common::{TestServer, load, text_request, with_token};
use prost::Message;
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

const SCORE: &str = "/claimsignal.v1.Matcher/Score";
const CLAIM: &str = "{\"id\": \"urnas-1\", \"text\": \"As urnas eletrônicas foram programadas para transferir votos para outro candidato\", \"language\": \"pt\"}\n";
const CAPTION: &str =
    "as urnas eletrônicas foram programadas para transferir votos para outro candidato";

async fn start(dir: &std::path::Path, limits: Limits) -> anyhow::Result<TestServer> {
    TestServer::start_with(Config {
        data_dir: dir.to_path_buf(),
        limits,
        ..Config::default()
    })
    .await
}

/// Tokens made in the server's SQLite claim store.
struct Tokens {
    auth: Auth,
    admin: String,
    pipeline: String,
    pipeline_id: i64,
}

fn tokens(dir: &std::path::Path) -> anyhow::Result<Tokens> {
    let auth = Auth::open(&dir.join("claims.db"))?;
    let (_, admin) = auth.create("root", &[Role::Admin], None, "test")?;
    let (info, pipeline) = auth.create("platform", &[Role::Pipeline], None, "test")?;
    Ok(Tokens {
        auth,
        admin,
        pipeline,
        pipeline_id: info.id,
    })
}

fn score_message() -> bytes::Bytes {
    frame(&text_request("v", "BR", CAPTION).encode_to_vec())
}

#[tokio::test]
async fn an_unauthenticated_flood_holds_no_slot_and_token_holders_are_served() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let server = start(
        dir.path(),
        Limits {
            max_in_flight: 8,
            ..Limits::default()
        },
    )
    .await?;
    let tokens = tokens(dir.path())?;

    // Four times the server's slots in calls that send headers and no
    // body, with no token, over two connections: each is refused at once.
    let mut refused = Vec::new();
    for connection in 0..2 {
        let mut raw = RawConnection::open(server.addr).await?;
        for _ in 0..16 {
            let (response, body) = raw.open_call(SCORE, None).await?;
            refused.push((status(response).await?, body));
        }
        assert_eq!(refused.len(), 16 * (connection + 1));
    }
    for ((code, message), _body) in &refused {
        assert_eq!(*code, Code::Unauthenticated as i32, "{message}");
    }

    // The bodies are still withheld: an admin and a pipeline are served.
    let mut matcher = server.matcher().await?;
    for token in [&tokens.admin, &tokens.pipeline] {
        matcher
            .score(with_token(text_request("v", "BR", CAPTION), token))
            .await?;
    }
    drop(refused);
    server.stop().await
}

#[tokio::test]
async fn one_caller_cannot_take_every_slot_and_withheld_bodies_are_dropped() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start(
        dir.path(),
        Limits {
            max_in_flight: 8,
            max_in_flight_per_caller: 4,
            request_body_seconds: 1,
            ..Limits::default()
        },
    )
    .await?;
    let tokens = tokens(dir.path())?;
    let mut raw = RawConnection::open(server.addr).await?;

    // The pipeline's own calls, bodies withheld: four take a slot each...
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(raw.open_call(SCORE, Some(&tokens.pipeline)).await?);
    }
    // ...and a fifth is over its share, while slots are left for others.
    let (fifth, _fifth_body) = raw.open_call(SCORE, Some(&tokens.pipeline)).await?;
    let (code, message) = status(fifth).await?;
    assert_eq!(code, Code::ResourceExhausted as i32, "{message}");
    assert!(message.contains("max_in_flight_per_caller"), "{message}");
    server
        .matcher()
        .await?
        .score(with_token(text_request("v", "BR", CAPTION), &tokens.admin))
        .await?;

    // A body that never comes is given up after request_body_seconds.
    for (response, _body) in held {
        let (code, message) = status(response).await?;
        assert_eq!(code, Code::DeadlineExceeded as i32, "{message}");
        assert!(message.contains("request_body_seconds"), "{message}");
    }
    // Their slots are free again.
    let (again, mut body) = raw.open_call(SCORE, Some(&tokens.pipeline)).await?;
    common::raw::send_all(&mut body, score_message()).await?;
    assert_eq!(status(again).await?.0, Code::Ok as i32);
    server.stop().await
}

#[tokio::test]
async fn a_revoked_token_stops_working_on_an_open_stream() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start(dir.path(), Limits::default()).await?;
    let tokens = tokens(dir.path())?;
    let mut matcher = server.matcher().await?;
    let (requests_tx, requests_rx) = tokio::sync::mpsc::channel(4);
    let mut responses = matcher
        .score_stream(with_token(
            tokio_stream::wrappers::ReceiverStream::new(requests_rx),
            &tokens.pipeline,
        ))
        .await?
        .into_inner();
    requests_tx.send(text_request("v1", "BR", CAPTION)).await?;
    let first = responses.message().await?.expect("served");
    assert!(first.error.is_none(), "{first:?}");

    tokens.auth.revoke(tokens.pipeline_id, "test")?;
    let revoked_at = Instant::now();
    // Keep sending, a request every 100 ms, as a pipeline would.
    let ended = loop {
        requests_tx.send(text_request("v2", "BR", CAPTION)).await?;
        match responses.message().await {
            Ok(Some(_)) => tokio::time::sleep(Duration::from_millis(100)).await,
            Ok(None) => anyhow::bail!("the stream ended with no status"),
            Err(status) => break status,
        }
        anyhow::ensure!(
            revoked_at.elapsed() < Duration::from_secs(10),
            "the revoked token still scores"
        );
    };
    assert_eq!(ended.code(), Code::Unauthenticated, "{ended:?}");
    assert!(revoked_at.elapsed() < Duration::from_secs(3));
    server.stop().await
}

#[tokio::test]
async fn a_stream_is_held_to_the_rate_limit_message_by_message() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start(
        dir.path(),
        Limits {
            // One call an hour, in bursts of three.
            rate_per_token: 1.0 / 3600.0,
            rate_burst: 3.0,
            ..Limits::default()
        },
    )
    .await?;
    let tokens = tokens(dir.path())?;
    let requests: Vec<_> = (0..20)
        .map(|i| text_request(&format!("v{i}"), "BR", CAPTION))
        .collect();
    let mut responses = server
        .matcher()
        .await?
        .score_stream(with_token(tokio_stream::iter(requests), &tokens.pipeline))
        .await?
        .into_inner();
    let (mut served, mut limited) = (0, 0);
    while let Some(response) = responses.message().await? {
        match response.error {
            None => served += 1,
            Some(error) => {
                assert_eq!(error.code, "RESOURCE_EXHAUSTED", "{error:?}");
                limited += 1;
            }
        }
    }
    // The stream itself took one call of the burst.
    assert_eq!((served, limited), (2, 18));
    server.stop().await
}

#[tokio::test]
async fn a_partner_cannot_occupy_another_partners_ids() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start(dir.path(), Limits::default()).await?;
    // A rogue partner loads the id the other partner's ClaimReview will
    // get, and the digest id of the other's record without an identifier.
    let squatted = "{\"id\": \"pb:urn-777\", \"text\": \"squatted\", \"language\": \"pt\"}\n";
    let rogue = load(&server, "rogue", squatted.as_bytes().to_vec()).await?;
    assert_eq!(rogue.inserted, 1);
    let review = r#"{"@context": "https://schema.org", "@type": "ClaimReview", "identifier": "urn-777",
        "claimReviewed": "As urnas eletrônicas foram programadas para transferir votos",
        "reviewRating": {"@type": "Rating", "alternateName": "Falso"}, "inLanguage": "pt"}"#;
    let own = load(&server, "pb", review.as_bytes().to_vec()).await?;
    assert_eq!((own.inserted, own.rejected), (1, 0), "{:?}", own.rejections);
    let mut claims = server.claims().await?;
    let stored = claims
        .get_claim(pb::GetClaimRequest {
            id: "pb:urn-777".into(),
        })
        .await?
        .into_inner();
    assert_eq!(stored.partner, "pb");
    let rogues = claims
        .get_claim(pb::GetClaimRequest {
            id: "rogue:pb:urn-777".into(),
        })
        .await?
        .into_inner();
    assert_eq!(
        rogues.partner, "rogue",
        "the rogue's record is in its own namespace"
    );
    let colon = load(&server, "pb:x", CLAIM.as_bytes().to_vec())
        .await
        .expect_err("a partner name holding a colon would nest namespaces");
    assert!(colon.to_string().contains("partner name"), "{colon}");
    server.stop().await
}

#[tokio::test]
async fn a_second_server_on_the_same_sqlite_store_is_refused() -> anyhow::Result<()> {
    let store = tempfile::tempdir()?;
    let first_dir = tempfile::tempdir()?;
    let second_dir = tempfile::tempdir()?;
    let config = |data_dir: &std::path::Path| Config {
        data_dir: data_dir.to_path_buf(),
        store: claimsignal::config::StoreConfig {
            url: Some(format!("sqlite://{}", store.path().display())),
            ..Default::default()
        },
        ..Config::default()
    };
    let first = TestServer::start_with(config(first_dir.path())).await?;
    let refused = TestServer::start_with(config(second_dir.path()))
        .await
        .err()
        .expect("the store is in use");
    assert!(refused.to_string().contains("in use"), "{refused}");
    first.stop().await?;
    // Once the first has stopped, the store is free.
    TestServer::start_with(config(second_dir.path()))
        .await?
        .stop()
        .await
}

#[tokio::test]
async fn a_stop_reports_not_serving_ends_idle_streams_and_drains_in_time() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start_with(Config {
        data_dir: dir.path().to_path_buf(),
        drain_seconds: 2,
        limits: Limits {
            request_body_seconds: 60,
            ..Limits::default()
        },
        ..Config::default()
    })
    .await?;
    let mut matcher = server.matcher().await?;
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", server.addr))?
        .connect()
        .await?;
    let mut health = HealthClient::new(channel);

    // An idle stream, and a call whose body never comes (it holds its slot
    // until the drain deadline).
    let (requests_tx, requests_rx) = tokio::sync::mpsc::channel(4);
    let mut idle = matcher
        .score_stream(tokio_stream::wrappers::ReceiverStream::new(requests_rx))
        .await?
        .into_inner();
    requests_tx.send(text_request("v", "BR", CAPTION)).await?;
    idle.message().await?.expect("served");
    let mut raw = RawConnection::open(server.addr).await?;
    let (_stuck, _stuck_body) = raw.open_call(SCORE, None).await?;

    let stopped_at = Instant::now();
    let stopping = tokio::spawn(server.stop());
    let ended = idle.message().await.expect_err("told to end");
    assert_eq!(ended.code(), Code::Unavailable, "{ended:?}");
    // The listener still answers: health says NOT_SERVING, calls are refused.
    let said = health
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await?
        .into_inner();
    assert_eq!(said.status, ServingStatus::NotServing as i32);
    let refused = matcher
        .score(text_request("v", "BR", CAPTION))
        .await
        .expect_err("stopping");
    assert_eq!(refused.code(), Code::Unavailable);

    tokio::time::timeout(Duration::from_secs(10), stopping).await???;
    let took = stopped_at.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(6),
        "stopped in {took:?} with a 2 s drain"
    );
    drop(requests_tx);
    Ok(())
}

#[tokio::test]
async fn undecodable_empty_and_anonymous_requests_are_the_callers_fault() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start(dir.path(), Limits::default()).await?;
    let mut raw = RawConnection::open(server.addr).await?;
    let cases = [
        (frame(&[0xff, 0xff, 0xff]), "not valid protobuf"),
        (bytes::Bytes::new(), "no message"),
        (frame(b"\x0a\x05ab"), "not valid protobuf"),
    ];
    for (body, reason) in cases {
        let (code, message) = status(raw.call(SCORE, None, body).await?).await?;
        assert_eq!(code, Code::InvalidArgument as i32, "{message}");
        assert!(message.contains(reason), "{message}");
    }
    // Small methods take no more than they need.
    let big = frame(&vec![b'x'; 2 * 1024 * 1024]);
    let (code, message) = status(
        raw.call("/claimsignal.v1.Reports/Summarize", None, big)
            .await?,
    )
    .await?;
    assert_eq!(code, Code::ResourceExhausted as i32, "{message}");

    let mut matcher = server.matcher().await?;
    let anonymous = matcher
        .score(text_request("", "BR", CAPTION))
        .await
        .expect_err("a hit needs a video");
    assert_eq!(anonymous.code(), Code::InvalidArgument);
    assert!(anonymous.message().contains("video_id"), "{anonymous:?}");
    let mut dry = text_request("", "BR", CAPTION);
    dry.dry_run = true;
    matcher.score(dry).await?;

    let mut reports = server.reports().await?;
    let huge_filter = pb::SummarizeRequest {
        filter: Some(pb::HitFilter {
            partners: (0..32_767).map(|i| format!("p{i}")).collect(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let refused = reports.summarize(huge_filter).await.expect_err("bounded");
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert!(refused.message().contains("filter.partners"), "{refused:?}");
    let token: String = "hits:18446744073709551615"
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    let wrapped = reports
        .list_hits(pb::ListHitsRequest {
            page_token: token,
            ..Default::default()
        })
        .await
        .expect_err("out of range");
    assert_eq!(wrapped.code(), Code::InvalidArgument);
    server.stop().await
}

#[tokio::test]
async fn a_large_load_answers_within_a_stock_clients_limit() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = start(dir.path(), Limits::default()).await?;
    // 40,000 records, half refused: every record listed would be several
    // MB, over the 4 MiB a stock client accepts.
    let mut file = String::new();
    for i in 0..20_000 {
        file.push_str(&format!(
            "{{\"id\": \"c-{i}\", \"text\": \"Claim number {i} about ballots counted twice\", \"language\": \"en\"}}\n"
        ));
        file.push_str(&format!("{{\"id\": \"bad-{i}\", \"text\": \"\"}}\n"));
    }
    let mut client = server.claims().await?;
    let header = pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Header(pb::LoadHeader {
            partner: "big".into(),
            ..Default::default()
        })),
    };
    let chunks = file.into_bytes();
    let messages =
        std::iter::once(header).chain(chunks.chunks(1 << 20).map(|c| pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Chunk(c.to_vec())),
        }));
    let report = client
        .load_claims(tokio_stream::iter(messages.collect::<Vec<_>>()))
        .await?
        .into_inner();
    assert_eq!((report.inserted, report.rejected), (20_000, 20_000));
    assert_eq!(report.rejections.len(), 1_000, "the first refusals");
    assert_eq!(report.rejections_omitted, 19_000);
    assert!(report.records.is_empty(), "every record only when asked");
    server.stop().await
}

/// Clients of every kind writing and reading at once for a few seconds
/// (`CLAIMSIGNAL_SOAK_SECONDS`, 5 by default): not one call may fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mixed_writers_and_readers_never_fail() -> anyhow::Result<()> {
    let seconds: u64 = std::env::var("CLAIMSIGNAL_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir()?;
    let server = start(dir.path(), Limits::default()).await?;
    load(&server, "seed", CLAIM.as_bytes().to_vec()).await?;
    let mut matcher = server.matcher().await?;
    let seeded = matcher
        .score(text_request("seed-video", "BR", CAPTION))
        .await?
        .into_inner();
    let hit_id = seeded.matches[0].hit_id.clone();
    anyhow::ensure!(!hit_id.is_empty(), "the seed caption makes a hit");

    let until = Instant::now() + Duration::from_secs(seconds);
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..8usize {
        let (mut claims, mut matcher, mut reports) = (
            server.claims().await?,
            server.matcher().await?,
            server.reports().await?,
        );
        let hit_id = hit_id.clone();
        clients.spawn(async move {
            let mut calls = 0u64;
            let mut round = 0u64;
            while Instant::now() < until {
                round += 1;
                let partner = format!("partner-{client}");
                let outcome: Result<(), tonic::Status> = match (client + round as usize) % 6 {
                    0 => matcher
                        .score(text_request(&format!("v-{client}-{round}"), "BR", CAPTION))
                        .await
                        .map(drop),
                    1 => {
                        let record = format!(
                            "{{\"id\": \"c-{round}\", \"text\": \"Claim {round} of {partner}: as urnas transferem votos\", \"language\": \"pt\"}}\n"
                        );
                        let messages = vec![
                            pb::LoadClaimsRequest {
                                item: Some(pb::load_claims_request::Item::Header(pb::LoadHeader {
                                    partner: partner.clone(),
                                    ..Default::default()
                                })),
                            },
                            pb::LoadClaimsRequest {
                                item: Some(pb::load_claims_request::Item::Chunk(record.into_bytes())),
                            },
                        ];
                        claims.load_claims(tokio_stream::iter(messages)).await.map(drop)
                    }
                    2 => claims
                        .upsert_claim(pb::UpsertClaimRequest {
                            claim: Some(pb::Claim {
                                id: format!("u-{round}"),
                                partner: partner.clone(),
                                text: format!("Upserted claim {round} about ballots"),
                                language: "en".into(),
                                ..Default::default()
                            }),
                        })
                        .await
                        .map(drop),
                    3 => claims
                        .retract_claim(pb::RetractClaimRequest {
                            id: format!("{partner}:u-{}", round.saturating_sub(6)),
                            reason: String::new(),
                        })
                        .await
                        .map(drop)
                        .or_else(|status| match status.code() {
                            Code::NotFound => Ok(()),
                            _ => Err(status),
                        }),
                    4 => reports
                        .review_hit(pb::ReviewHitRequest {
                            hit_id: hit_id.clone(),
                            outcome: pb::ReviewOutcome::Confirmed as i32,
                            action: pb::ReviewAction::Labelled as i32,
                            reviewer: format!("reviewer-{client}"),
                            ..Default::default()
                        })
                        .await
                        .map(drop),
                    _ => reports
                        .summarize(pb::SummarizeRequest::default())
                        .await
                        .map(drop),
                };
                outcome.map_err(|status| (client, round, status))?;
                calls += 1;
            }
            Ok::<u64, (usize, u64, tonic::Status)>(calls)
        });
    }
    let mut total = 0;
    while let Some(joined) = clients.join_next().await {
        match joined? {
            Ok(calls) => total += calls,
            Err((client, round, status)) => {
                anyhow::bail!("client {client} failed in round {round}: {status:?}")
            }
        }
    }
    eprintln!("{total} calls by 8 clients in {seconds} s, none failed");
    assert!(total > 8, "{total} calls");
    server.stop().await
}

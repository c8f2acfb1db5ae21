//! End-to-end behaviour of the service through its gRPC API.

mod common;

use claimsignal::proto::v1 as pb;
use common::{TestServer, fixture, load, text_request};
use tonic::Code;

const URNAS_CAPTION: &str = "Atenção: as urnas eletrônicas foram programadas para transferir votos de um candidato para outro nessas eleições, compartilhe!";

async fn election_server(dir: &std::path::Path) -> anyhow::Result<TestServer> {
    let server = TestServer::start(dir).await?;
    let report = load(
        &server,
        "partners",
        std::fs::read(fixture("claims_election.jsonl"))?,
    )
    .await?;
    assert_eq!(report.inserted, 6, "{:?}", report.rejections);
    Ok(server)
}

#[tokio::test]
async fn loaded_claim_is_found_logged_and_retracted() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = election_server(dir.path()).await?;
    let mut matcher = server.matcher().await?;

    let mut request = text_request("video-1", "BR", URNAS_CAPTION);
    request.observed_at = Some(prost_types::Timestamp {
        seconds: 1_664_000_000,
        nanos: 0,
    }); // 2022-09-24
    let response = matcher.score(request.clone()).await?.into_inner();
    assert_eq!(response.request_id, "req-video-1");
    assert_eq!(response.language, "pt");
    let best = response.matches.first().expect("a match");
    assert_eq!(best.claim_id, "partners:aosfatos-urnas-2022");
    assert_eq!(best.verdict, pb::Verdict::False as i32);
    assert_eq!(best.rating_text, "Falso");
    assert!(
        best.confidence > 0.8 && best.confidence <= 1.0,
        "{}",
        best.confidence
    );
    assert_eq!(response.decision, pb::Decision::Auto as i32);
    assert!(!best.hit_id.is_empty(), "an auto match is logged");
    assert!(
        best.matched_terms.iter().any(|t| t == "urnas"),
        "{:?}",
        best.matched_terms
    );

    // Other market, or outside the claim's validity window: no match.
    let elsewhere = matcher
        .score(text_request("video-1", "MX", URNAS_CAPTION))
        .await?
        .into_inner();
    assert!(
        elsewhere
            .matches
            .iter()
            .all(|m| m.claim_id != "partners:aosfatos-urnas-2022")
    );
    let mut later = request.clone();
    later.observed_at = Some(prost_types::Timestamp {
        seconds: 1_700_000_000,
        nanos: 0,
    }); // 2023-11
    let expired = matcher.score(later).await?.into_inner();
    assert!(
        expired
            .matches
            .iter()
            .all(|m| m.claim_id != "partners:aosfatos-urnas-2022")
    );

    let mut claims = server.claims().await?;
    let retracted = claims
        .retract_claim(pb::RetractClaimRequest {
            id: "partners:aosfatos-urnas-2022".into(),
            reason: String::new(),
        })
        .await?;
    assert!(retracted.get_ref().changed);
    let after = matcher.score(request).await?.into_inner();
    assert!(
        after
            .matches
            .iter()
            .all(|m| m.claim_id != "partners:aosfatos-urnas-2022"),
        "{after:?}"
    );
    assert_eq!(after.decision, pb::Decision::None as i32);
    let stored = claims
        .get_claim(pb::GetClaimRequest {
            id: "partners:aosfatos-urnas-2022".into(),
        })
        .await?
        .into_inner();
    assert_eq!(stored.status, pb::ClaimStatus::Retracted as i32);
    server.stop().await
}

#[tokio::test]
async fn restart_keeps_claims_and_hits_without_duplicates() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = election_server(dir.path()).await?;
    let caption =
        "Thousands of dead people voted in the county election, says a leaked list of ballots";
    let first = server
        .matcher()
        .await?
        .score(text_request("video-9", "US", caption))
        .await?
        .into_inner();
    let first_hit = first.matches[0].hit_id.clone();
    assert_eq!(first.matches[0].claim_id, "partners:factcheck-dead-voters");
    assert!(!first_hit.is_empty());
    server.stop().await?;

    let server = TestServer::start(dir.path()).await?;
    let again = server
        .matcher()
        .await?
        .score(text_request("video-9", "US", caption))
        .await?
        .into_inner();
    assert_eq!(again.matches[0].claim_id, "partners:factcheck-dead-voters");
    assert_eq!(
        again.matches[0].hit_id, first_hit,
        "the same video and claim is one hit"
    );
    let reload = load(
        &server,
        "partners",
        std::fs::read(fixture("claims_election.jsonl"))?,
    )
    .await?;
    assert_eq!(
        (reload.inserted, reload.updated, reload.unchanged),
        (0, 0, 6)
    );
    let listed = server
        .claims()
        .await?
        .list_claims(pb::ListClaimsRequest::default())
        .await?
        .into_inner();
    assert_eq!(listed.claims.len(), 6);
    let hits = server
        .reports()
        .await?
        .list_hits(pb::ListHitsRequest::default())
        .await?
        .into_inner();
    assert_eq!(hits.hits.len(), 1);
    assert_eq!(hits.hits[0].times_seen, 2);
    server.stop().await
}

#[tokio::test]
async fn broken_records_are_named_and_good_ones_load() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let report = load(
        &server,
        "factcheck",
        std::fs::read(fixture("claims_broken.jsonl"))?,
    )
    .await?;
    assert_eq!(report.inserted, 2);
    assert_eq!(report.rejected, 5);
    let by_line: Vec<(u64, &str)> = report
        .rejections
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        by_line.iter().map(|r| r.0).collect::<Vec<_>>(),
        [2, 3, 4, 5, 6]
    );
    assert!(by_line[0].1.starts_with("not valid JSON"));
    assert!(by_line[1].1.contains("no text"));
    assert!(by_line[2].1.contains("`text` must be a string"));
    assert!(by_line[3].1.contains("\"QQ\""));
    assert!(by_line[4].1.contains("UTF-8"));
    assert_eq!(report.rejections[1].claim_id, "no-text");
    // The service is still up, and the good records match.
    let response = server
        .matcher()
        .await?
        .score(text_request(
            "v",
            "",
            "polling stations closed two hours early in several districts to stop voting",
        ))
        .await?
        .into_inner();
    assert_eq!(response.matches[0].claim_id, "factcheck:good-2");
    server.stop().await
}

#[tokio::test]
async fn bad_score_requests_are_refused_and_the_stream_goes_on() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = election_server(dir.path()).await?;
    let mut matcher = server.matcher().await?;
    for empty in ["", "   \n\t "] {
        let status = matcher
            .score(text_request("v", "", empty))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument);
        assert!(status.message().contains("empty"), "{}", status.message());
    }
    let status = matcher
        .score(text_request("v", "ZZ", "text"))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);

    let requests = vec![
        text_request(
            "a",
            "US",
            "Thousands of dead people voted in the county election",
        ),
        text_request("b", "", "   "),
        text_request(
            "c",
            "AR",
            "Las boletas de papel ya venían marcadas a favor de un candidato en Buenos Aires",
        ),
    ];
    let mut stream = matcher
        .score_stream(tokio_stream::iter(requests))
        .await?
        .into_inner();
    let mut responses = std::collections::HashMap::new();
    while let Some(response) = stream.message().await? {
        responses.insert(response.request_id.clone(), response);
    }
    assert_eq!(responses.len(), 3);
    assert_eq!(
        responses["req-a"].matches[0].claim_id,
        "partners:factcheck-dead-voters"
    );
    let error = responses["req-b"]
        .error
        .as_ref()
        .expect("an error response");
    assert_eq!(error.code, "INVALID_ARGUMENT");
    assert_eq!(
        responses["req-c"].matches[0].claim_id,
        "partners:chequeado-boletas-2023"
    );
    server.stop().await
}

#[tokio::test]
async fn reviews_show_in_hits_and_summaries() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = election_server(dir.path()).await?;
    let mut matcher = server.matcher().await?;
    let caption = "Jutaan surat suara sudah dicoblos untuk pasangan calon tertentu sebelum hari pemungutan suara";
    let mut ids = Vec::new();
    for (video, views) in [("v1", 100), ("v2", 50), ("v1", 300)] {
        let mut request = text_request(video, "ID", caption);
        request.view_count = views;
        let response = matcher.score(request).await?.into_inner();
        assert_eq!(response.matches[0].claim_id, "partners:mafindo-surat-suara");
        ids.push(response.matches[0].hit_id.clone());
    }
    assert_eq!(ids[0], ids[2]);
    let mut reports = server.reports().await?;
    let reviewed = reports
        .review_hit(pb::ReviewHitRequest {
            hit_id: ids[0].clone(),
            outcome: pb::ReviewOutcome::Confirmed as i32,
            action: pb::ReviewAction::Removed as i32,
            reviewer: "rina".into(),
            note: String::new(),
            view_count: 0,
        })
        .await?
        .into_inner();
    assert_eq!(
        reviewed.review.map(|r| r.outcome),
        Some(pb::ReviewOutcome::Confirmed as i32)
    );
    let missing = reports
        .review_hit(pb::ReviewHitRequest {
            hit_id: "999".into(),
            outcome: pb::ReviewOutcome::Rejected as i32,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);

    let summary = reports
        .summarize(pb::SummarizeRequest {
            filter: None,
            group_by: vec![pb::GroupBy::Partner as i32],
            top_claims: 3,
        })
        .await?
        .into_inner();
    assert_eq!(summary.top_claims.len(), 1);
    assert_eq!(
        summary.top_claims[0].claim_id,
        "partners:mafindo-surat-suara"
    );
    assert!(summary.top_claims[0].text.starts_with("Jutaan surat suara"));
    let totals = summary.totals.expect("totals");
    assert_eq!(
        (totals.hits, totals.unique_videos, totals.views),
        (2, 2, 350)
    );
    assert_eq!(
        (totals.confirmed, totals.removed, totals.pending),
        (1, 1, 1)
    );
    assert_eq!(summary.rows.len(), 1);
    assert_eq!(summary.rows[0].keys, ["partners"]);

    let mut export = reports
        .export_hits(pb::ExportHitsRequest::default())
        .await?
        .into_inner();
    let mut exported = 0;
    while export.message().await?.is_some() {
        exported += 1;
    }
    assert_eq!(exported, 2);
    server.stop().await
}

#[tokio::test]
async fn a_second_server_on_the_same_data_dir_is_refused() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let second = TestServer::start(dir.path()).await;
    let err = second
        .err()
        .expect("the second server must not start")
        .to_string();
    assert!(
        err.contains("in use by another claimsignal process"),
        "{err}"
    );
    server.stop().await?;
    // Once the first is gone the directory opens again.
    TestServer::start(dir.path()).await?.stop().await
}

#[tokio::test]
async fn claims_list_in_pages_and_search() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = election_server(dir.path()).await?;
    let mut claims = server.claims().await?;
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page = claims
            .list_claims(pb::ListClaimsRequest {
                page_size: 4,
                page_token: token.clone(),
                ..Default::default()
            })
            .await?
            .into_inner();
        seen.extend(page.claims.into_iter().map(|c| c.id));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(seen.len(), 6);
    let bad = claims
        .list_claims(pb::ListClaimsRequest {
            page_token: "not-a-token".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    let found = claims
        .search_claims(pb::SearchClaimsRequest {
            query: "machines à voter piratées".into(),
            ..Default::default()
        })
        .await?
        .into_inner();
    assert_eq!(
        found.results[0].claim.as_ref().map(|c| c.id.as_str()),
        Some("partners:afp-machines-vote")
    );
    server.stop().await
}

#[tokio::test]
async fn the_same_claim_from_two_partners_is_one_match_listing_both() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let text =
        "The ballots in the river were from the presidential election and had never been counted.";
    let first = format!(
        "{{\"id\": \"lupa-1\", \"text\": \"{text}\", \"language\": \"en\", \"rating_text\": \"False\", \"review_url\": \"https://example.org/lupa/1\"}}\n"
    );
    let second = format!(
        "{{\"id\": \"afp-9\", \"text\": \"{}\", \"language\": \"en\", \"rating_text\": \"Misleading\"}}\n",
        text.to_uppercase()
    );
    load(&server, "lupa", first.into_bytes()).await?;
    load(&server, "afp", second.into_bytes()).await?;
    let response = server
        .matcher()
        .await?
        .score(text_request(
            "v",
            "",
            "ballots in the river were from the presidential election and had never been counted",
        ))
        .await?
        .into_inner();
    assert_eq!(response.matches.len(), 1, "{response:?}");
    let found = &response.matches[0];
    let ids = [
        found.claim_id.as_str(),
        found.also_checked_by[0].claim_id.as_str(),
    ];
    assert!(
        ids.contains(&"lupa:lupa-1") && ids.contains(&"afp:afp-9"),
        "{ids:?}"
    );
    let hits = server
        .reports()
        .await?
        .list_hits(pb::ListHitsRequest::default())
        .await?
        .into_inner();
    assert_eq!(
        hits.hits.len(),
        1,
        "one video repeating one claim is one hit"
    );
    server.stop().await
}

#[tokio::test]
async fn a_call_past_its_deadline_logs_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = election_server(dir.path()).await?;
    let mut matcher = server.matcher().await?;
    let mut request = tonic::Request::new(text_request(
        "late-video",
        "US",
        "Thousands of dead people voted in the county election",
    ));
    request.set_timeout(std::time::Duration::from_nanos(1));
    let status = matcher.score(request).await.unwrap_err();
    assert!(
        matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
        "{status:?}"
    );
    // The same call in time is logged; the late one never was.
    matcher
        .score(text_request(
            "on-time-video",
            "US",
            "Thousands of dead people voted in the county election",
        ))
        .await?;
    let hits = server
        .reports()
        .await?
        .list_hits(pb::ListHitsRequest::default())
        .await?
        .into_inner()
        .hits;
    let videos: Vec<&str> = hits.iter().map(|h| h.video_id.as_str()).collect();
    assert_eq!(videos, ["on-time-video"]);
    server.stop().await
}

#[tokio::test]
async fn a_load_stream_that_goes_silent_is_dropped() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = claimsignal::config::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    config.limits.stream_idle_seconds = 1;
    let server = TestServer::start_with(config).await?;
    let (chunks_tx, chunks_rx) = tokio::sync::mpsc::channel(4);
    let header = pb::LoadHeader {
        partner: "slow".into(),
        ..Default::default()
    };
    chunks_tx
        .send(pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        })
        .await?;
    // The sender stays open and silent, as a slow-loris client would.
    let status = server
        .claims()
        .await?
        .load_claims(tokio_stream::wrappers::ReceiverStream::new(chunks_rx))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    drop(chunks_tx);
    // Everyone else is still served.
    let response = server
        .matcher()
        .await?
        .score(text_request("v", "", "anything at all"))
        .await?;
    assert_eq!(response.into_inner().matches.len(), 0);
    server.stop().await
}

#[tokio::test]
async fn a_load_over_the_record_limit_is_refused_whole() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = claimsignal::config::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    config.limits.max_claims_per_load = 2;
    let server = TestServer::start_with(config).await?;
    let file =
        "{\"text\": \"one claim\"}\n{\"text\": \"two claims\"}\n{\"text\": \"three claims\"}\n";
    let status = load(&server, "p", file.as_bytes().to_vec())
        .await
        .unwrap_err();
    let status = status
        .downcast_ref::<tonic::Status>()
        .expect("a gRPC status");
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert!(
        status.message().contains("max_claims_per_load"),
        "{}",
        status.message()
    );
    let listed = server
        .claims()
        .await?
        .list_claims(pb::ListClaimsRequest::default())
        .await?
        .into_inner();
    assert!(
        listed.claims.is_empty(),
        "nothing of a refused file is loaded"
    );
    server.stop().await
}

#[tokio::test]
async fn a_stated_observation_date_counts_only_near_the_claims_date() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claims = concat!(
        r#"{"id": "shredded-ballots", "text": "Election officials shredded thousands of mail ballots in the county warehouse.", "review_date": "2024-03-12", "language": "en"}"#,
        "\n",
        r#"{"id": "flipped-votes", "text": "Voting machines flipped thousands of votes in the county overnight.", "language": "en"}"#,
        "\n",
    );
    let loaded = load(&server, "partners", claims.as_bytes().to_vec()).await?;
    assert_eq!(loaded.inserted, 2);
    let mut matcher = server.matcher().await?;
    let post = "They shredded thousands of mail ballots in that county warehouse and the machines flipped votes overnight";
    let confidences = |response: pb::ScoreResponse| -> std::collections::HashMap<String, f32> {
        response
            .matches
            .into_iter()
            .map(|m| (m.claim_id, m.confidence))
            .collect()
    };
    let mut score = async |observed: Option<&str>| -> anyhow::Result<_> {
        let mut request = text_request("dated", "", post);
        request.dry_run = true;
        request.min_confidence = Some(0.0001);
        request.observed_at = observed.map(|day| prost_types::Timestamp {
            seconds: chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .expect("a date")
                .and_hms_opt(0, 0, 0)
                .expect("midnight")
                .and_utc()
                .timestamp(),
            nanos: 0,
        });
        Ok(confidences(matcher.score(request).await?.into_inner()))
    };
    let undated = score(None).await?;
    let near = score(Some("2024-03-10")).await?;
    let far = score(Some("2027-06-01")).await?;
    assert_eq!(undated.len(), 2, "{undated:?}");
    // Posted two days before the check: the closeness is evidence.
    assert!(
        near["partners:shredded-ballots"] > undated["partners:shredded-ballots"],
        "near {near:?}, undated {undated:?}"
    );
    // Three years later (an old claim coming back) or a claim with no
    // date: judged on the words alone.
    assert_eq!(far, undated);
    assert_eq!(
        near["partners:flipped-votes"],
        undated["partners:flipped-votes"]
    );
    server.stop().await
}

#[tokio::test]
async fn a_debate_that_repeats_many_claims_gets_every_one_back() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let checked = [
        (
            "partners:shredded-ballots",
            "Election officials shredded thousands of mail ballots in a county warehouse.",
        ),
        (
            "partners:flipped-machines",
            "Voting machines flipped votes from one candidate to the other overnight.",
        ),
        (
            "partners:dead-voters",
            "More than forty thousand dead people cast ballots in the last election.",
        ),
        (
            "partners:noncitizen-rolls",
            "Two million noncitizens are registered to vote in the state.",
        ),
        (
            "partners:sharpie-pens",
            "Poll workers handed out felt pens so that ballots would be rejected by the scanners.",
        ),
        (
            "partners:postal-trucks",
            "A postal truck carrying marked ballots was found abandoned by a river.",
        ),
        (
            "partners:drop-boxes",
            "Drop boxes were stuffed with fake ballots by paid couriers at night.",
        ),
    ];
    let records: String = checked
        .iter()
        .map(|(id, text)| {
            format!("{{\"id\": \"{id}\", \"text\": \"{text}\", \"language\": \"en\"}}\n")
        })
        .collect();
    assert_eq!(
        load(&server, "partners", records.into_bytes())
            .await?
            .inserted,
        7
    );
    // A debate transcript: each claim repeated by a speaker, one per turn.
    let transcript: String = checked
        .iter()
        .map(|(_, text)| format!("And let me tell you, folks. {text} Everybody knows it.\n\n"))
        .collect();
    let mut matcher = server.matcher().await?;

    let every = matcher
        .score(text_request("debate", "", &transcript))
        .await?
        .into_inner();
    let found: std::collections::BTreeSet<&str> =
        every.matches.iter().map(|m| m.claim_id.as_str()).collect();
    let wanted: std::collections::BTreeSet<&str> = checked.iter().map(|(id, _)| *id).collect();
    assert_eq!(found, wanted, "{every:?}");
    assert!(
        every.matches.iter().all(|m| !m.hit_id.is_empty()),
        "every match returned is logged: {every:?}"
    );

    // A caller that asks for fewer gets the best of them.
    let mut request = text_request("debate", "", &transcript);
    request.max_matches = 3;
    request.dry_run = true;
    let three = matcher.score(request).await?.into_inner();
    assert_eq!(three.matches.len(), 3, "{three:?}");
    assert_eq!(
        three.matches,
        every.matches[..3]
            .iter()
            .cloned()
            .map(|mut m| {
                m.hit_id.clear();
                m
            })
            .collect::<Vec<_>>()
    );
    server.stop().await
}

#[tokio::test]
async fn an_old_falsehood_repeated_months_later_is_as_sure_as_with_no_date() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claim = r#"{"id": "urnas-hackeadas", "text": "As urnas eletrônicas podem ser hackeadas pela internet durante a votação", "review_date": "2022-09-02", "language": "pt", "rating_text": "Falso"}"#;
    load(&server, "aosfatos", format!("{claim}\n").into_bytes()).await?;
    let mut matcher = server.matcher().await?;
    let caption =
        "Atenção: as urnas eletrônicas podem ser hackeadas pela internet durante a votação";
    let mut confidence = async |observed: Option<&str>| -> anyhow::Result<f32> {
        let mut request = text_request("rescan", "BR", caption);
        request.dry_run = true;
        request.observed_at = observed.map(|day| prost_types::Timestamp {
            seconds: chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .expect("a date")
                .and_hms_opt(12, 0, 0)
                .expect("noon")
                .and_utc()
                .timestamp(),
            nanos: 0,
        });
        let response = matcher.score(request).await?.into_inner();
        Ok(response.matches.first().map_or(0.0, |m| m.confidence))
    };
    let undated = confidence(None).await?;
    assert!(
        undated >= 0.6,
        "a word-for-word repeat is at least review: {undated}"
    );
    // Before the check (a platform rescanning uploads), the next day,
    // weeks later, the eve of the first round, the next year, two years on.
    for day in [
        "2022-08-01",
        "2022-09-03",
        "2022-09-20",
        "2022-10-01",
        "2023-06-01",
        "2024-10-01",
    ] {
        let dated = confidence(Some(day)).await?;
        assert!(
            dated >= undated,
            "observed {day}: {dated} is below the undated {undated}"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn a_short_caption_is_read_in_its_markets_language() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claim = r#"{"id": "urna-sozinha", "text": "Vídeo mostra urna eletrônica completando sozinha o voto do eleitor", "language": "pt", "markets": ["BR"]}"#;
    load(&server, "aosfatos", format!("{claim}\n").into_bytes()).await?;
    let mut request = text_request(
        "short-br",
        "BR",
        "Vídeo mostra urna eletrônica completando sozinha o voto",
    );
    request.dry_run = true;
    let response = server.matcher().await?.score(request).await?.into_inner();
    assert_eq!(response.language, "pt", "{response:?}");
    assert_eq!(
        response.matches.first().map(|m| m.claim_id.as_str()),
        Some("aosfatos:urna-sozinha")
    );
    server.stop().await
}

#[tokio::test]
async fn a_video_that_refutes_a_claim_is_told_apart_from_one_that_repeats_it() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claim = r#"{"id": "urnas-internet", "text": "As urnas eletrônicas podem ser hackeadas pela internet durante a votação", "language": "pt", "rating_text": "Falso"}"#;
    load(&server, "aosfatos", format!("{claim}\n").into_bytes()).await?;
    let mut matcher = server.matcher().await?;
    let mut stance_of = async |text: &str| -> anyhow::Result<(i32, Vec<String>)> {
        let mut request = text_request("v", "BR", text);
        request.dry_run = true;
        let response = matcher.score(request).await?.into_inner();
        let found = response
            .matches
            .into_iter()
            .find(|m| m.claim_id == "aosfatos:urnas-internet")
            .ok_or_else(|| anyhow::anyhow!("no match for {text:?}"))?;
        Ok((found.stance, found.stance_cues))
    };
    let (repeats, cues) = stance_of(
        "Atenção: as urnas eletrônicas podem ser hackeadas pela internet durante a votação",
    )
    .await?;
    assert_eq!(repeats, pb::Stance::Repeats as i32);
    assert!(cues.is_empty());
    let (refutes, cues) = stance_of(
        "É mentira que as urnas eletrônicas podem ser hackeadas pela internet durante a votação",
    )
    .await?;
    assert_eq!(refutes, pb::Stance::Refutes as i32);
    assert_eq!(cues, ["e mentira", "mentira"]);
    server.stop().await
}

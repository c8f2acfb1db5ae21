//! What the operator on call reads: Prometheus metrics scraped while the
//! service works.

mod common;

use claimsignal::proto::v1 as pb;
use common::{TestServer, load, sample, scrape, text_request};

#[tokio::test]
async fn metrics_count_calls_matches_hits_and_the_index() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claims = "{\"id\": \"urnas\", \"text\": \"As urnas eletrônicas foram programadas para transferir votos para o candidato da situação\", \"language\": \"pt\", \"rating\": \"Falso\"}\n";
    load(&server, "aosfatos", claims.as_bytes().to_vec()).await?;
    let mut matcher = server.matcher().await?;
    let said =
        "as urnas eletrônicas foram programadas para transferir votos para o candidato da situação";
    let scored = matcher
        .score(text_request("video-1", "BR", said))
        .await?
        .into_inner();
    assert_eq!(scored.matches.len(), 1);
    let level = match pb::MatchLevel::try_from(scored.matches[0].level)? {
        pb::MatchLevel::Auto => "auto",
        _ => "review",
    };
    // A bad request is counted under its code.
    let mut empty = text_request("video-2", "BR", "x");
    empty.content = None;
    assert!(matcher.score(empty).await.is_err());

    let (status, body) = scrape(&server).await?;
    assert!(status.contains("200"), "{status}");
    assert_eq!(
        sample(
            &body,
            "claimsignal_calls_total{method=\"Matcher/Score\",code=\"OK\"}"
        ),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(
            &body,
            "claimsignal_calls_total{method=\"Matcher/Score\",code=\"INVALID_ARGUMENT\"}"
        ),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(
            &body,
            "claimsignal_calls_total{method=\"Claims/LoadClaims\",code=\"OK\"}"
        ),
        Some(1.0),
        "{body}"
    );
    assert!(
        body.contains(
            "claimsignal_call_duration_seconds_bucket{le=\"+Inf\",method=\"Matcher/Score\"}"
        ) || body.contains(
            "claimsignal_call_duration_seconds_bucket{method=\"Matcher/Score\",le=\"+Inf\"}"
        ),
        "{body}"
    );
    assert_eq!(
        sample(&body, "claimsignal_claims_indexed"),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "claimsignal_index_lag_changes"),
        Some(0.0),
        "{body}"
    );
    let hits = format!("claimsignal_hits_logged_total{{level=\"{level}\"}}");
    assert_eq!(sample(&body, &hits), Some(1.0), "{body}");
    let matches = format!("claimsignal_matches_total{{level=\"{level}\"}}");
    assert_eq!(sample(&body, &matches), Some(1.0), "{body}");
    assert_eq!(
        sample(&body, "claimsignal_hit_commits_total"),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "claimsignal_hit_writer_queue"),
        Some(0.0),
        "{body}"
    );
    // Nothing is waiting for a scoring thread or being scored, and no
    // request was dropped.
    for idle in [
        "claimsignal_scoring_waiting_requests",
        "claimsignal_scoring_callers",
        "claimsignal_scoring_abandoned_requests_total",
    ] {
        assert_eq!(sample(&body, idle), Some(0.0), "{idle}: {body}");
    }
    // The scrape itself holds no slot; nothing else is in flight.
    assert_eq!(sample(&body, "claimsignal_in_flight"), Some(0.0), "{body}");
    assert!(
        body.ends_with("# EOF\n"),
        "OpenMetrics text ends with # EOF"
    );

    // Every series the shipped Grafana dashboard queries is one the
    // server exports.
    let dashboard = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ops/grafana-dashboard.json"),
    )?;
    let mut queried: Vec<&str> = dashboard
        .match_indices("claimsignal_")
        .map(|(at, _)| {
            let rest = &dashboard[at..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect();
    queried.sort_unstable();
    queried.dedup();
    assert!(queried.len() >= 8, "{queried:?}");
    for series in queried {
        let exported = body
            .lines()
            .any(|line| !line.starts_with('#') && line.starts_with(series));
        assert!(
            exported,
            "the dashboard queries {series}, which is not exported"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_score_says_which_minimum_confidence_it_applied() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let mut matcher = server.matcher().await?;
    let mut request = text_request("v", "BR", "as urnas foram fraudadas");
    request.dry_run = true;
    let unsaid = matcher.score(request.clone()).await?.into_inner();
    let review_threshold = claimsignal::matcher::MatchConfig::default().review_threshold;
    assert_eq!(unsaid.min_confidence, review_threshold);
    request.min_confidence = Some(0.25);
    let asked = matcher.score(request).await?.into_inner();
    assert_eq!(asked.min_confidence, 0.25);
    Ok(())
}

//! Partners load what they already publish: ClaimReview feeds, article
//! pages, Fact Check Tools responses and CSV, each record accounted for.

mod common;

use claimsignal::proto::v1 as pb;
use common::{TestServer, fixture};

async fn load_file(
    server: &TestServer,
    partner: &str,
    name: &str,
    replace: bool,
) -> anyhow::Result<pb::LoadClaimsResponse> {
    let bytes = std::fs::read(fixture(&format!("partners/{name}")))?;
    let mut client = server.claims().await?;
    let header = pb::LoadHeader {
        partner: partner.into(),
        replace,
        every_record: true,
        ..Default::default()
    };
    let mut messages = vec![pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Header(header)),
    }];
    messages.extend(bytes.chunks(64).map(|c| pb::LoadClaimsRequest {
        item: Some(pb::load_claims_request::Item::Chunk(c.to_vec())),
    }));
    Ok(client
        .load_claims(tokio_stream::iter(messages))
        .await?
        .into_inner())
}

fn status_of(report: &pb::LoadClaimsResponse, position: &str) -> (pb::RecordStatus, String) {
    let record = report
        .records
        .iter()
        .find(|r| r.position == position)
        .unwrap_or_else(|| panic!("no record at {position} in {:?}", report.records));
    (
        pb::RecordStatus::try_from(record.status).unwrap_or(pb::RecordStatus::Unspecified),
        record.reason.clone(),
    )
}

#[tokio::test]
async fn every_format_loads_with_a_report_per_record() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let mut claims = server.claims().await?;

    let feed = load_file(&server, "aosfatos", "aosfatos_feed.json", false).await?;
    assert_eq!((feed.inserted, feed.rejected), (2, 2), "{:?}", feed.records);
    assert_eq!(
        status_of(&feed, "dataFeedElement[0].item[0]").0,
        pb::RecordStatus::Inserted
    );
    assert_eq!(
        status_of(&feed, "dataFeedElement[1].item[1]").1,
        "claimReviewed is missing"
    );
    assert_eq!(
        status_of(&feed, "dataFeedElement[1].item[2]").1,
        "reviewRating.ratingValue is not a number: \"muito falso\""
    );
    let urnas = claims
        .get_claim(pb::GetClaimRequest {
            id: "aosfatos:af-2022-0912".into(),
        })
        .await?
        .into_inner();
    assert_eq!(urnas.verdict, pb::Verdict::False as i32);
    assert_eq!(urnas.claimant, "Perfil anônimo no Kwai");
    assert_eq!(urnas.language, "pt");
    assert_eq!(urnas.appearances, ["https://example.org/kwai/123"]);
    let distorted = claims
        .get_claim(pb::GetClaimRequest {
            id: "aosfatos:af-2022-0930".into(),
        })
        .await?
        .into_inner();
    assert_eq!(
        (distorted.verdict, distorted.rating_text.as_str()),
        (pb::Verdict::Misleading as i32, "Distorcido")
    );

    let page = load_file(&server, "chequeado", "chequeado_article.html", false).await?;
    assert_eq!((page.inserted, page.rejected), (1, 0), "{:?}", page.records);
    assert_eq!(page.records[0].position, "script[1].@graph[1]");

    let tools = load_file(&server, "mafindo", "mafindo_fact_check_tools.json", false).await?;
    assert_eq!(
        (tools.inserted, tools.rejected),
        (1, 1),
        "{:?}",
        tools.records
    );
    assert!(
        status_of(&tools, "claims[1].claimReview[0]")
            .1
            .contains("reviewDate is not a date")
    );

    let csv = load_file(&server, "afp", "afp_claims.csv", false).await?;
    assert_eq!((csv.inserted, csv.rejected), (2, 1), "{:?}", csv.records);
    assert!(
        csv.rejections[0].reason.contains("UTF-8"),
        "{:?}",
        csv.rejections
    );
    let machines = claims
        .get_claim(pb::GetClaimRequest {
            id: "afp:afp-1".into(),
        })
        .await?
        .into_inner();
    assert_eq!(
        machines.text,
        "Les machines à voter ont été piratées pour modifier les résultats"
    );
    assert_eq!(machines.elections, ["fr-2022-presidentielle"]);

    // Loading the same files again changes nothing and says so.
    let again = load_file(&server, "aosfatos", "aosfatos_feed.json", false).await?;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    let again = load_file(&server, "afp", "afp_claims.csv", false).await?;
    assert_eq!((again.inserted, again.unchanged), (0, 2));

    // The loaded claims match captions right away.
    let response = server
        .matcher()
        .await?
        .score(common::text_request("v", "AR", "las boletas de papel ya venían marcadas a favor de un candidato en escuelas de Buenos Aires"))
        .await?
        .into_inner();
    assert_eq!(response.matches[0].partner, "chequeado");
    server.stop().await
}

#[tokio::test]
async fn replace_retracts_what_the_partner_no_longer_publishes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    load_file(&server, "afp", "afp_claims.csv", false).await?;
    load_file(&server, "aosfatos", "aosfatos_feed.json", false).await?;
    let mut client = server.claims().await?;
    let header = pb::LoadHeader {
        partner: "afp".into(),
        replace: true,
        every_record: true,
        ..Default::default()
    };
    let smaller = "identifier,claim,rating,lang\nafp-3,Des bulletins ont été retrouvés dans une poubelle à Marseille,Trompeur,fr\n";
    let messages = vec![
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header.clone())),
        },
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Chunk(
                smaller.as_bytes().to_vec(),
            )),
        },
    ];
    let report = client
        .load_claims(tokio_stream::iter(messages))
        .await?
        .into_inner();
    assert_eq!(report.retracted, 1, "{:?}", report.records);
    let dropped = client
        .get_claim(pb::GetClaimRequest {
            id: "afp:afp-1".into(),
        })
        .await?
        .into_inner();
    assert_eq!(dropped.status, pb::ClaimStatus::Retracted as i32);
    let others = client
        .get_claim(pb::GetClaimRequest {
            id: "aosfatos:af-2022-0912".into(),
        })
        .await?
        .into_inner();
    assert_eq!(
        others.status,
        pb::ClaimStatus::Active as i32,
        "another partner's claims are untouched"
    );

    let empty = vec![
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        },
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Chunk(
                b"not a claim file".to_vec(),
            )),
        },
    ];
    let refused = client
        .load_claims(tokio_stream::iter(empty))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
    let kept = client
        .get_claim(pb::GetClaimRequest {
            id: "afp:afp-3".into(),
        })
        .await?
        .into_inner();
    assert_eq!(
        kept.status,
        pb::ClaimStatus::Active as i32,
        "a broken file never wipes an archive"
    );
    server.stop().await
}

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
    assert_eq!((feed.inserted, feed.rejected), (3, 1), "{:?}", feed.records);
    // Records come in file order, each with the line its object opens on.
    let lines: Vec<u64> = feed.records.iter().map(|r| r.line).collect();
    assert!(
        lines.len() == 4 && lines[0] > 1 && lines.windows(2).all(|w| w[0] < w[1]),
        "{lines:?}"
    );
    assert_eq!(
        status_of(&feed, "dataFeedElement[0].item[0]").0,
        pb::RecordStatus::Inserted
    );
    assert_eq!(
        status_of(&feed, "dataFeedElement[1].item[1]").1,
        "claimReviewed is missing"
    );
    // A broken rating costs the verdict, not the claim, and is a warning.
    assert_eq!(
        status_of(&feed, "dataFeedElement[1].item[2]").0,
        pb::RecordStatus::Inserted
    );
    assert_eq!(feed.warned, 1, "{:?}", feed.warnings);
    assert_eq!(feed.warnings[0].position, "dataFeedElement[1].item[2]");
    assert_eq!(feed.warnings[0].field, "reviewRating.ratingValue");
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
        (2, 0),
        "{:?}",
        tools.records
    );
    // "kemarin" is not a date: the check's date is left out, with a warning.
    assert_eq!(tools.warnings.len(), 1, "{:?}", tools.warnings);
    assert_eq!(tools.warnings[0].position, "claims[1].claimReview[0]");
    assert!(
        tools.warnings[0]
            .message
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
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 3));
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

/// Sends `csv` as one load with `header`.
async fn load_csv(
    server: &TestServer,
    header: pb::LoadHeader,
    csv: &str,
) -> anyhow::Result<pb::LoadClaimsResponse> {
    let messages = vec![
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        },
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Chunk(
                csv.as_bytes().to_vec(),
            )),
        },
    ];
    Ok(server
        .claims()
        .await?
        .load_claims(tokio_stream::iter(messages))
        .await?
        .into_inner())
}

#[tokio::test]
async fn a_reload_without_scope_never_widens_a_claim() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let csv = "identifier,claim,rating,lang\nurnas-1,As urnas eletrônicas podem ser hackeadas pela internet durante a votação,Falso,pt\n";
    let at = |y, m, d| prost_types::Timestamp {
        seconds: chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .unwrap_or_default(),
        nanos: 0,
    };
    let scoped = pb::LoadHeader {
        partner: "aosfatos".into(),
        markets: vec!["BR".into()],
        valid_from: Some(at(2022, 8, 16)),
        valid_until: Some(at(2022, 11, 1)),
        every_record: true,
        ..Default::default()
    };
    load_csv(&server, scoped, csv).await?;
    // Last month's file loaded again, with no market and no window.
    let bare = pb::LoadHeader {
        partner: "aosfatos".into(),
        every_record: true,
        ..Default::default()
    };
    let again = load_csv(&server, bare.clone(), csv).await?;
    assert_eq!((again.unchanged, again.updated), (1, 0), "{again:?}");
    // A Mexican video saying it word for word matches nothing: the claim
    // is still Brazil's.
    let mut matcher = server.matcher().await?;
    let mut request = common::text_request(
        "mx-1",
        "MX",
        "As urnas eletrônicas podem ser hackeadas pela internet durante a votação",
    );
    request.dry_run = true;
    let elsewhere = matcher.score(request).await?.into_inner();
    assert!(elsewhere.matches.is_empty(), "{:?}", elsewhere.matches);

    // A dry run says what replacing the metadata would change, and
    // changes nothing.
    let preview = pb::LoadHeader {
        replace_metadata: true,
        dry_run: true,
        ..bare.clone()
    };
    let previewed = load_csv(&server, preview, csv).await?;
    assert_eq!(previewed.updated, 1);
    assert_eq!(
        previewed.records[0].changed,
        ["markets", "valid_from", "valid_until"]
    );
    let kept = server
        .claims()
        .await?
        .get_claim(pb::GetClaimRequest {
            id: "aosfatos:urnas-1".into(),
        })
        .await?
        .into_inner();
    assert_eq!(kept.markets, ["BR"], "a dry run writes nothing");

    // Asked for, the file is taken as it is, and the report says what changed.
    let replace = pb::LoadHeader {
        replace_metadata: true,
        ..bare
    };
    let widened = load_csv(&server, replace, csv).await?;
    assert_eq!(widened.updated, 1);
    assert_eq!(
        widened.records[0].changed,
        ["markets", "valid_from", "valid_until"]
    );
    Ok(())
}

#[tokio::test]
async fn ratings_as_partners_write_them_and_a_warning_for_the_rest() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let csv = "identifier,claim,rating,lang\n\
        c1,El video muestra urnas llenas de votos antes de la elección,Sin contexto,es\n\
        c2,O vídeo mostra uma urna completando o voto sozinha,Montagem,pt\n\
        c3,La boleta electoral se puede marcar con lápiz y borrar,Dudosísimo,es\n";
    let header = pb::LoadHeader {
        partner: "afp".into(),
        ..Default::default()
    };
    let report = load_csv(&server, header, csv).await?;
    assert_eq!((report.inserted, report.warned), (3, 1), "{report:?}");
    let warning = &report.warnings[0];
    assert_eq!(
        (warning.claim_id.as_str(), warning.field.as_str()),
        ("afp:c3", "rating")
    );
    assert!(
        warning.message.contains("[ratings.afp]"),
        "{}",
        warning.message
    );
    let client = server.claims().await?;
    let verdict = |id: &str| {
        let id = id.to_string();
        let mut client = client.clone();
        async move {
            anyhow::Ok(
                client
                    .get_claim(pb::GetClaimRequest { id })
                    .await?
                    .into_inner()
                    .verdict,
            )
        }
    };
    assert_eq!(verdict("afp:c1").await?, pb::Verdict::MissingContext as i32);
    assert_eq!(verdict("afp:c2").await?, pb::Verdict::False as i32);
    assert_eq!(verdict("afp:c3").await?, pb::Verdict::Other as i32);
    Ok(())
}

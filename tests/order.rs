//! A caption in a check's own words that places before what the check
//! places after is how things are done, not the check: it is not put at
//! `review` by those words.

mod common;

use claimsignal::config::Config;
use claimsignal::proto::v1 as pb;
use common::{TestServer, load, score_every_match};

// Written for this test.
const CLAIMS: &str = "{\"id\": \"corrige-depois\", \"text\": \"Eleitor que digitar o número errado pode corrigir o voto depois de apertar o confirma, é só pedir para o mesário liberar a urna de novo.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n";

#[tokio::test]
async fn a_caption_placing_before_what_the_check_places_after_is_not_decided() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    config.matching.semantic = false;
    let review = config.matching.review_threshold;
    let server = TestServer::start_with(config).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;

    let how_to_vote = score_every_match(
        &server,
        "BR",
        "antes de apertar o confirma confere o número, se digitou errado aperta corrige e digita o número de novo",
    )
    .await?;
    let retold = score_every_match(
        &server,
        "BR",
        "se digitou o número errado dá pra corrigir o voto depois de apertar o confirma, é só pedir pro mesário liberar a urna",
    )
    .await?;
    server.stop().await?;

    let first = how_to_vote.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with("corrige-depois")
            && m.confidence < review
            && m.confidence >= review - 0.02
            && m.level == pb::MatchLevel::None as i32),
        "{how_to_vote:?}"
    );
    let first = retold.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with("corrige-depois") && m.confidence >= review),
        "{retold:?}"
    );
    Ok(())
}

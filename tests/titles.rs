//! A partner's check titled with its verdict: a true caption that names
//! the check's setting is not put at `review` by the title alone; the
//! caption that says the verdict is.

mod common;

use claimsignal::config::Config;
use claimsignal::proto::v1 as pb;
use common::{TestServer, load, score_every_match, text_request};

// Written for this test: each check titled as partners title them, its
// setting (the city, the body) with its event denied.
const CLAIMS: &str = concat!(
    "{\"id\": \"palmas-adiada\", \"text\": \"O TRE do Tocantins decidiu adiar a eleição em Palmas por uma semana porque as urnas chegaram com defeito.\", \"title\": \"Eleição em Palmas não foi adiada pelo TRE do Tocantins\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"pasto-bono\", \"text\": \"Los jurados de votación de Pasto recibirán un bono si su mesa da ganador al candidato del gobierno.\", \"title\": \"Jurados de votación de Pasto no reciben bonos por resultados\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"CO\"]}\n",
    "{\"id\": \"belem-impresso\", \"text\": \"Urnas eletrônicas de Belém vão imprimir o voto de cada eleitor nesta eleição.\", \"title\": \"Urnas de Belém não imprimem voto\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"teresina-pix\", \"text\": \"Candidato a prefeito de Teresina está pagando R$ 300 por voto via Pix para moradores das comunidades da zona sul.\", \"title\": \"Áudio sobre Pix de R$ 300 por voto em Teresina é montagem\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"cali-cierre\", \"text\": \"La Registraduría cerrará las mesas de Cali a las dos de la tarde por seguridad.\", \"title\": \"Mesas de Cali no cierran a las dos\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"CO\"]}\n",
);

async fn server(dir: &std::path::Path) -> anyhow::Result<(TestServer, f32)> {
    let mut config = Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    // Words alone: the title is the words' evidence.
    config.matching.semantic = false;
    let review = config.matching.review_threshold;
    let server = TestServer::start_with(config).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    Ok((server, review))
}

/// The first match of `text` (every match asked for), with its claim's id.
async fn first(server: &TestServer, market: &str, text: &str) -> anyhow::Result<pb::Match> {
    let response = score_every_match(server, market, text).await?;
    response
        .matches
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("{text}: nothing matched"))
}

#[tokio::test]
async fn a_true_caption_naming_a_checks_setting_is_not_put_at_review_by_its_title()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, review) = server(dir.path()).await?;
    for (market, text, claim) in [
        (
            "BR",
            "o TRE do Tocantins divulgou os locais de votação de Palmas, confere o teu antes da eleição",
            "palmas-adiada",
        ),
        (
            "CO",
            "los jurados de votación de Pasto reciben capacitación una semana antes de la elección",
            "pasto-bono",
        ),
    ] {
        // Asked for every match, the check of that setting still comes
        // first, just under `review`.
        let found = first(&server, market, text).await?;
        assert!(found.claim_id.ends_with(claim), "{text}: {found:?}");
        assert!(
            found.confidence < review && found.confidence > review - 0.05,
            "{text}: {found:?}"
        );
        assert_eq!(found.level(), pb::MatchLevel::None, "{text}: {found:?}");
        // Asked as a platform asks, it returns nothing to act on.
        let response = server
            .matcher()
            .await?
            .score(text_request("video-1", market, text))
            .await?
            .into_inner();
        assert!(response.matches.is_empty(), "{text}: {response:?}");
    }
    // Operators see how often the rule holds a match.
    let held = common::sample(
        &common::scrape(&server).await?.1,
        "claimsignal_matches_held_by_title_total",
    );
    assert!(held.is_some_and(|n| n >= 2.0), "{held:?}");
    server.stop().await
}

#[tokio::test]
async fn a_caption_retelling_the_claim_its_amount_or_its_verdict_stays_at_review()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (server, review) = server(dir.path()).await?;
    // The claim retold.
    let retold = first(
        &server,
        "BR",
        "o TRE do Tocantins adiou a eleição em Palmas uma semana porque as urnas chegaram com defeito",
    )
    .await?;
    assert!(retold.claim_id.ends_with("palmas-adiada"), "{retold:?}");
    assert!(retold.confidence >= review, "{retold:?}");
    assert_eq!(retold.stance(), pb::Stance::Repeats, "{retold:?}");
    // Told loosely, but with the claim's amount: its own detail, which a
    // caption naming the city does not say.
    let paid = first(
        &server,
        "BR",
        "Teresina, 300 reais por voto no Pix, tá rolando",
    )
    .await?;
    assert!(paid.claim_id.ends_with("teresina-pix"), "{paid:?}");
    assert!(paid.confidence >= review, "{paid:?}");
    // The verdict said, in the title's words: a debunk, which the title
    // is what puts at `review`.
    for (market, text, claim) in [
        (
            "BR",
            "gente, a eleição em Palmas não foi adiada não",
            "palmas-adiada",
        ),
        (
            "CO",
            "es falso, los jurados de Pasto no reciben bonos",
            "pasto-bono",
        ),
    ] {
        let found = first(&server, market, text).await?;
        assert!(found.claim_id.ends_with(claim), "{text}: {found:?}");
        assert!(found.confidence >= review, "{text}: {found:?}");
        assert_eq!(found.stance(), pb::Stance::Refutes, "{text}: {found:?}");
    }
    server.stop().await
}

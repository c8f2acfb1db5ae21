//! The same falsehood checked twice, in two cities or two countries, in
//! nearly the same words: the check the content names is the one matched.

mod common;

use claimsignal::config::Config;
use claimsignal::proto::v1 as pb;
use common::{TestServer, confidence_of, load, score_every_match};

const CLAIMS: &str = concat!(
    "{\"id\": \"pix-porto-alegre\", \"text\": \"Candidato a vereador em Porto Alegre está pagando R$ 100 por Pix a quem mandar foto da tela da urna com o voto nele.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"pix-joinville\", \"text\": \"Candidato a vereador em Joinville está pagando R$ 100 por Pix a quem mandar foto da tela da urna com o voto nele.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"dias-brasil\", \"text\": \"Eleitores com título terminado em número par vão votar no sábado e os de final ímpar só no domingo.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\", \"UY\"]}\n",
    "{\"id\": \"dias-argentina\", \"text\": \"Los votantes con DNI terminado en número par votan el sábado y los de final impar el domingo.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\", \"UY\"]}\n",
);

async fn server(dir: &std::path::Path) -> anyhow::Result<TestServer> {
    let mut config = Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    // Words alone: both rules hold whatever found the claims.
    config.matching.semantic = false;
    let server = TestServer::start_with(config).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    Ok(server)
}

#[tokio::test]
async fn the_city_a_video_names_picks_its_check() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = server(dir.path()).await?;
    let said = "Candidato a vereador daqui tá pagando R$ 100 por Pix pra quem mandar foto da tela da urna com o voto nele";

    let joinville = score_every_match(
        &server,
        "BR",
        &format!("Eu moro aqui em Joinville. {said}."),
    )
    .await?;
    let first = joinville.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("pix-joinville")),
        "{joinville:?}"
    );
    let other = confidence_of(&joinville, "pix-porto-alegre");
    assert!(
        other < 0.3,
        "the other city's check is far down: {joinville:?}"
    );

    // Named by its nickname, the city picks its check as well.
    let nicknamed = score_every_match(
        &server,
        "BR",
        &format!("Aqui na capital gaúcha é assim. {said}."),
    )
    .await?;
    let first = nicknamed.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("pix-porto-alegre")),
        "{nicknamed:?}"
    );
    assert!(
        confidence_of(&nicknamed, "pix-joinville") < 0.3,
        "{nicknamed:?}"
    );

    // Named by its people, too: the other city's check far down.
    let people = score_every_match(
        &server,
        "BR",
        &format!("Galera joinvilense, olha isso. {said}."),
    )
    .await?;
    let first = people.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("pix-joinville")),
        "{people:?}"
    );
    assert!(
        confidence_of(&people, "pix-porto-alegre") < 0.3,
        "{people:?}"
    );

    // Naming neither city, both checks stay as close as their words.
    let neither = score_every_match(&server, "BR", said).await?;
    let (a, b) = (
        confidence_of(&neither, "pix-joinville"),
        confidence_of(&neither, "pix-porto-alegre"),
    );
    assert!(a > 0.3 && b > 0.3 && (a - b).abs() < 0.1, "{neither:?}");
    server.stop().await?;
    Ok(())
}

#[tokio::test]
async fn a_caption_about_one_country_is_not_decided_on_the_other_countrys_check()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = server(dir.path()).await?;
    // A Spanish caption about Brazil, sent from a market both checks cover.
    let caption = "los que votan en Brasil: si tu documento termina en número par votas el sábado y si es impar el domingo";
    let response = score_every_match(&server, "UY", caption).await?;
    let argentina = confidence_of(&response, "dias-argentina");
    assert!(argentina < 0.2, "{response:?}");
    assert!(
        response
            .matches
            .iter()
            .all(|m| m.claim_id.ends_with("dias-brasil") || m.level == pb::MatchLevel::None as i32),
        "{response:?}"
    );
    // The same words without the country: the Spanish check, in the
    // caption's language, is the nearer.
    let unnamed = score_every_match(
        &server,
        "UY",
        "si tu documento termina en número par votas el sábado y si es impar el domingo",
    )
    .await?;
    let unnamed_argentina = confidence_of(&unnamed, "dias-argentina");
    assert!(unnamed_argentina > 3.0 * argentina.max(0.01), "{unnamed:?}");
    // A country named in passing, with no check of its own among those
    // found, takes nothing away.
    let in_passing = score_every_match(
        &server,
        "UY",
        "vamos virar uma Venezuela: si tu documento termina en número par votas el sábado y si es impar el domingo",
    )
    .await?;
    let passing_argentina = confidence_of(&in_passing, "dias-argentina");
    assert!(
        passing_argentina > 3.0 * argentina.max(0.01),
        "{in_passing:?}"
    );
    server.stop().await?;
    Ok(())
}

/// Two checks of one vote-buying rumour in Indonesia, by the amount paid.
const AMOUNTS: &str = concat!(
    "{\"id\": \"foto-jari-50\", \"text\": \"Tim sukses caleg membayar Rp 50 ribu kepada warga yang mengirim foto jari bertinta setelah mencoblos.\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n",
    "{\"id\": \"foto-jari-100\", \"text\": \"Tim sukses caleg membayar Rp 100 ribu kepada warga yang mengirim foto jari bertinta setelah mencoblos.\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n",
);

#[tokio::test]
async fn an_amount_said_in_slang_picks_its_check() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = server(dir.path()).await?;
    load(&server, "partner", AMOUNTS.as_bytes().to_vec()).await?;
    let said = "tim sukses caleg bayar warga yang kirim foto jari bertinta habis nyoblos";

    // "Gocap" is Rp 50 ribu: the check of that amount, the other far down.
    let gocap = score_every_match(&server, "ID", &format!("{said}, dapet gocap")).await?;
    let first = gocap.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("foto-jari-50")),
        "{gocap:?}"
    );
    assert!(confidence_of(&gocap, "foto-jari-100") < 0.3, "{gocap:?}");

    // Without the amount, neither is demoted (the first of two checks
    // tied by their words ranks above the other by its retrieval rank).
    let other = score_every_match(&server, "ID", said).await?;
    let (a, b) = (
        confidence_of(&other, "foto-jari-50"),
        confidence_of(&other, "foto-jari-100"),
    );
    assert!(a > 0.5 && b > 0.5, "{other:?}");
    server.stop().await?;
    Ok(())
}

const REGIONS: &str = concat!(
    "{\"id\": \"titulo-boa-vista\", \"text\": \"Estrangeiros sem naturalização receberam título de eleitor em Boa Vista e vão votar na eleição para prefeito.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"titulo-corumba\", \"text\": \"Estrangeiros sem naturalização receberam título de eleitor em Corumbá e vão votar na eleição para prefeito.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
);

#[tokio::test]
async fn a_state_named_alone_picks_the_check_of_its_capital() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = server(dir.path()).await?;
    load(&server, "partner", REGIONS.as_bytes().to_vec()).await?;
    let said =
        "estrangeiros sem naturalização já receberam título de eleitor e vão votar pra prefeito";

    // Roraima's capital is Boa Vista: its check, the Corumbá one far down.
    let roraima = score_every_match(&server, "BR", &format!("lá em Roraima {said}")).await?;
    let first = roraima.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("titulo-boa-vista")),
        "{roraima:?}"
    );
    assert!(
        confidence_of(&roraima, "titulo-corumba") < 0.3,
        "{roraima:?}"
    );

    // Naming no state, neither check is demoted (to a fifth).
    let neither =
        score_every_match(&server, "BR", &format!("vão votar para prefeito: {said}")).await?;
    let (a, b) = (
        confidence_of(&neither, "titulo-boa-vista"),
        confidence_of(&neither, "titulo-corumba"),
    );
    assert!(a > 0.4 && b > 0.4, "{neither:?}");
    server.stop().await?;
    Ok(())
}

/// One falsehood checked in two cities whose names are one word each:
/// the checks' words are alike but for the city.
const TWO_NORTHERN_CITIES: &str = concat!(
    "{\"id\": \"domicilio-hermosillo\", \"text\": \"En Hermosillo el INE va a pedir comprobante de domicilio además de la credencial para dejarte votar.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"MX\"]}\n",
    "{\"id\": \"domicilio-mexicali\", \"text\": \"En Mexicali el INE va a pedir comprobante de domicilio además de la credencial para dejarte votar.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"MX\"]}\n",
);

#[tokio::test]
async fn checks_alike_but_for_a_city_unsaid_are_as_sure_and_the_citys_people_pick_theirs()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = server(dir.path()).await?;
    // Loaded in the reverse of their order above: the index's order must
    // not decide.
    let [first, second] = TWO_NORTHERN_CITIES.lines().collect::<Vec<_>>()[..] else {
        anyhow::bail!("two claims");
    };
    load(
        &server,
        "partner",
        format!("{second}\n{first}\n").into_bytes(),
    )
    .await?;
    let said = "no se les olvide el comprobante de domicilio, el ine lo va a pedir además de la credencial para dejarte votar";

    let neither = score_every_match(&server, "MX", said).await?;
    let (hermosillo, mexicali) = (
        confidence_of(&neither, "domicilio-hermosillo"),
        confidence_of(&neither, "domicilio-mexicali"),
    );
    assert!(
        hermosillo > 0.3 && (hermosillo - mexicali).abs() < 1e-6,
        "{neither:?}"
    );

    // Greeted by the name of its people, the city picks its check.
    let people = score_every_match(&server, "MX", &format!("cachanillas, {said}")).await?;
    server.stop().await?;
    let first = people.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("domicilio-mexicali")),
        "{people:?}"
    );
    assert!(
        confidence_of(&people, "domicilio-hermosillo")
            < confidence_of(&people, "domicilio-mexicali"),
        "{people:?}"
    );
    Ok(())
}

//! Matching by meaning: a claim retold in other words, in another
//! language, is found; meaning alone never takes a video down.

mod common;

use claimsignal::config::Config;
use claimsignal::proto::v1 as pb;
use common::{TestServer, confidence_of, load, score_every_match, text_request};

const CLAIMS: &str = concat!(
    "{\"id\": \"urnas-transferem\", \"text\": \"As urnas eletrônicas foram programadas para transferir votos para o candidato da situação.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\", \"MX\"]}\n",
    "{\"id\": \"chip-manaus\", \"text\": \"Urnas enviadas para Manaus têm um chip escondido que altera os votos à distância.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"boletas-marcadas\", \"text\": \"Las boletas de papel ya venían marcadas a favor de un candidato.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
);

/// A Spanish caption retelling the first claim in its own words.
const RETOLD: &str = "ojo que las maquinitas de votación ya vienen configuradas para pasarle tu voto al candidato del gobierno";

/// The sample `name` of the server's metrics.
async fn metric(server: &TestServer, name: &str) -> anyhow::Result<Option<f64>> {
    Ok(common::sample(&common::scrape(server).await?.1, name))
}

/// Waits until the embedder has computed the vectors of every loaded
/// claim, as the metric an operator watches says.
async fn embedded(server: &TestServer) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while metric(server, "claimsignal_vector_lag_changes").await? != Some(0.0) {
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "claim vectors never caught up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Ok(())
}

/// What a server matching by words only (`semantic = false`) over
/// `claims` gives `text` in `market`.
async fn by_words_only(
    claims: Vec<u8>,
    market: &str,
    text: &str,
) -> anyhow::Result<pb::ScoreResponse> {
    let dir = tempfile::tempdir()?;
    let server = words_only(dir.path()).await?;
    load(&server, "partner", claims).await?;
    let response = score_every_match(&server, market, text).await?;
    server.stop().await?;
    Ok(response)
}

/// Starts a server matching by words only (`semantic = false`).
async fn words_only(dir: &std::path::Path) -> anyhow::Result<TestServer> {
    start(dir, false).await
}

/// Starts a server matching by meaning too (`semantic = true`).
async fn with_meaning(dir: &std::path::Path) -> anyhow::Result<TestServer> {
    start(dir, true).await
}

async fn start(dir: &std::path::Path, semantic: bool) -> anyhow::Result<TestServer> {
    let mut config = Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    };
    config.matching.semantic = semantic;
    TestServer::start_with(config).await
}

#[tokio::test]
async fn the_status_says_how_far_the_claims_vectors_are() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    let mut admin = server.admin().await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    // Until the vectors are computed the lag counts the claims waiting;
    // an operator polls until it is 0. The rate the lag goes down at is
    // known once the embedder's first step is done (it ends just after
    // that step's vectors are written).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let status = loop {
        let status = admin
            .get_status(pb::GetStatusRequest {})
            .await?
            .into_inner();
        assert!(status.vector_lag_changes <= status.store_sequence);
        if let Some(eta) = status.vector_eta_seconds {
            // An estimate only while something lags, at a measured rate.
            assert!(eta > 0.0 && status.vector_lag_changes > 0, "{status:?}");
        }
        if status.vector_lag_changes == 0 && status.vector_changes_per_second > 0.0 {
            break status;
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "vectors never caught up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(status.serving, "{}", status.problem);
    assert_eq!(status.claims_indexed, 3);
    assert_eq!(status.store_sequence, 3);
    assert_eq!(status.index_lag_changes, 0);
    assert!(status.meaning);
    assert!(
        ["avx512-vnni", "avx2", "portable"].contains(&status.encoder_kernel.as_str()),
        "{}",
        status.encoder_kernel
    );
    assert_eq!(status.claim_texts_embedded, 3);
    assert_eq!(status.vector_eta_seconds, None, "nothing lags");
    server.stop().await?;

    // Matching by words only: nothing waits for the encoder.
    let dir = tempfile::tempdir()?;
    let server = words_only(dir.path()).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    let status = server
        .admin()
        .await?
        .get_status(pb::GetStatusRequest {})
        .await?
        .into_inner();
    assert!(!status.meaning);
    assert_eq!(status.encoder_kernel, "");
    assert_eq!((status.claims_indexed, status.vector_lag_changes), (3, 0));
    assert_eq!(status.vector_changes_per_second, 0.0);
    assert_eq!(status.vector_eta_seconds, None);
    server.stop().await?;
    Ok(())
}

#[tokio::test]
async fn a_claim_retold_in_another_language_is_found_by_meaning() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    embedded(&server).await?;

    let retold = score_every_match(&server, "MX", RETOLD).await?;
    let first = retold.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("urnas-transferem")),
        "{retold:?}"
    );
    // Meaning alone never decides `auto`.
    assert!(
        retold
            .matches
            .iter()
            .all(|m| m.level != pb::MatchLevel::Auto as i32)
    );
    // The claim of another market stays out, by meaning as by words.
    assert_eq!(confidence_of(&retold, "chip-manaus"), 0.0);
    // The match says how near the caption is by meaning, for a reviewer
    // who sees no shared words to explain it.
    let near = retold.matches[0].meaning_cosine;
    let floor = claimsignal::matcher::MatchConfig::default().semantic_floor_cosine;
    assert!(near.is_some_and(|c| c >= floor && c <= 1.0), "{near:?}");
    // The claim said word for word is decided by its words: the encoder
    // does not run, and the match has no cosine.
    let repeated = score_every_match(
        &server,
        "BR",
        "As urnas eletrônicas foram programadas para transferir votos para o candidato da situação.",
    )
    .await?;
    let said = &repeated.matches[0];
    assert!(said.claim_id.ends_with("urnas-transferem"), "{repeated:?}");
    assert_eq!(said.level, pb::MatchLevel::Auto as i32);
    assert_eq!(said.meaning_cosine, None);

    // Unrelated speech finds nothing worth a review, and never runs the
    // encoder: the gate lets only election talk through.
    let embedded_before = metric(&server, "claimsignal_meaning_sentences_embedded_total").await?;
    let football = score_every_match(
        &server,
        "MX",
        "el partido de futbol terminó dos a uno con un gol en el último minuto",
    )
    .await?;
    assert!(
        football
            .matches
            .iter()
            .all(|m| m.level == pb::MatchLevel::None as i32),
        "{football:?}"
    );
    assert_eq!(
        metric(&server, "claimsignal_meaning_sentences_embedded_total").await?,
        embedded_before
    );
    assert!(
        embedded_before.is_some_and(|n| n >= 1.0),
        "the retelling ran it"
    );
    // Election talk in slang is election talk: "la mica" is the voting
    // credential (`colloquial.rs`), and the gate reads it so.
    score_every_match(
        &server,
        "MX",
        "a mi tía le pidieron la copia de la mica y no la dejaron pasar",
    )
    .await?;
    assert_eq!(
        metric(&server, "claimsignal_meaning_sentences_embedded_total").await?,
        embedded_before.map(|n| n + 1.0)
    );
    assert!(
        metric(&server, "claimsignal_meaning_sentences_total")
            .await?
            .is_some_and(|n| n >= 2.0)
    );
    // The retelling posted again, as a falsehood that spreads is: the
    // same match, from the vector kept from the first time.
    let embedded_now = metric(&server, "claimsignal_meaning_sentences_embedded_total").await?;
    let cached_before = metric(&server, "claimsignal_meaning_sentences_cached_total").await?;
    let again = score_every_match(&server, "MX", RETOLD).await?;
    assert_eq!(
        confidence_of(&again, "urnas-transferem"),
        confidence_of(&retold, "urnas-transferem")
    );
    assert_eq!(
        metric(&server, "claimsignal_meaning_sentences_embedded_total").await?,
        embedded_now,
        "the encoder did not run"
    );
    let cached = metric(&server, "claimsignal_meaning_sentences_cached_total").await?;
    assert!(
        cached.unwrap_or(0.0) > cached_before.unwrap_or(0.0),
        "{cached_before:?} -> {cached:?}"
    );
    server.stop().await?;

    // The same caption, matched by words only, is less sure: it shares
    // only "para" and "candidato" with the claim.
    let by_words = by_words_only(CLAIMS.as_bytes().to_vec(), "MX", RETOLD).await?;
    assert!(
        confidence_of(&by_words, "urnas-transferem") < confidence_of(&retold, "urnas-transferem"),
        "words {by_words:?} meaning {retold:?}"
    );
    assert!(
        by_words.matches.iter().all(|m| m.meaning_cosine.is_none()),
        "{by_words:?}"
    );
    Ok(())
}

/// Argentine checks of the same story, in the caption's language and
/// nearer its words than the Brazilian and Mexican check.
const ARGENTINE: &str = concat!(
    "{\"id\": \"ar-1\", \"text\": \"Las máquinas de votación vienen configuradas para pasarle el voto al candidato del gobierno.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
    "{\"id\": \"ar-2\", \"text\": \"Las máquinas de votación de Córdoba ya vienen configuradas para pasar los votos al oficialismo.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
    "{\"id\": \"ar-3\", \"text\": \"Las urnas electrónicas de Mendoza están programadas para pasarle tu voto al candidato oficialista.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
    "{\"id\": \"ar-4\", \"text\": \"En Salta las máquinas de votar vienen configuradas para transferir votos al candidato del gobierno.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
    "{\"id\": \"ar-5\", \"text\": \"Las máquinas de voto electrónico de Rosario le pasan tu voto al candidato del gobierno provincial.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
    "{\"id\": \"ar-6\", \"text\": \"Denuncian que las máquinas de votación de Tucumán vienen configuradas para darle los votos al gobierno.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
);

/// Checks of other stories, so that the claims' centred space is not
/// the one story's: a partner's catalogue holds every subject.
fn other_stories() -> String {
    let animals = [
        "un tiburón",
        "un cocodrilo",
        "un oso",
        "un jaguar",
        "una ballena",
    ];
    let cities = ["Bogotá", "Lima", "Quito", "Cali"];
    let items = [
        "do arroz",
        "do feijão",
        "da gasolina",
        "do pão",
        "da energia",
    ];
    let months = ["janeiro", "março", "junho", "outubro"];
    let line = |id: String, text: String, language: &str| {
        format!(
            "{{\"id\": \"{id}\", \"text\": \"{text}\", \"language\": \"{language}\", \"rating\": \"Falso\", \"markets\": [\"CO\"]}}\n"
        )
    };
    let mut lines = String::new();
    for (a, animal) in animals.iter().enumerate() {
        for (c, city) in cities.iter().enumerate() {
            let text = format!("Una foto muestra {animal} caminando por una calle de {city}.");
            lines += &line(format!("animal-{a}-{c}"), text, "es");
        }
    }
    for (i, item) in items.iter().enumerate() {
        for (m, month) in months.iter().enumerate() {
            let text = format!("O preço {item} vai dobrar a partir de {month}, diz o governo.");
            lines += &line(format!("price-{i}-{m}"), text, "pt");
        }
    }
    lines
}

#[tokio::test]
async fn nearer_checks_of_other_markets_do_not_hide_the_callers_by_meaning() -> anyhow::Result<()> {
    let claims = [CLAIMS, ARGENTINE, &other_stories()].concat().into_bytes();
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", claims.clone()).await?;
    embedded(&server).await?;
    let argentine = score_every_match(&server, "AR", RETOLD).await?;
    let mexican = score_every_match(&server, "MX", RETOLD).await?;
    server.stop().await?;

    let by_words = by_words_only(claims, "MX", RETOLD).await?;

    // For an Argentine caller the six Argentine checks are nearer the
    // caption than the other market's (so they would fill every place a
    // sentence has if the search ignored markets).
    let nearest_argentine = (1..=6)
        .map(|i| confidence_of(&argentine, &format!("ar-{i}")))
        .fold(0f32, f32::max);
    assert!(
        nearest_argentine > confidence_of(&argentine, "urnas-transferem"),
        "{argentine:?}"
    );
    // A Mexican caller gets the check of their market by meaning, as
    // sure as meaning makes it, not only what the words give it.
    let first = mexican.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("urnas-transferem")),
        "{mexican:?}"
    );
    assert!(
        confidence_of(&mexican, "urnas-transferem")
            > confidence_of(&by_words, "urnas-transferem") + 0.05,
        "meaning {mexican:?} words {by_words:?}"
    );
    assert!(
        mexican.matches.iter().all(|m| !m.claim_id.contains("ar-")),
        "{mexican:?}"
    );
    Ok(())
}

/// One rumour checked in two countries, in their languages.
const TWO_COUNTRIES: &str = concat!(
    "{\"id\": \"ar-two-days\", \"text\": \"En la segunda vuelta se vota en dos días: el sábado los documentos que terminan en número par y el domingo los que terminan en impar.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"AR\"]}\n",
    "{\"id\": \"br-two-days\", \"text\": \"Quem tem título de eleitor com final par vai votar no sábado e quem tem final ímpar só vota no domingo.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
);

/// A Spanish caption telling the rumour about Brazil.
const ABOUT_BRAZIL: &str = "para los que votan en Brasil: si tu documento termina en número par te toca el sábado y si termina en impar vas el domingo";

#[tokio::test]
async fn a_rumour_told_about_a_country_gets_that_countrys_check_first() -> anyhow::Result<()> {
    let claims = [CLAIMS, TWO_COUNTRIES, &other_stories()]
        .concat()
        .into_bytes();
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", claims).await?;
    embedded(&server).await?;
    // A caller naming no market (a platform scoring for every country)
    // is given the checks of both.
    let about_brazil = score_every_match(&server, "", ABOUT_BRAZIL).await?;
    let untold = ABOUT_BRAZIL.replace("para los que votan en Brasil: ", "");
    let nowhere = score_every_match(&server, "", &untold).await?;
    server.stop().await?;

    let ids = |r: &pb::ScoreResponse| -> Vec<String> {
        r.matches.iter().map(|m| m.claim_id.clone()).collect()
    };
    // Said without a country, the Argentine check, in the caption's
    // language and words, comes first.
    assert!(
        nowhere
            .matches
            .first()
            .is_some_and(|m| m.claim_id.ends_with("ar-two-days")),
        "{:?}",
        ids(&nowhere)
    );
    // Told about Brazil, the Brazilian check of the rumour, found by
    // meaning across languages, comes before it; the Argentine check
    // stays a lead, never a decision.
    let first = about_brazil.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("br-two-days")),
        "{:?}",
        ids(&about_brazil)
    );
    // Shown with the words of the caption that tell it.
    assert!(
        about_brazil
            .matches
            .first()
            .is_some_and(|m| m.excerpt.contains("sábado")),
        "{about_brazil:?}"
    );
    // Handed over by meaning, it decides nothing.
    assert_eq!(
        about_brazil.decision,
        pb::Decision::None as i32,
        "{about_brazil:?}"
    );
    let argentine = about_brazil
        .matches
        .iter()
        .find(|m| m.claim_id.ends_with("ar-two-days"));
    assert!(
        argentine.is_some_and(|m| m.level() == pb::MatchLevel::None),
        "{argentine:?}"
    );
    // A Brazilian check of another story does not pass the Argentine
    // check of this one.
    assert!(
        confidence_of(&about_brazil, "chip-manaus") < confidence_of(&about_brazil, "ar-two-days"),
        "{:?}",
        ids(&about_brazil)
    );
    Ok(())
}

/// The claims `response` gives, in order, with their confidence and level.
fn ranked(response: &pb::ScoreResponse) -> Vec<(String, f32, i32)> {
    response
        .matches
        .iter()
        .map(|m| (m.claim_id.clone(), m.confidence, m.level))
        .collect()
}

#[tokio::test]
async fn a_caption_in_capitals_is_matched_as_it_is_written_in_lower_case() -> anyhow::Result<()> {
    let claims = [CLAIMS, &other_stories()].concat().into_bytes();
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", claims).await?;
    embedded(&server).await?;
    let written = score_every_match(&server, "MX", RETOLD).await?;
    let shouted = score_every_match(&server, "MX", &RETOLD.to_uppercase()).await?;
    let stressed = score_every_match(
        &server,
        "MX",
        &RETOLD
            .replace("maquinitas", "MAQUINITAS")
            .replace("gobierno", "GOBIERNO"),
    )
    .await?;
    server.stop().await?;

    // Found by meaning as written...
    let first = written.matches.first().map(|m| m.claim_id.as_str());
    assert!(
        first.is_some_and(|id| id.ends_with("urnas-transferem")),
        "{written:?}"
    );
    // ... and found the same, as surely, shouted whole or a word or two
    // at a time: the encoder's vocabulary is cased, and read as typed a
    // caption in capitals lands far from its check.
    assert_eq!(ranked(&shouted), ranked(&written), "{shouted:?}");
    assert_eq!(ranked(&stressed), ranked(&written), "{stressed:?}");
    Ok(())
}

#[tokio::test]
async fn a_caption_said_in_diminutives_is_matched_as_said_plainly() -> anyhow::Result<()> {
    // Written for this test: creators in Brazil and Mexico say words
    // small that checks never do.
    let claims = concat!(
        "{\"id\": \"dinheiro-porta\", \"text\": \"O candidato distribuiu dinheiro na porta da escola para comprar votos.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
        "{\"id\": \"casillas-tiendas\", \"text\": \"El INE instalará casillas dentro de tiendas de conveniencia para que la gente vote mientras compra.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"MX\"]}\n",
        "{\"id\": \"outra\", \"text\": \"A urna registra sozinha o voto no primeiro candidato da lista.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    );
    let dir = tempfile::tempdir()?;
    let server = words_only(dir.path()).await?;
    load(&server, "partner", claims.as_bytes().to_vec()).await?;
    for (market, claim, plain, small) in [
        (
            "BR",
            "dinheiro-porta",
            "o candidato deu dinheiro na porta da escola pra comprar voto",
            "o candidatozinho deu um dinheirinho na portinha da escolinha pra comprar votinho",
        ),
        (
            "MX",
            "casillas-tiendas",
            "el INE va a poner casillas en las tiendas de conveniencia para votar mientras compras",
            "el INE va a poner casillitas en las tienditas de conveniencia para votar mientras compras",
        ),
    ] {
        let plain = confidence_of(&score_every_match(&server, market, plain).await?, claim);
        let response = score_every_match(&server, market, small).await?;
        let first = response.matches.first().map(|m| m.claim_id.as_str());
        assert!(first.is_some_and(|id| id.ends_with(claim)), "{response:?}");
        // The plain words are read beside the small ones, not in place of
        // them: what the caller sees is the caption as said.
        assert!(
            response.matches[0].excerpt.contains("tinha")
                || response.matches[0].excerpt.contains("itas"),
            "{response:?}"
        );
        let small = confidence_of(&response, claim);
        assert!(
            (plain - small).abs() < 0.1,
            "{small} said small against {plain} said plainly"
        );
    }
    server.stop().await?;
    Ok(())
}

#[tokio::test]
async fn vectors_are_kept_across_a_restart() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    embedded(&server).await?;
    let before = score_every_match(&server, "MX", RETOLD).await?;
    server.stop().await?;

    let vectors = std::fs::metadata(dir.path().join("claim-vectors.bin"))?.len();
    let server = with_meaning(dir.path()).await?;
    embedded(&server).await?;
    let after = score_every_match(&server, "MX", RETOLD).await?;
    // Nothing was embedded again: the file did not grow.
    assert_eq!(
        std::fs::metadata(dir.path().join("claim-vectors.bin"))?.len(),
        vectors
    );
    assert_eq!(
        confidence_of(&after, "urnas-transferem"),
        confidence_of(&before, "urnas-transferem")
    );
    assert!(confidence_of(&after, "urnas-transferem") > 0.0);
    server.stop().await?;
    Ok(())
}

#[tokio::test]
async fn a_damaged_encoder_model_stops_the_start_naming_the_setting() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("model.bin");
    let shipped = std::fs::read(claimsignal::encoder::SHIPPED_MODEL)?;
    std::fs::write(&copy, &shipped[..shipped.len() - 1])?;
    let mut config = Config {
        data_dir: dir.path().join("data"),
        ..Config::default()
    };
    config.matching.semantic = true;
    config.matching.encoder_model = Some(copy);
    let err = match TestServer::start_with(config).await {
        Ok(_) => anyhow::bail!("a truncated model was accepted"),
        Err(err) => err.to_string(),
    };
    assert!(
        err.contains("SHA-256") && err.contains("matching.encoder_model"),
        "{err}"
    );
    Ok(())
}

/// WebVTT of unpunctuated automatic captions, one cue per line of `cues`,
/// four seconds each.
fn captions(cues: &[&str]) -> String {
    let mut vtt = String::from("WEBVTT\n\n");
    for (i, cue) in cues.iter().enumerate() {
        vtt.push_str(&format!(
            "00:00:{:02}.000 --> 00:00:{:02}.900\n{cue}\n\n",
            i * 4,
            i * 4 + 3
        ));
    }
    vtt
}

/// The first claim's confidence, level and span in a video.
async fn in_video(
    server: &TestServer,
    cues: &[&str],
) -> anyhow::Result<Option<(f32, i32, u64, u64)>> {
    let mut request = text_request("video-1", "BR", "");
    request.content = Some(pb::score_request::Content::Webvtt(captions(cues)));
    request.min_confidence = Some(0.01);
    let response = server.matcher().await?.score(request).await?.into_inner();
    Ok(response
        .matches
        .iter()
        .find(|m| m.claim_id.ends_with("urnas-transferem"))
        .map(|m| (m.confidence, m.level, m.start_ms, m.end_ms)))
}

#[tokio::test]
async fn a_claim_said_over_two_cues_is_as_sure_as_its_words_alone_and_a_collage_is_not()
-> anyhow::Result<()> {
    // Automatic captions cut the claim in two: neither cue holds enough
    // of its words alone.
    let said = [
        "oi gente tudo bem hoje eu vim contar uma coisa que me deixou chocada",
        "meu primo trabalha no cartório e falou que as urnas eletrônicas foram programadas",
        "pra transferir os votos direto pro candidato da situação",
        "então fica esperto e manda esse vídeo pra família toda",
        "beijo e até amanhã",
    ];
    // Cues about other things that hold the claim's words between them.
    let collage = [
        "a loja de móveis da esquina vendeu as urnas eletrônicas de enfeite que a minha avó guardava no sótão junto com os discos",
        "as férias da família foram programadas pra julho na praia com churrasco",
        "quero transferir meus votos de paz e saúde pro candidato a síndico do prédio",
        "a situação do elevador tá difícil",
    ];
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    embedded(&server).await?;
    let alone = score_every_match(&server, "BR", &format!("{} {}", said[1], said[2])).await?;
    let alone = alone
        .matches
        .iter()
        .find(|m| m.claim_id.ends_with("urnas-transferem"))
        .map(|m| (m.confidence, m.level))
        .expect("the stretch alone matches the claim");
    assert!(alone.1 >= pb::MatchLevel::Review as i32, "{alone:?}");
    let (confidence, level, start, end) = in_video(&server, &said)
        .await?
        .expect("the claim is found in the video");
    assert!(
        confidence >= alone.0 - 0.05 && level == alone.1,
        "inside {confidence} {level}, alone {alone:?}"
    );
    // The span is the two cues that say it.
    assert_eq!((start, end), (4_000, 11_900));
    let (confidence, level, ..) = in_video(&server, &collage).await?.unwrap_or_default();
    assert_eq!(
        level,
        pb::MatchLevel::None as i32,
        "collage at {confidence}"
    );
    server.stop().await?;

    // The collage's words alone would have matched it: meaning is what
    // tells it from a claim said over two cues.
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    config.matching.semantic_run_cosine = 0.0;
    let trusting = TestServer::start_with(config).await?;
    load(&trusting, "partner", CLAIMS.as_bytes().to_vec()).await?;
    embedded(&trusting).await?;
    let (confidence, level, ..) = in_video(&trusting, &collage).await?.unwrap_or_default();
    assert!(
        level >= pb::MatchLevel::Review as i32,
        "collage by words at {confidence}"
    );
    trusting.stop().await?;
    Ok(())
}

/// The nice value and scheduling policy of each of this process's
/// threads whose name starts with `prefix` (Linux: fields 19 and 41 of
/// `/proc/self/task/*/stat`; policy 5 is `SCHED_IDLE`).
#[cfg(target_os = "linux")]
fn nice_of_threads(prefix: &str) -> anyhow::Result<Vec<(i64, u32)>> {
    let mut threads = Vec::new();
    for task in std::fs::read_dir("/proc/self/task")? {
        let path = task?.path();
        // A thread may end between the listing and the reads.
        let (Ok(name), Ok(stat)) = (
            std::fs::read_to_string(path.join("comm")),
            std::fs::read_to_string(path.join("stat")),
        ) else {
            continue;
        };
        if !name.trim_end().starts_with(prefix) {
            continue;
        }
        // The fields after the name in parentheses start at the third.
        let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let (Some(nice), Some(policy)) = (fields.get(19 - 3), fields.get(41 - 3)) else {
            anyhow::bail!("short stat line: {stat}");
        };
        threads.push((nice.parse()?, policy.parse()?));
    }
    Ok(threads)
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_claim_embedder_gives_way_to_scoring() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;
    // Once it has embedded the claims, the embedder has set its priority.
    // `cargo test` runs this file's tests in one process, so another
    // test's server may have started an embedder that has not yet run its
    // first line: every one must reach 10 within the deadline.
    embedded(&server).await?;
    // Thread names are cut to 15 bytes: "claimsignal-score-0".
    let scoring = nice_of_threads("claimsignal-sco")?;
    assert!(
        !scoring.is_empty() && scoring.iter().all(|&(nice, _)| nice == 0),
        "{scoring:?}"
    );
    // Its helpers (one per scoring thread but one; a scoring thread per
    // core) take only idle time: the idle scheduling class.
    let cores = std::thread::available_parallelism()?.get();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let embedders = nice_of_threads("claim-embedder")?;
        let helpers = nice_of_threads("claim-embedder-")?;
        if !embedders.is_empty()
            && embedders.iter().all(|&(nice, _)| nice == 10)
            && (cores < 2 || !helpers.is_empty())
            && helpers.iter().all(|&(_, policy)| policy == 5)
        {
            break;
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "embedder threads' nice values and policies: {embedders:?}, helpers {helpers:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    server.stop().await?;
    Ok(())
}

/// Checks in scripts the shipped encoder does not read (its vocabulary
/// keeps the Latin-script pieces), for one market.
const OTHER_SCRIPTS: &str = concat!(
    "{\"id\": \"ru-stuffed\", \"text\": \"Избирательные урны в Москве были заполнены бюллетенями заранее, до начала голосования.\", \"language\": \"ru\", \"rating\": \"Ложь\", \"markets\": [\"UA\"]}\n",
    "{\"id\": \"ru-signatures\", \"text\": \"Кандидату от оппозиции запретили участвовать в выборах из-за поддельных подписей.\", \"language\": \"ru\", \"rating\": \"Ложь\", \"markets\": [\"UA\"]}\n",
    "{\"id\": \"ar-cairo\", \"text\": \"تم تزوير نتائج الانتخابات في القاهرة باستخدام بطاقات اقتراع مزيفة.\", \"language\": \"ar\", \"rating\": \"False\", \"markets\": [\"UA\"]}\n",
);

#[tokio::test]
async fn a_caption_in_a_script_the_encoder_does_not_read_is_matched_by_its_words_only()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(
        &server,
        "partner",
        [CLAIMS, OTHER_SCRIPTS].concat().into_bytes(),
    )
    .await?;
    embedded(&server).await?;
    // To the encoder every text in another script is a string of unknown
    // pieces, and any two look alike: a true caption about a quiet
    // election day would sit near the ballot-stuffing check by meaning.
    let quiet = score_every_match(
        &server,
        "UA",
        "Вчера на выборах мой сосед голосовал за кандидата от оппозиции, и всё прошло спокойно.",
    )
    .await?;
    // Said again in other words, the check is still found by its words.
    let retold = score_every_match(
        &server,
        "UA",
        "В Москве урны заранее набили бюллетенями ещё до того, как открылись участки!",
    )
    .await?;
    let unread_claims = metric(&server, "claimsignal_claims_unread_by_meaning").await?;
    let unread_sentences = metric(&server, "claimsignal_meaning_sentences_unread_total").await?;
    server.stop().await?;

    let review = Config::default().matching.review_threshold;
    assert!(
        quiet.matches.iter().all(|m| m.confidence < review),
        "{quiet:?}"
    );
    assert_eq!(confidence_of(&quiet, "ru-stuffed"), 0.0, "{quiet:?}");
    assert!(
        quiet
            .matches
            .iter()
            .chain(&retold.matches)
            .all(|m| m.meaning_cosine.is_none()),
        "{quiet:?} {retold:?}"
    );
    let first = retold.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with("ru-stuffed") && m.confidence >= review),
        "{retold:?}"
    );
    // The operator sees what is matched by words only.
    assert_eq!(unread_claims, Some(3.0));
    assert!(
        unread_sentences.is_some_and(|n| n >= 1.0),
        "{unread_sentences:?}"
    );
    Ok(())
}

/// One rumour checked about two candidates: in Portuguese about a mayoral
/// candidate, in English about a governor's race.
const TWO_CANDIDATES: &str = concat!(
    "{\"id\": \"pt-vasconcelos\", \"text\": \"A candidata a prefeita de Campinas Helena Vasconcelos está internada desde março e a campanha usa uma sósia nos comícios.\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n",
    "{\"id\": \"en-ellison\", \"text\": \"Governor candidate Maria Ellison has been in hospital since March and her campaign uses a body double at rallies.\", \"language\": \"en\", \"rating\": \"False\", \"markets\": [\"BR\", \"US\"]}\n",
);

#[tokio::test]
async fn the_check_about_the_person_a_caption_names_leads_across_languages() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", TWO_CANDIDATES.as_bytes().to_vec()).await?;
    embedded(&server).await?;
    // Told in Portuguese of the English check's candidate: its words are
    // the Portuguese check's, told of someone else.
    let told = score_every_match(
        &server,
        "BR",
        "olha isso: a candidata a governadora Maria Ellison está internada desde março e a campanha usa uma sósia nos comícios",
    )
    .await?;
    // The same as speech recognition writes it, without a capital: the
    // name said in full is still the candidate's.
    let transcribed = score_every_match(
        &server,
        "BR",
        "olha isso a candidata a governadora maria ellison está internada desde março e a campanha usa uma sósia nos comícios",
    )
    .await?;
    // Told loosely, words and meaning put neither check at `review`: the
    // one about the named candidate still comes first.
    let loosely = score_every_match(
        &server,
        "BR",
        "a candidata Maria Ellison teve um problema de saúde em março e quem aparece nos comícios é outra pessoa",
    )
    .await?;
    server.stop().await?;

    let review = Config::default().matching.review_threshold;
    let first = told.matches.first();
    assert!(
        first.is_some_and(
            |m| m.claim_id.ends_with("en-ellison") && m.level == pb::MatchLevel::Review as i32
        ),
        "{told:?}"
    );
    // The reviewer sees where it was said.
    assert!(
        first.is_some_and(|m| m.excerpt.contains("Maria Ellison")),
        "{told:?}"
    );
    assert!(
        confidence_of(&told, "pt-vasconcelos") < review,
        "the check about someone else is not decided: {told:?}"
    );
    let first = transcribed.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with("en-ellison")),
        "{transcribed:?}"
    );
    assert!(
        confidence_of(&transcribed, "pt-vasconcelos") < review,
        "{transcribed:?}"
    );
    let first = loosely.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with("en-ellison")),
        "{loosely:?}"
    );
    Ok(())
}

/// One rumour checked in two cities: in Spanish for Toluca, in English
/// for Tulsa.
const TWO_CITIES: &str = concat!(
    "{\"id\": \"es-toluca\", \"text\": \"Los marcadores que entregan en las casillas de Toluca tienen una tinta que se borra a las pocas horas, y así pueden cambiar tu voto.\", \"language\": \"es\", \"rating\": \"Falso\", \"markets\": [\"MX\", \"US\"]}\n",
    "{\"id\": \"en-tulsa\", \"text\": \"Pens handed out at polling places in Tulsa use ink that fades after a few hours, so ballots can be filled in again later.\", \"language\": \"en\", \"rating\": \"False\", \"markets\": [\"MX\", \"US\"]}\n",
);

#[tokio::test]
async fn the_check_about_the_city_a_caption_names_leads_across_languages() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", TWO_CITIES.as_bytes().to_vec()).await?;
    embedded(&server).await?;
    // Told in Spanish of the English check's city, one word: the Spanish
    // check's words, told of somewhere else.
    let told = score_every_match(
        &server,
        "MX",
        "las plumas que dan en Tulsa tienen una tinta que se borra en unas horas",
    )
    .await?;
    // Told of the Spanish check's own city, it stays first.
    let at_home = score_every_match(
        &server,
        "MX",
        "los marcadores que dan en Toluca tienen una tinta que se borra en unas horas",
    )
    .await?;
    server.stop().await?;

    assert!(
        told.matches
            .first()
            .is_some_and(|m| m.claim_id.ends_with("en-tulsa")),
        "{told:?}"
    );
    assert!(
        at_home
            .matches
            .first()
            .is_some_and(|m| m.claim_id.ends_with("es-toluca")),
        "{at_home:?}"
    );
    Ok(())
}

/// Two English checks naming a county and a state, a Portuguese check of
/// the same story told of another city, and a Spanish check naming no one.
const NAMED_ACROSS: &str = concat!(
    "{\"id\": \"en-maricopa\", \"text\": \"Voters in Maricopa County who wear a candidate's T-shirt or hat to the polls will have their ballot thrown out.\", \"language\": \"en\", \"rating\": \"False\"}\n",
    "{\"id\": \"en-georgia\", \"text\": \"Anyone who voted in Georgia's primary is automatically signed up to vote by mail in the general election.\", \"language\": \"en\", \"rating\": \"False\"}\n",
    "{\"id\": \"pt-bh\", \"text\": \"Mesários de Belo Horizonte foram orientados a anular o voto de quem chegar à seção usando camiseta verde e amarela.\", \"language\": \"pt\", \"rating\": \"Falso\"}\n",
    "{\"id\": \"es-dni\", \"text\": \"Si votás con el DNI vencido tu voto no se cuenta y además te cobran una multa.\", \"language\": \"es\", \"rating\": \"Falsa\"}\n",
);

#[tokio::test]
async fn a_check_in_another_language_naming_the_place_leads_checks_of_no_place_or_another()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    load(&server, "partner", NAMED_ACROSS.as_bytes().to_vec()).await?;
    embedded(&server).await?;
    // "condado de Maricopa" says "Maricopa County": the Portuguese check
    // of Belo Horizonte is told of somewhere else.
    let county = score_every_match(
        &server,
        "BR",
        "lembra daquela história de que no condado de Maricopa quem fosse de camisa de campanha tinha o voto anulado",
    )
    .await?;
    // The Spanish check shares election words and names nothing; the
    // English one names the state the caption names.
    let state = score_every_match(
        &server,
        "AR",
        "en Georgia si votaste en las primarias ya te mandan la boleta por correo solita, no tienes que pedirla",
    )
    .await?;
    server.stop().await?;

    for (response, claim) in [(&county, "en-maricopa"), (&state, "en-georgia")] {
        let first = response.matches.first();
        assert!(
            first.is_some_and(|m| m.claim_id.ends_with(claim)),
            "{claim} first: {:?}",
            ranked(response)
        );
        // A name reorders; it decides nothing.
        assert!(
            first.is_some_and(|m| m.level() == pb::MatchLevel::None),
            "{:?}",
            ranked(response)
        );
    }
    Ok(())
}

// Written for this test: a check titled, as fact-checkers title them,
// with the fact, and Indonesian checks of other stories beside it.
const MOVED: &str = concat!(
    "{\"id\": \"pindah-balikpapan\", \"text\": \"Warga Balikpapan yang pindah domisili tidak bisa memilih sama sekali meskipun sudah mengurus surat pindah memilih.\", \"title\": \"Pemilih pindahan di Balikpapan tetap bisa memilih dengan surat pindah\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n",
    "{\"id\": \"tinta-medan\", \"text\": \"Tinta pemilu di TPS Medan bisa dihapus dengan cuka sehingga pemilih bisa mencoblos dua kali.\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n",
    "{\"id\": \"libur-bogor\", \"text\": \"Pemerintah Kota Bogor membatalkan libur pada hari pencoblosan sehingga warga yang bekerja tidak bisa ke TPS.\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n",
    "{\"id\": \"ktp-makassar\", \"text\": \"Di Makassar pemilih yang KTP-nya sudah kedaluwarsa akan ditolak di TPS dan suaranya dianggap hangus.\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n",
    "{\"id\": \"bansos-surabaya\", \"text\": \"Warga Surabaya yang tidak datang ke TPS akan dicoret dari daftar penerima bansos tahun depan.\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n",
);

/// A caption in a check's own words that says able or allowed what the
/// check says is not states the contrary fact: a reviewer reads it; it is
/// never decided alone.
#[tokio::test]
async fn a_caption_affirming_what_the_check_denies_is_not_decided_alone() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = with_meaning(dir.path()).await?;
    let claims = [CLAIMS, &other_stories(), MOVED].concat().into_bytes();
    load(&server, "partner", claims).await?;
    embedded(&server).await?;
    let the_fact = score_every_match(
        &server,
        "ID",
        "yang pindah domisili ke Balikpapan bisa urus surat pindah memilih di PPS paling lambat H-7",
    )
    .await?;
    let retold = score_every_match(
        &server,
        "ID",
        "warga Balikpapan yang pindah domisili nggak bisa memilih sama sekali walaupun sudah mengurus surat pindah memilih",
    )
    .await?;
    server.stop().await?;

    held_and_retold(&the_fact, &retold, "pindah-balikpapan");
    Ok(())
}

/// Asserts that `claim` comes first for both captions: for the one stating
/// the contrary fact in the check's words under `auto`, at `review`; for
/// the spreader's, at `auto`.
fn held_and_retold(the_fact: &pb::ScoreResponse, retold: &pb::ScoreResponse, claim: &str) {
    let auto = Config::default().matching.auto_threshold;
    let first = the_fact.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with(claim)
            && m.confidence < auto
            && m.level() == pb::MatchLevel::Review),
        "{:?}",
        ranked(the_fact)
    );
    let first = retold.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with(claim) && m.level() == pb::MatchLevel::Auto),
        "{:?}",
        ranked(retold)
    );
}

// Written for this test: a check that denies what the truth affirms, in
// words other than "can" ("no te dan otra").
const ANOTHER_BALLOT: &str = "{\"id\": \"boleta-santa-fe\", \"text\": \"En Santa Fe, si te equivocás al marcar la Boleta Única no te dan otra y tu voto queda anulado.\", \"language\": \"es\", \"rating\": \"Falsa\", \"markets\": [\"AR\"]}\n";

/// Scores both captions by words only against `CLAIMS`, other stories and
/// `check` (one JSON line), for `market`, and asserts `held_and_retold`.
async fn told_truly_and_retold(
    check: &str,
    market: &str,
    the_fact: &str,
    retold: &str,
    claim: &str,
) -> anyhow::Result<()> {
    let claims = [CLAIMS, &other_stories(), check].concat().into_bytes();
    let the_fact = by_words_only(claims.clone(), market, the_fact).await?;
    let retold = by_words_only(claims, market, retold).await?;
    held_and_retold(&the_fact, &retold, claim);
    Ok(())
}

/// The three words after a check's negator, said without it, state the
/// contrary fact whatever the verb: a reviewer reads the caption, it is
/// not decided alone; the spreader keeping the negator is.
#[tokio::test]
async fn a_caption_saying_what_the_check_denies_in_its_words_is_not_decided_alone()
-> anyhow::Result<()> {
    told_truly_and_retold(
        ANOTHER_BALLOT,
        "AR",
        "en santa fe si te equivocás al marcar la boleta única te dan otra en la mesa",
        "ojo en santa fe, si te equivocás al marcar la boleta única no te dan otra y el voto queda anulado",
        "boleta-santa-fe",
    )
    .await
}

// Written for this test: a check whose falsehood is a price.
const TRANSIT_FEE: &str = "{\"id\": \"taxa-transito\", \"text\": \"Quem pedir voto em trânsito em Vitória vai precisar pagar uma taxa de R$ 80 no cartório eleitoral.\", \"title\": \"Voto em trânsito é gratuito\", \"language\": \"pt\", \"rating\": \"Falso\", \"markets\": [\"BR\"]}\n";

/// A caption with every word of a check but its amount is the setting
/// told truly (the transit vote is free), not the falsehood: a reviewer
/// reads it, it is not decided alone; the spreader saying the price,
/// however written, is.
#[tokio::test]
async fn a_caption_with_the_checks_words_but_not_its_amount_is_not_decided_alone()
-> anyhow::Result<()> {
    told_truly_and_retold(
        TRANSIT_FEE,
        "BR",
        "quem vai estar fora no dia da eleição pode pedir voto em trânsito no cartório eleitoral de vitória até agosto, e é de graça",
        "gente quem pedir voto em trânsito em vitória vai ter que pagar oitenta reais de taxa no cartório eleitoral",
        "taxa-transito",
    )
    .await
}

/// A Spanish caption retelling the first claim of `CLAIMS` (Portuguese)
/// nearly as the check says it, and a true Spanish caption about the
/// voting machines.
const RETOLD_ACROSS: &str =
    "en Brasil las urnas le transfieren tu voto al candidato que ya gobierna, así está programado";
const TRUE_ACROSS: &str = "las máquinas de votación se prueban en público antes de la elección y cualquiera puede ir a ver";

#[tokio::test]
async fn a_retelling_in_another_language_is_judged_on_that_languages_scale() -> anyhow::Result<()> {
    let claims = [CLAIMS, &other_stories()].concat().into_bytes();
    // What a Mexican caller gets for each caption, with the shipped
    // settings or with claims in another language judged on the scale of
    // the caption's own.
    let judged = |across: Option<f32>| {
        let claims = claims.clone();
        async move {
            let dir = tempfile::tempdir()?;
            let mut config = Config {
                data_dir: dir.path().to_path_buf(),
                ..Config::default()
            };
            if let Some(across) = across {
                config.matching.semantic_review_cosine_across = across;
            }
            let server = TestServer::start_with(config).await?;
            load(&server, "partner", claims).await?;
            embedded(&server).await?;
            let retold = score_every_match(&server, "MX", RETOLD_ACROSS).await?;
            let true_caption = score_every_match(&server, "MX", TRUE_ACROSS).await?;
            server.stop().await?;
            anyhow::Ok((retold, true_caption))
        }
    };
    let defaults = claimsignal::matcher::MatchConfig::default();
    let (retold, true_caption) = judged(None).await?;

    // The retelling goes to review, by meaning alone and never to auto,
    // at a cosine that would leave a claim in its own language under it.
    let first = &retold.matches[0];
    assert!(first.claim_id.ends_with("urnas-transferem"), "{retold:?}");
    assert_eq!(first.level, pb::MatchLevel::Review as i32, "{retold:?}");
    assert!(
        first
            .meaning_cosine
            .is_some_and(|c| c < defaults.semantic_review_cosine),
        "{first:?}"
    );
    // A true caption about the same machines is worth no review.
    assert!(
        true_caption
            .matches
            .iter()
            .all(|m| m.level == pb::MatchLevel::None as i32),
        "{true_caption:?}"
    );

    // Judged on the caption's own language's scale, the retelling would
    // be shown to nobody.
    let (one_scale, _) = judged(Some(defaults.semantic_review_cosine)).await?;
    let first = &one_scale.matches[0];
    assert!(
        first.claim_id.ends_with("urnas-transferem"),
        "{one_scale:?}"
    );
    assert_eq!(first.level, pb::MatchLevel::None as i32, "{one_scale:?}");
    Ok(())
}

/// A check of an hour, for `other_hours_are_not_decided_by_meaning`.
const KUPANG: &str = "{\"id\": \"kupang-closed\", \"text\": \"TPS di Kupang ditutup jam 11 siang karena petugas mau pulang cepat, ratusan warga tidak bisa mencoblos.\", \"language\": \"id\", \"rating\": \"Hoaks\", \"markets\": [\"ID\"]}\n";

#[tokio::test]
async fn other_hours_are_not_decided_by_meaning() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    // Meaning decides from a low cosine here, so that both captions
    // below are near enough to be decided by it.
    config.matching.semantic_review_cosine = 0.40;
    let server = TestServer::start_with(config).await?;
    let claims = [CLAIMS, &other_stories(), KUPANG].concat();
    load(&server, "partner", claims.into_bytes()).await?;
    embedded(&server).await?;
    let level_of = |response: &pb::ScoreResponse| {
        response
            .matches
            .iter()
            .find(|m| m.claim_id.ends_with("kupang-closed"))
            .map(|m| (m.level(), m.meaning_cosine))
    };
    // The polling stations' usual hours: near the check by meaning, but
    // its hour is not said.
    let hours = score_every_match(
        &server,
        "ID",
        "TPS di Kupang dibuka jam tujuh pagi dan tutup jam satu siang, datang lebih awal ya",
    )
    .await?;
    let (level, cosine) = level_of(&hours).ok_or_else(|| anyhow::anyhow!("{hours:?}"))?;
    assert!(cosine.is_some_and(|c| c >= 0.40), "{hours:?}");
    assert_eq!(level, pb::MatchLevel::None, "{hours:?}");
    // Said with the check's hour, the same story is decided.
    let closed = score_every_match(
        &server,
        "ID",
        "TPS di Kupang udah tutup jam sebelas siang, datang lebih awal percuma",
    )
    .await?;
    let (level, _) = level_of(&closed).ok_or_else(|| anyhow::anyhow!("{closed:?}"))?;
    assert_eq!(level, pb::MatchLevel::Review, "{closed:?}");
    server.stop().await
}

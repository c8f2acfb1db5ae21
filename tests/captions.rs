//! Caption files in four languages where a checked claim is repeated
//! mid-video: the right claim comes back, and its time span covers the
//! cues that say it and not the whole video.

mod common;

use claimsignal::captions::whisper;
use claimsignal::proto::v1 as pb;
use claimsignal::server::convert::matcher::segments_content;
use common::{TestServer, fixture, load};

fn request(video_id: &str, market: &str, content: pb::score_request::Content) -> pb::ScoreRequest {
    pb::ScoreRequest {
        request_id: video_id.into(),
        video_id: video_id.into(),
        market: market.into(),
        // Inside the Brazilian claim's 2022 validity window.
        observed_at: Some(prost_types::Timestamp {
            seconds: 1_664_000_000,
            nanos: 0,
        }),
        content: Some(content),
        ..Default::default()
    }
}

fn caption(name: &str) -> anyhow::Result<String> {
    Ok(std::fs::read_to_string(fixture(&format!(
        "captions/{name}"
    )))?)
}

/// Asserts that the best match is `claim_id` and its span covers
/// `[said_from_ms, said_to_ms]` while staying within `max_span_ms`.
fn assert_span(
    response: &pb::ScoreResponse,
    claim_id: &str,
    said_from_ms: u64,
    said_to_ms: u64,
    max_span_ms: u64,
) {
    let best = response
        .matches
        .first()
        .unwrap_or_else(|| panic!("no match in {response:?}"));
    assert_eq!(best.claim_id, claim_id, "{response:?}");
    assert!(
        best.start_ms <= said_from_ms && best.end_ms >= said_to_ms,
        "span {}..{} misses {said_from_ms}..{said_to_ms}",
        best.start_ms,
        best.end_ms
    );
    assert!(
        best.end_ms - best.start_ms <= max_span_ms,
        "span {}..{} is wider than {max_span_ms} ms",
        best.start_ms,
        best.end_ms
    );
    assert!(
        !best.hit_id.is_empty(),
        "a match at or above review is logged"
    );
}

#[tokio::test]
async fn claims_repeated_mid_video_are_found_with_their_span() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let loaded = load(
        &server,
        "partners",
        std::fs::read(fixture("claims_election.jsonl"))?,
    )
    .await?;
    assert_eq!(loaded.inserted, 6);
    let mut matcher = server.matcher().await?;

    let english = matcher
        .score(request(
            "en-vtt",
            "US",
            pb::score_request::Content::Webvtt(caption("county_news_en.vtt")?),
        ))
        .await?
        .into_inner();
    assert_eq!(english.language, "en");
    assert_span(
        &english,
        "partners:factcheck-dead-voters",
        12_000,
        19_000,
        20_000,
    );

    let portuguese = matcher
        .score(request(
            "pt-srt",
            "BR",
            pb::score_request::Content::Srt(caption("urnas_live_pt.srt")?),
        ))
        .await?
        .into_inner();
    assert_eq!(portuguese.language, "pt");
    assert_span(
        &portuguese,
        "partners:aosfatos-urnas-2022",
        16_000,
        27_500,
        20_000,
    );

    let (declared, parsed) =
        whisper::parse(&caption("pemilu_speech_id.json")?).map_err(anyhow::Error::msg)?;
    assert_eq!(declared.as_deref(), Some("indonesian"));
    let indonesian = matcher
        .score(request(
            "id-whisper",
            "ID",
            segments_content(parsed.segments),
        ))
        .await?
        .into_inner();
    assert_eq!(indonesian.language, "id");
    assert_span(
        &indonesian,
        "partners:mafindo-surat-suara",
        10_500,
        17_600,
        20_000,
    );

    let spanish = matcher
        .score(request(
            "es-vtt",
            "AR",
            pb::score_request::Content::Webvtt(caption("boletas_noticias_es.vtt")?),
        ))
        .await?
        .into_inner();
    assert_eq!(spanish.language, "es");
    assert_span(
        &spanish,
        "partners:chequeado-boletas-2023",
        10_500,
        18_200,
        20_000,
    );
    server.stop().await
}

#[tokio::test]
async fn unrelated_captions_match_nothing_and_broken_files_are_refused() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    load(
        &server,
        "partners",
        std::fs::read(fixture("claims_election.jsonl"))?,
    )
    .await?;
    let mut matcher = server.matcher().await?;
    let recipe = "1\n00:00:01,000 --> 00:00:04,000\nBata tudo no liquidificador e asse por quarenta minutos.\n";
    let response = matcher
        .score(request(
            "recipe",
            "BR",
            pb::score_request::Content::Srt(recipe.into()),
        ))
        .await?
        .into_inner();
    assert_eq!(response.decision, pb::Decision::None as i32, "{response:?}");

    let broken = "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards\n";
    let status = matcher
        .score(request(
            "broken",
            "US",
            pb::score_request::Content::Webvtt(broken.into()),
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(
        status.message().contains("before it starts"),
        "{}",
        status.message()
    );
    server.stop().await
}

/// Two checks of nearly the same words, made by two politicians: when the
/// captions name who speaks, the check of what that speaker said comes
/// first, whichever of the two it is.
#[tokio::test]
async fn the_speaker_captions_name_ranks_their_own_claim_first() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claims = concat!(
        r#"{"id": "check-ortiz", "text": "The county shut forty polling stations in the northern districts before the vote.", "language": "en", "claimant": "Helen Ortiz", "rating_text": "False"}"#,
        "\n",
        r#"{"id": "check-brandt", "text": "The county closed forty polling places in the northern districts before the vote.", "language": "en", "claimant": "Paul Brandt", "rating_text": "False"}"#,
        "\n",
    );
    let loaded = load(&server, "partners", claims.as_bytes().to_vec()).await?;
    assert_eq!(loaded.inserted, 2);
    let mut matcher = server.matcher().await?;
    // The same debate as WebVTT with voices and as SRT with the speaker
    // labels of broadcast captions.
    let vtt = |speaker: &str| {
        format!(
            "WEBVTT\n\n\
             00:00:01.000 --> 00:00:04.000\n<v Moderator>Good evening and welcome to the county debate.\n\n\
             00:00:04.000 --> 00:00:07.000\n<v Moderator>Our first question is about voting.\n\n\
             00:00:07.000 --> 00:00:09.000\n<v {speaker}>Thank you for having me tonight.\n\n\
             00:00:09.000 --> 00:00:14.000\n<v {speaker}>The county closed forty polling stations in the northern districts before the vote.\n\n\
             00:00:14.000 --> 00:00:17.000\n<v {speaker}>People waited for hours in the rain.\n\n\
             00:00:17.000 --> 00:00:20.000\n<v Moderator>We will come back to that after the break.\n"
        )
    };
    let srt = |speaker: &str| {
        let label = speaker.to_uppercase();
        format!(
            "1\n00:00:01,000 --> 00:00:04,000\n>> MODERATOR: Good evening and welcome to the county debate.\n\n\
             2\n00:00:04,000 --> 00:00:07,000\nOur first question is about voting.\n\n\
             3\n00:00:07,000 --> 00:00:09,000\n>> {label}: Thank you for having me tonight.\n\n\
             4\n00:00:09,000 --> 00:00:14,000\nThe county closed forty polling stations in the northern districts before the vote.\n\n\
             5\n00:00:14,000 --> 00:00:17,000\nPeople waited for hours in the rain.\n\n\
             6\n00:00:17,000 --> 00:00:20,000\n>> MODERATOR: We will come back to that after the break.\n"
        )
    };
    for (speaker, expected) in [
        ("Paul Brandt", "partners:check-brandt"),
        ("Helen Ortiz", "partners:check-ortiz"),
    ] {
        for content in [
            pb::score_request::Content::Webvtt(vtt(speaker)),
            pb::score_request::Content::Srt(srt(speaker)),
        ] {
            let response = matcher
                .score(request(speaker, "US", content))
                .await?
                .into_inner();
            let order: Vec<&str> = response
                .matches
                .iter()
                .map(|m| m.claim_id.as_str())
                .collect();
            assert_eq!(
                order.first(),
                Some(&expected),
                "{speaker} speaking: {response:?}"
            );
            let best = &response.matches[0];
            assert!(
                best.start_ms <= 9_000 && best.end_ms >= 14_000,
                "span {}..{} misses the sentence",
                best.start_ms,
                best.end_ms
            );
        }
    }
    server.stop().await
}

/// A claim said in one sentence of a debate, between sentences on the
/// same subject that share its words: the span points at that sentence,
/// so a reviewer reads the one that repeats the claim, not its neighbours.
#[tokio::test]
async fn a_claim_said_between_sentences_on_its_subject_is_placed_on_its_own_sentence()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claims = concat!(
        r#"{"id": "check-cartel", "text": "The Sinaloa cartel is in 40 states.", "language": "en", "rating_text": "False"}"#,
        "\n",
    );
    let loaded = load(&server, "partners", claims.as_bytes().to_vec()).await?;
    assert_eq!(loaded.inserted, 1);
    let mut matcher = server.matcher().await?;
    let srt = "1\n00:00:00,000 --> 00:00:05,000\nTake a look at the border.\n\n\
               2\n00:00:05,000 --> 00:00:10,000\nShe gave us the Sinaloa cartel as sure as you are sitting there.\n\n\
               3\n00:00:10,000 --> 00:00:16,000\nAnd what happened is now the Sinaloa cartel is in 40 states.\n\n\
               4\n00:00:16,000 --> 00:00:21,000\nAnd now I listen how she is going to get rid of the cartel.\n\n\
               5\n00:00:21,000 --> 00:00:26,000\nShe is going to get rid of nobody.\n";
    let response = matcher
        .score(request(
            "debate-srt",
            "US",
            pb::score_request::Content::Srt(srt.into()),
        ))
        .await?
        .into_inner();
    let best = response.matches.first().expect("the claim is found");
    assert_eq!(best.claim_id, "partners:check-cartel");
    assert_eq!(
        (best.start_ms, best.end_ms),
        (10_000, 16_000),
        "the span is the sentence that says it: {best:?}"
    );
    assert_eq!(
        best.excerpt,
        "And what happened is now the Sinaloa cartel is in 40 states."
    );
    server.stop().await
}

/// `eval --whole-transcripts` measures what the server returns: a debate
/// transcript sent over gRPC as SRT (one cue per line, ten seconds each,
/// no speaker labels) gives the same matches at or above review, with the
/// same spans and levels, as eval's in-process pipeline over the same
/// transcript file read without its speakers.
#[tokio::test]
async fn eval_sees_a_transcript_as_the_server_does() -> anyhow::Result<()> {
    use claimsignal::eval::data::{Transcripts, build_index};
    use claimsignal::matcher::{Level, Matcher, Scope};

    let dir = tempfile::tempdir()?;
    let claims = concat!(
        r#"{"id": "check-ballots", "text": "Forty thousand mail ballots in Dade County were sent to dead voters.", "language": "en", "rating_text": "False"}"#,
        "\n",
        r#"{"id": "check-plant", "text": "The steel plant in Granite City reopened and hired two thousand workers.", "language": "en", "rating_text": "Half true"}"#,
        "\n",
        r#"{"id": "check-tax", "text": "Our state has the highest gas tax in the whole country.", "language": "en", "rating_text": "False"}"#,
        "\n",
    );
    let claims_path = dir.path().join("claims.jsonl");
    std::fs::write(&claims_path, claims)?;
    let lines = [
        (
            "MODERATOR",
            "Good evening and welcome to the candidates' forum.",
        ),
        (
            "MODERATOR",
            "Our first question tonight is about the election.",
        ),
        ("SMITH", "Thank you. Let me start with the ballots."),
        (
            "SMITH",
            "Forty thousand mail ballots in Dade County were sent to dead voters.",
        ),
        ("SMITH", "Nobody wants to talk about it."),
        ("MODERATOR", "Let us turn to jobs."),
        ("SMITH", "I visited Granite City last week."),
        ("SMITH", "The steel plant there reopened,"),
        ("SMITH", "and it hired two thousand workers."),
        ("JONES", "That is not the whole story, and you know it."),
        (
            "JONES",
            "Our state has the highest gas tax in the whole country.",
        ),
        ("MODERATOR", "Thank you both, and good night."),
    ];
    std::fs::create_dir(dir.path().join("transcripts"))?;
    let tsv: String = lines
        .iter()
        .enumerate()
        .map(|(i, (speaker, text))| format!("{}\t{speaker}\t{text}\n", i + 1))
        .collect();
    std::fs::write(dir.path().join("transcripts/20240305_forum.tsv"), tsv)?;
    let time = |ms: u64| {
        format!(
            "{:02}:{:02}:{:02},{:03}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1_000 % 60,
            ms % 1_000
        )
    };
    let srt: String = lines
        .iter()
        .enumerate()
        .map(|(i, (_, text))| {
            let start = (i as u64 + 1) * 10_000;
            format!(
                "{}\n{} --> {}\n{text}\n\n",
                i + 1,
                time(start),
                time(start + 9_999)
            )
        })
        .collect();

    // In-process, as `eval --whole-transcripts --no-speakers --undated`.
    let (_store, index) = build_index(&claims_path)?;
    let mut transcripts = Transcripts::at(&dir.path().join("transcripts"), false);
    let (transcript, _) = transcripts
        .locate("20240305_forum_0001")?
        .expect("the transcript is found");
    let matcher = Matcher::default();
    let scope = Scope {
        market: String::new(),
        observed_ms: chrono::Utc::now().timestamp_millis(),
        dated: false,
        deadline: None,
        short_video: claimsignal::matcher::is_short_video(transcript.windows()),
    };
    let review = matcher.default_min_confidence();
    let level_name = |level: Level| match level {
        Level::Auto => "auto",
        Level::Review => "review",
        Level::None => "none",
    };
    let mut measured: Vec<(String, u64, u64, &str)> = matcher
        .rank_windows(&index, transcript.windows(), "en", &scope, review)?
        .into_iter()
        .filter(|m| m.level >= Level::Review)
        .map(|m| {
            (
                m.claim.id.clone(),
                m.start_ms,
                m.end_ms,
                level_name(m.level),
            )
        })
        .collect();
    measured.sort();

    // Over gRPC, as a platform sends it.
    let server = TestServer::start(&dir.path().join("data")).await?;
    let loaded = load(&server, "eval", claims.as_bytes().to_vec()).await?;
    assert_eq!(loaded.inserted, 3);
    let response = score_srt(&server, srt, true).await?;
    let mut served: Vec<(String, u64, u64, &str)> = response
        .matches
        .iter()
        .filter_map(|m| {
            let level = match pb::MatchLevel::try_from(m.level).ok()? {
                pb::MatchLevel::Auto => "auto",
                pb::MatchLevel::Review => "review",
                pb::MatchLevel::None => return None,
            };
            Some((m.claim_id.clone(), m.start_ms, m.end_ms, level))
        })
        .collect();
    served.sort();

    assert_eq!(served, measured);
    // Each repeated claim is among them, over the lines that say it (the
    // plant's over the line naming the city too).
    let spans: Vec<(&str, u64, u64)> = served
        .iter()
        .map(|(id, start, end, _)| (id.as_str(), *start, *end))
        .collect();
    assert!(
        spans.contains(&("eval:check-ballots", 40_000, 49_999)),
        "{served:?}"
    );
    assert!(
        spans.contains(&("eval:check-plant", 70_000, 99_999)),
        "{served:?}"
    );
    assert!(
        spans.contains(&("eval:check-tax", 110_000, 119_999)),
        "{served:?}"
    );
    server.stop().await
}

/// A claim said twice in a speech comes back once, as one match and one
/// hit, with its best stretch as the span and the other listed where it
/// is said again; talk on the same subject in between is not listed.
#[tokio::test]
async fn a_claim_said_twice_lists_where_it_is_said_again() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claims = concat!(
        r#"{"id": "check-wall", "text": "My opponent voted for the border wall in 2006.", "language": "en", "rating_text": "Half true"}"#,
        "\n",
    );
    let loaded = load(&server, "partners", claims.as_bytes().to_vec()).await?;
    assert_eq!(loaded.inserted, 1);
    let said = [
        "Thank you, thank you so much, it is great to be back in Ohio tonight.",
        "We have had a tremendous year for jobs in this state.",
        "And remember, my opponent voted for the border wall in 2006.",
        "She talks about walls all day long on television now.",
        "The farmers here are doing better than they have in years.",
        "Our schools are getting new money and new teachers.",
        "We are lowering taxes for every family in this state.",
        "And I will say it again: my opponent voted for the border wall in 2006.",
        "Thank you, Ohio, and good night.",
    ];
    let srt: String = said
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let start = i as u64 * 6;
            format!(
                "{}\n00:00:{:02},000 --> 00:00:{:02},000\n{text}\n\n",
                i + 1,
                start,
                start + 6
            )
        })
        .collect();
    let response = score_srt(&server, srt, false).await?;
    assert_eq!(response.matches.len(), 1, "{response:?}");
    let found = &response.matches[0];
    assert_eq!(found.claim_id, "partners:check-wall");
    assert!(!found.hit_id.is_empty(), "one hit is logged");
    let mut stretches: Vec<(u64, u64)> = found
        .also_said
        .iter()
        .map(|s| (s.start_ms, s.end_ms))
        .collect();
    stretches.push((found.start_ms, found.end_ms));
    stretches.sort();
    assert_eq!(
        stretches,
        vec![(12_000, 18_000), (42_000, 48_000)],
        "both sentences that say it, and nothing else: {found:?}"
    );
    assert!(
        found
            .also_said
            .iter()
            .all(|s| s.confidence >= 0.6 && s.level != pb::MatchLevel::None as i32),
        "{found:?}"
    );
    server.stop().await
}

/// Sends English SRT captions with no date or market, as a platform that
/// knows neither would.
async fn score_srt(
    server: &TestServer,
    srt: String,
    dry_run: bool,
) -> anyhow::Result<pb::ScoreResponse> {
    Ok(server
        .matcher()
        .await?
        .score(pb::ScoreRequest {
            request_id: "srt".into(),
            video_id: "srt".into(),
            language: "en".into(),
            dry_run,
            content: Some(pb::score_request::Content::Srt(srt)),
            ..Default::default()
        })
        .await?
        .into_inner())
}

#[tokio::test]
async fn a_claim_in_unpunctuated_captions_gets_the_span_of_its_own_cues() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claim = r#"{"id": "boletas-marcadas", "text": "Las boletas electorales ya vienen marcadas de fábrica con el nombre del candidato del gobierno", "language": "es", "rating_text": "Falso"}"#;
    load(&server, "sonda", format!("{claim}\n").into_bytes()).await?;
    // Automatic captions: no full stops, so every cue used to run into one
    // 40-word sentence spanning most of the video.
    let cues = [
        "qué onda banda aquí su compa Toño desde Tuxtla",
        "hoy no vengo a hablar de fútbol, vengo a hablar de las elecciones",
        "ayer fui a comer a casa de mi jefecita allá en su colonia",
        "y me cuenta que las boletas electorales ya vienen marcadas",
        "de fábrica con el nombre del candidato del gobierno",
        "yo no sé si sea cierto pero ahí se los dejo",
        "ustedes díganme en los comentarios qué piensan",
        "y no se olviden de seguirme para más videos",
    ];
    let srt: String = cues
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let (start, end) = (i * 5, i * 5 + 4);
            format!(
                "{}\n00:00:{start:02},000 --> 00:00:{end:02},500\n{text}\n\n",
                i + 1
            )
        })
        .collect();
    let mut request = request("asr-mx", "MX", pb::score_request::Content::Srt(srt));
    request.dry_run = true;
    let response = server.matcher().await?.score(request).await?.into_inner();
    let found = response
        .matches
        .iter()
        .find(|m| m.claim_id == "sonda:boletas-marcadas")
        .unwrap_or_else(|| panic!("the claim is found: {response:?}"));
    // Said in cues 4 and 5 (15.0 s to 24.5 s).
    assert_eq!(
        (found.start_ms, found.end_ms),
        (15_000, 24_500),
        "{found:?}"
    );
    server.stop().await
}

#[tokio::test]
async fn a_claim_said_mid_clip_is_as_sure_as_the_same_words_sent_alone() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claims = concat!(
        r#"{"id": "urnas-bluetooth", "text": "Urnas eletrônicas enviadas para Manaus têm um chip de bluetooth escondido que permite alterar os votos à distância", "language": "pt", "rating_text": "Falso"}"#,
        "\n",
        r#"{"id": "multa", "text": "A multa por não votar subiu para 1.200 reais nesta eleição", "language": "pt", "rating_text": "Falso"}"#,
        "\n",
    );
    load(&server, "farol", claims.as_bytes().to_vec()).await?;
    // A loose retelling: the transcript models, fitted on debates, left it
    // under review inside the clip while it reaches review alone.
    let said = "dizem que as urnas mandadas pra Manaus vêm com um chip bluetooth escondido pra mudar os votos de longe.";
    let cues = [
        "Oi gente, tudo bem? Hoje o assunto é sério.",
        "Minha tia mandou um áudio no grupo da família ontem à noite.",
        said,
        "Eu fiquei bem preocupada com isso, sinceramente.",
        "Deixa nos comentários o que vocês acham e até amanhã.",
    ];
    let vtt = webvtt(&cues);
    let mut matcher = server.matcher().await?;
    let confidence = |response: pb::ScoreResponse| {
        response
            .matches
            .iter()
            .find(|m| m.claim_id == "farol:urnas-bluetooth")
            .map(|m| (m.confidence, m.start_ms, m.end_ms))
    };
    let mut in_video = request("clip", "BR", pb::score_request::Content::Webvtt(vtt));
    in_video.dry_run = true;
    let (inside, start_ms, end_ms) =
        confidence(matcher.score(in_video).await?.into_inner()).expect("found in the clip");
    let mut alone = request("alone", "BR", pb::score_request::Content::Text(said.into()));
    alone.dry_run = true;
    let (sent_alone, _, _) =
        confidence(matcher.score(alone).await?.into_inner()).expect("found alone");
    assert!(
        (inside - sent_alone).abs() <= 0.05,
        "inside the clip {inside}, alone {sent_alone}"
    );
    assert_eq!((start_ms, end_ms), (12_000, 17_500));
    server.stop().await
}

/// A WebVTT of `cues`, six seconds apart.
fn webvtt(cues: &[&str]) -> String {
    std::iter::once("WEBVTT\n\n".to_string())
        .chain(cues.iter().enumerate().map(|(i, text)| {
            format!(
                "00:00:{:02}.000 --> 00:00:{:02}.500\n{text}\n\n",
                i * 6,
                i * 6 + 5
            )
        }))
        .collect()
}

#[tokio::test]
async fn a_claim_spelt_to_slip_past_filters_and_a_debunk_typed_in_chat_are_read_as_meant()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claim = r#"{"id": "chip-bluetooth", "text": "Urnas eletrônicas enviadas para Manaus têm um chip de bluetooth escondido que permite alterar os votos à distância", "language": "pt", "rating_text": "Falso"}"#;
    load(&server, "farol", format!("{claim}\n").into_bytes()).await?;
    let mut matcher = server.matcher().await?;
    let mut found = async |id: &str, cues: &[&str]| -> anyhow::Result<pb::Match> {
        let mut request = request(id, "BR", pb::score_request::Content::Webvtt(webvtt(cues)));
        request.dry_run = true;
        let response = matcher.score(request).await?.into_inner();
        response
            .matches
            .into_iter()
            .find(|m| m.claim_id == "farol:chip-bluetooth")
            .ok_or_else(|| anyhow::anyhow!("{id}: the check is not found"))
    };
    // Spelt so that a filter of the check's words misses it.
    let spelt = found(
        "spelt",
        &[
            "oi gente, bora falar sério hoje",
            "<c.yellow>URGENTEEEE</c>: as urn4s eletrônicas enviadas pra M4naus têm um chip de bluet0oth esc0ndido",
            "que permite alterar os v0tos à d.i.s.t.â.n.c.i.a, c o m p a r t i l h e m",
            "me sigam pra mais",
        ],
    )
    .await?;
    assert_eq!(spelt.level(), pb::MatchLevel::Auto, "{spelt:?}");
    assert_eq!(spelt.stance(), pb::Stance::Repeats, "{spelt:?}");
    assert_eq!((spelt.start_ms, spelt.end_ms), (6_000, 17_500), "{spelt:?}");
    // A debunk typed as creators type: "n é vdd", "n têm chip".
    let debunk = found(
        "debunk",
        &[
            "gnt isso n é vdd",
            "as urnas eletrônicas enviadas pra Manaus n têm chip de bluetooth escondido nenhum pra alterar os votos à distância",
            "n compartilhem",
        ],
    )
    .await?;
    assert_eq!(debunk.stance(), pb::Stance::Refutes, "{debunk:?}");
    server.stop().await
}

//! Tests of `score`.

use super::*;
use crate::claims::{ClaimFormat, ClaimStore, LoadDefaults, import};
use crate::matcher::features::ClaimText;
use crate::matcher::features::{DATED_WITHIN_DAYS, term_key};
use crate::matcher::stretches::{MAX_ALSO_SAID, also_said};
use crate::matcher::types::Said;
use crate::synthetic::Generator;

#[test]
fn a_window_or_claim_too_short_to_be_sure_of_never_reaches_auto() {
    let matcher = Matcher::default();
    let (words, terms) = (
        matcher.config.min_auto_words,
        matcher.config.min_auto_claim_terms,
    );
    assert_eq!(matcher.level(0.99, words, terms), Level::Auto);
    assert_eq!(matcher.level(0.99, words - 1, terms), Level::Review);
    assert_eq!(matcher.level(0.99, words, terms - 1), Level::Review);
    assert_eq!(matcher.level(0.0, words, terms), Level::None);
}

/// A match of claim `id` (text `text`) at `level`, in `start..end` ms.
fn found(id: &str, text: &str, level: Level, (start_ms, end_ms): (u64, u64)) -> ClaimMatch {
    ClaimMatch {
        claim: Arc::new(crate::index::ClaimCard {
            markets: Vec::new(),
            id: id.into(),
            partner: "p".into(),
            text: text.into(),
            title: String::new(),
            language: "en".into(),
            verdict: crate::claims::Verdict::False,
            rating_text: String::new(),
            review_url: String::new(),
            elections: Vec::new(),
            date_ms: None,
            claimant: String::new(),
            topic: String::new(),
            text_key: text.into(),
        }),
        confidence: 0.95,
        level,
        excerpt: String::new(),
        matched_terms: Vec::new(),
        start_ms,
        end_ms,
        bm25: 1.0,
        duplicates: Vec::new(),
        also_said: Vec::new(),
        stance: Stance::default(),
        stance_cues: Vec::new(),
        meaning: None,
    }
}

/// Sentence `i` alone, `ms` long, starting at `i * ms`.
fn sentence(i: usize, text: &str, ms: u64) -> Window {
    Window {
        text: text.to_string(),
        start_ms: i as u64 * ms,
        end_ms: i as u64 * ms + ms - 1,
        first: i,
        last: i,
        words: 8,
        speakers: Vec::new(),
    }
}

/// A claim of these stemmed terms, each of weight 1.
fn claim_of(terms: &[&str]) -> ClaimText {
    ClaimText {
        terms: terms.iter().map(|t| (term_key(t), 1.0)).collect(),
        words: terms.iter().map(|t| t.to_string()).collect(),
        idf_total: terms.len() as f32,
        bigrams: Vec::new(),
        title_terms: Vec::new(),
        title_idf_total: 0.0,
        vocabulary: terms.iter().map(|t| term_key(t)).collect(),
        numbers: Vec::new(),
        names: Vec::new(),
        claimant: Vec::new(),
    }
}

#[test]
fn a_match_is_fitted_to_the_sentences_that_say_its_claim() {
    // "African-American youth unemployment is 51 percent. Hispanic
    // youth unemployment is 36 percent." said over sentences 1 and 2,
    // best matched by sentence 2 alone; sentences 0 and 3 are talk.
    let said = [
        ("Today we have more people in jail than ever.", vec!["jail"]),
        (
            "African-American youth unemployment is 51 percent.",
            vec!["african", "american", "youth", "unemploy", "51", "percent"],
        ),
        (
            "Hispanic youth unemployment is 36 percent.",
            vec!["hispan", "youth", "unemploy", "36", "percent"],
        ),
        (
            "We should put money into schools instead.",
            vec!["money", "school"],
        ),
    ];
    let singles: Vec<Window> = said
        .iter()
        .enumerate()
        .map(|(i, (text, _))| sentence(i, text, 5_000))
        .collect();
    let sentence_terms: HashMap<(usize, bool), Vec<TermKey>> = said
        .iter()
        .enumerate()
        .map(|(i, (_, terms))| ((i, false), terms.iter().map(|t| term_key(t)).collect()))
        .collect();
    let claim_terms = [
        "african", "american", "youth", "unemploy", "51", "percent", "hispan", "36",
    ];
    let claim_text = Arc::new(claim_of(&claim_terms));
    let best = |claim_text: Option<Arc<ClaimText>>| {
        let mut found = found("youth", "the claim", Level::Auto, (10_000, 14_999));
        found.excerpt = said[2].0.to_string();
        let held: Vec<bool> = claim_terms.iter().map(|t| said[2].1.contains(t)).collect();
        found.matched_terms = claim_terms
            .iter()
            .zip(&held)
            .filter(|(_, held)| **held)
            .map(|(t, _)| t.to_string())
            .collect();
        Best {
            held: if claim_text.is_some() {
                held
            } else {
                Vec::new()
            },
            found,
            claim_text,
            cross_language: false,
            sentences: (2, 2),
        }
    };
    let by_sentence: Vec<Option<&Window>> = singles.iter().map(Some).collect();

    let stretched = best(Some(claim_text.clone()))
        .fitted(&by_sentence, &sentence_terms, Vec::new())
        .0;
    assert_eq!((stretched.start_ms, stretched.end_ms), (5_000, 14_999));
    assert_eq!(
        stretched.excerpt,
        format!("{} {}", said[1].0, said[2].0),
        "the excerpt shows the whole statement"
    );
    for word in ["african", "american", "51"] {
        assert!(stretched.matched_terms.iter().any(|w| w == word), "{word}");
    }
    // Sentences holding nothing more of the claim stay out, even when
    // they hold some of it; so does everything for a match not shown.
    let mut repeated = sentence_terms.clone();
    repeated.insert((3, false), vec![term_key("youth"), term_key("percent")]);
    let stretched = best(Some(claim_text.clone()))
        .fitted(&by_sentence, &repeated, Vec::new())
        .0;
    assert_eq!(stretched.end_ms, 14_999);
    let hidden = best(None)
        .fitted(&by_sentence, &sentence_terms, Vec::new())
        .0;
    assert_eq!((hidden.start_ms, hidden.end_ms), (10_000, 14_999));
    // A window wider than the statement sheds the sentences at its
    // edges that say nothing of the claim its other sentences do not:
    // talk (sentence 3, or sentence 0 of the first window), or words of
    // the claim said again (sentence 3 of the repeated version).
    let wide = |(first, last): (usize, usize)| {
        let mut wide = best(Some(claim_text.clone()));
        wide.sentences = (first, last);
        wide.found.start_ms = first as u64 * 5_000;
        wide.found.end_ms = last as u64 * 5_000 + 4_999;
        let text: Vec<&str> = said[first..=last].iter().map(|(text, _)| *text).collect();
        wide.found.excerpt = text.join(" ");
        wide.held = claim_terms
            .iter()
            .map(|t| {
                said[first..=last]
                    .iter()
                    .any(|(_, terms)| terms.contains(t))
            })
            .collect();
        wide
    };
    let statement = format!("{} {}", said[1].0, said[2].0);
    for (window, terms) in [
        ((1, 3), &sentence_terms),
        ((1, 3), &repeated),
        ((0, 2), &sentence_terms),
        ((0, 3), &repeated),
    ] {
        let fitted = wide(window).fitted(&by_sentence, terms, Vec::new()).0;
        assert_eq!(
            (fitted.start_ms, fitted.end_ms, fitted.excerpt.as_str()),
            (5_000, 14_999, statement.as_str()),
            "{window:?}"
        );
    }
    // A sentence that holds a claim term no other does stays.
    let mut jail = claim_terms.to_vec();
    jail.push("jail");
    let mut kept = wide((0, 2));
    kept.claim_text = Some(Arc::new(claim_of(&jail)));
    kept.held.push(true);
    let fitted = kept.fitted(&by_sentence, &sentence_terms, Vec::new()).0;
    assert_eq!((fitted.start_ms, fitted.end_ms), (0, 14_999));
    // A statement too long to show whole keeps the window's excerpt.
    let mut long = singles.clone();
    long[1].text = format!("{} {}", "And I say it again:".repeat(30), said[1].0);
    let by_sentence: Vec<Option<&Window>> = long.iter().map(Some).collect();
    let stretched = best(Some(claim_text))
        .fitted(&by_sentence, &sentence_terms, Vec::new())
        .0;
    assert_eq!(stretched.start_ms, 5_000);
    assert_eq!(stretched.excerpt, said[2].0);
}

#[test]
fn other_stretches_saying_a_claim_are_listed_once_each_in_time_order() {
    // Eighty sentences of a second each; "wall" and "2006" are the
    // claim's words, said together in sentences 5, 20 and 30 and in
    // every eighth sentence from 8 on, and "wall" alone in sentence 21.
    let singles: Vec<Window> = (0..80)
        .map(|i| sentence(i, &format!("sentence {i}"), 1_000))
        .collect();
    let by_sentence: Vec<Option<&Window>> = singles.iter().map(Some).collect();
    let says = |i: usize| i == 5 || i == 20 || i == 30 || (i >= 8 && i.is_multiple_of(8));
    let sentence_terms: HashMap<(usize, bool), Vec<TermKey>> = (0..80)
        .map(|i| {
            let terms = if says(i) {
                vec![term_key("wall"), term_key("2006")]
            } else if i == 21 {
                vec![term_key("wall")]
            } else {
                vec![term_key("farm")]
            };
            ((i, false), terms)
        })
        .collect();
    let claim = claim_of(&["wall", "2006"]);
    let best = found("wall", "the claim", Level::Auto, (5_000, 5_999));
    let window = |first: usize, last: usize, confidence: f32| SaidWindow {
        confidence,
        level: Level::Review,
        sentences: (first, last),
    };
    let terms_of = |sentence: usize| sentence_terms.get(&(sentence, false));
    let said = vec![
        // The best stretch again, through a wider window: not listed.
        window(4, 6, 0.95),
        // Sentence 20 through three windows: listed once, shed of the
        // sentences around it (21 says nothing 20 does not).
        window(20, 20, 0.7),
        window(19, 21, 0.8),
        window(20, 22, 0.75),
        window(30, 30, 0.65),
    ];
    let also = also_said(&claim, &best, said, &by_sentence, terms_of);
    let stretches: Vec<(u64, u64, f32)> = also
        .iter()
        .map(|s| (s.start_ms, s.end_ms, s.confidence))
        .collect();
    assert_eq!(
        stretches,
        vec![(20_000, 20_999, 0.8), (30_000, 30_999, 0.65)]
    );
    assert!(also.iter().all(|s| s.level == Level::Review), "{also:?}");
    // A stretch never decides more than its match.
    let mut reviewed = found("wall", "the claim", Level::Review, (5_000, 5_999));
    reviewed.confidence = 0.7;
    let sure = SaidWindow {
        confidence: 0.95,
        level: Level::Auto,
        sentences: (20, 20),
    };
    let also = also_said(&claim, &reviewed, vec![sure], &by_sentence, terms_of);
    assert_eq!(also[0].level, Level::Review);
    // At most ten, the surest, in time order.
    let many: Vec<SaidWindow> = (1..10)
        .map(|k| k * 8)
        .chain([20, 30])
        .map(|i| window(i, i, 0.6 + i as f32 / 1000.0))
        .collect();
    let many_count = many.len();
    let also = also_said(&claim, &best, many, &by_sentence, terms_of);
    assert!(many_count > MAX_ALSO_SAID);
    assert_eq!(also.len(), MAX_ALSO_SAID);
    assert!(
        also.windows(2)
            .all(|pair| pair[0].start_ms < pair[1].start_ms)
    );
    assert!(
        also.iter().all(|s| s.start_ms >= 16_000),
        "the least sure are left out: {also:?}"
    );
}

#[test]
fn one_stretch_of_video_is_decided_automatically_for_its_best_claim_only() {
    let levels = |matches: Vec<ClaimMatch>| -> Vec<(String, Level)> {
        one_auto_per_stretch(group_duplicates(matches))
            .into_iter()
            .map(|m| (m.claim.id.clone(), m.level))
            .collect()
    };
    // A post (no timings): its best claim only.
    let post = levels(vec![
        found("a", "ballots burned", Level::Auto, (0, 0)),
        found("b", "ballots hidden", Level::Auto, (0, 0)),
        found("c", "votes moved", Level::Review, (0, 0)),
    ]);
    let want = |pairs: &[(&str, Level)]| -> Vec<(String, Level)> {
        pairs.iter().map(|(id, l)| (id.to_string(), *l)).collect()
    };
    assert_eq!(
        post,
        want(&[
            ("a", Level::Auto),
            ("b", Level::Review),
            ("c", Level::Review)
        ])
    );
    // A transcript: claims at two moments keep `auto` each; one that
    // overlaps a better one's span does not; one that starts where a
    // better one ends does not overlap it; a duplicate of the best
    // text is grouped into it, not demoted.
    let transcript = levels(vec![
        found("a", "ballots burned", Level::Auto, (10_000, 14_000)),
        found("a2", "ballots burned", Level::Auto, (10_000, 14_000)),
        found("b", "machines hacked", Level::Auto, (30_000, 33_000)),
        found("c", "ballots hidden", Level::Auto, (12_000, 20_000)),
        found("d", "votes moved", Level::Auto, (14_000, 16_000)),
    ]);
    assert_eq!(
        transcript,
        want(&[
            ("a", Level::Auto),
            ("b", Level::Auto),
            ("c", Level::Review),
            ("d", Level::Auto),
        ])
    );
    // A match sent to review takes the stretches it lists with it.
    let mut again = found("c", "ballots hidden", Level::Auto, (12_000, 20_000));
    again.also_said.push(Said {
        start_ms: 50_000,
        end_ms: 54_000,
        confidence: 0.95,
        level: Level::Auto,
    });
    let decided = one_auto_per_stretch(vec![
        found("a", "ballots burned", Level::Auto, (10_000, 14_000)),
        again,
    ]);
    assert_eq!(decided[1].also_said[0].level, Level::Review);
}

#[test]
fn scoring_stops_once_the_callers_deadline_has_passed() -> Result<()> {
    let generator = Generator::new(5);
    let store = ClaimStore::open_in_memory()?;
    let defaults = LoadDefaults {
        partner: "test".into(),
        ..LoadDefaults::default()
    };
    let parsed = import::parse(
        &generator.claims_jsonl(0..500),
        ClaimFormat::Jsonl,
        &defaults,
    );
    store.write_batch(&parsed.claims)?;
    let index = ClaimIndex::in_memory(&store)?;
    let matcher = Matcher::default();
    let (srt, language) = generator.transcript_srt(0, 500);
    let prepared = matcher.prepare(&Content::Srt(srt), language, "")?;
    assert!(prepared.windows.len() > 10);
    let scope = |deadline| Scope {
        market: String::new(),
        observed_ms: 0,
        dated: false,
        deadline,
        short_video: false,
    };

    let now = std::time::Instant::now();
    let late = matcher.rank_windows(&index, &prepared.windows, language, &scope(Some(now)), 0.0);
    assert!(matches!(late, Err(Error::DeadlineExceeded(_))), "{late:?}");
    let in_time = now + std::time::Duration::from_secs(600);
    let found = matcher.rank_windows(
        &index,
        &prepared.windows,
        language,
        &scope(Some(in_time)),
        0.0,
    )?;
    assert!(!found.is_empty(), "the transcript repeats a claim");

    // A floor changes what is spelled out, never the ranking.
    let all = matcher.rank_windows(&index, &prepared.windows, language, &scope(None), 0.0)?;
    let floor = 0.5;
    let above = matcher.rank_windows(&index, &prepared.windows, language, &scope(None), floor)?;
    let ranking = |found: &[ClaimMatch]| -> Vec<(String, u32, usize)> {
        found
            .iter()
            .map(|m| {
                (
                    m.claim.id.clone(),
                    m.confidence.to_bits(),
                    m.duplicates.len(),
                )
            })
            .collect()
    };
    assert_eq!(ranking(&all), ranking(&above));
    assert!(all.iter().any(|m| m.confidence >= floor) && all.iter().any(|m| m.confidence < floor));
    for (full, light) in all.iter().zip(&above) {
        assert!(!full.excerpt.is_empty());
        if light.confidence >= floor {
            assert_eq!(
                (&light.excerpt, &light.matched_terms),
                (&full.excerpt, &full.matched_terms)
            );
        } else {
            assert!(light.excerpt.is_empty() && light.matched_terms.is_empty());
        }
    }
    Ok(())
}

#[test]
fn dates_count_only_when_both_sides_have_one_within_an_election_cycle() -> Result<()> {
    let day_ms = 86_400_000i64;
    let checked = "2020-03-10";
    let checked_ms = crate::text::parse_date(checked)
        .map(|at| at.timestamp_millis())
        .unwrap_or_default();
    let index = indexed(&[
        serde_json::json!({"id": "dated", "text": "Election officials shredded thousands of mail ballots in the county warehouse.", "review_date": checked, "lang": "en"}),
        serde_json::json!({"id": "undated", "text": "Voting machines flipped thousands of ballots in the county overnight.", "lang": "en"}),
    ])?;
    let matcher = Matcher::default();
    let post = "They shredded thousands of mail ballots in the county warehouse and flipped ballots overnight";
    let prepared = matcher.prepare(&Content::Text(post.into()), "en", "")?;
    let confidences = |observed: Option<i64>| -> Result<HashMap<String, u32>> {
        let scope = Scope {
            market: String::new(),
            observed_ms: observed.unwrap_or(0),
            dated: observed.is_some(),
            deadline: None,
            short_video: false,
        };
        let found = matcher.rank_windows(&index, &prepared.windows, "en", &scope, 0.0)?;
        Ok(found
            .into_iter()
            .map(|m| (m.claim.id.to_string(), m.confidence.to_bits()))
            .collect())
    };
    let undated = confidences(None)?;
    assert_eq!(undated.len(), 2, "{undated:?}");
    let near = confidences(Some(checked_ms - 2 * day_ms))?;
    let far = confidences(Some(checked_ms + (DATED_WITHIN_DAYS + 1) * day_ms))?;
    // A post two days before the check: the date is evidence.
    assert_ne!(near["test:dated"], undated["test:dated"]);
    // Years apart, or a claim with no date: judged on words alone.
    assert_eq!(far, undated);
    assert_eq!(near["test:undated"], undated["test:undated"]);
    Ok(())
}

#[test]
fn a_caption_typed_without_accents_is_decided_as_with_them() -> Result<()> {
    let index = indexed(&[
        serde_json::json!({"id": "chip", "text": "Urnas eletrônicas enviadas para Manaus têm um chip escondido que altera os votos à distância.", "lang": "pt"}),
        serde_json::json!({"id": "multa", "text": "A multa para quem não votar nem justificar a ausência subiu para R$ 1.200 nesta eleição.", "lang": "pt"}),
        serde_json::json!({"id": "votacion", "text": "La votación electrónica de Mendoza fue anulada por la Justicia electoral por un error en el padrón.", "lang": "es"}),
    ])?;
    decided_alike(
        &index,
        &[
            (
                "as urnas eletrônicas enviadas para Manaus têm um chip escondido que altera os votos à distância",
                "as urnas eletronicas enviadas para Manaus tem um chip escondido que altera os votos a distancia",
                "pt",
            ),
            (
                "a multa pra quem não votar nem justificar a ausência subiu para 1.200 reais nesta eleição",
                "a multa pra quem nao votar nem justificar a ausencia subiu para 1.200 reais nesta eleicao",
                "pt",
            ),
            (
                "la votación electrónica de Mendoza fue anulada por la Justicia electoral por un error en el padrón",
                "la votacion electronica de Mendoza fue anulada por la justicia electoral por un error en el padron",
                "es",
            ),
        ],
        None,
    )
}

/// Asserts that each caption's other spelling gets the same claim first,
/// at the same level and within 0.02 of its confidence (and, with
/// `level`, that the caption as written reaches it).
fn decided_alike(
    index: &ClaimIndex,
    pairs: &[(&str, &str, &str)],
    level: Option<Level>,
) -> Result<()> {
    let matcher = Matcher::default();
    let best = |text: &str, language: &str| first(&matcher, index, text, language, false);
    for &(written, other, language) in pairs {
        let (claim, confidence, written_level) = best(written, language)?;
        if let Some(level) = level {
            assert_eq!(written_level, level, "{written}: {confidence}");
        }
        let (other_claim, other_confidence, other_level) = best(other, language)?;
        assert_eq!(
            (other_claim, other_level),
            (claim, written_level),
            "{other}: {other_confidence}"
        );
        assert!(
            (other_confidence - confidence).abs() < 0.02,
            "{other}: {other_confidence} against {confidence} as written"
        );
    }
    Ok(())
}

#[test]
fn a_caption_disguised_to_slip_past_filters_is_decided_as_written_plainly() -> Result<()> {
    let index = indexed(&[
        serde_json::json!({"id": "pix", "text": "Candidato a vereador em Niterói paga R$ 50 por Pix a quem enviar foto da urna com o voto nele.", "lang": "pt"}),
        serde_json::json!({"id": "sobre", "text": "Si el votante mete dos boletas del mismo partido dentro del sobre, el voto se anula y no cuenta.", "lang": "es"}),
        serde_json::json!({"id": "kpu", "text": "KPU mewajibkan pemilih membawa fotokopi Kartu Keluarga ke TPS, kalau tidak pemilih akan ditolak.", "lang": "id"}),
    ])?;
    decided_alike(
        &index,
        &[
            (
                "candidato a vereador em Niterói paga R$ 50 por Pix a quem enviar foto da urna com o voto nele",
                "c4ndidato a v3reador em Niterói p@ga R$ 50 por Pix a quem enviar foto da urn4 com o v0to nele",
                "pt",
            ),
            (
                "si el votante mete dos boletas del mismo partido dentro del sobre el voto se anula y no cuenta",
                "OJOOOO si el v0tante mete dos b.o.l.e.t.a.s del mismo p a r t i d o dentro del sobre el voto se anula y no cuentaaaa",
                "es",
            ),
            (
                "KPU mewajibkan pemilih membawa fotokopi Kartu Keluarga ke TPS kalau tidak pemilih akan ditolak",
                "KPU mew4jibkan pemilih membaw4 f0tokopi Kartu Keluarg4 ke TPS kalau tidak pemilih akan ditolaaak",
                "id",
            ),
        ],
        Some(Level::Auto),
    )
}

#[test]
fn a_claim_found_by_a_shared_word_that_meaning_puts_far_keeps_half_its_confidence() -> Result<()> {
    use crate::index::{ClaimText, ClaimVectors, READING};
    use crate::matcher::semantic::{Semantic, shipped_encoder};

    let retold = "As urnas eletrônicas foram programadas para transferir votos para o candidato da situação.";
    let prices = "O preço do arroz vai dobrar a partir de outubro, diz o governo.";
    let index = indexed(&[
        serde_json::json!({"id": "urnas", "text": retold, "lang": "pt"}),
        serde_json::json!({"id": "precos", "text": prices, "lang": "pt"}),
    ])?;

    // The prices check stands for a story far from the caption by meaning
    // (its vector is a recipe's); the ballots check has its own.
    let encoder = shipped_encoder()?;
    let vectors = Arc::new(ClaimVectors::in_memory());
    vectors.update(
        &[
            ClaimText::everywhere("test:urnas", retold, "pt"),
            ClaimText::everywhere("test:precos", prices, "pt"),
        ],
        |texts| {
            let read: Vec<&str> = texts
                .iter()
                .map(|t| {
                    if *t == prices {
                        "Receita de bolo de cenoura com cobertura de chocolate"
                    } else {
                        t
                    }
                })
                .collect();
            encoder.embed(&read, READING)
        },
    )?;
    vectors.recentre(encoder.neutral_means())?;
    let by_meaning = Matcher::default().with_semantic(Arc::new(Semantic::new(encoder, vectors)));
    let by_words = Matcher::default();

    // A caption retelling the ballots check that shares "vai dobrar" and
    // "governo" with the prices check.
    let caption = "a urna vai dobrar o voto do candidato do governo";
    let scope = anywhere(true);
    let confidences = |matcher: &Matcher| -> Result<HashMap<String, f32>> {
        let prepared = matcher.prepare(&Content::Text(caption.into()), "pt", "")?;
        let found = matcher.rank_windows(&index, &prepared.windows, "pt", &scope, 0.0)?;
        Ok(found
            .into_iter()
            .map(|m| (m.claim.id.to_string(), m.confidence))
            .collect())
    };
    let words = confidences(&by_words)?;
    let meaning = confidences(&by_meaning)?;
    let prices_by_words = words["test:precos"];
    assert!(
        prices_by_words > 0.0 && prices_by_words < by_words.config().review_threshold,
        "{words:?}"
    );
    // Shown about half as sure as its words alone make it...
    assert!(
        meaning["test:precos"] <= 0.55 * prices_by_words,
        "words {words:?} meaning {meaning:?}"
    );
    // ... while the check meaning puts near keeps all its confidence, and
    // more, and comes first.
    assert!(meaning["test:urnas"] >= words["test:urnas"], "{meaning:?}");
    assert!(
        meaning["test:urnas"] > meaning["test:precos"],
        "{meaning:?}"
    );
    Ok(())
}

#[test]
fn the_same_rumour_told_of_another_city_or_candidate_is_left_to_a_reviewer() -> Result<()> {
    let index = indexed(&[
        serde_json::json!({"id": "pix", "text": "Candidato a vereador em Porto Alegre está pagando R$ 100 por Pix a quem mandar foto do voto na urna.", "lang": "pt"}),
        serde_json::json!({"id": "doble", "text": "La candidata a la gubernatura de Yucatán, Lorena Ibarra, está internada en una clínica y usa una doble en los mítines de campaña.", "lang": "es"}),
        serde_json::json!({"id": "suap", "text": "Ketua KPU Kabupaten Lampung Tengah ditangkap KPK karena menerima suap Rp 2 miliar dari salah satu pasangan calon.", "lang": "id"}),
    ])?;
    let matcher = Matcher::default();
    let best = |text: &str, language: &str| first(&matcher, &index, text, language, true);
    let auto = matcher.config().auto_threshold;
    for (caption, language, claim, told) in [
        // The check's own names, with a platform, a friend or the
        // sharer's city beside them; the person named in full without the
        // state.
        (
            "Vi no Instagram: candidato a vereador em Porto Alegre está pagando R$ 100 por Pix a quem mandar foto do voto na urna.",
            "pt",
            "test:pix",
            Level::Auto,
        ),
        (
            "Dicen en Twitter que la candidata Lorena Ibarra está internada en una clínica y usa una doble en los mítines de campaña.",
            "es",
            "test:doble",
            Level::Auto,
        ),
        (
            "Kata teman dari Surabaya, Ketua KPU Kabupaten Lampung Tengah ditangkap KPK karena menerima suap Rp 2 miliar dari salah satu pasangan calon.",
            "id",
            "test:suap",
            Level::Auto,
        ),
        // Another city, another candidate, another regency: every other
        // word is the check's.
        (
            "Candidato a vereador em Londrina está pagando R$ 100 por Pix a quem mandar foto do voto na urna.",
            "pt",
            "test:pix",
            Level::Review,
        ),
        (
            "La candidata a la gubernatura de Yucatán, Marisol Reyes, está internada en una clínica y usa una doble en los mítines de campaña.",
            "es",
            "test:doble",
            Level::Review,
        ),
        (
            "Ketua KPU Kabupaten Garut ditangkap KPK karena menerima suap Rp 2 miliar dari salah satu pasangan calon.",
            "id",
            "test:suap",
            Level::Review,
        ),
    ] {
        let (found, confidence, level) = best(caption, language)?;
        assert_eq!(
            (found.as_str(), level),
            (claim, told),
            "{caption}: {confidence}"
        );
        if told == Level::Review {
            // Just under `auto`: first for the reviewer, decided by none.
            assert!(confidence >= auto - 0.01, "{caption}: {confidence}");
        }
    }
    Ok(())
}

#[test]
fn an_amount_written_otherwise_than_the_check_finds_the_check_of_that_amount() -> Result<()> {
    // Written for this test: two checks of one rumour that differ by the
    // amount alone, in two languages.
    let index = indexed(&[
        serde_json::json!({"id": "50rb", "text": "Tim sukses di Kabupaten Karawang membayar Rp 50 ribu kepada warga yang mengirim foto jari bertinta ke nomor WhatsApp mereka.", "lang": "id"}),
        serde_json::json!({"id": "150rb", "text": "Tim sukses di Kabupaten Karawang membayar Rp 150 ribu kepada warga yang mengirim foto jari bertinta ke nomor WhatsApp mereka.", "lang": "id"}),
        serde_json::json!({"id": "1200", "text": "A multa para quem não votar nem justificar a ausência subiu para R$ 1.200 a partir desta eleição, segundo o TSE.", "lang": "pt"}),
        serde_json::json!({"id": "580", "text": "A multa para quem não votar nem justificar a ausência subiu para R$ 580 a partir desta eleição, segundo o TSE.", "lang": "pt"}),
    ])?;
    let matcher = Matcher::default();
    let review = matcher.config().review_threshold;
    // Each caption's check, and the level it reaches at least (by words
    // alone, as here, a caption that names the amount and little else of
    // the check's may stay under `review`).
    for (caption, language, claim, at_least) in [
        (
            "tim sukses di Karawang bayar 150rb ke warga yang kirim foto jari bertinta ke nomor WA mereka",
            "id",
            "test:150rb",
            Level::Review,
        ),
        (
            "tim sukses di Karawang bayar Rp150.000 ke warga yang kirim foto jari bertinta ke nomor WA mereka",
            "id",
            "test:150rb",
            Level::Review,
        ),
        (
            "tim sukses di Karawang bayar Rp 50.000 ke warga yang kirim foto jari bertinta ke nomor WA mereka",
            "id",
            "test:50rb",
            Level::Auto,
        ),
        (
            "a multa pra quem não votar nem justificar subiu pra 1200 reais nesta eleição, segundo o TSE",
            "pt",
            "test:1200",
            Level::None,
        ),
    ] {
        let prepared = matcher.prepare(&Content::Text(caption.into()), language, "")?;
        let found =
            matcher.rank_windows(&index, &prepared.windows, language, &anywhere(true), 0.0)?;
        let first = found.first().expect("the caption repeats a check's words");
        assert_eq!(first.claim.id.as_str(), claim, "{caption}");
        assert!(first.level >= at_least, "{caption}: {}", first.confidence);
        // The check of the other amount is not put before a reviewer.
        for other in &found[1..] {
            assert!(other.confidence < review, "{caption}: {}", other.claim.id);
        }
    }
    Ok(())
}

#[test]
fn an_amount_is_a_word_shared_with_the_check_however_either_writes_it() -> Result<()> {
    // Written for this test: captions that share little with the check
    // but its amount, written or said otherwise than the check writes it.
    let index = indexed(&[
        serde_json::json!({"id": "1200", "text": "A multa para quem não votar nem justificar a ausência subiu para R$ 1.200 a partir desta eleição, segundo o TSE.", "lang": "pt"}),
        serde_json::json!({"id": "580", "text": "A multa para quem não votar nem justificar a ausência subiu para R$ 580 a partir desta eleição, segundo o TSE.", "lang": "pt"}),
        serde_json::json!({"id": "20m", "text": "El INE mandó imprimir 20 millones de boletas de más para rellenar urnas en la elección presidencial.", "lang": "es"}),
        serde_json::json!({"id": "5jt", "text": "Honor petugas KPPS pada pilkada serentak tahun ini naik menjadi Rp 5 juta per orang.", "lang": "id"}),
    ])?;
    let matcher = Matcher::default();
    for (caption, language, claim) in [
        (
            "quem faltou domingo vai ter que pagar 1200 reais de multa agora",
            "pt",
            "test:1200",
        ),
        (
            "tão cobrando mil e duzentos reais de quem faltou na eleição",
            "pt",
            "test:1200",
        ),
        (
            "quem faltou vai pagar quinhentos e oitenta reais de multa",
            "pt",
            "test:580",
        ),
        (
            "mandaron hacer veinte millones de boletas extra",
            "es",
            "test:20m",
        ),
        ("jadi petugas KPPS dapat 5jt sekarang", "id", "test:5jt"),
    ] {
        let (first, _, _) = first(&matcher, &index, caption, language, true)?;
        assert_eq!(first, claim, "{caption}");
    }
    Ok(())
}

#[test]
fn a_time_of_day_is_a_word_shared_with_the_check_however_it_is_said() -> Result<()> {
    // Written for this test: checks that differ by the hour alone, and
    // captions that say it as people do.
    let index = indexed(&[
        serde_json::json!({"id": "19h", "text": "O TRE decidiu estender a votação até as 19h em São Luís por causa do calor.", "lang": "pt"}),
        serde_json::json!({"id": "17h", "text": "O TRE decidiu estender a votação até as 17h em São Luís por causa do calor.", "lang": "pt"}),
        serde_json::json!({"id": "15", "text": "Hasil hitung cepat baru boleh diumumkan pukul 15.00 WIB.", "lang": "id"}),
        serde_json::json!({"id": "13", "text": "Hasil hitung cepat baru boleh diumumkan pukul 13.00 WIB.", "lang": "id"}),
    ])?;
    let matcher = Matcher::default();
    for (caption, language, claim) in [
        (
            "o TRE deixou votar em São Luís até as sete da noite",
            "pt",
            "test:19h",
        ),
        (
            "o TRE deixou votar em São Luís até às 5 da tarde",
            "pt",
            "test:17h",
        ),
        (
            "hasil hitung cepat baru boleh diumumkan jam tiga sore",
            "id",
            "test:15",
        ),
        (
            "hasil hitung cepat baru boleh diumumkan jam 1 siang",
            "id",
            "test:13",
        ),
    ] {
        let (first, _, _) = first(&matcher, &index, caption, language, true)?;
        assert_eq!(first, claim, "{caption}");
    }
    Ok(())
}

/// The first match of `text` (in `language`, any market, as a short
/// video or not): its claim's id, confidence and level.
fn first(
    matcher: &Matcher,
    index: &ClaimIndex,
    text: &str,
    language: &str,
    short_video: bool,
) -> Result<(String, f32, Level)> {
    let prepared = matcher.prepare(&Content::Text(text.into()), language, "")?;
    let found = matcher.rank_windows(
        index,
        &prepared.windows,
        language,
        &anywhere(short_video),
        0.0,
    )?;
    let first = found.first().expect("the caption repeats a claim's words");
    Ok((first.claim.id.to_string(), first.confidence, first.level))
}

/// An index of `claims` (JSON Lines records of partner "test").
fn indexed(claims: &[serde_json::Value]) -> Result<ClaimIndex> {
    let store = ClaimStore::open_in_memory()?;
    let defaults = LoadDefaults {
        partner: "test".into(),
        ..LoadDefaults::default()
    };
    let lines: String = claims.iter().map(|c| format!("{c}\n")).collect();
    let parsed = import::parse(lines.as_bytes(), ClaimFormat::Jsonl, &defaults);
    store.write_batch(&parsed.claims)?;
    ClaimIndex::in_memory(&store)
}

/// Any market, no date, no deadline.
fn anywhere(short_video: bool) -> Scope {
    Scope {
        market: String::new(),
        observed_ms: 0,
        dated: false,
        deadline: None,
        short_video,
    }
}

#[test]
fn a_video_that_gives_its_verdict_next_to_the_retelling_refutes_the_claim() -> Result<()> {
    let index = indexed(&[
        serde_json::json!({"id": "chip", "text": "Urnas eletrônicas enviadas para Manaus têm um chip escondido que altera os votos à distância.", "lang": "pt"}),
        serde_json::json!({"id": "multa", "text": "A multa para quem não votar nem justificar a ausência subiu para R$ 1.200 nesta eleição.", "lang": "pt"}),
    ])?;
    let matcher = Matcher::default();
    // The claims each video says at `review` or above, with their stance.
    let stances = |cues: &[&str]| -> Result<Vec<(String, Stance, Vec<String>)>> {
        let mut vtt = String::from("WEBVTT\n");
        for (i, cue) in cues.iter().enumerate() {
            let (start, end) = (i * 5, i * 5 + 5);
            vtt.push_str(&format!(
                "\n00:00:{start:02}.000 --> 00:00:{end:02}.000\n{cue}\n"
            ));
        }
        let prepared = matcher.prepare(&Content::WebVtt(vtt), "pt", "")?;
        let scope = anywhere(is_short_video(&prepared.windows));
        let found = matcher.rank_windows(&index, &prepared.windows, "pt", &scope, 0.6)?;
        Ok(found
            .into_iter()
            .filter(|m| m.level >= Level::Review)
            .map(|m| (m.claim.id.to_string(), m.stance, m.stance_cues))
            .collect())
    };
    let hello = "Oi gente, tudo bem com vocês? Hoje o vídeo é rapidinho.";
    let chip = "Tá rodando no zap que as urnas eletrônicas enviadas para Manaus têm um chip escondido que altera os votos à distância.";
    let bye = "Beijo, e até o próximo vídeo, tchau tchau.";
    // The verdict after the retelling, before it, or two sentences away.
    for cues in [
        [
            hello,
            chip,
            "Isso é mentira.",
            "A urna não tem nenhuma peça sem fio.",
            bye,
        ],
        [
            hello,
            "Checamos mais um boato que chegou pra gente.",
            chip,
            "A urna não tem nenhuma peça sem fio.",
            bye,
        ],
        [
            hello,
            chip,
            "O TSE já explicou isso várias vezes.",
            "É desinformação, não compartilhe.",
            bye,
        ],
    ] {
        let found = stances(&cues)?;
        let (_, stance, said) = found
            .iter()
            .find(|(id, ..)| id == "test:chip")
            .expect("the video retells the chip claim");
        assert_eq!(*stance, Stance::Refutes, "{cues:?}");
        assert!(!said.is_empty());
    }
    // Without a verdict the video repeats it; the verdict on another claim
    // said next to it is that claim's.
    let found = stances(&[
        hello,
        chip,
        "Mandem pra família toda antes que apaguem.",
        bye,
    ])?;
    assert_eq!(found[0].1, Stance::Repeats);
    let found = stances(&[
        hello,
        "As urnas eletrônicas enviadas para Manaus têm um chip escondido que altera os votos à distância, abram o olho, gente.",
        "Agora, aquela história de que a multa para quem não votar nem justificar a ausência subiu para 1.200 reais é mentira.",
        bye,
    ])?;
    let stance_of = |id: &str| found.iter().find(|(found, ..)| found == id).map(|f| f.1);
    assert_eq!(stance_of("test:chip"), Some(Stance::Repeats));
    assert_eq!(stance_of("test:multa"), Some(Stance::Refutes));
    Ok(())
}

//! Tests of `transcript`.

use super::*;
use proptest::prelude::*;

fn seg(start_ms: u64, end_ms: u64, text: &str) -> Segment {
    Segment {
        start_ms,
        end_ms,
        text: text.into(),
        speaker: None,
    }
}

fn said(start_ms: u64, end_ms: u64, speaker: &str, text: &str) -> Segment {
    Segment {
        speaker: Some(speaker.into()),
        ..seg(start_ms, end_ms, text)
    }
}

#[test]
fn unpunctuated_captions_break_at_their_cues_and_punctuated_ones_do_not() {
    // Automatic captions as a platform makes them: commas, no stops.
    let asr = [
        seg(0, 3_600, "qué onda banda aquí su compa Toño desde Tuxtla"),
        seg(
            3_700,
            8_500,
            "hoy no vengo a hablar de fútbol, vengo a hablar de las elecciones",
        ),
        seg(8_700, 13_800, "dicen que las boletas ya vienen marcadas"),
        seg(14_000, 18_700, "con el nombre del candidato del gobierno"),
        seg(18_800, 23_000, "ahí les dejo el dato y nos vemos"),
    ];
    let found = sentences(&asr);
    let spans: Vec<(u64, u64)> = found.iter().map(|s| (s.start_ms, s.end_ms)).collect();
    assert_eq!(
        spans,
        [
            (0, 3_600),
            (3_700, 8_500),
            (8_700, 13_800),
            (14_000, 18_700),
            (18_800, 23_000)
        ]
    );
    // The same cues punctuated: sentences end where their stops are.
    let punctuated = [
        seg(0, 3_600, "Hoy no vengo a hablar de fútbol,"),
        seg(3_700, 8_500, "vengo a hablar de las elecciones."),
        seg(8_700, 13_800, "Dicen que las boletas ya vienen marcadas"),
        seg(14_000, 18_700, "con el nombre del candidato del gobierno."),
    ];
    let spans: Vec<(u64, u64)> = sentences(&punctuated)
        .iter()
        .map(|s| (s.start_ms, s.end_ms))
        .collect();
    assert_eq!(spans, [(0, 8_500), (8_700, 18_700)]);
    // Untimed text is never cut at its lines.
    let post = [seg(
        0,
        0,
        "dicen que las boletas ya vienen marcadas con el nombre del candidato",
    )];
    assert_eq!(sentences(&post).len(), 1);
}

#[test]
fn a_change_of_speaker_ends_a_sentence_and_windows_name_their_speakers() {
    let segments = [
        said(0, 1000, "Ana Lima", "we will build"),
        said(1000, 2000, "Ana Lima", "new schools"),
        said(2000, 3000, "Rui Costa", "that is not true"),
        said(3000, 4000, " ", "applause"),
    ];
    let found = sentences(&segments);
    let texts: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        ["we will build new schools", "that is not true", "applause"]
    );
    let speakers: Vec<Option<&str>> = found.iter().map(|s| s.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("Ana Lima"), Some("Rui Costa"), None]);
    let whole = windows(&found);
    assert_eq!(whole.len(), 1);
    let names: Vec<&str> = whole[0].speakers.iter().map(|s| &**s).collect();
    assert_eq!(names, ["Ana Lima", "Rui Costa"]);
}

#[test]
fn caption_lines_that_open_with_a_speaker_label_name_who_speaks_until_the_next() {
    let segments = [
        seg(0, 2000, ">> CLINTON: We will build new schools."),
        seg(2000, 4000, "And hospitals in every county."),
        seg(4000, 6000, "in every county.\n>> TRUMP: Wrong."),
        seg(6000, 8000, "Total disaster."),
        seg(8000, 9000, ">> Thank you both."),
        seg(9000, 9500, "BREAKING: polls close."),
    ];
    let found = sentences(&segments);
    let said: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|s| (s.text.as_str(), s.speaker.as_deref()))
        .collect();
    assert_eq!(
        said,
        [
            ("CLINTON: We will build new schools.", Some("CLINTON")),
            ("And hospitals in every county.", Some("CLINTON")),
            ("TRUMP: Wrong.", Some("TRUMP")),
            ("Total disaster.", Some("TRUMP")),
            ("Thank you both.", None),
            ("BREAKING: polls close.", None),
        ]
    );
    // Untimed text (a post) quoting someone is not a caption turn.
    let post = sentences(&[seg(0, 0, "TRUMP: We will win.")]);
    assert_eq!(post[0].speaker, None);
    assert_eq!(post[0].text, "TRUMP: We will win.");
}

#[test]
fn speaker_labels_are_upper_case_names_or_chevrons() {
    fn label(line: &str) -> Option<(Option<String>, &str)> {
        speaker_label(line).map(|(name, at)| (name, &line[at..]))
    }
    assert_eq!(
        label(">> SANDERS: Thank you."),
        Some((Some("SANDERS".to_string()), "SANDERS: Thank you."))
    );
    assert_eq!(
        label("BOB SCHIEFFER: Good evening"),
        Some((
            Some("BOB SCHIEFFER".to_string()),
            "BOB SCHIEFFER: Good evening"
        ))
    );
    assert_eq!(
        label("  >>O'ROURKE: Sí."),
        Some((Some("O'ROURKE".to_string()), "O'ROURKE: Sí."))
    );
    assert_eq!(label(">> we're back"), Some((None, "we're back")));
    assert_eq!(label("Time: ten thirty"), None);
    assert_eq!(label("BREAKING: news"), None);
    assert_eq!(label("COVID-19: cases"), None);
    assert_eq!(label("A: b"), None);
    assert_eq!(label("NO COLON HERE"), None);
}

#[test]
fn folds_rolled_up_captions() {
    let segments = [
        seg(0, 500, "The"),
        seg(500, 900, "The cat"),
        seg(900, 1500, "The cat sat."),
        seg(1500, 2000, "It slept."),
    ];
    let found = sentences(&segments);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].text, "The cat sat.");
    assert_eq!((found[0].start_ms, found[0].end_ms), (0, 1500));
    assert_eq!(found[1].text, "It slept.");
}

#[test]
fn folds_repeated_lines_and_keeps_real_repeats() {
    let segments = [
        seg(0, 2000, "the ballots were counted"),
        seg(2000, 4000, "the ballots were counted\ntwice in the county."),
        seg(4000, 5000, "the the end."),
    ];
    let found = sentences(&segments);
    assert_eq!(
        found[0].text,
        "the ballots were counted twice in the county."
    );
    assert_eq!(found[1].text, "the the end.");
}

#[test]
fn out_of_order_cues_are_sorted() {
    let segments = [seg(3000, 4000, "second one."), seg(0, 1000, "First one.")];
    let texts: Vec<_> = sentences(&segments).into_iter().map(|s| s.text).collect();
    assert_eq!(texts, ["First one.", "second one."]);
}

#[test]
fn a_short_post_is_one_window_but_short_timed_captions_keep_their_spans() {
    let post = sentences(&[seg(
        0,
        0,
        "Breaking. The count stopped. Ballots burned. Share now! Before they delete it.",
    )]);
    assert_eq!(post.len(), 5);
    let whole = windows(&post);
    assert_eq!(whole.len(), 1);
    assert_eq!((whole[0].first, whole[0].last), (0, 4));

    let timed: Vec<_> = [
        "Hello.",
        "Welcome back.",
        "Ballots burned.",
        "Bye.",
        "See you.",
    ]
    .iter()
    .enumerate()
    .map(|(i, text)| seg(i as u64 * 2000, i as u64 * 2000 + 1500, text))
    .collect();
    let runs = windows(&sentences(&timed));
    assert!(runs.len() > 1);
    assert!(runs.iter().any(|w| w.start_ms == 4000 && w.end_ms == 5500));
}

#[test]
fn windows_cover_runs_of_sentences() {
    let long = "word ".repeat(30);
    let segments: Vec<_> = (0..4u64)
        .map(|i| seg(i * 1000, i * 1000 + 900, &format!("{long}s{i}.")))
        .collect();
    let found = sentences(&segments);
    assert_eq!(found.len(), 4);
    let spans: Vec<_> = windows(&found).iter().map(|w| (w.first, w.last)).collect();
    assert_eq!(
        spans,
        [(0, 0), (0, 2), (1, 1), (1, 3), (2, 2), (2, 3), (3, 3)]
    );
    assert_eq!(windows(&found)[1].end_ms, 2900);
    let short = sentences(&[seg(0, 0, "One. Two. Three.")]);
    assert_eq!(windows(&short).len(), 1);
}

proptest! {
    #[test]
    fn sentences_keep_time_order_and_never_panic(
        cues in proptest::collection::vec((0u64..100_000, 0u64..5_000, "[a-zA-ZÉé .!?:>\n]{0,40}"), 0..30)
    ) {
        let segments: Vec<_> = cues.iter().map(|(s, d, t)| seg(*s, s + d, t)).collect();
        let found = sentences(&segments);
        for s in &found {
            prop_assert!(s.start_ms <= s.end_ms);
            prop_assert_eq!(s.words, s.text.split_whitespace().count());
        }
        for pair in found.windows(2) {
            prop_assert!(pair[0].start_ms <= pair[1].start_ms);
        }
        // The word count the `auto` rule reads is the text's.
        for window in windows(&found) {
            prop_assert_eq!(window.words, window.text.split_whitespace().count());
        }
    }
}

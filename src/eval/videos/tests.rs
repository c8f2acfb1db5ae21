//! Tests of `videos`.

use std::path::Path;

use super::*;
use crate::eval::data::build_index;

/// A Brazilian clip repeating a checked claim in its third cue, a clip
/// about cooking, and the labels of both.
fn clips(dir: &Path) -> std::path::PathBuf {
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "claims.jsonl",
        concat!(
            r#"{"id": "urnas", "text": "As urnas eletrônicas podem ser hackeadas pela internet durante a votação.", "verdict": "Falso", "lang": "pt", "markets": ["BR"]}"#,
            "\n",
            r#"{"id": "titulo", "text": "Quem não votou na última eleição perdeu o título de eleitor e não pode votar.", "verdict": "Falso", "lang": "pt", "markets": ["BR"]}"#,
            "\n",
        ),
    );
    std::fs::create_dir(dir.join("videos")).expect("mkdir");
    write(
        "videos/pt-v1.vtt",
        "WEBVTT\n\n\
         00:00:00.000 --> 00:00:03.500\noi gente tudo bem com vocês\n\n\
         00:00:03.600 --> 00:00:07.000\nhoje eu quero falar de uma coisa séria\n\n\
         00:00:07.100 --> 00:00:12.900\nas urnas eletrônicas podem ser hackeadas pela internet durante a votação\n\n\
         00:00:13.000 --> 00:00:16.000\nentão compartilha com a família\n",
    );
    write(
        "videos/pt-v2.srt",
        "1\n00:00:00,000 --> 00:00:04,000\nhoje vamos fazer um bolo de cenoura\n\n\
         2\n00:00:04,100 --> 00:00:08,000\ncom cobertura de chocolate bem cremosa\n",
    );
    write(
        "videos.tsv",
        "pt-v1.vtt\turnas\t7100\t12900\npt-v2.srt\t-\t-\t-\n",
    );
    write(
        "negatives.jsonl",
        concat!(
            r#"{"id": "n1", "text": "o jogo de domingo foi muito bom", "lang": "pt"}"#,
            "\n",
            r#"{"id": "n2", "text": "comprei um vestido novo pra festa", "lang": "pt"}"#,
            "\n",
        ),
    );
    dir.join("videos.tsv")
}

#[test]
fn a_claim_said_in_a_video_is_measured_against_its_stretch_sent_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let labels = clips(dir.path());
    let (store, index) = build_index(&dir.path().join("claims.jsonl")).expect("index");
    let matcher = Matcher::default();
    let negatives = dir.path().join("negatives.jsonl");
    let report = run(&matcher, (&store, &index), &labels, Some(&negatives)).expect("run");

    assert_eq!((report.with_claim, report.claim_first), (1, 1));
    let said = &report.videos[0];
    assert_eq!(said.claim.as_deref(), Some("eval:urnas"));
    assert_eq!(said.market, "BR", "the claim's market");
    let (inside, level, start, end) = said.inside.expect("found inside");
    let (alone, _) = said.alone.expect("found alone");
    assert!(level >= Level::Review, "{inside}");
    assert_eq!((start, end), (7_100, 12_900));
    assert_eq!(said.span_off_ms, Some(0));
    assert_eq!(
        (report.found_alone, report.as_sure_as_alone),
        (1, 1),
        "{inside} {alone}"
    );
    assert_eq!((report.clean, report.clean_kept), (1, 1));
    assert_eq!(
        (report.clips, report.clips_review, report.clips_auto),
        (1, 0, 0)
    );
}

#[test]
fn a_label_line_that_is_not_four_fields_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let labels = clips(dir.path());
    std::fs::write(&labels, "pt-v1.vtt\turnas\t7100\t12900\npt-v2.srt\t-\n").expect("write");
    let (store, index) = build_index(&dir.path().join("claims.jsonl")).expect("index");
    let err = run(&Matcher::default(), (&store, &index), &labels, None)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn a_stretch_of_rolled_up_captions_is_sent_alone_with_each_line_once() {
    // Platform captions repeat the previous line at the top of each cue.
    let vtt = "WEBVTT\n\n\
               00:00:00.000 --> 00:00:03.000\nbom dia gente\n\n\
               00:00:03.000 --> 00:00:06.000\nbom dia gente\nas urnas de Manaus têm um chip\n\n\
               00:00:06.000 --> 00:00:09.000\nas urnas de Manaus têm um chip\nque muda o voto à distância\n\n\
               00:00:09.000 --> 00:00:12.000\nque muda o voto à distância\ncompartilhem\n";
    let segments = captions::vtt::parse(vtt).segments;
    let text = stretch_text(&segments, 3_000, 9_000);
    assert_eq!(text.matches("chip").count(), 1, "{text}");
    assert!(text.contains("as urnas de Manaus têm um chip"), "{text}");
    assert!(text.contains("que muda o voto à distância"), "{text}");
    assert!(
        !text.contains("compartilhem"),
        "outside the stretch: {text}"
    );
}

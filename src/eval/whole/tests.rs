//! Tests of `whole`.

use std::path::Path;

use crate::eval::query::Dating;
use crate::eval::run::{EvalOptions, run};
use crate::matcher::Matcher;

/// A town hall in which a candidate repeats two checked claims, one
/// per moment (the first checked twice, by two records of the same
/// text), and the labels of its lines: line 3 with the claim it
/// repeats (the second of the two records), line 6 with a claim it
/// does not repeat (a wrong label, so that the claim it does repeat
/// there counts as unlabelled).
fn town_hall(dir: &Path) -> EvalOptions {
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "claims.jsonl",
        concat!(
            r#"{"id": "c-machines", "text": "Voting machines in Maricopa County switched thousands of votes to the other candidate overnight.", "verdict": "false", "lang": "en"}"#,
            "\n",
            r#"{"id": "c-machines-copy", "text": "Voting machines in Maricopa County switched thousands of votes to the other candidate overnight.", "verdict": "false", "lang": "en"}"#,
            "\n",
            r#"{"id": "c-jobs", "text": "Unemployment among young people in this state has reached forty percent.", "verdict": "false", "lang": "en"}"#,
            "\n",
            r#"{"id": "c-chips", "text": "The new vaccine contains microchips that track everyone who takes it.", "verdict": "false", "lang": "en"}"#,
            "\n",
        ),
    );
    std::fs::create_dir(dir.join("transcripts")).expect("mkdir");
    write(
        "transcripts/20200301_town_hall.tsv",
        "1\tMODERATOR\tGood evening and welcome to the town hall in Phoenix.\n\
         2\tCANDIDATE\tThank you for having me here tonight, it is great to be back.\n\
         3\tCANDIDATE\tThe voting machines in Maricopa County switched thousands of votes to the other candidate overnight.\n\
         4\tCANDIDATE\tPeople saw it happen with their own eyes and nobody wants to talk about it.\n\
         5\tMODERATOR\tLet us move on and talk about the economy and about schools for a while.\n\
         6\tCANDIDATE\tUnemployment among young people in this state has reached forty percent.\n\
         7\tMODERATOR\tThank you all for coming out tonight and good night.\n",
    );
    write(
        "queries.jsonl",
        concat!(
            r#"{"id": "20200301_town_hall_0003", "text": "The voting machines in Maricopa County switched thousands of votes to the other candidate overnight.", "lang": "en"}"#,
            "\n",
            r#"{"id": "20200301_town_hall_0006", "text": "Unemployment among young people in this state has reached forty percent.", "lang": "en"}"#,
            "\n",
        ),
    );
    write(
        "qrels.tsv",
        "20200301_town_hall_0003\tc-machines-copy\n20200301_town_hall_0006\tc-chips\n",
    );
    EvalOptions {
        claims: dir.join("claims.jsonl"),
        queries: dir.join("queries.jsonl"),
        qrels: dir.join("qrels.tsv"),
        transcripts: Some(dir.join("transcripts")),
        negatives: None,
        threads: 1,
        dating: Dating::default(),
        mistakes: Some(dir.join("mistakes.jsonl")),
        whole_transcripts: true,
        no_speakers: false,
        semantic: false,
    }
}

#[test]
fn a_transcript_sent_whole_is_judged_by_the_labelled_lines_its_spans_cover() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = run(&Matcher::default(), &town_hall(dir.path())).expect("eval");
    let whole = report.whole_transcripts.expect("whole-transcript report");
    assert_eq!(whole.transcripts, 1);
    assert_eq!(whole.labelled_pairs, 2);
    // Both repeated claims come back, each over its own line: the
    // machines claim on its labelled line, the jobs claim unlabelled.
    assert_eq!(whole.review.decided, 2, "{whole:?}");
    assert_eq!(whole.review.on_target, 1, "{whole:?}");
    assert_eq!(whole.review.off_target, 0, "{whole:?}");
    assert!((whole.review.precision - 0.5).abs() < 1e-9, "{whole:?}");
    // Line 6's label (the microchips claim) is never covered.
    assert!((whole.review.line_recall - 0.5).abs() < 1e-9, "{whole:?}");
    assert_eq!(whole.median_span_ms, 10_000, "one line each: {whole:?}");
}

#[test]
fn a_claim_said_twice_covers_both_its_lines_through_one_match() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write(
        "claims.jsonl",
        concat!(
            r#"{"id": "c-wall", "text": "My opponent voted for the border wall in 2006.", "verdict": "half-true", "lang": "en"}"#,
            "\n",
        ),
    );
    std::fs::create_dir(dir.path().join("transcripts")).expect("mkdir");
    write(
        "transcripts/20200310_speech.tsv",
        "1\tCANDIDATE\tThank you, it is great to be back in Ohio tonight.\n\
         2\tCANDIDATE\tAnd remember, my opponent voted for the border wall in 2006.\n\
         3\tCANDIDATE\tThe farmers here are doing better than they have in years.\n\
         4\tCANDIDATE\tOur schools are getting new money and new teachers.\n\
         5\tCANDIDATE\tWe are lowering taxes for every family in this state.\n\
         6\tCANDIDATE\tI will say it again: my opponent voted for the border wall in 2006.\n\
         7\tCANDIDATE\tThank you, Ohio, and good night.\n",
    );
    write(
        "queries.jsonl",
        concat!(
            r#"{"id": "20200310_speech_0002", "text": "And remember, my opponent voted for the border wall in 2006.", "lang": "en"}"#,
            "\n",
            r#"{"id": "20200310_speech_0006", "text": "I will say it again: my opponent voted for the border wall in 2006.", "lang": "en"}"#,
            "\n",
        ),
    );
    write(
        "qrels.tsv",
        "20200310_speech_0002\tc-wall\n20200310_speech_0006\tc-wall\n",
    );
    let options = EvalOptions {
        claims: dir.path().join("claims.jsonl"),
        queries: dir.path().join("queries.jsonl"),
        qrels: dir.path().join("qrels.tsv"),
        transcripts: Some(dir.path().join("transcripts")),
        negatives: None,
        threads: 1,
        dating: Dating::default(),
        mistakes: None,
        whole_transcripts: true,
        no_speakers: false,
        semantic: false,
    };
    let report = run(&Matcher::default(), &options).expect("eval");
    let whole = report
        .whole_transcripts
        .as_ref()
        .expect("whole-transcript report");
    // One match, on target, whose span covers one labelled line and
    // whose other stretch covers the other.
    assert_eq!(whole.review.decided, 1, "{whole:?}");
    assert_eq!(whole.review.on_target, 1, "{whole:?}");
    assert!((whole.review.line_recall - 1.0).abs() < 1e-9, "{whole:?}");
    // Each line's own query decides on it too.
    assert_eq!(report.review.decided, 2, "{report:?}");
    assert_eq!(report.review.correct, 2, "{report:?}");
}

#[test]
fn a_match_listing_a_duplicate_is_one_decision_and_the_ranking_lists_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = run(&Matcher::default(), &town_hall(dir.path())).expect("eval");
    // Line 3's match (the machines claim listing its copy, the
    // labelled record) and line 6's (the jobs claim, not the labelled
    // one): two decisions, one right, as a platform receives them.
    assert_eq!(report.review.decided, 2, "{report:?}");
    assert_eq!(report.review.correct, 1, "{report:?}");
    // The ranking lists the copy right after the record it is grouped
    // under (ties go to the lower id): second on line 3, so MAP@1 is 0
    // and line 3's reciprocal rank 1/2.
    assert_eq!(report.map_at_1, 0.0, "{report:?}");
    assert!(report.mrr >= 0.25 && report.mrr < 0.5, "{report:?}");
}

#[test]
fn negatives_are_counted_alone_and_inside_their_transcripts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let negatives = dir.path().join("negatives.jsonl");
    std::fs::write(
        &negatives,
        concat!(
            r#"{"id": "neg-verbatim", "text": "Unemployment among young people in this state has reached forty percent.", "lang": "en"}"#,
            "\n",
            r#"{"id": "neg-recipe", "text": "Mix the flour with two eggs and bake it for forty minutes.", "lang": "en"}"#,
            "\n",
            r#"{"id": "20200301_town_hall_0007", "text": "Thank you all for coming out tonight and good night.", "lang": "en"}"#,
            "\n",
        ),
    )
    .expect("write");
    let options = EvalOptions {
        negatives: Some(negatives),
        whole_transcripts: false,
        ..town_hall(dir.path())
    };
    // A rally where a candidate says the jobs claim over two lines.
    std::fs::write(
        dir.path().join("transcripts/20200302_rally.tsv"),
        "1\tCANDIDATE\tThank you, thank you all for coming out tonight.\n\
         2\tCANDIDATE\tHere is what they will not tell you: unemployment among young people in this state has reached\n\
         3\tCANDIDATE\tforty percent, and nobody wants to talk about it.\n",
    )
    .expect("write");
    let mut negatives_text =
        std::fs::read_to_string(dir.path().join("negatives.jsonl")).expect("read negatives");
    negatives_text.push_str(concat!(
        r#"{"id": "20200302_rally_0003", "text": "forty percent, and nobody wants to talk about it.", "lang": "en"}"#,
        "\n",
    ));
    std::fs::write(dir.path().join("negatives.jsonl"), negatives_text).expect("write");
    let report = run(&Matcher::default(), &options).expect("eval");
    let control = report.negatives.expect("negative control");
    assert_eq!(control.queries, 4);
    // Alone, only the sentence repeating a claim decides anything.
    assert!(
        (control.alone.review_share - 1.0 / 4.0).abs() < 1e-9,
        "{control:?}"
    );
    // Inside its transcript, the rally's last line is half of a
    // sentence that repeats the jobs claim, and a decision on it. The
    // town hall's closing line is matched through windows that also
    // hold line 6, but the claim is said on line 6, where the server
    // puts its span: no decision on the closing line. The other two
    // have no transcript and go alone.
    let inside = control.in_transcript.as_ref().expect("with --transcripts");
    assert!(
        (inside.review_share - 2.0 / 4.0).abs() < 1e-9,
        "{control:?}"
    );
}

#[test]
fn a_claim_said_on_the_next_line_is_a_decision_on_that_line_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = EvalOptions {
        whole_transcripts: false,
        ..town_hall(dir.path())
    };
    // Line 4 follows the line repeating the machines claim; label it
    // with a claim nobody says, so that a decision on it is wrong.
    let mut queries = std::fs::read_to_string(&options.queries).expect("read");
    queries.push_str(concat!(
        r#"{"id": "20200301_town_hall_0004", "text": "People saw it happen with their own eyes and nobody wants to talk about it.", "lang": "en"}"#,
        "\n",
    ));
    std::fs::write(&options.queries, queries).expect("write");
    let mut qrels = std::fs::read_to_string(&options.qrels).expect("read");
    qrels.push_str("20200301_town_hall_0004\tc-chips\n");
    std::fs::write(&options.qrels, qrels).expect("write");

    let report = run(&Matcher::default(), &options).expect("eval");
    // The windows covering line 4 hold lines 3 and 6, so the claims
    // repeated there are found and ranked for it, but decided with a
    // span over the line where each is said...
    let written = std::fs::read_to_string(dir.path().join("mistakes.jsonl")).expect("read");
    let line_4: serde_json::Value = written
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .find(|m: &serde_json::Value| m["query"] == "20200301_town_hall_0004")
        .expect("line 4 misses its label");
    let spans: std::collections::BTreeMap<&str, (u64, u64, bool)> = line_4["returned"]
        .as_array()
        .expect("returned matches")
        .iter()
        .filter(|m| m["level"] != "none")
        .map(|m| {
            let ms = |key: &str| m[key].as_u64().expect("a time");
            let here = m["here"].as_bool().expect("here");
            (
                m["claim"].as_str().expect("id"),
                (ms("start_ms"), ms("end_ms"), here),
            )
        })
        .collect();
    assert_eq!(
        spans,
        std::collections::BTreeMap::from([
            ("eval:c-jobs", (60_000, 69_999, false)),
            ("eval:c-machines", (30_000, 39_999, false)),
        ]),
        "{line_4}"
    );
    assert_eq!(line_4["wrong"], 0, "{line_4}");
    // ...so lines 3 and 6 hold the two decisions, line 4 none.
    assert_eq!(report.review.decided, 2, "{report:?}");
    assert_eq!(report.review.correct, 1, "{report:?}");
}

#[test]
fn mistakes_list_the_wrong_decision_and_the_missed_claim_of_a_query() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = town_hall(dir.path());
    run(&Matcher::default(), &options).expect("eval");
    let written = std::fs::read_to_string(dir.path().join("mistakes.jsonl")).expect("read");
    let lines: Vec<serde_json::Value> = written
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 1, "only line 6 went wrong: {written}");
    let mistake = &lines[0];
    assert_eq!(mistake["query"], "20200301_town_hall_0006");
    assert_eq!(mistake["wrong"], 1);
    assert_eq!(mistake["missed"], 1);
    assert_eq!(mistake["relevant"][0][0], "eval:c-chips");
    assert!(
        mistake["relevant"][0][1]
            .as_str()
            .is_some_and(|text| text.contains("microchips")),
        "the relevant claim's text is shown: {mistake}"
    );
    let first = &mistake["returned"][0];
    assert_eq!(first["claim"], "eval:c-jobs");
    assert_eq!(first["relevant"], false);
    assert_ne!(first["level"], "none");
}

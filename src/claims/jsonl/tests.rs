//! Tests of `jsonl`.

use super::*;
use proptest::prelude::*;

fn defaults() -> LoadDefaults {
    LoadDefaults {
        partner: "snopes".into(),
        ..LoadDefaults::default()
    }
}

#[test]
fn reads_the_evaluation_shape() {
    let line = r#"{"id": "vclaim-pol-1", "text": "Crime  dropped\nby 10%.", "title": "T", "verdict": "pants-fire", "speaker": "A. Person", "date": "stated on October 22, 2019 in a speech:", "source_url": "https://example.org/fc", "lang": "en", "publisher": "PolitiFact"}"#;
    let parsed = parse(line.as_bytes(), &defaults());
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    let claim = &parsed.claims[0].claim;
    assert_eq!(claim.id, "snopes:vclaim-pol-1");
    assert_eq!(claim.text, "Crime dropped by 10%.");
    assert_eq!(claim.verdict, Verdict::False);
    assert_eq!(claim.rating_text, "pants-fire");
    assert_eq!(claim.claimant, "A. Person");
    assert_eq!(claim.review_url, "https://example.org/fc");
    // "Stated on" dates when the claim was made, not when it was checked.
    assert_eq!(claim.claim_date, parse_date("2019-10-22"));
    assert_eq!(claim.review_date, None);
    assert_eq!(parsed.claims[0].raw, line);
}

#[test]
fn a_bare_evaluation_date_is_the_review_date() {
    let line = r#"{"id": "vclaim-sno-1", "text": "A video shows a snake.", "date": "26 May 2015", "lang": "en"}"#;
    let claim = &parse(line.as_bytes(), &defaults()).claims[0].claim;
    assert_eq!(claim.review_date, parse_date("2015-05-26"));
    assert_eq!(claim.claim_date, None);
}

#[test]
fn bad_lines_are_named_and_good_ones_load() {
    let mut file = Vec::new();
    file.extend_from_slice(b"{\"id\": \"a\", \"text\": \"good one\", \"lang\": \"en\"}\n");
    file.extend_from_slice(b"not json\n");
    file.extend_from_slice(b"{\"id\": \"b\", \"text\": \"bad \xff bytes\"}\n");
    file.extend_from_slice(b"\n{\"id\": \"c\", \"text\": \"\"}\n");
    file.extend_from_slice(b"{\"id\": \"d\", \"text\": 5}\n");
    file.extend_from_slice(b"{\"id\": \"e\", \"text\": \"x\", \"markets\": [\"BR\", \"ZZ\"]}\n");
    file.extend_from_slice(b"[1, 2]\n");
    file.extend_from_slice(
        b"{\"id\": \"f\", \"text\": \"good two\", \"lang\": \"pt-BR\", \"markets\": \"br\"}\r\n",
    );
    let parsed = parse(&file, &defaults());
    let ids: Vec<_> = parsed.claims.iter().map(|c| c.claim.id.as_str()).collect();
    assert_eq!(ids, ["snopes:a", "snopes:f"]);
    assert_eq!(parsed.claims[1].claim.language, "pt");
    assert_eq!(parsed.claims[1].claim.markets, ["BR"]);
    let lines: Vec<_> = parsed.rejections.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 5, 6, 7, 8]);
    let reasons: Vec<_> = parsed
        .rejections
        .iter()
        .map(|r| r.reason.as_str())
        .collect();
    assert!(reasons[0].starts_with("not valid JSON"));
    assert!(reasons[1].contains("UTF-8"));
    assert!(reasons[2].contains("no text"));
    assert_eq!(reasons[3], "field `text` must be a string, found a number");
    assert!(reasons[4].contains("\"ZZ\""));
    assert_eq!(reasons[5], "expected a JSON object, found a list");
    assert_eq!(parsed.rejections[2].claim_id, "c");
}

#[test]
fn defaults_fill_gaps_only() {
    let defaults = LoadDefaults {
        partner: "chequeado".into(),
        language: "es".into(),
        markets: vec!["AR".into()],
        elections: vec!["ar-2023".into()],
        ..LoadDefaults::default()
    };
    let file =
        b"{\"text\": \"uno\"}\n{\"text\": \"dos\", \"markets\": [\"UY\"], \"language\": \"pt\"}\n";
    let parsed = parse(file, &defaults);
    assert_eq!(parsed.claims[0].claim.markets, ["AR"]);
    assert_eq!(parsed.claims[0].claim.language, "es");
    assert_eq!(parsed.claims[0].claim.elections, ["ar-2023"]);
    assert_eq!(parsed.claims[1].claim.markets, ["UY"]);
    assert_eq!(parsed.claims[1].claim.language, "pt");
}

#[test]
fn refuses_other_partners_records_and_inverted_windows() {
    let file = b"{\"text\": \"a\", \"partner\": \"lupa\"}\n{\"text\": \"b\", \"valid_from\": \"2022-10-01\", \"valid_until\": \"2022-01-01\"}\n{\"text\": \"c\", \"valid_from\": \"soon\"}\n";
    let parsed = parse(file, &defaults());
    assert!(parsed.claims.is_empty());
    assert!(parsed.rejections[0].reason.contains("partner \"lupa\""));
    assert!(parsed.rejections[1].reason.contains("not before"));
    assert!(
        parsed.rejections[2]
            .reason
            .contains("`valid_from` is not a date")
    );
}

#[test]
fn huge_records_are_refused_by_their_limit() {
    let huge = format!(
        "{{\"id\": \"big\", \"text\": \"{}\"}}\n{{\"id\": \"ok\", \"text\": \"small claim\"}}\n",
        "a".repeat(10 * 1024 * 1024)
    );
    let parsed = parse(huge.as_bytes(), &defaults());
    assert_eq!(parsed.claims.len(), 1);
    assert!(
        parsed.rejections[0]
            .reason
            .contains("over the limit of 1048576"),
        "{}",
        parsed.rejections[0].reason
    );
    let long_text = format!(
        "{{\"id\": \"long\", \"text\": \"{}\"}}",
        "palavra ".repeat(1000)
    );
    let parsed = parse(long_text.as_bytes(), &defaults());
    assert!(
        parsed.rejections[0]
            .reason
            .contains("over the limit of 5000"),
        "{}",
        parsed.rejections[0].reason
    );
}

proptest! {
    #[test]
    fn never_panics_and_accounts_for_every_line(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let parsed = parse(&bytes, &defaults());
        let non_blank = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&bytes)
            .split(|b| *b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace) && l != b"\r")
            .count();
        prop_assert_eq!(parsed.claims.len() + parsed.rejections.len(), non_blank);
    }
}

#[test]
fn a_bad_date_of_the_claim_costs_the_date_and_a_bad_window_the_record() {
    let defaults = LoadDefaults {
        partner: "chequeado".into(),
        ..LoadDefaults::default()
    };
    let file =
        b"{\"id\": \"a\", \"text\": \"Las urnas llegaron abiertas\", \"claim_date\": \"ayer\"}\n\
        {\"id\": \"b\", \"text\": \"Se vota con DNI vencido\", \"valid_until\": \"pronto\"}\n";
    let parsed = parse(file, &defaults);
    assert_eq!(parsed.claims.len(), 1);
    assert_eq!(parsed.claims[0].claim.claim_date, None);
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(
        (parsed.warnings[0].line, parsed.warnings[0].field.as_str()),
        (1, "claim_date")
    );
    // Left out, a broken end of the window would let the claim match forever.
    assert_eq!(parsed.rejections.len(), 1);
    assert!(parsed.rejections[0].reason.contains("valid_until"));
}

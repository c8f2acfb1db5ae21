//! Tests of `import`.

use super::*;

#[test]
fn a_json_lines_file_is_read_a_batch_at_a_time_in_file_order() {
    let mut file = String::new();
    for i in 0..25 {
        file.push_str(&format!("{{\"id\": \"c{i}\", \"text\": \"claim {i}\"}}\n"));
        if i % 10 == 3 {
            file.push_str("not json\n");
        }
    }
    let mut batches = Vec::new();
    parse_in_batches(
        file.as_bytes(),
        ClaimFormat::Auto,
        &defaults(),
        10,
        100,
        |batch| {
            batches.push(batch);
            Ok(())
        },
    )
    .expect("parsed");
    let sizes: Vec<usize> = batches.iter().map(ParsedFile::len).collect();
    assert_eq!(sizes, [10, 10, 8], "no batch over its size");
    let whole = parse(file.as_bytes(), ClaimFormat::Auto, &defaults());
    let ids: Vec<&str> = batches
        .iter()
        .flat_map(|b| b.claims.iter().map(|c| c.claim.id.as_str()))
        .collect();
    let all: Vec<&str> = whole.claims.iter().map(|c| c.claim.id.as_str()).collect();
    assert_eq!(ids, all, "the same claims, in file order");
    let refused: Vec<u64> = batches
        .iter()
        .flat_map(|b| b.rejections.iter().map(|r| r.line))
        .collect();
    assert_eq!(refused, [5, 16, 27]);

    let mut visited = false;
    let over = parse_in_batches(
        file.as_bytes(),
        ClaimFormat::Jsonl,
        &defaults(),
        10,
        27,
        |_| {
            visited = true;
            Ok(())
        },
    );
    assert!(matches!(
        over,
        Err(crate::error::Error::ResourceExhausted(_))
    ));
    assert!(!visited, "refused before anything is written");
}
use crate::claims::Verdict;
use proptest::prelude::*;

fn defaults() -> LoadDefaults {
    LoadDefaults {
        partner: "chequeado".into(),
        ..LoadDefaults::default()
    }
}

#[test]
fn detects_each_format() {
    assert_eq!(
        detect(b"\xEF\xBB\xBF<!doctype html><html>"),
        ClaimFormat::Html
    );
    assert_eq!(
        detect(br#"{"@context": "https://schema.org", "@type": "ClaimReview"}"#),
        ClaimFormat::JsonLd
    );
    assert_eq!(
        detect(br#"[{"@type": "ClaimReview"}]"#),
        ClaimFormat::JsonLd
    );
    assert_eq!(
        detect(br#"{"claims": [], "nextPageToken": "x"}"#),
        ClaimFormat::FactCheckTools
    );
    assert_eq!(
        detect(b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n"),
        ClaimFormat::Jsonl
    );
    assert_eq!(detect(b"{\"text\": \"a\"}"), ClaimFormat::Jsonl);
    assert_eq!(detect(b"text,rating\n\"a\",Falso\n"), ClaimFormat::Csv);
}

#[test]
fn csv_with_semicolons_quotes_bom_and_bad_bytes() {
    let file = b"\xEF\xBB\xBFid;claim;rating;lang;markets\n\
        1;\"Las boletas, dicen,\nvenian marcadas\";Falso;es;AR|UY\n\
        2;\"caf\xe9 con urnas\";Falso;es;AR\n\
        3;;Falso;es;AR\n\
        4;Sin evidencia de fraude en el conteo;Sin evidencia;es;\n";
    let parsed = parse(file, ClaimFormat::Auto, &defaults());
    let ids: Vec<_> = parsed.claims.iter().map(|c| c.claim.id.as_str()).collect();
    assert_eq!(
        ids,
        ["chequeado:1", "chequeado:4"],
        "in the partner's namespace"
    );
    assert_eq!(
        parsed.claims[0].claim.text,
        "Las boletas, dicen, venian marcadas"
    );
    assert_eq!(parsed.claims[0].claim.markets, ["AR", "UY"]);
    assert_eq!(parsed.claims[1].claim.verdict, Verdict::Unproven);
    let lines: Vec<_> = parsed
        .rejections
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(lines[0].0, 4);
    assert!(lines[0].1.contains("UTF-8"), "{lines:?}");
    assert_eq!(lines[1].0, 5);
    assert!(lines[1].1.contains("no text"), "{lines:?}");
}

#[test]
fn html_takes_every_claim_review_and_nothing_else() {
    let page = r#"<html><head><script>var x = 1;</script>
        <SCRIPT type='application/ld+json'>{"@type": "NewsArticle", "headline": "n"}</SCRIPT>
        <script type="application/ld+json">[{"@type": "ClaimReview", "claimReviewed": "Les machines à voter ont été piratées", "inLanguage": "fr", "reviewRating": {"alternateName": "Faux"}}]</script>
        <script type="application/ld+json">{ broken </script></head><body>text</body></html>"#;
    let parsed = parse(page.as_bytes(), ClaimFormat::Auto, &defaults());
    assert_eq!(parsed.claims.len(), 1);
    assert_eq!(parsed.claims[0].position, "script[1][0]");
    assert_eq!(parsed.claims[0].claim.verdict, Verdict::False);
    assert_eq!(parsed.rejections[0].position, "script[2]");
    let none = parse(
        b"<html><body>no data</body></html>",
        ClaimFormat::Auto,
        &defaults(),
    );
    assert!(none.rejections[0].reason.contains("no <script"));
}

proptest! {
    #[test]
    fn no_input_makes_a_parser_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for format in [ClaimFormat::Auto, ClaimFormat::Csv, ClaimFormat::Html, ClaimFormat::JsonLd, ClaimFormat::FactCheckTools] {
            let _ = parse(&bytes, format, &defaults());
        }
    }

    #[test]
    fn json_ld_shapes_never_panic(text in r#"[\[\]{}",:a-z@ClaimRevw0-9 ]{0,200}"#) {
        let _ = parse(text.as_bytes(), ClaimFormat::Auto, &defaults());
    }
}

#[test]
fn one_bad_byte_costs_no_record_of_a_json_ld_file() {
    let mut bytes = br#"[{"@type": "ClaimReview", "claimReviewed": "As urnas foram trocadas", "identifier": "a"},
        {"@type": "ClaimReview", "claimReviewed": "O mesario votou por "#
        .to_vec();
    bytes.push(0xE9); // Latin-1 "é": not UTF-8
    bytes.extend_from_slice(br#"leitores", "identifier": "b"}]"#);
    let defaults = LoadDefaults {
        partner: "lupa".into(),
        ..LoadDefaults::default()
    };
    let parsed = parse(&bytes, ClaimFormat::JsonLd, &defaults);
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    let ids: Vec<_> = parsed.claims.iter().map(|c| c.claim.id.as_str()).collect();
    assert_eq!(ids, ["lupa:a", "lupa:b"]);
    assert!(parsed.claims[1].claim.text.contains('\u{FFFD}'));
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].field, "encoding");
    assert!(
        parsed.warnings[0].message.contains("offset"),
        "{}",
        parsed.warnings[0].message
    );
}

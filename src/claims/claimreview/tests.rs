//! Tests of `claimreview`.

use super::*;
use crate::text::parse_date;

fn defaults() -> LoadDefaults {
    LoadDefaults {
        partner: "aosfatos".into(),
        ..LoadDefaults::default()
    }
}

fn parse(text: &str) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    parse_value(
        &serde_json::from_str(text).unwrap(),
        "",
        &defaults(),
        &mut parsed,
    );
    parsed
}

#[test]
fn reads_a_full_review() {
    let parsed = parse(
        r#"{"@context": "https://schema.org", "@type": "ClaimReview", "identifier": "urnas-1",
        "claimReviewed": "Urnas &amp; votos <b>trocados</b>", "headline": "É falso", "url": "https://ex.org/1",
        "datePublished": "2022-09-20", "inLanguage": "pt-BR", "author": [{"@type": "Organization", "name": "Aos Fatos"}],
        "itemReviewed": {"@type": "Claim", "author": [{"@type": "Person", "name": "Fulano"}, {"name": "Beltrano"}],
            "datePublished": "2022-09-18", "appearance": [{"@type": "CreativeWork", "url": "https://social/1"}, "https://social/2"],
            "firstAppearance": {"url": "https://social/0"}},
        "reviewRating": {"@type": "Rating", "alternateName": "Enganoso", "ratingValue": "2", "ratingExplanation": "Sem provas"},
        "keywords": "eleições, urnas"}"#,
    );
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    let claim = &parsed.claims[0].claim;
    assert_eq!(claim.id, "aosfatos:urnas-1");
    assert_eq!(claim.text, "Urnas & votos trocados");
    assert_eq!(claim.language, "pt");
    assert_eq!(claim.verdict, Verdict::Misleading);
    assert_eq!(claim.rating_text, "Enganoso");
    assert_eq!(claim.claimant, "Fulano, Beltrano");
    assert_eq!(
        claim.appearances,
        ["https://social/1", "https://social/2", "https://social/0"]
    );
    assert_eq!(claim.keywords, ["eleições", "urnas"]);
    assert_eq!(claim.claim_date, parse_date("2022-09-18"));
    assert_eq!(parsed.claims[0].position, "$");
}

#[test]
fn finds_reviews_in_feeds_and_names_bad_ones_by_path() {
    let parsed = parse(
        r#"{"@type": "DataFeed", "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [{"@type": "ClaimReview", "claimReviewed": "uno", "inLanguage": "es"}]},
            {"@type": "DataFeedItem", "item": [{"@type": "ClaimReview", "inLanguage": "es"},
                {"@type": "ClaimReview", "claimReviewed": "tres", "reviewRating": {"ratingValue": "x"}}]},
            {"@type": "DataFeedItem", "item": {"@type": "ClaimReview", "claimReviewed": "cuatro", "reviewRating": {"ratingValue": 5, "bestRating": 5, "worstRating": 1}}}]}"#,
    );
    let positions: Vec<_> = parsed.claims.iter().map(|c| c.position.as_str()).collect();
    assert_eq!(
        positions,
        [
            "dataFeedElement[0].item[0]",
            "dataFeedElement[1].item[1]",
            "dataFeedElement[2].item"
        ]
    );
    assert_eq!(parsed.claims[2].claim.verdict, Verdict::True);
    assert_eq!(parsed.rejections.len(), 1, "{:?}", parsed.rejections);
    assert_eq!(parsed.rejections[0].position, "dataFeedElement[1].item[0]");
    assert_eq!(parsed.rejections[0].reason, "claimReviewed is missing");
    // A broken rating costs the verdict, not the claim, and says so.
    assert_eq!(parsed.claims[1].claim.verdict, Verdict::Other);
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].position, "dataFeedElement[1].item[1]");
    assert_eq!(parsed.warnings[0].field, "reviewRating.ratingValue");
    assert!(
        parsed.warnings[0].message.contains("not a number"),
        "{}",
        parsed.warnings[0].message
    );
}

#[test]
fn one_bad_field_costs_that_field_not_the_claim() {
    let parsed = parse(
        r#"[{"@type": "ClaimReview", "claimReviewed": "Les urnes ont été piratées", "identifier": "f1",
            "reviewRating": {"ratingValue": "x", "alternateName": "Faux"}},
           {"@type": "ClaimReview", "claimReviewed": "O voto impresso foi aprovado", "identifier": "p1",
            "datePublished": "ontem", "itemReviewed": {"datePublished": "2022-13-45"}}]"#,
    );
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    assert_eq!(parsed.claims.len(), 2);
    // The wording decides the verdict; the broken number is not needed.
    assert_eq!(parsed.claims[0].claim.verdict, Verdict::False);
    // Bad dates are left out, each named.
    assert_eq!(parsed.claims[1].claim.review_date, None);
    assert_eq!(parsed.claims[1].claim.claim_date, None);
    let fields: Vec<_> = parsed.warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(fields, ["itemReviewed.datePublished", "datePublished"]);
    assert!(parsed.warnings.iter().all(|w| w.claim_id == "aosfatos:p1"));
}

#[test]
fn reads_graphs_and_arrays_and_ignores_other_types() {
    let parsed = parse(
        r#"[{"@type": "NewsArticle", "headline": "x"},
           {"@graph": [{"@type": "WebPage"}, {"@type": ["ClaimReview"], "claimReviewed": "dans le graphe", "inLanguage": "fr"}]}]"#,
    );
    assert_eq!(parsed.claims.len(), 1);
    assert_eq!(parsed.claims[0].position, "[1].@graph[1]");
    assert!(parsed.rejections.is_empty());
}

#[test]
fn reads_fact_check_tools_responses() {
    let document: Value = serde_json::from_str(
        r#"{"claims": [{"text": "Surat suara sudah dicoblos", "claimant": "Akun X", "claimDate": "2024-02-01T00:00:00Z",
            "claimReview": [{"publisher": {"name": "Mafindo", "site": "turnbackhoax.id"}, "url": "https://tbh/1",
                "title": "[SALAH] Surat suara", "reviewDate": "2024-02-03T00:00:00Z", "textualRating": "Salah", "languageCode": "id"},
                {"publisher": {"name": "Other"}, "url": "https://o/2", "textualRating": "Hoaks", "languageCode": "id"}]},
            {"claimant": "no text", "claimReview": [{"url": "u"}]}]}"#,
    )
    .unwrap();
    let mut parsed = ParsedFile::default();
    parse_fact_check_tools(&document, &defaults(), &mut parsed);
    assert_eq!(parsed.claims.len(), 2);
    assert_eq!(parsed.claims[0].claim.verdict, Verdict::False);
    assert_eq!(parsed.claims[0].claim.claimant, "Akun X");
    assert_ne!(parsed.claims[0].claim.id, parsed.claims[1].claim.id);
    assert_eq!(parsed.rejections[0].position, "claims[1].claimReview[0]");
}

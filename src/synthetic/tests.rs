//! Tests of `synthetic`.

use super::*;

#[test]
fn the_same_seed_gives_the_same_corpus_and_another_seed_another() {
    let a = Generator::new(7);
    let b = Generator::new(7);
    let c = Generator::new(8);
    assert_eq!(a.claims_jsonl(0..100), b.claims_jsonl(0..100));
    assert_ne!(a.claims_jsonl(0..100), c.claims_jsonl(0..100));
    // A bigger corpus starts with the smaller one.
    assert!(a.claims_jsonl(0..200).starts_with(&a.claims_jsonl(0..100)));
}

#[test]
fn claims_are_distinct_and_span_the_languages() {
    let generator = Generator::new(1);
    let claims: Vec<_> = (0..20_000).map(|n| generator.claim(n)).collect();
    let texts: std::collections::HashSet<_> = claims.iter().map(|c| &c.text).collect();
    assert!(texts.len() > 19_900, "{} distinct of 20,000", texts.len());
    for language in ["en", "pt", "es", "id", "fr"] {
        let share = claims.iter().filter(|c| c.language == language).count();
        assert!(share > 3_000, "{language}: {share}");
    }
    let words = claims[0].text.split_whitespace().count();
    assert!((8..=30).contains(&words), "{}", claims[0].text);
}

#[test]
fn transcripts_last_a_minute_and_half_carry_a_claim() {
    let generator = Generator::new(3);
    for n in 0..20 {
        let (segments, _) = generator.transcript(n, 1_000);
        let words: usize = segments
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum();
        assert!((150..200).contains(&words), "{words} words");
        let end = segments.last().map_or(0, |s| s.end_ms);
        assert!((55_000..=60_000).contains(&end), "ends at {end} ms");
        assert!(segments.windows(2).all(|w| w[0].end_ms <= w[1].start_ms));
    }
    let (srt, _) = generator.transcript_srt(0, 1_000);
    let parsed = crate::captions::srt::parse(&srt);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.segments, generator.transcript(0, 1_000).0);
}

#[test]
fn mixed_traffic_is_mostly_everyday_and_says_claims_three_ways() {
    let generator = Generator::new(3);
    let captions: Vec<_> = (0..300).map(|n| generator.mixed(n, 50)).collect();
    let about_claims = captions.iter().filter(|(_, _, about)| *about).count();
    assert_eq!(about_claims, 30, "one in ten");
    // Everyday captions hold no word of any claim's object list.
    for (text, _, about) in &captions {
        if !about {
            assert!(!text.contains("votos") && !text.contains("votes"), "{text}");
        }
    }
    // A translated claim keeps the claim's number.
    let (text, language, _) = generator.mixed(20, 50);
    let number: String = text
        .split(' ')
        .find(|w| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty())
        .unwrap_or_default()
        .into();
    assert!(!number.is_empty(), "{text}");
    let original = (0..50)
        .map(|n| generator.claim(n))
        .find(|c| c.text.contains(&format!(" {number} ")))
        .expect("its claim");
    assert_ne!(
        original.language, language,
        "said in another language: {text}"
    );
}

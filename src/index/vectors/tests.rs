//! Tests of `vectors`.

use super::*;

const MODEL: &str = crate::encoder::SHIPPED_SHA256;

fn unit(seed: usize) -> [f32; DIM] {
    let mut v = [0f32; DIM];
    v[seed % DIM] = 0.8;
    v[(seed * 7 + 1) % DIM] = 0.6;
    v
}

/// A claim for every market, at any time.
fn text<'a>(id: &'a str, text: &'a str, language: &'a str) -> ClaimText<'a> {
    ClaimText::everywhere(id, text, language)
}

fn fake_embed(texts: &[&str]) -> Vec<[f32; DIM]> {
    texts.iter().map(|t| unit(t.len())).collect()
}

/// Fits the centred space with a neutral prior of zero and a direction
/// of its own for pt and es; returns whether it fitted.
fn fit(vectors: &ClaimVectors) -> bool {
    let direction = |seed: usize| unit(seed).map(|x| x * 0.3);
    let neutral = NeutralMeans {
        mean: [0.0; DIM],
        languages: vec![("pt", direction(5)), ("es", direction(9))],
    };
    vectors.recentre(&neutral).unwrap()
}

#[test]
fn a_text_is_embedded_once_and_its_claims_are_found_by_it() {
    let vectors = ClaimVectors::in_memory();
    let embedded = vectors
        .update(
            &[
                text("a", "xx", "pt"),
                text("b", "xx", "pt"),
                text("c", "yyy", "pt"),
            ],
            fake_embed,
        )
        .unwrap();
    assert_eq!(embedded, 2);
    assert_eq!(
        vectors
            .update(&[text("d", "xx", "pt")], |_| -> Vec<[f32; DIM]> {
                panic!("already embedded")
            })
            .unwrap(),
        0
    );
    // Nothing is found by meaning before the space is fitted.
    assert!(vectors.nearest(&unit(2), "pt", 0.0, 10).unwrap().is_empty());
    assert!(fit(&vectors));
    assert!(!fit(&vectors), "nothing moved");
    let near = vectors.nearest(&unit(2), "pt", 0.9, 10).unwrap();
    let ids: Vec<&str> = near.iter().map(|n| n.claim_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "d"]);
    // Three claims of one text take one place: the next text has the
    // second.
    let two: Vec<String> = vectors
        .nearest(&unit(2), "pt", -1.0, 2)
        .unwrap()
        .into_iter()
        .map(|n| n.claim_id)
        .collect();
    assert_eq!(two, ["a", "b", "d", "c"]);
    assert!((near[0].cosine - 1.0).abs() < 0.01);
    // One claim's cosine is the one the search gives it; a claim
    // unknown to the vectors has none.
    for n in &near {
        let cosine = vectors.cosine(&unit(2), "pt", &n.claim_id).unwrap();
        assert!((cosine.unwrap() - n.cosine).abs() < 1e-4);
    }
    let far = vectors.cosine(&unit(2), "pt", "c").unwrap().unwrap();
    assert!(far < 0.9, "c's text is another vector: {far}");
    assert_eq!(vectors.cosine(&unit(2), "pt", "nobody").unwrap(), None);
    // A new text: the next fit embeds it alone as a query, not the
    // whole sample again.
    vectors
        .update(&[text("e", "zzzz", "pt")], fake_embed)
        .unwrap();
    assert!(fit(&vectors), "a new text moves the mean");
}

#[test]
fn two_claims_are_as_near_as_a_caption_of_one_is_to_the_other() {
    let vectors = ClaimVectors::in_memory();
    vectors
        .update(
            &[
                text("pt-claim", "xx", "pt"),
                text("es-claim", "yyy", "es"),
                text("pt-same-text", "xx", "pt"),
                text("later", "zzzz", "pt"),
            ],
            fake_embed,
        )
        .unwrap();
    assert_eq!(vectors.between("pt-claim", "es-claim").unwrap(), None);
    assert!(fit(&vectors));
    let between = vectors.between("pt-claim", "es-claim").unwrap().unwrap();
    // The same number as a caption with the first claim's vector, read
    // in its language, gets for the second; and the same both ways.
    let as_caption = vectors.cosine(&unit(2), "pt", "es-claim").unwrap().unwrap();
    assert!(
        (between - as_caption).abs() < 0.02,
        "{between} {as_caption}"
    );
    let back = vectors.between("es-claim", "pt-claim").unwrap().unwrap();
    assert!((between - back).abs() < 0.02, "{between} {back}");
    assert!(between < 0.9, "two vectors: {between}");
    let same = vectors
        .between("pt-claim", "pt-same-text")
        .unwrap()
        .unwrap();
    assert!(same > 0.99, "one text: {same}");
    assert_eq!(vectors.between("pt-claim", "nobody").unwrap(), None);
}

#[test]
fn a_changed_or_retracted_claim_leaves_its_old_text() {
    let vectors = ClaimVectors::in_memory();
    vectors
        .update(&[text("a", "xx", "pt")], fake_embed)
        .unwrap();
    vectors
        .update(&[text("a", "yyy", "pt")], fake_embed)
        .unwrap();
    fit(&vectors);
    assert!(vectors.nearest(&unit(2), "pt", 0.9, 10).unwrap().is_empty());
    assert_eq!(vectors.nearest(&unit(3), "pt", 0.9, 10).unwrap().len(), 1);
    vectors.unlink("a").unwrap();
    assert!(vectors.nearest(&unit(3), "pt", 0.9, 10).unwrap().is_empty());
}

#[test]
fn a_text_the_encoder_does_not_read_gives_its_claim_no_vector() {
    // "zz..." stands for a text in a script the encoder does not read.
    let reads = |texts: &[&str]| -> Vec<Option<[f32; DIM]>> {
        texts
            .iter()
            .map(|t| (!t.starts_with('z')).then(|| unit(t.len())))
            .collect()
    };
    let vectors = ClaimVectors::in_memory();
    let embedded = vectors
        .update(&[text("a", "xx", "pt"), text("b", "zzz", "pt")], reads)
        .unwrap();
    assert_eq!(embedded, 1);
    assert_eq!((vectors.claims(), vectors.claims_unread()), (1, 1));
    assert_eq!(vectors.texts(), 1, "nothing is kept for the text not read");
    // A claim rewritten in a script the encoder does not read loses its
    // old text's vector rather than keeping it.
    vectors.update(&[text("a", "zz", "pt")], reads).unwrap();
    fit(&vectors);
    assert!(vectors.nearest(&unit(2), "pt", 0.0, 10).unwrap().is_empty());
    assert_eq!((vectors.claims(), vectors.claims_unread()), (0, 2));
    // Read again, or retracted, it is no longer counted as unread.
    vectors.update(&[text("a", "yyy", "pt")], reads).unwrap();
    vectors.unlink("b").unwrap();
    assert_eq!((vectors.claims(), vectors.claims_unread()), (1, 0));
}

#[test]
fn vectors_survive_a_restart_and_a_torn_record_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors.bin");
    {
        let vectors = ClaimVectors::open(&path, MODEL).unwrap();
        vectors
            .update(&[text("a", "xx", "pt"), text("b", "yyy", "pt")], fake_embed)
            .unwrap();
    }
    // A crash in the middle of appending a third record.
    let mut file = OpenOptions::new().append(true).open(&path).unwrap();
    file.write_all(&[1u8; RECORD / 2]).unwrap();
    drop(file);
    let vectors = ClaimVectors::open(&path, MODEL).unwrap();
    assert_eq!(vectors.texts(), 2);
    assert_eq!(
        vectors
            .update(&[text("a", "xx", "pt")], |_| -> Vec<[f32; DIM]> {
                panic!("kept on disk")
            })
            .unwrap(),
        0
    );
    fit(&vectors);
    assert_eq!(
        vectors.nearest(&unit(2), "pt", 0.9, 10).unwrap()[0].claim_id,
        "a"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().len() as usize,
        MAGIC.len() + 32 + 2 * RECORD
    );
    drop(vectors);
    // Another model's vectors are not this one's.
    let other = ClaimVectors::open(&path, &"ab".repeat(32)).unwrap();
    assert_eq!(other.texts(), 0);
    assert_eq!(
        other.update(&[text("a", "xx", "pt")], fake_embed).unwrap(),
        1
    );
}

#[test]
fn vectors_read_with_the_old_prefixes_are_computed_again() {
    // A file written before the service read texts alone: its header
    // names the model's digest only, and its vectors were of `query: ` /
    // `passage: ` texts, in another space from today's captions'.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors.bin");
    let mut old = MAGIC.to_vec();
    for pair in MODEL.as_bytes().chunks_exact(2) {
        old.push(u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap());
    }
    old.extend_from_slice(&key_of("xx"));
    old.extend_from_slice(&1f32.to_le_bytes());
    old.extend_from_slice(&[1u8; DIM]);
    std::fs::write(&path, &old).unwrap();
    let vectors = ClaimVectors::open(&path, MODEL).unwrap();
    assert_eq!(vectors.texts(), 0, "the prefixed vector is not kept");
    assert_eq!(
        vectors
            .update(&[text("a", "xx", "pt")], fake_embed)
            .unwrap(),
        1,
        "the text is embedded again"
    );
    drop(vectors);
    let reopened = ClaimVectors::open(&path, MODEL).unwrap();
    assert_eq!(reopened.texts(), 1, "and kept from then on");
}

#[test]
fn the_integer_scan_finds_what_an_exact_scan_finds() {
    // Texts whose vectors lie all around the floor: a query and
    // noisy copies of it at every distance.
    let mut rng = fastrand::Rng::with_seed(11);
    let mut query = [0f32; DIM];
    query.iter_mut().for_each(|v| *v = rng.f32() - 0.5);
    let norm = query.iter().map(|v| v * v).sum::<f32>().sqrt();
    query.iter_mut().for_each(|v| *v /= norm);
    let texts: Vec<String> = (0..2_000).map(|i| format!("text {i}")).collect();
    let noisy = |text: &str| {
        let i: usize = text[5..].parse().unwrap_or(0);
        let noise = i as f32 / 1_000.0;
        let mut v = query;
        let mut rng = fastrand::Rng::with_seed(i as u64);
        v.iter_mut()
            .for_each(|x| *x += noise * (rng.f32() - 0.5) / 5.0);
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= n);
        v
    };
    // Claims in two languages, so both language slots are scanned.
    let claims: Vec<ClaimText<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| ClaimText::everywhere(t, t, if i % 2 == 0 { "pt" } else { "es" }))
        .collect();
    let vectors = ClaimVectors::in_memory();
    vectors
        .update(&claims, |batch| batch.iter().map(|t| noisy(t)).collect())
        .unwrap();
    fit(&vectors);
    let set = vectors.read().unwrap();
    let centre = set.centre.as_ref().unwrap();
    let centred = centre.query(&query, slot_of("pt"));
    for floor in [0.5, 0.8, 0.9, 0.95] {
        let mut exact: Vec<(f32, u32)> = (0..set.values.len())
            .map(|row| {
                let (values, scale, slot) = (set.values.row(row), set.scales[row], set.slots[row]);
                let length = centre.length(&values, scale, slot);
                let cosine = cosine_of(&centred, usize::from(slot), &values, scale, length);
                (cosine, row as u32)
            })
            .filter(|(cosine, _)| *cosine >= floor)
            .collect();
        exact.sort_by(|a, b| b.0.total_cmp(&a.0));
        let found = vectors.nearest(&query, "pt", floor, usize::MAX).unwrap();
        assert!(
            exact.len() > 10 && exact.len() < 2_000,
            "{floor}: {}",
            exact.len()
        );
        assert_eq!(found.len(), exact.len(), "floor {floor}");
        for (near, (cosine, _)) in found.iter().zip(&exact) {
            assert_eq!(near.cosine, *cosine);
        }
        // The nearest few are the exact scan's nearest few (only the rows
        // that may be among them are scored exactly).
        let few = vectors.nearest(&query, "pt", floor, 3).unwrap();
        let exact_few: Vec<f32> = exact.iter().take(3).map(|(c, _)| *c).collect();
        assert_eq!(few.iter().map(|n| n.cosine).collect::<Vec<_>>(), exact_few);
        // Several queries in one pass find what each finds alone.
        let far = noisy("text 1999");
        let each = vectors
            .nearest_each(&[query, far], "pt", Audience::EVERYONE, floor, 7)
            .unwrap();
        assert_eq!(each[0], vectors.nearest(&query, "pt", floor, 7).unwrap());
        assert_eq!(each[1], vectors.nearest(&far, "pt", floor, 7).unwrap());
    }
}

/// A vector at `noise` from `base`: the larger the noise, the farther.
fn near_to(base: &[f32; DIM], noise: f32, seed: u64) -> [f32; DIM] {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut v = *base;
    v.iter_mut().for_each(|x| *x += noise * (rng.f32() - 0.5));
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.map(|x| x / n)
}

#[test]
fn claims_of_other_markets_or_out_of_date_never_take_the_callers_places() {
    let mut rng = fastrand::Rng::with_seed(3);
    let mut query = [0f32; DIM];
    query.iter_mut().for_each(|v| *v = rng.f32() - 0.5);
    let query = near_to(&query, 0.0, 0);
    // Nearest first: an expired Brazilian check, six Argentine ones, a
    // text checked in Argentina and in Brazil, a Brazilian check, one
    // for every market; then far ones, so the space has a spread.
    let (br, ar) = (["BR".to_string()], ["AR".to_string()]);
    let (day, now) = (86_400_000i64, 1_780_000_000_000i64);
    let mut claims = vec![ClaimText {
        valid_until_ms: Some(now - day),
        ..ClaimText {
            markets: &br,
            ..text("br-expired", "t0", "pt")
        }
    }];
    let names: Vec<(String, String)> = (1..=6)
        .map(|i| (format!("ar-{i}"), format!("t{i}")))
        .collect();
    claims.extend(names.iter().map(|(id, t)| ClaimText {
        markets: &ar,
        ..text(id, t, "pt")
    }));
    claims.push(ClaimText {
        markets: &ar,
        ..text("ar-shared", "t7", "pt")
    });
    claims.push(ClaimText {
        markets: &br,
        ..text("br-shared", "t7", "pt")
    });
    claims.push(ClaimText {
        valid_from_ms: Some(now - day),
        ..ClaimText {
            markets: &br,
            ..text("br-1", "t8", "pt")
        }
    });
    claims.push(text("everywhere", "t9", "pt"));
    let far: Vec<(String, String)> = (10..60)
        .map(|i| (format!("far-{i}"), format!("t{i}")))
        .collect();
    claims.extend(far.iter().map(|(id, t)| text(id, t, "pt")));
    let embed = |texts: &[&str]| -> Vec<[f32; DIM]> {
        texts
            .iter()
            .map(|t| {
                let i: u64 = t[1..].parse().unwrap();
                let noise = if i < 10 { 0.03 * (i + 1) as f32 } else { 2.0 };
                near_to(&query, noise, 100 + i)
            })
            .collect()
    };
    let vectors = ClaimVectors::in_memory();
    vectors.update(&claims, embed).unwrap();
    fit(&vectors);
    let ids = |audience: Audience<'_>, limit: usize| -> Vec<String> {
        vectors
            .nearest_each(&[query], "pt", audience, 0.2, limit)
            .unwrap()
            .remove(0)
            .into_iter()
            .map(|n| n.claim_id)
            .collect()
    };
    let everyone = ids(Audience::EVERYONE, 5);
    assert_eq!(everyone, ["br-expired", "ar-1", "ar-2", "ar-3", "ar-4"]);
    let brazil = Audience {
        market: "BR",
        at_ms: Some(now),
    };
    assert_eq!(ids(brazil, 5), ["br-shared", "br-1", "everywhere"]);
    // Before its validity, the Brazilian check is not the caller's;
    // the expired one was, then.
    let earlier = Audience {
        at_ms: Some(now - 2 * day),
        ..brazil
    };
    assert_eq!(ids(earlier, 2), ["br-expired", "br-shared"]);
    // A market no claim names gets the claims for every market.
    let chile = Audience {
        market: "CL",
        at_ms: Some(now),
    };
    assert_eq!(ids(chile, 5), ["everywhere"]);
    // A claim moved to another market is found there and no longer here.
    vectors
        .update(
            &[ClaimText {
                markets: &ar,
                ..text("br-1", "t8", "pt")
            }],
            |_| -> Vec<[f32; DIM]> { panic!("same text") },
        )
        .unwrap();
    assert_eq!(ids(brazil, 5), ["br-shared", "everywhere"]);
    let argentina = Audience {
        market: "AR",
        at_ms: Some(now),
    };
    assert_eq!(ids(argentina, 9).len(), 9);
    assert!(ids(argentina, 9).contains(&"br-1".to_string()));
}

#[test]
fn through_the_signs_a_search_finds_what_the_full_scan_finds() {
    // 5,000 texts: a thousand (the fewest kept) are scored exactly for
    // each sentence. Around each of three queries, texts at every
    // distance; the rest far from all.
    let mut rng = fastrand::Rng::with_seed(21);
    let queries: Vec<[f32; DIM]> = (0..3)
        .map(|_| near_to(&std::array::from_fn(|_| rng.f32() - 0.5), 0.0, 0))
        .collect();
    let vector_of = |text: &str| -> [f32; DIM] {
        let i: usize = text[1..].parse().unwrap();
        let noise = if i < 600 {
            0.002 * (i % 200) as f32
        } else {
            3.0
        };
        near_to(&queries[i % 3], noise, 1_000 + i as u64)
    };
    let embed = |texts: &[&str]| texts.iter().map(|t| vector_of(t)).collect::<Vec<_>>();
    let texts: Vec<String> = (0..5_000).map(|i| format!("t{i}")).collect();
    let (br, ar) = (["BR".to_string()], ["AR".to_string()]);
    let claims: Vec<ClaimText<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| ClaimText {
            markets: if i % 2 == 0 { &br } else { &ar },
            ..text(t, t, if i % 4 == 1 { "es" } else { "pt" })
        })
        .collect();
    let (full, signs) = (
        ClaimVectors::in_memory(),
        ClaimVectors::in_memory().with_signs_from(1),
    );
    for vectors in [&full, &signs] {
        vectors.update(&claims, embed).unwrap();
        fit(vectors);
    }
    let through_signs = |vectors: &ClaimVectors| {
        let set = vectors.read().unwrap();
        set.signs.len() == set.values.len()
    };
    assert!(through_signs(&signs) && !through_signs(&full));
    let brazil = Audience {
        market: "BR",
        at_ms: None,
    };
    let compare = |what: &str| {
        for audience in [Audience::EVERYONE, brazil] {
            for floor in [0.2, 0.6] {
                let want = full
                    .nearest_each(&queries, "pt", audience, floor, 5)
                    .unwrap();
                let got = signs
                    .nearest_each(&queries, "pt", audience, floor, 5)
                    .unwrap();
                assert!(want.iter().all(|w| w.len() == 5), "{what}");
                assert_eq!(got, want, "{what}, {audience:?}, floor {floor}");
            }
        }
    };
    compare("first fit");
    // Texts added after the fit get their signs too: the nearest of all
    // to the first query is found.
    let nearest = [text("new", "nearest of all", "pt")];
    let exactly = |_: &[&str]| vec![queries[0]];
    for vectors in [&full, &signs] {
        vectors.update(&nearest, exactly).unwrap();
        let first = vectors.nearest(&queries[0], "pt", 0.2, 1).unwrap();
        assert_eq!(first[0].claim_id, "new");
    }
    assert!(through_signs(&signs));
    compare("a text added");
}

#[test]
fn after_a_restart_the_centred_space_is_the_one_before() {
    use crate::claims::{load::ParsedClaim, model::Claim};
    let store = ClaimStore::open_in_memory().unwrap();
    let claims: Vec<ParsedClaim> = (0..300)
        .map(|i| ParsedClaim {
            position: String::new(),
            line: 1,
            claim: Claim {
                id: format!("c{i}"),
                partner: "p".into(),
                text: format!("Cédulas marcadas na seção {i} da zona {}", i * 7 % 13),
                language: if i % 2 == 0 { "pt" } else { "es" }.into(),
                ..Claim::default()
            },
            raw: "{}".into(),
        })
        .collect();
    store.write_batch(&claims).unwrap();
    let encoder = crate::matcher::semantic::shipped_encoder().unwrap();
    let query = encoder.embed(&["as cédulas da seção 12 já vieram marcadas"], READING)[0];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors.bin");
    let before = {
        let vectors = ClaimVectors::open(&path, MODEL).unwrap();
        while vectors.catch_up(&store, &encoder, 64, 32).unwrap().0 > 0 {}
        vectors.nearest(&query, "pt", -1.0, 20).unwrap()
    };
    assert_eq!(before.len(), 20);
    let vectors = ClaimVectors::open(&path, MODEL).unwrap();
    // The replay's first step embeds nothing and fits nothing: its
    // part of the query sample is not the claims'.
    assert_eq!(vectors.catch_up(&store, &encoder, 64, 32).unwrap(), (64, 0));
    assert!(vectors.nearest(&query, "pt", -1.0, 1).unwrap().is_empty());
    while vectors.catch_up(&store, &encoder, 64, 32).unwrap().0 > 0 {}
    assert_eq!(vectors.nearest(&query, "pt", -1.0, 20).unwrap(), before);
}

#[test]
fn a_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors.bin");
    std::fs::write(&path, b"not vectors at all").unwrap();
    let err = ClaimVectors::open(&path, MODEL).unwrap_err();
    assert!(err.to_string().contains("not a claim vector file"), "{err}");
}

//! The hot functions of scoring, on seeded synthetic data (no files
//! needed): caption parsing, sentences and windows, retrieval with feature
//! extraction, and the whole rank (retrieval, features, model, grouping).
//!
//!     cargo bench --bench pipeline

use std::hint::black_box;

use claimsignal::captions::{self, srt};
use claimsignal::claims::{ClaimFormat, ClaimStore, LoadDefaults, import};
use claimsignal::index::ClaimIndex;
use claimsignal::matcher::{Content, Matcher, Scope};
use claimsignal::synthetic::Generator;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CLAIMS: u64 = 20_000;

fn index(generator: &Generator) -> (ClaimStore, ClaimIndex) {
    let store = ClaimStore::open_in_memory().expect("an in-memory store");
    let defaults = LoadDefaults {
        partner: "bench".into(),
        ..LoadDefaults::default()
    };
    let parsed = import::parse(
        &generator.claims_jsonl(0..CLAIMS),
        ClaimFormat::Jsonl,
        &defaults,
    );
    store.write_batch(&parsed.claims).expect("claims written");
    let index = ClaimIndex::in_memory(&store).expect("an index");
    (store, index)
}

fn captions(c: &mut Criterion) {
    let generator = Generator::new(42);
    let transcripts: Vec<String> = (0..64)
        .map(|n| generator.transcript_srt(n, CLAIMS).0)
        .collect();
    let mut group = c.benchmark_group("captions");
    group.throughput(Throughput::Elements(transcripts.len() as u64));
    group.bench_function("parse 60 s SRT", |b| {
        b.iter(|| {
            for text in &transcripts {
                black_box(srt::parse(black_box(text)));
            }
        })
    });
    let parsed: Vec<_> = transcripts.iter().map(|t| srt::parse(t).segments).collect();
    group.bench_function("sentences and windows", |b| {
        b.iter(|| {
            for segments in &parsed {
                let sentences = captions::sentences(black_box(segments));
                black_box(captions::windows(&sentences));
            }
        })
    });
    group.finish();
}

fn matching(c: &mut Criterion) {
    let generator = Generator::new(42);
    let (_store, index) = index(&generator);
    let matcher = Matcher::default();
    let scope = Scope {
        market: String::new(),
        observed_ms: 1_790_000_000_000,
        dated: false,
        deadline: None,
        short_video: false,
    };
    let posts: Vec<_> = (0..256)
        .map(|n| {
            let (text, language) = generator.post(n, CLAIMS);
            matcher
                .prepare(&Content::Text(text), language, "")
                .expect("a post has words")
        })
        .collect();
    let transcripts: Vec<_> = (0..32)
        .map(|n| {
            let (srt, language) = generator.transcript_srt(n, CLAIMS);
            matcher
                .prepare(&Content::Srt(srt), language, "")
                .expect("a transcript has words")
        })
        .collect();

    for (name, inputs) in [("post", &posts), ("60 s transcript", &transcripts)] {
        let mut group = c.benchmark_group(format!("{name}, {CLAIMS} claims"));
        group.throughput(Throughput::Elements(inputs.len() as u64));
        group.bench_function("retrieve and extract features", |b| {
            b.iter(|| {
                let mut pairs = 0usize;
                for input in inputs {
                    let (windows, language) = (&input.windows, &input.language);
                    let read = claimsignal::matcher::read_windows(windows);
                    matcher
                        .for_each_candidate(&index, windows, &read, language, &scope, |_| {
                            pairs += 1
                        })
                        .expect("searched");
                }
                black_box(pairs)
            })
        });
        group.bench_function("rank (retrieve, features, model, group)", |b| {
            b.iter(|| {
                for input in inputs {
                    black_box(
                        matcher
                            .rank_windows(&index, &input.windows, &input.language, &scope, 0.0)
                            .expect("ranked"),
                    );
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, captions, matching);
criterion_main!(benches);

//! The same pipeline run in-process on every core without gRPC, and plain
//! Tantivy BM25 on the same inputs (`--baseline`).

use std::time::{Duration, Instant};

use serde::Serialize;

use super::corpus::Corpus;
use crate::index::{ClaimIndex, searched_text};
use crate::matcher::{Matcher, ScoreInput};

/// Plain BM25 retrieval (see `baseline`) measured in the same run.
#[derive(Debug, Default, Serialize)]
pub struct BaselineReport {
    /// Inputs searched per second on one thread (every window of an
    /// input, top 10 each).
    pub one_thread_per_second: f64,
    /// Inputs searched per second on every core.
    pub per_second: f64,
    /// The pipeline in-process over plain BM25, both on every core.
    pub in_process_to_baseline: f64,
    /// The pipeline over gRPC over plain BM25 in-process on every core.
    pub grpc_to_baseline: f64,
}

/// The threads the in-process and baseline runs use: one per core.
pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `requests` requests through the server's pipeline in-process on
/// every core (caption parsing, cleaning, windows, language, retrieval,
/// reranking, thresholds, duplicate grouping), without gRPC or hit
/// logging; returns requests per second.
pub(super) fn in_process(
    index: &ClaimIndex,
    matcher: &Matcher,
    inputs: &[ScoreInput],
    requests: usize,
    max_seconds: u64,
) -> f64 {
    let threads = cores();
    throughput(
        threads,
        inputs.len(),
        requests,
        max_seconds,
        || (),
        |_, i| {
            let _ = std::hint::black_box(matcher.score(index, &inputs[i]));
        },
    )
}

/// Runs `requests` requests cycling through `inputs` inputs on `threads`
/// threads, each with its own state from `state`; `run` handles input
/// `i`. Returns requests per second. Each thread first runs every input
/// once, untimed: the server's scoring threads remember what they learn
/// of claims, and have had the whole gRPC run to learn it.
pub(super) fn throughput<S>(
    threads: usize,
    inputs: usize,
    requests: usize,
    max_seconds: u64,
    state: impl Fn() -> S + Sync,
    run: impl Fn(&mut S, usize) + Sync,
) -> f64 {
    let warm = std::sync::Barrier::new(threads + 1);
    let mut started = Instant::now();
    let (next, done) = (
        std::sync::atomic::AtomicUsize::new(0),
        std::sync::atomic::AtomicUsize::new(0),
    );
    std::thread::scope(|threads_scope| {
        for _ in 0..threads {
            let (next, done, warm, state, run) = (&next, &done, &warm, &state, &run);
            threads_scope.spawn(move || {
                let mut state = state();
                let warm_until = Instant::now() + Duration::from_secs(max_seconds);
                for i in (0..inputs).take_while(|_| Instant::now() < warm_until) {
                    run(&mut state, i);
                }
                warm.wait();
                let stop_at = Instant::now() + Duration::from_secs(max_seconds);
                // Requests are taken one at a time from a shared count, so
                // no thread idles while another still has a share to do.
                while Instant::now() < stop_at {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    run(&mut state, i % inputs);
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        warm.wait();
        started = Instant::now();
    });
    done.into_inner() as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

/// Measures plain BM25 (see `baseline`) on the corpus's claims, searching
/// every window of every input: on one thread, then on every core.
pub(super) fn baseline(
    corpus: &Corpus,
    windows: &[Vec<String>],
    requests: usize,
    max_seconds: u64,
) -> anyhow::Result<(f64, f64)> {
    let mut texts = Vec::new();
    for claims in corpus.parsed() {
        texts.extend(claims?.iter().map(|parsed| searched_text(&parsed.claim)));
    }
    let engine = super::super::baseline::Baseline::build(texts)?;
    let search = |analyzer: &mut tantivy::tokenizer::TextAnalyzer, i: usize| {
        for text in &windows[i] {
            let _ = std::hint::black_box(engine.search(analyzer, text));
        }
    };
    let run = |threads| {
        throughput(
            threads,
            windows.len(),
            requests,
            max_seconds,
            super::super::baseline::analyzer,
            search,
        )
    };
    Ok((run(1), run(cores())))
}

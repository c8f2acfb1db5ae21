//! Content scored, and each match at or above `review` logged as a hit
//! before the answer (unless the request is a dry run).
//!
//! Limits: `limits.max_content_bytes` of text, `limits.max_segments`
//! segments, at most [`MAX_MATCHES`] matches, the caller's deadline
//! (checked before scoring and before logging: a caller that has given up
//! gets no hit); on a stream, [`StreamPolicy`]. A hit is made here, in
//! [`hits_of`], from the request and its matches.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::App;
use crate::config::Limits;
use crate::error::{Error, Result};
use crate::hits::NewHit;
use crate::matcher::{Content, Level, MAX_MATCHES, ScoreInput, ScoreOutcome};

/// Content up to this many bytes (a post, a title, a few caption lines:
/// one or two windows) against an index of up to `INLINE_MAX_CLAIMS`
/// claims takes a fraction of a millisecond to score, and is scored on the
/// runtime thread that received it: handing it to the scoring pool and
/// back would cost two thread wake-ups, as much as the scoring. Longer
/// content (a transcript), or any content against a larger index (a post
/// against a million claims takes milliseconds), goes to the pool, so it
/// never holds up the runtime's other calls. So does all content when
/// matching by meaning is on: a caption of election talk runs the
/// encoder, 8 ms a sentence and 75 ms for a 25-sentence video on one
/// core, which the runtime's two threads must not wait on (mixed traffic,
/// `bench --synthetic 10000 --synthetic-mixed 2000 --requests 4000`,
/// 2-core EPYC, 2026-12-05: 4,575 and 4,365 requests/s against 5,092 and
/// 4,997 inline, p99 12.5-12.9 against 12.2-12.8 ms).
const INLINE_SCORE_BYTES: usize = 1_024;
const INLINE_MAX_CLAIMS: u64 = 200_000;

/// Requests of one `ScoreStream` scored at the same time; responses go
/// out as they finish, each carrying its request id.
const STREAM_CONCURRENCY: usize = 16;

/// A scored request, with the hit id of each logged match.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The matches, best first.
    pub outcome: ScoreOutcome,
    /// Per match, its hit id when it was logged.
    pub hit_ids: Vec<Option<u64>>,
    /// The minimum confidence applied: the request's, else the review
    /// threshold.
    pub min_confidence: f32,
}

/// Matches returned and hits logged, by level, since the service started.
#[derive(Debug, Default)]
pub struct ScoreCounts {
    matches: [AtomicU64; 3],
    hits: [AtomicU64; 3],
}

/// A snapshot of [`ScoreCounts`], indexed by level (none, review, auto).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScoredSoFar {
    /// Matches returned to callers.
    pub matches: [u64; 3],
    /// Hits logged.
    pub hits: [u64; 3],
}

impl ScoreCounts {
    fn count(&self, outcome: &ScoreOutcome, logged: bool) {
        for found in &outcome.matches {
            let level = found.level as usize;
            self.matches[level].fetch_add(1, Ordering::Relaxed);
            if logged && found.level >= Level::Review {
                self.hits[level].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Returns the counts so far.
    pub fn snapshot(&self) -> ScoredSoFar {
        let read = |counts: &[AtomicU64; 3]| counts.each_ref().map(|c| c.load(Ordering::Relaxed));
        ScoredSoFar {
            matches: read(&self.matches),
            hits: read(&self.hits),
        }
    }
}

/// How a stream of score requests is served.
#[derive(Debug, Clone, Copy)]
pub struct StreamPolicy {
    /// Requests of one stream scored at the same time.
    pub concurrency: usize,
    /// Silence after which the stream is ended
    /// (`limits.score_stream_idle_seconds`).
    pub idle: Duration,
}

impl App {
    /// Returns how streams of score requests are served.
    pub fn stream_policy(&self) -> StreamPolicy {
        StreamPolicy {
            concurrency: STREAM_CONCURRENCY,
            idle: Duration::from_secs(self.config.limits.score_stream_idle_seconds),
        }
    }

    /// Scores content and, unless it is a dry run, logs every match at or
    /// above `review` durably before returning. Past `deadline`, stops
    /// before logging anything. The scoring threads are shared fairly
    /// between callers (see `turns.rs`); `caller` names whose turn this
    /// request takes.
    pub async fn score(
        self: &Arc<Self>,
        mut input: ScoreInput,
        deadline: Option<Instant>,
        caller: &str,
    ) -> Result<Scored> {
        let expired = || deadline.is_some_and(|d| Instant::now() >= d);
        if expired() {
            return Err(Error::DeadlineExceeded(
                "the caller's deadline passed before scoring started".into(),
            ));
        }
        let content_bytes = check(&self.config.limits, &mut input)?;
        let min_confidence = *input
            .min_confidence
            .get_or_insert(self.matcher.default_min_confidence());
        input.deadline = deadline;
        let inline = content_bytes <= INLINE_SCORE_BYTES
            && self.active_claims() <= INLINE_MAX_CLAIMS
            && self.matcher.semantic().is_none();
        let (input, outcome) = if inline {
            let outcome = self.score_now(&input);
            (input, outcome)
        } else {
            // The input goes to the scoring thread and comes back with the
            // outcome (its content can be a megabyte: it is not copied).
            let app = self.clone();
            self.scoring
                .run(caller, move || {
                    let outcome = app.score_now(&input);
                    (input, outcome)
                })
                .await
                .map_err(|_| Error::Internal("scoring thread lost the request".into()))?
        };
        let outcome = outcome?;
        // Nothing half-done is logged: a caller that has given up gets no hit.
        if expired() {
            return Err(Error::DeadlineExceeded(
                "the caller's deadline passed while scoring; no hit was logged".into(),
            ));
        }
        if !input.dry_run {
            // Every video looked at, matched or not: a report's denominator.
            self.hits.count_scan(
                input.observed_at,
                &input.market,
                input.source,
                &outcome.language,
            );
        }
        let mut hit_ids = vec![None; outcome.matches.len()];
        if input.dry_run {
            self.scored.count(&outcome, false);
            return Ok(Scored {
                outcome,
                hit_ids,
                min_confidence,
            });
        }
        let (positions, new_hits) = hits_of(&input, &outcome);
        let ids = self.hits.log(new_hits).await?;
        self.scored.count(&outcome, true);
        for (position, id) in positions.into_iter().zip(ids) {
            hit_ids[position] = Some(id);
        }
        Ok(Scored {
            outcome,
            hit_ids,
            min_confidence,
        })
    }

    /// Scores on this thread; a panic must not take the thread (rayon
    /// would abort) and becomes an internal error.
    fn score_now(&self, input: &ScoreInput) -> Result<ScoreOutcome> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.matcher.score(&self.index, input)
        }))
        .unwrap_or_else(|_| Err(Error::Internal("scoring panicked".into())))
    }
}

/// Checks a request against the limits, fills in the number of
/// matches it gets, and returns the bytes of its content.
fn check(limits: &Limits, input: &mut ScoreInput) -> Result<usize> {
    if !input.dry_run && input.video_id.trim().is_empty() {
        return Err(Error::invalid(
            "`video_id` is empty: a scored video is logged under its id; send one, or set `dry_run`",
        ));
    }
    input.max_matches = match input.max_matches {
        0 => MAX_MATCHES,
        n if n <= MAX_MATCHES => n,
        n => {
            return Err(Error::invalid(format!(
                "`max_matches` {n} is over the limit of {MAX_MATCHES}"
            )));
        }
    };
    if let Some(value) = input.min_confidence
        && !(0.0..=1.0).contains(&value)
    {
        return Err(Error::invalid(format!(
            "`min_confidence` {value} is outside [0, 1]"
        )));
    }
    let content_bytes = match &input.content {
        Content::Text(text) | Content::WebVtt(text) | Content::Srt(text) => text.len(),
        Content::Segments(segments) => {
            if segments.len() > limits.max_segments {
                return Err(Error::ResourceExhausted(format!(
                    "{} segments, over max_segments ({})",
                    segments.len(),
                    limits.max_segments
                )));
            }
            segments.iter().map(|s| s.text.len()).sum()
        }
    };
    if content_bytes > limits.max_content_bytes {
        return Err(Error::ResourceExhausted(format!(
            "content is {content_bytes} bytes, over max_content_bytes ({})",
            limits.max_content_bytes
        )));
    }
    Ok(content_bytes)
}

/// Returns the hits a scored request makes (its matches at or above
/// `review`), each with its position among the matches.
fn hits_of(input: &ScoreInput, outcome: &ScoreOutcome) -> (Vec<usize>, Vec<NewHit>) {
    outcome
        .matches
        .iter()
        .enumerate()
        .filter(|(_, m)| m.level >= Level::Review)
        .map(|(i, m)| {
            let hit = NewHit {
                video_id: input.video_id.clone(),
                claim_id: m.claim.id.clone(),
                partner: m.claim.partner.clone(),
                verdict: m.claim.verdict,
                market: input.market.clone(),
                language: outcome.language.clone(),
                source: input.source,
                confidence: m.confidence,
                level: m.level,
                start_ms: m.start_ms,
                end_ms: m.end_ms,
                excerpt: m.excerpt.clone(),
                observed_at: input.observed_at,
                view_count: input.view_count,
                elections: m.claim.elections.clone(),
                also_claim_ids: m.duplicates.iter().map(|d| d.id.clone()).collect(),
                stance: m.stance,
                topic: m.claim.topic(),
                matched_terms: m.matched_terms.clone(),
                meaning: m.meaning,
            };
            (i, hit)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{ContentSource, Segment};

    fn request(content: Content) -> ScoreInput {
        ScoreInput {
            request_id: String::new(),
            video_id: "v1".into(),
            market: String::new(),
            language: String::new(),
            observed_at: chrono::Utc::now(),
            observed_stated: false,
            view_count: 0,
            source: ContentSource::Unspecified,
            content,
            min_confidence: None,
            max_matches: 0,
            dry_run: false,
            deadline: None,
        }
    }

    #[test]
    fn a_score_request_over_a_limit_is_refused_naming_it() {
        let limits = Limits::default();
        let text = || Content::Text("As urnas foram fraudadas".into());
        let mut fine = request(text());
        assert_eq!(check(&limits, &mut fine).expect("within limits"), 24);
        assert_eq!(fine.max_matches, MAX_MATCHES);
        let refused = |f: &dyn Fn(&mut ScoreInput)| {
            let mut input = request(text());
            f(&mut input);
            check(&limits, &mut input).unwrap_err().to_string()
        };
        assert!(refused(&|i| i.max_matches = MAX_MATCHES + 1).contains("max_matches"));
        assert!(refused(&|i| i.min_confidence = Some(2.0)).contains("min_confidence"));
        assert!(refused(&|i| i.video_id.clear()).contains("video_id"));
        let long = "a".repeat(limits.max_content_bytes + 1);
        assert!(
            refused(&|i| i.content = Content::Text(long.clone())).contains("max_content_bytes")
        );
        let segment = Segment {
            start_ms: 0,
            end_ms: 1,
            text: "x".into(),
            speaker: None,
        };
        let many = vec![segment; limits.max_segments + 1];
        assert!(refused(&|i| i.content = Content::Segments(many.clone())).contains("max_segments"));
    }
}

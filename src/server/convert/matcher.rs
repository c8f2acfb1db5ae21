//! `claimsignal.v1.Matcher`: score requests and their matches.

use chrono::Utc;

use super::{level_to_proto, opt_time, source_from_proto, stance_to_proto, verdict_to_proto};
use crate::app::Scored;
use crate::claims::market::parse_market;
use crate::error::{Error, Result};
use crate::matcher::{ClaimMatch, Content, Level, MAX_MATCHES, ScoreInput, Segment};
use crate::proto::v1 as pb;

/// Returns the proto decision for the strongest level of a response.
pub fn decision_to_proto(level: Level) -> pb::Decision {
    match level {
        Level::None => pb::Decision::None,
        Level::Review => pb::Decision::Review,
        Level::Auto => pb::Decision::Auto,
    }
}

/// Returns timed segments as the request content that carries them.
pub fn segments_content(segments: Vec<Segment>) -> pb::score_request::Content {
    let segments = segments
        .into_iter()
        .map(|s| pb::Segment {
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            text: s.text,
            speaker: s.speaker.unwrap_or_default(),
        })
        .collect();
    pb::score_request::Content::Segments(pb::Segments { segments })
}

/// Returns the scoring input of a request; content, market and times
/// are checked here, the limits by the score journey.
pub fn score_input(request: pb::ScoreRequest) -> Result<ScoreInput> {
    let content = match request.content {
        Some(pb::score_request::Content::Text(text)) => Content::Text(text),
        Some(pb::score_request::Content::Webvtt(text)) => Content::WebVtt(text),
        Some(pb::score_request::Content::Srt(text)) => Content::Srt(text),
        Some(pb::score_request::Content::Segments(segments)) => Content::Segments(
            segments
                .segments
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    // Hits keep times as signed 64-bit integers.
                    if i64::try_from(s.start_ms.max(s.end_ms)).is_err() {
                        return Err(Error::invalid(format!(
                            "segments[{i}]: start_ms or end_ms is out of range (at most {} ms)",
                            i64::MAX
                        )));
                    }
                    Ok(Segment {
                        start_ms: s.start_ms,
                        end_ms: s.end_ms,
                        text: s.text,
                        speaker: Some(s.speaker).filter(|name| !name.trim().is_empty()),
                    })
                })
                .collect::<Result<_>>()?,
        ),
        None => {
            return Err(Error::invalid(
                "`content` is missing: send text, webvtt, srt or segments",
            ));
        }
    };
    let market = if request.market.trim().is_empty() {
        String::new()
    } else {
        parse_market(&request.market)?
    };
    // The proto's 0 is "not said": every match up to the limit. The
    // limits themselves are the score journey's (app/score.rs).
    let max_matches = match request.max_matches {
        0 => MAX_MATCHES,
        n => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let observed_at = opt_time(request.observed_at.as_ref(), "observed_at")?;
    Ok(ScoreInput {
        request_id: request.request_id,
        video_id: request.video_id,
        market,
        language: request.language,
        observed_stated: observed_at.is_some(),
        observed_at: observed_at.unwrap_or_else(Utc::now),
        view_count: request.view_count,
        source: source_from_proto(request.source)?,
        content,
        min_confidence: request.min_confidence,
        max_matches,
        dry_run: request.dry_run,
        deadline: None,
    })
}

/// Returns the proto form of a match.
pub fn match_to_proto(found: ClaimMatch, hit_id: Option<u64>) -> pb::Match {
    let claim = std::sync::Arc::unwrap_or_clone(found.claim);
    pb::Match {
        claim_id: claim.id,
        partner: claim.partner,
        verdict: verdict_to_proto(claim.verdict) as i32,
        rating_text: claim.rating_text,
        claim_text: claim.text,
        review_url: claim.review_url,
        confidence: found.confidence,
        level: level_to_proto(found.level) as i32,
        excerpt: found.excerpt,
        matched_terms: found.matched_terms,
        meaning_cosine: found.meaning,
        start_ms: found.start_ms,
        end_ms: found.end_ms,
        hit_id: hit_id.map(|id| id.to_string()).unwrap_or_default(),
        stance: stance_to_proto(found.stance) as i32,
        stance_cues: found.stance_cues,
        also_said: found
            .also_said
            .iter()
            .map(|said| pb::Stretch {
                start_ms: said.start_ms,
                end_ms: said.end_ms,
                confidence: said.confidence,
                level: level_to_proto(said.level) as i32,
            })
            .collect(),
        also_checked_by: found
            .duplicates
            .into_iter()
            .map(std::sync::Arc::unwrap_or_clone)
            .map(|card| pb::FactCheck {
                claim_id: card.id,
                partner: card.partner,
                verdict: verdict_to_proto(card.verdict) as i32,
                rating_text: card.rating_text,
                review_url: card.review_url,
            })
            .collect(),
    }
}

/// Returns the answer to a scored request.
pub fn score_response(request_id: String, video_id: String, scored: Scored) -> pb::ScoreResponse {
    let Scored {
        outcome,
        hit_ids,
        min_confidence,
    } = scored;
    pb::ScoreResponse {
        request_id,
        video_id,
        decision: decision_to_proto(outcome.decision()) as i32,
        confidence: outcome.confidence(),
        language: outcome.language,
        matches: outcome
            .matches
            .into_iter()
            .zip(hit_ids)
            .map(|(m, id)| match_to_proto(m, id))
            .collect(),
        error: None,
        min_confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_requests_content_and_market_are_checked_as_it_is_decoded() {
        let request = |f: fn(&mut pb::ScoreRequest)| {
            let mut r = pb::ScoreRequest {
                content: Some(pb::score_request::Content::Text("x".into())),
                ..Default::default()
            };
            f(&mut r);
            score_input(r)
        };
        let unsaid = request(|_| {}).expect("a plain request decodes");
        assert_eq!(
            unsaid.max_matches, MAX_MATCHES,
            "0 is every match up to the limit"
        );
        let err = request(|r| r.market = "XX".into()).unwrap_err().to_string();
        assert!(err.contains("unknown market code"), "{err}");
        let err = request(|r| r.content = None).unwrap_err().to_string();
        assert!(err.contains("content"), "{err}");
    }
}

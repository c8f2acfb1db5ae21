//! Conversions between the proto messages and the domain types. Input
//! conversions return `Error::InvalidArgument` with the field and reason.

use chrono::{DateTime, Utc};
use prost_types::Timestamp;

use crate::claims::load::{LoadDefaults, LoadReport, RecordStatus, WriteStatus};
use crate::claims::market::{parse_market, parse_markets};
use crate::claims::{Claim, ClaimStatus, Verdict};
use crate::error::{Error, Result};
use crate::hits::{Action, Hit, HitFilter, Outcome, Review, ReviewState};
use crate::matcher::{ClaimMatch, Content, ContentSource, Level, MAX_MATCHES, ScoreInput, Segment};
use crate::proto::v1 as pb;
use crate::report::{GroupBy, Summary, SummaryRow, TopClaim};

/// Returns the proto timestamp of a time.
pub fn timestamp(at: DateTime<Utc>) -> Timestamp {
    Timestamp {
        seconds: at.timestamp(),
        nanos: at.timestamp_subsec_nanos() as i32,
    }
}

/// Returns the time of a proto timestamp, or an error naming the field.
pub fn from_timestamp(ts: &Timestamp, field: &str) -> Result<DateTime<Utc>> {
    u32::try_from(ts.nanos)
        .ok()
        .and_then(|nanos| DateTime::from_timestamp(ts.seconds, nanos))
        .ok_or_else(|| Error::invalid(format!("`{field}` is not a valid timestamp")))
}

fn opt_time(ts: Option<&Timestamp>, field: &str) -> Result<Option<DateTime<Utc>>> {
    ts.map(|ts| from_timestamp(ts, field)).transpose()
}

/// Returns the proto value of a verdict.
pub fn verdict_to_proto(verdict: Verdict) -> pb::Verdict {
    match verdict {
        Verdict::False => pb::Verdict::False,
        Verdict::MostlyFalse => pb::Verdict::MostlyFalse,
        Verdict::Misleading => pb::Verdict::Misleading,
        Verdict::MissingContext => pb::Verdict::MissingContext,
        Verdict::Unproven => pb::Verdict::Unproven,
        Verdict::Satire => pb::Verdict::Satire,
        Verdict::Mixed => pb::Verdict::Mixed,
        Verdict::MostlyTrue => pb::Verdict::MostlyTrue,
        Verdict::True => pb::Verdict::True,
        Verdict::Other => pb::Verdict::Other,
    }
}

pub fn verdict_from_proto(value: i32) -> Result<Option<Verdict>> {
    let verdict = pb::Verdict::try_from(value)
        .map_err(|_| Error::invalid(format!("unknown verdict {value}")))?;
    Ok(Verdict::ALL
        .into_iter()
        .find(|v| verdict_to_proto(*v) == verdict))
}

pub fn level_to_proto(level: Level) -> pb::MatchLevel {
    match level {
        Level::None => pb::MatchLevel::None,
        Level::Review => pb::MatchLevel::Review,
        Level::Auto => pb::MatchLevel::Auto,
    }
}

fn level_from_proto(value: i32) -> Result<Level> {
    match pb::MatchLevel::try_from(value) {
        Ok(pb::MatchLevel::None) => Ok(Level::None),
        Ok(pb::MatchLevel::Review) => Ok(Level::Review),
        Ok(pb::MatchLevel::Auto) => Ok(Level::Auto),
        Err(_) => Err(Error::invalid(format!("unknown match level {value}"))),
    }
}

/// Returns the proto decision for the strongest level of a response.
pub fn decision_to_proto(level: Level) -> pb::Decision {
    match level {
        Level::None => pb::Decision::None,
        Level::Review => pb::Decision::Review,
        Level::Auto => pb::Decision::Auto,
    }
}

pub fn source_to_proto(source: ContentSource) -> pb::ContentSource {
    match source {
        ContentSource::Unspecified => pb::ContentSource::Unspecified,
        ContentSource::Caption => pb::ContentSource::Caption,
        ContentSource::SpeechTranscript => pb::ContentSource::SpeechTranscript,
        ContentSource::Ocr => pb::ContentSource::Ocr,
        ContentSource::Description => pb::ContentSource::Description,
    }
}

fn source_from_proto(value: i32) -> Result<ContentSource> {
    let source = pb::ContentSource::try_from(value)
        .map_err(|_| Error::invalid(format!("unknown content source {value}")))?;
    Ok(ContentSource::ALL
        .into_iter()
        .find(|s| source_to_proto(*s) == source)
        .unwrap_or_default())
}

/// Returns the proto form of a stored claim.
pub fn claim_to_proto(claim: Claim) -> pb::Claim {
    pb::Claim {
        id: claim.id,
        partner: claim.partner,
        text: claim.text,
        title: claim.title,
        language: claim.language,
        verdict: verdict_to_proto(claim.verdict) as i32,
        rating_text: claim.rating_text,
        review_url: claim.review_url,
        claimant: claim.claimant,
        claim_date: claim.claim_date.map(timestamp),
        review_date: claim.review_date.map(timestamp),
        markets: claim.markets,
        elections: claim.elections,
        valid_from: claim.valid_from.map(timestamp),
        valid_until: claim.valid_until.map(timestamp),
        keywords: claim.keywords,
        appearances: claim.appearances,
        explanation: claim.explanation,
        status: match claim.status {
            ClaimStatus::Active => pb::ClaimStatus::Active,
            ClaimStatus::Retracted => pb::ClaimStatus::Retracted,
        } as i32,
        sequence: claim.sequence,
        updated_at: claim.updated_at.map(timestamp),
    }
}

/// Returns the domain claim of an `UpsertClaim` request (not yet normalised).
pub fn claim_from_proto(claim: pb::Claim) -> Result<Claim> {
    let verdict = match verdict_from_proto(claim.verdict)? {
        Some(verdict) => verdict,
        None => Verdict::from_rating(&claim.rating_text),
    };
    Ok(Claim {
        id: claim.id,
        partner: claim.partner,
        text: claim.text,
        title: claim.title,
        language: claim.language,
        verdict,
        rating_text: claim.rating_text,
        review_url: claim.review_url,
        claimant: claim.claimant,
        claim_date: opt_time(claim.claim_date.as_ref(), "claim_date")?,
        review_date: opt_time(claim.review_date.as_ref(), "review_date")?,
        markets: claim.markets,
        elections: claim.elections,
        valid_from: opt_time(claim.valid_from.as_ref(), "valid_from")?,
        valid_until: opt_time(claim.valid_until.as_ref(), "valid_until")?,
        keywords: claim.keywords,
        appearances: claim.appearances,
        explanation: claim.explanation,
        ..Claim::default()
    })
}

/// Returns the load defaults of a load header.
pub fn load_defaults(header: &pb::LoadHeader) -> Result<LoadDefaults> {
    let partner = header.partner.trim().to_string();
    if partner.is_empty() {
        return Err(Error::invalid("the load header needs a partner"));
    }
    Ok(LoadDefaults {
        partner,
        language: header.default_language.clone(),
        markets: parse_markets(&header.markets)?,
        elections: header.elections.clone(),
        valid_from: opt_time(header.valid_from.as_ref(), "valid_from")?,
        valid_until: opt_time(header.valid_until.as_ref(), "valid_until")?,
        // Filled in by the engine from the server's configuration.
        rating_overrides: Default::default(),
    })
}

/// Returns the proto load response.
/// Returns the answer to a load: its counts, the refusals it listed (see
/// [`crate::claims::load::MAX_LISTED_REJECTIONS`]) and, when the load
/// asked for them, every record's outcome.
pub fn load_report_to_proto(report: LoadReport) -> pb::LoadClaimsResponse {
    let listed = report.rejections.len() as u64;
    pb::LoadClaimsResponse {
        inserted: report.inserted,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected,
        rejections_omitted: report.rejected.saturating_sub(listed),
        rejections: report
            .rejections
            .into_iter()
            .map(|r| pb::RecordRejection {
                line: r.line,
                position: r.position,
                claim_id: r.claim_id,
                reason: r.reason,
            })
            .collect(),
        sequence: report.sequence,
        retracted: report.retracted,
        records: report
            .records
            .into_iter()
            .map(|r| pb::RecordReport {
                line: r.line,
                position: r.position,
                claim_id: r.claim_id,
                status: match r.status {
                    RecordStatus::Inserted => pb::RecordStatus::Inserted,
                    RecordStatus::Updated => pb::RecordStatus::Updated,
                    RecordStatus::Unchanged => pb::RecordStatus::Unchanged,
                    RecordStatus::Retracted => pb::RecordStatus::Retracted,
                    RecordStatus::Rejected => pb::RecordStatus::Rejected,
                } as i32,
                reason: r.reason,
            })
            .collect(),
    }
}

/// Returns the proto status of a write.
pub fn write_status_to_proto(status: WriteStatus) -> pb::RecordStatus {
    match status {
        WriteStatus::Inserted => pb::RecordStatus::Inserted,
        WriteStatus::Updated => pb::RecordStatus::Updated,
        WriteStatus::Unchanged => pb::RecordStatus::Unchanged,
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

/// Validates a score request.
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
    let min_confidence = match request.min_confidence {
        None => None,
        Some(value) if (0.0..=1.0).contains(&value) => Some(value),
        Some(value) => {
            return Err(Error::invalid(format!(
                "`min_confidence` {value} is outside [0, 1]"
            )));
        }
    };
    let max_matches = match request.max_matches as usize {
        0 => MAX_MATCHES,
        n if n <= MAX_MATCHES => n,
        n => {
            return Err(Error::invalid(format!(
                "`max_matches` {n} is over the limit of {MAX_MATCHES}"
            )));
        }
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
        min_confidence,
        max_matches,
        dry_run: request.dry_run,
        deadline: None,
    })
}

/// Returns the proto stance.
pub fn stance_to_proto(stance: crate::matcher::Stance) -> pb::Stance {
    match stance {
        crate::matcher::Stance::Repeats => pb::Stance::Repeats,
        crate::matcher::Stance::Refutes => pb::Stance::Refutes,
        crate::matcher::Stance::Unclear => pb::Stance::Unclear,
    }
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

/// Returns the hit id of a request field.
pub fn hit_id(text: &str) -> Result<u64> {
    // Stores keep ids as signed 64-bit integers: a larger one would wrap.
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|id| i64::try_from(*id).is_ok())
        .ok_or_else(|| Error::invalid(format!("`hit_id` {text:?} is not a hit id")))
}

/// Returns the review outcome of a request.
pub fn outcome_from_proto(value: i32) -> Result<Outcome> {
    match pb::ReviewOutcome::try_from(value) {
        Ok(pb::ReviewOutcome::Confirmed) => Ok(Outcome::Confirmed),
        Ok(pb::ReviewOutcome::Rejected) => Ok(Outcome::Rejected),
        _ => Err(Error::invalid("`outcome` must be CONFIRMED or REJECTED")),
    }
}

/// Returns the review action of a request (NONE when unspecified).
pub fn action_from_proto(value: i32) -> Result<Action> {
    match pb::ReviewAction::try_from(value) {
        Ok(pb::ReviewAction::Unspecified | pb::ReviewAction::None) => Ok(Action::None),
        Ok(pb::ReviewAction::Removed) => Ok(Action::Removed),
        Ok(pb::ReviewAction::Labelled) => Ok(Action::Labelled),
        Ok(pb::ReviewAction::Limited) => Ok(Action::Limited),
        Err(_) => Err(Error::invalid(format!("unknown review action {value}"))),
    }
}

fn review_to_proto(review: Review) -> pb::Review {
    pb::Review {
        outcome: match review.outcome {
            Outcome::Confirmed => pb::ReviewOutcome::Confirmed,
            Outcome::Rejected => pb::ReviewOutcome::Rejected,
        } as i32,
        action: match review.action {
            Action::None => pb::ReviewAction::None,
            Action::Removed => pb::ReviewAction::Removed,
            Action::Labelled => pb::ReviewAction::Labelled,
            Action::Limited => pb::ReviewAction::Limited,
        } as i32,
        reviewer: review.reviewer,
        note: review.note,
        reviewed_at: Some(timestamp(review.reviewed_at)),
    }
}

/// Returns the proto form of a hit.
pub fn hit_to_proto(hit: Hit) -> pb::Hit {
    let h = hit.hit;
    pb::Hit {
        id: hit.id.to_string(),
        video_id: h.video_id,
        claim_id: h.claim_id,
        partner: h.partner,
        verdict: verdict_to_proto(h.verdict) as i32,
        market: h.market,
        language: h.language,
        source: source_to_proto(h.source) as i32,
        confidence: h.confidence,
        level: level_to_proto(h.level) as i32,
        start_ms: h.start_ms,
        end_ms: h.end_ms,
        excerpt: h.excerpt,
        observed_at: Some(timestamp(h.observed_at)),
        first_logged_at: Some(timestamp(hit.first_logged_at)),
        last_seen_at: Some(timestamp(hit.last_seen_at)),
        times_seen: hit.times_seen,
        view_count: h.view_count,
        elections: h.elections,
        review: hit.review.map(review_to_proto),
        also_claim_ids: h.also_claim_ids,
        stance: stance_to_proto(h.stance) as i32,
    }
}

/// Most values one list of a hit filter may hold.
pub const MAX_FILTER_VALUES: usize = 100;

/// Returns the domain filter of a request's (optional) filter.
pub fn hit_filter(filter: Option<pb::HitFilter>) -> Result<HitFilter> {
    let Some(filter) = filter else {
        return Ok(HitFilter::default());
    };
    let lists = [
        ("markets", filter.markets.len()),
        ("partners", filter.partners.len()),
        ("verdicts", filter.verdicts.len()),
        ("levels", filter.levels.len()),
        ("elections", filter.elections.len()),
        ("languages", filter.languages.len()),
        ("sources", filter.sources.len()),
        ("outcomes", filter.outcomes.len()),
    ];
    if let Some((name, count)) = lists.iter().find(|(_, n)| *n > MAX_FILTER_VALUES) {
        return Err(Error::invalid(format!(
            "`filter.{name}` has {count} values, over the limit of {MAX_FILTER_VALUES}"
        )));
    }
    let verdicts = filter
        .verdicts
        .iter()
        .map(|v| {
            verdict_from_proto(*v)?
                .ok_or_else(|| Error::invalid("VERDICT_UNSPECIFIED is not a verdict filter"))
        })
        .collect::<Result<_>>()?;
    Ok(HitFilter {
        from: opt_time(filter.from.as_ref(), "filter.from")?,
        to: opt_time(filter.to.as_ref(), "filter.to")?,
        markets: parse_markets(&filter.markets)?,
        partners: filter.partners,
        verdicts,
        levels: filter
            .levels
            .iter()
            .map(|l| level_from_proto(*l))
            .collect::<Result<_>>()?,
        elections: filter.elections,
        languages: filter
            .languages
            .iter()
            .map(|l| crate::text::primary_language(l))
            .collect(),
        sources: filter
            .sources
            .iter()
            .map(|s| source_from_proto(*s))
            .collect::<Result<_>>()?,
        outcomes: filter
            .outcomes
            .iter()
            .map(|o| match pb::ReviewOutcome::try_from(*o) {
                Ok(pb::ReviewOutcome::Confirmed) => Ok(ReviewState::Confirmed),
                Ok(pb::ReviewOutcome::Rejected) => Ok(ReviewState::Rejected),
                Ok(pb::ReviewOutcome::Pending) => Ok(ReviewState::Pending),
                _ => Err(Error::invalid(format!(
                    "`outcomes` {o} is not CONFIRMED, REJECTED or PENDING"
                ))),
            })
            .collect::<Result<_>>()?,
    })
}

/// Returns the grouping dimensions of a summary request.
pub fn group_by(values: &[i32]) -> Result<Vec<GroupBy>> {
    values
        .iter()
        .map(|value| match pb::GroupBy::try_from(*value) {
            Ok(pb::GroupBy::Market) => Ok(GroupBy::Market),
            Ok(pb::GroupBy::Partner) => Ok(GroupBy::Partner),
            Ok(pb::GroupBy::Verdict) => Ok(GroupBy::Verdict),
            Ok(pb::GroupBy::Language) => Ok(GroupBy::Language),
            Ok(pb::GroupBy::Source) => Ok(GroupBy::Source),
            Ok(pb::GroupBy::Claim) => Ok(GroupBy::Claim),
            Ok(pb::GroupBy::Level) => Ok(GroupBy::Level),
            Ok(pb::GroupBy::Month) => Ok(GroupBy::Month),
            Ok(pb::GroupBy::Election) => Ok(GroupBy::Election),
            Ok(pb::GroupBy::Outcome) => Ok(GroupBy::Outcome),
            Ok(pb::GroupBy::Action) => Ok(GroupBy::Action),
            Ok(pb::GroupBy::Day) => Ok(GroupBy::Day),
            Ok(pb::GroupBy::Week) => Ok(GroupBy::Week),
            _ => Err(Error::invalid(format!(
                "`group_by` {value} is not a grouping"
            ))),
        })
        .collect()
}

fn row_to_proto(row: SummaryRow) -> pb::SummaryRow {
    pb::SummaryRow {
        keys: row.keys,
        hits: row.hits,
        unique_videos: row.unique_videos,
        unique_claims: row.unique_claims,
        views: row.views,
        confirmed: row.confirmed,
        rejected: row.rejected,
        pending: row.pending,
        auto: row.auto,
        review: row.review,
        removed: row.removed,
        labelled: row.labelled,
        limited: row.limited,
        refutations: row.refutations,
    }
}

/// Returns the proto form of a summary.
pub fn summary_to_proto(summary: Summary) -> pb::SummarizeResponse {
    pb::SummarizeResponse {
        rows: summary.rows.into_iter().map(row_to_proto).collect(),
        totals: Some(row_to_proto(summary.totals)),
        top_claims: summary
            .top_claims
            .into_iter()
            .map(|c| pb::TopClaim {
                claim_id: c.claim_id,
                partner: c.partner,
                text: c.text,
                verdict: verdict_to_proto(c.verdict) as i32,
                review_url: c.review_url,
                hits: c.hits,
                unique_videos: c.unique_videos,
                views: c.views,
            })
            .collect(),
        markets: summary.markets,
    }
}

fn row_from_proto(row: pb::SummaryRow) -> SummaryRow {
    SummaryRow {
        keys: row.keys,
        hits: row.hits,
        unique_videos: row.unique_videos,
        unique_claims: row.unique_claims,
        views: row.views,
        confirmed: row.confirmed,
        rejected: row.rejected,
        pending: row.pending,
        auto: row.auto,
        review: row.review,
        removed: row.removed,
        labelled: row.labelled,
        limited: row.limited,
        refutations: row.refutations,
    }
}

/// Returns the domain form of a summary response (for client-side rendering).
pub fn summary_from_proto(response: pb::SummarizeResponse) -> Summary {
    Summary {
        rows: response.rows.into_iter().map(row_from_proto).collect(),
        totals: response.totals.map(row_from_proto).unwrap_or_default(),
        top_claims: response
            .top_claims
            .into_iter()
            .map(|c| TopClaim {
                verdict: verdict_from_proto(c.verdict)
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
                claim_id: c.claim_id,
                partner: c.partner,
                text: c.text,
                review_url: c.review_url,
                hits: c.hits,
                unique_videos: c.unique_videos,
                views: c.views,
            })
            .collect(),
        markets: response.markets,
    }
}

/// Returns the proto group of a dimension.
pub fn group_to_proto(group: GroupBy) -> pb::GroupBy {
    match group {
        GroupBy::Market => pb::GroupBy::Market,
        GroupBy::Partner => pb::GroupBy::Partner,
        GroupBy::Verdict => pb::GroupBy::Verdict,
        GroupBy::Language => pb::GroupBy::Language,
        GroupBy::Source => pb::GroupBy::Source,
        GroupBy::Claim => pb::GroupBy::Claim,
        GroupBy::Level => pb::GroupBy::Level,
        GroupBy::Month => pb::GroupBy::Month,
        GroupBy::Election => pb::GroupBy::Election,
        GroupBy::Outcome => pb::GroupBy::Outcome,
        GroupBy::Action => pb::GroupBy::Action,
        GroupBy::Day => pb::GroupBy::Day,
        GroupBy::Week => pb::GroupBy::Week,
    }
}

/// Returns an opaque page token for a position.
pub fn page_token(kind: &str, position: &str) -> String {
    format!("{kind}:{position}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Returns the position of an opaque page token of `kind`.
pub fn page_position(kind: &str, token: &str) -> Result<String> {
    let invalid = || Error::invalid("`page_token` is not a token this service issued");
    if !token.len().is_multiple_of(2) {
        return Err(invalid());
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(token.get(i..i + 2).ok_or_else(invalid)?, 16).map_err(|_| invalid())
        })
        .collect::<Result<Vec<u8>>>()?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    text.strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix(':'))
        .map(str::to_string)
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip_and_refuse_forgeries() {
        let token = page_token("claims", "snopes:abc");
        assert_eq!(page_position("claims", &token).unwrap(), "snopes:abc");
        assert!(page_position("hits", &token).is_err());
        assert!(page_position("claims", "zz").is_err());
        assert!(page_position("claims", "abc").is_err());
    }

    #[test]
    fn score_request_limits_are_named() {
        let request = |f: fn(&mut pb::ScoreRequest)| {
            let mut r = pb::ScoreRequest {
                content: Some(pb::score_request::Content::Text("x".into())),
                ..Default::default()
            };
            f(&mut r);
            score_input(r)
        };
        assert!(request(|_| {}).is_ok());
        let err = request(|r| r.max_matches = 500).unwrap_err().to_string();
        assert!(err.contains("max_matches"), "{err}");
        let err = request(|r| r.min_confidence = Some(2.0))
            .unwrap_err()
            .to_string();
        assert!(err.contains("min_confidence"), "{err}");
        let err = request(|r| r.market = "XX".into()).unwrap_err().to_string();
        assert!(err.contains("unknown market code"), "{err}");
        let err = request(|r| r.content = None).unwrap_err().to_string();
        assert!(err.contains("content"), "{err}");
    }

    #[test]
    fn timestamps_round_trip() {
        let at = DateTime::parse_from_rfc3339("2022-10-02T12:30:00.5Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(from_timestamp(&timestamp(at), "t").unwrap(), at);
        assert!(
            from_timestamp(
                &Timestamp {
                    seconds: 0,
                    nanos: -1
                },
                "t"
            )
            .is_err()
        );
    }
}

//! `claimsignal.v1.Reports`: hits, reviews, filters and summaries.

use super::{
    level_from_proto, level_to_proto, opt_time, source_from_proto, source_to_proto,
    stance_to_proto, timestamp, verdict_from_proto, verdict_to_proto,
};
use crate::app::HitView;
use crate::claims::market::parse_markets;
use crate::error::{Error, Result};
use crate::hits::{Action, HitFilter, Outcome, Review, ReviewInput, ReviewState};
use crate::proto::v1 as pb;
use crate::report::{GroupBy, Summary, SummaryRow, TopClaim};
use crate::vocab::Stance;

/// Returns the hit id of a request field.
pub fn hit_id(text: &str) -> Result<u64> {
    // Stores keep ids as signed 64-bit integers: a larger one would wrap.
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|id| i64::try_from(*id).is_ok())
        .ok_or_else(|| Error::invalid(format!("`hit_id` {text:?} is not a hit id")))
}

/// Returns the review a request records (an empty reviewer is the
/// caller's token name, filled in by the review journey).
pub fn review_input(request: pb::ReviewHitRequest) -> Result<ReviewInput> {
    Ok(ReviewInput {
        hit_id: hit_id(&request.hit_id)?,
        outcome: outcome_from_proto(request.outcome)?,
        action: action_from_proto(request.action)?,
        reviewer: request.reviewer,
        note: request.note,
        view_count: (request.view_count > 0).then_some(request.view_count),
    })
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

/// Returns the proto form of a hit as a reviewer sees it.
pub fn hit_to_proto(view: HitView) -> pb::Hit {
    let HitView {
        hit,
        claim_text,
        review_url,
        history,
    } = view;
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
        claim_text,
        review_url,
        history: history.into_iter().map(review_to_proto).collect(),
        topic: h.topic,
        matched_terms: h.matched_terms,
        meaning_cosine: h.meaning,
    }
}

/// Returns the domain filter of a request's (optional) filter; its
/// size is the journey's to limit (app/review.rs).
pub fn hit_filter(filter: Option<pb::HitFilter>) -> Result<HitFilter> {
    let Some(filter) = filter else {
        return Ok(HitFilter::default());
    };
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
        video_ids: filter.video_ids,
        claim_ids: filter.claim_ids,
        stances: filter
            .stances
            .iter()
            .map(|s| match pb::Stance::try_from(*s) {
                Ok(pb::Stance::Repeats) => Ok(Stance::Repeats),
                Ok(pb::Stance::Refutes) => Ok(Stance::Refutes),
                Ok(pb::Stance::Unclear) => Ok(Stance::Unclear),
                _ => Err(Error::invalid(format!(
                    "`stances` {s} is not REPEATS, REFUTES or UNCLEAR"
                ))),
            })
            .collect::<Result<_>>()?,
        topics: filter.topics.iter().map(|t| t.trim().to_string()).collect(),
        by_meaning_alone: filter.by_meaning_alone,
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
            Ok(pb::GroupBy::Topic) => Ok(GroupBy::Topic),
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
        confirmed_videos: row.confirmed_videos,
        confirmed_claims: row.confirmed_claims,
        confirmed_views: row.confirmed_views,
        scanned: row.scanned,
        auto_unreviewed: row.auto_unreviewed,
        review_ms_median: row.review_ms_median,
        review_ms_p90: row.review_ms_p90,
        action_ms_median: row.action_ms_median,
        action_ms_p90: row.action_ms_p90,
        matched_views: row.matched_views,
        actioned_videos: row.actioned_videos,
        action_views: row.action_views,
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
        scanned: summary.scanned,
        review_threshold: summary.review_threshold,
        auto_threshold: summary.auto_threshold,
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
        confirmed_videos: row.confirmed_videos,
        confirmed_claims: row.confirmed_claims,
        confirmed_views: row.confirmed_views,
        scanned: row.scanned,
        auto_unreviewed: row.auto_unreviewed,
        review_ms_median: row.review_ms_median,
        review_ms_p90: row.review_ms_p90,
        action_ms_median: row.action_ms_median,
        action_ms_p90: row.action_ms_p90,
        matched_views: row.matched_views,
        actioned_videos: row.actioned_videos,
        action_views: row.action_views,
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
        scanned: response.scanned,
        review_threshold: response.review_threshold,
        auto_threshold: response.auto_threshold,
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
        GroupBy::Topic => pb::GroupBy::Topic,
    }
}

//! A hit as the stores keep it: its columns, and a row read back.

use chrono::{DateTime, Utc};

use super::model::{Action, Hit, NewHit, Outcome, Review};
use crate::error::Result;
use crate::store::Columns;
use crate::vocab::Verdict;
use crate::vocab::{ContentSource, Level, Stance};

pub(super) const HIT_COLUMNS: &str = "id, video_id, claim_id, partner, verdict, market, language, source, \
    confidence, level, start_ms, end_ms, excerpt, observed_ms, first_logged_ms, last_seen_ms, \
    times_seen, view_count, elections, outcome, action, reviewer, note, reviewed_ms, also_claims, \
    stance, topic, matched_terms, meaning";

pub(super) fn level_number(level: Level) -> i64 {
    match level {
        Level::None => 0,
        Level::Review => 1,
        Level::Auto => 2,
    }
}

pub(super) fn level_from_number(level: i64) -> Level {
    match level {
        2 => Level::Auto,
        1 => Level::Review,
        _ => Level::None,
    }
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Decodes `outcome, action, reviewer, note, reviewed_ms` starting at
/// column `at`; None when the hit has no review.
pub(super) fn review_from_columns(row: &impl Columns, at: usize) -> Result<Option<Review>> {
    let outcome = row.opt_text(at)?.and_then(Outcome::from_name);
    let (Some(outcome), Some(reviewed_ms)) = (outcome, row.opt_int(at + 4)?) else {
        return Ok(None);
    };
    Ok(Some(Review {
        outcome,
        action: row
            .opt_text(at + 1)?
            .and_then(Action::from_name)
            .unwrap_or_default(),
        reviewer: row.opt_text(at + 2)?.unwrap_or_default().to_string(),
        note: row.opt_text(at + 3)?.unwrap_or_default().to_string(),
        reviewed_at: millis(reviewed_ms),
    }))
}

/// Decodes the `HIT_COLUMNS` of a row from either backend.
pub(super) fn hit_from_row(row: &impl Columns) -> Result<Hit> {
    Ok(Hit {
        id: row.int(0)? as u64,
        hit: NewHit {
            video_id: row.text(1)?.to_string(),
            claim_id: row.text(2)?.to_string(),
            partner: row.text(3)?.to_string(),
            verdict: Verdict::from_name(row.text(4)?).unwrap_or_default(),
            market: row.text(5)?.to_string(),
            language: row.text(6)?.to_string(),
            source: ContentSource::from_name(row.text(7)?).unwrap_or_default(),
            confidence: row.float(8)? as f32,
            level: level_from_number(row.int(9)?),
            start_ms: row.int(10)? as u64,
            end_ms: row.int(11)? as u64,
            excerpt: row.text(12)?.to_string(),
            observed_at: millis(row.int(13)?),
            view_count: row.int(17)? as u64,
            elections: serde_json::from_str(row.text(18)?).unwrap_or_default(),
            also_claim_ids: serde_json::from_str(row.text(24)?).unwrap_or_default(),
            stance: Stance::from_name(row.text(25)?).unwrap_or_default(),
            topic: row.text(26)?.to_string(),
            matched_terms: serde_json::from_str(row.text(27)?).unwrap_or_default(),
            meaning: row.opt_float(28)?.map(|m| m as f32),
        },
        first_logged_at: millis(row.int(14)?),
        last_seen_at: millis(row.int(15)?),
        times_seen: row.int(16)? as u64,
        review: review_from_columns(row, 19)?,
    })
}

//! The hit log read for counting: the few columns a report's counts
//! need, filtered in SQL, visited one hit at a time (a half-year of a
//! national election is a million hits; memory stays flat).

use super::model::{Action, HitFilter, ReviewState};
use super::store::HitStore;
use crate::error::Result;
use crate::store::{Dialect, SqlValue};
use crate::vocab::{Level, Stance};

/// What counting reads of one hit, borrowed from the row being read.
#[derive(Debug, Clone, Copy)]
pub struct CountedHit<'a> {
    /// The video.
    pub video_id: &'a str,
    /// The claim.
    pub claim_id: &'a str,
    /// The claim's partner.
    pub partner: &'a str,
    /// The claim's verdict, by name.
    pub verdict: &'a str,
    /// The request's market.
    pub market: &'a str,
    /// The content's language.
    pub language: &'a str,
    /// Where the content came from, by name.
    pub source: &'a str,
    /// The match's level.
    pub level: Level,
    /// When the video was seen, in ms since the epoch.
    pub observed_ms: i64,
    /// Views when it was seen.
    pub view_count: u64,
    /// The latest review's outcome, or pending.
    pub state: ReviewState,
    /// The latest review's action (none when it has none).
    pub action: Action,
    /// What the video does with the claim.
    pub stance: Stance,
    /// The claim's topic.
    pub topic: &'a str,
    /// Views when the hit was first logged.
    pub first_views: u64,
    /// When the hit was first logged (service clock, ms).
    pub first_logged_ms: i64,
    /// When it was first reviewed, if ever.
    pub first_reviewed_ms: Option<i64>,
    /// When its current action was first recorded, if it has one.
    pub actioned_ms: Option<i64>,
    /// Views when its current action was recorded.
    pub action_views: Option<u64>,
    elections: &'a str,
}

impl CountedHit<'_> {
    /// Returns the elections of the hit's claim; one empty name for none
    /// (a grouping by election shows such hits under "").
    pub fn elections(&self) -> Vec<String> {
        let parsed: Vec<String> = serde_json::from_str(self.elections).unwrap_or_default();
        if parsed.is_empty() {
            vec![String::new()]
        } else {
            parsed
        }
    }
}

impl HitStore {
    /// Calls `visit` for each hit passing `filter`, in no particular
    /// order. Blocking.
    pub fn for_each_counted(
        &self,
        filter: &HitFilter,
        mut visit: impl FnMut(CountedHit<'_>) -> Result<()>,
    ) -> Result<()> {
        let (where_clause, params) = where_sql(filter, self.dialect());
        let sql = format!(
            "SELECT h.video_id, h.claim_id, h.partner, h.verdict, h.market, h.language, h.source, h.level, \
             h.observed_ms, h.view_count, h.elections, h.outcome, h.action, h.stance, h.topic, \
             h.first_views, h.first_logged_ms, h.first_reviewed_ms, h.actioned_ms, h.action_views \
             FROM hits h WHERE {where_clause}"
        );
        self.for_each_row(&sql, &params, |row| {
            let state = match row.opt_text(11)? {
                Some("confirmed") => ReviewState::Confirmed,
                Some("rejected") => ReviewState::Rejected,
                _ => ReviewState::Pending,
            };
            visit(CountedHit {
                video_id: row.text(0)?,
                claim_id: row.text(1)?,
                partner: row.text(2)?,
                verdict: row.text(3)?,
                market: row.text(4)?,
                language: row.text(5)?,
                source: row.text(6)?,
                level: super::rows::level_from_number(row.int(7)?),
                observed_ms: row.int(8)?,
                view_count: row.int(9)?.max(0) as u64,
                elections: row.text(10)?,
                state,
                action: row
                    .opt_text(12)?
                    .and_then(Action::from_name)
                    .unwrap_or_default(),
                stance: Stance::from_name(row.text(13)?).unwrap_or_default(),
                topic: row.text(14)?,
                first_views: row.opt_int(15)?.unwrap_or(row.int(9)?).max(0) as u64,
                first_logged_ms: row.int(16)?,
                first_reviewed_ms: row.opt_int(17)?,
                actioned_ms: row.opt_int(18)?,
                action_views: row.opt_int(19)?.map(|v| v.max(0) as u64),
            })
        })
    }
}

/// The WHERE clause of a filter, with its parameters.
pub(super) fn where_sql(filter: &HitFilter, dialect: Dialect) -> (String, Vec<SqlValue>) {
    let mut clauses = vec![
        format!("h.observed_ms >= {}", dialect.placeholder(1)),
        format!("h.observed_ms < {}", dialect.placeholder(2)),
    ];
    let mut params = vec![
        SqlValue::Int(filter.from.map_or(i64::MIN, |at| at.timestamp_millis())),
        SqlValue::Int(filter.to.map_or(i64::MAX, |at| at.timestamp_millis())),
    ];
    let mut list = |column: &str, values: Vec<SqlValue>| {
        if values.is_empty() {
            return;
        }
        clauses.push(format!(
            "{column} IN ({})",
            placeholders(dialect, params.len(), values.len())
        ));
        params.extend(values);
    };
    let text = |values: &[String]| {
        values
            .iter()
            .map(|v| SqlValue::Text(v.clone()))
            .collect::<Vec<_>>()
    };
    list("h.market", text(&filter.markets));
    list("h.partner", text(&filter.partners));
    list("h.language", text(&filter.languages));
    list("h.video_id", text(&filter.video_ids));
    list("h.claim_id", text(&filter.claim_ids));
    list("h.topic", text(&filter.topics));
    list(
        "h.stance",
        filter
            .stances
            .iter()
            .map(|s| SqlValue::Text(s.as_str().into()))
            .collect(),
    );
    list(
        "h.verdict",
        filter
            .verdicts
            .iter()
            .map(|v| SqlValue::Text(v.as_str().into()))
            .collect(),
    );
    list(
        "h.source",
        filter
            .sources
            .iter()
            .map(|s| SqlValue::Text(s.as_str().into()))
            .collect(),
    );
    list(
        "h.level",
        filter
            .levels
            .iter()
            .map(|l| SqlValue::Int(super::rows::level_number(*l)))
            .collect(),
    );
    list(
        "COALESCE(h.outcome, 'pending')",
        filter
            .outcomes
            .iter()
            .map(|o| SqlValue::Text(o.as_str().into()))
            .collect(),
    );
    if filter.by_meaning_alone {
        clauses.push("h.matched_terms = '[]' AND h.meaning IS NOT NULL".into());
    }
    if !filter.elections.is_empty() {
        let each = match dialect {
            Dialect::Sqlite => "SELECT value FROM json_each(h.elections)",
            Dialect::Postgres => "SELECT jsonb_array_elements_text(h.elections::jsonb) AS value",
        };
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM ({each}) x WHERE x.value IN ({}))",
            placeholders(dialect, params.len(), filter.elections.len())
        ));
        params.extend(text(&filter.elections));
    }
    (clauses.join(" AND "), params)
}

/// `count` placeholders for the parameters after the first `bound`.
fn placeholders(dialect: Dialect, bound: usize, count: usize) -> String {
    (bound + 1..=bound + count)
        .map(|n| dialect.placeholder(n))
        .collect::<Vec<_>>()
        .join(", ")
}

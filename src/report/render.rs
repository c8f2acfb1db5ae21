//! Renders summaries for programs and terminals (a text table, CSV,
//! JSON) and holds what a published page is made of (`ReportInput`); the
//! pages themselves are `page.rs` (Markdown, figure exports) and
//! `html.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::figures::{Figure, figures};
use super::group::GroupBy;
use super::locale::Locale;
use super::summary::{Summary, SummaryRow};

/// Every count a row carries, with its column name, for tables and
/// exports.
type Count = (&'static str, fn(&SummaryRow) -> u64);

const COUNTS: [Count; 25] = [
    ("hits", |r| r.hits),
    ("unique_videos", |r| r.unique_videos),
    ("unique_claims", |r| r.unique_claims),
    ("views", |r| r.views),
    ("confirmed", |r| r.confirmed),
    ("rejected", |r| r.rejected),
    ("pending", |r| r.pending),
    ("auto", |r| r.auto),
    ("review", |r| r.review),
    ("removed", |r| r.removed),
    ("labelled", |r| r.labelled),
    ("limited", |r| r.limited),
    ("refutations", |r| r.refutations),
    ("confirmed_videos", |r| r.confirmed_videos),
    ("confirmed_claims", |r| r.confirmed_claims),
    ("confirmed_views", |r| r.confirmed_views),
    ("scanned", |r| r.scanned),
    ("auto_unreviewed", |r| r.auto_unreviewed),
    ("review_ms_median", |r| r.review_ms_median),
    ("review_ms_p90", |r| r.review_ms_p90),
    ("action_ms_median", |r| r.action_ms_median),
    ("action_ms_p90", |r| r.action_ms_p90),
    ("matched_views", |r| r.matched_views),
    ("actioned_videos", |r| r.actioned_videos),
    ("action_views", |r| r.action_views),
];

fn counts(row: &SummaryRow) -> impl Iterator<Item = u64> + '_ {
    COUNTS.iter().map(move |(_, count)| count(row))
}

/// Everything a written report says.
#[derive(Debug, Clone)]
pub struct ReportInput {
    /// Start of the period (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// End of the period (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// What the counts were restricted to: the markets (empty: every
    /// market) and any other restriction, which the page states.
    pub filter: crate::hits::HitFilter,
    /// The grouping of `summary`.
    pub groups: Vec<GroupBy>,
    /// The main summary.
    pub summary: Summary,
    /// Hits grouped by market then month, for the first chart.
    pub by_market_month: Summary,
    /// Hits grouped by market then outcome, for the second chart.
    pub by_market_outcome: Summary,
    /// Hits grouped by claim topic.
    pub by_topic: Summary,
    /// The previous period of the same length, when the report has one.
    pub previous: Option<Summary>,
    /// The language the page is written in.
    pub locale: Locale,
    /// When the report was generated.
    pub generated_at: DateTime<Utc>,
}

impl ReportInput {
    /// The key figures, compared with the previous period's.
    pub fn figures(&self) -> Vec<Figure> {
        figures(
            &self.summary.totals,
            self.summary.scanned,
            self.previous.as_ref().map(|p| (&p.totals, p.scanned)),
        )
    }

    /// The previous period: as long as this one, just before it.
    pub fn previous_period(
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let (from, to) = (from?, to?);
        Some((from - (to - from), from))
    }
}

/// Returns an aligned text table: one row per group, then the totals.
pub fn table(summary: &Summary, groups: &[GroupBy]) -> String {
    let mut header: Vec<String> = groups.iter().map(|g| g.as_str().to_string()).collect();
    header.extend(COUNTS.iter().map(|(name, _)| name.to_string()));
    let mut lines = vec![header];
    for row in &summary.rows {
        let mut line = row.keys.clone();
        line.extend(counts(row).map(|n| n.to_string()));
        lines.push(line);
    }
    let mut total: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(i, _)| {
            if i == 0 {
                "total".into()
            } else {
                String::new()
            }
        })
        .collect();
    total.extend(counts(&summary.totals).map(|n| n.to_string()));
    lines.push(total);
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Returns RFC 4180 CSV: a header, one row per group, no totals row.
pub fn csv(summary: &Summary, groups: &[GroupBy]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
    header.extend(COUNTS.iter().map(|(name, _)| *name));
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&header);
    let rows: Vec<&SummaryRow> = if groups.is_empty() {
        vec![&summary.totals]
    } else {
        summary.rows.iter().collect()
    };
    for row in rows {
        let mut record = row.keys.clone();
        record.extend(counts(row).map(|n| n.to_string()));
        let _ = writer.write_record(&record);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Returns the summary as a JSON document.
pub fn json(summary: &Summary, groups: &[GroupBy]) -> String {
    let row = |row: &SummaryRow| {
        let mut object = serde_json::Map::new();
        for (group, key) in groups.iter().zip(&row.keys) {
            object.insert(group.as_str().into(), json!(key));
        }
        for (name, count) in COUNTS {
            object.insert(name.into(), json!(count(row)));
        }
        serde_json::Value::Object(object)
    };
    let top: Vec<_> = summary
        .top_claims
        .iter()
        .map(|c| json!({"claim_id": c.claim_id, "partner": c.partner, "verdict": c.verdict.as_str(), "text": c.text,
            "review_url": c.review_url, "hits": c.hits, "unique_videos": c.unique_videos, "views": c.views}))
        .collect();
    let document = json!({
        "group_by": groups.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        "rows": summary.rows.iter().map(row).collect::<Vec<_>>(),
        "totals": row(&summary.totals),
        "markets": summary.markets,
        "scanned": summary.scanned,
        "review_threshold": summary.review_threshold,
        "auto_threshold": summary.auto_threshold,
        "top_claims": top,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// Hits per (outer key, inner key) of a two-level summary.
pub(super) fn pivot(
    summary: &Summary,
    value: impl Fn(&SummaryRow) -> u64,
) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut table: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for row in &summary.rows {
        if let [outer, inner] = row.keys.as_slice() {
            *table
                .entry(outer.clone())
                .or_default()
                .entry(inner.clone())
                .or_default() += value(row);
        }
    }
    table
}

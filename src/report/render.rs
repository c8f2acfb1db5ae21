//! Renders summaries for people and programs: a text table, CSV, JSON,
//! and an "Election integrity" section in Markdown or HTML (with inline SVG
//! charts) ready to edit into a transparency report.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::summary::{GroupBy, Summary, SummaryRow};

/// The counts every row carries, with their column names.
const COUNTS: [&str; 13] = [
    "hits",
    "unique_videos",
    "unique_claims",
    "views",
    "confirmed",
    "rejected",
    "pending",
    "auto",
    "review",
    "removed",
    "labelled",
    "limited",
    "refutations",
];

fn counts(row: &SummaryRow) -> [u64; 13] {
    [
        row.hits,
        row.unique_videos,
        row.unique_claims,
        row.views,
        row.confirmed,
        row.rejected,
        row.pending,
        row.auto,
        row.review,
        row.removed,
        row.labelled,
        row.limited,
        row.refutations,
    ]
}

/// Everything a written report says.
#[derive(Debug, Clone)]
pub struct ReportInput {
    /// Start of the period (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// End of the period (exclusive).
    pub to: Option<DateTime<Utc>>,
    /// The grouping of `summary`.
    pub groups: Vec<GroupBy>,
    /// The main summary.
    pub summary: Summary,
    /// Hits grouped by market then month, for the first chart.
    pub by_market_month: Summary,
    /// Hits grouped by market then outcome, for the second chart.
    pub by_market_outcome: Summary,
}

/// Returns an aligned text table: one row per group, then the totals.
pub fn table(summary: &Summary, groups: &[GroupBy]) -> String {
    let mut header: Vec<String> = groups.iter().map(|g| g.as_str().to_string()).collect();
    header.extend(COUNTS.iter().map(|c| c.to_string()));
    let mut lines = vec![header];
    for row in &summary.rows {
        let mut line = row.keys.clone();
        line.extend(counts(row).iter().map(u64::to_string));
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
    total.extend(counts(&summary.totals).iter().map(u64::to_string));
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
    header.extend(COUNTS);
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&header);
    let rows: Vec<&SummaryRow> = if groups.is_empty() {
        vec![&summary.totals]
    } else {
        summary.rows.iter().collect()
    };
    for row in rows {
        let mut record = row.keys.clone();
        record.extend(counts(row).iter().map(u64::to_string));
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
        for (name, value) in COUNTS.iter().zip(counts(row)) {
            object.insert((*name).into(), json!(value));
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
        "top_claims": top,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

fn day(at: Option<DateTime<Utc>>, fallback: &str) -> String {
    at.map_or_else(
        || fallback.to_string(),
        |at| at.format("%-d %B %Y").to_string(),
    )
}

pub(super) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Returns `n` with its thousands grouped: 2,666,000.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The narrative paragraph, computed from the numbers.
pub(super) fn narrative(input: &ReportInput) -> Vec<String> {
    let totals = &input.summary.totals;
    let from = day(input.from, "the first logged hit");
    // The period's end is exclusive; say the last day it covers.
    let to = day(
        input.to.map(|t| t - chrono::Duration::days(1)),
        "the last logged hit",
    );
    if totals.hits == 0 {
        return vec![format!(
            "No video was matched to a fact-checked claim between {from} and {to}."
        )];
    }
    // A published figure is a finding: the first sentence counts only
    // what reviewers confirmed; what is unreviewed or rejected is said
    // apart, with its basis.
    let confirmed = if totals.confirmed_videos == 0 {
        format!("Between {from} and {to}, reviewers had confirmed no match yet.")
    } else {
        format!(
            "Between {from} and {to}, reviewers confirmed that {} repeated {} that our partners had fact-checked; those videos had {} when they were matched.",
            plural(totals.confirmed_videos, "video", "videos"),
            plural(totals.confirmed_claims, "claim", "claims"),
            plural(totals.confirmed_views, "view", "views"),
        )
    };
    let mut paragraphs = vec![confirmed];
    if input.summary.scanned > 0 {
        let matched = totals.unique_videos as f64 / input.summary.scanned as f64;
        paragraphs.push(format!(
            "The service scanned {} in this period and these markets; {} ({:.2} %) had a match logged for review.",
            plural(input.summary.scanned, "video", "videos"),
            thousands(totals.unique_videos),
            100.0 * matched,
        ));
    }
    paragraphs.push(format!(
        "In all, {} on {} in {} were logged for review: reviewers confirmed {} and rejected {} as false matches; {} {} still awaiting review. Of the confirmed matches, {} removed, {} labelled with the fact-check and {} had their distribution limited.",
        plural(totals.hits, "match", "matches"),
        plural(totals.unique_videos, "video", "videos"),
        plural(input.summary.markets, "market", "markets"),
        thousands(totals.confirmed),
        thousands(totals.rejected),
        thousands(totals.pending),
        if totals.pending == 1 { "is" } else { "are" },
        plural(totals.removed, "video was", "videos were"),
        thousands(totals.labelled),
        thousands(totals.limited),
    ));
    if totals.refutations > 0 {
        paragraphs.push(format!(
            "{} refuted a fact-checked claim (counter-speech) and {} not counted above.",
            plural(totals.refutations, "matched video", "matched videos"),
            if totals.refutations == 1 { "is" } else { "are" },
        ));
    }
    paragraphs
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

/// Returns the section in Markdown.
pub fn markdown(input: &ReportInput) -> String {
    let mut out = String::from("## Election integrity\n\n");
    for paragraph in narrative(input) {
        let _ = writeln!(out, "{paragraph}\n");
    }
    if input.summary.totals.hits == 0 {
        return out;
    }
    if !input.summary.rows.is_empty() {
        let groups = &input.groups;
        let _ = writeln!(
            out,
            "| {} | {} |",
            groups
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            COUNT_COLUMNS.join(" | ")
        );
        let _ = writeln!(
            out,
            "|{}",
            "---|".repeat(groups.len() + COUNT_COLUMNS.len())
        );
        for row in &input.summary.rows {
            let counts: Vec<String> = row_counts(row).iter().map(u64::to_string).collect();
            let _ = writeln!(out, "| {} | {} |", row.keys.join(" | "), counts.join(" | "));
        }
        out.push('\n');
    }
    if !input.summary.top_claims.is_empty() {
        out.push_str("### Claims repeated most (confirmed matches)\n\n");
        for (i, claim) in input.summary.top_claims.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. \"{}\" ({}, rated {}): {} in {}",
                i + 1,
                claim.text,
                claim.partner,
                claim.verdict.as_str().replace('_', " "),
                plural(claim.hits, "match", "matches"),
                plural(claim.unique_videos, "video", "videos")
            );
        }
        out.push('\n');
    }
    out
}

/// The count columns of the per-group tables, in order.
pub(super) const COUNT_COLUMNS: [&str; 9] = [
    "videos",
    "claims",
    "views",
    "confirmed",
    "rejected",
    "pending",
    "removed",
    "labelled",
    "limited",
];

/// A row's counts in the order of [`COUNT_COLUMNS`].
pub(super) fn row_counts(row: &SummaryRow) -> [u64; 9] {
    [
        row.unique_videos,
        row.unique_claims,
        row.views,
        row.confirmed,
        row.rejected,
        row.pending,
        row.removed,
        row.labelled,
        row.limited,
    ]
}

#[cfg(test)]
mod tests;

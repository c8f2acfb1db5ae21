//! Renders summaries for people and programs: a text table, CSV, JSON,
//! and an "Election integrity" section in Markdown or HTML (with inline SVG
//! charts) ready to edit into a transparency report.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::figures::{Figure, figures};
use super::locale::Locale;
use super::narrative::{method, narrative};
use super::summary::{GroupBy, Summary, SummaryRow};
use super::words::words;

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
    /// The markets the report covers (empty: every market).
    pub markets: Vec<String>,
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

/// The counts of the page's per-group tables, in the order of
/// `Words::columns`.
pub(super) fn row_counts(row: &SummaryRow) -> [u64; 11] {
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
        row.refutations,
        row.scanned,
    ]
}

/// A group's key as a reader of `locale` reads it: months, topics and
/// outcomes in words.
pub(super) fn key_label(group: GroupBy, key: &str, locale: Locale) -> String {
    match group {
        GroupBy::Month => locale.month(key),
        GroupBy::Topic => crate::claims::topic::label(key, locale.index()).to_string(),
        GroupBy::Outcome => match key {
            "confirmed" => words(locale).outcomes[0].to_string(),
            "rejected" => words(locale).outcomes[1].to_string(),
            "pending" => words(locale).outcomes[2].to_string(),
            other => other.to_string(),
        },
        GroupBy::Action => ["none", "removed", "labelled", "limited"]
            .iter()
            .position(|a| *a == key)
            .map_or(key.to_string(), |i| words(locale).actions[i].to_string()),
        GroupBy::Level => match key {
            "review" => words(locale).levels[0].to_string(),
            "auto" => words(locale).levels[1].to_string(),
            other => other.to_string(),
        },
        GroupBy::Verdict => crate::vocab::Verdict::from_name(key).map_or(key.to_string(), |v| {
            super::words::verdict(v, locale).to_string()
        }),
        _ if key.is_empty() => "–".to_string(),
        _ => key.to_string(),
    }
}

/// A grouping's name in `locale`.
pub(super) fn group_name(group: GroupBy, locale: Locale) -> &'static str {
    GroupBy::ALL
        .iter()
        .position(|g| *g == group)
        .map_or(group.as_str(), |i| words(locale).groups[i])
}

/// The page's header lines: period, markets, generation time.
pub(super) fn header_lines(input: &ReportInput) -> [(String, String); 3] {
    let (locale, w) = (input.locale, words(input.locale));
    let day =
        |at: Option<DateTime<Utc>>| at.map_or("…".to_string(), |at| locale.day(at.date_naive()));
    [
        (
            w.period.to_string(),
            format!(
                "{} – {}",
                day(input.from),
                day(input.to.map(|t| t - chrono::Duration::days(1)))
            ),
        ),
        (
            w.markets.to_string(),
            if input.markets.is_empty() {
                w.all_markets.to_string()
            } else {
                input.markets.join(", ")
            },
        ),
        (w.generated.to_string(), locale.moment(input.generated_at)),
    ]
}

/// A top claim's line: "text" (partner, rated verdict): counts.
pub(super) fn top_claim_counts(claim: &super::TopClaim, locale: Locale) -> String {
    words(locale)
        .top_claim_counts
        .replace("{n}", &locale.number(claim.hits))
        .replace("{m}", &locale.number(claim.unique_videos))
}

/// A definition with the thresholds filled in.
pub(super) fn defined(text: &str, summary: &Summary, locale: Locale) -> String {
    text.replace(
        "{review}",
        &locale.decimal(f64::from(summary.review_threshold), 2),
    )
    .replace(
        "{auto}",
        &locale.decimal(f64::from(summary.auto_threshold), 2),
    )
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Returns the report in Markdown, in the input's language.
pub fn markdown(input: &ReportInput) -> String {
    let (locale, w) = (input.locale, words(input.locale));
    let mut out = format!("# {}\n\n", w.title);
    for (name, value) in header_lines(input) {
        let _ = writeln!(out, "- **{name}:** {value}");
    }
    out.push('\n');
    for paragraph in narrative(input) {
        let _ = writeln!(out, "{paragraph}\n");
    }
    let _ = writeln!(out, "## {}\n", w.key_figures);
    let columns = if input.previous.is_some() {
        w.figure_columns.to_vec()
    } else {
        vec![
            w.figure_columns[0],
            w.figure_columns[1],
            w.figure_columns[4],
        ]
    };
    let _ = writeln!(
        out,
        "| {} |\n|{}",
        columns.join(" | "),
        "---|".repeat(columns.len())
    );
    for figure in input.figures() {
        let (name, basis) = super::words::figure(figure.key, locale);
        let mut cells = vec![name.to_string(), figure.value.text(locale)];
        if let Some(previous) = figure.previous {
            cells.push(previous.text(locale));
            cells.push(figure.change(locale, w.new));
        }
        cells.push(basis.to_string());
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
    if !input.by_topic.rows.is_empty() {
        let _ = writeln!(out, "## {}\n", w.topics_heading);
        let _ = writeln!(
            out,
            "| {} |\n|{}",
            w.topic_columns.join(" | "),
            "---|".repeat(5)
        );
        for row in &input.by_topic.rows {
            let topic = row.keys.first().map_or("", String::as_str);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&key_label(GroupBy::Topic, topic, locale)),
                locale.number(row.unique_videos),
                locale.number(row.confirmed_videos),
                locale.number(row.confirmed),
                locale.number(row.refutations),
            );
        }
        out.push('\n');
    }
    if !input.summary.rows.is_empty() {
        let groups = &input.groups;
        let _ = writeln!(out, "## {}\n", w.groups_heading);
        let mut header: Vec<&str> = groups.iter().map(|g| group_name(*g, locale)).collect();
        header.extend(w.columns);
        let _ = writeln!(
            out,
            "| {} |\n|{}",
            header.join(" | "),
            "---|".repeat(header.len())
        );
        for row in &input.summary.rows {
            let mut cells: Vec<String> = groups
                .iter()
                .zip(&row.keys)
                .map(|(g, k)| cell(&key_label(*g, k, locale)))
                .collect();
            cells.extend(row_counts(row).iter().map(|n| locale.number(*n)));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    if !input.summary.top_claims.is_empty() {
        let _ = writeln!(out, "## {}\n", w.top_claims);
        for (i, claim) in input.summary.top_claims.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. \"{}\" ({}, {} {}): {}",
                i + 1,
                claim.text,
                claim.partner,
                w.rated,
                super::words::verdict(claim.verdict, locale),
                top_claim_counts(claim, locale)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", w.definitions);
    for (term, text) in w.defined {
        let _ = writeln!(
            out,
            "- **{term}:** {}",
            defined(text, &input.summary, locale)
        );
    }
    let _ = writeln!(out, "\n## {}\n\n{}", w.method, method(input));
    out
}

/// Returns the key figures as CSV for a platform's pipeline: key, name
/// and basis in the input's language, value and previous value as
/// numbers (counts; shares in [0, 1]; durations in seconds), the change
/// as printed.
pub fn figures_csv(input: &ReportInput) -> String {
    let locale = input.locale;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["figure", "name", "value", "previous", "change", "basis"]);
    let number = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
    for figure in input.figures() {
        let (name, basis) = super::words::figure(figure.key, locale);
        let _ = writer.write_record([
            figure.key.to_string(),
            name.to_string(),
            number(figure.value.number()),
            number(figure.previous.and_then(|p| p.number())),
            figure.change(locale, words(locale).new),
            basis.to_string(),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Returns every figure of the report as JSON: the period, the key
/// figures with their previous values, and the summaries behind them.
pub fn report_json(input: &ReportInput) -> String {
    let figures: Vec<_> = input
        .figures()
        .iter()
        .map(|f| json!({"figure": f.key, "value": f.value.number(), "previous": f.previous.and_then(|p| p.number())}))
        .collect();
    let summary = |s: &Summary, groups: &[GroupBy]| -> serde_json::Value {
        serde_json::from_str(&json(s, groups)).unwrap_or_default()
    };
    let at = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339());
    let document = json!({
        "from": at(input.from),
        "to": at(input.to),
        "markets": input.markets,
        "generated_at": input.generated_at.to_rfc3339(),
        "figures": figures,
        "summary": summary(&input.summary, &input.groups),
        "by_topic": summary(&input.by_topic, &[GroupBy::Topic]),
        "previous": input.previous.as_ref().map(|p| summary(p, &input.groups)),
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests;

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

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The narrative paragraph, computed from the numbers.
fn narrative(input: &ReportInput) -> Vec<String> {
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
    let mut paragraphs = vec![format!(
        "Between {from} and {to}, {} in {} repeated {} that our partners had fact-checked, reaching {}.",
        plural(totals.unique_videos, "video", "videos"),
        plural(input.summary.markets, "market", "markets"),
        plural(totals.unique_claims, "claim", "claims"),
        plural(totals.views, "view", "views"),
    )];
    paragraphs.push(format!(
        "Reviewers confirmed {} and rejected {} as false matches; {} {} still awaiting review. Of the confirmed matches, {} removed, {} labelled with the fact-check and {} had their distribution limited.",
        plural(totals.confirmed, "match", "matches"),
        totals.rejected,
        totals.pending,
        if totals.pending == 1 { "is" } else { "are" },
        plural(totals.removed, "video was", "videos were"),
        totals.labelled,
        totals.limited,
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
fn pivot(
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
        out.push_str("### Claims repeated most\n\n");
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

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

const PALETTE: [&str; 8] = [
    "#1b6ca8", "#e07b39", "#3a9e5c", "#b03a48", "#7a5aa6", "#8c6d31", "#2f8f9d", "#636363",
];

/// A grouped bar chart: one group of bars per `x`, one bar per series.
fn bar_chart(
    title: &str,
    data: &BTreeMap<String, BTreeMap<String, u64>>,
    series: &[String],
) -> String {
    let xs: Vec<&String> = data.keys().collect();
    let max = data
        .values()
        .flat_map(|m| m.values())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let (width, height, left, bottom, top) = (720.0, 260.0, 48.0, 40.0, 28.0);
    let plot_w = width - left - 16.0;
    let plot_h = height - bottom - top;
    let group_w = plot_w / xs.len().max(1) as f64;
    let bar_w = (group_w * 0.8 / series.len().max(1) as f64).max(1.0);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {width} {}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"11\">\
         <title>{t}</title><text x=\"{left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{t}</text>\
         <line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        height + 18.0 * ((series.len() as f64 / 6.0).ceil()),
        top + plot_h,
        left + plot_w,
        top + plot_h,
        left - 4.0,
        top + 10.0,
        left - 4.0,
        top + plot_h,
        t = escape(title),
    );
    for (i, x) in xs.iter().enumerate() {
        let gx = left + i as f64 * group_w + group_w * 0.1;
        for (j, name) in series.iter().enumerate() {
            let value = data[*x].get(name).copied().unwrap_or(0);
            let h = plot_h * value as f64 / max as f64;
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{} {}: {value}</title></rect>",
                gx + j as f64 * bar_w,
                top + plot_h - h,
                bar_w,
                h,
                PALETTE[j % PALETTE.len()],
                escape(x),
                escape(name)
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            gx + group_w * 0.4,
            top + plot_h + 14.0,
            escape(x)
        );
    }
    for (j, name) in series.iter().enumerate() {
        let (lx, ly) = (
            left + (j % 6) as f64 * 110.0,
            height - 6.0 + 18.0 * (j / 6) as f64,
        );
        let _ = write!(
            svg,
            "<rect x=\"{lx}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>",
            ly - 9.0,
            PALETTE[j % PALETTE.len()],
            lx + 14.0,
            escape(name)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Returns the section as a standalone HTML page with inline SVG charts.
pub fn html(input: &ReportInput) -> String {
    let mut body = String::from("<section><h2>Election integrity</h2>");
    for paragraph in narrative(input) {
        let _ = write!(body, "<p>{}</p>", escape(&paragraph));
    }
    if input.summary.totals.hits > 0 {
        // Hits per month, one bar per market.
        let per_month = pivot(&input.by_market_month, |r| r.hits);
        let markets: Vec<String> = per_month.keys().cloned().collect();
        let mut by_month: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for (market, months) in &per_month {
            for (month, hits) in months {
                by_month
                    .entry(month.clone())
                    .or_default()
                    .insert(market.clone(), *hits);
            }
        }
        body.push_str("<figure>");
        body.push_str(&bar_chart(
            "Matched videos' hits per month, by market",
            &by_month,
            &markets,
        ));
        body.push_str("</figure><figure>");
        let outcomes = pivot(&input.by_market_outcome, |r| r.hits);
        let states: Vec<String> = ["confirmed", "rejected", "pending"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        body.push_str(&bar_chart("Review outcomes per market", &outcomes, &states));
        body.push_str("</figure>");
        if !input.summary.rows.is_empty() {
            body.push_str("<table><thead><tr>");
            for group in &input.groups {
                let _ = write!(body, "<th>{}</th>", group.as_str());
            }
            for column in COUNT_COLUMNS {
                let _ = write!(body, "<th>{column}</th>");
            }
            body.push_str("</tr></thead><tbody>");
            for row in &input.summary.rows {
                body.push_str("<tr>");
                for key in &row.keys {
                    let _ = write!(body, "<td>{}</td>", escape(key));
                }
                for count in row_counts(row) {
                    let _ = write!(body, "<td>{count}</td>");
                }
                body.push_str("</tr>");
            }
            body.push_str("</tbody></table>");
        }
        if !input.summary.top_claims.is_empty() {
            body.push_str("<h3>Claims repeated most</h3><ol>");
            for claim in &input.summary.top_claims {
                let _ = write!(
                    body,
                    "<li>&ldquo;{}&rdquo; ({}, rated {}): {} in {}</li>",
                    escape(&claim.text),
                    escape(&claim.partner),
                    claim.verdict.as_str().replace('_', " "),
                    plural(claim.hits, "match", "matches"),
                    plural(claim.unique_videos, "video", "videos")
                );
            }
            body.push_str("</ol>");
        }
    }
    body.push_str("</section>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Election integrity</title>\
         <style>body{{font-family:sans-serif;max-width:760px;margin:2em auto;color:#222;line-height:1.45}}\
         table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}\
         td:first-child,th:first-child{{text-align:left}}figure{{margin:1.5em 0}}svg{{width:100%;height:auto}}\
         @media print{{figure,table{{break-inside:avoid}}}}</style></head><body>{body}</body></html>\n"
    )
}

/// The count columns of the per-group tables, in order.
const COUNT_COLUMNS: [&str; 9] = [
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
fn row_counts(row: &SummaryRow) -> [u64; 9] {
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

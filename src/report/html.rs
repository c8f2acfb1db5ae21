//! The report as a self-contained HTML page: the section's prose and
//! tables, and bar charts drawn as inline SVG.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::render::{COUNT_COLUMNS, ReportInput, narrative, pivot, plural, row_counts};

pub(super) fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

pub(super) const PALETTE: [&str; 8] = [
    "#1b6ca8", "#e07b39", "#3a9e5c", "#b03a48", "#7a5aa6", "#8c6d31", "#2f8f9d", "#636363",
];

/// A grouped bar chart: one group of bars per `x`, one bar per series.
pub(super) fn bar_chart(
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
            body.push_str("<h3>Claims repeated most (confirmed matches)</h3><ol>");
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

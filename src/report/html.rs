//! The report as a self-contained HTML page, printable to PDF: title,
//! period and generation time, the prose, the key figures with their
//! basis, bar charts drawn as inline SVG (readable axes, colour-blind-safe
//! colours), tables whose dates never wrap, definitions and the method.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::group::GroupBy;
use super::locale::Locale;
use super::narrative::{method, narrative};
use super::page::{
    defined, group_name, header_lines, key_label, row_counts, shown_columns, top_claim_counts,
};
use super::render::{ReportInput, pivot};
use super::words::{figure, words};

pub(super) fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// Okabe and Ito's palette, told apart with every common colour-vision
/// deficiency.
pub(super) const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

/// Review outcomes: confirmed blue, rejected vermillion, pending grey.
const OUTCOME_COLOURS: [&str; 3] = ["#0072B2", "#D55E00", "#A0A0A0"];

/// A step for an axis up to `max` with about five ticks: 1, 2 or 5 times
/// a power of ten.
fn tick_step(max: u64) -> u64 {
    let rough = (max as f64 / 5.0).max(1.0);
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    step.round().max(1.0) as u64
}

/// A grouped bar chart: one group of bars per `x` (labelled by
/// `x_label`), one bar per series, with a value axis, gridlines and a
/// legend.
pub(super) fn bar_chart(
    title: &str,
    data: &BTreeMap<String, BTreeMap<String, u64>>,
    series: &[(String, String, &str)],
    x_label: impl Fn(&str) -> String,
    locale: Locale,
) -> String {
    let xs: Vec<&String> = data.keys().collect();
    let max = data
        .values()
        .flat_map(|m| m.values())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let step = tick_step(max);
    let top_value = max.div_ceil(step) * step;
    let legend_rows = series.len().div_ceil(4) as f64;
    let (width, left, right, top, plot_h) = (720.0, 64.0, 12.0, 30.0, 200.0);
    let height = top + plot_h + 30.0 + 18.0 * legend_rows;
    let plot_w = width - left - right;
    let group_w = plot_w / xs.len().max(1) as f64;
    let bar_w = (group_w * 0.8 / series.len().max(1) as f64).max(1.0);
    let y = |v: u64| top + plot_h - plot_h * v as f64 / top_value as f64;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"11\">\
         <title>{t}</title><text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{t}</text>",
        t = escape(title),
    );
    let mut tick = 0;
    while tick <= top_value {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + plot_w,
            if tick == 0 { "#333" } else { "#ddd" },
            left - 6.0,
            y(tick) + 4.0,
            locale.number(tick),
            y = y(tick),
        );
        tick += step;
    }
    // At most about twelve labels under the bars.
    let every = xs.len().div_ceil(12).max(1);
    for (i, x) in xs.iter().enumerate() {
        let gx = left + i as f64 * group_w + group_w * 0.1;
        for (j, (key, name, colour)) in series.iter().enumerate() {
            let value = data[*x].get(key).copied().unwrap_or(0);
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{} {}: {}</title></rect>",
                gx + j as f64 * bar_w,
                y(value),
                bar_w,
                top + plot_h - y(value),
                escape(&x_label(x)),
                escape(name),
                locale.number(value),
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                gx + group_w * 0.4,
                top + plot_h + 16.0,
                escape(&x_label(x))
            );
        }
    }
    for (j, (_, name, colour)) in series.iter().enumerate() {
        let (lx, ly) = (
            left + (j % 4) as f64 * 165.0,
            top + plot_h + 38.0 + 18.0 * (j / 4) as f64,
        );
        let _ = write!(
            svg,
            "<rect x=\"{lx}\" y=\"{:.1}\" width=\"11\" height=\"11\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>",
            ly - 10.0,
            lx + 15.0,
            escape(name)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn charts(input: &ReportInput, body: &mut String) {
    let (locale, w) = (input.locale, words(input.locale));
    // Matches per month, one bar per market.
    let per_month = pivot(&input.by_market_month, |r| r.hits);
    let mut by_month: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (market, months) in &per_month {
        for (month, hits) in months {
            by_month
                .entry(month.clone())
                .or_default()
                .insert(market.clone(), *hits);
        }
    }
    let markets: Vec<(String, String, &str)> = per_month
        .keys()
        .enumerate()
        .map(|(i, m)| (m.clone(), m.clone(), PALETTE[i % PALETTE.len()]))
        .collect();
    let _ = write!(
        body,
        "<figure>{}</figure>",
        bar_chart(
            w.per_month_chart,
            &by_month,
            &markets,
            |m| locale.month(m),
            locale
        )
    );
    let outcomes = pivot(&input.by_market_outcome, |r| r.hits);
    let states: Vec<(String, String, &str)> = ["confirmed", "rejected", "pending"]
        .iter()
        .zip(w.outcomes)
        .zip(OUTCOME_COLOURS)
        .map(|((key, name), colour)| (key.to_string(), name.to_string(), colour))
        .collect();
    let _ = write!(
        body,
        "<figure>{}</figure>",
        bar_chart(w.outcomes_chart, &outcomes, &states, str::to_string, locale)
    );
}

fn figures_table(input: &ReportInput, body: &mut String) {
    let (locale, w) = (input.locale, words(input.locale));
    let compared = input.previous.is_some();
    let _ = write!(
        body,
        "<h2>{}</h2><table class=\"figures\"><thead><tr>",
        w.key_figures
    );
    for (i, column) in w.figure_columns.iter().enumerate() {
        if compared || i == 0 || i == 1 || i == 4 {
            let _ = write!(body, "<th>{column}</th>");
        }
    }
    body.push_str("</tr></thead><tbody>");
    for f in input.figures() {
        let (name, basis) = figure(f.key, locale);
        let _ = write!(
            body,
            "<tr id=\"{}\"><th scope=\"row\">{}</th><td class=\"n\">{}</td>",
            f.key,
            escape(name),
            escape(&f.value.text(locale))
        );
        if let Some(previous) = f.previous {
            let _ = write!(
                body,
                "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
                escape(&previous.text(locale)),
                escape(&f.change(locale, w.new))
            );
        }
        let _ = write!(body, "<td class=\"basis\">{}</td></tr>", escape(basis));
    }
    body.push_str("</tbody></table>");
}

fn group_tables(input: &ReportInput, body: &mut String) {
    let (locale, w) = (input.locale, words(input.locale));
    if !input.by_topic.rows.is_empty() {
        let _ = write!(body, "<h2>{}</h2><table><thead><tr>", w.topics_heading);
        for column in w.topic_columns {
            let _ = write!(body, "<th>{column}</th>");
        }
        body.push_str("</tr></thead><tbody>");
        for row in &input.by_topic.rows {
            let topic = row.keys.first().map_or("", String::as_str);
            let _ = write!(
                body,
                "<tr><td class=\"key\">{}</td>",
                escape(&key_label(GroupBy::Topic, topic, locale))
            );
            for n in [
                row.unique_videos,
                row.confirmed_videos,
                row.confirmed,
                row.refutations,
            ] {
                let _ = write!(body, "<td class=\"n\">{}</td>", locale.number(n));
            }
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table>");
    }
    if !input.summary.rows.is_empty() {
        let _ = write!(
            body,
            "<h2>{}</h2><table class=\"groups\"><thead><tr>",
            w.groups_heading
        );
        for group in &input.groups {
            let _ = write!(body, "<th>{}</th>", group_name(*group, locale));
        }
        let shown = shown_columns(&input.groups);
        for column in &w.columns[..shown] {
            let _ = write!(body, "<th>{column}</th>");
        }
        body.push_str("</tr></thead><tbody>");
        for row in &input.summary.rows {
            body.push_str("<tr>");
            for (group, key) in input.groups.iter().zip(&row.keys) {
                let _ = write!(
                    body,
                    "<td class=\"key\">{}</td>",
                    escape(&key_label(*group, key, locale))
                );
            }
            for count in row_counts(row, shown) {
                let _ = write!(body, "<td class=\"n\">{}</td>", locale.number(count));
            }
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table>");
    }
}

const STYLE: &str = "body{font-family:sans-serif;max-width:820px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.5em;margin-bottom:.3em}h2{font-size:1.15em;margin-top:1.6em}\
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:0 0 1.2em;color:#444}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}\
table{border-collapse:collapse;font-size:12px;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\
thead th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}td.key{white-space:nowrap}\
table.figures th[scope=row]{font-weight:normal;white-space:normal;min-width:12em}td.basis{color:#555;font-size:11px}\
figure{margin:1.5em 0}svg{width:100%;height:auto}dl.terms dt{font-weight:bold;margin-top:.5em}dl.terms dd{margin-left:0}\
@page{size:A4;margin:14mm}@media print{body{margin:0;max-width:none}figure,tr{break-inside:avoid}h2{break-after:avoid}table.groups{font-size:10px}}";

/// Returns the report as a standalone HTML page in the input's language.
pub fn html(input: &ReportInput) -> String {
    let (locale, w) = (input.locale, words(input.locale));
    let mut body = format!("<header><h1>{}</h1><dl class=\"meta\">", escape(w.title));
    for (name, value) in header_lines(input) {
        let _ = write!(
            body,
            "<dt>{}</dt><dd>{}</dd>",
            escape(&name),
            escape(&value)
        );
    }
    body.push_str("</dl></header><section class=\"summary\">");
    for paragraph in narrative(input) {
        let _ = write!(body, "<p>{}</p>", escape(&paragraph));
    }
    body.push_str("</section><section>");
    figures_table(input, &mut body);
    body.push_str("</section>");
    let t = &input.summary.totals;
    if t.hits > 0 || t.refutations > 0 {
        charts(input, &mut body);
        body.push_str("<section>");
        group_tables(input, &mut body);
        if !input.summary.top_claims.is_empty() {
            let _ = write!(body, "<h2>{}</h2><ol>", w.top_claims);
            for claim in &input.summary.top_claims {
                let _ = write!(
                    body,
                    "<li>&ldquo;{}&rdquo; ({}, {} {}): {}</li>",
                    escape(&claim.text),
                    escape(&claim.partner),
                    w.rated,
                    super::words::verdict(claim.verdict, locale),
                    escape(&top_claim_counts(claim, locale))
                );
            }
            body.push_str("</ol>");
        }
        body.push_str("</section>");
    }
    let _ = write!(
        body,
        "<section><h2>{}</h2><dl class=\"terms\">",
        w.definitions
    );
    for (term, text) in w.defined {
        let _ = write!(
            body,
            "<dt>{}</dt><dd>{}</dd>",
            escape(term),
            escape(&defined(text, &input.summary, locale))
        );
    }
    let _ = write!(
        body,
        "</dl><h2>{}</h2><p>{}</p></section>",
        w.method,
        escape(&method(input))
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>\n",
        locale.tag(),
        escape(w.title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_tick_at_round_numbers() {
        assert_eq!(tick_step(1), 1);
        assert_eq!(tick_step(7), 2);
        assert_eq!(tick_step(23), 5);
        assert_eq!(tick_step(48), 10);
        assert_eq!(tick_step(1_234), 500);
        assert_eq!(tick_step(100_000), 20_000);
    }
}

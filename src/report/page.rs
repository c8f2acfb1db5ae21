//! The published page's parts shared by HTML and Markdown, the Markdown
//! page itself, and the key figures exported as CSV and JSON.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::filters::{filter_json, restrictions};
use super::group::GroupBy;
use super::locale::Locale;
use super::narrative::{method, narrative};
use super::render::{ReportInput, json};
use super::summary::{Summary, SummaryRow};
use super::words::words;

/// How many of `Words::columns` the per-group table shows: the last,
/// videos scanned, only when every grouping is one scans are counted by
/// (a group by topic has no number of videos scanned, not zero).
pub(super) fn shown_columns(groups: &[GroupBy]) -> usize {
    if groups.iter().all(|g| g.scans_counted()) {
        11
    } else {
        10
    }
}

/// The counts of the page's per-group tables, in the order of
/// `Words::columns`, cut to `shown` columns.
pub(super) fn row_counts(row: &SummaryRow, shown: usize) -> Vec<u64> {
    let all = [
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
    ];
    all[..shown].to_vec()
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

/// The page's header lines: period, markets, every other restriction of
/// the counts, generation time.
pub(super) fn header_lines(input: &ReportInput) -> Vec<(String, String)> {
    let (locale, w) = (input.locale, words(input.locale));
    let day =
        |at: Option<DateTime<Utc>>| at.map_or("…".to_string(), |at| locale.day(at.date_naive()));
    let mut lines = vec![
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
            if input.filter.markets.is_empty() {
                w.all_markets.to_string()
            } else {
                input.filter.markets.join(", ")
            },
        ),
    ];
    lines.extend(
        restrictions(&input.filter, locale)
            .into_iter()
            .map(|r| (r.name, r.values)),
    );
    lines.push((w.generated.to_string(), locale.moment(input.generated_at)));
    lines
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
        let shown = shown_columns(groups);
        header.extend(&w.columns[..shown]);
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
            cells.extend(row_counts(row, shown).iter().map(|n| locale.number(*n)));
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
        "markets": input.filter.markets,
        "filter": filter_json(&input.filter),
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

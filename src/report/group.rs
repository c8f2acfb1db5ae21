//! The dimensions a summary groups hits by, and the videos scanned per
//! group.

use rustc_hash::FxHashMap;

use super::summary::{Summary, SummaryRow};
use crate::hits::ScanCount;

/// A dimension to group hits by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Market code.
    Market,
    /// Fact-check partner.
    Partner,
    /// Normalised verdict.
    Verdict,
    /// Content language.
    Language,
    /// Content source.
    Source,
    /// Claim id.
    Claim,
    /// Match level.
    Level,
    /// Month observed, `YYYY-MM`.
    Month,
    /// Election; a hit for a claim in two elections counts in both groups.
    Election,
    /// Latest review: pending, confirmed or rejected.
    Outcome,
    /// Action taken on confirmed hits (none for others).
    Action,
    /// Day observed, `YYYY-MM-DD`.
    Day,
    /// ISO week observed, `YYYY-Www`.
    Week,
    /// The claim's topic.
    Topic,
}

impl GroupBy {
    /// Every dimension.
    pub const ALL: [GroupBy; 14] = [
        GroupBy::Market,
        GroupBy::Partner,
        GroupBy::Verdict,
        GroupBy::Language,
        GroupBy::Source,
        GroupBy::Claim,
        GroupBy::Level,
        GroupBy::Month,
        GroupBy::Election,
        GroupBy::Outcome,
        GroupBy::Action,
        GroupBy::Day,
        GroupBy::Week,
        GroupBy::Topic,
    ];

    /// Returns the snake_case name (also the column header).
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Market => "market",
            GroupBy::Partner => "partner",
            GroupBy::Verdict => "verdict",
            GroupBy::Language => "language",
            GroupBy::Source => "source",
            GroupBy::Claim => "claim",
            GroupBy::Level => "level",
            GroupBy::Month => "month",
            GroupBy::Election => "election",
            GroupBy::Outcome => "outcome",
            GroupBy::Action => "action",
            GroupBy::Day => "day",
            GroupBy::Week => "week",
            GroupBy::Topic => "topic",
        }
    }

    /// Whether scans (videos scored, matched or not) are counted by this
    /// dimension, so a group of it has a number of videos scanned.
    pub fn scans_counted(self) -> bool {
        matches!(
            self,
            GroupBy::Market
                | GroupBy::Source
                | GroupBy::Language
                | GroupBy::Day
                | GroupBy::Week
                | GroupBy::Month
        )
    }

    /// Returns the dimension with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        GroupBy::ALL.into_iter().find(|g| g.as_str() == name)
    }
}

/// Sets the videos scanned on the summary's totals and, when every
/// grouping is one scans are counted by, on each row, adding a row for
/// each group that was scanned but had no hit (a market where nothing
/// matched is a finding too).
pub fn add_scanned(summary: &mut Summary, groups: &[GroupBy], counts: &[ScanCount]) {
    summary.scanned = counts.iter().map(|c| c.videos).sum();
    summary.totals.scanned = summary.scanned;
    if groups.is_empty() || !groups.iter().all(|g| g.scans_counted()) {
        return;
    }
    let mut per_key: FxHashMap<Vec<String>, u64> = FxHashMap::default();
    for count in counts {
        let date = chrono::NaiveDate::parse_from_str(&count.day, "%Y-%m-%d").ok();
        let time_key = |format: &str| {
            date.map(|d| d.format(format).to_string())
                .unwrap_or_default()
        };
        let key: Vec<String> = groups
            .iter()
            .map(|group| match group {
                GroupBy::Market => count.market.clone(),
                GroupBy::Source => count.source.clone(),
                GroupBy::Language => count.language.clone(),
                GroupBy::Day => count.day.clone(),
                GroupBy::Week => time_key("%G-W%V"),
                GroupBy::Month => time_key("%Y-%m"),
                _ => String::new(),
            })
            .collect();
        *per_key.entry(key).or_default() += count.videos;
    }
    for row in &mut summary.rows {
        row.scanned = per_key.remove(&row.keys).unwrap_or(0);
    }
    summary
        .rows
        .extend(per_key.into_iter().map(|(keys, scanned)| SummaryRow {
            keys,
            scanned,
            ..SummaryRow::default()
        }));
    summary.rows.sort_by(|a, b| a.keys.cmp(&b.keys));
}

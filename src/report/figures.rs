//! The key figures of a published report, each with its value this
//! period, the previous period's, and (in `words.rs`) its name and basis:
//! one list that the HTML and Markdown pages print and the CSV and JSON
//! exports carry for a platform's own pipeline.

use super::locale::Locale;
use super::summary::SummaryRow;

/// A figure's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A count.
    Count(u64),
    /// A share of a whole (shown as a percentage).
    Share {
        /// The part.
        part: u64,
        /// The whole; 0 when there is none to share.
        whole: u64,
    },
    /// A duration in ms; None when there was nothing to time.
    Duration(Option<u64>),
}

impl Value {
    /// The value as a number for programs: a count, a share in [0, 1],
    /// a duration in seconds; None when undefined.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Share { whole: 0, .. } => None,
            Value::Share { part, whole } => Some(part as f64 / whole as f64),
            Value::Duration(ms) => ms.map(|ms| ms as f64 / 1000.0),
        }
    }

    /// The value as a reader sees it in `locale`.
    pub fn text(self, locale: Locale) -> String {
        match self {
            Value::Count(n) => locale.number(n),
            Value::Share { part, whole } => locale.percent(part, whole),
            Value::Duration(Some(ms)) => locale.duration(ms),
            Value::Duration(None) => "–".into(),
        }
    }
}

/// One key figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Stable name (also the CSV/JSON key; names and bases per language
    /// in `words.rs`).
    pub key: &'static str,
    /// This period.
    pub value: Value,
    /// The previous period of the same length, when compared.
    pub previous: Option<Value>,
}

impl Figure {
    /// The change against the previous period, in `locale`: a relative
    /// change for counts and durations, points for shares; "new" when the
    /// previous period had none; empty when not compared.
    pub fn change(&self, locale: Locale, new: &str) -> String {
        let (Some(now), Some(before)) =
            (self.value.number(), self.previous.and_then(Value::number))
        else {
            return String::new();
        };
        let signed = |x: f64, unit: &str| {
            let sign = if x > 0.0 {
                "+"
            } else if x < 0.0 {
                "−"
            } else {
                "±"
            };
            format!("{sign}{}\u{a0}{unit}", locale.decimal(x.abs(), 1))
        };
        match self.value {
            Value::Share { .. } => signed(100.0 * (now - before), "pp"),
            _ if before == 0.0 && now == 0.0 => signed(0.0, "%"),
            _ if before == 0.0 => new.to_string(),
            _ => signed(100.0 * (now - before) / before, "%"),
        }
    }
}

fn values(t: &SummaryRow, scanned: u64) -> Vec<(&'static str, Value)> {
    let duration = |ms: u64, n: u64| Value::Duration((n > 0).then_some(ms));
    let reviewed = t.confirmed + t.rejected;
    let actioned = t.removed + t.labelled + t.limited;
    vec![
        ("videos_scanned", Value::Count(scanned)),
        (
            "videos_matched",
            Value::Share {
                part: t.unique_videos,
                whole: scanned,
            },
        ),
        ("videos_confirmed", Value::Count(t.confirmed_videos)),
        ("claims_confirmed", Value::Count(t.confirmed_claims)),
        ("matches_logged", Value::Count(t.hits)),
        ("matches_confirmed", Value::Count(t.confirmed)),
        ("matches_rejected", Value::Count(t.rejected)),
        ("matches_pending", Value::Count(t.pending)),
        (
            "precision_reviewed",
            Value::Share {
                part: t.confirmed,
                whole: reviewed,
            },
        ),
        ("auto_unreviewed", Value::Count(t.auto_unreviewed)),
        ("videos_actioned", Value::Count(t.actioned_videos)),
        ("matches_removed", Value::Count(t.removed)),
        ("matches_labelled", Value::Count(t.labelled)),
        ("matches_limited", Value::Count(t.limited)),
        ("review_time_median", duration(t.review_ms_median, reviewed)),
        ("review_time_p90", duration(t.review_ms_p90, reviewed)),
        ("action_time_median", duration(t.action_ms_median, actioned)),
        ("action_time_p90", duration(t.action_ms_p90, actioned)),
        ("views_when_matched", Value::Count(t.matched_views)),
        ("views_at_action", Value::Count(t.action_views)),
        ("refutations", Value::Count(t.refutations)),
    ]
}

/// The key figures of `totals` (with the videos scanned), compared with
/// the previous period's when given.
pub fn figures(
    totals: &SummaryRow,
    scanned: u64,
    previous: Option<(&SummaryRow, u64)>,
) -> Vec<Figure> {
    let before = previous.map(|(row, scanned)| values(row, scanned));
    values(totals, scanned)
        .into_iter()
        .enumerate()
        .map(|(i, (key, value))| Figure {
            key,
            value,
            previous: before.as_ref().map(|b| b[i].1),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_figure_states_its_value_and_change_in_the_readers_language() {
        let now = SummaryRow {
            hits: 30,
            unique_videos: 25,
            confirmed: 9,
            rejected: 3,
            pending: 18,
            review_ms_median: 5_400_000,
            ..SummaryRow::default()
        };
        let before = SummaryRow {
            hits: 20,
            unique_videos: 20,
            confirmed: 0,
            rejected: 2,
            ..SummaryRow::default()
        };
        let figures = figures(&now, 1000, Some((&before, 800)));
        let get = |key: &str| figures.iter().find(|f| f.key == key).expect(key);
        // Every figure has a name and a basis in every language.
        for figure in &figures {
            for locale in Locale::ALL {
                let (name, basis) = super::super::words::figure(figure.key, locale);
                assert!(!name.is_empty() && !basis.is_empty(), "{}", figure.key);
            }
        }
        assert_eq!(
            get("matches_logged").change(Locale::En, "new"),
            "+50.0\u{a0}%"
        );
        assert_eq!(
            get("matches_logged").change(Locale::Pt, "novo"),
            "+50,0\u{a0}%"
        );
        // 2.5 % of videos matched against 2.5 %: no change, in points.
        assert_eq!(
            get("videos_matched").change(Locale::En, "new"),
            "±0.0\u{a0}pp"
        );
        assert_eq!(get("videos_matched").value.text(Locale::Es), "2,5\u{a0}%");
        assert_eq!(get("matches_confirmed").change(Locale::En, "new"), "new");
        // 75 % confirmed among reviewed, against 0 %: +75 points.
        assert_eq!(
            get("precision_reviewed").change(Locale::En, "new"),
            "+75.0\u{a0}pp"
        );
        assert_eq!(
            get("review_time_median").value.text(Locale::En),
            "1.5\u{a0}h"
        );
        // Nothing was actioned: no time to show, no change to compute.
        assert_eq!(get("action_time_median").value.text(Locale::En), "–");
        assert_eq!(get("action_time_median").change(Locale::En, "new"), "");
        assert_eq!(
            get("matches_rejected").change(Locale::En, "new"),
            "+50.0\u{a0}%"
        );
    }
}

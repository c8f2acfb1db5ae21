//! Tests of `render`.

use super::*;
use crate::report::TopClaim;
use crate::report::html::html;

fn input() -> ReportInput {
    let row = |keys: &[&str], hits: u64| SummaryRow {
        keys: keys.iter().map(|k| k.to_string()).collect(),
        hits,
        unique_videos: hits,
        confirmed: 1,
        ..SummaryRow::default()
    };
    let summary = Summary {
        rows: vec![row(&["BR"], 3), row(&["MX"], 1)],
        totals: SummaryRow {
            hits: 4,
            unique_videos: 4,
            unique_claims: 2,
            views: 1200,
            confirmed: 2,
            rejected: 1,
            pending: 1,
            removed: 1,
            labelled: 1,
            confirmed_videos: 2,
            confirmed_claims: 1,
            confirmed_views: 1_000,
            ..SummaryRow::default()
        },
        top_claims: vec![TopClaim {
            claim_id: "c1".into(),
            text: "Urnas <fraudadas>".into(),
            hits: 3,
            unique_videos: 3,
            ..TopClaim::default()
        }],
        markets: 2,
        scanned: 400,
    };
    ReportInput {
        from: crate::text::parse_date("2022-01-01"),
        to: crate::text::parse_date("2022-07-01"),
        groups: vec![GroupBy::Market],
        summary,
        by_market_month: Summary {
            rows: vec![row(&["BR", "2022-03"], 2), row(&["MX", "2022-04"], 1)],
            ..Summary::default()
        },
        by_market_outcome: Summary {
            rows: vec![row(&["BR", "confirmed"], 2)],
            ..Summary::default()
        },
    }
}

#[test]
fn narrative_reads_the_numbers() {
    let text = markdown(&input());
    // The first sentence is what reviewers confirmed, not every match:
    // the rejected false match and the unreviewed one are not findings.
    assert!(text.contains("Between 1 January 2022 and 30 June 2022, reviewers confirmed that 2 videos repeated 1 claim that our partners had fact-checked; those videos had 1,000 views"), "{text}");
    assert!(
        text.contains("In all, 4 matches on 4 videos in 2 markets were logged for review"),
        "{text}"
    );
    assert!(text.contains("1 video was removed"), "{text}");
    assert!(
        text.contains("The service scanned 400 videos in this period and these markets; 4 (1.00 %) had a match logged for review."),
        "{text}"
    );
    assert!(
        text.contains("rejected 1 as false matches; 1 is still awaiting review"),
        "{text}"
    );
    assert!(text.contains("| BR | 3 |"), "{text}");
}

#[test]
fn an_empty_period_says_so() {
    let mut empty = input();
    empty.summary = Summary::default();
    assert!(markdown(&empty).contains("No video was matched"));
    assert!(html(&empty).contains("No video was matched"));
}

#[test]
fn csv_and_html_escape_what_they_must() {
    let out = csv(&input().summary, &[GroupBy::Market]);
    assert!(out.starts_with("market,hits,unique_videos"), "{out}");
    assert_eq!(out.lines().count(), 3);
    let page = html(&input());
    assert!(page.contains("Urnas &lt;fraudadas&gt;"));
    assert_eq!(page.matches("<svg").count(), 2);
}

#[test]
fn prose_numbers_have_their_thousands_grouped() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_000), "1,000");
    assert_eq!(thousands(2_666_000), "2,666,000");
    assert_eq!(plural(12_345, "view", "views"), "12,345 views");
}

//! Tests of the published pages and exports.

use super::*;
use crate::hits::{HitFilter, ReviewState};
use crate::report::TopClaim;
use crate::report::html::html;
use crate::report::render::csv;
use crate::vocab::{Level, Stance};

fn input(locale: Locale) -> ReportInput {
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
            auto: 3,
            auto_unreviewed: 1,
            confirmed_videos: 2,
            confirmed_claims: 1,
            confirmed_views: 1_000,
            matched_views: 1_500,
            refutations: 1,
            review_ms_median: 2 * 3_600_000,
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
        review_threshold: 0.6,
        auto_threshold: 0.9,
    };
    let mut previous = summary.clone();
    previous.totals.hits = 2;
    ReportInput {
        from: crate::text::parse_date("2022-01-01"),
        to: crate::text::parse_date("2022-07-01"),
        filter: HitFilter {
            markets: vec!["BR".into(), "MX".into()],
            ..HitFilter::default()
        },
        groups: vec![GroupBy::Market],
        summary,
        by_market_month: Summary {
            rows: vec![row(&["BR", "2022-03"], 2), row(&["MX", "2022-04"], 1)],
            ..Summary::default()
        },
        by_market_outcome: Summary {
            rows: vec![row(&["BR", "confirmed"], 2), row(&["BR", "pending"], 1)],
            ..Summary::default()
        },
        by_topic: Summary {
            rows: vec![row(&["voting_machines"], 3)],
            ..Summary::default()
        },
        previous: Some(previous),
        locale,
        generated_at: crate::text::parse_date("2022-07-02T09:30:00Z").expect("date"),
    }
}

#[test]
fn the_prose_reads_the_numbers_in_each_language() {
    let text = markdown(&input(Locale::En));
    // The first sentence is what reviewers confirmed, with the views the
    // videos had when matched; the rejected and unreviewed are not
    // findings.
    assert!(text.contains("Between 1 January 2022 and 30 June 2022, reviewers confirmed that 2 videos repeated 1 claim that our partners had fact-checked; when first matched, those videos had 1,500 views."), "{text}");
    assert!(text.contains("The service scanned 400 videos in this period and these markets; 4 (1.0\u{a0}%) had a match logged for review."), "{text}");
    assert!(text.contains("In all, 4 matches on 4 videos in 2 markets were logged for review: reviewers confirmed 2 and rejected 1 as false matches, and 1 awaited review"), "{text}");
    assert!(text.contains("A further 1 matched video refuted a fact-checked claim (counter-speech), not counted above."), "{text}");
    assert!(
        text.contains("Of 3 automatic-level matches, reviewers examined 2 and left 1 unreviewed."),
        "{text}"
    );
    let pt = markdown(&input(Locale::Pt));
    assert!(pt.contains("Entre 1 de janeiro de 2022 e 30 de junho de 2022, os revisores confirmaram 2 vídeos repetindo 1 alegação checada por nossos parceiros; quando identificados pela primeira vez, esses vídeos somavam 1.500 visualizações."), "{pt}");
    assert!(
        pt.contains(
            "No total, foram registradas para revisão 4 correspondências em 4 vídeos de 2 mercados"
        ),
        "{pt}"
    );
    assert!(pt.contains("com 1 ainda pendente de revisão"), "{pt}");
    let es = markdown(&input(Locale::Es));
    assert!(es.contains("Entre el 1 de enero de 2022 y el 30 de junio de 2022, los revisores confirmaron 2 videos que repetían 1 afirmación verificada"), "{es}");
    assert!(es.contains("1 video identificado refutaba"), "{es}");
    let id = markdown(&input(Locale::Id));
    assert!(id.contains("Antara 1 Januari 2022 dan 30 Juni 2022, peninjau mengonfirmasi 2 video mengulang 1 klaim"), "{id}");
}

#[test]
fn a_page_states_its_period_generation_figures_basis_definitions_and_method() {
    for locale in Locale::ALL {
        let page = html(&input(locale));
        let w = words(locale);
        assert!(page.contains(&format!("<html lang=\"{}\"", locale.tag())));
        assert!(page.contains(&format!("<h1>{}</h1>", w.title)), "{page}");
        assert!(
            page.contains(&locale.moment(input(locale).generated_at)),
            "generation time"
        );
        for heading in [w.key_figures, w.definitions, w.method, w.topics_heading] {
            assert!(page.contains(&format!("<h2>{heading}</h2>")), "{heading}");
        }
        // Every figure is a row with its basis.
        for f in input(locale).figures() {
            let (_, basis) = super::super::words::figure(f.key, locale);
            assert!(
                page.contains(&format!("<tr id=\"{}\">", f.key)),
                "{}",
                f.key
            );
            assert!(
                page.contains(&html_escape::encode_text(basis).into_owned()),
                "{}",
                f.key
            );
        }
        // Thresholds in the definitions, numbers as the language writes them.
        assert!(page.contains(&locale.decimal(0.6, 2)), "review threshold");
        assert!(page.contains(&locale.month("2022-03")), "months in words");
        assert_eq!(page.matches("<svg").count(), 2);
    }
    let page = html(&input(Locale::En));
    // Counts against the previous period: 4 matches against 2.
    assert!(page.contains("<tr id=\"matches_logged\"><th scope=\"row\">Matches logged</th><td class=\"n\">4</td><td class=\"n\">2</td><td class=\"n\">+100.0\u{a0}%</td>"), "{page}");
    // Pending is grey, not green; dates and numbers never wrap.
    assert!(page.contains("fill=\"#A0A0A0\""));
    assert!(page.contains("td.key{white-space:nowrap}"));
    assert!(page.contains("Urnas &lt;fraudadas&gt;"));
    assert!(page.contains("Voting machines and counting"));
    // Grouped by market, a row says how many videos were scanned; grouped
    // by topic it cannot, and the column is left out rather than zero.
    assert!(page.contains("<th>scanned</th>"));
    let mut by_topic = input(Locale::En);
    by_topic.groups = vec![GroupBy::Topic];
    by_topic.summary.rows = vec![SummaryRow {
        keys: vec!["results".into()],
        hits: 1,
        ..SummaryRow::default()
    }];
    assert!(!html(&by_topic).contains("<th>scanned</th>"));
    assert!(!markdown(&by_topic).contains("| scanned |"));
}

#[test]
fn an_empty_period_says_so() {
    let mut empty = input(Locale::En);
    empty.summary = Summary::default();
    assert!(markdown(&empty).contains("No video was matched"));
    assert!(html(&empty).contains("No video was matched"));
    empty.locale = Locale::Pt;
    assert!(html(&empty).contains("Nenhum vídeo correspondeu"));
}

#[test]
fn exports_carry_every_figure() {
    let out = csv(&input(Locale::En).summary, &[GroupBy::Market]);
    assert!(out.starts_with("market,hits,unique_videos"), "{out}");
    assert!(
        out.lines()
            .next()
            .is_some_and(|h| h.ends_with("action_views"))
    );
    assert_eq!(out.lines().count(), 3);
    let figures = figures_csv(&input(Locale::Pt));
    assert!(figures.starts_with("figure,name,value,previous,change,basis\n"));
    assert!(
        figures.contains("matches_logged,Correspondências registradas,4,2,\"+100,0\u{a0}%\","),
        "{figures}"
    );
    assert!(
        figures.contains("videos_matched,Vídeos com correspondência registrada,0.01,0.01,"),
        "{figures}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&report_json(&input(Locale::En))).expect("json");
    assert_eq!(json["figures"].as_array().map(Vec::len), Some(21));
    assert_eq!(json["summary"]["totals"]["matched_views"], 1_500);
    assert_eq!(json["previous"]["totals"]["hits"], 2);
    assert_eq!(json["by_topic"]["rows"][0]["topic"], "voting_machines");
}

/// The test input restricted beyond its markets: one partner's checks on
/// voting machines, confirmed refutations found by meaning alone, at
/// `auto`.
fn restricted(locale: Locale) -> ReportInput {
    let mut input = input(locale);
    input.filter.partners = vec!["Lupa".into()];
    input.filter.topics = vec!["voting_machines".into()];
    input.filter.levels = vec![Level::Auto];
    input.filter.stances = vec![Stance::Refutes];
    input.filter.outcomes = vec![ReviewState::Confirmed];
    input.filter.by_meaning_alone = true;
    input
}

#[test]
fn a_page_made_with_a_filter_says_what_it_counts() {
    // Unrestricted beyond its markets: the header holds period, markets
    // and generation time, and the method note names no restriction.
    let header = |page: &str| -> usize {
        page.split("\n\n").nth(1).map_or(0, |lines| {
            lines.lines().filter(|l| l.starts_with("- **")).count()
        })
    };
    let plain = markdown(&input(Locale::En));
    assert_eq!(header(&plain), 3, "{plain}");
    assert!(!plain.contains("restrictions"), "{plain}");

    let page = markdown(&restricted(Locale::En));
    for line in [
        "- **Partner:** Lupa",
        "- **Topic:** Voting machines and counting",
        "- **Level:** automatic",
        "- **Stance:** refutes it",
        "- **Matches:** only those found by meaning alone",
        "- **Review outcome:** confirmed",
    ] {
        assert!(page.contains(line), "{line}\n{page}");
    }
    // The share of videos matched divides by every video scanned: the
    // method note says the restrictions apply to matches only.
    assert!(
        page.contains("Only the matches meeting the restrictions listed at the top (partner, topic, level, stance, matches, review outcome) are counted; videos scanned are not restricted by them."),
        "{page}"
    );
    let pt = html(&restricted(Locale::Pt));
    assert!(pt.contains("<dt>Parceiro</dt><dd>Lupa</dd>"), "{pt}");
    assert!(
        pt.contains("<dt>Posição</dt><dd>refuta a alegação</dd>"),
        "{pt}"
    );
    assert!(
        pt.contains("os vídeos analisados não são restritos por elas."),
        "{pt}"
    );
    for locale in [Locale::Es, Locale::Id] {
        let page = markdown(&restricted(locale));
        assert_eq!(header(&page), 9, "{page}");
    }

    // Restricted only by what scans are counted by, scans follow too.
    let mut by_language = input(Locale::En);
    by_language.filter.languages = vec!["pt".into()];
    let page = markdown(&by_language);
    assert!(page.contains("- **Language:** pt"), "{page}");
    assert!(page.contains("Only the videos and matches meeting the restrictions listed at the top (language) are counted."), "{page}");
    by_language.filter.partners = vec!["Lupa".into()];
    let page = markdown(&by_language);
    assert!(
        page.contains(
            "(partner, language) are counted; videos scanned are restricted by language only."
        ),
        "{page}"
    );

    // Many videos: the first ten are listed and the rest counted.
    let mut videos = input(Locale::En);
    videos.filter.video_ids = (0..25).map(|i| format!("v{i}")).collect();
    let page = markdown(&videos);
    assert!(
        page.contains("- **Videos:** v0, v1, v2, v3, v4, v5, v6, v7, v8, v9 (+15 more)"),
        "{page}"
    );

    // A program reads the same restrictions from the JSON export.
    let json: serde_json::Value =
        serde_json::from_str(&report_json(&restricted(Locale::En))).expect("json");
    assert_eq!(json["filter"]["partners"][0], "Lupa");
    assert_eq!(json["filter"]["stances"][0], "refutes");
    assert_eq!(json["filter"]["outcomes"][0], "confirmed");
    assert_eq!(json["filter"]["by_meaning_alone"], true);
    assert_eq!(json["filter"]["markets"][1], "MX");
}

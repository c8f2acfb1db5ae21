//! Summaries checked against counts computed here, independently, from
//! the traffic the test sends: dedupe, reviews that change their mind, and
//! period edges.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use claimsignal::proto::v1 as pb;
use common::{TestServer, fixture, load, text_request};

/// The claims of the fixture that match regardless of market, with a
/// caption that repeats each.
const CAPTIONS: [(&str, &str); 2] = [
    (
        "partners:factcheck-dead-voters",
        "Thousands of dead people voted in the county election, according to a leaked list of ballots",
    ),
    (
        "partners:factcheck-mail-ballots",
        "Mail-in ballots sent to voters who moved away are being filled in by election workers",
    ),
];

/// A small deterministic generator, so failures replay.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[derive(Default)]
struct Expected {
    videos: HashMap<String, u64>,
    claims: HashSet<String>,
    hits: HashSet<(String, String)>,
}

#[tokio::test]
async fn summaries_match_counts_computed_from_the_traffic() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    load(
        &server,
        "partners",
        std::fs::read(fixture("claims_election.jsonl"))?,
    )
    .await?;
    let mut matcher = server.matcher().await?;
    let mut reports = server.reports().await?;

    let markets = ["US", "GB", "CA"];
    // 2022-01-01T00:00:00Z and one day.
    let (start_s, day_s) = (1_640_995_200i64, 86_400i64);
    let mut rng = Lcg(7);
    // Per (market), what the summary of the first 60 days must say.
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    let mut first_seen: HashMap<(String, String), i64> = HashMap::new();
    let mut hit_ids: HashMap<(String, String), String> = HashMap::new();
    for i in 0..80 {
        let video = format!("video-{}", rng.next(25));
        let market = markets[rng.next(3) as usize];
        let (claim, caption) = CAPTIONS[rng.next(2) as usize];
        let day = rng.next(90) as i64;
        let views = rng.next(10_000);
        let mut request = common::text_request(&video, market, caption);
        request.request_id = format!("r{i}");
        request.view_count = views;
        request.observed_at = Some(prost_types::Timestamp {
            seconds: start_s + day * day_s,
            nanos: 0,
        });
        let response = matcher.score(request).await?.into_inner();
        let found = response
            .matches
            .iter()
            .find(|m| m.claim_id == claim)
            .expect("the caption matches its claim");
        assert!(!found.hit_id.is_empty());
        let key = (video.clone(), claim.to_string());
        // One hit per (video, claim): it counts at its earliest observation.
        let earliest = first_seen.entry(key.clone()).or_insert(day);
        *earliest = (*earliest).min(day);
        if let Some(previous) = hit_ids.insert(key, found.hit_id.clone()) {
            assert_eq!(previous, found.hit_id, "the same pair keeps its hit id");
        }
    }
    // Reviews: confirm some, then change the mind on a few.
    let mut outcome: HashMap<String, (pb::ReviewOutcome, pb::ReviewAction)> = HashMap::new();
    let ids: Vec<String> = {
        let mut ids: Vec<String> = hit_ids.values().cloned().collect();
        ids.sort();
        ids
    };
    for (i, id) in ids.iter().enumerate() {
        let (result, action) = match i % 4 {
            0 => (pb::ReviewOutcome::Confirmed, pb::ReviewAction::Removed),
            1 => (pb::ReviewOutcome::Confirmed, pb::ReviewAction::Labelled),
            2 => (pb::ReviewOutcome::Rejected, pb::ReviewAction::None),
            _ => continue,
        };
        let review = |outcome: pb::ReviewOutcome, action: pb::ReviewAction| pb::ReviewHitRequest {
            hit_id: id.clone(),
            outcome: outcome as i32,
            action: action as i32,
            reviewer: "test".into(),
            note: String::new(),
            view_count: 0,
        };
        reports.review_hit(review(result, action)).await?;
        outcome.insert(id.clone(), (result, action));
        if i % 8 == 0 {
            // A second look reverses the first.
            reports
                .review_hit(review(pb::ReviewOutcome::Rejected, pb::ReviewAction::None))
                .await?;
            outcome.insert(
                id.clone(),
                (pb::ReviewOutcome::Rejected, pb::ReviewAction::None),
            );
        }
    }

    // The store's own view of each hit (market, first observation, largest
    // view count) is what a summary aggregates: read it back, then count
    // independently.
    let all = reports
        .list_hits(pb::ListHitsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await?
        .into_inner()
        .hits;
    assert_eq!(all.len(), hit_ids.len(), "one hit per (video, claim)");
    let period_end_s = start_s + 60 * day_s;
    let (mut confirmed, mut rejected, mut pending, mut removed, mut labelled) = (0, 0, 0, 0, 0);
    // What a published report states: confirmed repetitions only.
    let mut confirmed_videos: HashMap<String, u64> = HashMap::new();
    let mut confirmed_per_claim: HashMap<String, u64> = HashMap::new();
    for hit in &all {
        let observed = hit.observed_at.as_ref().map_or(0, |t| t.seconds);
        let key = (hit.video_id.clone(), hit.claim_id.clone());
        assert_eq!(
            observed,
            start_s + first_seen[&key] * day_s,
            "a hit counts at its earliest observation"
        );
        if observed >= period_end_s {
            continue;
        }
        let entry = expected.entry(hit.market.clone()).or_default();
        let views = entry.videos.entry(hit.video_id.clone()).or_default();
        *views = (*views).max(hit.view_count);
        entry.claims.insert(hit.claim_id.clone());
        entry.hits.insert(key);
        match outcome.get(&hit.id) {
            None => pending += 1,
            Some((pb::ReviewOutcome::Rejected, _)) => rejected += 1,
            Some((_, action)) => {
                confirmed += 1;
                removed += u64::from(*action == pb::ReviewAction::Removed);
                labelled += u64::from(*action == pb::ReviewAction::Labelled);
                let views = confirmed_videos.entry(hit.video_id.clone()).or_default();
                *views = (*views).max(hit.view_count);
                *confirmed_per_claim.entry(hit.claim_id.clone()).or_default() += 1;
            }
        }
    }

    let filter = pb::HitFilter {
        from: Some(prost_types::Timestamp {
            seconds: start_s,
            nanos: 0,
        }),
        to: Some(prost_types::Timestamp {
            seconds: period_end_s,
            nanos: 0,
        }),
        ..Default::default()
    };
    let summary = reports
        .summarize(pb::SummarizeRequest {
            filter: Some(filter),
            group_by: vec![pb::GroupBy::Market as i32],
            top_claims: 5,
        })
        .await?
        .into_inner();
    let totals = summary.totals.expect("totals");
    let hits: usize = expected.values().map(|e| e.hits.len()).sum();
    assert_eq!(totals.hits, hits as u64);
    assert_eq!(
        (totals.confirmed, totals.rejected, totals.pending),
        (confirmed, rejected, pending)
    );
    assert_eq!((totals.removed, totals.labelled), (removed, labelled));
    assert_eq!(summary.rows.len(), expected.len());
    for row in &summary.rows {
        let want = &expected[&row.keys[0]];
        assert_eq!(row.hits, want.hits.len() as u64, "{}", row.keys[0]);
        assert_eq!(
            row.unique_videos,
            want.videos.len() as u64,
            "{}",
            row.keys[0]
        );
        assert_eq!(
            row.unique_claims,
            want.claims.len() as u64,
            "{}",
            row.keys[0]
        );
        assert_eq!(
            row.views,
            want.videos.values().sum::<u64>(),
            "{}",
            row.keys[0]
        );
    }
    assert_eq!(summary.markets, expected.len() as u64);
    assert_eq!(
        (
            totals.confirmed_videos,
            totals.confirmed_claims,
            totals.confirmed_views
        ),
        (
            confirmed_videos.len() as u64,
            confirmed_per_claim.len() as u64,
            confirmed_videos.values().sum::<u64>()
        )
    );
    // A reviewer reads a hit with its claim and every review it had: the
    // first id was confirmed, then rejected on a second look.
    let first = reports
        .get_hit(pb::GetHitRequest {
            hit_id: ids[0].clone(),
        })
        .await?
        .into_inner();
    let outcomes: Vec<i32> = first.history.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            pb::ReviewOutcome::Confirmed as i32,
            pb::ReviewOutcome::Rejected as i32
        ]
    );
    assert!(!first.claim_text.is_empty());
    // ... and finds a video's hits by its id.
    let of_video = reports
        .list_hits(pb::ListHitsRequest {
            filter: Some(pb::HitFilter {
                video_ids: vec![first.video_id.clone()],
                ..Default::default()
            }),
            ..Default::default()
        })
        .await?
        .into_inner()
        .hits;
    assert!(!of_video.is_empty());
    assert!(of_video.iter().all(|h| h.video_id == first.video_id));
    assert_eq!(
        of_video.len(),
        all.iter().filter(|h| h.video_id == first.video_id).count()
    );
    assert!(
        of_video
            .iter()
            .all(|h| h.claim_text == first.claim_text || h.claim_id != first.claim_id)
    );

    // The claims repeated most count confirmed repetitions: a claim only
    // rejected or unreviewed is not among them.
    assert!(!summary.top_claims.is_empty());
    for top in &summary.top_claims {
        assert_eq!(
            Some(&top.hits),
            confirmed_per_claim.get(&top.claim_id),
            "{}",
            top.claim_id
        );
    }
    server.stop().await
}

#[tokio::test]
async fn refuting_videos_are_logged_and_counted_apart_from_repetitions() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let claim = r#"{"id": "urnas-internet", "text": "As urnas eletrônicas podem ser hackeadas pela internet durante a votação", "language": "pt", "rating_text": "Falso", "markets": ["BR"]}"#;
    load(&server, "aosfatos", format!("{claim}\n").into_bytes()).await?;
    let mut matcher = server.matcher().await?;
    matcher
        .score(text_request(
            "spreads",
            "BR",
            "Atenção: as urnas eletrônicas podem ser hackeadas pela internet durante a votação",
        ))
        .await?;
    matcher
        .score(text_request(
            "debunks",
            "BR",
            "É mentira que as urnas eletrônicas podem ser hackeadas pela internet durante a votação",
        ))
        .await?;
    let mut reports = server.reports().await?;
    let hits = reports
        .list_hits(pb::ListHitsRequest::default())
        .await?
        .into_inner()
        .hits;
    let stances: Vec<(String, i32)> = hits
        .iter()
        .map(|h| (h.video_id.clone(), h.stance))
        .collect();
    assert_eq!(
        stances,
        [
            ("spreads".to_string(), pb::Stance::Repeats as i32),
            ("debunks".to_string(), pb::Stance::Refutes as i32)
        ]
    );
    let totals = reports
        .summarize(pb::SummarizeRequest::default())
        .await?
        .into_inner()
        .totals
        .expect("totals");
    assert_eq!(
        (totals.hits, totals.unique_videos, totals.refutations),
        (1, 1, 1)
    );
    server.stop().await
}

#[tokio::test]
async fn a_report_counts_the_videos_scanned_matched_or_not() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let mut matcher = server.matcher().await?;
    let at = |day: i64| prost_types::Timestamp {
        // 2022-09-01 plus `day` days.
        seconds: 1_661_990_400 + day * 86_400,
        nanos: 0,
    };
    let scored = [
        ("br-1", "BR", 0, false),
        ("br-2", "BR", 3, false),
        ("br-3", "BR", 40, false), // after the period
        ("mx-1", "MX", 1, false),
        ("br-test", "BR", 2, true), // a dry run is not a scanned video
    ];
    for (video, market, day, dry_run) in scored {
        let mut request = common::text_request(video, market, "um vídeo sobre culinária");
        request.observed_at = Some(at(day));
        request.dry_run = dry_run;
        matcher.score(request).await?;
    }
    let mut reports = server.reports().await?;
    let summarize = |markets: Vec<String>| pb::SummarizeRequest {
        filter: Some(pb::HitFilter {
            from: Some(at(0)),
            to: Some(at(30)),
            markets,
            ..Default::default()
        }),
        ..Default::default()
    };
    let brazil = reports
        .summarize(summarize(vec!["BR".into()]))
        .await?
        .into_inner();
    assert_eq!(brazil.scanned, 2);
    let everywhere = reports.summarize(summarize(Vec::new())).await?.into_inner();
    assert_eq!(everywhere.scanned, 3);
    server.stop().await
}

/// Milliseconds between two timestamps of the API.
fn ms_between(from: &Option<prost_types::Timestamp>, to: &Option<prost_types::Timestamp>) -> i64 {
    let ms = |t: &Option<prost_types::Timestamp>| {
        t.as_ref()
            .map_or(0, |t| t.seconds * 1000 + i64::from(t.nanos) / 1_000_000)
    };
    ms(to) - ms(from)
}

#[tokio::test]
async fn a_report_groups_by_topic_times_reviews_and_states_views_at_action() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    // One claim with the partner's own topic, one the service assigns.
    let claims = [
        r#"{"id": "urnas", "text": "As urnas eletrônicas podem ser hackeadas pela internet durante a votação", "language": "pt", "rating_text": "Falso", "markets": ["BR"]}"#,
        r#"{"id": "titulo", "text": "Quem não fizer a biometria terá o título de eleitor cancelado antes da eleição", "language": "pt", "rating_text": "Falso", "markets": ["BR"], "topic": "Cadastro eleitoral"}"#,
    ];
    load(
        &server,
        "lupa",
        format!("{}\n", claims.join("\n")).into_bytes(),
    )
    .await?;
    let mut matcher = server.matcher().await?;
    let sent = [
        ("v1", "BR", claims_text(0), 1_000),
        ("v2", "BR", claims_text(1), 2_000),
        ("v3", "BR", claims_text(0), 3_000),
        ("v4", "MX", "un video sobre cocina mexicana", 10),
    ];
    for (video, market, text, views) in sent {
        let mut request = text_request(video, market, text);
        request.view_count = views;
        matcher.score(request).await?;
    }
    let mut reports = server.reports().await?;
    let list = |filter: pb::HitFilter| pb::ListHitsRequest {
        filter: Some(filter),
        ..Default::default()
    };
    let hits = reports
        .list_hits(list(pb::HitFilter::default()))
        .await?
        .into_inner()
        .hits;
    let topics: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (h.video_id.as_str(), h.topic.as_str()))
        .collect();
    assert_eq!(
        topics,
        [
            ("v1", "voting_machines"),
            ("v2", "Cadastro eleitoral"),
            ("v3", "voting_machines")
        ]
    );
    let id = |video: &str| {
        hits.iter()
            .find(|h| h.video_id == video)
            .expect(video)
            .id
            .clone()
    };
    let review = |hit: String, outcome: pb::ReviewOutcome, action: pb::ReviewAction, views| {
        pb::ReviewHitRequest {
            hit_id: hit,
            outcome: outcome as i32,
            action: action as i32,
            reviewer: "ana".into(),
            view_count: views,
            ..Default::default()
        }
    };
    use pb::{ReviewAction as A, ReviewOutcome as O};
    // v1 labelled when it had 1,500 views, then removed (the action in
    // force is the removal, at the views the service last saw);
    // v2 confirmed with no action; v3 left to automation.
    reports
        .review_hit(review(id("v1"), O::Confirmed, A::Labelled, 1_500))
        .await?;
    reports
        .review_hit(review(id("v2"), O::Confirmed, A::None, 0))
        .await?;
    reports
        .review_hit(review(id("v1"), O::Confirmed, A::Removed, 0))
        .await?;

    let summary = reports
        .summarize(pb::SummarizeRequest {
            group_by: vec![pb::GroupBy::Market as i32],
            ..Default::default()
        })
        .await?
        .into_inner();
    let totals = summary.totals.expect("totals");
    // Times computed here from what GetHit says of each hit.
    let v1 = reports
        .get_hit(pb::GetHitRequest { hit_id: id("v1") })
        .await?
        .into_inner();
    let v2 = reports
        .get_hit(pb::GetHitRequest { hit_id: id("v2") })
        .await?
        .into_inner();
    let first_review =
        |hit: &pb::Hit| ms_between(&hit.first_logged_at, &hit.history[0].reviewed_at);
    let mut review_times = [first_review(&v1), first_review(&v2)];
    review_times.sort();
    assert_eq!(
        totals.review_ms_median, review_times[0] as u64,
        "nearest rank of two: the first"
    );
    assert_eq!(totals.review_ms_p90, review_times[1] as u64);
    let removal = ms_between(&v1.first_logged_at, &v1.history[1].reviewed_at);
    assert_eq!(
        (totals.action_ms_median, totals.action_ms_p90),
        (removal as u64, removal as u64)
    );
    assert_eq!((totals.actioned_videos, totals.action_views), (1, 1_000));
    // Views when matched: v1 and v2, the confirmed videos.
    assert_eq!(totals.matched_views, 3_000);
    let auto_pending = hits
        .iter()
        .filter(|h| h.level == pb::MatchLevel::Auto as i32 && h.video_id == "v3")
        .count() as u64;
    assert_eq!(totals.auto_unreviewed, auto_pending);
    // Videos scanned per market, with a row for the market where nothing
    // matched.
    let scanned: Vec<(String, u64, u64)> = summary
        .rows
        .iter()
        .map(|r| (r.keys[0].clone(), r.scanned, r.hits))
        .collect();
    assert_eq!(
        scanned,
        [("BR".to_string(), 3, 3), ("MX".to_string(), 1, 0)]
    );

    // v3 labelled with the reviewer's count of its views at the time.
    reports
        .review_hit(review(id("v3"), O::Confirmed, A::Labelled, 4_200))
        .await?;
    let totals = reports
        .summarize(pb::SummarizeRequest::default())
        .await?
        .into_inner()
        .totals
        .expect("totals");
    assert_eq!(
        (totals.actioned_videos, totals.action_views),
        (2, 1_000 + 4_200)
    );

    // The partner moves its claim to a taxonomy topic: its hit follows.
    let moved = r#"{"id": "titulo", "text": "Quem não fizer a biometria terá o título de eleitor cancelado antes da eleição", "language": "pt", "rating_text": "Falso", "topic": "voter documents"}"#;
    load(&server, "lupa", format!("{moved}\n").into_bytes()).await?;
    let by_topic = reports
        .summarize(pb::SummarizeRequest {
            group_by: vec![pb::GroupBy::Topic as i32],
            ..Default::default()
        })
        .await?
        .into_inner();
    let topics: Vec<(String, u64)> = by_topic
        .rows
        .iter()
        .map(|r| (r.keys[0].clone(), r.hits))
        .collect();
    assert_eq!(
        topics,
        [
            ("voter_documents".to_string(), 1),
            ("voting_machines".to_string(), 2)
        ]
    );
    // Filters by topic, claim and stance.
    let of_topic = reports
        .list_hits(list(pb::HitFilter {
            topics: vec!["voter_documents".into()],
            ..Default::default()
        }))
        .await?
        .into_inner()
        .hits;
    assert_eq!(
        of_topic
            .iter()
            .map(|h| h.video_id.as_str())
            .collect::<Vec<_>>(),
        ["v2"]
    );
    let of_claim = reports
        .list_hits(list(pb::HitFilter {
            claim_ids: vec!["lupa:urnas".into()],
            ..Default::default()
        }))
        .await?
        .into_inner()
        .hits;
    assert_eq!(of_claim.len(), 2);
    let refuting = reports
        .list_hits(list(pb::HitFilter {
            stances: vec![pb::Stance::Refutes as i32],
            ..Default::default()
        }))
        .await?
        .into_inner()
        .hits;
    assert!(refuting.is_empty());
    server.stop().await
}

/// The text of the claims of the topic test, repeated by a caption.
fn claims_text(i: usize) -> &'static str {
    [
        "Atenção: as urnas eletrônicas podem ser hackeadas pela internet durante a votação",
        "Quem não fizer a biometria terá o título de eleitor cancelado antes da eleição",
    ][i]
}

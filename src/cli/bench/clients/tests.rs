//! Tests of the bench clients.

use prost::Message;

use super::*;

#[test]
fn an_answer_reads_what_the_bench_counts_from_a_score_response() {
    let response = pb::ScoreResponse {
        request_id: "17".into(),
        video_id: "v".into(),
        confidence: 0.9,
        language: "en".into(),
        matches: vec![
            pb::Match {
                hit_id: "41".into(),
                excerpt: "the ballots were shredded".into(),
                ..Default::default()
            },
            pb::Match::default(),
        ],
        error: Some(pb::ScoreError {
            code: "INVALID_ARGUMENT".into(),
            message: "content is empty".into(),
        }),
        ..Default::default()
    };
    let answer = Answer::decode(response.encode_to_vec().as_slice()).expect("decodes");
    assert_eq!(answer.request_id, "17");
    let hits: Vec<&str> = answer.matches.iter().map(|m| m.hit_id.as_str()).collect();
    assert_eq!(hits, ["41", ""]);
    assert_eq!(
        answer.error.map(|e| e.code).as_deref(),
        Some("INVALID_ARGUMENT")
    );
}

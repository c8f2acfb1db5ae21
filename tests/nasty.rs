//! A corpus of hostile inputs: every parser refuses or survives them, and
//! the server keeps answering afterwards.

mod common;

use claimsignal::captions::{self, srt, vtt, whisper};
use claimsignal::claims::import;
use claimsignal::claims::{ClaimFormat, LoadDefaults};
use claimsignal::proto::v1 as pb;
use common::{TestServer, load, text_request};

fn defaults() -> LoadDefaults {
    LoadDefaults {
        partner: "nasty".into(),
        ..LoadDefaults::default()
    }
}

/// The corpus, built at run time (a 100 MB file does not belong in git).
fn corpus() -> Vec<(&'static str, Vec<u8>)> {
    let mut million_cues = String::from("WEBVTT\n\n");
    for i in 0..1_000_000u64 {
        million_cues.push_str(&format!(
            "{:02}:{:02}.{:03} --> {:02}:{:02}.{:03}\nx\n\n",
            i / 60_000 % 60,
            i / 1000 % 60,
            i % 1000,
            i / 60_000 % 60,
            i / 1000 % 60,
            i % 1000
        ));
    }
    vec![
        (
            "deep json",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
        (
            "deep json-ld",
            format!(
                "{{\"@graph\": {}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            )
            .into_bytes(),
        ),
        (
            "100 MB line",
            format!("{{\"text\": \"{}\"}}\n", "a".repeat(100 * 1024 * 1024)).into_bytes(),
        ),
        (
            "invalid utf-8",
            b"{\"text\": \"\xff\xfe\xfd\"}\n\xc3\x28\n".to_vec(),
        ),
        (
            "nul bytes",
            b"{\"text\": \"a\x00b\"}\n\x00\x00\x00\n".to_vec(),
        ),
        (
            "overflowing timestamps",
            b"WEBVTT\n\n99999999999999999999:00:00.000 --> 99999999999999999999:00:01.000\nboom\n"
                .to_vec(),
        ),
        (
            "reversed cues",
            b"1\n00:00:09,000 --> 00:00:01,000\nback\n\n2\n-00:00:01,000 --> 00:00:02,000\nneg\n"
                .to_vec(),
        ),
        ("a million one-character cues", million_cues.into_bytes()),
        ("only script tags", "<script>".repeat(50_000).into_bytes()),
        ("csv of quotes", "text\n\"".repeat(10_000).into_bytes()),
    ]
}

#[test]
fn parsers_refuse_or_survive_every_nasty_input() {
    for (name, bytes) in corpus() {
        // Every importer sees the small inputs; the huge ones go through
        // detection, which is what a real load does.
        let formats: &[ClaimFormat] = if bytes.len() > 1 << 20 {
            &[ClaimFormat::Auto]
        } else {
            &[
                ClaimFormat::Auto,
                ClaimFormat::Jsonl,
                ClaimFormat::JsonLd,
                ClaimFormat::Html,
                ClaimFormat::Csv,
            ]
        };
        for &format in formats {
            let parsed = import::parse(&bytes, format, &defaults());
            for claim in &parsed.claims {
                assert!(
                    claim.claim.text.chars().count() <= 5_000,
                    "{name}: an oversized claim got through"
                );
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if text.len() > 1 << 20 && !text.starts_with("WEBVTT") {
            continue;
        }
        for parsed in [vtt::parse(&text), srt::parse(&text)] {
            for segment in &parsed.segments {
                assert!(
                    segment.start_ms <= segment.end_ms,
                    "{name}: a reversed cue got through"
                );
            }
            let sentences = captions::sentences(&parsed.segments);
            let _ = captions::windows(&sentences);
        }
        let _ = whisper::parse(&text);
    }
}

#[tokio::test]
async fn the_server_keeps_answering_after_nasty_requests() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let mut matcher = server.matcher().await?;
    for (name, bytes) in corpus() {
        // Loads: refused records or a refused file, never a dead server.
        // (Files over a few MB go through the parser test: this helper
        // streams in 100-byte chunks.)
        if bytes.len() < 4 << 20 {
            let report = load(&server, "nasty", bytes.clone()).await?;
            let accounted = report.inserted + report.updated + report.unchanged + report.rejected;
            assert!(
                accounted > 0,
                "{name}: the load report accounts for the file"
            );
        }
        // Scores: every content kind, as text, WebVTT and SRT.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for content in [
            pb::score_request::Content::Text(text.clone()),
            pb::score_request::Content::Webvtt(text.clone()),
            pb::score_request::Content::Srt(text),
        ] {
            let mut request = text_request("nasty", "", "");
            request.content = Some(content);
            if let Err(status) = matcher.score(request).await {
                assert!(
                    matches!(
                        status.code(),
                        tonic::Code::InvalidArgument | tonic::Code::ResourceExhausted
                    ),
                    "{name}: {status:?}"
                );
            }
        }
    }
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", server.addr))?
        .connect()
        .await?;
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await?
        .into_inner();
    assert_eq!(
        status.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    server.stop().await
}

//! Messages built to make the server allocate far more than it receives
//! are refused before they are decoded. Alone in its test binary: it reads
//! the process's peak resident memory, which other tests would move.

mod common;

use bytes::Bytes;
use claimsignal::config::{Config, Limits};
use common::TestServer;
use common::raw::{RawConnection, status};
use tonic::Code;

/// Returns the process's peak resident memory, in bytes (Linux).
fn peak_rss() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmHWM"))?;
    Ok(kib * 1024)
}

/// A `ScoreRequest` frame holding `segments` empty segments: two bytes
/// each on the wire, a hundred once decoded.
fn empty_segments(segments: usize) -> Bytes {
    let inner: Vec<u8> = std::iter::repeat_n([0x0a, 0x00], segments)
        .flatten()
        .collect();
    let mut message = vec![0x5a];
    let mut len = inner.len() as u64;
    while len >= 0x80 {
        message.push((len as u8) | 0x80);
        len >>= 7;
    }
    message.push(len as u8);
    message.extend(inner);
    common::raw::frame(&message)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_of_empty_segments_are_refused_before_they_are_decoded() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start_with(Config {
        data_dir: dir.path().to_path_buf(),
        limits: Limits::default(),
        ..Config::default()
    })
    .await?;
    // One of each, built once and shared by every call (Bytes clones share
    // their memory): 16 MB over the size limit, 4 MB just under it.
    let oversized = empty_segments(8_000_000);
    let under_size = empty_segments(2_000_000);
    let before = peak_rss()?;

    let mut calls = tokio::task::JoinSet::new();
    for i in 0..4 {
        let body = if i % 2 == 0 {
            oversized.clone()
        } else {
            under_size.clone()
        };
        let addr = server.addr;
        calls.spawn(async move {
            let mut raw = RawConnection::open(addr).await?;
            status(
                raw.call("/claimsignal.v1.Matcher/Score", None, body)
                    .await?,
            )
            .await
        });
    }
    while let Some(answer) = calls.join_next().await {
        let (code, message) = answer??;
        assert_eq!(code, Code::ResourceExhausted as i32, "{message}");
        assert!(
            message.contains("limits.max_score_message_bytes")
                || message.contains("limits.max_segments"),
            "{message}"
        );
    }
    let grown = peak_rss()?.saturating_sub(before);
    eprintln!(
        "peak RSS {} MiB before, grew by {} MiB",
        before >> 20,
        grown >> 20
    );
    // Decoded, each would have taken hundreds of MB; read as bytes, a
    // few times their size at most.
    assert!(
        grown < 128 * 1024 * 1024,
        "peak memory grew by {} MiB",
        grown >> 20
    );
    server.stop().await
}

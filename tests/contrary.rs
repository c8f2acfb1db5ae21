//! A caption in a check's own words that says able or allowed what the
//! check says is not states the contrary fact: a reviewer reads it; it is
//! never decided alone.

mod common;

use claimsignal::config::Config;
use claimsignal::proto::v1 as pb;
use common::{TestServer, load, score_every_match};

// Written for this test.
const CLAIMS: &str = "{\"id\": \"pindah-balikpapan\", \"text\": \"Warga Balikpapan yang pindah domisili tidak bisa memilih sama sekali meskipun sudah mengurus surat pindah memilih.\", \"language\": \"id\", \"rating\": \"Salah\", \"markets\": [\"ID\"]}\n";

#[tokio::test]
async fn a_caption_affirming_what_the_check_denies_is_not_decided_alone() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    config.matching.semantic = false;
    let auto = config.matching.auto_threshold;
    let server = TestServer::start_with(config).await?;
    load(&server, "partner", CLAIMS.as_bytes().to_vec()).await?;

    let the_fact = score_every_match(
        &server,
        "ID",
        "warga Balikpapan yang pindah domisili bisa memilih kalau sudah mengurus surat pindah memilih",
    )
    .await?;
    let retold = score_every_match(
        &server,
        "ID",
        "warga Balikpapan yang pindah domisili nggak bisa memilih sama sekali walaupun sudah mengurus surat pindah memilih",
    )
    .await?;
    server.stop().await?;

    let first = the_fact.matches.first();
    assert!(
        first.is_some_and(|m| m.claim_id.ends_with("pindah-balikpapan")
            && m.confidence < auto
            && m.level == pb::MatchLevel::Review as i32),
        "{the_fact:?}"
    );
    let first = retold.matches.first();
    assert!(
        first
            .is_some_and(|m| m.claim_id.ends_with("pindah-balikpapan")
                && m.level == pb::MatchLevel::Auto as i32),
        "{retold:?}"
    );
    Ok(())
}

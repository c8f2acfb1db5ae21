//! Who may do what: tokens, roles, partner scoping, revocation.

mod common;

use claimsignal::auth::{Auth, Role};
use claimsignal::proto::v1 as pb;
use common::{TestServer, text_request, with_token};
use tonic::Code;

fn load_request(partner: &str, body: &str) -> Vec<pb::LoadClaimsRequest> {
    let header = pb::LoadHeader {
        partner: partner.into(),
        ..Default::default()
    };
    vec![
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Header(header)),
        },
        pb::LoadClaimsRequest {
            item: Some(pb::load_claims_request::Item::Chunk(
                body.as_bytes().to_vec(),
            )),
        },
    ]
}

const CLAIM: &str = "{\"id\": \"af-1\", \"text\": \"As urnas eletrônicas foram programadas para transferir votos\", \"language\": \"pt\"}\n";

#[tokio::test]
async fn roles_partners_and_revocation_are_enforced() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let mut matcher = server.matcher().await?;
    let mut claims = server.claims().await?;

    // No token anywhere: the service is open (and, from the CLI, loopback only).
    assert!(
        matcher
            .score(text_request("v", "", "urnas eletrônicas"))
            .await
            .is_ok()
    );

    let auth = Auth::open(&dir.path().join("claims.db"))?;
    let (_, aosfatos) = auth.create("aosfatos", &[Role::Partner], Some("aosfatos"), "test")?;
    let (_, lupa) = auth.create("lupa", &[Role::Partner], Some("lupa"), "test")?;
    let (pipeline_info, pipeline) = auth.create("platform", &[Role::Pipeline], None, "test")?;
    let (_, reporter) = auth.create("newsroom", &[Role::Reporter], None, "test")?;

    let anonymous = matcher
        .score(text_request("v", "", "urnas"))
        .await
        .unwrap_err();
    assert_eq!(anonymous.code(), Code::Unauthenticated);
    let forged = matcher
        .score(with_token(text_request("v", "", "urnas"), "cs_forged"))
        .await
        .unwrap_err();
    assert_eq!(forged.code(), Code::Unauthenticated);

    // A partner loads for itself; the header may not name another partner.
    let loaded = claims
        .load_claims(with_token(
            tokio_stream::iter(load_request("", CLAIM)),
            &aosfatos,
        ))
        .await?
        .into_inner();
    assert_eq!(loaded.inserted, 1);
    let stored = claims
        .get_claim(with_token(
            pb::GetClaimRequest {
                id: "aosfatos:af-1".into(),
            },
            &reporter,
        ))
        .await?
        .into_inner();
    assert_eq!(stored.partner, "aosfatos");
    let posing = claims
        .load_claims(with_token(
            tokio_stream::iter(load_request("lupa", CLAIM)),
            &aosfatos,
        ))
        .await
        .unwrap_err();
    assert_eq!(posing.code(), Code::PermissionDenied);

    // Another partner may not retract it, and it stays untouched.
    let hijack = claims
        .retract_claim(with_token(
            pb::RetractClaimRequest {
                id: "aosfatos:af-1".into(),
                reason: String::new(),
            },
            &lupa,
        ))
        .await
        .unwrap_err();
    assert_eq!(hijack.code(), Code::PermissionDenied);
    let still = claims
        .get_claim(with_token(
            pb::GetClaimRequest {
                id: "aosfatos:af-1".into(),
            },
            &reporter,
        ))
        .await?
        .into_inner();
    assert_eq!(still.status, pb::ClaimStatus::Active as i32);

    // Roles: a pipeline scores but loads nothing; a reporter reads reports but scores nothing.
    let response = matcher
        .score(with_token(
            text_request(
                "v",
                "BR",
                "as urnas eletrônicas foram programadas para transferir votos",
            ),
            &pipeline,
        ))
        .await?
        .into_inner();
    assert_eq!(response.matches[0].claim_id, "aosfatos:af-1");
    let denied = claims
        .load_claims(with_token(
            tokio_stream::iter(load_request("", CLAIM)),
            &pipeline,
        ))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let denied = matcher
        .score(with_token(text_request("v", "", "urnas"), &reporter))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let mut reports = server.reports().await?;
    assert!(
        reports
            .summarize(with_token(pb::SummarizeRequest::default(), &reporter))
            .await
            .is_ok()
    );

    // A partner lists only its own claims.
    let listed = claims
        .list_claims(with_token(pb::ListClaimsRequest::default(), &lupa))
        .await?
        .into_inner();
    assert!(listed.claims.is_empty());

    // Revocation takes effect on the next call.
    auth.revoke(pipeline_info.id, "test")?;
    let revoked = matcher
        .score(with_token(text_request("v", "", "urnas"), &pipeline))
        .await
        .unwrap_err();
    assert_eq!(revoked.code(), Code::Unauthenticated);

    let trail = auth.audit_trail(20)?;
    assert!(
        trail
            .iter()
            .any(|(_, who, action, _)| who == "aosfatos" && action == "claims.load"),
        "{trail:?}"
    );
    server.stop().await
}

#[tokio::test]
async fn a_pipeline_over_its_rate_is_refused_and_others_are_served() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = claimsignal::config::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    // One call an hour, bursts of two: the third call within the test is over.
    config.limits.rate_per_token = 1.0 / 3600.0;
    config.limits.rate_burst = 2.0;
    let server = TestServer::start_with(config).await?;
    let auth = Auth::open(&dir.path().join("claims.db"))?;
    let (_, greedy) = auth.create("greedy", &[Role::Pipeline], None, "test")?;
    let (_, polite) = auth.create("polite", &[Role::Pipeline], None, "test")?;
    let mut matcher = server.matcher().await?;
    for _ in 0..2 {
        matcher
            .score(with_token(text_request("v", "", "urnas"), &greedy))
            .await?;
    }
    let refused = matcher
        .score(with_token(text_request("v", "", "urnas"), &greedy))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert!(
        refused.message().contains("rate limit"),
        "{}",
        refused.message()
    );
    assert!(
        matcher
            .score(with_token(text_request("v", "", "urnas"), &polite))
            .await
            .is_ok()
    );
    server.stop().await
}

#[tokio::test]
async fn admins_manage_tokens_and_read_the_audit_trail_over_grpc() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(dir.path()).await?;
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", server.addr))?
        .connect()
        .await?;
    let mut admin = pb::admin_client::AdminClient::new(channel);
    // On an open (loopback) service the first admin token is created remotely.
    let first = admin
        .create_token(pb::CreateTokenRequest {
            name: "root".into(),
            roles: vec!["admin".into()],
            partner: String::new(),
        })
        .await?
        .into_inner();
    let root = first.secret;
    let created = admin
        .create_token(with_token(
            pb::CreateTokenRequest {
                name: "platform".into(),
                roles: vec!["pipeline".into()],
                partner: String::new(),
            },
            &root,
        ))
        .await?
        .into_inner();
    let pipeline = created.secret;
    let token_id = created.token.expect("token").id;
    let denied = admin
        .list_tokens(with_token(pb::ListTokensRequest {}, &pipeline))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let listed = admin
        .list_tokens(with_token(pb::ListTokensRequest {}, &root))
        .await?
        .into_inner();
    assert_eq!(listed.tokens.len(), 2);
    let revoked = admin
        .revoke_token(with_token(pb::RevokeTokenRequest { id: token_id }, &root))
        .await?
        .into_inner();
    assert!(revoked.revoked);
    let refused = server
        .matcher()
        .await?
        .score(with_token(text_request("v", "", "x"), &pipeline))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::Unauthenticated);
    let audit = admin
        .list_audit(with_token(pb::ListAuditRequest { limit: 10 }, &root))
        .await?
        .into_inner();
    assert!(
        audit
            .entries
            .iter()
            .any(|e| e.action == "token.revoke" && e.actor == "root"),
        "{:?}",
        audit.entries
    );
    server.stop().await
}

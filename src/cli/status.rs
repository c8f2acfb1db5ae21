//! `claimsignal status`: whether a replica serves and how far behind the
//! claim store it is (`Admin/GetStatus`), and, with `--wait`, waiting
//! until it has caught up: the step between two replicas of a rolling
//! upgrade, or after a change of encoder model.

use std::time::{Duration, Instant};

use super::client::{ClientArgs, authed, channel, explain, print_stdout};
use crate::proto::v1 as pb;
use crate::proto::v1::admin_client::AdminClient;

/// How often `--wait` asks again.
const POLL: Duration = Duration::from_secs(1);

/// Arguments of `status`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  claimsignal status --server replica-2:50051 --wait 900")]
pub struct StatusArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Wait up to this many seconds until the replica serves and its
    /// index and claims' vectors have caught up with the claim store;
    /// exit 1 if it has not by then.
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
}

/// Prints the replica's status as JSON (the last one read, with `--wait`).
pub async fn status(args: StatusArgs) -> anyhow::Result<i32> {
    let mut client = AdminClient::new(channel(&args.client).await?);
    let deadline = args.wait.map(|s| Instant::now() + Duration::from_secs(s));
    loop {
        let status = match client.get_status(authed(pb::GetStatusRequest {})).await {
            Ok(status) => status.into_inner(),
            Err(status) => {
                eprintln!("{}", explain(&status));
                return Ok(1);
            }
        };
        let caught_up = caught_up(&status);
        match deadline {
            Some(deadline) if !caught_up && Instant::now() < deadline => {
                tokio::time::sleep(POLL.min(deadline - Instant::now())).await;
            }
            _ => {
                print_stdout(&status_json(&status).to_string())?;
                return Ok(if deadline.is_some() && !caught_up {
                    1
                } else {
                    0
                });
            }
        }
    }
}

/// Serving, with every store change in its index and every claim's
/// vector computed.
fn caught_up(status: &pb::ServiceStatus) -> bool {
    status.serving && status.index_lag_changes == 0 && status.vector_lag_changes == 0
}

fn status_json(status: &pb::ServiceStatus) -> serde_json::Value {
    serde_json::json!({
        "serving": status.serving,
        "problem": status.problem,
        "claims_indexed": status.claims_indexed,
        "store_sequence": status.store_sequence,
        "index_lag_changes": status.index_lag_changes,
        "vector_lag_changes": status.vector_lag_changes,
        "meaning": status.meaning,
        "encoder_kernel": status.encoder_kernel,
        "claim_texts_embedded": status.claim_texts_embedded,
        "vector_changes_per_second": status.vector_changes_per_second,
        "vector_eta_seconds": status.vector_eta_seconds,
        "caught_up": caught_up(status),
    })
}

//! `claimsignal review`: a reviewer's decision on a hit.

use clap::ValueEnum;

use super::client::{ClientArgs, authed, channel, enum_name, explain, print_stdout};
use super::hits::hit_json;
use crate::proto::v1 as pb;
use crate::proto::v1::reports_client::ReportsClient;

/// Arguments of `review`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("outcome").required(true).args(["confirm", "reject"])))]
#[command(
    after_help = "Example:\n  claimsignal review --hit 17 --confirm --action labelled --reviewer ana"
)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// The hit id.
    #[arg(long)]
    pub hit: String,
    /// The video does repeat the claim.
    #[arg(long)]
    pub confirm: bool,
    /// A false match.
    #[arg(long)]
    pub reject: bool,
    /// What was done to the video.
    #[arg(long, value_enum, default_value = "none")]
    pub action: ActionArg,
    /// Who reviewed [default: $USER].
    #[arg(long, env = "USER")]
    pub reviewer: Option<String>,
    /// Free text.
    #[arg(long, default_value = "")]
    pub note: String,
    /// The video's views when the action was taken [default: the latest
    /// count the service saw].
    #[arg(long)]
    pub views: Option<u64>,
}

/// Actions a reviewer records.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ActionArg {
    /// Nothing was done.
    None,
    /// Taken down.
    Removed,
    /// Labelled with the fact-check.
    Labelled,
    /// Distribution limited.
    Limited,
}

/// Records a review and prints the hit with it.
pub async fn review(args: ReviewArgs) -> anyhow::Result<i32> {
    let mut client = ReportsClient::new(channel(&args.client).await?);
    let request = pb::ReviewHitRequest {
        hit_id: args.hit.clone(),
        outcome: if args.confirm {
            pb::ReviewOutcome::Confirmed
        } else {
            pb::ReviewOutcome::Rejected
        } as i32,
        action: match args.action {
            ActionArg::None => pb::ReviewAction::None,
            ActionArg::Removed => pb::ReviewAction::Removed,
            ActionArg::Labelled => pb::ReviewAction::Labelled,
            ActionArg::Limited => pb::ReviewAction::Limited,
        } as i32,
        reviewer: args.reviewer.unwrap_or_default(),
        note: args.note,
        view_count: args.views.unwrap_or(0),
    };
    match client.review_hit(authed(request)).await {
        Ok(hit) => {
            print_stdout(&hit_json(&hit.into_inner()).to_string())?;
            Ok(0)
        }
        Err(status) => {
            eprintln!("{}", explain(&status));
            Ok(1)
        }
    }
}

/// Arguments of `hit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  claimsignal hit 17")]
pub struct ShowHitArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// The hit id.
    pub id: String,
}

/// Prints one hit with its claim, its fact-check and every review it had.
pub async fn show(args: ShowHitArgs) -> anyhow::Result<i32> {
    let mut client = ReportsClient::new(channel(&args.client).await?);
    match client
        .get_hit(authed(pb::GetHitRequest { hit_id: args.id }))
        .await
    {
        Ok(hit) => {
            let hit = hit.into_inner();
            let mut shown = hit_json(&hit);
            let history: Vec<_> = hit
                .history
                .iter()
                .map(|review| {
                    serde_json::json!({
                        "outcome": enum_name(review.outcome, |o: pb::ReviewOutcome| o.as_str_name())
                            .trim_start_matches("REVIEW_OUTCOME_")
                            .to_ascii_lowercase(),
                        "action": enum_name(review.action, |a: pb::ReviewAction| a.as_str_name())
                            .trim_start_matches("REVIEW_ACTION_")
                            .to_ascii_lowercase(),
                        "reviewer": review.reviewer,
                        "note": review.note,
                        "reviewed_at": super::hits::rfc3339(&review.reviewed_at),
                    })
                })
                .collect();
            shown["history"] = serde_json::Value::Array(history);
            print_stdout(&serde_json::to_string_pretty(&shown)?)?;
            Ok(0)
        }
        Err(status) => {
            eprintln!("{}", explain(&status));
            Ok(1)
        }
    }
}

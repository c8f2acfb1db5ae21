//! Offline administration on the stores, as `serve` would open them:
//! `token` (create, list, revoke, audit) and `reindex`.

use std::path::PathBuf;

use clap::Subcommand;

/// Token management. Works on the data directory's claim store, whether
/// or not a server is running on it; a running server sees changes on its
/// next call.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Example:\n  claimsignal token create --name aosfatos-loader --role partner --partner aosfatos"
)]
pub enum TokenCommand {
    /// Creates a token and prints it once.
    Create {
        /// A name for people (e.g. `aosfatos-loader`).
        #[arg(long)]
        name: String,
        /// Roles: partner, pipeline, reviewer, reporter, admin (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The partner a `partner` token acts for.
        #[arg(long)]
        partner: Option<String>,
        #[command(flatten)]
        place: StoreArgs,
    },
    /// Lists tokens (never their secrets).
    List {
        #[command(flatten)]
        place: StoreArgs,
    },
    /// Revokes a token by id.
    Revoke {
        /// Token id (from `token list`).
        id: i64,
        #[command(flatten)]
        place: StoreArgs,
    },
    /// Prints the latest entries of the audit trail.
    Audit {
        /// How many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        place: StoreArgs,
    },
}

/// Arguments of `reindex`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  claimsignal reindex --data-dir index")]
pub struct ReindexArgs {
    #[command(flatten)]
    pub place: StoreArgs,
}

/// Where a command finds the stores, as `serve` would.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Data directory.
    #[arg(long, default_value = "index", env = "CLAIMSIGNAL_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Where claims, hits and tokens live: sqlite://DIR or
    /// postgres://user@host/db [default: SQLite in the data directory].
    #[arg(long, env = "CLAIMSIGNAL_STORE")]
    pub store: Option<String>,
}

impl StoreArgs {
    pub fn url(&self) -> crate::Result<crate::store::StoreUrl> {
        match &self.store {
            Some(url) => crate::store::StoreUrl::parse(url),
            None => Ok(crate::store::StoreUrl::sqlite_in(&self.data_dir)),
        }
    }
}

fn open_auth(place: &StoreArgs) -> anyhow::Result<crate::auth::Auth> {
    Ok(match place.url()? {
        crate::store::StoreUrl::Sqlite(dir) => {
            std::fs::create_dir_all(&dir)?;
            crate::auth::Auth::open(&dir.join("claims.db"))?
        }
        crate::store::StoreUrl::Postgres(url) => {
            crate::auth::Auth::postgres(crate::store::PgPool::connect(&url, 1)?)?
        }
    })
}

pub(super) fn tokens(command: TokenCommand) -> anyhow::Result<i32> {
    let actor = std::env::var("USER")
        .map(|u| format!("cli:{u}"))
        .unwrap_or_else(|_| "cli".into());
    match command {
        TokenCommand::Create {
            name,
            roles,
            partner,
            place,
        } => {
            let roles = roles
                .iter()
                .map(|r| {
                    crate::auth::Role::from_name(r).ok_or_else(|| {
                        anyhow::anyhow!(
                            "{r:?} is not a role (partner, pipeline, reviewer, reporter, admin)"
                        )
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let (info, secret) =
                open_auth(&place)?.create(&name, &roles, partner.as_deref(), &actor)?;
            eprintln!(
                "token {} created for {}; it is shown once, store it now:",
                info.id, info.name
            );
            println!("{secret}");
        }
        TokenCommand::List { place } => {
            println!("id\tname\troles\tpartner\tstate");
            for token in open_auth(&place)?.list()? {
                println!("{token}");
            }
        }
        TokenCommand::Revoke { id, place } => {
            open_auth(&place)?.revoke(id, &actor)?;
            println!("token {id} revoked");
        }
        TokenCommand::Audit { limit, place } => {
            for (at_ms, who, action, detail) in open_auth(&place)?.audit_trail(limit)? {
                let at = chrono::DateTime::from_timestamp_millis(at_ms).unwrap_or_default();
                println!(
                    "{}\t{who}\t{action}\t{detail}",
                    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
            }
        }
    }
    Ok(0)
}

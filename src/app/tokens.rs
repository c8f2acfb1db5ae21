//! Who may call: a call's token authenticated and its role checked
//! against the method's roles, its rate limited; a stream's caller
//! admitted again for every message; tokens created, listed and revoked
//! by admins; the audit trail read back.
//!
//! Limits: `limits.rate_per_token` and `limits.rate_burst` per token
//! (admins are not rate limited), audit pages of at most 10,000 entries
//! (100 unless asked). Policy: a token revoked, or whose roles changed,
//! while its stream is open stops working within [`RECHECK_EVERY`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{App, page_size};
use crate::auth::{Principal, Role, TokenInfo};
use crate::error::{Error, Result};

/// How long a stream goes on trusting its caller's token before checking
/// that it was not revoked.
const RECHECK_EVERY: Duration = Duration::from_secs(1);
const MAX_AUDIT: usize = 10_000;
const DEFAULT_AUDIT: usize = 100;

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When, in ms since the epoch.
    pub at_ms: i64,
    /// The token name that made the change.
    pub actor: String,
    /// What was done (`claims.load`, `tokens.create`...).
    pub action: String,
    /// Its details.
    pub detail: String,
}

impl App {
    /// Authenticates `token`, checks that it holds one of `roles` (none to
    /// check when `None`) and takes one call from its rate. Blocking only
    /// on a SQLite store's token table.
    pub fn authorize(&self, token: Option<&str>, roles: Option<&[Role]>) -> Result<Principal> {
        let principal = self.auth.authenticate(token)?;
        if let Some(roles) = roles {
            principal.require(roles)?;
        }
        if principal.rate_limited() {
            self.rate.admit(&principal.name)?;
        }
        Ok(principal)
    }

    /// Returns whether any token exists (a service without one is open to
    /// every caller, as on a laptop). Blocking.
    pub fn tokens_enabled(&self) -> Result<bool> {
        self.auth.enabled()
    }

    /// Creates a token for `who` (an admin) and returns it with its secret,
    /// shown this once.
    pub async fn create_token(
        self: &Arc<Self>,
        who: &Principal,
        name: String,
        roles: Vec<String>,
        partner: String,
    ) -> Result<(TokenInfo, String)> {
        let roles = roles
            .iter()
            .map(|r| {
                Role::from_name(r).ok_or_else(|| Error::invalid(format!("{r:?} is not a role")))
            })
            .collect::<Result<Vec<_>>>()?;
        let partner = Some(partner.trim().to_string()).filter(|p| !p.is_empty());
        let actor = who.name.clone();
        self.blocking(move |app| app.auth.create(&name, &roles, partner.as_deref(), &actor))
            .await
    }

    /// Returns every token, revoked ones included.
    pub async fn list_tokens(self: &Arc<Self>) -> Result<Vec<TokenInfo>> {
        self.blocking(|app| app.auth.list()).await
    }

    /// Revokes token `id` for `who` and returns it.
    pub async fn revoke_token(self: &Arc<Self>, who: &Principal, id: i64) -> Result<TokenInfo> {
        let actor = who.name.clone();
        let tokens = self
            .blocking(move |app| {
                app.auth.revoke(id, &actor)?;
                app.auth.list()
            })
            .await?;
        tokens
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| Error::not_found(format!("token {id}")))
    }

    /// Returns the latest `limit` entries of the audit trail (0 for the
    /// default), newest first.
    pub async fn audit_trail(self: &Arc<Self>, limit: usize) -> Result<Vec<AuditEntry>> {
        let limit = page_size(limit, DEFAULT_AUDIT, MAX_AUDIT);
        let entries = self
            .blocking(move |app| app.auth.audit_trail(limit))
            .await?;
        Ok(entries
            .into_iter()
            .map(|(at_ms, actor, action, detail)| AuditEntry {
                at_ms,
                actor,
                action,
                detail,
            })
            .collect())
    }
}

/// The caller of a stream, admitted again for every message: its rate
/// limit counts each message as a call, and a token revoked while the
/// stream is open stops working within a second.
pub struct StreamCaller {
    app: Arc<App>,
    token: Option<String>,
    principal: Principal,
    checked: Instant,
}

impl StreamCaller {
    /// Returns the caller of a stream opened with `token`, authenticated
    /// as `principal` when it was admitted.
    pub fn new(app: Arc<App>, token: Option<String>, principal: Principal) -> Self {
        StreamCaller {
            app,
            token,
            principal,
            checked: Instant::now(),
        }
    }

    /// Checks the token again when the last check is over a second old;
    /// an error means the stream must end.
    pub fn still_valid(&mut self) -> Result<()> {
        if self.checked.elapsed() < RECHECK_EVERY {
            return Ok(());
        }
        let now = self.app.auth.authenticate(self.token.as_deref())?;
        if now.roles != self.principal.roles || now.partner != self.principal.partner {
            return Err(Error::Unauthenticated(
                "the token's roles changed while the stream was open; open a new one".into(),
            ));
        }
        self.checked = Instant::now();
        Ok(())
    }

    /// Takes one call from the caller's rate limit; an error refuses this
    /// message only.
    pub fn admit_message(&self) -> Result<()> {
        if self.principal.rate_limited() {
            self.app.rate.admit(&self.principal.name)?;
        }
        Ok(())
    }
}

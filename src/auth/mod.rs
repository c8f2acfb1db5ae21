//! Who may do what: bearer tokens with roles, stored hashed in the claim
//! store, and the audit trail of every change.
//!
//! With no token in the store the service runs open, and only on loopback;
//! once a token exists every call needs one.
//!
//! With the shared PostgreSQL store, each replica checks tokens against a
//! copy of the token table held in memory (no database round trip per
//! call, and callers keep being recognised while the database restarts),
//! refreshed at once when any replica creates or revokes a token (NOTIFY)
//! and at every follower poll otherwise.

mod postgres;
mod rate;
mod tokens;

use std::fmt;

pub use rate::RateLimiter;
use sha2::{Digest, Sha256};
pub use tokens::Auth;

use crate::error::{Error, Result};

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Loads, updates, retracts and lists its own partner's claims.
    Partner,
    /// Scores content.
    Pipeline,
    /// Reviews and lists hits.
    Reviewer,
    /// Reads reports and hits.
    Reporter,
    /// Everything, including tokens and the audit trail.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Partner,
        Role::Pipeline,
        Role::Reviewer,
        Role::Reporter,
        Role::Admin,
    ];

    /// Returns the role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::Pipeline => "pipeline",
            Role::Reviewer => "reviewer",
            Role::Reporter => "reporter",
            Role::Admin => "admin",
        }
    }

    /// Returns the role with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == name.trim())
    }
}

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Token name, or `anonymous` when the service runs open.
    pub name: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// The partner a `partner` token is bound to.
    pub partner: Option<String>,
}

impl Principal {
    /// The caller of an open service: every role, no partner binding.
    pub fn anonymous() -> Self {
        Principal {
            name: "anonymous".into(),
            roles: Role::ALL.to_vec(),
            partner: None,
        }
    }

    /// Returns Ok when the caller holds one of `roles` (admin holds all).
    pub fn require(&self, roles: &[Role]) -> Result<()> {
        if self.roles.contains(&Role::Admin) || roles.iter().any(|r| self.roles.contains(r)) {
            return Ok(());
        }
        let wanted: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Err(Error::PermissionDenied(format!(
            "token {:?} lacks the role {}",
            self.name,
            wanted.join(" or ")
        )))
    }

    /// Returns true when the caller's calls count against the per-token
    /// rate limit: pipelines and partners are limited; people reviewing
    /// and reporting, and admins (an open service's anonymous caller
    /// among them), are not.
    pub fn rate_limited(&self) -> bool {
        !self.roles.contains(&Role::Admin)
            && self
                .roles
                .iter()
                .any(|r| matches!(r, Role::Pipeline | Role::Partner))
    }

    /// Returns the partner this caller acts for when it is bound to one
    /// and is not an admin.
    pub fn bound_partner(&self) -> Option<&str> {
        if self.roles.contains(&Role::Admin) {
            None
        } else {
            self.partner.as_deref()
        }
    }
}

/// A stored token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Id, for revocation.
    pub id: i64,
    /// Human name.
    pub name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Bound partner.
    pub partner: Option<String>,
    /// Revoked, when set (epoch ms).
    pub revoked_ms: Option<i64>,
}

impl fmt::Display for TokenInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let roles: Vec<&str> = self.roles.iter().map(|r| r.as_str()).collect();
        write!(
            f,
            "{}\t{}\t{}\t{}\t{}",
            self.id,
            self.name,
            roles.join(","),
            self.partner.as_deref().unwrap_or("-"),
            if self.revoked_ms.is_some() {
                "revoked"
            } else {
                "active"
            }
        )
    }
}

/// Decodes `id, name, roles, partner, revoked_ms` from either backend.
pub(super) fn token_info(row: &impl crate::store::Columns) -> Result<TokenInfo> {
    Ok(TokenInfo {
        id: row.int(0)?,
        name: row.text(1)?.to_string(),
        roles: row
            .text(2)?
            .split(',')
            .filter_map(Role::from_name)
            .collect(),
        partner: row.opt_text(3)?.map(str::to_string),
        revoked_ms: row.opt_int(4)?,
    })
}

pub(super) fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The token table as `authenticate` needs it.
#[derive(Debug, Default)]
pub(super) struct TokenTable {
    /// Any token ever created (revoked ones included).
    pub(super) any: bool,
    /// Active tokens by hash.
    pub(super) by_hash: std::collections::HashMap<String, Principal>,
}

pub(super) fn principal(name: String, roles: &str, partner: Option<String>) -> Principal {
    Principal {
        name,
        roles: roles.split(',').filter_map(Role::from_name).collect(),
        partner,
    }
}

#[cfg(test)]
mod tests;

//! `claimsignal.v1.Admin`: tokens and the audit trail.

use super::timestamp;
use crate::app::AuditEntry;
use crate::auth::TokenInfo;
use crate::proto::v1 as pb;

/// Returns the proto form of a token (never its secret).
pub fn token_to_proto(token: TokenInfo) -> pb::Token {
    pb::Token {
        id: token.id,
        name: token.name,
        roles: token.roles.iter().map(|r| r.as_str().to_string()).collect(),
        partner: token.partner.unwrap_or_default(),
        revoked: token.revoked_ms.is_some(),
    }
}

/// Returns the proto form of an audit entry.
pub fn audit_entry_to_proto(entry: AuditEntry) -> pb::AuditEntry {
    pb::AuditEntry {
        at: chrono::DateTime::from_timestamp_millis(entry.at_ms).map(timestamp),
        actor: entry.actor,
        action: entry.action,
        detail: entry.detail,
    }
}

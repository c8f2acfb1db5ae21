//! Authentication of gRPC calls: the bearer token in the `authorization`
//! metadata, checked against the store on every call (so a revocation
//! takes effect on the next one).

use std::sync::Arc;

use tonic::Status;
use tonic::metadata::MetadataMap;

use super::status::to_status;
use crate::auth::{Principal, Role};
use crate::engine::Engine;

/// Returns the caller if it holds one of `roles`, else the status to send.
pub fn authorize(
    engine: &Engine,
    metadata: &MetadataMap,
    roles: &[Role],
) -> Result<Principal, Status> {
    let bearer = match metadata.get("authorization") {
        None => None,
        Some(value) => {
            let text = value
                .to_str()
                .map_err(|_| Status::unauthenticated("the authorization header is not text"))?;
            let token = text
                .strip_prefix("Bearer ")
                .or_else(|| text.strip_prefix("bearer "))
                .ok_or_else(|| {
                    Status::unauthenticated("the authorization header must be `Bearer <token>`")
                })?;
            Some(token.trim().to_string())
        }
    };
    let principal = engine
        .auth()
        .authenticate(bearer.as_deref())
        .map_err(to_status)?;
    principal.require(roles).map_err(to_status)?;
    // Pipelines and partners are rate limited per token; people reviewing
    // and reporting, and admins, are not.
    let limited = !principal.roles.contains(&Role::Admin)
        && principal
            .roles
            .iter()
            .any(|r| matches!(r, Role::Pipeline | Role::Partner));
    // (An open service's anonymous caller holds admin, so it is never limited.)
    if limited {
        engine.rate().admit(&principal.name).map_err(to_status)?;
    }
    Ok(principal)
}

/// Records a change in the audit trail, off the async runtime (the write
/// is fsynced); a failure is logged, not fatal to a change that is already
/// durable.
pub async fn audit(engine: &Arc<Engine>, who: &Principal, action: &'static str, detail: String) {
    let (engine, actor) = (engine.clone(), who.name.clone());
    let written =
        tokio::task::spawn_blocking(move || engine.auth().audit(&actor, action, &detail)).await;
    match written {
        Ok(Ok(())) => {}
        Ok(Err(err)) => tracing::error!(error = %err, action, "audit trail write failed"),
        Err(err) => tracing::error!(error = %err, action, "audit trail task failed"),
    }
}

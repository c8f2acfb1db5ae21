//! `claimsignal.v1.Admin`: tokens and the audit trail, admins only.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::auth::caller;
use super::convert::timestamp;
use super::status::to_status;
use crate::auth::{Role, TokenInfo};
use crate::engine::Engine;
use crate::proto::v1 as pb;

/// The Admin service.
pub struct AdminService {
    engine: Arc<Engine>,
}

impl AdminService {
    /// Returns the service over `engine`.
    pub fn new(engine: Arc<Engine>) -> Self {
        AdminService { engine }
    }
}

impl AdminService {
    /// Runs store work (reads and fsynced writes) off the async runtime.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Engine) -> crate::error::Result<T> + Send + 'static,
    ) -> Result<T, Status> {
        let engine = self.engine.clone();
        tokio::task::spawn_blocking(move || work(&engine))
            .await
            .map_err(|err| to_status(err.into()))?
            .map_err(to_status)
    }
}

fn token_to_proto(token: TokenInfo) -> pb::Token {
    pb::Token {
        id: token.id,
        name: token.name,
        roles: token.roles.iter().map(|r| r.as_str().to_string()).collect(),
        partner: token.partner.unwrap_or_default(),
        revoked: token.revoked_ms.is_some(),
    }
}

#[tonic::async_trait]
impl pb::admin_server::Admin for AdminService {
    async fn create_token(
        &self,
        request: Request<pb::CreateTokenRequest>,
    ) -> Result<Response<pb::CreateTokenResponse>, Status> {
        let who = caller(&request)?;
        let request = request.into_inner();
        let roles = request
            .roles
            .iter()
            .map(|r| {
                Role::from_name(r)
                    .ok_or_else(|| Status::invalid_argument(format!("{r:?} is not a role")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let partner = Some(request.partner.trim().to_string()).filter(|p| !p.is_empty());
        let (token, secret) = self
            .blocking(move |engine| {
                engine
                    .auth()
                    .create(&request.name, &roles, partner.as_deref(), &who.name)
            })
            .await?;
        Ok(Response::new(pb::CreateTokenResponse {
            token: Some(token_to_proto(token)),
            secret,
        }))
    }

    async fn list_tokens(
        &self,
        _request: Request<pb::ListTokensRequest>,
    ) -> Result<Response<pb::ListTokensResponse>, Status> {
        let tokens = self.blocking(|engine| engine.auth().list()).await?;
        Ok(Response::new(pb::ListTokensResponse {
            tokens: tokens.into_iter().map(token_to_proto).collect(),
        }))
    }

    async fn revoke_token(
        &self,
        request: Request<pb::RevokeTokenRequest>,
    ) -> Result<Response<pb::Token>, Status> {
        let who = caller(&request)?;
        let id = request.into_inner().id;
        let tokens = self
            .blocking(move |engine| {
                engine.auth().revoke(id, &who.name)?;
                engine.auth().list()
            })
            .await?;
        let token = tokens
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| Status::not_found(format!("token {id} not found")))?;
        Ok(Response::new(token_to_proto(token)))
    }

    async fn list_audit(
        &self,
        request: Request<pb::ListAuditRequest>,
    ) -> Result<Response<pb::ListAuditResponse>, Status> {
        let limit = match request.into_inner().limit {
            0 => 100,
            n => (n as usize).min(10_000),
        };
        let entries = self
            .blocking(move |engine| engine.auth().audit_trail(limit))
            .await?;
        Ok(Response::new(pb::ListAuditResponse {
            entries: entries
                .into_iter()
                .map(|(at_ms, actor, action, detail)| pb::AuditEntry {
                    at: chrono::DateTime::from_timestamp_millis(at_ms).map(timestamp),
                    actor,
                    action,
                    detail,
                })
                .collect(),
        }))
    }
}
